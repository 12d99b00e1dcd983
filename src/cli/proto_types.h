// ProtoTypes: the protobuf message types a `pitboss` command can name, with the
// pieces every consumer needs together: a DescriptorPool (for the CEL
// environment and message lookups), a MessageFactory (to build messages of
// those types) and a TypeResolver (for proto3 JSON of google.protobuf.Any,
// which is how cel.expr.Value carries messages).
//
// Two sources: the types compiled into the binary (pitboss.v1 and the
// well-known types), or a FileDescriptorSet loaded at run time (e.g. the CEL
// conformance test messages), whose imports missing from the set are taken
// from the compiled-in types. Immutable after creation; thread-safe to share.
#ifndef PITBOSS_SRC_CLI_PROTO_TYPES_H_
#define PITBOSS_SRC_CLI_PROTO_TYPES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/type_resolver.h"

namespace pitboss {
namespace cli {

inline constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com";

class ProtoTypes {
 public:
  // The generated pool and factory (every message linked into the binary).
  static std::unique_ptr<ProtoTypes> Generated();
  // A pool built from a serialized google.protobuf.FileDescriptorSet.
  // InvalidArgument if the bytes do not parse or a file does not build.
  static absl::StatusOr<std::unique_ptr<ProtoTypes>> FromFileDescriptorSet(
      absl::string_view serialized);
  // Reads FromFileDescriptorSet's input from a file (NotFound if unreadable).
  static absl::StatusOr<std::unique_ptr<ProtoTypes>> FromFile(const std::string& path);

  ProtoTypes(const ProtoTypes&) = delete;
  ProtoTypes& operator=(const ProtoTypes&) = delete;
  ~ProtoTypes();

  const google::protobuf::DescriptorPool* pool() const { return pool_; }
  google::protobuf::MessageFactory* factory() const { return factory_; }
  google::protobuf::util::TypeResolver* resolver() const { return resolver_.get(); }

  // The prototype of message `full_name`, or null when the pool has no such type.
  const google::protobuf::Message* FindPrototype(absl::string_view full_name) const;

 private:
  ProtoTypes() = default;

  // Only set for a FileDescriptorSet pool (declaration order = destruction order reversed).
  std::unique_ptr<google::protobuf::SimpleDescriptorDatabase> set_db_;
  std::unique_ptr<google::protobuf::DescriptorPoolDatabase> generated_db_;
  std::unique_ptr<google::protobuf::MergedDescriptorDatabase> merged_db_;
  std::unique_ptr<google::protobuf::DescriptorPool> owned_pool_;
  std::unique_ptr<google::protobuf::DynamicMessageFactory> owned_factory_;

  const google::protobuf::DescriptorPool* pool_ = nullptr;
  google::protobuf::MessageFactory* factory_ = nullptr;
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
};

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_PROTO_TYPES_H_
