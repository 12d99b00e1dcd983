// ThreadScratch: the thread's object is lent again call after call (keeping
// what it holds), a nested scratch gets one of its own, and threads do not
// share theirs.
#include "src/engine/thread_scratch.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace pitboss {
namespace engine {
namespace {

TEST(ThreadScratchTest, LendsTheThreadsObjectAgainWithItsContents) {
  std::vector<int>* first = nullptr;
  {
    ThreadScratch<std::vector<int>> scratch;
    first = &scratch.get();
    scratch.get().assign(100, 7);
  }
  ThreadScratch<std::vector<int>> again;
  EXPECT_EQ(&again.get(), first);
  EXPECT_EQ(again.get().size(), 100u);  // not cleared: the user empties it
  EXPECT_GE(again.get().capacity(), 100u);
}

TEST(ThreadScratchTest, ANestedScratchGetsItsOwnObject) {
  ThreadScratch<std::vector<int>> outer;
  outer.get().assign(3, 1);
  std::vector<int>* thread_object = &outer.get();
  {
    ThreadScratch<std::vector<int>> inner;
    EXPECT_NE(&inner.get(), thread_object);
    EXPECT_TRUE(inner.get().empty());
    inner.get().push_back(2);
  }
  EXPECT_EQ(outer.get(), std::vector<int>(3, 1));  // untouched by the inner one
}

TEST(ThreadScratchTest, ThreadsHaveTheirOwn) {
  ThreadScratch<std::vector<int>> mine;
  const std::vector<int>* here = &mine.get();
  const std::vector<int>* there = nullptr;
  std::thread other([&there] {
    ThreadScratch<std::vector<int>> theirs;
    there = &theirs.get();
  });
  other.join();
  EXPECT_NE(here, there);
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
