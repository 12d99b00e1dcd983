// Tests of cel.expr.Value JSON <-> CEL values (src/cli/cel_value_json.h).
#include "src/cli/cel_value_json.h"

#include <cmath>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "src/cel/common/eval_context.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

class CelValueJsonTest : public ::testing::Test {
 protected:
  absl::StatusOr<cel::Value> FromText(const std::string& text) {
    absl::StatusOr<google::protobuf::Value> json = ParseJson(text);
    if (!json.ok()) return json.status();
    return CelValueFromJson(*json, *types_, ctx_);
  }
  // JSON text -> CEL value -> JSON text.
  std::string RoundTrip(const std::string& text) {
    absl::StatusOr<cel::Value> v = FromText(text);
    EXPECT_THAT(v, IsOk()) << text;
    if (!v.ok()) return "";
    std::string out;
    EXPECT_THAT(AppendCelValueJson(*v, *types_, ctx_, &out), IsOk()) << text;
    return out;
  }

  std::unique_ptr<ProtoTypes> types_ = ProtoTypes::Generated();
  google::protobuf::Arena arena_;
  cel::EvalContext ctx_{&arena_, types_->pool(), types_->factory()};
};

TEST_F(CelValueJsonTest, ScalarsRoundTrip) {
  for (const char* text : {
           R"j({"nullValue":null})j", R"j({"boolValue":true})j", R"j({"boolValue":false})j",
           R"j({"int64Value":"-9223372036854775808"})j", R"j({"uint64Value":"18446744073709551615"})j",
           R"j({"doubleValue":1.5})j", R"j({"doubleValue":"NaN"})j", R"j({"doubleValue":"-Infinity"})j",
           R"j({"stringValue":"h\u00e9 \"q\" \\ \n"})j", R"j({"bytesValue":"AP8="})j",
           R"j({"typeValue":"google.protobuf.Timestamp"})j", R"j({"typeValue":"int"})j"}) {
    absl::StatusOr<google::protobuf::Value> want = ParseJson(text);
    ASSERT_THAT(want, IsOk());
    absl::StatusOr<google::protobuf::Value> got = ParseJson(RoundTrip(text));
    ASSERT_THAT(got, IsOk()) << text;
    std::string a, b;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*want, &a).ok());
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*got, &b).ok());
    EXPECT_EQ(a, b) << text;
  }
}

TEST_F(CelValueJsonTest, ReadsKinds) {
  absl::StatusOr<cel::Value> v = FromText(R"j({"int64Value":"42"})j");
  ASSERT_THAT(v, IsOk());
  EXPECT_TRUE(v->IsInt());
  EXPECT_EQ(v->int_value(), 42);
  v = FromText(R"j({"int64Value":7})j");
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->int_value(), 7);
  v = FromText(R"j({"doubleValue":"Infinity"})j");
  ASSERT_THAT(v, IsOk());
  EXPECT_TRUE(std::isinf(v->double_value()));
  v = FromText(R"j({"bytesValue":"AP8="})j");
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->bytes_value(), std::string("\x00\xff", 2));
  v = FromText(R"j({"enumValue":{"type":"x.E","value":3}})j");
  ASSERT_THAT(v, IsOk());
  EXPECT_TRUE(v->IsInt());
  EXPECT_EQ(v->int_value(), 3);
}

TEST_F(CelValueJsonTest, ListsAndMaps) {
  EXPECT_EQ(RoundTrip(R"j({"listValue":{"values":[{"int64Value":"1"},{"stringValue":"a"}]}})j"),
            R"j({"listValue":{"values":[{"int64Value":"1"},{"stringValue":"a"}]}})j");
  EXPECT_EQ(RoundTrip(R"j({"listValue":{}})j"), R"j({"listValue":{}})j");
  EXPECT_EQ(RoundTrip(R"j({"mapValue":{"entries":[{"key":{"stringValue":"k"},"value":{"boolValue":true}}]}})j"),
            R"j({"mapValue":{"entries":[{"key":{"stringValue":"k"},"value":{"boolValue":true}}]}})j");
  absl::StatusOr<cel::Value> map =
      FromText(R"j({"mapValue":{"entries":[{"key":{"int64Value":"1"},"value":{"int64Value":"2"}}]}})j");
  ASSERT_THAT(map, IsOk());
  ASSERT_TRUE(map->IsMap());
  cel::Value found;
  EXPECT_TRUE(map->map_value()->Find(cel::Value::Uint(1), ctx_, &found));
  EXPECT_EQ(found.int_value(), 2);
}

TEST_F(CelValueJsonTest, WellKnownMessagesUnwrap) {
  absl::StatusOr<cel::Value> ts = FromText(
      R"j({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"2009-02-13T23:31:30Z"}})j");
  ASSERT_THAT(ts, IsOk());
  ASSERT_TRUE(ts->IsTimestamp());
  EXPECT_EQ(ts->seconds(), 1234567890);
  std::string out;
  ASSERT_THAT(AppendCelValueJson(*ts, *types_, ctx_, &out), IsOk());
  EXPECT_EQ(out,
            R"j({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"2009-02-13T23:31:30Z"}})j");
  absl::StatusOr<cel::Value> wrapped = FromText(
      R"j({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Int32Value","value":5}})j");
  ASSERT_THAT(wrapped, IsOk());
  ASSERT_TRUE(wrapped->IsInt());
  EXPECT_EQ(wrapped->int_value(), 5);
  EXPECT_EQ(RoundTrip(R"j({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.500s"}})j"),
            R"j({"objectValue":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.500s"}})j");
}

TEST_F(CelValueJsonTest, OrdinaryMessagesStayMessages) {
  absl::StatusOr<cel::Value> msg = FromText(
      R"j({"objectValue":{"@type":"type.googleapis.com/google.protobuf.SourceContext","fileName":"a.proto"}})j");
  ASSERT_THAT(msg, IsOk());
  ASSERT_TRUE(msg->IsMessage());
  EXPECT_EQ(msg->message_value()->GetTypeName(), "google.protobuf.SourceContext");
  std::string out;
  ASSERT_THAT(AppendCelValueJson(*msg, *types_, ctx_, &out), IsOk());
  EXPECT_EQ(out, R"j({"objectValue":{"@type":"type.googleapis.com/google.protobuf.SourceContext","fileName":"a.proto"}})j");
}

TEST_F(CelValueJsonTest, RejectsMalformedValues) {
  EXPECT_THAT(FromText(R"j({"int64Value":"x"})j"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("$.int64Value")));
  EXPECT_THAT(FromText(R"j({"int64Value":1.5})j"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FromText(R"j({"uint64Value":"-1"})j"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FromText(R"j({"int64Value":"1","boolValue":true})j"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("exactly one key")));
  EXPECT_THAT(FromText(R"j({"fooValue":1})j"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown kind")));
  EXPECT_THAT(FromText(R"j({"listValue":{"values":[{"boolValue":1}]}})j"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("$.listValue.values[0]")));
  EXPECT_THAT(FromText(R"j({"objectValue":{"@type":"type.googleapis.com/no.Such"}})j"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FromText(R"j({"bytesValue":"***"})j"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FromText(
                  R"j({"mapValue":{"entries":[{"key":{"int64Value":"1"},"value":{"nullValue":null}},)j"
                  R"j({"key":{"int64Value":"1"},"value":{"nullValue":null}}]}})j"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseJson("{"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(CelValueJsonTest, ErrorValuesHaveNoJsonAndLeaveOutputAlone) {
  std::string out = "prefix";
  EXPECT_THAT(AppendCelValueJson(ctx_.Error("boom"), *types_, ctx_, &out),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("boom")));
  cel::Value elements[] = {cel::Value::Int(1), ctx_.Error("inner")};
  EXPECT_THAT(AppendCelValueJson(cel::MakeList(&arena_, elements), *types_, ctx_, &out),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(out, "prefix");
}

TEST_F(CelValueJsonTest, ExprValues) {
  absl::StatusOr<google::protobuf::Value> json = ParseJson(R"j({"value":{"int64Value":"1"}})j");
  ASSERT_THAT(json, IsOk());
  absl::StatusOr<cel::Value> v = CelExprValueFromJson(*json, *types_, ctx_);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->int_value(), 1);
  json = ParseJson(R"j({"error":{"errors":[{"message":"bad thing"}]}})j");
  ASSERT_THAT(json, IsOk());
  v = CelExprValueFromJson(*json, *types_, ctx_);
  ASSERT_THAT(v, IsOk());
  ASSERT_TRUE(v->IsError());
  EXPECT_EQ(v->error_value().message(), "bad thing");
  json = ParseJson(R"j({"unknown":{"exprs":["3","1"]}})j");
  ASSERT_THAT(json, IsOk());
  v = CelExprValueFromJson(*json, *types_, ctx_);
  ASSERT_THAT(v, IsOk());
  EXPECT_TRUE(v->IsUnknown());
  json = ParseJson(R"j({"other":1})j");
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(CelExprValueFromJson(*json, *types_, ctx_), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(CelValueJsonTest, PlainJson) {
  absl::StatusOr<google::protobuf::Value> json =
      ParseJson(R"j({"n":3,"d":2.5,"s":"x","l":[true,null],"o":{}})j");
  ASSERT_THAT(json, IsOk());
  absl::StatusOr<cel::Value> v = CelValueFromPlainJson(*json, ctx_);
  ASSERT_THAT(v, IsOk());
  ASSERT_TRUE(v->IsMap());
  cel::Value n, d, l;
  ASSERT_TRUE(v->map_value()->Find(ctx_.String("n"), ctx_, &n));
  ASSERT_TRUE(v->map_value()->Find(ctx_.String("d"), ctx_, &d));
  ASSERT_TRUE(v->map_value()->Find(ctx_.String("l"), ctx_, &l));
  EXPECT_TRUE(n.IsInt());
  EXPECT_EQ(n.int_value(), 3);
  EXPECT_TRUE(d.IsDouble());
  ASSERT_TRUE(l.IsList());
  EXPECT_EQ(l.list_value()->size(), 2u);
}

TEST(JsonTextTest, StringsAreValidJson) {
  std::string out;
  AppendJsonString(std::string("a\"\\\n\x01\x7f\xff\xc3\xa9", 9), &out);
  EXPECT_EQ(out, "\"a\\\"\\\\\\n\\u0001\\u007f\xEF\xBF\xBD\xC3\xA9\"");
}

TEST(JsonTextTest, DoublesRoundTripShortest) {
  auto text = [](double d) {
    std::string out;
    AppendJsonDouble(d, &out);
    return out;
  };
  EXPECT_EQ(text(0.1), "0.1");
  EXPECT_EQ(text(1.0), "1");
  EXPECT_EQ(text(-2.5e-300), "-2.5e-300");
  EXPECT_EQ(text(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(text(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(text(std::nan("")), "\"NaN\"");
  EXPECT_EQ(text(-HUGE_VAL), "\"-Infinity\"");
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
