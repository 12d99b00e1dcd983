// Instrument holder name vs the account holder's registered names.
#include "src/risk/name_match_features.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"
#include "tests/risk/risk_test_util.h"

namespace pitboss {
namespace {

using ::pitboss::risk_test::AddBank;
using ::pitboss::risk_test::AddCard;
using ::pitboss::risk_test::BaseAccount;
using ::pitboss::risk_test::DepositEvent;
using ::pitboss::risk_test::MustCompute;
using ::pitboss::risk_test::Now;
using ::pitboss::risk_test::WithdrawalEvent;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

v1::NameMatch MatchForCardHolder(const std::string& holder) {
  v1::Account account = BaseAccount();
  AddCard(account, "card-1", holder, /*used_to_deposit=*/false);
  const v1::Features features = MustCompute(account, DepositEvent("card-1", 5000));
  EXPECT_EQ(features.holder_name_mismatch(),
            features.holder_name_match() == v1::NAME_MATCH_NO_MATCH);
  return features.holder_name_match();
}

TEST(NameMatchFeaturesTest, HalfWidthKatakanaHolderMatchesKanaAccountName) {
  EXPECT_EQ(MatchForCardHolder("ﾔﾏﾀﾞ ﾀﾛｳ"), v1::NAME_MATCH_NORMALIZED);
  EXPECT_EQ(MatchForCardHolder("やまだ　たろう"), v1::NAME_MATCH_NORMALIZED);
}

TEST(NameMatchFeaturesTest, ExactReorderedAndNoMatch) {
  EXPECT_EQ(MatchForCardHolder("ヤマダ タロウ"), v1::NAME_MATCH_EXACT);
  // The Latin variant is registered split: "family given".
  EXPECT_EQ(MatchForCardHolder("YAMADA TARO"), v1::NAME_MATCH_EXACT);
  EXPECT_EQ(MatchForCardHolder("yamada taro"), v1::NAME_MATCH_NORMALIZED);
  EXPECT_EQ(MatchForCardHolder("TARO YAMADA"), v1::NAME_MATCH_TOKEN_REORDERED);
  EXPECT_EQ(MatchForCardHolder("JOHN SMITH"), v1::NAME_MATCH_NO_MATCH);
}

TEST(NameMatchFeaturesTest, BankHolderOnAWithdrawal) {
  v1::Account account = BaseAccount();
  AddBank(account, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ", /*used_to_deposit=*/true);
  const v1::Features features = MustCompute(account, WithdrawalEvent("bank-1", 10000));
  EXPECT_EQ(features.holder_name_match(), v1::NAME_MATCH_NORMALIZED);
  EXPECT_FALSE(features.holder_name_mismatch());
}

TEST(NameMatchFeaturesTest, NewInstrumentOnADepositRequest) {
  v1::Event event = DepositEvent("", 3000);
  v1::PaymentInstrument* card = event.mutable_deposit_requested()->mutable_new_instrument();
  card->set_instrument_id("card-new");
  card->set_kind(v1::INSTRUMENT_KIND_CARD);
  card->mutable_card()->set_holder_name("JOHN SMITH");
  const v1::Features features = MustCompute(BaseAccount(), event);
  EXPECT_EQ(features.holder_name_match(), v1::NAME_MATCH_NO_MATCH);
  EXPECT_TRUE(features.holder_name_mismatch());
  EXPECT_TRUE(features.new_instrument());
}

TEST(NameMatchFeaturesTest, NotApplicableAndNoHolderName) {
  const v1::Features login = MustCompute(BaseAccount(), risk_test::LoginEvent());
  EXPECT_EQ(login.holder_name_match(), v1::NAME_MATCH_NOT_APPLICABLE);
  EXPECT_FALSE(login.holder_name_mismatch());

  v1::Account account = BaseAccount();
  v1::PaymentInstrument* wallet = account.add_instruments();
  wallet->set_instrument_id("wallet-1");
  wallet->set_kind(v1::INSTRUMENT_KIND_E_WALLET);
  wallet->mutable_e_wallet()->set_provider("MuchBetter");
  const v1::Features no_holder = MustCompute(account, DepositEvent("wallet-1", 1000));
  EXPECT_EQ(no_holder.holder_name_match(), v1::NAME_MATCH_NO_HOLDER_NAME);
  EXPECT_FALSE(no_holder.holder_name_mismatch());

  // No registered name to compare with.
  account = BaseAccount();
  account.mutable_profile()->clear_names();
  AddCard(account, "card-1", "YAMADA TARO", false);
  EXPECT_EQ(MustCompute(account, DepositEvent("card-1", 1000)).holder_name_match(),
            v1::NAME_MATCH_NO_HOLDER_NAME);
}

TEST(NameMatchFeaturesTest, SpellingsSeenBeforeMatchAlike) {
  // Canonical forms are reused across calls on a thread: the same holders
  // again (after more spellings than are kept, and right away) match alike.
  const std::vector<std::string> holders = {"ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ", "YAMADA TARO",
                                            "TARO YAMADA", "JOHN SMITH", "yamada taro"};
  std::vector<v1::NameMatch> first;
  for (const std::string& holder : holders) first.push_back(MatchForCardHolder(holder));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(MatchForCardHolder("HOLDER " + std::to_string(i)), v1::NAME_MATCH_NO_MATCH);
  }
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < holders.size(); ++i) {
      EXPECT_EQ(MatchForCardHolder(holders[i]), first[i]) << holders[i];
    }
  }
}

TEST(NameMatchFeaturesTest, UnreadableNamesNameTheField) {
  v1::Account account = BaseAccount();
  AddCard(account, "card-1", "YAMADA \xff TARO", false);
  for (int twice = 0; twice < 2; ++twice) {  // a failure is never remembered
    EXPECT_THAT(
        risk::ComputeFeatures(account, DepositEvent("card-1", 1000), Now(), risk_test::Options()),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 HasSubstr("account.instruments[0].card.holder_name")));
  }

  account = BaseAccount();
  AddCard(account, "card-1", "YAMADA TARO", false);
  account.mutable_profile()->mutable_names(1)->set_full_name("・・・");
  EXPECT_THAT(
      risk::ComputeFeatures(account, DepositEvent("card-1", 1000), Now(), risk_test::Options()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("account.profile.names[1].full_name")));
}

}  // namespace
}  // namespace pitboss
