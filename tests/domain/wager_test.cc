// Settled wagers: stake from cash, payout back, refusals while blocked.
#include "src/domain/wager.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/ledger_invariants.h"
#include "src/domain/limits.h"
#include "src/domain/money.h"
#include "tests/domain/ledger_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::domain::testing::Envelope;
using ::pitboss::domain::testing::NewAccount;
using ::pitboss::domain::testing::TestEpoch;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

v1::Event Wager(const std::string& id, int64_t stake, int64_t payout,
                const std::string& currency = "JPY") {
  v1::Event event = Envelope("e-" + id, TestEpoch());
  event.mutable_wager_settled()->set_wager_id(id);
  *event.mutable_wager_settled()->mutable_stake() = MakeMoney(stake, currency);
  *event.mutable_wager_settled()->mutable_payout() = MakeMoney(payout, currency);
  return event;
}

v1::Account Funded(int64_t cash) {
  v1::Account account = NewAccount("JPY");
  account.mutable_balances()->mutable_cash()->set_minor_units(cash);
  *account.mutable_totals()->mutable_deposits_credited() = MakeMoney(cash, "JPY");
  return account;
}

TEST(WagerTest, StakeLeavesCashAndPayoutComesBack) {
  v1::Account account = Funded(1000);
  ASSERT_THAT(ApplyWagerSettled(&account, Wager("g-1", 300, 0), TestEpoch()), IsOk());
  ASSERT_THAT(ApplyWagerSettled(&account, Wager("g-2", 200, 900), TestEpoch()), IsOk());
  EXPECT_EQ(account.balances().cash().minor_units(), 1000 - 300 - 200 + 900);
  EXPECT_EQ(account.totals().wagers_staked().minor_units(), 500);
  EXPECT_EQ(account.totals().wagers_paid_out().minor_units(), 900);
  EXPECT_EQ(account.totals().wager_count(), 2);
  EXPECT_EQ(account.version(), 3);
  EXPECT_THAT(CheckLedgerInvariants(account), IsOk());
}

TEST(WagerTest, RefusesBadInputUncoveredStakesAndBlockedAccounts) {
  v1::Account account = Funded(1000);
  const v1::Account before = account;
  EXPECT_THAT(ApplyWagerSettled(&account, Wager("g-1", 1001, 0), TestEpoch()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("account.balances.cash: 1000 JPY available, stake 1001 JPY")));
  EXPECT_THAT(ApplyWagerSettled(&account, Wager("g-1", -1, 0), TestEpoch()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.wager_settled.stake: must not be negative")));
  EXPECT_THAT(ApplyWagerSettled(&account, Wager("g-1", 0, 0), TestEpoch()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("both zero")));
  EXPECT_THAT(ApplyWagerSettled(&account, Wager("g-1", 10, 0, "USD"), TestEpoch()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("currency mismatch")));
  EXPECT_THAT(ApplyWagerSettled(&account, Wager("", 10, 0), TestEpoch()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.wager_settled.wager_id")));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());

  v1::TimeOut time_out;
  time_out.set_hours(24);
  ASSERT_THAT(StartTimeOut(&account, time_out, LimitsOptions(), TestEpoch()), IsOk());
  const v1::Account timed_out = account;
  EXPECT_THAT(ApplyWagerSettled(&account, Wager("g-1", 10, 0), TestEpoch()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cannot play (TIMED_OUT)")));
  EXPECT_EQ(account.SerializeAsString(), timed_out.SerializeAsString());
}

TEST(LedgerInvariantsTest, DetectsBalancesThatDoNotAddUp) {
  v1::Account account = Funded(1000);
  EXPECT_THAT(CheckLedgerInvariants(account), IsOk());
  account.mutable_balances()->mutable_cash()->set_minor_units(999);
  EXPECT_THAT(CheckLedgerInvariants(account),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("cash + reserved = 999")));
  account = Funded(1000);
  account.mutable_balances()->mutable_cash()->set_minor_units(900);
  account.mutable_balances()->mutable_reserved()->set_minor_units(100);
  EXPECT_THAT(CheckLedgerInvariants(account),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("account.balances.reserved")));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
