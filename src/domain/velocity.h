// Velocity counters: how many events of a kind, and how much money, in the last
// 1 h / 24 h / 7 d / 30 d, kept inside the Account proto.
//
// Each metric keeps, per window, a short list of time buckets (index =
// floor(unix_seconds / granularity)) plus running totals:
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
// each list holds at most N buckets. A query subtracts the expired and future
// buckets from the running totals (bounded by N). Everything is integer
// arithmetic on the event times given: deterministic, no clock.
//
// Events older than a window's reach are not counted in that window; events may
// arrive out of order within it. Sums are in minor units of the account's
// currency (0 for count-only metrics such as failed logins).
#ifndef PITBOSS_SRC_DOMAIN_VELOCITY_H_
#define PITBOSS_SRC_DOMAIN_VELOCITY_H_

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
absl::Span<const VelocityWindowSpec> VelocityWindowSpecs();

struct VelocityTotals {
  int64_t count = 0;
  int64_t sum_minor_units = 0;
};

// Adds one event (count 1, `amount_minor_units`) at time `at` to `metric`.
// INVALID_ARGUMENT for an UNSPECIFIED/unknown metric or a negative amount;
// OUT_OF_RANGE if a sum would overflow. `counters` is unchanged on error.
absl::Status RecordVelocity(v1::VelocityCounters* counters, v1::VelocityMetric metric,
                            int64_t amount_minor_units, absl::Time at);

// Count and sum of `metric` in `window` as seen at `now`. INVALID_ARGUMENT for
// an UNSPECIFIED/unknown metric or window.
absl::StatusOr<VelocityTotals> QueryVelocity(const v1::VelocityCounters& counters,
                                             v1::VelocityMetric metric,
                                             v1::VelocityWindow window, absl::Time now);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_VELOCITY_H_
