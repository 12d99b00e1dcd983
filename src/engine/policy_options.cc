// Policy options (see the header).
#include "src/engine/policy_options.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace engine {
namespace {

// google/protobuf/duration.proto: +-10,000 years.
constexpr int64_t kMaxDurationSeconds = 315'576'000'000;

// Prefixes a domain validator's message with the policy field it concerns.
absl::Status Prefixed(const absl::Status& status, absl::string_view field) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(field, ": ", status.message()));
}

absl::StatusOr<absl::Duration> DurationOr(const google::protobuf::Duration& duration,
                                          absl::Duration fallback,
                                          absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(absl::Duration value, ToDuration(duration, field));
  return value == absl::ZeroDuration() ? fallback : value;
}

}  // namespace

absl::StatusOr<absl::Duration> ToDuration(const google::protobuf::Duration& duration,
                                          absl::string_view field) {
  const int64_t seconds = duration.seconds();
  const int32_t nanos = duration.nanos();
  if (seconds < -kMaxDurationSeconds || seconds > kMaxDurationSeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", seconds, " s is outside the Duration range"));
  }
  if (nanos <= -1'000'000'000 || nanos >= 1'000'000'000) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".nanos: ", nanos, " out of range"));
  }
  if ((seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": seconds and nanos have different signs"));
  }
  return absl::Seconds(seconds) + absl::Nanoseconds(nanos);
}

std::optional<domain::SensitiveAction> ToDomainAction(v1::SensitiveAction action) {
  switch (action) {
    case v1::SENSITIVE_ACTION_PASSWORD_CHANGE:
      return domain::SensitiveAction::kPasswordChange;
    case v1::SENSITIVE_ACTION_PASSWORD_RESET:
      return domain::SensitiveAction::kPasswordReset;
    case v1::SENSITIVE_ACTION_CONTACT_CHANGE:
      return domain::SensitiveAction::kContactChange;
    case v1::SENSITIVE_ACTION_FACTOR_ENROLLMENT:
      return domain::SensitiveAction::kFactorEnrollment;
    case v1::SENSITIVE_ACTION_FACTOR_REMOVAL:
      return domain::SensitiveAction::kFactorRemoval;
    case v1::SENSITIVE_ACTION_ADD_PAYMENT_INSTRUMENT:
      return domain::SensitiveAction::kAddPaymentInstrument;
    case v1::SENSITIVE_ACTION_WITHDRAWAL:
      return domain::SensitiveAction::kWithdrawal;
    default:
      return std::nullopt;
  }
}

v1::SensitiveAction ToProtoAction(domain::SensitiveAction action) {
  switch (action) {
    case domain::SensitiveAction::kPasswordChange:
      return v1::SENSITIVE_ACTION_PASSWORD_CHANGE;
    case domain::SensitiveAction::kPasswordReset:
      return v1::SENSITIVE_ACTION_PASSWORD_RESET;
    case domain::SensitiveAction::kContactChange:
      return v1::SENSITIVE_ACTION_CONTACT_CHANGE;
    case domain::SensitiveAction::kFactorEnrollment:
      return v1::SENSITIVE_ACTION_FACTOR_ENROLLMENT;
    case domain::SensitiveAction::kFactorRemoval:
      return v1::SENSITIVE_ACTION_FACTOR_REMOVAL;
    case domain::SensitiveAction::kAddPaymentInstrument:
      return v1::SENSITIVE_ACTION_ADD_PAYMENT_INSTRUMENT;
    case domain::SensitiveAction::kWithdrawal:
      return v1::SENSITIVE_ACTION_WITHDRAWAL;
  }
  return v1::SENSITIVE_ACTION_UNSPECIFIED;
}

std::optional<domain::AssuranceLevel> ToDomainLevel(v1::AssuranceLevel level) {
  switch (level) {
    case v1::ASSURANCE_LEVEL_NONE:
      return domain::AssuranceLevel::kNone;
    case v1::ASSURANCE_LEVEL_L1:
      return domain::AssuranceLevel::kL1;
    case v1::ASSURANCE_LEVEL_L2:
      return domain::AssuranceLevel::kL2;
    default:
      return std::nullopt;
  }
}

domain::FeeSchedule ToFeeSchedule(const v1::FeeSchedule& fee) {
  domain::FeeSchedule schedule;
  schedule.fixed_minor_units = fee.fixed_minor_units();
  schedule.basis_points = fee.basis_points();
  schedule.minimum_minor_units = fee.minimum_minor_units();
  schedule.maximum_minor_units = fee.maximum_minor_units();
  return schedule;
}

absl::StatusOr<PolicyOptions> ResolvePolicyOptions(const v1::Policy& policy) {
  PolicyOptions options;

  // Responsible gambling.
  const v1::ResponsibleGamblingPolicy& rg = policy.responsible_gambling();
  PITBOSS_ASSIGN_OR_RETURN(
      options.limits.cooling_off,
      DurationOr(rg.limit_increase_cooling_off(), options.limits.cooling_off,
                 "responsible_gambling.limit_increase_cooling_off"));
  if (rg.minimum_self_exclusion_months() != 0) {
    options.limits.minimum_self_exclusion_months = rg.minimum_self_exclusion_months();
  }
  if (rg.minimum_time_out_hours() != 0) {
    options.limits.minimum_time_out_hours = rg.minimum_time_out_hours();
  }
  if (rg.maximum_time_out_hours() != 0) {
    options.limits.maximum_time_out_hours = rg.maximum_time_out_hours();
  }
  PITBOSS_RETURN_IF_ERROR(
      Prefixed(domain::ValidateLimitsOptions(options.limits), "responsible_gambling"));

  // Security: lockout, assurance, withdrawal holds.
  const v1::SecurityPolicy& security = policy.security();
  const v1::LockoutPolicy& lockout = security.lockout();
  if (lockout.max_failures_in_window() != 0) {
    options.lockout.max_failures_in_window = lockout.max_failures_in_window();
  }
  PITBOSS_ASSIGN_OR_RETURN(options.lockout.window,
                           DurationOr(lockout.window(), options.lockout.window,
                                      "security.lockout.window"));
  PITBOSS_ASSIGN_OR_RETURN(
      options.lockout.lockout_duration,
      DurationOr(lockout.lockout_duration(), options.lockout.lockout_duration,
                 "security.lockout.lockout_duration"));
  if (lockout.hard_lock_consecutive_failures() != 0) {
    options.lockout.hard_lock_consecutive_failures = lockout.hard_lock_consecutive_failures();
  }
  PITBOSS_RETURN_IF_ERROR(
      Prefixed(domain::ValidateLockoutOptions(options.lockout), "security.lockout"));

  const v1::AssurancePolicy& assurance = security.assurance();
  PITBOSS_ASSIGN_OR_RETURN(options.assurance.l1_max_age,
                           DurationOr(assurance.l1_max_age(), options.assurance.l1_max_age,
                                      "security.assurance.l1_max_age"));
  PITBOSS_ASSIGN_OR_RETURN(
      options.assurance.l1_idle_timeout,
      DurationOr(assurance.l1_idle_timeout(), options.assurance.l1_idle_timeout,
                 "security.assurance.l1_idle_timeout"));
  PITBOSS_ASSIGN_OR_RETURN(options.assurance.l2_max_age,
                           DurationOr(assurance.l2_max_age(), options.assurance.l2_max_age,
                                      "security.assurance.l2_max_age"));
  PITBOSS_ASSIGN_OR_RETURN(
      options.assurance.l2_idle_timeout,
      DurationOr(assurance.l2_idle_timeout(), options.assurance.l2_idle_timeout,
                 "security.assurance.l2_idle_timeout"));
  PITBOSS_RETURN_IF_ERROR(Prefixed(domain::ValidateAssuranceOptions(options.assurance),
                                   "security.assurance"));

  PITBOSS_ASSIGN_OR_RETURN(
      options.security.withdrawal_hold_after_contact_change,
      DurationOr(security.withdrawal_hold_after_contact_change(),
                 kDefaultWithdrawalHoldAfterChange,
                 "security.withdrawal_hold_after_contact_change"));
  PITBOSS_ASSIGN_OR_RETURN(
      options.security.withdrawal_hold_after_password_change,
      DurationOr(security.withdrawal_hold_after_password_change(),
                 kDefaultWithdrawalHoldAfterChange,
                 "security.withdrawal_hold_after_password_change"));
  if (security.hold_release_factor_kinds().empty()) {
    options.security.hold_release_factor_kinds = {
        v1::FACTOR_KIND_SMS_OTP, v1::FACTOR_KIND_TOTP, v1::FACTOR_KIND_APP_APPROVAL};
  } else {
    for (int kind : security.hold_release_factor_kinds()) {
      options.security.hold_release_factor_kinds.push_back(
          static_cast<v1::FactorKind>(kind));
    }
  }

  // Per-action requirements: the domain defaults, replaced entry by entry.
  options.action_requirements = domain::DefaultActionRequirements();
  for (int i = 0; i < policy.action_requirements_size(); ++i) {
    const v1::ActionRequirement& entry = policy.action_requirements(i);
    const std::string field = absl::StrCat("action_requirements[", i, "]");
    std::optional<domain::SensitiveAction> action = ToDomainAction(entry.action());
    if (!action.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".action: unspecified or unknown"));
    }
    std::optional<domain::AssuranceLevel> level = ToDomainLevel(entry.min_level());
    if (!level.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".min_level: unspecified or unknown"));
    }
    domain::ActionRequirement requirement;
    requirement.action = *action;
    requirement.min_level = *level;
    PITBOSS_ASSIGN_OR_RETURN(requirement.freshness,
                             ToDuration(entry.freshness(), absl::StrCat(field, ".freshness")));
    for (int channel : entry.forbidden_channels()) {
      requirement.forbidden_channels.push_back(static_cast<v1::Channel>(channel));
    }
    for (int kind : entry.accepted_factor_kinds()) {
      requirement.accepted_kinds.push_back(static_cast<v1::FactorKind>(kind));
    }
    PITBOSS_RETURN_IF_ERROR(Prefixed(
        domain::ValidateActionRequirements(absl::MakeConstSpan(&requirement, 1)), field));
    for (domain::ActionRequirement& slot : options.action_requirements) {
      if (slot.action == requirement.action) slot = requirement;
    }
  }
  PITBOSS_RETURN_IF_ERROR(Prefixed(
      domain::ValidateActionRequirements(options.action_requirements), "action_requirements"));

  // KYC gates.
  const v1::KycGates& kyc = policy.kyc();
  if (kyc.withdrawal_min_level() != v1::KYC_LEVEL_UNSPECIFIED) {
    options.kyc.withdrawal_min_level = kyc.withdrawal_min_level();
  }
  options.kyc.kyc_before_play = kyc.kyc_before_play();
  if (kyc.play_min_level() != v1::KYC_LEVEL_UNSPECIFIED) {
    options.kyc.play_min_level = kyc.play_min_level();
  }
  options.kyc.enhanced_due_diligence_thresholds.assign(
      kyc.enhanced_due_diligence_thresholds().begin(),
      kyc.enhanced_due_diligence_thresholds().end());
  options.kyc.vulnerability_review_thresholds.assign(
      kyc.vulnerability_review_thresholds().begin(),
      kyc.vulnerability_review_thresholds().end());
  return options;
}

}  // namespace engine
}  // namespace pitboss
