// Type checker tests: inferred types, name resolution with containers, and
// type errors with their positions.
#include "src/cel/checker/checker.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/pitboss/cel.h"
#include "pitboss/v1/account.pb.h"
#include "src/cel/checker/standard_decls.h"
#include "src/cel/parser/parser.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

class CheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Make sure the generated descriptors of pitboss.v1 are linked in.
    pitboss::v1::Account account;
    (void)account;
    ASSERT_THAT(env_.AddMessageVariable("account", "pitboss.v1.Account"), IsOk());
    ASSERT_THAT(env_.AddVariable("amount", CelType::Int()), IsOk());
    ASSERT_THAT(env_.AddVariable("tags", CelType::Map(CelType::String(), CelType::Dyn())),
                IsOk());
    ASSERT_THAT(env_.AddVariable("d", CelType::Dyn()), IsOk());
  }

  // The checked result type, or the error message.
  std::string TypeOf(const std::string& expr) {
    absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env_, expr);
    if (!program.ok()) return std::string(program.status().message());
    return (*program)->result_type().DebugString();
  }

  absl::Status ErrorOf(const std::string& expr) {
    return CreateProgram(env_, expr).status();
  }

  Env env_;
};

TEST_F(CheckerTest, InfersPrimitiveAndAggregateTypes) {
  EXPECT_EQ(TypeOf("1 + 2"), "int");
  EXPECT_EQ(TypeOf("1u * 3u"), "uint");
  EXPECT_EQ(TypeOf("1.5 / 2.0"), "double");
  EXPECT_EQ(TypeOf("'a' + 'b'"), "string");
  EXPECT_EQ(TypeOf("b'a'"), "bytes");
  EXPECT_EQ(TypeOf("null"), "null_type");
  EXPECT_EQ(TypeOf("[1, 2]"), "list(int)");
  EXPECT_EQ(TypeOf("[1, 'a']"), "list(dyn)");
  EXPECT_EQ(TypeOf("[]"), "list(dyn)");
  EXPECT_EQ(TypeOf("{'a': 1}"), "map(string, int)");
  EXPECT_EQ(TypeOf("{'a': 1, 'b': 'x'}"), "map(string, dyn)");
  EXPECT_EQ(TypeOf("[[1]][0]"), "list(int)");
  EXPECT_EQ(TypeOf("[[1]][0][0] + 1"), "int");
  EXPECT_EQ(TypeOf("{'a': [1u]}['a']"), "list(uint)");
  EXPECT_EQ(TypeOf("1 < 2.0"), "bool");
  EXPECT_EQ(TypeOf("type(1)"), "type(int)");
  EXPECT_EQ(TypeOf("type(1) == int"), "bool");
  EXPECT_EQ(TypeOf("d + 1"), "int");
  EXPECT_EQ(TypeOf("d"), "dyn");
  EXPECT_EQ(TypeOf("size('abc')"), "int");
  EXPECT_EQ(TypeOf("'abc'.size()"), "int");
  EXPECT_EQ(TypeOf("true ? 1 : 2"), "int");
  EXPECT_EQ(TypeOf("type([1]) == type(['a'])"), "bool");
  EXPECT_EQ(TypeOf("[1, google.protobuf.Int64Value{value: 2}]"), "list(wrapper(int))");
  EXPECT_EQ(TypeOf("[1, dyn(2)]"), "list(dyn)");
  EXPECT_EQ(TypeOf("google.protobuf.NullValue.NULL_VALUE"), "null_type");
  EXPECT_EQ(TypeOf("{'a': 1}.transformMap(k, v, v + 1)"), "map(string, int)");
  EXPECT_THAT(TypeOf("dyn"), HasSubstr("undeclared reference to 'dyn'"));
  EXPECT_THAT(TypeOf("true ? 1 : 'a'"), HasSubstr("found no matching overload for '_?_:_'"));
}

TEST_F(CheckerTest, TypesProtobufFieldsAndWellKnownTypes) {
  EXPECT_EQ(TypeOf("account"), "pitboss.v1.Account");
  EXPECT_EQ(TypeOf("account.version"), "int");
  EXPECT_EQ(TypeOf("account.kyc.level"), "int");  // enums are ints
  EXPECT_EQ(TypeOf("account.created_at"), "google.protobuf.Timestamp");
  EXPECT_EQ(TypeOf("account.factors"), "list(pitboss.v1.Factor)");
  EXPECT_EQ(TypeOf("account.balances.cash.minor_units > 100"), "bool");
  EXPECT_EQ(TypeOf("account.created_at + duration('1h')"), "google.protobuf.Timestamp");
  EXPECT_EQ(TypeOf("account.updated_at - account.created_at"), "google.protobuf.Duration");
  EXPECT_EQ(TypeOf("account.created_at.getHours('Europe/Paris')"), "int");
  EXPECT_EQ(TypeOf("has(account.kyc)"), "bool");
  EXPECT_EQ(TypeOf("pitboss.v1.Money{minor_units: 5, currency: 'USD'}"), "pitboss.v1.Money");
  EXPECT_EQ(TypeOf("google.protobuf.Int64Value{value: 5}"), "wrapper(int)");
  EXPECT_EQ(TypeOf("pitboss.v1.Account"), "type(pitboss.v1.Account)");
}

TEST_F(CheckerTest, ResolvesNamesInContainers) {
  EXPECT_EQ(TypeOf("pitboss.v1.KycLevel.KYC_LEVEL_BASIC"), "int");
  EXPECT_EQ(TypeOf(".pitboss.v1.KycLevel.KYC_LEVEL_BASIC"), "int");
  EXPECT_THAT(TypeOf("KycLevel.KYC_LEVEL_BASIC"), HasSubstr("undeclared reference"));
  env_.SetContainer("pitboss.v1");
  EXPECT_EQ(TypeOf("KycLevel.KYC_LEVEL_BASIC"), "int");
  EXPECT_EQ(TypeOf("Money{minor_units: 1}.minor_units"), "int");
  EXPECT_EQ(TypeOf("account.kyc.level == KycLevel.KYC_LEVEL_ENHANCED"), "bool");
  // A leading dot only tries the root scope.
  EXPECT_THAT(TypeOf(".KycLevel.KYC_LEVEL_BASIC"), HasSubstr("undeclared reference"));
}

TEST_F(CheckerTest, PrefersTheLongestQualifiedName) {
  // `a.b` is both a declared variable and a field selection of variable `a`.
  ASSERT_THAT(env_.AddVariable("a", CelType::Map(CelType::String(), CelType::Int())), IsOk());
  ASSERT_THAT(env_.AddVariable("a.b", CelType::String()), IsOk());
  EXPECT_EQ(TypeOf("a.b"), "string");
  EXPECT_EQ(TypeOf("a.c"), "int");
}

TEST_F(CheckerTest, ScopesComprehensionVariables) {
  EXPECT_EQ(TypeOf("[1, 2].map(x, x * 2)"), "list(int)");
  EXPECT_EQ(TypeOf("[1, 2].filter(x, x > 1)"), "list(int)");
  EXPECT_EQ(TypeOf("account.factors.exists(f, f.factor_id == 'x')"), "bool");
  EXPECT_EQ(TypeOf("{'a': 1}.all(k, k.startsWith('a'))"), "bool");
  EXPECT_EQ(TypeOf("[1].exists(amount, amount == 1) && amount > 0"), "bool");
  EXPECT_THAT(ErrorOf("[1].all(x, x > 0) && x > 0"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("undeclared reference to 'x'")));
  EXPECT_THAT(ErrorOf("1.all(x, x > 0)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("cannot be the range of a comprehension")));
}

TEST_F(CheckerTest, ReportsNoMatchingOverloadWithPosition) {
  absl::Status s = ErrorOf("account.kyc.level > \"x\"");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("<input>:1:19: found no matching overload for '_>_' "
                                    "applied to '(int, string)'")));
  // The snippet with a caret under the operator.
  EXPECT_THAT(s.message(), HasSubstr("\n | account.kyc.level > \"x\"\n | ..................^"));
  EXPECT_THAT(ErrorOf("'abc'.contains(1)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("found no matching overload for 'contains' applied to "
                                 "'string.(int)'")));
}

TEST_F(CheckerTest, ReportsUnknownFieldsAndNames) {
  EXPECT_THAT(ErrorOf("account.kyc.levle == 1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("<input>:1:12: undefined field 'levle'")));
  EXPECT_THAT(ErrorOf("acount.kyc"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("<input>:1:1: undeclared reference to 'acount'")));
  EXPECT_THAT(ErrorOf("pitboss.v1.Money{minor: 1}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("undefined field 'minor'")));
  EXPECT_THAT(ErrorOf("pitboss.v1.Money{minor_units: 'x'}"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected type of field 'minor_units' is 'int' but provided "
                                 "type is 'string'")));
  EXPECT_THAT(ErrorOf("1.foo"), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("does not support field selection")));
  EXPECT_THAT(ErrorOf("nosuchfn(1)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("undeclared reference to 'nosuchfn'")));
  // Multi-line source: line and column of the second line.
  EXPECT_THAT(ErrorOf("account.version > 1 &&\n  account.nope"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("<input>:2:10: undefined field 'nope'")));
}

TEST_F(CheckerTest, RuleModeRequiresBool) {
  env_.options().require_bool_result = true;
  EXPECT_THAT(ErrorOf("account.version + 1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected type 'bool' but found 'int'")));
  EXPECT_THAT(ErrorOf("account.version > 1"), IsOk());
  EXPECT_THAT(ErrorOf("d"), IsOk());  // dyn may hold a bool
}

TEST_F(CheckerTest, ResolvesNamespacedFunctions) {
  EXPECT_EQ(TypeOf("math.abs(-1)"), "int");
  EXPECT_EQ(TypeOf("math.greatest(1, 2)"), "int");
  EXPECT_EQ(TypeOf("math.least(1.0)"), "double");
  EXPECT_EQ(TypeOf("math.greatest(1, 2, 3)"), "int");
  EXPECT_EQ(TypeOf("math.greatest(1, 2.0)"), "dyn");
  EXPECT_THAT(TypeOf("math.greatest()"), HasSubstr("math.greatest() requires at least one"));
  EXPECT_EQ(TypeOf("'a,b'.split(',')"), "list(string)");
  EXPECT_EQ(TypeOf("['a'].join('-')"), "string");
}

TEST(CheckerDirectTest, AnnotatesReferencesAndOverloads) {
  TypeProvider provider;
  CheckerEnv env(&provider);
  env.AddFunctions(StandardFunctionDecls());
  env.AddVariable({"x", CelType::Int()});
  absl::StatusOr<ParsedExpr> parsed = Parse("x + 1 == 2");
  ASSERT_THAT(parsed, IsOk());
  absl::StatusOr<CheckedExpr> checked = Check(*parsed, env);
  ASSERT_THAT(checked, IsOk());
  bool saw_add = false, saw_eq = false, saw_x = false;
  for (const auto& [id, ref] : checked->references) {
    if (ref.kind == Reference::Kind::kFunction && ref.name == "_+_") {
      EXPECT_THAT(ref.overload_ids, ::testing::ElementsAre("add_int64"));
      saw_add = true;
    }
    if (ref.kind == Reference::Kind::kFunction && ref.name == "_==_") {
      EXPECT_THAT(ref.overload_ids, ::testing::ElementsAre("equals"));
      saw_eq = true;
    }
    if (ref.kind == Reference::Kind::kVariable && ref.name == "x") saw_x = true;
  }
  EXPECT_TRUE(saw_add && saw_eq && saw_x);
  EXPECT_EQ(checked->result_type, CelType::Bool());
  EXPECT_EQ(checked->types.size(), 5u);
}

TEST(CheckerDirectTest, LeavesDynCallsWithSeveralCandidates) {
  TypeProvider provider;
  CheckerEnv env(&provider);
  env.AddFunctions(StandardFunctionDecls());
  env.AddVariable({"d", CelType::Dyn()});
  absl::StatusOr<ParsedExpr> parsed = Parse("size(d)");
  ASSERT_THAT(parsed, IsOk());
  absl::StatusOr<CheckedExpr> checked = Check(*parsed, env);
  ASSERT_THAT(checked, IsOk());
  const Reference& ref = checked->references.at(parsed->expr.id);
  EXPECT_THAT(ref.overload_ids, ::testing::UnorderedElementsAre("size_string", "size_bytes",
                                                                "size_list", "size_map"));
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
