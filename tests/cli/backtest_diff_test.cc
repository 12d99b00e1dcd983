// Tests of the backtest comparison (src/cli/backtest_diff.h).
#include "src/cli/backtest_diff.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pitboss {
namespace cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Decision MakeDecision(v1::DecisionOutcome outcome, std::vector<std::string> fired) {
  v1::Decision d;
  d.set_outcome(outcome);
  for (const std::string& id : fired) {
    v1::RuleTrace* t = d.add_trace();
    t->set_rule_id(id);
    t->set_fired(true);
  }
  v1::RuleTrace* quiet = d.add_trace();
  quiet->set_rule_id("QUIET");
  return d;
}

TEST(BacktestDiffTest, SameDecisionsShowNoDifference) {
  BacktestDiff diff;
  const v1::Decision d = MakeDecision(v1::DECISION_OUTCOME_HOLD, {"R1"});
  diff.Add("e1", &d, &d);
  EXPECT_EQ(diff.compared(), 1);
  EXPECT_EQ(diff.outcome_differs(), 0);
  EXPECT_TRUE(diff.rules().empty());
  EXPECT_TRUE(diff.changes().empty());
}

TEST(BacktestDiffTest, CountsRulesFiredUnderOnePolicyWithExamples) {
  BacktestDiff diff(/*max_examples=*/2);
  const v1::Decision allow = MakeDecision(v1::DECISION_OUTCOME_ALLOW, {"COMMON"});
  const v1::Decision review = MakeDecision(v1::DECISION_OUTCOME_REVIEW, {"COMMON", "NEW"});
  const v1::Decision allow_new = MakeDecision(v1::DECISION_OUTCOME_ALLOW, {"COMMON", "NEW"});
  const v1::Decision allow_old = MakeDecision(v1::DECISION_OUTCOME_ALLOW, {"COMMON", "OLD"});
  diff.Add("e1", &allow, &review);      // NEW only in shadow, outcome differs
  diff.Add("e2", &allow, &review);      // again
  diff.Add("e3", &allow, &allow_new);   // NEW only in shadow, same outcome
  diff.Add("e4", &allow_old, &allow);   // OLD only in primary
  diff.Add("e5", &allow, nullptr);      // shadow rejected it
  diff.Add("e6", nullptr, nullptr);     // both rejected: not counted

  EXPECT_EQ(diff.compared(), 4);
  EXPECT_EQ(diff.outcome_differs(), 2);
  EXPECT_EQ(diff.errors_only_shadow(), 1);
  EXPECT_EQ(diff.errors_only_primary(), 0);
  ASSERT_EQ(diff.rules().count("NEW"), 1u);
  const BacktestDiff::RuleDiff& added = diff.rules().at("NEW");
  EXPECT_EQ(added.only_shadow, 3);
  EXPECT_EQ(added.only_primary, 0);
  EXPECT_EQ(added.outcome_differs, 2);
  EXPECT_THAT(added.examples, ElementsAre("e1", "e2"));
  const BacktestDiff::RuleDiff& removed = diff.rules().at("OLD");
  EXPECT_EQ(removed.only_primary, 1);
  EXPECT_EQ(removed.only_shadow, 0);
  EXPECT_EQ(diff.rules().count("COMMON"), 0u);
  const auto change = diff.changes().find({v1::DECISION_OUTCOME_ALLOW, v1::DECISION_OUTCOME_REVIEW});
  ASSERT_NE(change, diff.changes().end());
  EXPECT_EQ(change->second.count, 2);

  const std::string report = diff.Format();
  EXPECT_THAT(report, ContainsRegex("outcomes differ +2"));
  EXPECT_THAT(report, ContainsRegex("ALLOW -> REVIEW +2  e.g. e1, e2"));
  EXPECT_THAT(report, ContainsRegex("NEW +0 +3 +2  e1, e2"));
  EXPECT_THAT(report, ContainsRegex("OLD +1 +0 +0  e4"));
  EXPECT_THAT(report, ContainsRegex("rejected by shadow only +1  e.g. e5"));
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
