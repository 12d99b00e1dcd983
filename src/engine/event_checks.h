// Built-in domain checks: what the domain core says about an event before any
// policy rule runs, as DOMAIN findings for the decision combiner.
//
//   any player event    account CLOSED -> DENY ACCOUNT_CLOSED; SUSPENDED (security
//                       hold) -> DENY ACCOUNT_SUSPENDED for payments and play
//   deposits and withdrawals  a registered instrument that is not ACTIVE ->
//                       DENY INSTRUMENT_NOT_ACTIVE (an unknown one is NOT_FOUND)
//   deposit_requested   self-exclusion / time-out / deposit limit -> DENY
//                       (SELF_EXCLUDED, TIMED_OUT, DEPOSIT_LIMIT_REACHED); the
//                       payment catalog (payment_terms.h): refusal -> DENY, a
//                       FACTOR step-up -> CHALLENGE, 3-D Secure -> the deposit
//                       waits in AWAITING_AUTHENTICATION; KYC gates (kyc_gates.h)
//   withdrawal_requested  cash short -> DENY INSUFFICIENT_FUNDS; payment
//                       catalog; KYC gates (HOLD -> PENDING_VERIFICATION); within
//                       security.withdrawal_hold_after_{contact,password}_change
//                       of a change and not re-verified since with a
//                       hold_release_factor_kind -> HOLD
//                       WITHDRAWAL_HOLD_AFTER_CHANGE + CHALLENGE (the enrolled
//                       release factors); the policy's verification
//                       requirement -> CHALLENGE
//   wager_settled       play blocked (self-excluded, timed out) -> DENY
//   password_reset_request  by phone or agent-assisted -> DENY
//                       PASSWORD_RESET_CHANNEL_REFUSED, routed to an e-mail link
//                       or app approval; otherwise the requirement check
//   contact/password change, factor enrolment  requirement unmet -> CHALLENGE
//   login_attempt       refused while locked -> DENY ACCOUNT_LOCKED
//   support_call / support_action_request / security_report  the support
//                       verdict (support_call.h): disclosure tier and allowed
//                       actions; escalation -> ESCALATE (which refuses the
//                       action by itself); otherwise a refused action -> DENY
//                       SUPPORT_ACTION_NOT_PERMITTED
// Events that report facts (provider callbacks, KYC results, settlements) get
// no findings: they happened, and the engine records them.
// Pure; errors (INVALID_ARGUMENT naming the field) only for malformed input.
#ifndef PITBOSS_SRC_ENGINE_EVENT_CHECKS_H_
#define PITBOSS_SRC_ENGINE_EVENT_CHECKS_H_

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/features.pb.h"
#include "pitboss/v1/policy.pb.h"
#include "src/domain/name_match.h"
#include "src/domain/support_call.h"
#include "src/engine/decision_combiner.h"
#include "src/engine/payment_terms.h"
#include "src/engine/policy_options.h"

namespace pitboss {
namespace engine {

struct EventChecks {
  std::vector<Finding> findings;
  // Deposits and withdrawals: the catalog's quote (fee, step-up).
  std::optional<PaymentQuote> quote;
  // The withdrawal must wait for KYC documents or a step-up
  // (PENDING_VERIFICATION) rather than a review.
  bool withdrawal_needs_verification = false;
  // The payment's registered instrument is blocked or removed (DENY
  // INSTRUMENT_NOT_ACTIVE): nothing can be created with it.
  bool instrument_refused = false;
  // Enhanced due diligence becomes required with this event.
  bool edd_newly_required = false;
  // Support events: the verdict (tier, allowed actions, escalation).
  std::optional<domain::SupportVerdict> support;
};

class EventChecker {
 public:
  static absl::StatusOr<EventChecker> Create(const v1::Policy& policy,
                                             const PolicyOptions& options,
                                             std::shared_ptr<const domain::NameMatcher> matcher);

  absl::StatusOr<EventChecks> Check(const v1::Account& account, const v1::Event& event,
                                    const v1::Features& features, absl::Time now) const;

  const PaymentCatalog& catalog() const { return catalog_; }

 private:
  EventChecker(PaymentCatalog catalog, PolicyOptions options,
               std::shared_ptr<const domain::NameMatcher> matcher)
      : catalog_(std::move(catalog)), options_(std::move(options)),
        matcher_(std::move(matcher)) {}

  absl::Status CheckPayment(const v1::Account& account, const v1::Event& event,
                            v1::PaymentDirection direction, absl::Time now,
                            EventChecks& checks) const;
  // A withdrawal within the policy's hold after a contact or password change,
  // not re-verified since with a release factor: HOLD
  // WITHDRAWAL_HOLD_AFTER_CHANGE plus a CHALLENGE naming the release factors
  // the account has enrolled.
  void CheckHoldAfterChange(const v1::Account& account, absl::Time now,
                            EventChecks& checks) const;
  absl::Status CheckRequirement(const v1::Account& account, const v1::Event& event,
                                absl::Time now, EventChecks& checks) const;

  PaymentCatalog catalog_;
  PolicyOptions options_;
  std::shared_ptr<const domain::NameMatcher> matcher_;
};

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_EVENT_CHECKS_H_
