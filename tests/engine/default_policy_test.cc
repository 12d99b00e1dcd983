// The shipped default policy (examples/policy/default.textproto) parses, is
// valid, has the rules the issue's scenarios need, every field path and enum
// constant its CEL rules name exists in the schema, its cross-currency numbers
// are the stated equivalents at its own rates, and every rule fires in at
// least one realistic event sequence through the engine.
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/features.pb.h"
#include "pitboss/v1/policy.pb.h"
#include "src/engine/policy_options.h"
#include "src/engine/policy_validator.h"
#include "tests/matchers.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace engine {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::DescriptorPool;
using ::google::protobuf::FieldDescriptor;
using ::pitboss::testing::IsOk;
using ::testing::IsEmpty;

v1::Policy LoadDefaultPolicy() {
  const std::string path =
      std::string(PITBOSS_SOURCE_DIR) + "/examples/policy/default.textproto";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  v1::Policy policy;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text.str(), &policy)) << path;
  return policy;
}

TEST(DefaultPolicyTest, ParsesAndValidates) {
  const v1::Policy policy = LoadDefaultPolicy();
  EXPECT_THAT(FindPolicyProblems(policy), IsEmpty());
  EXPECT_GE(policy.rules_size(), 25);
  int shadow = 0;
  for (const v1::FraudRule& rule : policy.rules()) {
    EXPECT_FALSE(rule.description().empty()) << rule.id();
    EXPECT_FALSE(rule.reason_code().empty()) << rule.id();
    // A message for the agent or player, apart from the analyst's description.
    EXPECT_FALSE(rule.message().empty()) << rule.id();
    // Shadow rules say so, in their id and their description, so nobody reads
    // a trial as an enforced rule.
    const bool shadow_rule = rule.mode() == v1::RULE_MODE_SHADOW;
    EXPECT_EQ(shadow_rule, absl::StartsWith(rule.id(), "SHADOW-")) << rule.id();
    EXPECT_EQ(shadow_rule, absl::StartsWith(rule.description(), "Trial (shadow):"))
        << rule.id();
    if (shadow_rule) ++shadow;
  }
  EXPECT_GE(shadow, 1);
}

TEST(DefaultPolicyTest, StatesDesignDefaults) {
  absl::StatusOr<PolicyOptions> options = ResolvePolicyOptions(LoadDefaultPolicy());
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->limits.cooling_off, absl::Hours(24));
  EXPECT_EQ(options->limits.minimum_self_exclusion_months, 6);
  EXPECT_EQ(options->security.withdrawal_hold_after_contact_change, absl::Hours(48));
  EXPECT_EQ(options->lockout.max_failures_in_window, 5);
  EXPECT_EQ(options->lockout.window, absl::Minutes(15));
  EXPECT_EQ(options->lockout.hard_lock_consecutive_failures, 100);
  EXPECT_EQ(options->kyc.withdrawal_min_level, v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  absl::StatusOr<domain::ActionRequirement> reset = domain::FindRequirement(
      options->action_requirements, domain::SensitiveAction::kPasswordReset);
  ASSERT_THAT(reset, IsOk());
  EXPECT_THAT(reset->forbidden_channels, ::testing::Contains(v1::CHANNEL_PHONE));
}

TEST(DefaultPolicyTest, CoversTheIssueScenarios) {
  // Reason codes the scenario tests (tests/scenarios/) will look for.
  std::set<std::string> codes;
  const v1::Policy policy = LoadDefaultPolicy();
  for (const v1::FraudRule& rule : policy.rules()) {
    if (rule.mode() == v1::RULE_MODE_ENFORCE) codes.insert(rule.reason_code());
  }
  for (const char* code :
       {"WITHDRAWAL_AFTER_CONTACT_CHANGE", "NEW_DEVICE_AFTER_CONTACT_CHANGE",
        "PASSWORD_RESET_NOT_BY_PHONE", "AGENT_PASSWORD_RESET_REFUSED", "HOLDER_NAME_MISMATCH",
        "DEPOSIT_WHILE_EXCLUDED", "KYC_DOCUMENTS_REQUIRED", "PAYOUT_TO_NON_DEPOSIT_SOURCE",
        "URGENT_PHONE_WITHDRAWAL", "SECURITY_HOLD_NEEDS_SECURITY_OFFICER",
        "ENHANCED_DUE_DILIGENCE_PENDING"}) {
    EXPECT_TRUE(codes.count(code)) << code;
  }
}

// Resolves a dotted field path ("withdrawal_requested.amount") on `message`.
// Returns "" when it resolves, else what is wrong.
std::string ResolvePath(const Descriptor* message, absl::string_view path) {
  const Descriptor* current = message;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (current == nullptr) return std::string("not a message before '") + std::string(part) + "'";
    const FieldDescriptor* field = current->FindFieldByName(std::string(part));
    if (field == nullptr) {
      return std::string("no field '") + std::string(part) + "' in " + current->full_name();
    }
    current = field->is_map() || field->is_repeated() ? nullptr : field->message_type();
    if (field->message_type() != nullptr &&
        (field->message_type()->full_name() == "google.protobuf.Timestamp" ||
         field->message_type()->full_name() == "google.protobuf.Duration")) {
      current = nullptr;  // CEL sees a timestamp/duration, not a message
    }
  }
  return "";
}

// The identifier path starting at `pos` in `text`: [A-Za-z0-9_.]+.
std::string PathAt(const std::string& text, size_t pos) {
  size_t end = pos;
  while (end < text.size() && (isalnum(static_cast<unsigned char>(text[end])) ||
                               text[end] == '_' || text[end] == '.')) {
    ++end;
  }
  return text.substr(pos, end - pos);
}

TEST(DefaultPolicyTest, RulesNameOnlyExistingFieldsAndEnumConstants) {
  const std::map<std::string, const Descriptor*> variables = {
      {"account", v1::Account::descriptor()},
      {"event", v1::Event::descriptor()},
      {"features", v1::Features::descriptor()}};
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  int paths_checked = 0;
  const v1::Policy policy = LoadDefaultPolicy();
  for (const v1::FraudRule& rule : policy.rules()) {
    const std::string& text = rule.expression();
    for (size_t pos = 0; pos < text.size(); ++pos) {
      const bool at_word_start =
          pos == 0 || !(isalnum(static_cast<unsigned char>(text[pos - 1])) ||
                        text[pos - 1] == '_' || text[pos - 1] == '.');
      if (!at_word_start) continue;
      std::string path = PathAt(text, pos);
      if (path.empty()) continue;
      pos += path.size() - 1;
      // A receiver-style call (list.exists(...), s.startsWith(...)): the last
      // component is a function, not a field.
      if (pos + 1 < text.size() && text[pos + 1] == '(') {
        const size_t last_dot = path.rfind('.');
        if (last_dot == std::string::npos) continue;
        path = path.substr(0, last_dot);
      }
      const size_t dot = path.find('.');
      if (dot == std::string::npos) continue;
      const std::string head = path.substr(0, dot);
      if (head == "pitboss") {
        // pitboss.v1.Enum.VALUE
        const size_t last = path.rfind('.');
        const std::string enum_name = path.substr(0, last);
        const std::string value = path.substr(last + 1);
        const google::protobuf::EnumDescriptor* type = pool->FindEnumTypeByName(enum_name);
        ASSERT_NE(type, nullptr) << rule.id() << ": no enum " << enum_name;
        EXPECT_NE(type->FindValueByName(value), nullptr)
            << rule.id() << ": no value " << value << " in " << enum_name;
        ++paths_checked;
        continue;
      }
      auto variable = variables.find(head);
      if (variable == variables.end()) continue;  // a macro variable such as v.kind
      EXPECT_EQ(ResolvePath(variable->second, path.substr(dot + 1)), "")
          << rule.id() << ": " << path;
      ++paths_checked;
    }
  }
  EXPECT_GT(paths_checked, 100);
}

// --- Cross-currency equivalents -------------------------------------------

// `minor` units of `currency` in reference (EUR) minor units, exact, as a
// fraction num/den, from the policy's own rates.
struct Fraction {
  absl::int128 num;
  absl::int128 den;
};

Fraction ToReference(const v1::Policy& policy, const std::string& currency, int64_t minor) {
  if (currency == policy.reference_currency()) return {minor, 1};
  for (const v1::ReferenceRate& rate : policy.reference_rates()) {
    if (rate.currency() == currency) {
      return {absl::int128(minor) * rate.reference_minor_units(), rate.per_minor_units()};
    }
  }
  ADD_FAILURE() << "no rate for " << currency;
  return {0, 1};
}

// The smallest amount of `currency` worth at least `target` (a reference
// amount as a fraction): what a ">= X equivalent" threshold must be.
int64_t SmallestAtLeast(const v1::Policy& policy, const std::string& currency,
                        Fraction target) {
  // value(m) = m * r / p >= t.num / t.den  <=>  m >= t.num * p / (t.den * r)
  absl::int128 r = 1, p = 1;
  for (const v1::ReferenceRate& rate : policy.reference_rates()) {
    if (rate.currency() == currency) {
      r = rate.reference_minor_units();
      p = rate.per_minor_units();
    }
  }
  const absl::int128 num = target.num * p;
  const absl::int128 den = target.den * r;
  return static_cast<int64_t>((num + den - 1) / den);
}

TEST(DefaultPolicyTest, ThresholdsAreTheStatedEquivalentsAtThePolicysRates) {
  const v1::Policy policy = LoadDefaultPolicy();
  ASSERT_EQ(policy.reference_currency(), "EUR");
  // Financial vulnerability: 150 GBP (DESIGN.md) -> 28,236 yen (150 GBP =
  // 176.47 EUR = 28,235.29 yen at 1 EUR = 160 JPY = 0.85 GBP).
  const Fraction vulnerability = ToReference(policy, "GBP", 15000);
  std::map<std::string, int64_t> seen;
  for (const v1::Money& money : policy.kyc().vulnerability_review_thresholds()) {
    seen[money.currency()] = money.minor_units();
    EXPECT_EQ(money.minor_units(), SmallestAtLeast(policy, money.currency(), vulnerability))
        << money.currency();
  }
  EXPECT_EQ(seen["JPY"], 28236);
  EXPECT_EQ(seen["GBP"], 15000);
  // Enhanced due diligence: 2,000 EUR.
  for (const v1::Money& money : policy.kyc().enhanced_due_diligence_thresholds()) {
    EXPECT_EQ(money.minor_units(), SmallestAtLeast(policy, money.currency(), {200000, 1}))
        << money.currency();
  }
  // Card 3-D Secure: above 30 EUR, or 100 EUR since the last strong
  // authentication (PSD2 RTS art. 16).
  for (const v1::PaymentMethod& method : policy.payment_methods()) {
    if (method.method_id() != "card") continue;
    for (const v1::PaymentDirectionTerms& terms : method.directions()) {
      for (const v1::CurrencyTerms& c : terms.currencies()) {
        if (!c.step_up_required()) continue;
        EXPECT_EQ(c.step_up_above_minor_units(),
                  SmallestAtLeast(policy, c.currency(), {3000, 1}))
            << c.currency();
        EXPECT_EQ(c.step_up_cumulative_above_minor_units(),
                  SmallestAtLeast(policy, c.currency(), {10000, 1}))
            << c.currency();
        EXPECT_EQ(c.step_up_after_payments(), 5);
      }
    }
  }
}

// --- Every rule fires in a realistic sequence -----------------------------

// One player's history through the engine with the default policy; records
// every rule (enforced or shadow) that fired on any event.
class Runner {
 public:
  Runner(const Engine* engine, std::set<std::string>* fired)
      : d_(engine, "acct-1", scenarios::ScenarioStart()), fired_(fired) {}

  scenarios::ScenarioDriver& d() { return d_; }

  v1::EvaluateResponse Send(v1::Event event) {
    d_.Advance(absl::Minutes(1));
    *event.mutable_occurred_at() = domain::ToProtoTime(d_.now());
    absl::StatusOr<v1::EvaluateResponse> response = d_.Send(event);
    EXPECT_THAT(response, IsOk()) << event.ShortDebugString();
    if (!response.ok()) return v1::EvaluateResponse();
    for (const std::string& id : Fired(*response)) fired_->insert(id);
    return *response;
  }

  static std::set<std::string> Fired(const v1::EvaluateResponse& response) {
    std::set<std::string> ids;
    for (const v1::RuleTrace& t : response.decision().trace()) {
      if (t.fired()) ids.insert(t.rule_id());
    }
    for (const v1::RuleTrace& t : response.decision().shadow().trace()) {
      if (t.fired()) ids.insert(t.rule_id());
    }
    return ids;
  }

  void LogInStrongly() {
    Send(d_.Login(true));
    Send(d_.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
    Send(d_.Verified("f-totp", v1::FACTOR_KIND_TOTP));
  }

  void Open() {
    Send(d_.OpenJapaneseAccount());
    LogInStrongly();
  }

  // As in tests/scenarios: opened 7 days ago, 3,000 yen by card and 20,000
  // by bank deposited, 18,000 staked, documents verified, logged in.
  void Seasoned(bool documents_verified = true) {
    Open();
    Send(d_.DepositNewCard("d-card-1", 3000, "card-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    Send(d_.Settled("d-card-1"));
    Send(d_.DepositNewBank("d-bank-1", 20000, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    Send(d_.Settled("d-bank-1"));
    Send(d_.Wager("g-1", 10000, 14000));
    Send(d_.Wager("g-2", 8000, 6000));
    if (documents_verified) {
      Send(d_.KycDocument("doc-1"));
      Send(d_.KycAccepted("doc-1", v1::KYC_LEVEL_DOCUMENTS_VERIFIED));
    }
    d_.Advance(absl::Hours(24 * 7));
    LogInStrongly();
  }

 private:
  scenarios::ScenarioDriver d_;
  std::set<std::string>* fired_;
};

class RuleCoverageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<v1::Policy> policy = scenarios::LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
    ASSERT_THAT(policy, IsOk());
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*policy);
    ASSERT_THAT(engine, IsOk());
    engine_ = engine->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }

  // A fresh player; rules fired on any of its events count as covered.
  Runner NewRunner() { return Runner(engine_, &covered_); }

  // `id` fired on this very event.
  static void ExpectFired(const v1::EvaluateResponse& response, const std::string& id) {
    const std::set<std::string> fired = Runner::Fired(response);
    EXPECT_TRUE(fired.count(id)) << id << " did not fire; outcome "
                                 << v1::DecisionOutcome_Name(response.decision().outcome())
                                 << ", fired: " << absl::StrJoin(fired, ", ");
  }

  static Engine* engine_;
  std::set<std::string> covered_;
};

Engine* RuleCoverageTest::engine_ = nullptr;

using scenarios::ScenarioDriver;

TEST_F(RuleCoverageTest, EveryRuleFiresInARealisticSequence) {
  {  // Takeover: login on a new device, e-mail change, withdrawal 2 h later.
    Runner r = NewRunner();
    r.Seasoned();
    r.d().UseDevice("dev-attacker");
    r.Send(r.d().Login(true));
    r.Send(r.d().Verified("f-pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB));
    r.Send(r.d().Verified("f-email", v1::FACTOR_KIND_EMAIL_LINK, v1::CHANNEL_WEB));
    r.Send(r.d().EmailChange("attacker@example.net"));
    r.d().Advance(absl::Hours(2));
    const v1::EvaluateResponse w = r.Send(r.d().Withdrawal("w-1", 10000, "bank-1"));
    for (const char* id : {"ATO-001", "ATO-002", "ATO-008"}) ExpectFired(w, id);
  }
  {  // Password changed, then a withdrawal from a tablet logged in since.
    Runner r = NewRunner();
    r.Seasoned();
    r.Send(r.d().PasswordChange());
    r.d().UseDevice("dev-tablet");
    r.Send(r.d().Login(true));
    r.Send(r.d().Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
    const v1::EvaluateResponse w = r.Send(r.d().Withdrawal("w-1", 5000, "bank-1"));
    ExpectFired(w, "ATO-003");
    ExpectFired(w, "SHADOW-002");
  }
  {  // Two e-mail changes in a week; a new card right after.
    Runner r = NewRunner();
    r.Seasoned();
    r.Send(r.d().EmailChange("taro.2@example.jp"));
    ExpectFired(r.Send(r.d().EmailChange("taro.3@example.jp")), "ATO-004");
    ExpectFired(r.Send(r.d().DepositNewCard("d-2", 3000, "card-2", "ﾔﾏﾀﾞ ﾀﾛｳ")), "ATO-005");
  }
  {  // A withdrawal from abroad on the usual phone.
    Runner r = NewRunner();
    r.Seasoned();
    r.d().UseIpCountry("VN");
    const v1::EvaluateResponse w = r.Send(r.d().Withdrawal("w-1", 5000, "bank-1"));
    ExpectFired(w, "ATO-006");
    ExpectFired(w, "ATO-007");
  }
  {  // The phone, confirmed with the authenticator, a month later.
    Runner r = NewRunner();
    r.Seasoned();
    r.d().Advance(absl::Hours(24 * 31));
    r.LogInStrongly();
    ExpectFired(r.Send(r.d().Withdrawal("w-1", 5000, "bank-1")), "ATO-009");
  }
  {  // Wrong one-time codes, then a withdrawal.
    Runner r = NewRunner();
    r.Seasoned();
    for (int i = 0; i < 3; ++i) r.Send(r.d().VerificationFailed("f-totp", v1::FACTOR_KIND_TOTP));
    ExpectFired(r.Send(r.d().Withdrawal("w-1", 5000, "bank-1")), "ATO-010");
  }
  {  // Wrong passwords, then a withdrawal in the still-open session.
    Runner r = NewRunner();
    r.Seasoned();
    for (int i = 0; i < 3; ++i) r.Send(r.d().Login(false));
    ExpectFired(r.Send(r.d().Withdrawal("w-1", 5000, "bank-1")), "ATO-011");
  }
  {  // Password reset asked on the phone; an agent asked to reset it.
    Runner r = NewRunner();
    r.Seasoned();
    ExpectFired(r.Send(r.d().PasswordReset(v1::CHANNEL_PHONE,
                                           v1::PASSWORD_RESET_METHOD_AGENT_ASSISTED)),
                "SEC-001");
    v1::Event reset = r.d().SupportAction("call-1", v1::SUPPORT_ACTION_RESET_PASSWORD,
                                          ScenarioDriver::NameAndBirthDate());
    reset.mutable_support_action_request()->set_reset_method(
        v1::PASSWORD_RESET_METHOD_AGENT_ASSISTED);
    ExpectFired(r.Send(reset), "SEC-002");
  }
  {  // A lost phone reported; a withdrawal; an agent tries to lift the hold.
    Runner r = NewRunner();
    r.Seasoned();
    ExpectFired(r.Send(r.d().SecurityReport(v1::SECURITY_REPORT_KIND_LOST_DEVICE)), "SEC-003");
    ExpectFired(r.Send(r.d().Withdrawal("w-1", 5000, "bank-1")), "SEC-005");
    v1::Event lift = r.d().SupportAction("call-1", v1::SUPPORT_ACTION_LIFT_RESTRICTION,
                                         ScenarioDriver::NameAndBirthDate());
    lift.mutable_support_action_request()->set_restriction(
        v1::RESTRICTION_KIND_SECURITY_HOLD);
    ExpectFired(r.Send(lift), "SEC-004");
  }
  // Support calls, one player each (most of them escalate).
  v1::CallerClaims claims = ScenarioDriver::NameAndBirthDate();
  claims.set_email("taro@example.jp");
  {
    Runner r = NewRunner();
    r.Seasoned();
    r.Send(r.d().Withdrawal("w-1", 5000, "bank-1"));
    v1::Event expedite = r.d().SupportAction("call-1", v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL,
                                             claims, {v1::CALL_FLAG_URGENCY_PRESSURE});
    expedite.mutable_support_action_request()->set_withdrawal_id("w-1");
    ExpectFired(r.Send(expedite), "CALL-001");
  }
  const std::vector<std::pair<v1::CallFlag, const char*>> call_flags = {
      {v1::CALL_FLAG_ASKED_TO_DISCLOSE_PERSONAL_DATA, "CALL-002"},
      {v1::CALL_FLAG_REPORTS_COMPROMISE, "CALL-003"},
      {v1::CALL_FLAG_CONTACT_CHANGE_AND_WITHDRAWAL, "CALL-004"},
      {v1::CALL_FLAG_INCONSISTENT_ANSWERS, "CALL-006"}};
  for (const auto& [flag, id] : call_flags) {
    Runner r = NewRunner();
    r.Seasoned();
    ExpectFired(r.Send(r.d().SupportCall("call-1", claims, {flag})), id);
  }
  {
    Runner r = NewRunner();
    r.Seasoned();
    ExpectFired(r.Send(r.d().SupportAction("call-1", v1::SUPPORT_ACTION_DISCLOSE_BALANCE,
                                           claims, {v1::CALL_FLAG_THIRD_PARTY})),
                "CALL-005");
  }
  {  // Card holder names; a chargeback and a deposit after it.
    Runner r = NewRunner();
    r.Seasoned();
    ExpectFired(r.Send(r.d().DepositNewCard("d-2", 3000, "card-2", "JOHN SMITH")), "PAY-001");
    // A card printed given name first is normal; a bank account so is not.
    const v1::EvaluateResponse card =
        r.Send(r.d().DepositNewCard("d-3", 3000, "card-3", "TARO YAMADA"));
    EXPECT_FALSE(Runner::Fired(card).count("PAY-009"));
    ExpectFired(r.Send(r.d().DepositNewBank("d-5", 3000, "bank-5", "ﾀﾛｳ ﾔﾏﾀﾞ")), "PAY-009");
    r.Send(r.d().Chargeback("d-card-1"));
    ExpectFired(r.Send(r.d().Deposit("d-4", 2000, "bank-1")), "PAY-008");
  }
  {  // Self-excluded, then a deposit.
    Runner r = NewRunner();
    r.Seasoned();
    r.Send(r.d().SelfExclude(6));
    ExpectFired(r.Send(r.d().Deposit("d-2", 2000, "bank-1")), "PAY-002");
  }
  {  // Card testing: declined cards in an hour, then in a day.
    Runner r = NewRunner();
    r.Seasoned();
    for (int i = 0; i < 3; ++i) {
      r.Send(r.d().DepositNewCard(absl::StrCat("d-x", i), 1000, absl::StrCat("card-x", i),
                                  "JOHN SMITH"));
    }
    ExpectFired(r.Send(r.d().Deposit("d-2", 2000, "bank-1")), "PAY-003");
    for (int i = 3; i < 8; ++i) {
      r.d().Advance(absl::Hours(2));
      r.Send(r.d().DepositNewCard(absl::StrCat("d-x", i), 1000, absl::StrCat("card-x", i),
                                  "JOHN SMITH"));
    }
    ExpectFired(r.Send(r.d().Deposit("d-3", 2000, "bank-1")), "PAY-004");
  }
  {  // Ten deposit requests in a day; new instruments one after another.
    Runner r = NewRunner();
    r.Seasoned();
    for (int i = 0; i < 10; ++i) {
      r.Send(r.d().Deposit(absl::StrCat("d-v", i), 1000, "bank-1"));
    }
    ExpectFired(r.Send(r.d().Deposit("d-v10", 1000, "bank-1")), "PAY-005");
    r.Send(r.d().DepositNewCard("d-n1", 1000, "card-n1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    r.Send(r.d().DepositNewCard("d-n2", 1000, "card-n2", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    ExpectFired(r.Send(r.d().DepositNewCard("d-n3", 1000, "card-n3", "ﾔﾏﾀﾞ ﾀﾛｳ")), "PAY-007");
  }
  {  // A large deposit on the first day; a crypto on-ramp in the first week.
    Runner r = NewRunner();
    r.Open();
    ExpectFired(r.Send(r.d().DepositNewBank("d-1", 200000, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ")), "PAY-006");
    ExpectFired(r.Send(r.d().DepositNewCrypto("d-2", 10000, "crypto-1")), "SHADOW-003");
  }
  {  // Withdrawals: no documents; to a never-deposited account; no play.
    Runner r = NewRunner();
    r.Seasoned(/*documents_verified=*/false);
    ExpectFired(r.Send(r.d().Withdrawal("w-1", 5000, "bank-1")), "WD-001");
  }
  {
    Runner r = NewRunner();
    r.Seasoned();
    r.Send(r.d().DepositNewBank("d-2", 5000, "bank-2", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    ExpectFired(r.Send(r.d().Withdrawal("w-1", 5000, "bank-2")), "WD-002");
    // Seasoned staked 18,000 of the last 20,000 deposit.
    ExpectFired(r.Send(r.d().Withdrawal("w-2", 2000, "bank-1")), "WD-004");
    r.Send(r.d().Deposit("d-3", 5000, "bank-1"));
    r.Send(r.d().Settled("d-3"));
    ExpectFired(r.Send(r.d().Withdrawal("w-3", 5000, "bank-1")), "WD-003");
  }
  {  // A payout history, then a much bigger one; a big win.
    Runner r = NewRunner();
    r.Seasoned();
    r.Send(r.d().Withdrawal("w-1", 2000, "bank-1"));
    r.Send(r.d().WithdrawalSent("w-1"));
    r.Send(r.d().WithdrawalPaid("w-1"));
    ExpectFired(r.Send(r.d().Withdrawal("w-2", 7000, "bank-1")), "WD-005");
    r.Send(r.d().Wager("g-3", 1000, 200000));
    ExpectFired(r.Send(r.d().Withdrawal("w-3", 120000, "bank-1")), "WD-006");
  }
  {  // Source of funds: 300,000 yen more makes EDD due.
    Runner r = NewRunner();
    r.Seasoned();
    r.Send(r.d().Deposit("d-2", 300000, "bank-1"));
    r.Send(r.d().Settled("d-2"));
    r.Send(r.d().Wager("g-3", 300000, 300000));
    ExpectFired(r.Send(r.d().Withdrawal("w-1", 5000, "bank-1")), "WD-007");
  }
  {  // Four withdrawal requests within the hour.
    Runner r = NewRunner();
    r.Seasoned();
    for (int i = 0; i < 3; ++i) {
      r.Send(r.d().Withdrawal(absl::StrCat("w-", i), 2000, "bank-1"));
    }
    ExpectFired(r.Send(r.d().Withdrawal("w-3", 2000, "bank-1")), "WD-008");
  }
  {  // Heavy turnover on small deposits.
    Runner r = NewRunner();
    r.Seasoned();
    for (int i = 0; i < 12; ++i) {
      r.Send(r.d().Wager(absl::StrCat("g-t", i), 20000, 20000));
    }
    ExpectFired(r.Send(r.d().Wager("g-t12", 1000, 1000)), "RG-001");
  }
  {  // Five deposits completed within the hour, and a sixth asked for.
    Runner r = NewRunner();
    r.Seasoned();
    for (int i = 0; i < 5; ++i) {
      r.Send(r.d().Deposit(absl::StrCat("d-s", i), 1000, "bank-1"));
      r.Send(r.d().Settled(absl::StrCat("d-s", i)));
    }
    ExpectFired(r.Send(r.d().Deposit("d-s5", 1000, "bank-1")), "RG-002");
  }
  {  // Net deposits to 600 GBP equivalent in a month.
    Runner r = NewRunner();
    r.Seasoned();
    ExpectFired(r.Send(r.d().Deposit("d-2", 100000, "bank-1")), "SHADOW-001");
  }

  const v1::Policy policy = LoadDefaultPolicy();
  std::vector<std::string> missing;
  for (const v1::FraudRule& rule : policy.rules()) {
    if (!covered_.count(rule.id())) missing.push_back(rule.id());
  }
  EXPECT_THAT(missing, IsEmpty()) << "rules that fired in no sequence";
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
