// Security timing features: how long ago the e-mail, phone, password and
// address changed, a password reset was asked for, the last login and the last
// security report, from Account.security at `now`. "Never" is risk::kNever
// (int64 max) with the matching *_ever_* flag false, so `seconds_since_X < N`
// is false for something that never happened. The password set at sign-up
// (password_changed_at at or before account.created_at) is not a change.
//
// The cool-down flags compare with the policy's timings (FeatureOptions), so a
// rule written `features.contact_change_cooldown_active` follows the policy's
// security.withdrawal_hold_after_contact_change instead of a number in CEL.
#ifndef PITBOSS_SRC_RISK_SECURITY_TIMING_FEATURES_H_
#define PITBOSS_SRC_RISK_SECURITY_TIMING_FEATURES_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/features.pb.h"
#include "pitboss/v1/policy.pb.h"
#include "src/risk/features.h"

namespace pitboss {
namespace risk {

// INVALID_ARGUMENT naming the field for an invalid timestamp.
absl::Status AddSecurityTimingFeatures(const v1::Account& account, absl::Time now,
                                       const FeatureOptions& options,
                                       v1::Features* features);

// Copies the policy's security timings into `options`: withdrawal cool-downs
// after contact and password changes (security.withdrawal_hold_after_*) and
// security.recent_device_window. An unset (zero) duration keeps the default
// (48 h, 48 h, 7 days). A negative or malformed one is INVALID_ARGUMENT naming
// the policy field; `options` is then unchanged.
absl::Status ApplyPolicyTimings(const v1::Policy& policy, FeatureOptions* options);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_SECURITY_TIMING_FEATURES_H_
