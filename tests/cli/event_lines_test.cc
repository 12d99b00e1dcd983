// Tests of the event JSON-lines reader (src/cli/event_lines.h).
#include "src/cli/event_lines.h"

#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::testing::HasSubstr;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;

TEST(EventLinesTest, ParsesAnEventInProto3Json) {
  absl::StatusOr<v1::Event> event = ParseEventLine(
      R"({"eventId":"e-1","accountId":"a-1","occurredAt":"2026-11-02T09:00:00Z",)"
      R"("loginAttempt":{"success":true}})");
  ASSERT_THAT(event, IsOk());
  EXPECT_EQ(event->event_id(), "e-1");
  EXPECT_TRUE(event->has_login_attempt());
  EXPECT_EQ(event->occurred_at().seconds(), 1793610000);
}

TEST(EventLinesTest, RejectsUnknownFieldsAndBrokenJson) {
  EXPECT_THAT(ParseEventLine(R"({"eventId":"e-1","acountId":"a-1"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid event JSON")));
  EXPECT_THAT(ParseEventLine("{\"eventId\":"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseEventLine("[1, 2]"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(EventLinesTest, ReaderNumbersLinesAndSkipsBlankOnes) {
  std::istringstream in("a\n\n  \nb\r\nc");
  EventLineReader reader(&in);
  std::string line;
  int64_t number = 0;
  ASSERT_TRUE(reader.Next(&line, &number));
  EXPECT_EQ(line, "a");
  EXPECT_EQ(number, 1);
  ASSERT_TRUE(reader.Next(&line, &number));
  EXPECT_EQ(line, "b");
  EXPECT_EQ(number, 4);
  ASSERT_TRUE(reader.Next(&line, &number));
  EXPECT_EQ(line, "c");
  EXPECT_EQ(number, 5);
  EXPECT_FALSE(reader.Next(&line, &number));
  EXPECT_EQ(reader.blank_lines(), 2);
  EXPECT_FALSE(reader.failed());
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
