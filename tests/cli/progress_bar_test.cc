// Tests of the replay progress bar's text (src/cli/progress_bar.h).
#include "src/cli/progress_bar.h"

#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pitboss {
namespace cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ProgressBarTest, ShowsPercentBarCountAndRate) {
  const std::string bar = ProgressBar::Render(500, 1000, 2000, absl::Seconds(4));
  EXPECT_THAT(bar, StartsWith(" 50% [###############               ] 2000 events"));
  EXPECT_THAT(bar, HasSubstr("500 events/s"));
  EXPECT_THAT(ProgressBar::Render(1000, 1000, 10, absl::Seconds(1)), StartsWith("100% [#####"));
  // Never past 100% (the file grew while being read).
  EXPECT_THAT(ProgressBar::Render(1500, 1000, 10, absl::Seconds(1)), StartsWith("100% "));
}

TEST(ProgressBarTest, UnknownSizeShowsCountsOnly) {
  EXPECT_EQ(ProgressBar::Render(123, 0, 40, absl::Seconds(2)), "40 events  20 events/s");
  EXPECT_EQ(ProgressBar::Render(0, 0, 0, absl::ZeroDuration()), "0 events  0 events/s");
}

TEST(ProgressBarTest, RedrawsInPlaceAndErasesItself) {
  std::ostringstream out;
  ProgressBar bar(&out, 100);
  bar.Update(50, 5);
  bar.Update(60, 6);  // within 100 ms of the first: not drawn
  EXPECT_THAT(out.str(), StartsWith("\r 50% ["));
  EXPECT_EQ(out.str().find("60%"), std::string::npos);
  bar.Finish();
  EXPECT_THAT(out.str(), ::testing::EndsWith("\r\x1b[K"));
}

TEST(ProgressBarTest, NothingDrawnNothingErased) {
  std::ostringstream out;
  ProgressBar bar(&out, 100);
  bar.Finish();
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
