// Tests of the subcommand flag parser (src/cli/command_line.h).
#include "src/cli/command_line.h"

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const FlagSpec kSpecs[] = {{"name", true, "a value"}, {"bind", true, "repeated"}, {"json", false, "a switch"}};

TEST(CommandLineTest, ParsesFlagForms) {
  absl::StatusOr<CommandLine> cl = ParseCommandLine(
      std::vector<std::string>{"--name=a", "pos", "--bind", "x=1", "--bind=y=2", "--json", "--", "--name"},
      kSpecs);
  ASSERT_THAT(cl, IsOk());
  EXPECT_EQ(cl->Get("name"), "a");
  EXPECT_THAT(cl->GetAll("bind"), ElementsAre("x=1", "y=2"));
  EXPECT_TRUE(cl->Has("json"));
  EXPECT_FALSE(cl->Has("other"));
  EXPECT_EQ(cl->Get("other", "fallback"), "fallback");
  EXPECT_THAT(cl->positionals, ElementsAre("pos", "--name"));
}

TEST(CommandLineTest, RejectsBadFlags) {
  EXPECT_THAT(ParseCommandLine(std::vector<std::string>{"--what"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown flag --what")));
  EXPECT_THAT(ParseCommandLine(std::vector<std::string>{"--name"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a value")));
  EXPECT_THAT(ParseCommandLine(std::vector<std::string>{"--json=1"}, kSpecs),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("takes no value")));
}

TEST(CommandLineTest, HelpListsFlags) {
  std::string help = FlagsHelp(kSpecs);
  EXPECT_THAT(help, HasSubstr("--name=VALUE"));
  EXPECT_THAT(help, HasSubstr("a switch"));
}

const FlagSpec kDemoFlags[] = {
    {"name", true, "a value"}, {"json", false, "a switch"}, {"help", false, "this text"}};

// What every subcommand does first: parse, --help, usage errors.
class SubcommandTest : public ::testing::Test {
 protected:
  std::optional<CommandLine> Parse(const Subcommand& command, std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    exit_code_ = -1;
    return command.Parse(args, out_, err_, &exit_code_);
  }
  const Subcommand kDemo = {"demo", "usage: pitboss demo --name N\n", kDemoFlags};
  std::ostringstream out_, err_;
  int exit_code_ = -1;
};

TEST_F(SubcommandTest, ReturnsTheFlagsWhenTheCommandShouldRun) {
  std::optional<CommandLine> flags = Parse(kDemo, {"--name", "a", "--json"});
  ASSERT_TRUE(flags.has_value());
  EXPECT_EQ(flags->Get("name"), "a");
  EXPECT_TRUE(flags->Has("json"));
  EXPECT_EQ(exit_code_, -1);  // untouched
  EXPECT_EQ(out_.str() + err_.str(), "");
}

TEST_F(SubcommandTest, HelpPrintsTheUsageOnStdoutAndExitsZero) {
  EXPECT_FALSE(Parse(kDemo, {"--name", "a", "--help"}).has_value());
  EXPECT_EQ(exit_code_, 0);
  EXPECT_EQ(out_.str(), "usage: pitboss demo --name N\n" + FlagsHelp(kDemoFlags));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(SubcommandTest, BadFlagsAndPositionalsAreUsageErrors) {
  EXPECT_FALSE(Parse(kDemo, {"--what"}).has_value());
  EXPECT_EQ(exit_code_, 2);
  EXPECT_EQ(err_.str(), "pitboss demo: unknown flag --what\nusage: pitboss demo --name N\n" +
                            FlagsHelp(kDemoFlags));
  EXPECT_EQ(out_.str(), "");

  EXPECT_FALSE(Parse(kDemo, {"--json", "stray"}).has_value());
  EXPECT_EQ(exit_code_, 2);
  EXPECT_THAT(err_.str(), HasSubstr("pitboss demo: unexpected argument \"stray\"\n"));

  Subcommand with_positionals = kDemo;
  with_positionals.takes_positionals = true;
  std::optional<CommandLine> flags = Parse(with_positionals, {"verify", "--json"});
  ASSERT_TRUE(flags.has_value());
  EXPECT_THAT(flags->positionals, ElementsAre("verify"));
}

TEST_F(SubcommandTest, UsageErrorNamesTheCommandAndReturnsTwo) {
  EXPECT_EQ(kDemo.UsageError(err_, "--name is required"), 2);
  EXPECT_EQ(err_.str(), "pitboss demo: --name is required\nusage: pitboss demo --name N\n" +
                            FlagsHelp(kDemoFlags));
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
