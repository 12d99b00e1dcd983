// ComputeFeatures on a realistic account: three registered name variants, 36
// instruments, 24 devices, 40 deposits and 20 withdrawals kept, and velocity
// counters fed by a month of activity on every metric. Time per iteration is
// ns per event. Baseline in the same run: parsing that account from its
// serialized bytes, the cost every evaluation through bytes pays anyway.
// BM_ComputeFeaturesFamily/<bit> isolates one feature family.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/proto_time.h"
#include "src/domain/velocity.h"
#include "src/risk/features.h"

namespace pitboss {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1793577600);  // 2026-11-02 00:00 UTC

v1::Money Jpy(int64_t units) {
  v1::Money money;
  money.set_minor_units(units);
  money.set_currency("JPY");
  return money;
}

void Require(const absl::Status& status) {
  if (!status.ok()) {
    fprintf(stderr, "setup failed: %s\n", status.ToString().c_str());
    abort();
  }
}

v1::Account RealisticAccount() {
  v1::Account account;
  account.set_account_id("acc-bench");
  account.set_version(4812);
  account.set_status(v1::ACCOUNT_STATUS_ACTIVE);
  *account.mutable_created_at() = domain::ToProtoTime(kNow - absl::Hours(24 * 700));
  v1::Profile* profile = account.mutable_profile();
  profile->set_country("JP");
  profile->set_currency("JPY");
  profile->set_phone("+819012345678");
  profile->add_names()->set_full_name("山田 太郎");
  profile->add_names()->set_full_name("ヤマダ タロウ");
  v1::PersonName* latin = profile->add_names();
  latin->set_family_name("YAMADA");
  latin->set_given_name("TARO");
  account.mutable_kyc()->set_level(v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  v1::Security* security = account.mutable_security();
  *security->mutable_email_changed_at() = domain::ToProtoTime(kNow - absl::Hours(50));
  *security->mutable_password_changed_at() = domain::ToProtoTime(kNow - absl::Hours(24 * 90));
  *security->mutable_last_login_at() = domain::ToProtoTime(kNow - absl::Minutes(20));

  for (int i = 0; i < 24; ++i) {
    v1::Device* device = account.add_devices();
    device->set_device_id("device-" + std::to_string(i));
    *device->mutable_first_seen_at() = domain::ToProtoTime(kNow - absl::Hours(24 * (i + 1)));
    device->set_last_ip_country(i % 5 == 0 ? "KR" : "JP");
    device->set_trusted(i % 2 == 0);
  }
  for (int i = 0; i < 36; ++i) {
    v1::PaymentInstrument* instrument = account.add_instruments();
    instrument->set_instrument_id("instrument-" + std::to_string(i));
    instrument->set_status(v1::INSTRUMENT_STATUS_ACTIVE);
    *instrument->mutable_added_at() = domain::ToProtoTime(kNow - absl::Hours(24 * (i + 3)));
    instrument->set_used_to_deposit(i % 3 != 0);
    if (i % 2 == 0) {
      instrument->set_kind(v1::INSTRUMENT_KIND_CARD);
      instrument->mutable_card()->set_brand(v1::CARD_BRAND_JCB);
      instrument->mutable_card()->set_last4("4242");
      instrument->mutable_card()->set_holder_name("TARO YAMADA");
    } else {
      instrument->set_kind(v1::INSTRUMENT_KIND_BANK_ACCOUNT);
      instrument->mutable_bank_account()->set_last4("1234");
      instrument->mutable_bank_account()->set_holder_name("ﾔﾏﾀﾞ ﾀﾛｳ");
    }
  }
  for (int i = 0; i < 40; ++i) {
    const absl::Time at = kNow - absl::Hours(17 * i + 1);
    v1::Deposit* deposit = account.add_deposits();
    deposit->set_deposit_id("deposit-" + std::to_string(i));
    deposit->set_state(i % 8 == 7 ? v1::DEPOSIT_STATE_FAILED : v1::DEPOSIT_STATE_COMPLETED);
    deposit->set_instrument_id("instrument-" + std::to_string((i * 2) % 36));
    *deposit->mutable_amount() = Jpy(5000 + 1000 * (i % 7));
    *deposit->mutable_completed_at() = domain::ToProtoTime(at);
  }
  for (int i = 0; i < 20; ++i) {
    v1::Withdrawal* withdrawal = account.add_withdrawals();
    withdrawal->set_withdrawal_id("withdrawal-" + std::to_string(i));
    withdrawal->set_state(i == 0 ? v1::WITHDRAWAL_STATE_PENDING_REVIEW
                                 : v1::WITHDRAWAL_STATE_PAID);
    withdrawal->set_instrument_id("instrument-1");
    *withdrawal->mutable_amount() = Jpy(8000 + 500 * i);
  }
  *account.mutable_totals()->mutable_deposits_credited() = Jpy(1200000);
  account.mutable_totals()->set_completed_deposit_count(180);
  *account.mutable_totals()->mutable_wagers_staked() = Jpy(3400000);

  // A month of activity: every metric, spread so every bucket list is full.
  for (int minute = 0; minute < 30 * 24 * 60; minute += 7) {
    const absl::Time at = kNow - absl::Minutes(minute);
    const int metric = 1 + (minute / 7) % 14;
    Require(domain::RecordVelocity(account.mutable_velocity(),
                                   static_cast<v1::VelocityMetric>(metric), 100 + minute % 900,
                                   at));
  }
  return account;
}

v1::Event WithdrawalEvent() {
  v1::Event event;
  event.set_event_id("event-withdrawal");
  event.set_account_id("acc-bench");
  *event.mutable_occurred_at() = domain::ToProtoTime(kNow);
  event.set_channel(v1::CHANNEL_APP);
  event.mutable_device()->set_device_id("device-17");
  event.set_ip_country("JP");
  v1::WithdrawalRequested* request = event.mutable_withdrawal_requested();
  request->set_withdrawal_id("withdrawal-new");
  *request->mutable_amount() = Jpy(45000);
  request->set_instrument_id("instrument-35");
  return event;
}

v1::Event LoginEvent() {
  v1::Event event = WithdrawalEvent();
  event.set_event_id("event-login");
  event.mutable_login_attempt()->set_success(true);
  return event;
}

const risk::FeatureOptions& Options() {
  static const risk::FeatureOptions* const options = [] {
    auto created = risk::DefaultFeatureOptions();
    Require(created.status());
    auto* result = new risk::FeatureOptions(*std::move(created));
    result->reference_currency = "EUR";
    result->rates.push_back({"JPY", 5, 8});
    Require(risk::ValidateFeatureOptions(*result));
    return result;
  }();
  return *options;
}

void BM_ParseAccountBaseline(benchmark::State& state) {
  const std::string bytes = RealisticAccount().SerializeAsString();
  state.counters["account_bytes"] = static_cast<double>(bytes.size());
  for (auto _ : state) {
    v1::Account account;
    benchmark::DoNotOptimize(account.ParseFromString(bytes));
  }
}
BENCHMARK(BM_ParseAccountBaseline);

void RunComputeFeatures(benchmark::State& state, const v1::Event& event,
                        const risk::FeatureOptions& options) {
  const v1::Account account = RealisticAccount();
  for (auto _ : state) {
    absl::StatusOr<v1::Features> features =
        risk::ComputeFeatures(account, event, kNow, options);
    if (!features.ok()) {
      state.SkipWithError(features.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(features);
  }
}

void BM_ComputeFeaturesWithdrawal(benchmark::State& state) {
  RunComputeFeatures(state, WithdrawalEvent(), Options());
}
BENCHMARK(BM_ComputeFeaturesWithdrawal);

void BM_ComputeFeaturesLogin(benchmark::State& state) {
  RunComputeFeatures(state, LoginEvent(), Options());
}
BENCHMARK(BM_ComputeFeaturesLogin);

// One family at a time (argument = the FeatureFamily bit).
void BM_ComputeFeaturesFamily(benchmark::State& state) {
  risk::FeatureOptions options = Options();
  options.families = 1u << state.range(0);
  RunComputeFeatures(state, WithdrawalEvent(), options);
}
BENCHMARK(BM_ComputeFeaturesFamily)->DenseRange(0, 7);

}  // namespace
}  // namespace pitboss
