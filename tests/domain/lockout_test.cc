// Tests for the failed-login lockout: window and lock boundaries to the
// second, the 100-consecutive hard lock, refused attempts, bad input.
#include "src/domain/lockout.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "src/domain/proto_time.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixSeconds(1767225600);  // 2026-01-01Z

v1::LoginAttempt Failure(
    v1::LoginFailureReason reason = v1::LOGIN_FAILURE_REASON_BAD_PASSWORD) {
  v1::LoginAttempt a;
  a.set_success(false);
  a.set_failure_reason(reason);
  return a;
}

v1::LoginAttempt Success() {
  v1::LoginAttempt a;
  a.set_success(true);
  return a;
}

google::protobuf::Timestamp Ts(absl::Time t) { return ToProtoTime(t); }

class LockoutTest : public ::testing::Test {
 protected:
  // Applies an attempt, expecting success, and keeps the new record.
  LoginAttemptResult Apply(const v1::LoginAttempt& attempt, absl::Time now) {
    auto r = ApplyLoginAttempt(security_, "account.security", attempt,
                               "event.login_attempt", now, options_);
    EXPECT_THAT(r, IsOk());
    if (!r.ok()) return {};
    security_ = r->security;
    return *r;
  }

  LockoutState State(absl::Time now) {
    auto s = GetLockoutState(security_, now, options_, "account.security");
    EXPECT_THAT(s, IsOk());
    return s.ok() ? *s : LockoutState{};
  }

  v1::Security security_;
  LockoutOptions options_;
};

TEST_F(LockoutTest, FiveFailuresWithinFifteenMinutesLock) {
  // Failures at 0, 1, 2, 3 min and at 14:59: all five in the window.
  for (int m = 0; m < 4; ++m) {
    LoginAttemptResult r = Apply(Failure(), kT0 + absl::Minutes(m));
    EXPECT_EQ(r.outcome, LoginOutcome::kFailureCounted);
    EXPECT_FALSE(r.state.locked);
    EXPECT_EQ(r.state.attempts_before_lock, 4 - m);
  }
  const absl::Time fifth = kT0 + absl::Minutes(14) + absl::Seconds(59);
  LoginAttemptResult r = Apply(Failure(), fifth);
  EXPECT_TRUE(r.lock_started);
  EXPECT_TRUE(r.state.locked);
  EXPECT_EQ(r.state.failures_in_window, 5);
  EXPECT_EQ(r.state.locked_until, fifth + absl::Minutes(15));
  EXPECT_EQ(r.state.attempts_before_lock, 0);
  EXPECT_EQ(security_.locked_until().seconds(),
            absl::ToUnixSeconds(fifth + absl::Minutes(15)));
}

TEST_F(LockoutTest, FailureExactlyWindowOldNoLongerCounts) {
  for (int m = 0; m < 4; ++m) Apply(Failure(), kT0 + absl::Minutes(m));
  // 15:00 after the first failure: the first no longer counts.
  LoginAttemptResult r = Apply(Failure(), kT0 + absl::Minutes(15));
  EXPECT_FALSE(r.state.locked);
  EXPECT_FALSE(r.lock_started);
  EXPECT_EQ(r.state.failures_in_window, 4);
  EXPECT_EQ(r.state.consecutive_failures, 5);
  // Only failures still in the window are stored.
  EXPECT_EQ(security_.recent_failed_logins_size(), 4);
  // One more a second later locks (1, 2, 3, 15:00, 15:01 are in the window).
  r = Apply(Failure(), kT0 + absl::Minutes(15) + absl::Seconds(1));
  EXPECT_TRUE(r.state.locked);
}

TEST_F(LockoutTest, LockEndsExactlyAtLockedUntil) {
  for (int i = 0; i < 5; ++i) Apply(Failure(), kT0 + absl::Seconds(i));
  const absl::Time until = kT0 + absl::Seconds(4) + absl::Minutes(15);
  EXPECT_TRUE(State(until - absl::Seconds(1)).locked);
  EXPECT_FALSE(State(until).locked);

  // A success one second before the end is refused and changes nothing.
  const v1::Security before = security_;
  LoginAttemptResult r = Apply(Success(), until - absl::Seconds(1));
  EXPECT_EQ(r.outcome, LoginOutcome::kRefusedLocked);
  EXPECT_TRUE(MessageDifferencer::Equals(security_, before));

  // At `until` it is accepted and the counters reset.
  r = Apply(Success(), until);
  EXPECT_EQ(r.outcome, LoginOutcome::kAccepted);
  EXPECT_FALSE(r.state.locked);
  EXPECT_EQ(security_.consecutive_failed_logins(), 0);
  EXPECT_EQ(security_.recent_failed_logins_size(), 0);
  EXPECT_FALSE(security_.has_locked_until());
  EXPECT_EQ(security_.last_login_at().seconds(), absl::ToUnixSeconds(until));
  EXPECT_EQ(security_.last_activity_at().seconds(), absl::ToUnixSeconds(until));
}

TEST_F(LockoutTest, UncheckedAttemptsWhileLockedCountForNothing) {
  for (int i = 0; i < 5; ++i) Apply(Failure(), kT0 + absl::Seconds(i));
  const v1::Security before = security_;
  LoginAttemptResult r =
      Apply(Failure(v1::LOGIN_FAILURE_REASON_ACCOUNT_LOCKED), kT0 + absl::Minutes(1));
  EXPECT_EQ(r.outcome, LoginOutcome::kRefusedLocked);
  EXPECT_TRUE(MessageDifferencer::Equals(security_, before));
}

TEST_F(LockoutTest, CheckedFailureWhileLockedExtendsTheLock) {
  for (int i = 0; i < 5; ++i) Apply(Failure(), kT0 + absl::Seconds(i));
  const absl::Time later = kT0 + absl::Minutes(10);
  LoginAttemptResult r = Apply(Failure(), later);
  EXPECT_EQ(r.outcome, LoginOutcome::kFailureCounted);
  EXPECT_FALSE(r.lock_started);  // it was already locked
  EXPECT_EQ(r.state.locked_until, later + absl::Minutes(15));
  EXPECT_EQ(security_.recent_failed_logins_size(), 5);  // bounded
}

TEST_F(LockoutTest, SuccessResetsTheCount) {
  for (int i = 0; i < 4; ++i) Apply(Failure(), kT0 + absl::Seconds(i));
  Apply(Success(), kT0 + absl::Seconds(10));
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(Apply(Failure(), kT0 + absl::Seconds(20 + i)).state.locked);
  }
  EXPECT_TRUE(Apply(Failure(), kT0 + absl::Seconds(30)).state.locked);
}

TEST_F(LockoutTest, HundredConsecutiveFailuresHardLock) {
  // Slow failures (one every 4 minutes) never trip the 5-in-15-min rule but
  // add up to 100 consecutive ones.
  absl::Time t = kT0;
  for (int i = 1; i <= 99; ++i) {
    LoginAttemptResult r = Apply(Failure(), t);
    ASSERT_FALSE(r.state.locked) << "attempt " << i;
    t += absl::Minutes(4);
  }
  EXPECT_EQ(State(t).attempts_before_lock, 1);
  LoginAttemptResult r = Apply(Failure(), t);
  EXPECT_TRUE(r.hard_lock_started);
  EXPECT_TRUE(r.state.hard_locked);
  EXPECT_EQ(r.state.locked_until, absl::InfiniteFuture());
  EXPECT_EQ(security_.consecutive_failed_logins(), 100);
  EXPECT_TRUE(security_.hard_locked());

  // Months later it is still locked, and nothing is checked or counted: there
  // is never a 101st counted failure.
  const absl::Time much_later = t + absl::Hours(24 * 90);
  EXPECT_TRUE(State(much_later).locked);
  const v1::Security before = security_;
  EXPECT_EQ(Apply(Failure(), much_later).outcome, LoginOutcome::kRefusedLocked);
  EXPECT_EQ(Apply(Success(), much_later).outcome, LoginOutcome::kRefusedLocked);
  EXPECT_TRUE(MessageDifferencer::Equals(security_, before));

  // Clearing (password reset via possession, or a security officer) unlocks.
  security_ = ClearLockout(security_);
  EXPECT_FALSE(State(much_later).locked);
  EXPECT_EQ(Apply(Success(), much_later).outcome, LoginOutcome::kAccepted);
}

TEST_F(LockoutTest, OptionsAreConfigurable) {
  options_.max_failures_in_window = 3;
  options_.window = absl::Minutes(5);
  options_.lockout_duration = absl::Hours(1);
  Apply(Failure(), kT0);
  Apply(Failure(), kT0 + absl::Minutes(4));
  LoginAttemptResult r = Apply(Failure(), kT0 + absl::Minutes(4) + absl::Seconds(59));
  EXPECT_TRUE(r.state.locked);
  EXPECT_EQ(r.state.locked_until,
            kT0 + absl::Minutes(4) + absl::Seconds(59) + absl::Hours(1));
}

TEST_F(LockoutTest, BadOptionsAreRejected) {
  for (auto mutate : std::vector<void (*)(LockoutOptions*)>{
           [](LockoutOptions* o) { o->max_failures_in_window = 0; },
           [](LockoutOptions* o) { o->hard_lock_consecutive_failures = 101; },
           [](LockoutOptions* o) { o->hard_lock_consecutive_failures = 4; },
           [](LockoutOptions* o) { o->window = absl::ZeroDuration(); },
           [](LockoutOptions* o) { o->lockout_duration = -absl::Seconds(1); },
       }) {
    LockoutOptions o;
    mutate(&o);
    EXPECT_THAT(ValidateLockoutOptions(o),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("lockout.")));
  }
}

TEST_F(LockoutTest, BadInputNamesTheFieldAndChangesNothing) {
  Apply(Failure(), kT0);
  const v1::Security before = security_;

  v1::LoginAttempt no_reason;
  no_reason.set_success(false);
  EXPECT_THAT(ApplyLoginAttempt(security_, "account.security", no_reason,
                                "event.login_attempt", kT0, options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.login_attempt.failure_reason")));
  EXPECT_THAT(ApplyLoginAttempt(security_, "account.security",
                                Failure(v1::LOGIN_FAILURE_REASON_UNKNOWN_USER),
                                "event.login_attempt", kT0, options_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("UNKNOWN_USER")));
  v1::LoginAttempt success_with_reason = Success();
  success_with_reason.set_failure_reason(v1::LOGIN_FAILURE_REASON_BAD_PASSWORD);
  EXPECT_THAT(ApplyLoginAttempt(security_, "account.security", success_with_reason,
                                "event.login_attempt", kT0, options_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be unset")));

  // The recorded failure lies in the future of `now`.
  EXPECT_THAT(ApplyLoginAttempt(security_, "account.security", Failure(),
                                "event.login_attempt", kT0 - absl::Seconds(1), options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.security.recent_failed_logins[0]: "
                                 "in the future")));

  v1::Security bad = security_;
  bad.set_consecutive_failed_logins(-1);
  EXPECT_THAT(ApplyLoginAttempt(bad, "account.security", Failure(), "event.login_attempt",
                                kT0, options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("consecutive_failed_logins: negative")));
  bad = security_;
  *bad.add_recent_failed_logins() = Ts(kT0 - absl::Minutes(1));
  EXPECT_THAT(GetLockoutState(bad, kT0, options_, "account.security"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("recent_failed_logins[1]: older")));
  bad = security_;
  bad.mutable_locked_until()->set_nanos(-5);
  EXPECT_THAT(GetLockoutState(bad, kT0, options_, "account.security"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.security.locked_until: nanos")));

  EXPECT_TRUE(MessageDifferencer::Equals(security_, before));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
