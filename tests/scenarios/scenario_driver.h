// Test helper: drives one account through a sequence of events with
// Engine::Evaluate, the way a host would — each response's account and audit
// head feed the next request — and builds the events of the scenarios.
//
//   ScenarioDriver d(engine.get(), "acct-1", Start());
//   ASSERT_THAT(d.Send(d.OpenJapaneseAccount()), IsOk());
//   d.Advance(absl::Hours(2));
//   absl::StatusOr<v1::EvaluateResponse> r = d.Send(d.Withdrawal("w-1", 10000, "bank-1"));
//
// A refused request (non-OK status) changes nothing in the driver. The audit
// records of every applied event are kept in order for VerifyAuditChain.
// Header-only so the engine benchmark can build the same event mix.
#ifndef PITBOSS_TESTS_SCENARIOS_SCENARIO_DRIVER_H_
#define PITBOSS_TESTS_SCENARIOS_SCENARIO_DRIVER_H_

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "pitboss/engine.h"
#include "pitboss/v1/policy.pb.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace scenarios {

// examples/policy/default.textproto from the source tree (`source_dir`).
inline absl::StatusOr<v1::Policy> LoadPolicyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in.good()) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::stringstream text;
  text << in.rdbuf();
  v1::Policy policy;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &policy)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a pitboss.v1.Policy"));
  }
  return policy;
}

inline absl::StatusOr<v1::Policy> LoadDefaultPolicy(const std::string& source_dir) {
  return LoadPolicyFile(source_dir + "/examples/policy/default.textproto");
}

// A fixed, arbitrary starting time (2026-11-02 09:00 UTC, a Monday).
inline absl::Time ScenarioStart() { return absl::FromUnixSeconds(1793610000); }

inline v1::Money Yen(int64_t amount) {
  v1::Money money;
  money.set_minor_units(amount);
  money.set_currency("JPY");
  return money;
}

class ScenarioDriver {
 public:
  ScenarioDriver(const Engine* engine, std::string account_id, absl::Time now)
      : engine_(engine), account_id_(std::move(account_id)), now_(now) {}

  // --- Sending -------------------------------------------------------------

  // The request the driver would send for `event` now.
  v1::EvaluateRequest Request(const v1::Event& event) const {
    v1::EvaluateRequest request;
    *request.mutable_account() = account_;
    *request.mutable_event() = event;
    *request.mutable_now() = domain::ToProtoTime(now_);
    *request.mutable_audit_chain_head() = head_;
    return request;
  }

  // Evaluates `event`; on success adopts the new account and audit head.
  absl::StatusOr<v1::EvaluateResponse> Send(const v1::Event& event) {
    absl::StatusOr<v1::EvaluateResponse> response = engine_->Evaluate(Request(event));
    if (response.ok()) Adopt(*response);
    return response;
  }

  void Adopt(const v1::EvaluateResponse& response) {
    account_ = response.account();
    head_.set_sequence(response.audit().sequence());
    head_.set_record_hash(response.audit().record_hash());
    records_.push_back(response.audit());
    events_sent_ += 1;
  }

  void Advance(absl::Duration d) { now_ += d; }
  absl::Time now() const { return now_; }
  const v1::Account& account() const { return account_; }
  v1::Account& mutable_account() { return account_; }
  const v1::AuditChainHead& head() const { return head_; }
  const std::vector<v1::AuditRecord>& records() const { return records_; }
  const std::string& account_id() const { return account_id_; }

  // --- Events ----------------------------------------------------------------

  // The envelope: a fresh event id, this account, now, the player's usual
  // device and country unless changed with UseDevice / UseIpCountry.
  v1::Event Envelope(v1::Channel channel = v1::CHANNEL_APP) {
    v1::Event event;
    event.set_event_id(absl::StrCat("evt-", ++event_counter_));
    event.set_account_id(account_id_);
    *event.mutable_occurred_at() = domain::ToProtoTime(now_);
    event.set_channel(channel);
    if (!device_id_.empty()) {
      event.mutable_device()->set_device_id(device_id_);
      event.mutable_device()->set_platform("ios");
    }
    event.set_ip_country(ip_country_);
    event.set_session_id(absl::StrCat("sess-", device_id_));
    return event;
  }

  void UseDevice(std::string device_id) { device_id_ = std::move(device_id); }
  void UseIpCountry(std::string country) { ip_country_ = std::move(country); }

  // 山田 太郎 / ヤマダ タロウ / YAMADA TARO, born 1990-04-01, JPY, Japan; a
  // password, an e-mail link, an authenticator app (TOTP) and app approval.
  v1::Event OpenJapaneseAccount() {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    v1::Profile& profile = *event.mutable_account_opened()->mutable_profile();
    AddName(profile, v1::NAME_SCRIPT_KANJI, "山田", "太郎");
    AddName(profile, v1::NAME_SCRIPT_KANA, "ヤマダ", "タロウ");
    AddName(profile, v1::NAME_SCRIPT_LATIN, "YAMADA", "TARO");
    profile.mutable_date_of_birth()->set_year(1990);
    profile.mutable_date_of_birth()->set_month(4);
    profile.mutable_date_of_birth()->set_day(1);
    profile.set_email("taro@example.jp");
    profile.set_phone("+819012345678");
    profile.set_country("JP");
    profile.set_currency("JPY");
    profile.set_language("ja-JP");
    profile.set_utc_offset_minutes(540);
    profile.mutable_address()->set_country("JP");
    profile.mutable_address()->set_postal_code("100-0001");
    AddFactor(event, "f-pw", v1::FACTOR_KIND_PASSWORD, v1::FACTOR_CATEGORY_KNOWLEDGE,
              v1::CHANNEL_WEB);
    AddFactor(event, "f-email", v1::FACTOR_KIND_EMAIL_LINK, v1::FACTOR_CATEGORY_POSSESSION,
              v1::CHANNEL_EMAIL);
    AddFactor(event, "f-totp", v1::FACTOR_KIND_TOTP, v1::FACTOR_CATEGORY_POSSESSION,
              v1::CHANNEL_APP);
    AddFactor(event, "f-app", v1::FACTOR_KIND_APP_APPROVAL, v1::FACTOR_CATEGORY_POSSESSION,
              v1::CHANNEL_APP);
    return event;
  }

  // A successful verification of an enrolled factor (factor id "f-<...>").
  v1::Event Verified(const std::string& factor_id, v1::FactorKind kind,
                     v1::Channel channel = v1::CHANNEL_APP) {
    v1::Event event = Envelope(channel);
    v1::FactorVerification& v = *event.mutable_factor_verification();
    v.set_factor_id(factor_id);
    v.set_kind(kind);
    v.set_success(true);
    v.set_session_id(event.session_id());
    v.set_purpose("login");
    return event;
  }

  v1::Event Login(bool success) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    v1::LoginAttempt& login = *event.mutable_login_attempt();
    login.set_success(success);
    if (!success) login.set_failure_reason(v1::LOGIN_FAILURE_REASON_BAD_PASSWORD);
    login.add_factor_kinds(v1::FACTOR_KIND_PASSWORD);
    login.set_session_id(event.session_id());
    return event;
  }

  v1::Event KycDocument(const std::string& document_id) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    v1::KycDocument& doc = *event.mutable_kyc_document_submitted()->mutable_document();
    doc.set_document_id(document_id);
    doc.set_kind(v1::KYC_DOCUMENT_KIND_DRIVERS_LICENSE);
    doc.set_status(v1::KYC_DOCUMENT_STATUS_SUBMITTED);
    doc.set_issuing_country("JP");
    return event;
  }

  v1::Event KycAccepted(const std::string& document_id, v1::KycLevel level) {
    v1::Event event = Envelope(v1::CHANNEL_PROVIDER);
    event.clear_device();
    v1::KycResult& result = *event.mutable_kyc_result();
    result.set_document_id(document_id);
    result.set_status(v1::KYC_DOCUMENT_STATUS_ACCEPTED);
    result.set_new_level(level);
    return event;
  }

  // A deposit with a card registered for the first time.
  v1::Event DepositNewCard(const std::string& deposit_id, int64_t yen,
                           const std::string& instrument_id, const std::string& holder) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    v1::DepositRequested& d = *event.mutable_deposit_requested();
    d.set_deposit_id(deposit_id);
    *d.mutable_amount() = Yen(yen);
    d.set_instrument_id(instrument_id);
    v1::PaymentInstrument& card = *d.mutable_new_instrument();
    card.set_instrument_id(instrument_id);
    card.set_kind(v1::INSTRUMENT_KIND_CARD);
    card.set_status(v1::INSTRUMENT_STATUS_ACTIVE);
    card.mutable_card()->set_brand(v1::CARD_BRAND_JCB);
    card.mutable_card()->set_last4("4242");
    card.mutable_card()->set_holder_name(holder);
    card.mutable_card()->set_expiry_month(12);
    card.mutable_card()->set_expiry_year(2030);
    card.mutable_card()->set_issuer_country("JP");
    return event;
  }

  // A deposit from a bank account registered for the first time.
  v1::Event DepositNewBank(const std::string& deposit_id, int64_t yen,
                           const std::string& instrument_id, const std::string& holder) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    v1::DepositRequested& d = *event.mutable_deposit_requested();
    d.set_deposit_id(deposit_id);
    *d.mutable_amount() = Yen(yen);
    d.set_instrument_id(instrument_id);
    v1::PaymentInstrument& bank = *d.mutable_new_instrument();
    bank.set_instrument_id(instrument_id);
    bank.set_kind(v1::INSTRUMENT_KIND_BANK_ACCOUNT);
    bank.set_status(v1::INSTRUMENT_STATUS_ACTIVE);
    bank.mutable_bank_account()->set_bank_name("Mizuho");
    bank.mutable_bank_account()->set_bank_code("0001");
    bank.mutable_bank_account()->set_branch_code("100");
    bank.mutable_bank_account()->set_last4("5678");
    bank.mutable_bank_account()->set_holder_name(holder);
    bank.mutable_bank_account()->set_country("JP");
    return event;
  }

  // A deposit with an instrument already on the account.
  v1::Event Deposit(const std::string& deposit_id, int64_t yen,
                    const std::string& instrument_id) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    v1::DepositRequested& d = *event.mutable_deposit_requested();
    d.set_deposit_id(deposit_id);
    *d.mutable_amount() = Yen(yen);
    d.set_instrument_id(instrument_id);
    return event;
  }

  v1::Event Authenticated(const std::string& deposit_id) {
    v1::Event event = Envelope(v1::CHANNEL_PROVIDER);
    event.clear_device();
    v1::DepositAuthenticated& a = *event.mutable_deposit_authenticated();
    a.set_deposit_id(deposit_id);
    a.set_result(v1::THREE_DS_RESULT_AUTHENTICATED);
    a.set_eci("05");
    a.set_liability_shift(true);
    return event;
  }

  v1::Event Settled(const std::string& deposit_id) {
    v1::Event event = Envelope(v1::CHANNEL_PROVIDER);
    event.clear_device();
    v1::DepositSettled& s = *event.mutable_deposit_settled();
    s.set_deposit_id(deposit_id);
    s.set_outcome(v1::SETTLEMENT_OUTCOME_SUCCEEDED);
    s.set_provider_reference(absl::StrCat("psp-", deposit_id));
    return event;
  }

  v1::Event Chargeback(const std::string& deposit_id) {
    v1::Event event = Envelope(v1::CHANNEL_PROVIDER);
    event.clear_device();
    v1::DepositReversed& r = *event.mutable_deposit_reversed();
    r.set_deposit_id(deposit_id);
    r.set_kind(v1::REVERSAL_KIND_CHARGEBACK);
    r.set_reason_code("10.4");
    return event;
  }

  v1::Event Wager(const std::string& wager_id, int64_t stake, int64_t payout) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    v1::WagerSettled& w = *event.mutable_wager_settled();
    w.set_wager_id(wager_id);
    *w.mutable_stake() = Yen(stake);
    *w.mutable_payout() = Yen(payout);
    w.set_game_id("slots-1");
    return event;
  }

  v1::Event Withdrawal(const std::string& withdrawal_id, int64_t yen,
                       const std::string& instrument_id,
                       v1::Channel channel = v1::CHANNEL_APP) {
    v1::Event event = Envelope(channel);
    v1::WithdrawalRequested& w = *event.mutable_withdrawal_requested();
    w.set_withdrawal_id(withdrawal_id);
    *w.mutable_amount() = Yen(yen);
    w.set_instrument_id(instrument_id);
    return event;
  }

  v1::Event WithdrawalPaid(const std::string& withdrawal_id) {
    v1::Event event = Envelope(v1::CHANNEL_PROVIDER);
    event.clear_device();
    event.mutable_withdrawal_paid()->set_withdrawal_id(withdrawal_id);
    event.mutable_withdrawal_paid()->set_provider_reference("payout-1");
    return event;
  }

  v1::Event EmailChange(const std::string& new_email) {
    v1::Event event = Envelope(v1::CHANNEL_WEB);
    v1::ContactChange& c = *event.mutable_contact_change();
    c.set_kind(v1::CONTACT_KIND_EMAIL);
    c.set_new_value(new_email);
    c.set_new_contact_verified(true);
    return event;
  }

  v1::Event DepositLimit(v1::LimitPeriod period, int64_t yen) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    v1::DepositLimitChange& l = *event.mutable_deposit_limit_change();
    l.set_period(period);
    *l.mutable_amount() = Yen(yen);
    return event;
  }

  v1::Event SelfExclude(int months) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    event.mutable_self_exclusion()->set_months(months);
    return event;
  }

  v1::Event PasswordReset(v1::Channel channel, v1::PasswordResetMethod method) {
    v1::Event event = Envelope(channel);
    if (channel == v1::CHANNEL_PHONE) {
      event.clear_device();
      SetAgent(event, v1::AGENT_ROLE_SUPPORT_AGENT);
    }
    event.mutable_password_reset_request()->set_method(method);
    return event;
  }

  // The player sets a new password in the app: with the current one entered,
  // or (false) at the end of a reset, without it.
  v1::Event PasswordChange(bool current_password_verified = true) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    event.mutable_password_change()->set_current_password_verified(current_password_verified);
    return event;
  }

  // A failed verification of an enrolled factor (a wrong one-time code).
  v1::Event VerificationFailed(const std::string& factor_id, v1::FactorKind kind) {
    v1::Event event = Verified(factor_id, kind);
    event.mutable_factor_verification()->set_success(false);
    return event;
  }

  v1::Event SecurityReport(v1::SecurityReportKind kind) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    event.mutable_security_report()->set_kind(kind);
    event.mutable_security_report()->set_source(v1::REPORT_SOURCE_PLAYER);
    return event;
  }

  // A payments officer approves (or rejects) a held withdrawal.
  v1::Event WithdrawalReviewed(const std::string& withdrawal_id, bool approve) {
    v1::Event event = Envelope(v1::CHANNEL_BACK_OFFICE);
    event.clear_device();
    SetAgent(event, v1::AGENT_ROLE_PAYMENTS_OFFICER);
    v1::WithdrawalReviewed& review = *event.mutable_withdrawal_reviewed();
    review.set_withdrawal_id(withdrawal_id);
    review.set_decision(approve ? v1::REVIEW_DECISION_APPROVE : v1::REVIEW_DECISION_REJECT);
    return event;
  }

  v1::Event WithdrawalSent(const std::string& withdrawal_id) {
    v1::Event event = Envelope(v1::CHANNEL_PROVIDER);
    event.clear_device();
    event.mutable_withdrawal_sent_to_provider()->set_withdrawal_id(withdrawal_id);
    event.mutable_withdrawal_sent_to_provider()->set_provider_reference(
        absl::StrCat("psp-", withdrawal_id));
    return event;
  }

  // A deposit through a crypto on-ramp registered for the first time.
  v1::Event DepositNewCrypto(const std::string& deposit_id, int64_t yen,
                             const std::string& instrument_id) {
    v1::Event event = Envelope(v1::CHANNEL_APP);
    v1::DepositRequested& d = *event.mutable_deposit_requested();
    d.set_deposit_id(deposit_id);
    *d.mutable_amount() = Yen(yen);
    d.set_instrument_id(instrument_id);
    v1::PaymentInstrument& onramp = *d.mutable_new_instrument();
    onramp.set_instrument_id(instrument_id);
    onramp.set_kind(v1::INSTRUMENT_KIND_CRYPTO_ONRAMP);
    onramp.set_status(v1::INSTRUMENT_STATUS_ACTIVE);
    onramp.mutable_crypto_onramp()->set_provider("onramp-1");
    onramp.mutable_crypto_onramp()->set_asset("USDT");
    onramp.mutable_crypto_onramp()->set_network("ethereum");
    onramp.mutable_crypto_onramp()->set_address_hint("9f3a");
    onramp.mutable_crypto_onramp()->set_holder_name("YAMADA TARO");
    return event;
  }

  // Claims: name and date of birth as registered.
  static v1::CallerClaims NameAndBirthDate() {
    v1::CallerClaims claims;
    claims.set_name("山田 太郎");
    claims.mutable_date_of_birth()->set_year(1990);
    claims.mutable_date_of_birth()->set_month(4);
    claims.mutable_date_of_birth()->set_day(1);
    return claims;
  }

  v1::Event SupportCall(const std::string& call_id, const v1::CallerClaims& claims,
                        std::vector<v1::CallFlag> flags = {}) {
    v1::Event event = Envelope(v1::CHANNEL_PHONE);
    event.clear_device();
    SetAgent(event, v1::AGENT_ROLE_SUPPORT_AGENT);
    v1::SupportCall& call = *event.mutable_support_call();
    call.set_call_id(call_id);
    *call.mutable_claims() = claims;
    for (v1::CallFlag flag : flags) call.add_flags(flag);
    call.set_caller_number("+819012345678");
    return event;
  }

  v1::Event SupportAction(const std::string& call_id, v1::SupportAction action,
                          const v1::CallerClaims& claims,
                          std::vector<v1::CallFlag> flags = {},
                          v1::AgentRole role = v1::AGENT_ROLE_SUPPORT_AGENT) {
    v1::Event event = Envelope(v1::CHANNEL_PHONE);
    event.clear_device();
    SetAgent(event, role);
    v1::SupportActionRequest& request = *event.mutable_support_action_request();
    request.set_call_id(call_id);
    request.set_action(action);
    *request.mutable_claims() = claims;
    for (v1::CallFlag flag : flags) request.add_flags(flag);
    return event;
  }

  static void SetAgent(v1::Event& event, v1::AgentRole role) {
    event.mutable_agent()->set_agent_id("agent-7");
    event.mutable_agent()->set_role(role);
    event.mutable_agent()->set_display_name("Sato");
  }

 private:
  static void AddName(v1::Profile& profile, v1::NameScript script, const std::string& family,
                      const std::string& given) {
    v1::PersonName& name = *profile.add_names();
    name.set_script(script);
    name.set_family_name(family);
    name.set_given_name(given);
  }
  void AddFactor(v1::Event& event, const std::string& id, v1::FactorKind kind,
                 v1::FactorCategory category, v1::Channel channel) {
    v1::Factor& factor = *event.mutable_account_opened()->add_factors();
    factor.set_factor_id(id);
    factor.set_kind(kind);
    factor.set_category(category);
    factor.set_channel(channel);
    if (channel == v1::CHANNEL_APP) factor.set_device_id(device_id_);
    factor.set_label(absl::StrCat(id, " label"));
  }

  const Engine* engine_;
  std::string account_id_;
  absl::Time now_;
  v1::Account account_;
  v1::AuditChainHead head_;
  std::vector<v1::AuditRecord> records_;
  int64_t event_counter_ = 0;
  int64_t events_sent_ = 0;
  std::string device_id_ = "dev-phone";
  std::string ip_country_ = "JP";
};

}  // namespace scenarios
}  // namespace pitboss

#endif  // PITBOSS_TESTS_SCENARIOS_SCENARIO_DRIVER_H_
