// Velocity counters: how many events of a kind, and how much money, in the last
// 1 h / 24 h / 7 d / 30 d, kept inside the Account proto.
//
// Each metric keeps, per window, a short list of time buckets (index =
// floor(unix_seconds / granularity)):
//
//   window  granularity  buckets   the window covers
//   1 h     5 min        12        the current 5-min bucket + the 11 before it
//   24 h    1 h          24        the current hour + the 23 before it
//   7 d     6 h          28        the current 6 h + the 27 before it
//   30 d    1 d          30        the current UTC day + the 29 before it
//
// So a window's edge is rounded to its granularity: an event counts while its
// bucket is one of the window's last N buckets at `now` (it spans between
// (N-1)*granularity and N*granularity). Recording an event touches one bucket
// per window and drops buckets that fell out of the window: O(1) per event, as
// each list holds at most N buckets. A query sums the buckets in the window
// (at most N). Everything is integer arithmetic on the event times given:
// deterministic, no clock.
//
// Events older than a window's reach are not counted in that window; events may
// arrive out of order within it. Sums are in minor units of the account's
// currency (0 for count-only metrics such as failed logins).
//
// Wire layout (account.proto, VelocitySeries): the buckets of a series' four
// windows are three packed arrays (index deltas, counts, sums), a few bytes per
// bucket. Series in the legacy layout (one message per window and per bucket,
// written before 2026-11) are read as they are and rewritten in the compact
// layout by the next RecordVelocity on the counters (UpgradeLegacyVelocity);
// both layouts answer every query identically.
#ifndef PITBOSS_SRC_DOMAIN_VELOCITY_H_
#define PITBOSS_SRC_DOMAIN_VELOCITY_H_

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pitboss/v1/account.pb.h"

namespace pitboss {
namespace domain {

struct VelocityWindowSpec {
  v1::VelocityWindow window;
  absl::Duration length;
  int64_t granularity_seconds;
  int bucket_count;  // length / granularity
};

// The four windows, in VelocityWindow order (1 h, 24 h, 7 d, 30 d).
inline constexpr int kVelocityWindowCount = 4;
absl::Span<const VelocityWindowSpec> VelocityWindowSpecs();

struct VelocityTotals {
  int64_t count = 0;
  int64_t sum_minor_units = 0;
};

// Adds one event (count 1, `amount_minor_units`) at time `at` to `metric`.
// INVALID_ARGUMENT for an UNSPECIFIED/unknown metric, a negative amount or
// malformed counters (naming the series); OUT_OF_RANGE if a sum would
// overflow. `counters` is unchanged on error. Converts legacy-layout series to
// the compact layout first (same answers).
absl::Status RecordVelocity(v1::VelocityCounters* counters, v1::VelocityMetric metric,
                            int64_t amount_minor_units, absl::Time at);

// Count and sum of `metric` in `window` as seen at `now`. INVALID_ARGUMENT for
// an UNSPECIFIED/unknown metric or window, or malformed counters.
absl::StatusOr<VelocityTotals> QueryVelocity(const v1::VelocityCounters& counters,
                                             v1::VelocityMetric metric,
                                             v1::VelocityWindow window, absl::Time now);

// The series of `metric` (the first one), or nullptr when none was recorded.
const v1::VelocitySeries* FindVelocitySeries(const v1::VelocityCounters& counters,
                                             v1::VelocityMetric metric);

// QueryVelocity of all four windows of one series at once (VelocityWindowSpecs
// order); `series` may be nullptr (all zero). INVALID_ARGUMENT for malformed
// buckets or a non-finite `now`.
absl::StatusOr<std::array<VelocityTotals, kVelocityWindowCount>> QueryVelocitySeries(
    const v1::VelocitySeries* series, absl::Time now);

// Totals of the buckets of `metric` in `window` whose index is in
// [first_index, last_index] (an absent series or window is zero).
// INVALID_ARGUMENT for an unknown window or malformed counters.
absl::StatusOr<VelocityTotals> SumVelocityBuckets(const v1::VelocityCounters& counters,
                                                  v1::VelocityMetric metric,
                                                  v1::VelocityWindow window,
                                                  int64_t first_index, int64_t last_index);

// Rewrites every legacy-layout series in the compact layout; returns how many
// it rewrote. The answers of every query stay the same. INVALID_ARGUMENT
// naming the series for legacy buckets that are not strictly increasing or
// more than the window holds; `counters` is unchanged on error.
absl::StatusOr<int> UpgradeLegacyVelocity(v1::VelocityCounters* counters);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_VELOCITY_H_
