// The embedded store, C++ API: accounts, idempotency keys and the audit chain
// in one SQLite database (WAL mode), so pitboss can run on its own.
//
//   PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<pitboss::Store> store,
//                            pitboss::Store::Open("/var/lib/pitboss/store.db", {}));
//   PITBOSS_ASSIGN_OR_RETURN(pitboss::ApplyResult result,
//                            store->Apply(*engine, event, absl::Now()));
//   // result.response.decision(): the decision; result.replayed: a duplicate
//
// One event = one SQLite transaction: the account row (its `version` checked
// optimistically) and the account version the event leaves, the idempotency
// row (event_id -> the recorded response -- decision and audit record from the
// audit row, the account from that version -- and the SHA-256 of the event's
// canonical bytes) and the audit row (the AuditRecord with the event and the
// decision, so payload hashes can be re-verified) commit together or not at
// all. Each account version is written once; superseded versions are kept as
// long as an idempotency row may return them. A batch writes one version row
// per account: the latest version, with the batch's earlier versions of the
// account packed into it as small deltas.
//
// Idempotency (event_id, DESIGN.md's Stripe rule): the same event_id with the
// same payload returns the recorded response with replayed = true and changes
// nothing; the same event_id with a different payload is ALREADY_EXISTS naming
// the event_id, and changes nothing. Rows are kept at least
// `idempotency_retention` after the event's `now` and pruned afterwards.
//
// Audit: ONE chain per store (sequence 1, 2, 3, ... in commit order); records
// are hashed with src/engine/audit_chain.h, VerifyAudit re-walks the chain
// and every payload hash.
//
// Bad input (unknown account, malformed event, impossible transition) is the
// engine's status and nothing is stored. Storage problems: a corrupt or
// non-SQLite file is DATA_LOSS, a store written by another schema version
// FAILED_PRECONDITION, a missing directory NOT_FOUND, a path that cannot be
// written PERMISSION_DENIED; every message names the path.
//
// The path ":memory:" opens a private, non-durable in-memory store (replays
// without --db); anything else is a file (created when missing, unless
// read_only).
//
// Thread-safety: a Store is thread-safe. Many threads may Apply / ApplyBatch
// concurrently: events of different accounts are evaluated in parallel (also
// inside one ApplyBatch, on StoreOptions.evaluation_threads), events of the
// same account are serialized, and writes are serialized. Reads (GetAccount,
// AuditHead, VerifyAudit) use their own connection and never wait for a
// commit's fsync. Writes that
// arrive while another thread is committing are group-committed: the next
// commit writes all of them in one transaction (one fsync), each call's
// events under their own savepoint, so a failure in one call's writes never
// undoes another's; only a failure of the shared COMMIT fails them all.
#ifndef PITBOSS_INCLUDE_PITBOSS_STORE_H_
#define PITBOSS_INCLUDE_PITBOSS_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pitboss/engine.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/audit.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/policy.pb.h"

namespace pitboss {

namespace store_internal {
class StoreImpl;
}  // namespace store_internal

struct StoreOptions {
  enum class Sync {
    kFull,    // PRAGMA synchronous=FULL: a committed event survives power loss.
    kNormal,  // PRAGMA synchronous=NORMAL: survives a process crash; the last
              // commits may roll back on power loss (WAL stays consistent).
  };
  Sync synchronous = Sync::kFull;
  // How long an idempotency row is kept after its event's `now`. At least 24 h
  // is the documented contract (DESIGN.md); shorter values are accepted for
  // tests and tooling but never by default.
  absl::Duration idempotency_retention = absl::Hours(24);
  // Open an existing store only, never write (Apply/ApplyBatch fail with
  // FAILED_PRECONDITION). For `pitboss audit verify` and inspection.
  bool read_only = false;
  // How long a writer waits for another process's lock before BUSY
  // (UNAVAILABLE).
  absl::Duration busy_timeout = absl::Seconds(5);
  // Threads that evaluate one ApplyBatch (the calling thread counts): events
  // of different accounts are evaluated in parallel, the events of one
  // account in input order, and everything is written in input order, so
  // results and the audit chain are the same bytes as with 1. 1..64.
  int evaluation_threads = 2;
  // Parsed accounts kept in memory (by id), so the hot path neither reads nor
  // parses the account row. The write still checks the row's version: an
  // account changed by another process (or another Store on the same file)
  // is dropped from the cache, reloaded and the event evaluated again.
  // 0 = no cache.
  int account_cache_size = 4096;
  // WAL pages (4 KiB) after which a background thread copies the WAL back
  // into the database file, off the commit path; when the WAL reaches 4 times
  // as many (the copy could not catch up for the WAL to be reused from its
  // start), the committing thread checkpoints what is left itself. Opening a
  // store also gives its WAL file this size (blocks allocated and synced), so
  // that commits overwrite the file instead of growing it. File stores only;
  // >= 1.
  int checkpoint_pages = 1000;
  // Whether ApplyResult.response carries the account after the event. A copy
  // of the account per event; a replay that only needs decisions turns it
  // off (the account stays readable with GetAccount).
  bool result_accounts = true;
};

// One event's outcome.
struct ApplyResult {
  // The decision, the account after it (unless StoreOptions.result_accounts
  // is false), and the audit record (as chained in this store).
  v1::EvaluateResponse response;
  // True for a duplicate event_id: `response` is the recorded response and
  // nothing changed.
  bool replayed = false;
};

class Store {
 public:
  // Opens (creating when missing, unless read_only) the store at `path`, or a
  // private in-memory store for ":memory:". Applies pending schema migrations.
  // Errors name the path: DATA_LOSS (not a pitboss store / corrupt),
  // FAILED_PRECONDITION (written by another schema version), NOT_FOUND
  // (missing directory, or a missing file with read_only), PERMISSION_DENIED
  // (read-only file or directory), INVALID_ARGUMENT (bad options).
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path,
                                                     const StoreOptions& options);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Loads the account (the default instance for account_opened), evaluates
  // with `engine` at `now`, and commits account + idempotency row + audit row
  // in ONE transaction. Duplicate event_id with the same payload: the recorded
  // response, replayed = true, nothing changes. Same id with a different
  // payload: ALREADY_EXISTS naming the event_id. Bad input: the engine's
  // status, nothing stored.
  absl::StatusOr<ApplyResult> Apply(const Engine& engine, const v1::Event& event,
                                    absl::Time now);

  // Group commit: the same per-event guarantees as Apply, one transaction for
  // the whole batch; results in input order. A later event of the batch sees
  // an earlier one's result (same account, or duplicate event_id). A failed
  // event (bad input) stores nothing for itself and does not affect the others.
  // If the commit itself fails, every event that would have been written gets
  // that error and nothing of the batch is stored.
  std::vector<absl::StatusOr<ApplyResult>> ApplyBatch(const Engine& engine,
                                                      absl::Span<const v1::Event> events,
                                                      absl::Time now);
  // As above, each event decided at its own `occurred_at` (replay).
  std::vector<absl::StatusOr<ApplyResult>> ApplyBatchAtEventTime(
      const Engine& engine, absl::Span<const v1::Event> events);

  // The stored account; NOT_FOUND naming the id.
  absl::StatusOr<v1::Account> GetAccount(absl::string_view account_id) const;

  // The last record of the chain (sequence 0, empty hash for an empty store).
  absl::StatusOr<v1::AuditChainHead> AuditHead() const;

  // Walks the whole chain and every payload hash: OK, or DATA_LOSS naming the
  // first bad sequence ("audit sequence 4: record_hash does not match ...").
  absl::Status VerifyAudit() const;

  // Number of stored idempotency rows (after pruning); for tests and tools.
  absl::StatusOr<int64_t> IdempotencyKeyCount() const;

  // The schema version this library writes (PRAGMA user_version).
  static int SchemaVersion();

 private:
  explicit Store(std::unique_ptr<store_internal::StoreImpl> impl);
  std::unique_ptr<store_internal::StoreImpl> impl_;
};

}  // namespace pitboss

#endif  // PITBOSS_INCLUDE_PITBOSS_STORE_H_
