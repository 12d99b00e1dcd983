// Tests of the unparser: expected texts, and the round-trip property
// parse(unparse(parse(s))) == parse(s) (up to ids) on hand-picked and random
// expressions.
#include "src/cel/parser/unparser.h"

#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cel/parser/parser.h"
#include "tests/cel/parser/parser_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::cel::testing::Sexp;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

std::string RoundTrip(absl::string_view source) {
  ParseResult r = ParseWithDiagnostics(source);
  EXPECT_TRUE(r.ok()) << source << "\n" << r.FormatErrors();
  absl::StatusOr<std::string> text = Unparse(r.parsed.expr, &r.parsed.source_info);
  EXPECT_TRUE(text.ok()) << source << ": " << text.status();
  return text.ok() ? *text : "";
}

TEST(UnparserTest, PrintsMinimalParentheses) {
  EXPECT_EQ(RoundTrip("a+b*c"), "a + b * c");
  EXPECT_EQ(RoundTrip("(a+b)*c"), "(a + b) * c");
  EXPECT_EQ(RoundTrip("a-(b-c)"), "a - (b - c)");
  EXPECT_EQ(RoundTrip("a-b-c"), "a - b - c");
  EXPECT_EQ(RoundTrip("(a ? b : c) ? d : e"), "(a ? b : c) ? d : e");
  EXPECT_EQ(RoundTrip("a ? b : c ? d : e"), "a ? b : c ? d : e");
  EXPECT_EQ(RoundTrip("!(!a)"), "!(!a)");
  EXPECT_EQ(RoundTrip("-(1)"), "-(1)");
  EXPECT_EQ(RoundTrip("-(-1)"), "-(-1)");
  EXPECT_EQ(RoundTrip("!(-1)"), "!(-1)");
  EXPECT_EQ(RoundTrip("-a.b"), "-a.b");
  EXPECT_EQ(RoundTrip("---2.5.f()"), "-(2.5.f())");
  EXPECT_EQ(RoundTrip("-2.5.f()"), "-2.5.f()");
  EXPECT_EQ(RoundTrip("(-a).b"), "(-a).b");
  EXPECT_EQ(RoundTrip("(a + b).c[0]"), "(a + b).c[0]");
  EXPECT_EQ(RoundTrip("x in [1, 2u, 3.0] && y"), "x in [1, 2u, 3.0] && y");
}

TEST(UnparserTest, PrintsLiteralsAndNames) {
  EXPECT_EQ(RoundTrip("'a\\n\"b\\''"), "\"a\\n\\\"b'\"");
  EXPECT_EQ(RoundTrip("b'\\xff\\x00'"), "b\"\\xff\\x00\"");
  EXPECT_EQ(RoundTrip("1e100"), "1e+100");
  EXPECT_EQ(RoundTrip("-0.0"), "-0.0");
  EXPECT_EQ(RoundTrip("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(RoundTrip("18446744073709551615u"), "18446744073709551615u");
  EXPECT_EQ(RoundTrip("null == true"), "null == true");
  EXPECT_EQ(RoundTrip(".a.b.M{f: 1, ?`g-h`: 2}.f"), ".a.b.M{f: 1, ?`g-h`: 2}.f");
  EXPECT_EQ(RoundTrip("a.`in`.?b[?c]"), "a.`in`.?b[?c]");
  EXPECT_EQ(RoundTrip("{1: [?x], 'k': {}}"), "{1: [?x], \"k\": {}}");
}

TEST(UnparserTest, PrintsMacrosAsWritten) {
  EXPECT_EQ(RoundTrip("has(a.b)"), "has(a.b)");
  EXPECT_EQ(RoundTrip("[1,2].exists(x, x > 1)"), "[1, 2].exists(x, x > 1)");
  EXPECT_EQ(RoundTrip("l.map(x, x < 2, x.all(y, y))"), "l.map(x, x < 2, x.all(y, y))");
  EXPECT_EQ(RoundTrip("cel.bind(v, 1, v + 1)"), "cel.bind(v, 1, v + 1)");
  EXPECT_EQ(RoundTrip("m.transformMap(k, v, v)"), "m.transformMap(k, v, v)");
  EXPECT_EQ(RoundTrip("o.optMap(y, y + 1).value()"), "o.optMap(y, y + 1).value()");
}

TEST(UnparserTest, RejectsTreesWithoutSource) {
  ParseResult r = ParseWithDiagnostics("l.all(x, x)");
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Unparse(r.parsed.expr), StatusIs(absl::StatusCode::kInvalidArgument,
                                               HasSubstr("without its macro call")));
  EXPECT_THAT(Unparse(Expr()), StatusIs(absl::StatusCode::kInvalidArgument));
}

void ExpectRoundTrip(const std::string& source) {
  ParseResult first = ParseWithDiagnostics(source);
  if (!first.ok()) return;
  absl::StatusOr<std::string> text = Unparse(first.parsed.expr, &first.parsed.source_info);
  ASSERT_TRUE(text.ok()) << source << ": " << text.status();
  ParseResult second = ParseWithDiagnostics(*text);
  ASSERT_TRUE(second.ok()) << source << " -> " << *text << "\n" << second.FormatErrors();
  EXPECT_EQ(Sexp(first.parsed.expr), Sexp(second.parsed.expr))
      << source << " -> " << *text;
}

// Found by the fuzzer (tests/fuzz/corpus/cel/crash-roundtrip-*).
TEST(UnparserTest, FuzzerFindingsRoundTrip) {
  ExpectRoundTrip("type(1) == .int && type(type) == type && type(null) && type(type) == type && type(null)");
  ExpectRoundTrip("a == .int");
  ExpectRoundTrip("a && b && c && d && e");
}

TEST(UnparserTest, RandomExpressionsRoundTrip) {
  std::mt19937 rng(11);
  const std::vector<std::string> tokens = {
      "a", "b", "1", "2u", "1.5", "-", "!", "'s'", "b'x'", "true", "null", "in", ".", ",",
      ":", "?", "(", ")", "[", "]", "{", "}", "+", "*", "/", "%", "==", "<", "&&", "||",
      "has", "all", "exists", "map", "filter", "cel", "bind", "`q-f`", "M", ".?", "[?"};
  int round_tripped = 0;
  for (int i = 0; i < 30000; ++i) {
    std::string src;
    const size_t len = 1 + rng() % 14;
    for (size_t k = 0; k < len; ++k) src += tokens[rng() % tokens.size()] + " ";
    if (ParseWithDiagnostics(src).ok()) ++round_tripped;
    ExpectRoundTrip(src);
  }
  EXPECT_GT(round_tripped, 100);
}

// A random expression from the grammar (always valid CEL).
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string Expr(int depth) {
    if (depth <= 0) return Leaf();
    switch (rng_() % 14) {
      case 0:
        return "(" + Expr(depth - 1) + ") ? (" + Expr(depth - 1) + ") : " + Expr(depth - 1);
      case 1:
      case 2: {
        static const char* kOps[] = {"||", "&&", "==", "!=", "<", "<=", ">", ">=", "in",
                                     "+",  "-",  "*",  "/",  "%"};
        return Expr(depth - 1) + " " + kOps[rng_() % 14] + " " + Expr(depth - 1);
      }
      case 3:
        return std::string(1 + rng_() % 3, rng_() % 2 ? '!' : '-') + Member(depth - 1);
      case 4:
        return "(" + Expr(depth - 1) + ")";
      default:
        return Member(depth);
    }
  }

 private:
  std::string Member(int depth) {
    if (depth <= 0) return Leaf();
    switch (rng_() % 10) {
      case 0:
        return Member(depth - 1) + "." + Name();
      case 1:
        return Member(depth - 1) + ".?" + Name();
      case 2:
        return Member(depth - 1) + "[" + Expr(depth - 1) + "]";
      case 3:
        return Member(depth - 1) + "." + Function(true) + "(" + Args(depth - 1) + ")";
      case 4:
        return Function(false) + "(" + Args(depth - 1) + ")";
      case 5:
        return "[" + Args(depth - 1) + "]";
      case 6:
        return "{" + Expr(depth - 1) + ": " + Expr(depth - 1) + "}";
      case 7:
        return "pkg.Msg{" + Name() + ": " + Expr(depth - 1) + "}";
      case 8: {
        static const char* kMacros[] = {"all", "exists", "exists_one", "map", "filter"};
        return Member(depth - 1) + "." + kMacros[rng_() % 5] + "(v, " + Expr(depth - 1) + ")";
      }
      default:
        return "has(" + Member(depth - 1) + "." + Name() + ")";
    }
  }
  std::string Args(int depth) {
    std::string out;
    const int n = static_cast<int>(rng_() % 3);
    for (int i = 0; i < n; ++i) out += (i ? ", " : "") + Expr(depth);
    return out;
  }
  std::string Function(bool receiver) {
    static const char* kNames[] = {"f", "size", "as", "while"};
    return kNames[rng_() % (receiver ? 4 : 2)];
  }
  std::string Name() {
    static const char* kNames[] = {"a", "b", "as", "`x-y`", "size"};
    return kNames[rng_() % 5];
  }
  std::string Leaf() {
    static const char* kLeaves[] = {"x", "y", ".z", "0", "-7", "9u", "2.5", "-0.5", "1e9",
                                    "'s\\n'", "b'\\377'", "r'\\d'", "true", "null",
                                    "[]", "{}", "'''q\n'''"};
    return kLeaves[rng_() % 17];
  }

  std::mt19937 rng_;
};

TEST(UnparserTest, GeneratedExpressionsParseAndRoundTrip) {
  Generator gen(5);
  for (int i = 0; i < 3000; ++i) {
    const std::string src = gen.Expr(5);
    ParseResult r = ParseWithDiagnostics(src);
    ASSERT_TRUE(r.ok()) << src << "\n" << r.FormatErrors();
    ExpectRoundTrip(src);
  }
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
