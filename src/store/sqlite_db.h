// A thin RAII layer over the SQLite C API for the store: one connection
// (Database) and its prepared statements (Statement), with SQLite result codes
// turned into absl::Status values whose messages name the store's path and
// what was being done.
//
// Why our own layer: the store needs only a handful of statements, each
// prepared once and reused for every event, and every failure has to become a
// clear status (corrupt file -> DATA_LOSS, read-only -> PERMISSION_DENIED,
// lock held by another process -> UNAVAILABLE, ...), never an exception.
//
// Thread-compatible: the connection is opened in SQLite's multi-thread mode
// (SQLITE_OPEN_NOMUTEX); the store serializes every use of it.
#ifndef PITBOSS_SRC_STORE_SQLITE_DB_H_
#define PITBOSS_SRC_STORE_SQLITE_DB_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pitboss {
namespace store_internal {

// The absl code for a SQLite (extended) result code; `system_errno` refines
// SQLITE_CANTOPEN and SQLITE_IOERR (ENOENT -> NOT_FOUND, EACCES/EPERM/EROFS ->
// PERMISSION_DENIED).
absl::StatusCode StatusCodeForSqlite(int result_code, int system_errno);

class Database;

// A prepared statement. Bind* take 1-based parameter indexes; text and blob
// arguments are NOT copied and must outlive the next Step()/Reset().
class Statement {
 public:
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void BindInt64(int index, int64_t value);
  void BindText(int index, absl::string_view value);
  void BindBlob(int index, absl::string_view value);

  // One step: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to the end (for statements that return no rows) and resets.
  absl::Status Run();
  // Back to the start with the bindings cleared.
  void Reset();

  int64_t ColumnInt64(int index) const;
  // Views into SQLite's buffers, valid until the next Step()/Reset().
  absl::string_view ColumnText(int index) const;
  absl::string_view ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;

  // The extended result code of the last failed Step() (0 before any).
  int last_result_code() const { return last_result_code_; }

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt, std::string sql)
      : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

  Database* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
  int last_result_code_ = 0;
};

class Database {
 public:
  // Opens `path` (":memory:" for a private in-memory database). `read_only`
  // opens without write access and never creates the file. `vfs`: a
  // registered VFS's name, null for SQLite's default.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        bool read_only,
                                                        const char* vfs = nullptr);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows of interest.
  absl::Status Exec(absl::string_view sql, absl::string_view what);
  absl::StatusOr<std::unique_ptr<Statement>> Prepare(absl::string_view sql);

  // A single integer (e.g. a PRAGMA's value), or a single text value.
  absl::StatusOr<int64_t> QueryInt64(absl::string_view sql, absl::string_view what);
  absl::StatusOr<std::string> QueryText(absl::string_view sql, absl::string_view what);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;

  // Calls hook(pages) after each commit with the WAL's size in pages, on the
  // committing thread (sqlite3_wal_hook). It replaces SQLite's automatic
  // checkpoint on this connection, which runs inside the commit.
  void OnWalCommit(std::function<void(int pages)> hook);
  // Copies what it can of the WAL into the database file without waiting for
  // readers or writers (SQLITE_CHECKPOINT_PASSIVE).
  absl::Status CheckpointPassive();

  // Extends the WAL file (with allocated blocks, synced) to at least `bytes`,
  // so that commits overwrite blocks the file already has instead of growing
  // it: a commit into a growing WAL also allocates the blocks, and a FULL
  // commit's fdatasync must journal the new size. Holds the write lock while
  // it does (nobody appends frames meanwhile) and writes only past the
  // file's end, where no frame is. SQLite reads what is past the last valid
  // frame as nothing and overwrites it. File databases in WAL mode only.
  absl::Status PresizeWal(int64_t bytes);

  // A status for a failed call with `result_code`: "store '<path>': <what>:
  // <sqlite message>".
  absl::Status Error(int result_code, absl::string_view what) const;

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Runs `sql` and hands its first row to `read`; an error when there is none.
  absl::Status QueryFirstRow(absl::string_view sql, absl::string_view what,
                             absl::FunctionRef<void(sqlite3_stmt*)> read);
  sqlite3* db_;
  std::string path_;
  std::function<void(int)> wal_hook_;
};

}  // namespace store_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_STORE_SQLITE_DB_H_
