// Ledger invariants (see ledger_invariants.h).
#include "src/domain/ledger_invariants.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/money.h"

namespace pitboss {
namespace domain {

absl::Status CheckLedgerInvariants(const v1::Account& account) {
  const v1::LedgerTotals& t = account.totals();
  int64_t expected = 0;
  const std::pair<const v1::Money*, int> terms[] = {
      {&t.deposits_credited(), +1}, {&t.deposits_reversed(), -1},
      {&t.withdrawals_paid(), -1},  {&t.withdrawals_returned(), +1},
      {&t.wagers_staked(), -1},     {&t.wagers_paid_out(), +1},
  };
  for (const auto& [money, sign] : terms) {
    PITBOSS_ASSIGN_OR_RETURN(expected,
                             sign > 0 ? CheckedAdd(expected, money->minor_units(), "totals")
                                      : CheckedSubtract(expected, money->minor_units(),
                                                        "totals"));
  }
  PITBOSS_ASSIGN_OR_RETURN(int64_t held,
                           CheckedAdd(account.balances().cash().minor_units(),
                                      account.balances().reserved().minor_units(),
                                      "balances"));
  if (held != expected) {
    return absl::DataLossError(absl::StrCat(
        "account.balances: cash + reserved = ", held, " but the totals say ", expected));
  }
  int64_t in_flight = 0;
  for (const v1::Withdrawal& w : account.withdrawals()) {
    switch (w.state()) {
      case v1::WITHDRAWAL_STATE_REQUESTED:
      case v1::WITHDRAWAL_STATE_PENDING_VERIFICATION:
      case v1::WITHDRAWAL_STATE_PENDING_REVIEW:
      case v1::WITHDRAWAL_STATE_APPROVED:
      case v1::WITHDRAWAL_STATE_PROCESSING: {
        PITBOSS_ASSIGN_OR_RETURN(in_flight,
                                 CheckedAdd(in_flight, w.amount().minor_units(), "reserved"));
        break;
      }
      default:
        break;
    }
  }
  if (account.balances().reserved().minor_units() != in_flight) {
    return absl::DataLossError(absl::StrCat(
        "account.balances.reserved: ", account.balances().reserved().minor_units(),
        " but withdrawals in flight hold ", in_flight));
  }
  return absl::OkStatus();
}

}  // namespace domain
}  // namespace pitboss
