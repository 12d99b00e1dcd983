// Velocity windows and failed login / OTP bursts, at their edges to the second.
#include "src/risk/velocity_features.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/velocity.h"
#include "tests/matchers.h"
#include "tests/risk/risk_test_util.h"

namespace pitboss {
namespace {

using ::pitboss::risk_test::BaseAccount;
using ::pitboss::risk_test::LoginEvent;
using ::pitboss::risk_test::MustCompute;
using ::pitboss::risk_test::Now;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

void Record(v1::Account& account, v1::VelocityMetric metric, int64_t amount, absl::Time at) {
  ASSERT_THAT(domain::RecordVelocity(account.mutable_velocity(), metric, amount, at), IsOk());
}

TEST(VelocityFeaturesTest, EmptyCountersAreZero) {
  const v1::Features features = MustCompute(BaseAccount(), LoginEvent());
  EXPECT_EQ(features.velocity().deposits_requested().count_30d(), 0);
  EXPECT_EQ(features.velocity().login_failures().count_1h(), 0);
  EXPECT_EQ(features.login_failures_15m(), 0);
}

// Now() is on a 5-minute boundary, so the 1 h window (12 buckets of 5 min)
// reaches back exactly 55 min: an event 3300 s ago counts, 3301 s ago not.
TEST(VelocityFeaturesTest, OneHourWindowEdgeToTheSecond) {
  v1::Account account = BaseAccount();
  Record(account, v1::VELOCITY_METRIC_DEPOSIT_REQUESTED, 1000, Now() - absl::Seconds(3300));
  Record(account, v1::VELOCITY_METRIC_DEPOSIT_REQUESTED, 20000, Now() - absl::Seconds(3301));
  const v1::Features features = MustCompute(account, LoginEvent());
  const v1::WindowedTotals& deposits = features.velocity().deposits_requested();
  EXPECT_EQ(deposits.count_1h(), 1);
  EXPECT_EQ(deposits.sum_1h(), 1000);
  EXPECT_EQ(deposits.count_24h(), 2);
  EXPECT_EQ(deposits.sum_24h(), 21000);
  EXPECT_EQ(deposits.count_7d(), 2);
  EXPECT_EQ(deposits.sum_30d(), 21000);

  // 299 s later (same bucket) the window covers 3599 s: still 1; one second
  // after that the bucket of the older event leaves.
  EXPECT_EQ(MustCompute(account, LoginEvent(), Now() + absl::Seconds(299))
                .velocity()
                .deposits_requested()
                .count_1h(),
            1);
  EXPECT_EQ(MustCompute(account, LoginEvent(), Now() + absl::Seconds(300))
                .velocity()
                .deposits_requested()
                .count_1h(),
            0);
}

TEST(VelocityFeaturesTest, DayWeekAndMonthEdges) {
  v1::Account account = BaseAccount();
  // 24 h window: 24 hourly buckets, reaches back 23 h from an hour boundary.
  Record(account, v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED, 5000, Now() - absl::Hours(23));
  Record(account, v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED, 7000,
         Now() - absl::Hours(23) - absl::Seconds(1));
  // 7 d window: 28 buckets of 6 h -> 162 h back.
  Record(account, v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED, 100, Now() - absl::Hours(162));
  Record(account, v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED, 200,
         Now() - absl::Hours(162) - absl::Seconds(1));
  // 30 d window: 30 daily buckets -> 29 d back.
  Record(account, v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED, 10, Now() - absl::Hours(24 * 29));
  Record(account, v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED, 20,
         Now() - absl::Hours(24 * 29) - absl::Seconds(1));
  const v1::WindowedTotals withdrawals =
      MustCompute(account, LoginEvent()).velocity().withdrawals_requested();
  EXPECT_EQ(withdrawals.count_1h(), 0);
  EXPECT_EQ(withdrawals.count_24h(), 1);
  EXPECT_EQ(withdrawals.sum_24h(), 5000);
  EXPECT_EQ(withdrawals.count_7d(), 3);
  EXPECT_EQ(withdrawals.sum_7d(), 12100);
  EXPECT_EQ(withdrawals.count_30d(), 5);
  EXPECT_EQ(withdrawals.sum_30d(), 12310);
}

TEST(VelocityFeaturesTest, EventsAfterNowAreNotCounted) {
  v1::Account account = BaseAccount();
  Record(account, v1::VELOCITY_METRIC_WAGER_STAKE, 300, Now() + absl::Minutes(10));
  Record(account, v1::VELOCITY_METRIC_WAGER_STAKE, 400, Now() - absl::Minutes(10));
  const v1::WindowedTotals wagers = MustCompute(account, LoginEvent()).velocity().wagers_staked();
  EXPECT_EQ(wagers.count_1h(), 1);
  EXPECT_EQ(wagers.sum_1h(), 400);
}

TEST(VelocityFeaturesTest, EachMetricFillsItsOwnField) {
  v1::Account account = BaseAccount();
  const absl::Time at = Now() - absl::Minutes(1);
  Record(account, v1::VELOCITY_METRIC_DEPOSIT_COMPLETED, 1, at);
  Record(account, v1::VELOCITY_METRIC_DEPOSIT_UNSUCCESSFUL, 2, at);
  Record(account, v1::VELOCITY_METRIC_DEPOSIT_REVERSED, 3, at);
  Record(account, v1::VELOCITY_METRIC_WITHDRAWAL_PAID, 4, at);
  Record(account, v1::VELOCITY_METRIC_WAGER_PAYOUT, 5, at);
  Record(account, v1::VELOCITY_METRIC_CONTACT_CHANGE, 0, at);
  Record(account, v1::VELOCITY_METRIC_PASSWORD_RESET_REQUESTED, 0, at);
  Record(account, v1::VELOCITY_METRIC_SUPPORT_CALL, 0, at);
  Record(account, v1::VELOCITY_METRIC_INSTRUMENT_ADDED, 0, at);
  Record(account, v1::VELOCITY_METRIC_INSTRUMENT_ADDED, 0, at);
  const v1::VelocityFeatures velocity = MustCompute(account, LoginEvent()).velocity();
  EXPECT_EQ(velocity.deposits_completed().sum_1h(), 1);
  EXPECT_EQ(velocity.deposits_unsuccessful().sum_1h(), 2);
  EXPECT_EQ(velocity.deposits_reversed().sum_1h(), 3);
  EXPECT_EQ(velocity.withdrawals_paid().sum_1h(), 4);
  EXPECT_EQ(velocity.wagers_paid_out().sum_1h(), 5);
  EXPECT_EQ(velocity.contact_changes().count_1h(), 1);
  EXPECT_EQ(velocity.password_reset_requests().count_1h(), 1);
  EXPECT_EQ(velocity.support_calls().count_1h(), 1);
  EXPECT_EQ(velocity.instruments_added().count_1h(), 2);
  EXPECT_EQ(velocity.deposits_requested().count_1h(), 0);
  EXPECT_EQ(velocity.withdrawals_requested().count_1h(), 0);
  EXPECT_EQ(velocity.login_failures().count_1h(), 0);
}

// A burst is the 1 h counters' last three 5-minute buckets: from Now() on a
// bucket boundary, 600 s back counts and 601 s back does not.
TEST(VelocityFeaturesTest, FailedLoginAndOtpBursts) {
  v1::Account account = BaseAccount();
  for (int i = 0; i < 4; ++i) {
    Record(account, v1::VELOCITY_METRIC_LOGIN_FAILED, 0, Now() - absl::Seconds(600 - i));
  }
  Record(account, v1::VELOCITY_METRIC_LOGIN_FAILED, 0, Now() - absl::Seconds(601));
  Record(account, v1::VELOCITY_METRIC_LOGIN_FAILED, 0, Now() - absl::Minutes(50));
  Record(account, v1::VELOCITY_METRIC_VERIFICATION_FAILED, 0, Now());
  Record(account, v1::VELOCITY_METRIC_VERIFICATION_FAILED, 0, Now() - absl::Minutes(30));
  account.mutable_security()->set_consecutive_failed_logins(6);
  account.mutable_security()->set_consecutive_failed_verifications(2);
  const v1::Features features = MustCompute(account, LoginEvent());
  EXPECT_EQ(features.login_failures_15m(), 4);
  EXPECT_EQ(features.login_failures_1h(), 6);
  EXPECT_EQ(features.velocity().login_failures().count_1h(), 6);
  EXPECT_EQ(features.otp_failures_15m(), 1);
  EXPECT_EQ(features.otp_failures_1h(), 2);
  EXPECT_EQ(features.consecutive_failed_logins(), 6);
  EXPECT_EQ(features.consecutive_failed_verifications(), 2);
}

TEST(VelocityFeaturesTest, NegativeConsecutiveCounterIsAnError) {
  v1::Account account = BaseAccount();
  account.mutable_security()->set_consecutive_failed_logins(-1);
  v1::Features features;
  EXPECT_THAT(risk::AddVelocityFeatures(account, Now(), &features),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.security.consecutive_failed_logins")));
  EXPECT_THAT(risk::ComputeFeatures(account, LoginEvent(), Now(), risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.security.consecutive_failed_logins")));
}

}  // namespace
}  // namespace pitboss
