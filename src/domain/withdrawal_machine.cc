// The withdrawal transition table and the operations over it (see
// withdrawal_machine.h).
#include "src/domain/withdrawal_machine.h"

#include <array>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/event_envelope.h"
#include "src/domain/instruments.h"
#include "src/domain/money.h"
#include "src/domain/proto_time.h"
#include "src/domain/transition_table.h"
#include "src/domain/velocity.h"

namespace pitboss {
namespace domain {
namespace {

// What moving a withdrawal may change (account_change.h): its state, cash and
// reserved, the instrument's payout history.
constexpr AccountSections kWithdrawalMoveSections =
    kSectionWithdrawals | kSectionBalances | kSectionInstruments;

using E = BalanceEffect;

// THE withdrawal state machine. Nothing else in pitboss defines withdrawal moves.
constexpr std::array<WithdrawalTransition, 19> kWithdrawalTable = {{
    {v1::WITHDRAWAL_STATE_UNSPECIFIED, v1::WITHDRAWAL_STATE_REQUESTED, E::kReserveFromCash,
     "withdrawal requested"},
    {v1::WITHDRAWAL_STATE_REQUESTED, v1::WITHDRAWAL_STATE_PENDING_VERIFICATION, E::kNone,
     "KYC documents or step-up missing"},
    {v1::WITHDRAWAL_STATE_REQUESTED, v1::WITHDRAWAL_STATE_PENDING_REVIEW, E::kNone,
     "held for fraud/AML review"},
    {v1::WITHDRAWAL_STATE_REQUESTED, v1::WITHDRAWAL_STATE_APPROVED, E::kNone,
     "approved without hold"},
    {v1::WITHDRAWAL_STATE_REQUESTED, v1::WITHDRAWAL_STATE_REJECTED,
     E::kReleaseReserveToCash, "rejected"},
    {v1::WITHDRAWAL_STATE_REQUESTED, v1::WITHDRAWAL_STATE_CANCELLED,
     E::kReleaseReserveToCash, "cancelled by the player"},
    {v1::WITHDRAWAL_STATE_PENDING_VERIFICATION, v1::WITHDRAWAL_STATE_PENDING_REVIEW,
     E::kNone, "verified; held for review"},
    {v1::WITHDRAWAL_STATE_PENDING_VERIFICATION, v1::WITHDRAWAL_STATE_APPROVED, E::kNone,
     "verified"},
    {v1::WITHDRAWAL_STATE_PENDING_VERIFICATION, v1::WITHDRAWAL_STATE_REJECTED,
     E::kReleaseReserveToCash, "rejected"},
    {v1::WITHDRAWAL_STATE_PENDING_VERIFICATION, v1::WITHDRAWAL_STATE_CANCELLED,
     E::kReleaseReserveToCash, "cancelled by the player"},
    {v1::WITHDRAWAL_STATE_PENDING_REVIEW, v1::WITHDRAWAL_STATE_PENDING_VERIFICATION,
     E::kNone, "review asks for documents or step-up"},
    {v1::WITHDRAWAL_STATE_PENDING_REVIEW, v1::WITHDRAWAL_STATE_APPROVED, E::kNone,
     "review approved"},
    {v1::WITHDRAWAL_STATE_PENDING_REVIEW, v1::WITHDRAWAL_STATE_REJECTED,
     E::kReleaseReserveToCash, "review rejected"},
    {v1::WITHDRAWAL_STATE_PENDING_REVIEW, v1::WITHDRAWAL_STATE_CANCELLED,
     E::kReleaseReserveToCash, "cancelled by the player"},
    {v1::WITHDRAWAL_STATE_APPROVED, v1::WITHDRAWAL_STATE_PROCESSING, E::kNone,
     "sent to the provider"},
    {v1::WITHDRAWAL_STATE_APPROVED, v1::WITHDRAWAL_STATE_CANCELLED,
     E::kReleaseReserveToCash, "cancelled by the player"},
    {v1::WITHDRAWAL_STATE_PROCESSING, v1::WITHDRAWAL_STATE_PAID, E::kPayOutReserve,
     "provider paid"},
    {v1::WITHDRAWAL_STATE_PROCESSING, v1::WITHDRAWAL_STATE_FAILED,
     E::kReleaseReserveToCash, "provider failed"},
    {v1::WITHDRAWAL_STATE_PAID, v1::WITHDRAWAL_STATE_RETURNED, E::kReturnToCash,
     "payout returned after paid"},
}};

std::string WithdrawalField(absl::string_view withdrawal_id) {
  return absl::StrCat("account.withdrawals[\"", withdrawal_id, "\"]");
}

v1::Withdrawal* FindWithdrawal(v1::Account& account, absl::string_view withdrawal_id) {
  for (v1::Withdrawal& withdrawal : *account.mutable_withdrawals()) {
    if (withdrawal.withdrawal_id() == withdrawal_id) return &withdrawal;
  }
  return nullptr;
}

absl::Status CheckNotClosed(const v1::Account& account) {
  if (account.status() == v1::ACCOUNT_STATUS_CLOSED) {
    return absl::FailedPreconditionError("account.status: account is closed");
  }
  return absl::OkStatus();
}

absl::Status ApplyMove(v1::Account& draft, v1::Withdrawal& withdrawal,
                       const WithdrawalTransition& row, const WithdrawalUpdate& update,
                       absl::Time now) {
  v1::Balances& balances = *draft.mutable_balances();
  v1::LedgerTotals& totals = *draft.mutable_totals();
  const v1::Money& amount = withdrawal.amount();
  switch (row.effect) {
    case E::kNone:
      break;
    case E::kReleaseReserveToCash:
      PITBOSS_RETURN_IF_ERROR(
          SubtractFromMoney(balances.mutable_reserved(), amount, "account.balances.reserved"));
      PITBOSS_RETURN_IF_ERROR(
          AddToMoney(balances.mutable_cash(), amount, "account.balances.cash"));
      break;
    case E::kPayOutReserve: {
      PITBOSS_RETURN_IF_ERROR(
          SubtractFromMoney(balances.mutable_reserved(), amount, "account.balances.reserved"));
      PITBOSS_RETURN_IF_ERROR(AddToMoney(totals.mutable_withdrawals_paid(), amount,
                                         "account.totals.withdrawals_paid"));
      PITBOSS_RETURN_IF_ERROR(AddToMoney(totals.mutable_fees_charged(), withdrawal.fee(),
                                         "account.totals.fees_charged"));
      totals.set_paid_withdrawal_count(totals.paid_withdrawal_count() + 1);
      if (v1::PaymentInstrument* instrument =
              FindMutableInstrument(draft, withdrawal.instrument_id())) {
        *instrument->mutable_last_withdrawal_at() = ToProtoTime(now);
        PITBOSS_RETURN_IF_ERROR(AddToMoney(
            instrument->mutable_total_withdrawn(), amount,
            absl::StrCat("account.instruments[\"", withdrawal.instrument_id(),
                         "\"].total_withdrawn")));
      }
      PITBOSS_RETURN_IF_ERROR(RecordVelocity(draft.mutable_velocity(),
                                             v1::VELOCITY_METRIC_WITHDRAWAL_PAID,
                                             amount.minor_units(), now));
      *withdrawal.mutable_paid_at() = ToProtoTime(now);
      break;
    }
    case E::kReturnToCash:
      PITBOSS_RETURN_IF_ERROR(
          AddToMoney(balances.mutable_cash(), amount, "account.balances.cash"));
      PITBOSS_RETURN_IF_ERROR(AddToMoney(totals.mutable_withdrawals_returned(), amount,
                                         "account.totals.withdrawals_returned"));
      PITBOSS_RETURN_IF_ERROR(SubtractFromMoney(totals.mutable_fees_charged(),
                                                withdrawal.fee(),
                                                "account.totals.fees_charged"));
      *withdrawal.mutable_returned_at() = ToProtoTime(now);
      break;
    default:
      return absl::InternalError(absl::StrCat(WithdrawalField(withdrawal.withdrawal_id()),
                                              ": withdrawal table holds a deposit effect"));
  }
  if (row.to == v1::WITHDRAWAL_STATE_APPROVED) {
    *withdrawal.mutable_approved_at() = ToProtoTime(now);
  }
  if (row.to == v1::WITHDRAWAL_STATE_PROCESSING) {
    *withdrawal.mutable_sent_at() = ToProtoTime(now);
  }
  if (!update.hold_reason.empty()) withdrawal.set_hold_reason(update.hold_reason);
  if (!update.failure_reason.empty()) withdrawal.set_failure_reason(update.failure_reason);
  if (!update.provider_reference.empty()) {
    withdrawal.set_provider_reference(update.provider_reference);
  }
  if (!update.case_id.empty()) withdrawal.set_case_id(update.case_id);
  if (!update.reviewed_by.empty()) withdrawal.set_reviewed_by(update.reviewed_by);
  withdrawal.set_state(row.to);
  *withdrawal.mutable_updated_at() = ToProtoTime(now);
  return absl::OkStatus();
}

absl::Status MoveWithdrawal(v1::Account& draft, absl::string_view withdrawal_id,
                            absl::string_view id_field, v1::WithdrawalState to,
                            const WithdrawalUpdate& update, absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateId(withdrawal_id, id_field));
  if (to == v1::WITHDRAWAL_STATE_UNSPECIFIED || !v1::WithdrawalState_IsValid(to)) {
    return absl::InvalidArgumentError(
        absl::StrCat("to: invalid target state ", static_cast<int>(to)));
  }
  PITBOSS_RETURN_IF_ERROR(CheckNotClosed(draft));
  v1::Withdrawal* withdrawal = FindWithdrawal(draft, withdrawal_id);
  if (withdrawal == nullptr) {
    return absl::NotFoundError(
        absl::StrCat(id_field, ": no withdrawal \"", withdrawal_id, "\""));
  }
  const WithdrawalTransition* row = FindWithdrawalTransition(withdrawal->state(), to);
  if (row == nullptr) {
    std::vector<std::string> allowed;
    for (v1::WithdrawalState target : WithdrawalTargets(withdrawal->state())) {
      allowed.emplace_back(WithdrawalStateName(target));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        WithdrawalField(withdrawal_id), ".state: withdrawal cannot move from ",
        WithdrawalStateName(withdrawal->state()), " to ", WithdrawalStateName(to),
        allowed.empty() ? std::string(" (it is final)")
                        : absl::StrCat(" (allowed: ", absl::StrJoin(allowed, ", "), ")")));
  }
  return ApplyMove(draft, *withdrawal, *row, update, now);
}

// Shared body of the event adapters: validate, move, remember the event.
absl::Status ApplyEventMove(v1::Account* account, const v1::Event& event,
                            v1::Event::KindCase kind, absl::string_view withdrawal_id,
                            absl::string_view id_field, v1::WithdrawalState to,
                            const WithdrawalUpdate& update, absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  PITBOSS_RETURN_IF_ERROR(ValidateEventFor(*account, event, kind));
  return ApplyAccountChange(account, now, kWithdrawalMoveSections, [&](v1::Account& draft) -> absl::Status {
    PITBOSS_RETURN_IF_ERROR(MoveWithdrawal(draft, withdrawal_id, id_field, to, update, now));
    draft.set_last_event_id(event.event_id());
    return absl::OkStatus();
  });
}

}  // namespace

absl::Span<const WithdrawalTransition> WithdrawalTransitionTable() {
  return kWithdrawalTable;
}

const WithdrawalTransition* FindWithdrawalTransition(v1::WithdrawalState from, v1::WithdrawalState to) {
  return domain_internal::FindTransition(WithdrawalTransitionTable(), from, to);
}

std::vector<v1::WithdrawalState> WithdrawalTargets(v1::WithdrawalState from) {
  return domain_internal::TransitionTargets(WithdrawalTransitionTable(), from);
}

bool IsFinalWithdrawalState(v1::WithdrawalState state) {
  return state != v1::WITHDRAWAL_STATE_UNSPECIFIED && WithdrawalTargets(state).empty();
}

absl::string_view WithdrawalStateName(v1::WithdrawalState state) {
  return domain_internal::StateNameWithoutPrefix(v1::WithdrawalState_Name(state),
                                                 "WITHDRAWAL_STATE_");
}

absl::Status CreateWithdrawal(v1::Account* account, const v1::Event& event,
                              const FeeSchedule& fees, absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  PITBOSS_RETURN_IF_ERROR(
      ValidateEventFor(*account, event, v1::Event::kWithdrawalRequested));
  PITBOSS_RETURN_IF_ERROR(ValidateFeeSchedule(fees, "fee_schedule"));
  const v1::WithdrawalRequested& request = event.withdrawal_requested();
  PITBOSS_RETURN_IF_ERROR(
      ValidateId(request.withdrawal_id(), "event.withdrawal_requested.withdrawal_id"));
  PITBOSS_RETURN_IF_ERROR(
      ValidatePositiveMoney(request.amount(), "event.withdrawal_requested.amount"));
  return ApplyAccountChange(account, now, kSectionBalances | kSectionWithdrawals, [&](v1::Account& draft) -> absl::Status {
    PITBOSS_RETURN_IF_ERROR(CheckNotClosed(draft));
    const std::string& currency = draft.profile().currency();
    if (currency.empty()) {
      return absl::FailedPreconditionError("account.profile.currency: not set");
    }
    PITBOSS_RETURN_IF_ERROR(
        CheckCurrency(request.amount(), currency, "event.withdrawal_requested.amount"));
    if (FindWithdrawal(draft, request.withdrawal_id()) != nullptr) {
      return absl::AlreadyExistsError(absl::StrCat(
          "event.withdrawal_requested.withdrawal_id: withdrawal \"",
          request.withdrawal_id(), "\" already exists"));
    }
    PITBOSS_RETURN_IF_ERROR(RequireActiveInstrument(draft, request.instrument_id(),
                                                    "event.withdrawal_requested.instrument_id")
                                .status());
    PITBOSS_ASSIGN_OR_RETURN(
        v1::Money fee,
        ComputeFee(request.amount(), fees, "event.withdrawal_requested.amount"));
    PITBOSS_ASSIGN_OR_RETURN(
        v1::Money net, NetOfFee(request.amount(), fee, "event.withdrawal_requested.amount"));
    // Cash must cover the whole amount: a withdrawal never makes cash negative.
    v1::Balances& balances = *draft.mutable_balances();
    if (balances.cash().minor_units() < request.amount().minor_units()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "account.balances.cash: ", FormatMoney(MakeMoney(balances.cash().minor_units(),
                                                           currency)),
          " available, ", FormatMoney(request.amount()), " requested"));
    }
    PITBOSS_RETURN_IF_ERROR(SubtractFromMoney(balances.mutable_cash(), request.amount(),
                                              "account.balances.cash"));
    PITBOSS_RETURN_IF_ERROR(AddToMoney(balances.mutable_reserved(), request.amount(),
                                       "account.balances.reserved"));
    v1::Withdrawal& withdrawal = *draft.add_withdrawals();
    withdrawal.set_withdrawal_id(request.withdrawal_id());
    withdrawal.set_state(v1::WITHDRAWAL_STATE_REQUESTED);
    withdrawal.set_instrument_id(request.instrument_id());
    *withdrawal.mutable_amount() = request.amount();
    *withdrawal.mutable_fee() = std::move(fee);
    *withdrawal.mutable_net_amount() = std::move(net);
    *withdrawal.mutable_created_at() = ToProtoTime(now);
    *withdrawal.mutable_updated_at() = ToProtoTime(now);
    withdrawal.set_channel(event.channel());
    withdrawal.set_device_id(event.device().device_id());
    PITBOSS_RETURN_IF_ERROR(RecordVelocity(draft.mutable_velocity(),
                                           v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED,
                                           request.amount().minor_units(), now));
    draft.set_last_event_id(event.event_id());
    return absl::OkStatus();
  });
}

absl::Status TransitionWithdrawal(v1::Account* account, absl::string_view withdrawal_id,
                                  v1::WithdrawalState to, const WithdrawalUpdate& update,
                                  absl::Time now) {
  return ApplyAccountChange(account, now, kWithdrawalMoveSections, [&](v1::Account& draft) {
    return MoveWithdrawal(draft, withdrawal_id, "withdrawal_id", to, update, now);
  });
}

absl::Status ApplyWithdrawalCancelled(v1::Account* account, const v1::Event& event,
                                      absl::Time now) {
  WithdrawalUpdate update;
  update.failure_reason = event.withdrawal_cancelled().reason().empty()
                              ? std::string("cancelled by the player")
                              : event.withdrawal_cancelled().reason();
  return ApplyEventMove(account, event, v1::Event::kWithdrawalCancelled,
                        event.withdrawal_cancelled().withdrawal_id(),
                        "event.withdrawal_cancelled.withdrawal_id",
                        v1::WITHDRAWAL_STATE_CANCELLED, update, now);
}

absl::Status ApplyWithdrawalReviewed(v1::Account* account, const v1::Event& event,
                                     absl::Time now) {
  const v1::WithdrawalReviewed& review = event.withdrawal_reviewed();
  v1::WithdrawalState to;
  WithdrawalUpdate update;
  update.case_id = review.case_id();
  update.reviewed_by = event.agent().agent_id();
  switch (review.decision()) {
    case v1::REVIEW_DECISION_APPROVE:
      to = v1::WITHDRAWAL_STATE_APPROVED;
      break;
    case v1::REVIEW_DECISION_REJECT:
      to = v1::WITHDRAWAL_STATE_REJECTED;
      update.failure_reason = review.reason().empty() ? std::string("rejected by review")
                                                      : review.reason();
      break;
    default:
      if (event.kind_case() != v1::Event::kWithdrawalReviewed) {
        to = v1::WITHDRAWAL_STATE_APPROVED;  // ValidateEventFor reports the real error
        break;
      }
      return absl::InvalidArgumentError(
          absl::StrCat("event.withdrawal_reviewed.decision: must be APPROVE or REJECT (got ",
                       static_cast<int>(review.decision()), ")"));
  }
  return ApplyEventMove(account, event, v1::Event::kWithdrawalReviewed,
                        review.withdrawal_id(), "event.withdrawal_reviewed.withdrawal_id", to,
                        update, now);
}

absl::Status ApplyWithdrawalSentToProvider(v1::Account* account, const v1::Event& event,
                                           absl::Time now) {
  WithdrawalUpdate update;
  update.provider_reference = event.withdrawal_sent_to_provider().provider_reference();
  return ApplyEventMove(account, event, v1::Event::kWithdrawalSentToProvider,
                        event.withdrawal_sent_to_provider().withdrawal_id(),
                        "event.withdrawal_sent_to_provider.withdrawal_id",
                        v1::WITHDRAWAL_STATE_PROCESSING, update, now);
}

absl::Status ApplyWithdrawalPaid(v1::Account* account, const v1::Event& event,
                                 absl::Time now) {
  WithdrawalUpdate update;
  update.provider_reference = event.withdrawal_paid().provider_reference();
  return ApplyEventMove(account, event, v1::Event::kWithdrawalPaid,
                        event.withdrawal_paid().withdrawal_id(),
                        "event.withdrawal_paid.withdrawal_id", v1::WITHDRAWAL_STATE_PAID,
                        update, now);
}

absl::Status ApplyWithdrawalFailed(v1::Account* account, const v1::Event& event,
                                   absl::Time now) {
  const v1::WithdrawalFailed& failed = event.withdrawal_failed();
  WithdrawalUpdate update;
  update.failure_reason = failed.failure_code().empty()
                              ? std::string("provider reported failure")
                              : failed.failure_code();
  return ApplyEventMove(account, event, v1::Event::kWithdrawalFailed,
                        failed.withdrawal_id(), "event.withdrawal_failed.withdrawal_id",
                        failed.returned_after_paid() ? v1::WITHDRAWAL_STATE_RETURNED
                                                     : v1::WITHDRAWAL_STATE_FAILED,
                        update, now);
}

}  // namespace domain
}  // namespace pitboss
