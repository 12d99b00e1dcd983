// Buffers a thread reuses from one evaluation to the next.
//
// Some per-call buffers are large (an arena block of 64 KiB, the findings of
// ~45 rules at some 200 bytes each): allocating and freeing them on every
// call costs more than filling them, and a large malloc also makes glibc
// consolidate its small free chunks, which slows the many small allocations
// of the decision that follow. A ThreadScratch<T> lends the calling thread's
// T for its own lifetime; the T keeps its capacity between calls and is not
// cleared (the user empties what it reuses). A ThreadScratch made while the
// thread's T is lent (a nested evaluation on the same thread, not done today)
// lends a fresh T of its own instead.
#ifndef PITBOSS_SRC_ENGINE_THREAD_SCRATCH_H_
#define PITBOSS_SRC_ENGINE_THREAD_SCRATCH_H_

#include <memory>

namespace pitboss {
namespace engine {

template <typename T>
class ThreadScratch {
 public:
  ThreadScratch() {
    Slot& slot = Mine();
    if (!slot.lent) {
      slot.lent = true;
      value_ = &slot.value;
    } else {
      own_ = std::make_unique<T>();
      value_ = own_.get();
    }
  }
  ~ThreadScratch() {
    if (own_ == nullptr) Mine().lent = false;
  }
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;

  T& get() { return *value_; }

 private:
  struct Slot {
    T value;
    bool lent = false;
  };
  static Slot& Mine() {
    thread_local Slot slot;
    return slot;
  }

  std::unique_ptr<T> own_;  // only when the thread's T was lent already
  T* value_;
};

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_THREAD_SCRATCH_H_
