// Event amount (and its reference-currency value), instrument, closed loop and
// withdrawal size vs history.
#include "src/risk/payment_features.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/risk/event_account_features.h"
#include "tests/matchers.h"
#include "tests/risk/risk_test_util.h"

namespace pitboss {
namespace {

using ::pitboss::risk_test::AddBank;
using ::pitboss::risk_test::AddCard;
using ::pitboss::risk_test::BaseAccount;
using ::pitboss::risk_test::DepositEvent;
using ::pitboss::risk_test::Jpy;
using ::pitboss::risk_test::MustCompute;
using ::pitboss::risk_test::Now;
using ::pitboss::risk_test::Ts;
using ::pitboss::risk_test::WithdrawalEvent;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

void AddPaidWithdrawal(v1::Account& account, const std::string& id, int64_t amount,
                       v1::WithdrawalState state = v1::WITHDRAWAL_STATE_PAID) {
  v1::Withdrawal* withdrawal = account.add_withdrawals();
  withdrawal->set_withdrawal_id(id);
  withdrawal->set_state(state);
  withdrawal->set_instrument_id("bank-1");
  *withdrawal->mutable_amount() = Jpy(amount);
}

TEST(PaymentFeaturesTest, ClosedLoopTrueAndFalse) {
  v1::Account account = BaseAccount();
  AddBank(account, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ", /*used_to_deposit=*/true);
  AddBank(account, "bank-2", "ﾔﾏﾀﾞ ﾀﾛｳ", /*used_to_deposit=*/false);

  const v1::Features loop = MustCompute(account, WithdrawalEvent("bank-1", 10000));
  EXPECT_TRUE(loop.is_withdrawal());
  EXPECT_TRUE(loop.payout_destination_used_to_deposit());
  EXPECT_FALSE(loop.payout_to_non_deposit_source());

  const v1::Features open = MustCompute(account, WithdrawalEvent("bank-2", 10000));
  EXPECT_TRUE(open.is_withdrawal());
  EXPECT_FALSE(open.payout_destination_used_to_deposit());
  EXPECT_TRUE(open.payout_to_non_deposit_source());

  // Not a withdrawal: neither flag.
  AddCard(account, "card-1", "YAMADA TARO", true);
  const v1::Features deposit = MustCompute(account, DepositEvent("card-1", 1000));
  EXPECT_FALSE(deposit.is_withdrawal());
  EXPECT_FALSE(deposit.payout_to_non_deposit_source());
  EXPECT_FALSE(deposit.payout_destination_used_to_deposit());
}

TEST(PaymentFeaturesTest, InstrumentKindNewAndAge) {
  v1::Account account = BaseAccount();
  AddCard(account, "card-1", "YAMADA TARO", true);
  const v1::Features known = MustCompute(account, DepositEvent("card-1", 1000));
  EXPECT_TRUE(known.has_instrument());
  EXPECT_EQ(known.instrument_kind(), v1::INSTRUMENT_KIND_CARD);
  EXPECT_FALSE(known.new_instrument());
  EXPECT_EQ(known.instrument_age_seconds(), 30 * 24 * 3600);

  v1::Event event = DepositEvent("", 1000);
  v1::PaymentInstrument* card = event.mutable_deposit_requested()->mutable_new_instrument();
  card->set_instrument_id("card-2");
  card->set_kind(v1::INSTRUMENT_KIND_CARD);
  card->mutable_card()->set_holder_name("YAMADA TARO");
  const v1::Features fresh = MustCompute(account, event);
  EXPECT_TRUE(fresh.new_instrument());
  EXPECT_EQ(fresh.instrument_age_seconds(), 0);

  // Presented as new but already registered: the registered one.
  card->set_instrument_id("card-1");
  EXPECT_FALSE(MustCompute(account, event).new_instrument());

  const v1::Features none = MustCompute(account, risk_test::LoginEvent());
  EXPECT_FALSE(none.has_instrument());
  EXPECT_EQ(none.instrument_kind(), v1::INSTRUMENT_KIND_UNSPECIFIED);
}

TEST(PaymentFeaturesTest, WithdrawalSizeVsHistory) {
  v1::Account account = BaseAccount();
  AddBank(account, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ", true);
  AddPaidWithdrawal(account, "w-1", 20000);
  AddPaidWithdrawal(account, "w-2", 50000);
  AddPaidWithdrawal(account, "w-3", 900000, v1::WITHDRAWAL_STATE_REJECTED);  // not paid
  *account.mutable_totals()->mutable_deposits_credited() = Jpy(90000);
  account.mutable_totals()->set_completed_deposit_count(3);  // average 30000

  const v1::Features features = MustCompute(account, WithdrawalEvent("bank-1", 125000));
  EXPECT_TRUE(features.has_previous_withdrawal());
  EXPECT_EQ(features.max_previous_withdrawal_minor_units(), 50000);
  EXPECT_EQ(features.withdrawal_to_max_previous_bps(), 25000);  // 2.5x
  EXPECT_EQ(features.average_deposit_minor_units(), 30000);
  // 125000 / 30000 = 4.1666.. -> 41666 bp, rounded down.
  EXPECT_EQ(features.withdrawal_to_average_deposit_bps(), 41666);
}

TEST(PaymentFeaturesTest, FirstWithdrawalHasNoHistoryRatios) {
  v1::Account account = BaseAccount();
  AddBank(account, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ", true);
  const v1::Features features = MustCompute(account, WithdrawalEvent("bank-1", 1000));
  EXPECT_FALSE(features.has_previous_withdrawal());
  EXPECT_EQ(features.withdrawal_to_max_previous_bps(), 0);
  EXPECT_EQ(features.average_deposit_minor_units(), 0);
  EXPECT_EQ(features.withdrawal_to_average_deposit_bps(), 0);
}

TEST(PaymentFeaturesTest, FollowUpEventLeavesItsOwnWithdrawalOut) {
  v1::Account account = BaseAccount();
  AddBank(account, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ", true);
  AddPaidWithdrawal(account, "w-1", 20000);
  AddPaidWithdrawal(account, "w-2", 70000);
  v1::Event event = risk_test::BaseEvent("ev-returned");
  event.mutable_withdrawal_failed()->set_withdrawal_id("w-2");
  event.mutable_withdrawal_failed()->set_returned_after_paid(true);
  const v1::Features features = MustCompute(account, event);
  EXPECT_TRUE(features.is_withdrawal());
  EXPECT_TRUE(features.has_amount());
  EXPECT_EQ(features.amount_minor_units(), 70000);
  EXPECT_EQ(features.max_previous_withdrawal_minor_units(), 20000);
  EXPECT_EQ(features.withdrawal_to_max_previous_bps(), 35000);
  EXPECT_EQ(features.holder_name_match(), v1::NAME_MATCH_NORMALIZED);
}

TEST(PaymentFeaturesTest, EventAmountAndReferenceCurrency) {
  v1::Account account = BaseAccount();
  AddCard(account, "card-1", "YAMADA TARO", true);
  risk::FeatureOptions options = risk_test::Options();
  options.reference_currency = "EUR";
  // 1 EUR = 160 JPY: 1 yen = 5/8 cent.
  options.rates.push_back({"JPY", 5, 8});
  ASSERT_THAT(risk::ValidateFeatureOptions(options), IsOk());

  v1::Features features = MustCompute(account, DepositEvent("card-1", 4801), Now(), options);
  EXPECT_TRUE(features.has_amount());
  EXPECT_EQ(features.amount_minor_units(), 4801);
  EXPECT_TRUE(features.has_reference_amount());
  EXPECT_EQ(features.reference_currency(), "EUR");
  // 4801 * 5 / 8 = 3000.625 -> 3001 (half-up).
  EXPECT_EQ(features.amount_reference_minor_units(), 3001);
  // 4 * 5 / 8 = 2.5 -> 3; 3 * 5 / 8 = 1.875 -> 2; 1 * 5 / 8 = 0.625 -> 1.
  EXPECT_EQ(MustCompute(account, DepositEvent("card-1", 4), Now(), options)
                .amount_reference_minor_units(),
            3);
  EXPECT_EQ(MustCompute(account, DepositEvent("card-1", 3), Now(), options)
                .amount_reference_minor_units(),
            2);

  // No rate for the account's currency: no reference amount.
  options.rates.clear();
  features = MustCompute(account, DepositEvent("card-1", 4801), Now(), options);
  EXPECT_TRUE(features.has_amount());
  EXPECT_FALSE(features.has_reference_amount());
  EXPECT_EQ(features.amount_reference_minor_units(), 0);

  // Reference currency = the account's: the amount itself.
  options.reference_currency = "JPY";
  features = MustCompute(account, DepositEvent("card-1", 4801), Now(), options);
  EXPECT_TRUE(features.has_reference_amount());
  EXPECT_EQ(features.amount_reference_minor_units(), 4801);
}

TEST(PaymentFeaturesTest, ConvertToReferenceIsExactAndChecked) {
  EXPECT_EQ(*risk::ConvertToReference(-4801, {"JPY", 5, 8}, "r"), -3001);
  EXPECT_EQ(*risk::ConvertToReference(INT64_MAX, {"JPY", 1, 1}, "r"), INT64_MAX);
  EXPECT_THAT(risk::ConvertToReference(INT64_MAX, {"JPY", 2, 1}, "options.rates[0]"),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("options.rates[0]")));
  EXPECT_THAT(risk::ConvertToReference(1, {"JPY", 0, 1}, "options.rates[0]"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.rates[0].reference_minor_units")));
}

TEST(PaymentFeaturesTest, WagerStakeIsTheAmount) {
  v1::Event event = risk_test::BaseEvent("ev-wager");
  *event.mutable_wager_settled()->mutable_stake() = Jpy(300);
  *event.mutable_wager_settled()->mutable_payout() = Jpy(0);
  const v1::Features features = MustCompute(BaseAccount(), event);
  EXPECT_TRUE(features.has_amount());
  EXPECT_EQ(features.amount_minor_units(), 300);
  EXPECT_FALSE(features.has_instrument());
}

TEST(PaymentFeaturesTest, BadPaymentInputNamesTheField) {
  v1::Account account = BaseAccount();
  AddBank(account, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ", true);
  const risk::FeatureOptions& options = risk_test::Options();

  EXPECT_THAT(risk::ComputeFeatures(account, WithdrawalEvent("bank-9", 1000), Now(), options),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("event.withdrawal_requested.instrument_id")));
  EXPECT_THAT(risk::ComputeFeatures(account, WithdrawalEvent("", 1000), Now(), options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.withdrawal_requested.instrument_id")));
  EXPECT_THAT(risk::ComputeFeatures(account, WithdrawalEvent("bank-1", -5), Now(), options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.withdrawal_requested.amount")));
  v1::Event usd = WithdrawalEvent("bank-1", 1000);
  usd.mutable_withdrawal_requested()->mutable_amount()->set_currency("USD");
  EXPECT_THAT(risk::ComputeFeatures(account, usd, Now(), options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.withdrawal_requested.amount")));
  v1::Event settled = risk_test::BaseEvent("ev-settled");
  settled.mutable_deposit_settled()->set_deposit_id("d-missing");
  EXPECT_THAT(risk::ComputeFeatures(account, settled, Now(), options),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("event.deposit_settled.deposit_id")));
  v1::Account bad_totals = account;
  bad_totals.mutable_totals()->set_completed_deposit_count(-1);
  EXPECT_THAT(
      risk::ComputeFeatures(bad_totals, WithdrawalEvent("bank-1", 1000), Now(), options),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("account.totals.completed_deposit_count")));
  v1::Account bad_kind = account;
  bad_kind.mutable_instruments(0)->set_kind(static_cast<v1::InstrumentKind>(42));
  EXPECT_THAT(risk::ComputeFeatures(bad_kind, WithdrawalEvent("bank-1", 1000), Now(), options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("account.instruments[0].kind")));
}

}  // namespace
}  // namespace pitboss
