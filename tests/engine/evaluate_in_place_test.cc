// Engine::EvaluateInPlace against Engine::Evaluate with the shipped default
// policy: over a realistic event sequence (the example stream and the
// scenario driver's history) the in-place call gives byte-identical decision,
// audit record and account, and every bad input gets the same status.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "pitboss/engine.h"
#include "src/domain/proto_time.h"
#include "src/engine/audit_chain.h"
#include "tests/engine/example_stream.h"
#include "tests/engine/scenario_history.h"
#include "tests/matchers.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace {

using ::pitboss::scenarios::LoadDefaultPolicy;
using ::pitboss::scenarios::ScenarioDriver;
using ::pitboss::testing::ScenarioHistory;
using ::pitboss::scenarios::ScenarioStart;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

// Events of the example stream compared (its first part: every event kind and
// the scenario stories of the early accounts; the whole stream takes too long
// under the sanitizers).
constexpr int kStreamEvents = 4000;

std::unique_ptr<Engine> DefaultEngine() {
  absl::StatusOr<v1::Policy> policy = LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
  EXPECT_THAT(policy, IsOk());
  if (!policy.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*policy);
  EXPECT_THAT(engine, IsOk());
  return engine.ok() ? std::move(*engine) : nullptr;
}

std::string Bytes(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

// Evaluates `event` at `now` both ways, starting from `account` and `head`;
// expects the same status, or byte-identical decision, audit and account.
// Returns Evaluate's response (or its error).
absl::StatusOr<v1::EvaluateResponse> BothWays(const Engine& engine,
                                              const v1::Account& account,
                                              const v1::Event& event, absl::Time now,
                                              const v1::AuditChainHead& head,
                                              const std::string& where) {
  v1::EvaluateRequest request;
  *request.mutable_account() = account;
  *request.mutable_event() = event;
  *request.mutable_now() = domain::ToProtoTime(now);
  *request.mutable_audit_chain_head() = head;
  absl::StatusOr<v1::EvaluateResponse> response = engine.Evaluate(request);

  v1::Account in_place = account;
  absl::StatusOr<EvaluateInPlaceResult> result =
      engine.EvaluateInPlace(&in_place, event, now, head);
  if (!response.ok()) {
    EXPECT_EQ(result.status(), response.status()) << where;
    return response;
  }
  EXPECT_THAT(result, IsOk()) << where;
  if (!result.ok()) return response;
  EXPECT_EQ(Bytes(result->decision), Bytes(response->decision())) << where;
  EXPECT_EQ(Bytes(result->audit), Bytes(response->audit())) << where;
  EXPECT_EQ(Bytes(in_place), Bytes(response->account())) << where;
  // The decision's bytes handed out are its canonical bytes.
  EXPECT_EQ(result->decision_bytes, Bytes(result->decision)) << where;
  return response;
}

TEST(EvaluateInPlaceTest, SameAsEvaluateOverTheExampleStream) {
  std::unique_ptr<Engine> engine = DefaultEngine();
  ASSERT_NE(engine, nullptr);
  absl::StatusOr<std::vector<v1::Event>> events = testing::LoadExampleStream(kStreamEvents);
  ASSERT_THAT(events, IsOk());
  std::map<std::string, v1::Account> accounts;
  v1::AuditChainHead head;
  int lines = 0;
  int applied = 0;
  std::map<v1::Event::KindCase, int> kinds;
  for (const v1::Event& event : *events) {
    ++lines;
    kinds[event.kind_case()] += 1;
    v1::Account& account = accounts[event.account_id()];
    const std::string where = absl::StrCat("line ", lines, " (", event.event_id(), ")");
    absl::StatusOr<v1::EvaluateResponse> response =
        BothWays(*engine, account, event, domain::FromProtoTime(event.occurred_at()),
                 head, where);
    if (::testing::Test::HasFailure()) return;  // one mismatch says it all
    if (!response.ok()) continue;  // repeated event ids
    ++applied;
    account = response->account();
    head = engine::HeadAfter(response->audit());
  }
  EXPECT_EQ(lines, kStreamEvents);
  EXPECT_GT(applied, kStreamEvents * 9 / 10);
  EXPECT_GT(kinds.size(), 15u);
}

TEST(EvaluateInPlaceTest, SameAsEvaluateOverTheScenarioHistory) {
  std::unique_ptr<Engine> engine = DefaultEngine();
  ASSERT_NE(engine, nullptr);
  ScenarioDriver d(engine.get(), "acct-1", ScenarioStart());
  int step = 0;
  const std::vector<v1::Event> events = ScenarioHistory(d);
  for (v1::Event event : events) {
    d.Advance(absl::Minutes(1));
    *event.mutable_occurred_at() = domain::ToProtoTime(d.now());
    absl::StatusOr<v1::EvaluateResponse> response =
        BothWays(*engine, d.account(), event, d.now(), d.head(),
                 absl::StrCat("step ", ++step, ": ", event.ShortDebugString()));
    ASSERT_THAT(response, IsOk());
    d.Adopt(*response);
  }
  EXPECT_EQ(step, 17);
  EXPECT_GE(d.account().version(), 12);  // most of the history applies
}

class EvaluateInPlaceBadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = DefaultEngine();
    ASSERT_NE(engine_, nullptr);
    d_ = std::make_unique<ScenarioDriver>(engine_.get(), "acct-1", ScenarioStart());
    ASSERT_THAT(d_->Send(d_->OpenJapaneseAccount()), IsOk());
    d_->Advance(absl::Minutes(1));
  }

  // Both calls refuse `event` on `account` with the same status, which has
  // `code` and names `field`.
  void ExpectSameRefusal(const v1::Account& account, const v1::Event& event,
                         absl::StatusCode code, const std::string& field) {
    absl::StatusOr<v1::EvaluateResponse> response =
        BothWays(*engine_, account, event, d_->now(), d_->head(), event.ShortDebugString());
    EXPECT_THAT(response, StatusIs(code, HasSubstr(field))) << event.ShortDebugString();
  }

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<ScenarioDriver> d_;
};

TEST_F(EvaluateInPlaceBadInputTest, SameStatusAsEvaluate) {
  const v1::Account& account = d_->account();
  v1::Event event = d_->Login(true);
  event.clear_login_attempt();
  ExpectSameRefusal(account, event, absl::StatusCode::kInvalidArgument, "event.kind");

  ExpectSameRefusal(v1::Account(), d_->Login(true), absl::StatusCode::kNotFound, "account");
  event = d_->Login(true);
  event.set_account_id("acct-2");
  ExpectSameRefusal(account, event, absl::StatusCode::kInvalidArgument, "event.account_id");
  ExpectSameRefusal(account, d_->OpenJapaneseAccount(), absl::StatusCode::kAlreadyExists,
                    "account");
  event = d_->Login(true);
  event.clear_event_id();
  ExpectSameRefusal(account, event, absl::StatusCode::kInvalidArgument, "event.event_id");
  ExpectSameRefusal(account, d_->WithdrawalPaid("w-unknown"), absl::StatusCode::kNotFound,
                    "event.withdrawal_paid.withdrawal_id");
  event = d_->DepositNewCard("d-1", 5000, "card-1", "YAMADA TARO");
  event.mutable_deposit_requested()->mutable_amount()->set_currency("USD");
  ExpectSameRefusal(account, event, absl::StatusCode::kInvalidArgument,
                    "event.deposit_requested.amount");
  ExpectSameRefusal(account, d_->Withdrawal("w-1", 5000, "bank-404"),
                    absl::StatusCode::kNotFound, "event.withdrawal_requested.instrument_id");
  event = d_->Login(true);
  event.set_channel(static_cast<v1::Channel>(99));
  ExpectSameRefusal(account, event, absl::StatusCode::kInvalidArgument, "event.channel");

  // The event applied last, again.
  const v1::Event login = d_->Login(true);
  ASSERT_THAT(d_->Send(login), IsOk());
  ExpectSameRefusal(d_->account(), login, absl::StatusCode::kAlreadyExists,
                    "event.event_id");
}

TEST_F(EvaluateInPlaceBadInputTest, NullAccountAndBadTimes) {
  v1::Account account = d_->account();
  const v1::Event login = d_->Login(true);
  EXPECT_THAT(engine_->EvaluateInPlace(nullptr, login, d_->now(), d_->head()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("account")));
  EXPECT_THAT(engine_->EvaluateInPlace(&account, login, absl::InfiniteFuture(), d_->head()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("now")));
  EXPECT_THAT(engine_->EvaluateInPlace(&account, login, absl::InfinitePast(), d_->head()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("now")));
  // Year 10000: beyond google.protobuf.Timestamp, as Evaluate's `now` would be.
  const absl::Time too_late = absl::FromUnixSeconds(253402300800);
  EXPECT_THAT(engine_->EvaluateInPlace(&account, login, too_late, d_->head()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("now")));
  v1::EvaluateRequest request = d_->Request(login);
  *request.mutable_now() = domain::ToProtoTime(too_late);
  EXPECT_EQ(engine_->EvaluateInPlace(&account, login, too_late, d_->head()).status(),
            engine_->Evaluate(request).status());
  // These are refused before anything is read or changed.
  EXPECT_EQ(Bytes(account), Bytes(d_->account()));
}

TEST_F(EvaluateInPlaceBadInputTest, OkLeavesTheAccountAfterAndMovesTheVersion) {
  v1::Account account = d_->account();
  const int64_t version = account.version();
  absl::StatusOr<EvaluateInPlaceResult> result =
      engine_->EvaluateInPlace(&account, d_->Login(true), d_->now(), d_->head());
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(account.version(), version + 1);
  EXPECT_EQ(result->decision.account_version(), version + 1);
  EXPECT_EQ(result->audit.sequence(), d_->head().sequence() + 1);
}

TEST_F(EvaluateInPlaceBadInputTest, HandsOutTheDecisionBytesTheAuditRecordHashed) {
  v1::Account account = d_->account();
  const v1::Event deposit = d_->DepositNewCard("d-1", 5000, "card-1", "YAMADA TARO");
  absl::StatusOr<EvaluateInPlaceResult> result =
      engine_->EvaluateInPlace(&account, deposit, d_->now(), d_->head());
  ASSERT_THAT(result, IsOk());
  absl::StatusOr<std::string> canonical = engine::CanonicalBytes(result->decision);
  ASSERT_THAT(canonical, IsOk());
  EXPECT_FALSE(result->decision_bytes.empty());
  EXPECT_EQ(result->decision_bytes, *canonical);
  // They parse back into the decision, and are what the payload hash covers.
  v1::Decision parsed;
  ASSERT_TRUE(parsed.ParseFromString(result->decision_bytes));
  EXPECT_EQ(Bytes(parsed), Bytes(result->decision));
  EXPECT_THAT(engine::VerifyAuditPayload(result->audit, deposit, parsed), IsOk());
}

}  // namespace
}  // namespace pitboss
