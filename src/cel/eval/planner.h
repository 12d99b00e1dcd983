// The planner: (AST, optional check result) -> ProgramImpl.
//
// With a check result every name is already resolved: variables become slots,
// enum constants and type names constants, message field selections carry
// their FieldDescriptor, calls the overloads the checker picked (bound
// directly when exactly one applies). Without one (checking disabled) names
// are resolved at evaluation against the activation in the definition's
// order and calls dispatch on the runtime kinds of their arguments. Calls
// whose arguments are all constants are folded.
#ifndef PITBOSS_SRC_CEL_EVAL_PLANNER_H_
#define PITBOSS_SRC_CEL_EVAL_PLANNER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "src/cel/ast.h"
#include "src/cel/checker/checker.h"
#include "src/cel/eval/program_impl.h"

namespace pitboss {
namespace cel {

class FunctionRegistry;

namespace eval_internal {

// The function the parser's transformMap macros call; the planner implements
// it (see MapInsertNode) and MapInsertDecl() declares it for the checker.
inline constexpr char kMapInsertFunction[] = "cel.@mapInsert";
FunctionDecl MapInsertDecl();

struct PlannerOptions {
  bool fold_constants = true;
  // The environment's declared variables in declaration order. A checked
  // program then gives declared variable i slot i (comprehension slots
  // follow), so programs of one environment share one slot layout and a
  // ProgramSet binds each variable once per call for all of them. Only used
  // when there are at most ProgramImpl::kInlineSlots names.
  std::vector<std::string> variable_order;
  int64_t max_steps = 0;       // 0: unlimited
  int64_t max_iterations = 0;  // 0: unlimited
};

// `checked` may be null (unchecked program). `env` supplies the container and
// the type provider; `registry` the function implementations. All pointers
// must outlive the returned program except `parsed` and `checked`.
absl::StatusOr<std::unique_ptr<ProgramImpl>> Plan(const ParsedExpr& parsed,
                                                  const CheckedExpr* checked,
                                                  const CheckerEnv& env,
                                                  const FunctionRegistry& registry,
                                                  const PlannerOptions& options,
                                                  google::protobuf::MessageFactory* factory);

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_PLANNER_H_
