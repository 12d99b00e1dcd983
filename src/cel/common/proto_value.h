// Protobuf messages as CEL values, through reflection (any descriptor, from
// any pool).
//
// Reading: MessageToValue unwraps well-known types (Timestamp, Duration,
// wrappers, Struct, Value, ListValue, Any unpacked via the pool of the Any's
// own descriptor, then the context's pool). GetField applies the definition's
// field conversions: int32/sint32/sfixed32/int64 -> int, uint32/fixed32/uint64
// -> uint, float -> double, enum -> int, google.protobuf.NullValue -> null,
// repeated -> list, map -> map, unset wrapper fields -> null, unset message
// fields -> the default instance. Strings, bytes, sub-messages, repeated and
// map fields are borrowed from the message without copying.
//
// Writing: NewMessage builds a message (in the context's arena) from field
// values with range checks (an int64 out of int32 range is an error) and the
// reverse conversions (wrappers, Timestamp/Duration, Struct/Value/ListValue,
// Any packing).
#ifndef PITBOSS_SRC_CEL_COMMON_PROTO_VALUE_H_
#define PITBOSS_SRC_CEL_COMMON_PROTO_VALUE_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/value.h"

namespace pitboss {
namespace cel {

// Which well-known type a descriptor is (kNone for ordinary messages).
enum class WellKnownType {
  kNone,
  kTimestamp,
  kDuration,
  kBoolValue,
  kInt32Value,
  kInt64Value,
  kUInt32Value,
  kUInt64Value,
  kFloatValue,
  kDoubleValue,
  kStringValue,
  kBytesValue,
  kStruct,
  kValue,
  kListValue,
  kAny,
};
WellKnownType GetWellKnownType(const google::protobuf::Descriptor* descriptor);
inline bool IsWrapperType(WellKnownType w) {
  return w >= WellKnownType::kBoolValue && w <= WellKnownType::kBytesValue;
}

// `message` as a CEL value (borrowed: it must outlive the value). WKTs are
// unwrapped; other messages become message values.
Value MessageToValue(const google::protobuf::Message* message, EvalContext& ctx);

// The CEL value of `field` of `message` (see the header comment).
Value GetField(const google::protobuf::Message& message,
               const google::protobuf::FieldDescriptor* field, EvalContext& ctx);

// message.name: the field's value, or the error "no such field: 'name'".
Value GetFieldByName(const google::protobuf::Message& message, absl::string_view name,
                     EvalContext& ctx);

// has(message.field): presence for fields that track it (proto2 scalars,
// messages, oneofs, proto3 optional), non-default for proto3 scalars,
// non-empty for repeated and map fields.
bool HasField(const google::protobuf::Message& message,
              const google::protobuf::FieldDescriptor* field);
// has() by name: a bool, or the error "no such field: 'name'".
Value HasFieldByName(const google::protobuf::Message& message, absl::string_view name,
                     EvalContext& ctx);

// A field initializer for NewMessage.
struct FieldInit {
  absl::string_view name;
  Value value;
};

// `TypeName{field: value, ...}`: builds the message in ctx.arena() (type from
// ctx.pool()), then returns MessageToValue of it (so
// google.protobuf.Int32Value{value: 1} is the int 1). Errors: unknown type,
// "no such field", range errors, type mismatches ("no such overload"), and any
// error/unknown field value (propagated).
Value NewMessage(absl::string_view type_name, absl::Span<const FieldInit> fields,
                 EvalContext& ctx);
Value NewMessage(const google::protobuf::Descriptor* descriptor,
                 absl::Span<const FieldInit> fields, EvalContext& ctx);

// Sets `field` of `message` from `value` with CEL conversions and range
// checks. On error `message` may be partially written (NewMessage discards it).
absl::Status SetField(google::protobuf::Message* message,
                      const google::protobuf::FieldDescriptor* field, const Value& value,
                      EvalContext& ctx);

// Writes `value` into `out` (a message of any type, including well-known types:
// wrappers, Timestamp, Duration, Value/Struct/ListValue as JSON, Any packing).
absl::Status ValueToMessage(const Value& value, google::protobuf::Message* out,
                            EvalContext& ctx);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_COMMON_PROTO_VALUE_H_
