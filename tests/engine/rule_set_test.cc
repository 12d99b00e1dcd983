#include "src/engine/rule_set.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "src/domain/proto_time.h"
#include "src/engine/case_id.h"
#include "src/engine/decision_combiner.h"
#include "tests/matchers.h"

namespace pitboss {
namespace engine {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Policy DefaultPolicy() {
  std::ifstream in(std::string(PITBOSS_SOURCE_DIR) + "/examples/policy/default.textproto");
  std::stringstream text;
  text << in.rdbuf();
  v1::Policy policy;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text.str(), &policy));
  return policy;
}

const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);

struct Fixture {
  v1::Account account;
  v1::Event event;
  v1::Features features;
  RuleInput Input() const { return RuleInput{&account, &event, &features, kNow}; }
};

const Finding* FindRule(const std::vector<Finding>& findings, const std::string& id) {
  for (const Finding& finding : findings) {
    if (finding.RuleId() == id) return &finding;
  }
  return nullptr;
}

std::vector<std::string> Fired(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const Finding& finding : findings) {
    if (finding.fired) ids.push_back(std::string(finding.RuleId()));
  }
  return ids;
}

TEST(RuleSetTest, ReferencedPathsFindsScalarLeaves) {
  EXPECT_THAT(
      ReferencedPaths("has(event.withdrawal_requested) && features.new_device && "
                      "account.verifications.exists(v, v.verified_at > "
                      "account.security.email_changed_at) && features.new_device && "
                      "features.velocity.deposits_completed.count_1h > 2 && "
                      "account.profile.currency.startsWith('J') && featuresx.a == 1",
                      8),
      ElementsAre("features.new_device", "account.security.email_changed_at",
                  "features.velocity.deposits_completed.count_1h", "account.profile.currency"));
  EXPECT_THAT(ReferencedPaths("features.new_device && features.has_device", 1),
              ElementsAre("features.new_device"));
}

TEST(RuleSetTest, CompilesEveryDefaultRuleAndNoneFiresOnAnEmptyEvent) {
  const v1::Policy policy = DefaultPolicy();
  absl::StatusOr<std::unique_ptr<RuleSet>> rules = RuleSet::Compile(policy);
  ASSERT_THAT(rules, IsOk());
  EXPECT_EQ((*rules)->size(), static_cast<size_t>(policy.rules_size()));
  Fixture empty;
  google::protobuf::Arena arena;
  absl::StatusOr<std::vector<Finding>> findings = (*rules)->Evaluate(empty.Input(), &arena);
  ASSERT_THAT(findings, IsOk());
  ASSERT_EQ(findings->size(), static_cast<size_t>(policy.rules_size()));
  for (const Finding& finding : *findings) {
    EXPECT_EQ(finding.error, "") << finding.RuleId();
    EXPECT_FALSE(finding.fired) << finding.RuleId();
  }
}

TEST(RuleSetTest, WithdrawalAfterEmailChangeFromNewDeviceHoldsAndChallenges) {
  const v1::Policy policy = DefaultPolicy();
  absl::StatusOr<std::unique_ptr<RuleSet>> rules = RuleSet::Compile(policy);
  ASSERT_THAT(rules, IsOk());
  Fixture f;
  f.account.set_account_id("acc-1");
  f.account.mutable_kyc()->set_level(v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  *f.account.mutable_security()->mutable_email_changed_at() =
      domain::ToProtoTime(kNow - absl::Hours(2));
  f.event.set_event_id("evt-9");
  f.event.set_account_id("acc-1");
  f.event.mutable_withdrawal_requested()->set_withdrawal_id("w-1");
  f.features.set_contact_ever_changed(true);
  f.features.set_email_ever_changed(true);
  f.features.set_seconds_since_contact_change(7200);
  f.features.set_contact_change_cooldown_active(true);
  f.features.set_has_device(true);
  f.features.set_new_device(true);
  f.features.set_device_first_seen_recently(true);
  f.features.set_kyc_documents_verified(true);
  google::protobuf::Arena arena;
  absl::StatusOr<std::vector<Finding>> findings = (*rules)->Evaluate(f.Input(), &arena);
  ASSERT_THAT(findings, IsOk());
  EXPECT_THAT(Fired(*findings), ElementsAre("ATO-001", "ATO-002", "ATO-008"));
  const Finding* hold = FindRule(*findings, "ATO-001");
  ASSERT_NE(hold, nullptr);
  EXPECT_EQ(hold->Code(), "WITHDRAWAL_AFTER_CONTACT_CHANGE");
  bool saw_cooldown = false;
  for (const v1::ObservedValue& value : hold->observed) {
    if (value.path() == "features.contact_change_cooldown_active") {
      saw_cooldown = true;
      EXPECT_EQ(value.value(), "true");
    }
  }
  EXPECT_TRUE(saw_cooldown);

  const std::vector<v1::ScoreThreshold> thresholds(policy.score_thresholds().begin(),
                                                   policy.score_thresholds().end());
  absl::StatusOr<DecisionCombiner> combiner = DecisionCombiner::Create(thresholds);
  ASSERT_THAT(combiner, IsOk());
  absl::StatusOr<v1::Decision> decision =
      combiner->Combine(*findings, CombineContext{"acc-1", "evt-9"});
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_HOLD);
  EXPECT_THAT(decision->required_factors(),
              ElementsAre(v1::FACTOR_KIND_TOTP, v1::FACTOR_KIND_APP_APPROVAL));
  EXPECT_EQ(decision->risk_score(), 20);

  // Re-verified with a possession factor after the change: no hold, still the
  // new-device challenge.
  v1::Verification* verification = f.account.add_verifications();
  verification->set_kind(v1::FACTOR_KIND_TOTP);
  verification->set_category(v1::FACTOR_CATEGORY_POSSESSION);
  *verification->mutable_verified_at() = domain::ToProtoTime(kNow - absl::Minutes(10));
  findings = (*rules)->Evaluate(f.Input(), &arena);
  ASSERT_THAT(findings, IsOk());
  EXPECT_THAT(Fired(*findings), ElementsAre("ATO-002", "ATO-008"));
}

TEST(RuleSetTest, UrgentPhoneWithdrawalEscalatesWithACaseId) {
  const v1::Policy policy = DefaultPolicy();
  absl::StatusOr<std::unique_ptr<RuleSet>> rules = RuleSet::Compile(policy);
  ASSERT_THAT(rules, IsOk());
  Fixture f;
  f.event.set_channel(v1::CHANNEL_PHONE);
  f.event.mutable_support_action_request()->set_action(
      v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL);
  f.features.set_is_support_call(true);
  f.features.set_call_urgency_pressure(true);
  google::protobuf::Arena arena;
  absl::StatusOr<std::vector<Finding>> findings = (*rules)->Evaluate(f.Input(), &arena);
  ASSERT_THAT(findings, IsOk());
  EXPECT_THAT(Fired(*findings), ElementsAre("CALL-001"));
  absl::StatusOr<DecisionCombiner> combiner = DecisionCombiner::Create({});
  ASSERT_THAT(combiner, IsOk());
  absl::StatusOr<v1::Decision> decision =
      combiner->Combine(*findings, CombineContext{"acc-7", "call-evt-1"});
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_ESCALATE);
  EXPECT_TRUE(IsWellFormedCaseId(decision->case_id()));
}

TEST(RuleSetTest, HolderNameMismatchDeniesDeposit) {
  absl::StatusOr<std::unique_ptr<RuleSet>> rules = RuleSet::Compile(DefaultPolicy());
  ASSERT_THAT(rules, IsOk());
  Fixture f;
  f.event.mutable_deposit_requested()->set_deposit_id("d-1");
  f.features.set_holder_name_match(v1::NAME_MATCH_NO_MATCH);
  f.features.set_holder_name_mismatch(true);
  google::protobuf::Arena arena;
  absl::StatusOr<std::vector<Finding>> findings = (*rules)->Evaluate(f.Input(), &arena);
  ASSERT_THAT(findings, IsOk());
  EXPECT_THAT(Fired(*findings), ElementsAre("PAY-001"));
  // A normalized match (ﾔﾏﾀﾞ ﾀﾛｳ vs ヤマダ タロウ) fires nothing.
  f.features.set_holder_name_match(v1::NAME_MATCH_NORMALIZED);
  f.features.set_holder_name_mismatch(false);
  findings = (*rules)->Evaluate(f.Input(), &arena);
  ASSERT_THAT(findings, IsOk());
  EXPECT_THAT(Fired(*findings), ::testing::IsEmpty());
}

TEST(RuleSetTest, CompileErrorsNameTheRuleAndPosition) {
  v1::Policy policy;
  v1::FraudRule* good = policy.add_rules();
  good->set_id("GOOD");
  good->set_expression("features.new_device");
  v1::FraudRule* bad = policy.add_rules();
  bad->set_id("BAD-1");
  bad->set_expression("features.new_device &&\n  features.no_such_field");
  EXPECT_THAT(RuleSet::Compile(policy),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("rules[1] (BAD-1): "), HasSubstr(":2:"))));
  bad->set_expression("features.call_flag_count + 1");
  EXPECT_THAT(RuleSet::Compile(policy),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rules[1] (BAD-1)")));
}

TEST(RuleSetTest, RuntimeErrorsAreTracedNotFired) {
  v1::Policy policy;
  v1::FraudRule* rule = policy.add_rules();
  rule->set_id("DIV");
  rule->set_expression("100 / features.call_flag_count > 1");
  rule->mutable_action()->mutable_deny();
  rule->set_mode(v1::RULE_MODE_ENFORCE);
  absl::StatusOr<std::unique_ptr<RuleSet>> rules = RuleSet::Compile(policy);
  ASSERT_THAT(rules, IsOk());
  Fixture f;
  google::protobuf::Arena arena;
  absl::StatusOr<std::vector<Finding>> findings = (*rules)->Evaluate(f.Input(), &arena);
  ASSERT_THAT(findings, IsOk());
  ASSERT_EQ(findings->size(), 1u);
  EXPECT_FALSE((*findings)[0].fired);
  EXPECT_NE((*findings)[0].error, "");
  ASSERT_EQ((*findings)[0].observed.size(), 1u);
  EXPECT_EQ((*findings)[0].observed[0].path(), "features.call_flag_count");
  EXPECT_EQ((*findings)[0].observed[0].value(), "0");
  // The combiner traces it and the outcome stays ALLOW.
  absl::StatusOr<DecisionCombiner> combiner = DecisionCombiner::Create({});
  ASSERT_THAT(combiner, IsOk());
  absl::StatusOr<v1::Decision> decision = combiner->Combine(*findings, {"a", "e"});
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_ALLOW);
  EXPECT_NE(decision->trace(0).error(), "");
}

TEST(RuleSetTest, RejectsMissingInput) {
  absl::StatusOr<std::unique_ptr<RuleSet>> rules = RuleSet::Compile(v1::Policy());
  ASSERT_THAT(rules, IsOk());
  google::protobuf::Arena arena;
  EXPECT_THAT((*rules)->Evaluate(RuleInput{}, &arena),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("required")));
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
