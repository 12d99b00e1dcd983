// The ISO 4217 table (code -> decimals of the minor unit) and its lookup.
#include "src/domain/currency.h"

#include <algorithm>
#include <array>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pitboss {
namespace domain {
namespace {

// Sorted by code (a test checks the order). Minor-unit digits per ISO 4217.
constexpr std::array<CurrencyInfo, 52> kCurrencies = {{
    {"AED", 2}, {"ARS", 2}, {"AUD", 2}, {"BGN", 2}, {"BHD", 3}, {"BRL", 2},
    {"CAD", 2}, {"CHF", 2}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CZK", 2},
    {"DKK", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"HUF", 2}, {"IDR", 2},
    {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0},
    {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"MXN", 2}, {"MYR", 2}, {"NOK", 2},
    {"NZD", 2}, {"OMR", 3}, {"PHP", 2}, {"PLN", 2}, {"PYG", 0}, {"RON", 2},
    {"RUB", 2}, {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"THB", 2}, {"TND", 3},
    {"TRY", 2}, {"TWD", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"VND", 0},
    {"XAF", 0}, {"XOF", 0}, {"ZAR", 2}, {"ZMW", 2},
}};

}  // namespace

absl::Span<const CurrencyInfo> KnownCurrencies() { return kCurrencies; }

absl::StatusOr<CurrencyInfo> LookupCurrency(absl::string_view code,
                                            absl::string_view field) {
  auto it = std::lower_bound(
      kCurrencies.begin(), kCurrencies.end(), code,
      [](const CurrencyInfo& info, absl::string_view c) { return info.code < c; });
  if (it == kCurrencies.end() || it->code != code) {
    if (code.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": currency is missing"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unknown currency \"", code, "\""));
  }
  return *it;
}

bool IsKnownCurrency(absl::string_view code) {
  return LookupCurrency(code, "currency").ok();
}

int64_t MinorUnitsPerMajor(const CurrencyInfo& currency) {
  int64_t factor = 1;
  for (int i = 0; i < currency.minor_unit_digits; ++i) factor *= 10;
  return factor;
}

}  // namespace domain
}  // namespace pitboss
