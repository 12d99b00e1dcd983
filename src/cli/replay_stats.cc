// Replay counts and the summary table (see replay_stats.h).
#include "src/cli/replay_stats.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace pitboss {
namespace cli {

void ReplayStats::RecordDecision(const v1::Decision& decision) {
  outcomes[decision.outcome()] += 1;
  for (const v1::RuleTrace& trace : decision.trace()) {
    if (trace.fired()) rules_fired[trace.rule_id()] += 1;
  }
  for (const v1::RuleTrace& trace : decision.shadow().trace()) {
    if (trace.fired()) rules_fired[absl::StrCat(trace.rule_id(), " (shadow)")] += 1;
  }
}

double ReplayStats::Throughput() const {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<double>(events) / seconds : 0.0;
}

std::string OutcomeName(int outcome) {
  if (!v1::DecisionOutcome_IsValid(outcome)) return absl::StrCat("OUTCOME_", outcome);
  absl::string_view name = v1::DecisionOutcome_Name(static_cast<v1::DecisionOutcome>(outcome));
  absl::ConsumePrefix(&name, "DECISION_OUTCOME_");
  return std::string(name);
}

std::string FormatSummary(const ReplayStats& stats, int top_rules) {
  std::string out = "replay summary\n";
  auto row = [&out](absl::string_view name, int64_t value, absl::string_view note = "") {
    absl::StrAppendFormat(&out, "  %-22s %12d%s%s\n", name, value, note.empty() ? "" : "  ",
                          note);
  };
  row("events", stats.events);
  row("applied", stats.applied);
  row("duplicates", stats.duplicates, "already in the store");
  row("errors", stats.errors, stats.stopped ? "run stopped at the first" : "skipped");
  if (stats.blank_lines > 0) row("blank lines", stats.blank_lines, "ignored");

  out += "outcomes\n";
  for (const auto& [outcome, count] : stats.outcomes) row(OutcomeName(outcome), count);

  std::vector<std::pair<std::string, int64_t>> rules(stats.rules_fired.begin(),
                                                     stats.rules_fired.end());
  std::stable_sort(rules.begin(), rules.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  absl::StrAppend(&out, "top rules fired (", rules.size(), " distinct)\n");
  for (size_t i = 0; i < rules.size() && static_cast<int>(i) < top_rules; ++i) {
    row(rules[i].first, rules[i].second);
  }

  absl::StrAppendFormat(&out, "  %-22s %12.3f s\n", "elapsed", absl::ToDoubleSeconds(stats.elapsed));
  if (stats.cpu > absl::ZeroDuration()) {
    absl::StrAppendFormat(&out, "  %-22s %12.3f s\n", "cpu", absl::ToDoubleSeconds(stats.cpu));
  }
  absl::StrAppendFormat(&out, "  %-22s %12.0f events/s\n", "throughput", stats.Throughput());
  return out;
}

}  // namespace cli
}  // namespace pitboss
