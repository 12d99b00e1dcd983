// Tests for per-action requirements: password reset never by phone alone,
// freshness boundaries, forbidden channels, accepted kinds, the list of
// factors that would satisfy a requirement, and table validation.
#include "src/domain/action_requirements.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01Z

void Enroll(v1::Account* account, const std::string& id, v1::FactorKind kind,
            v1::Channel channel = v1::CHANNEL_UNSPECIFIED) {
  v1::Factor* f = account->add_factors();
  f->set_factor_id(id);
  f->set_kind(kind);
  f->set_category(FactorCategoryOf(kind));
  f->set_channel(channel);
  *f->mutable_enrolled_at() = ToProtoTime(kNow - absl::Hours(24 * 100));
}

void Verified(v1::Account* account, const std::string& id, v1::FactorKind kind,
              v1::Channel channel, absl::Time at) {
  v1::Verification* v = account->add_verifications();
  v->set_factor_id(id);
  v->set_kind(kind);
  v->set_channel(channel);
  *v->mutable_verified_at() = ToProtoTime(at);
}

// A player with a password, e-mail link, SMS OTP, authenticator app approval
// and the phone KBV every account has.
v1::Account Player() {
  v1::Account a;
  a.set_account_id("acc-1");
  Enroll(&a, "pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB);
  Enroll(&a, "mail", v1::FACTOR_KIND_EMAIL_LINK);
  Enroll(&a, "sms", v1::FACTOR_KIND_SMS_OTP);
  Enroll(&a, "app", v1::FACTOR_KIND_APP_APPROVAL);
  Enroll(&a, "kbv", v1::FACTOR_KIND_PHONE_KBV);
  return a;
}

RequirementCheck Check(const v1::Account& account, SensitiveAction action,
                       absl::Time now = kNow) {
  auto req = FindRequirement(DefaultActionRequirements(), action);
  EXPECT_THAT(req, IsOk());
  auto r = CheckActionRequirement(account, *req, now, AssuranceOptions{});
  EXPECT_THAT(r, IsOk());
  return r.ok() ? *r : RequirementCheck{};
}

std::vector<std::vector<std::string>> OptionIds(const RequirementCheck& c) {
  std::vector<std::vector<std::string>> out;
  for (const FactorOption& o : c.options) out.push_back(o.factor_ids);
  return out;
}

TEST(ActionRequirementsTest, DefaultTableIsValidAndComplete) {
  EXPECT_THAT(ValidateActionRequirements(DefaultActionRequirements()), IsOk());
  EXPECT_EQ(DefaultActionRequirements().size(), 7u);
  for (SensitiveAction a :
       {SensitiveAction::kPasswordChange, SensitiveAction::kPasswordReset,
        SensitiveAction::kContactChange, SensitiveAction::kFactorEnrollment,
        SensitiveAction::kFactorRemoval, SensitiveAction::kAddPaymentInstrument,
        SensitiveAction::kWithdrawal}) {
    auto r = FindRequirement(DefaultActionRequirements(), a);
    ASSERT_THAT(r, IsOk()) << SensitiveActionName(a);
    // Every default forbids relying on the phone.
    EXPECT_THAT(r->forbidden_channels, ElementsAre(v1::CHANNEL_PHONE));
  }
  auto reset =
      FindRequirement(DefaultActionRequirements(), SensitiveAction::kPasswordReset);
  EXPECT_THAT(reset->accepted_kinds,
              ElementsAre(v1::FACTOR_KIND_EMAIL_LINK, v1::FACTOR_KIND_APP_APPROVAL));
  EXPECT_THAT(FindRequirement({}, SensitiveAction::kWithdrawal),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(ActionRequirementsTest, PasswordResetByPhoneAloneIsRefused) {
  // The caller passed the agent's knowledge check and answered the security
  // question on the call, and even read back an SMS code over the phone.
  v1::Account account = Player();
  Verified(&account, "kbv", v1::FACTOR_KIND_PHONE_KBV, v1::CHANNEL_PHONE,
           kNow - absl::Minutes(2));
  Verified(&account, "sq", v1::FACTOR_KIND_SECURITY_QUESTION, v1::CHANNEL_PHONE,
           kNow - absl::Minutes(2));
  Verified(&account, "sms", v1::FACTOR_KIND_SMS_OTP, v1::CHANNEL_PHONE,
           kNow - absl::Minutes(1));
  RequirementCheck c = Check(account, SensitiveAction::kPasswordReset);
  EXPECT_FALSE(c.satisfied);
  EXPECT_EQ(c.level, AssuranceLevel::kNone);
  EXPECT_THAT(c.unmet, ::testing::Contains(HasSubstr("CHANNEL_PHONE do not count")));
  // Routed to the e-mail link or the app approval; never SMS, KBV, password.
  EXPECT_THAT(OptionIds(c), ElementsAre(ElementsAre("mail"), ElementsAre("app")));
  EXPECT_THAT(c.accepted_kinds,
              ElementsAre(v1::FACTOR_KIND_EMAIL_LINK, v1::FACTOR_KIND_APP_APPROVAL));
}

TEST(ActionRequirementsTest, PasswordResetThroughEmailLinkOrAppIsAllowed) {
  v1::Account by_mail = Player();
  Verified(&by_mail, "mail", v1::FACTOR_KIND_EMAIL_LINK, v1::CHANNEL_EMAIL,
           kNow - absl::Minutes(5));
  RequirementCheck c = Check(by_mail, SensitiveAction::kPasswordReset);
  EXPECT_TRUE(c.satisfied);
  EXPECT_THAT(c.options, IsEmpty());
  EXPECT_THAT(c.unmet, IsEmpty());

  v1::Account by_app = Player();
  Verified(&by_app, "app", v1::FACTOR_KIND_APP_APPROVAL, v1::CHANNEL_APP,
           kNow - absl::Minutes(5));
  EXPECT_TRUE(Check(by_app, SensitiveAction::kPasswordReset).satisfied);
}

TEST(ActionRequirementsTest, PasswordResetLinkOlderThanAnHourIsStale) {
  v1::Account account = Player();
  Verified(&account, "mail", v1::FACTOR_KIND_EMAIL_LINK, v1::CHANNEL_EMAIL, kNow);
  EXPECT_TRUE(Check(account, SensitiveAction::kPasswordReset,
                    kNow + absl::Hours(1) - absl::Seconds(1))
                  .satisfied);
  EXPECT_FALSE(
      Check(account, SensitiveAction::kPasswordReset, kNow + absl::Hours(1)).satisfied);
}

TEST(ActionRequirementsTest, PasswordResetWithNoUsableFactorSaysEnrol) {
  v1::Account account;
  Enroll(&account, "pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB);
  Enroll(&account, "mail", v1::FACTOR_KIND_EMAIL_LINK);
  *account.mutable_factors(1)->mutable_revoked_at() = ToProtoTime(kNow - absl::Hours(1));
  RequirementCheck c = Check(account, SensitiveAction::kPasswordReset);
  EXPECT_FALSE(c.satisfied);
  EXPECT_THAT(c.options, IsEmpty());
  EXPECT_THAT(c.unmet, ::testing::Contains(HasSubstr("enrol")));
}

TEST(ActionRequirementsTest, ContactChangeNeedsFreshL2) {
  v1::Account account = Player();
  Verified(&account, "pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB,
           kNow - absl::Minutes(20));
  Verified(&account, "sms", v1::FACTOR_KIND_SMS_OTP, v1::CHANNEL_SMS,
           kNow - absl::Minutes(19));
  EXPECT_TRUE(Check(account, SensitiveAction::kContactChange).satisfied);

  // 1 h after the password the pair no longer qualifies, although the session
  // itself would still be L2 for 12 h.
  const absl::Time later = kNow - absl::Minutes(20) + absl::Hours(1);
  *account.mutable_security()->mutable_last_activity_at() =
      ToProtoTime(later - absl::Minutes(1));
  RequirementCheck c = Check(account, SensitiveAction::kContactChange, later);
  EXPECT_FALSE(c.satisfied);
  EXPECT_EQ(c.level, AssuranceLevel::kL1);  // the SMS code is still fresh
  // The fresh SMS (possession) needs a fresh non-possession factor: the
  // password. KBV never helps.
  EXPECT_THAT(OptionIds(c), ElementsAre(ElementsAre("pw")));
}

TEST(ActionRequirementsTest, ContactChangeWithNothingFreshOffersPairs) {
  v1::Account account = Player();
  RequirementCheck c = Check(account, SensitiveAction::kContactChange);
  EXPECT_FALSE(c.satisfied);
  EXPECT_EQ(c.level, AssuranceLevel::kNone);
  EXPECT_THAT(OptionIds(c),
              UnorderedElementsAre(ElementsAre("pw", "mail"), ElementsAre("pw", "sms"),
                                   ElementsAre("pw", "app")));
}

TEST(ActionRequirementsTest, PhoneKbvNeverSatisfiesAContactChange) {
  v1::Account account = Player();
  Verified(&account, "kbv", v1::FACTOR_KIND_PHONE_KBV, v1::CHANNEL_PHONE,
           kNow - absl::Minutes(1));
  Verified(&account, "sms", v1::FACTOR_KIND_SMS_OTP, v1::CHANNEL_SMS,
           kNow - absl::Minutes(1));
  RequirementCheck c = Check(account, SensitiveAction::kContactChange);
  EXPECT_FALSE(c.satisfied);
  EXPECT_THAT(OptionIds(c), ElementsAre(ElementsAre("pw")));
}

TEST(ActionRequirementsTest, WithdrawalNeedsAnOffPhoneVerificationWithin12h) {
  v1::Account account = Player();
  Verified(&account, "kbv", v1::FACTOR_KIND_PHONE_KBV, v1::CHANNEL_PHONE,
           kNow - absl::Minutes(1));
  EXPECT_FALSE(Check(account, SensitiveAction::kWithdrawal).satisfied);
  Verified(&account, "pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_APP,
           kNow - absl::Hours(12));
  EXPECT_FALSE(Check(account, SensitiveAction::kWithdrawal).satisfied);
  EXPECT_TRUE(
      Check(account, SensitiveAction::kWithdrawal, kNow - absl::Seconds(1)).satisfied);
}

TEST(ActionRequirementsTest, CustomRequirementIsHonoured) {
  // A policy that accepts only TOTP for withdrawals, within 5 minutes.
  ActionRequirement r{SensitiveAction::kWithdrawal,
                      AssuranceLevel::kL1,
                      absl::Minutes(5),
                      {},
                      {v1::FACTOR_KIND_TOTP}};
  v1::Account account = Player();
  Enroll(&account, "totp", v1::FACTOR_KIND_TOTP);
  Verified(&account, "pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB, kNow);
  auto c = CheckActionRequirement(account, r, kNow, {});
  ASSERT_THAT(c, IsOk());
  EXPECT_FALSE(c->satisfied);
  EXPECT_THAT(OptionIds(*c), ElementsAre(ElementsAre("totp")));
  Verified(&account, "totp", v1::FACTOR_KIND_TOTP, v1::CHANNEL_APP,
           kNow - absl::Minutes(4));
  c = CheckActionRequirement(account, r, kNow, {});
  ASSERT_THAT(c, IsOk());
  EXPECT_TRUE(c->satisfied);
}

TEST(ActionRequirementsTest, BadTablesAreRejected) {
  ActionRequirement ok{SensitiveAction::kWithdrawal,
                       AssuranceLevel::kL1,
                       absl::Hours(1),
                       {v1::CHANNEL_PHONE},
                       {}};
  EXPECT_THAT(ValidateActionRequirements({ok, ok}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("requirements[1].action: duplicate")));
  ActionRequirement bad = ok;
  bad.min_level = AssuranceLevel::kNone;
  EXPECT_THAT(ValidateActionRequirements({bad}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("min_level")));
  bad = ok;
  bad.freshness = absl::ZeroDuration();
  EXPECT_THAT(ValidateActionRequirements({bad}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("freshness")));
  bad = ok;
  bad.forbidden_channels = {static_cast<v1::Channel>(99)};
  EXPECT_THAT(
      ValidateActionRequirements({bad}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("forbidden_channels")));
  bad = ok;
  bad.accepted_kinds = {v1::FACTOR_KIND_UNSPECIFIED};
  EXPECT_THAT(ValidateActionRequirements({bad}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("accepted_kinds")));
}

TEST(ActionRequirementsTest, BadAccountNamesTheFieldAndIsNotChanged) {
  v1::Account account = Player();
  account.mutable_factors(2)->set_category(v1::FACTOR_CATEGORY_KNOWLEDGE);
  const v1::Account before = account;
  auto req = FindRequirement(DefaultActionRequirements(), SensitiveAction::kWithdrawal);
  EXPECT_THAT(CheckActionRequirement(account, *req, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.factors[2].category")));
  EXPECT_TRUE(MessageDifferencer::Equals(account, before));

  account = Player();
  Verified(&account, "pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB,
           kNow + absl::Seconds(1));
  EXPECT_THAT(CheckActionRequirement(account, *req, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.verifications[0].verified_at")));
}

TEST(ActionRequirementsTest, EventsMapToActions) {
  v1::Event e;
  EXPECT_EQ(SensitiveActionForEvent(e), std::nullopt);
  e.mutable_password_reset_request();
  EXPECT_EQ(SensitiveActionForEvent(e), SensitiveAction::kPasswordReset);
  e.mutable_contact_change();
  EXPECT_EQ(SensitiveActionForEvent(e), SensitiveAction::kContactChange);
  e.mutable_password_change()->set_current_password_verified(true);
  EXPECT_EQ(SensitiveActionForEvent(e), SensitiveAction::kPasswordChange);
  // Without the current password: the end of a reset.
  e.mutable_password_change()->set_current_password_verified(false);
  EXPECT_EQ(SensitiveActionForEvent(e), SensitiveAction::kPasswordReset);
  e.mutable_withdrawal_requested();
  EXPECT_EQ(SensitiveActionForEvent(e), SensitiveAction::kWithdrawal);
  e.mutable_factor_enrolled();
  EXPECT_EQ(SensitiveActionForEvent(e), SensitiveAction::kFactorEnrollment);
  e.mutable_deposit_requested();
  EXPECT_EQ(SensitiveActionForEvent(e), std::nullopt);
  e.mutable_deposit_requested()->mutable_new_instrument();
  EXPECT_EQ(SensitiveActionForEvent(e), SensitiveAction::kAddPaymentInstrument);
  e.mutable_support_action_request()->set_action(v1::SUPPORT_ACTION_RESET_PASSWORD);
  EXPECT_EQ(SensitiveActionForEvent(e), SensitiveAction::kPasswordReset);
  e.mutable_support_action_request()->set_action(v1::SUPPORT_ACTION_CHANGE_CONTACT);
  EXPECT_EQ(SensitiveActionForEvent(e), SensitiveAction::kContactChange);
  e.mutable_support_action_request()->set_action(v1::SUPPORT_ACTION_DISCLOSE_BALANCE);
  EXPECT_EQ(SensitiveActionForEvent(e), std::nullopt);
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
