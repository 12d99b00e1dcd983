// The state changes a decision applied, for Decision.state_changes: a
// comparison of the account before and after, so every change is reported
// whichever module made it. Order: account status, balances, deposits and
// withdrawals (account order), restrictions, cases, KYC, responsible gambling,
// security, factors, devices, instruments, profile. Deterministic.
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
