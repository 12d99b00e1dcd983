// Test helper: writes velocity counters in the legacy wire layout (one
// VelocityWindowCounter per window with running totals, one VelocityBucket per
// bucket), the layout RecordVelocity wrote before 2026-11, so tests can build
// old-layout accounts and check that they read and evaluate the same.
//
// It decodes the compact arrays itself (not through src/domain), so it also
// checks the documented compact layout of account.proto.
#ifndef PITBOSS_TESTS_DOMAIN_VELOCITY_LEGACY_LAYOUT_H_
#define PITBOSS_TESTS_DOMAIN_VELOCITY_LEGACY_LAYOUT_H_

#include "pitboss/v1/account.pb.h"

namespace pitboss {
namespace testing {

// The windows in the order of the compact layout.
inline constexpr v1::VelocityWindow kLegacyWindowOrder[4] = {
    v1::VELOCITY_WINDOW_1H, v1::VELOCITY_WINDOW_24H, v1::VELOCITY_WINDOW_7D,
    v1::VELOCITY_WINDOW_30D};

// `compact` (every series in the compact layout) in the legacy layout.
inline v1::VelocityCounters ToLegacyVelocityLayout(const v1::VelocityCounters& compact) {
  v1::VelocityCounters legacy;
  for (const v1::VelocitySeries& series : compact.series()) {
    v1::VelocitySeries* out = legacy.add_series();
    out->set_metric(series.metric());
    int next = 0;
    for (int w = 0; w < series.window_bucket_count_size(); ++w) {
      v1::VelocityWindowCounter* counter = out->add_windows();
      counter->set_window(kLegacyWindowOrder[w]);
      int64_t index = 0;
      for (int i = 0; i < series.window_bucket_count(w); ++i, ++next) {
        index = i == 0 ? series.bucket_index_delta(next) : index + series.bucket_index_delta(next);
        const int64_t sum = series.bucket_sum_size() == 0 ? 0 : series.bucket_sum(next);
        v1::VelocityBucket* bucket = counter->add_buckets();
        bucket->set_index(index);
        bucket->set_count(series.bucket_count(next));
        bucket->set_sum_minor_units(sum);
        counter->set_count(counter->count() + series.bucket_count(next));
        counter->set_sum_minor_units(counter->sum_minor_units() + sum);
      }
    }
  }
  return legacy;
}

// The account with its velocity counters in the legacy layout.
inline v1::Account WithLegacyVelocityLayout(v1::Account account) {
  *account.mutable_velocity() = ToLegacyVelocityLayout(account.velocity());
  return account;
}

}  // namespace testing
}  // namespace pitboss

#endif  // PITBOSS_TESTS_DOMAIN_VELOCITY_LEGACY_LAYOUT_H_
