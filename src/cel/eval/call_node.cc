// Call nodes (see call_node.h).
#include "src/cel/eval/call_node.h"

#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

CallNode::CallNode(int64_t id, std::string function, std::vector<NodePtr> args,
                   std::vector<const Overload*> candidates)
    : Node(id),
      function_(std::move(function)),
      args_(std::move(args)),
      candidates_(std::move(candidates)) {}

int64_t CallNode::Size() const {
  int64_t n = 1;
  for (const NodePtr& a : args_) n += a->Size();
  return n;
}

Value CallNode::Call(absl::Span<const Value> args, Frame& frame) const {
  Value propagated;
  if (StrictPropagate(args, *frame.ctx, &propagated)) return propagated;
  for (const Overload* o : candidates_) {
    if (o->Matches(args)) return o->impl(args, *frame.ctx);
  }
  return NoSuchOverload(frame);
}

Value CallNode::Eval(Frame& frame) const {
  const size_t n = args_.size();
  if (n <= 4) {
    Value args[4];
    for (size_t i = 0; i < n; ++i) args[i] = args_[i]->Eval(frame);
    return Call(absl::Span<const Value>(args, n), frame);
  }
  absl::InlinedVector<Value, 8> args(n);
  for (size_t i = 0; i < n; ++i) args[i] = args_[i]->Eval(frame);
  return Call(args, frame);
}

absl::StatusOr<NodePtr> MakeCallNode(int64_t id, const std::string& function,
                                     bool receiver_style, std::vector<NodePtr> args,
                                     const std::vector<std::string>& overload_ids,
                                     const FunctionRegistry& registry) {
  std::vector<const Overload*> candidates;
  if (!overload_ids.empty()) {
    for (const std::string& oid : overload_ids) {
      const Overload* o = registry.FindById(oid);
      if (o == nullptr) {
        return absl::NotFoundError(absl::StrCat("no implementation of overload '", oid,
                                                "' of function '", function, "'"));
      }
      candidates.push_back(o);
    }
  } else {
    candidates = registry.FindOverloads(function, receiver_style, args.size());
  }
  return std::make_unique<CallNode>(id, function, std::move(args), std::move(candidates));
}

bool HasFunction(const FunctionRegistry& registry, absl::string_view function) {
  for (bool receiver : {false, true}) {
    for (size_t arity = 0; arity <= kMaxOverloadArity; ++arity) {
      if (!registry.FindOverloads(function, receiver, arity).empty()) return true;
    }
  }
  return false;
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss
