// Compiled fraud rules (see the header).
#include "src/engine/rule_set.h"

#include <cctype>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"
#include "absl/time/time.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "pitboss/cel.h"
#include "src/common/status_macros.h"
#include "src/engine/policy_validator.h"

namespace pitboss {
namespace engine {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

bool IsPathChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

bool IsWellKnownLeaf(const Descriptor* type) {
  return type->full_name() == "google.protobuf.Timestamp" ||
         type->full_name() == "google.protobuf.Duration";
}

// True when `path` below `root` is a chain of singular fields ending in a
// scalar, enum, string or timestamp/duration.
bool IsObservableLeaf(const Descriptor* root, absl::string_view path) {
  const Descriptor* current = root;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    if (current == nullptr) return false;
    const FieldDescriptor* field = current->FindFieldByName(std::string(parts[i]));
    if (field == nullptr || field->is_repeated()) return false;
    const bool last = i + 1 == parts.size();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (IsWellKnownLeaf(field->message_type())) return last;
      if (last) return false;
      current = field->message_type();
    } else if (!last) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> ReferencedPaths(const std::string& expression, size_t limit) {
  const std::vector<std::pair<std::string, const Descriptor*>> roots = {
      {"account", v1::Account::descriptor()},
      {"event", v1::Event::descriptor()},
      {"features", v1::Features::descriptor()}};
  std::vector<std::string> paths;
  std::set<std::string> seen;
  size_t pos = 0;
  while (pos < expression.size() && paths.size() < limit) {
    if (!IsPathChar(expression[pos]) || (pos > 0 && IsPathChar(expression[pos - 1]))) {
      ++pos;
      continue;
    }
    size_t end = pos;
    while (end < expression.size() && IsPathChar(expression[end])) ++end;
    std::string path = expression.substr(pos, end - pos);
    pos = end;
    if (end < expression.size() && expression[end] == '(') {
      const size_t dot = path.rfind('.');
      if (dot == std::string::npos) continue;
      path.resize(dot);
    }
    const size_t dot = path.find('.');
    if (dot == std::string::npos) continue;
    for (const auto& [name, descriptor] : roots) {
      if (path.compare(0, dot, name) != 0 || name.size() != dot) continue;
      if (IsObservableLeaf(descriptor, absl::string_view(path).substr(dot + 1)) &&
          seen.insert(path).second) {
        paths.push_back(path);
      }
    }
  }
  return paths;
}

RuleSet::~RuleSet() = default;

absl::StatusOr<std::unique_ptr<RuleSet>> RuleSet::Compile(const v1::Policy& policy) {
  std::unique_ptr<RuleSet> set(new RuleSet());
  set->env_ = std::make_unique<cel::Env>();
  cel::Env& env = *set->env_;
  env.SetContainer("pitboss.v1");
  PITBOSS_RETURN_IF_ERROR(env.AddMessageVariable("account", "pitboss.v1.Account"));
  PITBOSS_RETURN_IF_ERROR(env.AddMessageVariable("event", "pitboss.v1.Event"));
  PITBOSS_RETURN_IF_ERROR(env.AddMessageVariable("features", "pitboss.v1.Features"));
  PITBOSS_RETURN_IF_ERROR(env.AddVariable("now", cel::CelType::Timestamp()));
  const v1::RuleLimits& limits = policy.rule_limits();
  env.options().max_expression_size = limits.max_expression_length() > 0
                                          ? limits.max_expression_length()
                                          : kDefaultMaxExpressionLength;
  env.options().max_nesting_depth =
      limits.max_nesting_depth() > 0 ? limits.max_nesting_depth() : kDefaultMaxNestingDepth;
  env.options().max_steps = limits.max_evaluation_steps() > 0 ? limits.max_evaluation_steps()
                                                              : kDefaultMaxEvaluationSteps;

  // Observed paths compile without the bool requirement; rules with it.
  cel::Env& observer_env = env;
  set->rules_.reserve(static_cast<size_t>(policy.rules_size()));
  std::vector<std::unique_ptr<cel::Program>> programs;
  for (int i = 0; i < policy.rules_size(); ++i) {
    const v1::FraudRule& rule = policy.rules(i);
    CompiledRule compiled;
    compiled.rule = rule;
    for (const std::string& path : ReferencedPaths(rule.expression(), kMaxObservedPaths)) {
      observer_env.options().require_bool_result = false;
      absl::StatusOr<std::unique_ptr<cel::Program>> program =
          cel::CreateProgram(observer_env, path);
      if (program.ok()) compiled.observed.push_back({path, *std::move(program)});
    }
    env.options().require_bool_result = true;
    absl::StatusOr<std::unique_ptr<cel::Program>> program =
        cel::CreateProgram(env, rule.expression());
    if (!program.ok()) {
      return absl::Status(program.status().code(),
                          absl::StrCat("rules[", i, "] (", rule.id(), "): ",
                                       program.status().message()));
    }
    programs.push_back(*std::move(program));
    set->rules_.push_back(std::move(compiled));
  }
  set->programs_ = std::make_unique<cel::ProgramSet>(std::move(programs));
  return set;
}

absl::StatusOr<std::vector<Finding>> RuleSet::Evaluate(const RuleInput& input,
                                                       google::protobuf::Arena* arena) const {
  std::vector<Finding> findings;
  PITBOSS_RETURN_IF_ERROR(EvaluateInto(input, arena, &findings));
  return findings;
}

absl::Status RuleSet::EvaluateInto(const RuleInput& input, google::protobuf::Arena* arena,
                                   std::vector<Finding>* findings) const {
  if (input.account == nullptr || input.event == nullptr || input.features == nullptr) {
    return absl::InvalidArgumentError("rule input: account, event and features are required");
  }
  if (input.now == absl::InfinitePast() || input.now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("now: must be a finite time");
  }
  if (arena == nullptr) return absl::InvalidArgumentError("arena: null");
  cel::Activation activation;
  activation.BindMessage("account", input.account);
  activation.BindMessage("event", input.event);
  activation.BindMessage("features", input.features);
  const int64_t seconds = absl::ToUnixSeconds(input.now);
  const int32_t nanos =
      static_cast<int32_t>((input.now - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1));
  activation.Bind("now", cel::Value::Timestamp(seconds, nanos));

  absl::InlinedVector<cel::Value, 64> values(rules_.size());
  const absl::Status evaluated = programs_->Evaluate(activation, arena, absl::MakeSpan(values));
  if (!evaluated.ok()) {
    return absl::InternalError(absl::StrCat("rules: ", evaluated.message()));
  }
  findings->reserve(findings->size() + rules_.size());
  for (size_t i = 0; i < rules_.size(); ++i) {
    const CompiledRule& compiled = rules_[i];
    const v1::FraudRule& rule = compiled.rule;
    Finding& finding = findings->emplace_back();
    finding.source = v1::REASON_SOURCE_RULE;
    finding.rule = &rule;  // id, mode, action, code and message: read from it
    finding.fired = false;
    const cel::Value* value = &values[i];
    if (value->IsBool()) {
      finding.fired = value->bool_value();
    } else if (value->IsError()) {
      finding.error = std::string(value->error_value().message());
      if (finding.error.empty()) finding.error = "error";
    } else if (value->IsUnknown()) {
      finding.error = "unknown value";
    } else {
      finding.error = absl::StrCat("result is ", value->TypeName(), ", not bool");
    }
    if (finding.fired || !finding.error.empty()) {
      for (const ObservedPath& observed : compiled.observed) {
        absl::StatusOr<cel::Value> seen = observed.program->Evaluate(activation, arena);
        v1::ObservedValue& out = finding.observed.emplace_back();
        out.set_path(observed.path);
        out.set_value(seen.ok() ? seen->DebugString()
                                : absl::StrCat("error(\"", seen.status().message(), "\")"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace engine
}  // namespace pitboss
