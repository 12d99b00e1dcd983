// Policy check (see include/pitboss/policy_check.h). Moved from src/capi so
// that the C ABI and `pitboss check` share it.
#include "pitboss/policy_check.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "pitboss/engine.h"
#include "src/engine/policy_validator.h"
#include "src/engine/rule_set.h"

namespace pitboss {
namespace {

// Each error starts a line "ERROR: <input>:LINE:COL: message"; the lines after
// it (" | source", " | ...^") are a snippet that may quote anything.
constexpr absl::string_view kErrorPrefix = "ERROR: <input>:";

// "rules[12].expression" -> 12; -1 when `field` is not inside a rule.
int RuleIndex(absl::string_view field) {
  if (!absl::ConsumePrefix(&field, "rules[")) return -1;
  const size_t close = field.find(']');
  int index = -1;
  if (close == absl::string_view::npos || !absl::SimpleAtoi(field.substr(0, close), &index)) {
    return -1;
  }
  return index;
}

// One validator problem "field.path: what is wrong" as a diagnostic.
v1::Diagnostic ProblemDiagnostic(const v1::Policy& policy, absl::string_view problem) {
  v1::Diagnostic diagnostic;
  const size_t colon = problem.find(": ");
  if (colon == absl::string_view::npos) {
    diagnostic.set_message(std::string(problem));
  } else {
    diagnostic.set_field(std::string(problem.substr(0, colon)));
    diagnostic.set_message(std::string(problem.substr(colon + 2)));
  }
  const int rule = RuleIndex(diagnostic.field());
  if (rule >= 0 && rule < policy.rules_size()) diagnostic.set_rule_id(policy.rules(rule).id());
  return diagnostic;
}

// Parses "L:C: message" after the position marker; false when malformed.
bool ParsePosition(absl::string_view text, int* line, int* column, absl::string_view* message) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits(':', 2));
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], line) ||
      !absl::SimpleAtoi(parts[1], column)) {
    return false;
  }
  *message = absl::StripLeadingAsciiWhitespace(parts[2]);
  return true;
}

// Splits a CEL compiler message ("ERROR: <input>:L:C: what\n | src\n | ..^"
// per error) into one diagnostic per error, each with `rule_id` and `field`;
// only lines starting "ERROR: <input>:" start an error (snippets may quote the
// source). A message without positions becomes one diagnostic at line/column 0.
std::vector<v1::Diagnostic> CelDiagnostics(absl::string_view message, absl::string_view rule_id,
                                           absl::string_view field) {
  std::vector<v1::Diagnostic> out;
  for (absl::string_view line : absl::StrSplit(message, '\n')) {
    int line_number = 0;
    int column = 0;
    absl::string_view what;
    if (!absl::ConsumePrefix(&line, kErrorPrefix) ||
        !ParsePosition(line, &line_number, &column, &what)) {
      continue;
    }
    v1::Diagnostic& diagnostic = out.emplace_back();
    diagnostic.set_rule_id(std::string(rule_id));
    diagnostic.set_field(std::string(field));
    diagnostic.set_line(line_number);
    diagnostic.set_column(column);
    diagnostic.set_message(std::string(what));
  }
  if (out.empty()) {
    v1::Diagnostic& diagnostic = out.emplace_back();
    diagnostic.set_rule_id(std::string(rule_id));
    diagnostic.set_field(std::string(field));
    diagnostic.set_message(std::string(message));
  }
  return out;
}

}  // namespace

v1::PolicyCheckResponse CheckPolicy(const v1::Policy& policy) {
  v1::PolicyCheckResponse response;
  // Rules whose expression the validator rejected are not compiled again.
  absl::flat_hash_set<int> rejected_expressions;
  for (const std::string& problem : engine::FindPolicyProblems(policy)) {
    v1::Diagnostic diagnostic = ProblemDiagnostic(policy, problem);
    const int rule = RuleIndex(diagnostic.field());
    if (rule >= 0 && absl::StrCat("rules[", rule, "].expression") == diagnostic.field()) {
      rejected_expressions.insert(rule);
    }
    *response.add_diagnostics() = std::move(diagnostic);
  }

  // Each rule compiled on its own, with the engine's environment and the
  // policy's limits, so that one bad rule does not hide the next.
  v1::Policy single;
  *single.mutable_rule_limits() = policy.rule_limits();
  for (int i = 0; i < policy.rules_size(); ++i) {
    const v1::FraudRule& rule = policy.rules(i);
    if (rejected_expressions.contains(i)) continue;
    single.clear_rules();
    *single.add_rules() = rule;
    absl::StatusOr<std::unique_ptr<engine::RuleSet>> compiled = engine::RuleSet::Compile(single);
    if (compiled.ok()) continue;
    absl::string_view message = compiled.status().message();
    absl::ConsumePrefix(&message, absl::StrCat("rules[0] (", rule.id(), "): "));
    for (v1::Diagnostic& diagnostic :
         CelDiagnostics(message, rule.id(), absl::StrCat("rules[", i, "].expression"))) {
      *response.add_diagnostics() = std::move(diagnostic);
    }
  }

  if (response.diagnostics_size() == 0) {
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(policy);
    if (!engine.ok()) {
      response.add_diagnostics()->set_message(std::string(engine.status().message()));
    }
  }
  return response;
}

}  // namespace pitboss
