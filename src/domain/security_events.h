// Applying the account's security and profile events: contact and password
// changes, password-reset requests, logins, factor enrolment and verification,
// KYC documents and results, security reports, and the device an event came
// from. The payment and responsible-gambling events live in ledger_events.h;
// support calls in support_call.h.
//
// Each Apply* is one applied change (account_change.h): on error the account is
// untouched and the status names the field. Whether the event is *allowed*
// (assurance level, channel, role) is decided before by the engine; these
// functions only record what happened.
#ifndef PITBOSS_SRC_DOMAIN_SECURITY_EVENTS_H_
#define PITBOSS_SRC_DOMAIN_SECURITY_EVENTS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/lockout.h"

namespace pitboss {
namespace domain {

// Successful verifications kept on the account (oldest dropped first): enough
// for every assurance window, bounded so the account stays small.
inline constexpr size_t kMaxKeptVerifications = 32;
// Known devices kept (least recently seen dropped first).
inline constexpr size_t kMaxKeptDevices = 64;

struct SecurityEventOptions {
  LockoutOptions lockout;
};

// True for the kinds this file applies: contact_change, password_change,
// password_reset_request, login_attempt, factor_enrolled, factor_verification,
// kyc_document_submitted, kyc_result, security_report.
bool IsSecurityEvent(const v1::Event& event);

// Applies one of the kinds above. INVALID_ARGUMENT naming `event.<kind>` for
// any other kind or bad content.
absl::Status ApplySecurityEvent(v1::Account* account, const v1::Event& event,
                                const SecurityEventOptions& options, absl::Time now);

// The outcome of a login attempt without applying it (the engine reports it).
absl::StatusOr<LoginAttemptResult> PreviewLoginAttempt(const v1::Account& account,
                                                       const v1::Event& event,
                                                       const LockoutOptions& options,
                                                       absl::Time now);

// Adds or refreshes event.device in account.devices (first/last seen, platform,
// IP country) in place, on a draft inside an account change. No-op without a
// device id.
absl::Status RecordDeviceSeen(v1::Account& draft, const v1::Event& event, absl::Time now);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_SECURITY_EVENTS_H_
