// The buffered-WAL VFS: every commit is in the file, whole, by the time
// another connection can see it (also for transactions that spill pages and
// read them back, and for ones larger than its buffer); a commit's frames
// reach the file in a few system calls instead of two per frame; and a write
// that fails surfaces as a failed commit that leaves the last one intact.
#include "src/store/buffered_wal_vfs.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <cstdint>
#include <fstream>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/temp_dir.h"

namespace pitboss {
namespace store_internal {
namespace {

using ::pitboss::testing::TempDir;

// A WAL-mode connection with synchronous=FULL, through `vfs` (null: default).
class Connection {
 public:
  Connection(const std::string& path, const char* vfs) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
              SQLITE_OK);
    Exec(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
        "PRAGMA busy_timeout = 5000");
  }
  ~Connection() { sqlite3_close(db_); }
  int Run(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  void Exec(const std::string& sql) {
    EXPECT_EQ(Run(sql), SQLITE_OK) << sql << ": " << sqlite3_errmsg(db_);
  }
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return value;
  }
  // Inserts `rows` rows of `bytes` random bytes (`seed` only tells calls apart).
  int Insert(int rows, int bytes, int seed) {
    return Run(
        absl::StrCat("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n ",
                     "WHERE i < ", rows, ") INSERT INTO t (payload) SELECT randomblob(",
                     bytes, ") FROM n -- ", seed));
  }
  sqlite3* db() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// What a reader sees: the row count and a digest of every payload.
std::string Contents(Connection& c) {
  return c.Text(
      "SELECT count(*) || '/' || ifnull(sum(length(payload)), 0) || '/' || "
      "ifnull(hex(substr(group_concat(hex(substr(payload, 1, 8)), ''), 1, 64)), '') "
      "FROM t");
}

// The process's write system calls so far (/proc/self/io "syscw").
int64_t WriteCalls() {
  std::ifstream io("/proc/self/io");
  std::string key;
  int64_t value = 0;
  while (io >> key >> value) {
    if (key == "syscw:") return value;
  }
  ADD_FAILURE() << "no syscw in /proc/self/io";
  return -1;
}

TEST(BufferedWalVfsTest, IsRegisteredUnderItsOwnNameAndNotAsTheDefault) {
  const char* name = BufferedWalVfs();
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(BufferedWalVfs(), name);
  EXPECT_NE(sqlite3_vfs_find(name), nullptr);
  EXPECT_NE(sqlite3_vfs_find(nullptr), sqlite3_vfs_find(name));
}

TEST(BufferedWalVfsTest, EveryCommitIsWholeInTheFileBeforeOthersSeeIt) {
  TempDir dir;
  const std::string path = dir.File("db");
  Connection writer(path, BufferedWalVfs());
  writer.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)");
  Connection reader(path, nullptr);
  std::mt19937 random(1);
  for (int commit = 0; commit < 60; ++commit) {
    // Small rows, rows over a page, and now and then 200 KB ones (several
    // 64 KB writes per flush).
    const int bytes = commit % 10 == 9 ? 200000 : static_cast<int>(random() % 6000) + 1;
    ASSERT_EQ(writer.Insert(static_cast<int>(random() % 20) + 1, bytes, commit),
              SQLITE_OK);
    ASSERT_EQ(Contents(reader), Contents(writer)) << "after commit " << commit;
  }
  EXPECT_EQ(reader.Text("PRAGMA integrity_check"), "ok");
}

TEST(BufferedWalVfsTest, ATransactionThatSpillsAndOutgrowsTheBufferCommitsWhole) {
  TempDir dir;
  const std::string path = dir.File("db");
  {
    Connection writer(path, BufferedWalVfs());
    // A 20-page cache: the transaction spills frames into the WAL, reads
    // them back and rewrites some (the same pages changed again), and its
    // 12 MB pass the 8 MB the VFS keeps pending.
    writer.Exec(
        "PRAGMA cache_size = 20; CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)");
    writer.Exec("BEGIN");
    ASSERT_EQ(writer.Insert(3000, 4000, 1), SQLITE_OK);
    writer.Exec("UPDATE t SET payload = randomblob(3000) WHERE id % 7 = 0");
    writer.Exec("DELETE FROM t WHERE id % 11 = 0");
    const std::string before_commit = Contents(writer);
    writer.Exec("COMMIT");
    Connection reader(path, nullptr);
    EXPECT_EQ(Contents(reader), before_commit);
    EXPECT_EQ(reader.Text("PRAGMA integrity_check"), "ok");
  }
  // Reopened after both closed (the last one checkpoints): the same.
  Connection again(path, nullptr);
  EXPECT_EQ(again.Text("SELECT count(*) FROM t"), std::to_string(3000 - 3000 / 11));
  EXPECT_EQ(again.Text("PRAGMA integrity_check"), "ok");
}

TEST(BufferedWalVfsTest, ACommitsFramesTakeAFewWritesNotTwoPerFrame) {
  TempDir dir;
  auto writes_for_commit = [&dir](const char* vfs, const std::string& name) {
    Connection c(dir.File(name), vfs);
    c.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)");
    const int64_t before = WriteCalls();
    EXPECT_EQ(c.Insert(300, 3000, 7), SQLITE_OK);  // ~300 frames
    return WriteCalls() - before;
  };
  const int64_t unbuffered = writes_for_commit(nullptr, "plain");
  const int64_t buffered = writes_for_commit(BufferedWalVfs(), "buffered");
  EXPECT_GE(unbuffered, 2 * 300);
  EXPECT_LE(buffered, 40) << "unbuffered: " << unbuffered;
}

TEST(BufferedWalVfsTest, AFailedWriteFailsTheCommitAndKeepsTheLastOne) {
  TempDir dir;
  const std::string path = dir.File("db");
  Connection writer(path, BufferedWalVfs());
  writer.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)");
  ASSERT_EQ(writer.Insert(10, 1000, 1), SQLITE_OK);
  Connection reader(path, nullptr);
  const std::string committed = Contents(reader);

  // No file of this process may grow past 1 MB: the next commit's flush fails
  // (EFBIG; SIGXFSZ ignored so that the write returns the error).
  struct rlimit old_limit;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_action;
  ASSERT_EQ(sigaction(SIGXFSZ, &ignore, &old_action), 0);
  struct rlimit limit = old_limit;
  limit.rlim_cur = 1 << 20;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limit), 0);
  const int failed = writer.Insert(500, 4000, 2);
  setrlimit(RLIMIT_FSIZE, &old_limit);
  sigaction(SIGXFSZ, &old_action, nullptr);

  EXPECT_NE(failed, SQLITE_OK);
  EXPECT_EQ(Contents(reader), committed);
  EXPECT_EQ(Contents(writer), committed);
  // The connection goes on: the next commit lands.
  ASSERT_EQ(writer.Insert(5, 1000, 3), SQLITE_OK);
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "15");
  EXPECT_EQ(reader.Text("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace store_internal
}  // namespace pitboss
