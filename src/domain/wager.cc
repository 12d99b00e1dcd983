// Settled wagers (see wager.h).
#include "src/domain/wager.h"

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/event_envelope.h"
#include "src/domain/limits.h"
#include "src/domain/money.h"
#include "src/domain/velocity.h"

namespace pitboss {
namespace domain {

absl::Status ApplyWagerSettled(v1::Account* account, const v1::Event& event,
                               absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  PITBOSS_RETURN_IF_ERROR(ValidateEventFor(*account, event, v1::Event::kWagerSettled));
  const v1::WagerSettled& wager = event.wager_settled();
  PITBOSS_RETURN_IF_ERROR(ValidateId(wager.wager_id(), "event.wager_settled.wager_id"));
  PITBOSS_RETURN_IF_ERROR(ValidateNonNegativeMoney(wager.stake(), "event.wager_settled.stake"));
  PITBOSS_RETURN_IF_ERROR(
      ValidateNonNegativeMoney(wager.payout(), "event.wager_settled.payout"));
  if (wager.stake().minor_units() == 0 && wager.payout().minor_units() == 0) {
    return absl::InvalidArgumentError(
        "event.wager_settled: stake and payout are both zero");
  }
  return ApplyAccountChange(account, now, kSectionBalances, [&](v1::Account& draft) -> absl::Status {
    const std::string& currency = draft.profile().currency();
    if (currency.empty()) {
      return absl::FailedPreconditionError("account.profile.currency: not set");
    }
    PITBOSS_RETURN_IF_ERROR(CheckCurrency(wager.stake(), currency, "event.wager_settled.stake"));
    PITBOSS_RETURN_IF_ERROR(
        CheckCurrency(wager.payout(), currency, "event.wager_settled.payout"));
    const GamblingBlock block = PlayBlock(draft, now);
    if (block != GamblingBlock::kNone) {
      return absl::FailedPreconditionError(
          absl::StrCat("account: cannot play (", GamblingBlockName(block), ")"));
    }
    v1::Balances& balances = *draft.mutable_balances();
    if (balances.cash().minor_units() < wager.stake().minor_units()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "account.balances.cash: ", FormatMoney(MakeMoney(balances.cash().minor_units(),
                                                           currency)),
          " available, stake ", FormatMoney(wager.stake())));
    }
    PITBOSS_RETURN_IF_ERROR(
        SubtractFromMoney(balances.mutable_cash(), wager.stake(), "account.balances.cash"));
    PITBOSS_RETURN_IF_ERROR(
        AddToMoney(balances.mutable_cash(), wager.payout(), "account.balances.cash"));
    v1::LedgerTotals& totals = *draft.mutable_totals();
    PITBOSS_RETURN_IF_ERROR(AddToMoney(totals.mutable_wagers_staked(), wager.stake(),
                                       "account.totals.wagers_staked"));
    PITBOSS_RETURN_IF_ERROR(AddToMoney(totals.mutable_wagers_paid_out(), wager.payout(),
                                       "account.totals.wagers_paid_out"));
    totals.set_wager_count(totals.wager_count() + 1);
    if (wager.stake().minor_units() > 0) {
      PITBOSS_RETURN_IF_ERROR(RecordVelocity(draft.mutable_velocity(),
                                             v1::VELOCITY_METRIC_WAGER_STAKE,
                                             wager.stake().minor_units(), now));
    }
    if (wager.payout().minor_units() > 0) {
      PITBOSS_RETURN_IF_ERROR(RecordVelocity(draft.mutable_velocity(),
                                             v1::VELOCITY_METRIC_WAGER_PAYOUT,
                                             wager.payout().minor_units(), now));
    }
    draft.set_last_event_id(event.event_id());
    return absl::OkStatus();
  });
}

}  // namespace domain
}  // namespace pitboss
