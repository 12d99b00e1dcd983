// TypeProvider: protobuf descriptors seen as CEL types (see type_provider.h).
#include "src/cel/checker/type_provider.h"

#include <string>

namespace pitboss {
namespace cel {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;

TypeProvider::TypeProvider(const DescriptorPool* pool)
    : pool_(pool != nullptr ? pool : DescriptorPool::generated_pool()) {}

const Descriptor* TypeProvider::FindMessage(absl::string_view full_name) const {
  return pool_->FindMessageTypeByName(std::string(full_name));
}

CelType TypeProvider::MessageValueType(const Descriptor* descriptor) {
  CelType t;
  if (WellKnownCelType(descriptor->full_name(), &t)) return t;
  return CelType::Message(descriptor->full_name());
}

const EnumDescriptor* TypeProvider::FindEnum(absl::string_view full_name) const {
  return pool_->FindEnumTypeByName(std::string(full_name));
}

bool TypeProvider::FindEnumConstant(absl::string_view full_name, int64_t* value) const {
  size_t dot = full_name.rfind('.');
  if (dot == absl::string_view::npos) return false;
  const EnumDescriptor* e = FindEnum(full_name.substr(0, dot));
  if (e == nullptr) return false;
  const EnumValueDescriptor* v = e->FindValueByName(std::string(full_name.substr(dot + 1)));
  if (v == nullptr) return false;
  *value = v->number();
  return true;
}

CelType TypeProvider::FieldElementType(const FieldDescriptor* field) {
  switch (field->type()) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FLOAT:
      return CelType::Double();
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SINT32:
    case FieldDescriptor::TYPE_SINT64:
    case FieldDescriptor::TYPE_SFIXED32:
    case FieldDescriptor::TYPE_SFIXED64:
      return CelType::Int();
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_FIXED32:
      return CelType::Uint();
    case FieldDescriptor::TYPE_BOOL:
      return CelType::Bool();
    case FieldDescriptor::TYPE_STRING:
      return CelType::String();
    case FieldDescriptor::TYPE_BYTES:
      return CelType::Bytes();
    case FieldDescriptor::TYPE_ENUM:
      if (field->enum_type()->full_name() == "google.protobuf.NullValue") {
        return CelType::Null();
      }
      return CelType::Int();
    case FieldDescriptor::TYPE_MESSAGE:
    case FieldDescriptor::TYPE_GROUP:
      return MessageValueType(field->message_type());
  }
  return CelType::Dyn();
}

CelType TypeProvider::FieldType(const FieldDescriptor* field) {
  if (field->is_map()) {
    const Descriptor* entry = field->message_type();
    return CelType::Map(FieldElementType(entry->map_key()),
                        FieldElementType(entry->map_value()));
  }
  if (field->is_repeated()) return CelType::List(FieldElementType(field));
  return FieldElementType(field);
}

}  // namespace cel
}  // namespace pitboss
