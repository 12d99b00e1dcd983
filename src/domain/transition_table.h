// Lookups shared by the deposit and withdrawal transition tables: each machine
// keeps its one table of {from, to, effect, trigger} rows (deposit_machine.cc,
// withdrawal_machine.cc); these answer the same questions of either.
#ifndef PITBOSS_SRC_DOMAIN_TRANSITION_TABLE_H_
#define PITBOSS_SRC_DOMAIN_TRANSITION_TABLE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace pitboss {
namespace domain {
namespace domain_internal {

// The row for from -> to, or nullptr when the table has no such move.
template <typename Row, typename State>
const Row* FindTransition(absl::Span<const Row> table, State from, State to) {
  for (const Row& row : table) {
    if (row.from == from && row.to == to) return &row;
  }
  return nullptr;
}

// The states reachable from `from` in one move, in table order.
template <typename Row, typename State>
std::vector<State> TransitionTargets(absl::Span<const Row> table, State from) {
  std::vector<State> out;
  for (const Row& row : table) {
    if (row.from == from) out.push_back(row.to);
  }
  return out;
}

// An enum value's name without its prefix ("DEPOSIT_STATE_PENDING" ->
// "PENDING"); "INVALID" for a value the enum does not define.
inline absl::string_view StateNameWithoutPrefix(const std::string& full_name,
                                                absl::string_view prefix) {
  absl::string_view name = full_name;
  if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
  return name.empty() ? absl::string_view("INVALID") : name;
}

}  // namespace domain_internal
}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_TRANSITION_TABLE_H_
