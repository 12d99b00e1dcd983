// Velocity counters: bucketed 1 h / 24 h / 7 d / 30 d counts and sums.
#include "src/domain/velocity.h"

#include <cstdint>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;

// 2026-01-01T00:00:00Z, a Thursday; aligned to every bucket granularity.
const absl::Time kT0 = absl::FromUnixSeconds(1767225600);

VelocityTotals Query(const v1::VelocityCounters& c, v1::VelocityWindow w, absl::Time now,
                     v1::VelocityMetric m = v1::VELOCITY_METRIC_DEPOSIT_REQUESTED) {
  absl::StatusOr<VelocityTotals> t = QueryVelocity(c, m, w, now);
  EXPECT_THAT(t, IsOk());
  return t.ok() ? *t : VelocityTotals{-1, -1};
}

TEST(VelocityTest, CountsAndSumsPerWindow) {
  v1::VelocityCounters c;
  const auto m = v1::VELOCITY_METRIC_DEPOSIT_REQUESTED;
  ASSERT_THAT(RecordVelocity(&c, m, 1000, kT0), IsOk());
  ASSERT_THAT(RecordVelocity(&c, m, 2000, kT0 + absl::Minutes(30)), IsOk());
  ASSERT_THAT(RecordVelocity(&c, m, 4000, kT0 + absl::Hours(5)), IsOk());
  ASSERT_THAT(RecordVelocity(&c, m, 8000, kT0 + absl::Hours(24 * 3)), IsOk());
  const absl::Time now = kT0 + absl::Hours(24 * 3) + absl::Minutes(1);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_1H, now).count, 1);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_1H, now).sum_minor_units, 8000);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_24H, now).count, 1);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_7D, now).count, 4);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_7D, now).sum_minor_units, 15000);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_30D, now).sum_minor_units, 15000);
  // Other metrics are independent.
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_30D, now, v1::VELOCITY_METRIC_LOGIN_FAILED).count, 0);
}

TEST(VelocityTest, WindowEdgesAreRoundedToTheGranularity) {
  v1::VelocityCounters c;
  const auto m = v1::VELOCITY_METRIC_LOGIN_FAILED;
  ASSERT_THAT(RecordVelocity(&c, m, 0, kT0), IsOk());
  // 1 h window, 5-min buckets: the event's bucket [T0, T0+5m) stays in the
  // window until T0+60m.
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_1H, kT0 + absl::Minutes(60) - absl::Seconds(1), m).count, 1);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_1H, kT0 + absl::Minutes(60), m).count, 0);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_24H, kT0 + absl::Hours(24) - absl::Seconds(1), m).count, 1);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_24H, kT0 + absl::Hours(24), m).count, 0);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_7D, kT0 + absl::Hours(168) - absl::Seconds(1), m).count, 1);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_7D, kT0 + absl::Hours(168), m).count, 0);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_30D, kT0 + absl::Hours(720) - absl::Seconds(1), m).count, 1);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_30D, kT0 + absl::Hours(720), m).count, 0);
  // A query before the event does not see it.
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_30D, kT0 - absl::Seconds(1), m).count, 0);
}

TEST(VelocityTest, AcceptsOutOfOrderEventsAndIgnoresTooOldOnes) {
  v1::VelocityCounters c;
  const auto m = v1::VELOCITY_METRIC_WAGER_STAKE;
  ASSERT_THAT(RecordVelocity(&c, m, 10, kT0 + absl::Hours(2)), IsOk());
  ASSERT_THAT(RecordVelocity(&c, m, 20, kT0 + absl::Minutes(90)), IsOk());
  ASSERT_THAT(RecordVelocity(&c, m, 40, kT0), IsOk());  // > 1 h before the newest
  const absl::Time now = kT0 + absl::Hours(2);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_1H, now, m).sum_minor_units, 30);
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_24H, now, m).sum_minor_units, 70);
}

TEST(VelocityTest, StorageStaysBounded) {
  v1::VelocityCounters c;
  const auto m = v1::VELOCITY_METRIC_DEPOSIT_COMPLETED;
  for (int i = 0; i < 5000; ++i) {
    ASSERT_THAT(RecordVelocity(&c, m, 1, kT0 + absl::Minutes(7 * i)), IsOk());
  }
  ASSERT_EQ(c.series_size(), 1);
  for (const v1::VelocityWindowCounter& w : c.series(0).windows()) {
    int64_t count = 0;
    for (const v1::VelocityBucket& b : w.buckets()) count += b.count();
    EXPECT_EQ(count, w.count());  // running totals match the buckets kept
    EXPECT_LE(w.buckets_size(), 30);
  }
}

TEST(VelocityTest, MatchesABruteForceReferenceOnRandomStreams) {
  std::mt19937_64 rng(20261125);
  for (int round = 0; round < 20; ++round) {
    v1::VelocityCounters c;
    std::vector<std::pair<absl::Time, int64_t>> events;
    absl::Time t = kT0;
    const auto m = v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED;
    for (int i = 0; i < 300; ++i) {
      t += absl::Seconds(static_cast<int64_t>(rng() % 20000));
      const int64_t amount = static_cast<int64_t>(rng() % 100000);
      ASSERT_THAT(RecordVelocity(&c, m, amount, t), IsOk());
      events.emplace_back(t, amount);
      const absl::Time now = t + absl::Seconds(static_cast<int64_t>(rng() % 3600));
      for (const VelocityWindowSpec& spec : VelocityWindowSpecs()) {
        // Reference: events whose bucket is one of the last N buckets at now.
        const int64_t g = spec.granularity_seconds;
        const int64_t current = absl::ToUnixSeconds(now) / g;
        VelocityTotals expected;
        for (const auto& [at, amt] : events) {
          const int64_t index = absl::ToUnixSeconds(at) / g;
          if (index > current - spec.bucket_count && index <= current) {
            ++expected.count;
            expected.sum_minor_units += amt;
          }
        }
        VelocityTotals got = Query(c, spec.window, now, m);
        ASSERT_EQ(got.count, expected.count) << "window " << spec.window;
        ASSERT_EQ(got.sum_minor_units, expected.sum_minor_units);
      }
    }
  }
}

TEST(VelocityTest, RejectsBadInputAndLeavesCountersUnchanged) {
  v1::VelocityCounters c;
  ASSERT_THAT(RecordVelocity(&c, v1::VELOCITY_METRIC_DEPOSIT_REQUESTED, 5, kT0), IsOk());
  const v1::VelocityCounters before = c;
  EXPECT_THAT(RecordVelocity(&c, v1::VELOCITY_METRIC_UNSPECIFIED, 1, kT0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(RecordVelocity(&c, static_cast<v1::VelocityMetric>(999), 1, kT0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(RecordVelocity(&c, v1::VELOCITY_METRIC_DEPOSIT_REQUESTED, -1, kT0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(RecordVelocity(&c, v1::VELOCITY_METRIC_DEPOSIT_REQUESTED,
                             std::numeric_limits<int64_t>::max(), kT0),
              StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_EQ(c.SerializeAsString(), before.SerializeAsString());
  EXPECT_THAT(QueryVelocity(c, v1::VELOCITY_METRIC_DEPOSIT_REQUESTED,
                            v1::VELOCITY_WINDOW_UNSPECIFIED, kT0),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
