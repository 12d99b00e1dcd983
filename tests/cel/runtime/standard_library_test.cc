// Tests for the standard library through dynamic dispatch: arithmetic edges,
// comparisons, strings/lists/maps, conversions with range rules, timestamps
// and durations with time zones.
#include <cmath>
#include <cstdint>
#include <limits>
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

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinInt = std::numeric_limits<int64_t>::min();
constexpr uint64_t kMaxUint = std::numeric_limits<uint64_t>::max();

class StandardLibraryTest : public testing::CallTest {
 protected:
  Value Ts(const char* text) {
    Value v = ParseTimestamp(&arena_, text);
    EXPECT_TRUE(v.IsTimestamp()) << text;
    return v;
  }
  Value Dur(const char* text) {
    Value v = ParseDuration(&arena_, text);
    EXPECT_TRUE(v.IsDuration()) << text;
    return v;
  }
};

TEST_F(StandardLibraryTest, IntArithmeticOverflowBoundaries) {
  EXPECT_EQ(Call("_+_", {Value::Int(kMaxInt - 1), Value::Int(1)}).int_value(), kMaxInt);
  EXPECT_EQ(ErrorOf(Call("_+_", {Value::Int(kMaxInt), Value::Int(1)})), "integer overflow");
  EXPECT_EQ(ErrorOf(Call("_-_", {Value::Int(kMinInt), Value::Int(1)})), "integer overflow");
  EXPECT_EQ(ErrorOf(Call("_*_", {Value::Int(kMinInt), Value::Int(-1)})), "integer overflow");
  EXPECT_EQ(ErrorOf(Call("-_", {Value::Int(kMinInt)})), "integer overflow");
  EXPECT_EQ(Call("-_", {Value::Int(kMaxInt)}).int_value(), -kMaxInt);
  EXPECT_EQ(ErrorOf(Call("_/_", {Value::Int(kMinInt), Value::Int(-1)})), "integer overflow");
  EXPECT_EQ(ErrorOf(Call("_%_", {Value::Int(kMinInt), Value::Int(-1)})), "integer overflow");
  EXPECT_EQ(ErrorOf(Call("_/_", {Value::Int(1), Value::Int(0)})), "division by zero");
  EXPECT_EQ(ErrorOf(Call("_%_", {Value::Int(1), Value::Int(0)})), "modulus by zero");
  EXPECT_EQ(Call("_/_", {Value::Int(-7), Value::Int(2)}).int_value(), -3);  // truncates
  EXPECT_EQ(Call("_%_", {Value::Int(-7), Value::Int(2)}).int_value(), -1);
}

TEST_F(StandardLibraryTest, UintArithmetic) {
  EXPECT_EQ(ErrorOf(Call("_-_", {Value::Uint(0), Value::Uint(1)})), "unsigned integer overflow");
  EXPECT_EQ(ErrorOf(Call("_+_", {Value::Uint(kMaxUint), Value::Uint(1)})),
            "unsigned integer overflow");
  EXPECT_EQ(ErrorOf(Call("_*_", {Value::Uint(uint64_t{1} << 32), Value::Uint(uint64_t{1} << 32)})),
            "unsigned integer overflow");
  EXPECT_EQ(Call("_-_", {Value::Uint(5), Value::Uint(5)}).uint_value(), 0u);
  EXPECT_EQ(ErrorOf(Call("_/_", {Value::Uint(1), Value::Uint(0)})), "division by zero");
  EXPECT_EQ(ErrorOf(Call("_%_", {Value::Uint(1), Value::Uint(0)})), "modulus by zero");
  EXPECT_EQ(Call("_%_", {Value::Uint(7), Value::Uint(3)}).uint_value(), 1u);
}

TEST_F(StandardLibraryTest, DoubleArithmeticFollowsIeee) {
  EXPECT_TRUE(std::isinf(Call("_/_", {Value::Double(1), Value::Double(0)}).double_value()));
  EXPECT_TRUE(std::isnan(Call("_/_", {Value::Double(0), Value::Double(0)}).double_value()));
  EXPECT_EQ(Call("-_", {Value::Double(0.5)}).double_value(), -0.5);
  EXPECT_EQ(ErrorOf(Call("_%_", {Value::Double(1), Value::Double(1)})), "no such overload");
}

TEST_F(StandardLibraryTest, ConcatenationAndSize) {
  EXPECT_EQ(Call("_+_", {Str("ab"), Str("cé")}).string_value(), "abcé");
  EXPECT_EQ(Call("_+_", {Value::Bytes(&arena_, "a"), Value::Bytes(&arena_, "\xff")}).bytes_value(),
            "a\xff");
  Value l = Call("_+_", {List({Value::Int(1)}), List({Value::StringView("x")})});
  ASSERT_TRUE(l.IsList());
  EXPECT_EQ(l.DebugString(), "[1, \"x\"]");
  EXPECT_EQ(Call("size", {Str("héllo")}).int_value(), 5);  // code points
  EXPECT_EQ(Member("size", {Str("héllo")}).int_value(), 5);
  EXPECT_EQ(Call("size", {Value::Bytes(&arena_, "héllo")}).int_value(), 6);  // bytes
  EXPECT_EQ(Call("size", {List({Value::Int(1), Value::Int(2)})}).int_value(), 2);
  EXPECT_EQ(ErrorOf(Call("size", {Value::Int(1)})), "no such overload");
}

TEST_F(StandardLibraryTest, EqualityAndOrdering) {
  EXPECT_TRUE(Call("_==_", {Value::Int(1), Value::Uint(1)}).bool_value());
  EXPECT_TRUE(Call("_==_", {Value::Int(1), Value::Double(1.0)}).bool_value());
  EXPECT_FALSE(Call("_==_", {Value::Int(1), Str("1")}).bool_value());
  EXPECT_TRUE(Call("_!=_", {Value::Double(NAN), Value::Double(NAN)}).bool_value());
  EXPECT_TRUE(Call("_==_", {Value::Type("int"), Call("type", {Value::Int(1)})}).bool_value());
  EXPECT_TRUE(Call("_<_", {Value::Int(-1), Value::Uint(0)}).bool_value());
  // int vs double converts the int (conformance not_lt_dyn_int_big_lossy_double).
  EXPECT_FALSE(Call("_<_", {Value::Int(kMaxInt), Value::Double(9223372036854775808.0)}).bool_value());
  EXPECT_TRUE(Call("_<=_", {Value::Double(9223372036854775808.0), Value::Int(kMaxInt)}).bool_value());
  EXPECT_TRUE(Call("_<_", {Value::Int(kMaxInt), Value::Double(9223372036854777857.0)}).bool_value());
  EXPECT_TRUE(Call("_>=_", {Value::Uint(1), Value::Double(1.0)}).bool_value());
  EXPECT_FALSE(Call("_<_", {Value::Double(NAN), Value::Int(1)}).bool_value());
  EXPECT_FALSE(Call("_>=_", {Value::Double(NAN), Value::Double(NAN)}).bool_value());
  EXPECT_TRUE(Call("_<_", {Str("a"), Str("b")}).bool_value());
  EXPECT_TRUE(Call("_<=_", {Value::Bool(false), Value::Bool(true)}).bool_value());
  EXPECT_TRUE(Call("_>_", {Ts("2020-01-01T00:00:00Z"), Ts("2019-12-31T23:59:59.999Z")}).bool_value());
  EXPECT_EQ(ErrorOf(Call("_<_", {Value::Int(1), Str("a")})), "no such overload");
  EXPECT_EQ(ErrorOf(Call("_<_", {Value::Null(), Value::Null()})), "no such overload");
}

TEST_F(StandardLibraryTest, IndexingAndIn) {
  Value list = List({Value::Int(10), Value::Int(20)});
  EXPECT_EQ(Call("_[_]", {list, Value::Int(1)}).int_value(), 20);
  EXPECT_EQ(Call("_[_]", {list, Value::Uint(0)}).int_value(), 10);
  EXPECT_EQ(Call("_[_]", {list, Value::Double(1.0)}).int_value(), 20);
  EXPECT_EQ(ErrorOf(Call("_[_]", {list, Value::Int(2)})), "index out of range: 2");
  EXPECT_EQ(ErrorOf(Call("_[_]", {list, Value::Int(-1)})), "index out of range: -1");
  EXPECT_TRUE(Call("_[_]", {list, Value::Double(0.5)}).IsError());
  EXPECT_EQ(ErrorOf(Call("_[_]", {list, Str("0")})), "no such overload");
  std::vector<MapEntry> entries = {{Value::Int(1), Str("one")}, {Str("k"), Value::Bool(true)}};
  Value map = MakeMap(&arena_, entries);
  EXPECT_EQ(Call("_[_]", {map, Value::Uint(1)}).string_value(), "one");
  EXPECT_EQ(Call("_[_]", {map, Value::Double(1.0)}).string_value(), "one");
  EXPECT_EQ(ErrorOf(Call("_[_]", {map, Str("x")})), "no such key: x");
  EXPECT_EQ(ErrorOf(Call("_[_]", {map, Value::Null()})), "unsupported key type");
  EXPECT_TRUE(Call("@in", {Value::Double(20.0), list}).bool_value());
  EXPECT_FALSE(Call("@in", {Str("10"), list}).bool_value());
  EXPECT_TRUE(Call("@in", {Value::Uint(1), map}).bool_value());
  EXPECT_FALSE(Call("@in", {Value::Int(2), map}).bool_value());
  EXPECT_FALSE(Call("@in", {List({}), map}).bool_value());
  EXPECT_EQ(ErrorOf(Call("@in", {Value::Int(1), Value::Int(1)})), "no such overload");
}

TEST_F(StandardLibraryTest, StringPredicatesAndMatches) {
  EXPECT_TRUE(Member("contains", {Str("hello"), Str("ell")}).bool_value());
  EXPECT_TRUE(Member("contains", {Str("hello"), Str("")}).bool_value());
  EXPECT_TRUE(Member("startsWith", {Str("héllo"), Str("hé")}).bool_value());
  EXPECT_FALSE(Member("endsWith", {Str("hello"), Str("hell")}).bool_value());
  EXPECT_TRUE(Member("matches", {Str("abc123"), Str("[0-9]+")}).bool_value());  // partial
  EXPECT_FALSE(Member("matches", {Str("abc"), Str("^b")}).bool_value());
  EXPECT_TRUE(Call("matches", {Str("ß"), Str("^.$")}).bool_value());  // UTF-8 aware
  EXPECT_THAT(ErrorOf(Member("matches", {Str("a"), Str("(")})),
              HasSubstr("invalid regular expression"));
}

TEST_F(StandardLibraryTest, IntConversions) {
  EXPECT_EQ(Call("int", {Value::Uint(uint64_t{kMaxInt})}).int_value(), kMaxInt);
  EXPECT_EQ(ErrorOf(Call("int", {Value::Uint(uint64_t{kMaxInt} + 1)})), "range");
  EXPECT_EQ(Call("int", {Value::Double(-7.9)}).int_value(), -7);
  EXPECT_EQ(Call("int", {Value::Double(11.5)}).int_value(), 11);
  EXPECT_EQ(ErrorOf(Call("int", {Value::Double(9223372036854775807.0)})), "range");
  EXPECT_EQ(ErrorOf(Call("int", {Value::Double(-9223372036854775808.0)})), "range");
  EXPECT_EQ(Call("int", {Value::Double(-9223372036854774784.0)}).int_value(), -9223372036854774784);
  EXPECT_EQ(ErrorOf(Call("int", {Value::Double(NAN)})), "range");
  EXPECT_EQ(ErrorOf(Call("int", {Value::Double(INFINITY)})), "range");
  EXPECT_EQ(Call("int", {Str("-987")}).int_value(), -987);
  EXPECT_EQ(Call("int", {Str("9223372036854775807")}).int_value(), kMaxInt);
  EXPECT_TRUE(Call("int", {Str("9223372036854775808")}).IsError());
  EXPECT_TRUE(Call("int", {Str("1.5")}).IsError());
  EXPECT_TRUE(Call("int", {Str(" 1")}).IsError());
  EXPECT_TRUE(Call("int", {Str("")}).IsError());
  EXPECT_EQ(Call("int", {Ts("2009-02-13T23:31:30Z")}).int_value(), 1234567890);
}

TEST_F(StandardLibraryTest, UintAndDoubleConversions) {
  EXPECT_EQ(ErrorOf(Call("uint", {Value::Int(-1)})), "range");
  EXPECT_EQ(Call("uint", {Value::Double(25.5)}).uint_value(), 25u);
  EXPECT_EQ(ErrorOf(Call("uint", {Value::Double(-0.5)})), "range");
  EXPECT_EQ(ErrorOf(Call("uint", {Value::Double(18446744073709551616.0)})), "range");
  EXPECT_EQ(ErrorOf(Call("uint", {Value::Double(6.022e23)})), "range");
  EXPECT_EQ(Call("uint", {Str("300")}).uint_value(), 300u);
  EXPECT_TRUE(Call("uint", {Str("-1")}).IsError());
  EXPECT_TRUE(Call("uint", {Str("18446744073709551616")}).IsError());
  EXPECT_EQ(Call("double", {Value::Uint(kMaxUint)}).double_value(), 18446744073709551616.0);
  EXPECT_EQ(Call("double", {Value::Int(kMaxInt)}).double_value(), 9223372036854775808.0);
  EXPECT_EQ(Call("double", {Str("-84.32e7")}).double_value(), -843200000.0);
  EXPECT_EQ(Call("double", {Str("+1.5")}).double_value(), 1.5);
  EXPECT_TRUE(std::isnan(Call("double", {Str("NaN")}).double_value()));
  EXPECT_EQ(Call("double", {Str("-Infinity")}).double_value(), -INFINITY);
  EXPECT_TRUE(std::signbit(Call("double", {Str("-0.0")}).double_value()));
  EXPECT_TRUE(Call("double", {Str("1e")}).IsError());
  EXPECT_TRUE(Call("double", {Str("abc")}).IsError());
  EXPECT_TRUE(Call("double", {Str("1e999")}).IsError());
}

TEST_F(StandardLibraryTest, StringBoolBytesConversions) {
  EXPECT_EQ(Call("string", {Value::Double(123.456)}).string_value(), "123.456");
  EXPECT_EQ(Call("string", {Value::Double(-4.5e-3)}).string_value(), "-0.0045");
  EXPECT_EQ(Call("string", {Value::Uint(9876)}).string_value(), "9876");
  EXPECT_EQ(Call("string", {Value::Int(kMinInt)}).string_value(), "-9223372036854775808");
  EXPECT_EQ(Call("string", {Value::Bool(false)}).string_value(), "false");
  EXPECT_EQ(Call("string", {Value::Bytes(&arena_, "\xc3\xbf")}).string_value(), "ÿ");
  EXPECT_EQ(ErrorOf(Call("string", {Value::Bytes(&arena_, std::string("\0\xff", 2))})),
            "invalid UTF-8");
  EXPECT_EQ(Call("string", {Ts("9999-12-31T23:59:59.999999999Z")}).string_value(),
            "9999-12-31T23:59:59.999999999Z");
  EXPECT_EQ(Call("string", {Dur("1000000s")}).string_value(), "1000000s");
  EXPECT_EQ(ErrorOf(Call("string", {Value::Null()})), "no such overload");
  for (const char* t : {"1", "t", "T", "true", "TRUE", "True"}) {
    EXPECT_TRUE(Call("bool", {Str(t)}).bool_value()) << t;
  }
  for (const char* f : {"0", "f", "F", "false", "FALSE", "False"}) {
    EXPECT_FALSE(Call("bool", {Str(f)}).bool_value()) << f;
  }
  EXPECT_THAT(ErrorOf(Call("bool", {Str("TrUe")})), HasSubstr("Type conversion error"));
  EXPECT_EQ(Call("bytes", {Str("ÿ")}).bytes_value(), "\xc3\xbf");
  EXPECT_TRUE(Call("dyn", {Value::Int(1)}).IsInt());
  EXPECT_EQ(Call("type", {Call("type", {Value::Int(1)})}).type_value(), "type");
  EXPECT_EQ(Call("type", {List({})}).type_value(), "list");
}

TEST_F(StandardLibraryTest, TimestampConversionsAndRanges) {
  EXPECT_EQ(Call("timestamp", {Value::Int(1234567890)}).seconds(), 1234567890);
  EXPECT_EQ(ErrorOf(Call("timestamp", {Value::Int(253402300800)})), "range");
  EXPECT_EQ(ErrorOf(Call("timestamp", {Str("0000-01-01T00:00:00Z")})), "range");
  EXPECT_TRUE(Call("timestamp", {Str("2009-02-13")}).IsError());
  EXPECT_EQ(ErrorOf(Call("_+_", {Ts("9999-12-31T23:59:59.999999999Z"), Dur("1ns")})), "range");
  EXPECT_EQ(ErrorOf(Call("_+_", {Ts("0001-01-01T00:00:00Z"), Dur("-1ns")})), "range");
  EXPECT_EQ(ErrorOf(Call("_-_", {Ts("9999-12-31T23:59:59Z"), Ts("0001-01-01T00:00:00Z")})),
            "range");
  EXPECT_EQ(ErrorOf(Call("_+_", {Dur("5000000000s"), Dur("5000000000s")})), "range");
  Value sum = Call("_+_", {Dur("120s"), Ts("2009-02-13T23:01:00Z")});
  EXPECT_EQ(Call("string", {sum}).string_value(), "2009-02-13T23:03:00Z");
  Value diff = Call("_-_", {Ts("2009-02-13T23:01:00.5Z"), Ts("2009-02-13T23:00:00Z")});
  EXPECT_EQ(Call("string", {diff}).string_value(), "60.5s");
  Value back = Call("_-_", {Ts("2009-02-13T23:00:00Z"), Dur("-1.25s")});
  EXPECT_EQ(Call("string", {back}).string_value(), "2009-02-13T23:00:01.25Z");
  EXPECT_EQ(Call("string", {Call("_-_", {Dur("1s"), Dur("1.5s")})}).string_value(), "-0.5s");
}

TEST_F(StandardLibraryTest, TimestampAccessorsUtc) {
  Value t = Ts("2009-02-13T23:31:20.123456789Z");
  EXPECT_EQ(Member("getFullYear", {t}).int_value(), 2009);
  EXPECT_EQ(Member("getMonth", {t}).int_value(), 1);
  EXPECT_EQ(Member("getDayOfYear", {t}).int_value(), 43);
  EXPECT_EQ(Member("getDayOfMonth", {t}).int_value(), 12);
  EXPECT_EQ(Member("getDate", {t}).int_value(), 13);
  EXPECT_EQ(Member("getDayOfWeek", {t}).int_value(), 5);  // Friday
  EXPECT_EQ(Member("getHours", {t}).int_value(), 23);
  EXPECT_EQ(Member("getMinutes", {t}).int_value(), 31);
  EXPECT_EQ(Member("getSeconds", {t}).int_value(), 20);
  EXPECT_EQ(Member("getMilliseconds", {t}).int_value(), 123);
  EXPECT_EQ(Member("getDayOfWeek", {Ts("2023-01-01T00:00:00Z")}).int_value(), 0);  // Sunday
  EXPECT_EQ(Member("getFullYear", {Ts("0001-01-01T00:00:00Z")}).int_value(), 1);
  EXPECT_EQ(Member("getDayOfYear", {Ts("2020-12-31T12:00:00Z")}).int_value(), 365);  // leap
}

TEST_F(StandardLibraryTest, TimestampAccessorsWithTimeZones) {
  Value t = Ts("2009-02-13T23:31:30Z");
  EXPECT_EQ(Member("getDate", {t, Str("Australia/Sydney")}).int_value(), 14);
  EXPECT_EQ(Member("getDayOfMonth", {t, Str("US/Central")}).int_value(), 12);
  EXPECT_EQ(Member("getDayOfMonth", {t, Str("+11:00")}).int_value(), 13);
  EXPECT_EQ(Member("getHours", {t, Str("02:00")}).int_value(), 1);
  EXPECT_EQ(Member("getMinutes", {t, Str("Asia/Kathmandu")}).int_value(), 16);
  EXPECT_EQ(Member("getSeconds", {t, Str("-00:00")}).int_value(), 30);
  EXPECT_EQ(Member("getFullYear", {t, Str("-09:30")}).int_value(), 2009);
  Value early = Ts("2009-02-13T02:00:00Z");
  EXPECT_EQ(Member("getDayOfMonth", {early, Str("-02:30")}).int_value(), 11);
  EXPECT_EQ(Member("getDayOfMonth", {early, Str("America/St_Johns")}).int_value(), 11);
  EXPECT_EQ(Member("getFullYear", {Ts("2009-12-31T23:00:00Z"), Str("Europe/Berlin")}).int_value(),
            2010);
  EXPECT_THAT(ErrorOf(Member("getHours", {t, Str("Nowhere/City")})), HasSubstr("time zone"));
  // Range ends shifted by a zone leave the timestamp range for the civil date.
  EXPECT_EQ(Member("getFullYear", {Ts("0001-01-01T00:00:00Z"), Str("-01:00")}).int_value(), 0);
  EXPECT_EQ(Member("getFullYear", {Ts("9999-12-31T23:59:59Z"), Str("+01:00")}).int_value(), 10000);
  EXPECT_EQ(Member("getDayOfYear", {Ts("2021-01-01T03:00:00Z"), Str("America/Los_Angeles")})
                .int_value(),
            365);  // 2020-12-31 local, a leap year
  // Daylight saving: New York is UTC-4 in July, UTC-5 in January.
  EXPECT_EQ(Member("getHours", {Ts("2021-07-01T12:00:00Z"), Str("America/New_York")}).int_value(), 8);
  EXPECT_EQ(Member("getHours", {Ts("2021-01-01T12:00:00Z"), Str("America/New_York")}).int_value(), 7);
}

TEST_F(StandardLibraryTest, DurationAccessors) {
  EXPECT_EQ(Member("getHours", {Dur("10000s")}).int_value(), 2);
  EXPECT_EQ(Member("getMinutes", {Dur("3730s")}).int_value(), 62);
  EXPECT_EQ(Member("getSeconds", {Dur("3730s")}).int_value(), 3730);
  // Milliseconds is the sub-second component; the others are totals.
  EXPECT_EQ(Member("getMilliseconds", {Dur("123.321s")}).int_value(), 321);
  EXPECT_EQ(Member("getMilliseconds", {Dur("-1.5s")}).int_value(), -500);
  EXPECT_EQ(Member("getMilliseconds", {Dur("2s")}).int_value(), 0);
  EXPECT_EQ(Call("duration", {Str("1h")}).seconds(), 3600);
  EXPECT_EQ(ErrorOf(Call("duration", {Str("320000000000s")})), "range");
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
