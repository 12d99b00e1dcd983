// Backtest comparison of two policies (see backtest_diff.h).
#include "src/cli/backtest_diff.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/cli/replay_stats.h"

namespace pitboss {
namespace cli {
namespace {

std::set<std::string> FiredRules(const v1::Decision& decision) {
  std::set<std::string> fired;
  for (const v1::RuleTrace& trace : decision.trace()) {
    if (trace.fired()) fired.insert(trace.rule_id());
  }
  return fired;
}

}  // namespace

void BacktestDiff::Example(std::vector<std::string>& examples,
                           absl::string_view event_id) const {
  if (static_cast<int>(examples.size()) < max_examples_) examples.emplace_back(event_id);
}

void BacktestDiff::Add(absl::string_view event_id, const v1::Decision* primary,
                       const v1::Decision* shadow) {
  if (primary == nullptr || shadow == nullptr) {
    if (primary == nullptr && shadow != nullptr) {
      errors_only_primary_.count += 1;
      Example(errors_only_primary_.examples, event_id);
    } else if (primary != nullptr) {
      errors_only_shadow_.count += 1;
      Example(errors_only_shadow_.examples, event_id);
    }
    return;
  }
  compared_ += 1;
  const bool differs = primary->outcome() != shadow->outcome();
  if (differs) {
    outcome_differs_ += 1;
    OutcomeChange& change = changes_[{primary->outcome(), shadow->outcome()}];
    change.count += 1;
    Example(change.examples, event_id);
  }
  const std::set<std::string> fired_primary = FiredRules(*primary);
  const std::set<std::string> fired_shadow = FiredRules(*shadow);
  for (const std::string& rule : fired_primary) {
    if (fired_shadow.count(rule) > 0) continue;
    RuleDiff& diff = rules_[rule];
    diff.only_primary += 1;
    if (differs) diff.outcome_differs += 1;
    Example(diff.examples, event_id);
  }
  for (const std::string& rule : fired_shadow) {
    if (fired_primary.count(rule) > 0) continue;
    RuleDiff& diff = rules_[rule];
    diff.only_shadow += 1;
    if (differs) diff.outcome_differs += 1;
    Example(diff.examples, event_id);
  }
}

std::string BacktestDiff::Format() const {
  std::string out = "backtest (primary vs shadow policy)\n";
  auto row = [&out](absl::string_view name, int64_t value, absl::string_view note) {
    absl::StrAppendFormat(&out, "  %-30s %10d%s%s\n", name, value, note.empty() ? "" : "  e.g. ",
                          note);
  };
  row("events decided by both", compared_, "");
  row("outcomes differ", outcome_differs_, "");
  row("rejected by primary only", errors_only_primary_.count,
      absl::StrJoin(errors_only_primary_.examples, ", "));
  row("rejected by shadow only", errors_only_shadow_.count,
      absl::StrJoin(errors_only_shadow_.examples, ", "));

  out += "outcome changes (primary -> shadow)\n";
  if (changes_.empty()) out += "  none\n";
  for (const auto& [outcomes, change] : changes_) {
    row(absl::StrCat(OutcomeName(outcomes.first), " -> ", OutcomeName(outcomes.second)),
        change.count, absl::StrJoin(change.examples, ", "));
  }

  out += "rules that fired under one policy only\n";
  if (rules_.empty()) {
    out += "  none\n";
    return out;
  }
  absl::StrAppendFormat(&out, "  %-24s %12s %12s %16s  %s\n", "rule", "only primary",
                        "only shadow", "outcome differs", "examples");
  for (const auto& [rule, diff] : rules_) {
    absl::StrAppendFormat(&out, "  %-24s %12d %12d %16d  %s\n", rule, diff.only_primary,
                          diff.only_shadow, diff.outcome_differs,
                          absl::StrJoin(diff.examples, ", "));
  }
  return out;
}

}  // namespace cli
}  // namespace pitboss
