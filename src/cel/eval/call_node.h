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

#include "absl/container/flat_hash_set.h"
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
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  void CollectOperands(std::vector<Operand*>* out) override;

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
  kStartsWith, kEndsWith, kContains,
};

class FastBinaryNode final : public Node {
 public:
  FastBinaryNode(int64_t id, FastOp op, NodePtr lhs, NodePtr rhs, const Overload* overload)
      : Node(id), op_(op), lhs_(std::move(lhs)), rhs_(std::move(rhs)), overload_(overload) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + lhs_.Size() + rhs_.Size(); }
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  void CollectOperands(std::vector<Operand*>* out) override;

  FastOp op() const { return op_; }
  const Operand& lhs() const { return lhs_; }
  const Operand& rhs() const { return rhs_; }

 private:
  Value Slow(const Value& a, const Value& b, Frame& frame) const;

  FastOp op_;
  Operand lhs_, rhs_;
  const Overload* overload_;
};

// `variable.field OP constant` for a raw-read int64 or string field of a
// generated message, the most common rule leaf: one node, the field loaded
// at its offset and compared inline. A variable holding anything else takes
// the FastBinaryNode it was made from.
class FieldConstCompareNode : public Node {
 public:
  // Null (and `general` left alone) unless `general` has that shape. The
  // node is of a subclass per operator (no switch per evaluation).
  static std::unique_ptr<FieldConstCompareNode> TryCreate(std::unique_ptr<FastBinaryNode>& general);
  int64_t Size() const override { return general_->Size(); }
  bool AppendKey(const KeyContext& context, std::string* out) const override;

 protected:
  explicit FieldConstCompareNode(std::unique_ptr<FastBinaryNode> general);

  std::unique_ptr<FastBinaryNode> general_;
  FastOp op_;
  int slot_;
  const FieldReader* reader_;
  int64_t int_constant_ = 0;
  absl::string_view string_constant_;
};

// `!x` (logical_not) inline.
class NotNode final : public Node {
 public:
  NotNode(int64_t id, NodePtr arg) : Node(id), arg_(std::move(arg)) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + arg_.Size(); }
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  void CollectOperands(std::vector<Operand*>* out) override;

 private:
  Operand arg_;
};

// `node` as a read of a repeated field of a variable (a SelectNode on a slot
// with a FieldReader), or null.
const SelectNode* RepeatedFieldOfSlot(const Node& node);

// size(list) / list.size() of a repeated field read from a variable: the
// field's size without building a list view. Anything else takes the bound
// overload.
class RepeatedSizeNode final : public Node {
 public:
  // `select` must be a SelectNode reading a repeated field of a variable.
  RepeatedSizeNode(int64_t id, NodePtr select, const Overload* overload);
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + select_node_->Size(); }
  bool AppendKey(const KeyContext& context, std::string* out) const override;

 private:
  NodePtr select_node_;
  const SelectNode* select_;
  const Overload* overload_;
};

// `x in list` (in_list) where the list is a constant (its string or int
// elements prebuilt into a hash set; small lists compared in place) or a
// repeated string/int64 field of a variable (compared straight from the
// message). Everything else, or an element kind the fast path does not cover
// (heterogeneous numeric equality), takes the bound overload.
class InListNode final : public Node {
 public:
  InListNode(int64_t id, NodePtr lhs, NodePtr rhs, const Overload* overload);
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + lhs_.Size() + rhs_.Size(); }
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  void CollectOperands(std::vector<Operand*>* out) override;
  // Whether InListNode adds anything for this right-hand side.
  static bool Applies(const Node& rhs);

 private:
  Value Generic(const Value& a, const Value& b, Frame& frame) const;

  Operand lhs_, rhs_;
  const Overload* overload_;
  // Constant list: every element a string (strings_) or every element an int
  // (ints_); set when the list is large enough for hashing to pay.
  bool const_strings_ = false, const_ints_ = false;
  std::vector<absl::string_view> strings_;
  std::vector<int64_t> ints_;
  absl::flat_hash_set<absl::string_view> string_set_;
  absl::flat_hash_set<int64_t> int_set_;
  bool hashed_ = false;
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
