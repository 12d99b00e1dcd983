// Tests of the replay loop (src/cli/replay_runner.h) over a real in-memory
// store and the shipped default policy: decisions match the engine's, written
// only for committed events; duplicates on a second run; bad lines reported
// with their line numbers and skipped or stopping the run; group commit gives
// the same decisions; the backtest finds a rule that fires only in the shadow.
#include "src/cli/replay_runner.h"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pitboss/engine.h"
#include "pitboss/store.h"
#include "src/cli/policy_file.h"
#include "tests/cli/cli_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::pitboss::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using testing_util::DefaultPolicyPath;
using testing_util::EventJson;
using testing_util::JsonLines;
using testing_util::Lines;
using testing_util::SampleEvents;

std::unique_ptr<Engine> LoadEngine(const v1::Policy& policy) {
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(policy);
  EXPECT_THAT(engine, IsOk());
  return engine.ok() ? *std::move(engine) : nullptr;
}

v1::Policy DefaultPolicy() {
  absl::StatusOr<v1::Policy> policy = LoadPolicyFile(DefaultPolicyPath());
  EXPECT_THAT(policy, IsOk());
  return policy.ok() ? *policy : v1::Policy();
}

std::unique_ptr<Store> MemoryStore() {
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(":memory:", StoreOptions());
  EXPECT_THAT(store, IsOk());
  return store.ok() ? *std::move(store) : nullptr;
}

v1::Decision ParseDecision(const std::string& json) {
  v1::Decision decision;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &decision).ok()) << json;
  return decision;
}

struct RunOutput {
  absl::Status status;
  ReplayStats stats;
  std::string decisions;
  std::string err;
};

RunOutput ReplayStream(const Engine& engine, Store& store, const std::string& stream,
                       ReplayOptions options) {
  options.source_name = "events.jsonl";
  ReplayRunner runner(&engine, &store, options);
  std::ostringstream decisions;
  std::ostringstream err;
  runner.SetDecisionOutput(&decisions);
  std::istringstream in(stream);
  RunOutput out;
  out.status = runner.Run(in, err);
  out.stats = runner.stats();
  out.decisions = decisions.str();
  out.err = err.str();
  return out;
}

// Every test runs reading line by line and reading ahead (a batch's lines
// parsed on another thread while the store applies the one before).
class ReplayRunnerTest : public ::testing::TestWithParam<bool> {
 protected:
  RunOutput Replay(const Engine& engine, Store& store, const std::string& stream,
                   ReplayOptions options = {}) {
    options.read_ahead = GetParam();
    return ReplayStream(engine, store, stream, options);
  }
  void SetUp() override {
    engine_ = LoadEngine(DefaultPolicy());
    store_ = MemoryStore();
    ASSERT_NE(engine_, nullptr);
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Store> store_;
};

TEST_P(ReplayRunnerTest, AppliesEveryEventAndWritesTheEnginesDecisionsInOrder) {
  const std::vector<v1::Event> events = SampleEvents(3);
  const RunOutput out = Replay(*engine_, *store_, JsonLines(events));
  ASSERT_THAT(out.status, IsOk());
  EXPECT_EQ(out.err, "");
  EXPECT_EQ(out.stats.events, static_cast<int64_t>(events.size()));
  EXPECT_EQ(out.stats.applied, static_cast<int64_t>(events.size()));
  EXPECT_EQ(out.stats.duplicates, 0);
  EXPECT_EQ(out.stats.errors, 0);
  const std::vector<std::string> lines = Lines(out.decisions);
  ASSERT_THAT(lines, SizeIs(events.size()));

  // Each decision is the one Engine::Evaluate gives for the same account and
  // time (computed here independently of the store).
  std::map<std::string, v1::Account> accounts;
  int64_t outcomes_total = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::Decision decision = ParseDecision(lines[i]);
    EXPECT_EQ(decision.event_id(), events[i].event_id());
    v1::EvaluateRequest request;
    *request.mutable_account() = accounts[events[i].account_id()];
    *request.mutable_event() = events[i];
    *request.mutable_now() = events[i].occurred_at();
    absl::StatusOr<v1::EvaluateResponse> direct = engine_->Evaluate(request);
    ASSERT_THAT(direct, IsOk());
    accounts[events[i].account_id()] = direct->account();
    EXPECT_EQ(decision.outcome(), direct->decision().outcome()) << events[i].event_id();
    EXPECT_EQ(decision.reasons_size(), direct->decision().reasons_size());
    EXPECT_EQ(decision.account_version(), direct->decision().account_version());
  }
  for (const auto& [outcome, count] : out.stats.outcomes) outcomes_total += count;
  EXPECT_EQ(outcomes_total, static_cast<int64_t>(events.size()));
  // The store holds what the engine computed.
  for (const auto& [id, account] : accounts) {
    absl::StatusOr<v1::Account> stored = store_->GetAccount(id);
    ASSERT_THAT(stored, IsOk());
    EXPECT_EQ(stored->version(), account.version());
    EXPECT_EQ(stored->balances().SerializeAsString(), account.balances().SerializeAsString());
  }
}

TEST_P(ReplayRunnerTest, SecondRunReturnsTheRecordedDecisionsAsDuplicates) {
  const std::string stream = JsonLines(SampleEvents(2));
  const RunOutput first = Replay(*engine_, *store_, stream);
  ASSERT_THAT(first.status, IsOk());
  absl::StatusOr<v1::AuditChainHead> head = store_->AuditHead();
  ASSERT_THAT(head, IsOk());
  const RunOutput second = Replay(*engine_, *store_, stream);
  ASSERT_THAT(second.status, IsOk());
  EXPECT_EQ(second.stats.applied, 0);
  EXPECT_EQ(second.stats.duplicates, first.stats.applied);
  EXPECT_EQ(second.decisions, first.decisions);
  absl::StatusOr<v1::AuditChainHead> after = store_->AuditHead();
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->sequence(), head->sequence());  // nothing applied twice
}

TEST_P(ReplayRunnerTest, BadLinesAreReportedWithLineNumbersAndSkipped) {
  std::vector<v1::Event> events = SampleEvents(1);
  v1::Event unknown_deposit = events[5];  // a settlement ...
  unknown_deposit.set_event_id("bad-settle");
  unknown_deposit.mutable_deposit_settled()->set_deposit_id("no-such-deposit");
  std::vector<std::string> lines;
  for (const v1::Event& e : events) lines.push_back(EventJson(e));
  lines.insert(lines.begin() + 2, "{\"eventId\": ");                        // line 3
  lines.insert(lines.begin() + 4, R"({"eventId":"x","acountId":"a"})");     // line 5
  lines.insert(lines.begin() + 6, "");                                      // line 7: blank
  lines.insert(lines.begin() + 10, EventJson(unknown_deposit));             // line 11
  const RunOutput out = Replay(*engine_, *store_, absl::StrJoin(lines, "\n") + "\n");
  ASSERT_THAT(out.status, IsOk());
  EXPECT_EQ(out.stats.errors, 3);
  EXPECT_EQ(out.stats.applied, static_cast<int64_t>(events.size()));
  EXPECT_EQ(out.stats.events, static_cast<int64_t>(events.size()) + 3);
  EXPECT_EQ(out.stats.blank_lines, 1);
  EXPECT_FALSE(out.stats.stopped);
  EXPECT_THAT(out.err, HasSubstr("events.jsonl:3: invalid event JSON"));
  EXPECT_THAT(out.err, HasSubstr("events.jsonl:5: invalid event JSON"));
  EXPECT_THAT(out.err, HasSubstr("events.jsonl:11: event \"bad-settle\" rejected: "));
  EXPECT_THAT(Lines(out.decisions), SizeIs(events.size()));
  EXPECT_THAT(out.decisions, Not(HasSubstr("bad-settle")));
}

TEST_P(ReplayRunnerTest, StopModeEndsTheRunAtTheFirstBadLine) {
  std::vector<v1::Event> events = SampleEvents(1);
  std::vector<std::string> lines;
  for (const v1::Event& e : events) lines.push_back(EventJson(e));
  lines.insert(lines.begin() + 3, "not json");  // line 4
  ReplayOptions options;
  options.on_error = OnError::kStop;
  const RunOutput out = Replay(*engine_, *store_, absl::StrJoin(lines, "\n"), options);
  ASSERT_THAT(out.status, IsOk());
  EXPECT_TRUE(out.stats.stopped);
  EXPECT_EQ(out.stats.applied, 3);
  EXPECT_EQ(out.stats.errors, 1);
  EXPECT_THAT(out.err, HasSubstr("events.jsonl:4: "));
  EXPECT_THAT(Lines(out.decisions), SizeIs(3));
  absl::StatusOr<v1::AuditChainHead> head = store_->AuditHead();
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->sequence(), 3u);  // nothing after the bad line was applied
}

// Reading ahead reads lines past the bad one; they are neither counted nor
// applied, blank ones included.
TEST_P(ReplayRunnerTest, StopModeCountsNothingAfterTheBadLine) {
  std::vector<v1::Event> events = SampleEvents(1);
  std::vector<std::string> lines;
  for (const v1::Event& e : events) lines.push_back(EventJson(e));
  lines.insert(lines.begin() + 1, "");           // line 2
  lines.insert(lines.begin() + 4, "not json");   // line 5
  lines.insert(lines.begin() + 5, "");           // line 6
  lines.insert(lines.begin() + 8, "");           // line 9
  ReplayOptions options;
  options.on_error = OnError::kStop;
  options.batch_size = 2;
  const RunOutput out = Replay(*engine_, *store_, absl::StrJoin(lines, "\n"), options);
  ASSERT_THAT(out.status, IsOk());
  EXPECT_TRUE(out.stats.stopped);
  EXPECT_EQ(out.stats.events, 4);
  EXPECT_EQ(out.stats.blank_lines, 1);
  EXPECT_EQ(out.stats.applied, 3);
  EXPECT_THAT(out.err, HasSubstr("events.jsonl:5: "));
  EXPECT_THAT(Lines(out.decisions), SizeIs(3));
  EXPECT_EQ(store_->AuditHead()->sequence(), 3u);
}

TEST_P(ReplayRunnerTest, StopModeAlsoStopsAtAnEventTheEngineRejects) {
  std::vector<v1::Event> events = SampleEvents(1);
  events[5].mutable_deposit_settled()->set_deposit_id("no-such-deposit");  // line 6
  ReplayOptions options;
  options.on_error = OnError::kStop;
  const RunOutput out = Replay(*engine_, *store_, JsonLines(events), options);
  ASSERT_THAT(out.status, IsOk());
  EXPECT_TRUE(out.stats.stopped);
  EXPECT_EQ(out.stats.applied, 5);
  EXPECT_THAT(out.err, HasSubstr("events.jsonl:6: event \"" + events[5].event_id()));
}

TEST_P(ReplayRunnerTest, GroupCommitGivesTheSameDecisions) {
  const std::string stream = JsonLines(SampleEvents(4));
  const RunOutput one = Replay(*engine_, *store_, stream);
  ASSERT_THAT(one.status, IsOk());
  std::unique_ptr<Store> other = MemoryStore();
  ReplayOptions options;
  options.batch_size = 5;  // does not divide the stream: a partial last batch
  const RunOutput batched = Replay(*engine_, *other, stream, options);
  ASSERT_THAT(batched.status, IsOk());
  EXPECT_EQ(batched.stats.applied, one.stats.applied);
  EXPECT_EQ(batched.decisions, one.decisions);
}

TEST_P(ReplayRunnerTest, BacktestFindsTheRuleThatFiresOnlyUnderTheShadowPolicy) {
  v1::Policy shadow_policy = DefaultPolicy();
  v1::FraudRule* rule = shadow_policy.add_rules();
  rule->set_id("BIG-WAGER-REVIEW");
  rule->set_description("review stakes of 10,000 yen and more");
  rule->set_expression(
      "has(event.wager_settled) && event.wager_settled.stake.minor_units >= 10000");
  rule->mutable_action()->mutable_review();
  rule->set_mode(v1::RULE_MODE_ENFORCE);
  std::unique_ptr<Engine> shadow_engine = LoadEngine(shadow_policy);
  ASSERT_NE(shadow_engine, nullptr);
  std::unique_ptr<Store> shadow_store = MemoryStore();

  const std::vector<v1::Event> events = SampleEvents(3);  // one 10,000 stake each
  ReplayRunner runner(engine_.get(), store_.get(), ReplayOptions());
  runner.SetShadow(shadow_engine.get(), shadow_store.get());
  std::istringstream in(JsonLines(events));
  std::ostringstream err;
  ASSERT_THAT(runner.Run(in, err), IsOk());
  ASSERT_NE(runner.backtest(), nullptr);
  const BacktestDiff& diff = *runner.backtest();
  ASSERT_EQ(diff.rules().count("BIG-WAGER-REVIEW"), 1u) << diff.Format();
  const BacktestDiff::RuleDiff& added = diff.rules().at("BIG-WAGER-REVIEW");
  EXPECT_EQ(added.only_shadow, 3);
  EXPECT_EQ(added.only_primary, 0);
  EXPECT_EQ(added.outcome_differs, 3);
  EXPECT_THAT(added.examples, SizeIs(3));
  EXPECT_EQ(diff.outcome_differs(), 3);
  EXPECT_EQ(diff.compared() + diff.errors_only_primary() + diff.errors_only_shadow(),
            static_cast<int64_t>(events.size()));
  EXPECT_THAT(diff.Format(), HasSubstr("ALLOW -> REVIEW"));
  // The primary store never saw the shadow policy's decisions.
  EXPECT_EQ(runner.stats().outcomes.count(v1::DECISION_OUTCOME_REVIEW), 0u);
}

INSTANTIATE_TEST_SUITE_P(LineByLineAndReadAhead, ReplayRunnerTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "ReadAhead" : "LineByLine";
                         });

TEST(ReplayRunnerStatusTest, BadInputCodes) {
  EXPECT_TRUE(IsBadInput(absl::InvalidArgumentError("x")));
  EXPECT_TRUE(IsBadInput(absl::FailedPreconditionError("x")));
  EXPECT_TRUE(IsBadInput(absl::NotFoundError("x")));
  EXPECT_TRUE(IsBadInput(absl::AlreadyExistsError("x")));
  EXPECT_FALSE(IsBadInput(absl::DataLossError("x")));
  EXPECT_FALSE(IsBadInput(absl::UnavailableError("x")));
  EXPECT_FALSE(IsBadInput(absl::InternalError("x")));
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
