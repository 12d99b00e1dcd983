// Tests of `pitboss check` (src/cli/check_command.cc): diagnostics as
// rule_id:line:col: message, exit status 0 clean / 1 problems / 2 usage.
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pitboss/v1/api.pb.h"
#include "src/cli/commands.h"
#include "tests/cli/cli_test_util.h"

namespace pitboss {
namespace cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing_util::DefaultPolicyPath;
using testing_util::Lines;
using testing_util::RunCommand;
using testing_util::TempDir;
using testing_util::WriteFile;

TEST(CheckCommandTest, DefaultPolicyIsClean) {
  testing_util::CommandResult r = RunCommand(RunCheckCommand, {"--policy", DefaultPolicyPath()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(": OK ("));
}

TEST(CheckCommandTest, DefaultPolicyAsJsonIsClean) {
  TempDir dir;
  const std::string text = testing_util::ReadFileText(DefaultPolicyPath());
  v1::Policy policy;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &policy));
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(policy, &json).ok());
  WriteFile(dir.File("default.json"), json);
  testing_util::CommandResult r = RunCommand(RunCheckCommand, {"--policy", dir.File("default.json")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(CheckCommandTest, EveryBadRuleWithItsPosition) {
  TempDir dir;
  const std::string path = dir.File("bad.textproto");
  WriteFile(path, testing_util::ReadFileText(DefaultPolicyPath()) + R"(
rules {
  id: "BAD-1"
  description: "typo in a feature name on line 2 of the expression"
  expression: "has(event.deposit_requested)\n  && features.no_such_feature"
  action { review {} }
  mode: RULE_MODE_ENFORCE
}
rules {
  id: "BAD-2"
  description: "not a bool"
  expression: "1 + 2"
  action { review {} }
  mode: RULE_MODE_ENFORCE
}
)");
  testing_util::CommandResult r = RunCommand(RunCheckCommand, {"--policy", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(Lines(r.out), SizeIs(2)) << r.out;
  EXPECT_THAT(r.out, ContainsRegex("^BAD-1:2:[0-9]+: [^\n]*no_such_feature"));
  EXPECT_THAT(r.out, ContainsRegex("\nBAD-2:[0-9]+:[0-9]+: [^\n]+\n$"));
  EXPECT_THAT(r.err, HasSubstr("2 problems"));
}

TEST(CheckCommandTest, StructuralProblemsNameTheField) {
  TempDir dir;
  const std::string path = dir.File("dup.textproto");
  WriteFile(path, testing_util::ReadFileText(DefaultPolicyPath()) + R"(
rules {
  id: "ATO-001"
  description: "duplicate id"
  expression: "true"
  action { review {} }
  mode: RULE_MODE_ENFORCE
}
)");
  testing_util::CommandResult r = RunCommand(RunCheckCommand, {"--policy", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, ContainsRegex("ATO-001:0:0: rules\\[[0-9]+\\]"));
}

TEST(CheckCommandTest, UnparsableFileIsAnErrorWithPosition) {
  TempDir dir;
  const std::string path = dir.File("broken.textproto");
  WriteFile(path, "rules {\n  id: \"X\"\n  expresion: \"true\"\n}\n");
  testing_util::CommandResult r = RunCommand(RunCheckCommand, {"--policy", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr(path + ":3:"));
}

TEST(CheckCommandTest, UsageErrors) {
  EXPECT_EQ(RunCommand(RunCheckCommand, {}).exit_code, 2);
  EXPECT_EQ(RunCommand(RunCheckCommand, {"--policy", DefaultPolicyPath(), "extra"}).exit_code, 2);
  EXPECT_EQ(RunCommand(RunCheckCommand, {"--polcy", DefaultPolicyPath()}).exit_code, 2);
  testing_util::CommandResult r = RunCommand(RunCheckCommand, {"--policy", "/nonexistent.textproto"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("/nonexistent.textproto: cannot open"));
}

TEST(CheckCommandTest, FormatsDiagnostics) {
  v1::Diagnostic d;
  d.set_rule_id("R-1");
  d.set_field("rules[4].expression");
  d.set_line(2);
  d.set_column(7);
  d.set_message("undeclared reference to 'x'");
  EXPECT_EQ(FormatDiagnostic(d), "R-1:2:7: undeclared reference to 'x'");
  d.set_field("rules[4].action");
  d.set_line(0);
  d.set_column(0);
  d.set_message("no action");
  EXPECT_EQ(FormatDiagnostic(d), "R-1:0:0: rules[4].action: no action");
  d.clear_rule_id();
  d.set_field("score_thresholds[0].score");
  EXPECT_EQ(FormatDiagnostic(d), "score_thresholds[0].score:0:0: no action");
  d.clear_field();
  EXPECT_EQ(FormatDiagnostic(d), "policy:0:0: no action");
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
