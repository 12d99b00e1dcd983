// ProgramImpl::Evaluate (see program_impl.h): binds the activation to slots,
// then evaluates the node tree under the cost budget.
#include "src/cel/eval/program_impl.h"

#include <atomic>
#include <limits>
#include <memory>
#include <new>

#include "absl/base/const_init.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/container/node_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/status/status.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/proto_value.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

const std::string* InternVariableName(absl::string_view name) {
  // A per-thread cache in front of the shared table keeps binding lock-free
  // once a thread has seen a name.
  thread_local absl::flat_hash_map<absl::string_view, const std::string*> cache;
  auto cached = cache.find(name);
  if (cached != cache.end()) return cached->second;
  static absl::Mutex mutex(absl::kConstInit);
  static auto* const names = new absl::node_hash_set<std::string>();
  const std::string* interned;
  {
    absl::MutexLock lock(&mutex);
    interned = &*names->emplace(name).first;
  }
  cache.emplace(*interned, interned);
  return interned;
}

void ProgramImpl::FinishPlanning() {
  hints.reset(new std::atomic<uint32_t>[variable_slots.size()]);
  for (size_t i = 0; i < variable_slots.size(); ++i) hints[i].store(0, std::memory_order_relaxed);
  std::vector<bool> is_variable(num_slots, false);
  for (const Variable& var : variable_slots) is_variable[var.slot] = true;
  local_slots.clear();
  for (int slot = 0; slot < num_slots; ++slot) {
    if (!is_variable[slot]) local_slots.push_back(slot);
  }
  comprehension_slots.clear();
  for (int slot : local_slots) {
    if (slot >= layout_slots) comprehension_slots.push_back(slot);
  }
  slot_variables.assign(num_slots, nullptr);
  for (const Variable& var : variable_slots) slot_variables[var.slot] = var.key;
}

const Activation::Entry* FindEntry(const Activation& activation, const std::string* key,
                                   std::atomic<uint32_t>& hint) {
  const std::vector<Activation::Entry>& entries = activation.entries();
  // Activations built the same way put a variable at the same position: try
  // the position it had last time first.
  const uint32_t h = hint.load(std::memory_order_relaxed);
  if (h < entries.size() && entries[h].key == key) return &entries[h];
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].key == key) {
      hint.store(static_cast<uint32_t>(i), std::memory_order_relaxed);
      return &entries[i];
    }
  }
  return nullptr;
}

absl::StatusOr<Value> ProgramImpl::Evaluate(const Activation& activation,
                                            google::protobuf::Arena* arena) const {
  if (arena == nullptr) return absl::InvalidArgumentError("Evaluate needs an arena");
  EvalContext ctx(arena, pool, factory);
  absl::InlinedVector<const Activation::Entry*, 8> entries(variable_slots.size());
  for (size_t i = 0; i < variable_slots.size(); ++i) {
    entries[i] = FindEntry(activation, variable_slots[i].key, hints[i]);
  }
  return Run(entries.data(), nullptr, ctx);
}

Value ProgramImpl::Run(const Activation::Entry* const* entries, const uint32_t* index,
                       EvalContext& ctx, MemoTable* memo) const {
  // Slots on the stack for the common case (few variables, shallow
  // comprehension nesting). Variable slots are written below; the others
  // (comprehension variables) start as null.
  alignas(Value) unsigned char inline_storage[kInlineSlots * sizeof(Value)];
  bool inline_bound[kInlineSlots];
  std::unique_ptr<Value[]> heap_slots;
  std::unique_ptr<bool[]> heap_bound;
  Value* slots;
  bool* bound = nullptr;
  if (num_slots <= kInlineSlots) {
    slots = reinterpret_cast<Value*>(inline_storage);
    for (int slot : local_slots) new (&slots[slot]) Value();
    if (needs_bound) {
      bound = inline_bound;
      for (int i = 0; i < num_slots; ++i) bound[i] = false;
    }
  } else {
    heap_slots.reset(new Value[num_slots]);
    heap_bound.reset(new bool[num_slots]());
    slots = heap_slots.get();
    bound = heap_bound.get();
  }
  for (size_t i = 0; i < variable_slots.size(); ++i) {
    const Variable& var = variable_slots[i];
    const Activation::Entry* entry = entries[index != nullptr ? index[i] : i];
    if (entry == nullptr) {
      new (&slots[var.slot]) Value(var.unbound);
      continue;
    }
    if (bound != nullptr) bound[var.slot] = true;
    if (entry->unknown) {
      const int64_t ids[1] = {var.id};
      new (&slots[var.slot]) Value(Value::Unknown(ctx.arena(), ids));
    } else if (entry->well_known_message) {
      new (&slots[var.slot]) Value(MessageToValue(entry->value.message_value(), ctx));
    } else {
      new (&slots[var.slot]) Value(entry->value);
    }
  }
  Frame frame;
  frame.ctx = &ctx;
  frame.slots = slots;
  frame.bound = bound;
  frame.memo = memo;
  constexpr int64_t kUnlimited = std::numeric_limits<int64_t>::max();
  frame.steps_left = max_steps > 0 ? max_steps : kUnlimited;
  frame.iterations_left = max_iterations > 0 ? max_iterations : kUnlimited;
  return root->Eval(frame);
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss
