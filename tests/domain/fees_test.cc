// Fees: fixed + basis points, half-up in the minor unit, exact.
#include "src/domain/fees.h"

#include <cstdint>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/money.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

int64_t Fee(int64_t amount, const char* currency, FeeSchedule schedule) {
  absl::StatusOr<v1::Money> fee = ComputeFee(MakeMoney(amount, currency), schedule, "amount");
  EXPECT_THAT(fee, IsOk());
  if (!fee.ok()) return -1;
  EXPECT_EQ(fee->currency(), currency);
  return fee->minor_units();
}

FeeSchedule Bps(int64_t bps) {
  FeeSchedule s;
  s.basis_points = bps;
  return s;
}

TEST(FeesTest, JpyRoundsHalfUpToWholeYen) {
  // 1 % of ¥150 = ¥1.5 -> ¥2; of ¥149 = ¥1.49 -> ¥1; of ¥250 = ¥2.5 -> ¥3 (not
  // banker's rounding); of ¥50 = ¥0.5 -> ¥1; of ¥49 -> ¥0.
  EXPECT_EQ(Fee(150, "JPY", Bps(100)), 2);
  EXPECT_EQ(Fee(149, "JPY", Bps(100)), 1);
  EXPECT_EQ(Fee(151, "JPY", Bps(100)), 2);
  EXPECT_EQ(Fee(250, "JPY", Bps(100)), 3);
  EXPECT_EQ(Fee(50, "JPY", Bps(100)), 1);
  EXPECT_EQ(Fee(49, "JPY", Bps(100)), 0);
  // 3.5 % of ¥10,000 = ¥350 exactly.
  EXPECT_EQ(Fee(10000, "JPY", Bps(350)), 350);
}

TEST(FeesTest, UsdRoundsHalfUpToWholeCents) {
  // 2.5 % of $10.20 = 25.5 cents -> 26; of $10.19 = 25.475 -> 25; of $10.22 = 25.55 -> 26.
  EXPECT_EQ(Fee(1020, "USD", Bps(250)), 26);
  EXPECT_EQ(Fee(1019, "USD", Bps(250)), 25);
  EXPECT_EQ(Fee(1022, "USD", Bps(250)), 26);
  // 1 bp of $50.00 = 0.5 cent -> 1 cent; of $49.99 = 0.4999 -> 0.
  EXPECT_EQ(Fee(5000, "USD", Bps(1)), 1);
  EXPECT_EQ(Fee(4999, "USD", Bps(1)), 0);
}

TEST(FeesTest, BhdRoundsHalfUpToWholeFils) {
  // 0.5 % of 0.100 BHD = 0.5 fils -> 1; of 0.099 = 0.495 -> 0; of 1.005 = 5.025 -> 5;
  // of 1.100 = 5.5 -> 6.
  EXPECT_EQ(Fee(100, "BHD", Bps(50)), 1);
  EXPECT_EQ(Fee(99, "BHD", Bps(50)), 0);
  EXPECT_EQ(Fee(1005, "BHD", Bps(50)), 5);
  EXPECT_EQ(Fee(1100, "BHD", Bps(50)), 6);
}

TEST(FeesTest, AddsFixedPartAndClampsToMinimumAndMaximum) {
  FeeSchedule s;
  s.fixed_minor_units = 300;
  s.basis_points = 100;
  EXPECT_EQ(Fee(10000, "JPY", s), 400);
  s.minimum_minor_units = 500;
  EXPECT_EQ(Fee(10000, "JPY", s), 500);
  s.minimum_minor_units = 0;
  s.maximum_minor_units = 350;
  EXPECT_EQ(Fee(10000, "JPY", s), 350);
  EXPECT_EQ(Fee(1000, "JPY", s), 310);
}

TEST(FeesTest, ExactForTheLargestAmounts) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(*ProportionalFeeHalfUp(kMax, 10000, "f"), kMax);
  // kMax is odd: half of it ends in .5 and rounds up.
  EXPECT_EQ(*ProportionalFeeHalfUp(kMax, 5000, "f"), kMax / 2 + 1);
  EXPECT_EQ(*ProportionalFeeHalfUp(kMax, 0, "f"), 0);
  FeeSchedule s;
  s.fixed_minor_units = kMax;
  s.basis_points = 1;
  EXPECT_THAT(ComputeFee(MakeMoney(kMax, "JPY"), s, "amount"),
              StatusIs(absl::StatusCode::kOutOfRange));
}

TEST(FeesTest, MatchesAReferenceComputationExhaustively) {
  // Reference: round half up of a/b = floor((2a + b) / (2b)), independent of
  // the implementation's formula.
  for (int64_t bps : {0, 1, 25, 99, 100, 150, 250, 333, 5000, 9999, 10000}) {
    for (int64_t amount = 1; amount <= 3000; ++amount) {
      const int64_t expected = (2 * amount * bps + 10000) / 20000;
      ASSERT_EQ(*ProportionalFeeHalfUp(amount, bps, "f"), expected)
          << amount << " at " << bps << " bps";
    }
  }
}

TEST(FeesTest, RejectsBadSchedulesAndAmounts) {
  FeeSchedule s;
  s.basis_points = 10001;
  EXPECT_THAT(ComputeFee(MakeMoney(100, "JPY"), s, "a"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("basis_points")));
  s = FeeSchedule();
  s.fixed_minor_units = -1;
  EXPECT_THAT(ValidateFeeSchedule(s, "policy.fees"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("policy.fees.fixed_minor_units")));
  s = FeeSchedule();
  s.minimum_minor_units = 10;
  s.maximum_minor_units = 5;
  EXPECT_THAT(ValidateFeeSchedule(s, "p"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ComputeFee(MakeMoney(0, "JPY"), FeeSchedule(), "event.amount"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.amount: must be positive")));
  EXPECT_THAT(ComputeFee(MakeMoney(10, "XXX"), FeeSchedule(), "event.amount"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown currency")));
  EXPECT_THAT(ProportionalFeeHalfUp(-1, 100, "f"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FeesTest, NetOfFeeMustStayPositive) {
  EXPECT_EQ(NetOfFee(MakeMoney(1000, "JPY"), MakeMoney(30, "JPY"), "a")->minor_units(), 970);
  EXPECT_THAT(NetOfFee(MakeMoney(100, "JPY"), MakeMoney(100, "JPY"), "event.amount"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("100 JPY does not cover the fee 100 JPY")));
  EXPECT_THAT(NetOfFee(MakeMoney(100, "JPY"), MakeMoney(1, "USD"), "a"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("mismatch")));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
