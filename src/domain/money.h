// Money arithmetic: exact, checked int64 arithmetic on minor units.
//
// pitboss::v1::Money is an int64 count of the currency's minor unit plus an
// ISO 4217 code. Nothing here uses floating point. Every operation checks:
//   - overflow of int64 -> OUT_OF_RANGE ("balances.cash: arithmetic overflow");
//   - mixing currencies -> INVALID_ARGUMENT ("...: currency mismatch: USD vs JPY");
//   - unknown currency codes -> INVALID_ARGUMENT.
// Error messages start with the field path the caller passes in, so a bad input
// is reported as e.g. "event.deposit_requested.amount: must be positive".
//
// An unset Money (empty currency, zero units) is "nothing yet": adding to it
// adopts the other operand's currency. Any other Money must carry a currency.
#ifndef PITBOSS_SRC_DOMAIN_MONEY_H_
#define PITBOSS_SRC_DOMAIN_MONEY_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pitboss/v1/account.pb.h"

namespace pitboss {
namespace domain {

// int64 arithmetic that reports overflow instead of wrapping.
absl::StatusOr<int64_t> CheckedAdd(int64_t a, int64_t b, absl::string_view field);
absl::StatusOr<int64_t> CheckedSubtract(int64_t a, int64_t b,
                                        absl::string_view field);
absl::StatusOr<int64_t> CheckedMultiply(int64_t a, int64_t b,
                                        absl::string_view field);

v1::Money MakeMoney(int64_t minor_units, absl::string_view currency);

// True for the default instance (no currency, zero units).
bool IsUnsetMoney(const v1::Money& money);

// The currency is known (any sign of amount).
absl::Status ValidateMoney(const v1::Money& money, absl::string_view field);
// The currency is known and the amount is > 0.
absl::Status ValidatePositiveMoney(const v1::Money& money, absl::string_view field);
// The currency is known and the amount is >= 0.
absl::Status ValidateNonNegativeMoney(const v1::Money& money,
                                      absl::string_view field);
// `money` is in `currency` (an unset Money counts as zero in any currency).
absl::Status CheckCurrency(const v1::Money& money, absl::string_view currency,
                           absl::string_view field);

// a + b and a - b; both must share a currency (or one be unset).
absl::StatusOr<v1::Money> AddMoney(const v1::Money& a, const v1::Money& b,
                                   absl::string_view field);
absl::StatusOr<v1::Money> SubtractMoney(const v1::Money& a, const v1::Money& b,
                                        absl::string_view field);

// *target += delta / *target -= delta (target may be unset). *target is
// unchanged on error.
absl::Status AddToMoney(v1::Money* target, const v1::Money& delta,
                        absl::string_view field);
absl::Status SubtractFromMoney(v1::Money* target, const v1::Money& delta,
                               absl::string_view field);

// Compares amounts of the same currency: <0, 0, >0.
absl::StatusOr<int> CompareMoney(const v1::Money& a, const v1::Money& b,
                                 absl::string_view field);

// The amount in major units with the currency's decimals and no grouping:
// "1000 JPY", "10.50 USD", "-1.005 BHD". For messages and logs; an unknown
// currency prints its minor units.
std::string FormatMoney(const v1::Money& money);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_MONEY_H_
