// Exact fee computation (see fees.h).
#include "src/domain/fees.h"

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/money.h"

namespace pitboss {
namespace domain {

absl::Status ValidateFeeSchedule(const FeeSchedule& schedule, absl::string_view field) {
  if (schedule.fixed_minor_units < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".fixed_minor_units: must not be negative"));
  }
  if (schedule.basis_points < 0 || schedule.basis_points > kBasisPointsPerWhole) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".basis_points: must be in [0, 10000] (got ", schedule.basis_points, ")"));
  }
  if (schedule.minimum_minor_units < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".minimum_minor_units: must not be negative"));
  }
  if (schedule.maximum_minor_units < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".maximum_minor_units: must not be negative"));
  }
  if (schedule.maximum_minor_units > 0 &&
      schedule.minimum_minor_units > schedule.maximum_minor_units) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".minimum_minor_units: exceeds maximum_minor_units"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ProportionalFeeHalfUp(int64_t amount_minor_units,
                                              int64_t basis_points,
                                              absl::string_view field) {
  if (amount_minor_units < 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must not be negative"));
  }
  if (basis_points < 0 || basis_points > kBasisPointsPerWhole) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": basis points must be in [0, 10000]"));
  }
  // amount * bps < 2^63 * 2^14: fits in 128 bits. Adding half the divisor
  // before the (truncating, non-negative) division rounds half up.
  const absl::int128 product =
      absl::int128(amount_minor_units) * absl::int128(basis_points);
  const absl::int128 rounded =
      (product + kBasisPointsPerWhole / 2) / kBasisPointsPerWhole;
  // rounded <= amount because basis_points <= 10000, so it fits in int64.
  return static_cast<int64_t>(rounded);
}

absl::StatusOr<v1::Money> ComputeFee(const v1::Money& amount,
                                     const FeeSchedule& schedule,
                                     absl::string_view field) {
  PITBOSS_RETURN_IF_ERROR(ValidatePositiveMoney(amount, field));
  PITBOSS_RETURN_IF_ERROR(ValidateFeeSchedule(schedule, "fee_schedule"));
  PITBOSS_ASSIGN_OR_RETURN(
      int64_t proportional,
      ProportionalFeeHalfUp(amount.minor_units(), schedule.basis_points, field));
  PITBOSS_ASSIGN_OR_RETURN(int64_t fee,
                           CheckedAdd(schedule.fixed_minor_units, proportional,
                                      absl::StrCat(field, " fee")));
  if (fee < schedule.minimum_minor_units) fee = schedule.minimum_minor_units;
  if (schedule.maximum_minor_units > 0 && fee > schedule.maximum_minor_units) {
    fee = schedule.maximum_minor_units;
  }
  return MakeMoney(fee, amount.currency());
}

absl::StatusOr<v1::Money> NetOfFee(const v1::Money& amount, const v1::Money& fee,
                                   absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(v1::Money net, SubtractMoney(amount, fee, field));
  if (net.minor_units() <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": ", FormatMoney(amount), " does not cover the fee ", FormatMoney(fee)));
  }
  return net;
}

}  // namespace domain
}  // namespace pitboss
