// ProgramImpl::Evaluate (see program_impl.h): binds the activation to slots,
// then evaluates the node tree under the cost budget.
#include "src/cel/eval/program_impl.h"

#include <limits>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/proto_value.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

absl::StatusOr<Value> ProgramImpl::Evaluate(const Activation& activation,
                                            google::protobuf::Arena* arena) const {
  if (arena == nullptr) return absl::InvalidArgumentError("Evaluate needs an arena");
  EvalContext ctx(arena, pool, factory);
  absl::InlinedVector<Value, 16> slots(num_slots);
  absl::InlinedVector<bool, 16> bound(num_slots, false);
  for (const Variable& var : variable_slots) {
    const Activation::Entry* entry = activation.Find(var.name);
    if (entry == nullptr) {
      slots[var.slot] = var.unbound;
      continue;
    }
    bound[var.slot] = true;
    if (entry->unknown) {
      const int64_t ids[1] = {var.id};
      slots[var.slot] = Value::Unknown(arena, ids);
    } else if (entry->well_known_message) {
      slots[var.slot] = MessageToValue(entry->value.message_value(), ctx);
    } else {
      slots[var.slot] = entry->value;
    }
  }
  Frame frame;
  frame.ctx = &ctx;
  frame.slots = slots.data();
  frame.bound = bound.data();
  constexpr int64_t kUnlimited = std::numeric_limits<int64_t>::max();
  frame.steps_left = max_steps > 0 ? max_steps : kUnlimited;
  frame.iterations_left = max_iterations > 0 ? max_iterations : kUnlimited;
  return root->Eval(frame);
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss
