// Tests for the opt-in optional-value functions and the encoders extension.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/runtime/function_registry.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::testing::IsOk;

class OptionalLibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(RegisterOptionalFunctions(&registry_), IsOk());
    ASSERT_THAT(RegisterEncodersExtension(&registry_), IsOk());
  }
  Value Call(const std::string& fn, std::vector<Value> args) {
    return registry_.Dispatch(fn, false, args, ctx_);
  }
  Value Member(const std::string& fn, std::vector<Value> args) {
    return registry_.Dispatch(fn, true, args, ctx_);
  }
  Value Of(Value v) { return Value::Optional(&arena_, v); }
  std::string ErrorOf(const Value& v) {
    return v.IsError() ? std::string(v.error_value().message()) : "not an error: " + v.DebugString();
  }

  FunctionRegistry registry_;
  google::protobuf::Arena arena_;
  EvalContext ctx_{&arena_};
};

TEST_F(OptionalLibraryTest, NotInTheStandardRegistry) {
  EXPECT_EQ(StandardRegistry().FindById("optional_of"), nullptr);
  EXPECT_EQ(StandardRegistry().FindById("base64_encode_bytes"), nullptr);
  EXPECT_NE(registry_.FindById("optional_of"), nullptr);
}

TEST_F(OptionalLibraryTest, ConstructionAndAccess) {
  Value some = Call("optional.of", {Value::Int(1)});
  ASSERT_TRUE(some.IsOptional());
  EXPECT_TRUE(Member("hasValue", {some}).bool_value());
  EXPECT_EQ(Member("value", {some}).int_value(), 1);
  Value none = Call("optional.none", {});
  EXPECT_FALSE(Member("hasValue", {none}).bool_value());
  EXPECT_EQ(ErrorOf(Member("value", {none})), "optional.none() dereference");
  EXPECT_EQ(Member("orValue", {none, Value::Int(7)}).int_value(), 7);
  EXPECT_EQ(Member("orValue", {some, Value::Int(7)}).int_value(), 1);
  EXPECT_EQ(Member("value", {Member("or", {none, some})}).int_value(), 1);
  EXPECT_FALSE(Member("hasValue", {Call("optional.ofNonZeroValue", {Value::Int(0)})}).bool_value());
  EXPECT_FALSE(
      Member("hasValue", {Call("optional.ofNonZeroValue", {Value::StringView("")})}).bool_value());
  EXPECT_FALSE(Member("hasValue", {Call("optional.ofNonZeroValue", {Value::Null()})}).bool_value());
  EXPECT_TRUE(Member("hasValue", {Call("optional.ofNonZeroValue", {Value::Int(2)})}).bool_value());
  google::protobuf::Int64Value empty;
  EXPECT_FALSE(
      Member("hasValue", {Call("optional.ofNonZeroValue", {Value::Message(&empty)})}).bool_value());
  EXPECT_EQ(Value::OptionalNone().TypeName(), "optional_type");
  EXPECT_EQ(ErrorOf(Member("hasValue", {Value::Int(1)})), "no such overload");
}

TEST_F(OptionalLibraryTest, OptionalIndexAndSelect) {
  Value list = MakeList(&arena_, {Value::Int(10)});
  EXPECT_EQ(Member("value", {Call("_[?_]", {list, Value::Int(0)})}).int_value(), 10);
  EXPECT_FALSE(Member("hasValue", {Call("_[?_]", {list, Value::Int(1)})}).bool_value());
  std::vector<MapEntry> entries = {{Value::StringView("k"), Value::Int(5)}};
  Value map = MakeMap(&arena_, entries);
  EXPECT_EQ(Member("value", {Call("_[?_]", {map, Value::StringView("k")})}).int_value(), 5);
  EXPECT_FALSE(Member("hasValue", {Call("_[?_]", {map, Value::StringView("x")})}).bool_value());
  EXPECT_EQ(Member("value", {Call("_[?_]", {Of(map), Value::StringView("k")})}).int_value(), 5);
  EXPECT_FALSE(
      Member("hasValue", {Call("_[?_]", {Value::OptionalNone(), Value::Int(0)})}).bool_value());
  EXPECT_EQ(Member("value", {Call("_[_]", {Of(list), Value::Int(0)})}).int_value(), 10);
  EXPECT_EQ(Member("value", {Call("_?._", {map, Value::StringView("k")})}).int_value(), 5);
  EXPECT_FALSE(Member("hasValue", {Call("_?._", {map, Value::StringView("z")})}).bool_value());
  google::protobuf::Int64Value msg;
  EXPECT_FALSE(Member("hasValue", {Call("_?._", {Value::Message(&msg), Value::StringView("value")})})
                   .bool_value());
  msg.set_value(3);
  EXPECT_EQ(Member("value", {Call("_?._", {Value::Message(&msg), Value::StringView("value")})})
                .int_value(),
            3);
  EXPECT_TRUE(Call("_?._", {Value::Message(&msg), Value::StringView("nope")}).IsError());
}

TEST_F(OptionalLibraryTest, Base64) {
  EXPECT_EQ(Call("base64.encode", {Value::BytesView("hello")}).string_value(), "aGVsbG8=");
  EXPECT_EQ(Call("base64.decode", {Value::StringView("aGVsbG8=")}).bytes_value(), "hello");
  EXPECT_EQ(Call("base64.decode", {Value::StringView("aGVsbG8")}).bytes_value(), "hello");
  EXPECT_TRUE(Call("base64.decode", {Value::StringView("a*b")}).IsError());
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
