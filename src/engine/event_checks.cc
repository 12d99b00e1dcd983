// Built-in domain checks turned into findings (see event_checks.h).
#include "src/engine/event_checks.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "src/common/status_macros.h"
#include "src/domain/action_requirements.h"
#include "src/domain/agent_roles.h"
#include "src/domain/instruments.h"
#include "src/domain/limits.h"
#include "src/domain/money.h"
#include "src/domain/proto_time.h"
#include "src/domain/security_events.h"
#include "src/engine/kyc_gates.h"

namespace pitboss {
namespace engine {
namespace {

Finding DomainFinding(absl::string_view code, std::string message) {
  Finding finding;
  finding.source = v1::REASON_SOURCE_DOMAIN;
  finding.code = std::string(code);
  finding.message = std::move(message);
  return finding;
}

Finding Deny(absl::string_view code, std::string message) {
  Finding finding = DomainFinding(code, std::move(message));
  finding.action.mutable_deny();
  return finding;
}

Finding Challenge(absl::string_view code, std::string message,
                  const std::vector<v1::FactorKind>& kinds) {
  Finding finding = DomainFinding(code, std::move(message));
  for (v1::FactorKind kind : kinds) {
    finding.action.mutable_challenge()->add_factor_kinds(kind);
  }
  return finding;
}

Finding Escalate(absl::string_view code, std::string message) {
  Finding finding = DomainFinding(code, std::move(message));
  finding.action.mutable_escalate()->set_case_kind(v1::CASE_KIND_SECURITY);
  return finding;
}

// Player-initiated events that move money or play.
bool IsPaymentOrPlay(const v1::Event& event) {
  switch (event.kind_case()) {
    case v1::Event::kDepositRequested:
    case v1::Event::kWithdrawalRequested:
    case v1::Event::kWagerSettled:
      return true;
    default:
      return false;
  }
}

// Events the player (or an agent for them) asks for; facts reported by
// providers and back-office jobs are not refused for the account's status.
bool IsRequest(const v1::Event& event) {
  switch (event.kind_case()) {
    case v1::Event::kContactChange:
    case v1::Event::kPasswordChange:
    case v1::Event::kPasswordResetRequest:
    case v1::Event::kLoginAttempt:
    case v1::Event::kFactorEnrolled:
    case v1::Event::kDepositRequested:
    case v1::Event::kWithdrawalRequested:
    case v1::Event::kWagerSettled:
    case v1::Event::kDepositLimitChange:
      return true;
    default:
      return false;
  }
}

// The kinds that satisfy a requirement: what its enrolled options offer, else
// what it accepts; never empty (a CHALLENGE needs at least one kind).
std::vector<v1::FactorKind> ChallengeKinds(const domain::RequirementCheck& check) {
  std::vector<v1::FactorKind> kinds;
  for (const domain::FactorOption& option : check.options) {
    kinds.insert(kinds.end(), option.kinds.begin(), option.kinds.end());
  }
  if (kinds.empty()) kinds = check.accepted_kinds;
  if (kinds.empty()) kinds = {v1::FACTOR_KIND_APP_APPROVAL, v1::FACTOR_KIND_TOTP};
  std::sort(kinds.begin(), kinds.end());
  kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
  return kinds;
}

std::string PlayBlockCode(domain::GamblingBlock block) {
  switch (block) {
    case domain::GamblingBlock::kSelfExcluded:
      return "SELF_EXCLUDED";
    case domain::GamblingBlock::kTimedOut:
      return "TIMED_OUT";
    case domain::GamblingBlock::kDepositLimit:
      return "DEPOSIT_LIMIT_REACHED";
    case domain::GamblingBlock::kAccountClosed:
      return "ACCOUNT_CLOSED";
    case domain::GamblingBlock::kNone:
      break;
  }
  return "";
}

// The latest of the changes that hold withdrawals (security.*_changed_at),
// with the hold it starts; nullopt when none is within its hold period. The
// sign-up password (password_changed_at == created_at) is not a change.
struct RecentChange {
  absl::Time at;
  absl::Duration hold;
  std::string what;
};

std::optional<RecentChange> LatestHoldingChange(const v1::Account& account,
                                                const SecurityOptions& security,
                                                absl::Time now) {
  std::optional<RecentChange> latest;
  auto consider = [&](const google::protobuf::Timestamp& when, absl::Duration hold,
                      absl::string_view what) {
    if (!domain::IsSet(when)) return;
    const absl::Time at = domain::FromProtoTime(when);
    if (at > now || now - at >= hold) return;
    if (!latest.has_value() || at > latest->at) latest = RecentChange{at, hold, std::string(what)};
  };
  const v1::Security& sec = account.security();
  consider(sec.email_changed_at(), security.withdrawal_hold_after_contact_change, "e-mail");
  consider(sec.phone_changed_at(), security.withdrawal_hold_after_contact_change, "phone");
  consider(sec.address_changed_at(), security.withdrawal_hold_after_contact_change,
           "address");
  const bool signup_password =
      domain::IsSet(account.created_at()) &&
      domain::FromProtoTime(sec.password_changed_at()) <=
          domain::FromProtoTime(account.created_at());
  if (!signup_password) {
    consider(sec.password_changed_at(), security.withdrawal_hold_after_password_change,
             "password");
  }
  return latest;
}

bool Contains(const std::vector<v1::FactorKind>& kinds, v1::FactorKind kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

}  // namespace

absl::StatusOr<EventChecker> EventChecker::Create(
    const v1::Policy& policy, const PolicyOptions& options,
    std::shared_ptr<const domain::NameMatcher> matcher) {
  if (matcher == nullptr) return absl::InvalidArgumentError("name matcher: is null");
  PITBOSS_ASSIGN_OR_RETURN(PaymentCatalog catalog, PaymentCatalog::Create(policy));
  return EventChecker(std::move(catalog), options, std::move(matcher));
}

absl::Status EventChecker::CheckPayment(const v1::Account& account, const v1::Event& event,
                                        v1::PaymentDirection direction, absl::Time now,
                                        EventChecks& checks) const {
  const bool deposit = direction == v1::PAYMENT_DIRECTION_DEPOSIT;
  const std::string field =
      deposit ? "event.deposit_requested" : "event.withdrawal_requested";
  const v1::Money& amount =
      deposit ? event.deposit_requested().amount() : event.withdrawal_requested().amount();
  PITBOSS_RETURN_IF_ERROR(domain::ValidatePositiveMoney(amount, field + ".amount"));
  PITBOSS_RETURN_IF_ERROR(
      domain::CheckCurrency(amount, account.profile().currency(), field + ".amount"));

  const v1::PaymentInstrument* instrument = nullptr;
  if (deposit && event.deposit_requested().has_new_instrument()) {
    instrument = &event.deposit_requested().new_instrument();
  } else {
    const std::string& id = deposit ? event.deposit_requested().instrument_id()
                                    : event.withdrawal_requested().instrument_id();
    const v1::PaymentInstrument* known = domain::FindInstrument(account, id);
    if (known != nullptr && known->status() != v1::INSTRUMENT_STATUS_ACTIVE) {
      // A blocked (e.g. charged back) or removed instrument: a refusal the
      // player can act on, not malformed input.
      checks.findings.push_back(
          Deny("INSTRUMENT_NOT_ACTIVE",
               absl::StrCat("The payment instrument is ",
                            v1::InstrumentStatus_Name(known->status()), ".")));
      checks.instrument_refused = true;
      return absl::OkStatus();
    }
    PITBOSS_ASSIGN_OR_RETURN(
        instrument, domain::RequireActiveInstrument(account, id, field + ".instrument_id"));
  }
  const v1::PaymentMethod* method = catalog_.FindMethod(*instrument);
  int64_t used_today = 0;
  if (method != nullptr) {
    PITBOSS_ASSIGN_OR_RETURN(used_today,
                             catalog_.UsedToday(account, method->method_id(), direction, now));
  }
  PITBOSS_ASSIGN_OR_RETURN(PaymentQuote quote,
                           catalog_.Quote(*instrument, direction, amount, used_today,
                                          account.strong_auth()));
  for (Finding& finding : PaymentFindings(quote)) {
    checks.findings.push_back(std::move(finding));
  }
  checks.quote = std::move(quote);
  return absl::OkStatus();
}

void EventChecker::CheckHoldAfterChange(const v1::Account& account, absl::Time now,
                                        EventChecks& checks) const {
  const std::optional<RecentChange> change =
      LatestHoldingChange(account, options_.security, now);
  if (!change.has_value()) return;
  std::vector<v1::FactorKind> release = options_.security.hold_release_factor_kinds;
  if (release.empty()) {
    release = {v1::FACTOR_KIND_SMS_OTP, v1::FACTOR_KIND_TOTP, v1::FACTOR_KIND_APP_APPROVAL};
  }
  // Re-verified since the change with a release factor (never over the phone).
  for (const v1::Verification& v : account.verifications()) {
    if (Contains(release, v.kind()) && v.channel() != v1::CHANNEL_PHONE &&
        domain::FromProtoTime(v.verified_at()) > change->at) {
      return;
    }
  }
  const std::string message =
      absl::StrCat("Withdrawals wait ", absl::FormatDuration(change->hold), " after a ",
                   change->what, " change unless re-verified with a possession factor.");
  Finding hold = DomainFinding("WITHDRAWAL_HOLD_AFTER_CHANGE", message);
  hold.action.mutable_hold();
  checks.findings.push_back(std::move(hold));
  // The factors that release it: those the account has enrolled (asking for
  // one it cannot receive helps no one); none enrolled -> the hold alone.
  std::vector<v1::FactorKind> enrolled;
  for (const v1::Factor& factor : account.factors()) {
    if (!domain::IsSet(factor.revoked_at()) && Contains(release, factor.kind()) &&
        !Contains(enrolled, factor.kind())) {
      enrolled.push_back(factor.kind());
    }
  }
  if (!enrolled.empty()) {
    std::sort(enrolled.begin(), enrolled.end());
    checks.findings.push_back(Challenge(
        "VERIFY_TO_RELEASE_HOLD",
        "Verifying one of these factors releases the hold.", enrolled));
  }
  checks.withdrawal_needs_verification = true;
}

absl::Status EventChecker::CheckRequirement(const v1::Account& account,
                                            const v1::Event& event, absl::Time now,
                                            EventChecks& checks) const {
  const std::optional<domain::SensitiveAction> action =
      domain::SensitiveActionForEvent(event);
  if (!action.has_value()) return absl::OkStatus();
  PITBOSS_ASSIGN_OR_RETURN(domain::ActionRequirement requirement,
                           domain::FindRequirement(options_.action_requirements, *action));
  PITBOSS_ASSIGN_OR_RETURN(
      domain::RequirementCheck check,
      domain::CheckActionRequirement(account, requirement, now, options_.assurance));
  if (check.satisfied) return absl::OkStatus();
  checks.findings.push_back(Challenge(
      "VERIFICATION_REQUIRED",
      absl::StrCat(domain::SensitiveActionName(*action), " needs a fresh verification: ",
                   absl::StrJoin(check.unmet, "; ")),
      ChallengeKinds(check)));
  if (event.has_withdrawal_requested()) checks.withdrawal_needs_verification = true;
  return absl::OkStatus();
}

absl::StatusOr<EventChecks> EventChecker::Check(const v1::Account& account,
                                                const v1::Event& event,
                                                const v1::Features& features,
                                                absl::Time now) const {
  EventChecks checks;
  if (IsRequest(event) && account.status() == v1::ACCOUNT_STATUS_CLOSED) {
    checks.findings.push_back(Deny("ACCOUNT_CLOSED", "The account is closed."));
    return checks;
  }
  if (IsPaymentOrPlay(event) && account.status() == v1::ACCOUNT_STATUS_SUSPENDED) {
    checks.findings.push_back(Deny(
        "ACCOUNT_SUSPENDED", "The account is on a security hold; only security lifts it."));
    return checks;
  }

  switch (event.kind_case()) {
    case v1::Event::kDepositRequested: {
      PITBOSS_RETURN_IF_ERROR(domain::ValidatePositiveMoney(
          event.deposit_requested().amount(), "event.deposit_requested.amount"));
      PITBOSS_ASSIGN_OR_RETURN(
          domain::DepositAllowance allowance,
          domain::CheckDepositAllowed(account, event.deposit_requested().amount(), now));
      if (allowance.block != domain::GamblingBlock::kNone) {
        checks.findings.push_back(Deny(PlayBlockCode(allowance.block), allowance.reason));
        return checks;
      }
      PITBOSS_RETURN_IF_ERROR(
          CheckPayment(account, event, v1::PAYMENT_DIRECTION_DEPOSIT, now, checks));
      if (checks.instrument_refused) return checks;
      PITBOSS_ASSIGN_OR_RETURN(KycGateResult kyc,
                               CheckKycGates(account, event, features, options_.kyc));
      for (Finding& finding : kyc.findings) checks.findings.push_back(std::move(finding));
      checks.edd_newly_required = kyc.edd_newly_required;
      break;
    }
    case v1::Event::kWithdrawalRequested: {
      const v1::Money& amount = event.withdrawal_requested().amount();
      PITBOSS_RETURN_IF_ERROR(
          CheckPayment(account, event, v1::PAYMENT_DIRECTION_WITHDRAWAL, now, checks));
      if (checks.instrument_refused) return checks;
      if (account.balances().cash().minor_units() < amount.minor_units()) {
        checks.findings.push_back(
            Deny("INSUFFICIENT_FUNDS",
                 absl::StrCat("Cash ", domain::FormatMoney(account.balances().cash()),
                              " does not cover ", domain::FormatMoney(amount), ".")));
        return checks;
      }
      PITBOSS_ASSIGN_OR_RETURN(KycGateResult kyc,
                               CheckKycGates(account, event, features, options_.kyc));
      if (!kyc.findings.empty()) checks.withdrawal_needs_verification = true;
      for (Finding& finding : kyc.findings) checks.findings.push_back(std::move(finding));
      CheckHoldAfterChange(account, now, checks);
      PITBOSS_RETURN_IF_ERROR(CheckRequirement(account, event, now, checks));
      break;
    }
    case v1::Event::kWagerSettled: {
      const domain::GamblingBlock block = domain::PlayBlock(account, now);
      if (block != domain::GamblingBlock::kNone &&
          block != domain::GamblingBlock::kDepositLimit) {
        checks.findings.push_back(
            Deny(PlayBlockCode(block), "The account may not play now."));
        return checks;
      }
      PITBOSS_ASSIGN_OR_RETURN(KycGateResult kyc,
                               CheckKycGates(account, event, features, options_.kyc));
      for (Finding& finding : kyc.findings) checks.findings.push_back(std::move(finding));
      break;
    }
    case v1::Event::kPasswordResetRequest: {
      const v1::PasswordResetMethod method = event.password_reset_request().method();
      if (event.channel() == v1::CHANNEL_PHONE ||
          method == v1::PASSWORD_RESET_METHOD_AGENT_ASSISTED) {
        checks.findings.push_back(Deny(
            "PASSWORD_RESET_CHANNEL_REFUSED",
            "A password is never reset over the phone; send the player an e-mail reset "
            "link or an app approval instead."));
        return checks;
      }
      PITBOSS_RETURN_IF_ERROR(CheckRequirement(account, event, now, checks));
      break;
    }
    case v1::Event::kWithdrawalReviewed:
      // Least privilege: only a payments officer approves or rejects a held
      // withdrawal.
      if (!domain::RoleMayPerform(event.agent().role(),
                                  v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL)) {
        checks.findings.push_back(Deny(
            "ROLE_NOT_PERMITTED", "Only a payments officer reviews held withdrawals."));
      }
      break;
    case v1::Event::kContactChange:
    case v1::Event::kPasswordChange:
    case v1::Event::kFactorEnrolled:
      PITBOSS_RETURN_IF_ERROR(CheckRequirement(account, event, now, checks));
      break;
    case v1::Event::kLoginAttempt: {
      PITBOSS_ASSIGN_OR_RETURN(
          domain::LoginAttemptResult login,
          domain::PreviewLoginAttempt(account, event, options_.lockout, now));
      if (login.outcome == domain::LoginOutcome::kRefusedLocked) {
        checks.findings.push_back(Deny(
            "ACCOUNT_LOCKED", login.state.hard_locked
                                  ? "Logins are refused: too many consecutive failures; "
                                    "a password reset or security must clear it."
                                  : "Logins are refused until the lockout ends."));
      }
      break;
    }
    case v1::Event::kSupportCall:
    case v1::Event::kSupportActionRequest:
    case v1::Event::kSecurityReport: {
      domain::SupportOptions options;
      options.assurance = options_.assurance;
      options.requirements = options_.action_requirements;
      PITBOSS_ASSIGN_OR_RETURN(
          domain::SupportVerdict verdict,
          domain::EvaluateSupportEvent(account, event, *matcher_, now, options));
      // Once escalated the call is refused by the ESCALATE itself (security
      // takes over); a separate DENY would outrank it and hide the case.
      if (event.has_support_action_request() && !verdict.requested_allowed &&
          !verdict.escalate_to_security) {
        checks.findings.push_back(
            Deny("SUPPORT_ACTION_NOT_PERMITTED",
                 verdict.refusals.empty()
                     ? "The agent may not take this action now."
                     : absl::StrJoin(verdict.refusals, "; ")));
      }
      if (verdict.escalate_to_security) {
        checks.findings.push_back(
            Escalate("SECURITY_ESCALATION",
                     verdict.escalation_reasons.empty()
                         ? "Handed to the security team."
                         : absl::StrJoin(verdict.escalation_reasons, "; ")));
      }
      checks.support = std::move(verdict);
      break;
    }
    default:
      break;
  }
  return checks;
}

}  // namespace engine
}  // namespace pitboss
