// How a payment state transition moves money between the account's balances.
//
// The deposit and withdrawal transition tables tag every move with one of
// these effects; the state machines apply them, the diagram generator prints
// them, and the tests check them. `amount` below is the payment's gross amount,
// `net` what the account is credited (deposit amount minus fee).
#ifndef PITBOSS_SRC_DOMAIN_BALANCE_EFFECT_H_
#define PITBOSS_SRC_DOMAIN_BALANCE_EFFECT_H_

#include "absl/strings/string_view.h"

namespace pitboss {
namespace domain {

enum class BalanceEffect {
  kNone,
  kCreditCash,            // deposit COMPLETED: cash += net
  kDebitCash,             // deposit REVERSED: cash -= net (may go negative)
  kReserveFromCash,       // withdrawal REQUESTED: cash -= amount, reserved += amount
  kReleaseReserveToCash,  // withdrawal REJECTED/CANCELLED/FAILED: reserved -> cash
  kPayOutReserve,         // withdrawal PAID: reserved -= amount (money leaves)
  kReturnToCash,          // withdrawal RETURNED: cash += amount (money came back)
};

// "none", "credit cash", "debit cash", "cash -> reserved", "reserved -> cash",
// "reserved paid out", "returned to cash".
absl::string_view BalanceEffectName(BalanceEffect effect);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_BALANCE_EFFECT_H_
