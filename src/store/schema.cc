// Schema migrations of the store (schema.h).
#include "src/store/schema.h"

#include <cstdint>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace store_internal {
namespace {

// Migration i takes the schema from version i to i + 1. Append only; never
// edit a released migration (stores in the field already ran it).
constexpr const char* kMigrations[] = {
    // 0 -> 1: the initial schema.
    R"sql(
CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY NOT NULL,
  version INTEGER NOT NULL,
  account BLOB NOT NULL
);
CREATE TABLE idempotency (
  event_id TEXT PRIMARY KEY NOT NULL,
  event_hash BLOB NOT NULL,
  audit_sequence INTEGER NOT NULL,
  account BLOB NOT NULL,
  expires_at_micros INTEGER NOT NULL
);
CREATE INDEX idempotency_by_expiry ON idempotency (expires_at_micros);
CREATE TABLE audit (
  sequence INTEGER PRIMARY KEY NOT NULL,
  event_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  account_version INTEGER NOT NULL,
  recorded_at_seconds INTEGER NOT NULL,
  recorded_at_nanos INTEGER NOT NULL,
  payload_hash BLOB NOT NULL,
  leaf_hash BLOB NOT NULL,
  previous_record_hash BLOB NOT NULL,
  record_hash BLOB NOT NULL,
  event BLOB NOT NULL,
  decision BLOB NOT NULL
);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sequence INTEGER NOT NULL,
  record_hash BLOB NOT NULL
);
INSERT INTO audit_head (id, sequence, record_hash) VALUES (1, 0, x'');
)sql",
    // 1 -> 2: every account version is written once. account_versions keeps
    // the account after each stored event while an idempotency row may still
    // return it (keep_until: the latest expiry of those rows), and the current
    // version always: expires_at is NULL while the version is current and
    // keep_until once a newer one supersedes it, so pruning never looks at
    // current versions (an idle account's would otherwise be scanned by every
    // commit). The accounts row keeps only the current version number (the
    // optimistic check); an idempotency row finds its account through its
    // audit row's (account_id, account_version) instead of a copy.
    R"sql(
CREATE TABLE account_versions (
  account_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  account BLOB NOT NULL,
  keep_until_micros INTEGER NOT NULL,
  expires_at_micros INTEGER,
  PRIMARY KEY (account_id, version)
);
CREATE INDEX account_versions_by_expiry ON account_versions (expires_at_micros);
INSERT INTO account_versions (account_id, version, account, keep_until_micros,
                              expires_at_micros)
  SELECT a.account_id, a.account_version, i.account, MAX(i.expires_at_micros),
         MAX(i.expires_at_micros)
  FROM idempotency i JOIN audit a ON a.sequence = i.audit_sequence
  WHERE a.account_version > 0
  GROUP BY a.account_id, a.account_version;
INSERT OR IGNORE INTO account_versions (account_id, version, account, keep_until_micros)
  SELECT account_id, version, account, 0 FROM accounts;
UPDATE account_versions SET expires_at_micros = NULL
  WHERE (account_id, version) IN (SELECT account_id, version FROM accounts);
ALTER TABLE idempotency DROP COLUMN account;
ALTER TABLE accounts DROP COLUMN account;
)sql",
    // 2 -> 3: one version row per account and batch. A batch that changes an
    // account several times writes one row: the latest version in `account`
    // (its number in `version`) and the batch's earlier versions packed in
    // `earlier` as deltas (src/store/version_pack.h; NULL: the row holds one
    // version). keep_until_micros is then the latest expiry of the rows
    // returning any of them, so a row goes only when none of its versions is
    // returned any more.
    R"sql(
ALTER TABLE account_versions ADD COLUMN earlier BLOB;
)sql",
};

absl::Status CheckApplication(Database& db, int64_t application_id, int64_t version) {
  if (application_id == kApplicationId) return absl::OkStatus();
  if (application_id != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "store '%s': not a pitboss store (SQLite application_id 0x%08x, want 0x%08x)",
        db.path(), static_cast<uint32_t>(application_id),
        static_cast<uint32_t>(kApplicationId)));
  }
  // application_id 0: a new, empty file, or somebody else's database.
  PITBOSS_ASSIGN_OR_RETURN(
      const int64_t objects,
      db.QueryInt64("SELECT count(*) FROM sqlite_schema", "read the schema"));
  if (objects != 0 || version != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store '", db.path(), "': a SQLite database but not a pitboss store (", objects,
        " tables and indexes, user_version ", version, ", no pitboss application_id)"));
  }
  return absl::OkStatus();
}

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

namespace {

absl::Status NewerSchemaError(const Database& db, int64_t version) {
  return absl::FailedPreconditionError(
      absl::StrCat("store '", db.path(), "': schema version ", version,
                   " was written by a newer pitboss; this one reads versions up to ",
                   CurrentSchemaVersion()));
}

}  // namespace

absl::StatusOr<int64_t> ReadSchemaVersion(Database& db) {
  // The first read of the file: a file that is not a database fails here.
  PITBOSS_ASSIGN_OR_RETURN(const int64_t application_id,
                           db.QueryInt64("PRAGMA application_id", "read the header"));
  PITBOSS_ASSIGN_OR_RETURN(
      const int64_t version,
      db.QueryInt64("PRAGMA user_version", "read the schema version"));
  PITBOSS_RETURN_IF_ERROR(CheckApplication(db, application_id, version));
  if (version > CurrentSchemaVersion()) return NewerSchemaError(db, version);
  if (version < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("store '", db.path(), "': invalid schema version ", version));
  }
  return version;
}

absl::Status Migrate(Database& db) { return MigrateTo(db, CurrentSchemaVersion()); }

absl::Status MigrateTo(Database& db, int64_t target) {
  if (target < 0 || target > CurrentSchemaVersion()) {
    return absl::InvalidArgumentError(
        absl::StrCat("store '", db.path(), "': no schema version ", target));
  }
  PITBOSS_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE", "begin the migration"));
  absl::Status status = [&]() -> absl::Status {
    PITBOSS_ASSIGN_OR_RETURN(const int64_t version, ReadSchemaVersion(db));
    for (int64_t v = version; v < target; ++v) {
      PITBOSS_RETURN_IF_ERROR(
          db.Exec(kMigrations[v], absl::StrCat("migrate schema ", v, " -> ", v + 1)));
    }
    if (version < target) {
      PITBOSS_RETURN_IF_ERROR(
          db.Exec(absl::StrCat("PRAGMA application_id = ", kApplicationId,
                               "; PRAGMA user_version = ", target),
                  "set the schema version"));
    }
    return db.Exec("COMMIT", "commit the migration");
  }();
  if (!status.ok()) db.Exec("ROLLBACK", "roll back the migration").IgnoreError();
  return status;
}

}  // namespace store_internal
}  // namespace pitboss
