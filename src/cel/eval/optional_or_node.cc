// OptionalOrNode (see optional_or_node.h).
#include "src/cel/eval/optional_or_node.h"

#include <utility>

#include "src/cel/eval/nodes.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

OptionalOrNode::OptionalOrNode(int64_t id, bool or_value, std::unique_ptr<Node> optional,
                               std::unique_ptr<Node> alternative)
    : Node(id),
      or_value_(or_value),
      optional_(std::move(optional)),
      alternative_(std::move(alternative)) {}

Value OptionalOrNode::Eval(Frame& frame) const {
  Value optional = optional_->Eval(frame);
  if (optional.IsErrorOrUnknown()) return optional;
  if (!optional.IsOptional()) return NoSuchOverload(frame);
  if (optional.optional_has_value())
    return or_value_ ? optional.optional_value() : optional;
  return alternative_->Eval(frame);
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss
