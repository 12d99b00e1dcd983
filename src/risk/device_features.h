// Device and geography features: is the event's device new to the account (its
// id is not among Account.devices), trusted, how old; the event's IP country
// and the device's last country against the account's country of residence.
//
// An event without a device id has has_device false and new_device false: a
// rule that wants a device must ask for `features.has_device`. Country codes
// are ISO 3166-1 alpha-2; "" means unknown and never mismatches.
//
// device_first_seen_recently is the device signal rules should use for account
// takeover: new_device is true only for the very first event from a device,
// and a real takeover logs in first (which registers the device), then changes
// the contact, then withdraws. So "recent" = new, or first seen less than
// FeatureOptions::recent_device_window ago; the account's first device (the
// earliest first_seen_at) never counts, it is the one the owner opened or first
// used the account from.
#ifndef PITBOSS_SRC_RISK_DEVICE_FEATURES_H_
#define PITBOSS_SRC_RISK_DEVICE_FEATURES_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/features.pb.h"
#include "src/risk/features.h"

namespace pitboss {
namespace risk {

// INVALID_ARGUMENT naming the field for a malformed country code
// (event.ip_country, account.profile.country, the matched device's
// last_ip_country), an over-long device id or an invalid first_seen_at.
absl::Status AddDeviceFeatures(const v1::Account& account, const v1::Event& event,
                               absl::Time now, const FeatureOptions& options,
                               v1::Features* features);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_DEVICE_FEATURES_H_
