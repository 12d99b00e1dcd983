// Support-call pressure flags.
#include "src/risk/support_call_features.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"
#include "tests/risk/risk_test_util.h"

namespace pitboss {
namespace {

using ::pitboss::risk_test::BaseAccount;
using ::pitboss::risk_test::MustCompute;
using ::pitboss::risk_test::Now;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

v1::Event CallEvent() {
  v1::Event event = risk_test::BaseEvent("ev-call");
  event.set_channel(v1::CHANNEL_PHONE);
  event.clear_device();
  event.mutable_support_call()->set_call_id("call-1");
  return event;
}

TEST(SupportCallFeaturesTest, UrgentCallFromAnotherNumber) {
  v1::Event event = CallEvent();
  event.mutable_support_call()->add_flags(v1::CALL_FLAG_URGENCY_PRESSURE);
  event.mutable_support_call()->add_flags(v1::CALL_FLAG_CONTACT_CHANGE_AND_WITHDRAWAL);
  event.mutable_support_call()->add_flags(v1::CALL_FLAG_URGENCY_PRESSURE);  // twice
  event.mutable_support_call()->set_caller_number("+818011112222");
  const v1::Features features = MustCompute(BaseAccount(), event);
  EXPECT_TRUE(features.is_support_call());
  EXPECT_EQ(features.channel(), v1::CHANNEL_PHONE);
  EXPECT_TRUE(features.call_urgency_pressure());
  EXPECT_TRUE(features.call_contact_change_and_withdrawal());
  EXPECT_FALSE(features.call_third_party());
  EXPECT_FALSE(features.call_reports_compromise());
  EXPECT_EQ(features.call_flag_count(), 2);
  EXPECT_TRUE(features.caller_number_mismatch());
}

TEST(SupportCallFeaturesTest, CalmCallFromTheRegisteredNumber) {
  v1::Event event = CallEvent();
  event.mutable_support_call()->set_caller_number("+819012345678");
  const v1::Features features = MustCompute(BaseAccount(), event);
  EXPECT_TRUE(features.is_support_call());
  EXPECT_EQ(features.call_flag_count(), 0);
  EXPECT_FALSE(features.call_urgency_pressure());
  EXPECT_FALSE(features.caller_number_mismatch());
}

TEST(SupportCallFeaturesTest, EveryFlagOnAnActionRequest) {
  v1::Event event = risk_test::BaseEvent("ev-action");
  v1::SupportActionRequest* request = event.mutable_support_action_request();
  request->set_action(v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL);
  for (int flag = v1::CALL_FLAG_URGENCY_PRESSURE;
       flag <= v1::CALL_FLAG_CONTACT_CHANGE_AND_WITHDRAWAL; ++flag) {
    request->add_flags(static_cast<v1::CallFlag>(flag));
  }
  const v1::Features features = MustCompute(BaseAccount(), event);
  EXPECT_TRUE(features.is_support_call());
  EXPECT_TRUE(features.call_urgency_pressure());
  EXPECT_TRUE(features.call_asked_to_disclose_personal_data());
  EXPECT_TRUE(features.call_third_party());
  EXPECT_TRUE(features.call_caller_id_mismatch());
  EXPECT_TRUE(features.call_inconsistent_answers());
  EXPECT_TRUE(features.call_reports_compromise());
  EXPECT_TRUE(features.call_contact_change_and_withdrawal());
  EXPECT_EQ(features.call_flag_count(), 7);
  EXPECT_FALSE(features.caller_number_mismatch());
}

TEST(SupportCallFeaturesTest, NotACall) {
  const v1::Features features = MustCompute(BaseAccount(), risk_test::LoginEvent());
  EXPECT_FALSE(features.is_support_call());
  EXPECT_EQ(features.call_flag_count(), 0);
}

TEST(SupportCallFeaturesTest, UnknownFlagNamesTheField) {
  v1::Event event = CallEvent();
  event.mutable_support_call()->add_flags(v1::CALL_FLAG_THIRD_PARTY);
  event.mutable_support_call()->add_flags(static_cast<v1::CallFlag>(99));
  EXPECT_THAT(risk::ComputeFeatures(BaseAccount(), event, Now(), risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.support_call.flags[1]")));
  event.mutable_support_call()->set_flags(1, v1::CALL_FLAG_UNSPECIFIED);
  EXPECT_THAT(risk::ComputeFeatures(BaseAccount(), event, Now(), risk_test::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.support_call.flags[1]")));
}

}  // namespace
}  // namespace pitboss
