// The state changes a decision applied, for Decision.state_changes: a
// comparison of the account before and after, so every change is reported
// whichever module made it. Order: account status, balances, deposits and
// withdrawals (account order), restrictions, cases (opened, then status
// changes), KYC (level, else documents / due diligence), responsible gambling
// (exclusion and time-out, then deposit limits), security, factors,
// verifications, devices (added, else seen), instruments (added, else status
// or details per instrument), profile. Bookkeeping that only accompanies
// these (velocity counters, ledger totals, the strong-authentication tracker,
// version, updated_at, last_event_id) is not reported. Deterministic.
#ifndef PITBOSS_SRC_ENGINE_STATE_CHANGES_H_
#define PITBOSS_SRC_ENGINE_STATE_CHANGES_H_

#include <vector>

#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/decision.pb.h"

namespace pitboss {
namespace engine {

std::vector<v1::StateChange> DiffAccounts(const v1::Account& before,
                                          const v1::Account& after);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_STATE_CHANGES_H_
