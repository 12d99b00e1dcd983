// Striped per-account mutexes: events of the same account are serialized,
// events of different accounts (almost always in different stripes) run in
// parallel.
//
// A fixed array of mutexes indexed by a hash of the account id keeps memory
// bounded whatever the number of accounts; two accounts sharing a stripe only
// wait for each other, which is still correct. A batch locks all its stripes
// in ascending order, so two batches can never deadlock.
#ifndef PITBOSS_SRC_STORE_ACCOUNT_LOCKS_H_
#define PITBOSS_SRC_STORE_ACCOUNT_LOCKS_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace pitboss {
namespace store_internal {

class AccountLocks {
 public:
  static constexpr size_t kStripes = 256;

  // Holds a set of stripes; releases them when destroyed.
  class Held {
   public:
    Held(AccountLocks* locks, std::vector<size_t> stripes)
        : locks_(locks), stripes_(std::move(stripes)) {
      for (size_t s : stripes_) locks_->mutexes_[s].lock();
    }
    ~Held() {
      for (auto it = stripes_.rbegin(); it != stripes_.rend(); ++it) {
        locks_->mutexes_[*it].unlock();
      }
    }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    AccountLocks* locks_;
    std::vector<size_t> stripes_;
  };

  static size_t StripeOf(absl::string_view account_id) {
    return std::hash<std::string_view>{}(
               std::string_view(account_id.data(), account_id.size())) %
           kStripes;
  }

  // Locks the stripes of every id in `account_ids` (duplicates allowed).
  template <typename Ids>
  Held LockAll(const Ids& account_ids) {
    std::vector<size_t> stripes;
    for (const auto& id : account_ids) stripes.push_back(StripeOf(id));
    std::sort(stripes.begin(), stripes.end());
    stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
    return Held(this, std::move(stripes));
  }

 private:
  std::array<std::mutex, kStripes> mutexes_;
};

}  // namespace store_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_STORE_ACCOUNT_LOCKS_H_
