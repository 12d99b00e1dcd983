// Tests of reading policies in text format and JSON (src/cli/policy_file.h).
#include "src/cli/policy_file.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::testing::HasSubstr;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using testing_util::DefaultPolicyPath;
using testing_util::TempDir;
using testing_util::WriteFile;

TEST(PolicyFileTest, LoadsTheDefaultPolicyFromTextFormat) {
  absl::StatusOr<v1::Policy> policy = LoadPolicyFile(DefaultPolicyPath());
  ASSERT_THAT(policy, IsOk());
  EXPECT_GT(policy->rules_size(), 10);
}

TEST(PolicyFileTest, LoadsTheSamePolicyFromJson) {
  absl::StatusOr<v1::Policy> text = LoadPolicyFile(DefaultPolicyPath());
  ASSERT_THAT(text, IsOk());
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*text, &json).ok());
  TempDir dir;
  WriteFile(dir.File("policy.json"), json);
  absl::StatusOr<v1::Policy> parsed = LoadPolicyFile(dir.File("policy.json"));
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->SerializeAsString(), text->SerializeAsString());
}

TEST(PolicyFileTest, TextFormatErrorsCarryLineAndColumn) {
  EXPECT_THAT(ParsePolicy("p.textproto", "rules {\n  id: \"A\"\n  nonsense: 1\n}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.textproto:3:")));
}

TEST(PolicyFileTest, JsonRejectsUnknownFields) {
  EXPECT_THAT(ParsePolicy("p.json", R"({"rulez": []})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.json")));
}

TEST(PolicyFileTest, MissingFileIsNotFound) {
  EXPECT_THAT(LoadPolicyFile("/nonexistent/policy.textproto"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/policy.textproto")));
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
