// OptionalSelectNode (see optional_select_node.h).
#include "src/cel/eval/optional_select_node.h"

#include <utility>

#include "google/protobuf/message.h"
#include "src/cel/common/proto_value.h"
#include "src/cel/runtime/optional_library.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

OptionalSelectNode::OptionalSelectNode(
    int64_t id, std::unique_ptr<Node> operand, std::string field,
    const google::protobuf::FieldDescriptor* field_descriptor)
    : Node(id),
      operand_(std::move(operand)),
      field_(std::move(field)),
      field_descriptor_(field_descriptor) {}

Value OptionalSelectNode::Eval(Frame& frame) const {
  Value operand = operand_->Eval(frame);
  if (operand.IsErrorOrUnknown()) return operand;
  if (operand.IsOptional()) {
    if (!operand.optional_has_value()) return operand;
    operand = Value(operand.optional_value());
  }
  if (field_descriptor_ != nullptr && operand.IsMessage() &&
      operand.message_value()->GetDescriptor() == field_descriptor_->containing_type()) {
    const google::protobuf::Message& message = *operand.message_value();
    if (!HasField(message, field_descriptor_)) return Value::OptionalNone();
    Value value = GetField(message, field_descriptor_, *frame.ctx);
    if (value.IsError()) return value;
    return Value::Optional(frame.ctx->arena(), value);
  }
  return SelectOptionalField(operand, field_, *frame.ctx);
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss
