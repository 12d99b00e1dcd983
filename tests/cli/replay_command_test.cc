// Tests of `pitboss replay` and `pitboss audit verify` as commands
// (src/cli/replay_command.cc, audit_command.cc): flag errors, files, exit
// statuses, the summary and the backtest report, the audit chain of the
// store a replay wrote (and a tampered one).
#include <sqlite3.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cli/commands.h"
#include "tests/cli/cli_test_util.h"

namespace pitboss {
namespace cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;
using testing_util::CommandResult;
using testing_util::DefaultPolicyPath;
using testing_util::JsonLines;
using testing_util::Lines;
using testing_util::ReadFileText;
using testing_util::RunCommand;
using testing_util::SampleEvents;
using testing_util::TempDir;
using testing_util::WriteFile;

class ReplayCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    events_ = dir_.File("events.jsonl");
    WriteFile(events_, JsonLines(SampleEvents(2)));
  }
  TempDir dir_;
  std::string events_;
};

TEST_F(ReplayCommandTest, UsageErrorsExitWithTwo) {
  const std::vector<std::vector<std::string>> bad = {
      {"--events", events_},
      {"--policy", DefaultPolicyPath()},
      {"--policy", DefaultPolicyPath(), "--events", events_, "--on-error", "ignore"},
      {"--policy", DefaultPolicyPath(), "--events", events_, "--batch", "0"},
      {"--policy", DefaultPolicyPath(), "--events", events_, "--batch", "ten"},
      {"--policy", DefaultPolicyPath(), "--events", events_, "--sync", "off"},
      {"--policy", DefaultPolicyPath(), "--events", events_, "--retention", "1h"},
      {"--policy", DefaultPolicyPath(), "--events", events_, "--frobnicate"},
      {"--policy", DefaultPolicyPath(), "--events", events_, "stray"},
      {"--policy"},
  };
  for (const std::vector<std::string>& args : bad) {
    CommandResult r = RunCommand(RunReplayCommand, args);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_THAT(r.err, StartsWith("pitboss replay: ")) << args.back();
    EXPECT_THAT(r.err, HasSubstr("usage: pitboss replay")) << args.back();
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(ReplayCommandTest, MissingFilesExitWithOne) {
  CommandResult r = RunCommand(RunReplayCommand,
                               {"--policy", DefaultPolicyPath(), "--events", "/nonexistent.jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent.jsonl: cannot open"));
  r = RunCommand(RunReplayCommand, {"--policy", "/nonexistent.textproto", "--events", events_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent.textproto"));
  r = RunCommand(RunReplayCommand, {"--policy", DefaultPolicyPath(), "--events", events_, "--db",
                                    "/nonexistent-dir/x.db"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent-dir/x.db"));
}

TEST_F(ReplayCommandTest, WritesDecisionsAndPrintsTheSummary) {
  const std::string out_path = dir_.File("decisions.jsonl");
  CommandResult r = RunCommand(RunReplayCommand, {"--policy", DefaultPolicyPath(), "--events",
                                                  events_, "--out", out_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("replay summary\n"));
  EXPECT_THAT(r.out, ContainsRegex("events +24\n"));
  EXPECT_THAT(r.out, ContainsRegex("applied +24\n"));
  EXPECT_THAT(r.out, ContainsRegex("errors +0"));
  EXPECT_THAT(r.out, ContainsRegex("throughput +[0-9]+ events/s"));
  EXPECT_THAT(Lines(ReadFileText(out_path)), SizeIs(24));
  EXPECT_EQ(r.err, "");  // no progress bar: stderr is not a terminal here
}

TEST_F(ReplayCommandTest, ReadsStdinAndIsFreshInMemoryEachTime) {
  const std::string stream = ReadFileText(events_);
  for (int i = 0; i < 2; ++i) {
    CommandResult r = RunCommand(RunReplayCommand,
                                 {"--policy", DefaultPolicyPath(), "--events", "-"}, stream);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, ContainsRegex("applied +24\n"));  // no --db: nothing kept
  }
}

TEST_F(ReplayCommandTest, OnErrorModesAndExitStatus) {
  WriteFile(events_, ReadFileText(events_) + "{broken\n" + JsonLines(SampleEvents(3)));
  // Skip: the bad line (25) is reported, the rest applied (the 24 events of
  // the first two accounts come again and are duplicates), exit 0.
  CommandResult r = RunCommand(RunReplayCommand,
                               {"--policy", DefaultPolicyPath(), "--events", events_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr(events_ + ":25: invalid event JSON"));
  EXPECT_THAT(r.out, ContainsRegex("applied +36\n"));
  EXPECT_THAT(r.out, ContainsRegex("duplicates +24 "));
  EXPECT_THAT(r.out, ContainsRegex("errors +1 +skipped"));
  // Stop: exit 1 after the summary.
  r = RunCommand(RunReplayCommand,
                 {"--policy", DefaultPolicyPath(), "--events", events_, "--on-error=stop"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(events_ + ":25: "));
  EXPECT_THAT(r.err, HasSubstr("stopped at the first bad line"));
  EXPECT_THAT(r.out, ContainsRegex("applied +24\n"));
}

TEST_F(ReplayCommandTest, DatabaseKeepsStateAcrossRunsAndItsAuditChainVerifies) {
  const std::string db = dir_.File("store.db");
  CommandResult r = RunCommand(RunReplayCommand, {"--policy", DefaultPolicyPath(), "--events",
                                                  events_, "--db", db, "--batch", "7"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunCommand(RunReplayCommand,
                 {"--policy", DefaultPolicyPath(), "--events", events_, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, ContainsRegex("applied +0\n"));
  EXPECT_THAT(r.out, ContainsRegex("duplicates +24 "));

  r = RunCommand(RunAuditCommand, {"verify", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("audit chain OK: 24 records"));

  // Edit one stored record: verification names it.
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle,
                         "UPDATE audit SET account_version = account_version + 5 "
                         "WHERE sequence = 7",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  r = RunCommand(RunAuditCommand, {"verify", "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith("audit chain BROKEN: "));
  EXPECT_THAT(r.out, HasSubstr("sequence 7"));
}

TEST_F(ReplayCommandTest, AuditUsageAndMissingStore) {
  EXPECT_EQ(RunCommand(RunAuditCommand, {"--db", "x.db"}).exit_code, 2);
  EXPECT_EQ(RunCommand(RunAuditCommand, {"check", "--db", "x.db"}).exit_code, 2);
  EXPECT_EQ(RunCommand(RunAuditCommand, {"verify"}).exit_code, 2);
  CommandResult extra = RunCommand(RunAuditCommand, {"verify", "x", "--db", "x.db"});
  EXPECT_EQ(extra.exit_code, 2);
  EXPECT_THAT(extra.err, HasSubstr("pitboss audit: unexpected argument \"x\""));
  CommandResult r = RunCommand(RunAuditCommand, {"verify", "--db", dir_.File("missing.db")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("missing.db"));
}

TEST_F(ReplayCommandTest, BacktestReportFollowsTheSummary) {
  const std::string shadow = dir_.File("shadow.textproto");
  WriteFile(shadow, ReadFileText(DefaultPolicyPath()) + R"(
rules {
  id: "BIG-WAGER-REVIEW"
  description: "review stakes of 10,000 yen and more"
  expression: "has(event.wager_settled) && event.wager_settled.stake.minor_units >= 10000"
  action { review {} }
  mode: RULE_MODE_ENFORCE
}
)");
  CommandResult r = RunCommand(RunReplayCommand, {"--policy", DefaultPolicyPath(), "--events",
                                                  events_, "--shadow", shadow});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\nbacktest (primary vs shadow policy)\n"));
  EXPECT_THAT(r.out, ContainsRegex("outcomes differ +2\n"));
  EXPECT_THAT(r.out, ContainsRegex("BIG-WAGER-REVIEW +0 +2 +2  acct-1-evt-9, acct-2-evt-9"));
  // A broken shadow policy is an error, not a silent single-policy run.
  WriteFile(shadow, "rules { id: \"X\" expression: \"1 +\" action { review {} } }\n");
  r = RunCommand(RunReplayCommand,
                 {"--policy", DefaultPolicyPath(), "--events", events_, "--shadow", shadow});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("--shadow: "));
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
