// Instrument, closed loop, withdrawal size vs history (see payment_features.h).
#include "src/risk/payment_features.h"

#include <limits>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/risk/internal/feature_util.h"

namespace pitboss {
namespace risk {
namespace {

absl::Status AddInstrumentFeatures(const risk_internal::EventSubject& subject,
                                   absl::Time now, v1::Features* features) {
  if (subject.instrument == nullptr) return absl::OkStatus();
  const v1::PaymentInstrument& instrument = *subject.instrument;
  if (!v1::InstrumentKind_IsValid(instrument.kind())) {
    return absl::InvalidArgumentError(absl::StrCat(subject.InstrumentField(),
                                                   ".kind: unknown value ",
                                                   static_cast<int>(instrument.kind())));
  }
  absl::StatusOr<absl::Time> read = risk_internal::ReadTime(instrument.added_at(), "");
  if (!read.ok()) {  // the path only for the error
    read = risk_internal::ReadTime(instrument.added_at(),
                                   absl::StrCat(subject.InstrumentField(), ".added_at"));
  }
  PITBOSS_ASSIGN_OR_RETURN(const absl::Time added, std::move(read));
  features->set_has_instrument(true);
  features->set_instrument_kind(instrument.kind());
  features->set_new_instrument(subject.new_instrument);
  features->set_instrument_age_seconds(
      subject.new_instrument || added == absl::InfinitePast()
          ? 0
          : risk_internal::SecondsSince(added, now));
  return absl::OkStatus();
}

// floor(amount * 10000 * count / total), exact; 0 unless all are positive.
int64_t RatioToAverageBps(int64_t amount, int64_t total, int64_t count) {
  if (amount <= 0 || total <= 0 || count <= 0) return 0;
  const absl::int128 ratio = absl::int128(amount) * 10000 * count / total;
  if (ratio > absl::int128(std::numeric_limits<int64_t>::max())) {
    return std::numeric_limits<int64_t>::max();
  }
  return static_cast<int64_t>(ratio);
}

}  // namespace

absl::Status AddPaymentFeatures(const v1::Account& account,
                                const risk_internal::EventSubject& subject, absl::Time now,
                                v1::Features* features) {
  PITBOSS_RETURN_IF_ERROR(AddInstrumentFeatures(subject, now, features));

  // Average completed deposit (net of fees), from the ledger totals.
  const v1::LedgerTotals& totals = account.totals();
  const int64_t deposited = totals.deposits_credited().minor_units();
  const int64_t deposit_count = totals.completed_deposit_count();
  if (deposited < 0) {
    return absl::InvalidArgumentError(
        "account.totals.deposits_credited: must not be negative");
  }
  if (deposit_count < 0) {
    return absl::InvalidArgumentError(
        "account.totals.completed_deposit_count: must not be negative");
  }
  features->set_average_deposit_minor_units(deposit_count > 0 ? deposited / deposit_count
                                                              : 0);

  // The largest paid withdrawal the account keeps, other than this one.
  int64_t max_previous = 0;
  bool has_previous = false;
  for (int i = 0; i < account.withdrawals_size(); ++i) {
    const v1::Withdrawal& withdrawal = account.withdrawals(i);
    if (withdrawal.state() != v1::WITHDRAWAL_STATE_PAID) continue;
    if (subject.is_withdrawal && withdrawal.withdrawal_id() == subject.payment_id) continue;
    if (withdrawal.amount().minor_units() < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("account.withdrawals[", i, "].amount: must not be negative"));
    }
    has_previous = true;
    if (withdrawal.amount().minor_units() > max_previous) {
      max_previous = withdrawal.amount().minor_units();
    }
  }
  features->set_has_previous_withdrawal(has_previous);
  features->set_max_previous_withdrawal_minor_units(max_previous);

  if (!subject.is_withdrawal) return absl::OkStatus();
  features->set_is_withdrawal(true);
  // Closed loop: the destination completed at least one deposit.
  const bool used_to_deposit =
      subject.instrument != nullptr && subject.instrument->used_to_deposit();
  features->set_payout_destination_used_to_deposit(used_to_deposit);
  features->set_payout_to_non_deposit_source(!used_to_deposit);
  features->set_withdrawal_to_max_previous_bps(
      risk_internal::RatioBps(subject.amount_minor_units, max_previous));
  features->set_withdrawal_to_average_deposit_bps(
      RatioToAverageBps(subject.amount_minor_units, deposited, deposit_count));
  return absl::OkStatus();
}

}  // namespace risk
}  // namespace pitboss
