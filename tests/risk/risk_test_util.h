// Hand-built accounts and events for the feature tests.
#ifndef PITBOSS_TESTS_RISK_RISK_TEST_UTIL_H_
#define PITBOSS_TESTS_RISK_RISK_TEST_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/proto_time.h"
#include "src/risk/features.h"

namespace pitboss {
namespace risk_test {

// 2026-11-02 00:00:00 UTC: aligned to every velocity bucket size (5 min, 1 h,
// 6 h, 1 d), so window edges are easy to reason about.
inline absl::Time Now() { return absl::FromUnixSeconds(1793577600); }

inline google::protobuf::Timestamp Ts(absl::Time t) { return domain::ToProtoTime(t); }

inline v1::Money Jpy(int64_t units) {
  v1::Money money;
  money.set_minor_units(units);
  money.set_currency("JPY");
  return money;
}

// A JPY account in Japan, opened 400 days before Now(), with its holder's
// name registered in kanji, kana and Latin, one known trusted device and no
// instruments.
inline v1::Account BaseAccount() {
  v1::Account account;
  account.set_account_id("acc-1");
  account.set_version(7);
  account.set_status(v1::ACCOUNT_STATUS_ACTIVE);
  *account.mutable_created_at() = Ts(Now() - absl::Hours(24 * 400));
  v1::Profile* profile = account.mutable_profile();
  profile->set_country("JP");
  profile->set_currency("JPY");
  profile->set_phone("+819012345678");
  profile->set_email("taro@example.jp");
  v1::PersonName* kanji = profile->add_names();
  kanji->set_script(v1::NAME_SCRIPT_KANJI);
  kanji->set_full_name("山田 太郎");
  v1::PersonName* kana = profile->add_names();
  kana->set_script(v1::NAME_SCRIPT_KANA);
  kana->set_full_name("ヤマダ タロウ");
  v1::PersonName* latin = profile->add_names();
  latin->set_script(v1::NAME_SCRIPT_LATIN);
  latin->set_family_name("YAMADA");
  latin->set_given_name("TARO");
  account.mutable_kyc()->set_level(v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  v1::Device* device = account.add_devices();
  device->set_device_id("dev-home");
  *device->mutable_first_seen_at() = Ts(Now() - absl::Hours(24 * 100));
  *device->mutable_last_seen_at() = Ts(Now() - absl::Hours(2));
  device->set_trusted(true);
  device->set_platform("ios");
  device->set_last_ip_country("JP");
  return account;
}

inline v1::PaymentInstrument* AddCard(v1::Account& account, const std::string& id,
                                      const std::string& holder, bool used_to_deposit) {
  v1::PaymentInstrument* instrument = account.add_instruments();
  instrument->set_instrument_id(id);
  instrument->set_kind(v1::INSTRUMENT_KIND_CARD);
  instrument->set_status(v1::INSTRUMENT_STATUS_ACTIVE);
  instrument->mutable_card()->set_brand(v1::CARD_BRAND_JCB);
  instrument->mutable_card()->set_last4("4242");
  instrument->mutable_card()->set_holder_name(holder);
  *instrument->mutable_added_at() = Ts(Now() - absl::Hours(24 * 30));
  instrument->set_used_to_deposit(used_to_deposit);
  return instrument;
}

inline v1::PaymentInstrument* AddBank(v1::Account& account, const std::string& id,
                                      const std::string& holder, bool used_to_deposit) {
  v1::PaymentInstrument* instrument = account.add_instruments();
  instrument->set_instrument_id(id);
  instrument->set_kind(v1::INSTRUMENT_KIND_BANK_ACCOUNT);
  instrument->set_status(v1::INSTRUMENT_STATUS_ACTIVE);
  instrument->mutable_bank_account()->set_bank_name("Mizuho");
  instrument->mutable_bank_account()->set_last4("1234");
  instrument->mutable_bank_account()->set_holder_name(holder);
  *instrument->mutable_added_at() = Ts(Now() - absl::Hours(24 * 60));
  instrument->set_used_to_deposit(used_to_deposit);
  return instrument;
}

inline v1::Event BaseEvent(const std::string& id) {
  v1::Event event;
  event.set_event_id(id);
  event.set_account_id("acc-1");
  *event.mutable_occurred_at() = Ts(Now());
  event.set_channel(v1::CHANNEL_APP);
  event.mutable_device()->set_device_id("dev-home");
  event.set_ip_country("JP");
  return event;
}

inline v1::Event DepositEvent(const std::string& instrument_id, int64_t amount) {
  v1::Event event = BaseEvent("ev-deposit");
  v1::DepositRequested* deposit = event.mutable_deposit_requested();
  deposit->set_deposit_id("d-new");
  *deposit->mutable_amount() = Jpy(amount);
  deposit->set_instrument_id(instrument_id);
  return event;
}

inline v1::Event WithdrawalEvent(const std::string& instrument_id, int64_t amount) {
  v1::Event event = BaseEvent("ev-withdrawal");
  v1::WithdrawalRequested* withdrawal = event.mutable_withdrawal_requested();
  withdrawal->set_withdrawal_id("w-new");
  *withdrawal->mutable_amount() = Jpy(amount);
  withdrawal->set_instrument_id(instrument_id);
  return event;
}

inline v1::Event LoginEvent() {
  v1::Event event = BaseEvent("ev-login");
  event.mutable_login_attempt()->set_success(true);
  return event;
}

inline const risk::FeatureOptions& Options() {
  static const risk::FeatureOptions* const options = [] {
    auto created = risk::DefaultFeatureOptions();
    EXPECT_TRUE(created.ok()) << created.status();
    return new risk::FeatureOptions(*std::move(created));
  }();
  return *options;
}

// ComputeFeatures that must succeed and must not touch its inputs.
inline v1::Features MustCompute(const v1::Account& account, const v1::Event& event,
                                absl::Time now = Now(),
                                const risk::FeatureOptions& options = Options()) {
  const std::string account_before = account.SerializeAsString();
  const std::string event_before = event.SerializeAsString();
  absl::StatusOr<v1::Features> features = risk::ComputeFeatures(account, event, now, options);
  EXPECT_TRUE(features.ok()) << features.status();
  EXPECT_EQ(account.SerializeAsString(), account_before);
  EXPECT_EQ(event.SerializeAsString(), event_before);
  return features.ok() ? *std::move(features) : v1::Features();
}

}  // namespace risk_test
}  // namespace pitboss

#endif  // PITBOSS_TESTS_RISK_RISK_TEST_UTIL_H_
