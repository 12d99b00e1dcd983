// Test message types built from FileDescriptorProto text (see test_protos.h).
#include "tests/cel/values/test_protos.h"

#include <cstdlib>
#include <iostream>

#include "google/protobuf/any.pb.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/wrappers.pb.h"

namespace pitboss {
namespace cel {
namespace testing {
namespace {

// test/v1/all.proto (proto3): every field kind CEL converts.
constexpr char kAllProto[] = R"pb(
  name: "test/v1/all.proto"
  package: "test.v1"
  syntax: "proto3"
  dependency: "google/protobuf/any.proto"
  dependency: "google/protobuf/duration.proto"
  dependency: "google/protobuf/struct.proto"
  dependency: "google/protobuf/timestamp.proto"
  dependency: "google/protobuf/wrappers.proto"
  enum_type {
    name: "Color"
    value { name: "RED" number: 0 }
    value { name: "GREEN" number: 1 }
    value { name: "BLUE" number: 2 }
  }
  message_type {
    name: "Inner"
    field { name: "x" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 }
    field { name: "name" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING }
  }
  message_type {
    name: "All"
    field { name: "i32" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 }
    field { name: "i64" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 }
    field { name: "u32" number: 3 label: LABEL_OPTIONAL type: TYPE_UINT32 }
    field { name: "u64" number: 4 label: LABEL_OPTIONAL type: TYPE_UINT64 }
    field { name: "f" number: 5 label: LABEL_OPTIONAL type: TYPE_FLOAT }
    field { name: "d" number: 6 label: LABEL_OPTIONAL type: TYPE_DOUBLE }
    field { name: "b" number: 7 label: LABEL_OPTIONAL type: TYPE_BOOL }
    field { name: "s" number: 8 label: LABEL_OPTIONAL type: TYPE_STRING }
    field { name: "by" number: 9 label: LABEL_OPTIONAL type: TYPE_BYTES }
    field { name: "color" number: 10 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".test.v1.Color" }
    field { name: "inner" number: 11 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".test.v1.Inner" }
    field { name: "ri" number: 12 label: LABEL_REPEATED type: TYPE_INT32 }
    field { name: "m" number: 13 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".test.v1.All.MEntry" }
    field { name: "mi" number: 14 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".test.v1.All.MiEntry" }
    field { name: "w32" number: 15 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Int32Value" }
    field { name: "ws" number: 16 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.StringValue" }
    field { name: "ts" number: 17 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Timestamp" }
    field { name: "dur" number: 18 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Duration" }
    field { name: "any" number: 19 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Any" }
    field { name: "st" number: 20 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Struct" }
    field { name: "val" number: 21 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Value" }
    field { name: "lv" number: 22 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.ListValue" }
    field { name: "opt" number: 23 label: LABEL_OPTIONAL type: TYPE_INT32 oneof_index: 1 proto3_optional: true }
    field { name: "nv" number: 24 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".google.protobuf.NullValue" }
    field { name: "rinner" number: 25 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".test.v1.Inner" }
    field { name: "s32" number: 26 label: LABEL_OPTIONAL type: TYPE_SINT32 }
    field { name: "fx" number: 27 label: LABEL_OPTIONAL type: TYPE_FIXED32 }
    field { name: "mu" number: 28 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".test.v1.All.MuEntry" }
    field { name: "rw" number: 29 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".google.protobuf.Int64Value" }
    field { name: "c1" number: 30 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
    field { name: "c2" number: 31 label: LABEL_OPTIONAL type: TYPE_INT64 oneof_index: 0 }
    nested_type { name: "MEntry" options { map_entry: true }
      field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
      field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_INT64 } }
    nested_type { name: "MiEntry" options { map_entry: true }
      field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 }
      field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING } }
    nested_type { name: "MuEntry" options { map_entry: true }
      field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_UINT64 }
      field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".test.v1.Inner" } }
    oneof_decl { name: "choice" }
    oneof_decl { name: "_opt" }
  }
)pb";

// test/v1/p2.proto (proto2): presence and defaults.
constexpr char kP2Proto[] = R"pb(
  name: "test/v1/p2.proto"
  package: "test.v1"
  syntax: "proto2"
  message_type {
    name: "P2"
    field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 default_value: "5" }
    field { name: "b" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING }
    field { name: "r" number: 3 label: LABEL_REPEATED type: TYPE_INT64 }
    field { name: "child" number: 4 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".test.v1.P2" }
  }
)pb";

const google::protobuf::FileDescriptor* Build(google::protobuf::DescriptorPool* pool,
                                              const char* text) {
  google::protobuf::FileDescriptorProto file;
  if (!google::protobuf::TextFormat::ParseFromString(text, &file)) {
    std::cerr << "test descriptor text does not parse\n";
    std::abort();
  }
  const google::protobuf::FileDescriptor* built = pool->BuildFile(file);
  if (built == nullptr) {
    std::cerr << "test descriptor " << file.name() << " does not build\n";
    std::abort();
  }
  return built;
}

}  // namespace

TestProtos::TestProtos() : pool(google::protobuf::DescriptorPool::generated_pool()) {
  // Reference the well-known types so their descriptors are linked in.
  google::protobuf::Any::descriptor();
  google::protobuf::Duration::descriptor();
  google::protobuf::Struct::descriptor();
  google::protobuf::Timestamp::descriptor();
  google::protobuf::Int32Value::descriptor();
  Build(&pool, kAllProto);
  Build(&pool, kP2Proto);
  all = pool.FindMessageTypeByName("test.v1.All");
  inner = pool.FindMessageTypeByName("test.v1.Inner");
  p2 = pool.FindMessageTypeByName("test.v1.P2");
}

const TestProtos& GetTestProtos() {
  static const TestProtos* const protos = new TestProtos();
  return *protos;
}

}  // namespace testing
}  // namespace cel
}  // namespace pitboss
