// Tests of the state machine view (include/pitboss/state_machines.h), the
// diagram renderings (src/cli/state_diagram.h) and `pitboss explain`.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pitboss/state_machines.h"
#include "src/cli/commands.h"
#include "src/cli/state_diagram.h"
#include "tests/cli/cli_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::Not;
using ::testing::StartsWith;
using testing_util::RunCommand;

const StateTransition* Find(const StateMachine& m, const std::string& from,
                            const std::string& to) {
  for (const StateTransition& t : m.transitions) {
    if (t.from == from && t.to == to) return &t;
  }
  return nullptr;
}

TEST(StateMachinesTest, DepositTableAsTheEngineEnforcesIt) {
  absl::StatusOr<StateMachine> m = GetStateMachine("deposit");
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->states.size(), 9u);  // INITIATED .. REVERSED, no UNSPECIFIED
  EXPECT_THAT(m->states, Not(Contains("UNSPECIFIED")));
  const StateTransition* create = Find(*m, "", "INITIATED");
  ASSERT_NE(create, nullptr);
  const StateTransition* complete = Find(*m, "PENDING", "COMPLETED");
  ASSERT_NE(complete, nullptr);
  EXPECT_EQ(complete->balance_effect, "credit cash");
  EXPECT_EQ(Find(*m, "COMPLETED", "PENDING"), nullptr);
  EXPECT_THAT(m->final_states, Contains("REVERSED"));
  EXPECT_THAT(m->final_states, Not(Contains("COMPLETED")));  // can still be charged back
}

TEST(StateMachinesTest, WithdrawalTableHasTheReturnAfterPaid) {
  absl::StatusOr<StateMachine> m = GetStateMachine("withdrawal");
  ASSERT_THAT(m, IsOk());
  const StateTransition* returned = Find(*m, "PAID", "RETURNED");
  ASSERT_NE(returned, nullptr);
  EXPECT_NE(returned->balance_effect, "none");
  EXPECT_THAT(m->final_states, Contains("RETURNED"));
  EXPECT_EQ(Find(*m, "PROCESSING", "CANCELLED"), nullptr);  // too late to cancel
}

TEST(StateMachinesTest, UnknownMachineNamesTheChoices) {
  EXPECT_THAT(GetStateMachine("bonus"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deposit or withdrawal")));
}

TEST(StateDiagramTest, DotHasEveryStateAndTransition) {
  absl::StatusOr<StateMachine> m = GetStateMachine("withdrawal");
  ASSERT_THAT(m, IsOk());
  const std::string dot = RenderDot(*m);
  EXPECT_THAT(dot, HasSubstr("digraph withdrawal {"));
  for (const std::string& state : m->states) EXPECT_THAT(dot, HasSubstr("  " + state));
  for (const StateTransition& t : m->transitions) {
    EXPECT_THAT(dot, HasSubstr(absl::StrCat("  ", t.from.empty() ? "new" : t.from, " -> ",
                                            t.to, " [label=\"")));
  }
  EXPECT_THAT(dot, HasSubstr("RETURNED [peripheries=2];"));
  EXPECT_THAT(dot, HasSubstr("new -> REQUESTED"));
}

TEST(StateDiagramTest, EscapesLabels) {
  StateMachine m;
  m.name = "demo";
  m.states = {"A", "B"};
  m.final_states = {"B"};
  m.transitions.push_back({"", "A", "start", "none"});
  m.transitions.push_back({"A", "B", "say \"hi\"; then: go #1", "credit cash"});
  const std::string dot = RenderDot(m);
  EXPECT_THAT(dot, HasSubstr(R"x(A -> B [label="say \"hi\"; then: go #1 (credit cash)"];)x"));
  const std::string mermaid = RenderMermaid(m);
  EXPECT_THAT(mermaid, HasSubstr("  [*] --> A: start\n"));
  EXPECT_THAT(mermaid, HasSubstr("  A --> B: say \"hi\"#59; then#58; go #35;1 (credit cash)\n"));
  EXPECT_THAT(mermaid, HasSubstr("  B --> [*]\n"));
}

TEST(ExplainCommandTest, PrintsTheRenderedTable) {
  absl::StatusOr<StateMachine> m = GetStateMachine("deposit");
  ASSERT_THAT(m, IsOk());
  testing_util::CommandResult r =
      RunCommand(RunExplainCommand, {"--machine", "deposit", "--format", "mermaid"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, RenderMermaid(*m));
  r = RunCommand(RunExplainCommand, {"--machine=deposit"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, RenderDot(*m));  // dot is the default
}

TEST(ExplainCommandTest, UsageErrors) {
  testing_util::CommandResult r = RunCommand(RunExplainCommand, {"--machine", "bonus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown state machine \"bonus\""));
  EXPECT_EQ(r.out, "");
  r = RunCommand(RunExplainCommand, {"--machine", "deposit", "--format", "png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--format must be dot or mermaid"));
  r = RunCommand(RunExplainCommand, {});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--machine is required"));
  r = RunCommand(RunExplainCommand, {"--machine"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--machine needs a value"));
  r = RunCommand(RunExplainCommand, {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, StartsWith("usage: pitboss explain"));
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
