// Tests for CEL equality (heterogeneous numbers, NaN, aggregates, messages)
// and ordering (exact int/uint/double comparisons).
#include "src/cel/common/value_equality.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "google/protobuf/arena.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "src/cel/common/numeric.h"

namespace pitboss {
namespace cel {
namespace {

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinInt = std::numeric_limits<int64_t>::min();
constexpr uint64_t kMaxUint = std::numeric_limits<uint64_t>::max();

class EqualityTest : public ::testing::Test {
 protected:
  bool Eq(const Value& a, const Value& b) {
    bool ab = ValuesEqual(a, b, ctx_);
    EXPECT_EQ(ab, ValuesEqual(b, a, ctx_)) << a.DebugString() << " vs " << b.DebugString();
    return ab;
  }
  google::protobuf::Arena arena_;
  EvalContext ctx_{&arena_};
};

TEST_F(EqualityTest, NumbersCompareByValueAcrossKinds) {
  EXPECT_TRUE(Eq(Value::Int(1), Value::Uint(1)));
  EXPECT_TRUE(Eq(Value::Int(1), Value::Double(1.0)));
  EXPECT_TRUE(Eq(Value::Uint(1), Value::Double(1.0)));
  EXPECT_FALSE(Eq(Value::Int(-1), Value::Uint(kMaxUint)));
  EXPECT_FALSE(Eq(Value::Int(1), Value::Double(1.5)));
  // Integers convert to double when compared with doubles (the definition's
  // and cel-go's rule): INT64_MAX rounds to 2^63.
  EXPECT_TRUE(Eq(Value::Int(kMaxInt), Value::Double(9223372036854775808.0)));
  EXPECT_TRUE(Eq(Value::Uint(uint64_t{1} << 63), Value::Double(9223372036854775808.0)));
  EXPECT_TRUE(Eq(Value::Int(kMinInt), Value::Double(-9223372036854775808.0)));
  EXPECT_TRUE(Eq(Value::Uint(kMaxUint), Value::Double(18446744073709551616.0)));
  EXPECT_FALSE(Eq(Value::Uint(kMaxUint), Value::Double(18446744073709555712.0)));
  EXPECT_FALSE(Eq(Value::Int(kMinInt), Value::Double(-9223372036854777856.0)));
  // int vs uint stays exact.
  EXPECT_FALSE(Eq(Value::Int(kMaxInt), Value::Uint(uint64_t{1} << 63)));
}

TEST_F(EqualityTest, NaNEqualsNothing) {
  const double nan = std::nan("");
  EXPECT_FALSE(Eq(Value::Double(nan), Value::Double(nan)));
  EXPECT_FALSE(Eq(Value::Double(nan), Value::Int(0)));
  EXPECT_TRUE(Eq(Value::Double(-0.0), Value::Double(0.0)));
  EXPECT_FALSE(Eq(MakeList(&arena_, {Value::Double(nan)}), MakeList(&arena_, {Value::Double(nan)})));
}

TEST_F(EqualityTest, DifferentKindsAreUnequal) {
  EXPECT_FALSE(Eq(Value::Int(1), Value::StringView("1")));
  EXPECT_FALSE(Eq(Value::Null(), Value::Bool(false)));
  EXPECT_FALSE(Eq(Value::Bool(true), Value::Int(1)));
  EXPECT_FALSE(Eq(Value::StringView("a"), Value::BytesView("a")));
  EXPECT_TRUE(Eq(Value::Null(), Value::Null()));
  EXPECT_FALSE(Eq(Value::Timestamp(1, 0), Value::Duration(1, 0)));
}

TEST_F(EqualityTest, TypesCompareByName) {
  EXPECT_TRUE(Eq(Value::Type("int"), Value::Int(1).TypeOf()));
  EXPECT_FALSE(Eq(Value::Type("int"), Value::Uint(1).TypeOf()));
}

TEST_F(EqualityTest, ListsElementWise) {
  Value a = MakeList(&arena_, {Value::Int(1), Value::StringView("x")});
  Value b = MakeList(&arena_, {Value::Double(1.0), Value::StringView("x")});
  Value c = MakeList(&arena_, {Value::Int(1)});
  EXPECT_TRUE(Eq(a, b));
  EXPECT_FALSE(Eq(a, c));
  EXPECT_TRUE(Eq(MakeList(&arena_, {}), MakeList(&arena_, {})));
}

TEST_F(EqualityTest, MapsIgnoreOrderAndUseNumericKeys) {
  std::vector<MapEntry> e1 = {{Value::Int(1), Value::StringView("a")},
                              {Value::StringView("k"), Value::Int(2)}};
  std::vector<MapEntry> e2 = {{Value::StringView("k"), Value::Double(2.0)},
                              {Value::Uint(1), Value::StringView("a")}};
  std::vector<MapEntry> e3 = {{Value::StringView("k"), Value::Int(3)},
                              {Value::Uint(1), Value::StringView("a")}};
  EXPECT_TRUE(Eq(MakeMap(&arena_, e1), MakeMap(&arena_, e2)));
  EXPECT_FALSE(Eq(MakeMap(&arena_, e1), MakeMap(&arena_, e3)));
}

TEST_F(EqualityTest, MessagesUseProtobufEquality) {
  google::protobuf::Timestamp a, b;
  a.set_seconds(5);
  b.set_seconds(5);
  EXPECT_TRUE(Eq(Value::Message(&a), Value::Message(&b)));
  b.set_nanos(1);
  EXPECT_FALSE(Eq(Value::Message(&a), Value::Message(&b)));
  google::protobuf::Value na, nb;
  na.set_number_value(std::nan(""));
  nb.set_number_value(std::nan(""));
  EXPECT_FALSE(Eq(Value::Message(&na), Value::Message(&nb)));
  EXPECT_FALSE(Eq(Value::Message(&a), Value::Message(&na)));
}

TEST(OrderingTest, ExactCrossKindComparisons) {
  EXPECT_EQ(CompareValues(Value::Int(-1), Value::Uint(0)), -1);
  EXPECT_EQ(CompareValues(Value::Uint(0), Value::Int(-1)), 1);
  EXPECT_EQ(CompareValues(Value::Int(kMaxInt), Value::Uint(uint64_t{1} << 63)), -1);
  // Conformance: dyn(9223372036854775807) < 9223372036854775808.0 is false
  // and <= is true; 9223372036854777857.0 (the next double) is greater.
  EXPECT_EQ(CompareValues(Value::Int(kMaxInt), Value::Double(9223372036854775808.0)), 0);
  EXPECT_EQ(CompareValues(Value::Int(kMaxInt), Value::Double(9223372036854777857.0)), -1);
  EXPECT_EQ(CompareValues(Value::Double(9223372036854775808.0), Value::Int(kMaxInt)), 0);
  EXPECT_EQ(CompareValues(Value::Int(kMinInt), Value::Double(-9223372036854775809.0)), 0);
  EXPECT_EQ(CompareValues(Value::Int(kMinInt), Value::Double(-9223372036854777857.0)), 1);
  EXPECT_EQ(CompareValues(Value::Int(kMinInt), Value::Double(-1e19)), 1);
  EXPECT_EQ(CompareValues(Value::Uint(kMaxUint), Value::Double(18446744073709590000.0)), -1);
  EXPECT_EQ(CompareValues(Value::Double(18446744073709553665.0), Value::Uint(kMaxUint)), 1);
  EXPECT_EQ(CompareValues(Value::Int(kMaxInt - 1), Value::Uint(uint64_t{kMaxInt})), -1);
  EXPECT_EQ(CompareValues(Value::Int(1), Value::Double(1.5)), -1);
  EXPECT_EQ(CompareValues(Value::Int(-1), Value::Double(-1.5)), 1);
  EXPECT_EQ(CompareValues(Value::Int(2), Value::Double(1.5)), 1);
  EXPECT_EQ(CompareValues(Value::Uint(kMaxUint), Value::Double(18446744073709551616.0)), 0);
  EXPECT_EQ(CompareValues(Value::Uint(0), Value::Double(-0.5)), 1);
  EXPECT_EQ(CompareValues(Value::Uint(1), Value::Double(0.5)), 1);
  EXPECT_EQ(CompareValues(Value::Double(1.0), Value::Uint(1)), 0);
  EXPECT_EQ(CompareValues(Value::Double(std::nan("")), Value::Int(1)), kUnordered);
  EXPECT_EQ(CompareValues(Value::Int(1), Value::Double(std::nan(""))), kUnordered);
  EXPECT_EQ(CompareValues(Value::Double(-INFINITY), Value::Int(kMinInt)), -1);
}

TEST(OrderingTest, OtherKinds) {
  EXPECT_EQ(CompareValues(Value::Bool(false), Value::Bool(true)), -1);
  EXPECT_EQ(CompareValues(Value::StringView("a"), Value::StringView("b")), -1);
  // Bytewise order is code point order for UTF-8.
  EXPECT_EQ(CompareValues(Value::StringView("\xC3\xBF"), Value::StringView("z")), 1);
  const std::string longer("\x01\x00", 2);
  EXPECT_EQ(CompareValues(Value::BytesView("\x01"), Value::BytesView(longer)), -1);
  EXPECT_EQ(CompareValues(Value::Timestamp(1, 5), Value::Timestamp(1, 4)), 1);
  EXPECT_EQ(CompareValues(Value::Duration(-1, -5), Value::Duration(-1, 0)), -1);
  EXPECT_FALSE(CompareValues(Value::Int(1), Value::StringView("1")).has_value());
  EXPECT_FALSE(CompareValues(Value::Null(), Value::Null()).has_value());
  EXPECT_FALSE(CompareValues(Value::Timestamp(0, 0), Value::Duration(0, 0)).has_value());
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
