// ProgramImpl: a planned CEL expression ready to evaluate (what
// pitboss::cel::Program wraps).
//
// Immutable after planning: the node tree, the names of the declared
// variables in slot order, constants folded at plan time (in the program's own
// arena) and the limits. Evaluate is const and thread-safe; per-evaluation
// state (slots, budget) lives on the caller's stack and in the caller's arena.
#ifndef PITBOSS_SRC_CEL_EVAL_PROGRAM_IMPL_H_
#define PITBOSS_SRC_CEL_EVAL_PROGRAM_IMPL_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "include/pitboss/cel.h"
#include "src/cel/checker/type.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/value.h"
#include "src/cel/eval/frame.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

// The process-wide copy of a variable name (equal names, equal pointers):
// Activation entries and programs' variables carry it so that binding a
// variable to its slot compares pointers. Thread-safe.
const std::string* InternVariableName(absl::string_view name);

// The entry of `activation` with interned name `key`, trying position `hint`
// first and updating it (relaxed: a hint, not state). Null when unbound.
const Activation::Entry* FindEntry(const Activation& activation, const std::string* key,
                                   std::atomic<uint32_t>& hint);

class ProgramImpl {
 public:
  ProgramImpl() = default;

  // Slots on the stack in Run up to this many.
  static constexpr int kInlineSlots = 16;

  absl::StatusOr<Value> Evaluate(const Activation& activation,
                                 google::protobuf::Arena* arena) const;
  // Called by the planner once variable_slots is final.
  void FinishPlanning();

  // Evaluates with the activation entries already found: variable i's entry
  // is entries[index[i]] (entries[i] when index is null; null: unbound).
  // `memo`: the shared-subexpression results of a ProgramSet evaluation,
  // or null.
  Value Run(const Activation::Entry* const* entries, const uint32_t* index,
            EvalContext& ctx, MemoTable* memo = nullptr) const;

  // Set by the planner.
  std::unique_ptr<Node> root;
  struct Variable {
    std::string name;
    const std::string* key;  // InternVariableName(name)
    int slot;
    int64_t id;         // an expression reading it (for unknowns)
    Value unbound;      // the error read when the activation lacks it
  };
  std::vector<Variable> variable_slots;
  // Per variable: its position in the last Activation it was found in (a
  // lookup hint; relaxed atomics keep concurrent Evaluate calls race-free).
  std::unique_ptr<std::atomic<uint32_t>[]> hints;
  int num_slots = 0;  // declared variables and comprehension variables
  // Whether evaluation needs Frame::bound (unchecked name resolution).
  bool needs_bound = false;
  // The slots that are not declared variables (set by FinishPlanning).
  std::vector<int> local_slots;
  // Per slot: the interned name of the declared variable it holds, null for
  // comprehension slots (set by FinishPlanning; for Node::AppendKey).
  std::vector<const std::string*> slot_variables;
  // Slots [0, layout_slots) belong to the environment's declared variables
  // in declaration order (PlannerOptions::variable_order), whether this
  // program reads them or not; 0 when planned without that layout.
  int layout_slots = 0;
  // The comprehension slots (local_slots without the layout's unread
  // variable slots; set by FinishPlanning).
  std::vector<int> comprehension_slots;
  int64_t max_steps = 0;               // 0: unlimited
  int64_t max_iterations = 0;          // 0: unlimited
  CelType result_type;
  std::string source;
  const google::protobuf::DescriptorPool* pool = nullptr;
  google::protobuf::MessageFactory* factory = nullptr;
  // Owns folded constants (strings, lists, errors) for the program's life.
  std::unique_ptr<google::protobuf::Arena> constants_arena =
      std::make_unique<google::protobuf::Arena>();
};

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_PROGRAM_IMPL_H_
