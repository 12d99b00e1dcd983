// FieldReader (see field_reader.h): planning (kind, raw offset, probe) and
// the reads that are not inline.
#include "src/cel/eval/field_reader.h"

#include <memory>

#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/generated_message_reflection.h"
#include "src/cel/common/proto_value.h"
#include "src/cel/eval/string_equal.h"

#if GOOGLE_PROTOBUF_VERSION >= 3021000 && GOOGLE_PROTOBUF_VERSION < 3022000
#define PITBOSS_CEL_RAW_FIELD_OFFSETS 1
#endif

#ifdef PITBOSS_CEL_RAW_FIELD_OFFSETS
namespace google {
namespace protobuf {

// protobuf 3.21's Reflection declares this class a friend (message.h) and
// defines no class of this name itself; it is the one place pitboss reads the
// layout table (ReflectionSchema) of a generated class. Every offset found
// here is checked against reflection before use (FieldReader::ProbeRawLayout).
class MessageLayoutInspector {
 public:
  static bool FieldOffset(const Reflection& reflection, const FieldDescriptor* field,
                          uint32_t* offset) {
    const internal::ReflectionSchema& schema = reflection.schema_;
    if (reflection.descriptor_ != field->containing_type()) return false;
    if (schema.InRealOneof(field) || schema.IsFieldInlined(field)) return false;
    *offset = schema.GetFieldOffset(field);
    return true;
  }
  // A member of a real oneof: where its value is stored (the oneof's union)
  // and where the oneof's case (the number of the member set, or 0) is.
  static bool OneofMemberOffsets(const Reflection& reflection, const FieldDescriptor* field,
                                 uint32_t* value_offset, uint32_t* case_offset) {
    const internal::ReflectionSchema& schema = reflection.schema_;
    if (reflection.descriptor_ != field->containing_type()) return false;
    if (!schema.InRealOneof(field) || schema.IsFieldInlined(field)) return false;
    *value_offset = schema.GetFieldOffset(field);
    *case_offset = schema.GetOneofCaseOffset(field->real_containing_oneof());
    return true;
  }
};

}  // namespace protobuf
}  // namespace google
#endif

namespace pitboss {
namespace cel {
namespace eval_internal {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::RepeatedField;
using google::protobuf::RepeatedPtrField;

namespace {

// A repeated message field of a generated message read through a reflection
// resolved at plan time. Arena-allocated per access (no heap).
class GeneratedRepeatedMessages final : public ListValue {
 public:
  GeneratedRepeatedMessages(const Message* m, const FieldDescriptor* f, const Reflection* r)
      : m_(m), f_(f), r_(r) {}
  size_t size() const override { return static_cast<size_t>(r_->FieldSize(*m_, f_)); }
  Value Get(size_t i, EvalContext&) const override {
    return Value::Message(&r_->GetRepeatedMessage(*m_, f_, static_cast<int>(i)));
  }

 private:
  const Message* m_;
  const FieldDescriptor* f_;
  const Reflection* r_;
};

// A repeated string field as a list view over its storage (elements
// borrowed).
class RepeatedStringList final : public ListValue {
 public:
  explicit RepeatedStringList(const RepeatedPtrField<std::string>* field) : field_(field) {}
  size_t size() const override { return static_cast<size_t>(field_->size()); }
  Value Get(size_t i, EvalContext&) const override {
    return Value::StringView(field_->Get(static_cast<int>(i)));
  }
  int FastContains(const Value& v) const override {
    if (!v.IsString()) return -1;
    const absl::string_view s = v.string_value();
    for (const std::string& x : *field_) {
      if (StringEqual(x, s)) return 1;
    }
    return 0;
  }

 private:
  const RepeatedPtrField<std::string>* field_;
};

FieldReader::Kind PlanKind(const FieldDescriptor* f) {
  using Kind = FieldReader::Kind;
  if (f->is_map() || f->is_extension()) return Kind::kNone;
  if (f->is_repeated()) {
    if (f->type() == FieldDescriptor::TYPE_STRING) return Kind::kRepeatedString;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT64) return Kind::kRepeatedInt64;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        GetWellKnownType(f->message_type()) != WellKnownType::kNone) {
      return Kind::kNone;  // elements unwrap; the generic list does it
    }
    return Kind::kRepeatedOther;
  }
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return Kind::kInt32;
    case FieldDescriptor::CPPTYPE_INT64:
      return Kind::kInt64;
    case FieldDescriptor::CPPTYPE_UINT32:
      return Kind::kUint32;
    case FieldDescriptor::CPPTYPE_UINT64:
      return Kind::kUint64;
    case FieldDescriptor::CPPTYPE_FLOAT:
      return Kind::kFloat;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return Kind::kDouble;
    case FieldDescriptor::CPPTYPE_BOOL:
      return Kind::kBool;
    case FieldDescriptor::CPPTYPE_ENUM:
      if (f->enum_type()->full_name() == "google.protobuf.NullValue") return Kind::kNone;
      return Kind::kEnum;
    case FieldDescriptor::CPPTYPE_STRING:
      return f->type() == FieldDescriptor::TYPE_BYTES ? Kind::kBytes : Kind::kString;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (GetWellKnownType(f->message_type()) != WellKnownType::kNone) return Kind::kNone;
      return Kind::kMessage;
  }
  return Kind::kNone;
}

// Whether raw reads can apply to `f` at all (storage protobuf 3.21 keeps at a
// fixed offset in the kinds FieldReader reads raw).
bool RawCandidate(const FieldDescriptor* f, FieldReader::Kind kind) {
  using Kind = FieldReader::Kind;
  switch (kind) {
    case Kind::kInt64:
    case Kind::kBool:
    case Kind::kMessage:
    case Kind::kRepeatedString:
    case Kind::kRepeatedInt64:
      break;
    case Kind::kString:
      if (f->has_default_value()) return false;  // non-empty defaults are lazy
      break;
    default:
      return false;
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
      f->options().ctype() != google::protobuf::FieldOptions::STRING) {
    return false;
  }
  if (f->options().lazy() || f->options().unverified_lazy()) return false;
  return true;
}

}  // namespace

FieldReader FieldReader::Create(const Descriptor* descriptor, const FieldDescriptor* field) {
  FieldReader reader;
  if (descriptor == nullptr || field == nullptr || field->containing_type() != descriptor ||
      descriptor->file()->pool() != google::protobuf::DescriptorPool::generated_pool()) {
    return reader;
  }
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
  if (prototype == nullptr) return reader;
  reader.kind_ = PlanKind(field);
  if (reader.kind_ == Kind::kNone) return reader;
  reader.field_ = field;
  reader.reflection_ = prototype->GetReflection();
  reader.type_ = &typeid(*prototype);
  reader.vtable_ = VtableOf(*prototype);
  if (reader.kind_ == Kind::kMessage) {
    reader.default_sub_ =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(field->message_type());
    if (reader.default_sub_ == nullptr) {
      reader.kind_ = Kind::kNone;
      return reader;
    }
  }
#ifdef PITBOSS_CEL_RAW_FIELD_OFFSETS
  uint32_t offset = 0;
  uint32_t case_offset = 0;
  if (RawCandidate(field, reader.kind_) &&
      google::protobuf::MessageLayoutInspector::FieldOffset(*reader.reflection_, field,
                                                            &offset) &&
      offset < (1u << 30)) {
    FieldReader candidate = reader;
    candidate.offset_ = static_cast<int32_t>(offset);
    if (candidate.ProbeRawLayout(*prototype)) reader.offset_ = candidate.offset_;
  } else if (reader.kind_ == Kind::kMessage && RawCandidate(field, reader.kind_) &&
             google::protobuf::MessageLayoutInspector::OneofMemberOffsets(
                 *reader.reflection_, field, &offset, &case_offset) &&
             offset < (1u << 30) && case_offset < (1u << 30)) {
    // A message member of a oneof (e.g. an event's kind): read raw when its
    // oneof's case names it, else it is the default instance.
    FieldReader candidate = reader;
    candidate.offset_ = static_cast<int32_t>(offset);
    candidate.case_offset_ = static_cast<int32_t>(case_offset);
    candidate.number_ = field->number();
    if (candidate.ProbeRawLayout(*prototype) && candidate.ProbeOneofMember(*prototype)) {
      reader = candidate;
    }
  }
#endif
  return reader;
}

// Sets the field on a fresh message through reflection and requires the raw
// read to agree, for the default instance too.
bool FieldReader::ProbeRawLayout(const Message& prototype) const {
  const Reflection* r = reflection_;
  const FieldDescriptor* f = field_;
  std::unique_ptr<Message> probe(prototype.New());
  Message& m = *probe;
  switch (kind_) {
    case Kind::kInt64:
      if (At<int64_t>(prototype) != r->GetInt64(prototype, f)) return false;
      r->SetInt64(&m, f, 0x5A5A12345678A5A5);
      return At<int64_t>(m) == r->GetInt64(m, f) && At<int64_t>(m) == 0x5A5A12345678A5A5;
    case Kind::kBool: {
      if (At<bool>(prototype) != r->GetBool(prototype, f)) return false;
      r->SetBool(&m, f, !r->GetBool(prototype, f));
      return At<bool>(m) == r->GetBool(m, f);
    }
    case Kind::kString: {
      std::string scratch;
      const std::string& def = r->GetStringReference(prototype, f, &scratch);
      if (&At<google::protobuf::internal::ArenaStringPtr>(prototype).Get() != &def) return false;
      r->SetString(&m, f, "pitboss field reader probe, longer than any small-string buffer");
      const std::string& set = r->GetStringReference(m, f, &scratch);
      return &set != &scratch && &At<google::protobuf::internal::ArenaStringPtr>(m).Get() == &set;
    }
    case Kind::kMessage: {
      if (&SubMessage(prototype) != &r->GetMessage(prototype, f)) return false;
      const Message* sub = r->MutableMessage(&m, f);
      return At<const Message*>(m) == sub && &SubMessage(m) == &r->GetMessage(m, f);
    }
    case Kind::kRepeatedString: {
      if (At<RepeatedPtrField<std::string>>(prototype).size() != 0) return false;
      r->AddString(&m, f, "a");
      r->AddString(&m, f, "pitboss field reader probe, longer than any small-string buffer");
      const auto& raw = At<RepeatedPtrField<std::string>>(m);
      std::string scratch;
      return raw.size() == 2 && r->FieldSize(m, f) == 2 &&
             &raw.Get(0) == &r->GetRepeatedStringReference(m, f, 0, &scratch) &&
             &raw.Get(1) == &r->GetRepeatedStringReference(m, f, 1, &scratch);
    }
    case Kind::kRepeatedInt64: {
      if (At<RepeatedField<int64_t>>(prototype).size() != 0) return false;
      r->AddInt64(&m, f, 7);
      r->AddInt64(&m, f, -9);
      const auto& raw = At<RepeatedField<int64_t>>(m);
      return raw.size() == 2 && r->FieldSize(m, f) == 2 && raw.Get(0) == 7 && raw.Get(1) == -9;
    }
    default:
      return false;
  }
}

// For a raw oneof member: presence and reads follow the oneof's case through
// every state the probe can put the oneof in.
bool FieldReader::ProbeOneofMember(const Message& prototype) const {
  const Reflection* r = reflection_;
  const FieldDescriptor* f = field_;
  const google::protobuf::OneofDescriptor* oneof = f->real_containing_oneof();
  auto agrees = [&](const Message& m) {
    return RawHas(m) == r->HasField(m, f) && &SubMessage(m) == &r->GetMessage(m, f);
  };
  if (!agrees(prototype) || RawHas(prototype)) return false;
  std::unique_ptr<Message> probe(prototype.New());
  Message& m = *probe;
  if (!agrees(m)) return false;
  r->MutableMessage(&m, f);
  if (!agrees(m) || !RawHas(m)) return false;
  // Every other member set in turn: this one reads as absent and default.
  for (int i = 0; i < oneof->field_count(); ++i) {
    const FieldDescriptor* other = oneof->field(i);
    if (other == f) continue;
    switch (other->cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        r->MutableMessage(&m, other);
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(&m, other, "pitboss field reader probe, longer than any small-string buffer");
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(&m, other, 1);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(&m, other, true);
        break;
      default:
        continue;  // the clear below covers the case value itself
    }
    if (!r->HasField(m, other) || !agrees(m) || RawHas(m)) return false;
  }
  r->ClearOneof(&m, oneof);
  return agrees(m) && !RawHas(m);
}

bool FieldReader::RepeatedStringContains(const Message& m, absl::string_view s) const {
  if (raw()) {
    for (const std::string& x : At<RepeatedPtrField<std::string>>(m)) {
      if (StringEqual(x, s)) return true;
    }
    return false;
  }
  std::string scratch;
  const int n = reflection_->FieldSize(m, field_);
  for (int i = 0; i < n; ++i) {
    if (reflection_->GetRepeatedStringReference(m, field_, i, &scratch) == s) return true;
  }
  return false;
}

bool FieldReader::RepeatedInt64Contains(const Message& m, int64_t v) const {
  if (raw()) {
    for (int64_t x : At<RepeatedField<int64_t>>(m)) {
      if (x == v) return true;
    }
    return false;
  }
  const int n = reflection_->FieldSize(m, field_);
  for (int i = 0; i < n; ++i) {
    if (reflection_->GetRepeatedInt64(m, field_, i) == v) return true;
  }
  return false;
}

Value FieldReader::ReadSlow(const Message& m, EvalContext& ctx) const {
  const Reflection* r = reflection_;
  const FieldDescriptor* f = field_;
  switch (kind_) {
    case Kind::kInt32:
      return Value::Int(r->GetInt32(m, f));
    case Kind::kInt64:
      return Value::Int(Int64(m));
    case Kind::kUint32:
      return Value::Uint(r->GetUInt32(m, f));
    case Kind::kUint64:
      return Value::Uint(r->GetUInt64(m, f));
    case Kind::kFloat:
      return Value::Double(r->GetFloat(m, f));
    case Kind::kDouble:
      return Value::Double(r->GetDouble(m, f));
    case Kind::kBool:
      return Value::Bool(r->GetBool(m, f));
    case Kind::kEnum:
      return Value::Int(r->GetEnumValue(m, f));
    case Kind::kString:
    case Kind::kBytes: {
      std::string scratch;
      const std::string& s = r->GetStringReference(m, f, &scratch);
      if (&s == &scratch) return kind_ == Kind::kBytes ? ctx.Bytes(s) : ctx.String(s);
      return kind_ == Kind::kBytes ? Value::BytesView(s) : Value::StringView(s);
    }
    case Kind::kMessage:
      return Value::Message(&SubMessage(m));
    case Kind::kRepeatedString:
      if (raw()) {
        return Value::List(google::protobuf::Arena::Create<RepeatedStringList>(
            ctx.arena(), &At<RepeatedPtrField<std::string>>(m)));
      }
      break;
    case Kind::kRepeatedOther:
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        return Value::List(
            google::protobuf::Arena::Create<GeneratedRepeatedMessages>(ctx.arena(), &m, f, r));
      }
      break;
    default:
      break;
  }
  return GetField(m, f, ctx);
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss
