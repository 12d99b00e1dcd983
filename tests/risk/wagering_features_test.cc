// Wagering since the last deposit, deposit-then-withdraw without play, and
// stakes vs deposits.
#include "src/risk/wagering_features.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/velocity.h"
#include "tests/matchers.h"
#include "tests/risk/risk_test_util.h"

namespace pitboss {
namespace {

using ::pitboss::risk_test::AddBank;
using ::pitboss::risk_test::BaseAccount;
using ::pitboss::risk_test::Jpy;
using ::pitboss::risk_test::MustCompute;
using ::pitboss::risk_test::Now;
using ::pitboss::risk_test::Ts;
using ::pitboss::risk_test::WithdrawalEvent;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

void AddCompletedDeposit(v1::Account& account, const std::string& id, int64_t amount,
                         absl::Time completed_at) {
  v1::Deposit* deposit = account.add_deposits();
  deposit->set_deposit_id(id);
  deposit->set_state(v1::DEPOSIT_STATE_COMPLETED);
  deposit->set_instrument_id("bank-1");
  *deposit->mutable_amount() = Jpy(amount);
  *deposit->mutable_completed_at() = Ts(completed_at);
  ASSERT_THAT(domain::RecordVelocity(account.mutable_velocity(),
                                     v1::VELOCITY_METRIC_DEPOSIT_COMPLETED, amount,
                                     completed_at),
              IsOk());
}

void Stake(v1::Account& account, int64_t amount, absl::Time at) {
  ASSERT_THAT(domain::RecordVelocity(account.mutable_velocity(),
                                     v1::VELOCITY_METRIC_WAGER_STAKE, amount, at),
              IsOk());
}

v1::Account AccountWithBank() {
  v1::Account account = BaseAccount();
  AddBank(account, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ", true);
  return account;
}

TEST(WageringFeaturesTest, DepositThenWithdrawWithoutPlay) {
  v1::Account account = AccountWithBank();
  Stake(account, 7000, Now() - absl::Hours(30));  // before the deposit
  AddCompletedDeposit(account, "d-1", 50000, Now() - absl::Hours(3));
  const v1::Features features = MustCompute(account, WithdrawalEvent("bank-1", 50000));
  EXPECT_TRUE(features.has_completed_deposit());
  EXPECT_EQ(features.seconds_since_last_deposit(), 3 * 3600);
  EXPECT_EQ(features.last_deposit_minor_units(), 50000);
  EXPECT_EQ(features.wagered_since_last_deposit_minor_units(), 0);
  EXPECT_EQ(features.wagered_since_last_deposit_bps(), 0);
  EXPECT_TRUE(features.withdrawal_without_play());
}

TEST(WageringFeaturesTest, PlayAfterTheDepositCounts) {
  v1::Account account = AccountWithBank();
  AddCompletedDeposit(account, "d-old", 10000, Now() - absl::Hours(24 * 5));
  AddCompletedDeposit(account, "d-1", 20000, Now() - absl::Hours(3));
  Stake(account, 5000, Now() - absl::Hours(2));
  Stake(account, 10000, Now() - absl::Minutes(20));
  Stake(account, 99999, Now() - absl::Hours(24 * 2));  // before d-1
  const v1::Features features = MustCompute(account, WithdrawalEvent("bank-1", 1000));
  EXPECT_EQ(features.last_deposit_minor_units(), 20000);
  EXPECT_EQ(features.wagered_since_last_deposit_minor_units(), 15000);
  EXPECT_EQ(features.wagered_since_last_deposit_bps(), 7500);
  EXPECT_FALSE(features.withdrawal_without_play());
  // 30 days: 114999 staked vs 30000 deposited.
  EXPECT_EQ(features.wagered_to_deposited_30d_bps(), 38333);
}

// The bucket holding the deposit counts whole: with the deposit 40 min ago
// (1 h window, 5-minute buckets), a stake 2 min before it in the same bucket
// counts, one in the bucket before does not.
TEST(WageringFeaturesTest, BucketGranularityAroundTheDeposit) {
  v1::Account account = AccountWithBank();
  const absl::Time deposit_at = Now() - absl::Minutes(40) + absl::Minutes(3);
  AddCompletedDeposit(account, "d-1", 1000, deposit_at);
  Stake(account, 11, Now() - absl::Minutes(40) + absl::Minutes(1));  // same bucket
  Stake(account, 22, Now() - absl::Minutes(40) - absl::Seconds(1));  // bucket before
  EXPECT_EQ(MustCompute(account, WithdrawalEvent("bank-1", 1000))
                .wagered_since_last_deposit_minor_units(),
            11);
}

TEST(WageringFeaturesTest, NoDepositAtAll) {
  const v1::Features features =
      MustCompute(AccountWithBank(), WithdrawalEvent("bank-1", 1000));
  EXPECT_FALSE(features.has_completed_deposit());
  EXPECT_EQ(features.seconds_since_last_deposit(), risk::kNever);
  EXPECT_FALSE(features.withdrawal_without_play());
  EXPECT_EQ(features.lifetime_wagered_to_deposited_bps(), 0);
}

TEST(WageringFeaturesTest, NotAWithdrawalIsNeverWithoutPlay) {
  v1::Account account = AccountWithBank();
  AddCompletedDeposit(account, "d-1", 50000, Now() - absl::Hours(1));
  EXPECT_FALSE(MustCompute(account, risk_test::LoginEvent()).withdrawal_without_play());
}

TEST(WageringFeaturesTest, LifetimeRatioFromTotals) {
  v1::Account account = AccountWithBank();
  *account.mutable_totals()->mutable_deposits_credited() = Jpy(40000);
  *account.mutable_totals()->mutable_wagers_staked() = Jpy(10000);
  EXPECT_EQ(MustCompute(account, risk_test::LoginEvent()).lifetime_wagered_to_deposited_bps(),
            2500);
}

TEST(WageringFeaturesTest, CompletedDepositWithoutTimeIsAnError) {
  v1::Account account = AccountWithBank();
  AddCompletedDeposit(account, "d-1", 50000, Now() - absl::Hours(1));
  account.mutable_deposits(0)->clear_completed_at();
  EXPECT_THAT(risk::ComputeFeatures(account, WithdrawalEvent("bank-1", 1000), Now(),
                                    risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.deposits[0].completed_at")));
}

}  // namespace
}  // namespace pitboss
