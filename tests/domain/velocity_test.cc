// Velocity counters: bucketed 1 h / 24 h / 7 d / 30 d counts and sums.
#include "src/domain/velocity.h"

#include <cstdint>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/velocity_legacy_layout.h"
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
  const v1::VelocitySeries& series = c.series(0);
  EXPECT_EQ(series.windows_size(), 0);  // compact layout only
  ASSERT_EQ(series.window_bucket_count_size(), 4);
  int total = 0;
  for (int w = 0; w < 4; ++w) {
    EXPECT_LE(series.window_bucket_count(w), VelocityWindowSpecs()[w].bucket_count);
    total += series.window_bucket_count(w);
  }
  EXPECT_EQ(series.bucket_index_delta_size(), total);
  EXPECT_EQ(series.bucket_count_size(), total);
  EXPECT_EQ(series.bucket_sum_size(), total);
  // Every window's count is the number of events in its reach.
  const absl::Time now = kT0 + absl::Minutes(7 * 4999);
  for (const VelocityWindowSpec& spec : VelocityWindowSpecs()) {
    const int64_t current = absl::ToUnixSeconds(now) / spec.granularity_seconds;
    int64_t expected = 0;
    for (int i = 0; i < 5000; ++i) {
      const int64_t index =
          absl::ToUnixSeconds(kT0 + absl::Minutes(7 * i)) / spec.granularity_seconds;
      expected += index > current - spec.bucket_count;
    }
    EXPECT_EQ(Query(c, spec.window, now, m).count, expected);
    EXPECT_EQ(Query(c, spec.window, now, m).sum_minor_units, expected);
  }
}

TEST(VelocityTest, CountOnlyMetricsStoreNoSums) {
  v1::VelocityCounters c;
  const auto m = v1::VELOCITY_METRIC_LOGIN_FAILED;
  ASSERT_THAT(RecordVelocity(&c, m, 0, kT0), IsOk());
  ASSERT_THAT(RecordVelocity(&c, m, 0, kT0 + absl::Hours(3)), IsOk());
  ASSERT_EQ(c.series_size(), 1);
  EXPECT_EQ(c.series(0).bucket_sum_size(), 0);
  EXPECT_EQ(c.series(0).bucket_count_size(), 1 + 2 + 1 + 1);  // 1 h keeps only the last
  EXPECT_EQ(Query(c, v1::VELOCITY_WINDOW_24H, kT0 + absl::Hours(3), m).count, 2);
  // A metric with money keeps them.
  ASSERT_THAT(RecordVelocity(&c, v1::VELOCITY_METRIC_WAGER_STAKE, 0, kT0), IsOk());
  ASSERT_THAT(RecordVelocity(&c, v1::VELOCITY_METRIC_WAGER_STAKE, 7, kT0), IsOk());
  EXPECT_EQ(c.series(1).bucket_sum_size(), 4);
}

// Random streams with random query times, recorded in the compact layout; the
// same counters in the legacy layout answer the same, and recording one more
// event into the legacy counters gives exactly the compact counters' bytes.
TEST(VelocityTest, LegacyLayoutReadsAndUpgradesToTheSameAnswers) {
  std::mt19937_64 rng(7);
  const v1::VelocityMetric metrics[] = {v1::VELOCITY_METRIC_WAGER_STAKE,
                                        v1::VELOCITY_METRIC_LOGIN_FAILED,
                                        v1::VELOCITY_METRIC_DEPOSIT_COMPLETED};
  for (int round = 0; round < 10; ++round) {
    v1::VelocityCounters compact;
    absl::Time t = kT0;
    for (int i = 0; i < 200; ++i) {
      t += absl::Seconds(static_cast<int64_t>(rng() % 30000));
      const v1::VelocityMetric m = metrics[rng() % 3];
      const int64_t amount = m == v1::VELOCITY_METRIC_LOGIN_FAILED ? 0 : rng() % 5000;
      // Sometimes out of order (up to 2 days back).
      const absl::Time at = rng() % 5 == 0 ? t - absl::Seconds(rng() % 172800) : t;
      ASSERT_THAT(RecordVelocity(&compact, m, amount, at), IsOk());
    }
    const v1::VelocityCounters legacy = testing::ToLegacyVelocityLayout(compact);
    ASSERT_GT(legacy.series(0).windows_size(), 0);
    for (int q = 0; q < 40; ++q) {
      const absl::Time now = t + absl::Seconds(static_cast<int64_t>(rng() % 3000000)) -
                             absl::Seconds(1500000);
      for (const v1::VelocityMetric m : metrics) {
        auto all_compact = QueryVelocitySeries(FindVelocitySeries(compact, m), now);
        auto all_legacy = QueryVelocitySeries(FindVelocitySeries(legacy, m), now);
        ASSERT_THAT(all_compact, IsOk());
        ASSERT_THAT(all_legacy, IsOk());
        for (int w = 0; w < 4; ++w) {
          const VelocityTotals a = Query(compact, VelocityWindowSpecs()[w].window, now, m);
          const VelocityTotals b = Query(legacy, VelocityWindowSpecs()[w].window, now, m);
          ASSERT_EQ(a.count, b.count);
          ASSERT_EQ(a.sum_minor_units, b.sum_minor_units);
          // All four windows at once: the same totals, in either layout.
          ASSERT_EQ((*all_compact)[w].count, a.count);
          ASSERT_EQ((*all_compact)[w].sum_minor_units, a.sum_minor_units);
          ASSERT_EQ((*all_legacy)[w].count, a.count);
          ASSERT_EQ((*all_legacy)[w].sum_minor_units, a.sum_minor_units);
        }
      }
    }
    v1::VelocityCounters upgraded = legacy;
    v1::VelocityCounters expected = compact;
    ASSERT_THAT(RecordVelocity(&upgraded, v1::VELOCITY_METRIC_SUPPORT_CALL, 0, t), IsOk());
    ASSERT_THAT(RecordVelocity(&expected, v1::VELOCITY_METRIC_SUPPORT_CALL, 0, t), IsOk());
    EXPECT_EQ(upgraded.SerializeAsString(), expected.SerializeAsString());
    // UpgradeLegacyVelocity alone: same bytes as the compact counters.
    v1::VelocityCounters converted = legacy;
    absl::StatusOr<int> rewritten = UpgradeLegacyVelocity(&converted);
    ASSERT_THAT(rewritten, IsOk());
    EXPECT_EQ(*rewritten, compact.series_size());
    EXPECT_EQ(converted.SerializeAsString(), compact.SerializeAsString());
    rewritten = UpgradeLegacyVelocity(&converted);
    ASSERT_THAT(rewritten, IsOk());
    EXPECT_EQ(*rewritten, 0);
  }
}

TEST(VelocityTest, RejectsMalformedCountersAndLeavesThemUnchanged) {
  const auto m = v1::VELOCITY_METRIC_WAGER_STAKE;
  v1::VelocityCounters good;
  ASSERT_THAT(RecordVelocity(&good, m, 5, kT0), IsOk());
  ASSERT_THAT(RecordVelocity(&good, m, 5, kT0 + absl::Hours(2)), IsOk());

  v1::VelocityCounters short_arrays = good;
  short_arrays.mutable_series(0)->mutable_bucket_count()->RemoveLast();
  v1::VelocityCounters bad_window = good;
  bad_window.mutable_series(0)->set_window_bucket_count(0, 13);  // 1 h holds 12
  v1::VelocityCounters decreasing = good;
  // The 24 h window holds buckets 1 and 2 (the 1 h window only the newest).
  ASSERT_EQ(good.series(0).window_bucket_count(1), 2);
  decreasing.mutable_series(0)->set_bucket_index_delta(2, -3);
  v1::VelocityCounters legacy_unsorted = testing::ToLegacyVelocityLayout(good);
  legacy_unsorted.mutable_series(0)->mutable_windows(1)->mutable_buckets()->SwapElements(0, 1);
  for (const v1::VelocityCounters& bad : {short_arrays, bad_window, decreasing, legacy_unsorted}) {
    v1::VelocityCounters c = bad;
    EXPECT_THAT(RecordVelocity(&c, m, 1, kT0 + absl::Hours(3)),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(c.SerializeAsString(), bad.SerializeAsString());
    EXPECT_THAT(QueryVelocity(c, m, v1::VELOCITY_WINDOW_24H, kT0 + absl::Hours(3)),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(QueryVelocitySeries(FindVelocitySeries(c, m), kT0 + absl::Hours(3)),
                StatusIs(absl::StatusCode::kInvalidArgument));
    if (bad.series(0).windows_size() > 0) {
      EXPECT_THAT(UpgradeLegacyVelocity(&c).status(),
                  StatusIs(absl::StatusCode::kInvalidArgument));
    } else {
      EXPECT_THAT(UpgradeLegacyVelocity(&c).status(), IsOk());  // nothing to upgrade
    }
    EXPECT_EQ(c.SerializeAsString(), bad.SerializeAsString());
  }
  // A legacy series elsewhere that cannot be upgraded fails a record on
  // another metric, and nothing changes.
  v1::VelocityCounters mixed = legacy_unsorted;
  const v1::VelocityCounters mixed_before = mixed;
  EXPECT_THAT(RecordVelocity(&mixed, v1::VELOCITY_METRIC_LOGIN_FAILED, 0, kT0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(mixed.SerializeAsString(), mixed_before.SerializeAsString());
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
