#include "src/engine/payment_terms.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "src/domain/proto_time.h"
#include "tests/matchers.h"

namespace pitboss {
namespace engine {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::Policy CatalogPolicy() {
  v1::Policy policy;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    policy_id: "p"
    payment_methods {
      method_id: "card"
      instrument_kind: INSTRUMENT_KIND_CARD
      card_brands: [CARD_BRAND_VISA, CARD_BRAND_JCB]
      directions {
        direction: PAYMENT_DIRECTION_DEPOSIT
        enabled: true
        step_up_method: STEP_UP_METHOD_THREE_D_SECURE
        processing_time_max { seconds: 300 }
        currencies {
          currency: "JPY"
          min_per_transaction_minor_units: 1000
          max_per_transaction_minor_units: 300000
          daily_max_minor_units: 500000
          fee { basis_points: 100 }
          step_up_required: true
          step_up_above_minor_units: 4800
          step_up_cumulative_above_minor_units: 16000
          step_up_after_payments: 5
        }
      }
      directions { direction: PAYMENT_DIRECTION_WITHDRAWAL enabled: false }
    }
    payment_methods {
      method_id: "bank"
      instrument_kind: INSTRUMENT_KIND_BANK_ACCOUNT
      directions {
        direction: PAYMENT_DIRECTION_WITHDRAWAL
        enabled: true
        step_up_method: STEP_UP_METHOD_FACTOR
        step_up_factor_kinds: [FACTOR_KIND_APP_APPROVAL, FACTOR_KIND_TOTP]
        processing_time_min { seconds: 86400 }
        processing_time_max { seconds: 259200 }
        currencies {
          currency: "JPY"
          min_per_transaction_minor_units: 2000
          max_per_transaction_minor_units: 2000000
          daily_max_minor_units: 3000000
          fee { fixed_minor_units: 500 }
          step_up_required: true
          step_up_above_minor_units: 100000
        }
      }
    }
  )pb", &policy));
  return policy;
}

PaymentCatalog Catalog() {
  absl::StatusOr<PaymentCatalog> catalog = PaymentCatalog::Create(CatalogPolicy());
  EXPECT_THAT(catalog, IsOk());
  return *std::move(catalog);
}

v1::PaymentInstrument Card(v1::CardBrand brand, const std::string& id = "card-1") {
  v1::PaymentInstrument instrument;
  instrument.set_instrument_id(id);
  instrument.set_kind(v1::INSTRUMENT_KIND_CARD);
  instrument.mutable_card()->set_brand(brand);
  return instrument;
}

v1::PaymentInstrument Bank(const std::string& id = "bank-1") {
  v1::PaymentInstrument instrument;
  instrument.set_instrument_id(id);
  instrument.set_kind(v1::INSTRUMENT_KIND_BANK_ACCOUNT);
  return instrument;
}

v1::Money Jpy(int64_t units) {
  v1::Money money;
  money.set_minor_units(units);
  money.set_currency("JPY");
  return money;
}

TEST(PaymentTermsTest, FindsTheMethodByKindAndBrand) {
  const PaymentCatalog catalog = Catalog();
  ASSERT_NE(catalog.FindMethod(Card(v1::CARD_BRAND_JCB)), nullptr);
  EXPECT_EQ(catalog.FindMethod(Card(v1::CARD_BRAND_JCB))->method_id(), "card");
  EXPECT_EQ(catalog.FindMethod(Card(v1::CARD_BRAND_AMEX)), nullptr);
  ASSERT_NE(catalog.FindMethod(Bank()), nullptr);
  EXPECT_EQ(catalog.FindMethod(Bank())->method_id(), "bank");
}

TEST(PaymentTermsTest, QuotesFeeNetAndProcessingTime) {
  absl::StatusOr<PaymentQuote> quote =
      Catalog().Quote(Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(4750), 0,
                      v1::StrongAuthTracker());
  ASSERT_THAT(quote, IsOk());
  EXPECT_TRUE(quote->allowed);
  EXPECT_EQ(quote->method_id, "card");
  EXPECT_EQ(quote->fee.minor_units(), 48);  // 1 % of 4750 = 47.5 -> 48 (half-up)
  EXPECT_EQ(quote->net_amount.minor_units(), 4702);
  EXPECT_FALSE(quote->step_up_required);
  EXPECT_EQ(quote->processing_time_max, absl::Minutes(5));
  EXPECT_THAT(PaymentFindings(*quote), IsEmpty());
}

TEST(PaymentTermsTest, RefusesOutsideTheTerms) {
  const PaymentCatalog catalog = Catalog();
  struct Case {
    v1::PaymentInstrument instrument;
    v1::PaymentDirection direction;
    v1::Money amount;
    int64_t used_today;
    const char* code;
  };
  v1::Money usd = Jpy(5000);
  usd.set_currency("USD");
  const std::vector<Case> cases = {
      {Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(999), 0, "BELOW_MINIMUM"},
      {Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(300001), 0,
       "ABOVE_MAXIMUM"},
      {Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(100001), 400000,
       "DAILY_MAXIMUM_REACHED"},
      {Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, usd, 0,
       "CURRENCY_NOT_ACCEPTED"},
      {Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_WITHDRAWAL, Jpy(5000), 0,
       "DIRECTION_DISABLED"},
      {Bank(), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(5000), 0, "DIRECTION_DISABLED"},
      {Card(v1::CARD_BRAND_AMEX), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(5000), 0,
       "NO_PAYMENT_METHOD"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<PaymentQuote> quote =
        catalog.Quote(c.instrument, c.direction, c.amount, c.used_today, v1::StrongAuthTracker());
    ASSERT_THAT(quote, IsOk()) << c.code;
    EXPECT_FALSE(quote->allowed) << c.code;
    EXPECT_EQ(quote->refusal_code, c.code);
    std::vector<Finding> findings = PaymentFindings(*quote);
    ASSERT_EQ(findings.size(), 1u) << c.code;
    EXPECT_EQ(findings[0].code, c.code);
    EXPECT_EQ(findings[0].action.kind_case(), v1::RuleAction::kDeny);
    EXPECT_EQ(findings[0].source, v1::REASON_SOURCE_DOMAIN);
  }
  // Exactly at the daily maximum is allowed.
  absl::StatusOr<PaymentQuote> quote = catalog.Quote(
      Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(100000), 400000,
      v1::StrongAuthTracker());
  ASSERT_THAT(quote, IsOk());
  EXPECT_TRUE(quote->allowed);
}

TEST(PaymentTermsTest, StepUpTriggers) {
  const PaymentCatalog catalog = Catalog();
  // Amount above 4800.
  absl::StatusOr<PaymentQuote> quote = catalog.Quote(
      Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(4801), 0,
      v1::StrongAuthTracker());
  ASSERT_THAT(quote, IsOk());
  EXPECT_TRUE(quote->step_up_required);
  EXPECT_EQ(quote->step_up_method, v1::STEP_UP_METHOD_THREE_D_SECURE);
  EXPECT_THAT(quote->step_up_reason, HasSubstr("amount above 4800 JPY"));
  // 3-D Secure is a deposit state, not a challenge finding.
  EXPECT_THAT(PaymentFindings(*quote), IsEmpty());

  // Cumulative: 12000 since + 4500 = 16500 > 16000.
  v1::StrongAuthTracker tracker;
  *tracker.mutable_amount_since() = Jpy(12000);
  quote = catalog.Quote(Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(4500), 0,
                        tracker);
  ASSERT_THAT(quote, IsOk());
  EXPECT_TRUE(quote->step_up_required);
  EXPECT_THAT(quote->step_up_reason, HasSubstr("since the last strong authentication"));
  *tracker.mutable_amount_since() = Jpy(11500);
  quote = catalog.Quote(Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(4500), 0,
                        tracker);
  ASSERT_THAT(quote, IsOk());
  EXPECT_FALSE(quote->step_up_required);

  // Count: 5 payments since: the 6th needs it.
  tracker.set_payments_since(5);
  quote = catalog.Quote(Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(1000), 0,
                        tracker);
  ASSERT_THAT(quote, IsOk());
  EXPECT_TRUE(quote->step_up_required);
  EXPECT_THAT(quote->step_up_reason, HasSubstr("more than 5 payments"));

  // A FACTOR step-up becomes a CHALLENGE finding.
  quote = catalog.Quote(Bank(), v1::PAYMENT_DIRECTION_WITHDRAWAL, Jpy(150000), 0,
                        v1::StrongAuthTracker());
  ASSERT_THAT(quote, IsOk());
  EXPECT_TRUE(quote->allowed);
  EXPECT_EQ(quote->fee.minor_units(), 500);
  EXPECT_EQ(quote->net_amount.minor_units(), 149500);
  std::vector<Finding> findings = PaymentFindings(*quote);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "PAYMENT_STEP_UP_REQUIRED");
  EXPECT_THAT(findings[0].action.challenge().factor_kinds(),
              ElementsAre(v1::FACTOR_KIND_APP_APPROVAL, v1::FACTOR_KIND_TOTP));
}

TEST(PaymentTermsTest, UsedTodayCountsTheLocalDaySameMethodAndLiveStates) {
  const PaymentCatalog catalog = Catalog();
  // 2026-11-25 10:00 in Japan (UTC+9) = 01:00 UTC; the local day began at
  // 2026-11-24 15:00 UTC.
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 11, 25, 1, 0, 0), absl::UTCTimeZone());
  v1::Account account;
  account.mutable_profile()->set_currency("JPY");
  account.mutable_profile()->set_utc_offset_minutes(540);
  *account.add_instruments() = Card(v1::CARD_BRAND_VISA, "card-1");
  *account.add_instruments() = Card(v1::CARD_BRAND_JCB, "card-2");
  *account.add_instruments() = Bank("bank-1");
  auto add_deposit = [&](const std::string& instrument, int64_t units, v1::DepositState state,
                         absl::Time at) {
    v1::Deposit* deposit = account.add_deposits();
    deposit->set_instrument_id(instrument);
    *deposit->mutable_amount() = Jpy(units);
    deposit->set_state(state);
    *deposit->mutable_created_at() = domain::ToProtoTime(at);
  };
  add_deposit("card-1", 10000, v1::DEPOSIT_STATE_COMPLETED, now - absl::Hours(1));
  add_deposit("card-2", 20000, v1::DEPOSIT_STATE_PENDING, now - absl::Hours(9));  // 16:00 UTC
  add_deposit("card-1", 40000, v1::DEPOSIT_STATE_DECLINED, now - absl::Hours(2));  // refused
  add_deposit("card-1", 80000, v1::DEPOSIT_STATE_COMPLETED, now - absl::Hours(11));  // yesterday
  add_deposit("bank-1", 160000, v1::DEPOSIT_STATE_COMPLETED, now - absl::Hours(1));  // other method
  v1::Withdrawal* withdrawal = account.add_withdrawals();
  withdrawal->set_instrument_id("bank-1");
  *withdrawal->mutable_amount() = Jpy(7000);
  withdrawal->set_state(v1::WITHDRAWAL_STATE_PENDING_REVIEW);
  *withdrawal->mutable_created_at() = domain::ToProtoTime(now - absl::Minutes(5));

  absl::StatusOr<int64_t> used =
      catalog.UsedToday(account, "card", v1::PAYMENT_DIRECTION_DEPOSIT, now);
  ASSERT_THAT(used, IsOk());
  EXPECT_EQ(*used, 30000);
  used = catalog.UsedToday(account, "bank", v1::PAYMENT_DIRECTION_WITHDRAWAL, now);
  ASSERT_THAT(used, IsOk());
  EXPECT_EQ(*used, 7000);
  used = catalog.UsedToday(account, "card", v1::PAYMENT_DIRECTION_WITHDRAWAL, now);
  ASSERT_THAT(used, IsOk());
  EXPECT_EQ(*used, 0);
}

TEST(PaymentTermsTest, RejectsBadInput) {
  const PaymentCatalog catalog = Catalog();
  EXPECT_THAT(catalog.Quote(Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT, Jpy(-5),
                            0, v1::StrongAuthTracker()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("amount")));
  v1::StrongAuthTracker other_currency;
  other_currency.mutable_amount_since()->set_currency("EUR");
  other_currency.mutable_amount_since()->set_minor_units(10);
  EXPECT_THAT(catalog.Quote(Card(v1::CARD_BRAND_VISA), v1::PAYMENT_DIRECTION_DEPOSIT,
                            Jpy(2000), 0, other_currency),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("strong_auth.amount_since")));
  v1::Policy bad = CatalogPolicy();
  bad.mutable_payment_methods(1)->set_method_id("card");
  EXPECT_THAT(PaymentCatalog::Create(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("payment_methods[1].method_id: duplicate 'card'")));
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
