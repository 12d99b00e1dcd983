// The math extension (cel-go ext/math.go semantics): math.@max / math.@min
// (what the math.greatest / math.least macros expand to), abs, sign, ceil,
// floor, round (ties away from zero), trunc, isInf, isNaN, isFinite and the
// bitwise functions (shifts by >= 64 give 0; negative shifts are errors;
// right shifts of ints fill with zeros).
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/cel/common/value_equality.h"
#include "src/cel/runtime/function_registry.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cel {
namespace {

using K = ValueKind;
using Args = absl::Span<const Value>;

bool IsNumber(const Value& v) { return v.IsInt() || v.IsUint() || v.IsDouble(); }

Value Identity(Args args, EvalContext&) { return args[0]; }

template <bool kMax>
Value PickPair(const Value& a, const Value& b, EvalContext& ctx) {
  if (!IsNumber(a) || !IsNumber(b)) return ctx.NoSuchOverload();
  std::optional<int> c = CompareValues(a, b);
  if (!c.has_value()) return ctx.NoSuchOverload();
  if (kMax ? *c == -1 : *c == 1) return b;
  return a;
}

template <bool kMax>
Value Pair(Args args, EvalContext& ctx) {
  return PickPair<kMax>(args[0], args[1], ctx);
}

template <bool kMax>
Value FromList(Args args, EvalContext& ctx) {
  const ListValue* list = args[0].list_value();
  if (list->size() == 0) {
    return ctx.Error(absl::StrCat(kMax ? "math.@max" : "math.@min",
                                  "(list) argument must not be empty"));
  }
  Value best = list->Get(0, ctx);
  if (!IsNumber(best)) return ctx.NoSuchOverload();
  for (size_t i = 1; i < list->size(); ++i) {
    best = PickPair<kMax>(best, list->Get(i, ctx), ctx);
    if (best.IsError()) return best;
  }
  return best;
}

Value AbsInt(Args args, EvalContext& ctx) {
  int64_t v = args[0].int_value();
  if (v == std::numeric_limits<int64_t>::min()) {
    return ctx.Error(absl::OutOfRangeError("integer overflow"));
  }
  return Value::Int(v < 0 ? -v : v);
}
Value AbsDouble(Args args, EvalContext&) { return Value::Double(std::fabs(args[0].double_value())); }

Value SignInt(Args args, EvalContext&) {
  int64_t v = args[0].int_value();
  return Value::Int(v > 0 ? 1 : (v < 0 ? -1 : 0));
}
Value SignUint(Args args, EvalContext&) { return Value::Uint(args[0].uint_value() == 0 ? 0 : 1); }
Value SignDouble(Args args, EvalContext&) {
  double v = args[0].double_value();
  if (std::isnan(v)) return args[0];
  return Value::Double(v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0));
}

Value Ceil(Args args, EvalContext&) { return Value::Double(std::ceil(args[0].double_value())); }
Value Floor(Args args, EvalContext&) { return Value::Double(std::floor(args[0].double_value())); }
Value Round(Args args, EvalContext&) { return Value::Double(std::round(args[0].double_value())); }
Value Trunc(Args args, EvalContext&) { return Value::Double(std::trunc(args[0].double_value())); }
Value IsInf(Args args, EvalContext&) { return Value::Bool(std::isinf(args[0].double_value())); }
Value IsNaN(Args args, EvalContext&) { return Value::Bool(std::isnan(args[0].double_value())); }
Value IsFinite(Args args, EvalContext&) {
  return Value::Bool(std::isfinite(args[0].double_value()));
}

Value AndInt(Args a, EvalContext&) { return Value::Int(a[0].int_value() & a[1].int_value()); }
Value AndUint(Args a, EvalContext&) { return Value::Uint(a[0].uint_value() & a[1].uint_value()); }
Value OrInt(Args a, EvalContext&) { return Value::Int(a[0].int_value() | a[1].int_value()); }
Value OrUint(Args a, EvalContext&) { return Value::Uint(a[0].uint_value() | a[1].uint_value()); }
Value XorInt(Args a, EvalContext&) { return Value::Int(a[0].int_value() ^ a[1].int_value()); }
Value XorUint(Args a, EvalContext&) { return Value::Uint(a[0].uint_value() ^ a[1].uint_value()); }
Value NotInt(Args a, EvalContext&) { return Value::Int(~a[0].int_value()); }
Value NotUint(Args a, EvalContext&) { return Value::Uint(~a[0].uint_value()); }

Value NegativeOffset(const char* fn, int64_t bits, EvalContext& ctx) {
  return ctx.Error(absl::StrCat(fn, " negative offset: ", bits));
}

Value ShiftLeftInt(Args a, EvalContext& ctx) {
  int64_t bits = a[1].int_value();
  if (bits < 0) return NegativeOffset("math.bitShiftLeft()", bits, ctx);
  if (bits >= 64) return Value::Int(0);
  return Value::Int(static_cast<int64_t>(static_cast<uint64_t>(a[0].int_value()) << bits));
}
Value ShiftLeftUint(Args a, EvalContext& ctx) {
  int64_t bits = a[1].int_value();
  if (bits < 0) return NegativeOffset("math.bitShiftLeft()", bits, ctx);
  if (bits >= 64) return Value::Uint(0);
  return Value::Uint(a[0].uint_value() << bits);
}
Value ShiftRightInt(Args a, EvalContext& ctx) {
  int64_t bits = a[1].int_value();
  if (bits < 0) return NegativeOffset("math.bitShiftRight()", bits, ctx);
  if (bits >= 64) return Value::Int(0);
  return Value::Int(static_cast<int64_t>(static_cast<uint64_t>(a[0].int_value()) >> bits));
}
Value ShiftRightUint(Args a, EvalContext& ctx) {
  int64_t bits = a[1].int_value();
  if (bits < 0) return NegativeOffset("math.bitShiftRight()", bits, ctx);
  if (bits >= 64) return Value::Uint(0);
  return Value::Uint(a[0].uint_value() >> bits);
}

absl::Status Add(FunctionRegistry* r, const std::string& fn, const std::string& id,
                 std::vector<K> kinds, FunctionImpl impl) {
  Overload o;
  o.function = fn;
  o.id = id;
  o.arg_kinds = std::move(kinds);
  o.impl = impl;
  return r->Register(std::move(o));
}

}  // namespace

absl::Status RegisterMathExtension(FunctionRegistry* r) {
  const K I = K::kInt, U = K::kUint, D = K::kDouble, L = K::kList;
  struct NumKind {
    const char* name;
    K kind;
  };
  const NumKind nums[] = {{"int", I}, {"uint", U}, {"double", D}};
  for (bool is_max : {true, false}) {
    const std::string fn = is_max ? "math.@max" : "math.@min";
    const std::string prefix = is_max ? "math_@max" : "math_@min";
    for (const NumKind& a : nums) {
      PITBOSS_RETURN_IF_ERROR(Add(r, fn, absl::StrCat(prefix, "_", a.name), {a.kind}, Identity));
    }
    for (const NumKind& a : nums) {
      for (const NumKind& b : nums) {
        PITBOSS_RETURN_IF_ERROR(Add(r, fn, absl::StrCat(prefix, "_", a.name, "_", b.name),
                                    {a.kind, b.kind}, is_max ? Pair<true> : Pair<false>));
      }
    }
    for (const NumKind& a : nums) {
      PITBOSS_RETURN_IF_ERROR(Add(r, fn, absl::StrCat(prefix, "_list_", a.name), {L},
                                  is_max ? FromList<true> : FromList<false>));
    }
  }
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.abs", "math_abs_int", {I}, AbsInt));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.abs", "math_abs_uint", {U}, Identity));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.abs", "math_abs_double", {D}, AbsDouble));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.sign", "math_sign_int", {I}, SignInt));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.sign", "math_sign_uint", {U}, SignUint));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.sign", "math_sign_double", {D}, SignDouble));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.ceil", "math_ceil_double", {D}, Ceil));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.floor", "math_floor_double", {D}, Floor));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.round", "math_round_double", {D}, Round));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.trunc", "math_trunc_double", {D}, Trunc));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.isInf", "math_isInf_double", {D}, IsInf));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.isNaN", "math_isNaN_double", {D}, IsNaN));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.isFinite", "math_isFinite_double", {D}, IsFinite));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.bitAnd", "math_bitAnd_int_int", {I, I}, AndInt));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.bitAnd", "math_bitAnd_uint_uint", {U, U}, AndUint));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.bitOr", "math_bitOr_int_int", {I, I}, OrInt));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.bitOr", "math_bitOr_uint_uint", {U, U}, OrUint));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.bitXor", "math_bitXor_int_int", {I, I}, XorInt));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.bitXor", "math_bitXor_uint_uint", {U, U}, XorUint));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.bitNot", "math_bitNot_int_int", {I}, NotInt));
  PITBOSS_RETURN_IF_ERROR(Add(r, "math.bitNot", "math_bitNot_uint_uint", {U}, NotUint));
  PITBOSS_RETURN_IF_ERROR(
      Add(r, "math.bitShiftLeft", "math_bitShiftLeft_int_int", {I, I}, ShiftLeftInt));
  PITBOSS_RETURN_IF_ERROR(
      Add(r, "math.bitShiftLeft", "math_bitShiftLeft_uint_int", {U, I}, ShiftLeftUint));
  PITBOSS_RETURN_IF_ERROR(
      Add(r, "math.bitShiftRight", "math_bitShiftRight_int_int", {I, I}, ShiftRightInt));
  PITBOSS_RETURN_IF_ERROR(
      Add(r, "math.bitShiftRight", "math_bitShiftRight_uint_int", {U, I}, ShiftRightUint));
  return absl::OkStatus();
}

}  // namespace cel
}  // namespace pitboss
