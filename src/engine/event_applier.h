// Applying a decided event to the account: what each outcome does to the
// deposit and withdrawal state machines, the ledger, security and support
// state, and the cases the decision opens.
//
// Requests (the player or an agent asks) happen only as far as the outcome lets
// them; facts (a provider, a KYC vendor or the back office reports what
// happened) are always recorded:
//
//   deposit_requested     created INITIATED, then DENY/ESCALATE -> DECLINED (the
//                         attempt is recorded: card-testing velocity; nothing
//                         on a CLOSED account or with an inactive instrument); ALLOW, HOLD, REVIEW -> PENDING
//                         (AWAITING_AUTHENTICATION when the catalog asks for
//                         3-D Secure): a deposit cannot be parked, no event
//                         releases one, so a REVIEW lets it through and opens
//                         its case; CHALLENGE -> AWAITING_AUTHENTICATION.
//   withdrawal_requested  DENY/ESCALATE: nothing. Otherwise created REQUESTED (cash
//                         -> reserved), then ALLOW -> APPROVED; CHALLENGE, or a
//                         HOLD for KYC documents or with factors to verify ->
//                         PENDING_VERIFICATION; other HOLD/REVIEW -> PENDING_REVIEW.
//   other requests        (contact/password change, reset request, factor
//                         enrolment, cancellation, review, wager, support action)
//                         applied only when ALLOW.
//   facts                 (deposit authenticated/settled/reversed, withdrawal sent/
//                         paid/failed, login attempts, verifications, KYC, limit
//                         changes, time-outs, self-exclusions, support calls and
//                         security reports) always applied; a player's own
//                         responsible-gambling choices are never refused.
// Then: a chargeback that leaves cash negative restricts the account
// (NEGATIVE_BALANCE); ESCALATE and REVIEW open a case with the decision's case
// id and the kind CaseKindFor names (ESCALATE also puts a security hold on the
// account); enhanced due diligence newly required is recorded.
//
// Each step is an applied domain change; the engine folds them into one
// version step per event. On error the account is unchanged.
#ifndef PITBOSS_SRC_ENGINE_EVENT_APPLIER_H_
#define PITBOSS_SRC_ENGINE_EVENT_APPLIER_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/decision.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/engine/decision_combiner.h"
#include "src/engine/event_checks.h"
#include "src/engine/payment_terms.h"
#include "src/engine/policy_options.h"

namespace pitboss {
namespace engine {

// True for events that report facts (always applied).
bool IsFactEvent(const v1::Event& event);

// The kind of the case an ESCALATE / REVIEW decision opens: the case_kind of
// the first fired ENFORCE finding (domain checks, then rules in policy order)
// whose action is an escalate (ESCALATE) or a review (REVIEW); defaults
// SECURITY / FRAUD_REVIEW (also for a score threshold's outcome).
v1::CaseKind CaseKindFor(absl::Span<const Finding> findings, const v1::Decision& decision);

absl::Status ApplyDecidedEvent(v1::Account* account, const v1::Event& event,
                               const EventChecks& checks, const v1::Decision& decision,
                               v1::CaseKind case_kind, const PaymentCatalog& catalog,
                               const PolicyOptions& options, absl::Time now);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_EVENT_APPLIER_H_
