// The public view of the payment transition tables (see
// include/pitboss/state_machines.h): copies each machine's one table
// (deposit_machine.cc, withdrawal_machine.cc) into plain strings.
#include "pitboss/state_machines.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "pitboss/v1/account.pb.h"
#include "src/domain/balance_effect.h"
#include "src/domain/deposit_machine.h"
#include "src/domain/withdrawal_machine.h"

namespace pitboss {
namespace {

// Builds the machine from a table, the enum's descriptor and the machine's
// state naming and finality functions.
template <typename State, typename Row, typename NameFn, typename FinalFn>
StateMachine Describe(absl::string_view name, absl::Span<const Row> table,
                      const google::protobuf::EnumDescriptor* states, NameFn state_name,
                      FinalFn is_final) {
  StateMachine machine;
  machine.name = std::string(name);
  for (int i = 0; i < states->value_count(); ++i) {
    const State state = static_cast<State>(states->value(i)->number());
    if (static_cast<int>(state) == 0) continue;  // UNSPECIFIED: "does not exist yet"
    machine.states.emplace_back(state_name(state));
    if (is_final(state)) machine.final_states.emplace_back(state_name(state));
  }
  for (const Row& row : table) {
    StateTransition& t = machine.transitions.emplace_back();
    if (static_cast<int>(row.from) != 0) t.from = std::string(state_name(row.from));
    t.to = std::string(state_name(row.to));
    t.trigger = std::string(row.trigger);
    t.balance_effect = std::string(domain::BalanceEffectName(row.effect));
  }
  return machine;
}

}  // namespace

std::vector<std::string> StateMachineNames() { return {"deposit", "withdrawal"}; }

absl::StatusOr<StateMachine> GetStateMachine(absl::string_view name) {
  if (name == "deposit") {
    return Describe<v1::DepositState>(name, domain::DepositTransitionTable(),
                                      v1::DepositState_descriptor(),
                                      domain::DepositStateName,
                                      domain::IsFinalDepositState);
  }
  if (name == "withdrawal") {
    return Describe<v1::WithdrawalState>(name, domain::WithdrawalTransitionTable(),
                                         v1::WithdrawalState_descriptor(),
                                         domain::WithdrawalStateName,
                                         domain::IsFinalWithdrawalState);
  }
  return absl::InvalidArgumentError(absl::StrCat("machine: unknown state machine \"", name,
                                                 "\" (choose ",
                                                 absl::StrJoin(StateMachineNames(), " or "),
                                                 ")"));
}

}  // namespace pitboss
