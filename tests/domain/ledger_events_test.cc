// Account opening and the ledger-event entry point, as one player's story:
// open, deposit with 3-D Secure, play, withdraw with a review, get paid.
#include "src/domain/ledger_events.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/account_open.h"
#include "src/domain/deposit_machine.h"
#include "src/domain/ledger_invariants.h"
#include "src/domain/money.h"
#include "src/domain/velocity.h"
#include "src/domain/withdrawal_machine.h"
#include "tests/domain/ledger_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::domain::testing::DepositRequest;
using ::pitboss::domain::testing::Envelope;
using ::pitboss::domain::testing::TestEpoch;
using ::pitboss::domain::testing::WithdrawalRequest;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

v1::Event Opening() {
  v1::Event event = Envelope("e-open", TestEpoch());
  v1::Profile* profile = event.mutable_account_opened()->mutable_profile();
  v1::PersonName* kanji = profile->add_names();
  kanji->set_script(v1::NAME_SCRIPT_KANJI);
  kanji->set_family_name("山田");
  kanji->set_given_name("太郎");
  v1::PersonName* latin = profile->add_names();
  latin->set_script(v1::NAME_SCRIPT_LATIN);
  latin->set_full_name("YAMADA TARO");
  profile->mutable_date_of_birth()->set_year(1990);
  profile->mutable_date_of_birth()->set_month(4);
  profile->mutable_date_of_birth()->set_day(1);
  profile->set_email("taro@example.jp");
  profile->set_phone("+819012345678");
  profile->set_country("JP");
  profile->set_currency("JPY");
  profile->set_utc_offset_minutes(540);
  v1::Factor* password = event.mutable_account_opened()->add_factors();
  password->set_factor_id("f-pw");
  password->set_kind(v1::FACTOR_KIND_PASSWORD);
  password->set_category(v1::FACTOR_CATEGORY_KNOWLEDGE);
  password->set_channel(v1::CHANNEL_WEB);
  return event;
}

TEST(AccountOpenTest, BuildsAnActiveAccountWithZeroBalances) {
  absl::StatusOr<v1::Account> account = OpenAccount(Opening(), TestEpoch());
  ASSERT_THAT(account, IsOk());
  EXPECT_EQ(account->account_id(), "acc-1");
  EXPECT_EQ(account->version(), 1);
  EXPECT_EQ(account->status(), v1::ACCOUNT_STATUS_ACTIVE);
  EXPECT_EQ(account->kyc().level(), v1::KYC_LEVEL_NONE);
  EXPECT_EQ(account->balances().cash().currency(), "JPY");
  EXPECT_EQ(account->balances().cash().minor_units(), 0);
  EXPECT_EQ(account->factors_size(), 1);
  EXPECT_EQ(FromProtoTime(account->factors(0).enrolled_at()), TestEpoch());
  // Sign-up is not a password change.
  EXPECT_FALSE(account->security().has_password_changed_at());
  ASSERT_EQ(account->devices_size(), 1);
  EXPECT_EQ(account->devices(0).device_id(), "dev-1");
  EXPECT_THAT(CheckLedgerInvariants(*account), IsOk());
}

TEST(AccountOpenTest, RejectsBadProfilesNamingTheField) {
  struct Case {
    void (*mutate)(v1::Event&);
    const char* message;
  };
  const Case cases[] = {
      {[](v1::Event& e) { e.mutable_account_opened()->mutable_profile()->set_currency("YEN"); },
       "event.account_opened.profile.currency: unknown currency \"YEN\""},
      {[](v1::Event& e) { e.mutable_account_opened()->mutable_profile()->clear_names(); },
       "event.account_opened.profile.names: none given"},
      {[](v1::Event& e) {
         e.mutable_account_opened()->mutable_profile()->mutable_date_of_birth()->set_day(31);
       },
       "event.account_opened.profile.date_of_birth: not a calendar date (1990-4-31)"},
      {[](v1::Event& e) { e.mutable_account_opened()->mutable_profile()->set_email("taro"); },
       "event.account_opened.profile.email"},
      {[](v1::Event& e) {
         e.mutable_account_opened()->mutable_profile()->set_phone("090-1234-5678");
       },
       "event.account_opened.profile.phone: must be E.164"},
      {[](v1::Event& e) { e.mutable_account_opened()->mutable_profile()->set_country("jp"); },
       "event.account_opened.profile.country"},
      {[](v1::Event& e) {
         e.mutable_account_opened()->mutable_factors(0)->set_kind(v1::FACTOR_KIND_UNSPECIFIED);
       },
       "event.account_opened.factors[0].kind"},
      {[](v1::Event& e) { *e.mutable_account_opened()->add_factors() =
                              e.account_opened().factors(0); },
       "event.account_opened.factors[1].factor_id: duplicate"},
      {[](v1::Event& e) { e.set_account_id(""); }, "event.account_id"},
      {[](v1::Event& e) { e.mutable_occurred_at()->set_nanos(-1); },
       "event.occurred_at: nanos out of range"},
  };
  for (const Case& c : cases) {
    v1::Event event = Opening();
    c.mutate(event);
    EXPECT_THAT(OpenAccount(event, TestEpoch()),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
  }
}

TEST(LedgerEventsTest, OnePlayerFromDepositToPayout) {
  absl::Time now = TestEpoch();
  absl::StatusOr<v1::Account> opened = OpenAccount(Opening(), now);
  ASSERT_THAT(opened, IsOk());
  v1::Account account = *opened;
  LedgerOptions options;
  options.deposit_fees.basis_points = 0;
  options.withdrawal_fees.fixed_minor_units = 300;  // ¥300 per payout

  // A new JCB card, 3-D Secure, settled.
  v1::Event deposit = DepositRequest("e-1", "d-1", 30000, "JPY", now, "");
  v1::PaymentInstrument* card = deposit.mutable_deposit_requested()->mutable_new_instrument();
  card->set_instrument_id("card-1");
  card->set_kind(v1::INSTRUMENT_KIND_CARD);
  card->mutable_card()->set_brand(v1::CARD_BRAND_JCB);
  card->mutable_card()->set_last4("0005");
  card->mutable_card()->set_holder_name("TARO YAMADA");
  ASSERT_THAT(ApplyLedgerEvent(&account, deposit, options, now), IsOk());
  ASSERT_THAT(TransitionDeposit(&account, "d-1", v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION, {},
                                now),
              IsOk());
  v1::Event auth = Envelope("e-2", now);
  auth.mutable_deposit_authenticated()->set_deposit_id("d-1");
  auth.mutable_deposit_authenticated()->set_result(v1::THREE_DS_RESULT_AUTHENTICATED);
  ASSERT_THAT(ApplyLedgerEvent(&account, auth, options, now), IsOk());
  v1::Event settled = Envelope("e-3", now);
  settled.mutable_deposit_settled()->set_deposit_id("d-1");
  settled.mutable_deposit_settled()->set_outcome(v1::SETTLEMENT_OUTCOME_SUCCEEDED);
  ASSERT_THAT(ApplyLedgerEvent(&account, settled, options, now), IsOk());
  EXPECT_EQ(account.balances().cash().minor_units(), 30000);

  // Play: stake ¥5,000, win ¥12,000.
  v1::Event wager = Envelope("e-4", now);
  wager.mutable_wager_settled()->set_wager_id("g-1");
  *wager.mutable_wager_settled()->mutable_stake() = MakeMoney(5000, "JPY");
  *wager.mutable_wager_settled()->mutable_payout() = MakeMoney(12000, "JPY");
  ASSERT_THAT(ApplyLedgerEvent(&account, wager, options, now), IsOk());
  EXPECT_EQ(account.balances().cash().minor_units(), 37000);

  // Withdraw ¥20,000 to the card: held for review, approved, paid.
  ASSERT_THAT(ApplyLedgerEvent(&account,
                               WithdrawalRequest("e-5", "w-1", 20000, "JPY", now), options,
                               now),
              IsOk());
  EXPECT_EQ(account.balances().cash().minor_units(), 17000);
  EXPECT_EQ(account.balances().reserved().minor_units(), 20000);
  ASSERT_THAT(TransitionWithdrawal(&account, "w-1", v1::WITHDRAWAL_STATE_PENDING_REVIEW, {},
                                   now),
              IsOk());
  v1::Event review = Envelope("e-6", now);
  review.mutable_withdrawal_reviewed()->set_withdrawal_id("w-1");
  review.mutable_withdrawal_reviewed()->set_decision(v1::REVIEW_DECISION_APPROVE);
  v1::Event sent = Envelope("e-7", now);
  sent.mutable_withdrawal_sent_to_provider()->set_withdrawal_id("w-1");
  v1::Event paid = Envelope("e-8", now);
  paid.mutable_withdrawal_paid()->set_withdrawal_id("w-1");
  for (const v1::Event* e : {&review, &sent, &paid}) {
    ASSERT_THAT(ApplyLedgerEvent(&account, *e, options, now), IsOk()) << e->event_id();
  }
  EXPECT_EQ(account.withdrawals(0).net_amount().minor_units(), 19700);
  EXPECT_EQ(account.balances().reserved().minor_units(), 0);
  EXPECT_EQ(account.balances().cash().minor_units(), 17000);
  EXPECT_EQ(account.totals().fees_charged().minor_units(), 300);
  EXPECT_EQ(account.version(), 1 + 10);  // ten applied changes after opening
  EXPECT_EQ(account.last_event_id(), "e-8");
  EXPECT_THAT(CheckLedgerInvariants(account), IsOk());

  // The money events fed the velocity counters.
  struct Expected {
    v1::VelocityMetric metric;
    int64_t count;
    int64_t sum;
  };
  for (const Expected& e : {Expected{v1::VELOCITY_METRIC_DEPOSIT_REQUESTED, 1, 30000},
                            Expected{v1::VELOCITY_METRIC_DEPOSIT_COMPLETED, 1, 30000},
                            Expected{v1::VELOCITY_METRIC_INSTRUMENT_ADDED, 1, 0},
                            Expected{v1::VELOCITY_METRIC_WAGER_STAKE, 1, 5000},
                            Expected{v1::VELOCITY_METRIC_WAGER_PAYOUT, 1, 12000},
                            Expected{v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED, 1, 20000},
                            Expected{v1::VELOCITY_METRIC_WITHDRAWAL_PAID, 1, 20000},
                            Expected{v1::VELOCITY_METRIC_DEPOSIT_UNSUCCESSFUL, 0, 0}}) {
    absl::StatusOr<VelocityTotals> totals =
        QueryVelocity(account.velocity(), e.metric, v1::VELOCITY_WINDOW_1H, now);
    ASSERT_THAT(totals, IsOk());
    EXPECT_EQ(totals->count, e.count) << v1::VelocityMetric_Name(e.metric);
    EXPECT_EQ(totals->sum_minor_units, e.sum) << v1::VelocityMetric_Name(e.metric);
  }

  // Limits and time-outs through the same door; the envelope is checked.
  v1::Event limit = Envelope("e-9", now);
  limit.mutable_deposit_limit_change()->set_period(v1::LIMIT_PERIOD_DAILY);
  *limit.mutable_deposit_limit_change()->mutable_amount() = MakeMoney(10000, "JPY");
  ASSERT_THAT(ApplyLedgerEvent(&account, limit, options, now), IsOk());
  EXPECT_EQ(account.last_event_id(), "e-9");
  EXPECT_EQ(account.version(), 12);
  const v1::Account before = account;
  limit.set_account_id("acc-2");
  EXPECT_THAT(ApplyLedgerEvent(&account, limit, options, now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.account_id")));
  v1::Event call = Envelope("e-10", now);
  call.mutable_support_call()->set_call_id("c-1");
  EXPECT_FALSE(IsLedgerEvent(call));
  EXPECT_THAT(ApplyLedgerEvent(&account, call, options, now),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.support_call: not a ledger event")));
  EXPECT_THAT(ApplyLedgerEvent(&account, Envelope("e-11", now), options, now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.kind: not set")));
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
