// Tests of cel.expr.Type JSON <-> CelType (src/cli/cel_type_json.h).
#include "src/cli/cel_type_json.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cli/cel_value_json.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;

absl::StatusOr<cel::CelType> FromText(const std::string& text, const cel::Env& env) {
  absl::StatusOr<google::protobuf::Value> json = ParseJson(text);
  if (!json.ok()) return json.status();
  return CelTypeFromJson(*json, env);
}

TEST(CelTypeJsonTest, RoundTrips) {
  cel::Env env;
  for (const char* text : {
           R"j({"primitive":"INT64"})j", R"j({"primitive":"BYTES"})j", R"j({"wrapper":"STRING"})j",
           R"j({"wellKnown":"TIMESTAMP"})j", R"j({"wellKnown":"DURATION"})j", R"j({"dyn":{}})j",
           R"j({"null":null})j", R"j({"listType":{"elemType":{"primitive":"STRING"}}})j",
           R"j({"mapType":{"keyType":{"primitive":"STRING"},"valueType":{"dyn":{}}}})j",
           R"j({"messageType":"google.protobuf.SourceContext"})j", R"j({"typeParam":"A"})j",
           R"j({"type":{"primitive":"INT64"}})j", R"j({"type":{}})j", R"j({"error":{}})j",
           R"j({"abstractType":{"name":"optional_type","parameterTypes":[{"primitive":"INT64"}]}})j"}) {
    absl::StatusOr<cel::CelType> type = FromText(text, env);
    ASSERT_THAT(type, IsOk()) << text;
    std::string out;
    AppendCelTypeJson(*type, &out);
    EXPECT_EQ(out, text);
  }
}

TEST(CelTypeJsonTest, WellKnownMessageNamesMapToCelTypes) {
  cel::Env env;
  absl::StatusOr<cel::CelType> t = FromText(R"j({"messageType":"google.protobuf.Int64Value"})j", env);
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(*t, cel::CelType::Wrapper(cel::CelType::Int()));
  t = FromText(R"j({"messageType":"google.protobuf.Timestamp"})j", env);
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(*t, cel::CelType::Timestamp());
}

TEST(CelTypeJsonTest, RejectsMalformedTypes) {
  cel::Env env;
  EXPECT_THAT(FromText(R"j({"primitive":"INT32"})j", env), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FromText(R"j({"listType":{}})j", env), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FromText(R"j({"function":{}})j", env), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FromText(R"j({"bogus":1})j", env), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FromText(R"j("INT64")j", env), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(FromText(R"j({"messageType":"no.such.Message"})j", env).ok());
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
