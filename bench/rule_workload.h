// The peers' fraud-rule workload (shared/peers/README.md) for pitboss's
// benchmarks: loading the rules and the JSON-lines events (converted to the
// typed pitboss.bench.RuleInput message), and the two evaluators measured on
// it: pitboss CEL (rules compiled once) and a hand-written C++ version of the
// same 24 rules over the same messages, the speed-of-light baseline.
// rulebench (the peers-contract command) and rules_benchmark (Google
// Benchmark) share this file.
#ifndef PITBOSS_BENCH_RULE_WORKLOAD_H_
#define PITBOSS_BENCH_RULE_WORKLOAD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bench/rulebench.pb.h"
#include "google/protobuf/arena.h"
#include "pitboss/cel.h"

namespace pitboss {
namespace bench {

struct Rule {
  std::string id;
  std::string cel;
};

// Parses a rules file: a JSON array of {"id", "cel", ...}.
absl::StatusOr<std::vector<Rule>> ParseRules(absl::string_view json);
absl::StatusOr<std::vector<Rule>> LoadRules(const std::string& path);

// Parses one event JSON line into `out` (unknown keys are an error: the
// message must hold every field of the workload). On error `out` is unchanged.
absl::Status ParseEvent(absl::string_view json_line, RuleInput* out);
// Reads up to `limit` events (0: all) from a JSON-lines file.
absl::StatusOr<std::vector<RuleInput>> LoadEvents(const std::string& path, size_t limit);

// Events whose messages all live in one protobuf arena (see
// LoadEventsInArena). Movable; the events live as long as the object.
struct ArenaEvents {
  std::unique_ptr<google::protobuf::Arena> arena;
  std::vector<const RuleInput*> events;
  size_t size() const { return events.size(); }
  bool empty() const { return events.empty(); }
  const RuleInput& operator[](size_t i) const { return *events[i]; }
};
// Like LoadEvents, but each event is built in one arena right after the
// previous one, so an event's sub-messages, strings and repeated fields sit
// together in memory, as they do for an engine that parses its input into
// an arena (pitboss's engine does). LoadEvents' heap messages are scattered
// among the JSON parser's temporaries: on 20,000 events, reading them costs
// both evaluators (CEL and hand-written) several hundred ns per event in
// cache misses (docs/performance.md). The events are all parsed first and
// copied into the arena afterwards, so the arena's blocks and the buffers of
// strings longer than 15 bytes (emails, kana names: protobuf 3.21 allocates
// them outside the arena) follow one another, not the parser's temporaries.
absl::StatusOr<ArenaEvents> LoadEventsInArena(const std::string& path, size_t limit);

// Evaluates rule sets on events, counting per rule how many events it fired on.
class RuleEvaluator {
 public:
  virtual ~RuleEvaluator() = default;
  // Engine name for the peers' JSON line.
  virtual const char* name() const = 0;
  // Adds 1 to counts[j] for every rule j true on `input` (counts has one slot
  // per rule). Returns false if a rule did not evaluate to a bool (an error).
  virtual bool Evaluate(size_t event_index, const RuleInput& input, uint32_t* counts) = 0;
};

// pitboss CEL: each rule compiled once (type-checked against the RuleInput
// message types, bool result required) into one cel::ProgramSet. Per event,
// an Activation binding the four messages is built before timing
// (PrepareEvents).
class CelRules : public RuleEvaluator {
 public:
  static absl::StatusOr<std::unique_ptr<CelRules>> Create(absl::Span<const Rule> rules);
  // Binds event, account, device and ip of every input (borrowed: `inputs`
  // must outlive the evaluator's use of them).
  void PrepareEvents(absl::Span<const RuleInput> inputs);
  void PrepareEvents(const ArenaEvents& inputs);

  const char* name() const override { return "pitboss-cel"; }
  bool Evaluate(size_t event_index, const RuleInput& input, uint32_t* counts) override;
  // The error message of the last failed Evaluate, for diagnostics.
  const std::string& last_error() const { return last_error_; }

 private:
  CelRules() = default;
  cel::Env env_;
  // Every rule, evaluated together per event (the activation is read once).
  std::unique_ptr<cel::ProgramSet> programs_;
  std::vector<cel::Value> results_;
  std::vector<cel::Activation> activations_;
  google::protobuf::Arena arena_;
  size_t evaluations_since_reset_ = 0;
  std::string last_error_;
};

// The same 24 rules written by hand in C++ over the RuleInput messages. Only
// for the 24 rules of workload/rules.json: Create checks that every rule's id
// and CEL text are the ones this code implements.
class HandwrittenRules : public RuleEvaluator {
 public:
  static absl::StatusOr<std::unique_ptr<HandwrittenRules>> Create(absl::Span<const Rule> rules);
  const char* name() const override { return "handwritten"; }
  bool Evaluate(size_t event_index, const RuleInput& input, uint32_t* counts) override;

 private:
  HandwrittenRules() = default;
  std::vector<int> order_;  // rule index in the file -> hand-written rule number (0..23)
};

// `n` pseudo-random events (deterministic for a seed) shaped like the
// workload's, with every rule firing on some of them: for Google Benchmark
// cases and tests, which cannot read the peers' generated event file.
std::vector<RuleInput> SyntheticEvents(size_t n, uint32_t seed);

// The 24 rules of the workload as this build knows them (id, CEL), in order.
absl::Span<const Rule> WorkloadRules();

}  // namespace bench
}  // namespace pitboss

#endif  // PITBOSS_BENCH_RULE_WORKLOAD_H_
