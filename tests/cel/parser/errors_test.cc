// Tests of parse diagnostics (line, column, caret snippet, several errors,
// recovery limit), of the limits (nesting depth, expression size) and of bad
// input: invalid UTF-8 and random bytes must give errors, never crashes or
// hangs.
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cel/parser/parser.h"
#include "tests/cel/parser/parser_test_util.h"

namespace pitboss {
namespace cel {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(ParseErrorsTest, MessageLineColumnAndSnippet) {
  ParseResult r = ParseWithDiagnostics("1 + +");
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_EQ(r.errors[0].column, 5);
  EXPECT_EQ(r.errors[0].offset, 4);
  EXPECT_EQ(r.errors[0].snippet, " | 1 + +\n | ....^");
  EXPECT_EQ(r.FormatErrors(),
            "ERROR: <input>:1:5: Syntax error: unexpected '+'\n | 1 + +\n | ....^");
}

TEST(ParseErrorsTest, SecondLineAndCodePointColumns) {
  ParseResult r = ParseWithDiagnostics("1 + 2\n3 +");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_EQ(r.errors[0].column, 1);
  EXPECT_EQ(r.errors[0].snippet, " | 3 +\n | ^");
  // An emoji is one column.
  r = ParseWithDiagnostics("'\xF0\x9F\x98\x81' + $");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].column, 7);
  EXPECT_THAT(r.errors[0].message, HasSubstr("unexpected character '$'"));
  // CRLF line ends are not part of the snippet.
  r = ParseWithDiagnostics("a +\r\n)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_EQ(r.errors[0].snippet, " | )\n | ^");
}

TEST(ParseErrorsTest, ReportsSeveralErrors) {
  ParseResult r = ParseWithDiagnostics("[1 2] + f(3 4) + {5: 6 7}");
  ASSERT_GE(r.errors.size(), 3u) << r.FormatErrors();
  EXPECT_EQ(r.errors[0].column, 4);
  EXPECT_EQ(r.errors[1].column, 13);
  EXPECT_EQ(r.errors[2].column, 24);
  // Ordered by position, one per position.
  for (size_t i = 1; i < r.errors.size(); ++i) {
    EXPECT_LT(r.errors[i - 1].offset, r.errors[i].offset);
  }
}

TEST(ParseErrorsTest, ErrorsAreDeterministic) {
  const std::string bad = "a.b(c,, d) + [?] {x: } $ 'unterminated";
  EXPECT_EQ(ParseWithDiagnostics(bad).FormatErrors(), ParseWithDiagnostics(bad).FormatErrors());
}

TEST(ParseErrorsTest, RecoveryLimitStopsParsing) {
  ParserOptions options;
  options.max_error_recoveries = 5;
  ParseResult r = ParseWithDiagnostics(std::string(200, '$'), options);
  ASSERT_FALSE(r.ok());
  EXPECT_LE(r.errors.size(), 6u);
  EXPECT_THAT(r.FormatErrors(), HasSubstr("error recovery limit exceeded: 5"));
  r = ParseWithDiagnostics("1 + ) + ) + ) + ) + ) + ) + ) + ) + )", options);
  EXPECT_LE(r.errors.size(), 6u);
}

TEST(ParseErrorsTest, FormatSourceErrorForLaterPhases) {
  ParseResult r = ParseWithDiagnostics("a.b > 'x'\n&& c");
  ASSERT_TRUE(r.ok());
  const CallExpr* and_call = r.parsed.expr.as_call();
  ASSERT_NE(and_call, nullptr);
  const Expr& c = *and_call->args[1];
  EXPECT_EQ(FormatSourceError(r.parsed.source_info, r.parsed.source_info.OffsetOf(c.id),
                              "undeclared reference to 'c'"),
            "ERROR: <input>:2:4: undeclared reference to 'c'\n | && c\n | ...^");
  EXPECT_EQ(FormatSourceError(r.parsed.source_info, -1, "no position"),
            "ERROR: <input>: no position");
}

// ---- limits ----

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s.data(), s.size());
  return out;
}

TEST(ParseLimitsTest, DefaultsCoverTheConformanceParseTests) {
  const char* ok[] = {
      "a[a[a[a[a[a[a[a[a[a[a[a[0]]]]]]]]]]]]",
      "int(uint(int(uint(int(uint(int(uint(int(uint(int(uint(7))))))))))))",
      "size([[[[[[[[[[[[0]]]]]]]]]]]])",
      "size({0: {0: {0: {0: {0: {0: {0: {0: {0: {0: {0: {0: 'foo'}}}}}}}}}}}})",
      "NestedTestAllTypes{}.child.child.child.child.child.child.child.child.child.child."
      "payload.single_int32",
      "[[[[[[[[[[[['foo']]]]]]]]]]]][0][0][0][0][0][0][0][0][0][0][0][0]",
  };
  for (const char* src : ok) EXPECT_TRUE(ParseWithDiagnostics(src).ok()) << src;
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("(", 32) + "7" + Repeat(")", 32)).ok());
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("true ? true : ", 24) + "false").ok());
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("false || ", 32) + "true").ok());
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("3 - 3 + ", 32) + "3").ok());
  EXPECT_TRUE(ParseWithDiagnostics("a" + Repeat(".b", 32)).ok());
  EXPECT_TRUE(ParseWithDiagnostics("a" + Repeat("[0]", 32)).ok());
  EXPECT_TRUE(ParseWithDiagnostics("f(" + Repeat("1, ", 31) + "1)").ok());
  // Generous beyond the required 32: 250 nested parentheses and calls.
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("(", 250) + "7" + Repeat(")", 250)).ok());
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("f(", 100) + "7" + Repeat(")", 100)).ok());
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("[", 200) + Repeat("]", 200)).ok());
}

TEST(ParseLimitsTest, NestingBeyondTheLimitIsAnError) {
  ParseResult r = ParseWithDiagnostics(Repeat("(", 300) + "7" + Repeat(")", 300));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.errors[0].message, HasSubstr("maximum depth of 256"));
  EXPECT_FALSE(ParseWithDiagnostics("a" + Repeat(".b", 300)).ok());
  EXPECT_FALSE(ParseWithDiagnostics("a" + Repeat("[0]", 300)).ok());
  EXPECT_FALSE(ParseWithDiagnostics(Repeat("1 + ", 300) + "1").ok());

  ParserOptions options;
  options.max_recursion_depth = 32;
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("[", 31) + Repeat("]", 31), options).ok());
  r = ParseWithDiagnostics(Repeat("[", 33) + "'not fine'" + Repeat("]", 33), options);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.FormatErrors(), HasSubstr("maximum depth of 32"));
  EXPECT_FALSE(ParseWithDiagnostics("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B."
                                    "C.D.E.F.G.H",
                                    options)
                   .ok());
  // Logical chains are balanced, so long ones do not count as deep.
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("a || ", 1000) + "a", options).ok());
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("a && ", 1000) + "a", options).ok());
}

TEST(ParseLimitsTest, ExpressionSizeCountsCodePoints) {
  ParserOptions options;
  options.max_expression_size = 7;
  // 7 code points in 14 bytes.
  EXPECT_TRUE(ParseWithDiagnostics("'\xF0\x9F\x98\x81\xF0\x9F\x98\x81'+1", options).ok());
  ParseResult r = ParseWithDiagnostics("12345678", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].message, "expression code point size exceeds limit: size: 8, limit 7");
  EXPECT_EQ(r.errors[0].offset, -1);
  EXPECT_EQ(r.FormatErrors(),
            "ERROR: <input>: expression code point size exceeds limit: size: 8, limit 7");
  EXPECT_TRUE(ParseWithDiagnostics(std::string(90000, ' ') + "1").ok());
  EXPECT_FALSE(ParseWithDiagnostics(std::string(100001, ' ')).ok());
}

// ---- bad input ----

TEST(BadInputTest, InvalidUtf8IsAnErrorWithPosition) {
  ParseResult r = ParseWithDiagnostics("\xFF");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].message, "invalid UTF-8 in expression");
  EXPECT_EQ(r.errors[0].column, 1);
  r = ParseWithDiagnostics("'ab\xC3'");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].column, 4);
  EXPECT_EQ(r.errors[0].snippet, " | 'ab\xEF\xBF\xBD'\n | ...^");
  // Overlong encodings and encoded surrogates are invalid too.
  EXPECT_FALSE(ParseWithDiagnostics("'\xC0\xAF'").ok());
  EXPECT_FALSE(ParseWithDiagnostics("'\xED\xA0\x80'").ok());
  EXPECT_FALSE(ParseWithDiagnostics("'\xF4\x90\x80\x80'").ok());
}

TEST(BadInputTest, EmptyAndOddInputs) {
  for (const char* src : {"", " ", "//", "(", ")", "[", "]", "{", "}", "?", ":", ".", ",",
                          "--", "!", "a.", "a[", "f(", "M{", "M{a", "M{a:", "{1", "{1:",
                          "a ?", "a ? b", "a ? b :", "`", "'", "'''", "b'", "r'", "x{?.",
                          "a ? b ((?))", "func{{a}}", "ind[a{b}]"}) {
    ParseResult r = ParseWithDiagnostics(std::string(src));
    EXPECT_FALSE(r.ok()) << "'" << src << "' should not parse";
    for (const ParseIssue& e : r.errors) {
      EXPECT_FALSE(e.message.empty());
      if (e.offset >= 0) {
        EXPECT_GE(e.line, 1);
        EXPECT_GE(e.column, 1);
      }
    }
  }
  std::string with_nul("1 + \0", 5);
  EXPECT_FALSE(ParseWithDiagnostics(with_nul).ok());
}

void CheckWellFormed(const std::string& src, const ParseResult& r) {
  if (r.ok()) return;
  for (const ParseIssue& e : r.errors) {
    ASSERT_FALSE(e.message.empty()) << src;
    if (e.offset >= 0) {
      ASSERT_GE(e.line, 1) << src;
      ASSERT_GE(e.column, 1) << src;
    }
  }
}

TEST(BadInputTest, RandomBytesNeverCrash) {
  std::mt19937 rng(20261125);
  const std::string alphabet =
      "abxyz_019.,:?()[]{}+-*/%!=<>&|'\"`\\ \n\trRbBu\x80\xC3\xA9\xF0\x9F\x98\x81\xFF\x00";
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    const size_t len = rng() % 48;
    std::string src;
    for (size_t k = 0; k < len; ++k) {
      if (rng() % 4 == 0) {
        src.push_back(static_cast<char>(rng() % 256));
      } else {
        src.push_back(alphabet[rng() % alphabet.size()]);
      }
    }
    ParseResult r = ParseWithDiagnostics(src);
    CheckWellFormed(src, r);
    if (r.ok()) ++parsed;
  }
  EXPECT_GT(parsed, 0);
}

TEST(BadInputTest, RandomTokenSoupNeverCrashes) {
  std::mt19937 rng(7);
  const std::vector<std::string> tokens = {
      "a", "b", "1", "2u", "1.5", "'s'", "b'x'", "r'\\d'", "'''t'''", "true", "null", "in",
      ".", ",", ":", "?", "(", ")", "[", "]", "{", "}", "+", "-", "*", "/", "%", "!",
      "==", "!=", "<", "<=", ">", ">=", "&&", "||", "has", "all", "exists", "map", "filter",
      "exists_one", "cel", "bind", "optMap", "`q-f`", "M", "__result__", "as", "\n"};
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string src;
    const size_t len = rng() % 40;
    for (size_t k = 0; k < len; ++k) {
      src += tokens[rng() % tokens.size()];
      if (rng() % 2) src += " ";
    }
    ParseResult r = ParseWithDiagnostics(src);
    CheckWellFormed(src, r);
    if (r.ok()) ++parsed;
  }
  EXPECT_GT(parsed, 0);
}

TEST(BadInputTest, HugeRepetitionsFinishQuickly) {
  // Each is at the size limit; none may recurse without bound or go quadratic.
  for (const char* unit : {"(", "[", "{", "!", "-", "a.", "f(", "$", "'", "`", "1+", "[?",
                           "?", "a||", "x.all(y,", "\\"}) {
    std::string src = Repeat(unit, static_cast<int>(99000 / std::string(unit).size()));
    ParseResult r = ParseWithDiagnostics(src);
    CheckWellFormed(src, r);
  }
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("!", 99990) + "true").ok());
  EXPECT_TRUE(ParseWithDiagnostics(Repeat("a || ", 19000) + "a").ok());
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
