// The payment state machines, C++ API: a read-only view of the deposit and
// withdrawal transition tables the engine enforces (src/domain's
// deposit_machine and withdrawal_machine hold the only definition). For
// diagrams (`pitboss explain`), documentation and tooling; copying the table
// anywhere else would let it drift.
//
//   absl::StatusOr<pitboss::StateMachine> m = pitboss::GetStateMachine("deposit");
//   for (const pitboss::StateTransition& t : m->transitions)
//     std::cout << (t.from.empty() ? "(new)" : t.from) << " -> " << t.to << "\n";
//
// Thread-safety: pure functions; safe to call concurrently.
#ifndef PITBOSS_INCLUDE_PITBOSS_STATE_MACHINES_H_
#define PITBOSS_INCLUDE_PITBOSS_STATE_MACHINES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pitboss {

// One legal move, in the table's words.
struct StateTransition {
  std::string from;            // "" when the move creates the payment
  std::string to;              // "INITIATED", "PENDING_REVIEW", ...
  std::string trigger;         // what causes it ("provider settled: success")
  std::string balance_effect;  // "none", "credit cash", "cash -> reserved", ...
};

struct StateMachine {
  std::string name;                          // "deposit" or "withdrawal"
  std::vector<std::string> states;           // every state, in enum order
  std::vector<std::string> final_states;     // states without outgoing moves
  std::vector<StateTransition> transitions;  // the table, in its order
};

// The names GetStateMachine accepts: {"deposit", "withdrawal"}.
std::vector<std::string> StateMachineNames();

// The machine called `name`; INVALID_ARGUMENT naming the choices otherwise.
absl::StatusOr<StateMachine> GetStateMachine(absl::string_view name);

}  // namespace pitboss

#endif  // PITBOSS_INCLUDE_PITBOSS_STATE_MACHINES_H_
