// Bucketed velocity counters (see velocity.h).
#include "src/domain/velocity.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/money.h"

namespace pitboss {
namespace domain {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

const std::array<VelocityWindowSpec, 4>& Specs() {
  static const std::array<VelocityWindowSpec, 4> specs = {{
      {v1::VELOCITY_WINDOW_1H, absl::Hours(1), 5 * kMinute, 12},
      {v1::VELOCITY_WINDOW_24H, absl::Hours(24), kHour, 24},
      {v1::VELOCITY_WINDOW_7D, absl::Hours(24 * 7), 6 * kHour, 28},
      {v1::VELOCITY_WINDOW_30D, absl::Hours(24 * 30), kDay, 30},
  }};
  return specs;
}

const VelocityWindowSpec* FindSpec(v1::VelocityWindow window) {
  for (const VelocityWindowSpec& spec : Specs()) {
    if (spec.window == window) return &spec;
  }
  return nullptr;
}

// floor(unix_seconds(t) / granularity), also for times before 1970.
int64_t BucketIndex(absl::Time t, int64_t granularity) {
  const int64_t seconds = absl::ToUnixSeconds(t);
  int64_t index = seconds / granularity;
  if (seconds % granularity != 0 && seconds < 0) --index;
  return index;
}

absl::Status ValidateMetric(v1::VelocityMetric metric) {
  if (metric == v1::VELOCITY_METRIC_UNSPECIFIED || !v1::VelocityMetric_IsValid(metric)) {
    return absl::InvalidArgumentError(
        absl::StrCat("velocity.metric: invalid value ", static_cast<int>(metric)));
  }
  return absl::OkStatus();
}

// Adds the event to one window; `counter` is a scratch copy.
absl::Status AddToWindow(v1::VelocityWindowCounter& counter, const VelocityWindowSpec& spec,
                         int64_t amount, absl::Time at) {
  const int64_t index = BucketIndex(at, spec.granularity_seconds);
  auto* buckets = counter.mutable_buckets();
  int64_t newest = index;
  if (!buckets->empty() && buckets->rbegin()->index() > newest) {
    newest = buckets->rbegin()->index();
  }
  const int64_t oldest_kept = newest - spec.bucket_count + 1;
  if (index < oldest_kept) return absl::OkStatus();  // beyond this window's reach

  // Find the bucket from the back (events usually arrive in order).
  int position = buckets->size();
  while (position > 0 && buckets->Get(position - 1).index() > index) --position;
  v1::VelocityBucket* bucket;
  if (position > 0 && buckets->Get(position - 1).index() == index) {
    bucket = buckets->Mutable(position - 1);
  } else {
    buckets->Add();
    for (int i = buckets->size() - 1; i > position; --i) buckets->SwapElements(i, i - 1);
    bucket = buckets->Mutable(position);
    bucket->set_index(index);
  }
  PITBOSS_ASSIGN_OR_RETURN(int64_t bucket_sum,
                           CheckedAdd(bucket->sum_minor_units(), amount, "velocity.sum"));
  PITBOSS_ASSIGN_OR_RETURN(int64_t total_sum,
                           CheckedAdd(counter.sum_minor_units(), amount, "velocity.sum"));
  bucket->set_count(bucket->count() + 1);
  bucket->set_sum_minor_units(bucket_sum);
  counter.set_count(counter.count() + 1);
  counter.set_sum_minor_units(total_sum);

  // Drop buckets that fell out of the window; at most bucket_count + 1 exist.
  int expired = 0;
  while (expired < buckets->size() && buckets->Get(expired).index() < oldest_kept) {
    counter.set_count(counter.count() - buckets->Get(expired).count());
    counter.set_sum_minor_units(counter.sum_minor_units() -
                                buckets->Get(expired).sum_minor_units());
    ++expired;
  }
  if (expired > 0) buckets->DeleteSubrange(0, expired);
  return absl::OkStatus();
}

}  // namespace

absl::Span<const VelocityWindowSpec> VelocityWindowSpecs() { return Specs(); }

absl::Status RecordVelocity(v1::VelocityCounters* counters, v1::VelocityMetric metric,
                            int64_t amount_minor_units, absl::Time at) {
  PITBOSS_RETURN_IF_ERROR(ValidateMetric(metric));
  if (amount_minor_units < 0) {
    return absl::InvalidArgumentError("velocity.amount: must not be negative");
  }
  if (at == absl::InfinitePast() || at == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("velocity.at: must be a finite time");
  }
  int series_index = -1;
  for (int i = 0; i < counters->series_size(); ++i) {
    if (counters->series(i).metric() == metric) {
      series_index = i;
      break;
    }
  }
  v1::VelocitySeries series;
  if (series_index >= 0) {
    series = counters->series(series_index);
  } else {
    series.set_metric(metric);
  }
  for (const VelocityWindowSpec& spec : Specs()) {
    v1::VelocityWindowCounter* counter = nullptr;
    for (v1::VelocityWindowCounter& existing : *series.mutable_windows()) {
      if (existing.window() == spec.window) counter = &existing;
    }
    if (counter == nullptr) {
      counter = series.add_windows();
      counter->set_window(spec.window);
    }
    PITBOSS_RETURN_IF_ERROR(AddToWindow(*counter, spec, amount_minor_units, at));
  }
  if (series_index >= 0) {
    *counters->mutable_series(series_index) = std::move(series);
  } else {
    *counters->add_series() = std::move(series);
  }
  return absl::OkStatus();
}

absl::StatusOr<VelocityTotals> QueryVelocity(const v1::VelocityCounters& counters,
                                             v1::VelocityMetric metric,
                                             v1::VelocityWindow window, absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateMetric(metric));
  const VelocityWindowSpec* spec = FindSpec(window);
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("velocity.window: invalid value ", static_cast<int>(window)));
  }
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("velocity.now: must be a finite time");
  }
  VelocityTotals totals;
  for (const v1::VelocitySeries& series : counters.series()) {
    if (series.metric() != metric) continue;
    for (const v1::VelocityWindowCounter& counter : series.windows()) {
      if (counter.window() != window) continue;
      const int64_t current = BucketIndex(now, spec->granularity_seconds);
      const int64_t oldest = current - spec->bucket_count + 1;
      totals.count = counter.count();
      totals.sum_minor_units = counter.sum_minor_units();
      const auto& buckets = counter.buckets();
      int front = 0;
      for (; front < buckets.size() && buckets.Get(front).index() < oldest; ++front) {
        totals.count -= buckets.Get(front).count();
        totals.sum_minor_units -= buckets.Get(front).sum_minor_units();
      }
      for (int back = buckets.size() - 1; back >= front && buckets.Get(back).index() > current;
           --back) {
        totals.count -= buckets.Get(back).count();
        totals.sum_minor_units -= buckets.Get(back).sum_minor_units();
      }
      return totals;
    }
  }
  return totals;
}

}  // namespace domain
}  // namespace pitboss
