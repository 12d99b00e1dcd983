// Pruning of settled payments (see payment_retention.h).
#include "src/domain/payment_retention.h"

#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/deposit_machine.h"
#include "src/domain/proto_time.h"
#include "src/domain/withdrawal_machine.h"

namespace pitboss {
namespace domain {
namespace {

bool DepositMayLeave(const v1::Deposit& d, const RetentionOptions& o, absl::Time now) {
  const absl::Time updated = FromProtoTime(d.updated_at());
  if (d.state() == v1::DEPOSIT_STATE_COMPLETED) {
    return now - FromProtoTime(d.completed_at()) > o.chargeback_window;
  }
  return IsFinalDepositState(d.state()) && now - updated > o.final_retention;
}

bool WithdrawalMayLeave(const v1::Withdrawal& w, const RetentionOptions& o, absl::Time now) {
  const absl::Time updated = FromProtoTime(w.updated_at());
  if (w.state() == v1::WITHDRAWAL_STATE_PAID) {
    return now - FromProtoTime(w.paid_at()) > o.payout_return_window;
  }
  return IsFinalWithdrawalState(w.state()) && now - updated > o.final_retention;
}

}  // namespace

absl::StatusOr<int> PrunePayments(v1::Account* account, const RetentionOptions& options,
                                  absl::Time now) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  if (options.chargeback_window < absl::ZeroDuration() ||
      options.payout_return_window < absl::ZeroDuration() ||
      options.final_retention < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("retention: windows must not be negative");
  }
  int removable = 0;
  for (const v1::Deposit& d : account->deposits()) removable += DepositMayLeave(d, options, now);
  for (const v1::Withdrawal& w : account->withdrawals()) {
    removable += WithdrawalMayLeave(w, options, now);
  }
  if (removable == 0) return 0;
  PITBOSS_RETURN_IF_ERROR(ApplyAccountChange(account, now, [&](v1::Account& draft) {
    google::protobuf::RepeatedPtrField<v1::Deposit> deposits;
    for (v1::Deposit& d : *draft.mutable_deposits()) {
      if (!DepositMayLeave(d, options, now)) *deposits.Add() = std::move(d);
    }
    draft.mutable_deposits()->Swap(&deposits);
    google::protobuf::RepeatedPtrField<v1::Withdrawal> withdrawals;
    for (v1::Withdrawal& w : *draft.mutable_withdrawals()) {
      if (!WithdrawalMayLeave(w, options, now)) *withdrawals.Add() = std::move(w);
    }
    draft.mutable_withdrawals()->Swap(&withdrawals);
    return absl::OkStatus();
  }));
  return removable;
}

}  // namespace domain
}  // namespace pitboss
