// Policy options: the policy's numbers turned into the option structs the
// domain core takes (src/domain/{limits,lockout,assurance,action_requirements,
// fees}.h), with defaults filled in.
//
// A zero/unset setting in the Policy means "the default": the defaults are the
// domain's own (LimitsOptions{}, LockoutOptions{}, AssuranceOptions{},
// DefaultActionRequirements()) plus the engine's KYC and security defaults
// below (DESIGN.md's reference numbers). So an operator writes only what they
// change, and the engine and the domain never disagree about a default.
#ifndef PITBOSS_SRC_ENGINE_POLICY_OPTIONS_H_
#define PITBOSS_SRC_ENGINE_POLICY_OPTIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "pitboss/v1/policy.pb.h"
#include "src/domain/action_requirements.h"
#include "src/domain/assurance.h"
#include "src/domain/fees.h"
#include "src/domain/limits.h"
#include "src/domain/lockout.h"

namespace pitboss {
namespace engine {

inline constexpr absl::Duration kDefaultWithdrawalHoldAfterChange = absl::Hours(48);

struct KycOptions {
  v1::KycLevel withdrawal_min_level = v1::KYC_LEVEL_DOCUMENTS_VERIFIED;
  bool kyc_before_play = false;
  v1::KycLevel play_min_level = v1::KYC_LEVEL_BASIC;
  // Per currency (ISO 4217 code -> minor units); absent currency: no threshold.
  std::vector<v1::Money> enhanced_due_diligence_thresholds;
  std::vector<v1::Money> vulnerability_review_thresholds;
};

struct SecurityOptions {
  absl::Duration withdrawal_hold_after_contact_change = kDefaultWithdrawalHoldAfterChange;
  absl::Duration withdrawal_hold_after_password_change = kDefaultWithdrawalHoldAfterChange;
  // Default: the possession factors TOTP, APP_APPROVAL, SMS_OTP.
  std::vector<v1::FactorKind> hold_release_factor_kinds;
};

// Everything numeric in a policy, resolved.
struct PolicyOptions {
  domain::LimitsOptions limits;
  domain::LockoutOptions lockout;
  domain::AssuranceOptions assurance;
  // One entry per domain::SensitiveAction: the policy's where it has one,
  // otherwise the domain default.
  std::vector<domain::ActionRequirement> action_requirements;
  KycOptions kyc;
  SecurityOptions security;
};

// google.protobuf.Duration -> absl::Duration. INVALID_ARGUMENT naming `field`
// when out of the Duration range or with inconsistent signs.
absl::StatusOr<absl::Duration> ToDuration(const google::protobuf::Duration& duration,
                                          absl::string_view field);

// SENSITIVE_ACTION_* <-> domain::SensitiveAction (UNSPECIFIED or unknown:
// nullopt).
std::optional<domain::SensitiveAction> ToDomainAction(v1::SensitiveAction action);
v1::SensitiveAction ToProtoAction(domain::SensitiveAction action);

// ASSURANCE_LEVEL_* -> domain::AssuranceLevel (UNSPECIFIED or unknown: nullopt).
std::optional<domain::AssuranceLevel> ToDomainLevel(v1::AssuranceLevel level);

domain::FeeSchedule ToFeeSchedule(const v1::FeeSchedule& fee);

// Resolves the policy's options with defaults and checks them with the
// domain's validators. Errors name the policy field ("security.lockout...",
// "action_requirements[1].freshness").
absl::StatusOr<PolicyOptions> ResolvePolicyOptions(const v1::Policy& policy);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_POLICY_OPTIONS_H_
