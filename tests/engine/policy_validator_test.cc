#include "src/engine/policy_validator.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "pitboss/v1/policy.pb.h"
#include "src/engine/policy_options.h"
#include "tests/matchers.h"

namespace pitboss {
namespace engine {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A small valid policy exercising every section.
v1::Policy BasePolicy() {
  v1::Policy policy;
  const bool ok = google::protobuf::TextFormat::ParseFromString(R"pb(
    policy_id: "test"
    payment_methods {
      method_id: "card"
      instrument_kind: INSTRUMENT_KIND_CARD
      card_brands: [CARD_BRAND_VISA]
      directions {
        direction: PAYMENT_DIRECTION_DEPOSIT
        enabled: true
        step_up_method: STEP_UP_METHOD_THREE_D_SECURE
        processing_time_max { seconds: 60 }
        currencies {
          currency: "JPY"
          min_per_transaction_minor_units: 1000
          max_per_transaction_minor_units: 100000
          daily_max_minor_units: 200000
          fee { fixed_minor_units: 10 basis_points: 100 }
          step_up_required: true
          step_up_above_minor_units: 5000
        }
      }
    }
    action_requirements {
      action: SENSITIVE_ACTION_WITHDRAWAL
      min_level: ASSURANCE_LEVEL_L2
      freshness { seconds: 600 }
      forbidden_channels: [CHANNEL_PHONE]
      accepted_factor_kinds: [FACTOR_KIND_TOTP, FACTOR_KIND_PASSWORD]
    }
    kyc {
      withdrawal_min_level: KYC_LEVEL_DOCUMENTS_VERIFIED
      enhanced_due_diligence_thresholds { currency: "JPY" minor_units: 320000 }
    }
    security { withdrawal_hold_after_contact_change { seconds: 3600 } }
    rules {
      id: "R01"
      expression: "features.new_device"
      action { score: 10 }
      mode: RULE_MODE_ENFORCE
    }
    rules {
      id: "R02"
      expression: "has(event.withdrawal_requested)"
      action { challenge { factor_kinds: [FACTOR_KIND_TOTP] } }
      mode: RULE_MODE_SHADOW
      reason_code: "SOME_CODE"
    }
    score_thresholds { min_score: 50 outcome: DECISION_OUTCOME_REVIEW }
    reference_currency: "EUR"
    reference_rates { currency: "JPY" reference_minor_units: 5 per_minor_units: 8 }
  )pb", &policy);
  EXPECT_TRUE(ok);
  return policy;
}

TEST(PolicyValidatorTest, AcceptsAValidPolicy) {
  EXPECT_THAT(FindPolicyProblems(BasePolicy()), IsEmpty());
  EXPECT_THAT(ValidatePolicy(BasePolicy()), IsOk());
}

struct Case {
  const char* name;
  std::function<void(v1::Policy&)> mutate;
  const char* problem;  // one of the problems, verbatim
};

TEST(PolicyValidatorTest, EachCheckNamesItsField) {
  const std::vector<Case> cases = {
      {"no policy id", [](v1::Policy& p) { p.clear_policy_id(); }, "policy_id: empty"},
      // Rules.
      {"duplicate rule id", [](v1::Policy& p) { p.mutable_rules(1)->set_id("R01"); },
       "rules[1].id: duplicate 'R01' (first at rules[0])"},
      {"empty rule id", [](v1::Policy& p) { p.mutable_rules(0)->clear_id(); },
       "rules[0].id: empty"},
      {"bad rule id", [](v1::Policy& p) { p.mutable_rules(0)->set_id("R 1"); },
       "rules[0].id: 'R 1' is not [A-Za-z0-9_.-]{1,64}"},
      {"blank expression", [](v1::Policy& p) { p.mutable_rules(0)->set_expression("  \n"); },
       "rules[0].expression: empty"},
      {"long expression",
       [](v1::Policy& p) {
         p.mutable_rule_limits()->set_max_expression_length(10);
         p.mutable_rules(0)->set_expression("features.new_device == true");
       },
       "rules[0].expression: 27 characters, more than the limit 10"},
      {"no action", [](v1::Policy& p) { p.mutable_rules(0)->clear_action(); },
       "rules[0].action: no action"},
      {"no mode", [](v1::Policy& p) { p.mutable_rules(0)->clear_mode(); },
       "rules[0].mode: must be RULE_MODE_ENFORCE or RULE_MODE_SHADOW"},
      {"score out of range",
       [](v1::Policy& p) { p.mutable_rules(0)->mutable_action()->set_score(5000); },
       "rules[0].action.score: 5000 is not in -1000..1000 without 0"},
      {"challenge without kinds",
       [](v1::Policy& p) {
         p.mutable_rules(1)->mutable_action()->mutable_challenge()->clear_factor_kinds();
       },
       "rules[1].action.challenge.factor_kinds: empty"},
      {"challenge unknown kind",
       [](v1::Policy& p) {
         p.mutable_rules(1)->mutable_action()->mutable_challenge()->add_factor_kinds(
             static_cast<v1::FactorKind>(99));
       },
       "rules[1].action.challenge.factor_kinds[1]: unknown factor kind 99"},
      {"bad tag", [](v1::Policy& p) { p.mutable_rules(0)->mutable_action()->set_tag("Bad Tag"); },
       "rules[0].action.tag: 'Bad Tag' is not [a-z0-9_.-]{1,64}"},
      {"bad reason code", [](v1::Policy& p) { p.mutable_rules(1)->set_reason_code("lower"); },
       "rules[1].reason_code: 'lower' is not [A-Z0-9_]{1,64}"},
      {"unknown escalate case kind",
       [](v1::Policy& p) {
         p.mutable_rules(0)->mutable_action()->mutable_escalate()->set_case_kind(
             static_cast<v1::CaseKind>(77));
       },
       "rules[0].action.escalate.case_kind: unknown"},
      // Thresholds.
      {"thresholds out of order",
       [](v1::Policy& p) {
         v1::ScoreThreshold* t = p.add_score_thresholds();
         t->set_min_score(40);
         t->set_outcome(v1::DECISION_OUTCOME_DENY);
       },
       "score_thresholds[1].min_score: 40 not above the previous threshold's 50"},
      {"threshold milder",
       [](v1::Policy& p) {
         v1::ScoreThreshold* t = p.add_score_thresholds();
         t->set_min_score(80);
         t->set_outcome(v1::DECISION_OUTCOME_CHALLENGE);
         t->add_factor_kinds(v1::FACTOR_KIND_TOTP);
       },
       "score_thresholds[1].outcome: DECISION_OUTCOME_CHALLENGE is milder than the previous "
       "threshold's DECISION_OUTCOME_REVIEW"},
      // Payment methods.
      {"duplicate method id",
       [](v1::Policy& p) { *p.add_payment_methods() = p.payment_methods(0); },
       "payment_methods[1].method_id: duplicate 'card' (first at payment_methods[0])"},
      {"unknown currency",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)->mutable_directions(0)->mutable_currencies(0)->set_currency(
             "XYZ");
       },
       "payment_methods[0].directions[0].currencies[0].currency: unknown currency 'XYZ'"},
      {"lower-case currency",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)->mutable_directions(0)->mutable_currencies(0)->set_currency(
             "jpy");
       },
       "payment_methods[0].directions[0].currencies[0].currency: unknown currency 'jpy'"},
      {"min above max",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)
             ->mutable_directions(0)
             ->mutable_currencies(0)
             ->set_min_per_transaction_minor_units(150000);
       },
       "payment_methods[0].directions[0].currencies[0].min_per_transaction_minor_units: 150000 "
       "is above max_per_transaction_minor_units 100000"},
      {"daily below per transaction",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)
             ->mutable_directions(0)
             ->mutable_currencies(0)
             ->set_daily_max_minor_units(50000);
       },
       "payment_methods[0].directions[0].currencies[0].daily_max_minor_units: 50000 is below "
       "max_per_transaction_minor_units 100000"},
      {"negative step-up",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)
             ->mutable_directions(0)
             ->mutable_currencies(0)
             ->set_step_up_above_minor_units(-1);
       },
       "payment_methods[0].directions[0].currencies[0].step_up_above_minor_units: -1 is "
       "negative"},
      {"fee basis points",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)
             ->mutable_directions(0)
             ->mutable_currencies(0)
             ->mutable_fee()
             ->set_basis_points(20000);
       },
       "payment_methods[0].directions[0].currencies[0].fee"},
      {"duplicate direction",
       [](v1::Policy& p) {
         v1::PaymentMethod* m = p.mutable_payment_methods(0);
         *m->add_directions() = m->directions(0);
       },
       "payment_methods[0].directions[1].direction: duplicate PAYMENT_DIRECTION_DEPOSIT"},
      {"enabled without currency",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)->mutable_directions(0)->clear_currencies();
       },
       "payment_methods[0].directions[0].currencies: an enabled direction needs a currency"},
      {"processing times reversed",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)
             ->mutable_directions(0)
             ->mutable_processing_time_min()
             ->set_seconds(120);
       },
       "payment_methods[0].directions[0].processing_time_min: above processing_time_max"},
      {"3-D Secure on a bank method",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)->clear_card_brands();
         p.mutable_payment_methods(0)->set_instrument_kind(v1::INSTRUMENT_KIND_BANK_ACCOUNT);
       },
       "payment_methods[0].directions[0].step_up_method: 3-D Secure is for card methods only"},
      {"step-up without method",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)->mutable_directions(0)->clear_step_up_method();
       },
       "payment_methods[0].directions[0].step_up_method: a step-up is required but no method "
       "set"},
      {"card brand on a wallet",
       [](v1::Policy& p) {
         p.mutable_payment_methods(0)->set_instrument_kind(v1::INSTRUMENT_KIND_E_WALLET);
         p.mutable_payment_methods(0)->mutable_directions(0)->clear_step_up_method();
         p.mutable_payment_methods(0)
             ->mutable_directions(0)
             ->mutable_currencies(0)
             ->set_step_up_required(false);
       },
       "payment_methods[0].card_brands[0]: card brands are for card methods only"},
      // Action requirements.
      {"duplicate action",
       [](v1::Policy& p) { *p.add_action_requirements() = p.action_requirements(0); },
       "action_requirements[1].action: duplicate SENSITIVE_ACTION_WITHDRAWAL (first at "
       "action_requirements[0])"},
      {"no level", [](v1::Policy& p) { p.mutable_action_requirements(0)->clear_min_level(); },
       "action_requirements[0].min_level: must be ASSURANCE_LEVEL_L1 or ASSURANCE_LEVEL_L2"},
      {"zero freshness",
       [](v1::Policy& p) { p.mutable_action_requirements(0)->clear_freshness(); },
       "action_requirements[0].freshness: must be positive"},
      {"bad channel",
       [](v1::Policy& p) {
         p.mutable_action_requirements(0)->add_forbidden_channels(v1::CHANNEL_UNSPECIFIED);
       },
       "action_requirements[0].forbidden_channels[1]: unspecified or unknown"},
      // KYC and timings.
      {"threshold currency",
       [](v1::Policy& p) {
         p.mutable_kyc()->mutable_enhanced_due_diligence_thresholds(0)->set_currency("EURO");
       },
       "kyc.enhanced_due_diligence_thresholds[0].currency: unknown currency 'EURO'"},
      {"threshold not positive",
       [](v1::Policy& p) {
         p.mutable_kyc()->mutable_enhanced_due_diligence_thresholds(0)->set_minor_units(0);
       },
       "kyc.enhanced_due_diligence_thresholds[0].minor_units: 0 is not positive"},
      {"negative hold",
       [](v1::Policy& p) {
         p.mutable_security()->mutable_withdrawal_hold_after_contact_change()->set_seconds(-5);
       },
       "security.withdrawal_hold_after_contact_change: must not be negative"},
      {"duration out of range",
       [](v1::Policy& p) {
         p.mutable_responsible_gambling()->mutable_limit_increase_cooling_off()->set_seconds(
             400'000'000'000);
       },
       "responsible_gambling.limit_increase_cooling_off: 400000000000 s is outside the "
       "Duration range"},
      {"domain lockout bounds",
       [](v1::Policy& p) {
         p.mutable_security()->mutable_lockout()->set_max_failures_in_window(500);
       },
       "security.lockout: "},
      {"time-out bounds",
       [](v1::Policy& p) {
         p.mutable_responsible_gambling()->set_minimum_time_out_hours(48);
         p.mutable_responsible_gambling()->set_maximum_time_out_hours(24);
       },
       "responsible_gambling: "},
      // Reference rates.
      {"rate for the reference",
       [](v1::Policy& p) { p.mutable_reference_rates(0)->set_currency("EUR"); },
       "reference_rates[0].currency: the reference currency needs no rate"},
      {"rate not positive",
       [](v1::Policy& p) { p.mutable_reference_rates(0)->set_per_minor_units(0); },
       "reference_rates[0].per_minor_units: 0 is not positive"},
      {"rates without reference", [](v1::Policy& p) { p.clear_reference_currency(); },
       "reference_rates: rates without a reference_currency"},
  };
  for (const Case& c : cases) {
    v1::Policy policy = BasePolicy();
    c.mutate(policy);
    const v1::Policy before = policy;
    std::vector<std::string> problems = FindPolicyProblems(policy);
    bool found = false;
    for (const std::string& problem : problems) {
      if (problem.find(c.problem) == 0) found = true;
    }
    EXPECT_TRUE(found) << c.name << ": want a problem starting with \"" << c.problem
                       << "\", got: " << ::testing::PrintToString(problems);
    EXPECT_THAT(ValidatePolicy(policy),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.problem)))
        << c.name;
    // The policy is only read.
    EXPECT_EQ(policy.SerializeAsString(), before.SerializeAsString()) << c.name;
  }
}

TEST(PolicyValidatorTest, ReportsEveryProblemInFieldOrder) {
  v1::Policy policy = BasePolicy();
  policy.clear_policy_id();
  policy.mutable_rules(0)->set_expression("");
  policy.mutable_rules(1)->set_id("R01");
  EXPECT_THAT(FindPolicyProblems(policy),
              ElementsAre("policy_id: empty", "rules[0].expression: empty",
                          "rules[1].id: duplicate 'R01' (first at rules[0])"));
  EXPECT_THAT(ValidatePolicy(policy),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("policy: 3 problems: ")));
}

TEST(PolicyOptionsTest, EmptyPolicyGivesTheDefaults) {
  absl::StatusOr<PolicyOptions> options = ResolvePolicyOptions(v1::Policy());
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->limits.cooling_off, absl::Hours(24));
  EXPECT_EQ(options->limits.minimum_self_exclusion_months, 6);
  EXPECT_EQ(options->lockout.max_failures_in_window, 5);
  EXPECT_EQ(options->lockout.window, absl::Minutes(15));
  EXPECT_EQ(options->lockout.hard_lock_consecutive_failures, 100);
  EXPECT_EQ(options->assurance.l2_max_age, absl::Hours(12));
  EXPECT_EQ(options->assurance.l2_idle_timeout, absl::Minutes(30));
  EXPECT_EQ(options->security.withdrawal_hold_after_contact_change, absl::Hours(48));
  EXPECT_EQ(options->security.withdrawal_hold_after_password_change, absl::Hours(48));
  EXPECT_EQ(options->kyc.withdrawal_min_level, v1::KYC_LEVEL_DOCUMENTS_VERIFIED);
  EXPECT_EQ(options->action_requirements.size(), domain::DefaultActionRequirements().size());
}

TEST(PolicyOptionsTest, PolicyEntriesReplaceDefaults) {
  absl::StatusOr<PolicyOptions> options = ResolvePolicyOptions(BasePolicy());
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->security.withdrawal_hold_after_contact_change, absl::Hours(1));
  absl::StatusOr<domain::ActionRequirement> withdrawal =
      domain::FindRequirement(options->action_requirements, domain::SensitiveAction::kWithdrawal);
  ASSERT_THAT(withdrawal, IsOk());
  EXPECT_EQ(withdrawal->min_level, domain::AssuranceLevel::kL2);
  EXPECT_EQ(withdrawal->freshness, absl::Minutes(10));
  EXPECT_THAT(withdrawal->accepted_kinds, ElementsAre(v1::FACTOR_KIND_TOTP, v1::FACTOR_KIND_PASSWORD));
  // Other actions keep the domain default.
  absl::StatusOr<domain::ActionRequirement> reset = domain::FindRequirement(
      options->action_requirements, domain::SensitiveAction::kPasswordReset);
  ASSERT_THAT(reset, IsOk());
  EXPECT_THAT(reset->forbidden_channels, ElementsAre(v1::CHANNEL_PHONE));
}

TEST(PolicyOptionsTest, ActionEnumsRoundTrip) {
  for (const domain::ActionRequirement& requirement : domain::DefaultActionRequirements()) {
    v1::SensitiveAction proto = ToProtoAction(requirement.action);
    EXPECT_NE(proto, v1::SENSITIVE_ACTION_UNSPECIFIED);
    EXPECT_EQ(ToDomainAction(proto), requirement.action);
  }
  EXPECT_FALSE(ToDomainAction(v1::SENSITIVE_ACTION_UNSPECIFIED).has_value());
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
