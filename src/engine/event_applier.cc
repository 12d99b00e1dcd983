// Applying a decided event to the account (see event_applier.h).
#include "src/engine/event_applier.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/deposit_machine.h"
#include "src/domain/instruments.h"
#include "src/domain/ledger_events.h"
#include "src/domain/proto_time.h"
#include "src/domain/security_events.h"
#include "src/domain/support_call.h"
#include "src/domain/withdrawal_machine.h"

namespace pitboss {
namespace engine {
namespace {

using v1::DecisionOutcome;

bool Refused(DecisionOutcome outcome) {
  return outcome == v1::DECISION_OUTCOME_DENY || outcome == v1::DECISION_OUTCOME_ESCALATE;
}

absl::Status ApplyDepositRequest(v1::Account* account, const v1::Event& event,
                                 const EventChecks& checks, const v1::Decision& decision,
                                 const PaymentCatalog& catalog, absl::Time now) {
  const DecisionOutcome outcome = decision.outcome();
  // A closed account records nothing (the domain refuses new deposits there).
  if (Refused(outcome) &&
      (account->status() == v1::ACCOUNT_STATUS_CLOSED || checks.instrument_refused)) {
    return absl::OkStatus();
  }
  const v1::DepositRequested& request = event.deposit_requested();
  const v1::PaymentInstrument* instrument =
      request.has_new_instrument()
          ? &request.new_instrument()
          : domain::FindInstrument(*account, request.instrument_id());
  domain::FeeSchedule fees;
  if (instrument != nullptr) {
    fees = catalog.FeeScheduleFor(*instrument, v1::PAYMENT_DIRECTION_DEPOSIT,
                                  request.amount().currency());
  }
  PITBOSS_RETURN_IF_ERROR(domain::CreateDeposit(account, event, fees, now));
  const bool three_ds = checks.quote.has_value() && checks.quote->step_up_required &&
                        checks.quote->step_up_method == v1::STEP_UP_METHOD_THREE_D_SECURE;
  v1::DepositState to;
  domain::DepositUpdate update;
  switch (outcome) {
    case v1::DECISION_OUTCOME_DENY:
    case v1::DECISION_OUTCOME_ESCALATE:
      // Recorded as DECLINED: the attempt counts towards the unsuccessful-
      // deposit velocity (card testing) and the audit trail shows it.
      to = v1::DEPOSIT_STATE_DECLINED;
      update.failure_reason = decision.reasons().empty() ? "DECLINED"
                                                         : decision.reasons(0).code();
      break;
    case v1::DECISION_OUTCOME_CHALLENGE:
      to = v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION;
      break;
    default:
      // ALLOW, and HOLD / REVIEW: a deposit cannot be parked (no event
      // releases one), so it proceeds and the REVIEW's case is opened for a
      // person to look at after the fact. Factors a CHALLENGE rule asked for
      // are still owed when a REVIEW outranked it: the deposit waits for them.
      to = three_ds || decision.required_factors_size() > 0
               ? v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION
               : v1::DEPOSIT_STATE_PENDING;
      break;
  }
  return domain::TransitionDeposit(account, request.deposit_id(), to, update, now);
}

absl::Status ApplyWithdrawalRequest(v1::Account* account, const v1::Event& event,
                                    const EventChecks& checks,
                                    const v1::Decision& decision,
                                    const PaymentCatalog& catalog, absl::Time now) {
  const DecisionOutcome outcome = decision.outcome();
  if (Refused(outcome)) return absl::OkStatus();
  const v1::WithdrawalRequested& request = event.withdrawal_requested();
  const v1::PaymentInstrument* instrument =
      domain::FindInstrument(*account, request.instrument_id());
  domain::FeeSchedule fees;
  if (instrument != nullptr) {
    fees = catalog.FeeScheduleFor(*instrument, v1::PAYMENT_DIRECTION_WITHDRAWAL,
                                  request.amount().currency());
  }
  PITBOSS_RETURN_IF_ERROR(domain::CreateWithdrawal(account, event, fees, now));
  domain::WithdrawalUpdate update;
  update.case_id = decision.case_id();
  if (!decision.reasons().empty()) update.hold_reason = decision.reasons(0).code();
  v1::WithdrawalState to;
  if (outcome == v1::DECISION_OUTCOME_ALLOW) {
    to = v1::WITHDRAWAL_STATE_APPROVED;
  } else if (outcome == v1::DECISION_OUTCOME_CHALLENGE ||
             (outcome == v1::DECISION_OUTCOME_HOLD &&
              (checks.withdrawal_needs_verification ||
               decision.required_factors_size() > 0))) {
    to = v1::WITHDRAWAL_STATE_PENDING_VERIFICATION;
  } else {
    to = v1::WITHDRAWAL_STATE_PENDING_REVIEW;
  }
  return domain::TransitionWithdrawal(account, request.withdrawal_id(), to, update, now);
}

// A chargeback that leaves cash below zero restricts the account until a
// payments officer lifts it.
absl::Status RestrictIfNegative(v1::Account* account, absl::Time now) {
  if (account->balances().cash().minor_units() >= 0) return absl::OkStatus();
  for (const v1::Restriction& restriction : account->restrictions()) {
    if (restriction.kind() == v1::RESTRICTION_KIND_NEGATIVE_BALANCE &&
        !domain::IsSet(restriction.until())) {
      return absl::OkStatus();
    }
  }
  return domain::ApplyAccountChange(account, now, domain::kSectionRestrictions | domain::kSectionStatus, [&](v1::Account& draft) {
    v1::Restriction& restriction = *draft.add_restrictions();
    restriction.set_kind(v1::RESTRICTION_KIND_NEGATIVE_BALANCE);
    *restriction.mutable_since() = domain::ToProtoTime(now);
    restriction.set_reason("cash below zero after a reversal");
    if (draft.status() == v1::ACCOUNT_STATUS_ACTIVE) {
      draft.set_status(v1::ACCOUNT_STATUS_RESTRICTED);
    }
    return absl::OkStatus();
  });
}

// Opens the decision's case (unless a support verdict already opened it under
// the same id) and, for ESCALATE, puts the account on a security hold tied to
// the case.
absl::Status OpenCase(v1::Account* account, const v1::Event& event,
                      const v1::Decision& decision, v1::CaseKind case_kind,
                      absl::Time now) {
  if (decision.case_id().empty()) return absl::OkStatus();
  const bool escalate = decision.outcome() == v1::DECISION_OUTCOME_ESCALATE;
  bool exists = false;
  for (const v1::Case& existing : account->cases()) {
    exists |= existing.case_id() == decision.case_id();
  }
  bool held = false;
  for (const v1::Restriction& r : account->restrictions()) {
    held |= r.kind() == v1::RESTRICTION_KIND_SECURITY_HOLD &&
            r.case_id() == decision.case_id();
  }
  if (exists && (!escalate || held)) return absl::OkStatus();
  return domain::ApplyAccountChange(account, now, domain::kSectionCases | domain::kSectionRestrictions | domain::kSectionStatus, [&](v1::Account& draft) {
    if (!exists) {
      v1::Case& opened = *draft.add_cases();
      opened.set_case_id(decision.case_id());
      opened.set_kind(case_kind);
      opened.set_status(escalate ? v1::CASE_STATUS_ESCALATED : v1::CASE_STATUS_OPEN);
      *opened.mutable_opened_at() = domain::ToProtoTime(now);
      opened.set_reason(decision.reasons().empty() ? "" : decision.reasons(0).code());
      opened.set_subject_id(event.event_id());
    }
    if (escalate && !held) {
      v1::Restriction& hold = *draft.add_restrictions();
      hold.set_kind(v1::RESTRICTION_KIND_SECURITY_HOLD);
      *hold.mutable_since() = domain::ToProtoTime(now);
      hold.set_reason("escalated to security");
      hold.set_case_id(decision.case_id());
      if (draft.status() == v1::ACCOUNT_STATUS_ACTIVE ||
          draft.status() == v1::ACCOUNT_STATUS_RESTRICTED) {
        draft.set_status(v1::ACCOUNT_STATUS_SUSPENDED);
      }
    }
    return absl::OkStatus();
  });
}

absl::Status ApplySupport(v1::Account* account, const v1::Event& event,
                          const EventChecks& checks, const v1::Decision& decision,
                          absl::Time now) {
  if (!checks.support.has_value()) return absl::OkStatus();
  const domain::SupportVerdict& verdict = *checks.support;
  if (event.has_support_action_request() && verdict.requested_allowed &&
      decision.outcome() == v1::DECISION_OUTCOME_ALLOW) {
    PITBOSS_RETURN_IF_ERROR(domain::ApplySupportAction(account, event, verdict, now).status());
  }
  if (verdict.security_case.has_value() && !decision.case_id().empty()) {
    domain::SupportVerdict named = verdict;
    named.security_case->set_case_id(decision.case_id());
    return domain::OpenSecurityCase(named, event.has_security_report(), now, account);
  }
  return absl::OkStatus();
}

bool IsLedgerRequest(const v1::Event& event) {
  return event.has_withdrawal_cancelled() || event.has_withdrawal_reviewed() ||
         event.has_wager_settled();
}

}  // namespace

bool IsFactEvent(const v1::Event& event) {
  switch (event.kind_case()) {
    case v1::Event::kDepositAuthenticated:
    case v1::Event::kDepositSettled:
    case v1::Event::kDepositReversed:
    case v1::Event::kWithdrawalSentToProvider:
    case v1::Event::kWithdrawalPaid:
    case v1::Event::kWithdrawalFailed:
    case v1::Event::kLoginAttempt:
    case v1::Event::kFactorVerification:
    case v1::Event::kKycDocumentSubmitted:
    case v1::Event::kKycResult:
    case v1::Event::kDepositLimitChange:
    case v1::Event::kTimeOut:
    case v1::Event::kSelfExclusion:
    case v1::Event::kSupportCall:
    case v1::Event::kSecurityReport:
      return true;
    default:
      return false;
  }
}

v1::CaseKind CaseKindFor(absl::Span<const Finding> findings, const v1::Decision& decision) {
  const bool escalate = decision.outcome() == v1::DECISION_OUTCOME_ESCALATE;
  for (const Finding& finding : findings) {
    if (!finding.fired || finding.Mode() != v1::RULE_MODE_ENFORCE) continue;
    const v1::RuleAction& action = finding.Action();
    if (escalate && action.has_escalate()) {
      const v1::CaseKind kind = action.escalate().case_kind();
      return kind == v1::CASE_KIND_UNSPECIFIED ? v1::CASE_KIND_SECURITY : kind;
    }
    if (!escalate && action.has_review()) {
      const v1::CaseKind kind = action.review().case_kind();
      return kind == v1::CASE_KIND_UNSPECIFIED ? v1::CASE_KIND_FRAUD_REVIEW : kind;
    }
  }
  // A score threshold's REVIEW / ESCALATE.
  return escalate ? v1::CASE_KIND_SECURITY : v1::CASE_KIND_FRAUD_REVIEW;
}

absl::Status ApplyDecidedEvent(v1::Account* account, const v1::Event& event,
                               const EventChecks& checks, const v1::Decision& decision,
                               v1::CaseKind case_kind, const PaymentCatalog& catalog,
                               const PolicyOptions& options, absl::Time now) {
  const DecisionOutcome outcome = decision.outcome();
  const bool apply = IsFactEvent(event) || outcome == v1::DECISION_OUTCOME_ALLOW;
  domain::LedgerOptions ledger;
  ledger.limits = options.limits;
  domain::SecurityEventOptions security;
  security.lockout = options.lockout;
  security.withdrawal_min_kyc_level = options.kyc.withdrawal_min_level;

  if (event.has_deposit_requested()) {
    PITBOSS_RETURN_IF_ERROR(
        ApplyDepositRequest(account, event, checks, decision, catalog, now));
  } else if (event.has_withdrawal_requested()) {
    PITBOSS_RETURN_IF_ERROR(
        ApplyWithdrawalRequest(account, event, checks, decision, catalog, now));
  } else if (domain::IsLedgerEvent(event)) {
    if (apply || (IsLedgerRequest(event) && !Refused(outcome) &&
                  outcome != v1::DECISION_OUTCOME_CHALLENGE)) {
      PITBOSS_RETURN_IF_ERROR(domain::ApplyLedgerEvent(account, event, ledger, now));
    }
    if (event.has_deposit_reversed()) {
      PITBOSS_RETURN_IF_ERROR(RestrictIfNegative(account, now));
    }
  } else if (domain::IsSecurityEvent(event)) {
    if (apply) {
      PITBOSS_RETURN_IF_ERROR(domain::ApplySecurityEvent(account, event, security, now));
    }
  }
  PITBOSS_RETURN_IF_ERROR(ApplySupport(account, event, checks, decision, now));
  if (checks.edd_newly_required && !account->kyc().enhanced_due_diligence_required()) {
    PITBOSS_RETURN_IF_ERROR(
        domain::ApplyAccountChange(account, now, domain::kSectionKyc, [&](v1::Account& draft) {
          draft.mutable_kyc()->set_enhanced_due_diligence_required(true);
          *draft.mutable_kyc()->mutable_enhanced_due_diligence_requested_at() =
              domain::ToProtoTime(now);
          return absl::OkStatus();
        }));
  }
  if (outcome == v1::DECISION_OUTCOME_ESCALATE || outcome == v1::DECISION_OUTCOME_REVIEW) {
    PITBOSS_RETURN_IF_ERROR(OpenCase(account, event, decision, case_kind, now));
  }
  return absl::OkStatus();
}

}  // namespace engine
}  // namespace pitboss
