// TypeProvider: what the checker and planner know about protobuf types, read
// from a google::protobuf::DescriptorPool (the generated pool, so pitboss.v1
// messages work out of the box, or any pool a caller passes, e.g. the
// conformance suite's FileDescriptorSet).
//
// It maps messages, fields and enum constants to CEL: well-known types become
// their CEL types (Timestamp -> timestamp, Int64Value -> wrapper(int),
// Struct -> map(string, dyn), ...), enums are ints, repeated fields lists and
// map fields maps.
#ifndef PITBOSS_SRC_CEL_CHECKER_TYPE_PROVIDER_H_
#define PITBOSS_SRC_CEL_CHECKER_TYPE_PROVIDER_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "src/cel/checker/type.h"

namespace pitboss {
namespace cel {

// Whether `enum_constant_name` is a value of google.protobuf.NullValue (which
// CEL reads as null, not as an int).
inline bool IsNullValueConstant(absl::string_view enum_constant_name) {
  constexpr absl::string_view kPrefix = "google.protobuf.NullValue.";
  return enum_constant_name.substr(0, kPrefix.size()) == kPrefix;
}

class TypeProvider {
 public:
  // `pool` must outlive the provider; null means the generated pool.
  explicit TypeProvider(const google::protobuf::DescriptorPool* pool = nullptr);

  const google::protobuf::DescriptorPool* pool() const { return pool_; }

  // The message descriptor for a full name (no leading dot), or null.
  const google::protobuf::Descriptor* FindMessage(absl::string_view full_name) const;

  // The CEL type of values of a message type: its WKT mapping or message(name).
  static CelType MessageValueType(const google::protobuf::Descriptor* descriptor);

  // An enum constant written as "pkg.Enum.VALUE" (or "pkg.Msg.Enum.VALUE").
  bool FindEnumConstant(absl::string_view full_name, int64_t* value) const;

  // An enum type's full name.
  const google::protobuf::EnumDescriptor* FindEnum(absl::string_view full_name) const;

  // The CEL type of a field (repeated -> list, map -> map, enum -> int, WKT
  // mapped).
  static CelType FieldType(const google::protobuf::FieldDescriptor* field);
  // The CEL type of a singular value of `field`'s type (ignores repeated).
  static CelType FieldElementType(const google::protobuf::FieldDescriptor* field);

 private:
  const google::protobuf::DescriptorPool* pool_;
};

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_CHECKER_TYPE_PROVIDER_H_
