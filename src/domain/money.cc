// Checked money arithmetic over pitboss::v1::Money (see money.h).
#include "src/domain/money.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/currency.h"

namespace pitboss {
namespace domain {
namespace {

absl::Status Overflow(absl::string_view field) {
  return absl::OutOfRangeError(absl::StrCat(field, ": arithmetic overflow"));
}

absl::Status Mismatch(absl::string_view field, absl::string_view a,
                      absl::string_view b) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": currency mismatch: ", a, " vs ", b));
}

// The common currency of a and b, treating an unset Money as "any".
absl::StatusOr<std::string> CommonCurrency(const v1::Money& a, const v1::Money& b,
                                           absl::string_view field) {
  if (IsUnsetMoney(a)) {
    PITBOSS_RETURN_IF_ERROR(ValidateMoney(b, field));
    return b.currency();
  }
  if (IsUnsetMoney(b)) {
    PITBOSS_RETURN_IF_ERROR(ValidateMoney(a, field));
    return a.currency();
  }
  PITBOSS_RETURN_IF_ERROR(ValidateMoney(a, field));
  PITBOSS_RETURN_IF_ERROR(ValidateMoney(b, field));
  if (a.currency() != b.currency()) return Mismatch(field, a.currency(), b.currency());
  return a.currency();
}

}  // namespace

absl::StatusOr<int64_t> CheckedAdd(int64_t a, int64_t b, absl::string_view field) {
  int64_t out;
  if (__builtin_add_overflow(a, b, &out)) return Overflow(field);
  return out;
}

absl::StatusOr<int64_t> CheckedSubtract(int64_t a, int64_t b,
                                        absl::string_view field) {
  int64_t out;
  if (__builtin_sub_overflow(a, b, &out)) return Overflow(field);
  return out;
}

absl::StatusOr<int64_t> CheckedMultiply(int64_t a, int64_t b,
                                        absl::string_view field) {
  int64_t out;
  if (__builtin_mul_overflow(a, b, &out)) return Overflow(field);
  return out;
}

v1::Money MakeMoney(int64_t minor_units, absl::string_view currency) {
  v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency(std::string(currency));
  return money;
}

bool IsUnsetMoney(const v1::Money& money) {
  return money.currency().empty() && money.minor_units() == 0;
}

absl::Status ValidateMoney(const v1::Money& money, absl::string_view field) {
  // The field path is built only for the error (this runs for most amounts
  // of most events, twice per checked addition): the lookup is deterministic.
  if (LookupCurrency(money.currency(), "").ok()) return absl::OkStatus();
  return LookupCurrency(money.currency(), absl::StrCat(field, ".currency")).status();
}

absl::Status ValidatePositiveMoney(const v1::Money& money, absl::string_view field) {
  PITBOSS_RETURN_IF_ERROR(ValidateMoney(money, field));
  if (money.minor_units() <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be positive (got ", money.minor_units(), " minor units)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateNonNegativeMoney(const v1::Money& money,
                                      absl::string_view field) {
  PITBOSS_RETURN_IF_ERROR(ValidateMoney(money, field));
  if (money.minor_units() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must not be negative (got ", money.minor_units(), " minor units)"));
  }
  return absl::OkStatus();
}

absl::Status CheckCurrency(const v1::Money& money, absl::string_view currency,
                           absl::string_view field) {
  if (IsUnsetMoney(money)) return absl::OkStatus();
  if (money.currency() != currency) return Mismatch(field, money.currency(), currency);
  return absl::OkStatus();
}

absl::StatusOr<v1::Money> AddMoney(const v1::Money& a, const v1::Money& b,
                                   absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(std::string currency, CommonCurrency(a, b, field));
  PITBOSS_ASSIGN_OR_RETURN(int64_t sum, CheckedAdd(a.minor_units(), b.minor_units(), field));
  return MakeMoney(sum, currency);
}

absl::StatusOr<v1::Money> SubtractMoney(const v1::Money& a, const v1::Money& b,
                                        absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(std::string currency, CommonCurrency(a, b, field));
  PITBOSS_ASSIGN_OR_RETURN(int64_t diff,
                           CheckedSubtract(a.minor_units(), b.minor_units(), field));
  return MakeMoney(diff, currency);
}

absl::Status AddToMoney(v1::Money* target, const v1::Money& delta,
                        absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(v1::Money sum, AddMoney(*target, delta, field));
  *target = std::move(sum);
  return absl::OkStatus();
}

absl::Status SubtractFromMoney(v1::Money* target, const v1::Money& delta,
                               absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(v1::Money diff, SubtractMoney(*target, delta, field));
  *target = std::move(diff);
  return absl::OkStatus();
}

absl::StatusOr<int> CompareMoney(const v1::Money& a, const v1::Money& b,
                                 absl::string_view field) {
  PITBOSS_RETURN_IF_ERROR(CommonCurrency(a, b, field).status());
  if (a.minor_units() < b.minor_units()) return -1;
  if (a.minor_units() > b.minor_units()) return 1;
  return 0;
}

std::string FormatMoney(const v1::Money& money) {
  absl::StatusOr<CurrencyInfo> info = LookupCurrency(money.currency(), "money");
  if (!info.ok() || info->minor_unit_digits == 0) {
    return absl::StrCat(money.minor_units(), " ", money.currency());
  }
  const int64_t per_major = MinorUnitsPerMajor(*info);
  const int64_t units = money.minor_units();
  // Work on the magnitude as unsigned so INT64_MIN prints correctly.
  const uint64_t magnitude =
      units < 0 ? uint64_t{0} - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string fraction = absl::StrCat(magnitude % static_cast<uint64_t>(per_major));
  fraction.insert(0, static_cast<size_t>(info->minor_unit_digits) - fraction.size(), '0');
  return absl::StrCat(units < 0 ? "-" : "", magnitude / static_cast<uint64_t>(per_major),
                      ".", fraction, " ", money.currency());
}

}  // namespace domain
}  // namespace pitboss
