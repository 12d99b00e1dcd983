// The CEL standard library (cel-spec langdef "List of Standard Definitions")
// registered under the definition's overload ids: logic, equality, ordering,
// arithmetic with overflow/division errors, strings/bytes/lists, indexing and
// `in`, size, string predicates and RE2 `matches`, type conversions with every
// range rule, timestamp/duration arithmetic and accessors with time zones.
#include <charconv>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <limits>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "re2/re2.h"
#include "src/cel/common/map_key.h"
#include "src/cel/common/numeric.h"
#include "src/cel/common/time_util.h"
#include "src/cel/common/utf8.h"
#include "src/cel/common/value_equality.h"
#include "src/cel/runtime/function_registry.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cel {
namespace {

using K = ValueKind;
using Args = absl::Span<const Value>;

constexpr K kA = K::kAny;

Value Overflow(EvalContext& ctx) { return ctx.Error(absl::OutOfRangeError("integer overflow")); }
Value UintOverflow(EvalContext& ctx) {
  return ctx.Error(absl::OutOfRangeError("unsigned integer overflow"));
}
Value RangeError(EvalContext& ctx) { return ctx.Error(absl::OutOfRangeError("range")); }

// ---- Logic (non-strict) ----

// Merges unknown operands, else returns the first error operand.
Value AbsorbErrors(const Value& a, const Value& b, EvalContext& ctx) {
  Value out;
  const Value pair[2] = {a, b};
  PropagateErrorOrUnknown(pair, ctx, &out);
  return out;
}

Value LogicalAnd(Args args, EvalContext& ctx) {
  const Value& a = args[0];
  const Value& b = args[1];
  if ((a.IsBool() && !a.bool_value()) || (b.IsBool() && !b.bool_value())) return Value::Bool(false);
  if (a.IsBool() && b.IsBool()) return Value::Bool(true);
  if (!a.IsBool() && !a.IsErrorOrUnknown()) return ctx.NoSuchOverload();
  if (!b.IsBool() && !b.IsErrorOrUnknown()) return ctx.NoSuchOverload();
  return AbsorbErrors(a, b, ctx);
}

Value LogicalOr(Args args, EvalContext& ctx) {
  const Value& a = args[0];
  const Value& b = args[1];
  if ((a.IsBool() && a.bool_value()) || (b.IsBool() && b.bool_value())) return Value::Bool(true);
  if (a.IsBool() && b.IsBool()) return Value::Bool(false);
  if (!a.IsBool() && !a.IsErrorOrUnknown()) return ctx.NoSuchOverload();
  if (!b.IsBool() && !b.IsErrorOrUnknown()) return ctx.NoSuchOverload();
  return AbsorbErrors(a, b, ctx);
}

Value LogicalNot(Args args, EvalContext&) { return Value::Bool(!args[0].bool_value()); }

Value Conditional(Args args, EvalContext& ctx) {
  const Value& c = args[0];
  if (c.IsErrorOrUnknown()) return c;
  if (!c.IsBool()) return ctx.NoSuchOverload();
  return c.bool_value() ? args[1] : args[2];
}

Value NotStrictlyFalse(Args args, EvalContext&) {
  const Value& v = args[0];
  if (v.IsBool()) return v;
  return Value::Bool(true);
}

// ---- Equality and ordering ----

Value Equals(Args args, EvalContext& ctx) { return Value::Bool(ValuesEqual(args[0], args[1], ctx)); }
Value NotEquals(Args args, EvalContext& ctx) {
  return Value::Bool(!ValuesEqual(args[0], args[1], ctx));
}

template <bool (*Pred)(int)>
Value Ordering(Args args, EvalContext& ctx) {
  std::optional<int> c = CompareValues(args[0], args[1]);
  if (!c.has_value()) return ctx.NoSuchOverload();
  if (*c == kUnordered) return Value::Bool(false);
  return Value::Bool(Pred(*c));
}
bool IsLess(int c) { return c < 0; }
bool IsLessEq(int c) { return c <= 0; }
bool IsGreater(int c) { return c > 0; }
bool IsGreaterEq(int c) { return c >= 0; }

// ---- Arithmetic ----

Value NegateInt(Args args, EvalContext& ctx) {
  int64_t v = args[0].int_value();
  if (v == std::numeric_limits<int64_t>::min()) return Overflow(ctx);
  return Value::Int(-v);
}
Value NegateDouble(Args args, EvalContext&) { return Value::Double(-args[0].double_value()); }

Value AddInt(Args args, EvalContext& ctx) {
  int64_t r;
  if (__builtin_add_overflow(args[0].int_value(), args[1].int_value(), &r)) return Overflow(ctx);
  return Value::Int(r);
}
Value SubInt(Args args, EvalContext& ctx) {
  int64_t r;
  if (__builtin_sub_overflow(args[0].int_value(), args[1].int_value(), &r)) return Overflow(ctx);
  return Value::Int(r);
}
Value MulInt(Args args, EvalContext& ctx) {
  int64_t r;
  if (__builtin_mul_overflow(args[0].int_value(), args[1].int_value(), &r)) return Overflow(ctx);
  return Value::Int(r);
}
Value DivInt(Args args, EvalContext& ctx) {
  int64_t a = args[0].int_value(), b = args[1].int_value();
  if (b == 0) return ctx.Error("division by zero");
  if (a == std::numeric_limits<int64_t>::min() && b == -1) return Overflow(ctx);
  return Value::Int(a / b);
}
Value ModInt(Args args, EvalContext& ctx) {
  int64_t a = args[0].int_value(), b = args[1].int_value();
  if (b == 0) return ctx.Error("modulus by zero");
  if (a == std::numeric_limits<int64_t>::min() && b == -1) return Overflow(ctx);
  return Value::Int(a % b);
}
Value AddUint(Args args, EvalContext& ctx) {
  uint64_t r;
  if (__builtin_add_overflow(args[0].uint_value(), args[1].uint_value(), &r)) return UintOverflow(ctx);
  return Value::Uint(r);
}
Value SubUint(Args args, EvalContext& ctx) {
  uint64_t r;
  if (__builtin_sub_overflow(args[0].uint_value(), args[1].uint_value(), &r)) return UintOverflow(ctx);
  return Value::Uint(r);
}
Value MulUint(Args args, EvalContext& ctx) {
  uint64_t r;
  if (__builtin_mul_overflow(args[0].uint_value(), args[1].uint_value(), &r)) return UintOverflow(ctx);
  return Value::Uint(r);
}
Value DivUint(Args args, EvalContext& ctx) {
  if (args[1].uint_value() == 0) return ctx.Error("division by zero");
  return Value::Uint(args[0].uint_value() / args[1].uint_value());
}
Value ModUint(Args args, EvalContext& ctx) {
  if (args[1].uint_value() == 0) return ctx.Error("modulus by zero");
  return Value::Uint(args[0].uint_value() % args[1].uint_value());
}
Value AddDouble(Args args, EvalContext&) {
  return Value::Double(args[0].double_value() + args[1].double_value());
}
Value SubDouble(Args args, EvalContext&) {
  return Value::Double(args[0].double_value() - args[1].double_value());
}
Value MulDouble(Args args, EvalContext&) {
  return Value::Double(args[0].double_value() * args[1].double_value());
}
Value DivDouble(Args args, EvalContext&) {
  return Value::Double(args[0].double_value() / args[1].double_value());
}

Value Concat(absl::string_view a, absl::string_view b, bool bytes, EvalContext& ctx) {
  if (a.size() + b.size() > std::numeric_limits<uint32_t>::max()) {
    return ctx.Error(absl::ResourceExhaustedError("string too large"));
  }
  char* data = google::protobuf::Arena::CreateArray<char>(ctx.arena(), a.size() + b.size() + 1);
  if (!a.empty()) std::memcpy(data, a.data(), a.size());
  if (!b.empty()) std::memcpy(data + a.size(), b.data(), b.size());
  absl::string_view s(data, a.size() + b.size());
  return bytes ? Value::BytesView(s) : Value::StringView(s);
}
Value AddString(Args args, EvalContext& ctx) {
  if (args[0].string_value().empty()) return args[1];
  if (args[1].string_value().empty()) return args[0];
  return Concat(args[0].string_value(), args[1].string_value(), false, ctx);
}
Value AddBytes(Args args, EvalContext& ctx) {
  return Concat(args[0].bytes_value(), args[1].bytes_value(), true, ctx);
}
Value AddList(Args args, EvalContext& ctx) {
  const ListValue* a = args[0].list_value();
  const ListValue* b = args[1].list_value();
  if (a->size() == 0) return args[1];
  if (b->size() == 0) return args[0];
  std::vector<Value> all;
  all.reserve(a->size() + b->size());
  for (size_t i = 0; i < a->size(); ++i) all.push_back(a->Get(i, ctx));
  for (size_t i = 0; i < b->size(); ++i) all.push_back(b->Get(i, ctx));
  return MakeList(ctx.arena(), all);
}

Value AddTimestampDuration(Args args, EvalContext& ctx) {
  return TimestampFromNanos(ctx.arena(), TotalNanos(args[0]) + TotalNanos(args[1]));
}
Value AddDurationTimestamp(Args args, EvalContext& ctx) {
  return TimestampFromNanos(ctx.arena(), TotalNanos(args[0]) + TotalNanos(args[1]));
}
Value AddDurationDuration(Args args, EvalContext& ctx) {
  return DurationFromNanos(ctx.arena(), TotalNanos(args[0]) + TotalNanos(args[1]));
}
Value SubTimestampTimestamp(Args args, EvalContext& ctx) {
  return DurationFromNanos(ctx.arena(), TotalNanos(args[0]) - TotalNanos(args[1]));
}
Value SubTimestampDuration(Args args, EvalContext& ctx) {
  return TimestampFromNanos(ctx.arena(), TotalNanos(args[0]) - TotalNanos(args[1]));
}
Value SubDurationDuration(Args args, EvalContext& ctx) {
  return DurationFromNanos(ctx.arena(), TotalNanos(args[0]) - TotalNanos(args[1]));
}

// ---- Indexing, membership, size ----

Value IndexList(Args args, EvalContext& ctx) {
  const ListValue* list = args[0].list_value();
  const Value& idx = args[1];
  int64_t i;
  switch (idx.kind()) {
    case K::kInt: i = idx.int_value(); break;
    case K::kUint:
      if (idx.uint_value() > static_cast<uint64_t>(INT64_MAX)) {
        return ctx.Error(absl::StrCat("index out of range: ", idx.uint_value()));
      }
      i = static_cast<int64_t>(idx.uint_value());
      break;
    case K::kDouble: {
      double d = idx.double_value();
      if (std::trunc(d) != d || !(d > -kTwoPow63 && d < kTwoPow63)) {
        return ctx.Error(absl::StrCat("invalid list index: ", FormatDouble(d)));
      }
      i = static_cast<int64_t>(d);
      break;
    }
    default: return ctx.NoSuchOverload();
  }
  if (i < 0 || static_cast<uint64_t>(i) >= list->size()) {
    return ctx.Error(absl::StrCat("index out of range: ", i));
  }
  return list->Get(static_cast<size_t>(i), ctx);
}

std::string KeyText(const Value& key) {
  if (key.IsString()) return std::string(key.string_value());
  return key.DebugString();
}

Value IndexMap(Args args, EvalContext& ctx) {
  Value out;
  if (args[0].map_value()->Find(args[1], ctx, &out)) return out;
  if (!IsLookupKeyKind(args[1].kind())) return ctx.Error("unsupported key type");
  return ctx.Error(absl::StrCat("no such key: ", KeyText(args[1])));
}

Value InList(Args args, EvalContext& ctx) {
  const ListValue* list = args[1].list_value();
  const int fast = list->FastContains(args[0]);
  if (fast >= 0) return Value::Bool(fast == 1);
  for (size_t i = 0; i < list->size(); ++i) {
    if (ValuesEqual(args[0], list->Get(i, ctx), ctx)) return Value::Bool(true);
  }
  return Value::Bool(false);
}

Value InMap(Args args, EvalContext& ctx) {
  Value out;
  return Value::Bool(args[1].map_value()->Find(args[0], ctx, &out));
}

Value SizeString(Args args, EvalContext&) {
  return Value::Int(static_cast<int64_t>(Utf8CodePointCount(args[0].string_value())));
}
Value SizeBytes(Args args, EvalContext&) {
  return Value::Int(static_cast<int64_t>(args[0].bytes_value().size()));
}
Value SizeList(Args args, EvalContext&) {
  return Value::Int(static_cast<int64_t>(args[0].list_value()->size()));
}
Value SizeMap(Args args, EvalContext&) {
  return Value::Int(static_cast<int64_t>(args[0].map_value()->size()));
}

// ---- String predicates and matches ----

Value Contains(Args args, EvalContext&) {
  return Value::Bool(absl::StrContains(args[0].string_value(), args[1].string_value()));
}
Value StartsWith(Args args, EvalContext&) {
  return Value::Bool(absl::StartsWith(args[0].string_value(), args[1].string_value()));
}
Value EndsWith(Args args, EvalContext&) {
  return Value::Bool(absl::EndsWith(args[0].string_value(), args[1].string_value()));
}

// A small per-thread cache of compiled patterns (rules reuse a few).
class RegexCache {
 public:
  std::shared_ptr<const re2::RE2> Get(absl::string_view pattern) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first == pattern) {
        entries_.splice(entries_.begin(), entries_, it);
        return entries_.front().second;
      }
    }
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                               options);
    entries_.emplace_front(std::string(pattern), re);
    if (entries_.size() > kCapacity) entries_.pop_back();
    return re;
  }

 private:
  static constexpr size_t kCapacity = 32;
  std::list<std::pair<std::string, std::shared_ptr<const re2::RE2>>> entries_;
};

Value Matches(Args args, EvalContext& ctx) {
  thread_local RegexCache cache;
  std::shared_ptr<const re2::RE2> re = cache.Get(args[1].string_value());
  if (!re->ok()) {
    return ctx.Error(absl::StrCat("invalid regular expression: ", re->error()));
  }
  absl::string_view s = args[0].string_value();
  return Value::Bool(re2::RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re));
}

// ---- Conversions ----

Value Identity(Args args, EvalContext&) { return args[0]; }

Value UintToInt(Args args, EvalContext& ctx) {
  if (args[0].uint_value() > static_cast<uint64_t>(INT64_MAX)) return RangeError(ctx);
  return Value::Int(static_cast<int64_t>(args[0].uint_value()));
}
Value DoubleToInt(Args args, EvalContext& ctx) {
  double d = args[0].double_value();
  if (!(d > -kTwoPow63 && d < kTwoPow63)) return RangeError(ctx);
  return Value::Int(static_cast<int64_t>(d));
}
Value StringToInt(Args args, EvalContext& ctx) {
  int64_t v;
  absl::string_view s = args[0].string_value();
  if (s.empty() || s[0] == ' ' || !absl::SimpleAtoi(s, &v) || s.back() == ' ') {
    return ctx.Error(absl::StrCat("cannot convert \"", s, "\" to int"));
  }
  return Value::Int(v);
}
Value TimestampToInt(Args args, EvalContext&) { return Value::Int(args[0].seconds()); }

Value IntToUint(Args args, EvalContext& ctx) {
  if (args[0].int_value() < 0) return RangeError(ctx);
  return Value::Uint(static_cast<uint64_t>(args[0].int_value()));
}
Value DoubleToUint(Args args, EvalContext& ctx) {
  double d = args[0].double_value();
  if (!(d >= 0 && d < kTwoPow64)) return RangeError(ctx);
  return Value::Uint(static_cast<uint64_t>(d));
}
Value StringToUint(Args args, EvalContext& ctx) {
  uint64_t v;
  absl::string_view s = args[0].string_value();
  if (s.empty() || s[0] == ' ' || s[0] == '-' || s[0] == '+' || !absl::SimpleAtoi(s, &v) ||
      s.back() == ' ') {
    return ctx.Error(absl::StrCat("cannot convert \"", s, "\" to uint"));
  }
  return Value::Uint(v);
}

Value IntToDouble(Args args, EvalContext&) {
  return Value::Double(static_cast<double>(args[0].int_value()));
}
Value UintToDouble(Args args, EvalContext&) {
  return Value::Double(static_cast<double>(args[0].uint_value()));
}
Value StringToDouble(Args args, EvalContext& ctx) {
  absl::string_view s = args[0].string_value();
  absl::string_view body = s;
  if (!body.empty() && body[0] == '+') body.remove_prefix(1);
  double d = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), d);
  if (body.empty() || res.ec != std::errc() || res.ptr != body.data() + body.size()) {
    return ctx.Error(absl::StrCat("cannot convert \"", s, "\" to double"));
  }
  return Value::Double(d);
}

Value StringToBool(Args args, EvalContext& ctx) {
  absl::string_view s = args[0].string_value();
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") {
    return Value::Bool(true);
  }
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False") {
    return Value::Bool(false);
  }
  return ctx.Error(absl::StrCat("Type conversion error: cannot convert \"", s, "\" to bool"));
}

Value StringToBytes(Args args, EvalContext&) { return Value::BytesView(args[0].string_value()); }

Value BoolToString(Args args, EvalContext&) {
  return Value::StringView(args[0].bool_value() ? "true" : "false");
}
Value IntToString(Args args, EvalContext& ctx) { return ctx.String(absl::StrCat(args[0].int_value())); }
Value UintToString(Args args, EvalContext& ctx) {
  return ctx.String(absl::StrCat(args[0].uint_value()));
}
Value DoubleToString(Args args, EvalContext& ctx) {
  return ctx.String(FormatDouble(args[0].double_value()));
}
Value BytesToString(Args args, EvalContext& ctx) {
  if (!IsValidUtf8(args[0].bytes_value())) return ctx.Error("invalid UTF-8");
  return Value::StringView(args[0].bytes_value());
}
Value TimestampToString(Args args, EvalContext& ctx) {
  return ctx.String(FormatTimestamp(args[0].seconds(), args[0].nanos()));
}
Value DurationToString(Args args, EvalContext& ctx) {
  return ctx.String(FormatDuration(args[0].seconds(), args[0].nanos()));
}

Value StringToTimestamp(Args args, EvalContext& ctx) {
  return ParseTimestamp(ctx.arena(), args[0].string_value());
}
Value IntToTimestamp(Args args, EvalContext& ctx) {
  return MakeTimestamp(ctx.arena(), args[0].int_value(), 0);
}
Value StringToDuration(Args args, EvalContext& ctx) {
  return ParseDuration(ctx.arena(), args[0].string_value());
}

Value TypeOf(Args args, EvalContext&) { return args[0].TypeOf(); }

// ---- Timestamp and duration accessors ----

enum class Field { kYear, kMonth, kDayOfYear, kDayOfMonth, kDate, kDayOfWeek, kHours, kMinutes,
                   kSeconds, kMillis };

Value TimestampField(const Value& ts, const absl::TimeZone& tz, Field field) {
  absl::CivilSecond cs = absl::ToCivilSecond(absl::FromUnixSeconds(ts.seconds()), tz);
  switch (field) {
    case Field::kYear: return Value::Int(cs.year());
    case Field::kMonth: return Value::Int(cs.month() - 1);
    case Field::kDayOfYear: return Value::Int(absl::GetYearDay(absl::CivilDay(cs)) - 1);
    case Field::kDayOfMonth: return Value::Int(cs.day() - 1);
    case Field::kDate: return Value::Int(cs.day());
    case Field::kDayOfWeek: {
      // absl::Weekday: Monday = 0 ... Sunday = 6; CEL: Sunday = 0.
      int wd = static_cast<int>(absl::GetWeekday(absl::CivilDay(cs)));
      return Value::Int((wd + 1) % 7);
    }
    case Field::kHours: return Value::Int(cs.hour());
    case Field::kMinutes: return Value::Int(cs.minute());
    case Field::kSeconds: return Value::Int(cs.second());
    case Field::kMillis: return Value::Int(ts.nanos() / 1000000);
  }
  return Value::Int(0);
}

template <Field F>
Value TimestampAccessor(Args args, EvalContext&) {
  return TimestampField(args[0], absl::UTCTimeZone(), F);
}

template <Field F>
Value TimestampAccessorTz(Args args, EvalContext& ctx) {
  absl::StatusOr<absl::TimeZone> tz = ParseTimeZone(args[1].string_value());
  if (!tz.ok()) return ctx.Error(tz.status());
  return TimestampField(args[0], *tz, F);
}

Value DurationHours(Args args, EvalContext&) { return Value::Int(args[0].seconds() / 3600); }
Value DurationMinutes(Args args, EvalContext&) { return Value::Int(args[0].seconds() / 60); }
Value DurationSeconds(Args args, EvalContext&) { return Value::Int(args[0].seconds()); }
// The milliseconds component (not the total, unlike hours/minutes/seconds).
Value DurationMillis(Args args, EvalContext&) { return Value::Int(args[0].nanos() / 1000000); }

struct Row {
  const char* function;
  const char* id;
  bool receiver;
  std::vector<K> kinds;
  FunctionImpl impl;
  bool strict = true;
};

}  // namespace

absl::Status RegisterStandardFunctions(FunctionRegistry* registry) {
  const K I = K::kInt, U = K::kUint, D = K::kDouble, S = K::kString, B = K::kBytes,
          L = K::kList, M = K::kMap, T = K::kTimestamp, Du = K::kDuration, Bo = K::kBool;
  std::vector<Row> rows = {
      // Logic (non-strict, except !_).
      {"!_", "logical_not", false, {Bo}, LogicalNot},
      {"_&&_", "logical_and", false, {kA, kA}, LogicalAnd, false},
      {"_||_", "logical_or", false, {kA, kA}, LogicalOr, false},
      {"_?_:_", "conditional", false, {kA, kA, kA}, Conditional, false},
      {"@not_strictly_false", "not_strictly_false", false, {kA}, NotStrictlyFalse, false},
      // Equality.
      {"_==_", "equals", false, {kA, kA}, Equals},
      {"_!=_", "not_equals", false, {kA, kA}, NotEquals},
      // Arithmetic.
      {"-_", "negate_int64", false, {I}, NegateInt},
      {"-_", "negate_double", false, {D}, NegateDouble},
      {"_+_", "add_int64", false, {I, I}, AddInt},
      {"_+_", "add_uint64", false, {U, U}, AddUint},
      {"_+_", "add_double", false, {D, D}, AddDouble},
      {"_+_", "add_string", false, {S, S}, AddString},
      {"_+_", "add_bytes", false, {B, B}, AddBytes},
      {"_+_", "add_list", false, {L, L}, AddList},
      {"_+_", "add_timestamp_duration", false, {T, Du}, AddTimestampDuration},
      {"_+_", "add_duration_timestamp", false, {Du, T}, AddDurationTimestamp},
      {"_+_", "add_duration_duration", false, {Du, Du}, AddDurationDuration},
      {"_-_", "subtract_int64", false, {I, I}, SubInt},
      {"_-_", "subtract_uint64", false, {U, U}, SubUint},
      {"_-_", "subtract_double", false, {D, D}, SubDouble},
      {"_-_", "subtract_timestamp_timestamp", false, {T, T}, SubTimestampTimestamp},
      {"_-_", "subtract_timestamp_duration", false, {T, Du}, SubTimestampDuration},
      {"_-_", "subtract_duration_duration", false, {Du, Du}, SubDurationDuration},
      {"_*_", "multiply_int64", false, {I, I}, MulInt},
      {"_*_", "multiply_uint64", false, {U, U}, MulUint},
      {"_*_", "multiply_double", false, {D, D}, MulDouble},
      {"_/_", "divide_int64", false, {I, I}, DivInt},
      {"_/_", "divide_uint64", false, {U, U}, DivUint},
      {"_/_", "divide_double", false, {D, D}, DivDouble},
      {"_%_", "modulo_int64", false, {I, I}, ModInt},
      {"_%_", "modulo_uint64", false, {U, U}, ModUint},
      // Indexing and membership.
      {"_[_]", "index_list", false, {L, kA}, IndexList},
      {"_[_]", "index_map", false, {M, kA}, IndexMap},
      {"@in", "in_list", false, {kA, L}, InList},
      {"@in", "in_map", false, {kA, M}, InMap},
      // Size.
      {"size", "size_string", false, {S}, SizeString},
      {"size", "size_bytes", false, {B}, SizeBytes},
      {"size", "size_list", false, {L}, SizeList},
      {"size", "size_map", false, {M}, SizeMap},
      {"size", "string_size", true, {S}, SizeString},
      {"size", "bytes_size", true, {B}, SizeBytes},
      {"size", "list_size", true, {L}, SizeList},
      {"size", "map_size", true, {M}, SizeMap},
      // String predicates.
      {"contains", "contains_string", true, {S, S}, Contains},
      {"startsWith", "starts_with_string", true, {S, S}, StartsWith},
      {"endsWith", "ends_with_string", true, {S, S}, EndsWith},
      {"matches", "matches", false, {S, S}, Matches},
      {"matches", "matches_string", true, {S, S}, Matches},
      // Conversions.
      {"int", "int64_to_int64", false, {I}, Identity},
      {"int", "uint64_to_int64", false, {U}, UintToInt},
      {"int", "double_to_int64", false, {D}, DoubleToInt},
      {"int", "string_to_int64", false, {S}, StringToInt},
      {"int", "timestamp_to_int64", false, {T}, TimestampToInt},
      {"uint", "uint64_to_uint64", false, {U}, Identity},
      {"uint", "int64_to_uint64", false, {I}, IntToUint},
      {"uint", "double_to_uint64", false, {D}, DoubleToUint},
      {"uint", "string_to_uint64", false, {S}, StringToUint},
      {"double", "double_to_double", false, {D}, Identity},
      {"double", "int64_to_double", false, {I}, IntToDouble},
      {"double", "uint64_to_double", false, {U}, UintToDouble},
      {"double", "string_to_double", false, {S}, StringToDouble},
      {"bool", "bool_to_bool", false, {Bo}, Identity},
      {"bool", "string_to_bool", false, {S}, StringToBool},
      {"bytes", "bytes_to_bytes", false, {B}, Identity},
      {"bytes", "string_to_bytes", false, {S}, StringToBytes},
      {"string", "string_to_string", false, {S}, Identity},
      {"string", "bool_to_string", false, {Bo}, BoolToString},
      {"string", "int64_to_string", false, {I}, IntToString},
      {"string", "uint64_to_string", false, {U}, UintToString},
      {"string", "double_to_string", false, {D}, DoubleToString},
      {"string", "bytes_to_string", false, {B}, BytesToString},
      {"string", "timestamp_to_string", false, {T}, TimestampToString},
      {"string", "duration_to_string", false, {Du}, DurationToString},
      {"timestamp", "timestamp_to_timestamp", false, {T}, Identity},
      {"timestamp", "string_to_timestamp", false, {S}, StringToTimestamp},
      {"timestamp", "int64_to_timestamp", false, {I}, IntToTimestamp},
      {"duration", "duration_to_duration", false, {Du}, Identity},
      {"duration", "string_to_duration", false, {S}, StringToDuration},
      {"type", "type", false, {kA}, TypeOf},
      {"dyn", "to_dyn", false, {kA}, Identity},
      // Timestamp / duration accessors.
      {"getFullYear", "timestamp_to_year", true, {T}, TimestampAccessor<Field::kYear>},
      {"getFullYear", "timestamp_to_year_with_tz", true, {T, S}, TimestampAccessorTz<Field::kYear>},
      {"getMonth", "timestamp_to_month", true, {T}, TimestampAccessor<Field::kMonth>},
      {"getMonth", "timestamp_to_month_with_tz", true, {T, S}, TimestampAccessorTz<Field::kMonth>},
      {"getDayOfYear", "timestamp_to_day_of_year", true, {T}, TimestampAccessor<Field::kDayOfYear>},
      {"getDayOfYear", "timestamp_to_day_of_year_with_tz", true, {T, S},
       TimestampAccessorTz<Field::kDayOfYear>},
      {"getDayOfMonth", "timestamp_to_day_of_month", true, {T},
       TimestampAccessor<Field::kDayOfMonth>},
      {"getDayOfMonth", "timestamp_to_day_of_month_with_tz", true, {T, S},
       TimestampAccessorTz<Field::kDayOfMonth>},
      {"getDate", "timestamp_to_day_of_month_1_based", true, {T}, TimestampAccessor<Field::kDate>},
      {"getDate", "timestamp_to_day_of_month_1_based_with_tz", true, {T, S},
       TimestampAccessorTz<Field::kDate>},
      {"getDayOfWeek", "timestamp_to_day_of_week", true, {T}, TimestampAccessor<Field::kDayOfWeek>},
      {"getDayOfWeek", "timestamp_to_day_of_week_with_tz", true, {T, S},
       TimestampAccessorTz<Field::kDayOfWeek>},
      {"getHours", "timestamp_to_hours", true, {T}, TimestampAccessor<Field::kHours>},
      {"getHours", "timestamp_to_hours_with_tz", true, {T, S}, TimestampAccessorTz<Field::kHours>},
      {"getHours", "duration_to_hours", true, {Du}, DurationHours},
      {"getMinutes", "timestamp_to_minutes", true, {T}, TimestampAccessor<Field::kMinutes>},
      {"getMinutes", "timestamp_to_minutes_with_tz", true, {T, S},
       TimestampAccessorTz<Field::kMinutes>},
      {"getMinutes", "duration_to_minutes", true, {Du}, DurationMinutes},
      {"getSeconds", "timestamp_to_seconds", true, {T}, TimestampAccessor<Field::kSeconds>},
      {"getSeconds", "timestamp_to_seconds_tz", true, {T, S}, TimestampAccessorTz<Field::kSeconds>},
      {"getSeconds", "duration_to_seconds", true, {Du}, DurationSeconds},
      {"getMilliseconds", "timestamp_to_milliseconds", true, {T}, TimestampAccessor<Field::kMillis>},
      {"getMilliseconds", "timestamp_to_milliseconds_with_tz", true, {T, S},
       TimestampAccessorTz<Field::kMillis>},
      {"getMilliseconds", "duration_to_milliseconds", true, {Du}, DurationMillis},
  };
  // Ordering: one implementation per operator; ids per kind pair.
  struct OrderingOp {
    const char* function;
    const char* prefix;
    FunctionImpl impl;
  };
  const OrderingOp ops[] = {
      {"_<_", "less", Ordering<IsLess>},
      {"_<=_", "less_equals", Ordering<IsLessEq>},
      {"_>_", "greater", Ordering<IsGreater>},
      {"_>=_", "greater_equals", Ordering<IsGreaterEq>},
  };
  struct Pair {
    const char* suffix;
    K a, b;
  };
  const Pair pairs[] = {
      {"_bool", Bo, Bo},         {"_int64", I, I},           {"_int64_double", I, D},
      {"_int64_uint64", I, U},   {"_uint64", U, U},          {"_uint64_double", U, D},
      {"_uint64_int64", U, I},   {"_double", D, D},          {"_double_int64", D, I},
      {"_double_uint64", D, U},  {"_string", S, S},          {"_bytes", B, B},
      {"_timestamp", T, T},      {"_duration", Du, Du},
  };
  for (const OrderingOp& op : ops) {
    for (const Pair& p : pairs) {
      Overload o;
      o.function = op.function;
      o.id = absl::StrCat(op.prefix, p.suffix);
      o.arg_kinds = {p.a, p.b};
      o.impl = op.impl;
      PITBOSS_RETURN_IF_ERROR(registry->Register(std::move(o)));
    }
  }
  for (Row& r : rows) {
    Overload o;
    o.function = r.function;
    o.id = r.id;
    o.receiver_style = r.receiver;
    o.arg_kinds = std::move(r.kinds);
    o.impl = r.impl;
    o.strict = r.strict;
    PITBOSS_RETURN_IF_ERROR(registry->Register(std::move(o)));
  }
  return absl::OkStatus();
}

}  // namespace cel
}  // namespace pitboss
