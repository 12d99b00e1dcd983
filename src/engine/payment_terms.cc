// Payment terms (see the header).
#include "src/engine/payment_terms.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "src/common/status_macros.h"
#include "src/domain/fees.h"
#include "src/domain/limits.h"
#include "src/domain/money.h"
#include "src/domain/proto_time.h"
#include "src/engine/policy_options.h"
#include "src/engine/policy_validator.h"

namespace pitboss {
namespace engine {
namespace {

PaymentQuote Refused(PaymentQuote quote, std::string code, std::string message) {
  quote.allowed = false;
  quote.refusal_code = std::move(code);
  quote.refusal_message = std::move(message);
  return quote;
}

const v1::PaymentDirectionTerms* FindDirection(const v1::PaymentMethod& method,
                                               v1::PaymentDirection direction) {
  for (const v1::PaymentDirectionTerms& terms : method.directions()) {
    if (terms.direction() == direction) return &terms;
  }
  return nullptr;
}

const v1::CurrencyTerms* FindCurrency(const v1::PaymentDirectionTerms& terms,
                                      const std::string& currency) {
  for (const v1::CurrencyTerms& entry : terms.currencies()) {
    if (entry.currency() == currency) return &entry;
  }
  return nullptr;
}

bool CountsTowardsDailyDeposit(v1::DepositState state) {
  switch (state) {
    case v1::DEPOSIT_STATE_INITIATED:
    case v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION:
    case v1::DEPOSIT_STATE_PENDING:
    case v1::DEPOSIT_STATE_COMPLETED:
      return true;
    default:
      return false;
  }
}

bool CountsTowardsDailyWithdrawal(v1::WithdrawalState state) {
  switch (state) {
    case v1::WITHDRAWAL_STATE_REJECTED:
    case v1::WITHDRAWAL_STATE_CANCELLED:
    case v1::WITHDRAWAL_STATE_FAILED:
    case v1::WITHDRAWAL_STATE_RETURNED:
    case v1::WITHDRAWAL_STATE_UNSPECIFIED:
      return false;
    default:
      return true;
  }
}

std::string DirectionWord(v1::PaymentDirection direction) {
  return direction == v1::PAYMENT_DIRECTION_DEPOSIT ? "deposits" : "withdrawals";
}

}  // namespace

absl::StatusOr<PaymentCatalog> PaymentCatalog::Create(const v1::Policy& policy) {
  v1::Policy methods_only;
  methods_only.set_policy_id("payment_methods");
  *methods_only.mutable_payment_methods() = policy.payment_methods();
  std::vector<std::string> problems = FindPolicyProblems(methods_only);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
  }
  return PaymentCatalog(std::vector<v1::PaymentMethod>(policy.payment_methods().begin(),
                                                       policy.payment_methods().end()));
}

domain::FeeSchedule PaymentCatalog::FeeScheduleFor(const v1::PaymentInstrument& instrument,
                                                   v1::PaymentDirection direction,
                                                   const std::string& currency) const {
  const v1::PaymentMethod* method = FindMethod(instrument);
  const v1::PaymentDirectionTerms* terms =
      method == nullptr ? nullptr : FindDirection(*method, direction);
  const v1::CurrencyTerms* currency_terms =
      terms == nullptr ? nullptr : FindCurrency(*terms, currency);
  return currency_terms == nullptr ? domain::FeeSchedule{}
                                   : ToFeeSchedule(currency_terms->fee());
}

const v1::PaymentMethod* PaymentCatalog::FindMethod(
    const v1::PaymentInstrument& instrument) const {
  for (const v1::PaymentMethod& method : methods_) {
    if (method.instrument_kind() != instrument.kind()) continue;
    if (instrument.kind() == v1::INSTRUMENT_KIND_CARD && !method.card_brands().empty()) {
      bool listed = false;
      for (int brand : method.card_brands()) {
        listed = listed || brand == instrument.card().brand();
      }
      if (!listed) continue;
    }
    return &method;
  }
  return nullptr;
}

absl::StatusOr<PaymentQuote> PaymentCatalog::Quote(
    const v1::PaymentInstrument& instrument, v1::PaymentDirection direction,
    const v1::Money& amount, int64_t used_today_minor_units,
    const v1::StrongAuthTracker& strong_auth) const {
  PITBOSS_RETURN_IF_ERROR(domain::ValidatePositiveMoney(amount, "amount"));
  if (direction != v1::PAYMENT_DIRECTION_DEPOSIT &&
      direction != v1::PAYMENT_DIRECTION_WITHDRAWAL) {
    return absl::InvalidArgumentError("direction: must be DEPOSIT or WITHDRAWAL");
  }
  if (used_today_minor_units < 0) {
    return absl::InvalidArgumentError("used_today_minor_units: negative");
  }
  PaymentQuote quote;
  quote.direction = direction;
  const v1::PaymentMethod* method = FindMethod(instrument);
  if (method == nullptr) {
    return Refused(quote, "NO_PAYMENT_METHOD",
                   absl::StrCat("no payment method accepts ",
                                v1::InstrumentKind_Name(instrument.kind()),
                                instrument.kind() == v1::INSTRUMENT_KIND_CARD
                                    ? absl::StrCat(" ", v1::CardBrand_Name(instrument.card().brand()))
                                    : ""));
  }
  quote.method_id = method->method_id();
  const v1::PaymentDirectionTerms* terms = FindDirection(*method, direction);
  if (terms == nullptr || !terms->enabled()) {
    return Refused(quote, "DIRECTION_DISABLED",
                   absl::StrCat(method->method_id(), " does not take ", DirectionWord(direction)));
  }
  const v1::CurrencyTerms* currency = FindCurrency(*terms, amount.currency());
  if (currency == nullptr) {
    return Refused(quote, "CURRENCY_NOT_ACCEPTED",
                   absl::StrCat(method->method_id(), " ", DirectionWord(direction),
                                " are not accepted in ", amount.currency()));
  }
  const int64_t units = amount.minor_units();
  if (units < currency->min_per_transaction_minor_units()) {
    return Refused(quote, "BELOW_MINIMUM",
                   absl::StrCat(domain::FormatMoney(amount), " is below the minimum ",
                                domain::FormatMoney(domain::MakeMoney(
                                    currency->min_per_transaction_minor_units(),
                                    amount.currency()))));
  }
  if (currency->max_per_transaction_minor_units() > 0 &&
      units > currency->max_per_transaction_minor_units()) {
    return Refused(quote, "ABOVE_MAXIMUM",
                   absl::StrCat(domain::FormatMoney(amount), " is above the maximum ",
                                domain::FormatMoney(domain::MakeMoney(
                                    currency->max_per_transaction_minor_units(),
                                    amount.currency()))));
  }
  if (currency->daily_max_minor_units() > 0) {
    PITBOSS_ASSIGN_OR_RETURN(const int64_t total,
                             domain::CheckedAdd(used_today_minor_units, units, "amount"));
    if (total > currency->daily_max_minor_units()) {
      return Refused(
          quote, "DAILY_MAXIMUM_REACHED",
          absl::StrCat(domain::FormatMoney(amount), " would take today's ", method->method_id(),
                       " ", DirectionWord(direction), " to ",
                       domain::FormatMoney(domain::MakeMoney(total, amount.currency())),
                       ", above the daily maximum ",
                       domain::FormatMoney(domain::MakeMoney(currency->daily_max_minor_units(),
                                                             amount.currency()))));
    }
  }

  PITBOSS_ASSIGN_OR_RETURN(quote.fee,
                           domain::ComputeFee(amount, ToFeeSchedule(currency->fee()), "amount"));
  PITBOSS_ASSIGN_OR_RETURN(quote.net_amount, domain::NetOfFee(amount, quote.fee, "amount"));

  std::vector<std::string> why;
  if (currency->step_up_required() && units > currency->step_up_above_minor_units()) {
    why.push_back(currency->step_up_above_minor_units() == 0
                      ? std::string("every payment")
                      : absl::StrCat("amount above ",
                                     domain::FormatMoney(domain::MakeMoney(
                                         currency->step_up_above_minor_units(),
                                         amount.currency()))));
  }
  if (currency->step_up_cumulative_above_minor_units() > 0) {
    PITBOSS_RETURN_IF_ERROR(domain::CheckCurrency(strong_auth.amount_since(), amount.currency(),
                                                  "strong_auth.amount_since"));
    PITBOSS_ASSIGN_OR_RETURN(
        const int64_t since,
        domain::CheckedAdd(strong_auth.amount_since().minor_units(), units,
                           "strong_auth.amount_since"));
    if (since > currency->step_up_cumulative_above_minor_units()) {
      why.push_back(absl::StrCat(
          "more than ",
          domain::FormatMoney(domain::MakeMoney(currency->step_up_cumulative_above_minor_units(),
                                                amount.currency())),
          " since the last strong authentication"));
    }
  }
  if (currency->step_up_after_payments() > 0 &&
      strong_auth.payments_since() >= currency->step_up_after_payments()) {
    why.push_back(absl::StrCat("more than ", currency->step_up_after_payments(),
                               " payments since the last strong authentication"));
  }
  quote.step_up_required = !why.empty();
  if (quote.step_up_required) {
    quote.step_up_method = terms->step_up_method();
    for (int kind : terms->step_up_factor_kinds()) {
      quote.step_up_factor_kinds.push_back(static_cast<v1::FactorKind>(kind));
    }
    quote.step_up_reason = absl::StrJoin(why, "; ");
  }
  PITBOSS_ASSIGN_OR_RETURN(quote.processing_time_min,
                           ToDuration(terms->processing_time_min(), "processing_time_min"));
  PITBOSS_ASSIGN_OR_RETURN(quote.processing_time_max,
                           ToDuration(terms->processing_time_max(), "processing_time_max"));
  quote.allowed = true;
  return quote;
}

absl::StatusOr<int64_t> PaymentCatalog::UsedToday(const v1::Account& account,
                                                  absl::string_view method_id,
                                                  v1::PaymentDirection direction,
                                                  absl::Time now) const {
  PITBOSS_ASSIGN_OR_RETURN(
      const absl::Time day_start,
      domain::LimitPeriodStart(v1::LIMIT_PERIOD_DAILY, now,
                               account.profile().utc_offset_minutes()));
  auto method_of = [&](const std::string& instrument_id) -> std::string {
    for (const v1::PaymentInstrument& instrument : account.instruments()) {
      if (instrument.instrument_id() != instrument_id) continue;
      const v1::PaymentMethod* method = FindMethod(instrument);
      return method == nullptr ? std::string() : method->method_id();
    }
    return std::string();
  };
  auto today = [&](const google::protobuf::Timestamp& created_at) {
    const absl::Time at = domain::FromProtoTime(created_at);
    return at >= day_start && at <= now;
  };
  int64_t used = 0;
  if (direction == v1::PAYMENT_DIRECTION_DEPOSIT) {
    for (int i = 0; i < account.deposits_size(); ++i) {
      const v1::Deposit& deposit = account.deposits(i);
      if (!CountsTowardsDailyDeposit(deposit.state()) || !today(deposit.created_at()) ||
          method_of(deposit.instrument_id()) != method_id) {
        continue;
      }
      PITBOSS_ASSIGN_OR_RETURN(
          used, domain::CheckedAdd(used, deposit.amount().minor_units(),
                                   absl::StrCat("account.deposits[", i, "].amount")));
    }
  } else if (direction == v1::PAYMENT_DIRECTION_WITHDRAWAL) {
    for (int i = 0; i < account.withdrawals_size(); ++i) {
      const v1::Withdrawal& withdrawal = account.withdrawals(i);
      if (!CountsTowardsDailyWithdrawal(withdrawal.state()) || !today(withdrawal.created_at()) ||
          method_of(withdrawal.instrument_id()) != method_id) {
        continue;
      }
      PITBOSS_ASSIGN_OR_RETURN(
          used, domain::CheckedAdd(used, withdrawal.amount().minor_units(),
                                   absl::StrCat("account.withdrawals[", i, "].amount")));
    }
  } else {
    return absl::InvalidArgumentError("direction: must be DEPOSIT or WITHDRAWAL");
  }
  return used;
}

std::vector<Finding> PaymentFindings(const PaymentQuote& quote) {
  std::vector<Finding> findings;
  Finding finding;
  finding.source = v1::REASON_SOURCE_DOMAIN;
  finding.mode = v1::RULE_MODE_ENFORCE;
  if (!quote.allowed) {
    finding.action.mutable_deny();
    finding.code = quote.refusal_code;
    finding.message = quote.refusal_message;
    findings.push_back(std::move(finding));
  } else if (quote.step_up_required && quote.step_up_method == v1::STEP_UP_METHOD_FACTOR &&
             !quote.step_up_factor_kinds.empty()) {
    v1::ChallengeAction* challenge = finding.action.mutable_challenge();
    for (v1::FactorKind kind : quote.step_up_factor_kinds) challenge->add_factor_kinds(kind);
    finding.code = "PAYMENT_STEP_UP_REQUIRED";
    finding.message = absl::StrCat("step-up required: ", quote.step_up_reason);
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace engine
}  // namespace pitboss
