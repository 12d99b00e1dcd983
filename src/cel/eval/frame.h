// Frame and Node: the evaluation state of one Program::Evaluate call and the
// interface of the planned expression tree.
//
// The planner turns an AST into a tree of pre-resolved Node objects (variables
// bound to slots, fields to FieldDescriptors, overloads to implementations).
// Evaluation walks the tree with a Frame that holds the per-evaluation state:
// the EvalContext (arena, pool), the slot array (declared variables first,
// then comprehension variables) and the remaining cost budget. Nodes are
// immutable after planning, so one tree serves any number of threads.
#ifndef PITBOSS_SRC_CEL_EVAL_FRAME_H_
#define PITBOSS_SRC_CEL_EVAL_FRAME_H_

#include <cstdint>
#include <string>
#include <vector>

#include "src/cel/common/eval_context.h"
#include "src/cel/common/value.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

class Operand;

// The results of the subexpressions a cel::ProgramSet shares between its
// programs, for one ProgramSet::Evaluate call: computed[i] says whether
// values[i] holds the result of shared subexpression i yet.
struct MemoTable {
  Value* values = nullptr;
  bool* computed = nullptr;
};

// What a structural key (Node::AppendKey) needs to know about the program
// the node belongs to: per slot, the interned name of the declared variable
// it holds (null for comprehension slots).
struct KeyContext {
  const std::vector<const std::string*>* slot_variables = nullptr;
};

struct Frame {
  EvalContext* ctx = nullptr;
  Value* slots = nullptr;
  // Whether each declared-variable slot was bound (unchecked name resolution
  // tries candidates in order and needs to tell "unbound" from a value).
  const bool* bound = nullptr;
  // Remaining budget; both only decrease. When either runs out the running
  // comprehension stops with an error and every later one stops at once.
  int64_t steps_left = 0;
  int64_t iterations_left = 0;
  bool exhausted = false;
  // Shared-subexpression results (ProgramSet evaluation); null otherwise.
  MemoTable* memo = nullptr;
};

class Node {
 public:
  explicit Node(int64_t id) : id_(id) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  virtual Value Eval(Frame& frame) const = 0;
  // A constant node's value (for folding); null otherwise.
  virtual const Value* ConstantValue() const { return nullptr; }
  // Number of nodes in this subtree (the step cost of evaluating it once).
  virtual int64_t Size() const { return 1; }

  // Appends a structural key of this subtree to `out`: two subtrees (of
  // programs with the same descriptor pool and message factory) with equal
  // keys evaluate to the same value on the same variable values, with no
  // effect on the cost budget. False (and `out` in any state) when the
  // subtree cannot be shared: it reads comprehension variables, runs a
  // comprehension, resolves names at run time, or builds messages or maps.
  virtual bool AppendKey(const KeyContext& context, std::string* out) const {
    (void)context;
    (void)out;
    return false;
  }
  // Adds the operands of this subtree that could hold a shared
  // subexpression (the inline operands of &&, ||, !, binary operators, in),
  // outermost first. Not into comprehensions.
  virtual void CollectOperands(std::vector<Operand*>* out) { (void)out; }

  int64_t id() const { return id_; }

 private:
  int64_t id_;
};

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_FRAME_H_
