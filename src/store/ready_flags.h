// Which events of a pipelined batch are evaluated: the evaluating threads
// mark each event when it is done, and the writer, which goes through the
// batch in input order, waits for the next one (running evaluation tasks
// itself meanwhile when it can) instead of for the whole batch.
#ifndef PITBOSS_SRC_STORE_READY_FLAGS_H_
#define PITBOSS_SRC_STORE_READY_FLAGS_H_

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

#include "absl/functional/function_ref.h"

namespace pitboss {
namespace store_internal {

class ReadyFlags {
 public:
  explicit ReadyFlags(size_t n) : ready_(n, false) {}
  ReadyFlags(const ReadyFlags&) = delete;
  ReadyFlags& operator=(const ReadyFlags&) = delete;

  // Everything the marking thread wrote for event i before Mark(i) is
  // visible to the thread that returns from Await(i).
  void Mark(size_t i) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ready_[i] = true;
    }
    cv_.notify_all();
  }

  // Returns once event i is marked. While it is not, runs help() (one
  // evaluation task) and, when help has nothing left to start (false), waits:
  // the task that marks i has started on another thread by then.
  void Await(size_t i, absl::FunctionRef<bool()> help) {
    while (!IsReady(i)) {
      if (help()) continue;
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return ready_[i]; });
      return;
    }
  }

 private:
  bool IsReady(size_t i) {
    std::lock_guard<std::mutex> lock(mu_);
    return ready_[i];
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<bool> ready_;
};

}  // namespace store_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_STORE_READY_FLAGS_H_
