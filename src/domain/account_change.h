// One applied change to an account: all or nothing, and version + 1.
//
// Every mutating domain operation goes through ApplyAccountChange: it runs the
// mutation on a copy of the account and, only when the mutation returns OK,
// replaces the account with the copy, increments `version` by exactly one and
// sets `updated_at` to `now`. On error the caller's account is untouched, byte
// for byte. This is the single place that enforces "leave the account unchanged
// on error" and "version grows by one per applied change".
//
// Scratch accounts. The copy is what makes "untouched on error" hold, and it is
// the whole account (hundreds of sub-messages) per applied step. A caller that
// already works on a scratch account it throws away on any error (the engine:
// the request's account is never touched, the result is a scratch that only
// leaves the engine when every step succeeded) declares it with a
// ScratchAccount scope; while the scope lives, changes to THAT account object
// on THIS thread are made in place, without the copy. The only difference is on
// error: the scratch may then be partly changed, which is why the owner must
// discard it. Version and updated_at move exactly as with the copy, so the
// result of a successful change is byte-for-byte the same either way.
//
// Change log. Each change declares the sections of the account it may change
// (AccountSections below: the parts the engine reports as state changes;
// bookkeeping such as velocity counters, ledger totals, the strong-
// authentication tracker, version, updated_at and last_event_id is in no
// section and may always change). A ScratchAccount scope may carry an
// AccountChangeLog: every change to the scratch then first tells the log which
// sections it is about to change, so the log can keep the before-image of just
// those (the engine's state-change report compares only them instead of the
// whole account) and check afterwards that nothing else it reports changed.
#ifndef PITBOSS_SRC_DOMAIN_ACCOUNT_CHANGE_H_
#define PITBOSS_SRC_DOMAIN_ACCOUNT_CHANGE_H_

#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {

// Sections of an account a change may touch (a bit set).
using AccountSections = uint32_t;
enum AccountSection : AccountSections {
  kSectionStatus = 1u << 0,          // status
  kSectionBalances = 1u << 1,        // balances
  kSectionDeposits = 1u << 2,        // deposits (and their states)
  kSectionWithdrawals = 1u << 3,     // withdrawals
  kSectionRestrictions = 1u << 4,    // restrictions
  kSectionCases = 1u << 5,           // cases
  kSectionKyc = 1u << 6,             // kyc
  kSectionResponsibleGambling = 1u << 7,  // responsible_gambling, deposit limits too
  kSectionSecurity = 1u << 8,        // security
  kSectionFactors = 1u << 9,         // factors
  kSectionVerifications = 1u << 10,  // verifications
  kSectionDevices = 1u << 11,        // devices
  kSectionInstruments = 1u << 12,    // instruments
  kSectionProfile = 1u << 13,        // profile
  kAllSections = (1u << 14) - 1,
};

// Told about every change to a scratch account (see the file comment).
class AccountChangeLog {
 public:
  virtual ~AccountChangeLog() = default;
  // Before a change that may change `sections` of `account`.
  virtual void WillChange(const v1::Account& account, AccountSections sections) = 0;
  // After that change succeeded: an error (a change touched a section it did
  // not declare) fails the change.
  virtual absl::Status Changed(const v1::Account& account, AccountSections sections) = 0;
};

namespace domain_internal {
// The account a ScratchAccount scope declared on this thread, or null, and
// its change log, or null.
inline thread_local const v1::Account* scratch_account = nullptr;
inline thread_local AccountChangeLog* scratch_log = nullptr;
}  // namespace domain_internal

// Declares `*account` a scratch account for the lifetime of the object (see the
// file comment), with an optional change log. Scopes nest; the innermost one
// wins until it ends.
class ScratchAccount {
 public:
  explicit ScratchAccount(const v1::Account* account, AccountChangeLog* log = nullptr)
      : previous_(domain_internal::scratch_account),
        previous_log_(domain_internal::scratch_log) {
    domain_internal::scratch_account = account;
    domain_internal::scratch_log = log;
  }
  ~ScratchAccount() {
    domain_internal::scratch_account = previous_;
    domain_internal::scratch_log = previous_log_;
  }
  ScratchAccount(const ScratchAccount&) = delete;
  ScratchAccount& operator=(const ScratchAccount&) = delete;

 private:
  const v1::Account* previous_;
  AccountChangeLog* previous_log_;
};

// True when `account` is the scratch account of a live ScratchAccount scope on
// this thread.
inline bool IsScratchAccount(const v1::Account* account) {
  return account != nullptr && account == domain_internal::scratch_account;
}

// `mutate` is called as absl::Status(v1::Account& draft) and changes at most
// `sections` of it (plus bookkeeping, see the file comment).
template <typename Mutation>
absl::Status ApplyAccountChange(v1::Account* account, absl::Time now,
                                AccountSections sections, Mutation&& mutate) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  if (account->version() == INT64_MAX) {
    return absl::OutOfRangeError("account.version: exhausted");
  }
  // A scratch account is changed in place; any other account through a draft
  // that replaces it only on success.
  v1::Account draft;
  v1::Account* target = account;
  AccountChangeLog* log = nullptr;
  if (!IsScratchAccount(account)) {
    draft = *account;
    target = &draft;
  } else {
    log = domain_internal::scratch_log;
  }
  if (log != nullptr) log->WillChange(*account, sections);
  const int64_t version = account->version();
  absl::Status status = std::forward<Mutation>(mutate)(*target);
  if (!status.ok()) return status;  // a scratch's owner discards it
  if (log != nullptr) {
    status = log->Changed(*target, sections);
    if (!status.ok()) return status;
  }
  target->set_version(version + 1);
  *target->mutable_updated_at() = ToProtoTime(now);
  if (target != account) *account = std::move(draft);
  return absl::OkStatus();
}

// A change that may touch any section (the log keeps a before-image of all).
template <typename Mutation>
absl::Status ApplyAccountChange(v1::Account* account, absl::Time now, Mutation&& mutate) {
  return ApplyAccountChange(account, now, kAllSections, std::forward<Mutation>(mutate));
}

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_ACCOUNT_CHANGE_H_
