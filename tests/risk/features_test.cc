// ComputeFeatures as a whole: account basics, determinism, options, families.
#include "src/risk/features.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "src/domain/velocity.h"
#include "tests/matchers.h"
#include "tests/risk/risk_test_util.h"

namespace pitboss {
namespace {

using ::pitboss::risk_test::AddBank;
using ::pitboss::risk_test::AddCard;
using ::pitboss::risk_test::BaseAccount;
using ::pitboss::risk_test::Jpy;
using ::pitboss::risk_test::LoginEvent;
using ::pitboss::risk_test::MustCompute;
using ::pitboss::risk_test::Now;
using ::pitboss::risk_test::Ts;
using ::pitboss::risk_test::WithdrawalEvent;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

// An account with a bit of everything: a recent e-mail change, velocity,
// instruments, deposits, paid withdrawals.
v1::Account BusyAccount() {
  v1::Account account = BaseAccount();
  *account.mutable_security()->mutable_email_changed_at() = Ts(Now() - absl::Hours(2));
  AddCard(account, "card-1", "ﾔﾏﾀﾞ ﾀﾛｳ", true);
  AddBank(account, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ", true);
  AddBank(account, "bank-2", "JOHN SMITH", false);
  for (int i = 0; i < 5; ++i) {
    const absl::Time at = Now() - absl::Hours(1 + 7 * i);
    EXPECT_THAT(domain::RecordVelocity(account.mutable_velocity(),
                                       v1::VELOCITY_METRIC_DEPOSIT_COMPLETED, 10000, at),
                IsOk());
    v1::Deposit* deposit = account.add_deposits();
    deposit->set_deposit_id("d-" + std::to_string(i));
    deposit->set_state(v1::DEPOSIT_STATE_COMPLETED);
    deposit->set_instrument_id("card-1");
    *deposit->mutable_amount() = Jpy(10000);
    *deposit->mutable_completed_at() = Ts(at);
  }
  v1::Withdrawal* withdrawal = account.add_withdrawals();
  withdrawal->set_withdrawal_id("w-1");
  withdrawal->set_state(v1::WITHDRAWAL_STATE_PAID);
  withdrawal->set_instrument_id("bank-1");
  *withdrawal->mutable_amount() = Jpy(8000);
  *account.mutable_totals()->mutable_deposits_credited() = Jpy(50000);
  account.mutable_totals()->set_completed_deposit_count(5);
  return account;
}

TEST(FeaturesTest, AccountBasics) {
  const v1::Features features = MustCompute(BaseAccount(), LoginEvent());
  EXPECT_EQ(features.channel(), v1::CHANNEL_APP);
  EXPECT_EQ(features.account_age_seconds(), 400 * 24 * 3600);
  EXPECT_EQ(features.kyc_level(), v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  EXPECT_TRUE(features.kyc_documents_verified());
  EXPECT_FALSE(features.has_amount());

  v1::Account fresh;  // account_opened: nothing yet
  v1::Event opened = risk_test::BaseEvent("ev-open");
  opened.mutable_account_opened()->mutable_profile()->set_country("JP");
  const v1::Features opening = MustCompute(fresh, opened);
  EXPECT_EQ(opening.account_age_seconds(), 0);
  EXPECT_EQ(opening.kyc_level(), v1::KYC_LEVEL_UNSPECIFIED);
  EXPECT_FALSE(opening.kyc_documents_verified());
  EXPECT_TRUE(opening.new_device());
}

// The headline scenario: withdrawal 2 h after an e-mail change, from a new
// device, to a destination that never deposited, in a holder name that is
// not the player's.
TEST(FeaturesTest, AccountTakeoverWithdrawalShape) {
  v1::Event event = WithdrawalEvent("bank-2", 40000);
  event.mutable_device()->set_device_id("dev-new");
  event.set_ip_country("VN");
  const v1::Features features = MustCompute(BusyAccount(), event);
  EXPECT_EQ(features.seconds_since_email_change(), 7200);
  EXPECT_TRUE(features.new_device());
  EXPECT_TRUE(features.ip_country_mismatch());
  EXPECT_TRUE(features.payout_to_non_deposit_source());
  EXPECT_EQ(features.holder_name_match(), v1::NAME_MATCH_NO_MATCH);
  EXPECT_EQ(features.withdrawal_to_max_previous_bps(), 50000);
  EXPECT_EQ(features.withdrawal_to_average_deposit_bps(), 40000);
  EXPECT_EQ(features.velocity().deposits_completed().count_24h(), 4);
  EXPECT_TRUE(features.withdrawal_without_play());
}

TEST(FeaturesTest, SameInputTwiceGivesIdenticalBytes) {
  const v1::Account account = BusyAccount();
  v1::Event event = WithdrawalEvent("bank-2", 40000);
  event.mutable_device()->set_device_id("dev-new");
  const v1::Features first = MustCompute(account, event);
  const v1::Features second = MustCompute(account, event);
  // A copy of the inputs, too: nothing depends on addresses.
  const v1::Account account_copy = account;
  const v1::Event event_copy = event;
  const v1::Features third = MustCompute(account_copy, event_copy);
  const std::string bytes = DeterministicBytes(first);
  EXPECT_FALSE(bytes.empty());
  EXPECT_EQ(bytes, DeterministicBytes(second));
  EXPECT_EQ(bytes, DeterministicBytes(third));
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
}

TEST(FeaturesTest, ComputeFeaturesIntoAnArenaMessageGivesTheSameBytes) {
  const v1::Account account = BusyAccount();
  v1::Event event = WithdrawalEvent("bank-2", 40000);
  event.mutable_device()->set_device_id("dev-new");
  const v1::Features expected = MustCompute(account, event);
  google::protobuf::Arena arena;
  auto* features = google::protobuf::Arena::CreateMessage<v1::Features>(&arena);
  features->set_new_device(false);
  features->mutable_velocity()->mutable_support_calls()->set_count_30d(99);  // stale: cleared
  ASSERT_THAT(risk::ComputeFeaturesInto(account, event, Now(), risk_test::Options(), features),
              IsOk());
  EXPECT_EQ(DeterministicBytes(*features), DeterministicBytes(expected));
  EXPECT_THAT(risk::ComputeFeaturesInto(account, event, Now(), risk_test::Options(), nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FeaturesTest, FamiliesLeftOutStayZero) {
  risk::FeatureOptions options = risk_test::Options();
  options.families = risk::kDeviceFeatures;
  v1::Event event = WithdrawalEvent("bank-2", 40000);
  event.mutable_device()->set_device_id("dev-new");
  const v1::Features features = MustCompute(BusyAccount(), event, Now(), options);
  EXPECT_TRUE(features.new_device());
  EXPECT_EQ(features.seconds_since_email_change(), 0);  // not computed
  EXPECT_EQ(features.holder_name_match(), v1::NAME_MATCH_UNSPECIFIED);
  EXPECT_FALSE(features.has_amount());
  EXPECT_EQ(features.velocity().deposits_completed().count_24h(), 0);

  // Without the name-match family no matcher is needed.
  options.name_matcher = nullptr;
  EXPECT_THAT(risk::ValidateFeatureOptions(options), IsOk());
  EXPECT_THAT(risk::ComputeFeatures(BusyAccount(), event, Now(), options), IsOk());
  options.families = risk::kAllFeatureFamilies;
  EXPECT_THAT(risk::ComputeFeatures(BusyAccount(), event, Now(), options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.name_matcher")));
}

TEST(FeaturesTest, ValidateFeatureOptions) {
  risk::FeatureOptions options = risk_test::Options();
  EXPECT_THAT(risk::ValidateFeatureOptions(options), IsOk());
  options.reference_currency = "EUR";
  options.rates = {{"JPY", 5, 8}, {"USD", 92, 100}};
  EXPECT_THAT(risk::ValidateFeatureOptions(options), IsOk());

  risk::FeatureOptions bad = options;
  bad.reference_currency = "XXY";
  EXPECT_THAT(risk::ValidateFeatureOptions(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.reference_currency")));
  bad = options;
  bad.rates[1].per_minor_units = 0;
  EXPECT_THAT(risk::ValidateFeatureOptions(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.rates[1].per_minor_units")));
  bad = options;
  bad.rates[1].currency = "JPY";
  EXPECT_THAT(risk::ValidateFeatureOptions(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.rates[1].currency: duplicate")));
  bad = options;
  bad.rates.push_back({"EUR", 1, 1});
  EXPECT_THAT(risk::ValidateFeatureOptions(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("options.rates[2]")));
  bad = options;
  bad.reference_currency.clear();
  EXPECT_THAT(risk::ValidateFeatureOptions(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("options.rates")));
  bad = options;
  bad.families = 1u << 20;
  EXPECT_THAT(risk::ValidateFeatureOptions(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("options.families")));
}

TEST(FeaturesTest, BadEnvelopeInputNamesTheField) {
  EXPECT_THAT(risk::ComputeFeatures(BaseAccount(), LoginEvent(), absl::InfiniteFuture(),
                                    risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("now")));
  v1::Event event = LoginEvent();
  event.set_channel(static_cast<v1::Channel>(77));
  EXPECT_THAT(risk::ComputeFeatures(BaseAccount(), event, Now(), risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.channel")));
  v1::Account account = BaseAccount();
  account.mutable_kyc()->set_level(static_cast<v1::KycLevel>(9));
  EXPECT_THAT(risk::ComputeFeatures(account, LoginEvent(), Now(), risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("account.kyc.level")));
  account = BaseAccount();
  account.mutable_created_at()->set_seconds(-99999999999LL);
  EXPECT_THAT(risk::ComputeFeatures(account, LoginEvent(), Now(), risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("account.created_at")));
}

}  // namespace
}  // namespace pitboss
