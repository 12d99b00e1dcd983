// Tests of macro expansion: the shape of every expansion (as the definition
// prescribes), misuse errors with positions, options, and macro call records.
#include "src/cel/parser/macros.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cel/parser/debug_string.h"
#include "src/cel/parser/parser.h"
#include "tests/cel/parser/parser_test_util.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::cel::testing::ParseToSexp;
using ::testing::HasSubstr;

TEST(MacrosTest, Has) {
  EXPECT_EQ(ParseToSexp("has(a.b)"), "a.b~test-only~");
  EXPECT_EQ(ParseToSexp("has(a.b.c)"), "a.b.c~test-only~");
  EXPECT_EQ(ParseToSexp("has(M{}.f)"), "M{}.f~test-only~");
  EXPECT_EQ(ParseToSexp("has({}.?x.y)"), "_?._({}, \"x\").y~test-only~");
  // Not the macro: other arities and receiver style stay calls.
  EXPECT_EQ(ParseToSexp("has(a.b, c)"), "has(a.b, c)");
  EXPECT_EQ(ParseToSexp("x.has(a.b)"), "x.has(a.b)");
}

TEST(MacrosTest, HasMisuseIsAnErrorAtTheArgument) {
  ParseResult r = ParseWithDiagnostics("has(m)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.FormatErrors(),
            "ERROR: <input>:1:5: invalid argument to has() macro\n | has(m)\n | ....^");
  EXPECT_FALSE(ParseWithDiagnostics("has(a[0])").ok());
  EXPECT_FALSE(ParseWithDiagnostics("has(a.?b)").ok());
  EXPECT_FALSE(ParseWithDiagnostics("has(has(a.b))").ok());
}

TEST(MacrosTest, AllExpandsLikeTheDefinition) {
  EXPECT_EQ(ParseToSexp("l.all(x, x > 0)"),
            "fold(x in l; @result = true; @not_strictly_false(@result); "
            "_&&_(@result, _>_(x, 0)); @result)");
}

TEST(MacrosTest, ExistsExpandsLikeTheDefinition) {
  EXPECT_EQ(ParseToSexp("l.exists(x, x > 0)"),
            "fold(x in l; @result = false; @not_strictly_false(!_(@result)); "
            "_||_(@result, _>_(x, 0)); @result)");
}

TEST(MacrosTest, ExistsOneExpandsLikeTheDefinition) {
  const std::string want =
      "fold(x in l; @result = 0; true; _?_:_(p(x), _+_(@result, 1), @result); "
      "_==_(@result, 1))";
  EXPECT_EQ(ParseToSexp("l.exists_one(x, p(x))"), want);
  EXPECT_EQ(ParseToSexp("l.existsOne(x, p(x))"), want);
}

TEST(MacrosTest, MapAndFilterExpandLikeTheDefinition) {
  EXPECT_EQ(ParseToSexp("l.map(x, x * 2)"),
            "fold(x in l; @result = []; true; _+_(@result, [_*_(x, 2)]); @result)");
  EXPECT_EQ(ParseToSexp("l.map(x, x > 1, x * 2)"),
            "fold(x in l; @result = []; true; "
            "_?_:_(_>_(x, 1), _+_(@result, [_*_(x, 2)]), @result); @result)");
  EXPECT_EQ(ParseToSexp("l.filter(x, x > 1)"),
            "fold(x in l; @result = []; true; "
            "_?_:_(_>_(x, 1), _+_(@result, [x]), @result); @result)");
}

TEST(MacrosTest, NestedMacros) {
  EXPECT_EQ(ParseToSexp("a.all(x, x.exists(y, y))"),
            "fold(x in a; @result = true; @not_strictly_false(@result); "
            "_&&_(@result, fold(y in x; @result = false; "
            "@not_strictly_false(!_(@result)); _||_(@result, y); @result)); @result)");
  EXPECT_EQ(ParseToSexp("has(a.b).asList().exists(c, c)"),
            "fold(c in a.b~test-only~.asList(); @result = false; "
            "@not_strictly_false(!_(@result)); _||_(@result, c); @result)");
}

TEST(MacrosTest, DebugStringMatchesTheConformanceLayout) {
  // The layout used by the `ast` fields of the cel-spec conformance data.
  ParseResult r = ParseWithDiagnostics("[1].exists(c, c)");
  ASSERT_TRUE(r.ok());
  KindAdorner kinds;
  EXPECT_EQ(ExprDebugString(r.parsed.expr, &kinds),
            "__comprehension__(\n"
            "  // Variable\n"
            "  c,\n"
            "  // Target\n"
            "  [\n"
            "    1^#*expr.Constant_Int64Value#\n"
            "  ]^#*expr.Expr_ListExpr#,\n"
            "  // Accumulator\n"
            "  @result,\n"
            "  // Init\n"
            "  false^#*expr.Constant_BoolValue#,\n"
            "  // LoopCondition\n"
            "  @not_strictly_false(\n"
            "    !_(\n"
            "      @result^#*expr.Expr_IdentExpr#\n"
            "    )^#*expr.Expr_CallExpr#\n"
            "  )^#*expr.Expr_CallExpr#,\n"
            "  // LoopStep\n"
            "  _||_(\n"
            "    @result^#*expr.Expr_IdentExpr#,\n"
            "    c^#*expr.Expr_IdentExpr#\n"
            "  )^#*expr.Expr_CallExpr#,\n"
            "  // Result\n"
            "  @result^#*expr.Expr_IdentExpr#)^#*expr.Expr_ComprehensionExpr#");
}

TEST(MacrosTest, IterationVariableMustBeASimpleName) {
  ParseResult r = ParseWithDiagnostics("m.filter(a.b, false)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].message, "argument must be a simple name");
  EXPECT_EQ(r.errors[0].column, 11);  // the '.' of a.b
  r = ParseWithDiagnostics("1.all(2, 3)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].message, "argument must be a simple name");
  EXPECT_EQ(r.errors[0].column, 7);
  EXPECT_FALSE(ParseWithDiagnostics("l.map(.x, x)").ok());
  for (const char* src : {"[].existsOne(__result__, __result__)",
                          "m.map(__result__, __result__)", "m.filter(__result__, false)"}) {
    r = ParseWithDiagnostics(src);
    ASSERT_FALSE(r.ok()) << src;
    EXPECT_EQ(r.errors[0].message, "iteration variable overwrites accumulator variable");
  }
}

TEST(MacrosTest, NonMacroArities) {
  EXPECT_EQ(ParseToSexp("l.all(x)"), "l.all(x)");
  EXPECT_EQ(ParseToSexp("l.map(x, y, z, w)"), "l.map(x, y, z, w)");
  EXPECT_EQ(ParseToSexp("all(l, x, p)"), "all(l, x, p)");
  EXPECT_EQ(ParseToSexp("l.filter(x, p, q)"), "l.filter(x, p, q)");
}

TEST(MacrosTest, DisabledMacrosStayCalls) {
  ParserOptions options;
  options.enable_macros = false;
  EXPECT_EQ(ParseToSexp("has(a.b)", options), "has(a.b)");
  EXPECT_EQ(ParseToSexp("l.all(x, x)", options), "l.all(x, x)");
  EXPECT_EQ(ParseToSexp("cel.bind(x, 1, x)", options), "cel.bind(x, 1, x)");
  EXPECT_EQ(ParseToSexp("l.all(i, v, v)", options), "l.all(i, v, v)");
  ParseResult r = ParseWithDiagnostics("has(m)", options);
  EXPECT_TRUE(r.ok());
}

TEST(MacrosTest, TwoVariableComprehensions) {
  EXPECT_EQ(ParseToSexp("l.all(i, v, i < v)"),
            "fold(i, v in l; @result = true; @not_strictly_false(@result); "
            "_&&_(@result, _<_(i, v)); @result)");
  EXPECT_EQ(ParseToSexp("l.exists(i, v, v)"),
            "fold(i, v in l; @result = false; @not_strictly_false(!_(@result)); "
            "_||_(@result, v); @result)");
  EXPECT_EQ(ParseToSexp("l.existsOne(i, v, v)"),
            "fold(i, v in l; @result = 0; true; _?_:_(v, _+_(@result, 1), @result); "
            "_==_(@result, 1))");
  EXPECT_EQ(ParseToSexp("l.transformList(i, v, v * i)"),
            "fold(i, v in l; @result = []; true; _+_(@result, [_*_(v, i)]); @result)");
  EXPECT_EQ(ParseToSexp("l.transformList(i, v, i > 0, v)"),
            "fold(i, v in l; @result = []; true; _?_:_(_>_(i, 0), _+_(@result, [v]), "
            "@result); @result)");
  EXPECT_EQ(ParseToSexp("m.transformMap(k, v, v + 1)"),
            "fold(k, v in m; @result = {}; true; "
            "cel.@mapInsert(@result, k, _+_(v, 1)); @result)");
  EXPECT_EQ(ParseToSexp("m.transformMap(k, v, k != 'a', v)"),
            "fold(k, v in m; @result = {}; true; _?_:_(_!=_(k, \"a\"), "
            "cel.@mapInsert(@result, k, v), @result); @result)");
  EXPECT_EQ(ParseToSexp("m.transformMapEntry(k, v, {v: k})"),
            "fold(k, v in m; @result = {}; true; cel.@mapInsert(@result, {v: k}); "
            "@result)");
  ParseResult r = ParseWithDiagnostics("l.all(x, x, true)");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.errors[0].message, HasSubstr("duplicate variable name"));
  EXPECT_FALSE(ParseWithDiagnostics("l.transformList(i, a.b, 1)").ok());

  ParserOptions options;
  options.enable_two_var_comprehensions = false;
  EXPECT_EQ(ParseToSexp("l.all(i, v, v)", options), "l.all(i, v, v)");
  EXPECT_EQ(ParseToSexp("l.map(x, p, t)", options),
            "fold(x in l; @result = []; true; _?_:_(p, _+_(@result, [t]), @result); "
            "@result)");
}

TEST(MacrosTest, Bind) {
  EXPECT_EQ(ParseToSexp("cel.bind(x, 1 + 2, x * x)"),
            "fold(#unused in []; x = _+_(1, 2); false; x; _*_(x, x))");
  // Only cel.bind is the macro.
  EXPECT_EQ(ParseToSexp("foo.bind(x, 1, x)"), "foo.bind(x, 1, x)");
  EXPECT_FALSE(ParseWithDiagnostics("cel.bind(a.b, 1, 2)").ok());
  ParserOptions options;
  options.enable_bind_macro = false;
  EXPECT_EQ(ParseToSexp("cel.bind(x, 1, x)", options), "cel.bind(x, 1, x)");
}

TEST(MacrosTest, OptMapAndOptFlatMap) {
  EXPECT_EQ(ParseToSexp("o.optMap(y, y + 1)"),
            "fold(#unused in []; @opt = o; false; @opt; "
            "_?_:_(@opt.hasValue(), optional.of(fold(#unused in []; y = @opt.value(); "
            "false; y; _+_(y, 1))), optional.none()))");
  EXPECT_EQ(ParseToSexp("o.optFlatMap(y, y.?z)"),
            "fold(#unused in []; @opt = o; false; @opt; "
            "_?_:_(@opt.hasValue(), fold(#unused in []; y = @opt.value(); "
            "false; y; _?._(y, \"z\")), optional.none()))");
  // Chains stay linear in size (the target is bound, not copied).
  std::string chain = "o";
  for (int i = 0; i < 40; ++i) chain += ".optMap(y, y)";
  ParseResult r = ParseWithDiagnostics(chain);
  ASSERT_TRUE(r.ok());
  EXPECT_LT(r.parsed.next_id, 40 * 20);
  ParserOptions options;
  options.enable_optional_syntax = false;
  EXPECT_EQ(ParseToSexp("o.optMap(y, y)", options), "o.optMap(y, y)");
}

TEST(MacrosTest, MacroCallsAreRecorded) {
  ParseResult r = ParseWithDiagnostics("l.exists(x, f(x))");
  ASSERT_TRUE(r.ok());
  const auto& calls = r.parsed.source_info.macro_calls;
  ASSERT_EQ(calls.size(), 1u);
  auto it = calls.find(r.parsed.expr.id);
  ASSERT_NE(it, calls.end());
  const CallExpr* call = it->second.as_call();
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->function, "exists");
  ASSERT_NE(call->target, nullptr);
  EXPECT_EQ(call->target->as_ident()->name, "l");
  ASSERT_EQ(call->args.size(), 2u);
  EXPECT_EQ(call->args[0]->as_ident()->name, "x");
  // The predicate is a placeholder carrying the id of the moved subtree.
  EXPECT_EQ(call->args[1]->kind(), ExprKind::kUnspecified);
  const Expr& step = *r.parsed.expr.as_comprehension()->loop_step;
  EXPECT_EQ(call->args[1]->id, step.as_call()->args[1]->id);

  ParserOptions options;
  options.populate_macro_calls = false;
  r = ParseWithDiagnostics("l.exists(x, f(x))", options);
  EXPECT_TRUE(r.parsed.source_info.macro_calls.empty());
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
