// The deposit state machine: ONE transition table, and the operations that
// move a deposit through it.
//
//   (new) -> INITIATED -> AWAITING_AUTHENTICATION -> PENDING -> COMPLETED -> REVERSED
//                 |               |        |            |
//                 +-> PENDING     |        |            +-> FAILED
//                 +-> DECLINED    +-> FAILED / EXPIRED / DECLINED / CANCELLED
//                 +-> CANCELLED
//
// DepositTransitionTable() is the only definition of which moves exist; the
// engine, the `pitboss explain` diagram and the tests all read it. Any move not
// in the table is refused with FAILED_PRECONDITION naming both states and the
// allowed targets, and the account is left unchanged.
//
// Money: the fee is computed when the deposit is created (fees.h); cash is
// credited with amount - fee on COMPLETED and debited by the same on REVERSED
// (a chargeback may drive cash below zero: the caller then restricts the
// account). Moving INITIATED -> AWAITING_AUTHENTICATION or PENDING accepts the
// deposit and is refused while responsible-gambling limits block it (the
// caller declines it instead). Every operation is one applied change: version
// + 1 on success, nothing changed on error.
#ifndef PITBOSS_SRC_DOMAIN_DEPOSIT_MACHINE_H_
#define PITBOSS_SRC_DOMAIN_DEPOSIT_MACHINE_H_

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

struct DepositTransition {
  // DEPOSIT_STATE_UNSPECIFIED: the deposit does not exist yet (creation).
  v1::DepositState from;
  v1::DepositState to;
  BalanceEffect effect;
  // What causes the move, for diagrams and messages.
  absl::string_view trigger;
};

// Every legal move, in a stable order.
absl::Span<const DepositTransition> DepositTransitionTable();

// The table row for from -> to, or nullptr when the move is illegal.
const DepositTransition* FindDepositTransition(v1::DepositState from,
                                               v1::DepositState to);

// States reachable from `from` in one move (table order).
std::vector<v1::DepositState> DepositTargets(v1::DepositState from);

// A state without outgoing moves (DECLINED, FAILED, EXPIRED, CANCELLED, REVERSED).
bool IsFinalDepositState(v1::DepositState state);

// "INITIATED", "AWAITING_AUTHENTICATION", ... ("UNSPECIFIED" for 0).
absl::string_view DepositStateName(v1::DepositState state);

// Optional details recorded with a move.
struct DepositUpdate {
  v1::ThreeDsResult three_ds_result = v1::THREE_DS_RESULT_UNSPECIFIED;
  std::string provider_reference;
  std::string failure_reason;
};

// event.deposit_requested: creates the deposit in INITIATED with its fee (and
// registers event.deposit_requested.new_instrument when given).
absl::Status CreateDeposit(v1::Account* account, const v1::Event& event,
                           const FeeSchedule& fees, absl::Time now);

// Moves deposit `deposit_id` to `to` if the table allows it, applying the
// table's balance effect.
absl::Status TransitionDeposit(v1::Account* account, absl::string_view deposit_id,
                               v1::DepositState to, const DepositUpdate& update,
                               absl::Time now);

// event.deposit_authenticated (AWAITING_AUTHENTICATION ->): AUTHENTICATED,
// ATTEMPTED, EXEMPT -> PENDING; FAILED, REJECTED, UNAVAILABLE -> FAILED;
// TIMED_OUT -> EXPIRED.
absl::Status ApplyDepositAuthenticated(v1::Account* account, const v1::Event& event,
                                       absl::Time now);

// event.deposit_settled (PENDING ->): SUCCEEDED -> COMPLETED, FAILED -> FAILED.
absl::Status ApplyDepositSettled(v1::Account* account, const v1::Event& event,
                                 absl::Time now);

// event.deposit_reversed (COMPLETED -> REVERSED); a chargeback also blocks the
// instrument.
absl::Status ApplyDepositReversed(v1::Account* account, const v1::Event& event,
                                  absl::Time now);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_DEPOSIT_MACHINE_H_
