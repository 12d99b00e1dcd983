// Builders shared by the ledger tests (deposits, withdrawals, limits, property
// test): a fresh JPY/USD account with one card, and events with an envelope.
#ifndef PITBOSS_TESTS_DOMAIN_LEDGER_TEST_UTIL_H_
#define PITBOSS_TESTS_DOMAIN_LEDGER_TEST_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/money.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {
namespace testing {

// 2026-03-02T00:00:00Z, a Monday.
inline absl::Time TestEpoch() { return absl::FromUnixSeconds(1772409600); }

inline v1::Account NewAccount(const std::string& currency = "JPY") {
  v1::Account account;
  account.set_account_id("acc-1");
  account.set_version(1);
  account.set_status(v1::ACCOUNT_STATUS_ACTIVE);
  account.mutable_profile()->set_currency(currency);
  account.mutable_profile()->set_country("JP");
  *account.mutable_balances()->mutable_cash() = MakeMoney(0, currency);
  *account.mutable_balances()->mutable_reserved() = MakeMoney(0, currency);
  v1::PaymentInstrument* card = account.add_instruments();
  card->set_instrument_id("card-1");
  card->set_kind(v1::INSTRUMENT_KIND_CARD);
  card->set_status(v1::INSTRUMENT_STATUS_ACTIVE);
  card->mutable_card()->set_brand(v1::CARD_BRAND_JCB);
  card->mutable_card()->set_last4("4242");
  card->mutable_card()->set_holder_name("YAMADA TARO");
  return account;
}

inline v1::Event Envelope(const std::string& event_id, absl::Time at) {
  v1::Event event;
  event.set_event_id(event_id);
  event.set_account_id("acc-1");
  *event.mutable_occurred_at() = ToProtoTime(at);
  event.set_channel(v1::CHANNEL_WEB);
  event.mutable_device()->set_device_id("dev-1");
  return event;
}

inline v1::Event DepositRequest(const std::string& event_id, const std::string& deposit_id,
                                int64_t amount, const std::string& currency, absl::Time at,
                                const std::string& instrument_id = "card-1") {
  v1::Event event = Envelope(event_id, at);
  v1::DepositRequested* request = event.mutable_deposit_requested();
  request->set_deposit_id(deposit_id);
  *request->mutable_amount() = MakeMoney(amount, currency);
  request->set_instrument_id(instrument_id);
  return event;
}

inline v1::Event WithdrawalRequest(const std::string& event_id,
                                   const std::string& withdrawal_id, int64_t amount,
                                   const std::string& currency, absl::Time at,
                                   const std::string& instrument_id = "card-1") {
  v1::Event event = Envelope(event_id, at);
  v1::WithdrawalRequested* request = event.mutable_withdrawal_requested();
  request->set_withdrawal_id(withdrawal_id);
  *request->mutable_amount() = MakeMoney(amount, currency);
  request->set_instrument_id(instrument_id);
  return event;
}

}  // namespace testing
}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_TESTS_DOMAIN_LEDGER_TEST_UTIL_H_
