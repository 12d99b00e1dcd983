// The scenarios (issue 5), each an event sequence through
// Engine::Evaluate with the shipped default policy
// (examples/policy/default.textproto, read from the source tree at test time).
// Every scenario starts from the same "seasoned" account built by events —
// opened, verified, a card and a bank deposit settled, some play, identity
// documents accepted — so the decisions come from the pipeline, not from
// hand-made account state. Each test also checks what did NOT change.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "google/protobuf/util/message_differencer.h"
#include "src/engine/audit_chain.h"
#include "src/engine/case_id.h"
#include "tests/matchers.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace scenarios {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// "HOLD [ATO-001 WITHDRAWAL_AFTER_CONTACT_CHANGE, ...]" for failure messages.
std::string Explain(const v1::Decision& decision) {
  std::vector<std::string> reasons;
  for (const v1::Reason& reason : decision.reasons()) {
    reasons.push_back(absl::StrCat(reason.rule_id().empty() ? "domain" : reason.rule_id(),
                                   " ", reason.code(), " (",
                                   v1::ActionKind_Name(reason.action()), ")"));
  }
  return absl::StrCat(v1::DecisionOutcome_Name(decision.outcome()), " score ",
                      decision.risk_score(), " [", absl::StrJoin(reasons, ", "), "]");
}

std::vector<std::string> Codes(const v1::Decision& decision) {
  std::vector<std::string> codes;
  for (const v1::Reason& reason : decision.reasons()) codes.push_back(reason.code());
  return codes;
}

std::vector<v1::FactorKind> Factors(const v1::Decision& decision) {
  std::vector<v1::FactorKind> kinds;
  for (int kind : decision.required_factors()) kinds.push_back(static_cast<v1::FactorKind>(kind));
  return kinds;
}

const v1::Deposit* FindDeposit(const v1::Account& account, const std::string& id) {
  for (const v1::Deposit& d : account.deposits()) {
    if (d.deposit_id() == id) return &d;
  }
  return nullptr;
}

const v1::Withdrawal* FindWithdrawal(const v1::Account& account, const std::string& id) {
  for (const v1::Withdrawal& w : account.withdrawals()) {
    if (w.withdrawal_id() == id) return &w;
  }
  return nullptr;
}

bool HasRestriction(const v1::Account& account, v1::RestrictionKind kind) {
  for (const v1::Restriction& r : account.restrictions()) {
    if (r.kind() == kind && !r.has_until()) return true;
  }
  return false;
}

class ScenarioTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<v1::Policy> policy = LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
    ASSERT_THAT(policy, IsOk());
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*policy);
    ASSERT_THAT(engine, IsOk());
    engine_ = engine->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }

  // Sends `event` one minute after the previous one; the decision must come
  // back (a refusal is a decision, not an error).
  v1::EvaluateResponse Ok(v1::Event event) {
    d_.Advance(absl::Minutes(1));
    *event.mutable_occurred_at() = domain::ToProtoTime(d_.now());
    absl::StatusOr<v1::EvaluateResponse> response = d_.Send(event);
    EXPECT_THAT(response, IsOk()) << event.ShortDebugString();
    return response.ok() ? *response : v1::EvaluateResponse();
  }

  // The player logs in on the current device with password + authenticator.
  void LogInStrongly() {
    Ok(d_.Login(true));
    Ok(d_.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
    Ok(d_.Verified("f-totp", v1::FACTOR_KIND_TOTP));
  }

  // Opened 7 days ago; card deposit 3,000 yen and bank deposit 20,000 yen
  // settled; 18,000 yen staked (net +2,000); driving licence accepted
  // (DOCUMENTS_VERIFIED). Ends logged in strongly on the usual phone.
  void Seasoned(bool documents_verified = true) {
    ASSERT_EQ(Ok(d_.OpenJapaneseAccount()).decision().outcome(), v1::DECISION_OUTCOME_ALLOW);
    LogInStrongly();
    Ok(d_.DepositNewCard("d-card-1", 3000, "card-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    Ok(d_.Settled("d-card-1"));
    Ok(d_.DepositNewBank("d-bank-1", 20000, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    Ok(d_.Settled("d-bank-1"));
    Ok(d_.Wager("g-1", 10000, 14000));
    Ok(d_.Wager("g-2", 8000, 6000));
    if (documents_verified) {
      Ok(d_.KycDocument("doc-1"));
      Ok(d_.KycAccepted("doc-1", v1::KYC_LEVEL_DOCUMENTS_VERIFIED));
    }
    d_.Advance(absl::Hours(24 * 7));
    LogInStrongly();
    ASSERT_EQ(d_.account().balances().cash().minor_units(), 25000);
    ASSERT_THAT(d_.account().cases(), IsEmpty());
  }

  static Engine* engine_;
  ScenarioDriver d_{engine_, "acct-1", ScenarioStart()};
};

Engine* ScenarioTest::engine_ = nullptr;

TEST_F(ScenarioTest, SeasonedAccountWithdrawsToItsBankAccount) {
  Seasoned();
  const v1::EvaluateResponse r = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(r.decision());
  const v1::Withdrawal* w = FindWithdrawal(r.account(), "w-1");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->state(), v1::WITHDRAWAL_STATE_APPROVED);
  EXPECT_EQ(r.account().balances().cash().minor_units(), 15000);
  EXPECT_EQ(r.account().balances().reserved().minor_units(), 10000);
}

// Withdrawal 2 h after an e-mail change, from a device never seen before:
// held (the 48 h cool-down) and challenged for app approval or an
// authenticator code.
TEST_F(ScenarioTest, WithdrawalAfterEmailChangeFromNewDeviceIsHeldAndChallenged) {
  Seasoned();
  const v1::EvaluateResponse change = Ok(d_.EmailChange("taro.new@example.jp"));
  ASSERT_EQ(change.decision().outcome(), v1::DECISION_OUTCOME_ALLOW)
      << Explain(change.decision());
  ASSERT_EQ(change.account().profile().email(), "taro.new@example.jp");

  // Two hours later a withdrawal is the first thing seen from a new device
  // (the session's verifications, 2 h old, still satisfy the withdrawal's
  // own L1 requirement).
  d_.Advance(absl::Hours(2));
  d_.UseDevice("dev-unknown");
  const v1::Account before = d_.account();
  const v1::EvaluateResponse r = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  const v1::Decision& decision = r.decision();

  EXPECT_EQ(decision.outcome(), v1::DECISION_OUTCOME_HOLD) << Explain(decision);
  EXPECT_THAT(Factors(decision),
              ElementsAre(v1::FACTOR_KIND_TOTP, v1::FACTOR_KIND_APP_APPROVAL));
  EXPECT_THAT(Codes(decision), Contains("WITHDRAWAL_AFTER_CONTACT_CHANGE"));  // ATO-001
  EXPECT_THAT(Codes(decision), Contains("NEW_DEVICE_AFTER_CONTACT_CHANGE"));  // ATO-002
  EXPECT_THAT(Codes(decision), Contains("WITHDRAWAL_HOLD_AFTER_CHANGE"));     // domain
  // The withdrawal waits for the factor; the money is set aside, not paid.
  const v1::Withdrawal* w = FindWithdrawal(r.account(), "w-1");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->state(), v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);
  EXPECT_EQ(r.account().balances().cash().minor_units(),
            before.balances().cash().minor_units() - 10000);
  EXPECT_EQ(r.account().balances().reserved().minor_units(), 10000);
  EXPECT_TRUE(decision.case_id().empty());

  // After app approval on the new device, the next withdrawal is not held by
  // the change any more.
  Ok(d_.Verified("f-app", v1::FACTOR_KIND_APP_APPROVAL));
  const v1::EvaluateResponse again = Ok(d_.Withdrawal("w-2", 2000, "bank-1"));
  EXPECT_THAT(Codes(again.decision()), Not(Contains("WITHDRAWAL_HOLD_AFTER_CHANGE")))
      << Explain(again.decision());
  EXPECT_THAT(Codes(again.decision()), Not(Contains("WITHDRAWAL_AFTER_CONTACT_CHANGE")));
}

// The same with a password login on the new device first (so the device is
// no longer new when the withdrawal comes): the domain's 48 h hold still
// holds it and names the enrolled release factors.
TEST_F(ScenarioTest, WithdrawalAfterEmailChangeIsHeldEvenAfterALoginOnTheNewDevice) {
  Seasoned();
  Ok(d_.EmailChange("taro.new@example.jp"));
  d_.Advance(absl::Hours(2));
  d_.UseDevice("dev-unknown");
  Ok(d_.Login(true));
  Ok(d_.Verified("f-pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB));
  const v1::EvaluateResponse r = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_HOLD) << Explain(r.decision());
  EXPECT_THAT(Factors(r.decision()),
              ElementsAre(v1::FACTOR_KIND_TOTP, v1::FACTOR_KIND_APP_APPROVAL));
  EXPECT_THAT(Codes(r.decision()), Contains("WITHDRAWAL_HOLD_AFTER_CHANGE"));
  // The device is no longer new (the login registered it), but it was first
  // seen 2 h ago: the new-device rules still see it.
  EXPECT_THAT(Codes(r.decision()), Contains("NEW_DEVICE_AFTER_CONTACT_CHANGE"));  // ATO-002
  EXPECT_THAT(Codes(r.decision()), Contains("WITHDRAWAL_NEW_DEVICE"));            // ATO-008
  EXPECT_EQ(FindWithdrawal(r.account(), "w-1")->state(),
            v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);
}

// The account-takeover sequence as it really happens: the attacker logs in
// from their own device (password + the e-mail link they control), changes
// the e-mail from there, and asks for a payout two hours later.
TEST_F(ScenarioTest, TakeoverLoginThenContactChangeThenWithdrawalIsHeldAndChallenged) {
  Seasoned();
  d_.Advance(absl::Hours(3));
  d_.UseDevice("dev-attacker");
  Ok(d_.Login(true));
  Ok(d_.Verified("f-pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB));
  Ok(d_.Verified("f-email", v1::FACTOR_KIND_EMAIL_LINK, v1::CHANNEL_WEB));
  const v1::EvaluateResponse change = Ok(d_.EmailChange("attacker@example.net"));
  ASSERT_EQ(change.decision().outcome(), v1::DECISION_OUTCOME_ALLOW)
      << Explain(change.decision());

  d_.Advance(absl::Hours(2));
  const int64_t cash = d_.account().balances().cash().minor_units();
  const v1::EvaluateResponse r = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  const v1::Decision& decision = r.decision();
  EXPECT_EQ(decision.outcome(), v1::DECISION_OUTCOME_HOLD) << Explain(decision);
  EXPECT_THAT(Factors(decision),
              ElementsAre(v1::FACTOR_KIND_TOTP, v1::FACTOR_KIND_APP_APPROVAL));
  EXPECT_THAT(Codes(decision), Contains("WITHDRAWAL_AFTER_CONTACT_CHANGE"));  // ATO-001
  EXPECT_THAT(Codes(decision), Contains("NEW_DEVICE_AFTER_CONTACT_CHANGE"));  // ATO-002
  EXPECT_THAT(Codes(decision), Contains("WITHDRAWAL_NEW_DEVICE"));            // ATO-008
  EXPECT_THAT(Codes(decision), Contains("WITHDRAWAL_HOLD_AFTER_CHANGE"));     // domain
  const v1::Withdrawal* w = FindWithdrawal(r.account(), "w-1");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->state(), v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);
  EXPECT_EQ(r.account().balances().cash().minor_units(), cash - 10000);

  // The owner's own phone, same timing: the cool-down holds it, the
  // new-device rules do not fire (the phone is the account's first device).
  ScenarioDriver owner(engine_, "acct-2", ScenarioStart());
  std::swap(d_, owner);
  Seasoned();
  Ok(d_.EmailChange("taro.new@example.jp"));
  d_.Advance(absl::Hours(2));
  const v1::EvaluateResponse own = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  EXPECT_EQ(own.decision().outcome(), v1::DECISION_OUTCOME_HOLD) << Explain(own.decision());
  EXPECT_THAT(Codes(own.decision()), Contains("WITHDRAWAL_AFTER_CONTACT_CHANGE"));
  EXPECT_THAT(Codes(own.decision()), Not(Contains("NEW_DEVICE_AFTER_CONTACT_CHANGE")));
  EXPECT_THAT(Codes(own.decision()), Not(Contains("WITHDRAWAL_NEW_DEVICE")));
}

// ATO-001 follows the policy's cool-down (security.withdrawal_hold_after_
// contact_change), not a number written in the rule.
TEST_F(ScenarioTest, ContactChangeCooldownRuleFollowsThePolicyTiming) {
  absl::StatusOr<v1::Policy> policy = LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
  ASSERT_THAT(policy, IsOk());
  for (int hours : {24, 72}) {
    policy->mutable_security()->mutable_withdrawal_hold_after_contact_change()->set_seconds(
        hours * 3600);
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*policy);
    ASSERT_THAT(engine, IsOk());
    d_ = ScenarioDriver(engine->get(), "acct-1", ScenarioStart());
    Seasoned();
    Ok(d_.EmailChange("taro.new@example.jp"));
    // 50 h later, logged in with the password only (no possession factor
    // since the change): past a 24 h cool-down, inside a 72 h one.
    d_.Advance(absl::Hours(50));
    Ok(d_.Login(true));
    Ok(d_.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
    const v1::EvaluateResponse r = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
    if (hours == 24) {
      EXPECT_THAT(Codes(r.decision()), Not(Contains("WITHDRAWAL_AFTER_CONTACT_CHANGE")))
          << Explain(r.decision());
      EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(r.decision());
    } else {
      EXPECT_THAT(Codes(r.decision()), Contains("WITHDRAWAL_AFTER_CONTACT_CHANGE"))
          << Explain(r.decision());
      EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_HOLD) << Explain(r.decision());
    }
  }
}

// Signing up is not a password change: a new player's first withdrawal is
// not held by ATO-003 or the domain's password cool-down.
TEST_F(ScenarioTest, NewPlayersSignUpPasswordDoesNotHoldTheFirstWithdrawal) {
  ASSERT_EQ(Ok(d_.OpenJapaneseAccount()).decision().outcome(), v1::DECISION_OUTCOME_ALLOW);
  EXPECT_FALSE(d_.account().security().has_password_changed_at());
  Ok(d_.Login(true));
  Ok(d_.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
  Ok(d_.DepositNewBank("d-1", 20000, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
  Ok(d_.Settled("d-1"));
  Ok(d_.Wager("g-1", 20000, 26000));
  Ok(d_.KycDocument("doc-1"));
  Ok(d_.KycAccepted("doc-1", v1::KYC_LEVEL_DOCUMENTS_VERIFIED));
  const v1::EvaluateResponse r = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  EXPECT_THAT(Codes(r.decision()), Not(Contains("WITHDRAWAL_AFTER_PASSWORD_CHANGE")))
      << Explain(r.decision());
  EXPECT_THAT(Codes(r.decision()), Not(Contains("WITHDRAWAL_HOLD_AFTER_CHANGE")));
  EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(r.decision());

  // A real password change does start the cool-down.
  LogInStrongly();
  ASSERT_EQ(Ok(d_.PasswordChange()).decision().outcome(), v1::DECISION_OUTCOME_ALLOW);
  const v1::EvaluateResponse after = Ok(d_.Withdrawal("w-2", 5000, "bank-1"));
  EXPECT_THAT(Codes(after.decision()), Contains("WITHDRAWAL_AFTER_PASSWORD_CHANGE"))
      << Explain(after.decision());
  EXPECT_EQ(after.decision().outcome(), v1::DECISION_OUTCOME_HOLD);
}

TEST_F(ScenarioTest, WithdrawalAfterTheCoolDownIsNotHeld) {
  Seasoned();
  Ok(d_.EmailChange("taro.new@example.jp"));
  d_.Advance(absl::Hours(49));
  LogInStrongly();
  const v1::EvaluateResponse r = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(r.decision());
}

// A password reset asked for over the phone is refused and routed to an
// e-mail link or app approval; the same request in the app goes ahead.
TEST_F(ScenarioTest, PasswordResetByPhoneIsRefusedAndRouted) {
  Seasoned();
  const v1::Account before = d_.account();
  const v1::EvaluateResponse r = Ok(
      d_.PasswordReset(v1::CHANNEL_PHONE, v1::PASSWORD_RESET_METHOD_AGENT_ASSISTED));
  const v1::Decision& decision = r.decision();
  EXPECT_EQ(decision.outcome(), v1::DECISION_OUTCOME_DENY) << Explain(decision);
  ASSERT_GE(decision.reasons_size(), 1);
  EXPECT_EQ(decision.reasons(0).code(), "PASSWORD_RESET_CHANNEL_REFUSED");
  EXPECT_THAT(decision.reasons(0).message(), HasSubstr("e-mail reset link"));
  EXPECT_THAT(decision.reasons(0).message(), HasSubstr("app approval"));
  EXPECT_THAT(Codes(decision), Contains("PASSWORD_RESET_NOT_BY_PHONE"));  // SEC-001
  // Nothing was reset or recorded as requested.
  EXPECT_EQ(r.account().version(), before.version());
  EXPECT_TRUE(MessageDifferencer::Equals(r.account(), before));

  // During a call the agent may send a reset link (BASIC tier), never reset it.
  const v1::EvaluateResponse by_agent =
      Ok(d_.SupportAction("call-1", v1::SUPPORT_ACTION_RESET_PASSWORD,
                          ScenarioDriver::NameAndBirthDate()));
  // (no reset_method: refused, the agent must pick a link or app approval)
  EXPECT_EQ(by_agent.decision().outcome(), v1::DECISION_OUTCOME_DENY)
      << Explain(by_agent.decision());

  v1::Event agent_reset = d_.SupportAction("call-1", v1::SUPPORT_ACTION_RESET_PASSWORD,
                                           ScenarioDriver::NameAndBirthDate());
  agent_reset.mutable_support_action_request()->set_reset_method(
      v1::PASSWORD_RESET_METHOD_AGENT_ASSISTED);
  const v1::EvaluateResponse assisted = Ok(agent_reset);
  EXPECT_EQ(assisted.decision().outcome(), v1::DECISION_OUTCOME_DENY);
  EXPECT_THAT(Codes(assisted.decision()), Contains("AGENT_PASSWORD_RESET_REFUSED"));  // SEC-002

  v1::Event link_reset = d_.SupportAction("call-1", v1::SUPPORT_ACTION_RESET_PASSWORD,
                                          ScenarioDriver::NameAndBirthDate());
  link_reset.mutable_support_action_request()->set_reset_method(
      v1::PASSWORD_RESET_METHOD_EMAIL_LINK);
  const v1::EvaluateResponse link = Ok(link_reset);
  EXPECT_EQ(link.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(link.decision());

  // The player asks in the app for an e-mail link: not refused.
  const v1::EvaluateResponse in_app =
      Ok(d_.PasswordReset(v1::CHANNEL_APP, v1::PASSWORD_RESET_METHOD_EMAIL_LINK));
  EXPECT_NE(in_app.decision().outcome(), v1::DECISION_OUTCOME_DENY)
      << Explain(in_app.decision());
}

// A caller who proves only name and date of birth gets the BASIC tier, which
// does not include lifting a restriction.
TEST_F(ScenarioTest, CallerWithOnlyNameAndBirthDateGetsBasicTierAndCannotLiftRestriction) {
  Seasoned();
  // A chargeback after the money was played away leaves cash negative: the
  // account is restricted.
  Ok(d_.Wager("g-3", 25000, 0));
  const v1::EvaluateResponse cb = Ok(d_.Chargeback("d-bank-1"));
  ASSERT_TRUE(HasRestriction(cb.account(), v1::RESTRICTION_KIND_NEGATIVE_BALANCE));

  const v1::EvaluateResponse call =
      Ok(d_.SupportCall("call-1", ScenarioDriver::NameAndBirthDate()));
  EXPECT_EQ(call.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(call.decision());
  EXPECT_EQ(call.decision().disclosure_tier(), v1::DISCLOSURE_TIER_BASIC);
  EXPECT_THAT(call.decision().allowed_support_actions(),
              Not(Contains(v1::SUPPORT_ACTION_LIFT_RESTRICTION)));
  EXPECT_THAT(call.decision().allowed_support_actions(),
              Not(Contains(v1::SUPPORT_ACTION_DISCLOSE_BALANCE)));

  const v1::Account before = d_.account();
  v1::Event lift = d_.SupportAction("call-1", v1::SUPPORT_ACTION_LIFT_RESTRICTION,
                                    ScenarioDriver::NameAndBirthDate(), {},
                                    v1::AGENT_ROLE_PAYMENTS_OFFICER);
  lift.mutable_support_action_request()->set_restriction(
      v1::RESTRICTION_KIND_NEGATIVE_BALANCE);
  const v1::EvaluateResponse r = Ok(lift);
  EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_DENY) << Explain(r.decision());
  EXPECT_THAT(Codes(r.decision()), Contains("SUPPORT_ACTION_NOT_PERMITTED"));
  EXPECT_EQ(r.decision().disclosure_tier(), v1::DISCLOSURE_TIER_BASIC);
  EXPECT_TRUE(HasRestriction(r.account(), v1::RESTRICTION_KIND_NEGATIVE_BALANCE));
  EXPECT_EQ(r.account().status(), before.status());

  // With the registered e-mail as well the caller reaches STANDARD.
  v1::CallerClaims more = ScenarioDriver::NameAndBirthDate();
  more.set_email("TARO@example.jp");
  const v1::EvaluateResponse standard = Ok(d_.SupportCall("call-2", more));
  EXPECT_EQ(standard.decision().disclosure_tier(), v1::DISCLOSURE_TIER_STANDARD);
  EXPECT_THAT(standard.decision().allowed_support_actions(),
              Contains(v1::SUPPORT_ACTION_DISCLOSE_BALANCE));
}

// Card holder name: half-width katakana against the registered full-width
// kana is the same name; a different name is declined.
TEST_F(ScenarioTest, CardHolderNameMatchesAcrossKanaWidthsAndRefusesAnotherName) {
  Seasoned();
  const v1::EvaluateResponse kana = Ok(d_.DepositNewCard("d-2", 3000, "card-2", "ﾔﾏﾀﾞ ﾀﾛｳ"));
  EXPECT_EQ(kana.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(kana.decision());
  ASSERT_NE(FindDeposit(kana.account(), "d-2"), nullptr);
  // 3-D Secure: 26,000 yen since the last strong authentication (> 16,000).
  EXPECT_EQ(FindDeposit(kana.account(), "d-2")->state(),
            v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION);

  const int64_t cash = d_.account().balances().cash().minor_units();
  const v1::EvaluateResponse other =
      Ok(d_.DepositNewCard("d-3", 3000, "card-3", "JOHN SMITH"));
  EXPECT_EQ(other.decision().outcome(), v1::DECISION_OUTCOME_DENY) << Explain(other.decision());
  EXPECT_THAT(Codes(other.decision()), Contains("HOLDER_NAME_MISMATCH"));  // PAY-001
  ASSERT_NE(FindDeposit(other.account(), "d-3"), nullptr);
  EXPECT_EQ(FindDeposit(other.account(), "d-3")->state(), v1::DEPOSIT_STATE_DECLINED);
  EXPECT_EQ(other.account().balances().cash().minor_units(), cash);
  // The provider cannot settle a declined deposit.
  EXPECT_THAT(d_.Send(d_.Settled("d-3")), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(d_.account().balances().cash().minor_units(), cash);
}

// The player's daily deposit limit, and the payment method's daily maximum.
TEST_F(ScenarioTest, DepositOverTheDailyLimitIsDeclined) {
  Seasoned();
  const v1::EvaluateResponse limit = Ok(d_.DepositLimit(v1::LIMIT_PERIOD_DAILY, 10000));
  ASSERT_EQ(limit.decision().outcome(), v1::DECISION_OUTCOME_ALLOW);
  Ok(d_.Deposit("d-2", 6000, "bank-1"));
  Ok(d_.Settled("d-2"));
  const int64_t cash = d_.account().balances().cash().minor_units();

  const v1::EvaluateResponse over = Ok(d_.Deposit("d-3", 5000, "bank-1"));
  EXPECT_EQ(over.decision().outcome(), v1::DECISION_OUTCOME_DENY) << Explain(over.decision());
  EXPECT_THAT(Codes(over.decision()), Contains("DEPOSIT_LIMIT_REACHED"));
  EXPECT_EQ(FindDeposit(over.account(), "d-3")->state(), v1::DEPOSIT_STATE_DECLINED);
  EXPECT_EQ(over.account().balances().cash().minor_units(), cash);

  // Within the limit: fine.
  const v1::EvaluateResponse within = Ok(d_.Deposit("d-4", 4000, "bank-1"));
  EXPECT_EQ(within.decision().outcome(), v1::DECISION_OUTCOME_ALLOW)
      << Explain(within.decision());
}

TEST_F(ScenarioTest, DepositOverThePaymentMethodsDailyMaximumIsDeclined) {
  Seasoned();
  // Card: 300,000 yen per payment, 500,000 yen a day (default policy).
  const v1::EvaluateResponse first = Ok(d_.Deposit("d-2", 300000, "card-1"));
  ASSERT_NE(first.decision().outcome(), v1::DECISION_OUTCOME_DENY) << Explain(first.decision());
  Ok(d_.Authenticated("d-2"));
  Ok(d_.Settled("d-2"));
  const v1::EvaluateResponse second = Ok(d_.Deposit("d-3", 250000, "card-1"));
  EXPECT_EQ(second.decision().outcome(), v1::DECISION_OUTCOME_DENY)
      << Explain(second.decision());
  EXPECT_EQ(FindDeposit(second.account(), "d-3")->state(), v1::DEPOSIT_STATE_DECLINED);
}

// Raising a limit takes effect only after the 24 h cooling-off; lowering it
// applies at once.
TEST_F(ScenarioTest, LimitIncreaseTakesEffectOnlyAfter24Hours) {
  Seasoned();
  Ok(d_.DepositLimit(v1::LIMIT_PERIOD_DAILY, 10000));
  const v1::EvaluateResponse raise = Ok(d_.DepositLimit(v1::LIMIT_PERIOD_DAILY, 50000));
  EXPECT_EQ(raise.decision().outcome(), v1::DECISION_OUTCOME_ALLOW);
  const v1::DepositLimit& pending = raise.account().responsible_gambling().deposit_limits(0);
  EXPECT_EQ(pending.amount().minor_units(), 10000);
  EXPECT_EQ(pending.pending_amount().minor_units(), 50000);
  EXPECT_EQ(domain::FromProtoTime(pending.pending_effective_at()),
            d_.now() + absl::Hours(24));

  d_.Advance(absl::Hours(23));
  LogInStrongly();
  const v1::EvaluateResponse early = Ok(d_.Deposit("d-2", 20000, "bank-1"));
  EXPECT_EQ(early.decision().outcome(), v1::DECISION_OUTCOME_DENY)
      << Explain(early.decision());
  EXPECT_THAT(Codes(early.decision()), Contains("DEPOSIT_LIMIT_REACHED"));

  d_.Advance(absl::Hours(1));
  // (It also takes 30-day net deposits over the vulnerability threshold: a
  // flag, not an outcome — the deposit is allowed.)
  const v1::EvaluateResponse later = Ok(d_.Deposit("d-3", 20000, "bank-1"));
  EXPECT_THAT(Codes(later.decision()), Not(Contains("DEPOSIT_LIMIT_REACHED")))
      << Explain(later.decision());
  EXPECT_EQ(later.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(later.decision());
  EXPECT_THAT(later.decision().tags(), Contains("rg.financial_vulnerability_review"));
  EXPECT_EQ(FindDeposit(later.account(), "d-3")->state(), v1::DEPOSIT_STATE_PENDING);

  // Lowering applies at once.
  Ok(d_.DepositLimit(v1::LIMIT_PERIOD_DAILY, 5000));
  const v1::EvaluateResponse lowered = Ok(d_.Deposit("d-4", 6000, "bank-1"));
  EXPECT_EQ(lowered.decision().outcome(), v1::DECISION_OUTCOME_DENY)
      << Explain(lowered.decision());
}

TEST_F(ScenarioTest, SelfExcludedDepositIsDenied) {
  Seasoned();
  const v1::EvaluateResponse excluded = Ok(d_.SelfExclude(6));
  ASSERT_EQ(excluded.decision().outcome(), v1::DECISION_OUTCOME_ALLOW);
  ASSERT_EQ(excluded.account().status(), v1::ACCOUNT_STATUS_SELF_EXCLUDED);
  const int64_t cash = d_.account().balances().cash().minor_units();

  const v1::EvaluateResponse r = Ok(d_.Deposit("d-2", 3000, "bank-1"));
  EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_DENY) << Explain(r.decision());
  EXPECT_THAT(Codes(r.decision()), Contains("SELF_EXCLUDED"));
  EXPECT_THAT(Codes(r.decision()), Contains("DEPOSIT_WHILE_EXCLUDED"));  // PAY-002
  EXPECT_EQ(r.account().balances().cash().minor_units(), cash);
  EXPECT_EQ(FindDeposit(r.account(), "d-2")->state(), v1::DEPOSIT_STATE_DECLINED);

  // Play is refused too.
  const v1::EvaluateResponse wager = Ok(d_.Wager("g-9", 1000, 0));
  EXPECT_EQ(wager.decision().outcome(), v1::DECISION_OUTCOME_DENY);
  EXPECT_EQ(wager.account().balances().cash().minor_units(), cash);
}

TEST_F(ScenarioTest, WithdrawalWithoutVerifiedDocumentsWaitsForVerification) {
  Seasoned(/*documents_verified=*/false);
  const v1::EvaluateResponse r = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_HOLD) << Explain(r.decision());
  EXPECT_THAT(Codes(r.decision()), Contains("KYC_DOCUMENTS_REQUIRED"));
  const v1::Withdrawal* w = FindWithdrawal(r.account(), "w-1");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->state(), v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);
  EXPECT_EQ(w->hold_reason(), "KYC_DOCUMENTS_REQUIRED");
  EXPECT_EQ(r.account().balances().reserved().minor_units(), 10000);
}

// Closed loop: a payout to an instrument that never completed a deposit.
TEST_F(ScenarioTest, PayoutToADestinationNeverUsedToDepositIsReviewed) {
  Seasoned();
  // A second bank account registered by a deposit that never settled.
  const v1::EvaluateResponse pending =
      Ok(d_.DepositNewBank("d-2", 5000, "bank-2", "ﾔﾏﾀﾞ ﾀﾛｳ"));
  ASSERT_EQ(pending.decision().outcome(), v1::DECISION_OUTCOME_ALLOW);
  const v1::EvaluateResponse r = Ok(d_.Withdrawal("w-1", 10000, "bank-2"));
  const v1::Decision& decision = r.decision();
  EXPECT_EQ(decision.outcome(), v1::DECISION_OUTCOME_REVIEW) << Explain(decision);
  EXPECT_THAT(Codes(decision), Contains("PAYOUT_TO_NON_DEPOSIT_SOURCE"));  // WD-002
  EXPECT_TRUE(engine::IsWellFormedCaseId(decision.case_id())) << decision.case_id();
  const v1::Withdrawal* w = FindWithdrawal(r.account(), "w-1");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->state(), v1::WITHDRAWAL_STATE_PENDING_REVIEW);
  EXPECT_EQ(w->case_id(), decision.case_id());
  ASSERT_EQ(r.account().cases_size(), 1);
  EXPECT_EQ(r.account().cases(0).case_id(), decision.case_id());
  EXPECT_EQ(r.account().cases(0).kind(), v1::CASE_KIND_FRAUD_REVIEW);

  // The same payout to the bank account that deposited goes through.
  const v1::EvaluateResponse home = Ok(d_.Withdrawal("w-2", 5000, "bank-1"));
  EXPECT_EQ(home.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(home.decision());
}

// A caller pushing for an urgent payout: refused now, handed to security
// with a case id, the account put on a security hold.
TEST_F(ScenarioTest, UrgentPhoneWithdrawalWithPressureIsEscalatedWithACaseId) {
  Seasoned();
  Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  v1::CallerClaims claims = ScenarioDriver::NameAndBirthDate();
  claims.set_email("taro@example.jp");
  v1::Event expedite = d_.SupportAction("call-1", v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL,
                                        claims, {v1::CALL_FLAG_URGENCY_PRESSURE});
  expedite.mutable_support_action_request()->set_withdrawal_id("w-1");
  const v1::EvaluateResponse r = Ok(expedite);
  const v1::Decision& decision = r.decision();
  EXPECT_EQ(decision.outcome(), v1::DECISION_OUTCOME_ESCALATE) << Explain(decision);
  EXPECT_THAT(Codes(decision), Contains("URGENT_PHONE_WITHDRAWAL"));  // CALL-001
  EXPECT_TRUE(engine::IsWellFormedCaseId(decision.case_id())) << decision.case_id();
  absl::StatusOr<std::string> expected =
      engine::MakeCaseId(d_.account_id(), expedite.event_id());
  ASSERT_THAT(expected, IsOk());
  EXPECT_EQ(decision.case_id(), *expected);

  ASSERT_EQ(r.account().cases_size(), 1);
  EXPECT_EQ(r.account().cases(0).case_id(), decision.case_id());
  EXPECT_EQ(r.account().cases(0).kind(), v1::CASE_KIND_SECURITY);
  EXPECT_EQ(r.account().status(), v1::ACCOUNT_STATUS_SUSPENDED);
  EXPECT_TRUE(HasRestriction(r.account(), v1::RESTRICTION_KIND_SECURITY_HOLD));
  // The withdrawal was not expedited.
  EXPECT_FALSE(FindWithdrawal(r.account(), "w-1")->expedited());

  // While on hold, the player cannot move money.
  LogInStrongly();
  const v1::EvaluateResponse blocked = Ok(d_.Withdrawal("w-2", 3000, "bank-1"));
  EXPECT_EQ(blocked.decision().outcome(), v1::DECISION_OUTCOME_DENY);
  EXPECT_THAT(Codes(blocked.decision()), Contains("ACCOUNT_SUSPENDED"));
}

// The same event id twice: the second is refused as already applied and
// credits nothing (the store, a later issue, returns the recorded decision).
TEST_F(ScenarioTest, DuplicateEventIdIsRefusedAndCreditsOnce) {
  Seasoned();
  Ok(d_.Deposit("d-2", 4000, "bank-1"));
  const v1::Event settle = d_.Settled("d-2");
  const v1::EvaluateResponse first = Ok(settle);
  ASSERT_EQ(first.decision().outcome(), v1::DECISION_OUTCOME_ALLOW);
  const v1::Account after_first = d_.account();
  EXPECT_EQ(after_first.balances().cash().minor_units(), 29000);

  EXPECT_THAT(d_.Send(settle), StatusIs(absl::StatusCode::kAlreadyExists,
                                        HasSubstr("event.event_id")));
  EXPECT_TRUE(MessageDifferencer::Equals(d_.account(), after_first));

  // Resent later (after other events): the deposit is already COMPLETED, so
  // the transition is refused and nothing is credited twice.
  Ok(d_.Wager("g-3", 1000, 0));
  const v1::Account before_resend = d_.account();
  EXPECT_THAT(d_.Send(settle), Not(IsOk()));
  EXPECT_TRUE(MessageDifferencer::Equals(d_.account(), before_resend));
  EXPECT_EQ(d_.account().balances().cash().minor_units(), 28000);
}

TEST_F(ScenarioTest, ChargebackOnACompletedDepositDebitsCashAndRestrictsWhenNegative) {
  Seasoned();
  // Cash 25,000: a chargeback of the 3,000 yen card deposit keeps it positive.
  const v1::EvaluateResponse small = Ok(d_.Chargeback("d-card-1"));
  EXPECT_EQ(small.account().balances().cash().minor_units(), 22000);
  EXPECT_EQ(FindDeposit(small.account(), "d-card-1")->state(), v1::DEPOSIT_STATE_REVERSED);
  EXPECT_FALSE(HasRestriction(small.account(), v1::RESTRICTION_KIND_NEGATIVE_BALANCE));
  EXPECT_EQ(small.account().status(), v1::ACCOUNT_STATUS_ACTIVE);

  // Play most of it away, then the bank deposit is charged back: negative.
  Ok(d_.Wager("g-3", 15000, 0));
  const v1::EvaluateResponse big = Ok(d_.Chargeback("d-bank-1"));
  EXPECT_EQ(big.account().balances().cash().minor_units(), 7000 - 20000);
  EXPECT_TRUE(HasRestriction(big.account(), v1::RESTRICTION_KIND_NEGATIVE_BALANCE));
  EXPECT_EQ(big.account().status(), v1::ACCOUNT_STATUS_RESTRICTED);
  bool cash_change = false;
  for (const v1::StateChange& change : big.decision().state_changes()) {
    if (change.kind() == v1::STATE_CHANGE_KIND_CASH) {
      cash_change = true;
      EXPECT_EQ(change.delta().minor_units(), -20000);
    }
  }
  EXPECT_TRUE(cash_change);
  // The charged-back instrument is blocked: a deposit with it is refused.
  const v1::EvaluateResponse blocked = Ok(d_.Deposit("d-2", 4000, "bank-1"));
  EXPECT_EQ(blocked.decision().outcome(), v1::DECISION_OUTCOME_DENY);
  EXPECT_THAT(Codes(blocked.decision()), Contains("INSTRUMENT_NOT_ACTIVE"));
  EXPECT_EQ(FindDeposit(blocked.account(), "d-2"), nullptr);
  // A chargeback on a deposit that never completed is an impossible transition.
  Ok(d_.DepositNewBank("d-3", 4000, "bank-2", "ﾔﾏﾀﾞ ﾀﾛｳ"));
  const v1::Account before = d_.account();
  EXPECT_THAT(d_.Send(d_.Chargeback("d-3")), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(MessageDifferencer::Equals(d_.account(), before));
}

// Financial vulnerability (net deposits >= 150 GBP equivalent in 30 days,
// 28,236 yen at the policy's rates) is a flag for the responsible-gambling
// team: the deposit and later play go ahead, and it never outranks a
// challenge another rule asked for.
TEST_F(ScenarioTest, FinancialVulnerabilityIsAFlagThatBlocksNothing) {
  Seasoned();  // 23,000 yen deposited in the last 30 days, nothing paid out
  // 5,235 more: 28,235 yen, 0.29 yen short of 150 GBP: no flag.
  const v1::EvaluateResponse below = Ok(d_.Deposit("d-2", 5235, "bank-1"));
  EXPECT_EQ(below.decision().outcome(), v1::DECISION_OUTCOME_ALLOW);
  EXPECT_THAT(below.decision().tags(), IsEmpty());
  Ok(d_.Settled("d-2"));
  // One yen more crosses it: flagged, allowed, credited, no case, play goes on.
  const v1::EvaluateResponse crossing = Ok(d_.Deposit("d-3", 1000, "bank-1"));
  EXPECT_EQ(crossing.decision().outcome(), v1::DECISION_OUTCOME_ALLOW)
      << Explain(crossing.decision());
  EXPECT_THAT(crossing.decision().tags(), ElementsAre("rg.financial_vulnerability_review"));
  EXPECT_THAT(crossing.account().cases(), IsEmpty());
  EXPECT_EQ(FindDeposit(crossing.account(), "d-3")->state(), v1::DEPOSIT_STATE_PENDING);
  Ok(d_.Settled("d-3"));
  const v1::EvaluateResponse play = Ok(d_.Wager("g-3", 2000, 0));
  EXPECT_EQ(play.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(play.decision());
  // Further deposits are not flagged again (only the crossing is).
  const v1::EvaluateResponse again = Ok(d_.Deposit("d-4", 1000, "bank-1"));
  EXPECT_THAT(again.decision().tags(), IsEmpty());
}

TEST_F(ScenarioTest, FinancialVulnerabilityFlagDoesNotHideAChallenge) {
  Seasoned();
  // A new card 10 minutes after an e-mail change: ATO-005 asks for a factor.
  // The same deposit crosses the vulnerability threshold.
  Ok(d_.EmailChange("taro.new@example.jp"));
  const v1::EvaluateResponse r = Ok(d_.DepositNewCard("d-2", 6000, "card-2", "ﾔﾏﾀﾞ ﾀﾛｳ"));
  EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_CHALLENGE) << Explain(r.decision());
  EXPECT_THAT(Codes(r.decision()), Contains("NEW_INSTRUMENT_AFTER_CONTACT_CHANGE"));
  EXPECT_THAT(r.decision().tags(), Contains("rg.financial_vulnerability_review"));
  EXPECT_EQ(FindDeposit(r.account(), "d-2")->state(), v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION);
}

// A REVIEW outranks a CHALLENGE in the outcome, but the factors the challenge
// asked for are still owed: the deposit waits for them (AWAITING_AUTHENTICATION)
// instead of going to the provider unauthenticated.
TEST_F(ScenarioTest, ReviewedDepositStillWaitsForTheFactorsAChallengeAskedFor) {
  Seasoned();
  for (const char* id : {"2", "3"}) {
    const std::string deposit = std::string("d-") + id;
    const v1::EvaluateResponse r =
        Ok(d_.DepositNewCard(deposit, 1000, std::string("card-") + id, "ﾔﾏﾀﾞ ﾀﾛｳ"));
    ASSERT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(r.decision());
    // The card's 3-D Secure (strong authentication every 5 payments).
    if (FindDeposit(r.account(), deposit)->state() == v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION) {
      Ok(d_.Authenticated(deposit));
    }
    Ok(d_.Settled(deposit));
  }
  // A third new card within 24 h (PAY-007: REVIEW), 10 minutes after an
  // e-mail change (ATO-005: a factor).
  Ok(d_.EmailChange("taro.new@example.jp"));
  const v1::EvaluateResponse r = Ok(d_.DepositNewCard("d-4", 1000, "card-4", "ﾔﾏﾀﾞ ﾀﾛｳ"));
  EXPECT_EQ(r.decision().outcome(), v1::DECISION_OUTCOME_REVIEW) << Explain(r.decision());
  EXPECT_THAT(Codes(r.decision()), Contains("INSTRUMENT_VELOCITY"));
  EXPECT_THAT(Codes(r.decision()), Contains("NEW_INSTRUMENT_AFTER_CONTACT_CHANGE"));
  EXPECT_GT(r.decision().required_factors_size(), 0);
  EXPECT_EQ(FindDeposit(r.account(), "d-4")->state(), v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION);
}

// A withdrawal parked for missing documents moves on when they are verified:
// to the payments review (the next step of the withdrawal path), where an
// officer approves it. A rejected document leaves it waiting.
TEST_F(ScenarioTest, VerifiedDocumentsReleaseAWithdrawalWaitingForThem) {
  Seasoned(/*documents_verified=*/false);
  const v1::EvaluateResponse held = Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  ASSERT_EQ(FindWithdrawal(held.account(), "w-1")->state(),
            v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);

  Ok(d_.KycDocument("doc-1"));
  v1::Event rejected = d_.KycAccepted("doc-1", v1::KYC_LEVEL_UNSPECIFIED);
  rejected.mutable_kyc_result()->set_status(v1::KYC_DOCUMENT_STATUS_REJECTED);
  rejected.mutable_kyc_result()->set_reason("blurred");
  const v1::EvaluateResponse no = Ok(rejected);
  EXPECT_EQ(FindWithdrawal(no.account(), "w-1")->state(),
            v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);

  Ok(d_.KycDocument("doc-2"));
  const v1::EvaluateResponse yes = Ok(d_.KycAccepted("doc-2", v1::KYC_LEVEL_DOCUMENTS_VERIFIED));
  const v1::Withdrawal* w = FindWithdrawal(yes.account(), "w-1");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->state(), v1::WITHDRAWAL_STATE_PENDING_REVIEW);
  EXPECT_EQ(w->hold_reason(), "KYC_DOCUMENTS_VERIFIED");
  EXPECT_EQ(yes.account().balances().reserved().minor_units(), 10000);
  bool reported = false;
  for (const v1::StateChange& change : yes.decision().state_changes()) {
    reported |= change.kind() == v1::STATE_CHANGE_KIND_WITHDRAWAL_STATE;
  }
  EXPECT_TRUE(reported);

  const v1::EvaluateResponse approved = Ok(d_.WithdrawalReviewed("w-1", true));
  EXPECT_EQ(approved.decision().outcome(), v1::DECISION_OUTCOME_ALLOW)
      << Explain(approved.decision());
  EXPECT_EQ(FindWithdrawal(approved.account(), "w-1")->state(), v1::WITHDRAWAL_STATE_APPROVED);
  // Approving it twice is an impossible transition; nothing changes.
  const v1::Account before = d_.account();
  EXPECT_THAT(d_.Send(d_.WithdrawalReviewed("w-1", true)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(MessageDifferencer::Equals(d_.account(), before));
}

// Failed logins: the lock puts a LOGIN_LOCKOUT restriction on the account
// (RESTRICTED) until it ends; a login after it brings the account back.
TEST_F(ScenarioTest, LoginLockoutRestrictsTheAccountUntilTheLockEnds) {
  Seasoned();
  for (int i = 0; i < 4; ++i) Ok(d_.Login(false));
  EXPECT_EQ(d_.account().status(), v1::ACCOUNT_STATUS_ACTIVE);
  const v1::EvaluateResponse locked = Ok(d_.Login(false));
  EXPECT_EQ(locked.account().status(), v1::ACCOUNT_STATUS_RESTRICTED);
  bool restricted = false;
  for (const v1::Restriction& r : locked.account().restrictions()) {
    if (r.kind() == v1::RESTRICTION_KIND_LOGIN_LOCKOUT) {
      restricted = true;
      EXPECT_EQ(domain::FromProtoTime(r.until()),
                domain::FromProtoTime(locked.account().security().locked_until()));
    }
  }
  EXPECT_TRUE(restricted);
  // While locked, the right password is refused.
  const v1::EvaluateResponse refused = Ok(d_.Login(true));
  EXPECT_EQ(refused.decision().outcome(), v1::DECISION_OUTCOME_DENY);
  EXPECT_THAT(Codes(refused.decision()), Contains("ACCOUNT_LOCKED"));
  EXPECT_EQ(refused.account().status(), v1::ACCOUNT_STATUS_RESTRICTED);

  d_.Advance(absl::Minutes(20));
  const v1::EvaluateResponse back = Ok(d_.Login(true));
  EXPECT_EQ(back.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(back.decision());
  EXPECT_EQ(back.account().status(), v1::ACCOUNT_STATUS_ACTIVE);
  EXPECT_FALSE(HasRestriction(back.account(), v1::RESTRICTION_KIND_LOGIN_LOCKOUT));
}

// 100 consecutive failed logins hard-lock the account (no end). Only a
// password reset through a possession factor clears it: an e-mail link, the
// reset request, the new password set without the old one.
TEST_F(ScenarioTest, HardLockIsClearedByAPasswordResetThroughAPossessionFactor) {
  Seasoned();
  for (int i = 0; i < 100; ++i) Ok(d_.Login(false));
  ASSERT_TRUE(d_.account().security().hard_locked());
  EXPECT_EQ(d_.account().status(), v1::ACCOUNT_STATUS_RESTRICTED);
  bool open_ended = false;
  for (const v1::Restriction& r : d_.account().restrictions()) {
    open_ended |= r.kind() == v1::RESTRICTION_KIND_LOGIN_LOCKOUT && !r.has_until();
  }
  EXPECT_TRUE(open_ended);

  d_.Advance(absl::Hours(6));
  EXPECT_EQ(Ok(d_.Login(true)).decision().outcome(), v1::DECISION_OUTCOME_DENY);
  // Not over the phone.
  const v1::EvaluateResponse phone =
      Ok(d_.PasswordReset(v1::CHANNEL_PHONE, v1::PASSWORD_RESET_METHOD_AGENT_ASSISTED));
  EXPECT_EQ(phone.decision().outcome(), v1::DECISION_OUTCOME_DENY);
  EXPECT_TRUE(phone.account().security().hard_locked());

  // The e-mail link, the reset request, the new password.
  Ok(d_.Verified("f-email", v1::FACTOR_KIND_EMAIL_LINK, v1::CHANNEL_WEB));
  const v1::EvaluateResponse request =
      Ok(d_.PasswordReset(v1::CHANNEL_APP, v1::PASSWORD_RESET_METHOD_EMAIL_LINK));
  ASSERT_EQ(request.decision().outcome(), v1::DECISION_OUTCOME_ALLOW)
      << Explain(request.decision());
  const v1::EvaluateResponse reset = Ok(d_.PasswordChange(/*current_password_verified=*/false));
  ASSERT_EQ(reset.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(reset.decision());
  EXPECT_FALSE(reset.account().security().hard_locked());
  EXPECT_EQ(reset.account().security().consecutive_failed_logins(), 0);
  EXPECT_EQ(reset.account().status(), v1::ACCOUNT_STATUS_ACTIVE);

  const v1::EvaluateResponse login = Ok(d_.Login(true));
  EXPECT_EQ(login.decision().outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(login.decision());
  // A reset is a password change; the authenticator after it releases the
  // cool-down.
  LogInStrongly();
  const v1::EvaluateResponse w = Ok(d_.Withdrawal("w-1", 5000, "bank-1"));
  EXPECT_THAT(Codes(w.decision()), Not(Contains("WITHDRAWAL_AFTER_PASSWORD_CHANGE")))
      << "re-verified with the authenticator after the reset: " << Explain(w.decision());
}

// Every scenario's decisions chain in the audit trail.
TEST_F(ScenarioTest, TheWholeHistoryVerifiesAsOneAuditChain) {
  Seasoned();
  Ok(d_.Withdrawal("w-1", 10000, "bank-1"));
  Ok(d_.DepositNewCard("d-3", 3000, "card-3", "JOHN SMITH"));
  ASSERT_GE(d_.records().size(), 15u);
  EXPECT_THAT(engine::VerifyAuditChain(d_.records(), {}), IsOk());
}

}  // namespace
}  // namespace scenarios
}  // namespace pitboss
