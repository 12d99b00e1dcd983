// `opt.or(alt)` and `opt.orValue(alt)`: `alt` is evaluated only when `opt`
// is optional.none() (cel-go and cel-cpp short-circuit both), so
// `optional.of(x).orValue(1 / 0)` is x. An error or unknown `opt` is the
// result; an `opt` that is not an optional is "no such overload".
#ifndef PITBOSS_SRC_CEL_EVAL_OPTIONAL_OR_NODE_H_
#define PITBOSS_SRC_CEL_EVAL_OPTIONAL_OR_NODE_H_

#include <cstdint>
#include <memory>

#include "src/cel/eval/frame.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

class OptionalOrNode final : public Node {
 public:
  // `or_value`: orValue (a present optional gives its value) instead of or
  // (a present optional is the result).
  OptionalOrNode(int64_t id, bool or_value, std::unique_ptr<Node> optional,
                 std::unique_ptr<Node> alternative);
  Value Eval(Frame& frame) const override;
  int64_t Size() const override { return 1 + optional_->Size() + alternative_->Size(); }

 private:
  bool or_value_;
  std::unique_ptr<Node> optional_;
  std::unique_ptr<Node> alternative_;
};

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_OPTIONAL_OR_NODE_H_
