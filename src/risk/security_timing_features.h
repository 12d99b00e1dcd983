// Security timing features: how long ago the e-mail, phone, password and
// address changed, a password reset was asked for, the last login and the last
// security report, from Account.security at `now`. "Never" is risk::kNever
// (int64 max) with the matching *_ever_* flag false, so `seconds_since_X < N`
// is false for something that never happened.
#ifndef PITBOSS_SRC_RISK_SECURITY_TIMING_FEATURES_H_
#define PITBOSS_SRC_RISK_SECURITY_TIMING_FEATURES_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/features.pb.h"

namespace pitboss {
namespace risk {

// INVALID_ARGUMENT naming the field for an invalid timestamp.
absl::Status AddSecurityTimingFeatures(const v1::Account& account, absl::Time now,
                                       v1::Features* features);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_SECURITY_TIMING_FEATURES_H_
