// Store apply throughput next to in-memory Engine::Evaluate, on the same
// events, in the same run:
//   BM_EngineEvaluate             the engine alone: each event evaluated on its
//                                 account's latest state, held in memory (the
//                                 floor of any store);
//   BM_StoreApply/<sync>          Store::Apply, one transaction (one fsync
//                                 with FULL) per event, into a WAL file;
//   BM_StoreApplyBatch/<n>/<sync>/<threads>/<accounts>
//                                 Store::ApplyBatchAtEventTime, n events per
//                                 transaction (group commit), evaluated on
//                                 `threads` threads (StoreOptions::
//                                 evaluation_threads), accounts 0: results
//                                 without the account (result_accounts =
//                                 false, what a replay uses);
//   BM_StoreApplyMemory/<n>/<threads>/<accounts>
//                                 ":memory:" (no file, no fsync), n per batch;
//   BM_StoreApplyThreads/<t>      per-event Apply with FULL from t threads at
//                                 once (their commits are grouped).
// Counters per store case: us_per_event (wall), evaluate_us (the engine's
// share, measured on the same events before the cases run) and
// overhead_us = us_per_event - evaluate_us, the store's own cost per event
// (SQLite, serialization, hashing, locking), with overhead_events_per_s =
// 1e6 / overhead_us: what the store would sustain with a free engine. The
// cpu_* counters are the same from the thread's CPU clock, which other
// processes on a loaded machine do not inflate (but which leaves out fsync
// waits: compare wall figures for durability costs); process_cpu_us_per_event
// adds the store's evaluation workers (all threads of the process).
//
// Workload: 64 players, each opened with a history of four days (logins,
// factor verifications, KYC, 4 bank deposits and their settlements, 30 wagers;
// 42 events) applied before the clock starts (file cases copy a store file
// prepared once); the timed stream is 1,000 events round-robin over the
// players, per 10 events: 6 wagers, 1 login, 1 factor verification, 1 deposit
// request, 1 settlement. A fresh store file (in $PITBOSS_BENCH_DIR, default
// /tmp) per iteration, so every event is new (no idempotent replays).
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "pitboss/engine.h"
#include "pitboss/store.h"
#include "src/domain/proto_time.h"
#include "src/engine/audit_chain.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace {

using scenarios::ScenarioDriver;

constexpr int kPlayers = 64;
constexpr int kStreamEvents = 1000;

void Require(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    fprintf(stderr, "setup failed (%s): %s\n", what, status.ToString().c_str());
    abort();
  }
}

// CPU time of the calling thread, in seconds: what the event costs this
// thread, unaffected by other processes competing for the cores (SQLite and
// the engine both run in the calling thread; fsync waits are not CPU).
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

absl::Time TimeOf(const v1::Event& event) {
  return domain::FromProtoTime(event.occurred_at());
}

struct Workload {
  std::unique_ptr<Engine> engine;
  std::vector<v1::Event> setup;   // applied before the clock starts
  std::vector<v1::Event> stream;  // timed
  // Accounts after `setup` (the in-memory baseline starts from these).
  absl::flat_hash_map<std::string, v1::Account> accounts;
  double evaluate_us = 0;      // Engine::Evaluate per stream event, wall (best of 3)
  double evaluate_cpu_us = 0;  // the same, thread CPU time
  size_t account_bytes = 0;
  std::string dir;
  // A store file with `setup` applied; file cases start from a copy.
  std::string template_path;
};

// Evaluates `events` in order on `accounts` (updated in place); wall seconds
// (and thread CPU seconds in `*cpu`).
double EvaluateAll(const Engine& engine, const std::vector<v1::Event>& events,
                   absl::flat_hash_map<std::string, v1::Account>& accounts,
                   double* cpu = nullptr) {
  v1::AuditChainHead head;
  const double cpu_start = ThreadCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  for (const v1::Event& event : events) {
    v1::EvaluateRequest request;
    v1::Account& account = accounts[event.account_id()];
    request.mutable_account()->Swap(&account);
    *request.mutable_event() = event;
    *request.mutable_now() = event.occurred_at();
    *request.mutable_audit_chain_head() = head;
    absl::StatusOr<v1::EvaluateResponse> response = engine.Evaluate(request);
    Require(response.status(), "evaluate");
    account.Swap(response->mutable_account());
    head = engine::HeadAfter(response->audit());
  }
  if (cpu != nullptr) *cpu = ThreadCpuSeconds() - cpu_start;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Applies the setup events in batches of 200.
void ApplySetup(const Workload& w, Store& store) {
  for (size_t i = 0; i < w.setup.size(); i += 200) {
    const size_t n = std::min<size_t>(200, w.setup.size() - i);
    for (const auto& r : store.ApplyBatchAtEventTime(
             *w.engine, absl::MakeConstSpan(w.setup.data() + i, n))) {
      Require(r.status(), "setup event");
    }
  }
}

const std::string& TheWorkloadPath();

Workload* Build() {
  auto* w = new Workload();
  absl::StatusOr<v1::Policy> policy = scenarios::LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
  Require(policy.status(), "policy");
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*policy);
  Require(engine.status(), "engine");
  w->engine = std::move(*engine);
  const char* dir = std::getenv("PITBOSS_BENCH_DIR");
  w->dir = dir != nullptr ? dir : "/tmp";

  std::vector<std::unique_ptr<ScenarioDriver>> players;
  auto next = [&](int p, v1::Event event) {
    ScenarioDriver& d = *players[p];
    event.set_event_id(absl::StrCat(d.account_id(), "/", event.event_id()));
    return event;
  };
  for (int p = 0; p < kPlayers; ++p) {
    players.push_back(
        std::make_unique<ScenarioDriver>(w->engine.get(), absl::StrCat("player-", p),
                                         scenarios::ScenarioStart() + absl::Seconds(p)));
    ScenarioDriver& d = *players.back();
    auto add = [&](v1::Event event) {
      d.Advance(absl::Minutes(2));
      *event.mutable_occurred_at() = domain::ToProtoTime(d.now());
      w->setup.push_back(next(p, std::move(event)));
    };
    add(d.OpenJapaneseAccount());
    add(d.Login(true));
    add(d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
    add(d.Verified("f-totp", v1::FACTOR_KIND_TOTP));
    add(d.KycDocument("doc-1"));
    add(d.KycAccepted("doc-1", v1::KYC_LEVEL_DOCUMENTS_VERIFIED));
    add(d.DepositNewBank("d-0", 30000, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    add(d.Settled("d-0"));
    for (int day = 1; day <= 3; ++day) {
      d.Advance(absl::Hours(20));
      add(d.Login(true));
      add(d.Deposit(absl::StrCat("d-", day), 5000, "bank-1"));
      add(d.Settled(absl::StrCat("d-", day)));
      for (int i = 0; i < 10; ++i) {
        add(d.Wager(absl::StrCat("h-", day, "-", i), 200, i % 3 == 0 ? 500 : 0));
      }
    }
  }
  // The stream: round-robin over players, 10-event pattern. Events the
  // engine refuses as bad input (e.g. settling a deposit the policy declined)
  // are left out, so every timed event is applied.
  absl::flat_hash_map<std::string, v1::Account> start;
  EvaluateAll(*w->engine, w->setup, start);
  absl::flat_hash_map<std::string, v1::Account> probe = start;
  std::vector<v1::Event> candidates;
  int step = 0;
  while (static_cast<int>(candidates.size()) < 2 * kStreamEvents) {
    for (int p = 0; p < kPlayers; ++p) {
      ScenarioDriver& d = *players[p];
      d.Advance(absl::Minutes(1));
      v1::Event event;
      switch (step % 10) {
        case 1:
          event = d.Login(true);
          break;
        case 3:
          event = d.Verified("f-totp", v1::FACTOR_KIND_TOTP);
          break;
        case 5:
          event = d.Deposit(absl::StrCat("d-", step), 2000, "bank-1");
          break;
        case 7:
          event = d.Settled(absl::StrCat("d-", step - 2));
          break;
        default:
          event = d.Wager(absl::StrCat("g-", step), 100, step % 4 == 0 ? 250 : 0);
      }
      candidates.push_back(next(p, std::move(event)));
    }
    ++step;
  }
  for (const v1::Event& event : candidates) {
    if (static_cast<int>(w->stream.size()) == kStreamEvents) break;
    v1::EvaluateRequest request;
    *request.mutable_account() = probe[event.account_id()];
    *request.mutable_event() = event;
    *request.mutable_now() = event.occurred_at();
    absl::StatusOr<v1::EvaluateResponse> response = w->engine->Evaluate(request);
    if (!response.ok()) continue;
    probe[event.account_id()] = response->account();
    w->stream.push_back(event);
  }
  if (static_cast<int>(w->stream.size()) < kStreamEvents) {
    fprintf(stderr, "setup: only %zu valid stream events\n", w->stream.size());
    abort();
  }

  // The in-memory baseline's starting accounts, and the evaluate cost.
  w->accounts = start;
  double best = 1e9;
  double best_cpu = 1e9;
  for (int round = 0; round < 3; ++round) {
    absl::flat_hash_map<std::string, v1::Account> accounts = start;
    double cpu = 0;
    best = std::min(best, EvaluateAll(*w->engine, w->stream, accounts, &cpu));
    best_cpu = std::min(best_cpu, cpu);
    if (round == 0) {
      size_t bytes = 0;
      for (const auto& [id, account] : accounts) bytes += account.ByteSizeLong();
      w->account_bytes = bytes / accounts.size();
    }
  }
  w->evaluate_us = best * 1e6 / static_cast<double>(w->stream.size());
  w->evaluate_cpu_us = best_cpu * 1e6 / static_cast<double>(w->stream.size());

  w->template_path =
      absl::StrCat(w->dir, "/pitboss_store_bench_template_", getpid(), ".db");
  StoreOptions options;
  options.synchronous = StoreOptions::Sync::kNormal;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(w->template_path, options);
  Require(store.status(), "open template store");
  ApplySetup(*w, **store);
  store->reset();  // the last connection checkpoints the WAL into the file
  std::atexit([] { std::filesystem::remove(TheWorkloadPath()); });
  return w;
}

const Workload& TheWorkload() {
  static const Workload* workload = Build();
  return *workload;
}

const std::string& TheWorkloadPath() { return TheWorkload().template_path; }

void BM_EngineEvaluate(benchmark::State& state) {
  const Workload& w = TheWorkload();
  double cpu_seconds = 0;
  for (auto _ : state) {
    absl::flat_hash_map<std::string, v1::Account> accounts = w.accounts;
    double cpu = 0;
    state.SetIterationTime(EvaluateAll(*w.engine, w.stream, accounts, &cpu));
    cpu_seconds += cpu;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(w.stream.size()));
  state.counters["cpu_us_per_event"] =
      cpu_seconds * 1e6 / (static_cast<double>(state.iterations()) * w.stream.size());
  state.counters["account_bytes"] = static_cast<double>(w.account_bytes);
}
BENCHMARK(BM_EngineEvaluate)->UseManualTime()->Unit(benchmark::kMillisecond);

// A fresh store with the setup applied.
std::unique_ptr<Store> FreshStore(const Workload& w, const std::string& path,
                                  const StoreOptions& options) {
  const bool memory = path == ":memory:";
  if (!memory) {
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path + suffix);
    std::filesystem::copy_file(w.template_path, path,
                               std::filesystem::copy_options::overwrite_existing);
  }
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path, options);
  Require(store.status(), "open store");
  if (memory) ApplySetup(w, **store);
  return std::move(*store);
}

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// batch 0 = Apply per event; sync 0 = FULL, 1 = NORMAL; memory: ":memory:";
// threads: StoreOptions::evaluation_threads; accounts: result_accounts.
void RunStore(benchmark::State& state, int batch, int sync, bool memory, int threads = 2,
              bool accounts = true) {
  const Workload& w = TheWorkload();
  StoreOptions options;
  options.synchronous =
      sync == 0 ? StoreOptions::Sync::kFull : StoreOptions::Sync::kNormal;
  options.evaluation_threads = threads;
  options.result_accounts = accounts;
  const std::string path =
      memory ? ":memory:" : absl::StrCat(w.dir, "/pitboss_store_bench_", getpid(), ".db");
  double seconds = 0;
  double cpu_seconds = 0;
  double process_cpu_seconds = 0;
  for (auto _ : state) {
    std::unique_ptr<Store> store = FreshStore(w, path, options);
    const double process_cpu_start = ProcessCpuSeconds();
    const double cpu_start = ThreadCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    if (batch == 0) {
      for (const v1::Event& event : w.stream) {
        absl::StatusOr<ApplyResult> r = store->Apply(*w.engine, event, TimeOf(event));
        Require(r.status(), "apply");
      }
    } else {
      for (size_t i = 0; i < w.stream.size(); i += static_cast<size_t>(batch)) {
        const size_t n =
            std::min<size_t>(static_cast<size_t>(batch), w.stream.size() - i);
        for (const auto& r : store->ApplyBatchAtEventTime(
                 *w.engine, absl::MakeConstSpan(w.stream.data() + i, n))) {
          Require(r.status(), "apply batch");
        }
      }
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    cpu_seconds += ThreadCpuSeconds() - cpu_start;
    process_cpu_seconds += ProcessCpuSeconds() - process_cpu_start;
    state.SetIterationTime(elapsed);
    seconds += elapsed;
    Require(store->VerifyAudit(), "verify");
  }
  if (!memory) {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path + suffix);
  }
  const double events = static_cast<double>(state.iterations()) * w.stream.size();
  const double us_per_event = seconds * 1e6 / events;
  const double overhead = us_per_event - w.evaluate_us;
  state.SetItemsProcessed(static_cast<int64_t>(events));
  state.counters["us_per_event"] = us_per_event;
  state.counters["evaluate_us"] = w.evaluate_us;
  state.counters["overhead_us"] = overhead;
  state.counters["overhead_events_per_s"] = overhead > 0 ? 1e6 / overhead : 0;
  const double cpu_us = cpu_seconds * 1e6 / events;
  const double cpu_overhead = cpu_us - w.evaluate_cpu_us;
  state.counters["cpu_us_per_event"] = cpu_us;
  state.counters["evaluate_cpu_us"] = w.evaluate_cpu_us;
  state.counters["overhead_cpu_us"] = cpu_overhead;
  state.counters["overhead_cpu_events_per_s"] = cpu_overhead > 0 ? 1e6 / cpu_overhead : 0;
  state.counters["process_cpu_us_per_event"] = process_cpu_seconds * 1e6 / events;
}

// Per-event Apply (FULL) from `threads` threads at once, each with its own
// players' events in order: concurrent commits share an fsync (group commit).
// Wall time only (the work is spread over threads).
void BM_StoreApplyThreads(benchmark::State& state) {
  const Workload& w = TheWorkload();
  const int threads = static_cast<int>(state.range(0));
  StoreOptions options;
  const std::string path =
      absl::StrCat(w.dir, "/pitboss_store_bench_threads_", getpid(), ".db");
  std::vector<std::vector<const v1::Event*>> shares(threads);
  {
    absl::flat_hash_map<std::string, int> owner;
    for (const v1::Event& event : w.stream) {
      auto [it, inserted] = owner.try_emplace(event.account_id(), 0);
      if (inserted) it->second = static_cast<int>(owner.size() - 1) % threads;
      shares[it->second].push_back(&event);
    }
  }
  double seconds = 0;
  for (auto _ : state) {
    std::unique_ptr<Store> store = FreshStore(w, path, options);
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (const v1::Event* event : shares[t]) {
          Require(store->Apply(*w.engine, *event, TimeOf(*event)).status(), "apply");
        }
      });
    }
    for (std::thread& worker : workers) worker.join();
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(elapsed);
    seconds += elapsed;
    Require(store->VerifyAudit(), "verify");
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  const double events = static_cast<double>(state.iterations()) * w.stream.size();
  state.SetItemsProcessed(static_cast<int64_t>(events));
  state.counters["us_per_event"] = seconds * 1e6 / events;
}
BENCHMARK(BM_StoreApplyThreads)
    ->ArgName("threads")
    ->Arg(8)
    ->Arg(32)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_StoreApply(benchmark::State& state) {
  RunStore(state, 0, static_cast<int>(state.range(0)), false);
}
BENCHMARK(BM_StoreApply)
    ->ArgName("sync_normal")
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_StoreApplyBatch(benchmark::State& state) {
  RunStore(state, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
           false, static_cast<int>(state.range(2)), state.range(3) != 0);
}
BENCHMARK(BM_StoreApplyBatch)
    ->ArgNames({"batch", "sync_normal", "threads", "accounts"})
    ->Args({100, 0, 2, 1})
    ->Args({100, 0, 2, 0})
    ->Args({100, 1, 2, 0})
    ->Args({100, 0, 1, 0})
    ->Args({10, 0, 2, 0})
    ->Args({1000, 0, 2, 0})
    ->Args({1000, 1, 2, 0})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_StoreApplyMemory(benchmark::State& state) {
  RunStore(state, static_cast<int>(state.range(0)), 1, true,
           static_cast<int>(state.range(1)), state.range(2) != 0);
}
BENCHMARK(BM_StoreApplyMemory)
    ->ArgNames({"batch", "threads", "accounts"})
    ->Args({0, 1, 1})
    ->Args({100, 2, 0})
    ->Args({100, 1, 0})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pitboss
