// CEL runtime values: a 16-byte, trivially copyable handle (kind tag + union).
//
// Why this shape: the evaluator's hot path copies values constantly, so a Value
// never owns heap memory and never touches a reference count. Scalars (null,
// bool, int, uint, double, timestamp, duration, type) live inline. Everything
// else (string and bytes data, lists, maps, messages, errors, unknown sets,
// optionals) is a pointer to immutable data that is either
//   * borrowed from the host (activation messages and their strings; the host
//     keeps them alive for the evaluation and for as long as it uses results),
//   * owned by the evaluation's google::protobuf::Arena (EvalContext::arena()),
//     which also owns messages built by the expression, or
//   * static (type names, builtin errors).
// A Value is therefore valid while its arena and the borrowed host data live.
// DeepCopy() re-homes a value (recursively) into another arena when a result
// must outlive them.
//
// Lists and maps are immutable interfaces (ListValue / MapValue) so repeated and
// map fields of protobuf messages are exposed without copying. Map lookup
// follows the definition's heterogeneous numeric key equality: 1 == 1u == 1.0.
#ifndef PITBOSS_SRC_CEL_COMMON_VALUE_H_
#define PITBOSS_SRC_CEL_COMMON_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace google {
namespace protobuf {
class Arena;
class Message;
class Descriptor;
}  // namespace protobuf
}  // namespace google

namespace pitboss {
namespace cel {

class EvalContext;
class ListValue;
class MapValue;
struct ErrorData;
struct UnknownData;
struct OptionalData;

// Runtime kinds. The order is stable; kAny is only used by overload
// signatures (function_registry.h) to mean "any kind".
enum class ValueKind : uint8_t {
  kNull = 0,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  kType,
  kTimestamp,
  kDuration,
  kMessage,
  kError,
  kUnknown,
  kOptional,
  kAny,  // signatures only; never the kind of a Value
};

// "int", "list", "google.protobuf.Timestamp", ... (the definition's type name
// of a kind; kMessage gives "message", use Value::TypeName for the full name).
absl::string_view ValueKindName(ValueKind kind);

// The definition's range for timestamps: 0001-01-01T00:00:00Z through
// 9999-12-31T23:59:59.999999999Z. Durations are limited to what int64
// nanoseconds hold (about +-292 years), as the conformance suite expects (e.g.
// timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z') is a
// range error); see time_util.h.
inline constexpr int64_t kMinTimestampSeconds = -62135596800;
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;

class Value {
 public:
  // A default Value is null.
  constexpr Value() : kind_(ValueKind::kNull), flags_(0), pad_(0), aux_(0), i_(0) {}

  // ---- Factories (no allocation) ----
  static constexpr Value Null() { return Value(); }
  static Value Bool(bool b) { Value v(ValueKind::kBool); v.b_ = b; return v; }
  static Value Int(int64_t i) { Value v(ValueKind::kInt); v.i_ = i; return v; }
  static Value Uint(uint64_t u) { Value v(ValueKind::kUint); v.u_ = u; return v; }
  static Value Double(double d) { Value v(ValueKind::kDouble); v.d_ = d; return v; }
  // Borrows `s`: the bytes must outlive every use of the Value (static data,
  // host messages, or memory owned by the evaluation arena). Sizes above
  // UINT32_MAX are not representable; use String(arena, s) which checks.
  static Value StringView(absl::string_view s) { return Sized(ValueKind::kString, s); }
  static Value BytesView(absl::string_view s) { return Sized(ValueKind::kBytes, s); }
  // A type value; `name` must be static or owned by a DescriptorPool (e.g.
  // Descriptor::full_name()). TypeNames below lists the builtin names.
  static Value Type(absl::string_view name) { return Sized(ValueKind::kType, name); }
  // Unchecked: callers validate ranges (MakeTimestamp / MakeDuration in
  // time_util.h return range errors). 0 <= nanos < 1e9 for
  // timestamps; for durations nanos has the sign of seconds (like the proto).
  static Value Timestamp(int64_t seconds, int32_t nanos) {
    Value v(ValueKind::kTimestamp); v.i_ = seconds; v.aux_ = static_cast<uint32_t>(nanos); return v;
  }
  static Value Duration(int64_t seconds, int32_t nanos) {
    Value v(ValueKind::kDuration); v.i_ = seconds; v.aux_ = static_cast<uint32_t>(nanos); return v;
  }
  // Borrows `message` (host or arena owned). Well-known types are NOT
  // unwrapped here; use MessageToValue (proto_value.h) for CEL semantics.
  static Value Message(const google::protobuf::Message* message) {
    Value v(ValueKind::kMessage); v.msg_ = message; return v;
  }
  static Value List(const ListValue* list) { Value v(ValueKind::kList); v.list_ = list; return v; }
  static Value Map(const MapValue* map) { Value v(ValueKind::kMap); v.map_ = map; return v; }

  // ---- Factories that allocate in `arena` (never null) ----
  static Value String(google::protobuf::Arena* arena, absl::string_view s);
  static Value Bytes(google::protobuf::Arena* arena, absl::string_view s);
  // An error value carrying `status` (code and message). The message is what
  // the conformance suite compares (e.g. "no such overload").
  static Value Error(google::protobuf::Arena* arena, absl::Status status);
  static Value Error(google::protobuf::Arena* arena, absl::string_view message);
  // Unknown value for a set of attribute (expression) ids.
  static Value Unknown(google::protobuf::Arena* arena, absl::Span<const int64_t> ids);
  // optional.of(v) / optional.none().
  static Value Optional(google::protobuf::Arena* arena, const Value& v);
  static Value OptionalNone();

  // ---- Inspection ----
  ValueKind kind() const { return kind_; }
  bool IsNull() const { return kind_ == ValueKind::kNull; }
  bool IsBool() const { return kind_ == ValueKind::kBool; }
  bool IsInt() const { return kind_ == ValueKind::kInt; }
  bool IsUint() const { return kind_ == ValueKind::kUint; }
  bool IsDouble() const { return kind_ == ValueKind::kDouble; }
  bool IsString() const { return kind_ == ValueKind::kString; }
  bool IsBytes() const { return kind_ == ValueKind::kBytes; }
  bool IsList() const { return kind_ == ValueKind::kList; }
  bool IsMap() const { return kind_ == ValueKind::kMap; }
  bool IsType() const { return kind_ == ValueKind::kType; }
  bool IsTimestamp() const { return kind_ == ValueKind::kTimestamp; }
  bool IsDuration() const { return kind_ == ValueKind::kDuration; }
  bool IsMessage() const { return kind_ == ValueKind::kMessage; }
  bool IsError() const { return kind_ == ValueKind::kError; }
  bool IsUnknown() const { return kind_ == ValueKind::kUnknown; }
  bool IsOptional() const { return kind_ == ValueKind::kOptional; }
  // Error or unknown: the values that propagate through strict functions.
  bool IsErrorOrUnknown() const {
    return kind_ == ValueKind::kError || kind_ == ValueKind::kUnknown;
  }

  // Accessors: the kind must match (checked only in debug builds).
  bool bool_value() const { return b_; }
  int64_t int_value() const { return i_; }
  uint64_t uint_value() const { return u_; }
  double double_value() const { return d_; }
  absl::string_view string_value() const { return absl::string_view(str_, aux_); }
  absl::string_view bytes_value() const { return absl::string_view(str_, aux_); }
  // Name of a type value ("int", "google.protobuf.Timestamp", "my.pkg.Msg").
  absl::string_view type_value() const { return absl::string_view(str_, aux_); }
  int64_t seconds() const { return i_; }                       // timestamp / duration
  int32_t nanos() const { return static_cast<int32_t>(aux_); }  // timestamp / duration
  absl::Time timestamp_value() const { return absl::FromUnixSeconds(i_) + absl::Nanoseconds(nanos()); }
  absl::Duration duration_value() const { return absl::Seconds(i_) + absl::Nanoseconds(nanos()); }
  const google::protobuf::Message* message_value() const { return msg_; }
  const ListValue* list_value() const { return list_; }
  const MapValue* map_value() const { return map_; }
  // Error status (code + message).
  const absl::Status& error_value() const;
  // Sorted, deduplicated attribute ids of an unknown value.
  absl::Span<const int64_t> unknown_ids() const;
  // Optional: has_value() false for optional.none().
  bool optional_has_value() const { return opt_ != nullptr; }
  const Value& optional_value() const;

  // The definition's type name of this value: "int", "list", "map",
  // "google.protobuf.Timestamp", the message's full name, "type", ...
  absl::string_view TypeName() const;
  // type(v) as a Value.
  Value TypeOf() const { return Type(TypeName()); }

  // Debug rendering, e.g. 1, 2u, "s", b"\x01", [1, 2], {"a": 1}, type(int),
  // timestamp("2020-01-01T00:00:00Z"), duration("1.5s"), error("...").
  std::string DebugString() const;

 private:
  explicit constexpr Value(ValueKind kind) : kind_(kind), flags_(0), pad_(0), aux_(0), i_(0) {}
  static Value Sized(ValueKind kind, absl::string_view s) {
    Value v(kind);
    v.str_ = s.data();
    v.aux_ = static_cast<uint32_t>(s.size());
    return v;
  }
  friend struct ValueAccess;

  ValueKind kind_;
  uint8_t flags_;
  uint16_t pad_;
  uint32_t aux_;  // string/bytes/type size; timestamp/duration nanos
  union {
    bool b_;
    int64_t i_;
    uint64_t u_;
    double d_;
    const char* str_;
    const google::protobuf::Message* msg_;
    const ListValue* list_;
    const MapValue* map_;
    const ErrorData* err_;
    const UnknownData* unk_;
    const OptionalData* opt_;
  };
};

static_assert(sizeof(Value) == 16, "Value must stay 16 bytes");

// Builtin type names (the values of type(x) for each kind).
struct TypeNames {
  static constexpr absl::string_view kNull = "null_type";
  static constexpr absl::string_view kBool = "bool";
  static constexpr absl::string_view kInt = "int";
  static constexpr absl::string_view kUint = "uint";
  static constexpr absl::string_view kDouble = "double";
  static constexpr absl::string_view kString = "string";
  static constexpr absl::string_view kBytes = "bytes";
  static constexpr absl::string_view kList = "list";
  static constexpr absl::string_view kMap = "map";
  static constexpr absl::string_view kType = "type";
  static constexpr absl::string_view kTimestamp = "google.protobuf.Timestamp";
  static constexpr absl::string_view kDuration = "google.protobuf.Duration";
  static constexpr absl::string_view kError = "error";
  static constexpr absl::string_view kUnknown = "unknown";
  static constexpr absl::string_view kOptional = "optional_type";
};

// Immutable list. Implementations: arena arrays (MakeList), repeated message
// fields and google.protobuf.ListValue (proto_value.h).
class ListValue {
 public:
  virtual size_t size() const = 0;
  // Element `i` (< size()). Message-backed lists convert on access and may
  // allocate in ctx's arena.
  virtual Value Get(size_t i, EvalContext& ctx) const = 0;
  // Optional fast path for `v in list`: 1 (found), 0 (not found), or -1 when
  // the implementation has none (callers then compare element by element).
  virtual int FastContains(const Value& v) const {
    (void)v;
    return -1;
  }

 protected:
  ~ListValue() = default;  // arena-owned; never deleted through this type
};

// Immutable map with keys of kind bool, int, uint or string. Iteration order
// is insertion order for MakeMap maps and the reflection order for map fields.
class MapValue {
 public:
  virtual size_t size() const = 0;
  // Looks `key` up with heterogeneous numeric equality (a double key finds an
  // int/uint key of the same value). Returns false when absent or when the key
  // kind cannot be a map key.
  virtual bool Find(const Value& key, EvalContext& ctx, Value* out) const = 0;
  // Keys and values by position (0 <= i < size()).
  virtual Value KeyAt(size_t i, EvalContext& ctx) const = 0;
  virtual Value ValueAt(size_t i, EvalContext& ctx) const = 0;

 protected:
  ~MapValue() = default;
};

// Arena-backed list of `elements` (copied into the arena).
Value MakeList(google::protobuf::Arena* arena, absl::Span<const Value> elements);
// Arena-backed map. Returns an error Value for a key of an unsupported kind
// ("unsupported key type") or a repeated key ("Failed with repeated key"),
// and propagates the first error/unknown key or value.
struct MapEntry {
  Value key;
  Value value;
};
Value MakeMap(google::protobuf::Arena* arena, absl::Span<const MapEntry> entries);

// Copies `v` and everything it references into `arena` (strings, lists, maps,
// messages, errors), so it no longer depends on borrowed host data or on the
// arena it was built in.
Value DeepCopy(const Value& v, EvalContext& ctx, google::protobuf::Arena* arena);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_COMMON_VALUE_H_
