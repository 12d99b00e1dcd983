// Tests of the conformance result matching: the rules must pass what the
// cel-spec runners pass and fail everything else.
#include "tests/cel/conformance/conformance_compare.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cli/cel_value_json.h"
#include "src/cli/proto_types.h"

namespace pitboss {
namespace conformance {
namespace {

using ::testing::HasSubstr;

google::protobuf::Value J(const std::string& text) {
  absl::StatusOr<google::protobuf::Value> v = cli::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status() << " in " << text;
  return v.ok() ? *v : google::protobuf::Value();
}

class CompareTest : public ::testing::Test {
 protected:
  bool Eq(const std::string& a, const std::string& b, std::string* why = nullptr) {
    return CelValueJsonEquals(J(a), J(b), *types_, why);
  }
  std::unique_ptr<cli::ProtoTypes> types_ = cli::ProtoTypes::Generated();
};

TEST_F(CompareTest, ScalarsCompareByValue) {
  EXPECT_TRUE(Eq(R"({"int64Value":"5"})", R"({"int64Value":5})"));
  EXPECT_FALSE(Eq(R"({"int64Value":"5"})", R"({"int64Value":"6"})"));
  EXPECT_TRUE(Eq(R"({"uint64Value":"18446744073709551615"})",
                 R"({"uint64Value":"18446744073709551615"})"));
  EXPECT_TRUE(Eq(R"({"stringValue":"a"})", R"({"stringValue":"a"})"));
  EXPECT_FALSE(Eq(R"({"stringValue":"a"})", R"({"stringValue":"b"})"));
  EXPECT_TRUE(Eq(R"({"nullValue":null})", R"({"nullValue":null})"));
  EXPECT_TRUE(Eq(R"({"typeValue":"int"})", R"({"typeValue":"int"})"));
  EXPECT_FALSE(Eq(R"({"typeValue":"int"})", R"({"typeValue":"uint"})"));
}

TEST_F(CompareTest, KindsMustMatch) {
  std::string why;
  EXPECT_FALSE(Eq(R"({"int64Value":"1"})", R"({"uint64Value":"1"})", &why));
  EXPECT_THAT(why, HasSubstr("kind uint64Value != int64Value"));
  EXPECT_FALSE(Eq(R"({"int64Value":"1"})", R"({"doubleValue":1})"));
}

TEST_F(CompareTest, DoublesTreatNaNAsEqual) {
  EXPECT_TRUE(Eq(R"({"doubleValue":"NaN"})", R"({"doubleValue":"NaN"})"));
  EXPECT_TRUE(Eq(R"({"doubleValue":"-Infinity"})", R"({"doubleValue":"-Infinity"})"));
  EXPECT_TRUE(Eq(R"({"doubleValue":0})", R"({"doubleValue":-0})"));
  EXPECT_FALSE(Eq(R"({"doubleValue":"NaN"})", R"({"doubleValue":1.5})"));
  EXPECT_FALSE(Eq(R"({"doubleValue":1.5})", R"({"doubleValue":1.25})"));
}

TEST_F(CompareTest, BytesCompareDecoded) {
  EXPECT_TRUE(Eq(R"({"bytesValue":"AQI="})", R"({"bytesValue":"AQI="})"));
  EXPECT_FALSE(Eq(R"({"bytesValue":"AQI="})", R"({"bytesValue":"AQM="})"));
}

TEST_F(CompareTest, ListsAreOrdered) {
  EXPECT_TRUE(Eq(R"({"listValue":{"values":[{"int64Value":"1"},{"int64Value":"2"}]}})",
                 R"({"listValue":{"values":[{"int64Value":"1"},{"int64Value":"2"}]}})"));
  EXPECT_FALSE(Eq(R"({"listValue":{"values":[{"int64Value":"1"},{"int64Value":"2"}]}})",
                  R"({"listValue":{"values":[{"int64Value":"2"},{"int64Value":"1"}]}})"));
  EXPECT_TRUE(Eq(R"({"listValue":{}})", R"({"listValue":{"values":[]}})"));
  EXPECT_FALSE(Eq(R"({"listValue":{}})", R"({"listValue":{"values":[{"int64Value":"1"}]}})"));
}

TEST_F(CompareTest, MapsAreUnordered) {
  const std::string ab =
      R"({"mapValue":{"entries":[{"key":{"stringValue":"a"},"value":{"int64Value":"1"}},)"
      R"({"key":{"stringValue":"b"},"value":{"int64Value":"2"}}]}})";
  const std::string ba =
      R"({"mapValue":{"entries":[{"key":{"stringValue":"b"},"value":{"int64Value":"2"}},)"
      R"({"key":{"stringValue":"a"},"value":{"int64Value":"1"}}]}})";
  const std::string ab3 =
      R"({"mapValue":{"entries":[{"key":{"stringValue":"a"},"value":{"int64Value":"3"}},)"
      R"({"key":{"stringValue":"b"},"value":{"int64Value":"2"}}]}})";
  EXPECT_TRUE(Eq(ab, ba));
  EXPECT_FALSE(Eq(ab, ab3));
  EXPECT_FALSE(Eq(ab, R"({"mapValue":{}})"));
}

TEST_F(CompareTest, MessagesCompareAsMessages) {
  EXPECT_TRUE(Eq(
      R"({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"2009-02-13T23:31:30Z"}})",
      R"({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"2009-02-13T23:31:30.000Z"}})"));
  std::string why;
  EXPECT_FALSE(Eq(
      R"({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"2009-02-13T23:31:30Z"}})",
      R"({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"2009-02-13T23:31:31Z"}})",
      &why));
  EXPECT_THAT(why, HasSubstr("messages differ"));
  EXPECT_FALSE(Eq(
      R"({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1s"}})",
      R"({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"1970-01-01T00:00:01Z"}})"));
}

TEST_F(CompareTest, JudgeValueMatcher) {
  const auto test = J(R"({"expr":"1+1","value":{"int64Value":"2"}})");
  EXPECT_EQ(Judge(test, J(R"({"value":{"int64Value":"2"}})"), *types_).verdict, Verdict::kPass);
  Judgement wrong = Judge(test, J(R"({"value":{"int64Value":"3"}})"), *types_);
  EXPECT_EQ(wrong.verdict, Verdict::kFail);
  EXPECT_FALSE(wrong.reason.empty());
  Judgement error = Judge(test, J(R"({"error":"boom","stage":"eval"})"), *types_);
  EXPECT_EQ(error.verdict, Verdict::kFail);
  EXPECT_THAT(error.reason, HasSubstr("boom"));
}

TEST_F(CompareTest, JudgeDefaultsToTrue) {
  const auto test = J(R"({"expr":"true"})");
  EXPECT_EQ(Judge(test, J(R"({"value":{"boolValue":true}})"), *types_).verdict, Verdict::kPass);
  EXPECT_EQ(Judge(test, J(R"({"value":{"boolValue":false}})"), *types_).verdict, Verdict::kFail);
}

TEST_F(CompareTest, JudgeEvalErrorNeedsAnEvaluationError) {
  const auto test = J(R"({"expr":"1/0","evalError":{"errors":[{"message":"divide by zero"}]}})");
  EXPECT_EQ(Judge(test, J(R"({"error":"division by zero","stage":"eval"})"), *types_).verdict,
            Verdict::kPass);
  EXPECT_EQ(Judge(test, J(R"({"error":"bad","stage":"compile"})"), *types_).verdict,
            Verdict::kFail);
  EXPECT_EQ(Judge(test, J(R"({"value":{"int64Value":"0"}})"), *types_).verdict, Verdict::kFail);
}

TEST_F(CompareTest, JudgeTypedResult) {
  const auto test = J(
      R"({"expr":"1","typedResult":{"result":{"int64Value":"1"},"deducedType":{"primitive":"INT64"}}})");
  EXPECT_EQ(Judge(test, J(R"({"value":{"int64Value":"1"},"type":{"primitive":"INT64"}})"), *types_)
                .verdict,
            Verdict::kPass);
  EXPECT_EQ(Judge(test, J(R"({"value":{"int64Value":"1"},"type":{"dyn":{}}})"), *types_).verdict,
            Verdict::kFail);
  EXPECT_EQ(Judge(test, J(R"({"value":{"int64Value":"1"}})"), *types_).verdict, Verdict::kFail);
  const auto check_only = J(
      R"j({"expr":"f(1)","checkOnly":true,"typedResult":{"deducedType":{"primitive":"STRING"}}})j");
  EXPECT_EQ(Judge(check_only, J(R"({"type":{"primitive":"STRING"}})"), *types_).verdict,
            Verdict::kPass);
}

TEST_F(CompareTest, JudgeUnknown) {
  const auto test = J(R"({"expr":"x","unknown":{"exprs":["1"]}})");
  EXPECT_EQ(Judge(test, J(R"({"unknown":["1"]})"), *types_).verdict, Verdict::kPass);
  EXPECT_EQ(Judge(test, J(R"({"value":{"int64Value":"1"}})"), *types_).verdict, Verdict::kFail);
}

TEST(JsonTreeEqualsTest, ComparesStructure) {
  EXPECT_TRUE(JsonTreeEquals(J(R"({"a":[1,{"b":null}]})"), J(R"({"a":[1,{"b":null}]})")));
  EXPECT_FALSE(JsonTreeEquals(J(R"({"a":[1,{"b":null}]})"), J(R"({"a":[1,{"b":0}]})")));
  EXPECT_FALSE(JsonTreeEquals(J(R"({"a":1})"), J(R"({"a":1,"b":2})")));
}

}  // namespace
}  // namespace conformance
}  // namespace pitboss
