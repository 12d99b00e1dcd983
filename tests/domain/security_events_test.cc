// Security and profile events: each kind records what happened, bad input is
// refused with the field named and the account unchanged, version grows by one.
#include "src/domain/security_events.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/proto_time.h"
#include "src/domain/withdrawal_machine.h"
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

// --- Lockout restriction and status follow the lock -----------------------

v1::Event FailedLogin(int i, absl::Time at) {
  v1::Event login = Envelope("l-" + std::to_string(i), at);
  login.mutable_login_attempt()->set_success(false);
  login.mutable_login_attempt()->set_failure_reason(v1::LOGIN_FAILURE_REASON_BAD_PASSWORD);
  return login;
}

const v1::Restriction* LockoutRestriction(const v1::Account& account) {
  const v1::Restriction* found = nullptr;
  for (const v1::Restriction& r : account.restrictions()) {
    if (r.kind() == v1::RESTRICTION_KIND_LOGIN_LOCKOUT) {
      EXPECT_EQ(found, nullptr) << "more than one LOGIN_LOCKOUT restriction";
      found = &r;
    }
  }
  return found;
}

TEST(SecurityEventsTest, TimedLockOpensTheLockoutRestrictionAndItEndsWithTheLock) {
  v1::Account account = Account();
  for (int i = 0; i < 4; ++i) {
    ASSERT_THAT(ApplySecurityEvent(&account, FailedLogin(i, TestEpoch() + absl::Minutes(i)), {},
                                   TestEpoch() + absl::Minutes(i)),
                IsOk());
  }
  // Four failures: not locked, nothing restricted.
  EXPECT_EQ(LockoutRestriction(account), nullptr);
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_ACTIVE);

  const absl::Time fifth = TestEpoch() + absl::Minutes(4);
  ASSERT_THAT(ApplySecurityEvent(&account, FailedLogin(4, fifth), {}, fifth), IsOk());
  const v1::Restriction* lock = LockoutRestriction(account);
  ASSERT_NE(lock, nullptr);
  EXPECT_EQ(FromProtoTime(lock->since()), fifth);
  EXPECT_EQ(FromProtoTime(lock->until()), FromProtoTime(account.security().locked_until()));
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_RESTRICTED);

  // A checked failure during the lock extends it: the restriction follows.
  const absl::Time sixth = fifth + absl::Minutes(5);
  ASSERT_THAT(ApplySecurityEvent(&account, FailedLogin(5, sixth), {}, sixth), IsOk());
  lock = LockoutRestriction(account);
  ASSERT_NE(lock, nullptr);
  EXPECT_EQ(FromProtoTime(lock->until()), FromProtoTime(account.security().locked_until()));
  EXPECT_GT(FromProtoTime(lock->until()), fifth + absl::Minutes(15));

  // A success while locked is refused by the lockout; nothing changes.
  v1::Event success = Envelope("ok-1", sixth + absl::Minutes(1));
  success.mutable_login_attempt()->set_success(true);
  ASSERT_THAT(ApplySecurityEvent(&account, success, {}, sixth + absl::Minutes(1)), IsOk());
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_RESTRICTED);

  // After the lock a successful login: the restriction is over, ACTIVE again.
  const absl::Time later = FromProtoTime(account.security().locked_until()) + absl::Minutes(1);
  success.set_event_id("ok-2");
  *success.mutable_occurred_at() = ToProtoTime(later);
  ASSERT_THAT(ApplySecurityEvent(&account, success, {}, later), IsOk());
  lock = LockoutRestriction(account);
  ASSERT_NE(lock, nullptr);
  EXPECT_LE(FromProtoTime(lock->until()), later);
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_ACTIVE);
  EXPECT_EQ(account.security().consecutive_failed_logins(), 0);
}

TEST(SecurityEventsTest, LockoutKeepsOtherRestrictionsStatus) {
  v1::Account account = Account();
  v1::Restriction* negative = account.add_restrictions();
  negative->set_kind(v1::RESTRICTION_KIND_NEGATIVE_BALANCE);
  *negative->mutable_since() = ToProtoTime(TestEpoch() - absl::Hours(1));
  account.set_status(v1::ACCOUNT_STATUS_RESTRICTED);
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(ApplySecurityEvent(&account, FailedLogin(i, TestEpoch() + absl::Minutes(i)), {},
                                   TestEpoch() + absl::Minutes(i)),
                IsOk());
  }
  ASSERT_NE(LockoutRestriction(account), nullptr);
  const absl::Time later = TestEpoch() + absl::Hours(2);
  v1::Event success = Envelope("ok", later);
  success.mutable_login_attempt()->set_success(true);
  ASSERT_THAT(ApplySecurityEvent(&account, success, {}, later), IsOk());
  // The lockout is over, the negative balance is not: still RESTRICTED.
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_RESTRICTED);
  // A self-excluded account stays self-excluded whatever the lock does.
  v1::Account excluded = Account();
  excluded.set_status(v1::ACCOUNT_STATUS_SELF_EXCLUDED);
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(ApplySecurityEvent(&excluded, FailedLogin(i, TestEpoch() + absl::Minutes(i)),
                                   {}, TestEpoch() + absl::Minutes(i)),
                IsOk());
  }
  EXPECT_NE(LockoutRestriction(excluded), nullptr);
  EXPECT_EQ(excluded.status(), v1::ACCOUNT_STATUS_SELF_EXCLUDED);
}

// 100 consecutive failures hard-lock the account (no end); a password reset
// completed through a possession factor clears it. A password change without
// that (no reset request, or a verification over the phone, or one older than
// the request) does not.
TEST(SecurityEventsTest, HardLockIsClearedOnlyByAPossessionFactorReset) {
  SecurityEventOptions options;
  options.lockout.max_failures_in_window = 5;
  options.lockout.hard_lock_consecutive_failures = 10;  // small for the test
  v1::Account account = Account();
  absl::Time t = TestEpoch();
  for (int i = 0; i < 10; ++i) {
    t += absl::Minutes(20);  // outside each timed lock
    ASSERT_THAT(ApplySecurityEvent(&account, FailedLogin(i, t), options, t), IsOk());
  }
  ASSERT_TRUE(account.security().hard_locked());
  const v1::Restriction* lock = LockoutRestriction(account);
  ASSERT_NE(lock, nullptr);
  EXPECT_FALSE(lock->has_until());
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_RESTRICTED);

  // Days later still locked.
  t += absl::Hours(72);
  v1::Event success = Envelope("ok", t);
  success.mutable_login_attempt()->set_success(true);
  ASSERT_THAT(ApplySecurityEvent(&account, success, options, t), IsOk());
  EXPECT_TRUE(account.security().hard_locked());

  // A TOTP verification, then a password change with no reset request: no.
  v1::Event totp = Envelope("v-1", t + absl::Minutes(1));
  totp.set_channel(v1::CHANNEL_APP);
  totp.mutable_factor_verification()->set_factor_id("f-totp");
  totp.mutable_factor_verification()->set_success(true);
  ASSERT_THAT(ApplySecurityEvent(&account, totp, options, t + absl::Minutes(1)), IsOk());
  v1::Event change = Envelope("pw-1", t + absl::Minutes(2));
  change.mutable_password_change();
  ASSERT_THAT(ApplySecurityEvent(&account, change, options, t + absl::Minutes(2)), IsOk());
  EXPECT_TRUE(account.security().hard_locked());
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_RESTRICTED);

  // A reset request two hours later; the TOTP from before it is too old to
  // belong to the reset (more than 1 h before the request).
  t += absl::Hours(2);
  v1::Event reset = Envelope("r-1", t + absl::Minutes(3));
  reset.mutable_password_reset_request()->set_method(v1::PASSWORD_RESET_METHOD_APP_APPROVAL);
  ASSERT_THAT(ApplySecurityEvent(&account, reset, options, t + absl::Minutes(3)), IsOk());
  change.set_event_id("pw-2");
  ASSERT_THAT(ApplySecurityEvent(&account, change, options, t + absl::Minutes(4)), IsOk());
  EXPECT_TRUE(account.security().hard_locked());

  // A possession factor over the phone does not count either.
  totp.set_event_id("v-2");
  totp.set_channel(v1::CHANNEL_PHONE);
  ASSERT_THAT(ApplySecurityEvent(&account, totp, options, t + absl::Minutes(5)), IsOk());
  change.set_event_id("pw-3");
  ASSERT_THAT(ApplySecurityEvent(&account, change, options, t + absl::Minutes(6)), IsOk());
  EXPECT_TRUE(account.security().hard_locked());

  // A reset requested more than 24 h ago has lapsed: a fresh possession
  // factor does not complete it.
  {
    v1::Account lapsed = account;
    v1::Event late_totp = totp;
    late_totp.set_event_id("v-late");
    late_totp.set_channel(v1::CHANNEL_APP);
    const absl::Time late = t + absl::Hours(25);
    ASSERT_THAT(ApplySecurityEvent(&lapsed, late_totp, options, late), IsOk());
    v1::Event late_change = change;
    late_change.set_event_id("pw-late");
    ASSERT_THAT(ApplySecurityEvent(&lapsed, late_change, options, late + absl::Minutes(1)),
                IsOk());
    EXPECT_TRUE(lapsed.security().hard_locked());
  }

  // The authenticator in the app after the request, then the new password.
  totp.set_event_id("v-3");
  totp.set_channel(v1::CHANNEL_APP);
  ASSERT_THAT(ApplySecurityEvent(&account, totp, options, t + absl::Minutes(7)), IsOk());
  change.set_event_id("pw-4");
  const absl::Time done = t + absl::Minutes(8);
  ASSERT_THAT(ApplySecurityEvent(&account, change, options, done), IsOk());
  EXPECT_FALSE(account.security().hard_locked());
  EXPECT_EQ(account.security().consecutive_failed_logins(), 0);
  lock = LockoutRestriction(account);
  ASSERT_NE(lock, nullptr);
  EXPECT_EQ(FromProtoTime(lock->until()), done);
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_ACTIVE);
  // And the player logs in.
  success.set_event_id("ok-2");
  ASSERT_THAT(ApplySecurityEvent(&account, success, options, done + absl::Minutes(1)), IsOk());
  EXPECT_TRUE(IsSet(account.security().last_login_at()));
}

// --- KYC verification releases withdrawals waiting for documents -----------

// An account with cash and three withdrawals: w-kyc waiting for documents,
// w-step waiting for a step-up, w-gone cancelled while waiting.
v1::Account AccountWithWaitingWithdrawals() {
  v1::Account account = Account();
  account.mutable_kyc()->set_level(v1::KYC_LEVEL_BASIC);
  *account.mutable_balances()->mutable_cash() = MakeMoney(100000, "JPY");
  const absl::Time at = TestEpoch() - absl::Hours(1);
  auto wait = [&](const std::string& id, const std::string& reason, bool cancel) {
    ASSERT_THAT(CreateWithdrawal(&account,
                                 testing::WithdrawalRequest("e-" + id, id, 10000, "JPY", at),
                                 FeeSchedule(), at),
                IsOk());
    WithdrawalUpdate update;
    update.hold_reason = reason;
    ASSERT_THAT(TransitionWithdrawal(&account, id, v1::WITHDRAWAL_STATE_PENDING_VERIFICATION,
                                     update, at),
                IsOk());
    if (cancel) {
      ASSERT_THAT(TransitionWithdrawal(&account, id, v1::WITHDRAWAL_STATE_CANCELLED, {}, at),
                  IsOk());
    }
  };
  wait("w-kyc", "KYC_DOCUMENTS_REQUIRED", false);
  wait("w-step", "WITHDRAWAL_HOLD_AFTER_CHANGE", false);
  wait("w-gone", "KYC_DOCUMENTS_REQUIRED", true);
  v1::KycDocument* document = account.mutable_kyc()->add_documents();
  document->set_document_id("doc-1");
  document->set_kind(v1::KYC_DOCUMENT_KIND_PASSPORT);
  document->set_status(v1::KYC_DOCUMENT_STATUS_SUBMITTED);
  return account;
}

const v1::Withdrawal& FindWithdrawal(const v1::Account& account, const std::string& id) {
  for (const v1::Withdrawal& w : account.withdrawals()) {
    if (w.withdrawal_id() == id) return w;
  }
  ADD_FAILURE() << "no withdrawal " << id;
  return v1::Withdrawal::default_instance();
}

v1::Event KycResultEvent(const std::string& id, v1::KycDocumentStatus status,
                         v1::KycLevel level) {
  v1::Event result = Envelope(id, TestEpoch());
  result.set_channel(v1::CHANNEL_PROVIDER);
  result.clear_device();
  result.mutable_kyc_result()->set_document_id("doc-1");
  result.mutable_kyc_result()->set_status(status);
  result.mutable_kyc_result()->set_new_level(level);
  return result;
}

TEST(SecurityEventsTest, VerifiedDocumentsReleaseWithdrawalsWaitingForThem) {
  v1::Account account = AccountWithWaitingWithdrawals();
  const int64_t reserved = account.balances().reserved().minor_units();
  ASSERT_THAT(ApplySecurityEvent(&account,
                                 KycResultEvent("k-1", v1::KYC_DOCUMENT_STATUS_ACCEPTED,
                                                v1::KYC_LEVEL_DOCUMENTS_VERIFIED),
                                 {}, TestEpoch()),
              IsOk());
  const v1::Withdrawal& released = FindWithdrawal(account, "w-kyc");
  EXPECT_EQ(released.state(), v1::WITHDRAWAL_STATE_PENDING_REVIEW);
  EXPECT_EQ(released.hold_reason(), kKycDocumentsVerified);
  // The one waiting for a step-up still waits; the cancelled one stays so.
  EXPECT_EQ(FindWithdrawal(account, "w-step").state(), v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);
  EXPECT_EQ(FindWithdrawal(account, "w-gone").state(), v1::WITHDRAWAL_STATE_CANCELLED);
  // No money moved, one version step for the whole event.
  EXPECT_EQ(account.balances().reserved().minor_units(), reserved);

  // The next step of the path: a payments officer approves it.
  v1::Event review = Envelope("rv-1", TestEpoch() + absl::Minutes(1));
  review.mutable_agent()->set_agent_id("agent-9");
  review.mutable_agent()->set_role(v1::AGENT_ROLE_PAYMENTS_OFFICER);
  review.mutable_withdrawal_reviewed()->set_withdrawal_id("w-kyc");
  review.mutable_withdrawal_reviewed()->set_decision(v1::REVIEW_DECISION_APPROVE);
  ASSERT_THAT(ApplyWithdrawalReviewed(&account, review, TestEpoch() + absl::Minutes(1)),
              IsOk());
  EXPECT_EQ(FindWithdrawal(account, "w-kyc").state(), v1::WITHDRAWAL_STATE_APPROVED);
}

TEST(SecurityEventsTest, VersionMovesOnceWhenAKycResultReleasesWithdrawals) {
  v1::Account account = AccountWithWaitingWithdrawals();
  const int64_t version = account.version();
  ASSERT_THAT(ApplySecurityEvent(&account,
                                 KycResultEvent("k-1", v1::KYC_DOCUMENT_STATUS_ACCEPTED,
                                                v1::KYC_LEVEL_DOCUMENTS_VERIFIED),
                                 {}, TestEpoch()),
              IsOk());
  EXPECT_EQ(account.version(), version + 1);
}

TEST(SecurityEventsTest, RejectedOrInsufficientKycReleasesNothing) {
  // Rejected: the level stays BASIC, the withdrawal keeps waiting.
  v1::Account account = AccountWithWaitingWithdrawals();
  ASSERT_THAT(ApplySecurityEvent(&account,
                                 KycResultEvent("k-1", v1::KYC_DOCUMENT_STATUS_REJECTED,
                                                v1::KYC_LEVEL_UNSPECIFIED),
                                 {}, TestEpoch()),
              IsOk());
  EXPECT_EQ(FindWithdrawal(account, "w-kyc").state(), v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);
  // Accepted, but the policy wants ENHANCED before withdrawals.
  account = AccountWithWaitingWithdrawals();
  SecurityEventOptions options;
  options.withdrawal_min_kyc_level = v1::KYC_LEVEL_ENHANCED;
  ASSERT_THAT(ApplySecurityEvent(&account,
                                 KycResultEvent("k-2", v1::KYC_DOCUMENT_STATUS_ACCEPTED,
                                                v1::KYC_LEVEL_DOCUMENTS_VERIFIED),
                                 options, TestEpoch()),
              IsOk());
  EXPECT_EQ(FindWithdrawal(account, "w-kyc").state(), v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);
  // A result for a document never submitted is refused and changes nothing.
  account = AccountWithWaitingWithdrawals();
  const std::string before = account.SerializeAsString();
  v1::Event unknown = KycResultEvent("k-3", v1::KYC_DOCUMENT_STATUS_ACCEPTED,
                                     v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  unknown.mutable_kyc_result()->set_document_id("doc-x");
  EXPECT_THAT(ApplySecurityEvent(&account, unknown, {}, TestEpoch()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("event.kyc_result.document_id")));
  EXPECT_EQ(account.SerializeAsString(), before);
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
