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
//
// The "before" side is an AccountSnapshot: just what the comparison reads
// (states by payment id, the serialized bytes of the small sections), taken
// before the account is changed in place. It skips the bulk of the account
// (velocity buckets, the payments' details), so it costs a fraction of a copy.
#ifndef PITBOSS_SRC_ENGINE_STATE_CHANGES_H_
#define PITBOSS_SRC_ENGINE_STATE_CHANGES_H_

#include <string>
#include <utility>
#include <vector>

#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/decision.pb.h"

namespace pitboss {
namespace engine {

class AccountSnapshot {
 public:
  // What DiffAccounts needs of `account`; nothing refers back to it.
  static AccountSnapshot Of(const v1::Account& account);

 private:
  friend std::vector<v1::StateChange> DiffAccounts(const AccountSnapshot& before,
                                                   const v1::Account& after);
  AccountSnapshot() = default;

  v1::AccountStatus status_ = v1::ACCOUNT_STATUS_UNSPECIFIED;
  v1::Money cash_;
  v1::Money reserved_;
  std::vector<std::pair<std::string, v1::DepositState>> deposits_;
  std::vector<std::pair<std::string, v1::WithdrawalState>> withdrawals_;
  std::vector<std::string> restriction_until_;  // serialized `until` per restriction
  std::vector<v1::CaseStatus> case_status_;
  v1::KycLevel kyc_level_ = v1::KYC_LEVEL_UNSPECIFIED;
  std::string kyc_;
  std::string responsible_gambling_;  // without deposit_limits
  std::string deposit_limits_;        // per element: length, bytes
  std::string security_;
  int factors_size_ = 0;
  std::string factors_;
  int verifications_size_ = 0;
  std::string verifications_;
  int devices_size_ = 0;
  std::string devices_;
  std::vector<std::pair<v1::InstrumentStatus, std::string>> instruments_;
  std::string profile_;
};

std::vector<v1::StateChange> DiffAccounts(const AccountSnapshot& before,
                                          const v1::Account& after);

// Same as DiffAccounts(AccountSnapshot::Of(before), after).
std::vector<v1::StateChange> DiffAccounts(const v1::Account& before,
                                          const v1::Account& after);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_STATE_CHANGES_H_
