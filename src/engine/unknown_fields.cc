// Unknown fields inside a message (see unknown_fields.h).
#include "src/engine/unknown_fields.h"

#include <mutex>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/unknown_field_set.h"

namespace pitboss {
namespace engine {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::OneofDescriptor;
using google::protobuf::Reflection;

// Builds plans into the shared registry (its lock held by the caller).
class UnknownFieldsPlanBuilder {
 public:
  using Registry = absl::flat_hash_map<const Descriptor*, UnknownFieldsPlan*>;

  explicit UnknownFieldsPlanBuilder(Registry& registry) : registry_(registry) {}

  // The plan of `type`, with the plans of every type it reaches.
  const UnknownFieldsPlan* Build(const Descriptor* type) {
    auto [it, added] = registry_.try_emplace(type, nullptr);
    if (!added) return it->second;
    // Registered before its fields are filled, so a type that contains
    // itself (directly or not) finds its own plan.
    auto* plan = new UnknownFieldsPlan();  // lives as long as the process
    it->second = plan;
    for (int o = 0; o < type->real_oneof_decl_count(); ++o) {
      // Real oneofs come first; the rest are proto3 optional fields, singular.
      const OneofDescriptor* oneof = type->oneof_decl(o);
      UnknownFieldsPlan::Oneof group{oneof, {}};
      bool any_message = false;
      for (int m = 0; m < oneof->field_count(); ++m) {
        const FieldDescriptor* member = oneof->field(m);
        const bool message = member->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
        group.members.push_back({member, message ? Build(member->message_type()) : nullptr});
        any_message = any_message || message;
      }
      if (any_message) plan->oneofs_.push_back(std::move(group));
    }
    for (int f = 0; f < type->field_count(); ++f) {
      const FieldDescriptor* field = type->field(f);
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
      if (field->real_containing_oneof() != nullptr) continue;  // with its oneof
      const UnknownFieldsPlan* field_plan = Build(field->message_type());
      (field->is_repeated() ? plan->repeated_ : plan->singular_)
          .push_back({field, field_plan});
    }
    return plan;
  }

 private:
  Registry& registry_;
};

const UnknownFieldsPlan& UnknownFieldsPlan::For(const Descriptor* type) {
  static std::mutex mu;
  static auto* registry = new UnknownFieldsPlanBuilder::Registry();
  std::lock_guard<std::mutex> lock(mu);
  return *UnknownFieldsPlanBuilder(*registry).Build(type);
}

bool UnknownFieldsPlan::HasUnknownFields(const Message& message) const {
  const Reflection* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) return true;
  for (const Field& field : singular_) {
    if (reflection->HasField(message, field.field) &&
        field.plan->HasUnknownFields(reflection->GetMessage(message, field.field))) {
      return true;
    }
  }
  for (const Oneof& group : oneofs_) {
    const FieldDescriptor* set = reflection->GetOneofFieldDescriptor(message, group.oneof);
    if (set == nullptr) continue;
    const Field& member = group.members[static_cast<size_t>(set->index_in_oneof())];
    if (member.plan != nullptr &&
        member.plan->HasUnknownFields(reflection->GetMessage(message, set))) {
      return true;
    }
  }
  for (const Field& field : repeated_) {
    const int size = reflection->FieldSize(message, field.field);
    for (int i = 0; i < size; ++i) {
      if (field.plan->HasUnknownFields(
              reflection->GetRepeatedMessage(message, field.field, i))) {
        return true;
      }
    }
  }
  return false;
}

bool HasUnknownFields(const Message& message) {
  return UnknownFieldsPlan::For(message.GetDescriptor()).HasUnknownFields(message);
}

std::string FindUnknownFieldsPath(const Message& message, const std::string& prefix) {
  const Reflection* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) return prefix;
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(message, field);
      for (int i = 0; i < size; ++i) {
        std::string path = FindUnknownFieldsPath(
            reflection->GetRepeatedMessage(message, field, i),
            absl::StrCat(prefix, ".", field->name(), "[", i, "]"));
        if (!path.empty()) return path;
      }
    } else {
      std::string path = FindUnknownFieldsPath(reflection->GetMessage(message, field),
                                               absl::StrCat(prefix, ".", field->name()));
      if (!path.empty()) return path;
    }
  }
  return "";
}

}  // namespace engine
}  // namespace pitboss
