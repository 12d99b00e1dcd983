// The counts `pitboss replay` reports at the end of a run, and the summary
// table it prints: events read, applied, duplicates, bad lines, decisions by
// outcome, the rules that fired most, and throughput.
#ifndef PITBOSS_SRC_CLI_REPLAY_STATS_H_
#define PITBOSS_SRC_CLI_REPLAY_STATS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/time/time.h"
#include "pitboss/v1/decision.pb.h"

namespace pitboss {
namespace cli {

struct ReplayStats {
  int64_t events = 0;       // non-blank lines read
  int64_t applied = 0;      // decided and committed by this run
  int64_t duplicates = 0;   // already in the store: the recorded decision
  int64_t errors = 0;       // bad lines (not JSON of an Event, or rejected as bad input)
  int64_t blank_lines = 0;  // not events; skipped
  bool stopped = false;     // --on-error=stop ended the run at a bad line
  // Decisions (applied and duplicates) by outcome, keyed by the enum value.
  std::map<int, int64_t> outcomes;
  // Enforced rules that fired, by rule id; shadow-mode rules as "ID (shadow)".
  std::map<std::string, int64_t> rules_fired;
  absl::Duration elapsed = absl::ZeroDuration();
  // Process CPU time over the same span (on a shared machine wall-clock
  // throughput understates what the work costs).
  absl::Duration cpu = absl::ZeroDuration();

  // Counts one decision's outcome and fired rules.
  void RecordDecision(const v1::Decision& decision);
  // Events per second over `elapsed` (0 when nothing was timed).
  double Throughput() const;
};

// "ALLOW", "HOLD", ... for an outcome enum value.
std::string OutcomeName(int outcome);

// The summary table; `top_rules` limits the rule list (most fired first).
std::string FormatSummary(const ReplayStats& stats, int top_rules = 10);

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_REPLAY_STATS_H_
