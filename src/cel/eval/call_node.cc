// Call nodes (see call_node.h).
#include "src/cel/eval/call_node.h"

#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/cel/eval/string_equal.h"
#include "google/protobuf/arena.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

namespace {

// "TAG<overload>(lhs,rhs)": the overload is part of the key because it
// decides the result whenever the node's inline path does not.
bool AppendTwoOperandKey(absl::string_view tag, const Overload* overload, const Operand& lhs,
                         const Operand& rhs, const KeyContext& context, std::string* out) {
  std::string tagged = absl::StrCat(tag, "<");
  AppendPointerKey(overload, &tagged);
  tagged.append(">");
  return AppendBinaryKey(tagged, lhs, rhs, context, out);
}

}  // namespace

CallNode::CallNode(int64_t id, std::string function, std::vector<NodePtr> args,
                   std::vector<const Overload*> candidates)
    : Node(id),
      function_(std::move(function)),
      args_(std::move(args)),
      candidates_(std::move(candidates)) {}

int64_t CallNode::Size() const {
  int64_t n = 1;
  for (const NodePtr& a : args_) n += a->Size();
  return n;
}

bool CallNode::AppendKey(const KeyContext& context, std::string* out) const {
  absl::StrAppend(out, "C", function_.size(), ":", function_, "<");
  for (const Overload* o : candidates_) AppendPointerKey(o, out);
  out->append(">(");
  for (const NodePtr& a : args_) {
    if (!a->AppendKey(context, out)) return false;
    out->append(",");
  }
  out->append(")");
  return true;
}

void CallNode::CollectOperands(std::vector<Operand*>* out) {
  for (const NodePtr& a : args_) a->CollectOperands(out);
}

bool FastBinaryNode::AppendKey(const KeyContext& context, std::string* out) const {
  return AppendTwoOperandKey(absl::StrCat("F", static_cast<int>(op_)), overload_, lhs_, rhs_,
                             context, out);
}

void FastBinaryNode::CollectOperands(std::vector<Operand*>* out) {
  lhs_.Collect(out);
  rhs_.Collect(out);
}

Value CallNode::Call(absl::Span<const Value> args, Frame& frame) const {
  Value propagated;
  if (StrictPropagate(args, *frame.ctx, &propagated)) return propagated;
  for (const Overload* o : candidates_) {
    if (o->Matches(args)) return o->impl(args, *frame.ctx);
  }
  return NoSuchOverload(frame);
}

Value CallNode::Eval(Frame& frame) const {
  const size_t n = args_.size();
  if (n <= 4) {
    Value args[4];
    for (size_t i = 0; i < n; ++i) args[i] = args_[i]->Eval(frame);
    return Call(absl::Span<const Value>(args, n), frame);
  }
  absl::InlinedVector<Value, 8> args(n);
  for (size_t i = 0; i < n; ++i) args[i] = args_[i]->Eval(frame);
  return Call(args, frame);
}

Value FastBinaryNode::Slow(const Value& a, const Value& b, Frame& frame) const {
  const Value args[2] = {a, b};
  Value propagated;
  if (StrictPropagate(args, *frame.ctx, &propagated)) return propagated;
  if (overload_->Matches(args)) return overload_->impl(absl::MakeConstSpan(args), *frame.ctx);
  return NoSuchOverload(frame);
}

Value FastBinaryNode::Eval(Frame& frame) const {
  const Value a = lhs_.Eval(frame);
  const Value b = rhs_.Eval(frame);
  switch (op_) {
#define PITBOSS_CMP(OP, IS, GET, EXPR)            \
  case FastOp::OP:                                \
    if (a.IS() && b.IS()) {                       \
      const auto x = a.GET();                     \
      const auto y = b.GET();                     \
      return Value::Bool(EXPR);                   \
    }                                             \
    break;
    PITBOSS_CMP(kLtInt, IsInt, int_value, x < y)
    PITBOSS_CMP(kLeInt, IsInt, int_value, x <= y)
    PITBOSS_CMP(kGtInt, IsInt, int_value, x > y)
    PITBOSS_CMP(kGeInt, IsInt, int_value, x >= y)
    PITBOSS_CMP(kEqInt, IsInt, int_value, x == y)
    PITBOSS_CMP(kNeInt, IsInt, int_value, x != y)
    PITBOSS_CMP(kLtUint, IsUint, uint_value, x < y)
    PITBOSS_CMP(kLeUint, IsUint, uint_value, x <= y)
    PITBOSS_CMP(kGtUint, IsUint, uint_value, x > y)
    PITBOSS_CMP(kGeUint, IsUint, uint_value, x >= y)
    PITBOSS_CMP(kEqUint, IsUint, uint_value, x == y)
    PITBOSS_CMP(kNeUint, IsUint, uint_value, x != y)
    PITBOSS_CMP(kLtDouble, IsDouble, double_value, x < y)
    PITBOSS_CMP(kLeDouble, IsDouble, double_value, x <= y)
    PITBOSS_CMP(kGtDouble, IsDouble, double_value, x > y)
    PITBOSS_CMP(kGeDouble, IsDouble, double_value, x >= y)
    PITBOSS_CMP(kLtString, IsString, string_value, x < y)
    PITBOSS_CMP(kLeString, IsString, string_value, x <= y)
    PITBOSS_CMP(kGtString, IsString, string_value, x > y)
    PITBOSS_CMP(kGeString, IsString, string_value, x >= y)
    PITBOSS_CMP(kEqString, IsString, string_value, StringEqual(x, y))
    PITBOSS_CMP(kNeString, IsString, string_value, !StringEqual(x, y))
    PITBOSS_CMP(kEqBool, IsBool, bool_value, x == y)
    PITBOSS_CMP(kNeBool, IsBool, bool_value, x != y)
#undef PITBOSS_CMP
    case FastOp::kAddInt:
    case FastOp::kSubInt:
    case FastOp::kMulInt:
      if (a.IsInt() && b.IsInt()) {
        int64_t out;
        bool overflow =
            op_ == FastOp::kAddInt   ? __builtin_add_overflow(a.int_value(), b.int_value(), &out)
            : op_ == FastOp::kSubInt ? __builtin_sub_overflow(a.int_value(), b.int_value(), &out)
                                     : __builtin_mul_overflow(a.int_value(), b.int_value(), &out);
        if (!overflow) return Value::Int(out);
      }
      break;
    case FastOp::kAddDouble:
      if (a.IsDouble() && b.IsDouble()) return Value::Double(a.double_value() + b.double_value());
      break;
    case FastOp::kSubDouble:
      if (a.IsDouble() && b.IsDouble()) return Value::Double(a.double_value() - b.double_value());
      break;
    case FastOp::kMulDouble:
      if (a.IsDouble() && b.IsDouble()) return Value::Double(a.double_value() * b.double_value());
      break;
    case FastOp::kDivDouble:
      if (a.IsDouble() && b.IsDouble()) return Value::Double(a.double_value() / b.double_value());
      break;
    case FastOp::kStartsWith:
      if (a.IsString() && b.IsString()) {
        const absl::string_view s = a.string_value(), prefix = b.string_value();
        return Value::Bool(s.size() >= prefix.size() &&
                           StringEqual(s.substr(0, prefix.size()), prefix));
      }
      break;
    case FastOp::kEndsWith:
      if (a.IsString() && b.IsString()) {
        const absl::string_view s = a.string_value(), suffix = b.string_value();
        return Value::Bool(s.size() >= suffix.size() &&
                           StringEqual(s.substr(s.size() - suffix.size()), suffix));
      }
      break;
    case FastOp::kContains:
      if (a.IsString() && b.IsString()) {
        return Value::Bool(absl::StrContains(a.string_value(), b.string_value()));
      }
      break;
  }
  return Slow(a, b, frame);
}

namespace {

// FieldConstCompareNode for one operator.
template <FastOp kOp>
class FieldConstCompareOpNode final : public FieldConstCompareNode {
 public:
  explicit FieldConstCompareOpNode(std::unique_ptr<FastBinaryNode> general)
      : FieldConstCompareNode(std::move(general)) {}

  Value Eval(Frame& frame) const override {
    const Value& v = frame.slots[slot_];
    if (v.IsMessage() && reader_->Matches(*v.message_value())) {
      const google::protobuf::Message& m = *v.message_value();
      if constexpr (kOp == FastOp::kEqString) {
        return Value::Bool(StringEqual(reader_->RawString(m), string_constant_));
      } else if constexpr (kOp == FastOp::kNeString) {
        return Value::Bool(!StringEqual(reader_->RawString(m), string_constant_));
      } else if constexpr (kOp == FastOp::kLtInt) {
        return Value::Bool(reader_->Int64(m) < int_constant_);
      } else if constexpr (kOp == FastOp::kLeInt) {
        return Value::Bool(reader_->Int64(m) <= int_constant_);
      } else if constexpr (kOp == FastOp::kGtInt) {
        return Value::Bool(reader_->Int64(m) > int_constant_);
      } else if constexpr (kOp == FastOp::kGeInt) {
        return Value::Bool(reader_->Int64(m) >= int_constant_);
      } else if constexpr (kOp == FastOp::kEqInt) {
        return Value::Bool(reader_->Int64(m) == int_constant_);
      } else {
        static_assert(kOp == FastOp::kNeInt);
        return Value::Bool(reader_->Int64(m) != int_constant_);
      }
    }
    return general_->Eval(frame);
  }
};

}  // namespace

std::unique_ptr<FieldConstCompareNode> FieldConstCompareNode::TryCreate(
    std::unique_ptr<FastBinaryNode>& general) {
  const SelectNode* select = general->lhs().slot_field();
  const Value* constant = general->rhs().constant();
  if (select == nullptr || constant == nullptr || select->test_only() ||
      !select->reader().raw()) {
    return nullptr;
  }
  const FieldReader::Kind kind = select->reader().kind();
  switch (general->op()) {
    case FastOp::kLtInt:
    case FastOp::kLeInt:
    case FastOp::kGtInt:
    case FastOp::kGeInt:
    case FastOp::kEqInt:
    case FastOp::kNeInt:
      if (kind != FieldReader::Kind::kInt64 || !constant->IsInt()) return nullptr;
      break;
    case FastOp::kEqString:
    case FastOp::kNeString:
      if (kind != FieldReader::Kind::kString || !constant->IsString()) return nullptr;
      break;
    default:
      return nullptr;
  }
  switch (general->op()) {
#define PITBOSS_FIELD_CONST(OP) \
  case FastOp::OP:              \
    return std::make_unique<FieldConstCompareOpNode<FastOp::OP>>(std::move(general));
    PITBOSS_FIELD_CONST(kLtInt)
    PITBOSS_FIELD_CONST(kLeInt)
    PITBOSS_FIELD_CONST(kGtInt)
    PITBOSS_FIELD_CONST(kGeInt)
    PITBOSS_FIELD_CONST(kEqInt)
    PITBOSS_FIELD_CONST(kNeInt)
    PITBOSS_FIELD_CONST(kEqString)
    PITBOSS_FIELD_CONST(kNeString)
#undef PITBOSS_FIELD_CONST
    default:
      break;
  }
  return nullptr;
}

FieldConstCompareNode::FieldConstCompareNode(std::unique_ptr<FastBinaryNode> general)
    : Node(general->id()), general_(std::move(general)), op_(general_->op()) {
  const SelectNode* select = general_->lhs().slot_field();
  slot_ = select->slot();
  reader_ = &select->reader();
  const Value& c = *general_->rhs().constant();
  if (c.IsInt()) int_constant_ = c.int_value();
  if (c.IsString()) string_constant_ = c.string_value();
}

bool FieldConstCompareNode::AppendKey(const KeyContext& context, std::string* out) const {
  return general_->AppendKey(context, out);
}

bool NotNode::AppendKey(const KeyContext& context, std::string* out) const {
  out->append("!(");
  if (!arg_.AppendKey(context, out)) return false;
  out->append(")");
  return true;
}

void NotNode::CollectOperands(std::vector<Operand*>* out) { arg_.Collect(out); }

Value NotNode::Eval(Frame& frame) const {
  const Value v = arg_.Eval(frame);
  if (v.IsBool()) return Value::Bool(!v.bool_value());
  if (v.IsErrorOrUnknown()) return v;
  return NoSuchOverload(frame);
}

namespace {

// A strict call of one bound overload (what CallNode does with one candidate).
Value CallOverload(const Overload& overload, absl::Span<const Value> args, Frame& frame) {
  Value propagated;
  if (StrictPropagate(args, *frame.ctx, &propagated)) return propagated;
  if (overload.Matches(args)) return overload.impl(args, *frame.ctx);
  return NoSuchOverload(frame);
}

// Hashing pays for constant lists longer than this.
constexpr size_t kLinearInListMax = 8;

}  // namespace

// A node reading a repeated field of a variable (a SelectNode on a slot).
const SelectNode* RepeatedFieldOfSlot(const Node& node) {
  const auto* select = dynamic_cast<const SelectNode*>(&node);
  if (select == nullptr || select->slot() < 0 || select->test_only() ||
      !select->reader().repeated()) {
    return nullptr;
  }
  return select;
}

RepeatedSizeNode::RepeatedSizeNode(int64_t id, NodePtr select, const Overload* overload)
    : Node(id),
      select_node_(std::move(select)),
      select_(static_cast<const SelectNode*>(select_node_.get())),
      overload_(overload) {}

bool RepeatedSizeNode::AppendKey(const KeyContext& context, std::string* out) const {
  out->append("size<");
  AppendPointerKey(overload_, out);
  out->append(">(");
  if (!select_node_->AppendKey(context, out)) return false;
  out->append(")");
  return true;
}

Value RepeatedSizeNode::Eval(Frame& frame) const {
  const Value& operand = frame.slots[select_->slot()];
  if (operand.IsMessage() && select_->reader().Matches(*operand.message_value())) {
    return Value::Int(select_->reader().RepeatedSize(*operand.message_value()));
  }
  const Value args[1] = {select_->EvalFromSlot(frame)};
  return CallOverload(*overload_, args, frame);
}

bool InListNode::Applies(const Node& rhs) {
  if (const Value* c = rhs.ConstantValue()) return c->IsList();
  const SelectNode* select = RepeatedFieldOfSlot(rhs);
  return select != nullptr && (select->reader().kind() == FieldReader::Kind::kRepeatedString ||
                               select->reader().kind() == FieldReader::Kind::kRepeatedInt64);
}

InListNode::InListNode(int64_t id, NodePtr lhs, NodePtr rhs, const Overload* overload)
    : Node(id), lhs_(std::move(lhs)), rhs_(std::move(rhs)), overload_(overload) {
  const Value* c = rhs_.constant();
  if (c == nullptr || !c->IsList()) return;
  const ListValue* list = c->list_value();
  // Elements of a planned constant list are stored values (strings in the
  // program's arena); reading them allocates nothing.
  google::protobuf::Arena scratch;
  EvalContext ctx(&scratch);
  bool strings = true, ints = true;
  for (size_t i = 0; i < list->size(); ++i) {
    const Value e = list->Get(i, ctx);
    strings &= e.IsString();
    ints &= e.IsInt();
    if (e.IsString()) strings_.push_back(e.string_value());
    if (e.IsInt()) ints_.push_back(e.int_value());
  }
  const_strings_ = strings && list->size() > 0;
  const_ints_ = ints && list->size() > 0;
  hashed_ = list->size() > kLinearInListMax;
  if (hashed_ && const_strings_) string_set_.insert(strings_.begin(), strings_.end());
  if (hashed_ && const_ints_) int_set_.insert(ints_.begin(), ints_.end());
}

bool InListNode::AppendKey(const KeyContext& context, std::string* out) const {
  return AppendTwoOperandKey("in", overload_, lhs_, rhs_, context, out);
}

void InListNode::CollectOperands(std::vector<Operand*>* out) {
  lhs_.Collect(out);
  rhs_.Collect(out);
}

Value InListNode::Generic(const Value& a, const Value& b, Frame& frame) const {
  const Value args[2] = {a, b};
  return CallOverload(*overload_, args, frame);
}

Value InListNode::Eval(Frame& frame) const {
  const Value a = lhs_.Eval(frame);
  if (const_strings_ && a.IsString()) {
    const absl::string_view s = a.string_value();
    if (hashed_) return Value::Bool(string_set_.contains(s));
    for (absl::string_view x : strings_) {
      if (StringEqual(x, s)) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  if (const_ints_ && a.IsInt()) {
    const int64_t v = a.int_value();
    if (hashed_) return Value::Bool(int_set_.contains(v));
    for (int64_t x : ints_) {
      if (x == v) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  if (const SelectNode* select = rhs_.slot_field()) {
    const Value& operand = frame.slots[select->slot()];
    if (operand.IsMessage() && !select->test_only() &&
        select->reader().Matches(*operand.message_value())) {
      const google::protobuf::Message& m = *operand.message_value();
      if (a.IsString() && select->reader().kind() == FieldReader::Kind::kRepeatedString) {
        return Value::Bool(select->reader().RepeatedStringContains(m, a.string_value()));
      }
      if (a.IsInt() && select->reader().kind() == FieldReader::Kind::kRepeatedInt64) {
        return Value::Bool(select->reader().RepeatedInt64Contains(m, a.int_value()));
      }
    }
  }
  return Generic(a, rhs_.Eval(frame), frame);
}

bool FindFastOp(absl::string_view id, const CelType& type, FastOp* op) {
  struct Entry {
    const char* id;
    FastOp op;
  };
  static constexpr Entry kTable[] = {
      {"less_int64", FastOp::kLtInt},           {"less_equals_int64", FastOp::kLeInt},
      {"greater_int64", FastOp::kGtInt},        {"greater_equals_int64", FastOp::kGeInt},
      {"less_uint64", FastOp::kLtUint},         {"less_equals_uint64", FastOp::kLeUint},
      {"greater_uint64", FastOp::kGtUint},      {"greater_equals_uint64", FastOp::kGeUint},
      {"less_double", FastOp::kLtDouble},       {"less_equals_double", FastOp::kLeDouble},
      {"greater_double", FastOp::kGtDouble},    {"greater_equals_double", FastOp::kGeDouble},
      {"less_string", FastOp::kLtString},       {"less_equals_string", FastOp::kLeString},
      {"greater_string", FastOp::kGtString},    {"greater_equals_string", FastOp::kGeString},
      {"add_int64", FastOp::kAddInt},           {"subtract_int64", FastOp::kSubInt},
      {"multiply_int64", FastOp::kMulInt},      {"add_double", FastOp::kAddDouble},
      {"subtract_double", FastOp::kSubDouble},  {"multiply_double", FastOp::kMulDouble},
      {"divide_double", FastOp::kDivDouble},    {"starts_with_string", FastOp::kStartsWith},
      {"ends_with_string", FastOp::kEndsWith},  {"contains_string", FastOp::kContains},
  };
  for (const Entry& e : kTable) {
    if (id == e.id) {
      *op = e.op;
      return true;
    }
  }
  const bool eq = id == "equals";
  if (!eq && id != "not_equals") return false;
  switch (type.kind()) {
    case CelType::Kind::kInt:
      *op = eq ? FastOp::kEqInt : FastOp::kNeInt;
      return true;
    case CelType::Kind::kUint:
      *op = eq ? FastOp::kEqUint : FastOp::kNeUint;
      return true;
    case CelType::Kind::kString:
      *op = eq ? FastOp::kEqString : FastOp::kNeString;
      return true;
    case CelType::Kind::kBool:
      *op = eq ? FastOp::kEqBool : FastOp::kNeBool;
      return true;
    default:
      return false;
  }
}

absl::StatusOr<NodePtr> MakeCallNode(int64_t id, const std::string& function,
                                     bool receiver_style, std::vector<NodePtr> args,
                                     const std::vector<std::string>& overload_ids,
                                     const FunctionRegistry& registry) {
  std::vector<const Overload*> candidates;
  if (!overload_ids.empty()) {
    for (const std::string& oid : overload_ids) {
      const Overload* o = registry.FindById(oid);
      if (o == nullptr) {
        return absl::NotFoundError(absl::StrCat("no implementation of overload '", oid,
                                                "' of function '", function, "'"));
      }
      candidates.push_back(o);
    }
  } else {
    candidates = registry.FindOverloads(function, receiver_style, args.size());
  }
  return std::make_unique<CallNode>(id, function, std::move(args), std::move(candidates));
}

bool HasFunction(const FunctionRegistry& registry, absl::string_view function) {
  for (bool receiver : {false, true}) {
    for (size_t arity = 0; arity <= kMaxOverloadArity; ++arity) {
      if (!registry.FindOverloads(function, receiver, arity).empty()) return true;
    }
  }
  return false;
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss
