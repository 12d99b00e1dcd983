// Replays the example event stream (examples/events/casino-jp.jsonl) through
// Engine::Evaluate with the shipped default policy, the way a host (or
// `pitboss replay`) does: each event's occurred_at is the decision time, one
// account per account_id, one audit chain threaded through every decision,
// and a repeated event_id answered with the decision recorded the first time
// (the store's idempotency contract).
//
// It checks that the stream is valid for the engine (no event refused as bad
// input, times in order, every line strict proto3 JSON), that it holds every
// event kind, and that each issue-5 scenario story decides as the issue
// requires. The scenario events are found through the generator's manifest
// (examples/events/casino-jp.scenarios.tsv); the expected outcomes are stated
// here, from the issue, not read from any file. Assertions are on outcomes,
// payment states and balances, not on rule ids, so policy tuning that keeps
// the behaviour does not break them.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pitboss/engine.h"
#include "pitboss/v1/policy.pb.h"
#include "src/domain/proto_time.h"
#include "src/engine/audit_chain.h"
#include "src/engine/case_id.h"
#include "tests/matchers.h"

namespace pitboss {
namespace examples {
namespace {

using ::pitboss::testing::IsOk;
using ::testing::Contains;
using ::testing::Not;

// The committed stream, or another output of the generator named by
// PITBOSS_EVENT_STREAM and PITBOSS_EVENT_MANIFEST (ctest replays one made with
// another seed, so the generator is checked, not only one of its outputs).
std::string FromEnvironment(const char* name, const char* committed) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] != '\0' ? value : committed;
}
const std::string& StreamPath() {
  static const std::string path = FromEnvironment(
      "PITBOSS_EVENT_STREAM", PITBOSS_SOURCE_DIR "/examples/events/casino-jp.jsonl");
  return path;
}
const std::string& ManifestPath() {
  static const std::string path =
      FromEnvironment("PITBOSS_EVENT_MANIFEST",
                      PITBOSS_SOURCE_DIR "/examples/events/casino-jp.scenarios.tsv");
  return path;
}
bool CommittedStream() { return std::getenv("PITBOSS_EVENT_STREAM") == nullptr; }
const char kPolicy[] = PITBOSS_SOURCE_DIR "/examples/policy/default.textproto";

// What the replay keeps about a scenario event (the manifest names it).
struct Observed {
  v1::Event event;
  v1::Decision decision;
  v1::Account before;
  v1::Account after;
  // Duplicates: the engine's own answer when the repeated event is evaluated
  // against the account as it stands then (it must not apply it again).
  bool repeated = false;
  absl::Status engine_on_repeat;
  v1::Account at_repeat;
};

struct ReplayResult {
  int64_t lines = 0;
  std::vector<std::string> bad_input;     // "line N (event id): status"
  std::vector<std::string> out_of_order;  // occurred_at went backwards
  std::map<v1::Event::KindCase, int64_t> kinds;
  std::map<v1::DecisionOutcome, int64_t> outcomes;
  std::map<std::string, int64_t> rules_fired;  // rule id or domain reason code
  std::map<std::string, int64_t> tags;
  int64_t repeats = 0;
  std::map<std::string, v1::Account> accounts;
  std::map<std::string, Observed> observed;           // by event id
  std::multimap<std::string, std::string> scenarios;  // scenario -> event id
  std::vector<v1::AuditRecord> audit;
};

absl::StatusOr<v1::Policy> LoadPolicy() {
  std::ifstream in(kPolicy);
  if (!in.good()) return absl::NotFoundError(absl::StrCat(kPolicy, ": cannot open"));
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  v1::Policy policy;
  if (!google::protobuf::TextFormat::ParseFromString(text, &policy)) {
    return absl::InvalidArgumentError(absl::StrCat(kPolicy, ": not a pitboss.v1.Policy"));
  }
  return policy;
}

// The manifest: "<scenario>\t<account_id>\t<event_id>" lines, '#' comments.
absl::StatusOr<std::multimap<std::string, std::string>> LoadManifest() {
  std::ifstream in(ManifestPath());
  if (!in.good())
    return absl::NotFoundError(absl::StrCat(ManifestPath(), ": cannot open"));
  std::multimap<std::string, std::string> scenarios;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() != 3) {
      return absl::InvalidArgumentError(
          absl::StrCat(ManifestPath(), ": bad line '", line, "'"));
    }
    scenarios.emplace(fields[0], fields[2]);
  }
  return scenarios;
}

std::string ReasonKey(const v1::Reason& reason) {
  return reason.rule_id().empty() ? absl::StrCat("domain:", reason.code())
                                  : reason.rule_id();
}

const ReplayResult& Replay() {
  static const ReplayResult* const result = [] {
    auto* r = new ReplayResult();
    absl::StatusOr<v1::Policy> policy = LoadPolicy();
    absl::StatusOr<std::unique_ptr<Engine>> engine =
        policy.ok() ? Engine::Create(*policy)
                    : absl::StatusOr<std::unique_ptr<Engine>>(policy.status());
    absl::StatusOr<std::multimap<std::string, std::string>> manifest = LoadManifest();
    if (!engine.ok() || !manifest.ok()) {
      r->bad_input.push_back(absl::StrCat("setup: ", engine.status().ToString(), " / ",
                                          manifest.status().ToString()));
      return r;
    }
    r->scenarios = *manifest;
    std::set<std::string> watched;
    for (const auto& [scenario, event_id] : r->scenarios) watched.insert(event_id);

    // event id -> (the line as first seen, the decision recorded then)
    std::map<std::string, std::pair<std::string, v1::Decision>> applied;
    v1::AuditChainHead head;
    absl::Time last_time = absl::InfinitePast();
    std::ifstream in(StreamPath());
    if (!in.good()) r->bad_input.push_back(absl::StrCat(StreamPath(), ": cannot open"));
    std::string line;
    while (std::getline(in, line)) {
      ++r->lines;
      const std::string where = absl::StrCat("line ", r->lines);
      v1::Event event;
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      const auto parsed =
          google::protobuf::util::JsonStringToMessage(line, &event, options);
      if (!parsed.ok()) {
        r->bad_input.push_back(absl::StrCat(where, ": ", parsed.ToString()));
        continue;
      }
      r->kinds[event.kind_case()] += 1;
      const absl::Time now = domain::FromProtoTime(event.occurred_at());
      if (now < last_time)
        r->out_of_order.push_back(absl::StrCat(where, " (", event.event_id(), ")"));
      last_time = std::max(last_time, now);
      v1::Account& account = r->accounts[event.account_id()];

      auto seen = applied.find(event.event_id());
      if (seen != applied.end()) {
        // A repeated event id: the same payload gets the recorded decision;
        // a different payload under a used id is bad input.
        ++r->repeats;
        if (seen->second.first != line) {
          r->bad_input.push_back(
              absl::StrCat(where, " (", event.event_id(),
                           "): event id reused with a different payload"));
          continue;
        }
        r->outcomes[seen->second.second.outcome()] += 1;
        if (watched.count(event.event_id()) > 0) {
          Observed& o = r->observed[event.event_id()];
          o.repeated = true;
          o.at_repeat = account;
          v1::EvaluateRequest again;
          *again.mutable_account() = account;
          *again.mutable_event() = event;
          *again.mutable_now() = event.occurred_at();
          *again.mutable_audit_chain_head() = head;
          o.engine_on_repeat = (*engine)->Evaluate(again).status();
        }
        continue;
      }

      v1::EvaluateRequest request;
      *request.mutable_account() = account;
      *request.mutable_event() = event;
      *request.mutable_now() = event.occurred_at();
      *request.mutable_audit_chain_head() = head;
      absl::StatusOr<v1::EvaluateResponse> response = (*engine)->Evaluate(request);
      if (!response.ok()) {
        r->bad_input.push_back(absl::StrCat(where, " (", event.event_id(),
                                            "): ", response.status().ToString()));
        continue;
      }
      const v1::Decision& decision = response->decision();
      r->outcomes[decision.outcome()] += 1;
      for (const v1::Reason& reason : decision.reasons())
        r->rules_fired[ReasonKey(reason)] += 1;
      for (const std::string& tag : decision.tags()) r->tags[tag] += 1;
      if (watched.count(event.event_id()) > 0) {
        Observed& o = r->observed[event.event_id()];
        o.event = event;
        o.decision = decision;
        o.before = account;
        o.after = response->account();
      }
      applied[event.event_id()] = {line, decision};
      account = response->account();
      head = engine::HeadAfter(response->audit());
      r->audit.push_back(response->audit());
    }
    return r;
  }();
  return *result;
}

std::string Explain(const v1::Decision& d) {
  std::vector<std::string> reasons;
  for (const v1::Reason& reason : d.reasons()) {
    reasons.push_back(
        absl::StrCat(ReasonKey(reason), "(", v1::ActionKind_Name(reason.action()), ")"));
  }
  return absl::StrCat(v1::DecisionOutcome_Name(d.outcome()), " score ", d.risk_score(),
                      " [", absl::StrJoin(reasons, ", "), "]");
}

const v1::Deposit* FindDeposit(const v1::Account& account, absl::string_view id) {
  for (const v1::Deposit& d : account.deposits()) {
    if (d.deposit_id() == id) return &d;
  }
  return nullptr;
}

const v1::Withdrawal* FindWithdrawal(const v1::Account& account, absl::string_view id) {
  for (const v1::Withdrawal& w : account.withdrawals()) {
    if (w.withdrawal_id() == id) return &w;
  }
  return nullptr;
}

const v1::PaymentInstrument* FindInstrument(const v1::Account& account,
                                            absl::string_view id) {
  for (const v1::PaymentInstrument& i : account.instruments()) {
    if (i.instrument_id() == id) return &i;
  }
  return nullptr;
}

bool HasRestriction(const v1::Account& account, v1::RestrictionKind kind) {
  for (const v1::Restriction& r : account.restrictions()) {
    if (r.kind() == kind && !r.has_until()) return true;
  }
  return false;
}

int64_t Cash(const v1::Account& account) {
  return account.balances().cash().minor_units();
}

bool Refused(const v1::Decision& d) {
  return d.outcome() == v1::DECISION_OUTCOME_DENY ||
         d.outcome() == v1::DECISION_OUTCOME_ESCALATE;
}

// The observed scenario events of `scenario` (at least one must exist).
std::vector<const Observed*> Scenario(const std::string& scenario) {
  const ReplayResult& r = Replay();
  std::vector<const Observed*> found;
  auto range = r.scenarios.equal_range(scenario);
  for (auto it = range.first; it != range.second; ++it) {
    auto o = r.observed.find(it->second);
    EXPECT_NE(o, r.observed.end())
        << scenario << ": event " << it->second << " not replayed";
    if (o != r.observed.end()) found.push_back(&o->second);
  }
  EXPECT_FALSE(found.empty()) << "no story for scenario " << scenario;
  return found;
}

// The event of `scenario` on the same account as `o` (one per story).
const Observed* Sibling(const std::string& scenario, const Observed& o) {
  for (const Observed* other : Scenario(scenario)) {
    if (other->event.account_id() == o.event.account_id()) return other;
  }
  return nullptr;
}

TEST(EventStreamTest, EveryLineIsValidForTheEngine) {
  const ReplayResult& r = Replay();
  if (CommittedStream()) {
    EXPECT_GE(r.lines, 10000);
    EXPECT_GE(r.accounts.size(), 200u);
  }
  std::vector<std::string> first(
      r.bad_input.begin(),
      r.bad_input.begin() + std::min<size_t>(r.bad_input.size(), 20));
  EXPECT_TRUE(r.bad_input.empty())
      << r.bad_input.size() << " events refused as bad input:\n"
      << absl::StrJoin(first, "\n");
  EXPECT_TRUE(r.out_of_order.empty()) << absl::StrJoin(r.out_of_order, "\n");
  // The stream's only repeats are the deliberate duplicate deliveries.
  EXPECT_EQ(r.repeats, static_cast<int64_t>(r.scenarios.count("duplicate_event")));
}

TEST(EventStreamTest, HoldsEveryEventKind) {
  const ReplayResult& r = Replay();
  const google::protobuf::OneofDescriptor* kind =
      v1::Event::descriptor()->FindOneofByName("kind");
  ASSERT_NE(kind, nullptr);
  ASSERT_EQ(kind->field_count(), 26);
  for (int i = 0; i < kind->field_count(); ++i) {
    const auto k = static_cast<v1::Event::KindCase>(kind->field(i)->number());
    auto it = r.kinds.find(k);
    EXPECT_TRUE(it != r.kinds.end() && it->second > 0)
        << kind->field(i)->name() << " missing";
  }
}

TEST(EventStreamTest, DecisionsChainIntoOneVerifiableAuditTrail) {
  const ReplayResult& r = Replay();
  ASSERT_FALSE(r.audit.empty());
  EXPECT_THAT(engine::VerifyAuditChain(r.audit, {}), IsOk());
  EXPECT_EQ(r.audit.back().sequence(), r.audit.size());
}

TEST(EventStreamTest, PrintsOutcomesAndTopRules) {
  const ReplayResult& r = Replay();
  std::cout << "replayed " << r.lines << " events, " << r.accounts.size() << " accounts, "
            << r.repeats << " repeated deliveries\n";
  for (const auto& [outcome, count] : r.outcomes) {
    std::cout << "  " << v1::DecisionOutcome_Name(outcome) << ": " << count << "\n";
  }
  std::vector<std::pair<int64_t, std::string>> rules;
  for (const auto& [rule, count] : r.rules_fired) rules.emplace_back(count, rule);
  std::sort(rules.rbegin(), rules.rend());
  std::cout << "top reasons (rule id or domain code):\n";
  for (size_t i = 0; i < rules.size() && i < 20; ++i) {
    std::cout << "  " << rules[i].second << ": " << rules[i].first << "\n";
  }
  for (const auto& [tag, count] : r.tags)
    std::cout << "tag " << tag << ": " << count << "\n";
  // Mostly ordinary play: far more allowed than refused.
  auto count = [&](v1::DecisionOutcome o) {
    auto it = r.outcomes.find(o);
    return it == r.outcomes.end() ? int64_t{0} : it->second;
  };
  EXPECT_GT(count(v1::DECISION_OUTCOME_ALLOW), 10 * count(v1::DECISION_OUTCOME_DENY));
  EXPECT_GT(count(v1::DECISION_OUTCOME_ESCALATE), 0);
  EXPECT_GT(count(v1::DECISION_OUTCOME_REVIEW), 0);
  EXPECT_GT(count(v1::DECISION_OUTCOME_HOLD), 0);
}

// --- issue 5's scenarios -------------------------------------------------------

TEST(EventStreamScenarioTest,
     WithdrawalAfterEmailChangeFromNewDeviceIsHeldAndChallenged) {
  for (const Observed* o : Scenario("email_change_new_device_withdrawal")) {
    const v1::Decision& d = o->decision;
    EXPECT_EQ(d.outcome(), v1::DECISION_OUTCOME_HOLD)
        << o->event.event_id() << " " << Explain(d);
    EXPECT_TRUE(std::any_of(d.required_factors().begin(), d.required_factors().end(),
                            [](int k) {
                              return k == v1::FACTOR_KIND_APP_APPROVAL ||
                                     k == v1::FACTOR_KIND_TOTP;
                            }))
        << Explain(d);
    // The device was never seen before and the e-mail changed about 2 h earlier.
    const v1::Account& before = o->before;
    EXPECT_TRUE(std::none_of(before.devices().begin(), before.devices().end(),
                             [&](const v1::Device& dev) {
                               return dev.device_id() == o->event.device().device_id();
                             }));
    const absl::Duration since_change =
        domain::FromProtoTime(o->event.occurred_at()) -
        domain::FromProtoTime(before.security().email_changed_at());
    EXPECT_GE(since_change, absl::Hours(2));
    EXPECT_LT(since_change, absl::Hours(3));
    const v1::Withdrawal* w =
        FindWithdrawal(o->after, o->event.withdrawal_requested().withdrawal_id());
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->state(), v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);
  }
}

TEST(EventStreamScenarioTest, PasswordResetByPhoneIsRefusedAndRoutedToEmailLinkOrApp) {
  for (const Observed* o : Scenario("phone_password_reset")) {
    EXPECT_EQ(o->event.channel(), v1::CHANNEL_PHONE);
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_DENY) << Explain(o->decision);
    EXPECT_EQ(o->after.version(), o->before.version())
        << "a refused reset changes nothing";
    EXPECT_EQ(o->after.security().password_reset_requested_at().seconds(),
              o->before.security().password_reset_requested_at().seconds());
    // The agent may not reset it either, but may send the e-mail link ...
    const Observed* agent = Sibling("agent_password_reset", *o);
    ASSERT_NE(agent, nullptr);
    EXPECT_EQ(agent->decision.outcome(), v1::DECISION_OUTCOME_DENY)
        << Explain(agent->decision);
    const Observed* link = Sibling("password_reset_link_sent", *o);
    ASSERT_NE(link, nullptr);
    EXPECT_EQ(link->event.support_action_request().reset_method(),
              v1::PASSWORD_RESET_METHOD_EMAIL_LINK);
    EXPECT_EQ(link->decision.outcome(), v1::DECISION_OUTCOME_ALLOW)
        << Explain(link->decision);
    // ... and the player resets it through that link, outside the call.
    const Observed* reset = Sibling("password_reset_by_email_link", *o);
    ASSERT_NE(reset, nullptr);
    EXPECT_NE(reset->event.channel(), v1::CHANNEL_PHONE);
    EXPECT_FALSE(Refused(reset->decision)) << Explain(reset->decision);
  }
}

TEST(EventStreamScenarioTest,
     CallerWithOnlyNameAndBirthDateGetsBasicTierAndCannotLiftRestriction) {
  for (const Observed* o : Scenario("basic_caller_call")) {
    const v1::CallerClaims& claims = o->event.support_call().claims();
    EXPECT_FALSE(claims.name().empty());
    EXPECT_TRUE(claims.has_date_of_birth());
    EXPECT_TRUE(claims.email().empty() && claims.phone().empty() &&
                claims.recent_transaction_id().empty() && claims.device_id().empty());
    EXPECT_EQ(o->decision.disclosure_tier(), v1::DISCLOSURE_TIER_BASIC)
        << Explain(o->decision);
    EXPECT_THAT(o->decision.allowed_support_actions(),
                Not(Contains(v1::SUPPORT_ACTION_LIFT_RESTRICTION)));
    const Observed* lift = Sibling("basic_caller_lift", *o);
    ASSERT_NE(lift, nullptr);
    EXPECT_EQ(lift->event.support_action_request().action(),
              v1::SUPPORT_ACTION_LIFT_RESTRICTION);
    EXPECT_EQ(lift->decision.outcome(), v1::DECISION_OUTCOME_DENY)
        << Explain(lift->decision);
    EXPECT_TRUE(HasRestriction(lift->before, v1::RESTRICTION_KIND_NEGATIVE_BALANCE));
    EXPECT_TRUE(HasRestriction(lift->after, v1::RESTRICTION_KIND_NEGATIVE_BALANCE));
    EXPECT_EQ(lift->after.status(), lift->before.status());
  }
}

TEST(EventStreamScenarioTest, CardHolderInHalfWidthKanaIsAllowedAndJohnSmithIsDeclined) {
  const ReplayResult& r = Replay();
  for (const Observed* o : Scenario("card_holder_kana")) {
    const v1::DepositRequested& dep = o->event.deposit_requested();
    EXPECT_EQ(dep.new_instrument().card().holder_name(), "ﾔﾏﾀﾞ ﾀﾛｳ");
    bool kana_account = false;
    for (const v1::PersonName& n : o->before.profile().names()) {
      kana_account |= n.script() == v1::NAME_SCRIPT_KANA && n.family_name() == "ヤマダ" &&
                      n.given_name() == "タロウ";
    }
    EXPECT_TRUE(kana_account);
    EXPECT_FALSE(Refused(o->decision)) << Explain(o->decision);
    // It went through 3-D Secure and settled by the end of the stream.
    const v1::Deposit* end =
        FindDeposit(r.accounts.at(o->event.account_id()), dep.deposit_id());
    ASSERT_NE(end, nullptr);
    EXPECT_EQ(end->state(), v1::DEPOSIT_STATE_COMPLETED);
  }
  for (const Observed* o : Scenario("card_holder_john_smith")) {
    const v1::DepositRequested& dep = o->event.deposit_requested();
    EXPECT_EQ(dep.new_instrument().card().holder_name(), "JOHN SMITH");
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_DENY) << Explain(o->decision);
    const v1::Deposit* d = FindDeposit(o->after, dep.deposit_id());
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->state(), v1::DEPOSIT_STATE_DECLINED);
    EXPECT_EQ(Cash(o->after), Cash(o->before));
  }
}

TEST(EventStreamScenarioTest, DepositOverTheDailyLimitIsDeclined) {
  for (const Observed* o : Scenario("over_daily_limit")) {
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_DENY) << Explain(o->decision);
    const v1::Deposit* d =
        FindDeposit(o->after, o->event.deposit_requested().deposit_id());
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->state(), v1::DEPOSIT_STATE_DECLINED);
    EXPECT_EQ(Cash(o->after), Cash(o->before));
    // A daily limit was in force and this deposit would have crossed it.
    bool daily = false;
    for (const v1::DepositLimit& l : o->before.responsible_gambling().deposit_limits()) {
      if (l.period() != v1::LIMIT_PERIOD_DAILY) continue;
      daily = true;
      EXPECT_GT(
          l.used().minor_units() + o->event.deposit_requested().amount().minor_units(),
          l.amount().minor_units());
    }
    EXPECT_TRUE(daily);
  }
}

TEST(EventStreamScenarioTest, LimitIncreaseTakesEffectOnlyAfter24Hours) {
  for (const Observed* raise : Scenario("limit_increase_requested")) {
    const v1::DepositLimit* limit = nullptr;
    for (const v1::DepositLimit& l :
         raise->after.responsible_gambling().deposit_limits()) {
      if (l.period() == v1::LIMIT_PERIOD_DAILY) limit = &l;
    }
    ASSERT_NE(limit, nullptr);
    EXPECT_EQ(limit->amount().minor_units(), 10000);
    EXPECT_EQ(limit->pending_amount().minor_units(), 50000);
    const absl::Time effective = domain::FromProtoTime(limit->pending_effective_at());
    EXPECT_EQ(effective,
              domain::FromProtoTime(raise->event.occurred_at()) + absl::Hours(24));

    const Observed* early = Sibling("limit_increase_early", *raise);
    ASSERT_NE(early, nullptr);
    EXPECT_LT(domain::FromProtoTime(early->event.occurred_at()), effective);
    EXPECT_GT(early->event.deposit_requested().amount().minor_units(), 10000);
    EXPECT_EQ(early->decision.outcome(), v1::DECISION_OUTCOME_DENY)
        << Explain(early->decision);

    const Observed* later = Sibling("limit_increase_effective", *raise);
    ASSERT_NE(later, nullptr);
    EXPECT_GE(domain::FromProtoTime(later->event.occurred_at()), effective);
    EXPECT_EQ(later->event.deposit_requested().amount().minor_units(),
              early->event.deposit_requested().amount().minor_units());
    EXPECT_FALSE(Refused(later->decision)) << Explain(later->decision);
    const v1::Deposit* d =
        FindDeposit(later->after, later->event.deposit_requested().deposit_id());
    ASSERT_NE(d, nullptr);
    EXPECT_NE(d->state(), v1::DEPOSIT_STATE_DECLINED);
  }
}

TEST(EventStreamScenarioTest, SelfExcludedDepositIsDenied) {
  for (const Observed* o : Scenario("self_excluded_deposit")) {
    EXPECT_EQ(o->before.status(), v1::ACCOUNT_STATUS_SELF_EXCLUDED);
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_DENY) << Explain(o->decision);
    EXPECT_EQ(Cash(o->after), Cash(o->before));
    EXPECT_EQ(o->after.totals().completed_deposit_count(),
              o->before.totals().completed_deposit_count());
  }
  for (const Observed* o : Scenario("self_excluded_wager")) {
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_DENY) << Explain(o->decision);
    EXPECT_EQ(Cash(o->after), Cash(o->before));
  }
  for (const Observed* o : Scenario("timed_out_deposit")) {
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_DENY) << Explain(o->decision);
  }
}

TEST(EventStreamScenarioTest, WithdrawalWithoutVerifiedDocumentsWaitsForVerification) {
  const ReplayResult& r = Replay();
  for (const Observed* o : Scenario("withdrawal_without_documents")) {
    EXPECT_LT(o->before.kyc().level(), v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_HOLD) << Explain(o->decision);
    const std::string& id = o->event.withdrawal_requested().withdrawal_id();
    const v1::Withdrawal* w = FindWithdrawal(o->after, id);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->state(), v1::WITHDRAWAL_STATE_PENDING_VERIFICATION);
    EXPECT_EQ(o->after.balances().reserved().minor_units(),
              o->before.balances().reserved().minor_units() +
                  o->event.withdrawal_requested().amount().minor_units());
    // Once the documents are accepted a payments officer releases it and it is paid.
    const v1::Withdrawal* end = FindWithdrawal(r.accounts.at(o->event.account_id()), id);
    ASSERT_NE(end, nullptr);
    EXPECT_THAT(end->state(),
                ::testing::AnyOf(v1::WITHDRAWAL_STATE_PAID, v1::WITHDRAWAL_STATE_FAILED,
                                 v1::WITHDRAWAL_STATE_RETURNED));
  }
}

TEST(EventStreamScenarioTest, PayoutToADestinationNeverUsedToDepositIsReviewed) {
  for (const Observed* o : Scenario("payout_new_destination")) {
    const v1::PaymentInstrument* target =
        FindInstrument(o->before, o->event.withdrawal_requested().instrument_id());
    ASSERT_NE(target, nullptr);
    EXPECT_FALSE(target->used_to_deposit());
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_REVIEW) << Explain(o->decision);
    EXPECT_TRUE(engine::IsWellFormedCaseId(o->decision.case_id()))
        << o->decision.case_id();
    const v1::Withdrawal* w =
        FindWithdrawal(o->after, o->event.withdrawal_requested().withdrawal_id());
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->state(), v1::WITHDRAWAL_STATE_PENDING_REVIEW);
  }
}

TEST(EventStreamScenarioTest, UrgentPhoneWithdrawalWithPressureIsEscalatedWithACaseId) {
  for (const Observed* o : Scenario("urgent_phone_withdrawal")) {
    const v1::SupportActionRequest& req = o->event.support_action_request();
    EXPECT_EQ(o->event.channel(), v1::CHANNEL_PHONE);
    EXPECT_THAT(req.flags(), Contains(v1::CALL_FLAG_URGENCY_PRESSURE));
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_ESCALATE)
        << Explain(o->decision);
    EXPECT_TRUE(engine::IsWellFormedCaseId(o->decision.case_id()))
        << o->decision.case_id();
    bool case_opened = false;
    for (const v1::Case& c : o->after.cases())
      case_opened |= c.case_id() == o->decision.case_id();
    EXPECT_TRUE(case_opened);
    EXPECT_EQ(o->after.status(), v1::ACCOUNT_STATUS_SUSPENDED);
    const v1::Withdrawal* w = FindWithdrawal(o->after, req.withdrawal_id());
    ASSERT_NE(w, nullptr);
    EXPECT_FALSE(w->expedited());
  }
}

TEST(EventStreamScenarioTest, DuplicateEventIdGetsTheSameDecisionAndNoSecondCredit) {
  for (const Observed* o : Scenario("duplicate_event")) {
    ASSERT_TRUE(o->repeated) << o->event.event_id() << " is not delivered twice";
    EXPECT_EQ(o->event.kind_case(), v1::Event::kDepositSettled);
    EXPECT_EQ(o->decision.outcome(), v1::DECISION_OUTCOME_ALLOW) << Explain(o->decision);
    EXPECT_EQ(
        Cash(o->after),
        Cash(o->before) + FindDeposit(o->after, o->event.deposit_settled().deposit_id())
                              ->net_amount()
                              .minor_units());
    // Evaluated again the engine refuses it (already applied / already final):
    // the host answers with the recorded decision, and nothing is credited twice.
    EXPECT_FALSE(o->engine_on_repeat.ok());
    EXPECT_EQ(Cash(o->at_repeat), Cash(o->after));
    EXPECT_EQ(o->at_repeat.totals().completed_deposit_count(),
              o->after.totals().completed_deposit_count());
  }
}

TEST(EventStreamScenarioTest, ChargebackDebitsCashAndRestrictsWhenNegative) {
  bool went_negative = false;
  for (const Observed* o : Scenario("chargeback")) {
    const std::string& id = o->event.deposit_reversed().deposit_id();
    const v1::Deposit* before = FindDeposit(o->before, id);
    ASSERT_NE(before, nullptr);
    EXPECT_EQ(before->state(), v1::DEPOSIT_STATE_COMPLETED);
    const v1::Deposit* after = FindDeposit(o->after, id);
    ASSERT_NE(after, nullptr);
    EXPECT_EQ(after->state(), v1::DEPOSIT_STATE_REVERSED);
    EXPECT_EQ(Cash(o->after), Cash(o->before) - before->net_amount().minor_units());
    if (Cash(o->after) < 0) {
      went_negative = true;
      EXPECT_TRUE(HasRestriction(o->after, v1::RESTRICTION_KIND_NEGATIVE_BALANCE));
      EXPECT_EQ(o->after.status(), v1::ACCOUNT_STATUS_RESTRICTED);
    } else {
      EXPECT_FALSE(HasRestriction(o->after, v1::RESTRICTION_KIND_NEGATIVE_BALANCE));
    }
  }
  EXPECT_TRUE(went_negative) << "no chargeback story leaves cash below zero";
}

}  // namespace
}  // namespace examples
}  // namespace pitboss
