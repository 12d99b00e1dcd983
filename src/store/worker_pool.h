// A small fixed pool of threads for the store's parallel evaluation: one
// ApplyBatch hands the pool one task per account (each task evaluates that
// account's events in input order) and the calling thread works along.
//
// Why a pool and not a thread per batch: a batch of 100 events takes a few
// milliseconds, and starting and joining threads for each one would cost a
// noticeable share of that. Why so simple: the store runs one ParallelFor at
// a time per pool; a second caller that finds the pool busy (another thread's
// ApplyBatch) runs its tasks itself, which is the right thing on a machine
// whose cores are already busy with the first one.
#ifndef PITBOSS_SRC_STORE_WORKER_POOL_H_
#define PITBOSS_SRC_STORE_WORKER_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"

namespace pitboss {
namespace store_internal {

class WorkerPool {
 public:
  // `threads` counts the calling thread: threads - 1 workers are started
  // (none for threads <= 1).
  explicit WorkerPool(int threads) {
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Calls fn(i) once for every i in [0, n), on the workers and the calling
  // thread, and returns when all calls have returned.
  void ParallelFor(size_t n, absl::FunctionRef<void(size_t)> fn) {
    std::unique_lock<std::mutex> run(run_mu_, std::try_to_lock);
    if (workers_.empty() || n <= 1 || !run.owns_lock()) {
      for (size_t i = 0; i < n; ++i) fn(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_ = &fn;
      n_ = n;
      next_.store(0, std::memory_order_relaxed);
      busy_ = static_cast<int>(workers_.size());
      ++generation_;
    }
    work_cv_.notify_all();
    RunTasks(fn, n);
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return busy_ == 0; });
    fn_ = nullptr;
  }

 private:
  void RunTasks(absl::FunctionRef<void(size_t)> fn, size_t n) {
    for (size_t i = next_.fetch_add(1, std::memory_order_relaxed); i < n;
         i = next_.fetch_add(1, std::memory_order_relaxed)) {
      fn(i);
    }
  }

  void Work() {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      work_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      const absl::FunctionRef<void(size_t)>* fn = fn_;
      const size_t n = n_;
      lock.unlock();
      RunTasks(*fn, n);
      lock.lock();
      if (--busy_ == 0) done_cv_.notify_one();
    }
  }

  std::mutex run_mu_;  // one ParallelFor at a time
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  const absl::FunctionRef<void(size_t)>* fn_ = nullptr;
  size_t n_ = 0;
  std::atomic<size_t> next_{0};
  int busy_ = 0;  // workers not yet done with the current generation
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace store_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_STORE_WORKER_POOL_H_
