// Tests for the function registry: registration, id enumeration, dynamic
// dispatch by runtime kinds, and error/unknown propagation.
#include "src/cel/runtime/function_registry.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cel/runtime/call_helper.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::Contains;

Value ReturnsFirst(absl::Span<const Value> args, EvalContext&) { return args[0]; }
Value ReturnsTrue(absl::Span<const Value>, EvalContext&) { return Value::Bool(true); }

TEST(FunctionRegistryTest, BuiltinsRegisterCleanly) {
  FunctionRegistry r;
  EXPECT_THAT(RegisterStandardFunctions(&r), IsOk());
  EXPECT_THAT(RegisterStringsExtension(&r), IsOk());
  EXPECT_THAT(RegisterMathExtension(&r), IsOk());
  EXPECT_EQ(r.size(), StandardRegistry().size());
  // Registering twice collides on ids.
  EXPECT_THAT(RegisterStandardFunctions(&r), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(FunctionRegistryTest, EnumeratesUniqueIds) {
  std::vector<std::string> ids = StandardRegistry().OverloadIds();
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size());
  for (const char* id : {"add_int64", "size_string", "contains_string", "matches_string",
                         "string_to_timestamp", "timestamp_to_year_with_tz",
                         "timestamp_to_seconds_tz", "less_int64_uint64", "string_format",
                         "strings_quote", "math_@max_list_double", "math_bitNot_int_int",
                         "logical_and", "conditional", "not_strictly_false", "to_dyn", "type"}) {
    EXPECT_THAT(ids, Contains(std::string(id)));
    EXPECT_NE(StandardRegistry().FindById(id), nullptr) << id;
  }
  EXPECT_EQ(StandardRegistry().FindById("no_such_id"), nullptr);
  const Overload* o = StandardRegistry().FindById("contains_string");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->function, "contains");
  EXPECT_TRUE(o->receiver_style);
  EXPECT_EQ(o->arity(), 2u);
}

TEST(FunctionRegistryTest, RejectsDuplicatesAndMissingImplementations) {
  FunctionRegistry r;
  Overload o{"f", "f_int", false, {ValueKind::kInt}, ReturnsFirst};
  EXPECT_THAT(r.Register(o), IsOk());
  EXPECT_THAT(r.Register(o), StatusIs(absl::StatusCode::kAlreadyExists));
  Overload no_impl{"f", "f_null", false, {ValueKind::kNull}, nullptr};
  EXPECT_THAT(r.Register(no_impl), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(r.size(), 1u);
}

TEST(FunctionRegistryTest, ResolvesByKindStyleAndArity) {
  FunctionRegistry r;
  ASSERT_THAT(r.Register({"f", "f_int", false, {ValueKind::kInt}, ReturnsFirst}), IsOk());
  ASSERT_THAT(r.Register({"f", "f_any_any", false, {ValueKind::kAny, ValueKind::kAny}, ReturnsTrue}),
              IsOk());
  ASSERT_THAT(r.Register({"f", "string_f", true, {ValueKind::kString}, ReturnsTrue}), IsOk());
  const Value one[] = {Value::Int(1)};
  const Value str[] = {Value::StringView("s")};
  const Value two[] = {Value::StringView("s"), Value::Null()};
  EXPECT_EQ(r.Resolve("f", false, one)->id, "f_int");
  EXPECT_EQ(r.Resolve("f", false, str), nullptr);
  EXPECT_EQ(r.Resolve("f", true, str)->id, "string_f");
  EXPECT_EQ(r.Resolve("f", false, two)->id, "f_any_any");
  EXPECT_EQ(r.Resolve("g", false, one), nullptr);
  EXPECT_EQ(r.FindOverloads("f", false, 1).size(), 1u);
  EXPECT_EQ(r.FindOverloads("f", false, 3).size(), 0u);
}

class DispatchTest : public testing::CallTest {};

TEST_F(DispatchTest, NoSuchOverload) {
  EXPECT_EQ(ErrorOf(Call("_+_", {Value::Int(1), Value::Uint(1)})), "no such overload");
  EXPECT_EQ(ErrorOf(Call("_+_", {Value::Int(1)})), "no such overload");
  EXPECT_EQ(ErrorOf(Call("nope", {})), "no such overload");
  // contains is receiver-style only.
  EXPECT_EQ(ErrorOf(Call("contains", {Str("a"), Str("a")})), "no such overload");
  EXPECT_TRUE(Member("contains", {Str("abc"), Str("b")}).bool_value());
}

TEST_F(DispatchTest, ErrorsAndUnknownsPropagate) {
  Value e1 = ctx_.Error("first");
  Value e2 = ctx_.Error("second");
  Value u1 = Value::Unknown(&arena_, {1});
  Value u2 = Value::Unknown(&arena_, {2, 1});
  EXPECT_EQ(ErrorOf(Call("_+_", {e1, e2})), "first");
  EXPECT_EQ(ErrorOf(Call("_+_", {Value::Int(1), e2})), "second");
  // Propagation happens before kind matching: an error beats "no such overload".
  EXPECT_EQ(ErrorOf(Call("_+_", {Str("x"), e2})), "second");
  Value merged = Call("_+_", {u1, u2});
  ASSERT_TRUE(merged.IsUnknown());
  EXPECT_EQ(merged.unknown_ids().size(), 2u);
  // Unknowns win over errors.
  EXPECT_TRUE(Call("_*_", {e1, u1}).IsUnknown());
  // Strict propagation through Invoke too.
  const Overload* add = StandardRegistry().FindById("add_int64");
  const Value args[] = {Value::Int(1), e1};
  EXPECT_EQ(ErrorOf(Invoke(*add, args, ctx_)), "first");
}

TEST_F(DispatchTest, LogicalOperatorsAbsorbErrors) {
  Value err = ctx_.Error("e");
  Value unk = Value::Unknown(&arena_, {7});
  const Value t = Value::Bool(true), f = Value::Bool(false);
  EXPECT_FALSE(Call("_&&_", {f, err}).bool_value());
  EXPECT_FALSE(Call("_&&_", {err, f}).bool_value());
  EXPECT_FALSE(Call("_&&_", {unk, f}).bool_value());
  EXPECT_EQ(ErrorOf(Call("_&&_", {t, err})), "e");
  EXPECT_TRUE(Call("_&&_", {err, unk}).IsUnknown());
  EXPECT_TRUE(Call("_&&_", {t, t}).bool_value());
  EXPECT_TRUE(Call("_||_", {err, t}).bool_value());
  EXPECT_TRUE(Call("_||_", {t, unk}).bool_value());
  EXPECT_EQ(ErrorOf(Call("_||_", {f, err})), "e");
  EXPECT_FALSE(Call("_||_", {f, f}).bool_value());
  EXPECT_EQ(ErrorOf(Call("_||_", {f, Value::Int(1)})), "no such overload");
  EXPECT_EQ(Call("_?_:_", {t, Value::Int(1), err}).int_value(), 1);
  EXPECT_EQ(ErrorOf(Call("_?_:_", {f, Value::Int(1), err})), "e");
  EXPECT_TRUE(Call("_?_:_", {unk, Value::Int(1), Value::Int(2)}).IsUnknown());
  EXPECT_EQ(ErrorOf(Call("_?_:_", {Value::Int(0), Value::Int(1), Value::Int(2)})),
            "no such overload");
  EXPECT_TRUE(Call("@not_strictly_false", {err}).bool_value());
  EXPECT_TRUE(Call("@not_strictly_false", {unk}).bool_value());
  EXPECT_FALSE(Call("@not_strictly_false", {f}).bool_value());
  EXPECT_FALSE(Call("!_", {t}).bool_value());
  EXPECT_EQ(ErrorOf(Call("!_", {err})), "e");
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
