// The policy's fraud rules, compiled once with pitboss's CEL
// (include/pitboss/cel.h) and evaluated per event into Findings for the
// decision combiner.
//
// Variables: `account` (pitboss.v1.Account), `event` (pitboss.v1.Event),
// `features` (pitboss.v1.Features) and `now` (timestamp); the container is
// pitboss.v1, so enum constants may be written `pitboss.v1.Channel.CHANNEL_PHONE`
// or `Channel.CHANNEL_PHONE`. Every rule must type-check to bool. A rule that
// fails to compile is an INVALID_ARGUMENT naming the rule, e.g.
//   rules[3] (ATO-004): <input>:1:9: undeclared reference to 'featurez'
// (the CEL message carries line, column and a caret snippet).
// Limits come from Policy.rule_limits (defaults: 4096 characters, nesting 32,
// 100000 evaluation steps per rule); a rule over the step limit evaluates to an
// error, which is traced and does not fire.
//
// Trace: for a rule that fired or erred, the values of the variable paths its
// expression names (up to 8 scalar/timestamp paths such as
// features.seconds_since_contact_change, found when compiling) are evaluated
// and rendered in CEL literal syntax into Finding::observed.
//
// Immutable after Compile; Evaluate is thread-safe (each call needs its own
// arena).
#ifndef PITBOSS_SRC_ENGINE_RULE_SET_H_
#define PITBOSS_SRC_ENGINE_RULE_SET_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pitboss/cel.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/features.pb.h"
#include "pitboss/v1/policy.pb.h"
#include "src/engine/decision_combiner.h"

namespace google {
namespace protobuf {
class Arena;
}  // namespace protobuf
}  // namespace google

namespace pitboss {
namespace engine {

inline constexpr int kDefaultMaxNestingDepth = 32;
inline constexpr int64_t kDefaultMaxEvaluationSteps = 100000;
inline constexpr size_t kMaxObservedPaths = 8;

struct RuleInput {
  const v1::Account* account = nullptr;
  const v1::Event* event = nullptr;
  const v1::Features* features = nullptr;
  absl::Time now;
};

class RuleSet {
 public:
  // Compiles every rule of `policy` (which should have passed ValidatePolicy).
  static absl::StatusOr<std::unique_ptr<RuleSet>> Compile(const v1::Policy& policy);

  // One RULE finding per rule, in policy order (fired or not; errors traced).
  // INVALID_ARGUMENT when an input pointer is null or `now` is not finite;
  // INTERNAL if CEL reports a host error.
  absl::StatusOr<std::vector<Finding>> Evaluate(const RuleInput& input,
                                                google::protobuf::Arena* arena) const;
  // The same, appended to `*findings` (each finding points at its rule, owned
  // by this RuleSet). On error `*findings` is unspecified.
  absl::Status EvaluateInto(const RuleInput& input, google::protobuf::Arena* arena,
                            std::vector<Finding>* findings) const;

  size_t size() const { return rules_.size(); }

  ~RuleSet();

 private:
  struct ObservedPath {
    std::string path;
    std::unique_ptr<cel::Program> program;
  };
  struct CompiledRule {
    v1::FraudRule rule;
    std::vector<ObservedPath> observed;
  };

  RuleSet() = default;

  // Declared first: destroyed after the programs compiled from it.
  std::unique_ptr<cel::Env> env_;
  std::vector<CompiledRule> rules_;
  // rules_[i]'s expression is programs_->program(i): all evaluated in one
  // call per event (each variable bound once, operands shared by several
  // rules, such as has(event.deposit_requested), evaluated once).
  std::unique_ptr<cel::ProgramSet> programs_;
};

// The variable paths an expression names (e.g. "features.new_device",
// "account.security.email_changed_at"), in order of first appearance, without
// duplicates: identifier chains rooted at account/event/features that resolve
// to a singular scalar, enum, string or timestamp/duration field (a chain
// ending in a function call drops the call). At most `limit`.
std::vector<std::string> ReferencedPaths(const std::string& expression, size_t limit);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_RULE_SET_H_
