// Resolves the payment an event is about (see event_subject.h).
#include "src/risk/internal/event_subject.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/common/status_macros.h"
#include "src/domain/money.h"
#include "src/risk/internal/feature_util.h"

namespace pitboss {
namespace risk_internal {
namespace {

// Fills the amount from `money` after checking it: positive (or, for a stake,
// not negative) and in the account's currency when the profile names one.
absl::Status SetAmount(const v1::Account& account, const v1::Money& money,
                       bool allow_zero, absl::string_view field, EventSubject& subject) {
  if (allow_zero) {
    PITBOSS_RETURN_IF_ERROR(domain::ValidateNonNegativeMoney(money, field));
  } else {
    PITBOSS_RETURN_IF_ERROR(domain::ValidatePositiveMoney(money, field));
  }
  const std::string& account_currency = account.profile().currency();
  if (!account_currency.empty()) {
    PITBOSS_RETURN_IF_ERROR(domain::CheckCurrency(money, account_currency, field));
  }
  subject.has_amount = true;
  subject.amount_minor_units = money.minor_units();
  subject.currency = money.currency();
  return absl::OkStatus();
}

// The registered instrument with `id` and its path; NOT_FOUND naming `field`.
absl::Status SetRegisteredInstrument(const v1::Account& account, absl::string_view id,
                                     absl::string_view field, EventSubject& subject) {
  PITBOSS_RETURN_IF_ERROR(risk_internal::ValidateId(id, field));
  for (int i = 0; i < account.instruments_size(); ++i) {
    if (account.instruments(i).instrument_id() == id) {
      subject.instrument = &account.instruments(i);
      subject.instrument_index = i;
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError(
      absl::StrCat(field, ": no instrument \"", id, "\" on the account"));
}

absl::Status ResolveDeposit(const v1::Account& account, absl::string_view deposit_id,
                            absl::string_view field, EventSubject& subject) {
  PITBOSS_RETURN_IF_ERROR(risk_internal::ValidateId(deposit_id, field));
  for (int i = 0; i < account.deposits_size(); ++i) {
    const v1::Deposit& deposit = account.deposits(i);
    if (deposit.deposit_id() != deposit_id) continue;
    subject.is_deposit = true;
    subject.payment_id = deposit.deposit_id();
    // The paths are built only for an error (the checks are deterministic).
    if (!SetAmount(account, deposit.amount(), /*allow_zero=*/false, "", subject).ok()) {
      return SetAmount(account, deposit.amount(), /*allow_zero=*/false,
                       absl::StrCat("account.deposits[", i, "].amount"), subject);
    }
    if (!SetRegisteredInstrument(account, deposit.instrument_id(), "", subject).ok()) {
      return SetRegisteredInstrument(account, deposit.instrument_id(),
                                     absl::StrCat("account.deposits[", i, "].instrument_id"),
                                     subject);
    }
    return absl::OkStatus();
  }
  return absl::NotFoundError(
      absl::StrCat(field, ": no deposit \"", deposit_id, "\" on the account"));
}

absl::Status ResolveWithdrawal(const v1::Account& account, absl::string_view withdrawal_id,
                               absl::string_view field, EventSubject& subject) {
  PITBOSS_RETURN_IF_ERROR(risk_internal::ValidateId(withdrawal_id, field));
  for (int i = 0; i < account.withdrawals_size(); ++i) {
    const v1::Withdrawal& withdrawal = account.withdrawals(i);
    if (withdrawal.withdrawal_id() != withdrawal_id) continue;
    subject.is_withdrawal = true;
    subject.payment_id = withdrawal.withdrawal_id();
    // The paths are built only for an error (the checks are deterministic).
    if (!SetAmount(account, withdrawal.amount(), /*allow_zero=*/false, "", subject).ok()) {
      return SetAmount(account, withdrawal.amount(), /*allow_zero=*/false,
                       absl::StrCat("account.withdrawals[", i, "].amount"), subject);
    }
    if (!SetRegisteredInstrument(account, withdrawal.instrument_id(), "", subject).ok()) {
      return SetRegisteredInstrument(account, withdrawal.instrument_id(),
                                     absl::StrCat("account.withdrawals[", i, "].instrument_id"),
                                     subject);
    }
    return absl::OkStatus();
  }
  return absl::NotFoundError(
      absl::StrCat(field, ": no withdrawal \"", withdrawal_id, "\" on the account"));
}

}  // namespace

std::string EventSubject::InstrumentField() const {
  if (instrument_index < 0) return "event.deposit_requested.new_instrument";
  return absl::StrCat("account.instruments[", instrument_index, "]");
}

absl::StatusOr<EventSubject> ResolveEventSubject(const v1::Account& account,
                                                 const v1::Event& event) {
  EventSubject subject;
  switch (event.kind_case()) {
    case v1::Event::kDepositRequested: {
      const v1::DepositRequested& request = event.deposit_requested();
      subject.is_deposit = true;
      subject.payment_id = request.deposit_id();
      PITBOSS_RETURN_IF_ERROR(SetAmount(account, request.amount(), /*allow_zero=*/false,
                                        "event.deposit_requested.amount", subject));
      if (request.has_new_instrument()) {
        const v1::PaymentInstrument& instrument = request.new_instrument();
        PITBOSS_RETURN_IF_ERROR(risk_internal::ValidateId(
            instrument.instrument_id(),
            "event.deposit_requested.new_instrument.instrument_id"));
        // Presented as new but already registered: it is the registered one.
        for (int i = 0; i < account.instruments_size(); ++i) {
          if (account.instruments(i).instrument_id() == instrument.instrument_id()) {
            subject.instrument = &account.instruments(i);
            subject.instrument_index = i;
            return subject;
          }
        }
        subject.instrument = &instrument;
        subject.instrument_index = -1;
        subject.new_instrument = true;
        return subject;
      }
      PITBOSS_RETURN_IF_ERROR(SetRegisteredInstrument(
          account, request.instrument_id(), "event.deposit_requested.instrument_id",
          subject));
      return subject;
    }
    case v1::Event::kWithdrawalRequested: {
      const v1::WithdrawalRequested& request = event.withdrawal_requested();
      subject.is_withdrawal = true;
      subject.payment_id = request.withdrawal_id();
      PITBOSS_RETURN_IF_ERROR(SetAmount(account, request.amount(), /*allow_zero=*/false,
                                        "event.withdrawal_requested.amount", subject));
      PITBOSS_RETURN_IF_ERROR(SetRegisteredInstrument(
          account, request.instrument_id(), "event.withdrawal_requested.instrument_id",
          subject));
      return subject;
    }
    case v1::Event::kDepositAuthenticated:
      PITBOSS_RETURN_IF_ERROR(ResolveDeposit(account,
                                             event.deposit_authenticated().deposit_id(),
                                             "event.deposit_authenticated.deposit_id",
                                             subject));
      return subject;
    case v1::Event::kDepositSettled:
      PITBOSS_RETURN_IF_ERROR(ResolveDeposit(account, event.deposit_settled().deposit_id(),
                                             "event.deposit_settled.deposit_id", subject));
      return subject;
    case v1::Event::kDepositReversed:
      PITBOSS_RETURN_IF_ERROR(ResolveDeposit(account, event.deposit_reversed().deposit_id(),
                                             "event.deposit_reversed.deposit_id", subject));
      return subject;
    case v1::Event::kWithdrawalCancelled:
      PITBOSS_RETURN_IF_ERROR(ResolveWithdrawal(
          account, event.withdrawal_cancelled().withdrawal_id(),
          "event.withdrawal_cancelled.withdrawal_id", subject));
      return subject;
    case v1::Event::kWithdrawalReviewed:
      PITBOSS_RETURN_IF_ERROR(ResolveWithdrawal(
          account, event.withdrawal_reviewed().withdrawal_id(),
          "event.withdrawal_reviewed.withdrawal_id", subject));
      return subject;
    case v1::Event::kWithdrawalSentToProvider:
      PITBOSS_RETURN_IF_ERROR(ResolveWithdrawal(
          account, event.withdrawal_sent_to_provider().withdrawal_id(),
          "event.withdrawal_sent_to_provider.withdrawal_id", subject));
      return subject;
    case v1::Event::kWithdrawalPaid:
      PITBOSS_RETURN_IF_ERROR(ResolveWithdrawal(account,
                                                event.withdrawal_paid().withdrawal_id(),
                                                "event.withdrawal_paid.withdrawal_id",
                                                subject));
      return subject;
    case v1::Event::kWithdrawalFailed:
      PITBOSS_RETURN_IF_ERROR(ResolveWithdrawal(account,
                                                event.withdrawal_failed().withdrawal_id(),
                                                "event.withdrawal_failed.withdrawal_id",
                                                subject));
      return subject;
    case v1::Event::kWagerSettled:
      PITBOSS_RETURN_IF_ERROR(SetAmount(account, event.wager_settled().stake(),
                                        /*allow_zero=*/true, "event.wager_settled.stake",
                                        subject));
      return subject;
    default:
      return subject;
  }
}

}  // namespace risk_internal
}  // namespace pitboss
