// `operand.?field` (the parser's `_?._`): optional.of(the field or map entry)
// when present, optional.none() when absent or when the operand is none;
// errors and unknowns of the operand propagate. With a checked message type
// the FieldDescriptor is resolved at plan time; otherwise (maps, dyn,
// unchecked) the field is looked up by name at run time.
#ifndef PITBOSS_SRC_CEL_EVAL_OPTIONAL_SELECT_NODE_H_
#define PITBOSS_SRC_CEL_EVAL_OPTIONAL_SELECT_NODE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "google/protobuf/descriptor.h"
#include "src/cel/eval/frame.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

class OptionalSelectNode final : public Node {
 public:
  // `field_descriptor` may be null (look the field up by name).
  OptionalSelectNode(int64_t id, std::unique_ptr<Node> operand, std::string field,
                     const google::protobuf::FieldDescriptor* field_descriptor);
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + operand_->Size(); }

 private:
  std::unique_ptr<Node> operand_;
  std::string field_;
  const google::protobuf::FieldDescriptor* field_descriptor_;
};

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_OPTIONAL_SELECT_NODE_H_
