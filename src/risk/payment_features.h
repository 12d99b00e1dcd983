// Payment features: the event's instrument (kind, new, age), the closed loop
// (a payout should go back to an instrument that deposited) and the size of a
// withdrawal against the account's history: the largest paid withdrawal kept
// on the account and the average completed deposit.
#ifndef PITBOSS_SRC_RISK_PAYMENT_FEATURES_H_
#define PITBOSS_SRC_RISK_PAYMENT_FEATURES_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/features.pb.h"
#include "src/risk/internal/event_subject.h"

namespace pitboss {
namespace risk {

// INVALID_ARGUMENT naming the field for an unknown instrument kind, an invalid
// added_at, a negative paid withdrawal amount, or negative deposit totals.
absl::Status AddPaymentFeatures(const v1::Account& account,
                                const risk_internal::EventSubject& subject, absl::Time now,
                                v1::Features* features);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_PAYMENT_FEATURES_H_
