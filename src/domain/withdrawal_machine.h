// The withdrawal state machine: ONE transition table, and the operations that
// move a withdrawal through it.
//
//   (new) -> REQUESTED -> PENDING_VERIFICATION <-> PENDING_REVIEW -> APPROVED
//            -> PROCESSING -> PAID -> RETURNED
//   REJECTED (review) and CANCELLED (player) from any state before PROCESSING;
//   FAILED (provider) from PROCESSING.
//
// WithdrawalTransitionTable() is the only definition of which moves exist; the
// engine, the `pitboss explain` diagram and the tests read it. Any move not in
// the table is refused with FAILED_PRECONDITION naming both states and the
// allowed targets; the account is left unchanged.
//
// Money (DESIGN.md): the requested amount moves from cash to reserved at
// REQUESTED (refused when cash does not cover it, so a withdrawal never makes
// cash negative); it leaves the account at PAID (the provider pays amount - fee);
// it returns to cash at REJECTED, CANCELLED and FAILED; a payout the provider
// reports failed after PAID is RETURNED and the amount goes back to cash.
// Every operation is one applied change: version + 1 on success, nothing
// changed on error.
#ifndef PITBOSS_SRC_DOMAIN_WITHDRAWAL_MACHINE_H_
#define PITBOSS_SRC_DOMAIN_WITHDRAWAL_MACHINE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/balance_effect.h"
#include "src/domain/fees.h"

namespace pitboss {
namespace domain {

struct WithdrawalTransition {
  // WITHDRAWAL_STATE_UNSPECIFIED: the withdrawal does not exist yet (creation).
  v1::WithdrawalState from;
  v1::WithdrawalState to;
  BalanceEffect effect;
  absl::string_view trigger;
};

// Every legal move, in a stable order.
absl::Span<const WithdrawalTransition> WithdrawalTransitionTable();

// The table row for from -> to, or nullptr when the move is illegal.
const WithdrawalTransition* FindWithdrawalTransition(v1::WithdrawalState from,
                                                     v1::WithdrawalState to);

std::vector<v1::WithdrawalState> WithdrawalTargets(v1::WithdrawalState from);

// A state without outgoing moves (REJECTED, CANCELLED, FAILED, RETURNED).
bool IsFinalWithdrawalState(v1::WithdrawalState state);

// "REQUESTED", "PENDING_VERIFICATION", ...
absl::string_view WithdrawalStateName(v1::WithdrawalState state);

// Optional details recorded with a move.
struct WithdrawalUpdate {
  std::string hold_reason;     // PENDING_VERIFICATION / PENDING_REVIEW
  std::string failure_reason;  // REJECTED / FAILED / RETURNED / CANCELLED
  std::string provider_reference;
  std::string case_id;
  std::string reviewed_by;  // agent id
};

// event.withdrawal_requested: creates the withdrawal in REQUESTED with its fee
// and moves the amount from cash to reserved. FAILED_PRECONDITION when cash
// does not cover the amount.
absl::Status CreateWithdrawal(v1::Account* account, const v1::Event& event,
                              const FeeSchedule& fees, absl::Time now);

absl::Status TransitionWithdrawal(v1::Account* account, absl::string_view withdrawal_id,
                                  v1::WithdrawalState to, const WithdrawalUpdate& update,
                                  absl::Time now);

// event.withdrawal_cancelled -> CANCELLED (only before PROCESSING).
absl::Status ApplyWithdrawalCancelled(v1::Account* account, const v1::Event& event,
                                      absl::Time now);
// event.withdrawal_reviewed: APPROVE -> APPROVED, REJECT -> REJECTED; records
// the acting agent (event.agent.agent_id) as reviewer.
absl::Status ApplyWithdrawalReviewed(v1::Account* account, const v1::Event& event,
                                     absl::Time now);
// event.withdrawal_sent_to_provider: APPROVED -> PROCESSING.
absl::Status ApplyWithdrawalSentToProvider(v1::Account* account, const v1::Event& event,
                                           absl::Time now);
// event.withdrawal_paid: PROCESSING -> PAID.
absl::Status ApplyWithdrawalPaid(v1::Account* account, const v1::Event& event,
                                 absl::Time now);
// event.withdrawal_failed: PROCESSING -> FAILED, or PAID -> RETURNED when
// returned_after_paid.
absl::Status ApplyWithdrawalFailed(v1::Account* account, const v1::Event& event,
                                   absl::Time now);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_WITHDRAWAL_MACHINE_H_
