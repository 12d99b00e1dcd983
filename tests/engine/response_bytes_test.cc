// SerializeEvaluateResponse against the response's own deterministic
// serialization: the same bytes for a full response (repeated fields,
// non-ASCII strings), for empty parts (which are still present fields) and for
// parts long enough to need multi-byte lengths.
#include "src/engine/response_bytes.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pitboss/v1/policy.pb.h"
#include "src/engine/audit_chain.h"
#include "tests/matchers.h"

namespace pitboss {
namespace {

using ::pitboss::testing::IsOk;

v1::Decision FullDecision() {
  v1::Decision decision;
  decision.set_event_id("evt-1");
  decision.set_account_id("acc-1");
  decision.set_outcome(v1::DECISION_OUTCOME_CHALLENGE);
  decision.set_risk_score(420);
  decision.add_required_factors(v1::FACTOR_KIND_TOTP);
  decision.add_required_factors(v1::FACTOR_KIND_SMS_OTP);
  v1::Reason* reason = decision.add_reasons();
  reason->set_code("NAME_MISMATCH");
  reason->set_message("名義が一致しません");
  for (int i = 0; i < 3; ++i) {
    v1::RuleTrace* trace = decision.add_trace();
    trace->set_rule_id("R-" + std::to_string(i));
    trace->set_fired(i == 1);
  }
  v1::StateChange* change = decision.add_state_changes();
  change->set_field("account.balances.cash");
  change->mutable_delta()->set_currency("JPY");
  change->mutable_delta()->set_minor_units(-500);
  decision.mutable_shadow()->set_outcome(v1::DECISION_OUTCOME_DENY);
  decision.set_account_version(7);
  decision.set_audit_sequence(12);
  return decision;
}

v1::Account FullAccount() {
  v1::Account account;
  account.set_account_id("acc-1");
  account.set_version(7);
  account.mutable_profile()->add_names()->set_family_name("山田");
  account.mutable_balances()->mutable_cash()->set_currency("JPY");
  account.mutable_balances()->mutable_cash()->set_minor_units(120000);
  for (int i = 0; i < 3; ++i) {
    v1::Deposit* deposit = account.add_deposits();
    deposit->set_deposit_id("d-" + std::to_string(i));
    deposit->set_state(v1::DEPOSIT_STATE_COMPLETED);
  }
  return account;
}

v1::AuditRecord FullAudit() {
  v1::AuditRecord audit;
  audit.set_sequence(12);
  audit.set_event_id("evt-1");
  audit.set_account_id("acc-1");
  audit.set_account_version(7);
  audit.set_payload_hash(std::string(32, '\x01'));
  audit.set_record_hash(std::string(32, '\xfe'));
  return audit;
}

// What EvaluateSerialized returned before: the assembled response,
// serialized deterministically.
std::string Expected(const v1::Decision& decision, const v1::Account& account,
                     const v1::AuditRecord& audit) {
  v1::EvaluateResponse response;
  *response.mutable_decision() = decision;
  *response.mutable_account() = account;
  *response.mutable_audit() = audit;
  absl::StatusOr<std::string> bytes = engine::CanonicalBytes(response);
  EXPECT_THAT(bytes, IsOk());
  return bytes.ok() ? *bytes : std::string();
}

std::string Written(const v1::Decision& decision, const v1::Account& account,
                    const v1::AuditRecord& audit) {
  absl::StatusOr<std::string> decision_bytes = engine::CanonicalBytes(decision);
  EXPECT_THAT(decision_bytes, IsOk());
  absl::StatusOr<std::string> bytes =
      engine::SerializeEvaluateResponse(*decision_bytes, account, audit);
  EXPECT_THAT(bytes, IsOk());
  return bytes.ok() ? *bytes : std::string();
}

TEST(ResponseBytesTest, FullResponseIsTheDeterministicSerialization) {
  const std::string expected = Expected(FullDecision(), FullAccount(), FullAudit());
  EXPECT_GT(expected.size(), 100u);
  EXPECT_EQ(Written(FullDecision(), FullAccount(), FullAudit()), expected);
}

TEST(ResponseBytesTest, EmptyPartsAreStillWrittenAsPresentFields) {
  const v1::Decision empty_decision;
  const v1::Account empty_account;
  const v1::AuditRecord empty_audit;
  const std::string expected = Expected(empty_decision, empty_account, empty_audit);
  EXPECT_EQ(expected, std::string("\x0a\x00\x12\x00\x1a\x00", 6));
  EXPECT_EQ(Written(empty_decision, empty_account, empty_audit), expected);
  EXPECT_EQ(Written(FullDecision(), empty_account, FullAudit()),
            Expected(FullDecision(), empty_account, FullAudit()));
}

TEST(ResponseBytesTest, LongPartsGetMultiByteLengths) {
  v1::Account account = FullAccount();
  for (int i = 0; i < 2000; ++i) account.add_deposits()->set_deposit_id(std::to_string(i));
  const std::string expected = Expected(FullDecision(), account, FullAudit());
  EXPECT_GT(expected.size(), 16384u);  // a three-byte length varint
  EXPECT_EQ(Written(FullDecision(), account, FullAudit()), expected);
}

}  // namespace
}  // namespace pitboss
