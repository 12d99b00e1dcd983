// The embedded SQLite store (include/pitboss/store.h).
//
// Apply and ApplyBatch share one path: a batch of one is a per-event commit.
// A batch runs in three phases, with the batch's account stripes held
// throughout (so no other thread of this process touches its accounts):
//   1. read    (on the read connection): the idempotency rows of the batch's
//              events, and its accounts: taken out of the in-memory cache of
//              parsed accounts, or loaded and parsed from their rows. When
//              workers evaluate (2), the calling thread reads event after
//              event while they evaluate the events already read;
//   2. decide  (no connection): Engine::EvaluateInPlace changes each account
//              in place, event after event in input order. Different accounts
//              are evaluated in parallel on the worker pool, each event with
//              the audit sequence it will get when everything before it is
//              written; a batch with a repeated event_id is decided in input
//              order on one thread (a duplicate's answer depends on whether
//              the earlier one applied);
//   3. write   (under the connection mutex, one BEGIN IMMEDIATE .. COMMIT):
//              each decided event gets its idempotency row, account row
//              (optimistic `version` check), the account version it leaves
//              (account_versions: one row per account and batch, the earlier
//              versions packed as deltas into the latest's row; found by the
//              idempotency row through the audit row) and audit row, in input
//              order, its
//              record linked to the real chain head (usually only the previous
//              hash changes: cheap; when other writers took the predicted
//              sequence, the record is rebuilt). Group commit across threads:
//              batches that finish deciding while another thread is committing
//              wait, and the next one to commit writes all of them in one
//              transaction (one fsync), each under its own savepoint. When
//              workers evaluate a batch (file stores), its own thread writes
//              each event as soon as it is decided, overlapping 2 and 3.
// A failure inside a batch's writes undoes that batch (savepoint) and every
// event of it that would have been written reports it; a failure of the
// transaction itself fails every batch in it. Nothing is ever half done.
//
// The cache: after a successful commit, the batch's accounts go back into the
// cache as they are after the batch. An account whose evaluation failed is
// restored from the bytes of its last good state; an account with any event
// not written (a conflict, a failed commit) is dropped, so the cache never
// holds a state that is not the stored one. Another process (or another Store
// on the same file) may still have written the account since: the version
// check in phase 3 catches that — also for events that leave the account
// unchanged — and the event (with the account's later events of the batch) is
// applied again from a fresh load.
#include "pitboss/store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "src/common/status_macros.h"
#include "src/domain/event_envelope.h"
#include "src/domain/proto_time.h"
#include "src/engine/audit_chain.h"
#include "src/store/account_locks.h"
#include "src/store/audit_link.h"
#include "src/store/buffered_wal_vfs.h"
#include "src/store/checkpointer.h"
#include "src/store/ready_flags.h"
#include "src/store/schema.h"
#include "src/store/sqlite_db.h"
#include "src/store/version_pack.h"
#include "src/store/worker_pool.h"

namespace pitboss {
namespace store_internal {
namespace {

constexpr char kMemoryPath[] = ":memory:";
// SQLITE_CONSTRAINT_PRIMARYKEY / _UNIQUE (extended codes).
constexpr int kConstraintPrimaryKey = 19 | (6 << 8);
constexpr int kConstraintUnique = 19 | (8 << 8);
// Audit rows read per step when verifying.
constexpr int kVerifyChunk = 1024;

std::string Dirname(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Clear errors before SQLite gets a chance to give a vague one.
absl::Status CheckPath(const std::string& path, bool read_only) {
  const std::string dir = Dirname(path);
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return absl::NotFoundError(
          absl::StrCat("store '", path, "': directory '", dir, "' does not exist"));
    }
    return absl::PermissionDeniedError(absl::StrCat("store '", path, "': directory '",
                                                    dir, "': ", std::strerror(errno)));
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(
        absl::StrCat("store '", path, "': '", dir, "' is not a directory"));
  }
  const bool exists = stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("store '", path, "': is a directory, not a store file"));
  }
  if (read_only) {
    if (!exists) {
      return absl::NotFoundError(absl::StrCat("store '", path, "': no such file"));
    }
    return absl::OkStatus();
  }
  if (exists && access(path.c_str(), W_OK) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("store '", path, "': the file is not writable (",
                     std::strerror(errno), "); open it with read_only to inspect it"));
  }
  if (access(dir.c_str(), W_OK) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "store '", path, "': directory '", dir, "' is not writable (",
        std::strerror(errno),
        "); the store needs to create its file and the '-wal' and '-shm' files there"));
  }
  return absl::OkStatus();
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

// Deterministic serialization: engine::CanonicalBytes without its reflection
// walk for unknown fields. The walk is redundant here: a decision comes from
// the engine, and an event is only stored after the engine hashed it into
// the audit payload, which refuses unknown fields — so for everything the
// store writes these are exactly the canonical bytes (and VerifyAudit checks
// them with the engine's own functions).
std::string DeterministicBytes(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

// The audit row's record fields, in the column order of kAuditColumns.
constexpr char kAuditColumns[] =
    "sequence, event_id, account_id, account_version, recorded_at_seconds, "
    "recorded_at_nanos, payload_hash, leaf_hash, previous_record_hash, record_hash";

v1::AuditRecord ReadRecord(const Statement& s, int first) {
  v1::AuditRecord record;
  record.set_sequence(static_cast<uint64_t>(s.ColumnInt64(first)));
  record.set_event_id(std::string(s.ColumnText(first + 1)));
  record.set_account_id(std::string(s.ColumnText(first + 2)));
  record.set_account_version(s.ColumnInt64(first + 3));
  record.mutable_recorded_at()->set_seconds(s.ColumnInt64(first + 4));
  record.mutable_recorded_at()->set_nanos(static_cast<int32_t>(s.ColumnInt64(first + 5)));
  record.set_payload_hash(std::string(s.ColumnBlob(first + 6)));
  record.set_leaf_hash(std::string(s.ColumnBlob(first + 7)));
  record.set_previous_record_hash(std::string(s.ColumnBlob(first + 8)));
  record.set_record_hash(std::string(s.ColumnBlob(first + 9)));
  return record;
}

// What happens to one event of a batch.
enum class Fate {
  kError,      // bad input or a conflict: `error`, nothing stored
  kStored,     // a duplicate of an event recorded earlier: `response`
  kSameBatch,  // a duplicate of event `original` of this batch
  kDecided,    // evaluated; written in phase 3
  kWritten,    // committed
};

struct AccountSlot;

struct Work {
  const v1::Event* event = nullptr;
  absl::Time now;
  Fate fate = Fate::kError;
  absl::Status error;
  // The error is a conflict with another writer of the file: the event is
  // applied again (from a fresh load of its account).
  bool retry = false;
  // Made by HashEvent when first needed: on the evaluating thread, or in
  // phase 1 for an event_id already recorded or repeated in the batch.
  std::string event_bytes;  // deterministic serialization (canonical once evaluated)
  std::string event_hash;   // SHA-256 of event_bytes
  size_t original = 0;      // kSameBatch
  AccountSlot* slot = nullptr;
  // Parallel evaluation: the audit sequence this event gets when every event
  // before it in the batch is written.
  uint64_t sequence = 0;
  // EvaluateInPlace succeeded: the slot's account carries this event.
  bool evaluated = false;
  v1::EvaluateResponse response;
  // kDecided: the account's version before this event (0: no account row).
  int64_t version_before = 0;
  bool account_changed = false;
  std::string account_bytes;   // the account after (binary protobuf)
  // The version this event superseded, when an earlier event of the batch
  // left it, as a delta against account_bytes (version_pack.h), made on the
  // evaluating thread; delta_of is the Work whose account_bytes it encodes.
  std::string superseded_delta;
  const Work* delta_of = nullptr;
  std::string decision_bytes;  // canonical; redone when the record is re-linked
};

absl::Status HashEvent(Work& w) {
  if (!w.event_hash.empty()) return absl::OkStatus();
  w.event_bytes = DeterministicBytes(*w.event);
  PITBOSS_ASSIGN_OR_RETURN(w.event_hash, engine::Sha256(w.event_bytes));
  return absl::OkStatus();
}

// One account of a batch, changed in place by its events in input order.
struct AccountSlot {
  std::string id;
  std::unique_ptr<v1::Account> account;  // null: no such account (yet)
  bool from_cache = false;
  bool read = false;         // phase 1 loaded it (or tried)
  std::string loaded_bytes;  // the row, when loaded from the database
  // Phase 1 leaves the parsing to the first evaluation (off the thread that
  // reads and writes): the row's version, checked against the parsed account.
  bool parse_pending = false;
  int64_t loaded_version = 0;
  absl::Status load_error;   // could not be (re)loaded: its events fail
  int queued = -1;  // parallel evaluation: its latest event queued so far
  int last = -1;               // its last successfully evaluated event
};

// The read statements, prepared once per connection.
struct Reads {
  std::unique_ptr<Statement> get_account;
  std::unique_ptr<Statement> get_recorded;
  std::unique_ptr<Statement> get_head;
  // One read transaction around a batch's lookups: one snapshot and one
  // round of WAL-index locking, instead of one per statement.
  std::unique_ptr<Statement> begin;
  std::unique_ptr<Statement> end;
};

}  // namespace

class StoreImpl {
 public:
  static absl::StatusOr<std::unique_ptr<StoreImpl>> Open(const std::string& path,
                                                         const StoreOptions& options);

  std::vector<absl::StatusOr<ApplyResult>> Apply(const Engine& engine,
                                                 absl::Span<const v1::Event* const> events,
                                                 absl::Span<const absl::Time> nows);
  absl::StatusOr<v1::Account> GetAccount(absl::string_view account_id) const;
  absl::StatusOr<v1::AuditChainHead> AuditHead() const;
  absl::Status VerifyAudit() const;
  absl::StatusOr<int64_t> IdempotencyKeyCount() const;

 private:
  StoreImpl(std::string path, const StoreOptions& options, std::unique_ptr<Database> db)
      : path_(std::move(path)),
        options_(options),
        pool_(options.evaluation_threads),
        db_(std::move(db)) {}
  absl::Status Prepare(Database& db, Reads& reads);
  absl::Status Prepare();

  // One attempt at a batch; `*retry` gets the indexes of events that met
  // another writer's change and are to be applied again.
  std::vector<absl::StatusOr<ApplyResult>> ApplyOnce(
      const Engine& engine, absl::Span<const v1::Event* const> events,
      absl::Span<const absl::Time> nows, std::vector<size_t>* retry);

  // Read helpers; the caller holds the mutex of the connection of `reads`.
  absl::StatusOr<v1::AuditChainHead> ReadHeadLocked(Reads& reads) const;
  absl::Status ReadRecordedLocked(Reads& reads, Work& work) const;
  // Phase 1 for the events still to decide, in input order, in one read
  // transaction: loads the account of a slot not taken from the cache (at
  // its first event), then kStored when the event was recorded before (the
  // response read back), kError when that fails. Marks each event in
  // `*done` (unless null) once read, or when there was nothing to read.
  void ReadEvents(std::vector<Work>& works, ReadyFlags* done) const;
  // Parses the stored account into `*out` (and its bytes into `*bytes` unless
  // null); false when there is none.
  absl::StatusOr<bool> LoadAccountLocked(Reads& reads, absl::string_view account_id,
                                         v1::Account* out, std::string* bytes) const;
  // The account row's version and bytes, unparsed; false when there is none.
  absl::StatusOr<bool> ReadAccountRowLocked(Reads& reads, absl::string_view account_id,
                                            int64_t* version, std::string* bytes) const;
  // Parses a row read by ReadAccountRowLocked; DATA_LOSS when it does not
  // parse or its version disagrees with the row's.
  absl::Status ParseAccountRow(absl::string_view account_id, absl::string_view bytes,
                               int64_t version, v1::Account* out) const;

  // Phase 2: evaluates works[i] on its slot's account, chained after `head`.
  void EvaluateOne(const Engine& engine, std::vector<Work>& works, size_t i,
                   const v1::AuditChainHead& head);
  // Puts a slot's account back to its last good state after a failed
  // evaluation left it unspecified.
  absl::Status RestoreAccount(AccountSlot& slot, const std::vector<Work>& works);
  // After the batch: clean accounts back into the cache.
  void ReturnToCache(std::deque<AccountSlot>& slots, const std::vector<Work>& works,
                     bool committed);

  // Phase 3 (db_mu_ held, inside the transaction).
  // One batch's decided events, waiting for a group commit.
  // A batch whose evaluation is still running (pipelining): the writer waits
  // for each event's flag, running evaluation tasks through `help` meanwhile.
  struct Pipeline {
    ReadyFlags* ready;
    absl::FunctionRef<bool()> help;
  };
  struct PendingWrite {
    std::vector<Work>* works = nullptr;
    const Pipeline* pipeline = nullptr;  // null: every event is decided
    absl::Time latest;                   // the latest `now` of its events to write
    absl::Status status;                 // this batch's own failure, else the commit's
    bool done = false;
  };
  // Writes `works` in a transaction shared with whatever other threads'
  // batches are waiting at the same time (group commit: one fsync for all).
  // With a pipeline, the events are written as their evaluation finishes.
  absl::Status CommitGroup(std::vector<Work>& works, const Pipeline* pipeline = nullptr);
  absl::Status WriteGroupsLocked(absl::Span<PendingWrite* const> groups);
  // What the writes of one batch (under its savepoint) keep until its end.
  struct BatchWrites {
    absl::flat_hash_set<std::string> tainted;  // accounts with a dropped event
    // The versions each account got in this batch, inserted at its end as
    // one row: the latest as it is, the earlier ones packed into it (so each
    // is written once, and an account changed n times costs one row, not n).
    struct Version {
      int64_t version = 0;
      const Work* work = nullptr;  // whose account_bytes are the version
      int64_t row_version = 0;     // what the accounts row says now
      // The latest expiry of the rows returning any of the versions.
      absl::Time keep_until = absl::InfinitePast();
      std::vector<EarlierVersion> earlier;  // oldest first
    };
    absl::flat_hash_map<std::string, Version> versions;
    std::deque<std::string> deltas;  // encoded by the writer (stable addresses)
  };
  absl::Status WriteOneLocked(Work& work, v1::AuditChainHead& head, BatchWrites& batch);
  // Inserts the row of an account's versions from this batch, current.
  absl::Status InsertVersionLocked(absl::string_view account_id,
                                   const BatchWrites::Version& version);
  // A conflict with another writer: nothing of the event stays, it is retried.
  absl::Status ConflictLocked(Work& w, absl::flat_hash_set<std::string>& tainted,
                              absl::string_view what);

  absl::Status Error(absl::StatusCode code, absl::string_view message) const {
    return absl::Status(code, absl::StrCat("store '", path_, "': ", message));
  }

  const std::string path_;
  const StoreOptions options_;
  AccountLocks locks_;
  WorkerPool pool_;
  mutable std::mutex db_mu_;  // the connection and its statements
  // Batches waiting to be written, and whether a thread is writing.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingWrite*> queue_;
  bool leader_active_ = false;
  // The chain head after the last commit of this Store (a hint: another
  // process may have written since).
  mutable std::mutex hint_mu_;
  v1::AuditChainHead head_hint_;
  // Parsed accounts by id (StoreOptions.account_cache_size).
  std::mutex cache_mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<v1::Account>> cache_;

  // File stores: copies the WAL into the file off the commit path. Declared
  // before db_, so it stops after db_ (whose commits wake it) is closed.
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<Database> db_;
  Reads writer_reads_;  // on db_, inside write transactions
  std::unique_ptr<Statement> get_version_;
  std::unique_ptr<Statement> insert_account_;
  std::unique_ptr<Statement> update_account_;
  std::unique_ptr<Statement> set_account_version_;
  std::unique_ptr<Statement> insert_version_;
  std::unique_ptr<Statement> supersede_version_;
  std::unique_ptr<Statement> extend_version_;
  std::unique_ptr<Statement> insert_idempotency_;
  std::unique_ptr<Statement> delete_idempotency_;
  std::unique_ptr<Statement> prune_idempotency_;
  std::unique_ptr<Statement> prune_versions_;
  std::unique_ptr<Statement> insert_audit_;
  std::unique_ptr<Statement> set_head_;
  std::unique_ptr<Statement> begin_;
  std::unique_ptr<Statement> commit_;
  std::unique_ptr<Statement> rollback_;
  std::unique_ptr<Statement> savepoint_;
  std::unique_ptr<Statement> rollback_to_savepoint_;
  std::unique_ptr<Statement> release_savepoint_;

  // The read connection (WAL: readers do not wait for the writer). For
  // ":memory:" and read-only stores it is db_ itself, under db_mu_.
  std::unique_ptr<Database> own_read_db_;
  Database* read_db_ = nullptr;
  mutable std::mutex own_read_mu_;
  std::mutex* read_mu_ = nullptr;
  mutable Reads reads_;
};

absl::StatusOr<std::unique_ptr<StoreImpl>> StoreImpl::Open(const std::string& path,
                                                           const StoreOptions& options) {
  if (path.empty()) {
    return absl::InvalidArgumentError("store path: empty (use \":memory:\" for no file)");
  }
  if (options.idempotency_retention < absl::ZeroDuration() ||
      options.idempotency_retention == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("StoreOptions.idempotency_retention: must be finite and >= 0 (got ",
                     absl::FormatDuration(options.idempotency_retention), ")"));
  }
  if (options.busy_timeout < absl::ZeroDuration() ||
      options.busy_timeout > absl::Hours(24)) {
    return absl::InvalidArgumentError(
        absl::StrCat("StoreOptions.busy_timeout: must be within 0..24h (got ",
                     absl::FormatDuration(options.busy_timeout), ")"));
  }
  if (options.evaluation_threads < 1 || options.evaluation_threads > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("StoreOptions.evaluation_threads: must be within 1..64 (got ",
                     options.evaluation_threads, ")"));
  }
  if (options.checkpoint_pages < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("StoreOptions.checkpoint_pages: must be >= 1 (got ",
                     options.checkpoint_pages, ")"));
  }
  if (options.account_cache_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("StoreOptions.account_cache_size: must be >= 0 (got ",
                     options.account_cache_size, ")"));
  }
  const bool memory = path == kMemoryPath;
  if (memory && options.read_only) {
    return absl::InvalidArgumentError(
        "store ':memory:': read_only makes no sense for a new in-memory store");
  }
  if (!memory) PITBOSS_RETURN_IF_ERROR(CheckPath(path, options.read_only));
  const std::string busy_timeout = absl::StrCat(
      "PRAGMA busy_timeout = ", absl::ToInt64Milliseconds(options.busy_timeout));
  // The writer of a FULL file store hands each commit's WAL frames to the
  // file in 64 KB writes, not two per frame (buffered_wal_vfs.h; only FULL
  // syncs the WAL at every commit).
  const bool buffered_wal = !memory && !options.read_only &&
                            options.synchronous == StoreOptions::Sync::kFull;
  PITBOSS_ASSIGN_OR_RETURN(
      std::unique_ptr<Database> db,
      Database::Open(path, options.read_only, buffered_wal ? BufferedWalVfs() : nullptr));
  PITBOSS_RETURN_IF_ERROR(db->Exec(busy_timeout, "set busy_timeout"));
  // Header and version first: a file that is not a pitboss store (or one
  // from a newer pitboss) is refused before anything is written to it
  // (journal_mode=WAL writes the header).
  PITBOSS_ASSIGN_OR_RETURN(const int64_t version, ReadSchemaVersion(*db));
  if (options.read_only && version < CurrentSchemaVersion()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store '", path, "': schema version ", version, " needs migrating to ",
        CurrentSchemaVersion(), (version == 0 ? " (an empty file)" : ""),
        "; open it read-write once"));
  }
  if (!memory && !options.read_only) {
    PITBOSS_ASSIGN_OR_RETURN(std::string mode, db->QueryText("PRAGMA journal_mode = WAL",
                                                             "set journal_mode=WAL"));
    if (mode != "wal") {
      return absl::FailedPreconditionError(absl::StrCat(
          "store '", path, "': cannot use WAL mode (journal_mode stays '", mode, "')"));
    }
  }
  const char* synchronous =
      options.synchronous == StoreOptions::Sync::kFull ? "FULL" : "NORMAL";
  PITBOSS_RETURN_IF_ERROR(
      db->Exec(absl::StrCat("PRAGMA synchronous = ", synchronous), "set synchronous"));
  if (version < CurrentSchemaVersion()) PITBOSS_RETURN_IF_ERROR(Migrate(*db));
  std::unique_ptr<StoreImpl> store(new StoreImpl(path, options, std::move(db)));
  if (memory || options.read_only) {
    store->read_db_ = store->db_.get();
    store->read_mu_ = &store->db_mu_;
  } else {
    PITBOSS_ASSIGN_OR_RETURN(store->own_read_db_, Database::Open(path, false));
    PITBOSS_RETURN_IF_ERROR(store->own_read_db_->Exec(busy_timeout, "set busy_timeout"));
    store->read_db_ = store->own_read_db_.get();
    store->read_mu_ = &store->own_read_mu_;
    PITBOSS_ASSIGN_OR_RETURN(
        store->checkpointer_,
        Checkpointer::Start(path, synchronous, options.checkpoint_pages));
    store->db_->OnWalCommit([checkpointer = store->checkpointer_.get(),
                             writer = store->db_.get()](int pages) {
      checkpointer->AfterCommit(*writer, pages);
    });
  }
  PITBOSS_RETURN_IF_ERROR(store->Prepare());
  PITBOSS_ASSIGN_OR_RETURN(store->head_hint_, store->ReadHeadLocked(store->reads_));
  if (!memory && !options.read_only) {
    // The WAL at the size the checkpointer lets it reach, so that commits do
    // not grow it (docs/performance.md, Session 8). Best effort, and never
    // waiting for another process's writer; a store works without it.
    PITBOSS_RETURN_IF_ERROR(store->db_->Exec("PRAGMA busy_timeout = 0", "set busy_timeout"));
    store->db_->PresizeWal(int64_t{options.checkpoint_pages} * 4096).IgnoreError();
    PITBOSS_RETURN_IF_ERROR(store->db_->Exec(busy_timeout, "set busy_timeout"));
  }
  return store;
}

absl::Status StoreImpl::Prepare(Database& db, Reads& reads) {
  PITBOSS_ASSIGN_OR_RETURN(
      reads.get_account,
      db.Prepare("SELECT a.version, v.account FROM accounts a LEFT JOIN account_versions v "
                 "ON v.account_id = a.account_id AND v.version = a.version "
                 "WHERE a.account_id = ?1"));
  PITBOSS_ASSIGN_OR_RETURN(
      reads.get_recorded,
      db.Prepare(absl::StrCat(
          "SELECT i.event_hash, i.expires_at_micros, v.account, a.decision, ",
          "a.sequence, a.event_id, a.account_id, a.account_version, ",
          "a.recorded_at_seconds, a.recorded_at_nanos, a.payload_hash, a.leaf_hash, ",
          "a.previous_record_hash, a.record_hash, v.version, v.earlier ",
          "FROM idempotency i LEFT JOIN audit a ON a.sequence = i.audit_sequence ",
          // The row holding the version: the first at or after it.
          "LEFT JOIN account_versions v ON v.account_id = a.account_id AND v.version = ",
          "(SELECT min(version) FROM account_versions ",
          "WHERE account_id = a.account_id AND version >= a.account_version) ",
          "WHERE i.event_id = ?1")));
  PITBOSS_ASSIGN_OR_RETURN(
      reads.get_head, db.Prepare("SELECT sequence, record_hash FROM audit_head WHERE id = 1"));
  PITBOSS_ASSIGN_OR_RETURN(reads.begin, db.Prepare("BEGIN"));
  PITBOSS_ASSIGN_OR_RETURN(reads.end, db.Prepare("COMMIT"));
  return absl::OkStatus();
}

absl::Status StoreImpl::Prepare() {
  PITBOSS_RETURN_IF_ERROR(Prepare(*db_, writer_reads_));
  PITBOSS_RETURN_IF_ERROR(Prepare(*read_db_, reads_));
  struct {
    std::unique_ptr<Statement>* out;
    std::string sql;
  } statements[] = {
      {&get_version_, "SELECT version FROM accounts WHERE account_id = ?1"},
      {&insert_account_, "INSERT INTO accounts (account_id, version) VALUES (?1, ?2)"},
      {&update_account_,
       "UPDATE accounts SET version = ?2 WHERE account_id = ?1 AND version = ?3"},
      // At a batch's end, under the write lock since its first check.
      {&set_account_version_, "UPDATE accounts SET version = ?2 WHERE account_id = ?1"},
      // Current (expires_at NULL); ?5 unbound (NULL): no earlier versions.
      {&insert_version_,
       "INSERT INTO account_versions (account_id, version, account, keep_until_micros, "
       "earlier) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&supersede_version_,
       "UPDATE account_versions SET expires_at_micros = keep_until_micros "
       "WHERE account_id = ?1 AND version = ?2"},
      {&extend_version_,
       "UPDATE account_versions SET keep_until_micros = max(keep_until_micros, ?3) "
       "WHERE account_id = ?1 AND version = ?2"},
      {&insert_idempotency_,
       "INSERT INTO idempotency (event_id, event_hash, audit_sequence, expires_at_micros) "
       "VALUES (?1, ?2, ?3, ?4)"},
      {&delete_idempotency_, "DELETE FROM idempotency WHERE event_id = ?1"},
      {&prune_idempotency_, "DELETE FROM idempotency WHERE expires_at_micros <= ?1"},
      // Superseded versions no idempotency row returns any more (a current
      // version's expires_at is NULL).
      {&prune_versions_, "DELETE FROM account_versions WHERE expires_at_micros <= ?1"},
      {&insert_audit_, absl::StrCat("INSERT INTO audit (", kAuditColumns,
                                    ", event, decision) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                    "?7, ?8, ?9, ?10, ?11, ?12)")},
      {&set_head_, "UPDATE audit_head SET sequence = ?1, record_hash = ?2 WHERE id = 1"},
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      {&savepoint_, "SAVEPOINT batch"},
      {&rollback_to_savepoint_, "ROLLBACK TO batch"},
      {&release_savepoint_, "RELEASE batch"},
  };
  for (auto& s : statements) {
    PITBOSS_ASSIGN_OR_RETURN(*s.out, db_->Prepare(s.sql));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::AuditChainHead> StoreImpl::ReadHeadLocked(Reads& reads) const {
  Statement& s = *reads.get_head;
  PITBOSS_ASSIGN_OR_RETURN(const bool row, s.Step());
  if (!row) {
    s.Reset();
    return Error(absl::StatusCode::kDataLoss,
                 "audit_head: the chain head row is missing");
  }
  v1::AuditChainHead head;
  head.set_sequence(static_cast<uint64_t>(s.ColumnInt64(0)));
  head.set_record_hash(std::string(s.ColumnBlob(1)));
  s.Reset();
  return head;
}

absl::Status StoreImpl::ReadRecordedLocked(Reads& reads, Work& work) const {
  Statement& s = *reads.get_recorded;
  s.BindText(1, work.event->event_id());
  absl::StatusOr<bool> row = s.Step();
  if (!row.ok() || !*row) {
    s.Reset();
    return row.status();
  }
  // A row past its retention counts as gone (it is pruned by the next write).
  if (s.ColumnInt64(1) <= Micros(work.now)) {
    s.Reset();
    return absl::OkStatus();
  }
  if (absl::Status hashed = HashEvent(work); !hashed.ok()) {
    s.Reset();
    return hashed;
  }
  if (s.ColumnBlob(0) != work.event_hash) {
    const int64_t sequence = s.ColumnInt64(4);
    s.Reset();
    work.fate = Fate::kError;
    work.error = absl::AlreadyExistsError(absl::StrCat(
        "event.event_id: '", work.event->event_id(),
        "' was already applied with a different payload (audit sequence ", sequence,
        "); an event id is an idempotency key and cannot be reused; nothing changed"));
    return absl::OkStatus();
  }
  if (s.ColumnIsNull(4)) {
    s.Reset();
    return Error(absl::StatusCode::kDataLoss,
                 absl::StrCat("idempotency row of event '", work.event->event_id(),
                              "' points at a missing audit record"));
  }
  const int64_t version = s.ColumnInt64(7);
  std::string account;  // empty: no account (version 0)
  if (version > 0) {
    absl::StatusOr<std::string> unpacked =
        s.ColumnIsNull(2) ? absl::NotFoundError("no row")
                          : UnpackVersion(s.ColumnInt64(14), s.ColumnBlob(2), s.ColumnBlob(15),
                                          version);
    if (!unpacked.ok()) {
      s.Reset();
      return Error(absl::StatusCode::kDataLoss,
                   absl::StrCat("idempotency row of event '", work.event->event_id(),
                                "' points at account version ", version,
                                absl::IsNotFound(unpacked.status())
                                    ? ", which is missing"
                                    : absl::StrCat(", which does not decode: ",
                                                   unpacked.status().message())));
    }
    account = *std::move(unpacked);
  }
  v1::EvaluateResponse& response = work.response;
  const absl::string_view decision = s.ColumnBlob(3);
  if (!response.mutable_account()->ParseFromArray(account.data(),
                                                  static_cast<int>(account.size())) ||
      !response.mutable_decision()->ParseFromArray(decision.data(),
                                                   static_cast<int>(decision.size()))) {
    s.Reset();
    return Error(absl::StatusCode::kDataLoss,
                 absl::StrCat("recorded response of event '", work.event->event_id(),
                              "' does not parse"));
  }
  *response.mutable_audit() = ReadRecord(s, 4);
  s.Reset();
  work.fate = Fate::kStored;
  return absl::OkStatus();
}


void StoreImpl::ReadEvents(std::vector<Work>& works, ReadyFlags* done) const {
  std::lock_guard<std::mutex> lock(*read_mu_);
  // One lookup needs no transaction of its own around it.
  const bool in_transaction = works.size() > 1;
  const absl::Status begun = in_transaction ? reads_.begin->Run() : absl::OkStatus();
  for (size_t i = 0; i < works.size(); ++i) {
    Work& w = works[i];
    if (w.fate == Fate::kDecided) {
      AccountSlot& slot = *w.slot;
      if (!slot.from_cache && !slot.read) {
        slot.read = true;
        absl::StatusOr<bool> exists =
            begun.ok()
                ? ReadAccountRowLocked(reads_, slot.id, &slot.loaded_version, &slot.loaded_bytes)
                : begun;
        if (!exists.ok()) {
          slot.load_error = exists.status();
        } else {
          slot.parse_pending = *exists;
        }
      }
      absl::Status recorded = begun.ok() ? ReadRecordedLocked(reads_, w) : begun;
      if (!recorded.ok()) {
        w.fate = Fate::kError;
        w.error = std::move(recorded);
      }
    }
    if (done != nullptr) done->Mark(i);
  }
  if (in_transaction && begun.ok()) {
    reads_.end->Run().IgnoreError();  // read-only: nothing to lose
  }
}

absl::StatusOr<bool> StoreImpl::LoadAccountLocked(Reads& reads,
                                                  absl::string_view account_id,
                                                  v1::Account* out,
                                                  std::string* bytes_out) const {
  std::string bytes;
  int64_t version = 0;
  PITBOSS_ASSIGN_OR_RETURN(const bool exists,
                           ReadAccountRowLocked(reads, account_id, &version, &bytes));
  if (!exists) return false;
  PITBOSS_RETURN_IF_ERROR(ParseAccountRow(account_id, bytes, version, out));
  if (bytes_out != nullptr) *bytes_out = std::move(bytes);
  return true;
}

absl::StatusOr<bool> StoreImpl::ReadAccountRowLocked(Reads& reads,
                                                     absl::string_view account_id,
                                                     int64_t* version,
                                                     std::string* bytes) const {
  Statement& s = *reads.get_account;
  s.BindText(1, account_id);
  absl::StatusOr<bool> row = s.Step();
  if (!row.ok() || !*row) {
    s.Reset();
    return row;
  }
  const bool missing = s.ColumnIsNull(1);
  *version = s.ColumnInt64(0);
  const absl::string_view column = s.ColumnBlob(1);
  bytes->assign(column.data(), column.size());
  s.Reset();
  if (missing) {
    return Error(absl::StatusCode::kDataLoss,
                 absl::StrCat("account '", account_id,
                              "': stored row is damaged (its current version is missing)"));
  }
  return true;
}

absl::Status StoreImpl::ParseAccountRow(absl::string_view account_id, absl::string_view bytes,
                                        int64_t version, v1::Account* out) const {
  const bool parsed = out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  if (!parsed || out->version() != version) {
    return Error(absl::StatusCode::kDataLoss,
                 absl::StrCat("account '", account_id, "': stored row is damaged (",
                              parsed ? "version column disagrees with the account"
                                     : "does not parse",
                              ")"));
  }
  return absl::OkStatus();
}

std::vector<absl::StatusOr<ApplyResult>> StoreImpl::Apply(
    const Engine& engine, absl::Span<const v1::Event* const> events,
    absl::Span<const absl::Time> nows) {
  // A conflict with another writer of the file drops the account from the
  // cache; the events are applied again from a fresh load. Each attempt makes
  // progress unless the other writer keeps changing the same account.
  constexpr int kMaxAttempts = 4;
  std::vector<size_t> retry;
  std::vector<absl::StatusOr<ApplyResult>> out = ApplyOnce(engine, events, nows, &retry);
  for (int attempt = 1; attempt < kMaxAttempts && !retry.empty(); ++attempt) {
    std::vector<const v1::Event*> again;
    std::vector<absl::Time> again_nows;
    for (size_t i : retry) {
      again.push_back(events[i]);
      again_nows.push_back(nows[i]);
    }
    const std::vector<size_t> positions = std::move(retry);
    retry.clear();
    std::vector<size_t> sub_retry;
    std::vector<absl::StatusOr<ApplyResult>> sub =
        ApplyOnce(engine, again, again_nows, &sub_retry);
    for (size_t k = 0; k < sub.size(); ++k) out[positions[k]] = std::move(sub[k]);
    for (size_t k : sub_retry) retry.push_back(positions[k]);
  }
  return out;
}

std::vector<absl::StatusOr<ApplyResult>> StoreImpl::ApplyOnce(
    const Engine& engine, absl::Span<const v1::Event* const> events,
    absl::Span<const absl::Time> nows, std::vector<size_t>* retry) {
  std::vector<Work> works(events.size());
  // Filled from the back: a duplicate (kSameBatch) always comes after its
  // original, so it copies the original's response before that is moved out.
  auto results = [&works, retry]() {
    std::vector<absl::StatusOr<ApplyResult>> out(
        works.size(), absl::InternalError("store: event not applied"));
    for (size_t i = works.size(); i-- > 0;) {
      Work& w = works[i];
      switch (w.fate) {
        case Fate::kError:
        case Fate::kDecided:  // never left decided: written or failed
          if (!w.error.ok()) out[i] = w.error;
          break;
        case Fate::kStored:
          out[i] = ApplyResult{std::move(w.response), true};
          break;
        case Fate::kWritten:
          out[i] = ApplyResult{std::move(w.response), false};
          break;
        case Fate::kSameBatch: {
          const Work& original = works[w.original];
          if (original.fate == Fate::kWritten || original.fate == Fate::kStored) {
            out[i] = ApplyResult{original.response, true};
          } else {
            out[i] = original.error;
            w.retry = original.retry;
          }
          break;
        }
      }
    }
    for (size_t i = 0; i < works.size(); ++i) {
      if (works[i].retry) retry->push_back(i);
    }
    return out;
  };
  auto fail_all = [&works](const absl::Status& status) {
    for (Work& w : works) {
      if (w.fate == Fate::kDecided || w.fate == Fate::kWritten) {
        w.fate = Fate::kError;
        w.error = status;
        w.retry = false;
      }
    }
  };

  if (options_.read_only) {
    for (Work& w : works) {
      w.error = Error(absl::StatusCode::kFailedPrecondition,
                      "opened read-only; nothing applied");
    }
    return results();
  }

  // Per-event checks that need no state.
  std::vector<absl::string_view> account_ids;
  for (size_t i = 0; i < events.size(); ++i) {
    Work& w = works[i];
    w.event = events[i];
    w.now = nows[i];
    const std::string& id = w.event->event_id();
    if (id.empty() || id.size() > domain::kMaxEventIdLength) {
      w.error = absl::InvalidArgumentError(absl::StrCat(
          "event.event_id: must be 1..255 characters (got ", id.size(), ")"));
      continue;
    }
    if (w.now == absl::InfinitePast() || w.now == absl::InfiniteFuture()) {
      w.error = absl::InvalidArgumentError(
          "now: not a finite time (ApplyBatchAtEventTime: event.occurred_at missing or "
          "invalid)");
      continue;
    }
    w.fate = Fate::kDecided;  // provisional: "to be decided"
    account_ids.push_back(w.event->account_id());
  }
  if (account_ids.empty()) return results();

  AccountLocks::Held held = locks_.LockAll(account_ids);

  // The accounts of the events to decide, one slot each.
  std::deque<AccountSlot> slots;  // stable addresses
  {
    absl::flat_hash_map<absl::string_view, AccountSlot*> by_account;
    for (Work& w : works) {
      if (w.fate != Fate::kDecided) continue;
      auto [it, inserted] = by_account.try_emplace(w.event->account_id(), nullptr);
      if (inserted) {
        slots.emplace_back();
        slots.back().id = w.event->account_id();
        it->second = &slots.back();
      }
      w.slot = it->second;
    }
  }
  // Phase 2 (below) decides in parallel per account, unless an event_id
  // repeats in the batch (its answer depends on whether the earlier one
  // applied).
  bool sequential = options_.evaluation_threads <= 1 || slots.size() <= 1;
  if (!sequential) {
    absl::flat_hash_set<absl::string_view> ids;
    for (const Work& w : works) {
      if (w.fate == Fate::kDecided && !ids.insert(w.event->event_id()).second) {
        sequential = true;
        break;
      }
    }
  }

  // Phase 1: read. The slots' accounts from the cache, then what the
  // database says of each event: its account (when not cached) and whether
  // it was recorded before. Here when deciding sequentially; in parallel the
  // calling thread reads while the workers already evaluate the events read.
  if (options_.account_cache_size > 0) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    for (AccountSlot& slot : slots) {
      auto it = cache_.find(slot.id);
      if (it == cache_.end()) continue;
      slot.account = std::move(it->second);
      slot.from_cache = true;
      cache_.erase(it);
    }
  }
  if (sequential) ReadEvents(works, nullptr);
  v1::AuditChainHead hint;
  {
    std::lock_guard<std::mutex> lock(hint_mu_);
    hint = head_hint_;
  }

  // Phase 3, write: one transaction (during phase 2 when pipelined, else
  // after it); its status (the commit's, or OK when nothing was left to
  // write) is applied to the events once phase 2 is over.
  absl::Status written = absl::OkStatus();
  bool pipelined = false;

  // Phase 2: decide.
  if (sequential) {
    absl::flat_hash_map<absl::string_view, size_t> by_event_id;  // latest live holder
    for (size_t i = 0; i < works.size(); ++i) {
      Work& w = works[i];
      if (w.fate == Fate::kStored) {
        by_event_id[w.event->event_id()] = i;
        continue;
      }
      if (w.fate != Fate::kDecided) continue;
      auto seen = by_event_id.find(w.event->event_id());
      if (seen != by_event_id.end()) {
        const Work& earlier = works[seen->second];  // hashed: evaluated or stored
        if (absl::Status hashed = HashEvent(w); !hashed.ok()) {
          w.fate = Fate::kError;
          w.error = hashed;
          continue;
        }
        if (earlier.event_hash == w.event_hash) {
          w.fate = Fate::kSameBatch;
          w.original = seen->second;
        } else {
          w.fate = Fate::kError;
          w.error = absl::AlreadyExistsError(absl::StrCat(
              "event.event_id: '", w.event->event_id(),
              "' was already applied with a different payload (earlier in this batch); "
              "an event id is an idempotency key and cannot be reused; nothing changed"));
        }
        continue;
      }
      EvaluateOne(engine, works, i, hint);
      if (w.evaluated) {
        hint = engine::HeadAfter(w.response.audit());
        by_event_id[w.event->event_id()] = i;
      }
    }
  } else {
    // Each event is chained at the sequence it gets when everything before
    // it is written (should one before it turn out recorded, the write
    // re-chains the rest); the previous hash is a placeholder the write phase
    // replaces (cheaply: only the link hash changes).
    const std::string& placeholder =
        hint.record_hash().empty() ? engine::GenesisHash() : hint.record_hash();
    uint64_t next = hint.sequence();
    ReadyFlags looked_up(works.size());  // phase 1 done for the event (and its account)
    ReadyFlags ready(works.size());      // phase 2 done for the event
    // One task per event, taken in input order (so the writer, which goes in
    // input order, finds them done in that order too); an event waits for
    // its account's previous one, which was taken before it.
    std::vector<size_t> order;
    std::vector<int> previous(works.size(), -1);
    for (size_t i = 0; i < works.size(); ++i) {
      Work& w = works[i];
      if (w.fate != Fate::kDecided) {
        ready.Mark(i);
        continue;
      }
      w.sequence = ++next;
      order.push_back(i);
      previous[i] = w.slot->queued;
      w.slot->queued = static_cast<int>(i);
    }
    const auto evaluate_event = [&](size_t k) {
      const size_t i = order[k];
      looked_up.Await(i, [] { return false; });
      if (previous[i] >= 0) {
        ready.Await(static_cast<size_t>(previous[i]), [] { return false; });
      }
      if (works[i].fate == Fate::kDecided) {
        v1::AuditChainHead head;
        head.set_sequence(works[i].sequence - 1);
        if (head.sequence() > 0) head.set_record_hash(placeholder);
        EvaluateOne(engine, works, i, head);
      }
      ready.Mark(i);
    };
    // Phase 3 overlaps phase 2 when workers evaluate: the calling thread
    // writes each event as soon as it is evaluated. Not for a store whose
    // reads share the writer's connection: an evaluation that fails may
    // reload its account, which would wait for the writer that waits for it.
    const bool pipelined_writes = read_mu_ != &db_mu_;
    pool_.ParallelForAlongside(
        order.size(), evaluate_event,
        [&](absl::FunctionRef<bool()> run_one, bool parallel) {
          ReadEvents(works, &looked_up);
          pipelined = parallel && pipelined_writes;
          if (pipelined) {
            const Pipeline pipeline{&ready, run_one};
            written = CommitGroup(works, &pipeline);
          }
        });
  }
  if (!pipelined && std::any_of(works.begin(), works.end(), [](const Work& w) {
        return w.fate == Fate::kDecided;
      })) {
    written = CommitGroup(works);
  }
  const bool committed = written.ok();
  if (!committed) fail_all(written);

  ReturnToCache(slots, works, committed);
  return results();
}

void StoreImpl::EvaluateOne(const Engine& engine, std::vector<Work>& works, size_t i,
                            const v1::AuditChainHead& head) {
  Work& w = works[i];
  AccountSlot& slot = *w.slot;
  if (absl::Status hashed = HashEvent(w); !hashed.ok()) {
    w.fate = Fate::kError;
    w.error = hashed;
    return;
  }
  if (slot.parse_pending) {
    slot.parse_pending = false;
    auto account = std::make_unique<v1::Account>();
    slot.load_error = ParseAccountRow(slot.id, slot.loaded_bytes, slot.loaded_version,
                                      account.get());
    if (slot.load_error.ok()) slot.account = std::move(account);
  }
  if (!slot.load_error.ok()) {
    w.fate = Fate::kError;
    w.error = absl::UnavailableError(
        absl::StrCat("account '", slot.id,
                     "': could not be loaded; nothing changed: ", slot.load_error.message()));
    return;
  }
  if (slot.account == nullptr) slot.account = std::make_unique<v1::Account>();
  v1::Account& account = *slot.account;
  const int64_t before = account.version();
  absl::StatusOr<EvaluateInPlaceResult> result =
      engine.EvaluateInPlace(&account, *w.event, w.now, head);
  if (!result.ok()) {
    w.fate = Fate::kError;
    w.error = result.status();
    absl::Status restored = RestoreAccount(slot, works);
    if (!restored.ok()) slot.load_error = restored;
    return;
  }
  w.evaluated = true;
  w.version_before = before;
  w.account_changed = account.version() != before;
  *w.response.mutable_decision() = std::move(result->decision);
  *w.response.mutable_audit() = std::move(result->audit);
  if (options_.result_accounts) *w.response.mutable_account() = account;
  w.account_bytes = account.SerializeAsString();
  if (w.account_changed && slot.last >= 0) {
    const Work& previous = works[static_cast<size_t>(slot.last)];
    absl::StatusOr<std::string> delta =
        EncodeVersionDelta(previous.account_bytes, w.account_bytes);
    if (delta.ok()) {  // else the write encodes it again and reports the error
      w.superseded_delta = *std::move(delta);
      w.delta_of = &previous;
    }
  }
  // Redone by the write when a re-link changes the decision.
  w.decision_bytes = std::move(result->decision_bytes);
  slot.last = static_cast<int>(i);
}

absl::Status StoreImpl::RestoreAccount(AccountSlot& slot, const std::vector<Work>& works) {
  const std::string* bytes = nullptr;
  if (slot.last >= 0) {
    bytes = &works[static_cast<size_t>(slot.last)].account_bytes;
  } else if (slot.from_cache) {
    // The cache kept no bytes: the row is the same state.
    auto account = std::make_unique<v1::Account>();
    std::lock_guard<std::mutex> lock(*read_mu_);
    PITBOSS_ASSIGN_OR_RETURN(const bool exists,
                             LoadAccountLocked(reads_, slot.id, account.get(), nullptr));
    slot.account = exists ? std::move(account) : nullptr;
    return absl::OkStatus();
  } else if (!slot.loaded_bytes.empty()) {
    bytes = &slot.loaded_bytes;
  }
  if (bytes == nullptr) {
    slot.account.reset();
    return absl::OkStatus();
  }
  auto account = std::make_unique<v1::Account>();
  if (!account->ParseFromString(*bytes)) {
    return Error(absl::StatusCode::kInternal,
                 absl::StrCat("account '", slot.id, "': cannot restore its last state"));
  }
  slot.account = std::move(account);
  return absl::OkStatus();
}

void StoreImpl::ReturnToCache(std::deque<AccountSlot>& slots,
                              const std::vector<Work>& works, bool committed) {
  if (options_.account_cache_size == 0 || !committed) return;
  // Clean: every event evaluated on the account was written.
  for (const Work& w : works) {
    if (w.evaluated && w.fate != Fate::kWritten) w.slot->account.reset();
  }
  std::lock_guard<std::mutex> lock(cache_mu_);
  for (AccountSlot& slot : slots) {
    if (slot.account == nullptr || !slot.load_error.ok() || slot.account->version() == 0) {
      continue;
    }
    cache_[slot.id] = std::move(slot.account);
  }
  while (cache_.size() > static_cast<size_t>(options_.account_cache_size)) {
    cache_.erase(cache_.begin());
  }
}

absl::Status StoreImpl::CommitGroup(std::vector<Work>& works, const Pipeline* pipeline) {
  PendingWrite mine;
  mine.works = &works;
  mine.pipeline = pipeline;
  // Taken now: a pipelined batch's fates change while it is written.
  mine.latest = absl::InfinitePast();
  for (const Work& w : works) {
    if (w.fate == Fate::kDecided) mine.latest = std::max(mine.latest, w.now);
  }
  std::unique_lock<std::mutex> lock(queue_mu_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (leader_active_) {
      queue_cv_.wait(lock);
      continue;
    }
    // Lead: write everything queued so far (this batch included) at once.
    leader_active_ = true;
    std::vector<PendingWrite*> group(queue_.begin(), queue_.end());
    queue_.clear();
    lock.unlock();
    absl::Status status;
    {
      std::lock_guard<std::mutex> db_lock(db_mu_);
      status = WriteGroupsLocked(group);
    }
    lock.lock();
    for (PendingWrite* p : group) {
      if (p->status.ok()) p->status = status;
      p->done = true;
    }
    leader_active_ = false;
    queue_cv_.notify_all();
  }
  return mine.status;
}

absl::Status StoreImpl::WriteGroupsLocked(absl::Span<PendingWrite* const> groups) {
  PITBOSS_RETURN_IF_ERROR(begin_->Run());
  absl::Status status = [&]() -> absl::Status {
    PITBOSS_ASSIGN_OR_RETURN(v1::AuditChainHead head, ReadHeadLocked(writer_reads_));
    const uint64_t start_sequence = head.sequence();
    absl::Time latest = absl::InfinitePast();
    for (const PendingWrite* g : groups) latest = std::max(latest, g->latest);
    prune_idempotency_->BindInt64(1, Micros(latest));
    PITBOSS_RETURN_IF_ERROR(prune_idempotency_->Run());
    for (PendingWrite* g : groups) {
      // Each batch under its own savepoint: a failure inside one (say, a
      // trigger refusing its audit row) undoes that batch only.
      const v1::AuditChainHead before = head;
      PITBOSS_RETURN_IF_ERROR(savepoint_->Run());
      BatchWrites batch;
      absl::Status written = absl::OkStatus();
      std::vector<Work>& works = *g->works;
      for (size_t i = 0; i < works.size(); ++i) {
        if (g->pipeline != nullptr) g->pipeline->ready->Await(i, g->pipeline->help);
        Work& w = works[i];
        if (w.fate != Fate::kDecided) continue;
        written = WriteOneLocked(w, head, batch);
        if (!written.ok()) break;
      }
      for (const auto& [account_id, version] : batch.versions) {
        if (!written.ok()) break;
        written = InsertVersionLocked(account_id, version);
        if (written.ok() && version.row_version != version.version) {
          set_account_version_->BindText(1, account_id);
          set_account_version_->BindInt64(2, version.version);
          written = set_account_version_->Run();
        }
      }
      if (!written.ok()) {
        PITBOSS_RETURN_IF_ERROR(rollback_to_savepoint_->Run());
        head = before;
        g->status = written;
      }
      PITBOSS_RETURN_IF_ERROR(release_savepoint_->Run());
    }
    // After the writes: a version these events superseded goes now, not
    // with the next commit.
    prune_versions_->BindInt64(1, Micros(latest));
    PITBOSS_RETURN_IF_ERROR(prune_versions_->Run());
    if (head.sequence() != start_sequence) {
      set_head_->BindInt64(1, static_cast<int64_t>(head.sequence()));
      set_head_->BindBlob(2, head.record_hash());
      PITBOSS_RETURN_IF_ERROR(set_head_->Run());
    }
    PITBOSS_RETURN_IF_ERROR(commit_->Run());
    std::lock_guard<std::mutex> hint(hint_mu_);
    head_hint_ = head;
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    // Rolls back whatever this transaction wrote (a no-op error when SQLite
    // already rolled back on its own).
    rollback_->Run().IgnoreError();
  }
  return status;
}

absl::Status StoreImpl::ConflictLocked(Work& w, absl::flat_hash_set<std::string>& tainted,
                                       absl::string_view what) {
  const v1::Event& event = *w.event;
  delete_idempotency_->BindText(1, event.event_id());
  PITBOSS_RETURN_IF_ERROR(delete_idempotency_->Run());
  w.fate = Fate::kError;
  w.retry = true;
  w.error = absl::AbortedError(
      absl::StrCat("account '", event.account_id(), "': ", what,
                   " by another writer before event '", event.event_id(),
                   "' was stored; nothing changed, retry"));
  tainted.insert(event.account_id());
  return absl::OkStatus();
}

absl::Status StoreImpl::InsertVersionLocked(absl::string_view account_id,
                                            const BatchWrites::Version& version) {
  std::vector<EarlierVersion> newest_first(version.earlier.rbegin(), version.earlier.rend());
  const std::string earlier = PackEarlierVersions(newest_first);
  Statement& v = *insert_version_;
  v.BindText(1, account_id);
  v.BindInt64(2, version.version);
  v.BindBlob(3, version.work->account_bytes);
  v.BindInt64(4, Micros(version.keep_until));
  if (!earlier.empty()) v.BindBlob(5, earlier);
  return v.Run();
}

absl::Status StoreImpl::WriteOneLocked(Work& w, v1::AuditChainHead& head,
                                       BatchWrites& batch) {
  absl::flat_hash_set<std::string>& tainted = batch.tainted;
  const v1::Event& event = *w.event;
  if (tainted.contains(event.account_id())) {
    w.fate = Fate::kError;
    w.retry = true;
    w.error = absl::AbortedError(absl::StrCat(
        "event '", event.event_id(), "': decided on top of an earlier event of account '",
        event.account_id(), "' that was not applied; nothing changed, retry"));
    return absl::OkStatus();
  }
  v1::EvaluateResponse& response = w.response;
  bool relinked = false;
  PITBOSS_RETURN_IF_ERROR(LinkToHead(head, event, response.mutable_decision(),
                                     response.mutable_audit(), &relinked));
  const v1::AuditRecord& record = response.audit();

  // Idempotency row first: a conflict here (the same event_id recorded by a
  // concurrent writer since phase 1) needs nothing undone.
  const absl::Time expires = w.now + options_.idempotency_retention;
  Statement& idem = *insert_idempotency_;
  idem.BindText(1, event.event_id());
  idem.BindBlob(2, w.event_hash);
  idem.BindInt64(3, static_cast<int64_t>(record.sequence()));
  idem.BindInt64(4, Micros(expires));
  absl::Status inserted = idem.Run();
  if (!inserted.ok()) {
    const int code = idem.last_result_code();
    if (code != kConstraintPrimaryKey && code != kConstraintUnique) return inserted;
    // Recorded concurrently: answer as a duplicate would have been.
    w.fate = Fate::kDecided;
    w.response.Clear();
    PITBOSS_RETURN_IF_ERROR(ReadRecordedLocked(writer_reads_, w));
    if (w.fate == Fate::kDecided) {  // expired meanwhile: cannot happen after pruning
      w.fate = Fate::kError;
      w.error = absl::AbortedError(
          absl::StrCat("event '", event.event_id(), "': recorded concurrently; retry"));
    }
    tainted.insert(event.account_id());
    return absl::OkStatus();
  }

  // Account row, with the optimistic version check. The account may come
  // from the cache, so an event that leaves it unchanged checks the version
  // too: a decision is only stored on the account's current state. The
  // version the event leaves is kept (at least) as long as its idempotency row.
  auto in_batch = batch.versions.find(event.account_id());
  if (w.account_changed && in_batch == batch.versions.end()) {
    // The account's first change in this batch: the row check. Its later
    // changes need none (the write lock is held until the commit), and the
    // row gets the final version with the batch's version row.
    Statement& s = w.version_before == 0 ? *insert_account_ : *update_account_;
    s.BindText(1, event.account_id());
    s.BindInt64(2, record.account_version());
    if (w.version_before != 0) s.BindInt64(3, w.version_before);
    absl::Status written = s.Run();
    const bool conflict =
        (!written.ok() && (s.last_result_code() == kConstraintPrimaryKey ||
                           s.last_result_code() == kConstraintUnique)) ||
        (written.ok() && db_->Changes() != 1);
    if (!written.ok() && !conflict) return written;
    if (conflict) {
      return ConflictLocked(w, tainted,
                            w.version_before == 0
                                ? std::string("created")
                                : absl::StrCat("version ", w.version_before, " changed"));
    }
    in_batch = batch.versions.try_emplace(event.account_id()).first;
    in_batch->second.row_version = record.account_version();
  }
  if (in_batch != batch.versions.end() && in_batch->second.version != w.version_before &&
      in_batch->second.work != nullptr) {
    // Decided on another state than this batch's writes left: cannot happen
    // (an event after a dropped one of its account fails as tainted above).
    return ConflictLocked(w, tainted,
                          absl::StrCat("version ", in_batch->second.version, " changed"));
  }
  if (w.account_changed) {
    BatchWrites::Version& latest = in_batch->second;
    if (latest.work != nullptr) {
      // Left by an earlier event of this batch: the row check above passed,
      // so it is the version this event supersedes. It goes into the row
      // with the new one, as a delta (usually made while evaluating).
      absl::string_view delta = w.superseded_delta;
      if (w.delta_of != latest.work) {
        PITBOSS_ASSIGN_OR_RETURN(
            std::string encoded,
            EncodeVersionDelta(latest.work->account_bytes, w.account_bytes));
        delta = batch.deltas.emplace_back(std::move(encoded));
      }
      latest.earlier.push_back({latest.version, delta});
    } else if (w.version_before != 0) {
      Statement& old = *supersede_version_;
      old.BindText(1, event.account_id());
      old.BindInt64(2, w.version_before);
      PITBOSS_RETURN_IF_ERROR(old.Run());
    }
    latest.version = record.account_version();
    latest.work = &w;
    latest.keep_until = std::max(latest.keep_until, expires);
  } else if (in_batch != batch.versions.end()) {
    // Unchanged by this event: the version an earlier event of the batch
    // left (checked above) is returned by this event's row too.
    in_batch->second.keep_until = std::max(in_batch->second.keep_until, expires);
  } else {
    Statement& s = *get_version_;
    s.BindText(1, event.account_id());
    PITBOSS_ASSIGN_OR_RETURN(const bool row, s.Step());
    const int64_t stored = row ? s.ColumnInt64(0) : 0;
    s.Reset();
    if (stored != w.version_before) {
      return ConflictLocked(w, tainted,
                            absl::StrCat("version ", w.version_before, " changed"));
    }
    if (stored != 0) {
      Statement& v = *extend_version_;
      v.BindText(1, event.account_id());
      v.BindInt64(2, stored);
      v.BindInt64(3, Micros(expires));
      PITBOSS_RETURN_IF_ERROR(v.Run());
    }
  }

  // Audit row: the record, the event and the decision.
  if (relinked) w.decision_bytes = DeterministicBytes(response.decision());
  Statement& a = *insert_audit_;
  a.BindInt64(1, static_cast<int64_t>(record.sequence()));
  a.BindText(2, record.event_id());
  a.BindText(3, record.account_id());
  a.BindInt64(4, record.account_version());
  a.BindInt64(5, record.recorded_at().seconds());
  a.BindInt64(6, record.recorded_at().nanos());
  a.BindBlob(7, record.payload_hash());
  a.BindBlob(8, record.leaf_hash());
  a.BindBlob(9, record.previous_record_hash());
  a.BindBlob(10, record.record_hash());
  a.BindBlob(11, w.event_bytes);
  a.BindBlob(12, w.decision_bytes);
  PITBOSS_RETURN_IF_ERROR(a.Run());
  head = engine::HeadAfter(record);
  w.fate = Fate::kWritten;
  return absl::OkStatus();
}

absl::StatusOr<v1::Account> StoreImpl::GetAccount(absl::string_view account_id) const {
  std::lock_guard<std::mutex> lock(*read_mu_);
  v1::Account account;
  PITBOSS_ASSIGN_OR_RETURN(const bool exists,
                           LoadAccountLocked(reads_, account_id, &account, nullptr));
  if (!exists) {
    return absl::NotFoundError(
        absl::StrCat("account: unknown account '", account_id, "'"));
  }
  return account;
}

absl::StatusOr<v1::AuditChainHead> StoreImpl::AuditHead() const {
  std::lock_guard<std::mutex> lock(*read_mu_);
  return ReadHeadLocked(reads_);
}

absl::StatusOr<int64_t> StoreImpl::IdempotencyKeyCount() const {
  std::lock_guard<std::mutex> lock(*read_mu_);
  return read_db_->QueryInt64("SELECT count(*) FROM idempotency", "count idempotency rows");
}

absl::Status StoreImpl::VerifyAudit() const {
  std::lock_guard<std::mutex> lock(*read_mu_);
  // One read transaction: a consistent snapshot of the whole chain.
  PITBOSS_RETURN_IF_ERROR(read_db_->Exec("BEGIN", "begin the audit read"));
  absl::Status status = [&]() -> absl::Status {
    PITBOSS_ASSIGN_OR_RETURN(const v1::AuditChainHead stored_head, ReadHeadLocked(reads_));
    PITBOSS_ASSIGN_OR_RETURN(
        std::unique_ptr<Statement> select,
        read_db_->Prepare(absl::StrCat("SELECT ", kAuditColumns,
                                       ", event, decision FROM audit WHERE sequence > ?1 "
                                       "ORDER BY sequence LIMIT ",
                                       kVerifyChunk)));
    engine::AuditVerifyOptions options;  // starts at the genesis head
    std::vector<v1::AuditRecord> records;
    int64_t after = std::numeric_limits<int64_t>::min();
    while (true) {
      records.clear();
      select->BindInt64(1, after);
      while (true) {
        PITBOSS_ASSIGN_OR_RETURN(const bool row, select->Step());
        if (!row) break;
        v1::AuditRecord record = ReadRecord(*select, 0);
        after = select->ColumnInt64(0);
        v1::Event event;
        v1::Decision decision;
        const absl::string_view event_bytes = select->ColumnBlob(10);
        const absl::string_view decision_bytes = select->ColumnBlob(11);
        if (!event.ParseFromArray(event_bytes.data(),
                                  static_cast<int>(event_bytes.size())) ||
            !decision.ParseFromArray(decision_bytes.data(),
                                     static_cast<int>(decision_bytes.size()))) {
          select->Reset();
          return Error(absl::StatusCode::kDataLoss,
                       absl::StrCat("audit sequence ", record.sequence(),
                                    ": the stored event or decision does not parse"));
        }
        absl::Status payload = engine::VerifyAuditPayload(record, event, decision);
        if (!payload.ok()) {
          select->Reset();
          return Error(absl::StatusCode::kDataLoss,
                       absl::StrCat("audit sequence ", record.sequence(), ": ",
                                    payload.message()));
        }
        records.push_back(std::move(record));
      }
      select->Reset();
      if (records.empty()) break;
      if (std::optional<engine::AuditFault> fault =
              engine::FindFirstAuditFault(records, options)) {
        // The fault message starts "records[i] (sequence s): "; i is an index
        // into this chunk, so name the sequence only.
        absl::string_view detail = fault->message;
        const size_t colon = detail.find("): ");
        if (colon != absl::string_view::npos) detail.remove_prefix(colon + 3);
        return Error(absl::StatusCode::kDataLoss,
                     absl::StrCat("audit sequence ", fault->sequence, ": ",
                                  engine::AuditFaultKindName(fault->kind), ": ", detail));
      }
      options.start = engine::HeadAfter(records.back());
    }
    const v1::AuditChainHead& end = options.start;
    if (end.sequence() != stored_head.sequence()) {
      return Error(
          absl::StatusCode::kDataLoss,
          absl::StrCat("audit sequence ", end.sequence() + 1,
                       ": missing: the chain ends at sequence ", end.sequence(),
                       " but the stored head is at sequence ", stored_head.sequence()));
    }
    if (end.sequence() != 0 && end.record_hash() != stored_head.record_hash()) {
      return Error(absl::StatusCode::kDataLoss,
                   absl::StrCat("audit sequence ", end.sequence(),
                                ": record_hash differs from the stored chain head"));
    }
    return absl::OkStatus();
  }();
  read_db_->Exec("COMMIT", "end the audit read").IgnoreError();
  return status;
}

}  // namespace store_internal

// --- Store ---------------------------------------------------------------------

Store::Store(std::unique_ptr<store_internal::StoreImpl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path,
                                                   const StoreOptions& options) {
  PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<store_internal::StoreImpl> impl,
                           store_internal::StoreImpl::Open(path, options));
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

namespace {

std::vector<const v1::Event*> Pointers(absl::Span<const v1::Event> events) {
  std::vector<const v1::Event*> out;
  out.reserve(events.size());
  for (const v1::Event& event : events) out.push_back(&event);
  return out;
}

}  // namespace

absl::StatusOr<ApplyResult> Store::Apply(const Engine& engine, const v1::Event& event,
                                         absl::Time now) {
  const v1::Event* pointer = &event;
  std::vector<absl::StatusOr<ApplyResult>> results = impl_->Apply(
      engine, absl::MakeConstSpan(&pointer, 1), absl::MakeConstSpan(&now, 1));
  return std::move(results.front());
}

std::vector<absl::StatusOr<ApplyResult>> Store::ApplyBatch(
    const Engine& engine, absl::Span<const v1::Event> events, absl::Time now) {
  const std::vector<absl::Time> nows(events.size(), now);
  return impl_->Apply(engine, Pointers(events), nows);
}

std::vector<absl::StatusOr<ApplyResult>> Store::ApplyBatchAtEventTime(
    const Engine& engine, absl::Span<const v1::Event> events) {
  std::vector<absl::Time> nows;
  nows.reserve(events.size());
  for (const v1::Event& event : events) {
    // An unset or invalid occurred_at becomes an infinite time, which Apply
    // refuses ("now: not a finite time") before anything else.
    nows.push_back(
        event.has_occurred_at() &&
                domain::ValidateProtoTime(event.occurred_at(), "event.occurred_at").ok()
            ? domain::FromProtoTime(event.occurred_at())
            : absl::InfinitePast());
  }
  return impl_->Apply(engine, Pointers(events), nows);
}

absl::StatusOr<v1::Account> Store::GetAccount(absl::string_view account_id) const {
  return impl_->GetAccount(account_id);
}

absl::StatusOr<v1::AuditChainHead> Store::AuditHead() const { return impl_->AuditHead(); }

absl::Status Store::VerifyAudit() const { return impl_->VerifyAudit(); }

absl::StatusOr<int64_t> Store::IdempotencyKeyCount() const {
  return impl_->IdempotencyKeyCount();
}

int Store::SchemaVersion() { return store_internal::CurrentSchemaVersion(); }

}  // namespace pitboss
