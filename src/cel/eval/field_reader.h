// FieldReader: one field of one generated protobuf message class, read the
// way the planner decided once, not through a reflection lookup per access.
//
// Why: a rule reads a handful of message fields per evaluation and protobuf
// 3.21's Reflection::GetInt64/GetStringReference cost several non-inlined
// calls each (usage checks, schema and offset lookups), more than the rule's
// own work. For a field of a generated class the reader resolves, at plan
// time, the field's byte offset inside the class (protobuf 3.21's own
// layout table, reached through the MessageLayoutInspector hook that
// Reflection befriends) and then checks that offset against reflection on a
// probe message: the raw read must see exactly what reflection sees for a set
// and for a default field. Only then are reads a load at a fixed offset;
// message members of a oneof (an event's kind) read the oneof's case first
// (probed through every member of the oneof). Otherwise (another protobuf
// version, scalar oneof members, inlined or cord strings, extensions, lazy
// fields) the reader uses the cached Reflection and FieldDescriptor, which is
// still free of name lookups.
//
// A reader applies only to messages of exactly its generated class
// (Matches: one typeid comparison); callers fall back to the generic field
// access (proto_value.h) for anything else, e.g. a dynamic message of the
// same descriptor.
#ifndef PITBOSS_SRC_CEL_EVAL_FIELD_READER_H_
#define PITBOSS_SRC_CEL_EVAL_FIELD_READER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <typeinfo>

#include "absl/strings/string_view.h"
#include "google/protobuf/arenastring.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/value.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

class FieldReader {
 public:
  // How the field becomes a CEL value. kNone: no plan (maps, well-known
  // message types, google.protobuf.NullValue, non-generated containing type).
  enum class Kind : uint8_t {
    kNone,
    kInt32,
    kInt64,
    kUint32,
    kUint64,
    kFloat,
    kDouble,
    kBool,
    kEnum,
    kString,
    kBytes,
    kMessage,          // singular, not a well-known type
    kRepeatedString,   // repeated string (not bytes)
    kRepeatedInt64,    // repeated int64/sint64/sfixed64
    kRepeatedOther,    // any other repeated, non-map field
  };

  FieldReader() = default;
  // The plan for `field` of `descriptor` (its containing type); kNone unless
  // `descriptor` is a generated message type of the generated pool.
  static FieldReader Create(const google::protobuf::Descriptor* descriptor,
                            const google::protobuf::FieldDescriptor* field);

  Kind kind() const { return kind_; }
  bool raw() const { return offset_ >= 0; }
  const google::protobuf::FieldDescriptor* field() const { return field_; }
  const google::protobuf::Reflection* reflection() const { return reflection_; }
  bool repeated() const { return kind_ >= Kind::kRepeatedString; }

  // Whether `m` is exactly of this reader's generated class. First the
  // object's vtable pointer against the class's (one load; objects of
  // exactly one class share a vtable), then, should that differ (e.g. a
  // vtable copy in another shared object), the typeid comparison.
  bool Matches(const google::protobuf::Message& m) const {
    return (vtable_ != nullptr && VtableOf(m) == vtable_) ||
           (type_ != nullptr && typeid(m) == *type_);
  }

  // Typed reads; `m` must match and the kind must fit.
  int64_t Int64(const google::protobuf::Message& m) const {
    return raw() ? At<int64_t>(m) : reflection_->GetInt64(m, field_);
  }
  absl::string_view String(const google::protobuf::Message& m, std::string* scratch) const {
    if (raw()) return At<google::protobuf::internal::ArenaStringPtr>(m).Get();
    return reflection_->GetStringReference(m, field_, scratch);
  }
  // A string/bytes field read raw (raw() must hold).
  absl::string_view RawString(const google::protobuf::Message& m) const {
    return At<google::protobuf::internal::ArenaStringPtr>(m).Get();
  }
  const google::protobuf::Message& SubMessage(const google::protobuf::Message& m) const {
    if (raw()) {
      if (case_offset_ >= 0 && !RawHas(m)) return *default_sub_;
      const google::protobuf::Message* sub = At<const google::protobuf::Message*>(m);
      return sub != nullptr ? *sub : *default_sub_;
    }
    return reflection_->GetMessage(m, field_);
  }
  // Whether presence is a raw read (a oneof member read raw): then RawHas is
  // has() of the field.
  bool raw_presence() const { return case_offset_ >= 0; }
  bool RawHas(const google::protobuf::Message& m) const {
    uint32_t oneof_case;
    std::memcpy(&oneof_case, reinterpret_cast<const char*>(&m) + case_offset_, sizeof oneof_case);
    return oneof_case == static_cast<uint32_t>(number_);
  }
  int RepeatedSize(const google::protobuf::Message& m) const {
    if (raw()) {
      if (kind_ == Kind::kRepeatedString) {
        return At<google::protobuf::RepeatedPtrField<std::string>>(m).size();
      }
      if (kind_ == Kind::kRepeatedInt64) return At<google::protobuf::RepeatedField<int64_t>>(m).size();
    }
    return reflection_->FieldSize(m, field_);
  }
  // Whether the repeated string field holds `s` (kind kRepeatedString).
  bool RepeatedStringContains(const google::protobuf::Message& m, absl::string_view s) const;
  // Whether the repeated int64 field holds `v` (kind kRepeatedInt64).
  bool RepeatedInt64Contains(const google::protobuf::Message& m, int64_t v) const;

  // The field as a CEL value (scalars inline, strings borrowed from `m`,
  // repeated fields as a list view); the generic path for kNone.
  Value Read(const google::protobuf::Message& m, EvalContext& ctx) const {
    switch (kind_) {
      case Kind::kInt64:
        return Value::Int(Int64(m));
      case Kind::kBool:
        return Value::Bool(raw() ? At<bool>(m) : reflection_->GetBool(m, field_));
      case Kind::kString: {
        if (raw()) return Value::StringView(At<google::protobuf::internal::ArenaStringPtr>(m).Get());
        break;
      }
      case Kind::kMessage:
        return Value::Message(&SubMessage(m));
      default:
        break;
    }
    return ReadSlow(m, ctx);
  }

 private:
  // The vtable pointer of a polymorphic object (the first word of a class
  // with virtual functions and no virtual bases, as protobuf messages are).
  static const void* VtableOf(const google::protobuf::Message& m) {
    const void* vtable;
    std::memcpy(&vtable, static_cast<const void*>(&m), sizeof vtable);
    return vtable;
  }

  template <typename T>
  const T& At(const google::protobuf::Message& m) const {
    return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(&m) + offset_);
  }
  Value ReadSlow(const google::protobuf::Message& m, EvalContext& ctx) const;
  // Checks the raw plan against reflection on a probe message.
  bool ProbeRawLayout(const google::protobuf::Message& prototype) const;
  bool ProbeOneofMember(const google::protobuf::Message& prototype) const;

  Kind kind_ = Kind::kNone;
  int32_t offset_ = -1;  // byte offset of the field in its class; -1: use reflection
  // A oneof member read raw: the byte offset of its oneof's case and its
  // field number (the case value when it is the member set); else -1.
  int32_t case_offset_ = -1;
  int32_t number_ = 0;
  const google::protobuf::FieldDescriptor* field_ = nullptr;
  const google::protobuf::Reflection* reflection_ = nullptr;
  const std::type_info* type_ = nullptr;
  const void* vtable_ = nullptr;  // the generated class's (from its prototype)
  const google::protobuf::Message* default_sub_ = nullptr;  // kMessage: the field type's default
};

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_FIELD_READER_H_
