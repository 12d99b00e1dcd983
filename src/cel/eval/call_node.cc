// Call nodes (see call_node.h).
#include "src/cel/eval/call_node.h"

#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

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
  const Value a = lhs_->Eval(frame);
  const Value b = rhs_->Eval(frame);
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
    PITBOSS_CMP(kEqString, IsString, string_value, x == y)
    PITBOSS_CMP(kNeString, IsString, string_value, x != y)
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
  }
  return Slow(a, b, frame);
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
      {"divide_double", FastOp::kDivDouble},
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
