// The fixed cost of crossing the C ABI: a call returning a serialized message
// (allocate, serialize, free) against a plain scalar call as the baseline.
#include <cstddef>
#include <cstdint>

#include "benchmark/benchmark.h"
#include "pitboss/pitboss.h"

namespace {

void BM_VersionNumberBaseline(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(pitboss_version_number());
}
BENCHMARK(BM_VersionNumberBaseline);

void BM_VersionInfoRoundTrip(benchmark::State& state) {
  for (auto _ : state) {
    uint8_t* out = nullptr;
    size_t out_len = 0;
    if (pitboss_version_info(&out, &out_len, nullptr) != PITBOSS_OK) {
      state.SkipWithError("pitboss_version_info failed");
      break;
    }
    benchmark::DoNotOptimize(out);
    pitboss_free(out);
  }
}
BENCHMARK(BM_VersionInfoRoundTrip);

}  // namespace
