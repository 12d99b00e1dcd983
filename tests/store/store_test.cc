// Store: durable apply and reopen, idempotency (duplicates, reused ids,
// retention), atomicity under an injected failure, batches, concurrent
// threads, audit tamper detection, and clear errors for files that cannot be
// a store. Real engine (the shipped default policy), real events (the
// scenario driver's), real SQLite files in a temporary directory; the tests
// reach into the files with the sqlite3 library to damage or inspect them.
#include "pitboss/store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pitboss/engine.h"
#include "src/domain/proto_time.h"
#include "src/store/schema.h"
#include "src/store/sqlite_db.h"
#include "src/store/version_pack.h"
#include "tests/matchers.h"
#include "tests/temp_dir.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::pitboss::scenarios::ScenarioDriver;
using ::pitboss::scenarios::ScenarioStart;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::pitboss::testing::TempDir;
using ::testing::AllOf;
using ::testing::HasSubstr;

// --- Fixtures -------------------------------------------------------------------

const Engine& TheEngine() {
  static const Engine* engine = [] {
    absl::StatusOr<v1::Policy> policy = scenarios::LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
    if (!policy.ok()) {
      ADD_FAILURE() << policy.status();
      std::abort();
    }
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*policy);
    if (!engine.ok()) {
      ADD_FAILURE() << engine.status();
      std::abort();
    }
    return engine->release();
  }();
  return *engine;
}


// Plain sqlite3 access to a store file, as an operator (or attacker) would.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK) << path;
  }
  ~RawDb() { sqlite3_close(db_); }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << sql << ": " << (error != nullptr ? error : "");
    sqlite3_free(error);
  }
  int64_t Int(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
  }
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return value;
  }
  // Calls `row` for each row of `sql`.
  void ForEachRow(const std::string& sql, const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(stmt) == SQLITE_ROW) row(stmt);
    sqlite3_finalize(stmt);
  }

 private:
  sqlite3* db_ = nullptr;
};

absl::string_view Blob(sqlite3_stmt* stmt, int column) {
  return absl::string_view(static_cast<const char*>(sqlite3_column_blob(stmt, column)),
                           static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
}

// One account version as a store file holds it: its bytes and the lifetime of
// the row that holds it (several versions of a batch share one row).
struct HeldVersion {
  int64_t row = 0;  // the rowid of the row holding it
  std::string bytes;
  int64_t keep_until = 0;
  std::optional<int64_t> expires;  // none: the row holds the current version
};
using HeldVersions = std::map<std::pair<std::string, int64_t>, HeldVersion>;

// Every account version in the file, unpacked, by (account_id, version).
HeldVersions ReadHeldVersions(const std::string& path) {
  HeldVersions out;
  RawDb(path).ForEachRow(
      "SELECT account_id, version, account, earlier, keep_until_micros, expires_at_micros, "
      "rowid FROM account_versions",
      [&out](sqlite3_stmt* row) {
        const std::string account_id(reinterpret_cast<const char*>(sqlite3_column_text(row, 0)));
        HeldVersion held;
        held.keep_until = sqlite3_column_int64(row, 4);
        held.row = sqlite3_column_int64(row, 6);
        if (sqlite3_column_type(row, 5) != SQLITE_NULL) held.expires = sqlite3_column_int64(row, 5);
        absl::Status visited = store_internal::VisitVersions(
            sqlite3_column_int64(row, 1), Blob(row, 2), Blob(row, 3),
            [&](int64_t version, absl::string_view bytes) {
              held.bytes = std::string(bytes);
              EXPECT_TRUE(out.emplace(std::make_pair(account_id, version), held).second)
                  << account_id << " version " << version << " is held twice";
              return true;
            });
        EXPECT_THAT(visited, IsOk()) << account_id;
      });
  return out;
}

// Whether `got` holds the versions of `want`, the same bytes, each at least as
// long: a batch packs an account's versions into one row, which lives as long
// as its longest-lived version (and is current while it holds the current
// one). So `got` may hold more, but only in rows that hold a wanted version.
void ExpectSameVersionsKeptAtLeastAsLong(const HeldVersions& got, const HeldVersions& want) {
  std::set<int64_t> wanted_rows;
  for (const auto& [key, g] : got) {
    if (want.count(key) != 0) wanted_rows.insert(g.row);
  }
  for (const auto& [key, g] : got) {
    EXPECT_EQ(wanted_rows.count(g.row), 1u)
        << key.first << " version " << key.second << " is kept in a row nothing returns";
  }
  for (const auto& [key, w] : want) {
    auto g = got.find(key);
    if (g == got.end()) {
      ADD_FAILURE() << key.first << " version " << key.second << " is missing";
      continue;
    }
    EXPECT_TRUE(g->second.bytes == w.bytes) << key.first << " version " << key.second;
    EXPECT_GE(g->second.keep_until, w.keep_until) << key.first << " version " << key.second;
    if (g->second.expires.has_value()) {
      ASSERT_TRUE(w.expires.has_value()) << key.first << " version " << key.second
                                         << " should be current";
      EXPECT_GE(*g->second.expires, *w.expires) << key.first << " version " << key.second;
    }
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

// A file's size in bytes; 0 when it does not exist (yet).
int64_t FileBytes(const std::string& file) {
  std::error_code error;
  const uintmax_t bytes = std::filesystem::file_size(file, error);
  return error ? 0 : static_cast<int64_t>(bytes);
}

std::unique_ptr<Store> OpenOrDie(const std::string& path, StoreOptions options = {}) {
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path, options);
  EXPECT_THAT(store, IsOk());
  return store.ok() ? std::move(*store) : nullptr;
}

// Events of one player, stamped one minute apart, with ids unique across
// players ("<account>/evt-N").
class Player {
 public:
  explicit Player(const std::string& account_id, absl::Time start = ScenarioStart())
      : driver_(&TheEngine(), account_id, start) {}

  // Advances the clock a minute and builds an event with `make`.
  v1::Event Next(const std::function<v1::Event(ScenarioDriver&)>& make) {
    driver_.Advance(absl::Minutes(1));
    v1::Event event = make(driver_);
    event.set_event_id(absl::StrCat(driver_.account_id(), "/", event.event_id()));
    return event;
  }
  absl::Time now() const { return driver_.now(); }
  ScenarioDriver& driver() { return driver_; }

  // Open, log in, verify two factors, a bank deposit of `yen` and its
  // settlement (cash credited), then `wagers` wagers of 100 (every other one
  // paying 150).
  std::vector<v1::Event> History(int64_t yen, int wagers) {
    std::vector<v1::Event> events;
    events.push_back(Next([](ScenarioDriver& d) { return d.OpenJapaneseAccount(); }));
    events.push_back(Next([](ScenarioDriver& d) { return d.Login(true); }));
    events.push_back(Next(
        [](ScenarioDriver& d) { return d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD); }));
    events.push_back(Next(
        [](ScenarioDriver& d) { return d.Verified("f-totp", v1::FACTOR_KIND_TOTP); }));
    events.push_back(Next([yen](ScenarioDriver& d) {
      return d.DepositNewBank("d-1", yen, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ");
    }));
    events.push_back(Next([](ScenarioDriver& d) { return d.Settled("d-1"); }));
    for (int i = 0; i < wagers; ++i) {
      events.push_back(Next([i](ScenarioDriver& d) {
        return d.Wager(absl::StrCat("g-", i), 100, i % 2 == 0 ? 150 : 0);
      }));
    }
    return events;
  }

 private:
  ScenarioDriver driver_;
};

absl::Time TimeOf(const v1::Event& event) {
  return domain::FromProtoTime(event.occurred_at());
}

// Applies each event at its own time; every one must succeed.
std::vector<ApplyResult> ApplyAll(Store& store, const std::vector<v1::Event>& events) {
  std::vector<ApplyResult> results;
  for (const v1::Event& event : events) {
    absl::StatusOr<ApplyResult> result = store.Apply(TheEngine(), event, TimeOf(event));
    EXPECT_THAT(result, IsOk()) << event.event_id();
    if (result.ok()) results.push_back(std::move(*result));
  }
  return results;
}

int64_t Cash(Store& store, const std::string& account_id) {
  absl::StatusOr<v1::Account> account = store.GetAccount(account_id);
  EXPECT_THAT(account, IsOk());
  return account.ok() ? account->balances().cash().minor_units() : -1;
}

int64_t Keys(Store& store) {
  absl::StatusOr<int64_t> keys = store.IdempotencyKeyCount();
  EXPECT_THAT(keys, IsOk());
  return keys.ok() ? *keys : -1;
}

// Makes every audit insert of `account_id` fail (ABORTED, "injected") with a
// trigger, as a full disk or a broken file would fail a write.
void FailAuditRowsOf(const std::string& path, const std::string& account_id) {
  RawDb(path).Exec(absl::StrCat(
      "CREATE TRIGGER fail_audit BEFORE INSERT ON audit WHEN ",
      "NEW.account_id = '", account_id, "' BEGIN SELECT RAISE(ABORT, 'injected for ",
      account_id, "'); END"));
}

// Everything a failed call must leave unchanged.
struct Snapshot {
  std::string account;  // serialized, "" when absent
  uint64_t head_sequence = 0;
  std::string head_hash;
  int64_t keys = 0;
};

Snapshot Take(Store& store, const std::string& account_id) {
  Snapshot s;
  absl::StatusOr<v1::Account> account = store.GetAccount(account_id);
  if (account.ok()) s.account = account->SerializeAsString();
  absl::StatusOr<v1::AuditChainHead> head = store.AuditHead();
  EXPECT_THAT(head, IsOk());
  if (head.ok()) {
    s.head_sequence = head->sequence();
    s.head_hash = head->record_hash();
  }
  absl::StatusOr<int64_t> keys = store.IdempotencyKeyCount();
  EXPECT_THAT(keys, IsOk());
  s.keys = keys.ok() ? *keys : -1;
  return s;
}

void ExpectUnchanged(const Snapshot& before, const Snapshot& after) {
  EXPECT_EQ(before.account, after.account) << "account changed";
  EXPECT_EQ(before.head_sequence, after.head_sequence) << "audit head moved";
  EXPECT_EQ(before.head_hash, after.head_hash);
  EXPECT_EQ(before.keys, after.keys) << "idempotency rows changed";
}

// --- Apply, reopen, idempotency ---------------------------------------------------

TEST(StoreTest, AppliesAndSurvivesReopen) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  Player p("acct-1");
  const std::vector<v1::Event> events = p.History(20000, 4);
  std::vector<ApplyResult> results;
  {
    std::unique_ptr<Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    results = ApplyAll(*store, events);
    ASSERT_EQ(results.size(), events.size());
    for (size_t i = 0; i < results.size(); ++i) {
      EXPECT_FALSE(results[i].replayed);
      EXPECT_EQ(results[i].response.audit().sequence(), i + 1);
    }
  }
  RawDb raw(path);
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.Int("PRAGMA user_version"), Store::SchemaVersion());

  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  absl::StatusOr<v1::Account> account = store->GetAccount("acct-1");
  ASSERT_THAT(account, IsOk());
  EXPECT_TRUE(MessageDifferencer::Equals(*account, results.back().response.account()));
  // 20000 deposited, 4 wagers of 100 of which two paid 150.
  EXPECT_EQ(account->balances().cash().minor_units(), 20000 - 400 + 300);
  absl::StatusOr<v1::AuditChainHead> head = store->AuditHead();
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->sequence(), events.size());
  EXPECT_EQ(head->record_hash(), results.back().response.audit().record_hash());
  EXPECT_THAT(store->VerifyAudit(), IsOk());
  EXPECT_THAT(store->GetAccount("acct-unknown"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("acct-unknown")));
}

TEST(StoreTest, DuplicateEventReturnsRecordedResponseAndChangesNothing) {
  std::unique_ptr<Store> store = OpenOrDie(":memory:");
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  std::vector<v1::Event> events = p.History(20000, 0);
  std::vector<ApplyResult> results = ApplyAll(*store, events);
  ASSERT_EQ(results.size(), events.size());
  const v1::Event& settle = events.back();  // credits 20000
  ASSERT_TRUE(settle.has_deposit_settled());
  EXPECT_EQ(Cash(*store, "acct-1"), 20000);
  const Snapshot before = Take(*store, "acct-1");

  // Sent again, also an hour later: the recorded response, no second credit.
  for (absl::Duration later : {absl::ZeroDuration(), absl::Hours(1)}) {
    absl::StatusOr<ApplyResult> again =
        store->Apply(TheEngine(), settle, TimeOf(settle) + later);
    ASSERT_THAT(again, IsOk());
    EXPECT_TRUE(again->replayed);
    EXPECT_TRUE(MessageDifferencer::Equals(again->response, results.back().response))
        << again->response.ShortDebugString();
    ExpectUnchanged(before, Take(*store, "acct-1"));
    EXPECT_EQ(Cash(*store, "acct-1"), 20000);
  }
  // The account opening too (it would otherwise be ALREADY_EXISTS).
  absl::StatusOr<ApplyResult> reopen =
      store->Apply(TheEngine(), events[0], TimeOf(events[0]));
  ASSERT_THAT(reopen, IsOk());
  EXPECT_TRUE(reopen->replayed);
  EXPECT_EQ(reopen->response.account().version(), 1);
  ExpectUnchanged(before, Take(*store, "acct-1"));
  EXPECT_THAT(store->VerifyAudit(), IsOk());
}

TEST(StoreTest, SameEventIdWithDifferentPayloadIsAnErrorAndChangesNothing) {
  std::unique_ptr<Store> store = OpenOrDie(":memory:");
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  std::vector<v1::Event> events = p.History(20000, 1);
  ApplyAll(*store, events);
  const Snapshot before = Take(*store, "acct-1");

  v1::Event changed = events.back();  // the wager, with another stake
  ASSERT_TRUE(changed.has_wager_settled());
  changed.mutable_wager_settled()->mutable_stake()->set_minor_units(5000);
  EXPECT_THAT(
      store->Apply(TheEngine(), changed, TimeOf(changed)),
      StatusIs(absl::StatusCode::kAlreadyExists,
               AllOf(HasSubstr(changed.event_id()), HasSubstr("different payload"))));
  ExpectUnchanged(before, Take(*store, "acct-1"));

  // The same id for another account is a different payload too.
  Player q("acct-2");
  v1::Event other = q.Next([](ScenarioDriver& d) { return d.OpenJapaneseAccount(); });
  other.set_event_id(events[0].event_id());
  EXPECT_THAT(
      store->Apply(TheEngine(), other, TimeOf(other)),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(events[0].event_id())));
  EXPECT_THAT(store->GetAccount("acct-2"), StatusIs(absl::StatusCode::kNotFound));
  ExpectUnchanged(before, Take(*store, "acct-1"));
}

TEST(StoreTest, IdempotencyRowsAreKeptForTheRetentionThenPruned) {
  EXPECT_EQ(StoreOptions().idempotency_retention, absl::Hours(24));
  StoreOptions options;
  options.idempotency_retention = absl::Hours(1);
  std::unique_ptr<Store> store = OpenOrDie(":memory:", options);
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  const absl::Time t0 = ScenarioStart();
  const v1::Event open =
      p.Next([](ScenarioDriver& d) { return d.OpenJapaneseAccount(); });
  const v1::Event login = p.Next([](ScenarioDriver& d) { return d.Login(true); });
  const v1::Event verify = p.Next(
      [](ScenarioDriver& d) { return d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD); });
  ASSERT_THAT(store->Apply(TheEngine(), open, t0), IsOk());
  ASSERT_THAT(store->Apply(TheEngine(), login, t0 + absl::Minutes(30)), IsOk());
  EXPECT_EQ(Keys(*store), 2);

  // 59 minutes after the opening: still within retention, nothing pruned.
  absl::StatusOr<ApplyResult> dup =
      store->Apply(TheEngine(), open, t0 + absl::Minutes(59));
  ASSERT_THAT(dup, IsOk());
  EXPECT_TRUE(dup->replayed);
  EXPECT_EQ(Keys(*store), 2);

  // A write one hour after the opening prunes its row; the login's stays.
  ASSERT_THAT(store->Apply(TheEngine(), verify, t0 + absl::Minutes(60)), IsOk());
  EXPECT_EQ(Keys(*store), 2);
  absl::StatusOr<ApplyResult> login_again =
      store->Apply(TheEngine(), login, t0 + absl::Minutes(61));
  ASSERT_THAT(login_again, IsOk());
  EXPECT_TRUE(login_again->replayed);
  // Past retention the opening is no duplicate any more: the engine decides,
  // and refuses to open the account twice.
  EXPECT_THAT(store->Apply(TheEngine(), open, t0 + absl::Minutes(62)),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already exists")));
  EXPECT_THAT(store->VerifyAudit(), IsOk());

  StoreOptions bad;
  bad.idempotency_retention = -absl::Seconds(1);
  EXPECT_THAT(Store::Open(":memory:", bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("StoreOptions.idempotency_retention")));
}

// A file store whose idempotency rows are kept an hour (versions expire with them).
std::unique_ptr<Store> OpenWithOneHourRetention(const std::string& path) {
  StoreOptions options;
  options.idempotency_retention = absl::Hours(1);
  return OpenOrDie(path, options);
}

// Each account version is written once and kept while an idempotency row may
// return it; the current version is kept always.
TEST(StoreTest, SupersededAccountVersionsArePrunedWithTheirIdempotencyRows) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::unique_ptr<Store> store = OpenWithOneHourRetention(path);
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  Player idle("acct-2", ScenarioStart() + absl::Seconds(20));
  const std::vector<v1::Event> idle_events = idle.History(3000, 1);
  ApplyAll(*store, idle_events);
  const std::vector<v1::Event> events = p.History(5000, 4);
  const std::vector<ApplyResult> results = ApplyAll(*store, events);
  ASSERT_EQ(results.size(), events.size());
  std::set<int64_t> versions;
  for (const ApplyResult& r : results) versions.insert(r.response.account().version());
  RawDb raw(path);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM account_versions WHERE account_id = 'acct-1'"),
            static_cast<int64_t>(versions.size()));
  // The first event's duplicate still returns the account it left.
  absl::StatusOr<ApplyResult> again = store->Apply(TheEngine(), events[0], TimeOf(events[0]));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->response.account().SerializeAsString(),
            results[0].response.account().SerializeAsString());

  // Two hours later every earlier row is past retention: one more event
  // prunes them and the versions they returned, but not the current ones --
  // also not the idle account's, whose last event is long past retention.
  p.driver().Advance(absl::Hours(2));
  const v1::Event late = p.Next([](ScenarioDriver& d) { return d.Wager("g-late", 100, 0); });
  ASSERT_THAT(store->Apply(TheEngine(), late, TimeOf(late)), IsOk());
  EXPECT_EQ(Keys(*store), 1);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM account_versions"), 2);
  for (const char* id : {"acct-1", "acct-2"}) {
    EXPECT_EQ(raw.Int(absl::StrCat("SELECT version FROM account_versions WHERE account_id = '",
                                   id, "'")),
              raw.Int(absl::StrCat("SELECT version FROM accounts WHERE account_id = '", id,
                                   "'")));
  }
  EXPECT_EQ(Cash(*store, "acct-1"), 5000 - 4 * 100 + 2 * 150 - 100);
  EXPECT_EQ(Cash(*store, "acct-2"), 3000 - 100 + 150);
  // Current versions are not prune candidates at all (no expiry), so no
  // commit looks at an idle account's version again.
  EXPECT_EQ(raw.Int("SELECT count(*) FROM account_versions WHERE expires_at_micros IS NOT NULL"),
            0);
  EXPECT_THAT(store->VerifyAudit(), IsOk());
}

// An event that leaves the account as it was (a refused password reset by
// phone) returns the version the event before it left; that version stays as
// long as the later event's idempotency row, also once a newer version has
// superseded it and the earlier event's row is gone.
TEST(StoreTest, AnUnchangedAccountsVersionLivesAsLongAsEveryRowReturningIt) {
  TempDir dir;
  std::unique_ptr<Store> store = OpenWithOneHourRetention(dir.File("store.db"));
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  const std::vector<ApplyResult> history = ApplyAll(*store, p.History(5000, 0));
  ASSERT_FALSE(history.empty());
  p.driver().Advance(absl::Minutes(40));
  const v1::Event refused = p.Next([](ScenarioDriver& d) {
    return d.PasswordReset(v1::CHANNEL_PHONE, v1::PASSWORD_RESET_METHOD_AGENT_ASSISTED);
  });
  absl::StatusOr<ApplyResult> first = store->Apply(TheEngine(), refused, TimeOf(refused));
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->response.account().version(), history.back().response.account().version())
      << "the refused reset should leave the account unchanged";
  const v1::Event wager = p.Next([](ScenarioDriver& d) { return d.Wager("g-1", 100, 0); });
  ASSERT_THAT(store->Apply(TheEngine(), wager, TimeOf(wager)), IsOk());

  // Past the history's retention, within the reset's: the history's rows are
  // pruned by the next write, the version the reset returns is not.
  p.driver().Advance(absl::Minutes(25));
  const v1::Event later = p.Next([](ScenarioDriver& d) { return d.Wager("g-2", 100, 0); });
  ASSERT_THAT(store->Apply(TheEngine(), later, TimeOf(later)), IsOk());
  EXPECT_EQ(Keys(*store), 3);
  absl::StatusOr<ApplyResult> again =
      store->Apply(TheEngine(), refused, TimeOf(later) + absl::Minutes(1));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->replayed);
  EXPECT_TRUE(MessageDifferencer::Equals(again->response, first->response));
  EXPECT_THAT(store->VerifyAudit(), IsOk());
}

// The same inside one batch, whose writes keep the account's latest version
// back until a later event supersedes it or the batch ends: the version the
// refused reset returns gets the reset's later expiry, as one-by-one.
TEST(StoreTest, ABatchKeepsAVersionAsLongAsEveryRowReturningItLikeOneByOne) {
  TempDir dir;
  std::unique_ptr<Store> one = OpenWithOneHourRetention(dir.File("one.db"));
  std::unique_ptr<Store> batched = OpenWithOneHourRetention(dir.File("batched.db"));
  ASSERT_NE(one, nullptr);
  ASSERT_NE(batched, nullptr);
  Player p("acct-1");
  const std::vector<v1::Event> history = p.History(5000, 0);
  ApplyAll(*one, history);
  ApplyAll(*batched, history);
  std::vector<v1::Event> events;
  events.push_back(p.Next([](ScenarioDriver& d) { return d.Wager("g-1", 100, 0); }));
  p.driver().Advance(absl::Minutes(30));
  events.push_back(p.Next([](ScenarioDriver& d) {
    return d.PasswordReset(v1::CHANNEL_PHONE, v1::PASSWORD_RESET_METHOD_AGENT_ASSISTED);
  }));
  events.push_back(p.Next([](ScenarioDriver& d) { return d.Wager("g-2", 100, 0); }));
  std::vector<ApplyResult> results = ApplyAll(*one, events);
  ASSERT_EQ(results.size(), 3u);
  ASSERT_EQ(results[1].response.account().version(), results[0].response.account().version())
      << "the refused reset should leave the account unchanged";
  for (const auto& r : batched->ApplyBatchAtEventTime(TheEngine(), events)) {
    ASSERT_THAT(r, IsOk());
  }
  const HeldVersions batched_versions = ReadHeldVersions(dir.File("batched.db"));
  ExpectSameVersionsKeptAtLeastAsLong(batched_versions, ReadHeldVersions(dir.File("one.db")));
  // The wager's version is kept as long as the reset's row, 30 minutes after
  // its own: packed with g-2's version, in the current row.
  const auto wager = batched_versions.find({"acct-1", results[0].response.account().version()});
  ASSERT_NE(wager, batched_versions.end());
  EXPECT_GE(wager->second.keep_until, absl::ToUnixMicros(TimeOf(events[1]) + absl::Hours(1)));
  EXPECT_FALSE(wager->second.expires.has_value());
  EXPECT_EQ(RawDb(dir.File("batched.db")).Int("SELECT count(*) FROM account_versions"),
            RawDb(dir.File("one.db")).Int("SELECT count(*) FROM account_versions") - 1);

  // Past the wager's retention but within the reset's (and g-2's): a later
  // event prunes nothing the reset returns, and its duplicate answers as
  // before.
  p.driver().Advance(absl::Minutes(45));
  const v1::Event later = p.Next([](ScenarioDriver& d) { return d.Wager("g-3", 100, 0); });
  ASSERT_THAT(batched->Apply(TheEngine(), later, TimeOf(later)), IsOk());
  absl::StatusOr<ApplyResult> again =
      batched->Apply(TheEngine(), events[1], TimeOf(later) + absl::Minutes(1));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->replayed);
  EXPECT_TRUE(MessageDifferencer::Equals(again->response, results[1].response));
}

// A batch packs an account's versions into one row; a duplicate of each of
// its events still returns the account that event left. Damaged packed bytes
// are DATA_LOSS naming the version, never another account state.
TEST(StoreTest, DuplicatesOfABatchReturnTheirPackedVersionsAndDamageIsDataLoss) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  const std::vector<v1::Event> events = p.History(5000, 6);
  std::vector<ApplyResult> results;
  for (auto& r : store->ApplyBatchAtEventTime(TheEngine(), events)) {
    ASSERT_THAT(r, IsOk());
    results.push_back(*std::move(r));
  }
  RawDb raw(path);
  ASSERT_EQ(raw.Int("SELECT count(*) FROM account_versions"), 1);
  std::set<int64_t> versions;
  for (const ApplyResult& r : results) versions.insert(r.response.account().version());
  EXPECT_EQ(static_cast<int64_t>(ReadHeldVersions(path).size()),
            static_cast<int64_t>(versions.size()));
  for (size_t i = 0; i < events.size(); ++i) {
    absl::StatusOr<ApplyResult> again = store->Apply(TheEngine(), events[i], TimeOf(events[i]));
    ASSERT_THAT(again, IsOk()) << i;
    EXPECT_TRUE(again->replayed);
    EXPECT_TRUE(MessageDifferencer::Equals(again->response, results[i].response)) << i;
  }

  // Cut the packed versions short: the first event's version no longer
  // decodes; the last event's (the row's own bytes) still answers.
  const int64_t first = results[0].response.account().version();
  raw.Exec("UPDATE account_versions SET earlier = substr(earlier, 1, length(earlier) - 5)");
  EXPECT_THAT(store->Apply(TheEngine(), events[0], TimeOf(events[0])),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr(absl::StrCat("account version ", first)),
                             HasSubstr("does not decode"))));
  EXPECT_THAT(store->Apply(TheEngine(), events.back(), TimeOf(events.back())), IsOk());
  // Without the packed versions at all, the version is missing.
  raw.Exec("UPDATE account_versions SET earlier = NULL");
  EXPECT_THAT(store->Apply(TheEngine(), events[0], TimeOf(events[0])),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("account version ", first, ", which is missing"))));
  EXPECT_EQ(raw.Int("SELECT count(*) FROM audit"), static_cast<int64_t>(events.size()));
}

TEST(StoreTest, DefaultRetentionKeepsKeysForADay) {
  std::unique_ptr<Store> store = OpenOrDie(":memory:");
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  const v1::Event open =
      p.Next([](ScenarioDriver& d) { return d.OpenJapaneseAccount(); });
  const absl::Time t0 = TimeOf(open);
  ASSERT_THAT(store->Apply(TheEngine(), open, t0), IsOk());
  absl::StatusOr<ApplyResult> later =
      store->Apply(TheEngine(), open, t0 + absl::Hours(24) - absl::Seconds(1));
  ASSERT_THAT(later, IsOk());
  EXPECT_TRUE(later->replayed);
  // The first write a day later prunes it.
  p.driver().Advance(absl::Hours(24));
  const v1::Event login = p.Next([](ScenarioDriver& d) { return d.Login(true); });
  ASSERT_THAT(store->Apply(TheEngine(), login, TimeOf(login)), IsOk());
  EXPECT_EQ(Keys(*store), 1);
}

TEST(StoreTest, EventTimeBatchNeedsOccurredAt) {
  std::unique_ptr<Store> store = OpenOrDie(":memory:");
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  v1::Event open = p.Next([](ScenarioDriver& d) { return d.OpenJapaneseAccount(); });
  open.clear_occurred_at();
  std::vector<absl::StatusOr<ApplyResult>> r =
      store->ApplyBatchAtEventTime(TheEngine(), {open});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_THAT(r[0],
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("occurred_at")));
  EXPECT_EQ(Take(*store, "acct-1").head_sequence, 0u);
  EXPECT_EQ(Keys(*store), 0);
}

TEST(StoreTest, BadInputIsTheEnginesErrorAndStoresNothing) {
  std::unique_ptr<Store> store = OpenOrDie(":memory:");
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  // Unknown account.
  const v1::Event deposit =
      p.Next([](ScenarioDriver& d) { return d.Deposit("d-1", 1000, "bank-1"); });
  EXPECT_THAT(
      store->Apply(TheEngine(), deposit, TimeOf(deposit)),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("unknown account 'acct-1'")));
  Snapshot empty = Take(*store, "acct-1");
  EXPECT_EQ(empty.account, "");
  EXPECT_EQ(empty.head_sequence, 0u);
  EXPECT_EQ(empty.keys, 0);

  ApplyAll(*store, {p.Next([](ScenarioDriver& d) { return d.OpenJapaneseAccount(); })});
  const Snapshot before = Take(*store, "acct-1");
  // A negative amount; a missing event id; no event kind.
  v1::Event negative = p.Next([](ScenarioDriver& d) {
    return d.DepositNewBank("d-2", -5, "bank-1", "YAMADA TARO");
  });
  EXPECT_THAT(store->Apply(TheEngine(), negative, TimeOf(negative)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("amount")));
  v1::Event no_id = p.Next([](ScenarioDriver& d) { return d.Login(true); });
  no_id.clear_event_id();
  EXPECT_THAT(store->Apply(TheEngine(), no_id, TimeOf(no_id)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.event_id")));
  v1::Event no_kind = p.Next([](ScenarioDriver& d) { return d.Envelope(); });
  EXPECT_THAT(store->Apply(TheEngine(), no_kind, TimeOf(no_kind)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.kind")));
  ExpectUnchanged(before, Take(*store, "acct-1"));
  // A refused event left no idempotency row: once fixed, it applies.
  negative.mutable_deposit_requested()->mutable_amount()->set_minor_units(500);
  EXPECT_THAT(store->Apply(TheEngine(), negative, TimeOf(negative)), IsOk());
}

// --- Atomicity ------------------------------------------------------------------

TEST(StoreTest, FailedAuditInsertRollsBackTheWholeEvent) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  std::vector<v1::Event> events = p.History(20000, 0);
  const v1::Event settle = events.back();
  events.pop_back();
  ApplyAll(*store, events);
  const Snapshot before = Take(*store, "acct-1");
  EXPECT_EQ(Cash(*store, "acct-1"), 0);

  RawDb raw(path);
  raw.Exec(
      "CREATE TRIGGER fail_audit BEFORE INSERT ON audit "
      "BEGIN SELECT RAISE(ABORT, 'injected audit failure'); END");
  absl::StatusOr<ApplyResult> failed = store->Apply(TheEngine(), settle, TimeOf(settle));
  EXPECT_THAT(failed,
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("injected audit failure"), HasSubstr(path))));
  ExpectUnchanged(before, Take(*store, "acct-1"));
  EXPECT_EQ(Cash(*store, "acct-1"), 0);  // the account row was not credited either

  // A batch fails as a whole.
  std::vector<v1::Event> batch = {
      settle, p.Next([](ScenarioDriver& d) { return d.Wager("g-1", 100, 0); })};
  for (const absl::StatusOr<ApplyResult>& r :
       store->ApplyBatchAtEventTime(TheEngine(), batch)) {
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kAborted, HasSubstr("injected")));
  }
  ExpectUnchanged(before, Take(*store, "acct-1"));

  // Without the fault the same event applies, once.
  raw.Exec("DROP TRIGGER fail_audit");
  absl::StatusOr<ApplyResult> applied = store->Apply(TheEngine(), settle, TimeOf(settle));
  ASSERT_THAT(applied, IsOk());
  EXPECT_FALSE(applied->replayed);
  EXPECT_EQ(Cash(*store, "acct-1"), 20000);
  EXPECT_THAT(store->VerifyAudit(), IsOk());
}

TEST(StoreTest, ReadOnlyStoreReadsButNeverWrites) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  Player p("acct-1");
  const std::vector<v1::Event> events = p.History(1000, 1);
  {
    std::unique_ptr<Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    ApplyAll(*store, events);
  }
  StoreOptions options;
  options.read_only = true;
  std::unique_ptr<Store> store = OpenOrDie(path, options);
  ASSERT_NE(store, nullptr);
  const Snapshot before = Take(*store, "acct-1");
  EXPECT_THAT(store->VerifyAudit(), IsOk());
  const v1::Event wager =
      p.Next([](ScenarioDriver& d) { return d.Wager("g-9", 100, 0); });
  EXPECT_THAT(store->Apply(TheEngine(), wager, TimeOf(wager)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("read-only"), HasSubstr(path))));
  ExpectUnchanged(before, Take(*store, "acct-1"));
  EXPECT_THAT(Store::Open(dir.File("missing.db"), options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing.db")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing.db")));
}

// --- Batches --------------------------------------------------------------------

TEST(StoreTest, BatchMatchesEventByEventApply) {
  Player a("acct-a");
  Player b("acct-b", ScenarioStart() + absl::Seconds(30));
  std::vector<v1::Event> events;
  // Interleaved so that both accounts' events follow each other in the batch.
  std::vector<v1::Event> ha = a.History(5000, 3);
  std::vector<v1::Event> hb = b.History(7000, 2);
  for (size_t i = 0; i < std::max(ha.size(), hb.size()); ++i) {
    if (i < ha.size()) events.push_back(ha[i]);
    if (i < hb.size()) events.push_back(hb[i]);
  }

  std::unique_ptr<Store> one = OpenOrDie(":memory:");
  std::unique_ptr<Store> batched = OpenOrDie(":memory:");
  ASSERT_NE(one, nullptr);
  ASSERT_NE(batched, nullptr);
  std::vector<ApplyResult> expected = ApplyAll(*one, events);
  std::vector<absl::StatusOr<ApplyResult>> got =
      batched->ApplyBatchAtEventTime(TheEngine(), events);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_THAT(got[i], IsOk()) << i;
    EXPECT_FALSE(got[i]->replayed);
    EXPECT_TRUE(MessageDifferencer::Equals(got[i]->response, expected[i].response)) << i;
  }
  EXPECT_EQ(Cash(*batched, "acct-a"), 5000 - 300 + 300);
  EXPECT_EQ(Cash(*batched, "acct-b"), 7000 - 200 + 150);
  EXPECT_THAT(batched->AuditHead(), IsOk());
  EXPECT_EQ(batched->AuditHead()->record_hash(), one->AuditHead()->record_hash());
  EXPECT_THAT(batched->VerifyAudit(), IsOk());
}

TEST(StoreTest, BatchHandlesDuplicatesReusedIdsAndBadEventsPerEvent) {
  std::unique_ptr<Store> store = OpenOrDie(":memory:");
  ASSERT_NE(store, nullptr);
  Player a("acct-a");
  std::vector<v1::Event> history = a.History(5000, 0);
  const v1::Event settle = history.back();
  history.pop_back();
  ApplyAll(*store, history);
  const v1::Event login = history[1];  // recorded before the batch

  Player ghost("acct-ghost");
  v1::Event wager = a.Next([](ScenarioDriver& d) { return d.Wager("g-1", 1000, 0); });
  v1::Event reused = wager;
  reused.mutable_wager_settled()->mutable_stake()->set_minor_units(2000);
  const std::vector<v1::Event> batch = {
      settle,                                                       // 0 applied
      ghost.Next([](ScenarioDriver& d) { return d.Login(true); }),  // 1 unknown
      wager,                                                        // 2 sees 0
      settle,                                                       // 3 dup of 0
      reused,                                                       // 4 reused id
      login,                                                        // 5 dup, stored
  };
  std::vector<absl::StatusOr<ApplyResult>> r =
      store->ApplyBatch(TheEngine(), batch, a.now());
  ASSERT_EQ(r.size(), batch.size());
  ASSERT_THAT(r[0], IsOk());
  EXPECT_FALSE(r[0]->replayed);
  EXPECT_EQ(r[0]->response.account().balances().cash().minor_units(), 5000);
  EXPECT_THAT(r[1], StatusIs(absl::StatusCode::kNotFound, HasSubstr("acct-ghost")));
  ASSERT_THAT(r[2], IsOk());
  EXPECT_EQ(r[2]->response.account().balances().cash().minor_units(), 4000);
  EXPECT_EQ(r[2]->response.account().version(), r[0]->response.account().version() + 1);
  ASSERT_THAT(r[3], IsOk());
  EXPECT_TRUE(r[3]->replayed);
  EXPECT_TRUE(MessageDifferencer::Equals(r[3]->response, r[0]->response));
  EXPECT_THAT(r[4],
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(wager.event_id())));
  ASSERT_THAT(r[5], IsOk());
  EXPECT_TRUE(r[5]->replayed);

  // Two new audit records (0 and 2), one credit, one debit.
  EXPECT_EQ(store->AuditHead()->sequence(), history.size() + 2);
  EXPECT_EQ(r[2]->response.audit().sequence(), history.size() + 2);
  EXPECT_EQ(Cash(*store, "acct-a"), 4000);
  EXPECT_THAT(store->GetAccount("acct-ghost"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(Keys(*store), static_cast<int64_t>(history.size() + 2));
  EXPECT_THAT(store->VerifyAudit(), IsOk());
}

// The first `n` events of the example stream (examples/events/casino-jp.jsonl).
std::vector<v1::Event> ExampleEvents(size_t n) {
  std::ifstream in(absl::StrCat(PITBOSS_SOURCE_DIR, "/examples/events/casino-jp.jsonl"));
  EXPECT_TRUE(in.good());
  std::vector<v1::Event> events;
  std::string line;
  while (events.size() < n && std::getline(in, line)) {
    if (line.empty()) continue;
    v1::Event event;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &event).ok()) << line;
    events.push_back(std::move(event));
  }
  return events;
}

// Everything a result says, as bytes (status or decision + audit + account).
std::string Describe(const absl::StatusOr<ApplyResult>& r) {
  if (!r.ok()) return r.status().ToString();
  return absl::StrCat(r->replayed ? "replayed " : "applied ",
                      r->response.decision().SerializeAsString(), "|",
                      r->response.audit().SerializeAsString(), "|",
                      r->response.account().SerializeAsString());
}

// Two file stores for the same events: `one` applies them one by one on one
// thread (the reference: `expected` is its result per event), `batched` is
// left for the test to feed batches, evaluated on three threads with a cache
// smaller than the example stream's accounts (evictions).
struct OneByOneAndBatched {
  // The first `n` example events; `expected` stays short when a store did
  // not open.
  explicit OneByOneAndBatched(size_t n) : events(ExampleEvents(n)) {
    StoreOptions sequential;
    sequential.evaluation_threads = 1;
    sequential.account_cache_size = 0;
    one = OpenOrDie(dir.File("one.db"), sequential);
    StoreOptions parallel;
    parallel.evaluation_threads = 3;
    parallel.account_cache_size = 50;
    batched = OpenOrDie(dir.File("batched.db"), parallel);
    if (one == nullptr || batched == nullptr) return;
    for (const v1::Event& event : events) {
      expected.push_back(Describe(one->Apply(TheEngine(), event, TimeOf(event))));
    }
  }
  const std::vector<v1::Event> events;
  TempDir dir;
  std::unique_ptr<Store> one;
  std::unique_ptr<Store> batched;
  std::vector<std::string> expected;
};

TEST(StoreTest, ParallelBatchesEqualOneByOneApplyOnTheExampleStream) {
  OneByOneAndBatched stores(1500);
  ASSERT_EQ(stores.expected.size(), 1500u);
  const std::vector<v1::Event>& events = stores.events;
  std::vector<std::string> got;
  int applied = 0;
  for (size_t i = 0; i < events.size(); i += 100) {
    const size_t n = std::min<size_t>(100, events.size() - i);
    for (const auto& r : stores.batched->ApplyBatchAtEventTime(
             TheEngine(), absl::MakeConstSpan(events.data() + i, n))) {
      applied += r.ok() && !r->replayed;
      got.push_back(Describe(r));
    }
  }
  ASSERT_EQ(got.size(), stores.expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i], stores.expected[i]) << "event " << i << " (" << events[i].event_id() << ")";
  }
  EXPECT_GT(applied, 1000);
  // The same chain, byte for byte (the head hash covers every record), and
  // the same accounts.
  ASSERT_THAT(stores.batched->AuditHead(), IsOk());
  EXPECT_EQ(stores.batched->AuditHead()->sequence(), stores.one->AuditHead()->sequence());
  EXPECT_EQ(stores.batched->AuditHead()->record_hash(), stores.one->AuditHead()->record_hash());
  for (const v1::Event& event : events) {
    absl::StatusOr<v1::Account> a = stores.one->GetAccount(event.account_id());
    absl::StatusOr<v1::Account> b = stores.batched->GetAccount(event.account_id());
    ASSERT_EQ(a.ok(), b.ok()) << event.account_id();
    if (a.ok()) {
      EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString()) << event.account_id();
    }
  }
  EXPECT_THAT(stores.batched->VerifyAudit(), IsOk());
  // The same account versions, byte for byte, each kept at least as long,
  // although a batch packs an account's versions into one row where
  // one-by-one writes a row per version.
  ExpectSameVersionsKeptAtLeastAsLong(ReadHeldVersions(stores.dir.File("batched.db")),
                                      ReadHeldVersions(stores.dir.File("one.db")));
  RawDb batched(stores.dir.File("batched.db"));
  EXPECT_GT(batched.Int("SELECT count(*) FROM account_versions WHERE expires_at_micros IS NOT NULL"),
            0);
  EXPECT_LT(batched.Int("SELECT count(*) FROM account_versions"),
            RawDb(stores.dir.File("one.db")).Int("SELECT count(*) FROM account_versions") / 2);
}

// Events recorded before, mixed into parallel batches (a restarted replay, a
// client retrying): each comes back as recorded, changes nothing, and takes
// no audit sequence from the new events around it.
TEST(StoreTest, ParallelBatchesWithEventsRecordedBeforeEqualOneByOneApply) {
  OneByOneAndBatched stores(800);
  ASSERT_EQ(stores.expected.size(), 800u);
  const std::vector<v1::Event>& events = stores.events;
  constexpr absl::string_view kApplied = "applied ";
  int replays = 0;
  for (size_t i = 0; i < events.size(); i += 100) {
    std::vector<v1::Event> batch;
    std::vector<size_t> index;  // into `events`
    for (size_t j = i; j < i + 100; ++j) {
      batch.push_back(events[j]);
      index.push_back(j);
      // Every tenth position, an event the previous batch applied.
      const size_t old = j - 95;
      if (i > 0 && j % 10 == 0 && absl::StartsWith(stores.expected[old], kApplied)) {
        batch.push_back(events[old]);
        index.push_back(old);
      }
    }
    const std::vector<absl::StatusOr<ApplyResult>> results =
        stores.batched->ApplyBatchAtEventTime(TheEngine(), batch);
    ASSERT_EQ(results.size(), batch.size());
    for (size_t k = 0; k < batch.size(); ++k) {
      const std::string& want = stores.expected[index[k]];
      if (index[k] >= i) {
        EXPECT_EQ(Describe(results[k]), want) << "event " << index[k];
      } else {
        ++replays;
        EXPECT_EQ(Describe(results[k]),
                  absl::StrCat("replayed ", want.substr(kApplied.size())))
            << "event " << index[k] << " again";
      }
    }
  }
  EXPECT_GT(replays, 50);
  ASSERT_THAT(stores.batched->AuditHead(), IsOk());
  EXPECT_EQ(stores.batched->AuditHead()->sequence(), stores.one->AuditHead()->sequence());
  EXPECT_EQ(stores.batched->AuditHead()->record_hash(), stores.one->AuditHead()->record_hash());
  EXPECT_THAT(stores.batched->VerifyAudit(), IsOk());
}

// The WAL is copied into the database file while the store is open (by the
// checkpointer's thread, not inside a commit) and then reused from its start,
// so it stays near the checkpoint threshold however much is written.
TEST(StoreTest, TheWalIsCheckpointedWhileTheStoreIsOpenAndStaysBounded) {
  const std::vector<v1::Event> events = ExampleEvents(6000);
  TempDir dir;
  const std::string path = dir.File("store.db");
  StoreOptions options;
  options.checkpoint_pages = 100;  // 400 KiB: the stream writes ~40 times as much
  std::unique_ptr<Store> store = OpenOrDie(path, options);
  ASSERT_NE(store, nullptr);
  int64_t wal_high = 0;
  for (size_t i = 0; i < events.size(); i += 200) {
    const size_t n = std::min<size_t>(200, events.size() - i);
    store->ApplyBatchAtEventTime(TheEngine(), absl::MakeConstSpan(events.data() + i, n));
    wal_high = std::max(wal_high, FileBytes(path + "-wal"));
  }
  // Copied into the file while open (a checkpoint may still be running):
  // without checkpoints the file would keep its first pages and the WAL
  // would hold everything.
  for (int i = 0; i < 100 && FileBytes(path) < 2 * wal_high; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(FileBytes(path), wal_high) << "WAL high-water mark " << wal_high;
  // Reused from its start: about 4 x 100 pages plus a batch or two, not the
  // whole stream (~15 MB when it is never reused).
  EXPECT_LE(wal_high, 10 * 100 * 4096) << "database " << FileBytes(path);
  EXPECT_THAT(store->VerifyAudit(), IsOk());
  StoreOptions bad;
  bad.checkpoint_pages = 0;
  EXPECT_THAT(Store::Open(dir.File("other.db"), bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("StoreOptions.checkpoint_pages")));
}

// A store opens with its WAL already at the size the checkpointer lets it
// reach, its blocks allocated, so commits overwrite the file instead of
// growing it; what they write is read back, and the WAL of a store left open
// elsewhere (or by a crash) keeps its commits.
TEST(StoreTest, OpenGivesTheWalItsWorkingSizeAndCommitsFitInIt) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  StoreOptions options;
  options.checkpoint_pages = 100;  // 400 KiB
  const auto allocated = [](const std::string& file) -> int64_t {
    struct stat st;
    if (stat(file.c_str(), &st) != 0) return -1;
    return static_cast<int64_t>(st.st_blocks) * 512;
  };
  std::unique_ptr<Store> store = OpenOrDie(path, options);
  ASSERT_NE(store, nullptr);
  const int64_t wal_size = FileBytes(path + "-wal");
  EXPECT_GE(wal_size, 100 * 4096);
  EXPECT_GE(allocated(path + "-wal"), 100 * 4096);

  const std::vector<v1::Event> events = ExampleEvents(60);
  for (const auto& r : store->ApplyBatchAtEventTime(TheEngine(), events)) {
    ASSERT_THAT(r.status(), IsOk());
  }
  EXPECT_EQ(FileBytes(path + "-wal"), wal_size) << "the batch's frames fit in the sized WAL";

  // A second store on the same file (another process, say) while the first
  // is open: the WAL holds the first one's commits, and sizing it again
  // loses none of them.
  std::unique_ptr<Store> other = OpenOrDie(path, options);
  ASSERT_NE(other, nullptr);
  ASSERT_THAT(other->AuditHead(), IsOk());
  EXPECT_EQ(other->AuditHead()->sequence(), events.size());
  EXPECT_THAT(other->VerifyAudit(), IsOk());
  const v1::Event& last = events.back();
  ASSERT_THAT(other->GetAccount(last.account_id()), IsOk());
  EXPECT_EQ(other->GetAccount(last.account_id())->version(),
            store->GetAccount(last.account_id())->version());
}

// On ":memory:" the batch is evaluated and then written; on a file the
// writer writes each event while the later ones are still being evaluated
// (pipelined), and the failed evaluation reloads its account meanwhile.
class FailedEventInABatchTest : public ::testing::TestWithParam<bool> {};

TEST_P(FailedEventInABatchTest, LeavesTheCachedAccountAsStored) {
  const bool file = GetParam();
  TempDir dir;
  Player a("acct-a");
  Player b("acct-b", ScenarioStart() + absl::Seconds(30));
  std::vector<v1::Event> history = a.History(5000, 1);
  std::vector<v1::Event> hb = b.History(3000, 1);
  history.insert(history.end(), hb.begin(), hb.end());
  std::vector<v1::Event> batch;
  batch.push_back(a.Next([](ScenarioDriver& d) { return d.Wager("g-10", 100, 0); }));
  batch.push_back(b.Next([](ScenarioDriver& d) { return d.Wager("g-10", 100, 0); }));
  // Bad input: settles a deposit that was never requested (engine error,
  // after the account was taken from the cache and maybe half changed).
  batch.push_back(a.Next([](ScenarioDriver& d) { return d.Settled("no-such-deposit"); }));
  batch.push_back(a.Next([](ScenarioDriver& d) { return d.Wager("g-11", 100, 300); }));
  batch.push_back(b.Next([](ScenarioDriver& d) { return d.Settled("no-such-deposit"); }));
  batch.push_back(b.Next([](ScenarioDriver& d) { return d.Wager("g-11", 100, 0); }));

  StoreOptions plain;
  plain.evaluation_threads = 1;
  plain.account_cache_size = 0;
  std::unique_ptr<Store> expected_store = OpenOrDie(":memory:", plain);
  std::unique_ptr<Store> store = OpenOrDie(file ? dir.File("store.db") : ":memory:");
  ASSERT_NE(expected_store, nullptr);
  ASSERT_NE(store, nullptr);
  ApplyAll(*expected_store, history);
  ApplyAll(*store, history);  // leaves both accounts in the cache
  std::vector<std::string> expected;
  for (const v1::Event& event : batch) {
    expected.push_back(Describe(expected_store->Apply(TheEngine(), event, TimeOf(event))));
  }
  std::vector<absl::StatusOr<ApplyResult>> got = store->ApplyBatchAtEventTime(TheEngine(), batch);
  ASSERT_EQ(got.size(), batch.size());
  EXPECT_FALSE(got[2].ok());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(Describe(got[i]), expected[i]) << i;
  EXPECT_EQ(Cash(*store, "acct-a"), 5000 - 100 + 150 - 200 + 300);
  EXPECT_EQ(Cash(*store, "acct-a"), Cash(*expected_store, "acct-a"));
  EXPECT_EQ(Cash(*store, "acct-b"), Cash(*expected_store, "acct-b"));
  // And the next batch starts from the stored state too.
  const v1::Event next = a.Next([](ScenarioDriver& d) { return d.Wager("g-12", 100, 0); });
  EXPECT_EQ(Describe(store->Apply(TheEngine(), next, TimeOf(next))),
            Describe(expected_store->Apply(TheEngine(), next, TimeOf(next))));
  EXPECT_EQ(store->AuditHead()->record_hash(), expected_store->AuditHead()->record_hash());
  EXPECT_THAT(store->VerifyAudit(), IsOk());
}

INSTANTIATE_TEST_SUITE_P(MemoryAndFile, FailedEventInABatchTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "File" : "Memory";
                         });

TEST(StoreTest, TwoStoresOnOneFileNeverLoseOrRepeatAnUpdate) {
  TempDir dir;
  const std::string path = dir.File("shared.db");
  std::unique_ptr<Store> first = OpenOrDie(path);
  std::unique_ptr<Store> second = OpenOrDie(path);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  Player a("acct-shared");
  const std::vector<v1::Event> history = a.History(10000, 0);
  ApplyAll(*first, history);  // `first` caches the account
  std::vector<v1::Event> wagers;
  for (int i = 0; i < 12; ++i) {
    wagers.push_back(a.Next([i](ScenarioDriver& d) {
      return d.Wager(absl::StrCat("w-", i), 100, i % 3 == 0 ? 250 : 0);
    }));
  }
  // Alternate the writers, single events and batches of two: each store's
  // cached account is stale every time it writes again.
  for (size_t i = 0; i < wagers.size(); i += 2) {
    Store& s = (i / 2) % 2 == 0 ? *second : *first;
    if (i % 4 == 0) {
      for (size_t k = i; k < i + 2; ++k) {
        absl::StatusOr<ApplyResult> r = s.Apply(TheEngine(), wagers[k], TimeOf(wagers[k]));
        ASSERT_THAT(r, IsOk()) << k;
        EXPECT_FALSE(r->replayed) << k;
      }
    } else {
      for (const auto& r : s.ApplyBatchAtEventTime(
               TheEngine(), absl::MakeConstSpan(wagers.data() + i, 2))) {
        ASSERT_THAT(r, IsOk()) << i;
        EXPECT_FALSE(r->replayed) << i;
      }
    }
  }
  const int64_t expected_cash = 10000 - 12 * 100 + 4 * 250;
  EXPECT_EQ(Cash(*first, "acct-shared"), expected_cash);
  EXPECT_EQ(Cash(*second, "acct-shared"), expected_cash);
  // Every wager again, through the store that did not apply it: recorded
  // answers, no second debit or credit.
  for (size_t i = 0; i < wagers.size(); ++i) {
    Store& s = (i / 2) % 2 == 0 ? *first : *second;
    absl::StatusOr<ApplyResult> r = s.Apply(TheEngine(), wagers[i], TimeOf(wagers[i]));
    ASSERT_THAT(r, IsOk()) << i;
    EXPECT_TRUE(r->replayed) << i;
  }
  EXPECT_EQ(Cash(*first, "acct-shared"), expected_cash);
  EXPECT_EQ(first->AuditHead()->sequence(), history.size() + wagers.size());
  EXPECT_EQ(Keys(*second), static_cast<int64_t>(history.size() + wagers.size()));
  EXPECT_THAT(second->VerifyAudit(), IsOk());
  // And a write after the other store's: the stale cache never wins.
  const v1::Event last = a.Next([](ScenarioDriver& d) { return d.Wager("w-last", 100, 0); });
  ASSERT_THAT(first->Apply(TheEngine(), last, TimeOf(last)), IsOk());
  EXPECT_EQ(Cash(*second, "acct-shared"), expected_cash - 100);
}

// --- Concurrency ----------------------------------------------------------------

TEST(StoreTest, ConcurrentThreadsOnManyAccountsKeepOneValidChain) {
  TempDir dir;
  StoreOptions options;
  options.synchronous = StoreOptions::Sync::kNormal;
  std::unique_ptr<Store> store = OpenOrDie(dir.File("store.db"), options);
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 4;
  constexpr int kAccountsPerThread = 6;
  constexpr int kWagers = 6;
  // Per thread, its accounts' histories interleaved; odd threads use batches.
  std::vector<std::vector<v1::Event>> streams(kThreads);
  std::vector<std::pair<std::string, std::vector<v1::Event>>> histories;
  for (int t = 0; t < kThreads; ++t) {
    std::vector<std::vector<v1::Event>> mine;
    for (int a = 0; a < kAccountsPerThread; ++a) {
      const std::string id = absl::StrCat("acct-", t, "-", a);
      Player p(id, ScenarioStart() + absl::Seconds(a));
      mine.push_back(p.History(1000 * (a + 1), kWagers));
      histories.emplace_back(id, mine.back());
    }
    for (size_t i = 0; i < mine[0].size(); ++i) {
      for (const auto& h : mine) streams[t].push_back(h[i]);
    }
  }
  // Two threads also share one account's events: same-account serialization.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::vector<v1::Event>& stream = streams[t];
      if (t % 2 == 0) {
        for (const v1::Event& e : stream) {
          if (!store->Apply(TheEngine(), e, TimeOf(e)).ok()) ++failures;
        }
      } else {
        for (size_t i = 0; i < stream.size(); i += 5) {
          std::vector<v1::Event> batch(stream.begin() + i,
                                       stream.begin() + std::min(stream.size(), i + 5));
          for (const auto& r : store->ApplyBatchAtEventTime(TheEngine(), batch)) {
            if (!r.ok()) ++failures;
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  size_t total = 0;
  for (const std::vector<v1::Event>& s : streams) total += s.size();
  EXPECT_EQ(store->AuditHead()->sequence(), total);
  EXPECT_THAT(store->VerifyAudit(), IsOk());
  // Each account ends exactly as if its events had been applied alone.
  for (const auto& [id, events] : histories) {
    std::unique_ptr<Store> alone = OpenOrDie(":memory:");
    std::vector<ApplyResult> results = ApplyAll(*alone, events);
    ASSERT_FALSE(results.empty());
    absl::StatusOr<v1::Account> account = store->GetAccount(id);
    ASSERT_THAT(account, IsOk());
    EXPECT_TRUE(MessageDifferencer::Equals(*account, results.back().response.account()))
        << id;
  }
  // Deposit 1000*(a+1), 6 wagers of 100 of which three paid 150.
  EXPECT_EQ(Cash(*store, "acct-3-2"), 3000 - 600 + 450);
}

TEST(StoreTest, FailedWritesOfOneCallerDoNotUndoOthersInTheSameCommit) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  FailAuditRowsOf(path, "acct-bad");
  constexpr int kThreads = 4;
  std::vector<std::vector<v1::Event>> streams(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    Player p(absl::StrCat("acct-good-", t));
    streams[t] = p.History(1000, 3);
  }
  Player bad("acct-bad");
  const std::vector<v1::Event> bad_events = bad.History(1000, 3);
  std::atomic<int> good_failures{0}, bad_successes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < streams[t].size(); ++i) {
        const v1::Event& e = streams[t][i];
        if (!store->Apply(TheEngine(), e, TimeOf(e)).ok()) ++good_failures;
        if (t == 0 && i < bad_events.size()) {
          const v1::Event& b = bad_events[i];
          if (store->Apply(TheEngine(), b, TimeOf(b)).ok()) ++bad_successes;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(good_failures.load(), 0);
  EXPECT_EQ(bad_successes.load(), 0);
  EXPECT_THAT(store->GetAccount("acct-bad"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(store->AuditHead()->sequence(), kThreads * streams[0].size());
  EXPECT_EQ(Keys(*store), static_cast<int64_t>(kThreads * streams[0].size()));
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(Cash(*store, absl::StrCat("acct-good-", t)), 1000 - 300 + 300);
  }
  EXPECT_THAT(store->VerifyAudit(), IsOk());
}

// Batches of several accounts from several threads on one file: one batch at a
// time is written while its evaluation still runs (pipelined), the others are
// evaluated first; group commits mix them, and one account's failing writes
// (an injected trigger) undo that batch only.
TEST(StoreTest, ConcurrentPipelinedBatchesKeepEveryGoodEventAndOneChain) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::unique_ptr<Store> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  FailAuditRowsOf(path, "acct-bad");
  constexpr int kThreads = 3;
  constexpr int kAccountsPerThread = 4;
  constexpr int kWagers = 6;
  // Thread t's stream interleaves its accounts' histories event by event, so
  // every batch holds several accounts. Thread 0 also sends batches that open
  // the bad account and a bystander: the bad audit row fails the write, which
  // undoes that whole batch and nothing else.
  std::vector<std::vector<std::vector<v1::Event>>> batches(kThreads);
  int64_t good_events = 0;
  for (int t = 0; t < kThreads; ++t) {
    std::vector<std::vector<v1::Event>> histories;
    for (int k = 0; k < kAccountsPerThread; ++k) {
      Player p(absl::StrCat("acct-", t, "-", k));
      histories.push_back(p.History(1000, kWagers));
      good_events += static_cast<int64_t>(histories.back().size());
    }
    const size_t length = histories[0].size();
    for (size_t i = 0; i < length; i += 3) {
      std::vector<v1::Event> batch;
      for (size_t j = i; j < std::min(length, i + 3); ++j) {
        for (const std::vector<v1::Event>& h : histories) batch.push_back(h[j]);
      }
      batches[t].push_back(std::move(batch));
    }
  }
  std::vector<std::atomic<int>> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t b = 0; b < batches[t].size(); ++b) {
        for (const auto& r : store->ApplyBatchAtEventTime(TheEngine(), batches[t][b])) {
          if (!r.ok()) ++failures[t];
        }
        if (t == 0) {
          const auto open = [](ScenarioDriver& d) { return d.OpenJapaneseAccount(); };
          Player bad("acct-bad", ScenarioStart() + absl::Minutes(b));
          Player bystander(absl::StrCat("acct-bystander-", b));
          const std::vector<v1::Event> mixed = {bad.Next(open), bystander.Next(open)};
          for (const auto& r : store->ApplyBatchAtEventTime(TheEngine(), mixed)) {
            EXPECT_THAT(r, StatusIs(absl::StatusCode::kAborted));
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t].load(), 0) << t;
  EXPECT_THAT(store->GetAccount("acct-bad"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store->GetAccount("acct-bystander-0"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(store->AuditHead()->sequence(), static_cast<uint64_t>(good_events));
  EXPECT_EQ(Keys(*store), good_events);
  for (int t = 0; t < kThreads; ++t) {
    for (int k = 0; k < kAccountsPerThread; ++k) {
      // 1000 deposited, kWagers wagers of 100, every other one paying 150.
      EXPECT_EQ(Cash(*store, absl::StrCat("acct-", t, "-", k)),
                1000 - 100 * kWagers + 150 * ((kWagers + 1) / 2));
    }
  }
  EXPECT_THAT(store->VerifyAudit(), IsOk());
}

TEST(StoreTest, ConcurrentDuplicatesOfOneEventApplyOnce) {
  std::unique_ptr<Store> store = OpenOrDie(":memory:");
  ASSERT_NE(store, nullptr);
  Player p("acct-1");
  std::vector<v1::Event> events = p.History(20000, 0);
  const v1::Event settle = events.back();
  events.pop_back();
  ApplyAll(*store, events);
  std::vector<std::thread> threads;
  std::atomic<int> fresh{0}, replays{0}, errors{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      absl::StatusOr<ApplyResult> r = store->Apply(TheEngine(), settle, TimeOf(settle));
      if (!r.ok()) {
        ++errors;
      } else if (r->replayed) {
        ++replays;
      } else {
        ++fresh;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(fresh.load(), 1);
  EXPECT_EQ(replays.load(), 3);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(Cash(*store, "acct-1"), 20000);
}

// --- Audit tampering --------------------------------------------------------------

class StoreTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("store.db");
    std::unique_ptr<Store> store = OpenOrDie(path_);
    ASSERT_NE(store, nullptr);
    Player p("acct-1");
    ApplyAll(*store, p.History(20000, 2));  // 8 records
    EXPECT_THAT(store->VerifyAudit(), IsOk());
  }
  absl::Status VerifyAfter(const std::string& sql) {
    {
      RawDb raw(path_);
      raw.Exec(sql);
    }
    std::unique_ptr<Store> store = OpenOrDie(path_);
    return store != nullptr ? store->VerifyAudit() : absl::InternalError("no store");
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(StoreTamperTest, EditedRecordFieldNamesItsSequence) {
  EXPECT_THAT(VerifyAfter("UPDATE audit SET account_version = account_version + 1 "
                          "WHERE sequence = 3"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("audit sequence 3:")));
}

TEST_F(StoreTamperTest, EditedDecisionNamesItsSequence) {
  // Replace sequence 5's decision with sequence 4's: parses, hashes differ.
  EXPECT_THAT(VerifyAfter("UPDATE audit SET decision = (SELECT decision FROM audit "
                          "WHERE sequence = 4) WHERE sequence = 5"),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr("audit sequence 5:"), HasSubstr("payload"))));
}

TEST_F(StoreTamperTest, EditedEventNamesItsSequence) {
  EXPECT_THAT(VerifyAfter("UPDATE audit SET event = (SELECT event FROM audit "
                          "WHERE sequence = 7) WHERE sequence = 8"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("audit sequence 8:")));
}

TEST_F(StoreTamperTest, DeletedRecordIsMissing) {
  EXPECT_THAT(VerifyAfter("DELETE FROM audit WHERE sequence = 2"),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr("audit sequence "), HasSubstr("missing"))));
}

TEST_F(StoreTamperTest, DeletedLastRecordIsMissing) {
  EXPECT_THAT(VerifyAfter("DELETE FROM audit WHERE sequence = 8"),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr("audit sequence 8:"), HasSubstr("missing"))));
}

// --- Files that cannot be a store -------------------------------------------------

TEST(StoreOpenTest, GarbageFileIsDataLossAndLeftAlone) {
  TempDir dir;
  const std::string path = dir.File("garbage.db");
  std::string garbage(8192, '\0');
  std::mt19937 random(7);
  for (char& c : garbage) c = static_cast<char>(random());
  std::ofstream(path, std::ios::binary) << garbage;
  EXPECT_THAT(Store::Open(path, {}),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr(path), HasSubstr("not a database"))));
  EXPECT_EQ(ReadFile(path), garbage);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(StoreOpenTest, DamagedPagesAreDataLoss) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    std::unique_ptr<Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    Player p("acct-1");
    ApplyAll(*store, p.History(1000, 20));
    RawDb raw(path);
    raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  // Keep the 100-byte header, overwrite every page after the first.
  std::string bytes = ReadFile(path);
  ASSERT_GT(bytes.size(), 3u * 4096);
  for (size_t i = 4096; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xA5 ^ i);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path, {});
  if (store.ok()) {
    // The schema page survived; the data pages did not.
    EXPECT_THAT((*store)->VerifyAudit(),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr(path)));
    EXPECT_THAT((*store)->GetAccount("acct-1"), StatusIs(absl::StatusCode::kDataLoss));
  } else {
    EXPECT_THAT(store, StatusIs(absl::StatusCode::kDataLoss, HasSubstr(path)));
  }
}

TEST(StoreOpenTest, NewerSchemaVersionIsRefusedUntouched) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  OpenOrDie(path).reset();
  RawDb(path).Exec("PRAGMA user_version = 99");
  EXPECT_THAT(Store::Open(path, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(path), HasSubstr("schema version 99"),
                             HasSubstr("newer pitboss"))));
  EXPECT_EQ(RawDb(path).Int("PRAGMA user_version"), 99);
}

TEST(StoreOpenTest, ForeignSqliteDatabaseIsRefusedUntouched) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  RawDb(path).Exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
  EXPECT_THAT(Store::Open(path, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(path), HasSubstr("not a pitboss store"))));
  RawDb raw(path);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM sqlite_schema"), 1);
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "delete");

  const std::string other_app = dir.File("app.db");
  RawDb(other_app).Exec("PRAGMA application_id = 1234");
  EXPECT_THAT(Store::Open(other_app, {}), StatusIs(absl::StatusCode::kFailedPrecondition,
                                                   HasSubstr("application_id")));
}

// A store written by schema version 1 (an account copy in every idempotency
// row, the account bytes in the accounts row) is migrated when it is opened:
// every duplicate gets the response recorded then, the accounts and the chain
// are as they were, and it goes on applying events.
TEST(StoreOpenTest, SchemaVersion1StoreIsMigratedWithItsRecordedAccounts) {
  TempDir dir;
  Player p("acct-1");
  Player q("acct-2", ScenarioStart() + absl::Seconds(20));
  std::vector<v1::Event> events = p.History(5000, 3);
  const std::vector<v1::Event> more = q.History(3000, 2);
  events.insert(events.end(), more.begin(), more.end());
  const std::string current = dir.File("current.db");
  std::vector<ApplyResult> results;
  {
    std::unique_ptr<Store> store = OpenOrDie(current);
    ASSERT_NE(store, nullptr);
    results = ApplyAll(*store, events);
  }
  ASSERT_EQ(results.size(), events.size());
  // The same rows in version 1's shape, as an older pitboss wrote them.
  const std::string old = dir.File("v1.db");
  {
    absl::StatusOr<std::unique_ptr<store_internal::Database>> db =
        store_internal::Database::Open(old, false);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT(store_internal::MigrateTo(**db, 1), IsOk());
  }
  {
    RawDb raw(old);
    raw.Exec(absl::StrCat("ATTACH '", current, "' AS cur"));
    raw.Exec("INSERT INTO audit SELECT * FROM cur.audit");
    raw.Exec("UPDATE audit_head SET (sequence, record_hash) = "
             "(SELECT sequence, record_hash FROM cur.audit_head)");
    raw.Exec("INSERT INTO accounts SELECT a.account_id, a.version, v.account "
             "FROM cur.accounts a JOIN cur.account_versions v USING (account_id, version)");
    raw.Exec("INSERT INTO idempotency SELECT i.event_id, i.event_hash, i.audit_sequence, "
             "v.account, i.expires_at_micros FROM cur.idempotency i "
             "JOIN cur.audit a ON a.sequence = i.audit_sequence "
             "JOIN cur.account_versions v "
             "ON v.account_id = a.account_id AND v.version = a.account_version");
    raw.Exec("DETACH cur");
    ASSERT_EQ(raw.Int("PRAGMA user_version"), 1);
    ASSERT_EQ(raw.Int("SELECT count(*) FROM idempotency"),
              static_cast<int64_t>(events.size()));
  }

  std::unique_ptr<Store> store = OpenOrDie(old);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(RawDb(old).Int("PRAGMA user_version"), Store::SchemaVersion());
  for (size_t i = 0; i < events.size(); ++i) {
    absl::StatusOr<ApplyResult> again = store->Apply(TheEngine(), events[i], TimeOf(events[i]));
    ASSERT_THAT(again, IsOk()) << i;
    EXPECT_TRUE(again->replayed) << i;
    EXPECT_TRUE(MessageDifferencer::Equals(again->response, results[i].response)) << i;
  }
  EXPECT_EQ(store->GetAccount("acct-2")->SerializeAsString(),
            results.back().response.account().SerializeAsString());
  EXPECT_THAT(store->VerifyAudit(), IsOk());
  const v1::Event next = p.Next([](ScenarioDriver& d) { return d.Wager("g-next", 100, 0); });
  absl::StatusOr<ApplyResult> applied = store->Apply(TheEngine(), next, TimeOf(next));
  ASSERT_THAT(applied, IsOk());
  EXPECT_FALSE(applied->replayed);
  EXPECT_EQ(Cash(*store, "acct-1"), 5000 - 3 * 100 + 2 * 150 - 100);
  EXPECT_THAT(store->VerifyAudit(), IsOk());
}

TEST(StoreOpenTest, EmptyFileBecomesAStore) {
  TempDir dir;
  const std::string path = dir.File("empty.db");
  std::ofstream(path).close();
  StoreOptions read_only;
  read_only.read_only = true;
  EXPECT_THAT(
      Store::Open(path, read_only),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("needs migrating")));
  EXPECT_EQ(std::filesystem::file_size(path), 0u);
  OpenOrDie(path).reset();
  RawDb raw(path);
  EXPECT_EQ(raw.Int("PRAGMA user_version"), Store::SchemaVersion());
  EXPECT_EQ(raw.Int("PRAGMA application_id"), 0x50425353);
}

TEST(StoreOpenTest, MissingDirectoryIsNotFoundAndNotCreated) {
  TempDir dir;
  const std::string path = dir.File("no/such/dir/store.db");
  EXPECT_THAT(Store::Open(path, {}),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr(path), HasSubstr("does not exist"))));
  EXPECT_FALSE(std::filesystem::exists(dir.File("no")));
}

// Runs `body` without root's override of file permissions: as is when not
// root, else in a child process that drops to nobody. Returns body's status
// code and message.
std::pair<int, std::string> Unprivileged(const std::function<absl::Status()>& body) {
  if (geteuid() != 0) {
    absl::Status s = body();
    return {static_cast<int>(s.code()), std::string(s.message())};
  }
  int fds[2];
  if (pipe(fds) != 0) return {-1, "pipe"};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(100);
    absl::Status s = body();
    const std::string message(s.message());
    if (write(fds[1], message.data(), message.size()) < 0) _exit(101);
    _exit(static_cast<int>(s.code()));
  }
  close(fds[1]);
  std::string message;
  char buffer[256];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof(buffer))) > 0) message.append(buffer, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, message};
}

TEST(StoreOpenTest, ReadOnlyDirectoryIsPermissionDenied) {
  TempDir dir;
  const std::string sub = dir.File("locked");
  ASSERT_EQ(mkdir(sub.c_str(), 0555), 0);
  chmod(dir.path().c_str(), 0755);
  const std::string path = sub + "/store.db";
  auto [code, message] = Unprivileged([&] { return Store::Open(path, {}).status(); });
  EXPECT_EQ(code, static_cast<int>(absl::StatusCode::kPermissionDenied)) << message;
  EXPECT_THAT(message, AllOf(HasSubstr(path), HasSubstr("not writable")));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(StoreOpenTest, ReadOnlyFileIsPermissionDeniedAndUnchanged) {
  TempDir dir;
  chmod(dir.path().c_str(), 0777);
  const std::string path = dir.File("store.db");
  {
    std::unique_ptr<Store> store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    Player p("acct-1");
    ApplyAll(*store, p.History(1000, 1));
  }  // closing checkpoints the WAL into the file and removes -wal/-shm
  ASSERT_EQ(chmod(path.c_str(), 0444), 0);
  const std::string before = ReadFile(path);
  auto [code, message] = Unprivileged([&] { return Store::Open(path, {}).status(); });
  EXPECT_EQ(code, static_cast<int>(absl::StatusCode::kPermissionDenied)) << message;
  EXPECT_THAT(message, AllOf(HasSubstr(path), HasSubstr("not writable")));
  EXPECT_EQ(ReadFile(path), before);
  // Inspecting it read-only works.
  auto [ro_code, ro_message] = Unprivileged([&]() -> absl::Status {
    StoreOptions options;
    options.read_only = true;
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path, options);
    if (!store.ok()) return store.status();
    return (*store)->VerifyAudit();
  });
  EXPECT_EQ(ro_code, 0) << ro_message;
}

TEST(StoreOpenTest, MemoryStoresAreIndependentAndNotDurable) {
  std::unique_ptr<Store> first = OpenOrDie(":memory:");
  ASSERT_NE(first, nullptr);
  Player p("acct-1");
  ApplyAll(*first, p.History(1000, 0));
  std::unique_ptr<Store> second = OpenOrDie(":memory:");
  ASSERT_NE(second, nullptr);
  EXPECT_THAT(second->GetAccount("acct-1"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(second->AuditHead()->sequence(), 0u);
  EXPECT_FALSE(std::filesystem::exists(":memory:"));
  StoreOptions read_only;
  read_only.read_only = true;
  EXPECT_THAT(Store::Open(":memory:", read_only),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("read_only")));
  EXPECT_THAT(Store::Open("", {}), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pitboss
