// The arena of one evaluation's temporaries, on a block its thread reuses.
//
// An evaluation puts its features, CEL values and other temporaries on an
// arena. A fresh default arena starts with a small block and mallocs larger
// ones as it fills (several per evaluation), then frees them all. A CallArena
// starts on a block that belongs to the thread and outlives the call, so a
// typical evaluation allocates nothing for its temporaries; only what does
// not fit goes to further blocks, freed with the arena as usual. A CallArena
// made while another one of the same thread is alive (not done today) gets no
// thread block, just larger blocks of its own.
#ifndef PITBOSS_SRC_ENGINE_CALL_ARENA_H_
#define PITBOSS_SRC_ENGINE_CALL_ARENA_H_

#include <cstddef>
#include <memory>

#include "google/protobuf/arena.h"

namespace pitboss {
namespace engine {

class CallArena {
 public:
  // Enough for an evaluation on a large account (five weeks of history).
  static constexpr size_t kBlockBytes = 64u << 10;

  CallArena() : block_(Claim()), arena_(Options(block_.get())) {}
  CallArena(const CallArena&) = delete;
  CallArena& operator=(const CallArena&) = delete;

  google::protobuf::Arena* get() { return &arena_; }

 private:
  struct ThreadBlock {
    std::unique_ptr<char[]> bytes;
    bool in_use = false;
  };
  static ThreadBlock& Mine() {
    thread_local ThreadBlock block;
    return block;
  }
  // Gives the thread block back when the arena is gone (declared before the
  // arena, so destroyed after it).
  struct Release {
    void operator()(char*) const { Mine().in_use = false; }
  };
  using Claimed = std::unique_ptr<char, Release>;

  static Claimed Claim() {
    ThreadBlock& block = Mine();
    if (block.in_use) return Claimed(nullptr);
    if (block.bytes == nullptr) block.bytes.reset(new char[kBlockBytes]);
    block.in_use = true;
    return Claimed(block.bytes.get());
  }

  static google::protobuf::ArenaOptions Options(char* initial) {
    google::protobuf::ArenaOptions options;
    options.start_block_size = kBlockBytes;
    options.max_block_size = kBlockBytes;
    if (initial != nullptr) {
      options.initial_block = initial;
      options.initial_block_size = kBlockBytes;
    }
    return options;
  }

  Claimed block_;
  google::protobuf::Arena arena_;
};

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_CALL_ARENA_H_
