// EvalContext (see eval_context.h).
#include "src/cel/common/eval_context.h"

#include <string>

namespace pitboss {
namespace cel {

const google::protobuf::Message* EvalContext::FindPrototype(absl::string_view full_name) const {
  const google::protobuf::Descriptor* d = pool_->FindMessageTypeByName(std::string(full_name));
  if (d == nullptr) return nullptr;
  return factory_->GetPrototype(d);
}

Value EvalContext::NoSuchOverload() const {
  static const absl::string_view kMessage = "no such overload";
  return Value::Error(arena_, absl::InvalidArgumentError(kMessage));
}

}  // namespace cel
}  // namespace pitboss
