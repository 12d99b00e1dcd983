// Optional values (cel-spec "optionals", cel-go/cel-cpp overload ids):
// optional.of / optional.ofNonZeroValue / optional.none, hasValue, value, or,
// orValue, optional field selection `_?._`, optional indexing `_[?_]`, and
// indexing through an optional `_[_]`. Registered by RegisterOptionalFunctions,
// which StandardRegistry() does not include: an environment opts in (the
// checker must declare the same ids).
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "src/cel/common/map_key.h"
#include "src/cel/common/numeric.h"
#include "src/cel/common/proto_value.h"
#include "src/cel/common/time_util.h"
#include "src/cel/runtime/function_registry.h"
#include "src/cel/runtime/optional_library.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cel {
namespace {

using K = ValueKind;
using Args = absl::Span<const Value>;

bool IsZeroValue(const Value& v) {
  switch (v.kind()) {
    case K::kNull: return true;
    case K::kBool: return !v.bool_value();
    case K::kInt: return v.int_value() == 0;
    case K::kUint: return v.uint_value() == 0;
    case K::kDouble: return v.double_value() == 0;
    case K::kString: return v.string_value().empty();
    case K::kBytes: return v.bytes_value().empty();
    case K::kList: return v.list_value()->size() == 0;
    case K::kMap: return v.map_value()->size() == 0;
    case K::kTimestamp:
    case K::kDuration: return v.seconds() == 0 && v.nanos() == 0;
    case K::kMessage: return v.message_value()->ByteSizeLong() == 0;
    case K::kOptional: return !v.optional_has_value();
    default: return false;
  }
}

Value Of(Args a, EvalContext& ctx) { return Value::Optional(ctx.arena(), a[0]); }
Value OfNonZero(Args a, EvalContext& ctx) {
  return IsZeroValue(a[0]) ? Value::OptionalNone() : Value::Optional(ctx.arena(), a[0]);
}
Value None(Args, EvalContext&) { return Value::OptionalNone(); }
Value HasValue(Args a, EvalContext&) { return Value::Bool(a[0].optional_has_value()); }
Value GetValue(Args a, EvalContext& ctx) {
  if (!a[0].optional_has_value()) return ctx.Error("optional.none() dereference");
  return a[0].optional_value();
}
Value Or(Args a, EvalContext&) { return a[0].optional_has_value() ? a[0] : a[1]; }
Value OrValue(Args a, EvalContext&) {
  return a[0].optional_has_value() ? a[0].optional_value() : a[1];
}

// container[?key]: optional.of(element) when present, optional.none() when not.
Value OptIndex(const Value& container, const Value& key, EvalContext& ctx) {
  if (container.IsList()) {
    int64_t i;
    if (key.IsInt()) {
      i = key.int_value();
    } else if (key.IsUint() && key.uint_value() <= static_cast<uint64_t>(INT64_MAX)) {
      i = static_cast<int64_t>(key.uint_value());
    } else if (key.IsDouble() && std::trunc(key.double_value()) == key.double_value() &&
               key.double_value() > -kTwoPow63 && key.double_value() < kTwoPow63) {
      i = static_cast<int64_t>(key.double_value());
    } else {
      return ctx.NoSuchOverload();
    }
    const ListValue* list = container.list_value();
    if (i < 0 || static_cast<uint64_t>(i) >= list->size()) return Value::OptionalNone();
    return Value::Optional(ctx.arena(), list->Get(static_cast<size_t>(i), ctx));
  }
  if (container.IsMap()) {
    Value out;
    if (container.map_value()->Find(key, ctx, &out)) return Value::Optional(ctx.arena(), out);
    return Value::OptionalNone();
  }
  return ctx.NoSuchOverload();
}

Value OptIndexFn(Args a, EvalContext& ctx) {
  if (a[0].IsOptional()) {
    if (!a[0].optional_has_value()) return Value::OptionalNone();
    return OptIndex(a[0].optional_value(), a[1], ctx);
  }
  return OptIndex(a[0], a[1], ctx);
}

// optional[key]: none stays none; otherwise the element wrapped in an optional
// (a missing element is none).
Value IndexOptional(Args a, EvalContext& ctx) {
  if (!a[0].optional_has_value()) return Value::OptionalNone();
  return OptIndex(a[0].optional_value(), a[1], ctx);
}

Value SelectOptionalFieldFn(Args a, EvalContext& ctx) {
  return SelectOptionalField(a[0], a[1].string_value(), ctx);
}

}  // namespace

Value SelectOptionalField(const Value& target_in, absl::string_view field, EvalContext& ctx) {
  Value target = target_in;
  if (target.IsOptional()) {
    if (!target.optional_has_value()) return Value::OptionalNone();
    target = target.optional_value();
  }
  if (target.IsMap()) {
    Value out;
    if (target.map_value()->Find(Value::StringView(field), ctx, &out)) {
      return Value::Optional(ctx.arena(), out);
    }
    return Value::OptionalNone();
  }
  if (target.IsMessage()) {
    const google::protobuf::Message& m = *target.message_value();
    Value has = HasFieldByName(m, field, ctx);
    if (has.IsError()) return has;
    if (!has.bool_value()) return Value::OptionalNone();
    Value v = GetFieldByName(m, field, ctx);
    if (v.IsError()) return v;
    return Value::Optional(ctx.arena(), v);
  }
  return ctx.NoSuchOverload();
}

absl::Status RegisterOptionalFunctions(FunctionRegistry* registry) {
  const K O = K::kOptional, A = K::kAny, S = K::kString, L = K::kList, M = K::kMap;
  struct Row {
    const char* function;
    const char* id;
    bool receiver;
    std::vector<K> kinds;
    FunctionImpl impl;
  };
  std::vector<Row> rows = {
      {"optional.of", "optional_of", false, {A}, Of},
      {"optional.ofNonZeroValue", "optional_ofNonZeroValue", false, {A}, OfNonZero},
      {"optional.none", "optional_none", false, {}, None},
      {"hasValue", "optional_hasValue", true, {O}, HasValue},
      {"value", "optional_value", true, {O}, GetValue},
      {"or", "optional_or_optional", true, {O, O}, Or},
      {"orValue", "optional_orValue_value", true, {O, A}, OrValue},
      {"_?._", "select_optional_field", false, {A, S}, SelectOptionalFieldFn},
      {"_[?_]", "list_optindex_optional_int", false, {L, A}, OptIndexFn},
      {"_[?_]", "map_optindex_optional_value", false, {M, A}, OptIndexFn},
      {"_[?_]", "optional_list_optindex_optional_int", false, {O, A}, OptIndexFn},
      {"_[?_]", "optional_map_optindex_optional_value", false, {O, A}, OptIndexFn},
      {"_[_]", "optional_list_index_int", false, {O, A}, IndexOptional},
      {"_[_]", "optional_map_index_value", false, {O, A}, IndexOptional},
  };
  for (Row& r : rows) {
    Overload o;
    o.function = r.function;
    o.id = r.id;
    o.receiver_style = r.receiver;
    o.arg_kinds = std::move(r.kinds);
    o.impl = r.impl;
    PITBOSS_RETURN_IF_ERROR(registry->Register(std::move(o)));
  }
  return absl::OkStatus();
}

}  // namespace cel
}  // namespace pitboss
