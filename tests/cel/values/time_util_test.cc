// Tests for timestamp/duration text forms, ranges, time zones and doubles.
#include "src/cel/common/time_util.h"

#include <cmath>
#include <limits>
#include <string>

#include "absl/time/civil_time.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"

namespace pitboss {
namespace cel {
namespace {

class TimeUtilTest : public ::testing::Test {
 protected:
  google::protobuf::Arena arena_;
};

TEST_F(TimeUtilTest, ParsesAndFormatsTimestamps) {
  Value t = ParseTimestamp(&arena_, "2009-02-13T23:31:30Z");
  ASSERT_TRUE(t.IsTimestamp()) << t.DebugString();
  EXPECT_EQ(t.seconds(), 1234567890);
  EXPECT_EQ(FormatTimestamp(t.seconds(), t.nanos()), "2009-02-13T23:31:30Z");
  Value n = ParseTimestamp(&arena_, "2009-02-13T23:31:30.120Z");
  EXPECT_EQ(n.nanos(), 120000000);
  EXPECT_EQ(FormatTimestamp(n.seconds(), n.nanos()), "2009-02-13T23:31:30.12Z");
  Value off = ParseTimestamp(&arena_, "2009-02-14T01:01:30+01:30");
  EXPECT_EQ(off.seconds(), 1234567890);
  Value neg = ParseTimestamp(&arena_, "2009-02-13T22:31:30-01:00");
  EXPECT_EQ(neg.seconds(), 1234567890);
}

TEST_F(TimeUtilTest, TimestampRangeEnds) {
  Value lo = ParseTimestamp(&arena_, "0001-01-01T00:00:00Z");
  ASSERT_TRUE(lo.IsTimestamp());
  EXPECT_EQ(lo.seconds(), kMinTimestampSeconds);
  EXPECT_EQ(FormatTimestamp(lo.seconds(), 0), "0001-01-01T00:00:00Z");
  Value hi = ParseTimestamp(&arena_, "9999-12-31T23:59:59.999999999Z");
  ASSERT_TRUE(hi.IsTimestamp());
  EXPECT_EQ(FormatTimestamp(hi.seconds(), hi.nanos()), "9999-12-31T23:59:59.999999999Z");
  EXPECT_TRUE(ParseTimestamp(&arena_, "0000-01-01T00:00:00Z").IsError());
  EXPECT_TRUE(ParseTimestamp(&arena_, "10000-01-01T00:00:00Z").IsError());
  // An offset can push an in-range civil time out of range.
  EXPECT_TRUE(ParseTimestamp(&arena_, "0001-01-01T00:00:00+01:00").IsError());
  EXPECT_TRUE(MakeTimestamp(&arena_, kMaxTimestampSeconds, 1000000000).IsError());
  EXPECT_TRUE(MakeTimestamp(&arena_, kMinTimestampSeconds, -1).IsError());
  Value norm = MakeTimestamp(&arena_, 10, -1);
  EXPECT_EQ(norm.seconds(), 9);
  EXPECT_EQ(norm.nanos(), 999999999);
}

TEST_F(TimeUtilTest, RejectsMalformedTimestamps) {
  for (const char* bad : {"", "2009-02-13", "2009-02-13T23:31:30", "2009-02-30T00:00:00Z",
                          "2009-13-01T00:00:00Z", "2009-02-13T24:00:00Z", "2009-02-13T23:31:30.Z",
                          "2009-02-13T23:31:30Zjunk", "2009-02-13 23:31:30Z",
                          "2009-02-13T23:31:30+0100"}) {
    Value v = ParseTimestamp(&arena_, bad);
    EXPECT_TRUE(v.IsError()) << bad << " -> " << v.DebugString();
  }
}

TEST_F(TimeUtilTest, ParsesGoDurations) {
  struct Case {
    const char* text;
    int64_t seconds;
    int32_t nanos;
  };
  for (const Case& c : {Case{"0", 0, 0}, Case{"1s", 1, 0}, Case{"-1.5s", -1, -500000000},
                        Case{"1h2m3s", 3723, 0}, Case{"100ms", 0, 100000000},
                        Case{"3us", 0, 3000}, Case{"7ns", 0, 7}, Case{"1\xC2\xB5s", 0, 1000},
                        Case{"+2m", 120, 0}, Case{".5s", 0, 500000000},
                        Case{"1000000s", 1000000, 0}}) {
    Value d = ParseDuration(&arena_, c.text);
    ASSERT_TRUE(d.IsDuration()) << c.text << " -> " << d.DebugString();
    EXPECT_EQ(d.seconds(), c.seconds) << c.text;
    EXPECT_EQ(d.nanos(), c.nanos) << c.text;
  }
  for (const char* bad : {"", "1", "s", "1x", "1.s.", "--1s", "1s2"}) {
    EXPECT_TRUE(ParseDuration(&arena_, bad).IsError()) << bad;
  }
}

TEST_F(TimeUtilTest, DurationRangeIsInt64Nanoseconds) {
  EXPECT_TRUE(ParseDuration(&arena_, "9223372036s").IsDuration());
  EXPECT_TRUE(ParseDuration(&arena_, "9223372037s").IsError());
  EXPECT_TRUE(ParseDuration(&arena_, "-320000000000s").IsError());
  EXPECT_TRUE(DurationFromNanos(&arena_, std::numeric_limits<int64_t>::max()).IsDuration());
  EXPECT_TRUE(
      DurationFromNanos(&arena_, static_cast<__int128>(std::numeric_limits<int64_t>::max()) + 1)
          .IsError());
  Value err = DurationFromNanos(&arena_, static_cast<__int128>(1) << 70);
  ASSERT_TRUE(err.IsError());
  EXPECT_EQ(err.error_value().message(), "range");
}

TEST_F(TimeUtilTest, FormatsDurations) {
  EXPECT_EQ(FormatDuration(1000000, 0), "1000000s");
  EXPECT_EQ(FormatDuration(-1, -500000000), "-1.5s");
  EXPECT_EQ(FormatDuration(0, 1), "0.000000001s");
  EXPECT_EQ(FormatDuration(0, 0), "0s");
}

TEST_F(TimeUtilTest, TimeZones) {
  auto named = ParseTimeZone("Australia/Sydney");
  ASSERT_TRUE(named.ok()) << named.status();
  auto fixed = ParseTimeZone("-02:30");
  ASSERT_TRUE(fixed.ok());
  absl::Time t = absl::FromUnixSeconds(1234490400);  // 2009-02-13T02:00:00Z
  EXPECT_EQ(absl::ToCivilDay(t, *fixed).day(), 12);
  EXPECT_TRUE(ParseTimeZone("02:00").ok());
  EXPECT_TRUE(ParseTimeZone("UTC").ok());
  EXPECT_FALSE(ParseTimeZone("Mars/Olympus").ok());
  EXPECT_FALSE(ParseTimeZone("+25:00").ok());
  EXPECT_FALSE(ParseTimeZone("+1:00").ok());
  EXPECT_FALSE(ParseTimeZone("").ok());
}

TEST(FormatDoubleTest, MatchesGoPercentG) {
  EXPECT_EQ(FormatDouble(123.456), "123.456");
  EXPECT_EQ(FormatDouble(-4.5e-3), "-0.0045");
  EXPECT_EQ(FormatDouble(1.0), "1");
  EXPECT_EQ(FormatDouble(100000), "100000");
  EXPECT_EQ(FormatDouble(1e6), "1e+06");
  EXPECT_EQ(FormatDouble(1.5e-5), "1.5e-05");
  EXPECT_EQ(FormatDouble(1e100), "1e+100");
  EXPECT_EQ(FormatDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatDouble(-0.0), "-0");
  EXPECT_EQ(FormatDouble(std::nan("")), "NaN");
  EXPECT_EQ(FormatDouble(INFINITY), "+Inf");
  EXPECT_EQ(FormatDouble(0.1), "0.1");
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
