// One applied change to an account: all or nothing, and version + 1.
//
// Every mutating domain operation goes through ApplyAccountChange: it runs the
// mutation on a copy of the account and, only when the mutation returns OK,
// replaces the account with the copy, increments `version` by exactly one and
// sets `updated_at` to `now`. On error the caller's account is untouched, byte
// for byte. This is the single place that enforces "leave the account unchanged
// on error" and "version grows by one per applied change".
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

// `mutate` is called as absl::Status(v1::Account& draft).
template <typename Mutation>
absl::Status ApplyAccountChange(v1::Account* account, absl::Time now,
                                Mutation&& mutate) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  if (account->version() == INT64_MAX) {
    return absl::OutOfRangeError("account.version: exhausted");
  }
  v1::Account draft = *account;
  absl::Status status = std::forward<Mutation>(mutate)(draft);
  if (!status.ok()) return status;
  draft.set_version(account->version() + 1);
  *draft.mutable_updated_at() = ToProtoTime(now);
  *account = std::move(draft);
  return absl::OkStatus();
}

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_ACCOUNT_CHANGE_H_
