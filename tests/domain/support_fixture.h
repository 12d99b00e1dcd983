// A registered player for the caller-claims and support-call tests: Yamada
// Taro with kanji, kana and Latin names, contact details, a device, a card and
// a bank account, recent payments, restrictions and enrolled factors.
#ifndef PITBOSS_TESTS_DOMAIN_SUPPORT_FIXTURE_H_
#define PITBOSS_TESTS_DOMAIN_SUPPORT_FIXTURE_H_

#include <string>

#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {
namespace testing {

inline const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01Z

inline v1::Money Yen(int64_t amount) {
  v1::Money m;
  m.set_minor_units(amount);
  m.set_currency("JPY");
  return m;
}

inline v1::Account YamadaTaro() {
  v1::Account a;
  a.set_account_id("acc-yamada");
  a.set_version(7);
  a.set_status(v1::ACCOUNT_STATUS_ACTIVE);
  v1::Profile* p = a.mutable_profile();
  v1::PersonName* kanji = p->add_names();
  kanji->set_script(v1::NAME_SCRIPT_KANJI);
  kanji->set_family_name("山田");
  kanji->set_given_name("太郎");
  v1::PersonName* kana = p->add_names();
  kana->set_script(v1::NAME_SCRIPT_KANA);
  kana->set_full_name("ヤマダ タロウ");
  v1::PersonName* latin = p->add_names();
  latin->set_script(v1::NAME_SCRIPT_LATIN);
  latin->set_family_name("YAMADA");
  latin->set_given_name("TARO");
  p->mutable_date_of_birth()->set_year(1985);
  p->mutable_date_of_birth()->set_month(4);
  p->mutable_date_of_birth()->set_day(12);
  p->set_email("Taro.Yamada@example.jp");
  p->set_phone("+819012345678");
  p->set_country("JP");
  p->set_currency("JPY");
  p->mutable_address()->set_postal_code("100-0001");

  v1::Device* d = a.add_devices();
  d->set_device_id("dev-iphone-1");
  d->set_trusted(true);

  v1::PaymentInstrument* card = a.add_instruments();
  card->set_instrument_id("card-1");
  card->set_kind(v1::INSTRUMENT_KIND_CARD);
  card->set_status(v1::INSTRUMENT_STATUS_ACTIVE);
  card->mutable_card()->set_brand(v1::CARD_BRAND_JCB);
  card->mutable_card()->set_last4("4242");
  v1::PaymentInstrument* bank = a.add_instruments();
  bank->set_instrument_id("bank-1");
  bank->set_kind(v1::INSTRUMENT_KIND_BANK_ACCOUNT);
  bank->set_status(v1::INSTRUMENT_STATUS_ACTIVE);
  bank->mutable_bank_account()->set_last4("1234");

  v1::Deposit* dep = a.add_deposits();
  dep->set_deposit_id("dep-1");
  dep->set_state(v1::DEPOSIT_STATE_COMPLETED);
  *dep->mutable_amount() = Yen(10000);
  dep->set_provider_reference("PSP-777");
  *dep->mutable_created_at() = ToProtoTime(kNow - absl::Hours(72));
  v1::Deposit* old = a.add_deposits();
  old->set_deposit_id("dep-old");
  old->set_state(v1::DEPOSIT_STATE_COMPLETED);
  *old->mutable_amount() = Yen(30000);
  *old->mutable_created_at() = ToProtoTime(kNow - absl::Hours(24 * 120));

  auto withdrawal = [&](const std::string& id, v1::WithdrawalState state, int64_t amount,
                        absl::Duration age) {
    v1::Withdrawal* w = a.add_withdrawals();
    w->set_withdrawal_id(id);
    w->set_state(state);
    *w->mutable_amount() = Yen(amount);
    *w->mutable_created_at() = ToProtoTime(kNow - age);
  };
  withdrawal("w-held", v1::WITHDRAWAL_STATE_PENDING_REVIEW, 50000, absl::Hours(20));
  withdrawal("w-approved", v1::WITHDRAWAL_STATE_APPROVED, 20000, absl::Hours(30));
  withdrawal("w-paid", v1::WITHDRAWAL_STATE_PAID, 15000, absl::Hours(24 * 10));

  auto restriction = [&](v1::RestrictionKind kind, absl::Time until) {
    v1::Restriction* r = a.add_restrictions();
    r->set_kind(kind);
    *r->mutable_since() = ToProtoTime(kNow - absl::Hours(1));
    if (until != absl::InfiniteFuture()) *r->mutable_until() = ToProtoTime(until);
  };
  restriction(v1::RESTRICTION_KIND_LOGIN_LOCKOUT, kNow + absl::Minutes(10));
  restriction(v1::RESTRICTION_KIND_NEGATIVE_BALANCE, kNow - absl::Minutes(1));  // over
  restriction(v1::RESTRICTION_KIND_SECURITY_HOLD, absl::InfiniteFuture());
  restriction(v1::RESTRICTION_KIND_AML_HOLD, absl::InfiniteFuture());
  restriction(v1::RESTRICTION_KIND_KYC_REQUIRED, absl::InfiniteFuture());
  restriction(v1::RESTRICTION_KIND_PAYMENTS_BLOCKED, absl::InfiniteFuture());
  restriction(v1::RESTRICTION_KIND_CONTACT_CHANGE_HOLD, absl::InfiniteFuture());

  auto factor = [&](const std::string& id, v1::FactorKind kind, v1::Channel channel) {
    v1::Factor* f = a.add_factors();
    f->set_factor_id(id);
    f->set_kind(kind);
    f->set_channel(channel);
  };
  factor("pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB);
  factor("mail", v1::FACTOR_KIND_EMAIL_LINK, v1::CHANNEL_EMAIL);
  factor("sms", v1::FACTOR_KIND_SMS_OTP, v1::CHANNEL_SMS);
  factor("app", v1::FACTOR_KIND_APP_APPROVAL, v1::CHANNEL_APP);
  factor("kbv", v1::FACTOR_KIND_PHONE_KBV, v1::CHANNEL_PHONE);
  return a;
}

// Claims: correct name (as given on the phone, in katakana) and birth date.
inline v1::CallerClaims NameAndBirthDate() {
  v1::CallerClaims c;
  c.set_name("ﾔﾏﾀﾞ ﾀﾛｳ");
  c.mutable_date_of_birth()->set_year(1985);
  c.mutable_date_of_birth()->set_month(4);
  c.mutable_date_of_birth()->set_day(12);
  return c;
}

inline v1::CallerClaims Standard() {
  v1::CallerClaims c = NameAndBirthDate();
  c.set_email("taro.yamada@EXAMPLE.jp");
  return c;
}

}  // namespace testing
}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_TESTS_DOMAIN_SUPPORT_FIXTURE_H_
