// Evaluation of optional values (CompilerOptions::enable_optional_types):
// `a.?b` on messages (has() presence rules) and maps, `a[?k]` on lists and
// maps, selection and indexing through optionals, none-skipping in list, map
// and message construction, or/orValue short-circuiting, optMap/optFlatMap,
// error and unknown propagation; with and without constant folding, checked
// and unchecked.
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "include/pitboss/cel.h"
#include "pitboss/v1/account.pb.h"
#include "src/cel/checker/optional_decls.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::testing::IsOk;
using ::testing::HasSubstr;

class OptionalValuesTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    env_.options().enable_optional_types = true;
    env_.options().fold_constants = GetParam();
    ASSERT_THAT(env_.AddMessageVariable("account", "pitboss.v1.Account"), IsOk());
    ASSERT_THAT(env_.AddVariable("some", OptionalType(CelType::Int())), IsOk());
    ASSERT_THAT(env_.AddVariable("none", OptionalType(CelType::Int())), IsOk());
    ASSERT_THAT(env_.AddVariable("zero", CelType::Int()), IsOk());
    ASSERT_THAT(env_.AddVariable("u", CelType::Dyn()), IsOk());
    ASSERT_THAT(env_.AddVariable("m", CelType::Map(CelType::String(), CelType::Dyn())),
                IsOk());
    account_.set_version(7);
    account_.mutable_kyc()->set_level(pitboss::v1::KYC_LEVEL_BASIC);
    account_.add_factors()->set_factor_id("f1");
    activation_.BindMessage("account", &account_);
    activation_.Bind("some", Value::Optional(&arena_, Value::Int(5)));
    activation_.Bind("none", Value::OptionalNone());
    activation_.Bind("zero", Value::Int(0));
    activation_.BindUnknown("u");
  }

  // The result rendered ("error: ..." for errors, "unknown", "compile: ...").
  std::string Eval(const std::string& expr) {
    absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env_, expr);
    if (!program.ok()) return "compile: " + std::string(program.status().message());
    absl::StatusOr<Value> v = (*program)->Evaluate(activation_, &arena_);
    if (!v.ok()) return "status: " + std::string(v.status().message());
    if (v->IsError()) return "error: " + std::string(v->error_value().message());
    if (v->IsUnknown()) return "unknown";
    return v->DebugString();
  }

  google::protobuf::Arena arena_;
  Env env_;
  pitboss::v1::Account account_;
  Activation activation_;
};

TEST_P(OptionalValuesTest, FunctionsOfOptionals) {
  EXPECT_EQ(Eval("optional.of(1)"), "optional.of(1)");
  EXPECT_EQ(Eval("optional.none()"), "optional.none()");
  EXPECT_EQ(Eval("optional.of(null).hasValue()"), "true");
  EXPECT_EQ(Eval("optional.ofNonZeroValue(0).hasValue()"), "false");
  EXPECT_EQ(Eval("optional.ofNonZeroValue('')"), "optional.none()");
  EXPECT_EQ(Eval("optional.ofNonZeroValue([1])"), "optional.of([1])");
  EXPECT_EQ(Eval("some.value() + 1"), "6");
  EXPECT_EQ(Eval("none.hasValue()"), "false");
  EXPECT_THAT(Eval("none.value()"), HasSubstr("error: optional.none() dereference"));
  EXPECT_EQ(Eval("none.orValue(3)"), "3");
  EXPECT_EQ(Eval("some.orValue(3)"), "5");
  EXPECT_EQ(Eval("none.or(optional.of(4))"), "optional.of(4)");
  EXPECT_EQ(Eval("some == optional.of(5)"), "true");
  EXPECT_EQ(Eval("none == optional.none()"), "true");
  EXPECT_EQ(Eval("some != none"), "true");
  EXPECT_EQ(Eval("type(none) == optional_type"), "true");
}

TEST_P(OptionalValuesTest, OrAndOrValueEvaluateTheAlternativeOnlyForNone) {
  EXPECT_EQ(Eval("some.orValue(1 / zero)"), "5");
  EXPECT_EQ(Eval("some.or(optional.of(1 / zero))"), "optional.of(5)");
  EXPECT_THAT(Eval("none.orValue(1 / zero)"), HasSubstr("error: division by zero"));
  EXPECT_THAT(Eval("none.or(optional.of(1 / zero))"),
              HasSubstr("error: division by zero"));
  EXPECT_THAT(Eval("optional.of(1 / zero).orValue(2)"),
              HasSubstr("error: division by zero"));
  EXPECT_EQ(Eval("u.orValue(2)"), "unknown");
}

TEST_P(OptionalValuesTest, OptionalSelectOnMessagesFollowsPresence) {
  EXPECT_EQ(Eval("account.?version"), "optional.of(7)");
  EXPECT_EQ(Eval("account.?kyc.hasValue()"), "true");
  EXPECT_EQ(Eval("account.?security"), "optional.none()");       // unset message
  EXPECT_EQ(Eval("account.?account_id"), "optional.none()");     // proto3 default
  EXPECT_EQ(Eval("account.?factors.value().size()"), "1");       // non-empty repeated
  EXPECT_EQ(Eval("account.profile.?names"), "optional.none()");  // empty repeated
  EXPECT_EQ(Eval("account.?kyc.level"), "optional.of(2)");       // through an optional
  EXPECT_EQ(Eval("account.?security.consecutive_failed_logins"), "optional.none()");
  EXPECT_EQ(Eval("account.?kyc.?enhanced_due_diligence_required"), "optional.none()");
  EXPECT_EQ(Eval("has(account.?kyc.level)"), "true");
  EXPECT_EQ(Eval("has(account.?security.password_changed_at)"), "false");
  EXPECT_EQ(
      Eval("account.?security.orValue(pitboss.v1.Security{}).consecutive_failed_logins"),
      "0");
}

TEST_P(OptionalValuesTest, OptionalSelectAndIndexOnMapsAndLists) {
  EXPECT_EQ(Eval("{'a': 1}.?a"), "optional.of(1)");
  EXPECT_EQ(Eval("{'a': 1}.?b"), "optional.none()");
  EXPECT_EQ(Eval("{'a': {'b': 2}}.?a.b"), "optional.of(2)");
  EXPECT_EQ(Eval("{'a': {}}.?a.b"), "optional.none()");  // absent through an optional
  EXPECT_EQ(Eval("{'a': {}}.?x.b.c"), "optional.none()");
  EXPECT_EQ(Eval("[1, 2][?1]"), "optional.of(2)");
  EXPECT_EQ(Eval("[1, 2][?2]"), "optional.none()");
  EXPECT_EQ(Eval("[1, 2][?-1]"), "optional.none()");
  EXPECT_EQ(Eval("{1: 'x'}[?dyn(1u)]"), "optional.of(\"x\")");
  EXPECT_EQ(Eval("{'k': 1}[?'z']"), "optional.none()");
  EXPECT_EQ(Eval("optional.of([7])[0]"), "optional.of(7)");
  EXPECT_EQ(Eval("optional.of([7])[1]"), "optional.none()");
  EXPECT_EQ(Eval("optional.of({'k': 1})['k']"), "optional.of(1)");
  EXPECT_EQ(Eval("optional.none()[0]"), "optional.none()");
  EXPECT_EQ(Eval("optional.none()[?'k']"), "optional.none()");
  EXPECT_EQ(Eval("has({'a': optional.none()}.a.b)"), "false");
}

TEST_P(OptionalValuesTest, ConstructionSkipsNone) {
  EXPECT_EQ(Eval("[1, ?none, ?some, ?optional.of(3)]"), "[1, 5, 3]");
  EXPECT_EQ(Eval("[?{}.?c, ?optional.none()]"), "[]");
  EXPECT_EQ(Eval("{'a': 1, ?'b': none, ?'c': some}"), "{\"a\": 1, \"c\": 5}");
  EXPECT_EQ(Eval("size({?'b': none})"), "0");
  EXPECT_EQ(
      Eval("has(pitboss.v1.Money{?currency: optional.none(), minor_units: 5}.currency)"),
      "false");
  EXPECT_EQ(Eval("pitboss.v1.Money{?currency: optional.of('EUR')}.currency"), "\"EUR\"");
  EXPECT_EQ(Eval("pitboss.v1.Money{?minor_units: some}.minor_units"), "5");
  EXPECT_EQ(Eval("pitboss.v1.Money{?minor_units: none}.minor_units"), "0");
}

TEST_P(OptionalValuesTest, MacrosMapAndFlatMap) {
  EXPECT_EQ(Eval("some.optMap(x, x * 2)"), "optional.of(10)");
  EXPECT_EQ(Eval("none.optMap(x, x * 2)"), "optional.none()");
  EXPECT_EQ(Eval("none.optMap(x, 1 / zero)"), "optional.none()");  // body not evaluated
  EXPECT_EQ(Eval("some.optFlatMap(x, x > 1 ? optional.of(x) : optional.none())"),
            "optional.of(5)");
  EXPECT_EQ(Eval("some.optFlatMap(x, optional.ofNonZeroValue(x - 5))"),
            "optional.none()");
  EXPECT_EQ(Eval("{'k': {'s': 'v'}}.?k.optFlatMap(k, k.?s).value()"), "\"v\"");
}

TEST_P(OptionalValuesTest, ErrorsAndUnknownsPropagate) {
  EXPECT_THAT(Eval("optional.of(1 / zero)"), HasSubstr("error: division by zero"));
  EXPECT_THAT(Eval("{'a': 1 / zero}.?a"), HasSubstr("error: division by zero"));
  EXPECT_THAT(Eval("[1][?1 / zero]"), HasSubstr("error: division by zero"));
  EXPECT_THAT(Eval("[?optional.of(1 / zero)]"), HasSubstr("error: division by zero"));
  EXPECT_THAT(Eval("{?'a': optional.of(1 / zero)}"),
              HasSubstr("error: division by zero"));
  EXPECT_THAT(Eval("pitboss.v1.Money{?minor_units: optional.of(1 / zero)}"),
              HasSubstr("error: division by zero"));
  // Selecting through a present optional of a non-container is an error
  // (the checker rejects it when it knows the type).
  EXPECT_THAT(Eval("optional.of(dyn(1)).x"), HasSubstr("error: no such overload"));
  EXPECT_THAT(Eval("{'a': dyn(0)}.?a.x"), HasSubstr("error: no such overload"));
  EXPECT_THAT(Eval("has(optional.of(dyn(1)).x)"), HasSubstr("error: no such overload"));
  EXPECT_EQ(Eval("u.?a"), "unknown");
  EXPECT_EQ(Eval("[?u]"), "unknown");
  EXPECT_EQ(Eval("{?'a': u}"), "unknown");
  EXPECT_EQ(Eval("u[?0]"), "unknown");
}

TEST_P(OptionalValuesTest, UncheckedProgramsAgree) {
  env_.options().enable_checking = false;
  EXPECT_EQ(Eval("optional.of(1).value()"), "1");
  EXPECT_EQ(Eval("{'a': 1}.?b.orValue(2)"), "2");
  EXPECT_EQ(Eval("account.?kyc.level"), "optional.of(2)");
  EXPECT_EQ(Eval("[?none, 1]"), "[1]");
  EXPECT_EQ(Eval("type(none) == optional_type"), "true");
  EXPECT_EQ(Eval("some.orValue(1 / zero)"), "5");
  EXPECT_THAT(Eval("(1).orValue(2)"), HasSubstr("error: no such overload"));
}

INSTANTIATE_TEST_SUITE_P(FoldedAndNot, OptionalValuesTest, ::testing::Bool());

TEST(EncodersExtensionTest, DeclaredOnlyWhenEnabled) {
  Env env;
  EXPECT_THAT(CreateProgram(env, "base64.encode(b'hi')").status().message(),
              HasSubstr("undeclared reference"));
  env.options().enable_encoders_extension = true;
  absl::StatusOr<std::unique_ptr<Program>> program =
      CreateProgram(env,
                    "base64.decode(base64.encode(b'hello')) == b'hello' && "
                    "base64.encode(b'hello') == 'aGVsbG8=' && "
                    "base64.decode('aGVsbG8') == b'hello'");
  ASSERT_THAT(program, IsOk());
  EXPECT_EQ((*program)->result_type().DebugString(), "bool");
  google::protobuf::Arena arena;
  absl::StatusOr<Value> v = (*program)->Evaluate(Activation(), &arena);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->DebugString(), "true");
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
