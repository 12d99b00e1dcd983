#include "src/engine/kyc_gates.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace engine {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::Money Jpy(int64_t units) {
  v1::Money money;
  money.set_minor_units(units);
  money.set_currency("JPY");
  return money;
}

v1::Account MakeAccount(v1::KycLevel level, int64_t credited) {
  v1::Account account;
  account.set_account_id("acc-1");
  account.mutable_profile()->set_currency("JPY");
  account.mutable_kyc()->set_level(level);
  *account.mutable_totals()->mutable_deposits_credited() = Jpy(credited);
  return account;
}

v1::Event Withdrawal(int64_t units) {
  v1::Event event;
  event.set_event_id("evt-1");
  event.mutable_withdrawal_requested()->set_withdrawal_id("w-1");
  *event.mutable_withdrawal_requested()->mutable_amount() = Jpy(units);
  return event;
}

v1::Event Deposit(int64_t units) {
  v1::Event event;
  event.set_event_id("evt-2");
  event.mutable_deposit_requested()->set_deposit_id("d-1");
  *event.mutable_deposit_requested()->mutable_amount() = Jpy(units);
  return event;
}

KycOptions Options() {
  KycOptions options;
  options.enhanced_due_diligence_thresholds = {Jpy(320000)};
  options.vulnerability_review_thresholds = {Jpy(28200)};
  return options;
}

std::vector<std::string> Codes(const KycGateResult& result) {
  std::vector<std::string> codes;
  for (const Finding& finding : result.findings) codes.push_back(finding.code);
  return codes;
}

TEST(KycGatesTest, WithdrawalWaitsForDocuments) {
  absl::StatusOr<KycGateResult> result = CheckKycGates(
      MakeAccount(v1::KYC_LEVEL_BASIC, 1000), Withdrawal(500), v1::Features(), Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Codes(*result), ElementsAre("KYC_DOCUMENTS_REQUIRED"));
  EXPECT_EQ(result->findings[0].action.kind_case(), v1::RuleAction::kHold);
  EXPECT_EQ(result->findings[0].source, v1::REASON_SOURCE_DOMAIN);

  result = CheckKycGates(MakeAccount(v1::KYC_LEVEL_DOCUMENTS_VERIFIED, 1000), Withdrawal(500),
                         v1::Features(), Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->findings, IsEmpty());
  // UNSPECIFIED counts as NONE.
  result = CheckKycGates(MakeAccount(v1::KYC_LEVEL_UNSPECIFIED, 0), Withdrawal(500),
                         v1::Features(), Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Codes(*result), ElementsAre("KYC_DOCUMENTS_REQUIRED"));
}

TEST(KycGatesTest, CumulativeDepositsRequireEnhancedDueDiligence) {
  // Below the threshold: nothing.
  absl::StatusOr<KycGateResult> result =
      CheckKycGates(MakeAccount(v1::KYC_LEVEL_DOCUMENTS_VERIFIED, 300000), Deposit(19999),
                    v1::Features(), Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_FALSE(result->edd_newly_required);
  // The deposit that reaches it (300000 + 20000 = 320000) makes EDD required,
  // but is itself allowed.
  result = CheckKycGates(MakeAccount(v1::KYC_LEVEL_DOCUMENTS_VERIFIED, 300000), Deposit(20000),
                         v1::Features(), Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_TRUE(result->edd_newly_required);
  EXPECT_THAT(result->findings, IsEmpty());
  // A withdrawal once over it is held.
  result = CheckKycGates(MakeAccount(v1::KYC_LEVEL_DOCUMENTS_VERIFIED, 320000), Withdrawal(1000),
                         v1::Features(), Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_TRUE(result->edd_newly_required);
  EXPECT_THAT(Codes(*result), ElementsAre("ENHANCED_DUE_DILIGENCE_PENDING"));
  // Already flagged: held, not newly required.
  v1::Account flagged = MakeAccount(v1::KYC_LEVEL_DOCUMENTS_VERIFIED, 1000);
  flagged.mutable_kyc()->set_enhanced_due_diligence_required(true);
  result = CheckKycGates(flagged, Withdrawal(1000), v1::Features(), Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_FALSE(result->edd_newly_required);
  EXPECT_THAT(Codes(*result), ElementsAre("ENHANCED_DUE_DILIGENCE_PENDING"));
  // ENHANCED accounts are done.
  result = CheckKycGates(MakeAccount(v1::KYC_LEVEL_ENHANCED, 900000), Withdrawal(1000),
                         v1::Features(), Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_FALSE(result->edd_newly_required);
  EXPECT_THAT(result->findings, IsEmpty());
  // No threshold for the account's currency: none applies.
  v1::Account euro = MakeAccount(v1::KYC_LEVEL_DOCUMENTS_VERIFIED, 0);
  euro.mutable_profile()->set_currency("EUR");
  euro.mutable_totals()->mutable_deposits_credited()->set_currency("EUR");
  euro.mutable_totals()->mutable_deposits_credited()->set_minor_units(99'999'999);
  result = CheckKycGates(euro, v1::Event(), v1::Features(), Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_FALSE(result->edd_newly_required);
}

TEST(KycGatesTest, KycBeforePlayDeniesDepositsAndWagers) {
  KycOptions options = Options();
  options.kyc_before_play = true;
  absl::StatusOr<KycGateResult> result =
      CheckKycGates(MakeAccount(v1::KYC_LEVEL_NONE, 0), Deposit(1000), v1::Features(), options);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Codes(*result), ElementsAre("KYC_REQUIRED_BEFORE_PLAY"));
  EXPECT_EQ(result->findings[0].action.kind_case(), v1::RuleAction::kDeny);
  result = CheckKycGates(MakeAccount(v1::KYC_LEVEL_BASIC, 0), Deposit(1000), v1::Features(),
                         options);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->findings, IsEmpty());
  // Off by default.
  result = CheckKycGates(MakeAccount(v1::KYC_LEVEL_NONE, 0), Deposit(1000), v1::Features(),
                         Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->findings, IsEmpty());
}

TEST(KycGatesTest, VulnerabilityReviewOnlyWhenCrossing) {
  v1::Features features;
  features.mutable_velocity()->mutable_deposits_completed()->set_sum_30d(30000);
  features.mutable_velocity()->mutable_withdrawals_paid()->set_sum_30d(5000);
  // Net 25000 + 3200 = 28200: crosses 28200.
  absl::StatusOr<KycGateResult> result = CheckKycGates(
      MakeAccount(v1::KYC_LEVEL_DOCUMENTS_VERIFIED, 0), Deposit(3200), features, Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Codes(*result), ElementsAre("FINANCIAL_VULNERABILITY_REVIEW"));
  // A flag (a tag), not an outcome.
  EXPECT_EQ(result->findings[0].action.tag(), kFinancialVulnerabilityTag);
  // Not reached.
  result = CheckKycGates(MakeAccount(v1::KYC_LEVEL_DOCUMENTS_VERIFIED, 0), Deposit(3199),
                         features, Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->findings, IsEmpty());
  // Already above before this deposit: no new review.
  features.mutable_velocity()->mutable_withdrawals_paid()->set_sum_30d(0);
  result = CheckKycGates(MakeAccount(v1::KYC_LEVEL_DOCUMENTS_VERIFIED, 0), Deposit(5000),
                         features, Options());
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->findings, IsEmpty());
}

TEST(KycGatesTest, RejectsMoneyInAnotherCurrency) {
  v1::Event event = Deposit(1000);
  event.mutable_deposit_requested()->mutable_amount()->set_currency("USD");
  EXPECT_THAT(CheckKycGates(MakeAccount(v1::KYC_LEVEL_BASIC, 0), event, v1::Features(),
                            Options()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.deposit_requested.amount")));
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
