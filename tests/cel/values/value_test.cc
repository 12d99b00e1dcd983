// Tests for the Value handle, arena lists and maps, map key rules and DeepCopy.
#include "src/cel/common/value.h"

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/map_key.h"
#include "src/cel/common/utf8.h"

namespace pitboss {
namespace cel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ValueTest, IsSmallAndTriviallyCopyable) {
  EXPECT_EQ(sizeof(Value), 16u);
  EXPECT_TRUE(std::is_trivially_copyable<Value>::value);
  EXPECT_TRUE(std::is_trivially_destructible<Value>::value);
}

TEST(ValueTest, ScalarsRoundTrip) {
  EXPECT_TRUE(Value().IsNull());
  EXPECT_TRUE(Value::Bool(true).bool_value());
  EXPECT_EQ(Value::Int(std::numeric_limits<int64_t>::min()).int_value(),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Value::Uint(std::numeric_limits<uint64_t>::max()).uint_value(),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(Value::Double(-0.5).double_value(), -0.5);
  Value ts = Value::Timestamp(-62135596800, 999999999);
  EXPECT_EQ(ts.seconds(), -62135596800);
  EXPECT_EQ(ts.nanos(), 999999999);
  Value d = Value::Duration(-5, -500);
  EXPECT_EQ(d.seconds(), -5);
  EXPECT_EQ(d.nanos(), -500);
  EXPECT_EQ(d.duration_value(), absl::Seconds(-5) - absl::Nanoseconds(500));
}

TEST(ValueTest, StringsCopyIntoArenaOrBorrow) {
  google::protobuf::Arena arena;
  std::string host = "héllo";
  Value borrowed = Value::StringView(host);
  EXPECT_EQ(borrowed.string_value().data(), host.data());
  Value owned = Value::String(&arena, host);
  EXPECT_NE(owned.string_value().data(), host.data());
  host[0] = 'j';
  EXPECT_EQ(owned.string_value(), "héllo");
  Value bytes = Value::Bytes(&arena, std::string("\0\xff", 2));
  EXPECT_TRUE(bytes.IsBytes());
  EXPECT_EQ(bytes.bytes_value().size(), 2u);
  EXPECT_EQ(Value::String(&arena, "").string_value(), "");
}

TEST(ValueTest, TypeNames) {
  google::protobuf::Arena arena;
  EXPECT_EQ(Value::Int(1).TypeName(), "int");
  EXPECT_EQ(Value::Uint(1).TypeName(), "uint");
  EXPECT_EQ(Value().TypeName(), "null_type");
  EXPECT_EQ(Value::Timestamp(0, 0).TypeName(), "google.protobuf.Timestamp");
  EXPECT_EQ(Value::Duration(0, 0).TypeName(), "google.protobuf.Duration");
  EXPECT_EQ(Value::Type("int").TypeName(), "type");
  EXPECT_EQ(MakeList(&arena, {}).TypeName(), "list");
  google::protobuf::Timestamp msg;
  EXPECT_EQ(Value::Message(&msg).TypeName(), "google.protobuf.Timestamp");
  Value t = Value::Int(7).TypeOf();
  EXPECT_TRUE(t.IsType());
  EXPECT_EQ(t.type_value(), "int");
  EXPECT_EQ(t.TypeOf().type_value(), "type");
}

TEST(ValueTest, ErrorsAndUnknowns) {
  google::protobuf::Arena arena;
  Value e = Value::Error(&arena, absl::OutOfRangeError("range"));
  EXPECT_TRUE(e.IsError());
  EXPECT_TRUE(e.IsErrorOrUnknown());
  EXPECT_EQ(e.error_value().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(e.error_value().message(), "range");
  Value u = Value::Unknown(&arena, {5, 3, 5, 1});
  EXPECT_TRUE(u.IsUnknown());
  EXPECT_THAT(u.unknown_ids(), ElementsAre(1, 3, 5));
  EXPECT_EQ(u.DebugString(), "unknown{1, 3, 5}");
}

TEST(ValueTest, Optionals) {
  google::protobuf::Arena arena;
  Value some = Value::Optional(&arena, Value::Int(3));
  EXPECT_TRUE(some.optional_has_value());
  EXPECT_EQ(some.optional_value().int_value(), 3);
  EXPECT_FALSE(Value::OptionalNone().optional_has_value());
  EXPECT_EQ(some.DebugString(), "optional.of(3)");
}

TEST(ValueTest, DebugStrings) {
  google::protobuf::Arena arena;
  EXPECT_EQ(Value::Uint(2).DebugString(), "2u");
  EXPECT_EQ(Value::StringView("a\"b").DebugString(), "\"a\\\"b\"");
  EXPECT_EQ(Value::Timestamp(1234567890, 0).DebugString(),
            "timestamp(\"2009-02-13T23:31:30Z\")");
  EXPECT_EQ(Value::Duration(1, 500000000).DebugString(), "duration(\"1.5s\")");
  Value list = MakeList(&arena, {Value::Int(1), Value::StringView("x")});
  EXPECT_EQ(list.DebugString(), "[1, \"x\"]");
  std::vector<MapEntry> entries = {{Value::StringView("a"), Value::Bool(true)}};
  EXPECT_EQ(MakeMap(&arena, entries).DebugString(), "{\"a\": true}");
}

TEST(MapTest, HeterogeneousNumericKeyLookup) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  std::vector<MapEntry> entries = {{Value::Int(1), Value::StringView("one")},
                                   {Value::Uint(2), Value::StringView("two")},
                                   {Value::StringView("k"), Value::Int(3)},
                                   {Value::Bool(true), Value::Int(4)}};
  Value map = MakeMap(&arena, entries);
  ASSERT_TRUE(map.IsMap());
  Value out;
  ASSERT_TRUE(map.map_value()->Find(Value::Uint(1), ctx, &out));
  EXPECT_EQ(out.string_value(), "one");
  ASSERT_TRUE(map.map_value()->Find(Value::Double(1.0), ctx, &out));
  EXPECT_EQ(out.string_value(), "one");
  ASSERT_TRUE(map.map_value()->Find(Value::Int(2), ctx, &out));
  EXPECT_EQ(out.string_value(), "two");
  EXPECT_FALSE(map.map_value()->Find(Value::Double(1.5), ctx, &out));
  EXPECT_FALSE(map.map_value()->Find(Value::Int(-1), ctx, &out));
  EXPECT_FALSE(map.map_value()->Find(Value::Double(std::nan("")), ctx, &out));
  EXPECT_FALSE(map.map_value()->Find(Value::Int(0), ctx, &out));  // not bool false
  EXPECT_FALSE(map.map_value()->Find(Value::Null(), ctx, &out));
  ASSERT_TRUE(map.map_value()->Find(Value::Bool(true), ctx, &out));
  EXPECT_EQ(out.int_value(), 4);
  // Insertion order is kept.
  EXPECT_EQ(map.map_value()->KeyAt(2, ctx).string_value(), "k");
}

TEST(MapTest, LargeMapsUseTheHashIndex) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  std::vector<MapEntry> entries;
  for (int64_t i = 0; i < 100; ++i) entries.push_back({Value::Int(i * 7), Value::Int(i)});
  entries.push_back({Value::Uint(std::numeric_limits<uint64_t>::max()), Value::Int(-1)});
  Value map = MakeMap(&arena, entries);
  ASSERT_TRUE(map.IsMap());
  EXPECT_EQ(map.map_value()->size(), 101u);
  Value out;
  for (int64_t i = 0; i < 100; ++i) {
    ASSERT_TRUE(map.map_value()->Find(Value::Uint(static_cast<uint64_t>(i * 7)), ctx, &out));
    EXPECT_EQ(out.int_value(), i);
    ASSERT_TRUE(map.map_value()->Find(Value::Double(static_cast<double>(i * 7)), ctx, &out));
  }
  EXPECT_FALSE(map.map_value()->Find(Value::Int(8), ctx, &out));
  EXPECT_FALSE(map.map_value()->Find(Value::Double(18446744073709551615.0), ctx, &out));
  ASSERT_TRUE(
      map.map_value()->Find(Value::Uint(std::numeric_limits<uint64_t>::max()), ctx, &out));
  EXPECT_EQ(out.int_value(), -1);
}

TEST(MapTest, RejectsRepeatedAndUnsupportedKeys) {
  google::protobuf::Arena arena;
  // 1 and 1u are the same key.
  std::vector<MapEntry> dup = {{Value::Int(1), Value::Int(1)}, {Value::Uint(1), Value::Int(2)}};
  Value m = MakeMap(&arena, dup);
  ASSERT_TRUE(m.IsError());
  EXPECT_THAT(std::string(m.error_value().message()), HasSubstr("repeated key"));
  std::vector<MapEntry> big_dup;
  for (int64_t i = 0; i < 20; ++i) big_dup.push_back({Value::Int(i), Value::Int(i)});
  big_dup.push_back({Value::Uint(19), Value::Int(0)});
  EXPECT_TRUE(MakeMap(&arena, big_dup).IsError());
  std::vector<MapEntry> bad = {{Value::Double(1.0), Value::Int(1)}};
  Value b = MakeMap(&arena, bad);
  ASSERT_TRUE(b.IsError());
  EXPECT_EQ(b.error_value().message(), "unsupported key type");
  // Errors in entries propagate as they are.
  Value err = Value::Error(&arena, "boom");
  std::vector<MapEntry> with_error = {{Value::Int(1), err}};
  EXPECT_EQ(MakeMap(&arena, with_error).error_value().message(), "boom");
}

TEST(MapKeyTest, HashAgreesWithEquality) {
  const Value keys[] = {Value::Int(5), Value::Uint(5), Value::Double(5.0)};
  for (const Value& a : keys) {
    for (const Value& b : keys) {
      EXPECT_TRUE(MapKeyEquals(a, b));
      EXPECT_EQ(MapKeyHash(a), MapKeyHash(b));
    }
  }
  EXPECT_FALSE(MapKeyEquals(Value::Int(-1), Value::Uint(std::numeric_limits<uint64_t>::max())));
  // Keys compare exactly (unlike ==): INT64_MAX and 2^63 are different keys.
  EXPECT_FALSE(MapKeyEquals(Value::Int(std::numeric_limits<int64_t>::max()),
                            Value::Double(9223372036854775808.0)));
  EXPECT_TRUE(MapKeyEquals(Value::Uint(uint64_t{1} << 63), Value::Double(9223372036854775808.0)));
  EXPECT_EQ(MapKeyHash(Value::Uint(uint64_t{1} << 63)),
            MapKeyHash(Value::Double(9223372036854775808.0)));
  EXPECT_FALSE(MapKeyEquals(Value::StringView("1"), Value::Int(1)));
  EXPECT_FALSE(MapKeyEquals(Value::Bool(true), Value::Int(1)));
}

TEST(DeepCopyTest, OutlivesTheSourceArena) {
  google::protobuf::Arena target;
  EvalContext target_ctx(&target);
  Value copy;
  {
    google::protobuf::Arena source;
    EvalContext ctx(&source);
    std::string host = "borrowed";
    Value inner = MakeList(&source, {Value::StringView(host), Value::Int(2)});
    std::vector<MapEntry> entries = {{Value::String(&source, "k"), inner}};
    Value map = MakeMap(&source, entries);
    copy = DeepCopy(map, ctx, &target);
    host.assign("clobbered");
  }
  ASSERT_TRUE(copy.IsMap());
  Value out;
  ASSERT_TRUE(copy.map_value()->Find(Value::StringView("k"), target_ctx, &out));
  EXPECT_EQ(out.list_value()->Get(0, target_ctx).string_value(), "borrowed");
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(Utf8CodePointCount(""), 0u);
  EXPECT_EQ(Utf8CodePointCount("héllo"), 5u);
  EXPECT_EQ(Utf8CodePointCount("\xF0\x9F\x98\x80"), 1u);  // U+1F600
  EXPECT_TRUE(IsValidUtf8("ta©o©αT"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_THAT(Utf8Offsets("a©b"), ElementsAre(0, 1, 3, 4));
  std::string s;
  Utf8Append(0x1F600, &s);
  Utf8Append(0xA9, &s);
  EXPECT_EQ(s, "\xF0\x9F\x98\x80\xC2\xA9");
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
