// Tests for the math extension.
#include <cmath>
#include <cstdint>
#include <limits>

#include "gtest/gtest.h"
#include "tests/cel/runtime/call_helper.h"

namespace pitboss {
namespace cel {
namespace {

constexpr int64_t kMinInt = std::numeric_limits<int64_t>::min();
constexpr uint64_t kMaxUint = std::numeric_limits<uint64_t>::max();

class MathExtensionTest : public testing::CallTest {};

TEST_F(MathExtensionTest, GreatestAndLeast) {
  EXPECT_EQ(Call("math.@max", {Value::Int(1)}).int_value(), 1);
  EXPECT_EQ(Call("math.@max", {Value::Uint(1), Value::Uint(2)}).uint_value(), 2u);
  Value mixed = Call("math.@max", {Value::Int(1), Value::Double(1.5)});
  ASSERT_TRUE(mixed.IsDouble());
  EXPECT_EQ(mixed.double_value(), 1.5);
  Value keeps_kind = Call("math.@min", {Value::Uint(3), Value::Int(-1)});
  ASSERT_TRUE(keeps_kind.IsInt());
  EXPECT_EQ(keeps_kind.int_value(), -1);
  Value from_list = Call("math.@max", {List({Value::Double(-42.0), Value::Double(-21.5),
                                             Value::Double(-100.0)})});
  EXPECT_EQ(from_list.double_value(), -21.5);
  EXPECT_EQ(Call("math.@min", {List({Value::Int(3), Value::Uint(2), Value::Double(2.5)})})
                .uint_value(),
            2u);
  EXPECT_EQ(ErrorOf(Call("math.@max", {List({})})), "math.@max(list) argument must not be empty");
  EXPECT_EQ(ErrorOf(Call("math.@min", {List({Value::Int(1), Str("x")})})), "no such overload");
  EXPECT_EQ(ErrorOf(Call("math.@max", {Str("x")})), "no such overload");
}

TEST_F(MathExtensionTest, AbsSignRounding) {
  EXPECT_EQ(Call("math.abs", {Value::Int(-1)}).int_value(), 1);
  EXPECT_EQ(Call("math.abs", {Value::Uint(kMaxUint)}).uint_value(), kMaxUint);
  EXPECT_EQ(Call("math.abs", {Value::Double(-0.5)}).double_value(), 0.5);
  EXPECT_EQ(ErrorOf(Call("math.abs", {Value::Int(kMinInt)})), "integer overflow");
  EXPECT_EQ(Call("math.sign", {Value::Int(-42)}).int_value(), -1);
  EXPECT_EQ(Call("math.sign", {Value::Uint(0)}).uint_value(), 0u);
  EXPECT_EQ(Call("math.sign", {Value::Double(-0.0)}).double_value(), 0.0);
  EXPECT_TRUE(std::isnan(Call("math.sign", {Value::Double(NAN)}).double_value()));
  EXPECT_EQ(Call("math.ceil", {Value::Double(-1.2)}).double_value(), -1.0);
  EXPECT_EQ(Call("math.floor", {Value::Double(-1.2)}).double_value(), -2.0);
  EXPECT_EQ(Call("math.round", {Value::Double(1.5)}).double_value(), 2.0);
  EXPECT_EQ(Call("math.round", {Value::Double(-1.5)}).double_value(), -2.0);  // away from zero
  EXPECT_EQ(Call("math.round", {Value::Double(2.5)}).double_value(), 3.0);
  EXPECT_EQ(Call("math.trunc", {Value::Double(-1.7)}).double_value(), -1.0);
  EXPECT_EQ(ErrorOf(Call("math.ceil", {Value::Int(1)})), "no such overload");
  EXPECT_TRUE(Call("math.isNaN", {Value::Double(NAN)}).bool_value());
  EXPECT_TRUE(Call("math.isInf", {Value::Double(-INFINITY)}).bool_value());
  EXPECT_FALSE(Call("math.isFinite", {Value::Double(INFINITY)}).bool_value());
  EXPECT_TRUE(Call("math.isFinite", {Value::Double(1.2)}).bool_value());
  EXPECT_EQ(ErrorOf(Call("math.isNaN", {Value::Bool(true)})), "no such overload");
}

TEST_F(MathExtensionTest, BitwiseOperations) {
  EXPECT_EQ(Call("math.bitAnd", {Value::Int(-3), Value::Int(-5)}).int_value(), -7);
  EXPECT_EQ(Call("math.bitOr", {Value::Uint(1), Value::Uint(2)}).uint_value(), 3u);
  EXPECT_EQ(Call("math.bitXor", {Value::Int(1), Value::Int(3)}).int_value(), 2);
  EXPECT_EQ(Call("math.bitNot", {Value::Int(-1)}).int_value(), 0);
  EXPECT_EQ(Call("math.bitNot", {Value::Uint(0)}).uint_value(), kMaxUint);
  EXPECT_EQ(Call("math.bitShiftLeft", {Value::Int(-1), Value::Int(2)}).int_value(), -4);
  EXPECT_EQ(Call("math.bitShiftLeft", {Value::Uint(1), Value::Int(200)}).uint_value(), 0u);
  EXPECT_EQ(Call("math.bitShiftLeft", {Value::Int(1), Value::Int(63)}).int_value(), kMinInt);
  EXPECT_EQ(Call("math.bitShiftRight", {Value::Int(1024), Value::Int(2)}).int_value(), 256);
  EXPECT_EQ(Call("math.bitShiftRight", {Value::Int(-1), Value::Int(60)}).int_value(), 15);
  EXPECT_EQ(Call("math.bitShiftRight", {Value::Uint(1024), Value::Int(64)}).uint_value(), 0u);
  EXPECT_EQ(ErrorOf(Call("math.bitShiftLeft", {Value::Uint(1), Value::Int(-1)})),
            "math.bitShiftLeft() negative offset: -1");
  EXPECT_EQ(ErrorOf(Call("math.bitShiftRight", {Value::Int(1), Value::Int(-1)})),
            "math.bitShiftRight() negative offset: -1");
  EXPECT_EQ(ErrorOf(Call("math.bitAnd", {Value::Uint(2), Str("")})), "no such overload");
  EXPECT_EQ(ErrorOf(Call("math.bitAnd", {Value::Int(2), Value::Uint(1)})), "no such overload");
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
