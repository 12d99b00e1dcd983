// Engine::Create / Evaluate / EvaluateSerialized end to end with the shipped
// default policy: creation errors, determinism, bad input (a status naming the
// field, nothing returned), one version step per applied event, the audit
// chain across requests, shadow rules, and concurrent use of one Engine.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "pitboss/engine.h"
#include "src/engine/audit_chain.h"
#include "tests/engine/scenario_history.h"
#include "tests/matchers.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::pitboss::scenarios::LoadDefaultPolicy;
using ::pitboss::scenarios::ScenarioDriver;
using ::pitboss::testing::ScenarioHistory;
using ::pitboss::scenarios::ScenarioStart;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

v1::Policy DefaultPolicy() {
  absl::StatusOr<v1::Policy> policy = LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
  EXPECT_THAT(policy, IsOk());
  return policy.ok() ? *policy : v1::Policy();
}

std::unique_ptr<Engine> MakeEngine(const v1::Policy& policy) {
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(policy);
  EXPECT_THAT(engine, IsOk());
  return engine.ok() ? std::move(*engine) : nullptr;
}

// Runs ScenarioHistory through the driver's engine, checking every step is OK; returns the
// responses.
std::vector<v1::EvaluateResponse> RunHistory(ScenarioDriver& d) {
  std::vector<v1::EvaluateResponse> responses;
  for (v1::Event event : ScenarioHistory(d)) {
    d.Advance(absl::Minutes(1));
    *event.mutable_occurred_at() = domain::ToProtoTime(d.now());
    absl::StatusOr<v1::EvaluateResponse> response = d.Send(event);
    EXPECT_THAT(response, IsOk()) << event.ShortDebugString();
    if (!response.ok()) break;
    responses.push_back(*response);
  }
  return responses;
}

// --- Create ----------------------------------------------------------------

TEST(EngineCreateTest, DefaultPolicyCompiles) {
  const v1::Policy policy = DefaultPolicy();
  std::unique_ptr<Engine> engine = MakeEngine(policy);
  ASSERT_NE(engine, nullptr);
  EXPECT_TRUE(MessageDifferencer::Equals(engine->policy(), policy));
}

TEST(EngineCreateTest, BadPolicyNamesTheField) {
  v1::Policy policy = DefaultPolicy();
  policy.mutable_rules(3)->set_id(policy.rules(1).id());
  EXPECT_THAT(Engine::Create(policy),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rules[3].id")));

  policy = DefaultPolicy();
  policy.mutable_score_thresholds(1)->set_min_score(10);  // below the one before
  EXPECT_THAT(Engine::Create(policy), StatusIs(absl::StatusCode::kInvalidArgument,
                                               HasSubstr("score_thresholds[1]")));

  policy = DefaultPolicy();
  policy.mutable_security()->mutable_lockout()->set_max_failures_in_window(-1);
  EXPECT_THAT(Engine::Create(policy),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("security.lockout.max_failures_in_window")));
}

TEST(EngineCreateTest, BadRuleNamesTheRuleLineAndColumn) {
  v1::Policy policy = DefaultPolicy();
  v1::FraudRule* rule = policy.mutable_rules(3);
  const std::string id = rule->id();
  rule->set_expression("has(event.contact_change)\n  && featurez.new_device");
  EXPECT_THAT(Engine::Create(policy),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(absl::StrCat("rules[3] (", id, ")")), HasSubstr(":2:6"),
                             HasSubstr("featurez"))));

  // Type errors too: a rule must be a bool.
  rule->set_expression("features.call_flag_count + 1");
  EXPECT_THAT(Engine::Create(policy),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat("rules[3] (", id, ")"))));
}

// --- Determinism -----------------------------------------------------------

TEST(EngineDeterminismTest, SameRequestGivesByteIdenticalResponses) {
  const v1::Policy policy = DefaultPolicy();
  std::unique_ptr<Engine> engine = MakeEngine(policy);
  std::unique_ptr<Engine> other = MakeEngine(policy);
  ASSERT_NE(engine, nullptr);
  ASSERT_NE(other, nullptr);
  ScenarioDriver d(engine.get(), "acct-1", ScenarioStart());
  int checked = 0;
  for (v1::Event event : ScenarioHistory(d)) {
    d.Advance(absl::Minutes(1));
    *event.mutable_occurred_at() = domain::ToProtoTime(d.now());
    const std::string request = d.Request(event).SerializeAsString();
    absl::StatusOr<std::string> first = engine->EvaluateSerialized(request);
    absl::StatusOr<std::string> second = engine->EvaluateSerialized(request);
    absl::StatusOr<std::string> third = other->EvaluateSerialized(request);
    ASSERT_THAT(first, IsOk()) << event.ShortDebugString();
    ASSERT_THAT(second, IsOk());
    ASSERT_THAT(third, IsOk());
    EXPECT_EQ(*first, *second) << event.ShortDebugString();
    EXPECT_EQ(*first, *third) << event.ShortDebugString();
    // The bytes are the in-process response, and exactly its deterministic
    // serialization (EvaluateSerialized writes the response from its parts).
    v1::EvaluateResponse parsed;
    ASSERT_TRUE(parsed.ParseFromString(*first));
    absl::StatusOr<v1::EvaluateResponse> direct = engine->Evaluate(d.Request(event));
    ASSERT_THAT(direct, IsOk());
    EXPECT_TRUE(MessageDifferencer::Equals(parsed, *direct));
    absl::StatusOr<std::string> canonical = engine::CanonicalBytes(*direct);
    ASSERT_THAT(canonical, IsOk());
    EXPECT_EQ(*first, *canonical) << event.ShortDebugString();
    d.Adopt(parsed);
    ++checked;
  }
  EXPECT_EQ(checked, 17);
}

// --- Bad input ------------------------------------------------------------

class EngineBadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = MakeEngine(DefaultPolicy());
    ASSERT_NE(engine_, nullptr);
    d_ = std::make_unique<ScenarioDriver>(engine_.get(), "acct-1", ScenarioStart());
    ASSERT_THAT(d_->Send(d_->OpenJapaneseAccount()), IsOk());
    d_->Advance(absl::Minutes(1));
  }

  // Evaluate must fail with `code` naming `field`, in process and through
  // bytes.
  void ExpectRefused(const v1::EvaluateRequest& request, absl::StatusCode code,
                     const std::string& field) {
    const v1::EvaluateRequest copy = request;
    EXPECT_THAT(engine_->Evaluate(request), StatusIs(code, HasSubstr(field)))
        << request.event().ShortDebugString();
    EXPECT_THAT(engine_->EvaluateSerialized(request.SerializeAsString()),
                StatusIs(code, HasSubstr(field)));
    EXPECT_TRUE(MessageDifferencer::Equals(request, copy));
  }

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<ScenarioDriver> d_;
};

TEST_F(EngineBadInputTest, MissingEventOrNow) {
  v1::EvaluateRequest request = d_->Request(d_->Login(true));
  request.clear_event();
  ExpectRefused(request, absl::StatusCode::kInvalidArgument, "event");

  request = d_->Request(d_->Login(true));
  request.mutable_event()->clear_login_attempt();
  ExpectRefused(request, absl::StatusCode::kInvalidArgument, "event.kind");

  request = d_->Request(d_->Login(true));
  request.clear_now();
  ExpectRefused(request, absl::StatusCode::kInvalidArgument, "now");

  request = d_->Request(d_->Login(true));
  request.mutable_now()->set_nanos(-5);
  ExpectRefused(request, absl::StatusCode::kInvalidArgument, "now");
}

TEST_F(EngineBadInputTest, UnknownAccountAndMismatchedId) {
  v1::EvaluateRequest request = d_->Request(d_->Login(true));
  request.clear_account();
  ExpectRefused(request, absl::StatusCode::kNotFound, "account");

  request = d_->Request(d_->Login(true));
  request.mutable_event()->set_account_id("acct-2");
  ExpectRefused(request, absl::StatusCode::kInvalidArgument, "event.account_id");

  // Opening an account that exists.
  request = d_->Request(d_->OpenJapaneseAccount());
  ExpectRefused(request, absl::StatusCode::kAlreadyExists, "account");

  request = d_->Request(d_->Login(true));
  request.mutable_event()->clear_event_id();
  ExpectRefused(request, absl::StatusCode::kInvalidArgument, "event.event_id");
}

TEST_F(EngineBadInputTest, MalformedBytes) {
  EXPECT_THAT(engine_->EvaluateSerialized("\xff\xff\xff garbage"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request")));
  // A truncated valid request.
  const std::string bytes = d_->Request(d_->Login(true)).SerializeAsString();
  EXPECT_THAT(engine_->EvaluateSerialized(bytes.substr(0, bytes.size() - 3)), Not(IsOk()));
  // Empty bytes parse as an empty request: no event.
  EXPECT_THAT(engine_->EvaluateSerialized(""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event")));
}

TEST_F(EngineBadInputTest, ImpossibleTransitionsAndBadAmounts) {
  ExpectRefused(d_->Request(d_->WithdrawalPaid("w-unknown")), absl::StatusCode::kNotFound,
                "event.withdrawal_paid.withdrawal_id");
  ExpectRefused(d_->Request(d_->Settled("d-unknown")), absl::StatusCode::kNotFound,
                "event.deposit_settled.deposit_id");

  v1::Event deposit = d_->DepositNewCard("d-1", 5000, "card-1", "YAMADA TARO");
  deposit.mutable_deposit_requested()->mutable_amount()->set_minor_units(-5);
  ExpectRefused(d_->Request(deposit), absl::StatusCode::kInvalidArgument,
                "event.deposit_requested.amount");
  deposit.mutable_deposit_requested()->mutable_amount()->set_minor_units(5000);
  deposit.mutable_deposit_requested()->mutable_amount()->set_currency("USD");
  ExpectRefused(d_->Request(deposit), absl::StatusCode::kInvalidArgument,
                "event.deposit_requested.amount");

  // A withdrawal to an instrument the account does not have.
  ExpectRefused(d_->Request(d_->Withdrawal("w-1", 5000, "bank-404")),
                absl::StatusCode::kNotFound, "event.withdrawal_requested.instrument_id");

  // A deposit that exists already.
  ASSERT_THAT(d_->Send(d_->DepositNewCard("d-1", 3000, "card-1", "YAMADA TARO")), IsOk());
  ExpectRefused(d_->Request(d_->Deposit("d-1", 3000, "card-1")),
                absl::StatusCode::kAlreadyExists, "event.deposit_requested.deposit_id");

  // An unknown enum value.
  v1::Event login = d_->Login(true);
  login.set_channel(static_cast<v1::Channel>(99));
  ExpectRefused(d_->Request(login), absl::StatusCode::kInvalidArgument, "event.channel");
}

// --- Versions and the audit chain ------------------------------------------

// The account without what every applied event touches (version,
// updated_at, last_event_id) and, with `counters`, without the bookkeeping
// state_changes.h does not report (velocity, totals, strong-auth tracker).
v1::Account Core(v1::Account account, bool counters) {
  account.clear_version();
  account.clear_updated_at();
  account.clear_last_event_id();
  if (counters) {
    account.clear_velocity();
    account.clear_totals();
    account.clear_strong_auth();
  }
  return account;
}

TEST(EngineVersionTest, VersionGrowsByExactlyOnePerAppliedEvent) {
  std::unique_ptr<Engine> engine = MakeEngine(DefaultPolicy());
  ASSERT_NE(engine, nullptr);
  ScenarioDriver d(engine.get(), "acct-1", ScenarioStart());
  v1::Account before;
  int changed_events = 0;
  for (const v1::EvaluateResponse& response : RunHistory(d)) {
    const v1::Account& after = response.account();
    EXPECT_EQ(response.decision().account_version(), after.version());
    EXPECT_EQ(response.audit().account_version(), after.version());
    // Whatever the number of domain steps (a withdrawal is created and moved;
    // an escalation opens a case and a hold), one event is one step; an event
    // that changes nothing (a refusal) keeps the version.
    const bool changed =
        !MessageDifferencer::Equals(Core(before, false), Core(after, false));
    EXPECT_EQ(after.version(), before.version() + (changed ? 1 : 0))
        << response.decision().event_id();
    if (changed) {
      ++changed_events;
      EXPECT_EQ(after.last_event_id(), response.decision().event_id());
    }
    // Every reported change is real, and every real change is reported.
    const bool reportable =
        !MessageDifferencer::Equals(Core(before, true), Core(after, true));
    EXPECT_EQ(response.decision().state_changes().empty(), !reportable)
        << response.decision().event_id();
    before = after;
  }
  EXPECT_GE(changed_events, 14);
  EXPECT_EQ(before.version(), changed_events);
  EXPECT_EQ(d.records().size(), 17u);
}

TEST(EngineAuditTest, RecordsChainAcrossRequests) {
  std::unique_ptr<Engine> engine = MakeEngine(DefaultPolicy());
  ASSERT_NE(engine, nullptr);
  ScenarioDriver d(engine.get(), "acct-1", ScenarioStart());
  std::vector<v1::Event> events;
  std::vector<v1::EvaluateResponse> responses;
  for (v1::Event event : ScenarioHistory(d)) {
    d.Advance(absl::Minutes(1));
    *event.mutable_occurred_at() = domain::ToProtoTime(d.now());
    absl::StatusOr<v1::EvaluateResponse> response = d.Send(event);
    ASSERT_THAT(response, IsOk());
    events.push_back(event);
    responses.push_back(*response);
  }
  std::vector<v1::AuditRecord> records = d.records();
  ASSERT_EQ(records.size(), events.size());
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].sequence(), i + 1);
    EXPECT_EQ(responses[i].decision().audit_sequence(), i + 1);
    EXPECT_THAT(engine::VerifyAuditPayload(records[i], events[i], responses[i].decision()),
                IsOk());
  }
  engine::AuditVerifyOptions options;
  options.expected_end = d.head();
  EXPECT_THAT(engine::VerifyAuditChain(records, options), IsOk());

  // Dropping, reordering or editing a record is detected.
  std::vector<v1::AuditRecord> dropped = records;
  dropped.erase(dropped.begin() + 5);
  EXPECT_THAT(engine::VerifyAuditChain(dropped, {}),
              StatusIs(absl::StatusCode::kDataLoss));
  std::vector<v1::AuditRecord> edited = records;
  edited[7].set_account_version(edited[7].account_version() + 1);
  EXPECT_THAT(engine::VerifyAuditChain(edited, {}), StatusIs(absl::StatusCode::kDataLoss));
  // A decision that does not match its record.
  v1::Decision other = responses[3].decision();
  other.set_outcome(v1::DECISION_OUTCOME_DENY);
  EXPECT_THAT(engine::VerifyAuditPayload(records[3], events[3], other),
              StatusIs(absl::StatusCode::kDataLoss));

  // A head with a malformed hash is refused before anything is evaluated.
  v1::EvaluateRequest request = d.Request(d.Login(true));
  request.mutable_audit_chain_head()->set_record_hash("short");
  EXPECT_THAT(engine->Evaluate(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("audit_chain_head.record_hash")));
}

// --- Shadow rules --------------------------------------------------------------

TEST(EngineShadowTest, ShadowRulesNeverChangeTheOutcome) {
  const v1::Policy policy = DefaultPolicy();
  // The same policy plus shadow rules that fire on everything with every
  // action.
  v1::Policy shadowed = policy;
  int n = 0;
  for (const char* action : {"deny", "escalate", "hold", "review", "challenge", "score"}) {
    v1::FraudRule* rule = shadowed.add_rules();
    rule->set_id(absl::StrCat("SHADOW-ALL-", ++n));
    rule->set_description(absl::StrCat("always ", action));
    rule->set_reason_code(absl::StrCat("ALWAYS_", n));
    rule->set_expression("true");
    rule->set_mode(v1::RULE_MODE_SHADOW);
    const std::string a = action;
    if (a == "deny") rule->mutable_action()->mutable_deny();
    if (a == "escalate") rule->mutable_action()->mutable_escalate();
    if (a == "hold") rule->mutable_action()->mutable_hold();
    if (a == "review") rule->mutable_action()->mutable_review();
    if (a == "challenge") {
      rule->mutable_action()->mutable_challenge()->add_factor_kinds(v1::FACTOR_KIND_TOTP);
    }
    if (a == "score") rule->mutable_action()->set_score(500);
  }
  std::unique_ptr<Engine> plain = MakeEngine(policy);
  std::unique_ptr<Engine> with_shadow = MakeEngine(shadowed);
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(with_shadow, nullptr);

  ScenarioDriver d(plain.get(), "acct-1", ScenarioStart());
  int compared = 0;
  for (v1::Event event : ScenarioHistory(d)) {
    d.Advance(absl::Minutes(1));
    *event.mutable_occurred_at() = domain::ToProtoTime(d.now());
    const v1::EvaluateRequest request = d.Request(event);
    absl::StatusOr<v1::EvaluateResponse> a = plain->Evaluate(request);
    absl::StatusOr<v1::EvaluateResponse> b = with_shadow->Evaluate(request);
    ASSERT_THAT(a, IsOk());
    ASSERT_THAT(b, IsOk());
    // The shadow verdict is the strongest: DENY.
    EXPECT_EQ(b->decision().shadow().outcome(), v1::DECISION_OUTCOME_DENY);
    EXPECT_GE(b->decision().shadow().trace_size(), 6);
    // Everything real is identical: outcome, reasons, score, factors, the
    // account and the state changes. Only the shadow part (and hence the
    // audit payload hash) differs.
    v1::Decision real_a = a->decision();
    v1::Decision real_b = b->decision();
    real_a.clear_shadow();
    real_b.clear_shadow();
    EXPECT_TRUE(MessageDifferencer::Equals(real_a, real_b))
        << real_a.ShortDebugString() << "\nvs\n"
        << real_b.ShortDebugString();
    EXPECT_TRUE(MessageDifferencer::Equals(a->account(), b->account()));
    d.Adopt(*a);
    ++compared;
  }
  EXPECT_EQ(compared, 17);
}

// --- Threads ------------------------------------------------------------------

TEST(EngineThreadTest, ManyThreadsShareOneEngine) {
  std::unique_ptr<Engine> engine = MakeEngine(DefaultPolicy());
  ASSERT_NE(engine, nullptr);
  // The requests of one history and their single-threaded answers.
  ScenarioDriver d(engine.get(), "acct-1", ScenarioStart());
  std::vector<std::string> requests;
  std::vector<std::string> expected;
  for (v1::Event event : ScenarioHistory(d)) {
    d.Advance(absl::Minutes(1));
    *event.mutable_occurred_at() = domain::ToProtoTime(d.now());
    requests.push_back(d.Request(event).SerializeAsString());
    absl::StatusOr<std::string> response = engine->EvaluateSerialized(requests.back());
    ASSERT_THAT(response, IsOk());
    expected.push_back(*response);
    v1::EvaluateResponse parsed;
    ASSERT_TRUE(parsed.ParseFromString(*response));
    d.Adopt(parsed);
  }

  constexpr int kThreads = 4;
  constexpr int kRounds = 20;
  std::atomic<int> mismatches{0};
  std::atomic<int> evaluated{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        for (size_t i = 0; i < requests.size(); ++i) {
          // Each thread walks the requests from a different starting point.
          const size_t k = (i + static_cast<size_t>(t) * 5) % requests.size();
          absl::StatusOr<std::string> response = engine->EvaluateSerialized(requests[k]);
          if (!response.ok() || *response != expected[k]) mismatches.fetch_add(1);
          evaluated.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(evaluated.load(), kThreads * kRounds * static_cast<int>(requests.size()));
}

}  // namespace
}  // namespace pitboss
