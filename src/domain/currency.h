// Currencies: ISO 4217 codes and the number of decimals of their minor unit.
//
// Money in pitboss is an int64 count of minor units, so the one fact the core
// needs about a currency is how many decimals that unit has: JPY 0 (1 = ¥1),
// USD/EUR/GBP 2 (1 = one cent/penny), BHD/KWD/OMR/TND/JOD/IQD/LYD 3 (1 = one
// fils). The table below is fixed at compile time (values from ISO 4217's
// "minor unit" column); an unknown code is an error, never a guess.
#ifndef PITBOSS_SRC_DOMAIN_CURRENCY_H_
#define PITBOSS_SRC_DOMAIN_CURRENCY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace pitboss {
namespace domain {

struct CurrencyInfo {
  absl::string_view code;  // ISO 4217 alphabetic code, upper case
  int minor_unit_digits;   // decimals of the minor unit (0..3)
};

// Every currency pitboss knows, sorted by code.
absl::Span<const CurrencyInfo> KnownCurrencies();

// The currency with this exact (upper-case) code. An unknown or empty code is
// INVALID_ARGUMENT naming `field`, e.g.
// `event.deposit_requested.amount.currency: unknown currency "XYZ"`.
absl::StatusOr<CurrencyInfo> LookupCurrency(absl::string_view code,
                                            absl::string_view field);

bool IsKnownCurrency(absl::string_view code);

// 10^digits: how many minor units make one major unit (JPY 1, USD 100, BHD 1000).
int64_t MinorUnitsPerMajor(const CurrencyInfo& currency);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_CURRENCY_H_
