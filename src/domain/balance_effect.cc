// Names of balance effects (see balance_effect.h).
#include "src/domain/balance_effect.h"

namespace pitboss {
namespace domain {

absl::string_view BalanceEffectName(BalanceEffect effect) {
  switch (effect) {
    case BalanceEffect::kNone:
      return "none";
    case BalanceEffect::kCreditCash:
      return "credit cash";
    case BalanceEffect::kDebitCash:
      return "debit cash";
    case BalanceEffect::kReserveFromCash:
      return "cash -> reserved";
    case BalanceEffect::kReleaseReserveToCash:
      return "reserved -> cash";
    case BalanceEffect::kPayOutReserve:
      return "reserved paid out";
    case BalanceEffect::kReturnToCash:
      return "returned to cash";
  }
  return "unknown";
}

}  // namespace domain
}  // namespace pitboss
