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
//
// In the engine the snapshot holds only the sections the domain steps said
// they would change (StateChangeRecorder, the change log of
// domain/account_change.h): a wager captures and compares the balances, not
// the deposits, devices or profile. A section no step declared is unchanged by
// construction (debug builds check every step), so the report is the same as
// the comparison of the whole account.
#ifndef PITBOSS_SRC_ENGINE_STATE_CHANGES_H_
#define PITBOSS_SRC_ENGINE_STATE_CHANGES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/decision.pb.h"
#include "src/domain/account_change.h"

namespace pitboss {
namespace engine {

// The serialized responsible-gambling section split in two: its deposit limits
// and the rest. One serialization instead of a copy without the limits plus
// one per limit. Two sections have the same limits (the same sequence of
// limit bytes) exactly when their Limits() are equal, and the same rest
// exactly when their Rest() are equal.
struct ResponsibleGamblingBytes {
  static ResponsibleGamblingBytes Of(const v1::ResponsibleGambling& rg);

  absl::string_view Limits() const {
    return absl::string_view(bytes).substr(0, limits_end);
  }
  absl::string_view Rest() const { return absl::string_view(bytes).substr(limits_end); }

  std::string bytes;
  size_t limits_end = 0;  // the limits are bytes[0, limits_end)
};

class AccountSnapshot {
 public:
  // What DiffAccounts needs of `account`; nothing refers back to it.
  static AccountSnapshot Of(const v1::Account& account);

  // Nothing captured: DiffAccounts reports nothing until Capture.
  AccountSnapshot() = default;

  // Adds the sections of `account` in `sections` not captured yet (a section
  // keeps its first image).
  void Capture(const v1::Account& account, domain::AccountSections sections);
  domain::AccountSections captured() const { return captured_; }
  // Forgets `sections` (DiffAccounts then skips them).
  void Drop(domain::AccountSections sections) { captured_ &= ~sections; }

 private:
  friend std::vector<v1::StateChange> DiffAccounts(const AccountSnapshot& before,
                                                   const v1::Account& after);
  bool Has(domain::AccountSections section) const { return (captured_ & section) != 0; }

  domain::AccountSections captured_ = 0;
  v1::AccountStatus status_ = v1::ACCOUNT_STATUS_UNSPECIFIED;
  v1::Money cash_;
  v1::Money reserved_;
  std::vector<std::pair<std::string, v1::DepositState>> deposits_;
  std::vector<std::pair<std::string, v1::WithdrawalState>> withdrawals_;
  std::vector<std::string> restriction_until_;  // serialized `until` per restriction
  std::vector<v1::CaseStatus> case_status_;
  v1::KycLevel kyc_level_ = v1::KYC_LEVEL_UNSPECIFIED;
  std::string kyc_;
  ResponsibleGamblingBytes responsible_gambling_;
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

// The changes from `before` to `after` in the sections `before` captured.
std::vector<v1::StateChange> DiffAccounts(const AccountSnapshot& before,
                                          const v1::Account& after);

// The change log the engine hands the domain steps (domain::ScratchAccount)
// while they change the account in place: it captures the before-image of each
// section the first time a step declares it, and Report compares just those.
// With `check` (debug builds) every step is also checked to have changed
// nothing reported outside the sections it declared, and the report against
// the comparison of the whole account.
class StateChangeRecorder : public domain::AccountChangeLog {
 public:
  // `before` is the account before any step (with `check`, it is compared as a
  // whole with the account after in Report).
  explicit StateChangeRecorder(const v1::Account& before, bool check = kCheckByDefault);

  void WillChange(const v1::Account& account, domain::AccountSections sections) override;
  absl::Status Changed(const v1::Account& account, domain::AccountSections sections) override;

  // The state changes from the account before the first step to `after`.
  // With `check`, INTERNAL when they differ from the comparison of the whole
  // account (something changed a section no step declared).
  absl::StatusOr<std::vector<v1::StateChange>> Report(const v1::Account& after) const;
  domain::AccountSections declared() const { return before_.captured(); }

#ifdef NDEBUG
  static constexpr bool kCheckByDefault = false;
#else
  static constexpr bool kCheckByDefault = true;
#endif

 private:
  bool check_;
  AccountSnapshot before_;
  AccountSnapshot whole_;               // with check_: the whole account before
  std::vector<AccountSnapshot> steps_;  // with check_: images of running steps
};

// Same as DiffAccounts(AccountSnapshot::Of(before), after).
std::vector<v1::StateChange> DiffAccounts(const v1::Account& before,
                                          const v1::Account& after);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_STATE_CHANGES_H_
