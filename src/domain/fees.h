// Fees: a fixed part plus basis points of the amount, rounded half-up in the
// currency's minor unit, computed exactly with integers.
//
//   fee = clamp(fixed + round_half_up(amount * basis_points / 10000), min, max)
//
// The proportional part is computed with 128-bit intermediates, so no amount
// representable in int64 overflows and no floating point is involved. Half-up:
// a remainder of exactly half a minor unit rounds away from zero (amounts are
// positive), e.g. JPY 150 at 1% = 1.5 -> ¥2; USD 0.50 at 1% = 0.5 cent -> 1 cent;
// BHD 0.050 at 1% = 0.5 fils -> 1 fils; anything below half rounds down.
//
// A FeeSchedule is expressed in the currency of the amount it applies to (the
// policy keeps one schedule per method and currency). Deposits credit
// amount - fee; withdrawals pay out amount - fee. The fee must leave a
// positive net amount.
#ifndef PITBOSS_SRC_DOMAIN_FEES_H_
#define PITBOSS_SRC_DOMAIN_FEES_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pitboss/v1/account.pb.h"

namespace pitboss {
namespace domain {

inline constexpr int64_t kBasisPointsPerWhole = 10000;

struct FeeSchedule {
  // Added to every payment, in minor units of the payment's currency.
  int64_t fixed_minor_units = 0;
  // Proportional part: 1 basis point = 0.01 %. 0..10000.
  int64_t basis_points = 0;
  // The fee is never below this (0: no floor).
  int64_t minimum_minor_units = 0;
  // The fee is never above this (0: no cap).
  int64_t maximum_minor_units = 0;
};

// Non-negative parts, basis points <= 10000, and minimum <= maximum when both
// are set. Errors name `field` ("policy.fees.deposit.basis_points: ...").
absl::Status ValidateFeeSchedule(const FeeSchedule& schedule, absl::string_view field);

// round_half_up(amount * basis_points / 10000) for amount >= 0 and
// 0 <= basis_points <= 10000. Exact for every int64 amount.
absl::StatusOr<int64_t> ProportionalFeeHalfUp(int64_t amount_minor_units,
                                              int64_t basis_points,
                                              absl::string_view field);

// The fee for a positive `amount` (validated: known currency, > 0), in the
// amount's currency.
absl::StatusOr<v1::Money> ComputeFee(const v1::Money& amount,
                                     const FeeSchedule& schedule,
                                     absl::string_view field);

// amount - fee; FAILED_PRECONDITION when the fee eats the whole amount
// ("event.withdrawal_requested.amount: 100 JPY does not cover the fee 150 JPY").
absl::StatusOr<v1::Money> NetOfFee(const v1::Money& amount, const v1::Money& fee,
                                   absl::string_view field);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_FEES_H_
