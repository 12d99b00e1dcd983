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

}  // namespace
}  // namespace pitboss
