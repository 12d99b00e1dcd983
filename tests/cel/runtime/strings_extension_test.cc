// Tests for the strings extension: code point indices, errors, format clauses.
#include <cmath>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cel/common/time_util.h"
#include "tests/cel/runtime/call_helper.h"

namespace pitboss {
namespace cel {
namespace {

using ::testing::HasSubstr;

class StringsExtensionTest : public testing::CallTest {
 protected:
  std::string S(const Value& v) {
    return v.IsString() ? std::string(v.string_value()) : "<" + v.DebugString() + ">";
  }
  Value Format(const std::string& f, std::initializer_list<Value> args) {
    return Member("format", {Str(f), List(args)});
  }
};

TEST_F(StringsExtensionTest, CharAtCountsCodePoints) {
  EXPECT_EQ(S(Member("charAt", {Str("tacocat"), Value::Int(3)})), "o");
  EXPECT_EQ(S(Member("charAt", {Str("tacocat"), Value::Int(7)})), "");
  EXPECT_EQ(S(Member("charAt", {Str("©αT"), Value::Int(1)})), "α");
  EXPECT_EQ(ErrorOf(Member("charAt", {Str("tacocat"), Value::Int(30)})), "index out of range: 30");
  EXPECT_EQ(ErrorOf(Member("charAt", {Str("tacocat"), Value::Int(-1)})), "index out of range: -1");
  EXPECT_EQ(ErrorOf(Member("charAt", {Str("x"), Value::Bool(true)})), "no such overload");
}

TEST_F(StringsExtensionTest, IndexOfAndLastIndexOf) {
  EXPECT_EQ(Member("indexOf", {Str("tacocat"), Str("")}).int_value(), 0);
  EXPECT_EQ(Member("indexOf", {Str("tacocat"), Str("ac")}).int_value(), 1);
  EXPECT_EQ(Member("indexOf", {Str("tacocat"), Str("none")}).int_value(), -1);
  EXPECT_EQ(Member("indexOf", {Str("tacocat"), Str(""), Value::Int(3)}).int_value(), 3);
  EXPECT_EQ(Member("indexOf", {Str("tacocat"), Str("a"), Value::Int(3)}).int_value(), 5);
  EXPECT_EQ(Member("indexOf", {Str("ta©o©αT"), Str("©")}).int_value(), 2);
  EXPECT_EQ(Member("indexOf", {Str("ta©o©αT"), Str("©αT"), Value::Int(3)}).int_value(), 4);
  EXPECT_EQ(Member("indexOf", {Str("ta©o©αT"), Str("©α"), Value::Int(5)}).int_value(), -1);
  EXPECT_EQ(ErrorOf(Member("indexOf", {Str("tacocat"), Str("a"), Value::Int(30)})),
            "index out of range: 30");
  EXPECT_EQ(Member("lastIndexOf", {Str(""), Str("@@")}).int_value(), -1);
  EXPECT_EQ(Member("lastIndexOf", {Str("tacocat"), Str("")}).int_value(), 7);
  EXPECT_EQ(Member("lastIndexOf", {Str("tacocat"), Str("at")}).int_value(), 5);
  EXPECT_EQ(Member("lastIndexOf", {Str("tacocat"), Str(""), Value::Int(3)}).int_value(), 3);
  EXPECT_EQ(Member("lastIndexOf", {Str("tacocat"), Str("a"), Value::Int(3)}).int_value(), 1);
  EXPECT_EQ(Member("lastIndexOf", {Str("ta©o©αT"), Str("©")}).int_value(), 4);
  EXPECT_EQ(Member("lastIndexOf", {Str("ta©o©αT"), Str("©"), Value::Int(3)}).int_value(), 2);
  EXPECT_EQ(Member("lastIndexOf", {Str("ta©o©αT"), Str("©α"), Value::Int(4)}).int_value(), 4);
  EXPECT_EQ(Member("lastIndexOf", {Str("bananananana"), Str("nana"), Value::Int(7)}).int_value(), 6);
  EXPECT_EQ(ErrorOf(Member("lastIndexOf", {Str("tacocat"), Str("a"), Value::Int(-1)})),
            "index out of range: -1");
}

TEST_F(StringsExtensionTest, CaseReplaceSplitSubstring) {
  EXPECT_EQ(S(Member("lowerAscii", {Str("TacoCÆt Xii")})), "tacocÆt xii");
  EXPECT_EQ(S(Member("upperAscii", {Str("tacoCαt")})), "TACOCαT");
  EXPECT_EQ(S(Member("replace", {Str("{0} days {0} hours"), Str("{0}"), Str("2")})),
            "2 days 2 hours");
  EXPECT_EQ(S(Member("replace", {Str("{0} days {0} hours"), Str("{0}"), Str("2"), Value::Int(1)})),
            "2 days {0} hours");
  EXPECT_EQ(S(Member("replace", {Str("abc"), Str("b"), Str("x"), Value::Int(0)})), "abc");
  EXPECT_EQ(S(Member("replace", {Str("ab"), Str(""), Str("-")})), "-a-b-");
  EXPECT_EQ(S(Member("replace", {Str("1 ©αT taco"), Str("αT"), Str("o©α")})), "1 ©o©α taco");
  EXPECT_EQ(Member("split", {Str("hello world"), Str(" ")}).DebugString(), "[\"hello\", \"world\"]");
  EXPECT_EQ(Member("split", {Str("a b c"), Str(" "), Value::Int(0)}).DebugString(), "[]");
  EXPECT_EQ(Member("split", {Str("a b c"), Str(" "), Value::Int(2)}).DebugString(),
            "[\"a\", \"b c\"]");
  EXPECT_EQ(Member("split", {Str("o©o©o"), Str("©"), Value::Int(-1)}).DebugString(),
            "[\"o\", \"o\", \"o\"]");
  EXPECT_EQ(Member("split", {Str("a©"), Str("")}).DebugString(), "[\"a\", \"©\"]");
  EXPECT_EQ(S(Member("substring", {Str("tacocat"), Value::Int(4)})), "cat");
  EXPECT_EQ(S(Member("substring", {Str("tacocat"), Value::Int(7)})), "");
  EXPECT_EQ(S(Member("substring", {Str("ta©o©αT"), Value::Int(2), Value::Int(6)})), "©o©α");
  EXPECT_EQ(ErrorOf(Member("substring", {Str("tacocat"), Value::Int(40)})), "index out of range: 40");
  EXPECT_EQ(ErrorOf(Member("substring", {Str("tacocat"), Value::Int(1), Value::Int(50)})),
            "index out of range: 50");
  EXPECT_EQ(ErrorOf(Member("substring", {Str("tacocat"), Value::Int(49), Value::Int(50)})),
            "index out of range: 49");
  EXPECT_EQ(ErrorOf(Member("substring", {Str("tacocat"), Value::Int(4), Value::Int(3)})),
            "invalid substring range. start: 4, end: 3");
}

TEST_F(StringsExtensionTest, TrimJoinQuoteReverse) {
  EXPECT_EQ(S(Member("trim", {Str(" \f\n\r\t\vtext  ")})), "text");
  EXPECT_EQ(S(Member("trim", {Str("\u0085\u00a0\u1680text\u2000\u200a\u2028\u3000")})), "text");
  const std::string keep = "\u180etext\u200b\u200c\u200d\u2060\ufeff";
  EXPECT_EQ(S(Member("trim", {Str(keep)})), keep);
  EXPECT_EQ(S(Member("trim", {Str("   ")})), "");
  EXPECT_EQ(S(Member("join", {List({Str("x"), Str("y")})})), "xy");
  EXPECT_EQ(S(Member("join", {List({Str("x"), Str("y")}), Str("-")})), "x-y");
  EXPECT_EQ(S(Member("join", {List({}), Str("-")})), "");
  EXPECT_EQ(ErrorOf(Member("join", {List({Value::Int(1)})})), "no such overload");
  EXPECT_EQ(S(Call("strings.quote", {Str("first\nsecond")})), "\"first\\nsecond\"");
  EXPECT_EQ(S(Call("strings.quote", {Str("a\\b\"c\a\b\f\r\t\v")})),
            "\"a\\\\b\\\"c\\a\\b\\f\\r\\t\\v\"");
  EXPECT_EQ(S(Call("strings.quote", {Str("завтра😀")})), "\"завтра😀\"");
  EXPECT_EQ(S(Call("strings.quote", {Str("\xff")})), "\"\xEF\xBF\xBD\"");
  EXPECT_EQ(S(Call("strings.quote", {Str("")})), "\"\"");
  EXPECT_EQ(S(Member("reverse", {Str("ta©o©αT")})), "Tα©o©at");
  EXPECT_EQ(S(Member("reverse", {Str("")})), "");
}

TEST_F(StringsExtensionTest, FormatClauses) {
  EXPECT_EQ(S(Format("no substitution", {})), "no substitution");
  EXPECT_EQ(S(Format("%%%s%%", {Str("text")})), "%text%");
  EXPECT_EQ(S(Format("%d %s", {Value::Int(-3), Str("A")})), "-3 A");
  EXPECT_EQ(S(Format("%.3f", {Value::Double(1.2345)})), "1.234");
  EXPECT_EQ(S(Format("%.0f %.0f", {Value::Double(2.5), Value::Double(3.5001)})), "2 4");
  EXPECT_EQ(S(Format("%f", {Value::Double(2.71828)})), "2.718280");
  EXPECT_EQ(S(Format("%.6e", {Value::Double(1052.032911275)})), "1.052033e+03");
  EXPECT_EQ(S(Format("%e", {Value::Double(2.71828)})), "2.718280e+00");
  EXPECT_EQ(S(Format("%b %b %b", {Value::Int(5), Value::Uint(64), Value::Bool(true)})),
            "101 1000000 1");
  EXPECT_EQ(S(Format("%o %o", {Value::Int(11), Value::Uint(65535)})), "13 177777");
  EXPECT_EQ(S(Format("%x %X %x", {Value::Int(30), Value::Int(30), Value::Uint(500)})), "1e 1E 1f4");
  EXPECT_EQ(S(Format("%x", {Value::Int(-30)})), "-1e");
  EXPECT_EQ(S(Format("%x", {Str("Hello world!")})), "48656c6c6f20776f726c6421");
  EXPECT_EQ(S(Format("%X", {Value::Bytes(&arena_, "byte string")})), "6279746520737472696E67");
  EXPECT_EQ(S(Format("%d %f %e", {Value::Double(NAN), Value::Double(INFINITY),
                                  Value::Double(-INFINITY)})),
            "NaN Infinity -Infinity");
}

TEST_F(StringsExtensionTest, FormatStringClauseRendersEveryKind) {
  EXPECT_EQ(S(Format("%s", {Value::Null()})), "null");
  EXPECT_EQ(S(Format("%s", {Value::Bytes(&arena_, "xyz")})), "xyz");
  EXPECT_EQ(S(Format("%s", {Value::Type("string")})), "string");
  EXPECT_EQ(S(Format("%s, %s", {Value::Int(32), Value::Double(56.8)})), "32, 56.8");
  EXPECT_EQ(S(Format("%s", {ParseTimestamp(&arena_, "2023-02-03T23:31:20+00:00")})),
            "2023-02-03T23:31:20Z");
  EXPECT_EQ(S(Format("%s", {ParseDuration(&arena_, "1h45m47s")})), "6347s");
  Value nested = List({Str("abc"), Value::Double(3.14), Value::Null(),
                       List({Value::Int(9), Value::Int(8)}), Value::Double(NAN)});
  EXPECT_EQ(S(Format("%s", {nested})), "[abc, 3.14, null, [9, 8], NaN]");
  std::vector<MapEntry> entries = {{Str("strKey"), Str("x")},
                                   {Value::Int(6), ParseDuration(&arena_, "422s")},
                                   {Value::Bool(true), Value::Int(42)}};
  EXPECT_EQ(S(Format("%s", {MakeMap(&arena_, entries)})), "{6: 422s, strKey: x, true: 42}");
}

TEST_F(StringsExtensionTest, FormatErrors) {
  EXPECT_EQ(ErrorOf(Format("%a", {Value::Int(1)})),
            "could not parse formatting clause: unrecognized formatting clause \"a\"");
  EXPECT_EQ(ErrorOf(Format("%E", {Value::Double(1)})),
            "could not parse formatting clause: unrecognized formatting clause \"E\"");
  EXPECT_EQ(ErrorOf(Format("%d %d %d", {Value::Int(0), Value::Int(1)})), "index 2 out of range");
  EXPECT_EQ(ErrorOf(Format("%b", {Str("abc")})),
            "error during formatting: only integers and bools can be formatted as binary, was "
            "given string");
  EXPECT_EQ(ErrorOf(Format("%d", {ParseDuration(&arena_, "30m2s")})),
            "error during formatting: decimal clause can only be used on integers, was given "
            "google.protobuf.Duration");
  EXPECT_EQ(ErrorOf(Format("%x", {Value::Double(0.5)})),
            "error during formatting: only integers, byte buffers, and strings can be formatted "
            "as hex, was given double");
  EXPECT_EQ(ErrorOf(Format("%f", {Value::Null()})),
            "error during formatting: fixed-point clause can only be used on doubles, was given "
            "null_type");
  EXPECT_EQ(ErrorOf(Format("%e", {Value::Null()})),
            "error during formatting: scientific clause can only be used on doubles, was given "
            "null_type");
  EXPECT_EQ(ErrorOf(Format("%o", {Str("s")})),
            "error during formatting: octal clause can only be used on integers, was given string");
  EXPECT_THAT(ErrorOf(Format("%s", {List({Value::Unknown(&arena_, {1})})})),
              HasSubstr("string clause can only be used on"));
  EXPECT_TRUE(Format("trailing %", {}).IsError());
  // Large precisions format fully (no truncation).
  Value wide = Format("%.1000f", {Value::Double(1e308)});
  ASSERT_TRUE(wide.IsString());
  EXPECT_EQ(wide.string_value().size(), 309u + 1u + 1000u);
  EXPECT_TRUE(Format("%.1001f", {Value::Double(1)}).IsError());
  EXPECT_TRUE(Format("%.f", {Value::Double(1)}).IsError());
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
