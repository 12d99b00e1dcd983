// Tests for caller claims and disclosure tiers: every tier, every claim kind
// matched, mismatched and unverifiable, and bad input.
#include "src/domain/caller_claims.h"

#include <memory>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/domain/support_fixture.h"
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
using testing::kNow;
using testing::NameAndBirthDate;
using testing::Yen;

class CallerClaimsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = NameMatcher::Create();
    ASSERT_THAT(m, IsOk());
    matcher_ = *std::move(m);
    account_ = testing::YamadaTaro();
  }

  ClaimsCheck Check(const v1::CallerClaims& claims) {
    auto r = CheckCallerClaims(account_, claims, "claims", *matcher_, kNow, {});
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : ClaimsCheck{};
  }

  std::unique_ptr<NameMatcher> matcher_;
  v1::Account account_;
};

TEST_F(CallerClaimsTest, NothingClaimedIsNone) {
  ClaimsCheck c = Check(v1::CallerClaims());
  EXPECT_EQ(c.tier, v1::DISCLOSURE_TIER_NONE);
  EXPECT_THAT(c.matched, IsEmpty());
  EXPECT_THAT(c.mismatched, IsEmpty());
}

TEST_F(CallerClaimsTest, NameAloneOrBirthDateAloneIsNone) {
  v1::CallerClaims name_only;
  name_only.set_name("山田太郎");
  ClaimsCheck c = Check(name_only);
  EXPECT_EQ(c.name, ClaimOutcome::kMatched);
  EXPECT_EQ(c.tier, v1::DISCLOSURE_TIER_NONE);

  v1::CallerClaims dob_only = NameAndBirthDate();
  dob_only.clear_name();
  dob_only.set_email("taro.yamada@example.jp");  // even with a proof
  c = Check(dob_only);
  EXPECT_EQ(c.tier, v1::DISCLOSURE_TIER_NONE);
}

TEST_F(CallerClaimsTest, NameAndBirthDateIsBasic) {
  ClaimsCheck c = Check(NameAndBirthDate());
  EXPECT_EQ(c.name, ClaimOutcome::kMatched);
  EXPECT_EQ(c.name_match, NameMatchKind::kNormalized);  // half-width kana
  EXPECT_EQ(c.date_of_birth, ClaimOutcome::kMatched);
  EXPECT_EQ(c.account_specific_proofs, 0);
  EXPECT_THAT(c.matched, ElementsAre("name", "date_of_birth"));
  EXPECT_EQ(c.tier, v1::DISCLOSURE_TIER_BASIC);
}

TEST_F(CallerClaimsTest, NameVariantsInEveryScript) {
  for (const char* name : {"山田 太郎", "やまだ たろう", "Taro Yamada", "YAMADA TARO"}) {
    v1::CallerClaims c = NameAndBirthDate();
    c.set_name(name);
    EXPECT_EQ(Check(c).tier, v1::DISCLOSURE_TIER_BASIC) << name;
  }
}

TEST_F(CallerClaimsTest, EachAccountSpecificProofMakesStandard) {
  auto with = [](auto mutate) {
    v1::CallerClaims c = NameAndBirthDate();
    mutate(&c);
    return c;
  };
  const v1::CallerClaims cases[] = {
      with([](v1::CallerClaims* c) { c->set_email("ＴＡＲＯ.yamada@example.jp"); }),
      with([](v1::CallerClaims* c) { c->set_phone("090-1234-5678"); }),
      with([](v1::CallerClaims* c) {
        *c->mutable_recent_transaction_amount() = Yen(10000);
      }),
      with([](v1::CallerClaims* c) {
        *c->mutable_recent_transaction_amount() = Yen(50000);
      }),
      with([](v1::CallerClaims* c) { c->set_recent_transaction_id("w-held"); }),
      with([](v1::CallerClaims* c) { c->set_recent_transaction_id("PSP-777"); }),
      with([](v1::CallerClaims* c) {
        c->set_recent_transaction_id("dep-1");
        *c->mutable_recent_transaction_amount() = Yen(10000);
      }),
      with([](v1::CallerClaims* c) { c->set_device_id("dev-iphone-1"); }),
  };
  for (const v1::CallerClaims& claims : cases) {
    ClaimsCheck c = Check(claims);
    EXPECT_EQ(c.tier, v1::DISCLOSURE_TIER_STANDARD) << claims.DebugString();
    EXPECT_EQ(c.account_specific_proofs, 1) << claims.DebugString();
  }
}

TEST_F(CallerClaimsTest, Last4AndPostalCodeAloneStayBasic) {
  v1::CallerClaims claims = NameAndBirthDate();
  claims.set_instrument_last4("4242");
  claims.set_postal_code("１００−０００１");
  ClaimsCheck c = Check(claims);
  EXPECT_EQ(c.instrument_last4, ClaimOutcome::kMatched);
  EXPECT_EQ(c.postal_code, ClaimOutcome::kMatched);
  EXPECT_EQ(c.tier, v1::DISCLOSURE_TIER_BASIC);
  claims.set_instrument_last4("1234");  // the bank account
  EXPECT_EQ(Check(claims).instrument_last4, ClaimOutcome::kMatched);
}

TEST_F(CallerClaimsTest, AWrongProofCapsAtBasic) {
  v1::CallerClaims claims = testing::Standard();
  claims.set_phone("090-9999-9999");
  ClaimsCheck c = Check(claims);
  EXPECT_EQ(c.email, ClaimOutcome::kMatched);
  EXPECT_EQ(c.phone, ClaimOutcome::kMismatched);
  EXPECT_THAT(c.mismatched, ElementsAre("phone"));
  EXPECT_EQ(c.tier, v1::DISCLOSURE_TIER_BASIC);

  claims = testing::Standard();
  claims.set_postal_code("150-0001");
  EXPECT_EQ(Check(claims).tier, v1::DISCLOSURE_TIER_BASIC);
}

TEST_F(CallerClaimsTest, WrongNameOrBirthDateIsNone) {
  v1::CallerClaims claims = testing::Standard();
  claims.mutable_date_of_birth()->set_day(13);
  ClaimsCheck c = Check(claims);
  EXPECT_EQ(c.date_of_birth, ClaimOutcome::kMismatched);
  EXPECT_EQ(c.tier, v1::DISCLOSURE_TIER_NONE);

  claims = testing::Standard();
  claims.set_name("JOHN SMITH");
  c = Check(claims);
  EXPECT_EQ(c.name, ClaimOutcome::kMismatched);
  EXPECT_EQ(c.name_match, NameMatchKind::kNoMatch);
  EXPECT_EQ(c.tier, v1::DISCLOSURE_TIER_NONE);
}

TEST_F(CallerClaimsTest, TransactionClaimsMustFitOneRecentPayment) {
  v1::CallerClaims claims = NameAndBirthDate();
  // Right id, amount of another payment.
  claims.set_recent_transaction_id("dep-1");
  *claims.mutable_recent_transaction_amount() = Yen(50000);
  EXPECT_EQ(Check(claims).recent_transaction, ClaimOutcome::kMismatched);
  // A real payment, but older than 90 days.
  claims.clear_recent_transaction_id();
  *claims.mutable_recent_transaction_amount() = Yen(30000);
  EXPECT_EQ(Check(claims).recent_transaction, ClaimOutcome::kMismatched);
  claims.clear_recent_transaction_amount();
  claims.set_recent_transaction_id("dep-old");
  EXPECT_EQ(Check(claims).recent_transaction, ClaimOutcome::kMismatched);
  // Same amount in another currency.
  claims.clear_recent_transaction_id();
  v1::Money usd;
  usd.set_minor_units(10000);
  usd.set_currency("USD");
  *claims.mutable_recent_transaction_amount() = usd;
  EXPECT_EQ(Check(claims).recent_transaction, ClaimOutcome::kMismatched);
  // The window is configurable.
  claims.clear_recent_transaction_amount();
  claims.set_recent_transaction_id("dep-old");
  ClaimsOptions wide;
  wide.recent_transaction_window = absl::Hours(24 * 365);
  auto r = CheckCallerClaims(account_, claims, "claims", *matcher_, kNow, wide);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->recent_transaction, ClaimOutcome::kMatched);
}

TEST_F(CallerClaimsTest, NothingRegisteredIsUnverifiable) {
  v1::Account bare;
  v1::CallerClaims claims = NameAndBirthDate();
  claims.set_email("a@b.jp");
  claims.set_phone("09012345678");
  claims.set_recent_transaction_id("dep-1");
  claims.set_device_id("dev");
  claims.set_instrument_last4("4242");
  claims.set_postal_code("1000001");
  auto r = CheckCallerClaims(bare, claims, "claims", *matcher_, kNow, {});
  ASSERT_THAT(r, IsOk());
  for (ClaimOutcome o :
       {r->name, r->date_of_birth, r->email, r->phone, r->recent_transaction, r->device,
        r->instrument_last4, r->postal_code}) {
    EXPECT_EQ(o, ClaimOutcome::kUnverifiable) << ClaimOutcomeName(o);
  }
  EXPECT_EQ(r->tier, v1::DISCLOSURE_TIER_NONE);
  EXPECT_THAT(r->mismatched, IsEmpty());
}

TEST_F(CallerClaimsTest, TierTableIsExact) {
  // Walk the outcomes the table depends on.
  const ClaimOutcome kAll[] = {ClaimOutcome::kNotClaimed, ClaimOutcome::kMatched,
                               ClaimOutcome::kMismatched, ClaimOutcome::kUnverifiable};
  for (ClaimOutcome name : kAll) {
    for (ClaimOutcome dob : kAll) {
      for (int proofs : {0, 1, 2}) {
        for (bool other_mismatch : {false, true}) {
          ClaimsCheck c;
          c.name = name;
          c.date_of_birth = dob;
          c.account_specific_proofs = proofs;
          if (other_mismatch) c.mismatched.push_back("phone");
          v1::DisclosureTier expected = v1::DISCLOSURE_TIER_NONE;
          if (name == ClaimOutcome::kMatched && dob == ClaimOutcome::kMatched) {
            expected = proofs >= 1 && !other_mismatch ? v1::DISCLOSURE_TIER_STANDARD
                                                      : v1::DISCLOSURE_TIER_BASIC;
          }
          EXPECT_EQ(TierFor(c), expected);
        }
      }
    }
  }
}

TEST_F(CallerClaimsTest, BadClaimsNameTheFieldAndChangeNothing) {
  const v1::Account before = account_;
  v1::CallerClaims claims = NameAndBirthDate();
  claims.mutable_date_of_birth()->set_month(2);
  claims.mutable_date_of_birth()->set_day(30);
  EXPECT_THAT(CheckCallerClaims(account_, claims, "event.support_call.claims", *matcher_,
                                kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.support_call.claims.date_of_birth.day")));
  claims = NameAndBirthDate();
  claims.set_email("not-an-email");
  EXPECT_THAT(CheckCallerClaims(account_, claims, "c", *matcher_, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("c.email")));
  claims = NameAndBirthDate();
  claims.set_phone("call me");
  EXPECT_THAT(CheckCallerClaims(account_, claims, "c", *matcher_, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("c.phone")));
  claims = NameAndBirthDate();
  *claims.mutable_recent_transaction_amount() = Yen(-5);
  EXPECT_THAT(CheckCallerClaims(account_, claims, "c", *matcher_, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("c.recent_transaction_amount")));
  claims = NameAndBirthDate();
  claims.set_name("・・・");
  EXPECT_THAT(CheckCallerClaims(account_, claims, "c", *matcher_, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("c.name")));
  // A broken account field is named too.
  v1::Account broken = account_;
  broken.mutable_profile()->set_phone("090-1234-5678");
  claims = NameAndBirthDate();
  claims.set_phone("09012345678");
  EXPECT_THAT(CheckCallerClaims(broken, claims, "c", *matcher_, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.profile.phone: must be international")));
  broken = account_;
  broken.mutable_profile()->mutable_names(2)->set_family_name("\xff");
  EXPECT_THAT(CheckCallerClaims(broken, NameAndBirthDate(), "c", *matcher_, kNow, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.profile.names[2].family_name")));
  EXPECT_TRUE(MessageDifferencer::Equals(account_, before));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
