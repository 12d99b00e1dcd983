// Velocity features: counts and sums of the account's recorded events over
// 1 h / 24 h / 7 d / 30 d (deposits, withdrawals, wagers, failed logins and
// verifications, contact changes, ...) and the failed login / OTP bursts over
// 15 min and 1 h, read from Account.velocity with the domain's velocity API at
// `now`. Only events already recorded count: the current event is not in them.
#ifndef PITBOSS_SRC_RISK_VELOCITY_FEATURES_H_
#define PITBOSS_SRC_RISK_VELOCITY_FEATURES_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/features.pb.h"

namespace pitboss {
namespace risk {

// Sets features->velocity, the *_failures_15m / *_failures_1h bursts and the
// consecutive failure counters. INVALID_ARGUMENT naming the field for negative
// consecutive counters.
absl::Status AddVelocityFeatures(const v1::Account& account, absl::Time now,
                                 v1::Features* features);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_VELOCITY_FEATURES_H_
