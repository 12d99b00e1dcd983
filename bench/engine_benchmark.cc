// Engine::Evaluate with the shipped default policy (44 rules) on a realistic
// event mix, four ways, measured in the same run:
//   BM_EngineEvaluateSerialized  bytes in, bytes out (what the C ABI pays):
//                                parse the request, evaluate, serialize the
//                                response deterministically;
//   BM_EngineEvaluate            the in-process C++ call on a parsed request;
//   BM_EvaluateInPlace           the store's call: the parsed account changed
//                                in place (no copy of it in the result);
//   BM_RuleSetEvaluate           the CEL part alone: RuleSet::Evaluate of the
//                                policy's rules on precomputed features.
// The account is built by events through the engine itself: a player of five
// weeks with 30 deposits, 300 settled wagers, 6 paid withdrawals, 3
// instruments, 2 devices, KYC documents verified. The mix (per 20 events) is
// what a casino backend sends most: 10 wagers, 2 logins, 2 factor
// verifications, 2 deposit requests, 2 deposit settlements, 1 withdrawal
// request, 1 support call. Each request is evaluated against the same account
// snapshot (so the numbers do not drift as the account grows). Time per
// iteration = per event. The `/kind:k` variants run one kind of event only
// (0 wager, 1 login, 2 verification, 3 deposit request, 4 settlement,
// 5 withdrawal, 6 support call; -1 the mix). Baselines: parsing the request
// bytes, and one copy of the account; components: the state-change
// comparison and the audit record.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "pitboss/engine.h"
#include "pitboss/v1/policy.pb.h"
#include "src/domain/name_match.h"
#include "src/engine/audit_chain.h"
#include "src/engine/rule_set.h"
#include "src/engine/state_changes.h"
#include "src/risk/features.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace {

using scenarios::ScenarioDriver;

void Require(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    fprintf(stderr, "setup failed (%s): %s\n", what, status.ToString().c_str());
    abort();
  }
}

enum Kind { kWager, kLogin, kVerify, kDeposit, kSettle, kWithdraw, kCall, kKinds };

struct Workload {
  v1::Policy policy;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<engine::RuleSet> rules;
  risk::FeatureOptions feature_options;
  // Per kind: requests, their bytes, and the precomputed features.
  std::vector<v1::EvaluateRequest> requests[kKinds];
  std::vector<std::string> bytes[kKinds];
  std::vector<v1::Features> features[kKinds];
  // The mix, in order.
  std::vector<const v1::EvaluateRequest*> mix;
  std::vector<const std::string*> mix_bytes;
  std::vector<const v1::Features*> mix_features;
  size_t account_bytes = 0;
};

void Send(ScenarioDriver& d, v1::Event event) {
  d.Advance(absl::Minutes(7));
  *event.mutable_occurred_at() = domain::ToProtoTime(d.now());
  absl::StatusOr<v1::EvaluateResponse> response = d.Send(event);
  Require(response.status(), "history");
}

Workload* Build() {
  auto* w = new Workload();
  absl::StatusOr<v1::Policy> policy = scenarios::LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
  Require(policy.status(), "policy");
  w->policy = *policy;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(w->policy);
  Require(engine.status(), "engine");
  w->engine = std::move(*engine);
  absl::StatusOr<std::unique_ptr<engine::RuleSet>> rules = engine::RuleSet::Compile(w->policy);
  Require(rules.status(), "rules");
  w->rules = std::move(*rules);
  absl::StatusOr<risk::FeatureOptions> options = risk::DefaultFeatureOptions();
  Require(options.status(), "feature options");
  w->feature_options = *options;
  w->feature_options.reference_currency = w->policy.reference_currency();
  for (const v1::ReferenceRate& rate : w->policy.reference_rates()) {
    w->feature_options.rates.push_back(
        {rate.currency(), rate.reference_minor_units(), rate.per_minor_units()});
  }

  // Five weeks of history.
  ScenarioDriver d(w->engine.get(), "acct-bench", scenarios::ScenarioStart());
  Send(d, d.OpenJapaneseAccount());
  Send(d, d.Login(true));
  Send(d, d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
  Send(d, d.Verified("f-totp", v1::FACTOR_KIND_TOTP));
  Send(d, d.KycDocument("doc-1"));
  Send(d, d.KycAccepted("doc-1", v1::KYC_LEVEL_DOCUMENTS_VERIFIED));
  Send(d, d.DepositNewBank("d-init-bank", 5000, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
  Send(d, d.Settled("d-init-bank"));
  Send(d, d.DepositNewCard("d-init-card", 3000, "card-1", "YAMADA TARO"));
  Send(d, d.Settled("d-init-card"));
  int wager = 0;
  for (int day = 0; day < 35; ++day) {
    d.Advance(absl::Hours(23));
    if (day % 7 == 3) d.UseDevice("dev-tablet");
    if (day % 7 == 4) d.UseDevice("dev-phone");
    Send(d, d.Login(true));
    Send(d, d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
    Send(d, d.Verified("f-totp", v1::FACTOR_KIND_TOTP));
    if (day % 7 != 6) {
      const std::string id = "d-" + std::to_string(day);
      Send(d, d.Deposit(id, 4000, "bank-1"));
      Send(d, d.Settled(id));
    }
    for (int i = 0; i < 9; ++i) {
      Send(d, d.Wager("g-" + std::to_string(++wager), 500, i % 3 == 0 ? 1200 : 0));
    }
    if (day % 6 == 5) {
      const std::string id = "w-" + std::to_string(day);
      Send(d, d.Withdrawal(id, 3000, "bank-1"));
      v1::Event sent = d.Envelope(v1::CHANNEL_PROVIDER);
      sent.mutable_withdrawal_sent_to_provider()->set_withdrawal_id(id);
      if (d.account().withdrawals_size() > 0 &&
          d.account().withdrawals(d.account().withdrawals_size() - 1).state() ==
              v1::WITHDRAWAL_STATE_APPROVED) {
        Send(d, sent);
        Send(d, d.WithdrawalPaid(id));
      }
    }
  }
  d.Advance(absl::Hours(1));
  Send(d, d.Login(true));
  Send(d, d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
  w->account_bytes = d.account().ByteSizeLong();

  // The events, each against the same snapshot.
  d.Advance(absl::Minutes(3));
  for (int i = 0; i < 8; ++i) {
    const std::string n = std::to_string(i);
    std::vector<std::pair<Kind, v1::Event>> events = {
        {kWager, d.Wager("bw-" + n, 500 + 100 * i, i % 2 == 0 ? 0 : 900)},
        {kLogin, d.Login(i % 4 != 3)},
        {kVerify, d.Verified("f-totp", v1::FACTOR_KIND_TOTP)},
        {kDeposit, i % 2 == 0 ? d.Deposit("bd-" + n, 3000 + 500 * i, "bank-1")
                              : d.Deposit("bd-" + n, 3000, "card-1")},
        {kWithdraw, d.Withdrawal("bwd-" + n, 2000 + 1000 * i, "bank-1")},
        {kCall, d.SupportCall("call-" + n, ScenarioDriver::NameAndBirthDate())},
    };
    for (auto& [kind, event] : events) {
      w->requests[kind].push_back(d.Request(event));
    }
  }
  // Settlements need a pending deposit on the snapshot.
  {
    v1::EvaluateRequest pending = d.Request(d.Deposit("bs-pending", 4000, "bank-1"));
    absl::StatusOr<v1::EvaluateResponse> accepted = w->engine->Evaluate(pending);
    Require(accepted.status(), "pending deposit");
    for (int i = 0; i < 8; ++i) {
      v1::EvaluateRequest settle = d.Request(d.Settled("bs-pending"));
      *settle.mutable_account() = accepted->account();
      w->requests[kSettle].push_back(settle);
    }
  }
  // Digest of every response (through bytes and in process): a change that
  // is meant to be behaviour-preserving must leave it as it was.
  uint64_t digest = 1469598103934665603ull;  // FNV-1a
  auto mix_in = [&digest](const std::string& bytes) {
    for (unsigned char c : bytes) digest = (digest ^ c) * 1099511628211ull;
  };
  for (int k = 0; k < kKinds; ++k) {
    for (const v1::EvaluateRequest& request : w->requests[k]) {
      absl::StatusOr<v1::EvaluateResponse> check = w->engine->Evaluate(request);
      Require(check.status(), "workload request");
      w->bytes[k].push_back(request.SerializeAsString());
      absl::StatusOr<std::string> through_bytes = w->engine->EvaluateSerialized(w->bytes[k].back());
      Require(through_bytes.status(), "workload request (bytes)");
      mix_in(*through_bytes);
      mix_in(check->SerializeAsString());
      absl::StatusOr<v1::Features> features = risk::ComputeFeatures(
          request.account(), request.event(), domain::FromProtoTime(request.now()),
          w->feature_options);
      Require(features.status(), "features");
      w->features[k].push_back(*features);
    }
  }
  fprintf(stderr, "response digest: %016llx\n", static_cast<unsigned long long>(digest));
  // The mix: per 20 events 10 wagers, 2 logins, 2 verifications, 2 deposit
  // requests, 2 settlements, 1 withdrawal, 1 support call.
  const int pattern[20] = {kWager, kLogin,  kWager, kVerify,  kWager, kDeposit, kWager,
                           kSettle, kWager, kWithdraw, kWager, kLogin, kWager, kVerify,
                           kWager, kDeposit, kWager, kSettle, kWager, kCall};
  size_t next[kKinds] = {};
  for (int round = 0; round < 8; ++round) {
    for (int k : pattern) {
      const size_t i = next[k]++ % w->requests[k].size();
      w->mix.push_back(&w->requests[k][i]);
      w->mix_bytes.push_back(&w->bytes[k][i]);
      w->mix_features.push_back(&w->features[k][i]);
    }
  }
  return w;
}

const Workload& TheWorkload() {
  static const Workload* workload = Build();
  return *workload;
}

void BM_EngineEvaluateSerialized(benchmark::State& state) {
  const Workload& w = TheWorkload();
  const int kind = static_cast<int>(state.range(0));
  size_t i = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string& request =
        kind < 0 ? *w.mix_bytes[i % w.mix_bytes.size()] : w.bytes[kind][i % w.bytes[kind].size()];
    absl::StatusOr<std::string> response = w.engine->EvaluateSerialized(request);
    if (!response.ok()) state.SkipWithError(std::string(response.status().message()).c_str());
    bytes += request.size() + response->size();
    benchmark::DoNotOptimize(response);
    ++i;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["account_bytes"] = static_cast<double>(w.account_bytes);
}

void BM_EngineEvaluate(benchmark::State& state) {
  const Workload& w = TheWorkload();
  const int kind = static_cast<int>(state.range(0));
  size_t i = 0;
  for (auto _ : state) {
    const v1::EvaluateRequest& request =
        kind < 0 ? *w.mix[i % w.mix.size()] : w.requests[kind][i % w.requests[kind].size()];
    absl::StatusOr<v1::EvaluateResponse> response = w.engine->Evaluate(request);
    if (!response.ok()) state.SkipWithError(std::string(response.status().message()).c_str());
    benchmark::DoNotOptimize(response);
    ++i;
  }
}

// What the store pays: Engine::EvaluateInPlace on a parsed account it keeps.
// Each event needs the snapshot account afresh, so one round of the events
// gets fresh copies before it starts, outside the timed region (one pause
// per round, not per event).
void BM_EvaluateInPlace(benchmark::State& state) {
  const Workload& w = TheWorkload();
  const int kind = static_cast<int>(state.range(0));
  std::vector<const v1::EvaluateRequest*> round;
  if (kind < 0) {
    round = w.mix;
  } else {
    for (const v1::EvaluateRequest& request : w.requests[kind]) round.push_back(&request);
  }
  std::vector<v1::Account> accounts(round.size());
  size_t i = round.size();
  for (auto _ : state) {
    if (i == round.size()) {
      state.PauseTiming();
      for (size_t k = 0; k < round.size(); ++k) accounts[k] = round[k]->account();
      i = 0;
      state.ResumeTiming();
    }
    const v1::EvaluateRequest& request = *round[i];
    absl::StatusOr<EvaluateInPlaceResult> result =
        w.engine->EvaluateInPlace(&accounts[i], request.event(),
                                  domain::FromProtoTime(request.now()),
                                  request.audit_chain_head());
    if (!result.ok()) state.SkipWithError(std::string(result.status().message()).c_str());
    benchmark::DoNotOptimize(result);
    ++i;
  }
}

void BM_RuleSetEvaluate(benchmark::State& state) {
  const Workload& w = TheWorkload();
  const int kind = static_cast<int>(state.range(0));
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = kind < 0 ? i % w.mix.size() : i % w.requests[kind].size();
    const v1::EvaluateRequest& request = kind < 0 ? *w.mix[k] : w.requests[kind][k];
    const v1::Features& features = kind < 0 ? *w.mix_features[k] : w.features[kind][k];
    google::protobuf::Arena arena;
    engine::RuleInput input{&request.account(), &request.event(), &features,
                            domain::FromProtoTime(request.now())};
    absl::StatusOr<std::vector<engine::Finding>> findings = w.rules->Evaluate(input, &arena);
    if (!findings.ok()) state.SkipWithError(std::string(findings.status().message()).c_str());
    benchmark::DoNotOptimize(findings);
    ++i;
  }
}

// Baseline in the same run: parsing the request bytes alone (the floor of
// any evaluation through bytes: the account is most of them).
void BM_ParseRequestBaseline(benchmark::State& state) {
  const Workload& w = TheWorkload();
  size_t i = 0;
  for (auto _ : state) {
    v1::EvaluateRequest request;
    if (!request.ParseFromString(*w.mix_bytes[i % w.mix_bytes.size()])) {
      state.SkipWithError("parse failed");
    }
    benchmark::DoNotOptimize(request);
    ++i;
  }
}
BENCHMARK(BM_ParseRequestBaseline);

// The same on an arena with 64 KB blocks, as EvaluateSerialized parses: the
// floor of the through-bytes path.
void BM_ParseRequestOnArenaBaseline(benchmark::State& state) {
  const Workload& w = TheWorkload();
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 << 10;
  options.max_block_size = 64 << 10;
  size_t i = 0;
  for (auto _ : state) {
    google::protobuf::Arena arena(options);
    auto* request = google::protobuf::Arena::CreateMessage<v1::EvaluateRequest>(&arena);
    if (!request->ParseFromString(*w.mix_bytes[i % w.mix_bytes.size()])) {
      state.SkipWithError("parse failed");
    }
    benchmark::DoNotOptimize(request);
    ++i;
  }
}
BENCHMARK(BM_ParseRequestOnArenaBaseline);

// Baseline: one copy of the account (the pipeline needs at least one: the
// result account next to the request's; the domain copies once more per
// applied step, see domain/account_change.h).
void BM_AccountCopyBaseline(benchmark::State& state) {
  const Workload& w = TheWorkload();
  for (auto _ : state) {
    v1::Account copy = w.mix[0]->account();
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_AccountCopyBaseline);

// Component: the state-change report of one evaluation (snapshot of the
// account before, comparison with the account after; here unchanged, which
// is the usual case and the full cost: every section is compared).
void BM_StateChangeDiff(benchmark::State& state) {
  const Workload& w = TheWorkload();
  size_t i = 0;
  for (auto _ : state) {
    const v1::Account& account = w.mix[i % w.mix.size()]->account();
    engine::AccountSnapshot snapshot = engine::AccountSnapshot::Of(account);
    std::vector<v1::StateChange> changes = engine::DiffAccounts(snapshot, account);
    benchmark::DoNotOptimize(changes);
    ++i;
  }
}
BENCHMARK(BM_StateChangeDiff);

// The in-process responses to the mix's requests, in order.
std::vector<v1::EvaluateResponse> MixResponses(const Workload& w) {
  std::vector<v1::EvaluateResponse> responses;
  for (const v1::EvaluateRequest* request : w.mix) {
    absl::StatusOr<v1::EvaluateResponse> response = w.engine->Evaluate(*request);
    Require(response.status(), "response");
    responses.push_back(*std::move(response));
  }
  return responses;
}

// Component: writing a response (decision, account, audit record) as
// deterministic bytes.
void BM_SerializeResponseBaseline(benchmark::State& state) {
  const Workload& w = TheWorkload();
  const std::vector<v1::EvaluateResponse> responses = MixResponses(w);
  size_t i = 0;
  for (auto _ : state) {
    const v1::EvaluateResponse& response = responses[i % responses.size()];
    std::string out;
    out.resize(response.ByteSizeLong());
    google::protobuf::io::ArrayOutputStream array(out.data(), static_cast<int>(out.size()));
    google::protobuf::io::CodedOutputStream coded(&array);
    coded.SetSerializationDeterministic(true);
    response.SerializeWithCachedSizes(&coded);
    benchmark::DoNotOptimize(out);
    ++i;
  }
}
BENCHMARK(BM_SerializeResponseBaseline);

// Component: the audit record of one evaluation (the event checked for
// unknown fields, the payload hash over the event and the decision, the leaf
// and chain hashes), on the mix's own decisions.
void BM_AuditRecord(benchmark::State& state) {
  const Workload& w = TheWorkload();
  const std::vector<v1::EvaluateResponse> responses = MixResponses(w);
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i % responses.size();
    const v1::EvaluateRequest& request = *w.mix[k];
    v1::AuditRecord record;
    const absl::Status status = engine::AppendEngineAuditRecord(
        request.audit_chain_head(), request.event(), responses[k].decision(),
        responses[k].account().version(), domain::FromProtoTime(request.now()), &record);
    if (!status.ok()) state.SkipWithError(std::string(status.message()).c_str());
    benchmark::DoNotOptimize(record);
    ++i;
  }
}
BENCHMARK(BM_AuditRecord);

// Arg -1: the mix; 0..6: one kind (wager, login, verify, deposit, settle,
// withdraw, call).
void Kinds(benchmark::internal::Benchmark* b) {
  b->ArgName("kind");
  for (int k = -1; k < kKinds; ++k) b->Arg(k);
}

BENCHMARK(BM_EngineEvaluateSerialized)->Apply(Kinds);
BENCHMARK(BM_EngineEvaluate)->Apply(Kinds);
BENCHMARK(BM_EvaluateInPlace)->Apply(Kinds);
BENCHMARK(BM_RuleSetEvaluate)->Apply(Kinds);

}  // namespace
}  // namespace pitboss
