// Security and profile events: each kind records what happened, bad input is
// refused with the field named and the account unchanged, version grows by one.
#include "src/domain/security_events.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/proto_time.h"
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

v1::Account Account() {
  v1::Account account = NewAccount("JPY");
  account.mutable_profile()->set_email("taro@example.jp");
  account.mutable_profile()->set_phone("+819012345678");
  v1::Factor* totp = account.add_factors();
  totp->set_factor_id("f-totp");
  totp->set_kind(v1::FACTOR_KIND_TOTP);
  totp->set_category(v1::FACTOR_CATEGORY_POSSESSION);
  totp->set_channel(v1::CHANNEL_APP);
  *totp->mutable_enrolled_at() = ToProtoTime(TestEpoch() - absl::Hours(24 * 30));
  return account;
}

// Applies `event` expecting an error; checks the code, the field and that the
// account did not change at all.
void ExpectRefused(const v1::Event& event, absl::StatusCode code, const std::string& field) {
  v1::Account account = Account();
  const std::string before = account.SerializeAsString();
  EXPECT_THAT(ApplySecurityEvent(&account, event, {}, TestEpoch()),
              StatusIs(code, HasSubstr(field)));
  EXPECT_EQ(account.SerializeAsString(), before);
}

TEST(SecurityEventsTest, EmailChangeUpdatesProfileAndTimestamp) {
  v1::Account account = Account();
  v1::Event event = Envelope("e-1", TestEpoch());
  event.mutable_contact_change()->set_kind(v1::CONTACT_KIND_EMAIL);
  event.mutable_contact_change()->set_new_value("new@example.jp");
  ASSERT_THAT(ApplySecurityEvent(&account, event, {}, TestEpoch()), IsOk());
  EXPECT_EQ(account.profile().email(), "new@example.jp");
  EXPECT_EQ(FromProtoTime(account.security().email_changed_at()), TestEpoch());
  EXPECT_FALSE(IsSet(account.security().phone_changed_at()));
  EXPECT_EQ(account.version(), 2);
  ASSERT_EQ(account.devices_size(), 1);
  EXPECT_EQ(account.devices(0).device_id(), "dev-1");
}

TEST(SecurityEventsTest, BadContactChangesAreRefusedAndChangeNothing) {
  v1::Event event = Envelope("e-1", TestEpoch());
  event.mutable_contact_change()->set_kind(v1::CONTACT_KIND_EMAIL);
  event.mutable_contact_change()->set_new_value("not-an-email");
  ExpectRefused(event, absl::StatusCode::kInvalidArgument, "event.contact_change.new_value");
  event.mutable_contact_change()->set_kind(v1::CONTACT_KIND_UNSPECIFIED);
  ExpectRefused(event, absl::StatusCode::kInvalidArgument, "event.contact_change.kind");
  event.mutable_contact_change()->set_kind(v1::CONTACT_KIND_PHONE);
  event.mutable_contact_change()->set_new_value("");
  ExpectRefused(event, absl::StatusCode::kInvalidArgument, "event.contact_change.new_value");
}

TEST(SecurityEventsTest, SuccessfulVerificationIsRecordedWithCategoryAndChannel) {
  v1::Account account = Account();
  v1::Event event = Envelope("e-2", TestEpoch());
  event.set_channel(v1::CHANNEL_APP);
  event.mutable_factor_verification()->set_factor_id("f-totp");
  event.mutable_factor_verification()->set_success(true);
  ASSERT_THAT(ApplySecurityEvent(&account, event, {}, TestEpoch()), IsOk());
  ASSERT_EQ(account.verifications_size(), 1);
  const v1::Verification& v = account.verifications(0);
  EXPECT_EQ(v.kind(), v1::FACTOR_KIND_TOTP);
  EXPECT_EQ(v.category(), v1::FACTOR_CATEGORY_POSSESSION);
  EXPECT_EQ(v.channel(), v1::CHANNEL_APP);
  EXPECT_EQ(v.event_id(), "e-2");
  EXPECT_EQ(FromProtoTime(account.security().last_activity_at()), TestEpoch());
}

TEST(SecurityEventsTest, FailedVerificationsCountAndKeepNoRecord) {
  v1::Account account = Account();
  v1::Event event = Envelope("e-3", TestEpoch());
  event.mutable_factor_verification()->set_factor_id("f-totp");
  event.mutable_factor_verification()->set_success(false);
  ASSERT_THAT(ApplySecurityEvent(&account, event, {}, TestEpoch()), IsOk());
  ASSERT_THAT(ApplySecurityEvent(&account, event, {}, TestEpoch()), IsOk());
  EXPECT_EQ(account.verifications_size(), 0);
  EXPECT_EQ(account.security().consecutive_failed_verifications(), 2);
}

TEST(SecurityEventsTest, VerificationOfUnknownOrMismatchedFactorIsRefused) {
  v1::Event event = Envelope("e-4", TestEpoch());
  event.mutable_factor_verification()->set_factor_id("f-none");
  event.mutable_factor_verification()->set_success(true);
  ExpectRefused(event, absl::StatusCode::kNotFound, "event.factor_verification.factor_id");
  event.mutable_factor_verification()->set_factor_id("f-totp");
  event.mutable_factor_verification()->set_kind(v1::FACTOR_KIND_SMS_OTP);
  ExpectRefused(event, absl::StatusCode::kInvalidArgument, "event.factor_verification.kind");
}

TEST(SecurityEventsTest, KeepsOnlyTheNewestVerifications) {
  v1::Account account = Account();
  for (size_t i = 0; i < kMaxKeptVerifications + 5; ++i) {
    v1::Event event = Envelope("v-" + std::to_string(i), TestEpoch());
    event.mutable_factor_verification()->set_factor_id("f-totp");
    event.mutable_factor_verification()->set_success(true);
    ASSERT_THAT(ApplySecurityEvent(&account, event, {}, TestEpoch()), IsOk());
  }
  ASSERT_EQ(account.verifications_size(), static_cast<int>(kMaxKeptVerifications));
  EXPECT_EQ(account.verifications(0).event_id(), "v-5");
}

TEST(SecurityEventsTest, FactorEnrolmentRejectsDuplicates) {
  v1::Account account = Account();
  v1::Event event = Envelope("e-5", TestEpoch());
  v1::Factor* factor = event.mutable_factor_enrolled()->mutable_factor();
  factor->set_factor_id("f-app");
  factor->set_kind(v1::FACTOR_KIND_APP_APPROVAL);
  factor->set_channel(v1::CHANNEL_APP);
  ASSERT_THAT(ApplySecurityEvent(&account, event, {}, TestEpoch()), IsOk());
  ASSERT_EQ(account.factors_size(), 2);
  EXPECT_EQ(account.factors(1).category(), v1::FACTOR_CATEGORY_POSSESSION);
  factor->set_factor_id("f-totp");
  ExpectRefused(event, absl::StatusCode::kAlreadyExists, "event.factor_enrolled.factor");
}

TEST(SecurityEventsTest, KycDocumentThenAcceptanceRaisesTheLevel) {
  v1::Account account = Account();
  v1::Event submit = Envelope("e-6", TestEpoch());
  submit.mutable_kyc_document_submitted()->mutable_document()->set_document_id("doc-1");
  submit.mutable_kyc_document_submitted()->mutable_document()->set_kind(
      v1::KYC_DOCUMENT_KIND_PASSPORT);
  ASSERT_THAT(ApplySecurityEvent(&account, submit, {}, TestEpoch()), IsOk());
  EXPECT_EQ(account.kyc().documents(0).status(), v1::KYC_DOCUMENT_STATUS_SUBMITTED);

  v1::Event result = Envelope("e-7", TestEpoch() + absl::Hours(1));
  result.set_channel(v1::CHANNEL_PROVIDER);
  result.mutable_kyc_result()->set_document_id("doc-1");
  result.mutable_kyc_result()->set_status(v1::KYC_DOCUMENT_STATUS_ACCEPTED);
  result.mutable_kyc_result()->set_new_level(v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  ASSERT_THAT(ApplySecurityEvent(&account, result, {}, TestEpoch() + absl::Hours(1)), IsOk());
  EXPECT_EQ(account.kyc().level(), v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  EXPECT_EQ(account.kyc().documents(0).status(), v1::KYC_DOCUMENT_STATUS_ACCEPTED);
  EXPECT_EQ(account.version(), 3);
}

TEST(SecurityEventsTest, KycResultForUnknownDocumentIsRefused) {
  v1::Event result = Envelope("e-8", TestEpoch());
  result.mutable_kyc_result()->set_document_id("doc-x");
  result.mutable_kyc_result()->set_status(v1::KYC_DOCUMENT_STATUS_ACCEPTED);
  ExpectRefused(result, absl::StatusCode::kNotFound, "event.kyc_result.document_id");
}

TEST(SecurityEventsTest, FifthFailedLoginInTheWindowLocks) {
  v1::Account account = Account();
  for (int i = 0; i < 5; ++i) {
    v1::Event login = Envelope("l-" + std::to_string(i), TestEpoch() + absl::Minutes(i));
    login.mutable_login_attempt()->set_success(false);
    login.mutable_login_attempt()->set_failure_reason(v1::LOGIN_FAILURE_REASON_BAD_PASSWORD);
    ASSERT_THAT(ApplySecurityEvent(&account, login, {}, TestEpoch() + absl::Minutes(i)),
                IsOk());
  }
  EXPECT_EQ(account.security().consecutive_failed_logins(), 5);
  EXPECT_GT(FromProtoTime(account.security().locked_until()), TestEpoch() + absl::Minutes(4));
}

TEST(SecurityEventsTest, OtherEventKindsAreRefused) {
  v1::Event event = Envelope("e-9", TestEpoch());
  event.mutable_wager_settled()->set_wager_id("w");
  ExpectRefused(event, absl::StatusCode::kInvalidArgument, "event");
  EXPECT_FALSE(IsSecurityEvent(event));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
