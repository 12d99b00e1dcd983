// The store's background checkpointer (checkpointer.h).
#include "src/store/checkpointer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace store_internal {

absl::StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Start(
    const std::string& path, absl::string_view synchronous, int pages) {
  PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, false));
  PITBOSS_RETURN_IF_ERROR(
      db->Exec(absl::StrCat("PRAGMA synchronous = ", synchronous), "set synchronous"));
  std::unique_ptr<Checkpointer> checkpointer(new Checkpointer(std::move(db), pages));
  checkpointer->thread_ = std::thread([c = checkpointer.get()] { c->Run(); });
  return checkpointer;
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Checkpointer::AfterCommit(Database& writer, int wal_pages) {
  if (wal_pages < next_wake_) {
    if (wal_pages < pages_) next_wake_ = pages_;  // the WAL restarted
    return;
  }
  if (wal_pages >= 4 * pages_) {
    writer.CheckpointPassive().IgnoreError();  // see the header: nothing is lost
    return;
  }
  next_wake_ = wal_pages + pages_;  // once per `pages_` of growth, not per commit
  {
    std::lock_guard<std::mutex> lock(mu_);
    requested_ = true;
  }
  cv_.notify_one();
}

void Checkpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || requested_; });
    if (stop_) return;
    requested_ = false;
    lock.unlock();
    db_->CheckpointPassive().IgnoreError();  // see the header: nothing is lost
    lock.lock();
  }
}

}  // namespace store_internal
}  // namespace pitboss
