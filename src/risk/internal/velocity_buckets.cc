// Sums over velocity buckets (see velocity_buckets.h).
#include "src/risk/internal/velocity_buckets.h"

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace risk_internal {
namespace {

const domain::VelocityWindowSpec* FindSpec(v1::VelocityWindow window) {
  for (const domain::VelocityWindowSpec& spec : domain::VelocityWindowSpecs()) {
    if (spec.window == window) return &spec;
  }
  return nullptr;
}

}  // namespace

int64_t BucketIndexAt(absl::Time t, int64_t granularity_seconds) {
  const int64_t seconds = absl::ToUnixSeconds(t);
  int64_t index = seconds / granularity_seconds;
  if (seconds % granularity_seconds != 0 && seconds < 0) --index;
  return index;
}

absl::StatusOr<domain::VelocityTotals> SumBuckets(const v1::VelocityCounters& counters,
                                                  v1::VelocityMetric metric,
                                                  v1::VelocityWindow window,
                                                  int64_t first_index, int64_t last_index) {
  return domain::SumVelocityBuckets(counters, metric, window, first_index, last_index);
}

absl::StatusOr<domain::VelocityTotals> SumLastBuckets(const v1::VelocityCounters& counters,
                                                      v1::VelocityMetric metric,
                                                      v1::VelocityWindow window,
                                                      int bucket_count, absl::Time now) {
  const domain::VelocityWindowSpec* spec = FindSpec(window);
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("velocity.window: invalid value ", static_cast<int>(window)));
  }
  if (bucket_count < 1 || bucket_count > spec->bucket_count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "velocity.bucket_count: must be 1..", spec->bucket_count, ", got ", bucket_count));
  }
  const int64_t current = BucketIndexAt(now, spec->granularity_seconds);
  return SumBuckets(counters, metric, window, current - bucket_count + 1, current);
}

absl::StatusOr<TotalsSince> SumSince(const v1::VelocityCounters& counters,
                                     v1::VelocityMetric metric, absl::Time since,
                                     absl::Time now) {
  TotalsSince result;
  if (since > now) return result;
  for (const domain::VelocityWindowSpec& spec : domain::VelocityWindowSpecs()) {
    const int64_t current = BucketIndexAt(now, spec.granularity_seconds);
    const int64_t oldest = current - spec.bucket_count + 1;
    const int64_t first = BucketIndexAt(since, spec.granularity_seconds);
    if (first < oldest) continue;
    PITBOSS_ASSIGN_OR_RETURN(result.totals,
                             SumBuckets(counters, metric, spec.window, first, current));
    return result;
  }
  PITBOSS_ASSIGN_OR_RETURN(
      result.totals,
      domain::QueryVelocity(counters, metric, v1::VELOCITY_WINDOW_30D, now));
  result.truncated = true;
  return result;
}

}  // namespace risk_internal
}  // namespace pitboss
