// The per-evaluation context every CEL function receives: the arena that owns
// values created during evaluation, the descriptor pool and message factory
// used to build and unpack messages (google.protobuf.Any, message literals),
// and a few helpers to make error values.
//
// Thread-compatible: one EvalContext per evaluation (per thread). The pool and
// factory may be shared between threads (they are only read).
#ifndef PITBOSS_SRC_CEL_COMMON_EVAL_CONTEXT_H_
#define PITBOSS_SRC_CEL_COMMON_EVAL_CONTEXT_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "src/cel/common/value.h"

namespace pitboss {
namespace cel {

class EvalContext {
 public:
  // `arena` must outlive the context and every Value created through it.
  // Null pool/factory mean the generated pool and factory.
  explicit EvalContext(google::protobuf::Arena* arena,
                       const google::protobuf::DescriptorPool* pool = nullptr,
                       google::protobuf::MessageFactory* factory = nullptr)
      : arena_(arena),
        pool_(pool != nullptr ? pool : google::protobuf::DescriptorPool::generated_pool()),
        factory_(factory != nullptr ? factory
                                    : google::protobuf::MessageFactory::generated_factory()) {}

  google::protobuf::Arena* arena() const { return arena_; }
  const google::protobuf::DescriptorPool* pool() const { return pool_; }
  google::protobuf::MessageFactory* factory() const { return factory_; }

  // Prototype for `full_name` from pool()/factory(), or null if unknown.
  const google::protobuf::Message* FindPrototype(absl::string_view full_name) const;

  // Error values in the arena.
  Value Error(absl::string_view message) const { return Value::Error(arena_, message); }
  Value Error(absl::Status status) const { return Value::Error(arena_, std::move(status)); }
  // "no such overload" (the definition's wording; conformance compares it).
  Value NoSuchOverload() const;
  Value String(absl::string_view s) const { return Value::String(arena_, s); }
  Value Bytes(absl::string_view s) const { return Value::Bytes(arena_, s); }

 private:
  google::protobuf::Arena* arena_;
  const google::protobuf::DescriptorPool* pool_;
  google::protobuf::MessageFactory* factory_;
};

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_COMMON_EVAL_CONTEXT_H_
