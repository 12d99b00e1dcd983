// Tests of the subcommand flag parser (src/cli/command_line.h).
#include "src/cli/command_line.h"

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

}  // namespace
}  // namespace cli
}  // namespace pitboss
