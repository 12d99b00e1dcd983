// Tests for protobuf messages as CEL values: field conversions, well-known
// types, has(), and message construction with range checks.
#include "src/cel/common/proto_value.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "src/cel/common/value_equality.h"
#include "src/cel/runtime/function_registry.h"
#include "tests/cel/values/test_protos.h"

namespace pitboss {
namespace cel {
namespace {

using ::testing::HasSubstr;
using google::protobuf::Message;
using testing::GetTestProtos;

class ProtoValueTest : public ::testing::Test {
 protected:
  ProtoValueTest() : ctx_(&arena_, &GetTestProtos().pool, &GetTestProtos().factory) {}

  // A test.v1.All parsed from text format, owned by the arena.
  const Message* All(const std::string& text) {
    Message* m = GetTestProtos().factory.GetPrototype(GetTestProtos().all)->New(&arena_);
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, m)) << text;
    return m;
  }
  Value Field(const Message* m, const std::string& name) { return GetFieldByName(*m, name, ctx_); }
  std::string ErrorOf(const Value& v) {
    return v.IsError() ? std::string(v.error_value().message()) : "not an error: " + v.DebugString();
  }

  google::protobuf::Arena arena_;
  EvalContext ctx_;
};

TEST_F(ProtoValueTest, ScalarFieldConversions) {
  const Message* m = All(R"(i32: -5 i64: 9000000000 u32: 4000000000 u64: 18446744073709551615
                            f: 1.5 d: -2.25 b: true s: "héllo" by: "\001\377" color: BLUE
                            s32: -7 fx: 9)");
  EXPECT_EQ(Field(m, "i32").int_value(), -5);
  EXPECT_EQ(Field(m, "i64").int_value(), 9000000000);
  EXPECT_EQ(Field(m, "u32").uint_value(), 4000000000u);
  EXPECT_EQ(Field(m, "u64").uint_value(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(Field(m, "f").double_value(), 1.5);
  EXPECT_EQ(Field(m, "d").double_value(), -2.25);
  EXPECT_TRUE(Field(m, "b").bool_value());
  Value s = Field(m, "s");
  ASSERT_TRUE(s.IsString());
  EXPECT_EQ(s.string_value(), "héllo");
  // Borrowed from the message, not copied.
  EXPECT_EQ(s.string_value().data(),
            m->GetReflection()->GetStringReference(*m, m->GetDescriptor()->FindFieldByName("s"),
                                                   nullptr).data());
  EXPECT_EQ(Field(m, "by").bytes_value(), std::string("\x01\xff", 2));
  Value color = Field(m, "color");
  ASSERT_TRUE(color.IsInt());
  EXPECT_EQ(color.int_value(), 2);
  EXPECT_EQ(Field(m, "s32").int_value(), -7);
  EXPECT_EQ(Field(m, "fx").uint_value(), 9u);
  EXPECT_TRUE(Field(m, "nv").IsNull());
  EXPECT_EQ(ErrorOf(Field(m, "nope")), "no such field: 'nope'");
}

TEST_F(ProtoValueTest, UnsetFieldsGiveDefaultsAndWrappersGiveNull) {
  const Message* m = All("");
  EXPECT_EQ(Field(m, "i32").int_value(), 0);
  EXPECT_EQ(Field(m, "s").string_value(), "");
  Value inner = Field(m, "inner");
  ASSERT_TRUE(inner.IsMessage());
  EXPECT_EQ(inner.message_value()->GetDescriptor()->full_name(), "test.v1.Inner");
  EXPECT_EQ(GetFieldByName(*inner.message_value(), "x", ctx_).int_value(), 0);
  EXPECT_TRUE(Field(m, "w32").IsNull());
  EXPECT_TRUE(Field(m, "ws").IsNull());
  EXPECT_TRUE(Field(m, "val").IsNull());
  EXPECT_TRUE(Field(m, "any").IsNull());
  EXPECT_EQ(Field(m, "ri").list_value()->size(), 0u);
  EXPECT_EQ(Field(m, "m").map_value()->size(), 0u);
  EXPECT_EQ(Field(m, "st").map_value()->size(), 0u);
  EXPECT_EQ(Field(m, "lv").list_value()->size(), 0u);
  Value ts = Field(m, "ts");
  ASSERT_TRUE(ts.IsTimestamp());
  EXPECT_EQ(ts.seconds(), 0);
}

TEST_F(ProtoValueTest, WellKnownTypeFields) {
  const Message* m = All(R"(w32 { value: 7 } ws { value: "w" }
                            ts { seconds: 1234567890 nanos: 5 } dur { seconds: -3 nanos: -1 }
                            val { string_value: "v" }
                            st { fields { key: "a" value { number_value: 1.5 } }
                                 fields { key: "b" value { list_value { values { bool_value: true } } } } }
                            lv { values { null_value: NULL_VALUE } values { string_value: "x" } })");
  EXPECT_EQ(Field(m, "w32").int_value(), 7);
  EXPECT_EQ(Field(m, "ws").string_value(), "w");
  Value ts = Field(m, "ts");
  ASSERT_TRUE(ts.IsTimestamp());
  EXPECT_EQ(ts.seconds(), 1234567890);
  EXPECT_EQ(ts.nanos(), 5);
  Value dur = Field(m, "dur");
  ASSERT_TRUE(dur.IsDuration());
  EXPECT_EQ(dur.seconds(), -3);
  EXPECT_EQ(dur.nanos(), -1);
  EXPECT_EQ(Field(m, "val").string_value(), "v");
  Value st = Field(m, "st");
  ASSERT_TRUE(st.IsMap());
  Value out;
  ASSERT_TRUE(st.map_value()->Find(Value::StringView("a"), ctx_, &out));
  EXPECT_EQ(out.double_value(), 1.5);
  ASSERT_TRUE(st.map_value()->Find(Value::StringView("b"), ctx_, &out));
  ASSERT_TRUE(out.IsList());
  EXPECT_TRUE(out.list_value()->Get(0, ctx_).bool_value());
  Value lv = Field(m, "lv");
  ASSERT_TRUE(lv.IsList());
  EXPECT_TRUE(lv.list_value()->Get(0, ctx_).IsNull());
  EXPECT_EQ(lv.list_value()->Get(1, ctx_).string_value(), "x");
}

TEST_F(ProtoValueTest, AnyIsUnpackedThroughThePool) {
  Message* inner = GetTestProtos().factory.GetPrototype(GetTestProtos().inner)->New(&arena_);
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString("x: 42", inner));
  google::protobuf::Any any;
  any.set_type_url("type.googleapis.com/test.v1.Inner");
  any.set_value(inner->SerializeAsString());
  Value v = MessageToValue(&any, ctx_);
  ASSERT_TRUE(v.IsMessage()) << v.DebugString();
  EXPECT_EQ(GetFieldByName(*v.message_value(), "x", ctx_).int_value(), 42);
  // A packed wrapper unpacks to its scalar.
  google::protobuf::Int64Value w;
  w.set_value(-9);
  any.PackFrom(w);
  EXPECT_EQ(MessageToValue(&any, ctx_).int_value(), -9);
  any.set_type_url("type.googleapis.com/no.such.Type");
  EXPECT_THAT(ErrorOf(MessageToValue(&any, ctx_)), HasSubstr("no.such.Type"));
  any.set_type_url("garbage");
  EXPECT_TRUE(MessageToValue(&any, ctx_).IsError());
}

TEST_F(ProtoValueTest, RepeatedAndMapFields) {
  const Message* m = All(R"(ri: 1 ri: -2 m { key: "k" value: 5 } mi { key: 1 value: "one" }
                            mu { key: 3 value { x: 9 } } rinner { x: 1 } rinner { x: 2 }
                            rw { value: 4 })");
  Value ri = Field(m, "ri");
  ASSERT_TRUE(ri.IsList());
  ASSERT_EQ(ri.list_value()->size(), 2u);
  EXPECT_EQ(ri.list_value()->Get(1, ctx_).int_value(), -2);
  Value mi = Field(m, "mi");
  ASSERT_TRUE(mi.IsMap());
  Value out;
  // Heterogeneous numeric key lookup: 1u and 1.0 find the int32 key 1.
  ASSERT_TRUE(mi.map_value()->Find(Value::Uint(1), ctx_, &out));
  EXPECT_EQ(out.string_value(), "one");
  ASSERT_TRUE(mi.map_value()->Find(Value::Double(1.0), ctx_, &out));
  EXPECT_FALSE(mi.map_value()->Find(Value::StringView("1"), ctx_, &out));
  Value mu = Field(m, "mu");
  ASSERT_TRUE(mu.map_value()->Find(Value::Int(3), ctx_, &out));
  ASSERT_TRUE(out.IsMessage());
  EXPECT_EQ(mu.map_value()->KeyAt(0, ctx_).uint_value(), 3u);
  Value rinner = Field(m, "rinner");
  EXPECT_EQ(GetFieldByName(*rinner.list_value()->Get(1, ctx_).message_value(), "x", ctx_).int_value(),
            2);
  EXPECT_EQ(Field(m, "rw").list_value()->Get(0, ctx_).int_value(), 4);
  // Fast membership for scalar repeated fields; -1 (no fast path) otherwise.
  EXPECT_EQ(ri.list_value()->FastContains(Value::Int(-2)), 1);
  EXPECT_EQ(ri.list_value()->FastContains(Value::Int(3)), 0);
  EXPECT_EQ(ri.list_value()->FastContains(Value::Double(1.0)), -1);
  EXPECT_EQ(rinner.list_value()->FastContains(Value::Int(1)), -1);
  // `in` uses the fast path when it applies and element equality otherwise.
  const Value in_fast[] = {Value::Int(1), ri};
  EXPECT_TRUE(StandardRegistry().Dispatch("@in", false, in_fast, ctx_).bool_value());
  const Value in_generic[] = {Value::Double(-2.0), ri};
  EXPECT_TRUE(StandardRegistry().Dispatch("@in", false, in_generic, ctx_).bool_value());
  const Value not_in[] = {Value::Uint(5), ri};
  EXPECT_FALSE(StandardRegistry().Dispatch("@in", false, not_in, ctx_).bool_value());
}

TEST_F(ProtoValueTest, HasFollowsPresenceRules) {
  const Message* set = All("i32: 1 inner {} opt: 0 ri: 1 m { key: 'a' value: 1 } c2: 0");
  const Message* empty = All("i32: 0 opt: 1");
  auto has = [&](const Message* m, const char* f) { return HasFieldByName(*m, f, ctx_).bool_value(); };
  EXPECT_TRUE(has(set, "i32"));
  EXPECT_FALSE(has(empty, "i32"));  // proto3 scalar: non-default
  EXPECT_TRUE(has(set, "inner"));   // message presence even if empty
  EXPECT_FALSE(has(empty, "inner"));
  EXPECT_TRUE(has(set, "opt"));  // proto3 optional tracks presence, even for 0
  EXPECT_TRUE(has(set, "ri"));
  EXPECT_FALSE(has(empty, "ri"));
  EXPECT_TRUE(has(set, "m"));
  EXPECT_TRUE(has(set, "c2"));  // oneof member set to its default
  EXPECT_FALSE(has(set, "c1"));
  EXPECT_TRUE(HasFieldByName(*set, "zzz", ctx_).IsError());

  Message* p2 = GetTestProtos().factory.GetPrototype(GetTestProtos().p2)->New(&arena_);
  EXPECT_FALSE(HasFieldByName(*p2, "a", ctx_).bool_value());
  EXPECT_EQ(GetFieldByName(*p2, "a", ctx_).int_value(), 5);  // proto2 default
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString("a: 0", p2));
  EXPECT_TRUE(HasFieldByName(*p2, "a", ctx_).bool_value());
}

TEST_F(ProtoValueTest, NewMessageSetsFieldsWithConversions) {
  Value ts = Value::Timestamp(100, 7);
  std::vector<FieldInit> fields = {
      {"i32", Value::Int(-2147483648)},
      {"u32", Value::Uint(4294967295u)},
      {"f", Value::Double(0.5)},
      {"s", Value::StringView("str")},
      {"color", Value::Int(1)},
      {"ri", MakeList(&arena_, {Value::Int(1), Value::Int(2)})},
      {"w32", Value::Int(3)},
      {"ws", Value::Null()},
      {"ts", ts},
      {"val", Value::Int(9007199254740993)},  // beyond 2^53: a JSON string
      {"any", Value::StringView("packed")},
      {"nv", Value::Null()},
  };
  std::vector<MapEntry> entries = {{Value::StringView("k"), Value::Int(5)}};
  fields.push_back({"m", MakeMap(&arena_, entries)});
  std::vector<MapEntry> st = {{Value::StringView("n"), Value::Double(2)},
                              {Value::StringView("l"), MakeList(&arena_, {Value::Bool(true)})}};
  fields.push_back({"st", MakeMap(&arena_, st)});
  Value msg = NewMessage("test.v1.All", fields, ctx_);
  ASSERT_TRUE(msg.IsMessage()) << msg.DebugString();
  const Message* m = msg.message_value();
  EXPECT_EQ(Field(m, "i32").int_value(), -2147483648);
  EXPECT_EQ(Field(m, "u32").uint_value(), 4294967295u);
  EXPECT_EQ(Field(m, "color").int_value(), 1);
  EXPECT_EQ(Field(m, "ri").list_value()->size(), 2u);
  EXPECT_EQ(Field(m, "w32").int_value(), 3);
  EXPECT_TRUE(Field(m, "ws").IsNull());
  EXPECT_TRUE(ValuesEqual(Field(m, "ts"), ts, ctx_));
  EXPECT_EQ(Field(m, "val").string_value(), "9007199254740993");
  EXPECT_EQ(Field(m, "any").string_value(), "packed");
  Value out;
  ASSERT_TRUE(Field(m, "m").map_value()->Find(Value::StringView("k"), ctx_, &out));
  EXPECT_EQ(out.int_value(), 5);
  ASSERT_TRUE(Field(m, "st").map_value()->Find(Value::StringView("l"), ctx_, &out));
  EXPECT_TRUE(out.list_value()->Get(0, ctx_).bool_value());
}

TEST_F(ProtoValueTest, NewMessageRangeAndTypeErrors) {
  auto make = [&](const char* field, Value v) {
    std::vector<FieldInit> f = {{field, v}};
    return NewMessage("test.v1.All", f, ctx_);
  };
  EXPECT_EQ(ErrorOf(make("i32", Value::Int(2147483648))), "range");
  EXPECT_EQ(ErrorOf(make("i32", Value::Int(-2147483649))), "range");
  EXPECT_EQ(ErrorOf(make("u32", Value::Uint(4294967296u))), "range");
  EXPECT_EQ(ErrorOf(make("w32", Value::Int(2147483648))), "range");
  EXPECT_EQ(ErrorOf(make("color", Value::Int(int64_t{1} << 40))), "range");
  EXPECT_THAT(ErrorOf(make("i32", Value::Uint(1))), HasSubstr("type mismatch"));
  EXPECT_THAT(ErrorOf(make("s", Value::Int(1))), HasSubstr("type mismatch"));
  EXPECT_THAT(ErrorOf(make("ts", Value::Int(1))), HasSubstr("type mismatch"));
  EXPECT_THAT(ErrorOf(make("i32", Value::Null())), HasSubstr("type mismatch"));
  EXPECT_THAT(ErrorOf(make("ri", Value::Null())), HasSubstr("type mismatch"));
  EXPECT_THAT(ErrorOf(make("m", Value::Null())), HasSubstr("type mismatch"));
  // null may unset message fields, but not Struct / ListValue ones.
  EXPECT_EQ(ErrorOf(make("lv", Value::Null())), "unsupported field type");
  EXPECT_EQ(ErrorOf(make("st", Value::Null())), "unsupported field type");
  EXPECT_TRUE(make("inner", Value::Null()).IsMessage());
  EXPECT_TRUE(make("any", Value::Null()).IsMessage());
  Value with_null_value = make("val", Value::Null());
  ASSERT_TRUE(with_null_value.IsMessage());
  EXPECT_TRUE(HasFieldByName(*with_null_value.message_value(), "val", ctx_).bool_value());
  EXPECT_EQ(ErrorOf(make("zzz", Value::Int(1))), "no such field: 'zzz'");
  EXPECT_THAT(ErrorOf(NewMessage("no.such.Msg", {}, ctx_)), HasSubstr("no.such.Msg"));
  // Error field values propagate unchanged.
  Value boom = ctx_.Error("boom");
  EXPECT_EQ(ErrorOf(make("i32", boom)), "boom");
}

TEST_F(ProtoValueTest, FloatFieldsSaturateToInfinity) {
  std::vector<FieldInit> f = {{"f", Value::Double(1.4e55)}};
  Value m = NewMessage("test.v1.All", f, ctx_);
  ASSERT_TRUE(m.IsMessage());
  EXPECT_EQ(Field(m.message_value(), "f").double_value(), INFINITY);
  std::vector<FieldInit> g = {{"f", Value::Double(-9.9e100)}};
  m = NewMessage("test.v1.All", g, ctx_);
  EXPECT_EQ(Field(m.message_value(), "f").double_value(), -INFINITY);
  // Float precision is lost on the way in: 1.333f != 1.333.
  std::vector<FieldInit> h = {{"value", Value::Double(1.333)}};
  Value w = NewMessage("google.protobuf.FloatValue", h, ctx_);
  ASSERT_TRUE(w.IsDouble());
  EXPECT_NE(w.double_value(), 1.333);
  EXPECT_EQ(w.double_value(), static_cast<double>(1.333f));
}

TEST_F(ProtoValueTest, MessagesConvertToJsonValues) {
  google::protobuf::FieldMask mask;
  mask.add_paths("foo");
  mask.add_paths("bar");
  std::vector<FieldInit> f = {{"val", Value::Message(&mask)}};
  Value m = NewMessage("test.v1.All", f, ctx_);
  ASSERT_TRUE(m.IsMessage()) << m.DebugString();
  EXPECT_EQ(Field(m.message_value(), "val").string_value(), "foo,bar");
  google::protobuf::Empty empty;
  std::vector<FieldInit> g = {{"val", Value::Message(&empty)}};
  m = NewMessage("test.v1.All", g, ctx_);
  ASSERT_TRUE(m.IsMessage());
  Value v = Field(m.message_value(), "val");
  ASSERT_TRUE(v.IsMap());
  EXPECT_EQ(v.map_value()->size(), 0u);
}

TEST_F(ProtoValueTest, NewWellKnownTypesUnwrap) {
  std::vector<FieldInit> f = {{"value", Value::Int(5)}};
  Value w = NewMessage("google.protobuf.Int32Value", f, ctx_);
  ASSERT_TRUE(w.IsInt());
  EXPECT_EQ(w.int_value(), 5);
  std::vector<FieldInit> big = {{"value", Value::Int(int64_t{1} << 31)}};
  EXPECT_EQ(ErrorOf(NewMessage("google.protobuf.Int32Value", big, ctx_)), "range");
  std::vector<FieldInit> t = {{"seconds", Value::Int(253402300800)}};
  EXPECT_EQ(ErrorOf(NewMessage("google.protobuf.Timestamp", t, ctx_)), "range");
  EXPECT_TRUE(NewMessage("google.protobuf.Value", {}, ctx_).IsNull());
}

TEST_F(ProtoValueTest, ValueToAnyPacksMessagesAndScalars) {
  google::protobuf::Any any;
  ASSERT_TRUE(ValueToMessage(Value::Duration(2, 0), &any, ctx_).ok());
  EXPECT_EQ(any.type_url(), "type.googleapis.com/google.protobuf.Duration");
  Value back = MessageToValue(&any, ctx_);
  ASSERT_TRUE(back.IsDuration());
  EXPECT_EQ(back.seconds(), 2);
  const Message* m = All("i32: 3");
  ASSERT_TRUE(ValueToMessage(Value::Message(m), &any, ctx_).ok());
  EXPECT_EQ(any.type_url(), "type.googleapis.com/test.v1.All");
  EXPECT_FALSE(ValueToMessage(Value::Type("int"), &any, ctx_).ok());
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
