// Time since security-relevant changes (see security_timing_features.h).
#include "src/risk/security_timing_features.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/duration.pb.h"

#include "src/common/status_macros.h"
#include "src/risk/internal/feature_util.h"

namespace pitboss {
namespace risk {
namespace {

using risk_internal::ReadTime;
using risk_internal::SecondsSince;

// Within `cooldown` of `at` (a change that happened; a time after `now` counts
// as just now).
bool WithinCooldown(absl::Time at, absl::Duration cooldown, absl::Time now) {
  if (at == absl::InfinitePast() || cooldown <= absl::ZeroDuration()) return false;
  return at >= now || now - at < cooldown;
}

// A policy duration: unset/zero -> `fallback`; negative or out of the
// Duration range -> INVALID_ARGUMENT naming `field`.
absl::StatusOr<absl::Duration> PolicyDuration(const google::protobuf::Duration& duration,
                                              absl::Duration fallback,
                                              absl::string_view field) {
  if (duration.seconds() < 0 || duration.nanos() < 0 || duration.nanos() >= 1000000000 ||
      duration.seconds() > 315576000000) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be a non-negative duration"));
  }
  if (duration.seconds() == 0 && duration.nanos() == 0) return fallback;
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

}  // namespace

absl::Status ApplyPolicyTimings(const v1::Policy& policy, FeatureOptions* options) {
  if (options == nullptr) return absl::InvalidArgumentError("options: is null");
  const v1::SecurityPolicy& security = policy.security();
  PITBOSS_ASSIGN_OR_RETURN(
      const absl::Duration contact,
      PolicyDuration(security.withdrawal_hold_after_contact_change(), kDefaultChangeCooldown,
                     "security.withdrawal_hold_after_contact_change"));
  PITBOSS_ASSIGN_OR_RETURN(
      const absl::Duration password,
      PolicyDuration(security.withdrawal_hold_after_password_change(), kDefaultChangeCooldown,
                     "security.withdrawal_hold_after_password_change"));
  PITBOSS_ASSIGN_OR_RETURN(
      const absl::Duration window,
      PolicyDuration(security.recent_device_window(), kDefaultRecentDeviceWindow,
                     "security.recent_device_window"));
  options->contact_change_cooldown = contact;
  options->password_change_cooldown = password;
  options->recent_device_window = window;
  return absl::OkStatus();
}

absl::Status AddSecurityTimingFeatures(const v1::Account& account, absl::Time now,
                                       const FeatureOptions& options,
                                       v1::Features* features) {
  const v1::Security& security = account.security();
  PITBOSS_ASSIGN_OR_RETURN(
      absl::Time email, ReadTime(security.email_changed_at(),
                                 "account.security.email_changed_at"));
  PITBOSS_ASSIGN_OR_RETURN(
      absl::Time phone, ReadTime(security.phone_changed_at(),
                                 "account.security.phone_changed_at"));
  PITBOSS_ASSIGN_OR_RETURN(
      absl::Time password, ReadTime(security.password_changed_at(),
                                    "account.security.password_changed_at"));
  PITBOSS_ASSIGN_OR_RETURN(
      absl::Time address, ReadTime(security.address_changed_at(),
                                   "account.security.address_changed_at"));
  PITBOSS_ASSIGN_OR_RETURN(
      absl::Time reset, ReadTime(security.password_reset_requested_at(),
                                 "account.security.password_reset_requested_at"));
  PITBOSS_ASSIGN_OR_RETURN(
      absl::Time login, ReadTime(security.last_login_at(), "account.security.last_login_at"));
  PITBOSS_ASSIGN_OR_RETURN(
      absl::Time report, ReadTime(security.last_security_report_at(),
                                  "account.security.last_security_report_at"));
  const absl::Time contact = std::max(email, phone);
  const absl::Time never = absl::InfinitePast();
  // The sign-up password is not a change (accounts opened before the domain
  // stopped stamping it still carry password_changed_at == created_at).
  PITBOSS_ASSIGN_OR_RETURN(const absl::Time created,
                           ReadTime(account.created_at(), "account.created_at"));
  if (password != never && created != never && password <= created) password = never;

  features->set_email_ever_changed(email != never);
  features->set_seconds_since_email_change(SecondsSince(email, now));
  features->set_phone_ever_changed(phone != never);
  features->set_seconds_since_phone_change(SecondsSince(phone, now));
  features->set_password_ever_changed(password != never);
  features->set_seconds_since_password_change(SecondsSince(password, now));
  features->set_address_ever_changed(address != never);
  features->set_seconds_since_address_change(SecondsSince(address, now));
  features->set_contact_ever_changed(contact != never);
  features->set_seconds_since_contact_change(SecondsSince(contact, now));
  features->set_contact_change_cooldown_active(
      WithinCooldown(contact, options.contact_change_cooldown, now));
  features->set_password_change_cooldown_active(
      WithinCooldown(password, options.password_change_cooldown, now));
  features->set_password_reset_ever_requested(reset != never);
  features->set_seconds_since_password_reset_request(SecondsSince(reset, now));
  features->set_ever_logged_in(login != never);
  features->set_seconds_since_last_login(SecondsSince(login, now));
  features->set_security_report_ever_made(report != never);
  features->set_seconds_since_security_report(SecondsSince(report, now));
  return absl::OkStatus();
}

}  // namespace risk
}  // namespace pitboss
