// The deposit state machine: the whole table (every legal and every illegal
// move), balance effects, and the event adapters.
#include "src/domain/deposit_machine.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/limits.h"
#include "src/domain/money.h"
#include "tests/domain/ledger_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::domain::testing::DepositRequest;
using ::pitboss::domain::testing::Envelope;
using ::pitboss::domain::testing::NewAccount;
using ::pitboss::domain::testing::TestEpoch;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int64_t kAmount = 10000;  // ¥10,000
constexpr int64_t kFee = 250;       // 2.5 %
constexpr int64_t kNet = kAmount - kFee;

std::vector<v1::DepositState> AllStates() {
  std::vector<v1::DepositState> out;
  for (int s = v1::DepositState_MIN; s <= v1::DepositState_MAX; ++s) {
    if (v1::DepositState_IsValid(s)) out.push_back(static_cast<v1::DepositState>(s));
  }
  return out;
}

// An account holding deposit "d-1" in `state`, with balances consistent with
// having reached it (cash holds the net amount once COMPLETED).
v1::Account AccountWithDepositIn(v1::DepositState state) {
  v1::Account account = NewAccount("JPY");
  v1::Deposit* deposit = account.add_deposits();
  deposit->set_deposit_id("d-1");
  deposit->set_state(state);
  deposit->set_instrument_id("card-1");
  *deposit->mutable_amount() = MakeMoney(kAmount, "JPY");
  *deposit->mutable_fee() = MakeMoney(kFee, "JPY");
  *deposit->mutable_net_amount() = MakeMoney(kNet, "JPY");
  if (state == v1::DEPOSIT_STATE_COMPLETED) {
    account.mutable_balances()->mutable_cash()->set_minor_units(kNet);
  }
  return account;
}

int64_t ExpectedCashDelta(BalanceEffect effect) {
  switch (effect) {
    case BalanceEffect::kCreditCash:
      return kNet;
    case BalanceEffect::kDebitCash:
      return -kNet;
    default:
      return 0;
  }
}

TEST(DepositMachineTest, TableHasTheDesignedShape) {
  // Every row is unique, starts from a known state and uses a deposit effect.
  std::set<std::pair<int, int>> seen;
  for (const DepositTransition& row : DepositTransitionTable()) {
    EXPECT_TRUE(seen.insert({row.from, row.to}).second)
        << DepositStateName(row.from) << " -> " << DepositStateName(row.to);
    EXPECT_NE(row.to, v1::DEPOSIT_STATE_UNSPECIFIED);
    EXPECT_FALSE(row.trigger.empty());
    EXPECT_TRUE(row.effect == BalanceEffect::kNone || row.effect == BalanceEffect::kCreditCash ||
                row.effect == BalanceEffect::kDebitCash);
  }
  // Cash moves exactly on COMPLETED (credit) and REVERSED (debit).
  EXPECT_EQ(FindDepositTransition(v1::DEPOSIT_STATE_PENDING, v1::DEPOSIT_STATE_COMPLETED)->effect,
            BalanceEffect::kCreditCash);
  EXPECT_EQ(FindDepositTransition(v1::DEPOSIT_STATE_COMPLETED, v1::DEPOSIT_STATE_REVERSED)->effect,
            BalanceEffect::kDebitCash);
  for (v1::DepositState final_state :
       {v1::DEPOSIT_STATE_DECLINED, v1::DEPOSIT_STATE_FAILED, v1::DEPOSIT_STATE_EXPIRED,
        v1::DEPOSIT_STATE_CANCELLED, v1::DEPOSIT_STATE_REVERSED}) {
    EXPECT_TRUE(IsFinalDepositState(final_state)) << DepositStateName(final_state);
  }
  EXPECT_FALSE(IsFinalDepositState(v1::DEPOSIT_STATE_COMPLETED));
  EXPECT_EQ(DepositStateName(v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION),
            "AWAITING_AUTHENTICATION");
  // Only creation starts from UNSPECIFIED.
  EXPECT_EQ(DepositTargets(v1::DEPOSIT_STATE_UNSPECIFIED),
            std::vector<v1::DepositState>{v1::DEPOSIT_STATE_INITIATED});
}

TEST(DepositMachineTest, EveryMoveOfTheWholeTable) {
  const absl::Time now = TestEpoch();
  int legal = 0;
  int illegal = 0;
  for (v1::DepositState from : AllStates()) {
    if (from == v1::DEPOSIT_STATE_UNSPECIFIED) continue;  // creation: tested below
    for (v1::DepositState to : AllStates()) {
      v1::Account account = AccountWithDepositIn(from);
      const v1::Account before = account;
      const DepositTransition* row = FindDepositTransition(from, to);
      absl::Status status = TransitionDeposit(&account, "d-1", to, DepositUpdate(), now);
      SCOPED_TRACE(absl::StrCat(DepositStateName(from), " -> ", DepositStateName(to)));
      if (row != nullptr) {
        ++legal;
        ASSERT_THAT(status, IsOk());
        EXPECT_EQ(account.deposits(0).state(), to);
        EXPECT_EQ(account.version(), before.version() + 1);
        EXPECT_EQ(account.balances().cash().minor_units(),
                  before.balances().cash().minor_units() + ExpectedCashDelta(row->effect));
        EXPECT_EQ(account.balances().reserved().minor_units(), 0);
      } else {
        ++illegal;
        if (to == v1::DEPOSIT_STATE_UNSPECIFIED) {
          EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
        } else {
          EXPECT_THAT(status,
                      StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr(absl::StrCat("deposit cannot move from ",
                                                      DepositStateName(from), " to ",
                                                      DepositStateName(to)))));
        }
        EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
      }
    }
  }
  EXPECT_EQ(legal, static_cast<int>(DepositTransitionTable().size()) - 1);
  // 9 existing states x 10 targets (incl. UNSPECIFIED).
  EXPECT_EQ(legal + illegal, 9 * 10);
}

TEST(DepositMachineTest, IllegalMoveNamesTheAllowedTargets) {
  v1::Account account = AccountWithDepositIn(v1::DEPOSIT_STATE_INITIATED);
  EXPECT_THAT(
      TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_COMPLETED, {}, TestEpoch()),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("account.deposits[\"d-1\"].state: deposit cannot move from "
                         "INITIATED to COMPLETED (allowed: AWAITING_AUTHENTICATION, "
                         "PENDING, DECLINED, CANCELLED)")));
  account = AccountWithDepositIn(v1::DEPOSIT_STATE_REVERSED);
  EXPECT_THAT(TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_COMPLETED, {}, TestEpoch()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("it is final")));
  EXPECT_THAT(TransitionDeposit(&account, "nope", v1::DEPOSIT_STATE_COMPLETED, {}, TestEpoch()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no deposit \"nope\"")));
}

TEST(DepositMachineTest, CreateComputesTheFeeAndChangesNoBalance) {
  v1::Account account = NewAccount("JPY");
  ASSERT_THAT(CreateDeposit(&account,
                            DepositRequest("e-1", "d-1", 150, "JPY", TestEpoch()),
                            [] {
                              FeeSchedule f;
                              f.fixed_minor_units = 10;
                              f.basis_points = 100;
                              return f;
                            }(),
                            TestEpoch()),
              IsOk());
  ASSERT_EQ(account.deposits_size(), 1);
  const v1::Deposit& deposit = account.deposits(0);
  EXPECT_EQ(deposit.state(), v1::DEPOSIT_STATE_INITIATED);
  EXPECT_EQ(deposit.fee().minor_units(), 12);  // 10 + round_half_up(1.5)
  EXPECT_EQ(deposit.net_amount().minor_units(), 138);
  EXPECT_EQ(deposit.channel(), v1::CHANNEL_WEB);
  EXPECT_EQ(deposit.device_id(), "dev-1");
  EXPECT_EQ(account.balances().cash().minor_units(), 0);
  EXPECT_EQ(account.version(), 2);
  EXPECT_EQ(account.last_event_id(), "e-1");
}

TEST(DepositMachineTest, CreateRejectsBadInputAndChangesNothing) {
  const absl::Time now = TestEpoch();
  v1::Account account = NewAccount("JPY");
  ASSERT_THAT(CreateDeposit(&account, DepositRequest("e-0", "d-1", 1000, "JPY", now),
                            FeeSchedule(), now),
              IsOk());
  const v1::Account before = account;
  struct Case {
    v1::Event event;
    absl::StatusCode code;
    const char* message;
  };
  v1::Event too_long_id = DepositRequest(std::string(256, 'x'), "d-2", 1000, "JPY", now);
  v1::Event wrong_account = DepositRequest("e-2", "d-2", 1000, "JPY", now);
  wrong_account.set_account_id("acc-2");
  v1::Event wrong_kind = Envelope("e-3", now);
  wrong_kind.mutable_withdrawal_requested()->set_withdrawal_id("w-1");
  v1::Event new_card = DepositRequest("e-4", "d-2", 1000, "JPY", now, "");
  new_card.mutable_deposit_requested()->mutable_new_instrument()->set_instrument_id("card-2");
  new_card.mutable_deposit_requested()->mutable_new_instrument()->set_kind(
      v1::INSTRUMENT_KIND_CARD);
  new_card.mutable_deposit_requested()->mutable_new_instrument()->mutable_card()->set_brand(
      v1::CARD_BRAND_VISA);
  new_card.mutable_deposit_requested()->mutable_new_instrument()->mutable_card()->set_last4(
      "12a4");
  const Case cases[] = {
      {DepositRequest("e-5", "d-2", 0, "JPY", now), absl::StatusCode::kInvalidArgument,
       "event.deposit_requested.amount: must be positive"},
      {DepositRequest("e-5", "d-2", -5, "JPY", now), absl::StatusCode::kInvalidArgument,
       "event.deposit_requested.amount: must be positive"},
      {DepositRequest("e-5", "d-2", 100, "USD", now), absl::StatusCode::kInvalidArgument,
       "event.deposit_requested.amount: currency mismatch: USD vs JPY"},
      {DepositRequest("e-5", "d-2", 100, "XXX", now), absl::StatusCode::kInvalidArgument,
       "event.deposit_requested.amount.currency: unknown currency"},
      {DepositRequest("e-5", "d-1", 100, "JPY", now), absl::StatusCode::kAlreadyExists,
       "deposit \"d-1\" already exists"},
      {DepositRequest("e-5", "", 100, "JPY", now), absl::StatusCode::kInvalidArgument,
       "event.deposit_requested.deposit_id: must be 1..255 characters"},
      {DepositRequest("e-5", "d-2", 100, "JPY", now, "card-9"), absl::StatusCode::kNotFound,
       "event.deposit_requested.instrument_id: no instrument \"card-9\""},
      {too_long_id, absl::StatusCode::kInvalidArgument, "event.event_id: must be 1..255"},
      {wrong_account, absl::StatusCode::kInvalidArgument, "event.account_id"},
      {wrong_kind, absl::StatusCode::kInvalidArgument,
       "event.deposit_requested: missing (the event holds withdrawal_requested)"},
      {new_card, absl::StatusCode::kInvalidArgument,
       "event.deposit_requested.new_instrument.card.last4: must be 4 digits"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(CreateDeposit(&account, c.event, FeeSchedule(), now),
                StatusIs(c.code, HasSubstr(c.message)));
    EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString()) << c.message;
  }
  // A fee that eats the whole amount.
  FeeSchedule huge;
  huge.fixed_minor_units = 100;
  EXPECT_THAT(CreateDeposit(&account, DepositRequest("e-6", "d-3", 100, "JPY", now), huge, now),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("does not cover")));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
}

TEST(DepositMachineTest, NewInstrumentIsRegisteredAndMarkedUsedOnCompletion) {
  const absl::Time now = TestEpoch();
  v1::Account account = NewAccount("JPY");
  v1::Event event = DepositRequest("e-1", "d-1", 5000, "JPY", now, "");
  v1::PaymentInstrument* fresh = event.mutable_deposit_requested()->mutable_new_instrument();
  fresh->set_instrument_id("bank-1");
  fresh->set_kind(v1::INSTRUMENT_KIND_BANK_ACCOUNT);
  fresh->mutable_bank_account()->set_last4("0012");
  fresh->mutable_bank_account()->set_holder_name("ﾔﾏﾀﾞ ﾀﾛｳ");
  ASSERT_THAT(CreateDeposit(&account, event, FeeSchedule(), now), IsOk());
  ASSERT_EQ(account.instruments_size(), 2);
  EXPECT_EQ(account.instruments(1).status(), v1::INSTRUMENT_STATUS_ACTIVE);
  EXPECT_FALSE(account.instruments(1).used_to_deposit());
  ASSERT_THAT(TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_PENDING, {}, now), IsOk());
  v1::Event settled = Envelope("e-2", now);
  settled.set_channel(v1::CHANNEL_PROVIDER);
  settled.mutable_deposit_settled()->set_deposit_id("d-1");
  settled.mutable_deposit_settled()->set_outcome(v1::SETTLEMENT_OUTCOME_SUCCEEDED);
  settled.mutable_deposit_settled()->set_provider_reference("psp-77");
  ASSERT_THAT(ApplyDepositSettled(&account, settled, now + absl::Minutes(1)), IsOk());
  const v1::PaymentInstrument& bank = account.instruments(1);
  EXPECT_TRUE(bank.used_to_deposit());
  EXPECT_EQ(bank.completed_deposit_count(), 1);
  EXPECT_EQ(bank.total_deposited().minor_units(), 5000);
  EXPECT_EQ(account.deposits(0).provider_reference(), "psp-77");
  EXPECT_EQ(account.balances().cash().minor_units(), 5000);
  EXPECT_EQ(account.totals().deposits_credited().minor_units(), 5000);
  EXPECT_EQ(account.version(), 4);
}

TEST(DepositMachineTest, ThreeDSecureResultsMapToStates) {
  struct Case {
    v1::ThreeDsResult result;
    v1::DepositState expected;
  };
  for (const Case& c : {Case{v1::THREE_DS_RESULT_AUTHENTICATED, v1::DEPOSIT_STATE_PENDING},
                        Case{v1::THREE_DS_RESULT_ATTEMPTED, v1::DEPOSIT_STATE_PENDING},
                        Case{v1::THREE_DS_RESULT_EXEMPT, v1::DEPOSIT_STATE_PENDING},
                        Case{v1::THREE_DS_RESULT_FAILED, v1::DEPOSIT_STATE_FAILED},
                        Case{v1::THREE_DS_RESULT_REJECTED, v1::DEPOSIT_STATE_FAILED},
                        Case{v1::THREE_DS_RESULT_UNAVAILABLE, v1::DEPOSIT_STATE_FAILED},
                        Case{v1::THREE_DS_RESULT_TIMED_OUT, v1::DEPOSIT_STATE_EXPIRED}}) {
    v1::Account account = AccountWithDepositIn(v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION);
    v1::Event event = Envelope("e-1", TestEpoch());
    event.mutable_deposit_authenticated()->set_deposit_id("d-1");
    event.mutable_deposit_authenticated()->set_result(c.result);
    ASSERT_THAT(ApplyDepositAuthenticated(&account, event, TestEpoch()), IsOk());
    EXPECT_EQ(account.deposits(0).state(), c.expected) << v1::ThreeDsResult_Name(c.result);
    EXPECT_EQ(account.deposits(0).three_ds_result(), c.result);
    EXPECT_EQ(IsSet(account.strong_auth().last_strong_auth_at()),
              c.result == v1::THREE_DS_RESULT_AUTHENTICATED);
  }
  // Outside AWAITING_AUTHENTICATION an authentication result is refused.
  v1::Account account = AccountWithDepositIn(v1::DEPOSIT_STATE_PENDING);
  const v1::Account before = account;
  v1::Event event = Envelope("e-1", TestEpoch());
  event.mutable_deposit_authenticated()->set_deposit_id("d-1");
  event.mutable_deposit_authenticated()->set_result(v1::THREE_DS_RESULT_FAILED);
  EXPECT_THAT(ApplyDepositAuthenticated(&account, event, TestEpoch()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("needs AWAITING_AUTHENTICATION, the deposit is PENDING")));
  event.mutable_deposit_authenticated()->set_result(v1::THREE_DS_RESULT_UNSPECIFIED);
  EXPECT_THAT(ApplyDepositAuthenticated(&account, event, TestEpoch()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.deposit_authenticated.result")));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
}

TEST(DepositMachineTest, ChargebackDebitsCashBelowZeroAndBlocksTheCard) {
  v1::Account account = AccountWithDepositIn(v1::DEPOSIT_STATE_COMPLETED);
  account.mutable_balances()->mutable_cash()->set_minor_units(1000);  // spent most of it
  v1::Event event = Envelope("e-1", TestEpoch());
  event.mutable_deposit_reversed()->set_deposit_id("d-1");
  event.mutable_deposit_reversed()->set_kind(v1::REVERSAL_KIND_CHARGEBACK);
  event.mutable_deposit_reversed()->set_reason_code("10.4");
  ASSERT_THAT(ApplyDepositReversed(&account, event, TestEpoch()), IsOk());
  EXPECT_EQ(account.balances().cash().minor_units(), 1000 - kNet);
  EXPECT_EQ(account.deposits(0).state(), v1::DEPOSIT_STATE_REVERSED);
  EXPECT_EQ(account.deposits(0).reversed_amount().minor_units(), kNet);
  EXPECT_EQ(account.instruments(0).status(), v1::INSTRUMENT_STATUS_BLOCKED);
  EXPECT_EQ(account.totals().deposits_reversed().minor_units(), kNet);
  EXPECT_EQ(account.deposits(0).failure_reason(), "REVERSAL_KIND_CHARGEBACK: 10.4");
}

TEST(DepositMachineTest, AcceptingIsRefusedWhileLimitsBlock) {
  const absl::Time now = TestEpoch();
  v1::Account account = NewAccount("JPY");
  v1::DepositLimitChange change;
  change.set_period(v1::LIMIT_PERIOD_DAILY);
  *change.mutable_amount() = MakeMoney(5000, "JPY");
  ASSERT_THAT(ChangeDepositLimit(&account, change, LimitsOptions(), now), IsOk());
  ASSERT_THAT(CreateDeposit(&account, DepositRequest("e-1", "d-1", 6000, "JPY", now),
                            FeeSchedule(), now),
              IsOk());
  const v1::Account before = account;
  EXPECT_THAT(TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_PENDING, {}, now),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("deposit blocked (DEPOSIT_LIMIT: daily deposit limit")));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
  // Declining it is always possible.
  EXPECT_THAT(TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_DECLINED, {}, now), IsOk());
}

TEST(DepositMachineTest, ClosedAccountRefusesEverything) {
  v1::Account account = AccountWithDepositIn(v1::DEPOSIT_STATE_PENDING);
  account.set_status(v1::ACCOUNT_STATUS_CLOSED);
  const v1::Account before = account;
  EXPECT_THAT(TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_COMPLETED, {}, TestEpoch()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("account is closed")));
  EXPECT_THAT(CreateDeposit(&account, DepositRequest("e-1", "d-2", 100, "JPY", TestEpoch()),
                            FeeSchedule(), TestEpoch()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
