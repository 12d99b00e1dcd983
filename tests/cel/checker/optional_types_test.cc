// Type checking of optional values (CompilerOptions::enable_optional_types):
// the types of the optional functions, `a.?b`, `a[?b]`, selection and
// indexing through optionals, optional list/map elements and message fields,
// type deductions joining optional types, and the errors (with positions)
// for misuse. Off by default.
#include <memory>
#include <string>

#include "gmock/gmock.h"
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

class OptionalTypesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pitboss::v1::Account account;  // links the pitboss.v1 descriptors in
    (void)account;
    env_.options().enable_optional_types = true;
    ASSERT_THAT(env_.AddMessageVariable("account", "pitboss.v1.Account"), IsOk());
    ASSERT_THAT(env_.AddVariable("o", OptionalType(CelType::Int())), IsOk());
    ASSERT_THAT(env_.AddVariable("d", CelType::Dyn()), IsOk());
  }

  // The checked result type, or the error message.
  std::string TypeOf(const std::string& expr) {
    absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env_, expr);
    if (!program.ok()) return std::string(program.status().message());
    return (*program)->result_type().DebugString();
  }

  Env env_;
};

TEST_F(OptionalTypesTest, OffByDefault) {
  Env env;
  EXPECT_THAT(CreateProgram(env, "optional.of(1)").status().message(),
              HasSubstr("undeclared reference to 'optional'"));
  EXPECT_THAT(CreateProgram(env, "{}.?a").status().message(),
              HasSubstr("unsupported syntax '.?'"));
  // The syntax alone does not declare optional values.
  env.options().enable_optional_syntax = true;
  EXPECT_THAT(CreateProgram(env, "{'a': 1}.?a").status().message(),
              HasSubstr("undeclared reference to '_?._'"));
}

TEST_F(OptionalTypesTest, TypesTheOptionalFunctions) {
  EXPECT_EQ(TypeOf("optional.of(1)"), "optional_type(int)");
  EXPECT_EQ(TypeOf("optional.ofNonZeroValue('a')"), "optional_type(string)");
  EXPECT_EQ(TypeOf("optional.none()"), "optional_type(dyn)");
  EXPECT_EQ(TypeOf("o.hasValue()"), "bool");
  EXPECT_EQ(TypeOf("o.value()"), "int");
  EXPECT_EQ(TypeOf("o.or(optional.none())"), "optional_type(int)");
  EXPECT_EQ(TypeOf("o.orValue(2)"), "int");
  EXPECT_EQ(TypeOf("optional.none().orValue('x')"), "string");
  EXPECT_EQ(TypeOf("type(o) == optional_type"), "bool");
  EXPECT_EQ(TypeOf("o == optional.of(1)"), "bool");
}

TEST_F(OptionalTypesTest, TypesOptionalSelectionAndIndexing) {
  EXPECT_EQ(TypeOf("{'a': 1}.?a"), "optional_type(int)");
  EXPECT_EQ(TypeOf("account.?kyc"), "optional_type(pitboss.v1.Kyc)");
  // Selecting or indexing through an optional stays optional.
  EXPECT_EQ(TypeOf("account.?kyc.level"), "optional_type(int)");
  EXPECT_EQ(TypeOf("account.?kyc.?level"), "optional_type(int)");
  EXPECT_EQ(TypeOf("has(account.?kyc.level)"), "bool");
  EXPECT_EQ(TypeOf("[1, 2][?0]"), "optional_type(int)");
  EXPECT_EQ(TypeOf("{'a': true}[?'a']"), "optional_type(bool)");
  EXPECT_EQ(TypeOf("optional.of([1])[0]"), "optional_type(int)");
  EXPECT_EQ(TypeOf("optional.of({'k': 'v'})['k']"), "optional_type(string)");
  EXPECT_EQ(TypeOf("optional.of([1.5])[?0]"), "optional_type(double)");
  EXPECT_EQ(TypeOf("d.?x"), "optional_type(dyn)");
}

TEST_F(OptionalTypesTest, TypesOptionalElementsAndMacros) {
  EXPECT_EQ(TypeOf("[?o, 2]"), "list(int)");
  EXPECT_EQ(TypeOf("{?'a': o}"), "map(string, int)");
  EXPECT_EQ(TypeOf("pitboss.v1.Money{?currency: optional.of('EUR')}"),
            "pitboss.v1.Money");
  EXPECT_EQ(TypeOf("o.optMap(x, string(x))"), "optional_type(string)");
  EXPECT_EQ(TypeOf("o.optFlatMap(x, optional.of(x > 0))"), "optional_type(bool)");
}

TEST_F(OptionalTypesTest, DeducesTheMostGeneralOptionalType) {
  EXPECT_EQ(TypeOf("[optional.none(), optional.of(1)]"), "list(optional_type(int))");
  EXPECT_EQ(TypeOf("[optional.of(1), optional.none()]"), "list(optional_type(int))");
  EXPECT_EQ(TypeOf("[optional.of(1), optional.of(dyn(1))]"), "list(optional_type(dyn))");
  EXPECT_EQ(TypeOf("[optional.of(dyn(1)), optional.of(1)]"), "list(optional_type(dyn))");
  EXPECT_EQ(TypeOf("true ? optional.of(dyn(1)) : optional.of(1)"), "optional_type(dyn)");
  EXPECT_EQ(TypeOf("[optional.of(1), null][0]"), "optional_type(int)");
  // Not only optionals: the less specific list wins too.
  EXPECT_EQ(TypeOf("[[1], [dyn(1)]]"), "list(list(dyn))");
}

TEST_F(OptionalTypesTest, RejectsMisuseWithPositions) {
  EXPECT_THAT(TypeOf("account.?nosuch"),
              HasSubstr("<input>:1:8: undefined field 'nosuch'"));
  EXPECT_THAT(TypeOf("optional.of(1).x"),
              HasSubstr("<input>:1:15: type 'int' does not support field selection"));
  EXPECT_THAT(TypeOf("1.?a"),
              HasSubstr("<input>:1:2: type 'int' does not support field selection"));
  EXPECT_THAT(
      TypeOf("[1, ?2]"),
      HasSubstr("<input>:1:6: expected type 'optional_type(int)' but found 'int'"));
  EXPECT_THAT(TypeOf("{?'a': 'b'}"),
              HasSubstr("<input>:1:8: expected type 'optional_type(string)' but found "
                        "'string'"));
  EXPECT_THAT(
      TypeOf("pitboss.v1.Money{?currency: 'EUR'}"),
      HasSubstr("expected type of field 'currency' is 'optional_type(string)' but "
                "provided type is 'string'"));
  EXPECT_THAT(
      TypeOf("o.orValue('a')"),
      HasSubstr("<input>:1:10: found no matching overload for 'orValue' applied to "
                "'optional_type(int).(string)'"));
  EXPECT_THAT(TypeOf("o + 1"),
              HasSubstr("<input>:1:3: found no matching overload for '_+_'"));
  EXPECT_THAT(TypeOf("(1).hasValue()"),
              HasSubstr("found no matching overload for 'hasValue' applied to 'int.()'"));
  EXPECT_THAT(TypeOf("[1][?'a']"), HasSubstr("found no matching overload for '_[?_]'"));
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
