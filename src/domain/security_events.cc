// Security and profile events applied to an account (see security_events.h).
#include "src/domain/security_events.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/account_open.h"
#include "src/domain/assurance.h"
#include "src/domain/event_envelope.h"
#include "src/domain/proto_time.h"
#include "src/domain/velocity.h"
#include "src/domain/withdrawal_machine.h"

namespace pitboss {
namespace domain {
namespace {

// The sections a security or profile event may change (account_change.h):
// what its kind changes, plus the login-lockout restriction (and the status
// it implies) and the device record every one of them updates.
AccountSections SectionsChangedBy(const v1::Event& event) {
  AccountSections sections = kSectionRestrictions | kSectionStatus | kSectionDevices;
  switch (event.kind_case()) {
    case v1::Event::kContactChange:
      return sections | kSectionProfile | kSectionSecurity;
    case v1::Event::kFactorEnrolled:
      return sections | kSectionFactors;
    case v1::Event::kFactorVerification:
      return sections | kSectionSecurity | kSectionVerifications;
    case v1::Event::kKycDocumentSubmitted:
      return sections | kSectionKyc;
    case v1::Event::kKycResult:
      // Verified documents release the withdrawals held for them.
      return sections | kSectionKyc | kSectionWithdrawals | kSectionBalances |
             kSectionInstruments;
    case v1::Event::kPasswordChange:
    case v1::Event::kPasswordResetRequest:
    case v1::Event::kLoginAttempt:
    case v1::Event::kSecurityReport:
      return sections | kSectionSecurity;
    default:
      return kAllSections;
  }
}

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

absl::Status ApplyContactChange(v1::Account& draft, const v1::Event& event,
                                absl::Time now) {
  const v1::ContactChange& change = event.contact_change();
  v1::Profile& profile = *draft.mutable_profile();
  v1::Security& security = *draft.mutable_security();
  switch (change.kind()) {
    case v1::CONTACT_KIND_EMAIL:
      PITBOSS_RETURN_IF_ERROR(
          ValidateEmail(change.new_value(), "event.contact_change.new_value"));
      profile.set_email(change.new_value());
      *security.mutable_email_changed_at() = ToProtoTime(now);
      break;
    case v1::CONTACT_KIND_PHONE:
      PITBOSS_RETURN_IF_ERROR(
          ValidatePhone(change.new_value(), "event.contact_change.new_value"));
      profile.set_phone(change.new_value());
      *security.mutable_phone_changed_at() = ToProtoTime(now);
      break;
    case v1::CONTACT_KIND_ADDRESS:
      if (!change.has_new_address()) {
        return Invalid("event.contact_change.new_address", "must be set");
      }
      *profile.mutable_address() = change.new_address();
      *security.mutable_address_changed_at() = ToProtoTime(now);
      break;
    default:
      return Invalid("event.contact_change.kind", "must be EMAIL, PHONE or ADDRESS");
  }
  return RecordVelocity(draft.mutable_velocity(), v1::VELOCITY_METRIC_CONTACT_CHANGE, 0,
                        now);
}

bool InForce(const v1::Restriction& restriction, absl::Time now) {
  return !IsSet(restriction.until()) || FromProtoTime(restriction.until()) > now;
}

// ACTIVE / RESTRICTED / SUSPENDED from the restrictions in force at `now`;
// SELF_EXCLUDED and CLOSED are left alone.
void RecomputeStatus(v1::Account& draft, absl::Time now) {
  if (draft.status() == v1::ACCOUNT_STATUS_SELF_EXCLUDED ||
      draft.status() == v1::ACCOUNT_STATUS_CLOSED) {
    return;
  }
  v1::AccountStatus status = v1::ACCOUNT_STATUS_ACTIVE;
  for (const v1::Restriction& r : draft.restrictions()) {
    if (!InForce(r, now)) continue;
    if (r.kind() == v1::RESTRICTION_KIND_SECURITY_HOLD) {
      status = v1::ACCOUNT_STATUS_SUSPENDED;
    } else if (status == v1::ACCOUNT_STATUS_ACTIVE) {
      status = v1::ACCOUNT_STATUS_RESTRICTED;
    }
  }
  draft.set_status(status);
}

// Makes the LOGIN_LOCKOUT restriction and the status match the lock at `now`
// (see the header). Nothing changes for an account that is not locked and
// never had the restriction.
absl::Status SyncLockoutRestriction(v1::Account& draft, const LockoutOptions& options,
                                    absl::Time now) {
  PITBOSS_ASSIGN_OR_RETURN(
      LockoutState state,
      GetLockoutState(draft.security(), now, options, "account.security"));
  v1::Restriction* open = nullptr;
  bool any = false;
  for (v1::Restriction& r : *draft.mutable_restrictions()) {
    if (r.kind() != v1::RESTRICTION_KIND_LOGIN_LOCKOUT) continue;
    any = true;
    if (InForce(r, now)) open = &r;
  }
  if (!state.locked && !any) return absl::OkStatus();
  if (state.locked) {
    if (open == nullptr) {
      open = draft.add_restrictions();
      open->set_kind(v1::RESTRICTION_KIND_LOGIN_LOCKOUT);
      *open->mutable_since() = ToProtoTime(now);
    }
    if (state.hard_locked) {
      open->clear_until();
      open->set_reason(absl::StrCat("hard lock: ", state.consecutive_failures,
                                    " consecutive failed logins"));
    } else {
      *open->mutable_until() = ToProtoTime(state.locked_until);
      open->set_reason(absl::StrCat(state.failures_in_window, " failed logins within ",
                                    absl::FormatDuration(options.window)));
    }
  } else {
    // The lock is over: end what is still in force.
    for (v1::Restriction& r : *draft.mutable_restrictions()) {
      if (r.kind() == v1::RESTRICTION_KIND_LOGIN_LOCKOUT && InForce(r, now)) {
        *r.mutable_until() = ToProtoTime(now);
      }
    }
  }
  RecomputeStatus(draft, now);
  return absl::OkStatus();
}

// The password change completes a reset through a possession factor (see the
// header): a reset requested at most kResetRequestValidity ago, and a
// successful possession verification, not over the phone, made at most
// kResetVerificationLead before the request and not after `now`.
bool CompletesPossessionReset(const v1::Account& draft, absl::Time now) {
  const v1::Security& security = draft.security();
  if (!IsSet(security.password_reset_requested_at())) return false;
  const absl::Time requested = FromProtoTime(security.password_reset_requested_at());
  if (requested > now || now - requested > kResetRequestValidity) return false;
  for (const v1::Verification& v : draft.verifications()) {
    if (FactorCategoryOf(v.kind()) != v1::FACTOR_CATEGORY_POSSESSION) continue;
    if (v.channel() == v1::CHANNEL_PHONE) continue;
    const absl::Time at = FromProtoTime(v.verified_at());
    if (at >= requested - kResetVerificationLead && at <= now) return true;
  }
  return false;
}

// A successful possession-factor verification (not over the phone) made from
// a device confirms that device: Device.trusted ("the player confirmed this
// device with a possession factor").
void TrustDeviceConfirmedByPossession(v1::Account& draft, const v1::Event& event) {
  if (!event.has_factor_verification() || !event.factor_verification().success()) return;
  if (event.channel() == v1::CHANNEL_PHONE || event.device().device_id().empty()) return;
  // The verification just recorded carries the resolved kind.
  if (draft.verifications().empty()) return;
  const v1::Verification& last = *draft.verifications().rbegin();
  if (last.event_id() != event.event_id() ||
      FactorCategoryOf(last.kind()) != v1::FACTOR_CATEGORY_POSSESSION) {
    return;
  }
  for (v1::Device& device : *draft.mutable_devices()) {
    if (device.device_id() == event.device().device_id()) device.set_trusted(true);
  }
}

// Withdrawals waiting for KYC documents move on once the level is reached.
absl::Status ReleaseKycHeldWithdrawals(v1::Account& draft, v1::KycLevel min_level,
                                       absl::Time now) {
  if (draft.kyc().level() < min_level) return absl::OkStatus();
  std::vector<std::string> released;
  for (const v1::Withdrawal& w : draft.withdrawals()) {
    if (w.state() == v1::WITHDRAWAL_STATE_PENDING_VERIFICATION &&
        w.hold_reason() == kKycDocumentsRequired) {
      released.push_back(w.withdrawal_id());
    }
  }
  WithdrawalUpdate update;
  update.hold_reason = std::string(kKycDocumentsVerified);
  for (const std::string& id : released) {
    // On the draft: the outer change sets the version once.
    PITBOSS_RETURN_IF_ERROR(TransitionWithdrawal(&draft, id,
                                                 v1::WITHDRAWAL_STATE_PENDING_REVIEW,
                                                 update, now));
  }
  return absl::OkStatus();
}

absl::Status ApplyLogin(v1::Account& draft, const v1::Event& event,
                        const LockoutOptions& options, absl::Time now) {
  PITBOSS_ASSIGN_OR_RETURN(
      LoginAttemptResult result,
      ApplyLoginAttempt(draft.security(), "account.security", event.login_attempt(),
                        "event.login_attempt", now, options));
  *draft.mutable_security() = std::move(result.security);
  if (result.outcome == LoginOutcome::kFailureCounted) {
    PITBOSS_RETURN_IF_ERROR(RecordVelocity(draft.mutable_velocity(),
                                           v1::VELOCITY_METRIC_LOGIN_FAILED, 0, now));
  }
  if (result.outcome == LoginOutcome::kAccepted) {
    *draft.mutable_security()->mutable_last_login_at() = ToProtoTime(now);
    *draft.mutable_security()->mutable_last_activity_at() = ToProtoTime(now);
  }
  return absl::OkStatus();
}

const v1::Factor* FindFactor(const v1::Account& account, absl::string_view factor_id) {
  for (const v1::Factor& factor : account.factors()) {
    if (factor.factor_id() == factor_id) return &factor;
  }
  return nullptr;
}

absl::Status ApplyFactorEnrolled(v1::Account& draft, const v1::Event& event,
                                 absl::Time now) {
  v1::Factor factor = event.factor_enrolled().factor();
  if (factor.category() == v1::FACTOR_CATEGORY_UNSPECIFIED) {
    factor.set_category(FactorCategoryOf(factor.kind()));
  }
  if (!IsSet(factor.enrolled_at())) *factor.mutable_enrolled_at() = ToProtoTime(now);
  PITBOSS_RETURN_IF_ERROR(ValidateFactor(factor, "event.factor_enrolled.factor"));
  if (FindFactor(draft, factor.factor_id()) != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat(
        "event.factor_enrolled.factor.factor_id: '", factor.factor_id(),
        "' is already enrolled"));
  }
  *draft.add_factors() = std::move(factor);
  return absl::OkStatus();
}

absl::Status ApplyFactorVerification(v1::Account& draft, const v1::Event& event,
                                     absl::Time now) {
  const v1::FactorVerification& verification = event.factor_verification();
  v1::FactorKind kind = verification.kind();
  v1::Channel channel = event.channel();
  if (!verification.factor_id().empty()) {
    const v1::Factor* factor = FindFactor(draft, verification.factor_id());
    if (factor == nullptr) {
      return absl::NotFoundError(absl::StrCat("event.factor_verification.factor_id: '",
                                              verification.factor_id(),
                                              "' is not enrolled"));
    }
    if (IsSet(factor->revoked_at())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "event.factor_verification.factor_id: '", verification.factor_id(),
          "' is revoked"));
    }
    if (kind == v1::FACTOR_KIND_UNSPECIFIED) kind = factor->kind();
    if (kind != factor->kind()) {
      return Invalid("event.factor_verification.kind",
                     "differs from the enrolled factor's kind");
    }
  }
  if (kind == v1::FACTOR_KIND_UNSPECIFIED || !v1::FactorKind_IsValid(kind)) {
    return Invalid("event.factor_verification.kind", "must be a known factor kind");
  }
  v1::Security& security = *draft.mutable_security();
  if (!verification.success()) {
    security.set_consecutive_failed_verifications(
        std::min(security.consecutive_failed_verifications() + 1, 1000000));
    *security.mutable_last_failed_verification_at() = ToProtoTime(now);
    return RecordVelocity(draft.mutable_velocity(),
                          v1::VELOCITY_METRIC_VERIFICATION_FAILED, 0, now);
  }
  security.set_consecutive_failed_verifications(0);
  *security.mutable_last_activity_at() = ToProtoTime(now);
  v1::Verification& record = *draft.add_verifications();
  record.set_factor_id(verification.factor_id());
  record.set_kind(kind);
  record.set_category(FactorCategoryOf(kind));
  record.set_channel(channel);
  *record.mutable_verified_at() = ToProtoTime(now);
  record.set_device_id(event.device().device_id());
  record.set_session_id(verification.session_id().empty() ? event.session_id()
                                                          : verification.session_id());
  record.set_event_id(event.event_id());
  auto* kept = draft.mutable_verifications();
  if (kept->size() > static_cast<int>(kMaxKeptVerifications)) {
    kept->DeleteSubrange(0, kept->size() - static_cast<int>(kMaxKeptVerifications));
  }
  return absl::OkStatus();
}

absl::Status ApplyKycDocument(v1::Account& draft, const v1::Event& event,
                              absl::Time now) {
  v1::KycDocument document = event.kyc_document_submitted().document();
  PITBOSS_RETURN_IF_ERROR(
      ValidateId(document.document_id(), "event.kyc_document_submitted.document.document_id"));
  if (document.kind() == v1::KYC_DOCUMENT_KIND_UNSPECIFIED ||
      !v1::KycDocumentKind_IsValid(document.kind())) {
    return Invalid("event.kyc_document_submitted.document.kind",
                   "must be a known document kind");
  }
  for (const v1::KycDocument& existing : draft.kyc().documents()) {
    if (existing.document_id() == document.document_id()) {
      return absl::AlreadyExistsError(
          absl::StrCat("event.kyc_document_submitted.document.document_id: '",
                       document.document_id(), "' was already submitted"));
    }
  }
  document.set_status(v1::KYC_DOCUMENT_STATUS_SUBMITTED);
  *document.mutable_submitted_at() = ToProtoTime(now);
  document.clear_reviewed_at();
  *draft.mutable_kyc()->add_documents() = std::move(document);
  return absl::OkStatus();
}

absl::Status ApplyKycResult(v1::Account& draft, const v1::Event& event, absl::Time now) {
  const v1::KycResult& result = event.kyc_result();
  v1::Kyc& kyc = *draft.mutable_kyc();
  if (!result.document_id().empty()) {
    v1::KycDocument* document = nullptr;
    for (v1::KycDocument& candidate : *kyc.mutable_documents()) {
      if (candidate.document_id() == result.document_id()) document = &candidate;
    }
    if (document == nullptr) {
      return absl::NotFoundError(absl::StrCat("event.kyc_result.document_id: '",
                                              result.document_id(),
                                              "' was never submitted"));
    }
    if (result.status() != v1::KYC_DOCUMENT_STATUS_ACCEPTED &&
        result.status() != v1::KYC_DOCUMENT_STATUS_REJECTED &&
        result.status() != v1::KYC_DOCUMENT_STATUS_EXPIRED) {
      return Invalid("event.kyc_result.status", "must be ACCEPTED, REJECTED or EXPIRED");
    }
    document->set_status(result.status());
    *document->mutable_reviewed_at() = ToProtoTime(now);
    if (result.status() == v1::KYC_DOCUMENT_STATUS_REJECTED) {
      document->set_rejection_reason(result.reason());
    }
  } else if (result.new_level() == v1::KYC_LEVEL_UNSPECIFIED &&
             !result.enhanced_due_diligence_completed()) {
    return Invalid("event.kyc_result", "names no document, level or due-diligence result");
  }
  if (result.new_level() != v1::KYC_LEVEL_UNSPECIFIED) {
    if (!v1::KycLevel_IsValid(result.new_level())) {
      return Invalid("event.kyc_result.new_level", "unknown KYC level");
    }
    if (result.new_level() != kyc.level()) {
      kyc.set_level(result.new_level());
      *kyc.mutable_level_changed_at() = ToProtoTime(now);
    }
  }
  if (result.enhanced_due_diligence_completed()) {
    kyc.set_enhanced_due_diligence_required(false);
    if (kyc.level() < v1::KYC_LEVEL_ENHANCED) {
      kyc.set_level(v1::KYC_LEVEL_ENHANCED);
      *kyc.mutable_level_changed_at() = ToProtoTime(now);
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyEventKind(v1::Account& draft, const v1::Event& event,
                            const SecurityEventOptions& options, absl::Time now) {
  switch (event.kind_case()) {
    case v1::Event::kContactChange:
      return ApplyContactChange(draft, event, now);
    case v1::Event::kPasswordChange:
      *draft.mutable_security()->mutable_password_changed_at() = ToProtoTime(now);
      if (CompletesPossessionReset(draft, now)) {
        *draft.mutable_security() = ClearLockout(draft.security());
      }
      return absl::OkStatus();
    case v1::Event::kPasswordResetRequest:
      if (event.password_reset_request().method() ==
              v1::PASSWORD_RESET_METHOD_UNSPECIFIED ||
          !v1::PasswordResetMethod_IsValid(event.password_reset_request().method())) {
        return Invalid("event.password_reset_request.method",
                       "must be a known reset method");
      }
      *draft.mutable_security()->mutable_password_reset_requested_at() =
          ToProtoTime(now);
      return RecordVelocity(draft.mutable_velocity(),
                            v1::VELOCITY_METRIC_PASSWORD_RESET_REQUESTED, 0, now);
    case v1::Event::kLoginAttempt:
      return ApplyLogin(draft, event, options.lockout, now);
    case v1::Event::kFactorEnrolled:
      return ApplyFactorEnrolled(draft, event, now);
    case v1::Event::kFactorVerification:
      return ApplyFactorVerification(draft, event, now);
    case v1::Event::kKycDocumentSubmitted:
      return ApplyKycDocument(draft, event, now);
    case v1::Event::kKycResult:
      PITBOSS_RETURN_IF_ERROR(ApplyKycResult(draft, event, now));
      return ReleaseKycHeldWithdrawals(draft, options.withdrawal_min_kyc_level, now);
    case v1::Event::kSecurityReport:
      if (event.security_report().kind() == v1::SECURITY_REPORT_KIND_UNSPECIFIED ||
          !v1::SecurityReportKind_IsValid(event.security_report().kind())) {
        return Invalid("event.security_report.kind", "must be a known report kind");
      }
      *draft.mutable_security()->mutable_last_security_report_at() = ToProtoTime(now);
      return absl::OkStatus();
    default:
      return Invalid("event", "is not a security or profile event");
  }
}

}  // namespace

bool IsSecurityEvent(const v1::Event& event) {
  switch (event.kind_case()) {
    case v1::Event::kContactChange:
    case v1::Event::kPasswordChange:
    case v1::Event::kPasswordResetRequest:
    case v1::Event::kLoginAttempt:
    case v1::Event::kFactorEnrolled:
    case v1::Event::kFactorVerification:
    case v1::Event::kKycDocumentSubmitted:
    case v1::Event::kKycResult:
    case v1::Event::kSecurityReport:
      return true;
    default:
      return false;
  }
}

absl::Status ApplySecurityEvent(v1::Account* account, const v1::Event& event,
                                const SecurityEventOptions& options, absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  if (!IsSecurityEvent(event)) {
    return Invalid("event", "is not a security or profile event");
  }
  PITBOSS_RETURN_IF_ERROR(ValidateEventFor(*account, event, event.kind_case()));
  return ApplyAccountChange(account, now, SectionsChangedBy(event), [&](v1::Account& draft) -> absl::Status {
    PITBOSS_RETURN_IF_ERROR(ApplyEventKind(draft, event, options, now));
    PITBOSS_RETURN_IF_ERROR(SyncLockoutRestriction(draft, options.lockout, now));
    PITBOSS_RETURN_IF_ERROR(RecordDeviceSeen(draft, event, now));
    TrustDeviceConfirmedByPossession(draft, event);
    return absl::OkStatus();
  });
}

absl::StatusOr<LoginAttemptResult> PreviewLoginAttempt(const v1::Account& account,
                                                       const v1::Event& event,
                                                       const LockoutOptions& options,
                                                       absl::Time now) {
  if (event.kind_case() != v1::Event::kLoginAttempt) {
    return Invalid("event.login_attempt", "must be set");
  }
  return ApplyLoginAttempt(account.security(), "account.security", event.login_attempt(),
                           "event.login_attempt", now, options);
}

absl::Status RecordDeviceSeen(v1::Account& draft, const v1::Event& event, absl::Time now) {
  const std::string& device_id = event.device().device_id();
  if (device_id.empty()) return absl::OkStatus();
  PITBOSS_RETURN_IF_ERROR(ValidateId(device_id, "event.device.device_id"));
  v1::Device* device = nullptr;
  for (v1::Device& candidate : *draft.mutable_devices()) {
    if (candidate.device_id() == device_id) device = &candidate;
  }
  if (device == nullptr) {
    auto* devices = draft.mutable_devices();
    if (devices->size() >= static_cast<int>(kMaxKeptDevices)) {
      // Drop the least recently seen device (the first on ties): deterministic.
      int oldest = 0;
      for (int i = 1; i < devices->size(); ++i) {
        if (FromProtoTime(devices->Get(i).last_seen_at()) <
            FromProtoTime(devices->Get(oldest).last_seen_at())) {
          oldest = i;
        }
      }
      devices->DeleteSubrange(oldest, 1);
    }
    device = devices->Add();
    device->set_device_id(device_id);
    *device->mutable_first_seen_at() = ToProtoTime(now);
  }
  *device->mutable_last_seen_at() = ToProtoTime(now);
  if (!event.device().platform().empty()) device->set_platform(event.device().platform());
  if (!event.ip_country().empty()) device->set_last_ip_country(event.ip_country());
  return absl::OkStatus();
}

}  // namespace domain
}  // namespace pitboss
