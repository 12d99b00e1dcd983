// One entry point for the events whose effect on an account the domain fully
// determines: payments, wagers and responsible-gambling changes.
//
//   deposit_requested            -> CreateDeposit (INITIATED)
//   deposit_authenticated        -> ApplyDepositAuthenticated
//   deposit_settled              -> ApplyDepositSettled
//   deposit_reversed             -> ApplyDepositReversed
//   withdrawal_requested         -> CreateWithdrawal (REQUESTED)
//   withdrawal_cancelled / _reviewed / _sent_to_provider / _paid / _failed
//   wager_settled                -> ApplyWagerSettled
//   deposit_limit_change         -> ChangeDepositLimit
//   time_out / self_exclusion    -> StartTimeOut / StartSelfExclusion
//
// Decisions that need policy (accept or decline a deposit, hold a withdrawal
// for review) are separate calls to TransitionDeposit / TransitionWithdrawal
// made by the engine after it has decided. Every call is one applied change.
#ifndef PITBOSS_SRC_DOMAIN_LEDGER_EVENTS_H_
#define PITBOSS_SRC_DOMAIN_LEDGER_EVENTS_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/fees.h"
#include "src/domain/limits.h"

namespace pitboss {
namespace domain {

struct LedgerOptions {
  // Fee schedules for this event's payment method and currency (the engine
  // picks them from the policy).
  FeeSchedule deposit_fees;
  FeeSchedule withdrawal_fees;
  LimitsOptions limits;
};

// True for the event kinds listed above.
bool IsLedgerEvent(const v1::Event& event);

// Applies a ledger event; INVALID_ARGUMENT naming `event.<kind>` for any other
// kind (security and support events belong to their own modules).
absl::Status ApplyLedgerEvent(v1::Account* account, const v1::Event& event,
                              const LedgerOptions& options, absl::Time now);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_LEDGER_EVENTS_H_
