// The opaque handles of include/pitboss/pitboss.h, defined once for every C ABI
// file: each owns the C++ object it stands for (leveldb's `struct leveldb_t {
// DB* rep; }` shape). C callers only ever see pointers to them.
#ifndef PITBOSS_SRC_CAPI_HANDLES_H_
#define PITBOSS_SRC_CAPI_HANDLES_H_

#include <memory>

#include "pitboss/engine.h"
#include "pitboss/store.h"

// pitboss_engine_t: a compiled policy (thread-safe, immutable).
struct pitboss_engine_t {
  std::unique_ptr<pitboss::Engine> engine;
};

// pitboss_store_t: an open store (thread-safe; see pitboss::Store).
struct pitboss_store_t {
  std::unique_ptr<pitboss::Store> store;
};

#endif  // PITBOSS_SRC_CAPI_HANDLES_H_
