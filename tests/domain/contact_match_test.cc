// Tests for contact normalisation: e-mail case and width, phone formats with
// and without country codes, postal codes, last-four digits, bad input.
#include "src/domain/contact_match.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

bool Same(absl::string_view claimed, absl::string_view registered) {
  auto r = PhonesMatch(claimed, "claims.phone", registered, "profile.phone");
  EXPECT_THAT(r, IsOk()) << claimed << " vs " << registered;
  return r.ok() && *r;
}

TEST(ContactMatchTest, EmailIsCaseInsensitiveAndWidthFolded) {
  auto a = NormalizeEmail("Taro.Yamada@Example.JP", "e");
  auto b = NormalizeEmail("  ｔａｒｏ．ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ ", "e");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(*a, "taro.yamada@example.jp");
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *NormalizeEmail("taro.yamada@example.com", "e"));
  EXPECT_NE(*a, *NormalizeEmail("taroyamada@example.jp", "e"));
}

TEST(ContactMatchTest, BadEmailsNameTheField) {
  for (absl::string_view bad :
       {"taro", "@example.jp", "taro@", "a@b@c", "ta ro@x.jp", "", "\xff@x.jp"}) {
    EXPECT_THAT(NormalizeEmail(bad, "event.support_call.claims.email"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("event.support_call.claims.email")))
        << bad;
  }
}

TEST(ContactMatchTest, PhoneFormatsWithCountryCode) {
  const char* kRegistered = "+819012345678";
  EXPECT_TRUE(Same("+81 90-1234-5678", kRegistered));
  EXPECT_TRUE(Same("09012345678", kRegistered));
  EXPECT_TRUE(Same("090-1234-5678", kRegistered));
  EXPECT_TRUE(Same("(090) 1234 5678", kRegistered));
  EXPECT_TRUE(Same("0081 90 1234 5678", kRegistered));
  EXPECT_TRUE(Same("＋８１ ９０−１２３４−５６７８", kRegistered));
  EXPECT_TRUE(Same("０９０ー１２３４ー５６７８", kRegistered));
  EXPECT_TRUE(Same("+819012345678", "+81 90 1234 5678"));
  // Different numbers, or the right national number under another country code.
  EXPECT_FALSE(Same("09012345679", kRegistered));
  EXPECT_FALSE(Same("+82 90-1234-5678", kRegistered));
  EXPECT_FALSE(Same("9012345678", "+8190123456789"));
  EXPECT_FALSE(Same("012345678", kRegistered));
  // A national number only matches after a 1-3 digit country code.
  EXPECT_FALSE(Same("2345678", kRegistered));
  // US style: +1, no trunk prefix.
  EXPECT_TRUE(Same("(415) 555-0123", "+14155550123"));
}

TEST(ContactMatchTest, BadPhonesNameTheField) {
  EXPECT_THAT(
      PhonesMatch("090-CALL-ME", "claims.phone", "+819012345678", "profile.phone"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("claims.phone")));
  EXPECT_THAT(PhonesMatch("0901", "claims.phone", "+819012345678", "profile.phone"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("5 to 15 digits")));
  EXPECT_THAT(
      PhonesMatch("+1234567890123456", "claims.phone", "+819012345678", "profile.phone"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("claims.phone")));
  EXPECT_THAT(PhonesMatch("09012345678", "claims.phone", "09012345678", "profile.phone"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.phone: must be international")));
  auto parsed = ParsePhone("+81 90 1234 5678", "p");
  ASSERT_THAT(parsed, IsOk());
  EXPECT_TRUE(parsed->international);
  EXPECT_EQ(parsed->digits, "819012345678");
  parsed = ParsePhone("090 1234 5678", "p");
  ASSERT_THAT(parsed, IsOk());
  EXPECT_FALSE(parsed->international);
  EXPECT_EQ(parsed->digits, "9012345678");
}

TEST(ContactMatchTest, PostalCodesAndLast4) {
  EXPECT_EQ(*NormalizePostalCode("100-0001", "z"),
            *NormalizePostalCode("１００−０００１", "z"));
  EXPECT_EQ(*NormalizePostalCode("〒100-0001", "z"), "1000001");
  EXPECT_EQ(*NormalizePostalCode("SW1A 1AA", "z"), "sw1a1aa");
  EXPECT_THAT(
      NormalizePostalCode(" - ", "claims.postal_code"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("claims.postal_code")));
  EXPECT_EQ(*NormalizeLast4("４２４２", "l"), "4242");
  EXPECT_EQ(*NormalizeLast4(" 0042 ", "l"), "0042");
  for (absl::string_view bad : {"424", "42424", "42a2", ""}) {
    EXPECT_THAT(NormalizeLast4(bad, "claims.instrument_last4"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("claims.instrument_last4: must be four digits")));
  }
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
