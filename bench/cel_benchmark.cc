// Google Benchmark cases for the CEL evaluator: compiled rules over a
// pitboss.v1.Account against a hand-written C++ function computing the same
// answer (the speed-of-light baseline). Each BM_EvaluateRule case times the
// baseline in the same run and reports `baseline_ns` and `ratio` (CEL time /
// baseline time), plus `allocs` = heap allocations per evaluation (counted by
// replacing the global operator new in this binary).
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <string>

#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "include/pitboss/cel.h"
#include "pitboss/v1/account.pb.h"

namespace {
std::atomic<int64_t> g_allocations{0};
}  // namespace

// The replacement new/delete pair is consistent (malloc/free); gcc cannot see
// that across the replacement and warns when inlining them.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace pitboss {
namespace cel {
namespace {

pitboss::v1::Account MakeAccount() {
  pitboss::v1::Account account;
  account.set_account_id("acc-1");
  account.set_version(12);
  account.set_status(pitboss::v1::ACCOUNT_STATUS_ACTIVE);
  account.mutable_kyc()->set_level(pitboss::v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  account.mutable_balances()->mutable_cash()->set_minor_units(250000);
  account.mutable_balances()->mutable_cash()->set_currency("JPY");
  account.mutable_profile()->set_country("JP");
  account.mutable_profile()->set_email("player@example.com");
  account.mutable_security()->set_consecutive_failed_logins(2);
  for (int i = 0; i < 8; ++i) {
    account.add_factors()->set_factor_id("factor-" + std::to_string(i));
  }
  return account;
}

struct Rule {
  const char* expr;
  std::function<bool(const pitboss::v1::Account&)> baseline;
};

const Rule kRules[] = {
    // 0: scalar field comparisons.
    {"account.kyc.level >= pitboss.v1.KycLevel.KYC_LEVEL_BASIC && "
     "account.balances.cash.minor_units > 100000 && "
     "account.balances.cash.currency == 'JPY'",
     [](const pitboss::v1::Account& a) {
       return a.kyc().level() >= pitboss::v1::KYC_LEVEL_BASIC &&
              a.balances().cash().minor_units() > 100000 &&
              a.balances().cash().currency() == "JPY";
     }},
    // 1: membership in a constant list plus a string function.
    {"account.profile.country in ['JP', 'KR', 'TW'] && "
     "account.profile.email.endsWith('@example.com') && "
     "account.security.consecutive_failed_logins < 5",
     [](const pitboss::v1::Account& a) {
       const std::string& c = a.profile().country();
       const std::string& e = a.profile().email();
       const std::string suffix = "@example.com";
       return (c == "JP" || c == "KR" || c == "TW") && e.size() >= suffix.size() &&
              e.compare(e.size() - suffix.size(), suffix.size(), suffix) == 0 &&
              a.security().consecutive_failed_logins() < 5;
     }},
    // 2: a comprehension over a repeated message field.
    {"account.factors.exists(f, f.factor_id == 'factor-7')",
     [](const pitboss::v1::Account& a) {
       for (const auto& f : a.factors()) {
         if (f.factor_id() == "factor-7") return true;
       }
       return false;
     }},
};

void BM_EvaluateRule(benchmark::State& state) {
  const Rule& rule = kRules[state.range(0)];
  Env env;
  if (!env.AddMessageVariable("account", "pitboss.v1.Account").ok()) std::abort();
  auto program = CreateProgram(env, rule.expr);
  if (!program.ok()) {
    state.SkipWithError(std::string(program.status().message()).c_str());
    return;
  }
  const pitboss::v1::Account account = MakeAccount();
  Activation activation;
  activation.BindMessage("account", &account);
  google::protobuf::Arena arena;
  const bool expected = rule.baseline(account);

  // Baseline, timed in the same process right before the CEL loop.
  constexpr int kBaselineIterations = 2000000;
  auto start = std::chrono::steady_clock::now();
  int64_t hits = 0;
  for (int i = 0; i < kBaselineIterations; ++i) {
    const pitboss::v1::Account* a = &account;
    benchmark::DoNotOptimize(a);
    hits += rule.baseline(*a) ? 1 : 0;
  }
  benchmark::DoNotOptimize(hits);
  const double baseline_ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
          .count() /
      kBaselineIterations;

  int64_t evaluations = 0;
  const int64_t allocs_before = g_allocations.load();
  const auto cel_start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    absl::StatusOr<Value> v = (*program)->Evaluate(activation, &arena);
    if (!v.ok() || !v->IsBool() || v->bool_value() != expected) {
      state.SkipWithError("unexpected result");
      break;
    }
    ++evaluations;
  }
  const double cel_ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - cel_start)
          .count() /
      (evaluations > 0 ? evaluations : 1);
  const int64_t allocs = g_allocations.load() - allocs_before;
  state.counters["baseline_ns"] = baseline_ns;
  state.counters["cel_ns"] = cel_ns;
  state.counters["ratio"] = baseline_ns > 0 ? cel_ns / baseline_ns : 0.0;
  state.counters["allocs"] =
      evaluations > 0 ? static_cast<double>(allocs) / evaluations : 0.0;
  state.SetLabel(rule.expr);
}
BENCHMARK(BM_EvaluateRule)->DenseRange(0, 2);

void BM_CreateProgram(benchmark::State& state) {
  Env env;
  if (!env.AddMessageVariable("account", "pitboss.v1.Account").ok()) std::abort();
  for (auto _ : state) {
    auto program = CreateProgram(env, kRules[0].expr);
    benchmark::DoNotOptimize(program);
  }
}
BENCHMARK(BM_CreateProgram);

}  // namespace
}  // namespace cel
}  // namespace pitboss
