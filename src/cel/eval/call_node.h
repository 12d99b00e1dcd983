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
#include "src/cel/checker/type.h"
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

// Operators on checked primitive operands evaluated inline (no dispatch, no
// argument span). Anything unexpected at run time (a dyn operand of another
// kind, an error, overflow) falls back to the bound overload, so the result
// is always the overload's.
enum class FastOp : uint8_t {
  kLtInt, kLeInt, kGtInt, kGeInt, kEqInt, kNeInt,
  kLtUint, kLeUint, kGtUint, kGeUint, kEqUint, kNeUint,
  kLtDouble, kLeDouble, kGtDouble, kGeDouble,
  kLtString, kLeString, kGtString, kGeString, kEqString, kNeString,
  kEqBool, kNeBool,
  kAddInt, kSubInt, kMulInt,
  kAddDouble, kSubDouble, kMulDouble, kDivDouble,
};

class FastBinaryNode final : public Node {
 public:
  FastBinaryNode(int64_t id, FastOp op, NodePtr lhs, NodePtr rhs, const Overload* overload)
      : Node(id), op_(op), lhs_(std::move(lhs)), rhs_(std::move(rhs)), overload_(overload) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + lhs_->Size() + rhs_->Size(); }

 private:
  Value Slow(const Value& a, const Value& b, Frame& frame) const;

  FastOp op_;
  NodePtr lhs_, rhs_;
  const Overload* overload_;
};

// The fast operator for a checked overload id and operand type, if any.
bool FindFastOp(absl::string_view overload_id, const CelType& operand_type, FastOp* op);

// The call node for `function` (already container-resolved) with `args`
// (receiver first when `receiver_style`). `overload_ids` restricts the
// candidates to the checker's choice; empty means every overload of the
// function with this style and arity. A checked id without an implementation
// is NotFound.
absl::StatusOr<NodePtr> MakeCallNode(int64_t id, const std::string& function,
                                     bool receiver_style, std::vector<NodePtr> args,
                                     const std::vector<std::string>& overload_ids,
                                     const FunctionRegistry& registry);

// registry.FindById (kept here so the planner needs one include).
inline const Overload* FindOverloadById(const FunctionRegistry& registry,
                                        absl::string_view id) {
  return registry.FindById(id);
}

// Whether the registry implements any overload of `function`.
bool HasFunction(const FunctionRegistry& registry, absl::string_view function);

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_CALL_NODE_H_
