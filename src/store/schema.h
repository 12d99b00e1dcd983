// The store's schema and its migrations.
//
// The schema version lives in SQLite's `PRAGMA user_version`, and
// `PRAGMA application_id` marks the file as a pitboss store. Migrations are an
// ordered list: migration i takes a store from version i to i + 1, and every
// pending one runs in a single transaction on open, so a store is always at
// exactly one known version. A store whose version is newer than the library's
// (written by a newer pitboss) is refused with FAILED_PRECONDITION rather than
// guessed at; so is a SQLite file that is not a pitboss store.
//
// Tables (version 3):
//   accounts          account_id -> the current version number (the
//                     optimistic check of every write)
//   account_versions  (account_id, version) -> the account after an event:
//                     one row per account and batch, the latest version's
//                     bytes with the batch's earlier versions packed in as
//                     deltas (version_pack.h); kept while an idempotency row
//                     may return one of them (keep_until), the current one
//                     always (expires_at NULL)
//   idempotency       event_id -> SHA-256 of the event's canonical bytes, the
//                     audit sequence of its decision (the recorded response is
//                     that audit row's decision and record, and the account
//                     version it names), and when the row may be pruned
//   audit             one row per decision, sequence 1, 2, 3, ...: the
//                     AuditRecord fields plus the event and decision (canonical
//                     bytes) so a verifier can recompute every payload hash
//   audit_head        the chain's last sequence and record hash, written in the
//                     same transaction (records deleted at the end are detected)
#ifndef PITBOSS_SRC_STORE_SCHEMA_H_
#define PITBOSS_SRC_STORE_SCHEMA_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/store/sqlite_db.h"

namespace pitboss {
namespace store_internal {

// "PBSS": PRAGMA application_id of a pitboss store.
inline constexpr int32_t kApplicationId = 0x50425353;

// The version this library writes: the number of migrations.
int CurrentSchemaVersion();

// Reads the file's schema version (0 for a new, empty file) without writing
// anything. Errors name the path: DATA_LOSS for a file that is not a database
// (or is corrupt); FAILED_PRECONDITION for another application's database or a
// schema newer than CurrentSchemaVersion().
absl::StatusOr<int64_t> ReadSchemaVersion(Database& db);

// Brings the store to CurrentSchemaVersion() in one transaction (a new, empty
// file becomes a complete store), re-checking the version under the write lock
// in case another process migrated meanwhile.
absl::Status Migrate(Database& db);

// Migrate, stopping at `version` (<= CurrentSchemaVersion()): for tests that
// need a store as an older pitboss wrote it.
absl::Status MigrateTo(Database& db, int64_t version);

}  // namespace store_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_STORE_SCHEMA_H_
