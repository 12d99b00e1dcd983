// Currencies and checked money arithmetic.
#include "src/domain/money.h"

#include <cstdint>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/currency.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(CurrencyTest, KnowsMinorUnits) {
  struct Case {
    const char* code;
    int digits;
  };
  for (const Case& c : {Case{"JPY", 0}, Case{"USD", 2}, Case{"EUR", 2}, Case{"GBP", 2},
                        Case{"BHD", 3}, Case{"KWD", 3}, Case{"KRW", 0}, Case{"CHF", 2}}) {
    absl::StatusOr<CurrencyInfo> info = LookupCurrency(c.code, "f");
    ASSERT_THAT(info, IsOk()) << c.code;
    EXPECT_EQ(info->minor_unit_digits, c.digits) << c.code;
  }
  EXPECT_EQ(MinorUnitsPerMajor(*LookupCurrency("JPY", "f")), 1);
  EXPECT_EQ(MinorUnitsPerMajor(*LookupCurrency("USD", "f")), 100);
  EXPECT_EQ(MinorUnitsPerMajor(*LookupCurrency("BHD", "f")), 1000);
}

TEST(CurrencyTest, TableIsSortedAndUnique) {
  absl::Span<const CurrencyInfo> all = KnownCurrencies();
  ASSERT_GT(all.size(), 10u);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LT(all[i - 1].code, all[i].code);
  }
  for (const CurrencyInfo& info : all) {
    EXPECT_EQ(info.code.size(), 3u);
    EXPECT_GE(info.minor_unit_digits, 0);
    EXPECT_LE(info.minor_unit_digits, 3);
  }
}

TEST(CurrencyTest, RejectsUnknownAndLowerCaseCodes) {
  EXPECT_THAT(LookupCurrency("XYZ", "event.amount.currency"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.amount.currency: unknown currency \"XYZ\"")));
  EXPECT_THAT(LookupCurrency("jpy", "f"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(LookupCurrency("", "f"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("missing")));
  EXPECT_FALSE(IsKnownCurrency("ZZZ"));
  EXPECT_TRUE(IsKnownCurrency("JPY"));
}

TEST(MoneyTest, CheckedArithmeticReportsOverflow) {
  EXPECT_THAT(CheckedAdd(kMax, 1, "balances.cash"),
              StatusIs(absl::StatusCode::kOutOfRange,
                       HasSubstr("balances.cash: arithmetic overflow")));
  EXPECT_THAT(CheckedSubtract(kMin, 1, "x"), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(CheckedMultiply(kMax / 2 + 1, 2, "x"),
              StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_EQ(*CheckedAdd(kMax - 1, 1, "x"), kMax);
  EXPECT_EQ(*CheckedSubtract(kMin + 1, 1, "x"), kMin);
  EXPECT_EQ(*CheckedMultiply(-4, 5, "x"), -20);
}

TEST(MoneyTest, AddsAndSubtractsSameCurrency) {
  absl::StatusOr<v1::Money> sum = AddMoney(MakeMoney(1050, "USD"), MakeMoney(25, "USD"), "f");
  ASSERT_THAT(sum, IsOk());
  EXPECT_EQ(sum->minor_units(), 1075);
  EXPECT_EQ(sum->currency(), "USD");
  absl::StatusOr<v1::Money> diff = SubtractMoney(MakeMoney(100, "JPY"), MakeMoney(300, "JPY"), "f");
  ASSERT_THAT(diff, IsOk());
  EXPECT_EQ(diff->minor_units(), -200);
}

TEST(MoneyTest, UnsetMoneyAdoptsTheOtherCurrency) {
  absl::StatusOr<v1::Money> sum = AddMoney(v1::Money(), MakeMoney(7, "BHD"), "f");
  ASSERT_THAT(sum, IsOk());
  EXPECT_EQ(sum->currency(), "BHD");
  EXPECT_EQ(sum->minor_units(), 7);
}

TEST(MoneyTest, RejectsCurrencyMismatch) {
  EXPECT_THAT(AddMoney(MakeMoney(1, "USD"), MakeMoney(1, "JPY"), "balances.cash"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("balances.cash: currency mismatch: USD vs JPY")));
  EXPECT_THAT(CompareMoney(MakeMoney(1, "EUR"), MakeMoney(1, "GBP"), "f"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckCurrency(MakeMoney(1, "EUR"), "JPY", "event.amount"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("EUR vs JPY")));
  EXPECT_THAT(CheckCurrency(v1::Money(), "JPY", "f"), IsOk());
}

TEST(MoneyTest, AddOverflowIsAnError) {
  EXPECT_THAT(AddMoney(MakeMoney(kMax, "JPY"), MakeMoney(1, "JPY"), "balances.cash"),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("balances.cash")));
}

TEST(MoneyTest, ValidatesSignAndCurrency) {
  EXPECT_THAT(ValidatePositiveMoney(MakeMoney(0, "JPY"), "event.deposit_requested.amount"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.deposit_requested.amount: must be positive")));
  EXPECT_THAT(ValidatePositiveMoney(MakeMoney(-5, "JPY"), "f"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidatePositiveMoney(MakeMoney(5, "QQQ"), "a"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a.currency")));
  EXPECT_THAT(ValidateNonNegativeMoney(MakeMoney(0, "USD"), "f"), IsOk());
  EXPECT_THAT(ValidateNonNegativeMoney(MakeMoney(-1, "USD"), "f"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("negative")));
}

TEST(MoneyTest, FormatsWithTheCurrencyDecimals) {
  EXPECT_EQ(FormatMoney(MakeMoney(1000, "JPY")), "1000 JPY");
  EXPECT_EQ(FormatMoney(MakeMoney(1050, "USD")), "10.50 USD");
  EXPECT_EQ(FormatMoney(MakeMoney(5, "USD")), "0.05 USD");
  EXPECT_EQ(FormatMoney(MakeMoney(-1005, "BHD")), "-1.005 BHD");
  EXPECT_EQ(FormatMoney(MakeMoney(kMin, "USD")), "-92233720368547758.08 USD");
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
