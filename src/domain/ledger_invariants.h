// The ledger invariant every applied change must keep, as a checkable function
// (used by tests and available to hosts as a consistency check):
//
//   cash + reserved = deposits_credited - deposits_reversed
//                     - withdrawals_paid + withdrawals_returned
//                     - wagers_staked + wagers_paid_out
//
// and reserved equals the sum of the amounts of withdrawals still holding money
// (REQUESTED .. PROCESSING), never negative.
#ifndef PITBOSS_SRC_DOMAIN_LEDGER_INVARIANTS_H_
#define PITBOSS_SRC_DOMAIN_LEDGER_INVARIANTS_H_

#include "absl/status/status.h"
#include "pitboss/v1/account.pb.h"

namespace pitboss {
namespace domain {

// OK, or DATA_LOSS naming the balance that does not add up.
absl::Status CheckLedgerInvariants(const v1::Account& account);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_LEDGER_INVARIANTS_H_
