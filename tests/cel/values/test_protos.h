// Test message types for the CEL value tests, built at run time from .proto
// text into a DescriptorPool layered over the generated pool (so the
// well-known types resolve), with a DynamicMessageFactory.
#ifndef PITBOSS_TESTS_CEL_VALUES_TEST_PROTOS_H_
#define PITBOSS_TESTS_CEL_VALUES_TEST_PROTOS_H_

#include <memory>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"

namespace pitboss {
namespace cel {
namespace testing {

// Holds test.v1.All (proto3), test.v1.Inner, test.v1.Color and test.v1.P2
// (proto2 with defaults).
struct TestProtos {
  TestProtos();
  google::protobuf::DescriptorPool pool;
  // Mutable: GetPrototype() caches prototypes (thread-safe).
  mutable google::protobuf::DynamicMessageFactory factory{&pool};
  const google::protobuf::Descriptor* all = nullptr;
  const google::protobuf::Descriptor* inner = nullptr;
  const google::protobuf::Descriptor* p2 = nullptr;
};

// Built once per process.
const TestProtos& GetTestProtos();

}  // namespace testing
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_TESTS_CEL_VALUES_TEST_PROTOS_H_
