// Support-call verdicts: tier, allowed actions, escalation (see support_call.h).
#include "src/domain/support_call.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/agent_roles.h"
#include "src/domain/contact_match.h"
#include "src/domain/event_envelope.h"
#include "src/domain/lockout.h"
#include "src/domain/proto_time.h"
#include "src/domain/withdrawal_machine.h"

namespace pitboss {
namespace domain {
namespace {

bool Has(const std::vector<v1::SupportAction>& v, v1::SupportAction a) {
  return std::find(v.begin(), v.end(), a) != v.end();
}

void AddReason(std::vector<std::string>* reasons, absl::string_view code) {
  if (std::find(reasons->begin(), reasons->end(), code) == reasons->end()) {
    reasons->emplace_back(code);
  }
}

v1::DisclosureTier MinTier(v1::DisclosureTier a, v1::DisclosureTier b) {
  return std::min(a, b);
}

// The lowest tier whose table row contains `action`; UNSPECIFIED when none.
v1::DisclosureTier TierNeeded(v1::SupportAction action) {
  for (const TierActions& row : TierActionTable()) {
    if (Has(row.actions, action)) return row.tier;
  }
  return v1::DISCLOSURE_TIER_UNSPECIFIED;
}

absl::Status ValidateFlags(const google::protobuf::RepeatedField<int>& flags,
                           absl::string_view field) {
  for (int i = 0; i < flags.size(); ++i) {
    if (!v1::CallFlag_IsValid(flags[i]) || flags[i] == v1::CALL_FLAG_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[", i, "]: unknown call flag ", flags[i]));
    }
  }
  return absl::OkStatus();
}

bool HasFlag(const google::protobuf::RepeatedField<int>& flags, v1::CallFlag flag) {
  return std::find(flags.begin(), flags.end(), static_cast<int>(flag)) != flags.end();
}

// Whether the account can receive a reset over `method`.
bool CanReceiveReset(const v1::Account& account, v1::PasswordResetMethod method,
                     absl::Time now) {
  const v1::FactorKind kind = method == v1::PASSWORD_RESET_METHOD_EMAIL_LINK
                                  ? v1::FACTOR_KIND_EMAIL_LINK
                                  : v1::FACTOR_KIND_APP_APPROVAL;
  if (method == v1::PASSWORD_RESET_METHOD_EMAIL_LINK &&
      !account.profile().email().empty()) {
    return true;
  }
  for (const v1::Factor& f : account.factors()) {
    if (f.kind() != kind) continue;
    if (IsSet(f.revoked_at()) && FromProtoTime(f.revoked_at()) <= now) continue;
    return true;
  }
  return false;
}

// Checks specific to the requested action; appends refusals.
absl::Status CheckRequestedAction(const v1::Account& account, const v1::Event& event,
                                  absl::Time now, const SupportOptions& options,
                                  SupportVerdict* verdict) {
  const v1::SupportActionRequest& req = event.support_action_request();
  const std::string field = "event.support_action_request";
  const v1::AgentRole role = event.agent().role();
  std::vector<std::string>& refusals = verdict->refusals;

  switch (req.action()) {
    case v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS:
    case v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL:
    case v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL: {
      if (req.withdrawal_id().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".withdrawal_id: required for ",
                         v1::SupportAction_Name(req.action())));
      }
      const v1::Withdrawal* w = nullptr;
      for (const v1::Withdrawal& candidate : account.withdrawals()) {
        if (candidate.withdrawal_id() == req.withdrawal_id()) w = &candidate;
      }
      if (w == nullptr) {
        return absl::NotFoundError(absl::StrCat(field, ".withdrawal_id: no withdrawal \"",
                                                req.withdrawal_id(),
                                                "\" on the account"));
      }
      if (req.action() == v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL &&
          w->state() != v1::WITHDRAWAL_STATE_PENDING_REVIEW) {
        refusals.push_back(absl::StrCat("withdrawal ", w->withdrawal_id(), " is ",
                                        v1::WithdrawalState_Name(w->state()),
                                        ", not held for review"));
      }
      if (req.action() == v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL &&
          w->state() != v1::WITHDRAWAL_STATE_PENDING_REVIEW &&
          w->state() != v1::WITHDRAWAL_STATE_APPROVED) {
        refusals.push_back(
            absl::StrCat("withdrawal ", w->withdrawal_id(), " is ",
                         v1::WithdrawalState_Name(w->state()),
                         ": only a held or approved withdrawal is expedited"));
      }
      break;
    }
    case v1::SUPPORT_ACTION_LIFT_RESTRICTION: {
      if (!v1::RestrictionKind_IsValid(req.restriction()) ||
          req.restriction() == v1::RESTRICTION_KIND_UNSPECIFIED) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".restriction: required for LIFT_RESTRICTION"));
      }
      bool active = false;
      for (int i = 0; i < account.restrictions_size(); ++i) {
        const v1::Restriction& r = account.restrictions(i);
        PITBOSS_RETURN_IF_ERROR(ValidateProtoTime(
            r.until(), absl::StrCat("account.restrictions[", i, "].until")));
        if (r.kind() == req.restriction() &&
            (!IsSet(r.until()) || FromProtoTime(r.until()) > now)) {
          active = true;
        }
      }
      if (!active) {
        refusals.push_back(absl::StrCat("no active ",
                                        v1::RestrictionKind_Name(req.restriction()),
                                        " restriction on the account"));
      }
      if (!RoleMayLift(role, req.restriction())) {
        refusals.push_back(absl::StrCat(v1::AgentRole_Name(role), " may not lift ",
                                        v1::RestrictionKind_Name(req.restriction())));
      }
      break;
    }
    case v1::SUPPORT_ACTION_RESET_PASSWORD: {
      for (v1::PasswordResetMethod m : {v1::PASSWORD_RESET_METHOD_EMAIL_LINK,
                                        v1::PASSWORD_RESET_METHOD_APP_APPROVAL}) {
        if (CanReceiveReset(account, m, now)) verdict->reset_routes.push_back(m);
      }
      const v1::PasswordResetMethod m = req.reset_method();
      if (m != v1::PASSWORD_RESET_METHOD_EMAIL_LINK &&
          m != v1::PASSWORD_RESET_METHOD_APP_APPROVAL) {
        refusals.push_back(
            "a password is never reset by phone: send an e-mail link or an app "
            "approval");
      } else if (std::find(verdict->reset_routes.begin(), verdict->reset_routes.end(),
                           m) == verdict->reset_routes.end()) {
        refusals.push_back(
            absl::StrCat("the account cannot receive ", v1::PasswordResetMethod_Name(m)));
      }
      break;
    }
    case v1::SUPPORT_ACTION_CHANGE_CONTACT: {
      if (!req.has_contact_change() ||
          req.contact_change().kind() == v1::CONTACT_KIND_UNSPECIFIED) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".contact_change: required for CHANGE_CONTACT"));
      }
      PITBOSS_ASSIGN_OR_RETURN(
          ActionRequirement requirement,
          FindRequirement(options.requirements, SensitiveAction::kContactChange));
      PITBOSS_ASSIGN_OR_RETURN(
          RequirementCheck check,
          CheckActionRequirement(account, requirement, now, options.assurance));
      if (!check.satisfied) {
        refusals.push_back(
            "a contact change needs a fresh off-phone verification: challenge the "
            "player with one of the listed factors");
      }
      verdict->requirement = std::move(check);
      break;
    }
    case v1::SUPPORT_ACTION_DISCLOSE_PERSONAL_DATA:
      refusals.push_back(
          "registered personal data is never read out: the caller states it, the "
          "agent confirms");
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Span<const TierActions> TierActionTable() {
  static const auto* const kTable = [] {
    const std::vector<v1::SupportAction> basic = {
        v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS, v1::SUPPORT_ACTION_RESET_PASSWORD};
    std::vector<v1::SupportAction> standard = basic;
    for (v1::SupportAction a :
         {v1::SUPPORT_ACTION_DISCLOSE_BALANCE, v1::SUPPORT_ACTION_LIFT_RESTRICTION,
          v1::SUPPORT_ACTION_CHANGE_CONTACT, v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL,
          v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL}) {
      standard.push_back(a);
    }
    return new std::vector<TierActions>{
        {v1::DISCLOSURE_TIER_NONE, {}},
        {v1::DISCLOSURE_TIER_BASIC, basic},
        {v1::DISCLOSURE_TIER_STANDARD, standard},
    };
  }();
  return *kTable;
}

std::vector<v1::SupportAction> ActionsForTier(v1::DisclosureTier tier) {
  for (const TierActions& row : TierActionTable()) {
    if (row.tier == tier) return row.actions;
  }
  return {};
}

absl::StatusOr<SupportVerdict> EvaluateSupportEvent(const v1::Account& account,
                                                    const v1::Event& event,
                                                    const NameMatcher& matcher,
                                                    absl::Time now,
                                                    const SupportOptions& options) {
  const bool is_call = event.kind_case() == v1::Event::kSupportCall;
  const bool is_request = event.kind_case() == v1::Event::kSupportActionRequest;
  const bool is_report = event.kind_case() == v1::Event::kSecurityReport;
  if (!is_call && !is_request && !is_report) {
    return absl::InvalidArgumentError(
        "event.kind: not a support_call, support_action_request or security_report");
  }
  // The envelope: event_id 1..255, the account's id, valid time, channel, role.
  PITBOSS_RETURN_IF_ERROR(ValidateEventFor(account, event, event.kind_case()));
  if (!v1::AgentRole_IsValid(event.agent().role())) {
    return absl::InvalidArgumentError(
        absl::StrCat("event.agent.role: unknown role ", event.agent().role()));
  }
  if (!is_report && event.agent().role() == v1::AGENT_ROLE_UNSPECIFIED) {
    return absl::InvalidArgumentError("event.agent.role: required for support events");
  }
  if (is_request) {
    const v1::SupportAction a = event.support_action_request().action();
    if (!v1::SupportAction_IsValid(a) || a == v1::SUPPORT_ACTION_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("event.support_action_request.action: required (got ", a, ")"));
    }
  }

  SupportVerdict verdict;
  std::vector<std::string>& reasons = verdict.escalation_reasons;
  std::string subject = event.event_id();

  if (is_report) {
    const v1::SecurityReport& report = event.security_report();
    if (!v1::SecurityReportKind_IsValid(report.kind()) ||
        report.kind() == v1::SECURITY_REPORT_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError("event.security_report.kind: required");
    }
    AddReason(&reasons, "SECURITY_REPORT");
  } else {
    const v1::CallerClaims& claims =
        is_call ? event.support_call().claims() : event.support_action_request().claims();
    const std::string claims_field =
        is_call ? "event.support_call.claims" : "event.support_action_request.claims";
    const auto& flags =
        is_call ? event.support_call().flags() : event.support_action_request().flags();
    const std::string flags_field =
        is_call ? "event.support_call.flags" : "event.support_action_request.flags";
    PITBOSS_RETURN_IF_ERROR(ValidateFlags(flags, flags_field));
    PITBOSS_ASSIGN_OR_RETURN(
        verdict.claims,
        CheckCallerClaims(account, claims, claims_field, matcher, now, options.claims));
    const std::string call_id = is_call ? event.support_call().call_id()
                                        : event.support_action_request().call_id();
    if (!call_id.empty()) subject = call_id;

    verdict.tier = verdict.claims.tier;
    bool caller_id_mismatch = HasFlag(flags, v1::CALL_FLAG_CALLER_ID_MISMATCH);
    if (is_call && !event.support_call().caller_number().empty() &&
        !account.profile().phone().empty()) {
      PITBOSS_ASSIGN_OR_RETURN(
          bool same, PhonesMatch(event.support_call().caller_number(),
                                 "event.support_call.caller_number",
                                 account.profile().phone(), "account.profile.phone"));
      if (!same) caller_id_mismatch = true;
    }
    if (caller_id_mismatch) {
      verdict.tier = MinTier(verdict.tier, v1::DISCLOSURE_TIER_BASIC);
    }
    if (HasFlag(flags, v1::CALL_FLAG_THIRD_PARTY))
      verdict.tier = v1::DISCLOSURE_TIER_NONE;

    const std::pair<v1::CallFlag, const char*> escalating[] = {
        {v1::CALL_FLAG_URGENCY_PRESSURE, "URGENCY_PRESSURE"},
        {v1::CALL_FLAG_ASKED_TO_DISCLOSE_PERSONAL_DATA,
         "ASKED_TO_DISCLOSE_PERSONAL_DATA"},
        {v1::CALL_FLAG_REPORTS_COMPROMISE, "REPORTS_COMPROMISE"},
        {v1::CALL_FLAG_CONTACT_CHANGE_AND_WITHDRAWAL, "CONTACT_CHANGE_AND_WITHDRAWAL"},
        {v1::CALL_FLAG_INCONSISTENT_ANSWERS, "INCONSISTENT_ANSWERS"},
    };
    for (const auto& [flag, code] : escalating) {
      if (HasFlag(flags, flag)) AddReason(&reasons, code);
    }
    if (verdict.claims.name == ClaimOutcome::kMismatched ||
        verdict.claims.date_of_birth == ClaimOutcome::kMismatched) {
      AddReason(&reasons, "CLAIMS_CONTRADICT_ACCOUNT");
    }
    if (is_request && event.support_action_request().action() ==
                          v1::SUPPORT_ACTION_DISCLOSE_PERSONAL_DATA) {
      AddReason(&reasons, "ASKED_TO_DISCLOSE_PERSONAL_DATA");
    }
    if (account.status() == v1::ACCOUNT_STATUS_SUSPENDED) {
      AddReason(&reasons, "ACCOUNT_SUSPENDED");
    }
  }
  verdict.escalate_to_security = !reasons.empty();

  const v1::AgentRole role = event.agent().role();
  const bool closed = account.status() == v1::ACCOUNT_STATUS_CLOSED;
  const bool handed_over =
      verdict.escalate_to_security && role != v1::AGENT_ROLE_SECURITY_OFFICER;
  if (!is_report && !closed && !handed_over) {
    for (v1::SupportAction a : ActionsForTier(verdict.tier)) {
      if (RoleMayPerform(role, a)) verdict.allowed_actions.push_back(a);
    }
  }

  if (is_request) {
    const v1::SupportAction action = event.support_action_request().action();
    verdict.requested_action = action;
    if (closed) verdict.refusals.push_back("the account is closed");
    if (handed_over) {
      verdict.refusals.push_back("escalated to security: the agent may not act further");
    }
    const v1::DisclosureTier needed = TierNeeded(action);
    if (needed == v1::DISCLOSURE_TIER_UNSPECIFIED) {
      // DISCLOSE_PERSONAL_DATA: explained by CheckRequestedAction.
    } else if (verdict.tier < needed) {
      verdict.refusals.push_back(
          absl::StrCat(v1::SupportAction_Name(action), " needs disclosure tier ",
                       v1::DisclosureTier_Name(needed), "; the caller has ",
                       v1::DisclosureTier_Name(verdict.tier)));
    }
    if (!RoleMayPerform(role, action)) {
      verdict.refusals.push_back(absl::StrCat(v1::AgentRole_Name(role), " may not ",
                                              v1::SupportAction_Name(action)));
    }
    PITBOSS_RETURN_IF_ERROR(CheckRequestedAction(account, event, now, options, &verdict));
    verdict.requested_allowed = verdict.refusals.empty();
  }

  if (verdict.escalate_to_security) {
    v1::Case c;
    c.set_case_id(absl::StrCat("SEC-", event.event_id()));
    c.set_kind(v1::CASE_KIND_SECURITY);
    c.set_status(v1::CASE_STATUS_ESCALATED);
    *c.mutable_opened_at() = ToProtoTime(now);
    std::string why;
    for (const std::string& r : reasons) absl::StrAppend(&why, why.empty() ? "" : ",", r);
    c.set_reason(why);
    c.set_subject_id(subject);
    verdict.security_case = std::move(c);
  }
  return verdict;
}

absl::Status OpenSecurityCase(const SupportVerdict& verdict, bool security_report,
                              absl::Time now, v1::Account* account) {
  if (!verdict.security_case.has_value()) {
    return absl::FailedPreconditionError("verdict.security_case: nothing to open");
  }
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  for (const v1::Case& c : account->cases()) {
    if (c.case_id() == verdict.security_case->case_id()) {
      return absl::AlreadyExistsError(absl::StrCat("account.cases: case ", c.case_id(),
                                                   " is already on the account"));
    }
  }
  return ApplyAccountChange(account, now, kSectionCases | kSectionSecurity, [&](v1::Account& draft) {
    *draft.add_cases() = *verdict.security_case;
    if (security_report) {
      *draft.mutable_security()->mutable_last_security_report_at() = ToProtoTime(now);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> ApplySupportAction(v1::Account* account, const v1::Event& event,
                                        const SupportVerdict& verdict, absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  if (!event.has_support_action_request()) {
    return absl::InvalidArgumentError("event.support_action_request: missing");
  }
  const v1::SupportActionRequest& req = event.support_action_request();
  if (verdict.requested_action != req.action() || !verdict.requested_allowed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "verdict: ",
        v1::SupportAction_IsValid(req.action()) ? v1::SupportAction_Name(req.action())
                                                : absl::StrCat(req.action()),
        " was not allowed for this event"));
  }
  const std::string field = "event.support_action_request";
  switch (req.action()) {
    case v1::SUPPORT_ACTION_LIFT_RESTRICTION: {
      PITBOSS_RETURN_IF_ERROR(ApplyAccountChange(account, now, kSectionRestrictions | kSectionSecurity | kSectionStatus, [&](v1::Account& draft) {
        for (v1::Restriction& r : *draft.mutable_restrictions()) {
          if (r.kind() != req.restriction()) continue;
          if (IsSet(r.until()) && FromProtoTime(r.until()) <= now) continue;
          *r.mutable_until() = ToProtoTime(now);
        }
        if (req.restriction() == v1::RESTRICTION_KIND_LOGIN_LOCKOUT) {
          *draft.mutable_security() = ClearLockout(draft.security());
        }
        if (draft.status() != v1::ACCOUNT_STATUS_SELF_EXCLUDED &&
            draft.status() != v1::ACCOUNT_STATUS_CLOSED) {
          v1::AccountStatus status = v1::ACCOUNT_STATUS_ACTIVE;
          for (const v1::Restriction& r : draft.restrictions()) {
            if (IsSet(r.until()) && FromProtoTime(r.until()) <= now) continue;
            if (r.kind() == v1::RESTRICTION_KIND_SECURITY_HOLD) {
              status = v1::ACCOUNT_STATUS_SUSPENDED;
            } else if (status == v1::ACCOUNT_STATUS_ACTIVE) {
              status = v1::ACCOUNT_STATUS_RESTRICTED;
            }
          }
          draft.set_status(status);
        }
        return absl::OkStatus();
      }));
      return true;
    }
    case v1::SUPPORT_ACTION_CHANGE_CONTACT: {
      const v1::ContactChange& change = req.contact_change();
      const std::string cf = field + ".contact_change";
      std::string value;
      if (change.kind() == v1::CONTACT_KIND_EMAIL) {
        PITBOSS_RETURN_IF_ERROR(
            NormalizeEmail(change.new_value(), cf + ".new_value").status());
        value = std::string(absl::StripAsciiWhitespace(change.new_value()));
      } else if (change.kind() == v1::CONTACT_KIND_PHONE) {
        PITBOSS_ASSIGN_OR_RETURN(PhoneNumber phone,
                                 ParsePhone(change.new_value(), cf + ".new_value"));
        if (!phone.international) {
          return absl::InvalidArgumentError(
              absl::StrCat(cf, ".new_value: must be international (E.164)"));
        }
        value = absl::StrCat("+", phone.digits);
      } else if (change.kind() == v1::CONTACT_KIND_ADDRESS) {
        if (!change.has_new_address()) {
          return absl::InvalidArgumentError(absl::StrCat(cf, ".new_address: required"));
        }
      } else {
        return absl::InvalidArgumentError(absl::StrCat(cf, ".kind: required"));
      }
      PITBOSS_RETURN_IF_ERROR(ApplyAccountChange(account, now, kSectionProfile | kSectionSecurity, [&](v1::Account& draft) {
        v1::Security* security = draft.mutable_security();
        if (change.kind() == v1::CONTACT_KIND_EMAIL) {
          draft.mutable_profile()->set_email(value);
          *security->mutable_email_changed_at() = ToProtoTime(now);
        } else if (change.kind() == v1::CONTACT_KIND_PHONE) {
          draft.mutable_profile()->set_phone(value);
          *security->mutable_phone_changed_at() = ToProtoTime(now);
        } else {
          *draft.mutable_profile()->mutable_address() = change.new_address();
          *security->mutable_address_changed_at() = ToProtoTime(now);
        }
        return absl::OkStatus();
      }));
      return true;
    }
    case v1::SUPPORT_ACTION_RESET_PASSWORD:
      PITBOSS_RETURN_IF_ERROR(ApplyAccountChange(account, now, kSectionSecurity, [&](v1::Account& draft) {
        *draft.mutable_security()->mutable_password_reset_requested_at() =
            ToProtoTime(now);
        return absl::OkStatus();
      }));
      return true;
    case v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL: {
      WithdrawalUpdate update;
      update.reviewed_by = event.agent().agent_id();
      PITBOSS_RETURN_IF_ERROR(TransitionWithdrawal(
          account, req.withdrawal_id(), v1::WITHDRAWAL_STATE_APPROVED, update, now));
      return true;
    }
    case v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL:
      PITBOSS_RETURN_IF_ERROR(ApplyAccountChange(account, now, kSectionWithdrawals, [&](v1::Account& draft) {
        for (v1::Withdrawal& w : *draft.mutable_withdrawals()) {
          if (w.withdrawal_id() == req.withdrawal_id()) {
            w.set_expedited(true);
            return absl::OkStatus();
          }
        }
        return absl::NotFoundError(absl::StrCat(field, ".withdrawal_id: no withdrawal \"",
                                                req.withdrawal_id(), "\""));
      }));
      return true;
    default:
      return false;
  }
}

}  // namespace domain
}  // namespace pitboss
