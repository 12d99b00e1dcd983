// Event and account basics: the event's channel and amount (in the account's
// currency and, with the policy's integer rates, in its reference currency),
// the account's age and KYC level.
#ifndef PITBOSS_SRC_RISK_EVENT_ACCOUNT_FEATURES_H_
#define PITBOSS_SRC_RISK_EVENT_ACCOUNT_FEATURES_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/features.pb.h"
#include "src/risk/features.h"
#include "src/risk/internal/event_subject.h"

namespace pitboss {
namespace risk {

// amount * rate.reference_minor_units / rate.per_minor_units, rounded half-up
// (half away from zero), exact. INVALID_ARGUMENT naming `rate_field` for a
// non-positive rate; OUT_OF_RANGE when the result does not fit in int64.
absl::StatusOr<int64_t> ConvertToReference(int64_t amount_minor_units,
                                           const CurrencyRate& rate,
                                           absl::string_view rate_field);

// INVALID_ARGUMENT naming the field for an unknown channel or KYC level
// value or an invalid created_at; errors of ConvertToReference.
absl::Status AddEventAndAccountFeatures(const v1::Account& account, const v1::Event& event,
                                        const risk_internal::EventSubject& subject,
                                        absl::Time now, const FeatureOptions& options,
                                        v1::Features* features);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_EVENT_ACCOUNT_FEATURES_H_
