// Dispatch of ledger events (see ledger_events.h).
#include "src/domain/ledger_events.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/deposit_machine.h"
#include "src/domain/event_envelope.h"
#include "src/domain/wager.h"
#include "src/domain/withdrawal_machine.h"

namespace pitboss {
namespace domain {
namespace {

// Limit, time-out and self-exclusion operations take the sub-message only;
// this validates the envelope and records the event id in the same change.
// On a scratch account (account_change.h) the change is made in place.
template <typename Op>
absl::Status WithEnvelope(v1::Account* account, const v1::Event& event,
                          v1::Event::KindCase kind, Op&& op) {
  if (account == nullptr) return absl::InvalidArgumentError("account: is null");
  PITBOSS_RETURN_IF_ERROR(ValidateEventFor(*account, event, kind));
  if (IsScratchAccount(account)) {
    PITBOSS_RETURN_IF_ERROR(op(account));
    account->set_last_event_id(event.event_id());
    return absl::OkStatus();
  }
  v1::Account draft = *account;
  PITBOSS_RETURN_IF_ERROR(op(&draft));
  draft.set_last_event_id(event.event_id());
  *account = std::move(draft);
  return absl::OkStatus();
}

}  // namespace

bool IsLedgerEvent(const v1::Event& event) {
  switch (event.kind_case()) {
    case v1::Event::kDepositRequested:
    case v1::Event::kDepositAuthenticated:
    case v1::Event::kDepositSettled:
    case v1::Event::kDepositReversed:
    case v1::Event::kWithdrawalRequested:
    case v1::Event::kWithdrawalCancelled:
    case v1::Event::kWithdrawalReviewed:
    case v1::Event::kWithdrawalSentToProvider:
    case v1::Event::kWithdrawalPaid:
    case v1::Event::kWithdrawalFailed:
    case v1::Event::kWagerSettled:
    case v1::Event::kDepositLimitChange:
    case v1::Event::kTimeOut:
    case v1::Event::kSelfExclusion:
      return true;
    default:
      return false;
  }
}

absl::Status ApplyLedgerEvent(v1::Account* account, const v1::Event& event,
                              const LedgerOptions& options, absl::Time now) {
  switch (event.kind_case()) {
    case v1::Event::kDepositRequested:
      return CreateDeposit(account, event, options.deposit_fees, now);
    case v1::Event::kDepositAuthenticated:
      return ApplyDepositAuthenticated(account, event, now);
    case v1::Event::kDepositSettled:
      return ApplyDepositSettled(account, event, now);
    case v1::Event::kDepositReversed:
      return ApplyDepositReversed(account, event, now);
    case v1::Event::kWithdrawalRequested:
      return CreateWithdrawal(account, event, options.withdrawal_fees, now);
    case v1::Event::kWithdrawalCancelled:
      return ApplyWithdrawalCancelled(account, event, now);
    case v1::Event::kWithdrawalReviewed:
      return ApplyWithdrawalReviewed(account, event, now);
    case v1::Event::kWithdrawalSentToProvider:
      return ApplyWithdrawalSentToProvider(account, event, now);
    case v1::Event::kWithdrawalPaid:
      return ApplyWithdrawalPaid(account, event, now);
    case v1::Event::kWithdrawalFailed:
      return ApplyWithdrawalFailed(account, event, now);
    case v1::Event::kWagerSettled:
      return ApplyWagerSettled(account, event, now);
    case v1::Event::kDepositLimitChange:
      return WithEnvelope(account, event, event.kind_case(), [&](v1::Account* draft) {
        return ChangeDepositLimit(draft, event.deposit_limit_change(), options.limits, now);
      });
    case v1::Event::kTimeOut:
      return WithEnvelope(account, event, event.kind_case(), [&](v1::Account* draft) {
        return StartTimeOut(draft, event.time_out(), options.limits, now);
      });
    case v1::Event::kSelfExclusion:
      return WithEnvelope(account, event, event.kind_case(), [&](v1::Account* draft) {
        return StartSelfExclusion(draft, event.self_exclusion(), options.limits, now);
      });
    case v1::Event::KIND_NOT_SET:
      return absl::InvalidArgumentError("event.kind: not set");
    default: {
      const google::protobuf::FieldDescriptor* field =
          v1::Event::descriptor()->FindFieldByNumber(static_cast<int>(event.kind_case()));
      return absl::InvalidArgumentError(absl::StrCat(
          "event.", field != nullptr ? field->name() : "kind", ": not a ledger event"));
    }
  }
}

}  // namespace domain
}  // namespace pitboss
