// Time since security-relevant changes (see security_timing_features.h).
#include "src/risk/security_timing_features.h"

#include <algorithm>

#include "src/common/status_macros.h"
#include "src/risk/internal/feature_util.h"

namespace pitboss {
namespace risk {
namespace {

using risk_internal::ReadTime;
using risk_internal::SecondsSince;

}  // namespace

absl::Status AddSecurityTimingFeatures(const v1::Account& account, absl::Time now,
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
