// rulebench: pitboss on the peers' fraud-rule benchmark (shared/peers/README.md).
//
//   rulebench --rules RULES.json --events EVENTS.jsonl [--limit N] [--engine pitboss|handwritten]
//
// Prints ONE JSON line, the peers' contract:
//   {"engine","version","rules","events","ns_per_event","fired":{...},
//    "cpu_ns_per_event", "input":"..."}
// Before timing, every JSON event is converted to the typed protobuf message
// pitboss.bench.RuleInput (bench/rulebench.proto) and every rule is compiled
// once; then one untimed validation pass (every result must be a bool, else
// exit 1), one warm-up pass and 5 timed passes (steady_clock), each
// evaluating every rule on every event on one thread and counting the trues.
// ns_per_event = median pass wall time / events; cpu_ns_per_event is the same
// from the thread's CPU clock (less disturbed by other load on the machine). --engine handwritten runs the
// hand-written C++ version of the 24 workload rules on the same messages
// (the speed-of-light baseline; only for workload/rules.json).
// PITBOSS_RULEBENCH_VERBOSE=1 logs each pass on stderr.
#include <time.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/rule_workload.h"
#include "pitboss/pitboss.h"

namespace pitboss {
namespace bench {
namespace {

constexpr int kTimedPasses = 5;

// CPU time of this thread: unlike wall time it does not count time the
// thread spent descheduled on a busy machine (reported as cpu_ns_per_event).
double ThreadCpuNanos() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

int Fail(const std::string& message) {
  std::cerr << "rulebench: " << message << "\n";
  return 1;
}

int Main(int argc, char** argv) {
  std::string rules_path, events_path, engine = "pitboss";
  size_t limit = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "rulebench: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--rules") rules_path = value();
    else if (a == "--events") events_path = value();
    else if (a == "--limit") limit = static_cast<size_t>(std::strtoull(value().c_str(), nullptr, 10));
    else if (a == "--engine") engine = value();
    else {
      std::cerr << "rulebench: unknown argument " << a
                << "\nusage: rulebench --rules FILE --events FILE [--limit N] [--engine pitboss|handwritten]\n";
      return 2;
    }
  }
  if (rules_path.empty() || events_path.empty()) {
    std::cerr << "usage: rulebench --rules FILE --events FILE [--limit N] [--engine pitboss|handwritten]\n";
    return 2;
  }
  const bool verbose = std::getenv("PITBOSS_RULEBENCH_VERBOSE") != nullptr;

  absl::StatusOr<std::vector<Rule>> rules = LoadRules(rules_path);
  if (!rules.ok()) return Fail(std::string(rules.status().message()));
  absl::StatusOr<std::vector<RuleInput>> events = LoadEvents(events_path, limit);
  if (!events.ok()) return Fail(std::string(events.status().message()));
  if (events->empty()) return Fail("no events");

  std::unique_ptr<RuleEvaluator> evaluator;
  CelRules* cel_rules = nullptr;
  if (engine == "pitboss") {
    absl::StatusOr<std::unique_ptr<CelRules>> cel = CelRules::Create(*rules);
    if (!cel.ok()) return Fail(std::string(cel.status().message()));
    (*cel)->PrepareEvents(*events);
    cel_rules = cel->get();
    evaluator = std::move(*cel);
  } else if (engine == "handwritten") {
    absl::StatusOr<std::unique_ptr<HandwrittenRules>> hand = HandwrittenRules::Create(*rules);
    if (!hand.ok()) return Fail(std::string(hand.status().message()));
    evaluator = std::move(*hand);
  } else {
    return Fail(absl::StrCat("unknown engine ", engine));
  }

  const size_t n = events->size();
  const size_t r = rules->size();
  auto run_pass = [&](std::vector<uint32_t>& counts) {
    counts.assign(r, 0);
    bool ok = true;
    for (size_t i = 0; i < n; ++i) ok &= evaluator->Evaluate(i, (*events)[i], counts.data());
    return ok;
  };
  std::vector<uint32_t> reference;
  if (!run_pass(reference)) {
    return Fail(absl::StrCat("evaluation error: ", cel_rules ? cel_rules->last_error() : "?"));
  }
  std::vector<uint32_t> counts;
  run_pass(counts);  // warm-up
  if (counts != reference) return Fail("warm-up pass disagrees with the validation pass");
  std::vector<double> times, cpu_times;
  for (int p = 0; p < kTimedPasses; ++p) {
    const double c0 = ThreadCpuNanos();
    auto t0 = std::chrono::steady_clock::now();
    bool ok = run_pass(counts);
    auto t1 = std::chrono::steady_clock::now();
    const double c1 = ThreadCpuNanos();
    if (!ok || counts != reference) return Fail(absl::StrCat("timed pass ", p, " disagrees"));
    times.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    cpu_times.push_back(c1 - c0);
    if (verbose) {
      std::cerr << absl::StrFormat("%s: pass %d %.1f ns/event (cpu %.1f)\n", evaluator->name(), p,
                                   times.back() / n, cpu_times.back() / n);
    }
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu_times.begin(), cpu_times.end());
  const double ns_per_event = std::round(times[times.size() / 2] / n * 10) / 10;
  const double cpu_ns_per_event = std::round(cpu_times[cpu_times.size() / 2] / n * 10) / 10;

  std::string line = absl::StrFormat(
      R"({"engine":"%s","version":"%d.%d.%d","rules":%d,"events":%d,"ns_per_event":%.1f,"fired":{)",
      evaluator->name(), PITBOSS_VERSION_MAJOR, PITBOSS_VERSION_MINOR, PITBOSS_VERSION_PATCH, r, n,
      ns_per_event);
  for (size_t j = 0; j < r; ++j) {
    absl::StrAppend(&line, j ? "," : "", "\"", (*rules)[j].id, "\":", reference[j]);
  }
  absl::StrAppend(&line, "},\"cpu_ns_per_event\":", absl::StrFormat("%.1f", cpu_ns_per_event),
                  ",\"input\":\"JSON events converted before timing to the typed protobuf message "
                  "pitboss.bench.RuleInput (bench/rulebench.proto)\"}");
  std::cout << line << std::endl;
  return 0;
}

}  // namespace
}  // namespace bench
}  // namespace pitboss

int main(int argc, char** argv) { return pitboss::bench::Main(argc, argv); }
