// The node kinds of a planned CEL program (see frame.h for the model).
//
// Each node evaluates its children and applies the definition's semantics:
// strict calls propagate errors and unknowns (unknowns first, merged), the
// logical operators absorb them (false && error == false, commutatively),
// the conditional evaluates one branch, comprehensions run under the cost
// budget.
#ifndef PITBOSS_SRC_CEL_EVAL_NODES_H_
#define PITBOSS_SRC_CEL_EVAL_NODES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "src/cel/common/value.h"
#include "src/cel/eval/field_reader.h"
#include "src/cel/eval/frame.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

using NodePtr = std::unique_ptr<Node>;

// Merges the unknowns among `values` (at least one must be unknown).
Value MergeUnknowns(absl::Span<const Value> values, EvalContext& ctx);
// The value a strict function returns when an argument is an error or unknown:
// merged unknowns if any, else the first error. False when there is neither.
bool StrictPropagate(absl::Span<const Value> args, EvalContext& ctx, Value* out);

// A literal or a folded constant; referenced data (strings, lists) lives in
// the program's constants arena.
class ConstNode final : public Node {
 public:
  ConstNode(int64_t id, Value value) : Node(id), value_(value) {}
  Value Eval(Frame&) const override { return value_; }
  const Value* ConstantValue() const override { return &value_; }
  bool AppendKey(const KeyContext& context, std::string* out) const override;

 private:
  Value value_;
};

// A declared variable or a comprehension variable, read from its slot.
class SlotNode final : public Node {
 public:
  SlotNode(int64_t id, int slot) : Node(id), slot_(slot) {}
  Value Eval(Frame& frame) const override { return frame.slots[slot_]; }
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  int slot() const { return slot_; }

 private:
  int slot_;
};

// Field selection `operand.field` and has(operand.field). With a checked
// message type the FieldDescriptor is resolved at plan time (a FieldReader
// for generated message types); otherwise the field is looked up by name
// (messages) or key (maps) at run time.
class SelectNode final : public Node {
 public:
  SelectNode(int64_t id, NodePtr operand, std::string field, bool test_only,
             const google::protobuf::Descriptor* descriptor,
             const google::protobuf::FieldDescriptor* field_descriptor);
  Value Eval(Frame& frame) const override {
    if (slot_ >= 0) return EvalFromSlot(frame);
    return Apply(operand_->Eval(frame), frame);
  }
  int64_t Size() const override { return 1 + (operand_ != nullptr ? operand_->Size() : 0); }
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  // The selection part of the key (field, kind of access), without the
  // operand.
  void AppendSelectionKey(std::string* out) const;

  // Applies the selection to an already evaluated operand.
  Value Apply(const Value& operand, Frame& frame) const {
    if (!test_only_ && operand.IsMessage()) {
      const google::protobuf::Message& m = *operand.message_value();
      if (reader_.Matches(m)) return reader_.Read(m, *frame.ctx);
    }
    return ApplySlow(operand, frame);
  }
  // The selection on the operand's variable slot (slot() >= 0).
  Value EvalFromSlot(Frame& frame) const { return Apply(frame.slots[slot_], frame); }

  // The variable slot the operand reads (a plain SlotNode), or -1.
  int slot() const { return slot_; }
  bool test_only() const { return test_only_; }
  const FieldReader& reader() const { return reader_; }
  // A plain read of a singular non-WKT message field of a generated message
  // type (for SelectChainNode).
  bool IsGeneratedMessageStep() const {
    return reader_.kind() == FieldReader::Kind::kMessage && !test_only_;
  }

 private:
  Value ApplySlow(const Value& operand, Frame& frame) const;

  NodePtr operand_;
  std::string field_;
  bool test_only_;
  int slot_ = -1;
  const google::protobuf::Descriptor* descriptor_;
  const google::protobuf::FieldDescriptor* field_descriptor_;
  FieldReader reader_;
};

// `root.f1.f2...fn`: a chain of selections applied in order. When the root
// is a generated message and every intermediate field a singular message
// field, the intermediate messages are read straight through the plan-time
// readers (one node, no intermediate Values).
class SelectChainNode final : public Node {
 public:
  SelectChainNode(int64_t id, NodePtr root, std::vector<std::unique_ptr<SelectNode>> steps);
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return root_->Size() + static_cast<int64_t>(steps_.size()); }
  bool AppendKey(const KeyContext& context, std::string* out) const override;

 private:
  NodePtr root_;
  std::vector<std::unique_ptr<SelectNode>> steps_;  // operand-less
  bool fast_ = false;                               // every intermediate step has a reader
};

// An argument its parent evaluates inline: a constant, a variable slot or a
// field read of a variable (the common leaves of rules) cost no virtual call;
// anything else is a node.
class Operand {
 public:
  Operand() = default;
  explicit Operand(NodePtr node);
  Operand(Operand&&) = default;
  Operand& operator=(Operand&&) = default;

  ABSL_ATTRIBUTE_ALWAYS_INLINE Value Eval(Frame& frame) const {
    switch (kind_) {
      case Kind::kConst:
        return value_;
      case Kind::kSlot:
        return frame.slots[slot_];
      case Kind::kSlotField:
        return select_->EvalFromSlot(frame);
      case Kind::kMemo:
        if (frame.memo != nullptr && frame.memo->computed[memo_index_]) {
          return frame.memo->values[memo_index_];
        }
        return EvalMemo(frame);
      case Kind::kNode:
        break;
    }
    return node_->Eval(frame);
  }
  // The constant, or null.
  const Value* constant() const { return kind_ == Kind::kConst ? &value_ : nullptr; }
  // The field read of a variable, or null.
  const SelectNode* slot_field() const { return kind_ == Kind::kSlotField ? select_ : nullptr; }
  const Node& node() const { return *node_; }
  Node* mutable_node() { return node_.get(); }
  int64_t Size() const { return node_->Size(); }

  // Whether the operand is a general node (not a constant, slot or
  // variable field read): what a ProgramSet may share.
  bool is_node() const { return kind_ == Kind::kNode || kind_ == Kind::kMemo; }
  // Makes the operand read shared subexpression `index` of Frame::memo when
  // there is one (computing and recording it the first time); without a
  // memo table it evaluates as before. Only for is_node() operands; called
  // before the program is evaluated concurrently.
  void SetMemoIndex(uint32_t index) {
    kind_ = Kind::kMemo;
    memo_index_ = index;
  }
  // -1 unless SetMemoIndex was called.
  int64_t memo_index() const { return kind_ == Kind::kMemo ? static_cast<int64_t>(memo_index_) : -1; }

  // Operand-level helpers for the nodes' AppendKey / CollectOperands.
  bool AppendKey(const KeyContext& context, std::string* out) const {
    return node_->AppendKey(context, out);
  }
  void Collect(std::vector<Operand*>* out) {
    out->push_back(this);
    node_->CollectOperands(out);
  }

 private:
  Value EvalMemo(Frame& frame) const;

  enum class Kind : uint8_t { kConst, kSlot, kSlotField, kNode, kMemo };
  Kind kind_ = Kind::kNode;
  int slot_ = 0;
  uint32_t memo_index_ = 0;
  Value value_;
  const SelectNode* select_ = nullptr;
  NodePtr node_;
};

// An unchecked (possibly qualified) name: the candidates in resolution order,
// each a declared-variable slot followed by field selections; then an optional
// constant (enum value or type) and finally an "undeclared reference" error.
class NameNode final : public Node {
 public:
  struct Candidate {
    int slot;
    std::vector<std::unique_ptr<SelectNode>> selects;  // operand-less
  };
  NameNode(int64_t id, std::string name, std::vector<Candidate> candidates,
           std::unique_ptr<Node> fallback);
  Value Eval(Frame& frame) const override;

 private:
  std::string name_;
  std::vector<Candidate> candidates_;
  std::unique_ptr<Node> fallback_;
};

// `lhs && rhs` / `lhs || rhs`: the binary form (the planner builds
// LogicalChainNode; these are its reference definition in tests).
class AndNode final : public Node {
 public:
  AndNode(int64_t id, NodePtr lhs, NodePtr rhs)
      : Node(id), lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + lhs_.Size() + rhs_.Size(); }
  const Operand& lhs() const { return lhs_; }
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  void CollectOperands(std::vector<Operand*>* out) override;

 private:
  Operand lhs_, rhs_;
};

class OrNode final : public Node {
 public:
  OrNode(int64_t id, NodePtr lhs, NodePtr rhs)
      : Node(id), lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + lhs_.Size() + rhs_.Size(); }
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  void CollectOperands(std::vector<Operand*>* out) override;

 private:
  Operand lhs_, rhs_;
};

// A chain of `&&` (or of `||`) flattened into one node: one virtual call per
// chain, the operands evaluated left to right in a loop. The binary tree
// evaluates the same operands (up to the first false for `&&`, the first
// true for `||`), so the common outcomes need no tree: a deciding bool, or
// every operand the neutral bool. Otherwise (an error, unknown or non-bool
// operand and no deciding one) the result is the binary tree's, replayed
// over the operands' values from `shape` (the tree in postfix: operand
// index, or kCombine), so which error wins and how unknowns merge stay as
// the definition and the parser's tree say.
class LogicalChainNode final : public Node {
 public:
  static constexpr int32_t kCombine = -1;
  LogicalChainNode(int64_t id, bool is_and, std::vector<NodePtr> operands,
                   std::vector<int32_t> shape);
  Value Eval(Frame& frame) const override;
  // The binary tree's size: n - 1 operator nodes plus the operands.
  int64_t Size() const override;
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  void CollectOperands(std::vector<Operand*>* out) override;
  bool is_and() const { return is_and_; }
  const Operand& first() const { return operands_[0]; }
  const std::vector<Operand>& operands() const { return operands_; }

 private:
  Value Rest(Frame& frame, size_t index, Value value) const;

  bool is_and_;
  std::vector<Operand> operands_;
  std::vector<int32_t> shape_;
};

class ConditionalNode final : public Node {
 public:
  ConditionalNode(int64_t id, NodePtr cond, NodePtr then, NodePtr otherwise)
      : Node(id), cond_(std::move(cond)), then_(std::move(then)),
        otherwise_(std::move(otherwise)) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override {
    return 1 + cond_->Size() + then_->Size() + otherwise_->Size();
  }
  bool AppendKey(const KeyContext& context, std::string* out) const override;
  void CollectOperands(std::vector<Operand*>* out) override;

 private:
  NodePtr cond_, then_, otherwise_;
};

// @not_strictly_false: false only for the value false.
class NotStrictlyFalseNode final : public Node {
 public:
  NotStrictlyFalseNode(int64_t id, NodePtr arg) : Node(id), arg_(std::move(arg)) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + arg_->Size(); }

 private:
  NodePtr arg_;
};

// cel.@mapInsert(map, key, value) / cel.@mapInsert(map, other_map): the
// accumulator step of the transformMap macros (a new map with the entries
// added; a repeated key is an error).
class MapInsertNode final : public Node {
 public:
  MapInsertNode(int64_t id, std::vector<NodePtr> args) : Node(id), args_(std::move(args)) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override;

 private:
  std::vector<NodePtr> args_;
};

class ListNode final : public Node {
 public:
  ListNode(int64_t id, std::vector<NodePtr> elements, std::vector<bool> optional)
      : Node(id), elements_(std::move(elements)), optional_(std::move(optional)) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override;
  bool AppendKey(const KeyContext& context, std::string* out) const override;

 private:
  std::vector<NodePtr> elements_;
  std::vector<bool> optional_;
};

class MapNode final : public Node {
 public:
  struct Entry {
    NodePtr key;
    NodePtr value;
    bool optional;
  };
  MapNode(int64_t id, std::vector<Entry> entries) : Node(id), entries_(std::move(entries)) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override;

 private:
  std::vector<Entry> entries_;
};

// Message construction.
class StructNode final : public Node {
 public:
  struct Field {
    std::string name;
    NodePtr value;
    bool optional;
  };
  StructNode(int64_t id, const google::protobuf::Descriptor* descriptor,
             std::vector<Field> fields)
      : Node(id), descriptor_(descriptor), fields_(std::move(fields)) {}
  Value Eval(Frame& frame) const override;
  int64_t Size() const override;

 private:
  const google::protobuf::Descriptor* descriptor_;
  std::vector<Field> fields_;
};

class ComprehensionNode final : public Node {
 public:
  // Slots of the iteration variable(s) (iter2_slot < 0 for one variable) and
  // of the accumulator.
  ComprehensionNode(int64_t id, int iter_slot, int iter2_slot, int accu_slot, NodePtr range,
                    NodePtr accu_init, NodePtr loop_condition, NodePtr loop_step,
                    NodePtr result);
  Value Eval(Frame& frame) const override;
  int64_t Size() const override;

 private:
  int iter_slot_, iter2_slot_, accu_slot_;
  NodePtr range_, accu_init_, loop_condition_, loop_step_, result_;
  int64_t body_cost_;
};

// Structural-key helpers (Node::AppendKey).
void AppendPointerKey(const void* p, std::string* out);
// "TAG(lhs,rhs)": the key of a node with two operands; false when an operand
// has none.
bool AppendBinaryKey(absl::string_view tag, const Operand& lhs, const Operand& rhs,
                     const KeyContext& context, std::string* out);
// A constant's key: kind and content (primitive values and lists of them);
// false for other constants.
bool AppendConstantKey(const Value& v, std::string* out);

// Error values used by the evaluator (the definition's wording where it has
// one).
Value NoSuchOverload(Frame& frame);

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_NODES_H_
