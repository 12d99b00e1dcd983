// The internal helpers: bucket sums, seconds, basis points, country codes.
#include <cstdint>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/velocity.h"
#include "src/risk/internal/feature_util.h"
#include "src/risk/internal/velocity_buckets.h"
#include "tests/matchers.h"
#include "tests/risk/risk_test_util.h"

namespace pitboss {
namespace {

using ::pitboss::risk_test::Now;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

constexpr v1::VelocityMetric kStake = v1::VELOCITY_METRIC_WAGER_STAKE;

TEST(VelocityBucketsTest, SumSinceUsesTheFinestWindowThatReaches) {
  v1::VelocityCounters counters;
  ASSERT_THAT(domain::RecordVelocity(&counters, kStake, 1, Now() - absl::Hours(24 * 20)), IsOk());
  ASSERT_THAT(domain::RecordVelocity(&counters, kStake, 10, Now() - absl::Hours(5)), IsOk());
  ASSERT_THAT(domain::RecordVelocity(&counters, kStake, 100, Now() - absl::Minutes(10)), IsOk());

  auto since_20m = risk_internal::SumSince(counters, kStake, Now() - absl::Minutes(20), Now());
  ASSERT_THAT(since_20m, IsOk());
  EXPECT_EQ(since_20m->totals.sum_minor_units, 100);
  EXPECT_FALSE(since_20m->truncated);

  auto since_6h = risk_internal::SumSince(counters, kStake, Now() - absl::Hours(6), Now());
  ASSERT_THAT(since_6h, IsOk());
  EXPECT_EQ(since_6h->totals.sum_minor_units, 110);

  auto since_25d = risk_internal::SumSince(counters, kStake, Now() - absl::Hours(24 * 25), Now());
  ASSERT_THAT(since_25d, IsOk());
  EXPECT_EQ(since_25d->totals.sum_minor_units, 111);
  EXPECT_EQ(since_25d->totals.count, 3);
  EXPECT_FALSE(since_25d->truncated);

  // Beyond 30 days: the 30-day totals, flagged as a lower bound.
  auto since_40d = risk_internal::SumSince(counters, kStake, Now() - absl::Hours(24 * 40), Now());
  ASSERT_THAT(since_40d, IsOk());
  EXPECT_EQ(since_40d->totals.sum_minor_units, 111);
  EXPECT_TRUE(since_40d->truncated);

  auto future = risk_internal::SumSince(counters, kStake, Now() + absl::Minutes(1), Now());
  ASSERT_THAT(future, IsOk());
  EXPECT_EQ(future->totals.count, 0);
}

TEST(VelocityBucketsTest, SumLastBucketsChecksItsArguments) {
  v1::VelocityCounters counters;
  EXPECT_THAT(risk_internal::SumLastBuckets(counters, kStake, v1::VELOCITY_WINDOW_1H, 13, Now()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bucket_count")));
  EXPECT_THAT(risk_internal::SumLastBuckets(counters, kStake, v1::VELOCITY_WINDOW_1H, 0, Now()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bucket_count")));
  EXPECT_THAT(
      risk_internal::SumLastBuckets(counters, kStake, v1::VELOCITY_WINDOW_UNSPECIFIED, 1, Now()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("velocity.window")));
}

TEST(VelocityBucketsTest, BucketIndexFloorsBefore1970) {
  EXPECT_EQ(risk_internal::BucketIndexAt(absl::FromUnixSeconds(-1), 300), -1);
  EXPECT_EQ(risk_internal::BucketIndexAt(absl::FromUnixSeconds(-300), 300), -1);
  EXPECT_EQ(risk_internal::BucketIndexAt(absl::FromUnixSeconds(-301), 300), -2);
  EXPECT_EQ(risk_internal::BucketIndexAt(absl::FromUnixSeconds(299), 300), 0);
}

TEST(FeatureUtilTest, SecondsSince) {
  EXPECT_EQ(risk_internal::SecondsSince(absl::InfinitePast(), Now()), risk::kNever);
  EXPECT_EQ(risk_internal::SecondsSince(Now() + absl::Seconds(1), Now()), 0);
  EXPECT_EQ(risk_internal::SecondsSince(Now() - absl::Milliseconds(1999), Now()), 1);
}

TEST(FeatureUtilTest, RatioBps) {
  EXPECT_EQ(risk_internal::RatioBps(1, 3), 3333);
  EXPECT_EQ(risk_internal::RatioBps(5, 0), 0);
  EXPECT_EQ(risk_internal::RatioBps(-5, 10), 0);
  EXPECT_EQ(risk_internal::RatioBps(std::numeric_limits<int64_t>::max(), 1),
            std::numeric_limits<int64_t>::max());
}

TEST(FeatureUtilTest, CountryCodes) {
  EXPECT_THAT(risk_internal::ValidateCountryCode("", "f"), IsOk());
  EXPECT_THAT(risk_internal::ValidateCountryCode("JP", "f"), IsOk());
  for (const char* bad : {"J", "jp", "JPN", "J1", "\xe6\x97\xa5"}) {
    EXPECT_THAT(risk_internal::ValidateCountryCode(bad, "event.ip_country"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.ip_country")))
        << bad;
  }
}

}  // namespace
}  // namespace pitboss
