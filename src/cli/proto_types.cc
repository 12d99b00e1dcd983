// ProtoTypes: generated or FileDescriptorSet-backed pool, factory and JSON type resolver.
#include "src/cli/proto_types.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/util/type_resolver_util.h"

namespace pitboss {
namespace cli {
namespace {

// Collects the first build error of a lazily built file.
class FirstErrorCollector : public google::protobuf::DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& filename, const std::string& element_name,
                const google::protobuf::Message*, ErrorLocation,
                const std::string& message) override {
    if (first_.empty()) first_ = absl::StrCat(filename, ": ", element_name, ": ", message);
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

}  // namespace

ProtoTypes::~ProtoTypes() = default;

std::unique_ptr<ProtoTypes> ProtoTypes::Generated() {
  std::unique_ptr<ProtoTypes> types(new ProtoTypes());
  types->pool_ = google::protobuf::DescriptorPool::generated_pool();
  types->factory_ = google::protobuf::MessageFactory::generated_factory();
  types->resolver_.reset(google::protobuf::util::NewTypeResolverForDescriptorPool(
      std::string(kTypeUrlPrefix), types->pool_));
  return types;
}

absl::StatusOr<std::unique_ptr<ProtoTypes>> ProtoTypes::FromFileDescriptorSet(
    absl::string_view serialized) {
  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromArray(serialized.data(), static_cast<int>(serialized.size()))) {
    return absl::InvalidArgumentError("descriptors: not a serialized FileDescriptorSet");
  }
  std::unique_ptr<ProtoTypes> types(new ProtoTypes());
  types->set_db_ = std::make_unique<google::protobuf::SimpleDescriptorDatabase>();
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    if (!types->set_db_->Add(file)) {
      return absl::InvalidArgumentError(
          absl::StrCat("descriptors: file ", file.name(), " conflicts with an earlier one"));
    }
  }
  types->generated_db_ = std::make_unique<google::protobuf::DescriptorPoolDatabase>(
      *google::protobuf::DescriptorPool::generated_pool());
  types->merged_db_ = std::make_unique<google::protobuf::MergedDescriptorDatabase>(
      types->set_db_.get(), types->generated_db_.get());
  FirstErrorCollector errors;
  types->owned_pool_ =
      std::make_unique<google::protobuf::DescriptorPool>(types->merged_db_.get(), &errors);
  // Build every file now so that a broken set fails here, not at first use.
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    if (types->owned_pool_->FindFileByName(file.name()) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "descriptors: cannot build ", file.name(),
          errors.first().empty() ? std::string() : absl::StrCat(": ", errors.first())));
    }
  }
  // The collector is only used while building; later lazy loads report nothing.
  types->owned_pool_ = std::make_unique<google::protobuf::DescriptorPool>(types->merged_db_.get());
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    types->owned_pool_->FindFileByName(file.name());
  }
  types->owned_factory_ =
      std::make_unique<google::protobuf::DynamicMessageFactory>(types->owned_pool_.get());
  types->pool_ = types->owned_pool_.get();
  types->factory_ = types->owned_factory_.get();
  types->resolver_.reset(google::protobuf::util::NewTypeResolverForDescriptorPool(
      std::string(kTypeUrlPrefix), types->pool_));
  return types;
}

absl::StatusOr<std::unique_ptr<ProtoTypes>> ProtoTypes::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("descriptors: cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return FromFileDescriptorSet(buffer.str());
}

const google::protobuf::Message* ProtoTypes::FindPrototype(absl::string_view full_name) const {
  const google::protobuf::Descriptor* descriptor =
      pool_->FindMessageTypeByName(std::string(full_name));
  if (descriptor == nullptr) return nullptr;
  return factory_->GetPrototype(descriptor);
}

}  // namespace cli
}  // namespace pitboss
