// New vs known device, device age, and country mismatches.
#include "src/risk/device_features.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"
#include "tests/risk/risk_test_util.h"

namespace pitboss {
namespace {

using ::pitboss::risk_test::BaseAccount;
using ::pitboss::risk_test::LoginEvent;
using ::pitboss::risk_test::MustCompute;
using ::pitboss::risk_test::Now;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

TEST(DeviceFeaturesTest, KnownTrustedDevice) {
  const v1::Features features = MustCompute(BaseAccount(), LoginEvent());
  EXPECT_TRUE(features.has_device());
  EXPECT_FALSE(features.new_device());
  EXPECT_TRUE(features.device_trusted());
  EXPECT_EQ(features.device_age_seconds(), 100 * 24 * 3600);
  EXPECT_EQ(features.known_device_count(), 1);
  EXPECT_EQ(features.device_country(), "JP");
  EXPECT_EQ(features.account_country(), "JP");
  EXPECT_EQ(features.ip_country(), "JP");
  EXPECT_FALSE(features.ip_country_mismatch());
  EXPECT_FALSE(features.device_country_mismatch());
  EXPECT_FALSE(features.device_ip_country_changed());
}

TEST(DeviceFeaturesTest, NewDeviceFromAnotherCountry) {
  v1::Event event = LoginEvent();
  event.mutable_device()->set_device_id("dev-unknown");
  event.set_ip_country("VN");
  const v1::Features features = MustCompute(BaseAccount(), event);
  EXPECT_TRUE(features.has_device());
  EXPECT_TRUE(features.new_device());
  EXPECT_FALSE(features.device_trusted());
  EXPECT_EQ(features.device_age_seconds(), 0);
  EXPECT_EQ(features.device_country(), "");
  EXPECT_TRUE(features.ip_country_mismatch());
  EXPECT_FALSE(features.device_country_mismatch());
  EXPECT_FALSE(features.device_ip_country_changed());
}

TEST(DeviceFeaturesTest, KnownUntrustedDeviceThatMoved) {
  v1::Account account = BaseAccount();
  v1::Device* device = account.add_devices();
  device->set_device_id("dev-laptop");
  *device->mutable_first_seen_at() = risk_test::Ts(Now() - absl::Minutes(10));
  device->set_last_ip_country("TH");
  v1::Event event = LoginEvent();
  event.mutable_device()->set_device_id("dev-laptop");
  event.set_ip_country("JP");
  const v1::Features features = MustCompute(account, event);
  EXPECT_FALSE(features.new_device());
  EXPECT_FALSE(features.device_trusted());
  EXPECT_EQ(features.device_age_seconds(), 600);
  EXPECT_EQ(features.known_device_count(), 2);
  EXPECT_FALSE(features.ip_country_mismatch());
  EXPECT_TRUE(features.device_country_mismatch());
  EXPECT_TRUE(features.device_ip_country_changed());
}

TEST(DeviceFeaturesTest, NoDeviceAndUnknownCountriesNeverMismatch) {
  v1::Account account = BaseAccount();
  account.mutable_profile()->clear_country();
  v1::Event event = LoginEvent();
  event.clear_device();
  event.set_ip_country("US");
  const v1::Features features = MustCompute(account, event);
  EXPECT_FALSE(features.has_device());
  EXPECT_FALSE(features.new_device());
  EXPECT_FALSE(features.ip_country_mismatch());
}

TEST(DeviceFeaturesTest, MalformedCountryCodesNameTheField) {
  v1::Event event = LoginEvent();
  event.set_ip_country("jp");
  EXPECT_THAT(risk::ComputeFeatures(BaseAccount(), event, Now(), risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.ip_country")));
  v1::Account account = BaseAccount();
  account.mutable_profile()->set_country("JPN");
  EXPECT_THAT(risk::ComputeFeatures(account, LoginEvent(), Now(), risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.profile.country")));
  account = BaseAccount();
  account.mutable_devices(0)->set_last_ip_country("J1");
  EXPECT_THAT(risk::ComputeFeatures(account, LoginEvent(), Now(), risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.devices[0].last_ip_country")));
}

TEST(DeviceFeaturesTest, OverlongDeviceIdIsAnError) {
  v1::Event event = LoginEvent();
  event.mutable_device()->set_device_id(std::string(256, 'd'));
  v1::Features features;
  EXPECT_THAT(risk::AddDeviceFeatures(BaseAccount(), event, Now(), risk::FeatureOptions(), &features),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.device.device_id")));
}

// The takeover sequence: a login from a new phone registers it, so by the
// withdrawal it is no longer new_device, but it is still recently first seen.
TEST(DeviceFeaturesTest, DeviceFirstSeenRecentlyOutlivesTheFirstEvent) {
  v1::Account account = BaseAccount();  // dev-home, first seen 100 days ago
  v1::Device* device = account.add_devices();
  device->set_device_id("dev-new");
  *device->mutable_first_seen_at() = risk_test::Ts(Now() - absl::Hours(2));
  v1::Event event = LoginEvent();
  event.mutable_device()->set_device_id("dev-new");
  v1::Features features = MustCompute(account, event);
  EXPECT_FALSE(features.new_device());
  EXPECT_TRUE(features.device_first_seen_recently());

  // The window is the policy's: 1 h makes the 2 h old device established.
  risk::FeatureOptions options = risk_test::Options();
  options.recent_device_window = absl::Hours(1);
  features = MustCompute(account, event, Now(), options);
  EXPECT_FALSE(features.device_first_seen_recently());
  // Exactly the window old: no longer recent.
  options.recent_device_window = absl::Hours(2);
  EXPECT_FALSE(MustCompute(account, event, Now(), options).device_first_seen_recently());
  options.recent_device_window = absl::Hours(2) + absl::Seconds(1);
  EXPECT_TRUE(MustCompute(account, event, Now(), options).device_first_seen_recently());

  // A device never seen before is recent; the established phone is not.
  event.mutable_device()->set_device_id("dev-other");
  EXPECT_TRUE(MustCompute(account, event).device_first_seen_recently());
  event.mutable_device()->set_device_id("dev-home");
  EXPECT_FALSE(MustCompute(account, event).device_first_seen_recently());
  // Without a device: false.
  event.clear_device();
  EXPECT_FALSE(MustCompute(account, event).device_first_seen_recently());
}

// The device an account was opened from is the owner's, however young.
TEST(DeviceFeaturesTest, TheAccountsFirstDeviceIsNeverRecent) {
  v1::Account account = BaseAccount();
  account.clear_devices();
  v1::Event event = LoginEvent();
  // The very first device of an account with none: not recent.
  v1::Features features = MustCompute(account, event);
  EXPECT_TRUE(features.new_device());
  EXPECT_FALSE(features.device_first_seen_recently());

  v1::Device* first = account.add_devices();
  first->set_device_id(event.device().device_id());
  *first->mutable_first_seen_at() = risk_test::Ts(Now() - absl::Minutes(5));
  features = MustCompute(account, event);
  EXPECT_FALSE(features.new_device());
  EXPECT_FALSE(features.device_first_seen_recently());

  // A second device seen a minute later is recent.
  v1::Device* second = account.add_devices();
  second->set_device_id("dev-second");
  *second->mutable_first_seen_at() = risk_test::Ts(Now() - absl::Minutes(4));
  event.mutable_device()->set_device_id("dev-second");
  EXPECT_TRUE(MustCompute(account, event).device_first_seen_recently());
}

}  // namespace
}  // namespace pitboss
