// Google Benchmark cases for CEL rule evaluation on the peers' fraud-rule
// workload (bench/rule_workload.h), on synthetic events of the same shape:
//   BM_CelAllRules          the 24 rules on one event, pitboss CEL
//   BM_HandwrittenAllRules  the same rules written by hand (the baseline)
//   BM_EvaluateRule/j       one rule (R01 + j) on one event, pitboss CEL
//   BM_CompileRules         parse + check + plan all 24 rules
// Items processed = events (or rule evaluations for BM_EvaluateRule); compare
// the CEL and hand-written cases from the same run (docs/performance.md).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "benchmark/benchmark.h"
#include "bench/rule_workload.h"

namespace pitboss {
namespace bench {
namespace {

constexpr size_t kEvents = 1024;

const std::vector<RuleInput>& Events() {
  static const std::vector<RuleInput>* events = new std::vector<RuleInput>(SyntheticEvents(kEvents, 7));
  return *events;
}

std::vector<Rule> AllRules() {
  return std::vector<Rule>(WorkloadRules().begin(), WorkloadRules().end());
}

void RunEvaluator(benchmark::State& state, RuleEvaluator& evaluator, size_t rules) {
  const std::vector<RuleInput>& events = Events();
  std::vector<uint32_t> counts(rules, 0);
  size_t i = 0;
  for (auto _ : state) {
    if (!evaluator.Evaluate(i, events[i], counts.data())) {
      state.SkipWithError("evaluation error");
      break;
    }
    if (++i == events.size()) i = 0;
  }
  benchmark::DoNotOptimize(counts.data());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_CelAllRules(benchmark::State& state) {
  absl::StatusOr<std::unique_ptr<CelRules>> cel = CelRules::Create(AllRules());
  if (!cel.ok()) {
    state.SkipWithError(std::string(cel.status().message()).c_str());
    return;
  }
  (*cel)->PrepareEvents(Events());
  RunEvaluator(state, **cel, WorkloadRules().size());
}
BENCHMARK(BM_CelAllRules);

void BM_HandwrittenAllRules(benchmark::State& state) {
  absl::StatusOr<std::unique_ptr<HandwrittenRules>> hand = HandwrittenRules::Create(AllRules());
  if (!hand.ok()) {
    state.SkipWithError(std::string(hand.status().message()).c_str());
    return;
  }
  RunEvaluator(state, **hand, WorkloadRules().size());
}
BENCHMARK(BM_HandwrittenAllRules);

void BM_EvaluateRule(benchmark::State& state) {
  const Rule& rule = WorkloadRules()[static_cast<size_t>(state.range(0))];
  absl::StatusOr<std::unique_ptr<CelRules>> cel = CelRules::Create({rule});
  if (!cel.ok()) {
    state.SkipWithError(std::string(cel.status().message()).c_str());
    return;
  }
  (*cel)->PrepareEvents(Events());
  state.SetLabel(rule.id);
  RunEvaluator(state, **cel, 1);
}
BENCHMARK(BM_EvaluateRule)->DenseRange(0, 23);

void BM_CompileRules(benchmark::State& state) {
  const std::vector<Rule> rules = AllRules();
  for (auto _ : state) {
    absl::StatusOr<std::unique_ptr<CelRules>> cel = CelRules::Create(rules);
    if (!cel.ok()) {
      state.SkipWithError(std::string(cel.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(cel->get());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rules.size()));
}
BENCHMARK(BM_CompileRules);

}  // namespace
}  // namespace bench
}  // namespace pitboss
