// Responsible-gambling limits against a test clock: periods, cooling-off to
// the second, lowest limit wins, blocking until reset, time-out, self-exclusion.
#include "src/domain/limits.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/deposit_machine.h"
#include "src/domain/money.h"
#include "tests/domain/ledger_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::domain::testing::DepositRequest;
using ::pitboss::domain::testing::NewAccount;
using ::pitboss::domain::testing::TestEpoch;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int kJst = 9 * 60;

absl::Time Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

v1::Account JstAccount() {
  v1::Account account = NewAccount("JPY");
  account.mutable_profile()->set_utc_offset_minutes(kJst);
  return account;
}

v1::DepositLimitChange Limit(v1::LimitPeriod period, int64_t amount) {
  v1::DepositLimitChange change;
  change.set_period(period);
  *change.mutable_amount() = MakeMoney(amount, "JPY");
  return change;
}

// Requests, accepts and settles a deposit at `at`.
void CompleteDeposit(v1::Account& account, const std::string& id, int64_t amount,
                     absl::Time at) {
  ASSERT_THAT(CreateDeposit(&account, DepositRequest("e-" + id, id, amount, "JPY", at),
                            FeeSchedule(), at),
              IsOk());
  ASSERT_THAT(TransitionDeposit(&account, id, v1::DEPOSIT_STATE_PENDING, {}, at), IsOk());
  ASSERT_THAT(TransitionDeposit(&account, id, v1::DEPOSIT_STATE_COMPLETED, {}, at), IsOk());
}

DepositAllowance Check(const v1::Account& account, int64_t amount, absl::Time now) {
  absl::StatusOr<DepositAllowance> allowance =
      CheckDepositAllowed(account, MakeMoney(amount, "JPY"), now);
  EXPECT_THAT(allowance, IsOk());
  return allowance.ok() ? *allowance : DepositAllowance();
}

TEST(LimitsTest, CalendarPeriodsInTheAccountOffset) {
  // 2026-03-02T00:00Z is Monday 09:00 in Tokyo.
  const absl::Time now = TestEpoch();
  EXPECT_EQ(*LimitPeriodStart(v1::LIMIT_PERIOD_DAILY, now, kJst), Utc(2026, 3, 1, 15));
  EXPECT_EQ(*LimitPeriodEnd(v1::LIMIT_PERIOD_DAILY, now, kJst), Utc(2026, 3, 2, 15));
  EXPECT_EQ(*LimitPeriodStart(v1::LIMIT_PERIOD_WEEKLY, now, kJst), Utc(2026, 3, 1, 15));
  EXPECT_EQ(*LimitPeriodEnd(v1::LIMIT_PERIOD_WEEKLY, now, kJst), Utc(2026, 3, 8, 15));
  EXPECT_EQ(*LimitPeriodStart(v1::LIMIT_PERIOD_MONTHLY, now, kJst), Utc(2026, 2, 28, 15));
  EXPECT_EQ(*LimitPeriodEnd(v1::LIMIT_PERIOD_MONTHLY, now, kJst), Utc(2026, 3, 31, 15));
  // In UTC the same instant is Monday 00:00: the week starts right there.
  EXPECT_EQ(*LimitPeriodStart(v1::LIMIT_PERIOD_WEEKLY, now, 0), now);
  EXPECT_EQ(*LimitPeriodStart(v1::LIMIT_PERIOD_WEEKLY, now - absl::Seconds(1), 0),
            Utc(2026, 2, 23));
  EXPECT_THAT(LimitPeriodStart(v1::LIMIT_PERIOD_DAILY, now, 19 * 60),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.profile.utc_offset_minutes")));
  EXPECT_THAT(LimitPeriodStart(v1::LIMIT_PERIOD_UNSPECIFIED, now, 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(LimitsTest, DecreaseAppliesAtOnceIncreaseAfterCoolingOffToTheSecond) {
  const absl::Time t0 = TestEpoch();
  v1::Account account = JstAccount();
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 10000),
                                 LimitsOptions(), t0),
              IsOk());
  EXPECT_FALSE(Check(account, 10001, t0).allowed());
  EXPECT_TRUE(Check(account, 10000, t0).allowed());

  // Decrease: at once.
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 3000),
                                 LimitsOptions(), t0 + absl::Hours(1)),
              IsOk());
  EXPECT_FALSE(Check(account, 3001, t0 + absl::Hours(1)).allowed());

  // Increase requested at t1: pending until t1 + 24 h exactly.
  const absl::Time t1 = t0 + absl::Hours(2) + absl::Seconds(17);
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 20000),
                                 LimitsOptions(), t1),
              IsOk());
  const v1::DepositLimit& limit = account.responsible_gambling().deposit_limits(0);
  EXPECT_EQ(limit.amount().minor_units(), 3000);
  EXPECT_EQ(limit.pending_amount().minor_units(), 20000);
  EXPECT_EQ(FromProtoTime(limit.pending_effective_at()), t1 + absl::Hours(24));
  const absl::Time before = t1 + absl::Hours(24) - absl::Seconds(1);
  const absl::Time at = t1 + absl::Hours(24);
  EXPECT_FALSE(Check(account, 3001, before).allowed());
  EXPECT_EQ(Check(account, 3001, before).remaining.minor_units(), 3000);
  EXPECT_TRUE(Check(account, 20000, at).allowed());
  EXPECT_FALSE(Check(account, 20001, at).allowed());
  EXPECT_EQ(EffectiveDepositLimit(limit, before)->minor_units(), 3000);
  EXPECT_EQ(EffectiveDepositLimit(limit, at)->minor_units(), 20000);

  // Lowering again while the increase waits cancels it.
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 2000),
                                 LimitsOptions(), before),
              IsOk());
  EXPECT_FALSE(Check(account, 2001, at + absl::Hours(100)).allowed());
  EXPECT_FALSE(account.responsible_gambling().deposit_limits(0).has_pending_amount());
}

TEST(LimitsTest, CoolingOffIsConfigurable) {
  LimitsOptions options;
  options.cooling_off = absl::Hours(72);
  const absl::Time t0 = TestEpoch();
  v1::Account account = JstAccount();
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_WEEKLY, 1000), options, t0),
              IsOk());
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_WEEKLY, 9000), options, t0),
              IsOk());
  EXPECT_FALSE(Check(account, 1001, t0 + absl::Hours(72) - absl::Seconds(1)).allowed());
  EXPECT_TRUE(Check(account, 1001, t0 + absl::Hours(72)).allowed());
}

TEST(LimitsTest, RemovalWaitsForTheCoolingOffAndIsPromotedByTheNextChange) {
  const absl::Time t0 = TestEpoch();
  v1::Account account = JstAccount();
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_MONTHLY, 50000),
                                 LimitsOptions(), t0),
              IsOk());
  v1::DepositLimitChange remove;
  remove.set_period(v1::LIMIT_PERIOD_MONTHLY);
  remove.set_remove(true);
  ASSERT_THAT(ChangeDepositLimit(&account, remove, LimitsOptions(), t0), IsOk());
  EXPECT_FALSE(Check(account, 50001, t0 + absl::Hours(23)).allowed());
  EXPECT_TRUE(Check(account, 50001, t0 + absl::Hours(24)).allowed());
  EXPECT_EQ(Check(account, 50001, t0 + absl::Hours(24)).binding_period,
            v1::LIMIT_PERIOD_UNSPECIFIED);
  // The next change promotes the due removal into the stored state.
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 7000),
                                 LimitsOptions(), t0 + absl::Hours(25)),
              IsOk());
  for (const v1::DepositLimit& limit : account.responsible_gambling().deposit_limits()) {
    if (limit.period() == v1::LIMIT_PERIOD_MONTHLY) {
      EXPECT_FALSE(limit.has_amount());
      EXPECT_FALSE(limit.pending_removal());
    }
  }
}

TEST(LimitsTest, LowestApplicableLimitWinsAndReachingItBlocksUntilTheReset) {
  const absl::Time monday = TestEpoch();  // 09:00 JST Monday
  v1::Account account = JstAccount();
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 10000),
                                 LimitsOptions(), monday),
              IsOk());
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_WEEKLY, 15000),
                                 LimitsOptions(), monday),
              IsOk());
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_MONTHLY, 100000),
                                 LimitsOptions(), monday),
              IsOk());
  CompleteDeposit(account, "d-1", 8000, monday);
  DepositAllowance a = Check(account, 2000, monday);
  EXPECT_TRUE(a.allowed());
  EXPECT_EQ(a.binding_period, v1::LIMIT_PERIOD_DAILY);
  EXPECT_EQ(a.remaining.minor_units(), 2000);
  CompleteDeposit(account, "d-2", 2000, monday + absl::Hours(1));
  // Daily limit reached: blocked until local midnight (15:00 UTC).
  a = Check(account, 1, monday + absl::Hours(2));
  EXPECT_FALSE(a.allowed());
  EXPECT_EQ(a.block, GamblingBlock::kDepositLimit);
  EXPECT_EQ(a.binding_period, v1::LIMIT_PERIOD_DAILY);
  EXPECT_EQ(a.blocked_until, Utc(2026, 3, 2, 15));
  EXPECT_THAT(a.reason, HasSubstr("daily deposit limit 10000 JPY leaves 0 JPY"));
  EXPECT_FALSE(Check(account, 1, Utc(2026, 3, 2, 15) - absl::Seconds(1)).allowed());
  // Tuesday: the daily period reset, the weekly limit (5,000 left) now binds.
  a = Check(account, 5000, Utc(2026, 3, 2, 15));
  EXPECT_TRUE(a.allowed());
  EXPECT_EQ(a.binding_period, v1::LIMIT_PERIOD_WEEKLY);
  EXPECT_EQ(a.remaining.minor_units(), 5000);
  a = Check(account, 5001, Utc(2026, 3, 2, 15));
  EXPECT_EQ(a.block, GamblingBlock::kDepositLimit);
  EXPECT_EQ(a.blocked_until, Utc(2026, 3, 8, 15));  // next Monday, local midnight
}

TEST(LimitsTest, AcceptedDepositsInFlightCountAgainstTheLimit) {
  const absl::Time now = TestEpoch();
  v1::Account account = JstAccount();
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 10000),
                                 LimitsOptions(), now),
              IsOk());
  ASSERT_THAT(CreateDeposit(&account, DepositRequest("e-1", "d-1", 7000, "JPY", now),
                            FeeSchedule(), now),
              IsOk());
  EXPECT_TRUE(Check(account, 10000, now).allowed());  // INITIATED is not accepted yet
  ASSERT_THAT(TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION,
                                {}, now),
              IsOk());
  EXPECT_FALSE(Check(account, 3001, now).allowed());
  EXPECT_TRUE(Check(account, 3000, now).allowed());
  // A failed deposit frees the room again.
  ASSERT_THAT(TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_FAILED, {}, now), IsOk());
  EXPECT_TRUE(Check(account, 10000, now).allowed());
}

TEST(LimitsTest, LimitSetLaterInThePeriodSeesEarlierDeposits) {
  const absl::Time now = TestEpoch();
  v1::Account account = JstAccount();
  CompleteDeposit(account, "d-1", 9000, now);
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 10000),
                                 LimitsOptions(), now + absl::Minutes(5)),
              IsOk());
  EXPECT_FALSE(Check(account, 1001, now + absl::Minutes(5)).allowed());
  EXPECT_TRUE(Check(account, 1000, now + absl::Minutes(5)).allowed());
}

TEST(LimitsTest, BadLimitChangesAreRefusedAndChangeNothing) {
  const absl::Time now = TestEpoch();
  v1::Account account = JstAccount();
  ASSERT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 5000),
                                 LimitsOptions(), now),
              IsOk());
  const v1::Account before = account;
  v1::DepositLimitChange usd = Limit(v1::LIMIT_PERIOD_DAILY, 100);
  usd.mutable_amount()->set_currency("USD");
  v1::DepositLimitChange remove_with_amount = Limit(v1::LIMIT_PERIOD_DAILY, 100);
  remove_with_amount.set_remove(true);
  v1::DepositLimitChange remove_missing;
  remove_missing.set_period(v1::LIMIT_PERIOD_WEEKLY);
  remove_missing.set_remove(true);
  struct Case {
    v1::DepositLimitChange change;
    absl::StatusCode code;
    const char* message;
  };
  const Case cases[] = {
      {Limit(v1::LIMIT_PERIOD_UNSPECIFIED, 100), absl::StatusCode::kInvalidArgument,
       "event.deposit_limit_change.period"},
      {Limit(static_cast<v1::LimitPeriod>(42), 100), absl::StatusCode::kInvalidArgument,
       "event.deposit_limit_change.period"},
      {Limit(v1::LIMIT_PERIOD_DAILY, 0), absl::StatusCode::kInvalidArgument,
       "event.deposit_limit_change.amount: must be positive"},
      {Limit(v1::LIMIT_PERIOD_DAILY, -1), absl::StatusCode::kInvalidArgument,
       "event.deposit_limit_change.amount: must be positive"},
      {usd, absl::StatusCode::kInvalidArgument, "currency mismatch: USD vs JPY"},
      {remove_with_amount, absl::StatusCode::kInvalidArgument, "must be unset"},
      {remove_missing, absl::StatusCode::kFailedPrecondition, "no limit to remove"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(ChangeDepositLimit(&account, c.change, LimitsOptions(), now),
                StatusIs(c.code, HasSubstr(c.message)));
    EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString()) << c.message;
  }
  LimitsOptions bad;
  bad.cooling_off = absl::Hours(-1);
  EXPECT_THAT(ChangeDepositLimit(&account, Limit(v1::LIMIT_PERIOD_DAILY, 1), bad, now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cooling_off")));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
}

TEST(LimitsTest, TimeOutBlocksDepositsAndPlayUntilItEnds) {
  const absl::Time now = TestEpoch();
  v1::Account account = JstAccount();
  v1::TimeOut time_out;
  time_out.set_hours(12);
  const v1::Account before = account;
  EXPECT_THAT(StartTimeOut(&account, time_out, LimitsOptions(), now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.time_out.hours")));
  time_out.set_hours(24 * 7 * 6 + 1);
  EXPECT_THAT(StartTimeOut(&account, time_out, LimitsOptions(), now),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
  time_out.set_hours(48);
  ASSERT_THAT(StartTimeOut(&account, time_out, LimitsOptions(), now), IsOk());
  EXPECT_EQ(account.version(), before.version() + 1);
  const absl::Time end = now + absl::Hours(48);
  EXPECT_EQ(PlayBlock(account, end - absl::Seconds(1)), GamblingBlock::kTimedOut);
  EXPECT_EQ(PlayBlock(account, end), GamblingBlock::kNone);
  DepositAllowance a = Check(account, 100, now);
  EXPECT_EQ(a.block, GamblingBlock::kTimedOut);
  EXPECT_EQ(a.blocked_until, end);
  // Cannot be shortened while it runs; can be extended.
  time_out.set_hours(24);
  const v1::Account running = account;
  EXPECT_THAT(StartTimeOut(&account, time_out, LimitsOptions(), now + absl::Hours(1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cannot be shortened")));
  EXPECT_EQ(account.SerializeAsString(), running.SerializeAsString());
  time_out.set_hours(72);
  ASSERT_THAT(StartTimeOut(&account, time_out, LimitsOptions(), now + absl::Hours(1)), IsOk());
  EXPECT_EQ(PlayBlock(account, end), GamblingBlock::kTimedOut);
}

TEST(LimitsTest, SelfExclusionIsImmediateAtLeastSixMonthsAndNeverShortened) {
  const absl::Time now = Utc(2026, 8, 31, 12);  // + 6 months = "Feb 31" -> Mar 3
  v1::Account account = NewAccount("JPY");
  v1::SelfExclusion request;
  request.set_months(5);
  const v1::Account before = account;
  EXPECT_THAT(StartSelfExclusion(&account, request, LimitsOptions(), now),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.self_exclusion.months: must be at least 6")));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
  request.set_months(6);
  ASSERT_THAT(StartSelfExclusion(&account, request, LimitsOptions(), now), IsOk());
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_SELF_EXCLUDED);
  const absl::Time until = FromProtoTime(account.responsible_gambling().self_excluded_until());
  EXPECT_EQ(until, Utc(2027, 3, 3, 12));
  EXPECT_GE(until - now, absl::Hours(24 * 182));
  EXPECT_EQ(PlayBlock(account, now), GamblingBlock::kSelfExcluded);
  EXPECT_EQ(Check(account, 100, now).block, GamblingBlock::kSelfExcluded);
  EXPECT_EQ(Check(account, 100, now).blocked_until, until);

  // Deposits cannot be accepted while self-excluded.
  ASSERT_THAT(CreateDeposit(&account, DepositRequest("e-1", "d-1", 1000, "JPY", now),
                            FeeSchedule(), now),
              IsOk());
  EXPECT_THAT(TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_PENDING, {}, now),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("SELF_EXCLUDED")));

  // Ending it early is refused; at the end it takes a positive action.
  const v1::Account excluded = account;
  EXPECT_THAT(EndSelfExclusion(&account, until - absl::Seconds(1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("still runs")));
  EXPECT_EQ(account.SerializeAsString(), excluded.SerializeAsString());
  EXPECT_EQ(PlayBlock(account, until), GamblingBlock::kSelfExcluded);  // status still set
  // Extending to indefinite is allowed; shortening back is not.
  request.set_indefinite(true);
  ASSERT_THAT(StartSelfExclusion(&account, request, LimitsOptions(), now + absl::Hours(1)),
              IsOk());
  request.set_indefinite(false);
  request.set_months(12);
  const v1::Account indefinite = account;
  EXPECT_THAT(StartSelfExclusion(&account, request, LimitsOptions(), now + absl::Hours(2)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cannot be shortened")));
  EXPECT_EQ(account.SerializeAsString(), indefinite.SerializeAsString());
  EXPECT_THAT(EndSelfExclusion(&account, now + absl::Hours(24 * 365 * 50)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(LimitsTest, SelfExclusionEndsOnlyByPositiveAction) {
  const absl::Time now = TestEpoch();
  v1::Account account = NewAccount("JPY");
  v1::SelfExclusion request;
  request.set_months(6);
  ASSERT_THAT(StartSelfExclusion(&account, request, LimitsOptions(), now), IsOk());
  const absl::Time until = FromProtoTime(account.responsible_gambling().self_excluded_until());
  ASSERT_THAT(EndSelfExclusion(&account, until), IsOk());
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_ACTIVE);
  EXPECT_EQ(PlayBlock(account, until), GamblingBlock::kNone);
  EXPECT_THAT(EndSelfExclusion(&account, until),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not self-excluded")));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
