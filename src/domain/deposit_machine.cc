// The deposit transition table and the operations over it (see
// deposit_machine.h).
#include "src/domain/deposit_machine.h"

#include <array>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/event_envelope.h"
#include "src/domain/instruments.h"
#include "src/domain/limits.h"
#include "src/domain/money.h"
#include "src/domain/proto_time.h"
#include "src/domain/transition_table.h"
#include "src/domain/velocity.h"

namespace pitboss {
namespace domain {
namespace {

// What moving a deposit may change (account_change.h): its state, cash, the
// instrument's deposit history (a chargeback blocks it) and deposit-limit
// usage.
constexpr AccountSections kDepositMoveSections =
    kSectionDeposits | kSectionBalances | kSectionInstruments | kSectionResponsibleGambling;

using S = v1::DepositState;
using E = BalanceEffect;

// THE deposit state machine. Nothing else in pitboss defines deposit moves.
constexpr std::array<DepositTransition, 13> kDepositTable = {{
    {v1::DEPOSIT_STATE_UNSPECIFIED, v1::DEPOSIT_STATE_INITIATED, E::kNone,
     "deposit requested"},
    {v1::DEPOSIT_STATE_INITIATED, v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION, E::kNone,
     "accepted; 3-D Secure or step-up required"},
    {v1::DEPOSIT_STATE_INITIATED, v1::DEPOSIT_STATE_PENDING, E::kNone,
     "accepted; sent to the provider"},
    {v1::DEPOSIT_STATE_INITIATED, v1::DEPOSIT_STATE_DECLINED, E::kNone,
     "declined by pitboss"},
    {v1::DEPOSIT_STATE_INITIATED, v1::DEPOSIT_STATE_CANCELLED, E::kNone, "cancelled"},
    {v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION, v1::DEPOSIT_STATE_PENDING, E::kNone,
     "authenticated (3-D Secure ok, attempted or exempt)"},
    {v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION, v1::DEPOSIT_STATE_DECLINED, E::kNone,
     "declined by pitboss"},
    {v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION, v1::DEPOSIT_STATE_FAILED, E::kNone,
     "authentication failed or rejected"},
    {v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION, v1::DEPOSIT_STATE_EXPIRED, E::kNone,
     "authentication timed out"},
    {v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION, v1::DEPOSIT_STATE_CANCELLED, E::kNone,
     "cancelled"},
    {v1::DEPOSIT_STATE_PENDING, v1::DEPOSIT_STATE_COMPLETED, E::kCreditCash,
     "provider settled: success"},
    {v1::DEPOSIT_STATE_PENDING, v1::DEPOSIT_STATE_FAILED, E::kNone,
     "provider settled: failure"},
    {v1::DEPOSIT_STATE_COMPLETED, v1::DEPOSIT_STATE_REVERSED, E::kDebitCash,
     "chargeback or refund"},
}};

std::string DepositField(absl::string_view deposit_id) {
  return absl::StrCat("account.deposits[\"", deposit_id, "\"]");
}

v1::Deposit* FindDeposit(v1::Account& account, absl::string_view deposit_id) {
  for (v1::Deposit& deposit : *account.mutable_deposits()) {
    if (deposit.deposit_id() == deposit_id) return &deposit;
  }
  return nullptr;
}

absl::Status CheckNotClosed(const v1::Account& account) {
  if (account.status() == v1::ACCOUNT_STATUS_CLOSED) {
    return absl::FailedPreconditionError("account.status: account is closed");
  }
  return absl::OkStatus();
}

absl::Status Record(v1::Account& draft, v1::VelocityMetric metric, int64_t amount,
                    absl::Time now) {
  return RecordVelocity(draft.mutable_velocity(), metric, amount, now);
}

// Applies the move `row` to `deposit` inside `draft`.
absl::Status ApplyMove(v1::Account& draft, v1::Deposit& deposit,
                       const DepositTransition& row, const DepositUpdate& update,
                       absl::Time now) {
  const std::string field = DepositField(deposit.deposit_id());
  const v1::DepositState from = deposit.state();
  const v1::DepositState to = row.to;

  if (from == v1::DEPOSIT_STATE_INITIATED &&
      (to == v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION || to == v1::DEPOSIT_STATE_PENDING)) {
    // Accepting the deposit: responsible-gambling blocks are enforced here.
    PITBOSS_ASSIGN_OR_RETURN(DepositAllowance allowance,
                             CheckDepositAllowed(draft, deposit.amount(), now));
    if (!allowance.allowed()) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": deposit blocked (", GamblingBlockName(allowance.block), ": ",
          allowance.reason, "); decline it instead"));
    }
  }

  switch (row.effect) {
    case E::kNone:
      break;
    case E::kCreditCash: {
      v1::Balances& balances = *draft.mutable_balances();
      v1::LedgerTotals& totals = *draft.mutable_totals();
      PITBOSS_RETURN_IF_ERROR(
          AddToMoney(balances.mutable_cash(), deposit.net_amount(), "account.balances.cash"));
      PITBOSS_RETURN_IF_ERROR(AddToMoney(totals.mutable_deposits_credited(),
                                         deposit.net_amount(),
                                         "account.totals.deposits_credited"));
      PITBOSS_RETURN_IF_ERROR(AddToMoney(totals.mutable_fees_charged(), deposit.fee(),
                                         "account.totals.fees_charged"));
      totals.set_completed_deposit_count(totals.completed_deposit_count() + 1);
      if (v1::PaymentInstrument* instrument =
              FindMutableInstrument(draft, deposit.instrument_id())) {
        instrument->set_used_to_deposit(true);
        if (!IsSet(instrument->first_deposit_at())) {
          *instrument->mutable_first_deposit_at() = ToProtoTime(now);
        }
        *instrument->mutable_last_deposit_at() = ToProtoTime(now);
        instrument->set_completed_deposit_count(instrument->completed_deposit_count() + 1);
        PITBOSS_RETURN_IF_ERROR(AddToMoney(
            instrument->mutable_total_deposited(), deposit.amount(),
            absl::StrCat("account.instruments[\"", deposit.instrument_id(),
                         "\"].total_deposited")));
      }
      PITBOSS_RETURN_IF_ERROR(
          domain_internal::RecordDepositLimitUsage(draft, deposit.amount(), now));
      if (deposit.three_ds_result() != v1::THREE_DS_RESULT_AUTHENTICATED) {
        v1::StrongAuthTracker& sca = *draft.mutable_strong_auth();
        PITBOSS_RETURN_IF_ERROR(AddToMoney(sca.mutable_amount_since(), deposit.amount(),
                                           "account.strong_auth.amount_since"));
        sca.set_payments_since(sca.payments_since() + 1);
      }
      PITBOSS_RETURN_IF_ERROR(Record(draft, v1::VELOCITY_METRIC_DEPOSIT_COMPLETED,
                                     deposit.amount().minor_units(), now));
      *deposit.mutable_completed_at() = ToProtoTime(now);
      break;
    }
    case E::kDebitCash: {
      PITBOSS_RETURN_IF_ERROR(SubtractFromMoney(draft.mutable_balances()->mutable_cash(),
                                                deposit.net_amount(),
                                                "account.balances.cash"));
      PITBOSS_RETURN_IF_ERROR(AddToMoney(draft.mutable_totals()->mutable_deposits_reversed(),
                                         deposit.net_amount(),
                                         "account.totals.deposits_reversed"));
      *deposit.mutable_reversed_amount() = deposit.net_amount();
      *deposit.mutable_reversed_at() = ToProtoTime(now);
      PITBOSS_RETURN_IF_ERROR(Record(draft, v1::VELOCITY_METRIC_DEPOSIT_REVERSED,
                                     deposit.net_amount().minor_units(), now));
      break;
    }
    default:
      return absl::InternalError(
          absl::StrCat(field, ": deposit table holds a withdrawal effect"));
  }

  if (to == v1::DEPOSIT_STATE_DECLINED || to == v1::DEPOSIT_STATE_FAILED ||
      to == v1::DEPOSIT_STATE_EXPIRED || to == v1::DEPOSIT_STATE_CANCELLED) {
    PITBOSS_RETURN_IF_ERROR(
        Record(draft, v1::VELOCITY_METRIC_DEPOSIT_UNSUCCESSFUL, 0, now));
  }
  if (update.three_ds_result != v1::THREE_DS_RESULT_UNSPECIFIED) {
    deposit.set_three_ds_result(update.three_ds_result);
    *deposit.mutable_authenticated_at() = ToProtoTime(now);
    if (update.three_ds_result == v1::THREE_DS_RESULT_AUTHENTICATED) {
      v1::StrongAuthTracker& sca = *draft.mutable_strong_auth();
      *sca.mutable_last_strong_auth_at() = ToProtoTime(now);
      *sca.mutable_amount_since() = MakeMoney(0, deposit.amount().currency());
      sca.set_payments_since(0);
    }
  }
  if (!update.provider_reference.empty()) {
    deposit.set_provider_reference(update.provider_reference);
  }
  if (!update.failure_reason.empty()) deposit.set_failure_reason(update.failure_reason);
  deposit.set_state(to);
  *deposit.mutable_updated_at() = ToProtoTime(now);
  return absl::OkStatus();
}

absl::Status ValidateTarget(v1::DepositState to, absl::string_view field) {
  if (to == v1::DEPOSIT_STATE_UNSPECIFIED || !v1::DepositState_IsValid(to)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": invalid target state ", static_cast<int>(to)));
  }
  return absl::OkStatus();
}

// Looks up the deposit and the table row from its state to `to`.
absl::Status MoveDeposit(v1::Account& draft, absl::string_view deposit_id,
                         absl::string_view id_field, v1::DepositState to,
                         const DepositUpdate& update, absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateId(deposit_id, id_field));
  PITBOSS_RETURN_IF_ERROR(ValidateTarget(to, "to"));
  PITBOSS_RETURN_IF_ERROR(CheckNotClosed(draft));
  v1::Deposit* deposit = FindDeposit(draft, deposit_id);
  if (deposit == nullptr) {
    return absl::NotFoundError(absl::StrCat(id_field, ": no deposit \"", deposit_id, "\""));
  }
  const DepositTransition* row = FindDepositTransition(deposit->state(), to);
  if (row == nullptr) {
    std::vector<std::string> allowed;
    for (v1::DepositState target : DepositTargets(deposit->state())) {
      allowed.emplace_back(DepositStateName(target));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        DepositField(deposit_id), ".state: deposit cannot move from ",
        DepositStateName(deposit->state()), " to ", DepositStateName(to),
        allowed.empty() ? std::string(" (it is final)")
                        : absl::StrCat(" (allowed: ", absl::StrJoin(allowed, ", "), ")")));
  }
  return ApplyMove(draft, *deposit, *row, update, now);
}

}  // namespace

absl::Span<const DepositTransition> DepositTransitionTable() { return kDepositTable; }

const DepositTransition* FindDepositTransition(v1::DepositState from, v1::DepositState to) {
  return domain_internal::FindTransition(DepositTransitionTable(), from, to);
}

std::vector<v1::DepositState> DepositTargets(v1::DepositState from) {
  return domain_internal::TransitionTargets(DepositTransitionTable(), from);
}

bool IsFinalDepositState(v1::DepositState state) {
  return state != v1::DEPOSIT_STATE_UNSPECIFIED && DepositTargets(state).empty();
}

absl::string_view DepositStateName(v1::DepositState state) {
  return domain_internal::StateNameWithoutPrefix(v1::DepositState_Name(state),
                                                 "DEPOSIT_STATE_");
}

absl::Status CreateDeposit(v1::Account* account, const v1::Event& event,
                           const FeeSchedule& fees, absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  PITBOSS_RETURN_IF_ERROR(ValidateEventFor(*account, event, v1::Event::kDepositRequested));
  PITBOSS_RETURN_IF_ERROR(ValidateFeeSchedule(fees, "fee_schedule"));
  const v1::DepositRequested& request = event.deposit_requested();
  PITBOSS_RETURN_IF_ERROR(
      ValidateId(request.deposit_id(), "event.deposit_requested.deposit_id"));
  PITBOSS_RETURN_IF_ERROR(
      ValidatePositiveMoney(request.amount(), "event.deposit_requested.amount"));
  return ApplyAccountChange(account, now, kSectionDeposits | kSectionInstruments, [&](v1::Account& draft) -> absl::Status {
    PITBOSS_RETURN_IF_ERROR(CheckNotClosed(draft));
    const std::string& currency = draft.profile().currency();
    if (currency.empty()) {
      return absl::FailedPreconditionError("account.profile.currency: not set");
    }
    PITBOSS_RETURN_IF_ERROR(
        CheckCurrency(request.amount(), currency, "event.deposit_requested.amount"));
    if (FindDeposit(draft, request.deposit_id()) != nullptr) {
      return absl::AlreadyExistsError(absl::StrCat(
          "event.deposit_requested.deposit_id: deposit \"", request.deposit_id(),
          "\" already exists"));
    }
    std::string instrument_id = request.instrument_id();
    if (request.has_new_instrument()) {
      const v1::PaymentInstrument& fresh = request.new_instrument();
      PITBOSS_RETURN_IF_ERROR(
          ValidateNewInstrument(fresh, "event.deposit_requested.new_instrument"));
      if (!instrument_id.empty() && instrument_id != fresh.instrument_id()) {
        return absl::InvalidArgumentError(
            "event.deposit_requested.instrument_id: differs from "
            "new_instrument.instrument_id");
      }
      if (FindInstrument(draft, fresh.instrument_id()) != nullptr) {
        return absl::AlreadyExistsError(absl::StrCat(
            "event.deposit_requested.new_instrument.instrument_id: instrument \"",
            fresh.instrument_id(), "\" already exists"));
      }
      v1::PaymentInstrument& added = *draft.add_instruments();
      added.set_instrument_id(fresh.instrument_id());
      added.set_kind(fresh.kind());
      added.set_status(v1::INSTRUMENT_STATUS_ACTIVE);
      switch (fresh.details_case()) {
        case v1::PaymentInstrument::kCard:
          *added.mutable_card() = fresh.card();
          break;
        case v1::PaymentInstrument::kBankAccount:
          *added.mutable_bank_account() = fresh.bank_account();
          break;
        case v1::PaymentInstrument::kEWallet:
          *added.mutable_e_wallet() = fresh.e_wallet();
          break;
        case v1::PaymentInstrument::kCryptoOnramp:
          *added.mutable_crypto_onramp() = fresh.crypto_onramp();
          break;
        default:
          break;
      }
      *added.mutable_added_at() = ToProtoTime(now);
      instrument_id = fresh.instrument_id();
      PITBOSS_RETURN_IF_ERROR(Record(draft, v1::VELOCITY_METRIC_INSTRUMENT_ADDED, 0, now));
    }
    PITBOSS_RETURN_IF_ERROR(RequireActiveInstrument(
                                draft, instrument_id, "event.deposit_requested.instrument_id")
                                .status());
    PITBOSS_ASSIGN_OR_RETURN(
        v1::Money fee, ComputeFee(request.amount(), fees, "event.deposit_requested.amount"));
    PITBOSS_ASSIGN_OR_RETURN(
        v1::Money net, NetOfFee(request.amount(), fee, "event.deposit_requested.amount"));
    v1::Deposit& deposit = *draft.add_deposits();
    deposit.set_deposit_id(request.deposit_id());
    deposit.set_state(v1::DEPOSIT_STATE_INITIATED);
    deposit.set_instrument_id(instrument_id);
    *deposit.mutable_amount() = request.amount();
    *deposit.mutable_fee() = std::move(fee);
    *deposit.mutable_net_amount() = std::move(net);
    *deposit.mutable_created_at() = ToProtoTime(now);
    *deposit.mutable_updated_at() = ToProtoTime(now);
    deposit.set_channel(event.channel());
    deposit.set_device_id(event.device().device_id());
    PITBOSS_RETURN_IF_ERROR(Record(draft, v1::VELOCITY_METRIC_DEPOSIT_REQUESTED,
                                   request.amount().minor_units(), now));
    draft.set_last_event_id(event.event_id());
    return absl::OkStatus();
  });
}

absl::Status TransitionDeposit(v1::Account* account, absl::string_view deposit_id,
                               v1::DepositState to, const DepositUpdate& update,
                               absl::Time now) {
  return ApplyAccountChange(account, now, kDepositMoveSections, [&](v1::Account& draft) {
    return MoveDeposit(draft, deposit_id, "deposit_id", to, update, now);
  });
}

absl::Status ApplyDepositAuthenticated(v1::Account* account, const v1::Event& event,
                                       absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  PITBOSS_RETURN_IF_ERROR(
      ValidateEventFor(*account, event, v1::Event::kDepositAuthenticated));
  const v1::DepositAuthenticated& auth = event.deposit_authenticated();
  DepositUpdate update;
  update.three_ds_result = auth.result();
  v1::DepositState to;
  switch (auth.result()) {
    case v1::THREE_DS_RESULT_AUTHENTICATED:
    case v1::THREE_DS_RESULT_ATTEMPTED:
    case v1::THREE_DS_RESULT_EXEMPT:
      to = v1::DEPOSIT_STATE_PENDING;
      break;
    case v1::THREE_DS_RESULT_FAILED:
    case v1::THREE_DS_RESULT_REJECTED:
    case v1::THREE_DS_RESULT_UNAVAILABLE:
      to = v1::DEPOSIT_STATE_FAILED;
      update.failure_reason =
          absl::StrCat("3-D Secure ", v1::ThreeDsResult_Name(auth.result()));
      break;
    case v1::THREE_DS_RESULT_TIMED_OUT:
      to = v1::DEPOSIT_STATE_EXPIRED;
      update.failure_reason = "3-D Secure timed out";
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("event.deposit_authenticated.result: invalid value ",
                       static_cast<int>(auth.result())));
  }
  return ApplyAccountChange(account, now, kDepositMoveSections, [&](v1::Account& draft) -> absl::Status {
    v1::Deposit* deposit = FindDeposit(draft, auth.deposit_id());
    if (deposit != nullptr && deposit->state() != v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION) {
      return absl::FailedPreconditionError(absl::StrCat(
          DepositField(auth.deposit_id()), ".state: an authentication result needs "
          "AWAITING_AUTHENTICATION, the deposit is ", DepositStateName(deposit->state())));
    }
    PITBOSS_RETURN_IF_ERROR(MoveDeposit(draft, auth.deposit_id(),
                                        "event.deposit_authenticated.deposit_id", to,
                                        update, now));
    draft.set_last_event_id(event.event_id());
    return absl::OkStatus();
  });
}

absl::Status ApplyDepositSettled(v1::Account* account, const v1::Event& event,
                                 absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  PITBOSS_RETURN_IF_ERROR(ValidateEventFor(*account, event, v1::Event::kDepositSettled));
  const v1::DepositSettled& settled = event.deposit_settled();
  DepositUpdate update;
  update.provider_reference = settled.provider_reference();
  v1::DepositState to;
  switch (settled.outcome()) {
    case v1::SETTLEMENT_OUTCOME_SUCCEEDED:
      to = v1::DEPOSIT_STATE_COMPLETED;
      break;
    case v1::SETTLEMENT_OUTCOME_FAILED:
      to = v1::DEPOSIT_STATE_FAILED;
      update.failure_reason = settled.failure_code().empty()
                                  ? std::string("provider reported failure")
                                  : settled.failure_code();
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("event.deposit_settled.outcome: invalid value ",
                       static_cast<int>(settled.outcome())));
  }
  return ApplyAccountChange(account, now, kDepositMoveSections, [&](v1::Account& draft) -> absl::Status {
    PITBOSS_RETURN_IF_ERROR(MoveDeposit(draft, settled.deposit_id(),
                                        "event.deposit_settled.deposit_id", to, update, now));
    draft.set_last_event_id(event.event_id());
    return absl::OkStatus();
  });
}

absl::Status ApplyDepositReversed(v1::Account* account, const v1::Event& event,
                                  absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  PITBOSS_RETURN_IF_ERROR(ValidateEventFor(*account, event, v1::Event::kDepositReversed));
  const v1::DepositReversed& reversed = event.deposit_reversed();
  if (reversed.kind() != v1::REVERSAL_KIND_CHARGEBACK &&
      reversed.kind() != v1::REVERSAL_KIND_REFUND) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event.deposit_reversed.kind: must be CHARGEBACK or REFUND (got ",
        static_cast<int>(reversed.kind()), ")"));
  }
  DepositUpdate update;
  update.failure_reason =
      absl::StrCat(v1::ReversalKind_Name(reversed.kind()),
                   reversed.reason_code().empty() ? "" : ": ", reversed.reason_code());
  return ApplyAccountChange(account, now, kDepositMoveSections, [&](v1::Account& draft) -> absl::Status {
    PITBOSS_RETURN_IF_ERROR(MoveDeposit(draft, reversed.deposit_id(),
                                        "event.deposit_reversed.deposit_id",
                                        v1::DEPOSIT_STATE_REVERSED, update, now));
    if (reversed.kind() == v1::REVERSAL_KIND_CHARGEBACK) {
      const v1::Deposit* deposit = FindDeposit(draft, reversed.deposit_id());
      if (v1::PaymentInstrument* instrument =
              FindMutableInstrument(draft, deposit->instrument_id())) {
        instrument->set_status(v1::INSTRUMENT_STATUS_BLOCKED);
      }
    }
    draft.set_last_event_id(event.event_id());
    return absl::OkStatus();
  });
}

}  // namespace domain
}  // namespace pitboss
