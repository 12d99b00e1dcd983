// The SQLite connection and statement wrappers (sqlite_db.h).
#include "src/store/sqlite_db.h"

#include <sqlite3.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace store_internal {

absl::StatusCode StatusCodeForSqlite(int result_code, int system_errno) {
  switch (result_code & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return absl::StatusCode::kOk;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
      return absl::StatusCode::kDataLoss;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::StatusCode::kPermissionDenied;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_TOOBIG:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_NOTFOUND:
      return absl::StatusCode::kNotFound;
    case SQLITE_CONSTRAINT:
      return absl::StatusCode::kAborted;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      if (system_errno == ENOENT || system_errno == ENOTDIR) {
        return absl::StatusCode::kNotFound;
      }
      if (system_errno == EACCES || system_errno == EPERM || system_errno == EROFS) {
        return absl::StatusCode::kPermissionDenied;
      }
      return result_code == SQLITE_CANTOPEN ? absl::StatusCode::kFailedPrecondition
                                            : absl::StatusCode::kUnavailable;
    default:
      return absl::StatusCode::kInternal;
  }
}

// --- Statement ----------------------------------------------------------------

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::BindInt64(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}

void Statement::BindText(int index, absl::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC,
                      SQLITE_UTF8);
}

void Statement::BindBlob(int index, absl::string_view value) {
  // A zero-length blob must still be a blob, not NULL: give SQLite a valid
  // pointer.
  static const char kEmpty = 0;
  sqlite3_bind_blob64(stmt_, index, value.empty() ? &kEmpty : value.data(), value.size(),
                      SQLITE_STATIC);
}

absl::StatusOr<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  last_result_code_ = sqlite3_extended_errcode(db_->handle());
  absl::Status status = db_->Error(rc, sql_);
  sqlite3_reset(stmt_);
  return status;
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  while (row.ok() && *row) row = Step();
  Reset();
  return row.status();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::ColumnInt64(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

absl::string_view Statement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  if (text == nullptr) return absl::string_view();
  return absl::string_view(reinterpret_cast<const char*>(text),
                           static_cast<size_t>(size));
}

absl::string_view Statement::ColumnBlob(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  if (blob == nullptr) return absl::string_view();
  return absl::string_view(static_cast<const char*>(blob), static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

// --- Database -----------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                         bool read_only,
                                                         const char* vfs) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE;
  flags |=
      read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs);
  if (rc != SQLITE_OK) {
    const int system_errno = db != nullptr ? sqlite3_system_errno(db) : 0;
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return absl::Status(StatusCodeForSqlite(rc, system_errno),
                        absl::StrCat("store '", path, "': cannot open: ", message));
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Database>(new Database(db, path));
}

Database::~Database() { sqlite3_close(db_); }

void Database::OnWalCommit(std::function<void(int pages)> hook) {
  wal_hook_ = std::move(hook);
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<Database*>(self)->wal_hook_(pages);
        return SQLITE_OK;
      },
      this);
}

absl::Status Database::CheckpointPassive() {
  const int rc =
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return Error(rc, "checkpoint the WAL");
  return absl::OkStatus();
}

absl::Status Database::PresizeWal(int64_t bytes) {
  PITBOSS_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE", "lock the WAL to size it"));
  const int rc = [&] {
    sqlite3_file* wal = nullptr;
    int result = sqlite3_file_control(db_, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
    if (result != SQLITE_OK) return result;
    if (wal == nullptr || wal->pMethods == nullptr) return SQLITE_MISUSE;
    // The unix VFS extends a file on a size hint only with a chunk size
    // (then to a multiple of it: Debian's build writes a byte into each new
    // block, one with posix_fallocate allocates them); the chunk size is
    // taken back right after, so nothing else changes.
    int chunk = 64 << 10;
    result = wal->pMethods->xFileControl(wal, SQLITE_FCNTL_CHUNK_SIZE, &chunk);
    if (result != SQLITE_OK) return result;
    sqlite3_int64 size = bytes;
    result = wal->pMethods->xFileControl(wal, SQLITE_FCNTL_SIZE_HINT, &size);
    chunk = 0;
    wal->pMethods->xFileControl(wal, SQLITE_FCNTL_CHUNK_SIZE, &chunk);
    if (result != SQLITE_OK) return result;
    // Now rather than inside the first commit's sync.
    return wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL | SQLITE_SYNC_DATAONLY);
  }();
  const absl::Status ended = Exec("ROLLBACK", "unlock the WAL after sizing it");
  if (rc != SQLITE_OK) return Error(rc, "size the WAL");
  return ended;
}

absl::Status Database::Exec(absl::string_view sql, absl::string_view what) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, what);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Statement>> Database::Prepare(absl::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, absl::StrCat("prepare ", sql));
  }
  return std::unique_ptr<Statement>(new Statement(this, stmt, std::string(sql)));
}

absl::Status Database::QueryFirstRow(absl::string_view sql, absl::string_view what,
                                     absl::FunctionRef<void(sqlite3_stmt*)> read) {
  sqlite3_stmt* stmt = nullptr;
  int rc =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, what);
  }
  rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    absl::Status status = rc == SQLITE_DONE
                              ? absl::InternalError(absl::StrCat(
                                    "store '", path_, "': ", what, ": no result"))
                              : Error(rc, what);
    sqlite3_finalize(stmt);
    return status;
  }
  read(stmt);
  sqlite3_finalize(stmt);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Database::QueryInt64(absl::string_view sql,
                                             absl::string_view what) {
  int64_t value = 0;
  PITBOSS_RETURN_IF_ERROR(QueryFirstRow(
      sql, what, [&](sqlite3_stmt* stmt) { value = sqlite3_column_int64(stmt, 0); }));
  return value;
}

absl::StatusOr<std::string> Database::QueryText(absl::string_view sql,
                                                absl::string_view what) {
  std::string value;
  PITBOSS_RETURN_IF_ERROR(QueryFirstRow(sql, what, [&](sqlite3_stmt* stmt) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) value = reinterpret_cast<const char*>(text);
  }));
  return value;
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

absl::Status Database::Error(int result_code, absl::string_view what) const {
  const int extended = sqlite3_extended_errcode(db_);
  const int code = (extended & 0xff) == (result_code & 0xff) ? extended : result_code;
  const int system_errno = sqlite3_system_errno(db_);
  std::string detail = sqlite3_errmsg(db_);
  const char* generic = sqlite3_errstr(code);
  if (generic != nullptr && detail != generic)
    absl::StrAppend(&detail, " (", generic, ")");
  return absl::Status(StatusCodeForSqlite(code, system_errno),
                      absl::StrCat("store '", path_, "': ", what, ": ", detail));
}

}  // namespace store_internal
}  // namespace pitboss
