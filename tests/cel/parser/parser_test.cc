// Tests of the CEL parser: grammar and precedence, literals and escapes,
// identifiers, construction syntax, optional syntax, ids and positions.
#include "src/cel/parser/parser.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cel/parser/parser_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::cel::testing::ParseToSexp;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The constant of a literal-only expression (fails the test otherwise).
Constant ParseConstant(absl::string_view source) {
  ParseResult r = ParseWithDiagnostics(source);
  EXPECT_TRUE(r.ok()) << source << "\n" << r.FormatErrors();
  const Constant* c = r.parsed.expr.as_constant();
  EXPECT_NE(c, nullptr) << source;
  return c == nullptr ? Constant() : *c;
}

std::string FirstError(absl::string_view source,
                       const ParserOptions& options = ParserOptions()) {
  ParseResult r = ParseWithDiagnostics(source, options);
  if (r.ok()) return "<parsed>";
  return r.errors[0].message;
}

TEST(ParserTest, Precedence) {
  EXPECT_EQ(ParseToSexp("a + b * c"), "_+_(a, _*_(b, c))");
  EXPECT_EQ(ParseToSexp("a * b + c"), "_+_(_*_(a, b), c)");
  EXPECT_EQ(ParseToSexp("a - b - c"), "_-_(_-_(a, b), c)");
  EXPECT_EQ(ParseToSexp("a / b % c"), "_%_(_/_(a, b), c)");
  EXPECT_EQ(ParseToSexp("a || b && c"), "_||_(a, _&&_(b, c))");
  EXPECT_EQ(ParseToSexp("a && b || c"), "_||_(_&&_(a, b), c)");
  EXPECT_EQ(ParseToSexp("a < b == c"), "_==_(_<_(a, b), c)");
  EXPECT_EQ(ParseToSexp("a + 1 < b * 2"), "_<_(_+_(a, 1), _*_(b, 2))");
  EXPECT_EQ(ParseToSexp("a in b && c != d"), "_&&_(@in(a, b), _!=_(c, d))");
  EXPECT_EQ(ParseToSexp("x <= 1 || x >= 2 || x > 3"),
            "_||_(_||_(_<=_(x, 1), _>=_(x, 2)), _>_(x, 3))");
  EXPECT_EQ(ParseToSexp("!a == b"), "_==_(!_(a), b)");
  EXPECT_EQ(ParseToSexp("-a.b"), "-_(a.b)");
  EXPECT_EQ(ParseToSexp("(a + b) * c"), "_*_(_+_(a, b), c)");
  EXPECT_EQ(ParseToSexp("a ? b : c ? d : e"), "_?_:_(a, b, _?_:_(c, d, e))");
  EXPECT_EQ(ParseToSexp("a || b ? c + 1 : d"), "_?_:_(_||_(a, b), _+_(c, 1), d)");
  EXPECT_EQ(ParseToSexp("a.b[c].d(e)[0]"), "_[_](_[_](a.b, c).d(e), 0)");
}

TEST(ParserTest, LogicalChainsAreBalanced) {
  EXPECT_EQ(ParseToSexp("a || b || c || d"), "_||_(_||_(a, b), _||_(c, d))");
  EXPECT_EQ(ParseToSexp("a && b && c"), "_&&_(_&&_(a, b), c)");
  EXPECT_EQ(ParseToSexp("a || b || c || d || e || f"),
            "_||_(_||_(_||_(a, b), c), _||_(_||_(d, e), f))");
}

TEST(ParserTest, UnaryRunsAndNegativeLiterals) {
  EXPECT_EQ(ParseToSexp("!a"), "!_(a)");
  EXPECT_EQ(ParseToSexp("!!a"), "a");
  EXPECT_EQ(ParseToSexp("!!!a"), "!_(a)");
  EXPECT_EQ(ParseToSexp("-x"), "-_(x)");
  EXPECT_EQ(ParseToSexp("--x"), "x");
  EXPECT_EQ(ParseToSexp("-1"), "-1");
  EXPECT_EQ(ParseToSexp("- 1"), "-1");
  EXPECT_EQ(ParseToSexp("--1"), "1");
  EXPECT_EQ(ParseToSexp("---1"), "-_(1)");
  EXPECT_EQ(ParseToSexp("4--4"), "_-_(4, -4)");
  EXPECT_EQ(ParseToSexp("4-4"), "_-_(4, 4)");
  EXPECT_EQ(ParseToSexp("-1.5"), "-1.5");
  EXPECT_EQ(ParseToSexp("-1u"), "-_(1u)");
  EXPECT_EQ(ParseToSexp("-(1)"), "-_(1)");
  EXPECT_EQ(ParseToSexp("!-1"), "!_(-1)");
  EXPECT_EQ(ParseToSexp("-1.abs()"), "-1.abs()");
  EXPECT_EQ(ParseToSexp(std::string(32, '-') + "19"), "19");
  EXPECT_EQ(ParseToSexp(std::string(32, '!') + "true"), "true");
}

TEST(ParserTest, IntegerLiterals) {
  EXPECT_EQ(ParseConstant("0"), Constant::Int64(0));
  EXPECT_EQ(ParseConstant("42"), Constant::Int64(42));
  EXPECT_EQ(ParseConstant("007"), Constant::Int64(7));
  EXPECT_EQ(ParseConstant("0xF"), Constant::Int64(15));
  EXPECT_EQ(ParseConstant("0xff"), Constant::Int64(255));
  EXPECT_EQ(ParseConstant("9223372036854775807"), Constant::Int64(INT64_MAX));
  EXPECT_EQ(ParseConstant("-9223372036854775808"), Constant::Int64(INT64_MIN));
  EXPECT_EQ(ParseConstant("0x7fffffffffffffff"), Constant::Int64(INT64_MAX));
  EXPECT_EQ(ParseConstant("-0x8000000000000000"), Constant::Int64(INT64_MIN));
  EXPECT_EQ(ParseConstant("0u"), Constant::Uint64(0));
  EXPECT_EQ(ParseConstant("23U"), Constant::Uint64(23));
  EXPECT_EQ(ParseConstant("0xFu"), Constant::Uint64(15));
  EXPECT_EQ(ParseConstant("18446744073709551615u"), Constant::Uint64(UINT64_MAX));
  EXPECT_EQ(ParseConstant("0xFFFFFFFFFFFFFFFFu"), Constant::Uint64(UINT64_MAX));

  EXPECT_EQ(FirstError("9223372036854775808"), "invalid int literal");
  EXPECT_EQ(FirstError("-9223372036854775809"), "invalid int literal");
  EXPECT_EQ(FirstError("0xFFFFFFFFFFFFFFFFF"), "invalid int literal");
  EXPECT_EQ(FirstError("18446744073709551616u"), "invalid uint literal");
  EXPECT_EQ(FirstError("0xFFFFFFFFFFFFFFFFFu"), "invalid uint literal");
  // Only a lowercase 0x starts a hex literal; 0X1 is `0` followed by `X1`.
  EXPECT_THAT(FirstError("0X1"), HasSubstr("Syntax error"));
  // Subtraction of the minimum is an evaluation matter, not a parse error.
  EXPECT_EQ(ParseToSexp("-9223372036854775808 - 1"), "_-_(-9223372036854775808, 1)");
}

TEST(ParserTest, DoubleLiterals) {
  EXPECT_EQ(ParseConstant("0.0"), Constant::Double(0.0));
  EXPECT_EQ(ParseConstant("1.5"), Constant::Double(1.5));
  EXPECT_EQ(ParseConstant(".5"), Constant::Double(0.5));
  EXPECT_EQ(ParseConstant("1e3"), Constant::Double(1000.0));
  EXPECT_EQ(ParseConstant("1E+2"), Constant::Double(100.0));
  EXPECT_EQ(ParseConstant("2.5e-3"), Constant::Double(0.0025));
  EXPECT_EQ(ParseConstant("0e+0"), Constant::Double(0.0));
  EXPECT_EQ(ParseConstant("-0.0"), Constant::Double(-0.0));
  EXPECT_EQ(ParseConstant(".99"), Constant::Double(0.99));
  EXPECT_EQ(ParseConstant("1e-400"), Constant::Double(0.0));  // underflow rounds
  EXPECT_EQ(FirstError("1.99e90000009"), "invalid double literal");
  EXPECT_EQ(FirstError("1e309"), "invalid double literal");
  // `1.` is the int 1 followed by a dot (as in cel-go's grammar).
  EXPECT_THAT(FirstError("1."), HasSubstr("expected identifier"));
  EXPECT_EQ(ParseToSexp("1.e5"), "1.e5");  // a field selection on 1
}

TEST(ParserTest, StringLiteralForms) {
  EXPECT_EQ(ParseConstant("'hello'"), Constant::String("hello"));
  EXPECT_EQ(ParseConstant("\"hello\""), Constant::String("hello"));
  EXPECT_EQ(ParseConstant("'''hello'''"), Constant::String("hello"));
  EXPECT_EQ(ParseConstant("\"\"\"hello\"\"\""), Constant::String("hello"));
  EXPECT_EQ(ParseConstant("''"), Constant::String(""));
  EXPECT_EQ(ParseConstant("r\"\"\"\"\"\""), Constant::String(""));
  EXPECT_EQ(ParseConstant("'\"\"'"), Constant::String("\"\""));
  EXPECT_EQ(ParseConstant("'''x''x'''"), Constant::String("x''x"));
  EXPECT_EQ(ParseConstant("'''a\nb'''"), Constant::String("a\nb"));
  EXPECT_EQ(ParseConstant("\"\"\" \r\n \"\"\""), Constant::String(" \r\n "));
  EXPECT_EQ(ParseConstant("''' ? \" ' ` '''"), Constant::String(" ? \" ' ` "));
  EXPECT_EQ(ParseConstant("' \t\a\v '"), Constant::String(" \t\a\v "));
  EXPECT_EQ(ParseConstant("'\xF0\x9F\x98\x81'"), Constant::String("\xF0\x9F\x98\x81"));
  // Raw strings keep escapes verbatim, in every quote style and with R.
  EXPECT_EQ(ParseConstant("r'\\n\\x00'"), Constant::String("\\n\\x00"));
  EXPECT_EQ(ParseConstant("R\"\\\\\""), Constant::String("\\\\"));
  EXPECT_EQ(ParseConstant("r'''\\'''"), Constant::String("\\"));
  // In raw strings a backslash does not protect the quote.
  EXPECT_THAT(FirstError("r\"\\\"\""), HasSubstr("unterminated string"));
}

TEST(ParserTest, StringEscapes) {
  EXPECT_EQ(ParseConstant(R"(' \a \b \f \n \r \t \v ')"),
            Constant::String(" \a \b \f \n \r \t \v "));
  EXPECT_EQ(ParseConstant(R"(' \\ \? \" \' \` ')"), Constant::String(" \\ ? \" ' ` "));
  EXPECT_EQ(ParseConstant(R"('\000\012\177\377')"),
            Constant::String(std::string("\0\n\x7f\xC3\xBF", 5)));
  EXPECT_EQ(ParseConstant(R"('\x00\x0A\X7f\xFF')"),
            Constant::String(std::string("\0\n\x7f\xC3\xBF", 5)));
  EXPECT_EQ(ParseConstant(R"('\u0000\u00e9\uFFFB')"),
            Constant::String(std::string("\0\xC3\xA9\xEF\xBF\xBB", 6)));
  EXPECT_EQ(ParseConstant(R"('\U0001F62C\U00088888\U0010FFFF')"),
            Constant::String("\xF0\x9F\x98\xAC\xF2\x88\xA2\x88\xF4\x8F\xBF\xBF"));
  EXPECT_EQ(ParseConstant(R"('''\'''')"), Constant::String("'"));
  EXPECT_EQ(ParseConstant(R"("\303\277")"), Constant::String("\xC3\x83\xC2\xBF"));

  EXPECT_EQ(FirstError(R"('\z')"), "invalid escape sequence");
  EXPECT_EQ(FirstError(R"('\>')"), "invalid escape sequence");
  EXPECT_THAT(FirstError(R"("\xFh")"), HasSubstr("two hex digits"));
  EXPECT_THAT(FirstError(R"('\u00')"), HasSubstr("four hex digits"));
  EXPECT_THAT(FirstError(R"('\U0000004')"), HasSubstr("eight hex digits"));
  EXPECT_THAT(FirstError(R"('\400')"), HasSubstr("invalid escape sequence"));
  EXPECT_THAT(FirstError(R"('\12')"), HasSubstr("octal"));
  EXPECT_EQ(FirstError(R"('\ud800')"), "invalid unicode code point");
  EXPECT_EQ(FirstError(R"('\udead' == '\ufffd')"), "invalid unicode code point");
  EXPECT_EQ(FirstError(R"('\U0000DFFF')"), "invalid unicode code point");
  EXPECT_EQ(FirstError(R"('\U00110000')"), "invalid unicode code point");
  // The error points at the escape: column 4 in `'ab\q'`.
  ParseResult r = ParseWithDiagnostics(R"('ab\q')");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].column, 4);
}

TEST(ParserTest, BytesLiterals) {
  EXPECT_EQ(ParseConstant("b'hello'"), Constant::Bytes("hello"));
  EXPECT_EQ(ParseConstant("B\"\"\"hi\"\"\""), Constant::Bytes("hi"));
  EXPECT_EQ(ParseConstant("b'\xC3\xBF'"), Constant::Bytes("\xC3\xBF"));  // UTF-8 of ÿ
  EXPECT_EQ(ParseConstant(R"(b'\303\277')"), Constant::Bytes("\xC3\xBF"));
  EXPECT_EQ(ParseConstant(R"(b'\377\xff\XFF')"), Constant::Bytes("\xFF\xFF\xFF"));
  EXPECT_EQ(ParseConstant(R"(b'\000')"), Constant::Bytes(std::string(1, '\0')));
  EXPECT_EQ(ParseConstant(R"(br'\x00')"), Constant::Bytes("\\x00"));
  EXPECT_EQ(ParseConstant(R"(bR'\u0000')"), Constant::Bytes("\\u0000"));
  EXPECT_EQ(ParseConstant(R"(Br"\n")"), Constant::Bytes("\\n"));
  EXPECT_THAT(FirstError(R"(b'\u0041')"), HasSubstr("not allowed in bytes"));
  EXPECT_THAT(FirstError(R"(b'\U00000041')"), HasSubstr("not allowed in bytes"));
  // rb is not a prefix: `rb` is an identifier followed by a string.
  EXPECT_THAT(FirstError("rb'x'"), HasSubstr("Syntax error"));
}

TEST(ParserTest, UnterminatedStrings) {
  EXPECT_THAT(FirstError("'abc"), HasSubstr("unterminated string"));
  EXPECT_THAT(FirstError("'a\nb'"), HasSubstr("unterminated string literal (newline)"));
  EXPECT_THAT(FirstError("'a\rb'"), HasSubstr("unterminated string literal (newline)"));
  EXPECT_THAT(FirstError("'''abc''"), HasSubstr("unterminated string"));
  EXPECT_THAT(FirstError("'abc\\'"), HasSubstr("unterminated string"));
}

TEST(ParserTest, OtherLiterals) {
  EXPECT_EQ(ParseConstant("true"), Constant::Bool(true));
  EXPECT_EQ(ParseConstant("false"), Constant::Bool(false));
  EXPECT_EQ(ParseConstant("null"), Constant::Null());
}

TEST(ParserTest, WhitespaceAndComments) {
  EXPECT_EQ(ParseToSexp(" \t\n\r\f1 +\n2 "), "_+_(1, 2)");
  EXPECT_EQ(ParseToSexp("1 // one\n + 2 // two"), "_+_(1, 2)");
  // A lone carriage return does not end a comment.
  EXPECT_EQ(ParseToSexp("1 // one\r + 2"), "1");
  // Vertical tab is not whitespace.
  EXPECT_THAT(FirstError("1 +\v2"), HasSubstr("unexpected character"));
}

TEST(ParserTest, IdentifiersAndReservedWords) {
  EXPECT_EQ(ParseToSexp("_a1.b_2"), "_a1.b_2");
  for (const char* word : {"as", "break", "const", "continue", "else", "for", "function",
                           "if", "import", "let", "loop", "package", "namespace", "return",
                           "var", "void", "while"}) {
    EXPECT_EQ(FirstError(word), absl::StrCat("reserved identifier: ", word));
    EXPECT_EQ(FirstError(absl::StrCat(word, "(1)")),
              absl::StrCat("reserved identifier: ", word));
    // Permitted as field names, receiver functions and message fields.
    EXPECT_EQ(ParseToSexp(absl::StrCat("a.", word)), absl::StrCat("a.", word));
    EXPECT_EQ(ParseToSexp(absl::StrCat("a.", word, "()")), absl::StrCat("a.", word, "()"));
    EXPECT_EQ(ParseToSexp(absl::StrCat("M{", word, ": 1}")),
              absl::StrCat("M{", word, ": 1}"));
  }
  // Language keywords are never identifiers.
  EXPECT_THAT(FirstError("in"), HasSubstr("Syntax error"));
  EXPECT_THAT(FirstError("self.true == 1"), HasSubstr("expected identifier"));
  EXPECT_THAT(FirstError("a.null"), HasSubstr("expected identifier"));
  EXPECT_EQ(FirstError("[1, 2, 3].map(var, var * var)"), "reserved identifier: var");
}

TEST(ParserTest, NamesCallsAndAbsoluteNames) {
  EXPECT_EQ(ParseToSexp("a.b.c"), "a.b.c");
  EXPECT_EQ(ParseToSexp(".a.b"), ".a.b");
  ParseResult r = ParseWithDiagnostics(".a.b");
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r.parsed.expr.as_select(), nullptr);
  EXPECT_EQ(r.parsed.expr.as_select()->operand->as_ident()->name, ".a");
  EXPECT_EQ(ParseToSexp("f()"), "f()");
  EXPECT_EQ(ParseToSexp("f(1, a, 'x')"), "f(1, a, \"x\")");
  EXPECT_EQ(ParseToSexp(".f(1)"), ".f(1)");
  EXPECT_EQ(ParseToSexp("a.f(1)"), "a.f(1)");
  EXPECT_EQ(ParseToSexp("a.b.f()"), "a.b.f()");
  EXPECT_EQ(ParseToSexp("f(g(h(1)))"), "f(g(h(1)))");
  EXPECT_THAT(FirstError("f(1,)"), HasSubstr("Syntax error"));
  EXPECT_THAT(FirstError("{\"a\": 1}.\"a\""), HasSubstr("expected identifier"));
}

TEST(ParserTest, ListsMapsAndMessages) {
  EXPECT_EQ(ParseToSexp("[]"), "[]");
  EXPECT_EQ(ParseToSexp("[1, 2,]"), "[1, 2]");
  EXPECT_EQ(ParseToSexp("[[1], [2, [3]]]"), "[[1], [2, [3]]]");
  EXPECT_EQ(ParseToSexp("{}"), "{}");
  EXPECT_EQ(ParseToSexp("{1: 'a', b: c,}"), "{1: \"a\", b: c}");
  EXPECT_EQ(ParseToSexp("M{}"), "M{}");
  EXPECT_EQ(ParseToSexp("a.b.M{x: 1, y: [2],}"), "a.b.M{x: 1, y: [2]}");
  EXPECT_EQ(ParseToSexp(".a.M{x: 1}.x"), ".a.M{x: 1}.x");
  EXPECT_EQ(ParseToSexp("M{x: N{y: 1}}"), "M{x: N{y: 1}}");
  EXPECT_THAT(FirstError("{a}"), HasSubstr("expected ':'"));
  EXPECT_THAT(FirstError("{:a}"), HasSubstr("Syntax error"));
  EXPECT_THAT(FirstError("msg{:a}"), HasSubstr("expected identifier"));
  EXPECT_THAT(FirstError("M{1: 2}"), HasSubstr("expected identifier"));
  EXPECT_THAT(FirstError("TestAllTypes(){}"), HasSubstr("expected end of input"));
  EXPECT_THAT(FirstError("TestAllTypes{}()"), HasSubstr("expected end of input"));
  EXPECT_THAT(FirstError("[1 2]"), HasSubstr("expected ',' or ']'"));
}

TEST(ParserTest, OptionalSyntax) {
  EXPECT_EQ(ParseToSexp("a.?b"), "_?._(a, \"b\")");
  EXPECT_EQ(ParseToSexp("a[?b]"), "_[?_](a, b)");
  EXPECT_EQ(ParseToSexp("a.?b.c[?0]"), "_[?_](_?._(a, \"b\").c, 0)");
  EXPECT_EQ(ParseToSexp("[?a, b, ?c]"), "[?a, b, ?c]");
  EXPECT_EQ(ParseToSexp("{?'k': v, 'j': w}"), "{?\"k\": v, \"j\": w}");
  EXPECT_EQ(ParseToSexp("M{?f: v}"), "M{?f: v}");

  ParserOptions off;
  off.enable_optional_syntax = false;
  EXPECT_EQ(FirstError("a.?b", off), "unsupported syntax '.?'");
  EXPECT_EQ(FirstError("a[?b]", off), "unsupported syntax '?'");
  EXPECT_EQ(FirstError("[?a]", off), "unsupported syntax '?'");
  EXPECT_EQ(FirstError("{?'k': v}", off), "unsupported syntax '?'");
  EXPECT_EQ(FirstError("M{?f: v}", off), "unsupported syntax '?'");
  // `a.?b()` is not a call.
  EXPECT_THAT(FirstError("a.?b()"), HasSubstr("expected end of input"));
}

TEST(ParserTest, QuotedIdentifiers) {
  EXPECT_EQ(ParseToSexp("a.`b-c`"), "a.b-c");
  EXPECT_EQ(ParseToSexp("a.`b.c/d e`"), "a.b.c/d e");
  EXPECT_EQ(ParseToSexp("a.`in`"), "a.in");
  EXPECT_EQ(ParseToSexp("M{`in`: true}"), "M{in: true}");
  EXPECT_EQ(ParseToSexp("has(a.`b-c`)"), "a.b-c~test-only~");
  EXPECT_THAT(FirstError("`b-c`"), HasSubstr("Syntax error"));
  EXPECT_THAT(FirstError("a.`b.c`()"), HasSubstr("expected end of input"));
  EXPECT_THAT(FirstError("a.`$b`"), HasSubstr("invalid quoted identifier"));
  EXPECT_THAT(FirstError("a.``"), HasSubstr("invalid quoted identifier"));
  ParserOptions off;
  off.enable_quoted_identifiers = false;
  EXPECT_EQ(FirstError("a.`b-c`", off), "unsupported syntax: '`'");
  ParseResult r = ParseWithDiagnostics("Message{`in`: true}", off);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].column, 9);
}

TEST(ParserTest, IdsAreUniqueDeterministicAndPositioned) {
  const char* source = "a.b + [1, {'k': M{f: x.exists(y, y > 2)}}][0] ? f(c) : d.g()";
  ParseResult r1 = ParseWithDiagnostics(source);
  ParseResult r2 = ParseWithDiagnostics(source);
  ASSERT_TRUE(r1.ok()) << r1.FormatErrors();
  EXPECT_TRUE(ExprEquals(r1.parsed.expr, r2.parsed.expr));
  // Walk the tree: every id (nodes and entries) is unique, below next_id and
  // has a position inside the source.
  absl::flat_hash_set<int64_t> seen;
  std::vector<const Expr*> stack = {&r1.parsed.expr};
  auto check_id = [&](int64_t id) {
    EXPECT_TRUE(seen.insert(id).second) << "duplicate id " << id;
    EXPECT_LT(id, r1.parsed.next_id);
    int32_t off = r1.parsed.source_info.OffsetOf(id);
    EXPECT_GE(off, 0) << id;
    EXPECT_LT(off, static_cast<int32_t>(std::string(source).size()));
  };
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    check_id(e->id);
    auto push = [&](const ExprPtr& p) {
      if (p) stack.push_back(p.get());
    };
    if (auto* s = e->as_select()) push(s->operand);
    if (auto* c = e->as_call()) {
      push(c->target);
      for (auto& a : c->args) push(a);
    }
    if (auto* l = e->as_list()) {
      for (auto& x : l->elements) push(x);
    }
    if (auto* m = e->as_map()) {
      for (auto& en : m->entries) {
        check_id(en.id);
        push(en.key);
        push(en.value);
      }
    }
    if (auto* st = e->as_struct()) {
      for (auto& en : st->entries) {
        check_id(en.id);
        push(en.value);
      }
    }
    if (auto* co = e->as_comprehension()) {
      push(co->iter_range);
      push(co->accu_init);
      push(co->loop_condition);
      push(co->loop_step);
      push(co->result);
    }
  }
  EXPECT_GT(seen.size(), 20u);
}

TEST(ParserTest, PositionsPointAtTokens) {
  ParseResult r = ParseWithDiagnostics("ab + c.d\n  * f(x)");
  ASSERT_TRUE(r.ok());
  const SourceInfo& info = r.parsed.source_info;
  const CallExpr* add = r.parsed.expr.as_call();
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(info.OffsetOf(r.parsed.expr.id), 3);           // '+'
  EXPECT_EQ(info.OffsetOf(add->args[0]->id), 0);           // ab
  const CallExpr* mul = add->args[1]->as_call();
  ASSERT_NE(mul, nullptr);
  EXPECT_EQ(info.OffsetOf(add->args[1]->id), 11);          // '*'
  EXPECT_EQ(info.OffsetOf(mul->args[0]->id), 6);           // '.' of c.d
  EXPECT_EQ(info.OffsetOf(mul->args[1]->id), 14);          // '(' of f(x)
  EXPECT_EQ(info.LineColumn(11), std::make_pair(2, 3));
  EXPECT_EQ(info.line_offsets, std::vector<int32_t>({9}));
  // Offsets count code points, not bytes.
  ParseResult u = ParseWithDiagnostics("'\xF0\x9F\x98\x81' + x");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.parsed.source_info.OffsetOf(u.parsed.expr.as_call()->args[1]->id), 6);
}

TEST(ParserTest, ParseReturnsStatus) {
  EXPECT_THAT(Parse("a + b"), IsOk());
  EXPECT_THAT(Parse("a + "), StatusIs(absl::StatusCode::kInvalidArgument,
                                      HasSubstr("ERROR: <input>:1:5:")));
  ParserOptions named;
  named.description = "rule.cel";
  EXPECT_THAT(Parse("a +", named),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("ERROR: rule.cel:1:4:")));
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
