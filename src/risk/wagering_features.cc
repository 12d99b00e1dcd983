// Wagering since the last deposit and stakes vs deposits (see
// wagering_features.h).
#include "src/risk/wagering_features.h"

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/velocity.h"
#include "src/risk/features.h"
#include "src/risk/internal/feature_util.h"
#include "src/risk/internal/velocity_buckets.h"

namespace pitboss {
namespace risk {

absl::Status AddWageringFeatures(const v1::Account& account,
                                 const risk_internal::EventSubject& subject, absl::Time now,
                                 v1::Features* features) {
  // The latest completed deposit (a later entry wins a tie).
  const v1::Deposit* last = nullptr;
  absl::Time last_at = absl::InfinitePast();
  for (int i = 0; i < account.deposits_size(); ++i) {
    const v1::Deposit& deposit = account.deposits(i);
    if (deposit.state() != v1::DEPOSIT_STATE_COMPLETED) continue;
    PITBOSS_ASSIGN_OR_RETURN(absl::Time completed,
                             risk_internal::ReadIndexedTime(deposit.completed_at(),
                                                            "account.deposits", i,
                                                            ".completed_at"));
    if (completed == absl::InfinitePast()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "account.deposits[", i, "].completed_at: must be set on a COMPLETED deposit"));
    }
    if (deposit.amount().minor_units() < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("account.deposits[", i, "].amount: must not be negative"));
    }
    if (last == nullptr || completed >= last_at) {
      last = &deposit;
      last_at = completed;
    }
  }

  const v1::LedgerTotals& totals = account.totals();
  if (totals.wagers_staked().minor_units() < 0) {
    return absl::InvalidArgumentError("account.totals.wagers_staked: must not be negative");
  }
  if (totals.deposits_credited().minor_units() < 0) {
    return absl::InvalidArgumentError(
        "account.totals.deposits_credited: must not be negative");
  }
  features->set_lifetime_wagered_to_deposited_bps(risk_internal::RatioBps(
      totals.wagers_staked().minor_units(), totals.deposits_credited().minor_units()));
  PITBOSS_ASSIGN_OR_RETURN(
      domain::VelocityTotals staked_30d,
      domain::QueryVelocity(account.velocity(), v1::VELOCITY_METRIC_WAGER_STAKE,
                            v1::VELOCITY_WINDOW_30D, now));
  PITBOSS_ASSIGN_OR_RETURN(
      domain::VelocityTotals deposited_30d,
      domain::QueryVelocity(account.velocity(), v1::VELOCITY_METRIC_DEPOSIT_COMPLETED,
                            v1::VELOCITY_WINDOW_30D, now));
  features->set_wagered_to_deposited_30d_bps(
      risk_internal::RatioBps(staked_30d.sum_minor_units, deposited_30d.sum_minor_units));

  if (last == nullptr) {
    features->set_seconds_since_last_deposit(kNever);
    return absl::OkStatus();
  }
  PITBOSS_ASSIGN_OR_RETURN(
      risk_internal::TotalsSince wagered,
      risk_internal::SumSince(account.velocity(), v1::VELOCITY_METRIC_WAGER_STAKE, last_at,
                              now));
  const int64_t last_amount = last->amount().minor_units();
  features->set_has_completed_deposit(true);
  features->set_seconds_since_last_deposit(risk_internal::SecondsSince(last_at, now));
  features->set_last_deposit_minor_units(last_amount);
  features->set_wagered_since_last_deposit_minor_units(wagered.totals.sum_minor_units);
  features->set_wagered_since_last_deposit_bps(
      risk_internal::RatioBps(wagered.totals.sum_minor_units, last_amount));
  features->set_withdrawal_without_play(subject.is_withdrawal &&
                                        wagered.totals.sum_minor_units == 0);
  return absl::OkStatus();
}

}  // namespace risk
}  // namespace pitboss
