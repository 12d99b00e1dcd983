// Tests of ProtoTypes (src/cli/proto_types.h): generated and
// FileDescriptorSet-backed pools.
#include "src/cli/proto_types.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

// A set with one file that imports a well-known type it does not contain.
std::string TestSet() {
  google::protobuf::FileDescriptorSet set;
  google::protobuf::FileDescriptorProto* file = set.add_file();
  file->set_name("test/thing.proto");
  file->set_package("test");
  file->set_syntax("proto3");
  file->add_dependency("google/protobuf/timestamp.proto");
  google::protobuf::DescriptorProto* msg = file->add_message_type();
  msg->set_name("Thing");
  google::protobuf::FieldDescriptorProto* f = msg->add_field();
  f->set_name("when");
  f->set_number(1);
  f->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
  f->set_type(google::protobuf::FieldDescriptorProto::TYPE_MESSAGE);
  f->set_type_name(".google.protobuf.Timestamp");
  return set.SerializeAsString();
}

TEST(ProtoTypesTest, GeneratedKnowsLinkedInTypes) {
  auto types = ProtoTypes::Generated();
  EXPECT_NE(types->FindPrototype("google.protobuf.Timestamp"), nullptr);
  EXPECT_EQ(types->FindPrototype("no.such.Type"), nullptr);
}

TEST(ProtoTypesTest, LoadsASetAndFillsImportsFromGeneratedTypes) {
  absl::StatusOr<std::unique_ptr<ProtoTypes>> types = ProtoTypes::FromFileDescriptorSet(TestSet());
  ASSERT_THAT(types, IsOk());
  const google::protobuf::Message* thing = (*types)->FindPrototype("test.Thing");
  ASSERT_NE(thing, nullptr);
  EXPECT_EQ(thing->GetDescriptor()->field(0)->message_type()->full_name(), "google.protobuf.Timestamp");
  EXPECT_NE((*types)->FindPrototype("google.protobuf.Timestamp"), nullptr);
}

TEST(ProtoTypesTest, RejectsBrokenSets) {
  EXPECT_THAT(ProtoTypes::FromFileDescriptorSet("\xff\xff garbage"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  google::protobuf::FileDescriptorSet set;
  set.ParseFromString(TestSet());
  set.mutable_file(0)->mutable_message_type(0)->mutable_field(0)->set_type_name(".no.Such");
  EXPECT_THAT(ProtoTypes::FromFileDescriptorSet(set.SerializeAsString()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("test/thing.proto")));
  EXPECT_THAT(ProtoTypes::FromFile("/nonexistent/set.pb"), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
