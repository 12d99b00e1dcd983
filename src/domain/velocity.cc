// Bucketed velocity counters (see velocity.h).
#include "src/domain/velocity.h"

#include <array>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/money.h"

namespace pitboss {
namespace domain {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int kMaxBuckets = 30;  // the largest bucket_count below

const std::array<VelocityWindowSpec, kVelocityWindowCount>& Specs() {
  static const std::array<VelocityWindowSpec, kVelocityWindowCount> specs = {{
      {v1::VELOCITY_WINDOW_1H, absl::Hours(1), 5 * kMinute, 12},
      {v1::VELOCITY_WINDOW_24H, absl::Hours(24), kHour, 24},
      {v1::VELOCITY_WINDOW_7D, absl::Hours(24 * 7), 6 * kHour, 28},
      {v1::VELOCITY_WINDOW_30D, absl::Hours(24 * 30), kDay, kMaxBuckets},
  }};
  return specs;
}

// The position of `window` in Specs(), or -1.
int WindowPosition(v1::VelocityWindow window) {
  for (int w = 0; w < kVelocityWindowCount; ++w) {
    if (Specs()[w].window == window) return w;
  }
  return -1;
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

absl::Status ValidateNow(absl::Time now) {
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("velocity.now: must be a finite time");
  }
  return absl::OkStatus();
}

std::string SeriesField(const v1::VelocitySeries& series) {
  return absl::StrCat("velocity.series[", v1::VelocityMetric_Name(series.metric()), "]");
}

absl::Status Malformed(const v1::VelocitySeries& series, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(SeriesField(series), ": ", what));
}

// The first legacy window counter of `window`, or nullptr.
const v1::VelocityWindowCounter* LegacyWindow(const v1::VelocitySeries& series,
                                              v1::VelocityWindow window) {
  for (const v1::VelocityWindowCounter& counter : series.windows()) {
    if (counter.window() == window) return &counter;
  }
  return nullptr;
}

bool IsCompact(const v1::VelocitySeries& series) {
  return series.window_bucket_count_size() > 0;
}

// Checks the compact arrays' shapes; sets offsets[w] to the first bucket of
// window w.
absl::Status CompactOffsets(const v1::VelocitySeries& series,
                            std::array<int, kVelocityWindowCount + 1>& offsets) {
  if (series.window_bucket_count_size() != kVelocityWindowCount) {
    return Malformed(series, absl::StrCat("window_bucket_count: must have ",
                                          kVelocityWindowCount, " entries, got ",
                                          series.window_bucket_count_size()));
  }
  offsets[0] = 0;
  for (int w = 0; w < kVelocityWindowCount; ++w) {
    const int32_t n = series.window_bucket_count(w);
    if (n < 0 || n > Specs()[w].bucket_count) {
      return Malformed(series, absl::StrCat("window_bucket_count[", w, "]: must be 0..",
                                            Specs()[w].bucket_count, ", got ", n));
    }
    offsets[w + 1] = offsets[w] + n;
  }
  const int total = offsets[kVelocityWindowCount];
  if (series.bucket_index_delta_size() != total || series.bucket_count_size() != total ||
      (series.bucket_sum_size() != 0 && series.bucket_sum_size() != total)) {
    return Malformed(series, absl::StrCat("bucket arrays: must hold ", total,
                                          " entries (bucket_sum: or none), got ",
                                          series.bucket_index_delta_size(), "/",
                                          series.bucket_count_size(), "/",
                                          series.bucket_sum_size()));
  }
  return absl::OkStatus();
}

// Calls fn(index, count, sum) for each bucket of window position `w` of
// `series` (either layout), oldest first; indices are checked to increase.
template <typename Fn>
absl::Status ForEachBucket(const v1::VelocitySeries& series, int w, Fn&& fn) {
  if (IsCompact(series)) {
    std::array<int, kVelocityWindowCount + 1> offsets;
    PITBOSS_RETURN_IF_ERROR(CompactOffsets(series, offsets));
    const bool has_sums = series.bucket_sum_size() != 0;
    int64_t index = 0;
    for (int i = offsets[w]; i < offsets[w + 1]; ++i) {
      const int64_t delta = series.bucket_index_delta(i);
      if (i == offsets[w]) {
        index = delta;
      } else if (delta <= 0 || __builtin_add_overflow(index, delta, &index)) {
        return Malformed(series, "bucket_index_delta: bucket indices must increase");
      }
      fn(index, series.bucket_count(i), has_sums ? series.bucket_sum(i) : 0);
    }
    return absl::OkStatus();
  }
  const v1::VelocityWindowCounter* counter = LegacyWindow(series, Specs()[w].window);
  if (counter == nullptr) return absl::OkStatus();
  if (counter->buckets_size() > Specs()[w].bucket_count) {
    return Malformed(series, "windows.buckets: more buckets than the window holds");
  }
  for (int i = 0; i < counter->buckets_size(); ++i) {
    const v1::VelocityBucket& bucket = counter->buckets(i);
    if (i > 0 && bucket.index() <= counter->buckets(i - 1).index()) {
      return Malformed(series, "windows.buckets: bucket indices must increase");
    }
    fn(bucket.index(), bucket.count(), bucket.sum_minor_units());
  }
  return absl::OkStatus();
}

// Totals of the buckets of window position `w` with index in [first, last].
absl::StatusOr<VelocityTotals> SumRange(const v1::VelocitySeries& series, int w,
                                        int64_t first, int64_t last) {
  VelocityTotals totals;
  bool overflow = false;
  PITBOSS_RETURN_IF_ERROR(
      ForEachBucket(series, w, [&](int64_t index, int64_t count, int64_t sum) {
        if (index < first || index > last) return;
        overflow |= __builtin_add_overflow(totals.count, count, &totals.count);
        overflow |= __builtin_add_overflow(totals.sum_minor_units, sum, &totals.sum_minor_units);
      }));
  if (overflow) return Malformed(series, "bucket totals overflow");
  return totals;
}

// One series, decoded for an update.
struct DecodedWindow {
  int size = 0;
  // One spare slot: a new bucket is inserted before the expired ones drop.
  std::array<int64_t, kMaxBuckets + 1> index;
  std::array<int64_t, kMaxBuckets + 1> count;
  std::array<int64_t, kMaxBuckets + 1> sum;
};
using DecodedSeries = std::array<DecodedWindow, kVelocityWindowCount>;

absl::Status Decode(const v1::VelocitySeries& series, DecodedSeries& out) {
  for (int w = 0; w < kVelocityWindowCount; ++w) {
    DecodedWindow& window = out[w];
    window.size = 0;
    PITBOSS_RETURN_IF_ERROR(
        ForEachBucket(series, w, [&window](int64_t index, int64_t count, int64_t sum) {
          // ForEachBucket checked there are at most bucket_count <= kMaxBuckets.
          window.index[window.size] = index;
          window.count[window.size] = count;
          window.sum[window.size] = sum;
          ++window.size;
        }));
  }
  return absl::OkStatus();
}

// Writes `decoded` into `series` in the compact layout (legacy fields cleared).
void Encode(const DecodedSeries& decoded, v1::VelocitySeries& series) {
  series.clear_windows();
  series.clear_window_bucket_count();
  series.clear_bucket_index_delta();
  series.clear_bucket_count();
  series.clear_bucket_sum();
  int total = 0;
  bool any_sum = false;
  for (const DecodedWindow& window : decoded) {
    total += window.size;
    for (int i = 0; i < window.size; ++i) any_sum |= window.sum[i] != 0;
  }
  series.mutable_window_bucket_count()->Reserve(kVelocityWindowCount);
  series.mutable_bucket_index_delta()->Reserve(total);
  series.mutable_bucket_count()->Reserve(total);
  if (any_sum) series.mutable_bucket_sum()->Reserve(total);
  for (const DecodedWindow& window : decoded) {
    series.add_window_bucket_count(window.size);
    for (int i = 0; i < window.size; ++i) {
      series.add_bucket_index_delta(i == 0 ? window.index[0]
                                           : window.index[i] - window.index[i - 1]);
      series.add_bucket_count(window.count[i]);
      if (any_sum) series.add_bucket_sum(window.sum[i]);
    }
  }
}

// Adds the event to one decoded window.
absl::Status AddToWindow(DecodedWindow& window, const VelocityWindowSpec& spec, int64_t amount,
                         absl::Time at) {
  const int64_t index = BucketIndex(at, spec.granularity_seconds);
  int64_t newest = index;
  if (window.size > 0 && window.index[window.size - 1] > newest) {
    newest = window.index[window.size - 1];
  }
  const int64_t oldest_kept = newest - spec.bucket_count + 1;
  if (index < oldest_kept) return absl::OkStatus();  // beyond this window's reach

  // Overflow as if summing every bucket kept (the running total of the old
  // layout), then the bucket itself.
  int64_t total_sum = 0;
  for (int i = 0; i < window.size; ++i) {
    PITBOSS_ASSIGN_OR_RETURN(total_sum, CheckedAdd(total_sum, window.sum[i], "velocity.sum"));
  }
  PITBOSS_RETURN_IF_ERROR(CheckedAdd(total_sum, amount, "velocity.sum").status());

  // Find the bucket from the back (events usually arrive in order).
  int position = window.size;
  while (position > 0 && window.index[position - 1] > index) --position;
  if (position > 0 && window.index[position - 1] == index) {
    PITBOSS_ASSIGN_OR_RETURN(window.sum[position - 1],
                             CheckedAdd(window.sum[position - 1], amount, "velocity.sum"));
    window.count[position - 1] += 1;
  } else {
    for (int i = window.size; i > position; --i) {
      window.index[i] = window.index[i - 1];
      window.count[i] = window.count[i - 1];
      window.sum[i] = window.sum[i - 1];
    }
    window.index[position] = index;
    window.count[position] = 1;
    window.sum[position] = amount;
    ++window.size;
  }

  // Drop buckets that fell out of the window.
  int expired = 0;
  while (expired < window.size && window.index[expired] < oldest_kept) ++expired;
  if (expired > 0) {
    for (int i = expired; i < window.size; ++i) {
      window.index[i - expired] = window.index[i];
      window.count[i - expired] = window.count[i];
      window.sum[i - expired] = window.sum[i];
    }
    window.size -= expired;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Span<const VelocityWindowSpec> VelocityWindowSpecs() { return Specs(); }

const v1::VelocitySeries* FindVelocitySeries(const v1::VelocityCounters& counters,
                                             v1::VelocityMetric metric) {
  for (const v1::VelocitySeries& series : counters.series()) {
    if (series.metric() == metric) return &series;
  }
  return nullptr;
}

absl::StatusOr<int> UpgradeLegacyVelocity(v1::VelocityCounters* counters) {
  std::vector<std::pair<int, DecodedSeries>> upgrades;
  for (int i = 0; i < counters->series_size(); ++i) {
    const v1::VelocitySeries& series = counters->series(i);
    if (series.windows_size() == 0) continue;
    upgrades.emplace_back();
    upgrades.back().first = i;
    PITBOSS_RETURN_IF_ERROR(Decode(series, upgrades.back().second));
  }
  for (const auto& [i, decoded] : upgrades) Encode(decoded, *counters->mutable_series(i));
  return static_cast<int>(upgrades.size());
}

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
  bool any_legacy = false;
  for (int i = 0; i < counters->series_size(); ++i) {
    const v1::VelocitySeries& series = counters->series(i);
    if (series_index < 0 && series.metric() == metric) series_index = i;
    any_legacy |= series.windows_size() > 0;
  }
  DecodedSeries decoded;
  if (series_index >= 0) {
    PITBOSS_RETURN_IF_ERROR(Decode(counters->series(series_index), decoded));
  }
  for (int w = 0; w < kVelocityWindowCount; ++w) {
    PITBOSS_RETURN_IF_ERROR(AddToWindow(decoded[w], Specs()[w], amount_minor_units, at));
  }
  // Nothing changed so far; from here on nothing fails but the upgrade, which
  // checks every series before it writes.
  if (any_legacy) PITBOSS_RETURN_IF_ERROR(UpgradeLegacyVelocity(counters).status());
  v1::VelocitySeries* series;
  if (series_index >= 0) {
    series = counters->mutable_series(series_index);
  } else {
    series = counters->add_series();
    series->set_metric(metric);
  }
  Encode(decoded, *series);
  return absl::OkStatus();
}

absl::StatusOr<std::array<VelocityTotals, kVelocityWindowCount>> QueryVelocitySeries(
    const v1::VelocitySeries* series, absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateNow(now));
  std::array<VelocityTotals, kVelocityWindowCount> totals{};
  if (series == nullptr) return totals;
  if (IsCompact(*series)) {
    // The hot path (features read 14 series per event): the shape checked
    // once, then one tight pass over the packed arrays.
    std::array<int, kVelocityWindowCount + 1> offsets;
    PITBOSS_RETURN_IF_ERROR(CompactOffsets(*series, offsets));
    const int64_t* deltas = series->bucket_index_delta().data();
    const int64_t* counts = series->bucket_count().data();
    const int64_t* sums = series->bucket_sum_size() == 0 ? nullptr : series->bucket_sum().data();
    bool malformed = false;
    for (int w = 0; w < kVelocityWindowCount; ++w) {
      const VelocityWindowSpec& spec = Specs()[w];
      const int64_t current = BucketIndex(now, spec.granularity_seconds);
      const int64_t oldest = current - spec.bucket_count + 1;
      int64_t index = 0;
      VelocityTotals& out = totals[w];
      for (int i = offsets[w]; i < offsets[w + 1]; ++i) {
        if (i == offsets[w]) {
          index = deltas[i];
        } else {
          malformed |= deltas[i] <= 0 || __builtin_add_overflow(index, deltas[i], &index);
        }
        if (index < oldest || index > current) continue;
        malformed |= __builtin_add_overflow(out.count, counts[i], &out.count);
        if (sums != nullptr) {
          malformed |= __builtin_add_overflow(out.sum_minor_units, sums[i], &out.sum_minor_units);
        }
      }
    }
    if (malformed) {
      return Malformed(*series, "bucket indices must increase and totals fit in int64");
    }
    return totals;
  }
  for (int w = 0; w < kVelocityWindowCount; ++w) {
    const VelocityWindowSpec& spec = Specs()[w];
    const int64_t current = BucketIndex(now, spec.granularity_seconds);
    PITBOSS_ASSIGN_OR_RETURN(totals[w],
                             SumRange(*series, w, current - spec.bucket_count + 1, current));
  }
  return totals;
}

absl::StatusOr<VelocityTotals> QueryVelocity(const v1::VelocityCounters& counters,
                                             v1::VelocityMetric metric,
                                             v1::VelocityWindow window, absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateMetric(metric));
  const int w = WindowPosition(window);
  if (w < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("velocity.window: invalid value ", static_cast<int>(window)));
  }
  PITBOSS_RETURN_IF_ERROR(ValidateNow(now));
  const v1::VelocitySeries* series = FindVelocitySeries(counters, metric);
  if (series == nullptr) return VelocityTotals{};
  const VelocityWindowSpec& spec = Specs()[w];
  const int64_t current = BucketIndex(now, spec.granularity_seconds);
  return SumRange(*series, w, current - spec.bucket_count + 1, current);
}

absl::StatusOr<VelocityTotals> SumVelocityBuckets(const v1::VelocityCounters& counters,
                                                  v1::VelocityMetric metric,
                                                  v1::VelocityWindow window,
                                                  int64_t first_index, int64_t last_index) {
  const int w = WindowPosition(window);
  if (w < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("velocity.window: invalid value ", static_cast<int>(window)));
  }
  const v1::VelocitySeries* series = FindVelocitySeries(counters, metric);
  if (series == nullptr) return VelocityTotals{};
  return SumRange(*series, w, first_index, last_index);
}

}  // namespace domain
}  // namespace pitboss
