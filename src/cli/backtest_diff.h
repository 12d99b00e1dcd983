// Backtest: where two policies decide the same event stream differently
// (`pitboss replay --policy P --shadow P2`).
//
// Each policy runs with its own account state, so the comparison is of what
// each would have done from the start. Per event the diff records whether the
// outcomes differ and which enforced rules fired under only one policy; the
// report lists outcome changes (primary -> shadow) and, per rule, how often it
// fired only under the primary or only under the shadow policy, how many of
// those events changed outcome, and a few example event ids.
#ifndef PITBOSS_SRC_CLI_BACKTEST_DIFF_H_
#define PITBOSS_SRC_CLI_BACKTEST_DIFF_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "pitboss/v1/decision.pb.h"

namespace pitboss {
namespace cli {

class BacktestDiff {
 public:
  struct RuleDiff {
    int64_t only_primary = 0;     // events where the rule fired under the primary only
    int64_t only_shadow = 0;      // ... under the shadow policy only
    int64_t outcome_differs = 0;  // of those, events whose outcome differs
    std::vector<std::string> examples;
  };
  struct OutcomeChange {
    int64_t count = 0;
    std::vector<std::string> examples;
  };

  explicit BacktestDiff(int max_examples = 3) : max_examples_(max_examples) {}

  // One event's decisions; nullptr when that policy rejected the event as bad
  // input (each policy has its own account state, so the streams can diverge).
  void Add(absl::string_view event_id, const v1::Decision* primary,
           const v1::Decision* shadow);

  int64_t compared() const { return compared_; }
  int64_t outcome_differs() const { return outcome_differs_; }
  int64_t errors_only_primary() const { return errors_only_primary_.count; }
  int64_t errors_only_shadow() const { return errors_only_shadow_.count; }
  const std::map<std::string, RuleDiff>& rules() const { return rules_; }
  // Keyed by (primary outcome, shadow outcome) enum values.
  const std::map<std::pair<int, int>, OutcomeChange>& changes() const { return changes_; }

  // The report table.
  std::string Format() const;

 private:
  void Example(std::vector<std::string>& examples, absl::string_view event_id) const;

  int max_examples_;
  int64_t compared_ = 0;
  int64_t outcome_differs_ = 0;
  OutcomeChange errors_only_primary_;
  OutcomeChange errors_only_shadow_;
  std::map<std::string, RuleDiff> rules_;
  std::map<std::pair<int, int>, OutcomeChange> changes_;
};

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_BACKTEST_DIFF_H_
