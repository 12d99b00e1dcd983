// Node evaluation (see nodes.h).
#include "src/cel/eval/nodes.h"

#include <cstring>
#include <new>
#include <utility>

#include "absl/base/optimization.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/message.h"
#include "src/cel/common/proto_value.h"
#include "src/cel/runtime/optional_library.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

Value NoSuchOverload(Frame& frame) { return frame.ctx->NoSuchOverload(); }

Value MergeUnknowns(absl::Span<const Value> values, EvalContext& ctx) {
  absl::InlinedVector<int64_t, 8> ids;
  const Value* single = nullptr;
  int count = 0;
  for (const Value& v : values) {
    if (!v.IsUnknown()) continue;
    single = &v;
    ++count;
    for (int64_t id : v.unknown_ids()) ids.push_back(id);
  }
  if (count == 1) return *single;
  return Value::Unknown(ctx.arena(), ids);
}

bool StrictPropagate(absl::Span<const Value> args, EvalContext& ctx, Value* out) {
  const Value* first_error = nullptr;
  bool unknown = false;
  for (const Value& v : args) {
    if (v.IsUnknown()) {
      unknown = true;
    } else if (v.IsError() && first_error == nullptr) {
      first_error = &v;
    }
  }
  if (unknown) {
    *out = MergeUnknowns(args, ctx);
    return true;
  }
  if (first_error != nullptr) {
    *out = *first_error;
    return true;
  }
  return false;
}

void AppendPointerKey(const void* p, std::string* out) {
  absl::StrAppend(out, absl::Hex(reinterpret_cast<uintptr_t>(p)), ";");
}

bool AppendConstantKey(const Value& v, std::string* out) {
  switch (v.kind()) {
    case ValueKind::kNull:
      out->append("n;");
      return true;
    case ValueKind::kBool:
      out->append(v.bool_value() ? "b1;" : "b0;");
      return true;
    case ValueKind::kInt:
      absl::StrAppend(out, "i", v.int_value(), ";");
      return true;
    case ValueKind::kUint:
      absl::StrAppend(out, "u", v.uint_value(), ";");
      return true;
    case ValueKind::kDouble: {
      uint64_t bits;
      const double d = v.double_value();
      std::memcpy(&bits, &d, sizeof bits);
      absl::StrAppend(out, "d", bits, ";");
      return true;
    }
    case ValueKind::kString:
    case ValueKind::kBytes:
    case ValueKind::kType: {
      // Length-prefixed: no content can imitate the next key part.
      const absl::string_view text =
          v.IsType() ? v.type_value() : v.IsBytes() ? v.bytes_value() : v.string_value();
      absl::StrAppend(out, v.IsString() ? "s" : v.IsBytes() ? "y" : "t", text.size(), ":");
      out->append(text.data(), text.size());
      return true;
    }
    case ValueKind::kList: {
      // Elements of a planned constant list are stored values: reading them
      // allocates nothing.
      google::protobuf::Arena scratch;
      EvalContext ctx(&scratch);
      const ListValue* list = v.list_value();
      absl::StrAppend(out, "[", list->size(), ":");
      for (size_t i = 0; i < list->size(); ++i) {
        if (!AppendConstantKey(list->Get(i, ctx), out)) return false;
      }
      out->append("]");
      return true;
    }
    default:
      return false;
  }
}

bool ConstNode::AppendKey(const KeyContext&, std::string* out) const {
  return AppendConstantKey(value_, out);
}

bool SlotNode::AppendKey(const KeyContext& context, std::string* out) const {
  const std::vector<const std::string*>& vars = *context.slot_variables;
  if (slot_ < 0 || static_cast<size_t>(slot_) >= vars.size() || vars[slot_] == nullptr) {
    return false;  // a comprehension variable
  }
  out->append("v");
  AppendPointerKey(vars[slot_], out);
  return true;
}

void SelectNode::AppendSelectionKey(std::string* out) const {
  absl::StrAppend(out, test_only_ ? "has." : ".", field_.size(), ":", field_);
  AppendPointerKey(descriptor_, out);
  AppendPointerKey(field_descriptor_, out);
}

bool SelectNode::AppendKey(const KeyContext& context, std::string* out) const {
  if (operand_ == nullptr) return false;
  out->append("S(");
  if (!operand_->AppendKey(context, out)) return false;
  AppendSelectionKey(out);
  out->append(")");
  return true;
}

bool SelectChainNode::AppendKey(const KeyContext& context, std::string* out) const {
  out->append("S(");
  if (!root_->AppendKey(context, out)) return false;
  for (const auto& step : steps_) step->AppendSelectionKey(out);
  out->append(")");
  return true;
}

SelectNode::SelectNode(int64_t id, NodePtr operand, std::string field, bool test_only,
                       const google::protobuf::Descriptor* descriptor,
                       const google::protobuf::FieldDescriptor* field_descriptor)
    : Node(id),
      operand_(std::move(operand)),
      field_(std::move(field)),
      test_only_(test_only),
      descriptor_(descriptor),
      field_descriptor_(field_descriptor),
      reader_(FieldReader::Create(descriptor, field_descriptor)) {
  if (const auto* slot = dynamic_cast<const SlotNode*>(operand_.get())) slot_ = slot->slot();
}

Value SelectNode::ApplySlow(const Value& operand, Frame& frame) const {
  switch (operand.kind()) {
    case ValueKind::kMessage: {
      const google::protobuf::Message& msg = *operand.message_value();
      if (reader_.Matches(msg)) {  // test_only_
        if (reader_.raw_presence()) return Value::Bool(reader_.RawHas(msg));
        if (field_descriptor_->is_repeated()) {
          return Value::Bool(reader_.RepeatedSize(msg) > 0);
        }
        return Value::Bool(reader_.reflection()->HasField(msg, field_descriptor_));
      }
      if (field_descriptor_ != nullptr && msg.GetDescriptor() == descriptor_) {
        if (test_only_) return Value::Bool(HasField(msg, field_descriptor_));
        return GetField(msg, field_descriptor_, *frame.ctx);
      }
      if (test_only_) return HasFieldByName(msg, field_, *frame.ctx);
      return GetFieldByName(msg, field_, *frame.ctx);
    }
    case ValueKind::kMap: {
      Value out;
      bool found = operand.map_value()->Find(Value::StringView(field_), *frame.ctx, &out);
      if (test_only_) return Value::Bool(found);
      if (found) return out;
      return frame.ctx->Error(
          absl::NotFoundError(absl::StrCat("no such key: '", field_, "'")));
    }
    case ValueKind::kOptional:
      // Selecting through an optional (cel-go): none stays none and has() of
      // it is false; a present value gives the field as an optional.
      if (!operand.optional_has_value()) return test_only_ ? Value::Bool(false) : operand;
      if (test_only_) return Apply(operand.optional_value(), frame);
      return SelectOptionalField(operand.optional_value(), field_, *frame.ctx);
    case ValueKind::kError:
    case ValueKind::kUnknown:
      return operand;
    default:
      return NoSuchOverload(frame);
  }
}

SelectChainNode::SelectChainNode(int64_t id, NodePtr root,
                                 std::vector<std::unique_ptr<SelectNode>> steps)
    : Node(id), root_(std::move(root)), steps_(std::move(steps)) {
  fast_ = steps_.size() > 1;
  for (size_t i = 0; fast_ && i + 1 < steps_.size(); ++i) {
    fast_ = steps_[i]->IsGeneratedMessageStep();
  }
}

Value SelectChainNode::Eval(Frame& frame) const {
  Value v = root_->Eval(frame);
  if (fast_ && v.IsMessage() && steps_[0]->reader().Matches(*v.message_value())) {
    const google::protobuf::Message* m = v.message_value();
    const size_t last = steps_.size() - 1;
    for (size_t i = 0; i < last; ++i) m = &steps_[i]->reader().SubMessage(*m);
    return steps_[last]->Apply(Value::Message(m), frame);
  }
  for (const auto& step : steps_) v = step->Apply(v, frame);
  return v;
}

Operand::Operand(NodePtr node) : node_(std::move(node)) {
  if (const Value* c = node_->ConstantValue()) {
    kind_ = Kind::kConst;
    value_ = *c;
  } else if (const auto* slot = dynamic_cast<const SlotNode*>(node_.get())) {
    kind_ = Kind::kSlot;
    slot_ = slot->slot();
  } else if (const auto* select = dynamic_cast<const SelectNode*>(node_.get());
             select != nullptr && select->slot() >= 0) {
    kind_ = Kind::kSlotField;
    select_ = select;
  }
}

NameNode::NameNode(int64_t id, std::string name, std::vector<Candidate> candidates,
                   std::unique_ptr<Node> fallback)
    : Node(id),
      name_(std::move(name)),
      candidates_(std::move(candidates)),
      fallback_(std::move(fallback)) {}

Value NameNode::Eval(Frame& frame) const {
  for (const Candidate& c : candidates_) {
    if (!frame.bound[c.slot]) continue;
    Value v = frame.slots[c.slot];
    for (const auto& sel : c.selects) v = sel->Apply(v, frame);
    return v;
  }
  if (fallback_ != nullptr) return fallback_->Eval(frame);
  return frame.ctx->Error(
      absl::NotFoundError(absl::StrCat("undeclared reference to '", name_, "'")));
}

// The definition's && with commutative absorption: false wins over errors and
// unknowns on either side; then unknowns (merged) win over errors.
Value Operand::EvalMemo(Frame& frame) const {
  // Not computed yet in this call (Eval checked), or no memo table.
  MemoTable* memo = frame.memo;
  if (memo == nullptr) return node_->Eval(frame);
  Value v = node_->Eval(frame);
  // Unknowns name the expression ids of the program that made them, so they
  // are not shared; every other result is the same for every program.
  if (!v.IsUnknown()) {
    new (&memo->values[memo_index_]) Value(v);
    memo->computed[memo_index_] = true;
  }
  return v;
}

bool AppendBinaryKey(absl::string_view tag, const Operand& lhs, const Operand& rhs,
                     const KeyContext& context, std::string* out) {
  out->append(tag.data(), tag.size());
  out->append("(");
  if (!lhs.AppendKey(context, out)) return false;
  out->append(",");
  if (!rhs.AppendKey(context, out)) return false;
  out->append(")");
  return true;
}

bool AndNode::AppendKey(const KeyContext& context, std::string* out) const {
  return AppendBinaryKey("&&", lhs_, rhs_, context, out);
}

void AndNode::CollectOperands(std::vector<Operand*>* out) {
  lhs_.Collect(out);
  rhs_.Collect(out);
}

bool OrNode::AppendKey(const KeyContext& context, std::string* out) const {
  return AppendBinaryKey("||", lhs_, rhs_, context, out);
}

void OrNode::CollectOperands(std::vector<Operand*>* out) {
  lhs_.Collect(out);
  rhs_.Collect(out);
}

bool ConditionalNode::AppendKey(const KeyContext& context, std::string* out) const {
  out->append("?:(");
  if (!cond_->AppendKey(context, out)) return false;
  out->append(",");
  if (!then_->AppendKey(context, out)) return false;
  out->append(",");
  if (!otherwise_->AppendKey(context, out)) return false;
  out->append(")");
  return true;
}

void ConditionalNode::CollectOperands(std::vector<Operand*>* out) {
  cond_->CollectOperands(out);
  then_->CollectOperands(out);
  otherwise_->CollectOperands(out);
}

bool ListNode::AppendKey(const KeyContext& context, std::string* out) const {
  absl::StrAppend(out, "L", elements_.size(), "(");
  for (size_t i = 0; i < elements_.size(); ++i) {
    out->append(optional_[i] ? "?" : "");
    if (!elements_[i]->AppendKey(context, out)) return false;
    out->append(",");
  }
  out->append(")");
  return true;
}

Value AndNode::Eval(Frame& frame) const {
  Value lhs = lhs_.Eval(frame);
  if (lhs.IsBool() && !lhs.bool_value()) return lhs;
  Value rhs = rhs_.Eval(frame);
  if (rhs.IsBool()) {
    if (!rhs.bool_value()) return rhs;
    if (lhs.IsBool()) return rhs;  // true && true
  }
  // At least one side is not a bool.
  if (lhs.IsUnknown() || rhs.IsUnknown()) {
    Value both[2] = {lhs, rhs};
    return MergeUnknowns(both, *frame.ctx);
  }
  if (lhs.IsError()) return lhs;
  if (rhs.IsError()) return rhs;
  return NoSuchOverload(frame);
}

Value OrNode::Eval(Frame& frame) const {
  Value lhs = lhs_.Eval(frame);
  if (lhs.IsBool() && lhs.bool_value()) return lhs;
  Value rhs = rhs_.Eval(frame);
  if (rhs.IsBool()) {
    if (rhs.bool_value()) return rhs;
    if (lhs.IsBool()) return rhs;  // false || false
  }
  if (lhs.IsUnknown() || rhs.IsUnknown()) {
    Value both[2] = {lhs, rhs};
    return MergeUnknowns(both, *frame.ctx);
  }
  if (lhs.IsError()) return lhs;
  if (rhs.IsError()) return rhs;
  return NoSuchOverload(frame);
}

LogicalChainNode::LogicalChainNode(int64_t id, bool is_and, std::vector<NodePtr> operands,
                                   std::vector<int32_t> shape)
    : Node(id), is_and_(is_and), shape_(std::move(shape)) {
  operands_.reserve(operands.size());
  for (NodePtr& o : operands) operands_.emplace_back(std::move(o));
}

int64_t LogicalChainNode::Size() const {
  int64_t n = static_cast<int64_t>(operands_.size()) - 1;
  for (const Operand& o : operands_) n += o.Size();
  return n;
}

bool LogicalChainNode::AppendKey(const KeyContext& context, std::string* out) const {
  out->append(is_and_ ? "&&*(" : "||*(");
  for (int32_t s : shape_) absl::StrAppend(out, s, " ");
  for (const Operand& o : operands_) {
    out->append(",");
    if (!o.AppendKey(context, out)) return false;
  }
  out->append(")");
  return true;
}

void LogicalChainNode::CollectOperands(std::vector<Operand*>* out) {
  for (Operand& o : operands_) o.Collect(out);
}

Value LogicalChainNode::Eval(Frame& frame) const {
  const size_t n = operands_.size();
  for (size_t i = 0; i < n; ++i) {
    Value v = operands_[i].Eval(frame);
    if (ABSL_PREDICT_TRUE(v.IsBool())) {
      if (v.bool_value() != is_and_) return v;  // false && ..., true || ...
      continue;
    }
    return Rest(frame, i, v);
  }
  return Value::Bool(is_and_);
}

// Operands before `index` were the neutral bool; `value` (operand `index`)
// is not a bool.
Value LogicalChainNode::Rest(Frame& frame, size_t index, Value value) const {
  const size_t n = operands_.size();
  absl::InlinedVector<Value, 8> values(n, Value::Bool(is_and_));
  values[index] = value;
  for (size_t i = index + 1; i < n; ++i) {
    Value v = operands_[i].Eval(frame);
    if (v.IsBool() && v.bool_value() != is_and_) return v;
    values[i] = v;
  }
  // No deciding operand: replay the binary tree (whose every combination
  // is then the neutral bool or not a bool, never a deciding one).
  absl::InlinedVector<Value, 8> stack;
  for (int32_t s : shape_) {
    if (s != kCombine) {
      stack.push_back(values[static_cast<size_t>(s)]);
      continue;
    }
    Value rhs = stack.back();
    stack.pop_back();
    Value lhs = stack.back();
    Value& result = stack.back();
    if (lhs.IsBool() && rhs.IsBool()) {
      result = rhs;
    } else if (lhs.IsUnknown() || rhs.IsUnknown()) {
      Value both[2] = {lhs, rhs};
      result = MergeUnknowns(both, *frame.ctx);
    } else if (lhs.IsError()) {
      result = lhs;
    } else if (rhs.IsError()) {
      result = rhs;
    } else {
      result = NoSuchOverload(frame);
    }
  }
  return stack.back();
}

Value ConditionalNode::Eval(Frame& frame) const {
  Value cond = cond_->Eval(frame);
  if (cond.IsBool()) return cond.bool_value() ? then_->Eval(frame) : otherwise_->Eval(frame);
  if (cond.IsErrorOrUnknown()) return cond;
  return NoSuchOverload(frame);
}

Value NotStrictlyFalseNode::Eval(Frame& frame) const {
  Value v = arg_->Eval(frame);
  if (v.IsBool()) return v;
  return Value::Bool(true);
}

int64_t MapInsertNode::Size() const {
  int64_t n = 1;
  for (const NodePtr& a : args_) n += a->Size();
  return n;
}

Value MapInsertNode::Eval(Frame& frame) const {
  absl::InlinedVector<Value, 3> args;
  for (const NodePtr& a : args_) args.push_back(a->Eval(frame));
  Value propagated;
  if (StrictPropagate(args, *frame.ctx, &propagated)) return propagated;
  if (args.size() < 2 || !args[0].IsMap()) return NoSuchOverload(frame);
  const MapValue* base = args[0].map_value();
  absl::InlinedVector<MapEntry, 8> entries;
  for (size_t i = 0; i < base->size(); ++i) {
    entries.push_back(MapEntry{base->KeyAt(i, *frame.ctx), base->ValueAt(i, *frame.ctx)});
  }
  if (args.size() == 3) {
    entries.push_back(MapEntry{args[1], args[2]});
  } else if (args.size() == 2 && args[1].IsMap()) {
    const MapValue* more = args[1].map_value();
    for (size_t i = 0; i < more->size(); ++i) {
      entries.push_back(MapEntry{more->KeyAt(i, *frame.ctx), more->ValueAt(i, *frame.ctx)});
    }
  } else {
    return NoSuchOverload(frame);
  }
  return MakeMap(frame.ctx->arena(), entries);
}

int64_t ListNode::Size() const {
  int64_t n = 1;
  for (const NodePtr& e : elements_) n += e->Size();
  return n;
}

Value ListNode::Eval(Frame& frame) const {
  absl::InlinedVector<Value, 8> values;
  values.reserve(elements_.size());
  for (size_t i = 0; i < elements_.size(); ++i) {
    Value v = elements_[i]->Eval(frame);
    if (optional_[i]) {
      if (v.IsOptional()) {
        if (!v.optional_has_value()) continue;
        v = v.optional_value();
      } else if (!v.IsErrorOrUnknown()) {
        return NoSuchOverload(frame);
      }
    }
    values.push_back(v);
  }
  Value propagated;
  if (StrictPropagate(values, *frame.ctx, &propagated)) return propagated;
  return MakeList(frame.ctx->arena(), values);
}

int64_t MapNode::Size() const {
  int64_t n = 1;
  for (const Entry& e : entries_) n += e.key->Size() + e.value->Size();
  return n;
}

Value MapNode::Eval(Frame& frame) const {
  absl::InlinedVector<MapEntry, 8> entries;
  entries.reserve(entries_.size());
  for (const Entry& e : entries_) {
    Value key = e.key->Eval(frame);
    Value value = e.value->Eval(frame);
    if (e.optional) {
      if (value.IsOptional()) {
        if (!value.optional_has_value()) continue;
        value = value.optional_value();
      } else if (!value.IsErrorOrUnknown()) {
        return NoSuchOverload(frame);
      }
    }
    entries.push_back(MapEntry{key, value});
  }
  return MakeMap(frame.ctx->arena(), entries);
}

int64_t StructNode::Size() const {
  int64_t n = 1;
  for (const Field& f : fields_) n += f.value->Size();
  return n;
}

Value StructNode::Eval(Frame& frame) const {
  absl::InlinedVector<FieldInit, 8> inits;
  inits.reserve(fields_.size());
  for (const Field& f : fields_) {
    Value v = f.value->Eval(frame);
    if (f.optional) {
      if (v.IsOptional()) {
        if (!v.optional_has_value()) continue;
        v = v.optional_value();
      } else if (!v.IsErrorOrUnknown()) {
        return NoSuchOverload(frame);
      }
    }
    inits.push_back(FieldInit{f.name, v});
  }
  return NewMessage(descriptor_, inits, *frame.ctx);
}

ComprehensionNode::ComprehensionNode(int64_t id, int iter_slot, int iter2_slot, int accu_slot,
                                     NodePtr range, NodePtr accu_init, NodePtr loop_condition,
                                     NodePtr loop_step, NodePtr result)
    : Node(id),
      iter_slot_(iter_slot),
      iter2_slot_(iter2_slot),
      accu_slot_(accu_slot),
      range_(std::move(range)),
      accu_init_(std::move(accu_init)),
      loop_condition_(std::move(loop_condition)),
      loop_step_(std::move(loop_step)),
      result_(std::move(result)) {
  body_cost_ = 1 + loop_condition_->Size() + loop_step_->Size();
}

int64_t ComprehensionNode::Size() const {
  return 1 + range_->Size() + accu_init_->Size() + loop_condition_->Size() +
         loop_step_->Size() + result_->Size();
}

namespace {

Value LimitError(Frame& frame) {
  return frame.ctx->Error(absl::ResourceExhaustedError(
      frame.iterations_left < 0 ? "comprehension iteration limit exceeded"
                                : "evaluation cost limit exceeded"));
}

}  // namespace

Value ComprehensionNode::Eval(Frame& frame) const {
  if (frame.exhausted) return LimitError(frame);
  Value range = range_->Eval(frame);
  if (range.IsErrorOrUnknown()) return range;
  size_t n = 0;
  const ListValue* list = nullptr;
  const MapValue* map = nullptr;
  if (range.IsList()) {
    list = range.list_value();
    n = list->size();
  } else if (range.IsMap()) {
    map = range.map_value();
    n = map->size();
  } else {
    return NoSuchOverload(frame);
  }
  Value* slots = frame.slots;
  slots[accu_slot_] = accu_init_->Eval(frame);
  for (size_t i = 0; i < n; ++i) {
    frame.steps_left -= body_cost_;
    if (--frame.iterations_left < 0 || frame.steps_left < 0 || frame.exhausted) {
      frame.exhausted = true;
      return LimitError(frame);
    }
    if (list != nullptr) {
      if (iter2_slot_ >= 0) {
        slots[iter_slot_] = Value::Int(static_cast<int64_t>(i));
        slots[iter2_slot_] = list->Get(i, *frame.ctx);
      } else {
        slots[iter_slot_] = list->Get(i, *frame.ctx);
      }
    } else {
      slots[iter_slot_] = map->KeyAt(i, *frame.ctx);
      if (iter2_slot_ >= 0) slots[iter2_slot_] = map->ValueAt(i, *frame.ctx);
    }
    Value cond = loop_condition_->Eval(frame);
    if (!(cond.IsBool() && cond.bool_value())) {
      if (frame.exhausted) return LimitError(frame);
      break;
    }
    slots[accu_slot_] = loop_step_->Eval(frame);
    if (frame.exhausted) return LimitError(frame);
  }
  return result_->Eval(frame);
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss
