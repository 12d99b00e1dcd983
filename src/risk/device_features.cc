// New device and country mismatches (see device_features.h).
#include "src/risk/device_features.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/risk/internal/feature_util.h"

namespace pitboss {
namespace risk {

namespace {

// Whether the known device `index` is not the account's first device: some
// other device was first seen strictly before it. Unset first_seen_at counts
// as the oldest.
absl::StatusOr<bool> SeenAfterAnotherDevice(const v1::Account& account, int index,
                                            absl::Time first_seen) {
  for (int i = 0; i < account.devices_size(); ++i) {
    if (i == index) continue;
    PITBOSS_ASSIGN_OR_RETURN(
        absl::Time other,
        risk_internal::ReadIndexedTime(account.devices(i).first_seen_at(), "account.devices",
                                       i, ".first_seen_at"));
    if (other < first_seen) return true;
  }
  return false;
}

}  // namespace

absl::Status AddDeviceFeatures(const v1::Account& account, const v1::Event& event,
                               absl::Time now, const FeatureOptions& options,
                               v1::Features* features) {
  const std::string& account_country = account.profile().country();
  const std::string& ip_country = event.ip_country();
  PITBOSS_RETURN_IF_ERROR(
      risk_internal::ValidateCountryCode(account_country, "account.profile.country"));
  PITBOSS_RETURN_IF_ERROR(risk_internal::ValidateCountryCode(ip_country, "event.ip_country"));
  features->set_account_country(account_country);
  features->set_ip_country(ip_country);
  features->set_ip_country_mismatch(!ip_country.empty() && !account_country.empty() &&
                                    ip_country != account_country);
  features->set_known_device_count(account.devices_size());

  const std::string& device_id = event.device().device_id();
  if (device_id.empty()) return absl::OkStatus();
  PITBOSS_RETURN_IF_ERROR(risk_internal::ValidateId(device_id, "event.device.device_id"));
  features->set_has_device(true);
  for (int i = 0; i < account.devices_size(); ++i) {
    const v1::Device& device = account.devices(i);
    if (device.device_id() != device_id) continue;
    // Paths only for an error (the checks are deterministic).
    if (!risk_internal::ValidateCountryCode(device.last_ip_country(), "").ok()) {
      return risk_internal::ValidateCountryCode(
          device.last_ip_country(), absl::StrCat("account.devices[", i, "].last_ip_country"));
    }
    PITBOSS_ASSIGN_OR_RETURN(absl::Time first_seen,
                             risk_internal::ReadIndexedTime(device.first_seen_at(),
                                                            "account.devices", i,
                                                            ".first_seen_at"));
    const std::string& device_country = device.last_ip_country();
    features->set_device_trusted(device.trusted());
    features->set_device_age_seconds(
        first_seen == absl::InfinitePast() ? 0 : risk_internal::SecondsSince(first_seen, now));
    features->set_device_country(device_country);
    features->set_device_country_mismatch(!device_country.empty() &&
                                          !account_country.empty() &&
                                          device_country != account_country);
    features->set_device_ip_country_changed(!device_country.empty() && !ip_country.empty() &&
                                            device_country != ip_country);
    if (first_seen != absl::InfinitePast() &&
        options.recent_device_window > absl::ZeroDuration() &&
        (first_seen >= now || now - first_seen < options.recent_device_window)) {
      PITBOSS_ASSIGN_OR_RETURN(const bool later,
                               SeenAfterAnotherDevice(account, i, first_seen));
      features->set_device_first_seen_recently(later);
    }
    return absl::OkStatus();
  }
  features->set_new_device(true);
  // First seen now; the account's first device ever is not "recent" (a zero
  // window makes nothing recent, a new device included).
  features->set_device_first_seen_recently(account.devices_size() > 0 &&
                                           options.recent_device_window > absl::ZeroDuration());
  return absl::OkStatus();
}

}  // namespace risk
}  // namespace pitboss
