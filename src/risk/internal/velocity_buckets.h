// Questions the domain's velocity API (src/domain/velocity.h) does not answer
// directly, answered from the same bucketed counters: totals over the last k
// buckets of a window (a 15-minute burst = the 1 h window's last three 5-minute
// buckets) and totals since a given time (wagering since the last deposit).
//
// Buckets are read through domain::SumVelocityBuckets (either wire layout;
// index = floor(unix_seconds / granularity), with the granularities of
// domain::VelocityWindowSpecs()); nothing here writes to them.
#ifndef PITBOSS_SRC_RISK_INTERNAL_VELOCITY_BUCKETS_H_
#define PITBOSS_SRC_RISK_INTERNAL_VELOCITY_BUCKETS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "src/domain/velocity.h"

namespace pitboss {
namespace risk_internal {

// floor(unix_seconds(t) / granularity_seconds), also before 1970.
int64_t BucketIndexAt(absl::Time t, int64_t granularity_seconds);

// Totals of the buckets of `metric` in `window` whose index is in
// [first_index, last_index]. An absent series or window is zero;
// INVALID_ARGUMENT for malformed counters.
absl::StatusOr<domain::VelocityTotals> SumBuckets(const v1::VelocityCounters& counters,
                                  v1::VelocityMetric metric, v1::VelocityWindow window,
                                  int64_t first_index, int64_t last_index);

// Totals of the last `bucket_count` buckets of `window` at `now` (the current
// bucket and the bucket_count - 1 before it). INVALID_ARGUMENT for an unknown
// window or a bucket_count outside 1..the window's bucket count.
absl::StatusOr<domain::VelocityTotals> SumLastBuckets(const v1::VelocityCounters& counters,
                                                      v1::VelocityMetric metric,
                                                      v1::VelocityWindow window,
                                                      int bucket_count, absl::Time now);

struct TotalsSince {
  domain::VelocityTotals totals;
  // `since` is beyond the 30-day window's reach: totals are the 30-day ones,
  // a lower bound.
  bool truncated = false;
};

// Totals from the bucket holding `since` up to the bucket holding `now`, in
// the finest window that still reaches back to `since` (so events up to one
// bucket before `since` may count). `since` after `now`: zero.
absl::StatusOr<TotalsSince> SumSince(const v1::VelocityCounters& counters,
                                     v1::VelocityMetric metric, absl::Time since,
                                     absl::Time now);

}  // namespace risk_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_INTERNAL_VELOCITY_BUCKETS_H_
