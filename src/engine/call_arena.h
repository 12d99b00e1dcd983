// The arena of one evaluation's temporaries, on a block its thread reuses.
//
// An evaluation puts its features, CEL values and other temporaries on an
// arena. A fresh default arena starts with a small block and mallocs larger
// ones as it fills (several per evaluation), then frees them all. A CallArena
// starts on a block that belongs to the thread and outlives the call
// (thread_scratch.h), so a typical evaluation allocates nothing for its
// temporaries; only what does not fit goes to further blocks, freed with the
// arena as usual.
#ifndef PITBOSS_SRC_ENGINE_CALL_ARENA_H_
#define PITBOSS_SRC_ENGINE_CALL_ARENA_H_

#include <cstddef>
#include <memory>

#include "google/protobuf/arena.h"
#include "src/engine/thread_scratch.h"

namespace pitboss {
namespace engine {

class CallArena {
 public:
  // Enough for an evaluation on a large account (five weeks of history).
  static constexpr size_t kBlockBytes = 64u << 10;

  CallArena() : arena_(Options(block_.get())) {}
  CallArena(const CallArena&) = delete;
  CallArena& operator=(const CallArena&) = delete;

  google::protobuf::Arena* get() { return &arena_; }

 private:
  struct Block {
    Block() : bytes(new char[kBlockBytes]) {}
    std::unique_ptr<char[]> bytes;
  };

  static google::protobuf::ArenaOptions Options(Block& block) {
    google::protobuf::ArenaOptions options;
    options.start_block_size = kBlockBytes;
    options.max_block_size = kBlockBytes;
    options.initial_block = block.bytes.get();
    options.initial_block_size = kBlockBytes;
    return options;
  }

  // Declared before the arena: lent back only after the arena is gone.
  ThreadScratch<Block> block_;
  google::protobuf::Arena arena_;
};

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_CALL_ARENA_H_
