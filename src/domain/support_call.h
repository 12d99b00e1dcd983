// Support calls: what an agent may disclose and do for a caller, and when the
// call goes to the security team instead.
//
// For a SupportCall or SupportActionRequest event the caller's claims are
// checked (caller_claims.h) to give a disclosure tier, the tier is capped by
// what the agent noticed, and the actions allowed are those of the tier AND of
// the agent's role (agent_roles.h).
//
// Tier -> support actions (kTierActions):
//
//   tier       actions
//   NONE       (none: general information only, nothing about the account)
//   BASIC      CONFIRM_WITHDRAWAL_STATUS, RESET_PASSWORD (link or app only)
//   STANDARD   BASIC + DISCLOSE_BALANCE, LIFT_RESTRICTION, CHANGE_CONTACT,
//              APPROVE_WITHDRAWAL, EXPEDITE_WITHDRAWAL
//   (DISCLOSE_PERSONAL_DATA is in no tier: the agent never reads out
//   registered data; the caller states it and the agent confirms.)
//
// Caps: CALL_FLAG_THIRD_PARTY -> NONE (nothing is disclosed to someone else);
// CALL_FLAG_CALLER_ID_MISMATCH, or a caller_number that is not the registered
// phone -> at most BASIC.
//
// Escalation to security (with a case number "SEC-<event_id>"): urgency
// pressure, a request to disclose personal data (flag or action), a reported
// compromise (flag, or a SecurityReport event), contact change plus withdrawal
// in one call, inconsistent answers, a wrong name or date of birth, or an
// account under security hold (SUSPENDED). Once escalated, an agent who is not
// a security officer may do nothing more on the call.
//
// Per action, on top of tier and role:
//   CONFIRM_WITHDRAWAL_STATUS, APPROVE_WITHDRAWAL, EXPEDITE_WITHDRAWAL need an
//     existing withdrawal_id; APPROVE only a withdrawal held in PENDING_REVIEW;
//     EXPEDITE only one in PENDING_REVIEW or APPROVED.
//   LIFT_RESTRICTION needs an active restriction of that kind that the role
//     may lift.
//   RESET_PASSWORD is only ever sent as an EMAIL_LINK or APP_APPROVAL the
//     account can receive; AGENT_ASSISTED, SMS_OTP or no method is refused:
//     never reset a password by phone.
//   CHANGE_CONTACT also needs the CONTACT_CHANGE requirement
//     (action_requirements.h): L2 from verifications not made over the phone,
//     at most 1 h old — the check's options say which factors to challenge.
//   A CLOSED account allows nothing.
//
// Pure: `now` is an input; the account and event are const. Bad input is
// INVALID_ARGUMENT (NOT_FOUND for an unknown withdrawal) naming the field.
#ifndef PITBOSS_SRC_DOMAIN_SUPPORT_CALL_H_
#define PITBOSS_SRC_DOMAIN_SUPPORT_CALL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/action_requirements.h"
#include "src/domain/assurance.h"
#include "src/domain/caller_claims.h"
#include "src/domain/name_match.h"

namespace pitboss {
namespace domain {

struct TierActions {
  v1::DisclosureTier tier;
  std::vector<v1::SupportAction> actions;
};

// The table above, NONE, BASIC, STANDARD.
absl::Span<const TierActions> TierActionTable();
std::vector<v1::SupportAction> ActionsForTier(v1::DisclosureTier tier);

struct SupportOptions {
  ClaimsOptions claims;
  AssuranceOptions assurance;
  std::vector<ActionRequirement> requirements = DefaultActionRequirements();
};

struct SupportVerdict {
  ClaimsCheck claims;
  // The tier after the caps.
  v1::DisclosureTier tier = v1::DISCLOSURE_TIER_NONE;
  // Tier actions the agent's role may perform now, in table order.
  std::vector<v1::SupportAction> allowed_actions;

  // For a SupportActionRequest: the action, whether it may be done, and why
  // not (empty when allowed).
  v1::SupportAction requested_action = v1::SUPPORT_ACTION_UNSPECIFIED;
  bool requested_allowed = false;
  std::vector<std::string> refusals;
  // CHANGE_CONTACT: the contact-change requirement check (what to challenge).
  std::optional<RequirementCheck> requirement;
  // RESET_PASSWORD: the routes the account can receive a reset on.
  std::vector<v1::PasswordResetMethod> reset_routes;

  bool escalate_to_security = false;
  // Codes: URGENCY_PRESSURE, ASKED_TO_DISCLOSE_PERSONAL_DATA,
  // REPORTS_COMPROMISE, CONTACT_CHANGE_AND_WITHDRAWAL, INCONSISTENT_ANSWERS,
  // CLAIMS_CONTRADICT_ACCOUNT, ACCOUNT_SUSPENDED, SECURITY_REPORT.
  std::vector<std::string> escalation_reasons;
  // The case to open when escalating: id "SEC-<event_id>", kind SECURITY,
  // status ESCALATED, opened at `now`, subject the call id (or event id).
  std::optional<v1::Case> security_case;
};

// Evaluates a support_call, support_action_request or security_report event
// against the account at `now`. Any other event kind is INVALID_ARGUMENT
// ("event.kind: ..."). Support events need event.agent with a role.
absl::StatusOr<SupportVerdict> EvaluateSupportEvent(const v1::Account& account,
                                                    const v1::Event& event,
                                                    const NameMatcher& matcher,
                                                    absl::Time now,
                                                    const SupportOptions& options);

// Opens the verdict's security case on the account (one applied change:
// version + 1, updated_at = now; a security report also sets
// security.last_security_report_at). FAILED_PRECONDITION when the verdict has
// no case; ALREADY_EXISTS when a case with that id is on the account. The
// account is unchanged on error.
absl::Status OpenSecurityCase(const SupportVerdict& verdict, bool security_report,
                              absl::Time now, v1::Account* account);

// Applies the effect of a support action that `verdict` (from
// EvaluateSupportEvent on this account and event) allowed. One applied change
// (version + 1, updated_at = now); returns whether the account changed.
//   LIFT_RESTRICTION      active restrictions of that kind end now (until =
//                         now, kept for the record); LOGIN_LOCKOUT also clears
//                         the failed-login counters and a hard lock. The status
//                         follows what remains: SUSPENDED while a security hold
//                         is active, RESTRICTED while any other restriction is,
//                         else ACTIVE (SELF_EXCLUDED and CLOSED are kept).
//   CHANGE_CONTACT        the new e-mail / phone (stored as E.164) / address and
//                         its security.*_changed_at.
//   RESET_PASSWORD        security.password_reset_requested_at (the host sends
//                         the e-mail link or app approval).
//   APPROVE_WITHDRAWAL    PENDING_REVIEW -> APPROVED through the withdrawal
//                         machine, reviewed_by = the agent.
//   EXPEDITE_WITHDRAWAL   withdrawal.expedited = true.
//   DISCLOSE_BALANCE, CONFIRM_WITHDRAWAL_STATUS: nothing changes (false).
// FAILED_PRECONDITION when the verdict does not allow this event's action; the
// account is unchanged on any error.
absl::StatusOr<bool> ApplySupportAction(v1::Account* account, const v1::Event& event,
                                        const SupportVerdict& verdict, absl::Time now);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_SUPPORT_CALL_H_
