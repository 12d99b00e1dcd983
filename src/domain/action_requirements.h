// Per-action authentication requirements: what a player must have proved, how
// recently and over which channels, before a sensitive action may happen.
//
// A requirement has a minimum assurance level (assurance.h), a freshness window,
// channels whose verifications never count, and the factor kinds it accepts. A
// verification QUALIFIES for an action when its kind is accepted, its channel
// is not forbidden and it is younger than the freshness window; the action is
// allowed when the assurance level computed from the qualifying verifications
// alone reaches the minimum. When it does not, the check lists the enrolled
// factors which, verified now, would satisfy it (one factor if one suffices,
// otherwise pairs), so the caller can challenge for exactly those.
//
// "Never by phone alone": verifications over a forbidden channel do not
// qualify, so a password reset requested during a call still needs a fresh
// EMAIL_LINK or APP_APPROVAL, i.e. proof through a channel other than the call.
//
// Default table (DefaultActionRequirements(); every entry is data and can be
// replaced by the policy):
//
//   action                 min  fresh  forbidden   accepted kinds
//   PASSWORD_CHANGE        L2   1 h    PHONE       all but PHONE_KBV, SECURITY_QUESTION
//   PASSWORD_RESET         L1   1 h    PHONE       EMAIL_LINK, APP_APPROVAL
//   CONTACT_CHANGE         L2   1 h    PHONE       all but PHONE_KBV, SECURITY_QUESTION
//   FACTOR_ENROLLMENT      L1   1 h    PHONE       all but PHONE_KBV, SECURITY_QUESTION
//   FACTOR_REMOVAL         L2   1 h    PHONE       all but PHONE_KBV, SECURITY_QUESTION
//   ADD_PAYMENT_INSTRUMENT L1   12 h   PHONE       all but PHONE_KBV, SECURITY_QUESTION
//   WITHDRAWAL             L1   12 h   PHONE       all but PHONE_KBV, SECURITY_QUESTION
//
// (Contact and password changes need a verification at most 1 h old: NIST SP
// 800-63B / Ory Kratos privileged sessions; a password reset goes to an e-mail
// link or app approval, never the phone: the source guide, Part 3.)
#ifndef PITBOSS_SRC_DOMAIN_ACTION_REQUIREMENTS_H_
#define PITBOSS_SRC_DOMAIN_ACTION_REQUIREMENTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/assurance.h"

namespace pitboss {
namespace domain {

enum class SensitiveAction {
  kPasswordChange,
  kPasswordReset,
  kContactChange,
  kFactorEnrollment,
  kFactorRemoval,
  kAddPaymentInstrument,
  kWithdrawal,
};

// "PASSWORD_CHANGE", "PASSWORD_RESET", ...
absl::string_view SensitiveActionName(SensitiveAction action);

// The sensitive action an event asks for, if any: password change / reset
// request, contact change, factor enrolment, withdrawal request, a deposit
// with a new instrument, and the support actions RESET_PASSWORD and
// CHANGE_CONTACT. A password change without the current password
// (current_password_verified false) completes a reset: PASSWORD_RESET.
std::optional<SensitiveAction> SensitiveActionForEvent(const v1::Event& event);

struct ActionRequirement {
  SensitiveAction action = SensitiveAction::kWithdrawal;
  AssuranceLevel min_level = AssuranceLevel::kL1;
  // Only verifications younger than this qualify (strictly).
  absl::Duration freshness = absl::Hours(12);
  // Verifications over these channels never qualify.
  std::vector<v1::Channel> forbidden_channels;
  // Only these kinds qualify; empty: every kind.
  std::vector<v1::FactorKind> accepted_kinds;
};

// The table above, one entry per SensitiveAction, in enum order.
const std::vector<ActionRequirement>& DefaultActionRequirements();

// The entry for `action` in `table`; NOT_FOUND when absent.
absl::StatusOr<ActionRequirement> FindRequirement(
    absl::Span<const ActionRequirement> table, SensitiveAction action);

// Validates a table: known enums, positive finite freshness, min level at
// least L1, no duplicate action. INVALID_ARGUMENT naming "requirements[i]".
absl::Status ValidateActionRequirements(absl::Span<const ActionRequirement> table);

// One way to satisfy a requirement: verify these enrolled factors now.
struct FactorOption {
  std::vector<std::string> factor_ids;
  std::vector<v1::FactorKind> kinds;
};

struct RequirementCheck {
  bool satisfied = false;
  // The level reached with the qualifying verifications.
  AssuranceLevel level = AssuranceLevel::kNone;
  AssuranceLevel required_level = AssuranceLevel::kL1;
  // Why it is not satisfied, in words (empty when satisfied).
  std::vector<std::string> unmet;
  // Enrolled, unrevoked factors which, verified now, satisfy it: single
  // factors when one suffices, otherwise pairs. Empty when satisfied, or when
  // no enrolled factor can: then the player must enrol one of accepted_kinds
  // (reachable over a non-forbidden channel).
  std::vector<FactorOption> options;
  std::vector<v1::FactorKind> accepted_kinds;
};

// Checks `requirement` against the account's verifications and enrolled
// factors at `now`. Errors name "account.verifications[i]",
// "account.factors[i]" and so on; the account is const.
absl::StatusOr<RequirementCheck> CheckActionRequirement(
    const v1::Account& account, const ActionRequirement& requirement, absl::Time now,
    const AssuranceOptions& options);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_ACTION_REQUIREMENTS_H_
