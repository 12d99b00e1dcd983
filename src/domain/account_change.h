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

namespace domain_internal {
// The account a ScratchAccount scope declared on this thread, or null.
inline thread_local const v1::Account* scratch_account = nullptr;
}  // namespace domain_internal

// Declares `*account` a scratch account for the lifetime of the object (see the
// file comment). Scopes nest; the innermost one wins until it ends.
class ScratchAccount {
 public:
  explicit ScratchAccount(const v1::Account* account)
      : previous_(domain_internal::scratch_account) {
    domain_internal::scratch_account = account;
  }
  ~ScratchAccount() { domain_internal::scratch_account = previous_; }
  ScratchAccount(const ScratchAccount&) = delete;
  ScratchAccount& operator=(const ScratchAccount&) = delete;

 private:
  const v1::Account* previous_;
};

// True when `account` is the scratch account of a live ScratchAccount scope on
// this thread.
inline bool IsScratchAccount(const v1::Account* account) {
  return account != nullptr && account == domain_internal::scratch_account;
}

// `mutate` is called as absl::Status(v1::Account& draft).
template <typename Mutation>
absl::Status ApplyAccountChange(v1::Account* account, absl::Time now,
                                Mutation&& mutate) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  if (account->version() == INT64_MAX) {
    return absl::OutOfRangeError("account.version: exhausted");
  }
  // A scratch account is changed in place; any other account through a draft
  // that replaces it only on success.
  v1::Account draft;
  v1::Account* target = account;
  if (!IsScratchAccount(account)) {
    draft = *account;
    target = &draft;
  }
  const int64_t version = account->version();
  absl::Status status = std::forward<Mutation>(mutate)(*target);
  if (!status.ok()) return status;  // a scratch's owner discards it
  target->set_version(version + 1);
  *target->mutable_updated_at() = ToProtoTime(now);
  if (target != account) *account = std::move(draft);
  return absl::OkStatus();
}

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_ACCOUNT_CHANGE_H_
