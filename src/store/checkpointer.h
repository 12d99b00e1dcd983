// Copies a file store's WAL back into the database file on a thread of its
// own. SQLite's automatic checkpoint runs inside the commit that takes the WAL
// past its threshold, so that commit (and the batch waiting on it) pays for
// copying and syncing every page of the WAL; here the writer only wakes this
// thread, which checkpoints on its own connection while the store goes on
// evaluating and writing. PASSIVE: it never waits for readers or the writer,
// and what it cannot copy yet is copied the next time. A failed checkpoint
// loses nothing either (the WAL holds every commit): the WAL only grows until
// the next one, or the last connection's close, copies it.
#ifndef PITBOSS_SRC_STORE_CHECKPOINTER_H_
#define PITBOSS_SRC_STORE_CHECKPOINTER_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/store/sqlite_db.h"

namespace pitboss {
namespace store_internal {

class Checkpointer {
 public:
  // Opens its own connection to `path` with the store's `synchronous` pragma
  // (a checkpoint syncs the database file as that setting says) and starts
  // the thread, woken once the WAL holds `pages` pages.
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Start(const std::string& path,
                                                             absl::string_view synchronous,
                                                             int pages);
  // Stops the thread (after the checkpoint it is running, if any).
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Hook for the writer's Database::OnWalCommit, on the committing thread:
  // from `pages` WAL pages on, wakes the thread (again each time the WAL has
  // grown by `pages` more, not after every commit); from 4 times as many, the
  // WAL was never copied completely between two commits (the writer keeps a
  // transaction open while a batch is evaluated), so it is never reused from
  // its start and only grows: then `writer` checkpoints what is left itself,
  // right after its commit, and its next transaction restarts the WAL.
  void AfterCommit(Database& writer, int wal_pages);

 private:
  Checkpointer(std::unique_ptr<Database> db, int pages)
      : db_(std::move(db)), pages_(pages), next_wake_(pages) {}
  void Run();

  std::unique_ptr<Database> db_;
  const int pages_;
  // WAL size at which the next commit wakes the thread; read and written by
  // the committing thread only (commits are serialized by the store).
  int next_wake_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace store_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_STORE_CHECKPOINTER_H_
