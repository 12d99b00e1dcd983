// A small fixed pool of threads for the store's parallel evaluation: one
// ApplyBatch hands the pool one task per account (each task evaluates that
// account's events in input order) and the calling thread works along, or
// writes the events already evaluated while the workers go on (pipelining).
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
    ParallelForAlongside(n, fn, [](absl::FunctionRef<bool()> run_one, bool) {
      while (run_one()) {
      }
    });
  }

  // Calls fn(i) once for every i in [0, n) on the workers while the calling
  // thread runs lead(run_one, parallel): run_one() runs one task not yet
  // started on the thread that calls it (false once every task has started),
  // and `parallel` says whether workers take the tasks too. Without them
  // (threads <= 1, n <= 1, or the pool busy with another caller) a task runs
  // only when somebody calls run_one, so lead must not wait for one it has not
  // run itself. Returns when lead and every fn(i) have returned.
  void ParallelForAlongside(
      size_t n, absl::FunctionRef<void(size_t)> fn,
      absl::FunctionRef<void(absl::FunctionRef<bool()> run_one, bool parallel)> lead) {
    std::unique_lock<std::mutex> run(run_mu_, std::try_to_lock);
    if (workers_.empty() || n <= 1 || !run.owns_lock()) {
      size_t next = 0;
      const auto run_one = [&]() {
        if (next >= n) return false;
        fn(next++);
        return true;
      };
      lead(run_one, false);
      while (run_one()) {
      }
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
    const auto run_one = [&]() { return RunOne(fn, n); };
    lead(run_one, true);
    while (run_one()) {
    }
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return busy_ == 0; });
    fn_ = nullptr;
  }

 private:
  bool RunOne(absl::FunctionRef<void(size_t)> fn, size_t n) {
    const size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= n) return false;
    fn(i);
    return true;
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
      while (RunOne(*fn, n)) {
      }
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
