// Function calls in a planned program: overloads bound at plan time.
//
// When the checker pinned one overload the node calls its implementation
// directly (after a cheap check that the runtime kinds still match, since a
// dyn argument may hold anything); with several candidates (dyn arguments) or
// no check result it dispatches on the runtime kinds among the candidates.
// Strict propagation applies first: unknown arguments merge, else the first
// error wins.
#ifndef PITBOSS_SRC_CEL_EVAL_CALL_NODE_H_
#define PITBOSS_SRC_CEL_EVAL_CALL_NODE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/cel/eval/nodes.h"
#include "src/cel/runtime/function_registry.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

class CallNode final : public Node {
 public:
  CallNode(int64_t id, std::string function, std::vector<NodePtr> args,
           std::vector<const Overload*> candidates);
  Value Eval(Frame& frame) const override;
  int64_t Size() const override;

 private:
  Value Call(absl::Span<const Value> args, Frame& frame) const;

  std::string function_;
  std::vector<NodePtr> args_;
  std::vector<const Overload*> candidates_;
};

// The call node for `function` (already container-resolved) with `args`
// (receiver first when `receiver_style`). `overload_ids` restricts the
// candidates to the checker's choice; empty means every overload of the
// function with this style and arity. A checked id without an implementation
// is NotFound.
absl::StatusOr<NodePtr> MakeCallNode(int64_t id, const std::string& function,
                                     bool receiver_style, std::vector<NodePtr> args,
                                     const std::vector<std::string>& overload_ids,
                                     const FunctionRegistry& registry);

// Whether the registry implements any overload of `function`.
bool HasFunction(const FunctionRegistry& registry, absl::string_view function);

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_CALL_NODE_H_
