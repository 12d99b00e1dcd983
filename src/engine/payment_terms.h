// Payment terms: the policy's payment method catalog applied to one deposit or
// withdrawal — which method covers the instrument, whether the amount is
// within the method's per-transaction and daily limits for the direction and
// currency, the fee, whether a step-up (3-D Secure or a fresh factor) is
// required, and the processing-time estimate.
//
// Method lookup: the first method (policy order) whose instrument_kind is the
// instrument's kind and, for cards, whose card_brands list the card's brand
// (an empty list accepts every brand).
//
// Step-up, per the currency's terms (PSD2 RTS art. 16 style):
//   - step_up_required and amount > step_up_above_minor_units, or
//   - step_up_cumulative_above_minor_units > 0 and
//     strong_auth.amount_since + amount > it, or
//   - step_up_after_payments > 0 and strong_auth.payments_since >= it (this
//     would be one payment more than allowed without strong authentication).
//
// Daily usage ("today" = the account's local calendar day,
// profile.utc_offset_minutes) counts the account's payments in the same
// direction through instruments of the same method, created today and not
// refused or abandoned: deposits INITIATED, AWAITING_AUTHENTICATION, PENDING or
// COMPLETED; withdrawals in any state but REJECTED, CANCELLED, FAILED and
// RETURNED.
//
// A refusal is data (PaymentQuote::allowed false + a code); errors are for bad
// input only. Immutable and thread-safe after Create.
#ifndef PITBOSS_SRC_ENGINE_PAYMENT_TERMS_H_
#define PITBOSS_SRC_ENGINE_PAYMENT_TERMS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/policy.pb.h"
#include "src/domain/fees.h"
#include "src/engine/decision_combiner.h"

namespace pitboss {
namespace engine {

struct PaymentQuote {
  // The method that covers the instrument ("" when none does).
  std::string method_id;
  v1::PaymentDirection direction = v1::PAYMENT_DIRECTION_UNSPECIFIED;
  bool allowed = false;
  // When not allowed: NO_PAYMENT_METHOD, DIRECTION_DISABLED,
  // CURRENCY_NOT_ACCEPTED, BELOW_MINIMUM, ABOVE_MAXIMUM, DAILY_MAXIMUM_REACHED.
  std::string refusal_code;
  std::string refusal_message;
  // When allowed.
  v1::Money fee;
  v1::Money net_amount;
  bool step_up_required = false;
  v1::StepUpMethod step_up_method = v1::STEP_UP_METHOD_UNSPECIFIED;
  std::vector<v1::FactorKind> step_up_factor_kinds;
  // Why a step-up is required, for the reason message.
  std::string step_up_reason;
  absl::Duration processing_time_min = absl::ZeroDuration();
  absl::Duration processing_time_max = absl::ZeroDuration();
};

class PaymentCatalog {
 public:
  // Keeps a copy of the policy's payment methods. INVALID_ARGUMENT when the
  // policy's payment methods have problems (policy_validator.h).
  static absl::StatusOr<PaymentCatalog> Create(const v1::Policy& policy);

  // The method covering `instrument`, or nullptr.
  const v1::PaymentMethod* FindMethod(const v1::PaymentInstrument& instrument) const;

  // The fee schedule of the method covering `instrument` in `direction` for
  // `currency`; no fee when the catalog has no such terms.
  domain::FeeSchedule FeeScheduleFor(const v1::PaymentInstrument& instrument,
                                     v1::PaymentDirection direction,
                                     const std::string& currency) const;

  // Applies the terms to a payment of `amount` (positive, known currency)
  // through `instrument` in `direction`. `used_today_minor_units` is what the
  // account already moved today through this method in this direction
  // (UsedToday). Errors name "amount" / "strong_auth.amount_since".
  absl::StatusOr<PaymentQuote> Quote(const v1::PaymentInstrument& instrument,
                                     v1::PaymentDirection direction, const v1::Money& amount,
                                     int64_t used_today_minor_units,
                                     const v1::StrongAuthTracker& strong_auth) const;

  // The account's usage today (see the file comment) through `method_id` in
  // `direction`, in minor units of the account's currency. Errors name the
  // account field.
  absl::StatusOr<int64_t> UsedToday(const v1::Account& account, absl::string_view method_id,
                                    v1::PaymentDirection direction, absl::Time now) const;

 private:
  explicit PaymentCatalog(std::vector<v1::PaymentMethod> methods)
      : methods_(std::move(methods)) {}

  std::vector<v1::PaymentMethod> methods_;
};

// The DOMAIN finding for a quote: DENY with the refusal code when refused;
// CHALLENGE with the step-up factor kinds when a FACTOR step-up is required;
// nothing otherwise (3-D Secure is a deposit state, AWAITING_AUTHENTICATION,
// not a decision outcome).
std::vector<Finding> PaymentFindings(const PaymentQuote& quote);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_PAYMENT_TERMS_H_
