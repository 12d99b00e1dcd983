// Seconds since contact / password changes, with "never" as kNever.
#include "src/risk/security_timing_features.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"
#include "tests/risk/risk_test_util.h"

namespace pitboss {
namespace {

using ::pitboss::risk_test::BaseAccount;
using ::pitboss::risk_test::MustCompute;
using ::pitboss::risk_test::Now;
using ::pitboss::risk_test::Ts;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

TEST(SecurityTimingFeaturesTest, NeverChangedIsKNeverWithFlagFalse) {
  const v1::Features features = MustCompute(BaseAccount(), risk_test::LoginEvent());
  EXPECT_FALSE(features.email_ever_changed());
  EXPECT_EQ(features.seconds_since_email_change(), risk::kNever);
  EXPECT_FALSE(features.phone_ever_changed());
  EXPECT_EQ(features.seconds_since_phone_change(), risk::kNever);
  EXPECT_FALSE(features.password_ever_changed());
  EXPECT_EQ(features.seconds_since_password_change(), risk::kNever);
  EXPECT_FALSE(features.contact_ever_changed());
  EXPECT_EQ(features.seconds_since_contact_change(), risk::kNever);
  EXPECT_FALSE(features.ever_logged_in());
  EXPECT_EQ(features.seconds_since_last_login(), risk::kNever);
  // The shape of a typical rule is false for "never".
  EXPECT_FALSE(features.seconds_since_email_change() < 48 * 3600);
}

TEST(SecurityTimingFeaturesTest, SecondsSinceEachChange) {
  v1::Account account = BaseAccount();
  v1::Security* security = account.mutable_security();
  *security->mutable_email_changed_at() = Ts(Now() - absl::Hours(2));
  *security->mutable_phone_changed_at() = Ts(Now() - absl::Hours(30));
  *security->mutable_password_changed_at() =
      Ts(Now() - absl::Seconds(59) - absl::Milliseconds(999));  // rounds down
  *security->mutable_address_changed_at() = Ts(Now() - absl::Hours(24 * 90));
  *security->mutable_password_reset_requested_at() = Ts(Now() - absl::Minutes(5));
  *security->mutable_last_login_at() = Ts(Now() - absl::Minutes(1));
  *security->mutable_last_security_report_at() = Ts(Now() - absl::Hours(1));
  const v1::Features features = MustCompute(account, risk_test::LoginEvent());
  EXPECT_TRUE(features.email_ever_changed());
  EXPECT_EQ(features.seconds_since_email_change(), 7200);
  EXPECT_TRUE(features.phone_ever_changed());
  EXPECT_EQ(features.seconds_since_phone_change(), 30 * 3600);
  EXPECT_EQ(features.seconds_since_password_change(), 59);
  EXPECT_EQ(features.seconds_since_address_change(), 90 * 24 * 3600);
  // Contact = the more recent of e-mail and phone.
  EXPECT_TRUE(features.contact_ever_changed());
  EXPECT_EQ(features.seconds_since_contact_change(), 7200);
  EXPECT_EQ(features.seconds_since_password_reset_request(), 300);
  EXPECT_EQ(features.seconds_since_last_login(), 60);
  EXPECT_EQ(features.seconds_since_security_report(), 3600);
  EXPECT_TRUE(features.security_report_ever_made());
}

TEST(SecurityTimingFeaturesTest, ChangeAfterNowCountsAsJustNow) {
  v1::Account account = BaseAccount();
  *account.mutable_security()->mutable_email_changed_at() = Ts(Now() + absl::Minutes(3));
  const v1::Features features = MustCompute(account, risk_test::LoginEvent());
  EXPECT_TRUE(features.email_ever_changed());
  EXPECT_EQ(features.seconds_since_email_change(), 0);
}

TEST(SecurityTimingFeaturesTest, InvalidTimestampNamesTheField) {
  v1::Account account = BaseAccount();
  account.mutable_security()->mutable_phone_changed_at()->set_seconds(1);
  account.mutable_security()->mutable_phone_changed_at()->set_nanos(-5);
  EXPECT_THAT(risk::ComputeFeatures(account, risk_test::LoginEvent(), Now(),
                                    risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.security.phone_changed_at")));
}

// The cool-down flags follow the options (the policy's timings), not a
// number written in a rule.
TEST(SecurityTimingFeaturesTest, CooldownFlagsFollowThePolicyTimings) {
  v1::Account account = BaseAccount();
  *account.mutable_security()->mutable_email_changed_at() = Ts(Now() - absl::Hours(30));
  *account.mutable_security()->mutable_password_changed_at() = Ts(Now() - absl::Hours(30));
  v1::Features features = MustCompute(account, risk_test::LoginEvent());
  EXPECT_TRUE(features.contact_change_cooldown_active());  // default 48 h
  EXPECT_TRUE(features.password_change_cooldown_active());

  risk::FeatureOptions options = risk_test::Options();
  options.contact_change_cooldown = absl::Hours(24);
  options.password_change_cooldown = absl::Hours(30);  // exactly 30 h old: over
  features = MustCompute(account, risk_test::LoginEvent(), Now(), options);
  EXPECT_FALSE(features.contact_change_cooldown_active());
  EXPECT_FALSE(features.password_change_cooldown_active());
  options.password_change_cooldown = absl::Hours(72);
  features = MustCompute(account, risk_test::LoginEvent(), Now(), options);
  EXPECT_TRUE(features.password_change_cooldown_active());

  // Never changed: never active.
  features = MustCompute(BaseAccount(), risk_test::LoginEvent());
  EXPECT_FALSE(features.contact_change_cooldown_active());
  EXPECT_FALSE(features.password_change_cooldown_active());
}

// The password set at sign-up (stamped at created_at by older accounts) is
// not a change.
TEST(SecurityTimingFeaturesTest, SignUpPasswordIsNotAChange) {
  v1::Account account = BaseAccount();
  *account.mutable_created_at() = Ts(Now() - absl::Hours(3));
  *account.mutable_security()->mutable_password_changed_at() = Ts(Now() - absl::Hours(3));
  v1::Features features = MustCompute(account, risk_test::LoginEvent());
  EXPECT_FALSE(features.password_ever_changed());
  EXPECT_EQ(features.seconds_since_password_change(), risk::kNever);
  EXPECT_FALSE(features.password_change_cooldown_active());
  // A real change a minute after sign-up is one.
  *account.mutable_security()->mutable_password_changed_at() =
      Ts(Now() - absl::Hours(3) + absl::Minutes(1));
  features = MustCompute(account, risk_test::LoginEvent());
  EXPECT_TRUE(features.password_ever_changed());
  EXPECT_TRUE(features.password_change_cooldown_active());
}

TEST(SecurityTimingFeaturesTest, ApplyPolicyTimingsReadsSecurityDurations) {
  v1::Policy policy;
  risk::FeatureOptions options;
  ASSERT_THAT(risk::ApplyPolicyTimings(policy, &options), ::pitboss::testing::IsOk());
  EXPECT_EQ(options.contact_change_cooldown, absl::Hours(48));
  EXPECT_EQ(options.password_change_cooldown, absl::Hours(48));
  EXPECT_EQ(options.recent_device_window, absl::Hours(24 * 7));

  policy.mutable_security()->mutable_withdrawal_hold_after_contact_change()->set_seconds(3600);
  policy.mutable_security()->mutable_withdrawal_hold_after_password_change()->set_seconds(7200);
  policy.mutable_security()->mutable_recent_device_window()->set_seconds(86400);
  ASSERT_THAT(risk::ApplyPolicyTimings(policy, &options), ::pitboss::testing::IsOk());
  EXPECT_EQ(options.contact_change_cooldown, absl::Hours(1));
  EXPECT_EQ(options.password_change_cooldown, absl::Hours(2));
  EXPECT_EQ(options.recent_device_window, absl::Hours(24));

  // A negative duration names the field and changes nothing.
  policy.mutable_security()->mutable_recent_device_window()->set_seconds(-1);
  EXPECT_THAT(risk::ApplyPolicyTimings(policy, &options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("security.recent_device_window")));
  EXPECT_EQ(options.recent_device_window, absl::Hours(24));
  EXPECT_EQ(options.contact_change_cooldown, absl::Hours(1));
}

}  // namespace
}  // namespace pitboss
