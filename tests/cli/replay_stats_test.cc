// Tests of the replay counts and summary table (src/cli/replay_stats.h).
#include "src/cli/replay_stats.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pitboss {
namespace cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

v1::Decision MakeDecision(v1::DecisionOutcome outcome, std::vector<std::string> fired,
                          std::vector<std::string> quiet = {}) {
  v1::Decision d;
  d.set_outcome(outcome);
  for (const std::string& id : fired) {
    v1::RuleTrace* t = d.add_trace();
    t->set_rule_id(id);
    t->set_fired(true);
  }
  for (const std::string& id : quiet) d.add_trace()->set_rule_id(id);
  return d;
}

TEST(ReplayStatsTest, CountsOutcomesAndFiredRulesOnly) {
  ReplayStats stats;
  stats.RecordDecision(MakeDecision(v1::DECISION_OUTCOME_ALLOW, {}, {"R1", "R2"}));
  stats.RecordDecision(MakeDecision(v1::DECISION_OUTCOME_HOLD, {"R1"}, {"R2"}));
  stats.RecordDecision(MakeDecision(v1::DECISION_OUTCOME_HOLD, {"R1", "R2"}));
  v1::Decision shadowed = MakeDecision(v1::DECISION_OUTCOME_ALLOW, {});
  v1::RuleTrace* t = shadowed.mutable_shadow()->add_trace();
  t->set_rule_id("S1");
  t->set_fired(true);
  stats.RecordDecision(shadowed);

  EXPECT_EQ(stats.outcomes[v1::DECISION_OUTCOME_ALLOW], 2);
  EXPECT_EQ(stats.outcomes[v1::DECISION_OUTCOME_HOLD], 2);
  EXPECT_EQ(stats.rules_fired["R1"], 2);
  EXPECT_EQ(stats.rules_fired["R2"], 1);
  EXPECT_EQ(stats.rules_fired["S1 (shadow)"], 1);
  EXPECT_EQ(stats.rules_fired.size(), 3u);
}

TEST(ReplayStatsTest, SummaryListsCountsTopRulesAndThroughput) {
  ReplayStats stats;
  stats.events = 120;
  stats.applied = 100;
  stats.duplicates = 15;
  stats.errors = 5;
  stats.elapsed = absl::Seconds(2);
  for (int i = 0; i < 3; ++i) stats.RecordDecision(MakeDecision(v1::DECISION_OUTCOME_DENY, {"HOT"}));
  stats.RecordDecision(MakeDecision(v1::DECISION_OUTCOME_ALLOW, {"COLD"}));
  const std::string summary = FormatSummary(stats, /*top_rules=*/1);
  EXPECT_THAT(summary, ContainsRegex("events +120"));
  EXPECT_THAT(summary, ContainsRegex("applied +100"));
  EXPECT_THAT(summary, ContainsRegex("duplicates +15"));
  EXPECT_THAT(summary, ContainsRegex("errors +5 +skipped"));
  EXPECT_THAT(summary, ContainsRegex("DENY +3"));
  EXPECT_THAT(summary, ContainsRegex("ALLOW +1"));
  EXPECT_THAT(summary, ContainsRegex("HOT +3"));
  EXPECT_THAT(summary, Not(HasSubstr("COLD")));  // only the top one
  EXPECT_THAT(summary, HasSubstr("(2 distinct)"));
  EXPECT_THAT(summary, ContainsRegex("throughput +60 events/s"));
  EXPECT_THAT(summary, Not(HasSubstr("blank lines")));
}

TEST(ReplayStatsTest, OutcomeNamesDropThePrefix) {
  EXPECT_EQ(OutcomeName(v1::DECISION_OUTCOME_ESCALATE), "ESCALATE");
  EXPECT_EQ(OutcomeName(99), "OUTCOME_99");
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
