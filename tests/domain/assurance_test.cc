// Tests for assurance levels: L1 and L2 rules, phone knowledge checks never
// reaching L2, stale verifications and idle sessions at the exact boundary,
// and bad input.
#include "src/domain/assurance.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/proto_time.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01Z

void AddVerification(v1::Account* account, v1::FactorKind kind, v1::Channel channel,
                     absl::Time at) {
  v1::Verification* v = account->add_verifications();
  v->set_factor_id(absl::StrCat("f-", account->verifications_size()));
  v->set_kind(kind);
  v->set_category(FactorCategoryOf(kind));
  v->set_channel(channel);
  *v->mutable_verified_at() = ToProtoTime(at);
}

AssuranceResult Compute(const v1::Account& account, absl::Time now,
                        const AssuranceOptions& options = {}) {
  auto r = ComputeAccountAssurance(account, now, options);
  EXPECT_THAT(r, IsOk());
  return r.ok() ? *r : AssuranceResult{};
}

TEST(AssuranceTest, CategoriesComeFromTheKind) {
  EXPECT_EQ(FactorCategoryOf(v1::FACTOR_KIND_PASSWORD), v1::FACTOR_CATEGORY_KNOWLEDGE);
  EXPECT_EQ(FactorCategoryOf(v1::FACTOR_KIND_SECURITY_QUESTION),
            v1::FACTOR_CATEGORY_KNOWLEDGE);
  EXPECT_EQ(FactorCategoryOf(v1::FACTOR_KIND_PHONE_KBV), v1::FACTOR_CATEGORY_KNOWLEDGE);
  EXPECT_EQ(FactorCategoryOf(v1::FACTOR_KIND_EMAIL_LINK), v1::FACTOR_CATEGORY_POSSESSION);
  EXPECT_EQ(FactorCategoryOf(v1::FACTOR_KIND_SMS_OTP), v1::FACTOR_CATEGORY_POSSESSION);
  EXPECT_EQ(FactorCategoryOf(v1::FACTOR_KIND_TOTP), v1::FACTOR_CATEGORY_POSSESSION);
  EXPECT_EQ(FactorCategoryOf(v1::FACTOR_KIND_APP_APPROVAL),
            v1::FACTOR_CATEGORY_POSSESSION);
  EXPECT_EQ(FactorCategoryOf(v1::FACTOR_KIND_ID_DOCUMENT), v1::FACTOR_CATEGORY_INHERENCE);
  EXPECT_EQ(FactorCategoryOf(v1::FACTOR_KIND_UNSPECIFIED),
            v1::FACTOR_CATEGORY_UNSPECIFIED);
}

TEST(AssuranceTest, NoVerificationIsNone) {
  v1::Account account;
  AssuranceResult r = Compute(account, kNow);
  EXPECT_EQ(r.level, AssuranceLevel::kNone);
  EXPECT_TRUE(r.used.empty());
}

TEST(AssuranceTest, OneFactorIsL1) {
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB,
                  kNow - absl::Hours(1));
  AssuranceResult r = Compute(account, kNow);
  EXPECT_EQ(r.level, AssuranceLevel::kL1);
  EXPECT_THAT(r.used, ElementsAre(0));
  EXPECT_EQ(r.valid_until, kNow - absl::Hours(1) + absl::Hours(24 * 30));
}

TEST(AssuranceTest, PasswordPlusPossessionIsL2) {
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB,
                  kNow - absl::Minutes(10));
  AddVerification(&account, v1::FACTOR_KIND_TOTP, v1::CHANNEL_WEB,
                  kNow - absl::Minutes(9));
  AssuranceResult r = Compute(account, kNow);
  EXPECT_EQ(r.level, AssuranceLevel::kL2);
  EXPECT_THAT(r.used, ElementsAre(1, 0));  // possession first
  // Idle deadline: 30 min after the newest verification.
  EXPECT_EQ(r.valid_until, kNow - absl::Minutes(9) + absl::Minutes(30));
}

TEST(AssuranceTest, InherencePlusPossessionIsL2) {
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_ID_DOCUMENT, v1::CHANNEL_APP,
                  kNow - absl::Minutes(5));
  AddVerification(&account, v1::FACTOR_KIND_APP_APPROVAL, v1::CHANNEL_APP,
                  kNow - absl::Minutes(5));
  EXPECT_EQ(Compute(account, kNow).level, AssuranceLevel::kL2);
}

TEST(AssuranceTest, TwoPossessionFactorsAreOnlyL1) {
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_SMS_OTP, v1::CHANNEL_SMS,
                  kNow - absl::Minutes(2));
  AddVerification(&account, v1::FACTOR_KIND_APP_APPROVAL, v1::CHANNEL_APP,
                  kNow - absl::Minutes(1));
  EXPECT_EQ(Compute(account, kNow).level, AssuranceLevel::kL1);
}

TEST(AssuranceTest, TwoKnowledgeFactorsAreOnlyL1) {
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB,
                  kNow - absl::Minutes(2));
  AddVerification(&account, v1::FACTOR_KIND_SECURITY_QUESTION, v1::CHANNEL_WEB,
                  kNow - absl::Minutes(1));
  EXPECT_EQ(Compute(account, kNow).level, AssuranceLevel::kL1);
}

TEST(AssuranceTest, PhoneKbvNeverReachesL2) {
  // PHONE_KBV + a fresh possession factor: the KBV is not the second category.
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_PHONE_KBV, v1::CHANNEL_PHONE,
                  kNow - absl::Minutes(1));
  AddVerification(&account, v1::FACTOR_KIND_SMS_OTP, v1::CHANNEL_SMS,
                  kNow - absl::Minutes(1));
  AssuranceResult r = Compute(account, kNow);
  EXPECT_EQ(r.level, AssuranceLevel::kL1);
  EXPECT_FALSE(r.l2_lapsed_by_idle);

  // Alone it gives L1.
  v1::Account kbv_only;
  AddVerification(&kbv_only, v1::FACTOR_KIND_PHONE_KBV, v1::CHANNEL_PHONE,
                  kNow - absl::Minutes(1));
  EXPECT_EQ(Compute(kbv_only, kNow).level, AssuranceLevel::kL1);

  // Even if a client sends PHONE_KBV over another channel it stays a phone
  // knowledge check.
  EXPECT_TRUE(IsPhoneKnowledgeCheck(v1::FACTOR_KIND_PHONE_KBV, v1::CHANNEL_WEB));
}

TEST(AssuranceTest, SecurityQuestionAnsweredByPhoneNeverReachesL2) {
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_SECURITY_QUESTION, v1::CHANNEL_PHONE,
                  kNow - absl::Minutes(1));
  AddVerification(&account, v1::FACTOR_KIND_APP_APPROVAL, v1::CHANNEL_APP,
                  kNow - absl::Minutes(1));
  EXPECT_EQ(Compute(account, kNow).level, AssuranceLevel::kL1);

  // The same question answered on the web does count.
  v1::Account web;
  AddVerification(&web, v1::FACTOR_KIND_SECURITY_QUESTION, v1::CHANNEL_WEB,
                  kNow - absl::Minutes(1));
  AddVerification(&web, v1::FACTOR_KIND_APP_APPROVAL, v1::CHANNEL_APP,
                  kNow - absl::Minutes(1));
  EXPECT_EQ(Compute(web, kNow).level, AssuranceLevel::kL2);
}

TEST(AssuranceTest, StaleVerificationDropsL2AtExactlyTwelveHours) {
  v1::Account account;
  const absl::Time t = kNow - absl::Hours(12);
  AddVerification(&account, v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB, t);
  AddVerification(&account, v1::FACTOR_KIND_TOTP, v1::CHANNEL_WEB, t);
  // Keep the session active so only age matters.
  *account.mutable_security()->mutable_last_activity_at() =
      ToProtoTime(kNow - absl::Minutes(1));
  EXPECT_EQ(Compute(account, kNow - absl::Seconds(1)).level, AssuranceLevel::kL2);
  AssuranceResult r = Compute(account, kNow);
  EXPECT_EQ(r.level, AssuranceLevel::kL1);
  EXPECT_FALSE(r.l2_lapsed_by_idle);

  // One stale factor is enough to lose L2: a fresh TOTP plus a 12 h old
  // password.
  v1::Account mixed;
  AddVerification(&mixed, v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB, t);
  AddVerification(&mixed, v1::FACTOR_KIND_TOTP, v1::CHANNEL_WEB, kNow - absl::Minutes(1));
  EXPECT_EQ(Compute(mixed, kNow).level, AssuranceLevel::kL1);
}

TEST(AssuranceTest, IdleSessionDropsL2AtExactlyThirtyMinutes) {
  v1::Account account;
  const absl::Time t = kNow - absl::Hours(2);
  AddVerification(&account, v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB, t);
  AddVerification(&account, v1::FACTOR_KIND_APP_APPROVAL, v1::CHANNEL_APP, t);
  const absl::Time activity = kNow - absl::Minutes(30);
  *account.mutable_security()->mutable_last_activity_at() = ToProtoTime(activity);
  AssuranceResult before = Compute(account, kNow - absl::Seconds(1));
  EXPECT_EQ(before.level, AssuranceLevel::kL2);
  EXPECT_EQ(before.valid_until, kNow);

  AssuranceResult r = Compute(account, kNow);
  EXPECT_EQ(r.level, AssuranceLevel::kL1);
  EXPECT_TRUE(r.l2_lapsed_by_idle);
  EXPECT_TRUE(r.used.size() == 1);
}

TEST(AssuranceTest, L1ExpiresAfterItsMaxAge) {
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB, kNow);
  const absl::Time expiry = kNow + absl::Hours(24 * 30);
  EXPECT_EQ(Compute(account, expiry - absl::Seconds(1)).level, AssuranceLevel::kL1);
  EXPECT_EQ(Compute(account, expiry).level, AssuranceLevel::kNone);
}

TEST(AssuranceTest, WindowsAreConfigurable) {
  AssuranceOptions options;
  options.l2_max_age = absl::Hours(1);
  options.l2_idle_timeout = absl::ZeroDuration();  // no idle timeout
  options.l1_idle_timeout = absl::Minutes(15);
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB, kNow);
  AddVerification(&account, v1::FACTOR_KIND_SMS_OTP, v1::CHANNEL_SMS, kNow);
  EXPECT_EQ(Compute(account, kNow + absl::Minutes(59), options).level,
            AssuranceLevel::kL2);
  EXPECT_EQ(Compute(account, kNow + absl::Minutes(14), options).level,
            AssuranceLevel::kL2);
  // After 1 h: not L2; L1's 15 min idle timeout has passed too.
  EXPECT_EQ(Compute(account, kNow + absl::Hours(1), options).level,
            AssuranceLevel::kNone);

  options.l2_max_age = absl::ZeroDuration();
  EXPECT_THAT(
      ComputeAccountAssurance(account, kNow, options),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("assurance.l2_max_age")));
}

TEST(AssuranceTest, BadVerificationsNameTheField) {
  v1::Account account;
  AddVerification(&account, v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB, kNow);
  AddVerification(&account, v1::FACTOR_KIND_PHONE_KBV, v1::CHANNEL_PHONE, kNow);
  const v1::Account good = account;

  account.mutable_verifications(1)->set_category(v1::FACTOR_CATEGORY_POSSESSION);
  EXPECT_THAT(ComputeAccountAssurance(account, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.verifications[1].category: "
                                 "FACTOR_CATEGORY_POSSESSION contradicts")));
  account = good;
  account.mutable_verifications(0)->set_kind(v1::FACTOR_KIND_UNSPECIFIED);
  EXPECT_THAT(ComputeAccountAssurance(account, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.verifications[0].kind")));
  account = good;
  account.mutable_verifications(0)->set_kind(static_cast<v1::FactorKind>(99));
  EXPECT_THAT(
      ComputeAccountAssurance(account, kNow, {}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown factor kind 99")));
  account = good;
  account.mutable_verifications(1)->set_channel(static_cast<v1::Channel>(77));
  EXPECT_THAT(ComputeAccountAssurance(account, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.verifications[1].channel")));
  account = good;
  account.mutable_verifications(1)->clear_verified_at();
  EXPECT_THAT(ComputeAccountAssurance(account, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("verifications[1].verified_at: required")));
  EXPECT_THAT(ComputeAccountAssurance(good, kNow - absl::Seconds(1), {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("verifications[0].verified_at: in the future")));
  account = good;
  *account.mutable_security()->mutable_last_activity_at() =
      ToProtoTime(kNow + absl::Seconds(1));
  EXPECT_THAT(ComputeAccountAssurance(account, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("last_activity_at: in the future")));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
