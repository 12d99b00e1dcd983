// The withdrawal state machine: the whole table (every legal and every illegal
// move), the cash/reserved movements, and the event adapters.
#include "src/domain/withdrawal_machine.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/money.h"
#include "tests/domain/ledger_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::domain::testing::Envelope;
using ::pitboss::domain::testing::NewAccount;
using ::pitboss::domain::testing::TestEpoch;
using ::pitboss::domain::testing::WithdrawalRequest;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int64_t kCash = 5000;     // $50.00 left in cash
constexpr int64_t kAmount = 2000;   // $20.00 withdrawal
constexpr int64_t kFee = 150;

std::vector<v1::WithdrawalState> AllStates() {
  std::vector<v1::WithdrawalState> out;
  for (int s = v1::WithdrawalState_MIN; s <= v1::WithdrawalState_MAX; ++s) {
    if (v1::WithdrawalState_IsValid(s)) out.push_back(static_cast<v1::WithdrawalState>(s));
  }
  return out;
}

// The amount is still held in reserved in these states.
bool Reserved(v1::WithdrawalState state) {
  return state == v1::WITHDRAWAL_STATE_REQUESTED ||
         state == v1::WITHDRAWAL_STATE_PENDING_VERIFICATION ||
         state == v1::WITHDRAWAL_STATE_PENDING_REVIEW ||
         state == v1::WITHDRAWAL_STATE_APPROVED || state == v1::WITHDRAWAL_STATE_PROCESSING;
}

v1::Account AccountWithWithdrawalIn(v1::WithdrawalState state) {
  v1::Account account = NewAccount("USD");
  account.mutable_balances()->mutable_cash()->set_minor_units(kCash);
  account.mutable_balances()->mutable_reserved()->set_minor_units(Reserved(state) ? kAmount : 0);
  v1::Withdrawal* withdrawal = account.add_withdrawals();
  withdrawal->set_withdrawal_id("w-1");
  withdrawal->set_state(state);
  withdrawal->set_instrument_id("card-1");
  *withdrawal->mutable_amount() = MakeMoney(kAmount, "USD");
  *withdrawal->mutable_fee() = MakeMoney(kFee, "USD");
  *withdrawal->mutable_net_amount() = MakeMoney(kAmount - kFee, "USD");
  return account;
}

struct Delta {
  int64_t cash;
  int64_t reserved;
};

Delta ExpectedDelta(BalanceEffect effect) {
  switch (effect) {
    case BalanceEffect::kReleaseReserveToCash:
      return {kAmount, -kAmount};
    case BalanceEffect::kPayOutReserve:
      return {0, -kAmount};
    case BalanceEffect::kReturnToCash:
      return {kAmount, 0};
    default:
      return {0, 0};
  }
}

TEST(WithdrawalMachineTest, TableHasTheDesignedShape) {
  std::set<std::pair<int, int>> seen;
  for (const WithdrawalTransition& row : WithdrawalTransitionTable()) {
    EXPECT_TRUE(seen.insert({row.from, row.to}).second);
    EXPECT_FALSE(row.trigger.empty());
  }
  // Money returns to cash at REJECTED, CANCELLED, FAILED (from reserved) and
  // RETURNED; it leaves at PAID; nothing else moves it.
  for (const WithdrawalTransition& row : WithdrawalTransitionTable()) {
    SCOPED_TRACE(absl::StrCat(WithdrawalStateName(row.from), " -> ",
                              WithdrawalStateName(row.to)));
    switch (row.to) {
      case v1::WITHDRAWAL_STATE_REQUESTED:
        EXPECT_EQ(row.effect, BalanceEffect::kReserveFromCash);
        break;
      case v1::WITHDRAWAL_STATE_REJECTED:
      case v1::WITHDRAWAL_STATE_CANCELLED:
      case v1::WITHDRAWAL_STATE_FAILED:
        EXPECT_EQ(row.effect, BalanceEffect::kReleaseReserveToCash);
        break;
      case v1::WITHDRAWAL_STATE_PAID:
        EXPECT_EQ(row.effect, BalanceEffect::kPayOutReserve);
        break;
      case v1::WITHDRAWAL_STATE_RETURNED:
        EXPECT_EQ(row.effect, BalanceEffect::kReturnToCash);
        break;
      default:
        EXPECT_EQ(row.effect, BalanceEffect::kNone);
    }
  }
  // The player can cancel before PROCESSING, never after.
  for (v1::WithdrawalState s :
       {v1::WITHDRAWAL_STATE_REQUESTED, v1::WITHDRAWAL_STATE_PENDING_VERIFICATION,
        v1::WITHDRAWAL_STATE_PENDING_REVIEW, v1::WITHDRAWAL_STATE_APPROVED}) {
    EXPECT_NE(FindWithdrawalTransition(s, v1::WITHDRAWAL_STATE_CANCELLED), nullptr);
  }
  for (v1::WithdrawalState s : {v1::WITHDRAWAL_STATE_PROCESSING, v1::WITHDRAWAL_STATE_PAID}) {
    EXPECT_EQ(FindWithdrawalTransition(s, v1::WITHDRAWAL_STATE_CANCELLED), nullptr);
  }
  for (v1::WithdrawalState s :
       {v1::WITHDRAWAL_STATE_REJECTED, v1::WITHDRAWAL_STATE_CANCELLED,
        v1::WITHDRAWAL_STATE_FAILED, v1::WITHDRAWAL_STATE_RETURNED}) {
    EXPECT_TRUE(IsFinalWithdrawalState(s)) << WithdrawalStateName(s);
  }
  EXPECT_FALSE(IsFinalWithdrawalState(v1::WITHDRAWAL_STATE_PAID));
}

TEST(WithdrawalMachineTest, EveryMoveOfTheWholeTable) {
  const absl::Time now = TestEpoch();
  int legal = 0;
  int illegal = 0;
  for (v1::WithdrawalState from : AllStates()) {
    if (from == v1::WITHDRAWAL_STATE_UNSPECIFIED) continue;  // creation: tested below
    for (v1::WithdrawalState to : AllStates()) {
      v1::Account account = AccountWithWithdrawalIn(from);
      const v1::Account before = account;
      const WithdrawalTransition* row = FindWithdrawalTransition(from, to);
      absl::Status status =
          TransitionWithdrawal(&account, "w-1", to, WithdrawalUpdate(), now);
      SCOPED_TRACE(absl::StrCat(WithdrawalStateName(from), " -> ", WithdrawalStateName(to)));
      if (row != nullptr) {
        ++legal;
        ASSERT_THAT(status, IsOk());
        const Delta delta = ExpectedDelta(row->effect);
        EXPECT_EQ(account.withdrawals(0).state(), to);
        EXPECT_EQ(account.version(), before.version() + 1);
        EXPECT_EQ(account.balances().cash().minor_units(), kCash + delta.cash);
        EXPECT_EQ(account.balances().reserved().minor_units(),
                  before.balances().reserved().minor_units() + delta.reserved);
        EXPECT_EQ(account.balances().reserved().minor_units(), Reserved(to) ? kAmount : 0);
      } else {
        ++illegal;
        if (to == v1::WITHDRAWAL_STATE_UNSPECIFIED) {
          EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
        } else {
          EXPECT_THAT(status,
                      StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr(absl::StrCat("withdrawal cannot move from ",
                                                      WithdrawalStateName(from), " to ",
                                                      WithdrawalStateName(to)))));
        }
        EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
      }
    }
  }
  EXPECT_EQ(legal, static_cast<int>(WithdrawalTransitionTable().size()) - 1);
  EXPECT_EQ(legal + illegal, 10 * 11);  // 10 existing states x 11 targets
}

TEST(WithdrawalMachineTest, RequestMovesCashToReservedAndComputesTheFee) {
  v1::Account account = NewAccount("USD");
  account.mutable_balances()->mutable_cash()->set_minor_units(kCash);
  FeeSchedule fees;
  fees.fixed_minor_units = 100;
  fees.basis_points = 250;  // 2.5 % of $20.00 = 50 cents
  ASSERT_THAT(CreateWithdrawal(&account, WithdrawalRequest("e-1", "w-1", kAmount, "USD",
                                                           TestEpoch()),
                               fees, TestEpoch()),
              IsOk());
  EXPECT_EQ(account.balances().cash().minor_units(), kCash - kAmount);
  EXPECT_EQ(account.balances().reserved().minor_units(), kAmount);
  EXPECT_EQ(account.withdrawals(0).state(), v1::WITHDRAWAL_STATE_REQUESTED);
  EXPECT_EQ(account.withdrawals(0).fee().minor_units(), 150);
  EXPECT_EQ(account.withdrawals(0).net_amount().minor_units(), kAmount - 150);
  EXPECT_EQ(account.version(), 2);
}

TEST(WithdrawalMachineTest, RequestBeyondCashIsRefusedAndChangesNothing) {
  const absl::Time now = TestEpoch();
  v1::Account account = NewAccount("USD");
  account.mutable_balances()->mutable_cash()->set_minor_units(kCash);
  const v1::Account before = account;
  EXPECT_THAT(CreateWithdrawal(&account, WithdrawalRequest("e-1", "w-1", kCash + 1, "USD", now),
                               FeeSchedule(), now),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("account.balances.cash: 50.00 USD available, 50.01 USD "
                                 "requested")));
  EXPECT_THAT(CreateWithdrawal(&account, WithdrawalRequest("e-1", "w-1", 100, "JPY", now),
                               FeeSchedule(), now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("currency mismatch")));
  EXPECT_THAT(CreateWithdrawal(&account, WithdrawalRequest("e-1", "w-1", 100, "USD", now, "x"),
                               FeeSchedule(), now),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("event.withdrawal_requested.instrument_id")));
  EXPECT_THAT(CreateWithdrawal(&account, WithdrawalRequest("e-1", "w-1", 0, "USD", now),
                               FeeSchedule(), now),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.withdrawal_requested.amount: must be positive")));
  // A negative cash balance (after a chargeback) allows no withdrawal at all.
  account.mutable_balances()->mutable_cash()->set_minor_units(-10);
  const v1::Account negative = account;
  EXPECT_THAT(CreateWithdrawal(&account, WithdrawalRequest("e-1", "w-1", 1, "USD", now),
                               FeeSchedule(), now),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(account.SerializeAsString(), negative.SerializeAsString());
  account = before;
  ASSERT_THAT(CreateWithdrawal(&account, WithdrawalRequest("e-1", "w-1", 100, "USD", now),
                               FeeSchedule(), now),
              IsOk());
  const v1::Account after_first = account;
  EXPECT_THAT(CreateWithdrawal(&account, WithdrawalRequest("e-2", "w-1", 100, "USD", now),
                               FeeSchedule(), now),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(account.SerializeAsString(), after_first.SerializeAsString());
}

TEST(WithdrawalMachineTest, EventsDriveTheLifecycleToPaidAndReturned) {
  absl::Time now = TestEpoch();
  v1::Account account = NewAccount("USD");
  account.mutable_balances()->mutable_cash()->set_minor_units(kCash);
  ASSERT_THAT(CreateWithdrawal(&account, WithdrawalRequest("e-1", "w-1", kAmount, "USD", now),
                               FeeSchedule(), now),
              IsOk());
  WithdrawalUpdate hold;
  hold.hold_reason = "large amount after contact change";
  ASSERT_THAT(TransitionWithdrawal(&account, "w-1", v1::WITHDRAWAL_STATE_PENDING_REVIEW, hold,
                                   now),
              IsOk());
  v1::Event review = Envelope("e-2", now);
  review.set_channel(v1::CHANNEL_BACK_OFFICE);
  review.mutable_agent()->set_agent_id("agent-7");
  review.mutable_agent()->set_role(v1::AGENT_ROLE_PAYMENTS_OFFICER);
  review.mutable_withdrawal_reviewed()->set_withdrawal_id("w-1");
  review.mutable_withdrawal_reviewed()->set_decision(v1::REVIEW_DECISION_APPROVE);
  review.mutable_withdrawal_reviewed()->set_case_id("case-1");
  ASSERT_THAT(ApplyWithdrawalReviewed(&account, review, now), IsOk());
  EXPECT_EQ(account.withdrawals(0).reviewed_by(), "agent-7");
  EXPECT_EQ(account.withdrawals(0).case_id(), "case-1");
  EXPECT_EQ(account.withdrawals(0).state(), v1::WITHDRAWAL_STATE_APPROVED);

  // The player cannot cancel once it is at the provider.
  v1::Event sent = Envelope("e-3", now);
  sent.mutable_withdrawal_sent_to_provider()->set_withdrawal_id("w-1");
  sent.mutable_withdrawal_sent_to_provider()->set_provider_reference("po-1");
  ASSERT_THAT(ApplyWithdrawalSentToProvider(&account, sent, now), IsOk());
  v1::Event cancel = Envelope("e-4", now);
  cancel.mutable_withdrawal_cancelled()->set_withdrawal_id("w-1");
  const v1::Account processing = account;
  EXPECT_THAT(ApplyWithdrawalCancelled(&account, cancel, now),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("from PROCESSING to CANCELLED")));
  EXPECT_EQ(account.SerializeAsString(), processing.SerializeAsString());

  // "Returned after paid" before it was paid is an illegal move.
  v1::Event returned = Envelope("e-5", now);
  returned.mutable_withdrawal_failed()->set_withdrawal_id("w-1");
  returned.mutable_withdrawal_failed()->set_returned_after_paid(true);
  EXPECT_THAT(ApplyWithdrawalFailed(&account, returned, now),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("from PROCESSING to RETURNED")));

  v1::Event paid = Envelope("e-6", now);
  paid.mutable_withdrawal_paid()->set_withdrawal_id("w-1");
  ASSERT_THAT(ApplyWithdrawalPaid(&account, paid, now), IsOk());
  EXPECT_EQ(account.balances().cash().minor_units(), kCash - kAmount);
  EXPECT_EQ(account.balances().reserved().minor_units(), 0);
  EXPECT_EQ(account.totals().withdrawals_paid().minor_units(), kAmount);
  EXPECT_EQ(account.instruments(0).total_withdrawn().minor_units(), kAmount);

  ASSERT_THAT(ApplyWithdrawalFailed(&account, returned, now), IsOk());
  EXPECT_EQ(account.withdrawals(0).state(), v1::WITHDRAWAL_STATE_RETURNED);
  EXPECT_EQ(account.balances().cash().minor_units(), kCash);
  EXPECT_EQ(account.totals().withdrawals_returned().minor_units(), kAmount);
  EXPECT_EQ(account.last_event_id(), "e-5");
  EXPECT_EQ(account.version(), 1 + 6);
}

TEST(WithdrawalMachineTest, ReviewRejectReturnsTheMoneyAndBadDecisionIsRefused) {
  v1::Account account = AccountWithWithdrawalIn(v1::WITHDRAWAL_STATE_PENDING_REVIEW);
  v1::Event review = Envelope("e-1", TestEpoch());
  review.mutable_withdrawal_reviewed()->set_withdrawal_id("w-1");
  const v1::Account before = account;
  EXPECT_THAT(ApplyWithdrawalReviewed(&account, review, TestEpoch()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.withdrawal_reviewed.decision")));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
  review.mutable_withdrawal_reviewed()->set_decision(v1::REVIEW_DECISION_REJECT);
  ASSERT_THAT(ApplyWithdrawalReviewed(&account, review, TestEpoch()), IsOk());
  EXPECT_EQ(account.withdrawals(0).state(), v1::WITHDRAWAL_STATE_REJECTED);
  EXPECT_EQ(account.balances().cash().minor_units(), kCash + kAmount);
  EXPECT_EQ(account.balances().reserved().minor_units(), 0);
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
