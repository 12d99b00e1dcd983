// `pitboss rulebench`: pitboss on the peers' fraud-rule benchmark
// (shared/peers/README.md).
//
//   pitboss rulebench --rules RULES.json --events EVENTS.jsonl [--limit N]
//                     [--engine pitboss|handwritten] [--passes N]
//
// Prints ONE JSON line, the peers' contract:
//   {"engine","version","rules","events","ns_per_event","fired":{...},
//    "cpu_ns_per_event", "input":"..."}
// Before timing, every JSON event is converted to the typed protobuf message
// pitboss.bench.RuleInput (bench/rulebench.proto), built in one arena event
// after event (both engines read the same messages), and every rule is compiled
// once; then one untimed validation pass (every result must be a bool, else
// exit 1), one warm-up pass and N timed passes (default 5, steady_clock), each
// evaluating every rule on every event on one thread and counting the trues.
// ns_per_event = median pass wall time / events; cpu_ns_per_event is the same
// from the thread's CPU clock (less disturbed by other load on the machine).
// --engine handwritten runs the hand-written C++ version of the 24 workload
// rules on the same messages (the speed-of-light baseline; only for
// workload/rules.json). --verbose logs each pass on stderr.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/rule_workload.h"
#include "pitboss/pitboss.h"
#include "src/cli/command_line.h"
#include "src/cli/commands.h"

namespace pitboss {
namespace cli {
namespace {

const FlagSpec kRulebenchFlags[] = {
    {"rules", true, "JSON array of {\"id\", \"cel\"} rules (shared/peers/workload/rules.json)"},
    {"events", true, "JSON-lines events of the peers' workload"},
    {"limit", true, "use only the first N events (default: all)"},
    {"engine", true, "pitboss (CEL, default) or handwritten (the C++ baseline)"},
    {"passes", true, "timed passes, the median is reported (default 5)"},
    {"verbose", false, "log each pass on stderr"},
    {"help", false, "this text"},
};

const Subcommand kRulebench = {
    "rulebench",
    "usage: pitboss rulebench --rules FILE --events FILE [--limit N] "
    "[--engine pitboss|handwritten] [--passes N]\n",
    kRulebenchFlags};

// CPU time of this thread: unlike wall time it does not count time the
// thread spent descheduled on a busy machine (reported as cpu_ns_per_event).
double ThreadCpuNanos() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

double MedianPerEvent(std::vector<double> times, size_t events) {
  std::sort(times.begin(), times.end());
  return std::round(times[times.size() / 2] / static_cast<double>(events) * 10) / 10;
}

}  // namespace

int RunRulebenchCommand(const std::vector<std::string>& args, std::istream&, std::ostream& out,
                        std::ostream& err) {
  int exit_code = 0;
  const std::optional<CommandLine> flags = kRulebench.Parse(args, out, err, &exit_code);
  if (!flags) return exit_code;
  if (!flags->Has("rules") || !flags->Has("events")) {
    return kRulebench.UsageError(err, "--rules and --events are required");
  }
  uint64_t limit = 0;
  int passes = 5;
  if (!absl::SimpleAtoi(flags->Get("limit", "0"), &limit) ||
      !absl::SimpleAtoi(flags->Get("passes", "5"), &passes) || passes < 1) {
    return kRulebench.UsageError(err, "--limit needs a count >= 0 and --passes one >= 1");
  }
  const std::string engine = flags->Get("engine", "pitboss");
  auto fail = [&](absl::string_view message) {
    err << "pitboss rulebench: " << message << "\n";
    return 1;
  };

  absl::StatusOr<std::vector<bench::Rule>> rules = bench::LoadRules(flags->Get("rules"));
  if (!rules.ok()) return fail(rules.status().message());
  absl::StatusOr<bench::ArenaEvents> events =
      bench::LoadEventsInArena(flags->Get("events"), limit);
  if (!events.ok()) return fail(events.status().message());
  if (events->empty()) return fail("no events");

  std::unique_ptr<bench::RuleEvaluator> evaluator;
  bench::CelRules* cel_rules = nullptr;
  if (engine == "pitboss") {
    absl::StatusOr<std::unique_ptr<bench::CelRules>> cel = bench::CelRules::Create(*rules);
    if (!cel.ok()) return fail(cel.status().message());
    (*cel)->PrepareEvents(*events);
    cel_rules = cel->get();
    evaluator = std::move(*cel);
  } else if (engine == "handwritten") {
    absl::StatusOr<std::unique_ptr<bench::HandwrittenRules>> hand =
        bench::HandwrittenRules::Create(*rules);
    if (!hand.ok()) return fail(hand.status().message());
    evaluator = std::move(*hand);
  } else {
    return kRulebench.UsageError(
        err, absl::StrCat("unknown --engine \"", engine, "\" (pitboss or handwritten)"));
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
    return fail(absl::StrCat("evaluation error: ",
                             cel_rules != nullptr ? cel_rules->last_error() : "?"));
  }
  std::vector<uint32_t> counts;
  run_pass(counts);  // warm-up
  if (counts != reference) return fail("warm-up pass disagrees with the validation pass");
  std::vector<double> times, cpu_times;
  for (int p = 0; p < passes; ++p) {
    const double c0 = ThreadCpuNanos();
    auto t0 = std::chrono::steady_clock::now();
    const bool ok = run_pass(counts);
    auto t1 = std::chrono::steady_clock::now();
    const double c1 = ThreadCpuNanos();
    if (!ok || counts != reference) return fail(absl::StrCat("timed pass ", p, " disagrees"));
    times.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    cpu_times.push_back(c1 - c0);
    if (flags->Has("verbose")) {
      err << absl::StrFormat("%s: pass %d %.1f ns/event (cpu %.1f)\n", evaluator->name(), p,
                             times.back() / n, cpu_times.back() / n);
    }
  }

  std::string line = absl::StrFormat(
      R"({"engine":"%s","version":"%d.%d.%d","rules":%d,"events":%d,"ns_per_event":%.1f,"fired":{)",
      evaluator->name(), PITBOSS_VERSION_MAJOR, PITBOSS_VERSION_MINOR, PITBOSS_VERSION_PATCH, r, n,
      MedianPerEvent(times, n));
  for (size_t j = 0; j < r; ++j) {
    absl::StrAppend(&line, j ? "," : "", "\"", (*rules)[j].id, "\":", reference[j]);
  }
  absl::StrAppend(&line, "},\"cpu_ns_per_event\":",
                  absl::StrFormat("%.1f", MedianPerEvent(cpu_times, n)),
                  ",\"input\":\"JSON events converted before timing to the typed protobuf message "
                  "pitboss.bench.RuleInput (bench/rulebench.proto), in one arena\"}");
  out << line << std::endl;
  return 0;
}

}  // namespace cli
}  // namespace pitboss
