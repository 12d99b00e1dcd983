// Fraud features: ComputeFeatures(Account, Event, now, options) -> v1::Features,
// the numbers and flags the policy's CEL rules read as `features.*`.
//
// Pure and deterministic: no clock (now is an input), no globals written, no
// I/O; the same input gives the same message (and the same serialized bytes).
// The account and event are read, never changed. Each feature family lives in
// its own file (velocity_features.h, security_timing_features.h,
// device_features.h, name_match_features.h, payment_features.h,
// wagering_features.h, support_call_features.h); this file joins them.
// docs/features.md documents every field with an example rule.
//
// Bad input (an unknown enum value, a malformed country code or timestamp, an
// amount in the wrong currency, an id the account does not hold, a name ICU
// cannot read) is an error whose message starts with the field path
// ("event.withdrawal_requested.instrument_id: ..."); no partial result.
//
// risk uses domain and knows nothing of CEL or the engine: the engine maps its
// policy onto FeatureOptions once and calls ComputeFeatures per event.
#ifndef PITBOSS_SRC_RISK_FEATURES_H_
#define PITBOSS_SRC_RISK_FEATURES_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/features.pb.h"
#include "src/domain/name_match.h"

namespace pitboss {
namespace risk {

// "Seconds since X" when X never happened (see features.proto).
inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// An integer exchange rate into the reference currency: `per_minor_units`
// minor units of `currency` are worth `reference_minor_units` minor units of
// the reference currency. E.g. JPY -> EUR at 1 EUR = 160 JPY: 1 yen is
// 100/160 cents, so {currency "JPY", reference_minor_units 5, per_minor_units 8}.
// Conversions round half-up (away from zero for the half), computed exactly.
struct CurrencyRate {
  std::string currency;  // ISO 4217
  int64_t reference_minor_units = 0;
  int64_t per_minor_units = 0;
};

// Feature families, for FeatureOptions::families. A family left out is not
// computed (its fields keep their zero values) and its inputs are not checked.
enum FeatureFamily : uint32_t {
  kEventAndAccountFeatures = 1u << 0,  // channel, amount, account age, KYC
  kVelocityFeatures = 1u << 1,         // velocity windows and login/OTP bursts
  kSecurityTimingFeatures = 1u << 2,   // seconds since contact/password changes
  kDeviceFeatures = 1u << 3,           // new device, device/IP country
  kNameMatchFeatures = 1u << 4,        // instrument holder name vs account
  kPaymentFeatures = 1u << 5,          // closed loop, withdrawal vs history
  kWageringFeatures = 1u << 6,         // wagering vs deposits
  kSupportCallFeatures = 1u << 7,      // call flags
};
inline constexpr uint32_t kAllFeatureFamilies = (1u << 8) - 1;

// DESIGN.md's reference numbers: withdrawals wait 48 h after a contact or
// password change; a device is "recent" for 7 days after it is first seen.
inline constexpr absl::Duration kDefaultChangeCooldown = absl::Hours(48);
inline constexpr absl::Duration kDefaultRecentDeviceWindow = absl::Hours(24 * 7);

struct FeatureOptions {
  // Needed by kNameMatchFeatures (ICU data, loaded once; immutable and
  // thread-safe, so one matcher is shared by every call).
  std::shared_ptr<const domain::NameMatcher> name_matcher;
  // The currency the policy states cross-currency thresholds in ("" = none),
  // and the rates into it. The reference currency itself needs no rate.
  std::string reference_currency;
  std::vector<CurrencyRate> rates;
  // Bit set of FeatureFamily values to compute.
  uint32_t families = kAllFeatureFamilies;
  // The policy's security timings (ApplyPolicyTimings in
  // security_timing_features.h fills them from Policy.security): the
  // withdrawal cool-downs after an e-mail/phone change and after a password
  // change (features.contact_change_cooldown_active,
  // password_change_cooldown_active), and how long a device counts as recently
  // first seen (features.device_first_seen_recently). A zero or negative
  // duration makes the matching flag always false.
  absl::Duration contact_change_cooldown = kDefaultChangeCooldown;
  absl::Duration password_change_cooldown = kDefaultChangeCooldown;
  absl::Duration recent_device_window = kDefaultRecentDeviceWindow;
};

// Options with a freshly loaded name matcher, no reference currency and every
// family. INTERNAL only if the ICU data is missing.
absl::StatusOr<FeatureOptions> DefaultFeatureOptions();

// The reference currency and every rate's currency are known ISO 4217 codes,
// rates are positive and unique per currency, `families` holds only known
// bits, and the name matcher is set when kNameMatchFeatures is asked for.
// INVALID_ARGUMENT naming the option ("options.rates[2].per_minor_units: ...").
// ComputeFeatures checks only what it uses; call this once when building an
// engine.
absl::Status ValidateFeatureOptions(const FeatureOptions& options);

// The features of `event` on `account` at `now` (finite). See the file comment
// for errors.
absl::StatusOr<v1::Features> ComputeFeatures(const v1::Account& account,
                                             const v1::Event& event, absl::Time now,
                                             const FeatureOptions& options);

// ComputeFeatures into `*features` (cleared first), e.g. a message on the
// caller's arena so that its sub-messages are not heap allocations. On error
// `*features` is unspecified.
absl::Status ComputeFeaturesInto(const v1::Account& account, const v1::Event& event,
                                 absl::Time now, const FeatureOptions& options,
                                 v1::Features* features);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_FEATURES_H_
