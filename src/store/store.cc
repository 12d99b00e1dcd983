// The embedded SQLite store (include/pitboss/store.h).
//
// Apply and ApplyBatch share one path: a batch of one is a per-event commit.
// A batch runs in three phases:
//   1. read    (under the connection mutex): the idempotency rows and the
//              accounts of the batch, and the chain head as a hint;
//   2. decide  (no connection mutex, the batch's account stripes held): each
//              event is evaluated with the engine in input order on top of the
//              batch's earlier results (same account, duplicate event_id), so
//              events of other accounts evaluate in parallel in other threads;
//   3. write   (under the connection mutex, one BEGIN IMMEDIATE .. COMMIT):
//              each decided event gets its idempotency row, account row
//              (optimistic `version` check) and audit row, its record re-linked
//              to the real chain head when another thread got there first.
//              Group commit across threads: batches that finish deciding while
//              another thread is committing wait, and the next one to commit
//              writes all of them in one transaction (one fsync), each under
//              its own savepoint.
// A failure inside a batch's writes undoes that batch (savepoint) and every
// event of it that would have been written reports it; a failure of the
// transaction itself fails every batch in it. Nothing is ever half done.
//
// The account stripes are held from phase 1 to the end of phase 3, so an
// account's stored version can only change under us if another process
// writes the same file; the version check catches that (ABORTED, retry).
// An event_id reused concurrently for a different account is caught by the
// idempotency row's primary key in phase 3.
#include "pitboss/store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "src/common/status_macros.h"
#include "src/domain/event_envelope.h"
#include "src/domain/proto_time.h"
#include "src/engine/audit_chain.h"
#include "src/store/account_locks.h"
#include "src/store/audit_link.h"
#include "src/store/schema.h"
#include "src/store/sqlite_db.h"

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

struct Work {
  const v1::Event* event = nullptr;
  absl::Time now;
  Fate fate = Fate::kError;
  absl::Status error;
  std::string event_bytes;  // deterministic serialization (canonical once evaluated)
  std::string event_hash;   // SHA-256 of event_bytes
  size_t original = 0;      // kSameBatch
  v1::EvaluateResponse response;
  // kDecided: the account's version before this event (0: no account row).
  int64_t version_before = 0;
  bool account_changed = false;
  std::string account_bytes;   // the account after (binary protobuf)
  std::string decision_bytes;  // canonical; redone when the record is re-linked
};

struct AccountSlot {
  bool exists = false;
  v1::Account* loaded = nullptr;  // on the batch's arena
  // The last decided event of this account in the batch (-1: none).
  int last = -1;
};

}  // namespace

class StoreImpl {
 public:
  static absl::StatusOr<std::unique_ptr<StoreImpl>> Open(const std::string& path,
                                                         const StoreOptions& options);

  std::vector<absl::StatusOr<ApplyResult>> Apply(const Engine& engine,
                                                 absl::Span<const v1::Event> events,
                                                 absl::Span<const absl::Time> nows);
  absl::StatusOr<v1::Account> GetAccount(absl::string_view account_id) const;
  absl::StatusOr<v1::AuditChainHead> AuditHead() const;
  absl::Status VerifyAudit() const;
  absl::StatusOr<int64_t> IdempotencyKeyCount() const;

 private:
  StoreImpl(std::string path, const StoreOptions& options, std::unique_ptr<Database> db)
      : path_(std::move(path)), options_(options), db_(std::move(db)) {}
  absl::Status Prepare();

  // Phase 1 helpers (db_mu_ held).
  absl::StatusOr<v1::AuditChainHead> ReadHeadLocked() const;
  absl::Status ReadRecordedLocked(Work& work) const;
  // Parses the stored account into `*out`; false when there is none.
  absl::StatusOr<bool> LoadAccountLocked(absl::string_view account_id,
                                         v1::Account* out) const;
  // Phase 3 (db_mu_ held, inside the transaction).
  // One batch's decided events, waiting for a group commit.
  struct PendingWrite {
    std::vector<Work>* works = nullptr;
    absl::Status status;  // this batch's own failure, else the commit's
    bool done = false;
  };
  // Writes `works` in a transaction shared with whatever other threads'
  // batches are waiting at the same time (group commit: one fsync for all).
  absl::Status CommitGroup(std::vector<Work>& works);
  absl::Status WriteGroupsLocked(absl::Span<PendingWrite* const> groups);
  absl::Status WriteOneLocked(Work& work, v1::AuditChainHead& head,
                              absl::flat_hash_set<std::string>& tainted);

  absl::Status Error(absl::StatusCode code, absl::string_view message) const {
    return absl::Status(code, absl::StrCat("store '", path_, "': ", message));
  }

  const std::string path_;
  const StoreOptions options_;
  AccountLocks locks_;
  mutable std::mutex db_mu_;  // the connection and its statements
  // Batches waiting to be written, and whether a thread is writing.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingWrite*> queue_;
  bool leader_active_ = false;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Statement> get_account_;
  std::unique_ptr<Statement> insert_account_;
  std::unique_ptr<Statement> update_account_;
  std::unique_ptr<Statement> get_recorded_;
  std::unique_ptr<Statement> insert_idempotency_;
  std::unique_ptr<Statement> delete_idempotency_;
  std::unique_ptr<Statement> prune_idempotency_;
  std::unique_ptr<Statement> insert_audit_;
  std::unique_ptr<Statement> get_head_;
  std::unique_ptr<Statement> set_head_;
  std::unique_ptr<Statement> begin_;
  std::unique_ptr<Statement> commit_;
  std::unique_ptr<Statement> rollback_;
  std::unique_ptr<Statement> savepoint_;
  std::unique_ptr<Statement> rollback_to_savepoint_;
  std::unique_ptr<Statement> release_savepoint_;
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
  const bool memory = path == kMemoryPath;
  if (memory && options.read_only) {
    return absl::InvalidArgumentError(
        "store ':memory:': read_only makes no sense for a new in-memory store");
  }
  if (!memory) PITBOSS_RETURN_IF_ERROR(CheckPath(path, options.read_only));
  PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                           Database::Open(path, options.read_only));
  PITBOSS_RETURN_IF_ERROR(
      db->Exec(absl::StrCat("PRAGMA busy_timeout = ",
                            absl::ToInt64Milliseconds(options.busy_timeout)),
               "set busy_timeout"));
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
  PITBOSS_RETURN_IF_ERROR(db->Exec(options.synchronous == StoreOptions::Sync::kFull
                                       ? "PRAGMA synchronous = FULL"
                                       : "PRAGMA synchronous = NORMAL",
                                   "set synchronous"));
  if (version < CurrentSchemaVersion()) PITBOSS_RETURN_IF_ERROR(Migrate(*db));
  std::unique_ptr<StoreImpl> store(new StoreImpl(path, options, std::move(db)));
  PITBOSS_RETURN_IF_ERROR(store->Prepare());
  return store;
}

absl::Status StoreImpl::Prepare() {
  struct {
    std::unique_ptr<Statement>* out;
    std::string sql;
  } statements[] = {
      {&get_account_, "SELECT version, account FROM accounts WHERE account_id = ?1"},
      {&insert_account_,
       "INSERT INTO accounts (account_id, version, account) VALUES (?1, ?2, ?3)"},
      {&update_account_,
       "UPDATE accounts SET version = ?2, account = ?3 WHERE account_id = ?1 AND version "
       "= ?4"},
      {&get_recorded_,
       absl::StrCat(
           "SELECT i.event_hash, i.expires_at_micros, i.account, a.decision, ",
           "a.sequence, a.event_id, a.account_id, a.account_version, ",
           "a.recorded_at_seconds, a.recorded_at_nanos, a.payload_hash, a.leaf_hash, ",
           "a.previous_record_hash, a.record_hash ",
           "FROM idempotency i LEFT JOIN audit a ON a.sequence = i.audit_sequence ",
           "WHERE i.event_id = ?1")},
      {&insert_idempotency_,
       "INSERT INTO idempotency (event_id, event_hash, audit_sequence, account, "
       "expires_at_micros) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&delete_idempotency_, "DELETE FROM idempotency WHERE event_id = ?1"},
      {&prune_idempotency_, "DELETE FROM idempotency WHERE expires_at_micros <= ?1"},
      {&insert_audit_, absl::StrCat("INSERT INTO audit (", kAuditColumns,
                                    ", event, decision) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                    "?7, ?8, ?9, ?10, ?11, ?12)")},
      {&get_head_, "SELECT sequence, record_hash FROM audit_head WHERE id = 1"},
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

absl::StatusOr<v1::AuditChainHead> StoreImpl::ReadHeadLocked() const {
  Statement& s = *get_head_;
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

absl::Status StoreImpl::ReadRecordedLocked(Work& work) const {
  Statement& s = *get_recorded_;
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
  v1::EvaluateResponse& response = work.response;
  const absl::string_view account = s.ColumnBlob(2);
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

absl::StatusOr<bool> StoreImpl::LoadAccountLocked(absl::string_view account_id,
                                                  v1::Account* out) const {
  Statement& s = *get_account_;
  s.BindText(1, account_id);
  absl::StatusOr<bool> row = s.Step();
  if (!row.ok() || !*row) {
    s.Reset();
    return row;
  }
  const absl::string_view bytes = s.ColumnBlob(1);
  const int64_t version = s.ColumnInt64(0);
  const bool parsed = out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  s.Reset();
  if (!parsed || out->version() != version) {
    return Error(absl::StatusCode::kDataLoss,
                 absl::StrCat("account '", account_id, "': stored row is damaged (",
                              parsed ? "version column disagrees with the account"
                                     : "does not parse",
                              ")"));
  }
  return true;
}

std::vector<absl::StatusOr<ApplyResult>> StoreImpl::Apply(
    const Engine& engine, absl::Span<const v1::Event> events,
    absl::Span<const absl::Time> nows) {
  std::vector<Work> works(events.size());
  // Filled from the back: a duplicate (kSameBatch) always comes after its
  // original, so it copies the original's response before that is moved out.
  auto results = [&works]() {
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
          }
          break;
        }
      }
    }
    return out;
  };
  auto fail_all = [&works](const absl::Status& status) {
    for (Work& w : works) {
      if (w.fate == Fate::kDecided || w.fate == Fate::kWritten) {
        w.fate = Fate::kError;
        w.error = status;
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

  // Per-event checks that need no state: the idempotency key and the
  // payload's canonical bytes and hash.
  std::vector<absl::string_view> account_ids;
  for (size_t i = 0; i < events.size(); ++i) {
    Work& w = works[i];
    w.event = &events[i];
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
    w.event_bytes = DeterministicBytes(*w.event);
    absl::StatusOr<std::string> hash = engine::Sha256(w.event_bytes);
    if (!hash.ok()) {
      w.error = hash.status();
      continue;
    }
    w.event_hash = std::move(*hash);
    w.fate = Fate::kDecided;  // provisional: "to be decided"
    account_ids.push_back(w.event->account_id());
  }
  if (account_ids.empty()) return results();

  AccountLocks::Held held = locks_.LockAll(account_ids);

  // The batch's scratch: loaded accounts and the request are parsed into and
  // built on one arena, freed at once when the batch is done.
  google::protobuf::ArenaOptions arena_options;
  arena_options.start_block_size = 64 << 10;
  arena_options.max_block_size = 1 << 20;
  google::protobuf::Arena arena(arena_options);

  // Phase 1: read.
  absl::flat_hash_map<absl::string_view, AccountSlot> accounts;
  v1::AuditChainHead hint;
  {
    std::lock_guard<std::mutex> lock(db_mu_);
    absl::StatusOr<v1::AuditChainHead> head = ReadHeadLocked();
    if (!head.ok()) {
      fail_all(head.status());
      return results();
    }
    hint = *head;
    for (Work& w : works) {
      if (w.fate != Fate::kDecided) continue;
      absl::Status recorded = ReadRecordedLocked(w);
      if (!recorded.ok()) {
        w.fate = Fate::kError;
        w.error = recorded;
        continue;
      }
      if (w.fate != Fate::kDecided) continue;
      auto [it, inserted] = accounts.try_emplace(w.event->account_id());
      if (inserted) {
        AccountSlot& slot = it->second;
        slot.loaded = google::protobuf::Arena::CreateMessage<v1::Account>(&arena);
        absl::StatusOr<bool> exists =
            LoadAccountLocked(w.event->account_id(), slot.loaded);
        if (!exists.ok()) {
          accounts.erase(it);
          w.fate = Fate::kError;
          w.error = exists.status();
        } else {
          slot.exists = *exists;
        }
      }
    }
  }

  // Phase 2: decide, in input order, on top of the batch's earlier results.
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
      const Work& earlier = works[seen->second];
      if (earlier.event_hash == w.event_hash) {
        w.fate = Fate::kSameBatch;
        w.original = seen->second;
      } else {
        w.fate = Fate::kError;
        w.error = absl::AlreadyExistsError(absl::StrCat(
            "event.event_id: '", w.event->event_id(),
            "' was already applied with a different payload (earlier in this batch); an "
            "event id is an idempotency key and cannot be reused; nothing changed"));
      }
      continue;
    }
    auto slot_it = accounts.find(w.event->account_id());
    if (slot_it == accounts.end()) {  // its load failed: an earlier event has the error
      w.fate = Fate::kError;
      w.error = absl::UnavailableError(absl::StrCat(
          "account '", w.event->account_id(), "': could not be loaded; nothing changed"));
      continue;
    }
    AccountSlot& slot = slot_it->second;
    const v1::Account* source = nullptr;
    if (slot.last >= 0) {
      source = &works[static_cast<size_t>(slot.last)].response.account();
    } else if (slot.exists) {
      source = slot.loaded;
    }
    // The request borrows the account and the event instead of copying them
    // (an account is kilobytes of sub-messages): Evaluate only reads the
    // request, and both are released again before anything else happens.
    auto* request = google::protobuf::Arena::CreateMessage<v1::EvaluateRequest>(&arena);
    if (source != nullptr) {
      request->unsafe_arena_set_allocated_account(const_cast<v1::Account*>(source));
    }
    request->unsafe_arena_set_allocated_event(const_cast<v1::Event*>(w.event));
    *request->mutable_now() = domain::ToProtoTime(w.now);
    *request->mutable_audit_chain_head() = hint;
    absl::StatusOr<v1::EvaluateResponse> response = engine.Evaluate(*request);
    if (source != nullptr) request->unsafe_arena_release_account();
    request->unsafe_arena_release_event();
    if (!response.ok()) {
      w.fate = Fate::kError;
      w.error = response.status();
      continue;
    }
    w.version_before = source != nullptr ? source->version() : 0;
    w.response = std::move(*response);
    w.account_changed = w.response.account().version() != w.version_before;
    w.account_bytes = w.response.account().SerializeAsString();
    w.decision_bytes = DeterministicBytes(w.response.decision());
    hint = engine::HeadAfter(w.response.audit());
    slot.last = static_cast<int>(i);
    by_event_id[w.event->event_id()] = i;
  }

  // Phase 3: write, one transaction.
  bool any = false;
  for (const Work& w : works) any = any || w.fate == Fate::kDecided;
  if (!any) return results();
  absl::Status status = CommitGroup(works);
  if (!status.ok()) fail_all(status);
  return results();
}

absl::Status StoreImpl::CommitGroup(std::vector<Work>& works) {
  PendingWrite mine;
  mine.works = &works;
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
    PITBOSS_ASSIGN_OR_RETURN(v1::AuditChainHead head, ReadHeadLocked());
    const uint64_t start_sequence = head.sequence();
    absl::Time latest = absl::InfinitePast();
    for (const PendingWrite* g : groups) {
      for (const Work& w : *g->works) {
        if (w.fate == Fate::kDecided) latest = std::max(latest, w.now);
      }
    }
    prune_idempotency_->BindInt64(1, Micros(latest));
    PITBOSS_RETURN_IF_ERROR(prune_idempotency_->Run());
    for (PendingWrite* g : groups) {
      // Each batch under its own savepoint: a failure inside one (say, a
      // trigger refusing its audit row) undoes that batch only.
      const v1::AuditChainHead before = head;
      PITBOSS_RETURN_IF_ERROR(savepoint_->Run());
      absl::flat_hash_set<std::string> tainted;  // accounts with a dropped event
      absl::Status written = absl::OkStatus();
      for (Work& w : *g->works) {
        if (w.fate != Fate::kDecided) continue;
        written = WriteOneLocked(w, head, tainted);
        if (!written.ok()) break;
      }
      if (!written.ok()) {
        PITBOSS_RETURN_IF_ERROR(rollback_to_savepoint_->Run());
        head = before;
        g->status = written;
      }
      PITBOSS_RETURN_IF_ERROR(release_savepoint_->Run());
    }
    if (head.sequence() != start_sequence) {
      set_head_->BindInt64(1, static_cast<int64_t>(head.sequence()));
      set_head_->BindBlob(2, head.record_hash());
      PITBOSS_RETURN_IF_ERROR(set_head_->Run());
    }
    return commit_->Run();
  }();
  if (!status.ok()) {
    // Rolls back whatever this transaction wrote (a no-op error when SQLite
    // already rolled back on its own).
    rollback_->Run().IgnoreError();
  }
  return status;
}

absl::Status StoreImpl::WriteOneLocked(Work& w, v1::AuditChainHead& head,
                                       absl::flat_hash_set<std::string>& tainted) {
  const v1::Event& event = *w.event;
  if (tainted.contains(event.account_id())) {
    w.fate = Fate::kError;
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
  idem.BindBlob(4, w.account_bytes);
  idem.BindInt64(5, Micros(expires));
  absl::Status inserted = idem.Run();
  if (!inserted.ok()) {
    const int code = idem.last_result_code();
    if (code != kConstraintPrimaryKey && code != kConstraintUnique) return inserted;
    // Recorded concurrently: answer as a duplicate would have been.
    w.fate = Fate::kDecided;
    w.response.Clear();
    PITBOSS_RETURN_IF_ERROR(ReadRecordedLocked(w));
    if (w.fate == Fate::kDecided) {  // expired meanwhile: cannot happen after pruning
      w.fate = Fate::kError;
      w.error = absl::AbortedError(
          absl::StrCat("event '", event.event_id(), "': recorded concurrently; retry"));
    }
    tainted.insert(event.account_id());
    return absl::OkStatus();
  }

  // Account row, with the optimistic version check.
  if (w.account_changed) {
    const v1::Account& account = response.account();
    Statement& s = w.version_before == 0 ? *insert_account_ : *update_account_;
    s.BindText(1, account.account_id());
    s.BindInt64(2, account.version());
    s.BindBlob(3, w.account_bytes);
    if (w.version_before != 0) s.BindInt64(4, w.version_before);
    absl::Status written = s.Run();
    const bool conflict =
        (!written.ok() && (s.last_result_code() == kConstraintPrimaryKey ||
                           s.last_result_code() == kConstraintUnique)) ||
        (written.ok() && db_->Changes() != 1);
    if (!written.ok() && !conflict) return written;
    if (conflict) {
      delete_idempotency_->BindText(1, event.event_id());
      PITBOSS_RETURN_IF_ERROR(delete_idempotency_->Run());
      w.fate = Fate::kError;
      w.error = absl::AbortedError(
          absl::StrCat("account '", account.account_id(), "': version ", w.version_before,
                       " changed by another writer before event '", event.event_id(),
                       "' was stored; nothing changed, retry"));
      tainted.insert(event.account_id());
      return absl::OkStatus();
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
  std::lock_guard<std::mutex> lock(db_mu_);
  v1::Account account;
  PITBOSS_ASSIGN_OR_RETURN(const bool exists, LoadAccountLocked(account_id, &account));
  if (!exists) {
    return absl::NotFoundError(
        absl::StrCat("account: unknown account '", account_id, "'"));
  }
  return account;
}

absl::StatusOr<v1::AuditChainHead> StoreImpl::AuditHead() const {
  std::lock_guard<std::mutex> lock(db_mu_);
  return ReadHeadLocked();
}

absl::StatusOr<int64_t> StoreImpl::IdempotencyKeyCount() const {
  std::lock_guard<std::mutex> lock(db_mu_);
  return db_->QueryInt64("SELECT count(*) FROM idempotency", "count idempotency rows");
}

absl::Status StoreImpl::VerifyAudit() const {
  std::lock_guard<std::mutex> lock(db_mu_);
  // One read transaction: a consistent snapshot of the whole chain.
  PITBOSS_RETURN_IF_ERROR(db_->Exec("BEGIN", "begin the audit read"));
  absl::Status status = [&]() -> absl::Status {
    PITBOSS_ASSIGN_OR_RETURN(const v1::AuditChainHead stored_head, ReadHeadLocked());
    PITBOSS_ASSIGN_OR_RETURN(
        std::unique_ptr<Statement> select,
        db_->Prepare(absl::StrCat("SELECT ", kAuditColumns,
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
  db_->Exec("COMMIT", "end the audit read").IgnoreError();
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

absl::StatusOr<ApplyResult> Store::Apply(const Engine& engine, const v1::Event& event,
                                         absl::Time now) {
  std::vector<absl::StatusOr<ApplyResult>> results =
      impl_->Apply(engine, absl::MakeConstSpan(&event, 1), absl::MakeConstSpan(&now, 1));
  return std::move(results.front());
}

std::vector<absl::StatusOr<ApplyResult>> Store::ApplyBatch(
    const Engine& engine, absl::Span<const v1::Event> events, absl::Time now) {
  const std::vector<absl::Time> nows(events.size(), now);
  return impl_->Apply(engine, events, nows);
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
  return impl_->Apply(engine, events, nows);
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
