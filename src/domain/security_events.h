// Applying the account's security and profile events: contact and password
// changes, password-reset requests, logins, factor enrolment and verification,
// KYC documents and results, security reports, and the device an event came
// from. The payment and responsible-gambling events live in ledger_events.h;
// support calls in support_call.h.
//
// Each Apply* is one applied change (account_change.h): on error the account is
// untouched and the status names the field. Whether the event is *allowed*
// (assurance level, channel, role) is decided before by the engine; these
// functions only record what happened, and keep what follows from it in step:
//
//   - Lockout: the RESTRICTION_KIND_LOGIN_LOCKOUT restriction and the account
//     status follow the lock (lockout.h). A login that starts or extends a
//     timed lock opens (or moves the end of) the restriction, until the lock's
//     end; a hard lock has no end; an ACTIVE account becomes RESTRICTED. Once
//     the lock is over (expired, or cleared) the restriction is ended at `now`
//     and the status recomputed from the restrictions still in force
//     (SECURITY_HOLD: SUSPENDED; any other: RESTRICTED; none: ACTIVE).
//     SELF_EXCLUDED and CLOSED are never changed here.
//   - A successful possession-factor verification (EMAIL_LINK, SMS_OTP, TOTP,
//     APP_APPROVAL), not over the phone, confirms the device it came from:
//     Device.trusted.
//   - A password change that completes a reset through a possession factor
//     clears the lockout, the hard lock included (NIST SP 800-63B 5.2.2): the
//     reset was requested (security.password_reset_requested_at) at most
//     kResetRequestValidity (24 h, a reset link's life) before the change, and
//     a successful EMAIL_LINK / SMS_OTP / TOTP / APP_APPROVAL verification, not
//     over the phone, was made from kResetVerificationLead (1 h: the reset
//     request's own freshness requirement) before the request up to the change.
//   - A KYC result that brings the account to
//     SecurityEventOptions::withdrawal_min_kyc_level releases every withdrawal
//     waiting in PENDING_VERIFICATION for KYC documents (hold_reason
//     KYC_DOCUMENTS_REQUIRED) to PENDING_REVIEW, the next step of the
//     withdrawal path (hold_reason KYC_DOCUMENTS_VERIFIED), where a payments
//     officer approves it. Not straight to APPROVED: the request may have been
//     held for more than the documents (a step-up after a contact change), and
//     only the first reason is kept on the withdrawal.
#ifndef PITBOSS_SRC_DOMAIN_SECURITY_EVENTS_H_
#define PITBOSS_SRC_DOMAIN_SECURITY_EVENTS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
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
  // The KYC level withdrawals wait for (the policy's kyc.withdrawal_min_level).
  v1::KycLevel withdrawal_min_kyc_level = v1::KYC_LEVEL_DOCUMENTS_VERIFIED;
};

// The reset flow that clears a lockout (see the file comment).
inline constexpr absl::Duration kResetRequestValidity = absl::Hours(24);
inline constexpr absl::Duration kResetVerificationLead = absl::Hours(1);

// hold_reason of a withdrawal waiting for KYC documents, and of one released
// when they are verified.
inline constexpr absl::string_view kKycDocumentsRequired = "KYC_DOCUMENTS_REQUIRED";
inline constexpr absl::string_view kKycDocumentsVerified = "KYC_DOCUMENTS_VERIFIED";

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
