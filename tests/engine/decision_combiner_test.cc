#include "src/engine/decision_combiner.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pitboss/v1/decision.pb.h"
#include "pitboss/v1/policy.pb.h"
#include "src/engine/case_id.h"
#include "tests/matchers.h"

namespace pitboss {
namespace engine {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const CombineContext kContext{"acc-1", "evt-1"};

v1::RuleAction Score(int n) {
  v1::RuleAction action;
  action.set_score(n);
  return action;
}
v1::RuleAction Challenge(std::vector<v1::FactorKind> kinds) {
  v1::RuleAction action;
  v1::ChallengeAction* challenge = action.mutable_challenge();
  for (v1::FactorKind kind : kinds) challenge->add_factor_kinds(kind);
  return action;
}
v1::RuleAction Hold() {
  v1::RuleAction action;
  action.mutable_hold();
  return action;
}
v1::RuleAction Review() {
  v1::RuleAction action;
  action.mutable_review();
  return action;
}
v1::RuleAction Deny() {
  v1::RuleAction action;
  action.mutable_deny();
  return action;
}
v1::RuleAction Escalate() {
  v1::RuleAction action;
  action.mutable_escalate();
  return action;
}
v1::RuleAction Tag(const std::string& tag) {
  v1::RuleAction action;
  action.set_tag(tag);
  return action;
}

Finding Rule(const std::string& id, v1::RuleAction action,
             v1::RuleMode mode = v1::RULE_MODE_ENFORCE) {
  Finding finding;
  finding.source = v1::REASON_SOURCE_RULE;
  finding.rule_id = id;
  finding.mode = mode;
  finding.action = std::move(action);
  finding.code = absl::StrCat("CODE_", id);
  finding.message = absl::StrCat("message of ", id);
  return finding;
}

Finding Domain(const std::string& code, v1::RuleAction action) {
  Finding finding;
  finding.source = v1::REASON_SOURCE_DOMAIN;
  finding.action = std::move(action);
  finding.code = code;
  finding.message = "domain check";
  return finding;
}

DecisionCombiner NoThresholds() {
  absl::StatusOr<DecisionCombiner> combiner = DecisionCombiner::Create({});
  EXPECT_THAT(combiner, IsOk());
  return *std::move(combiner);
}

v1::ScoreThreshold Threshold(int min_score, v1::DecisionOutcome outcome,
                             std::vector<v1::FactorKind> kinds = {}) {
  v1::ScoreThreshold threshold;
  threshold.set_min_score(min_score);
  threshold.set_outcome(outcome);
  for (v1::FactorKind kind : kinds) threshold.add_factor_kinds(kind);
  return threshold;
}

TEST(DecisionCombinerTest, NothingFiredAllows) {
  absl::StatusOr<v1::Decision> decision = NoThresholds().Combine({}, kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_ALLOW);
  EXPECT_EQ(decision->risk_score(), 0);
  EXPECT_THAT(decision->reasons(), IsEmpty());
  EXPECT_EQ(decision->case_id(), "");
  EXPECT_EQ(decision->event_id(), "evt-1");
  EXPECT_EQ(decision->account_id(), "acc-1");
  EXPECT_EQ(decision->shadow().outcome(), v1::DECISION_OUTCOME_ALLOW);
}

TEST(DecisionCombinerTest, PrecedenceTableForEveryPairOfActions) {
  // Rows and columns: SCORE, TAG, CHALLENGE, HOLD, REVIEW, ESCALATE, DENY.
  // Cell: the outcome of both firing (A allow, C challenge, H hold, R review,
  // E escalate, D deny). Written out by hand from DESIGN.md's precedence
  // DENY > ESCALATE > HOLD = REVIEW (review reported) > CHALLENGE > ALLOW.
  const std::vector<v1::RuleAction> actions = {
      Score(5), Tag("t"), Challenge({v1::FACTOR_KIND_TOTP}), Hold(), Review(), Escalate(),
      Deny()};
  const std::vector<std::string> table = {
      "AACHRED",  // SCORE
      "AACHRED",  // TAG
      "CCCHRED",  // CHALLENGE
      "HHHHRED",  // HOLD
      "RRRRRED",  // REVIEW
      "EEEEEED",  // ESCALATE
      "DDDDDDD",  // DENY
  };
  auto letter = [](v1::DecisionOutcome outcome) {
    switch (outcome) {
      case v1::DECISION_OUTCOME_ALLOW: return 'A';
      case v1::DECISION_OUTCOME_CHALLENGE: return 'C';
      case v1::DECISION_OUTCOME_HOLD: return 'H';
      case v1::DECISION_OUTCOME_REVIEW: return 'R';
      case v1::DECISION_OUTCOME_ESCALATE: return 'E';
      case v1::DECISION_OUTCOME_DENY: return 'D';
      default: return '?';
    }
  };
  const DecisionCombiner combiner = NoThresholds();
  for (size_t a = 0; a < actions.size(); ++a) {
    for (size_t b = 0; b < actions.size(); ++b) {
      std::vector<Finding> findings = {Rule("A", actions[a]), Rule("B", actions[b])};
      absl::StatusOr<v1::Decision> decision = combiner.Combine(findings, kContext);
      ASSERT_THAT(decision, IsOk());
      EXPECT_EQ(letter(decision->outcome()), table[a][b]) << "pair " << a << "," << b;
      // Symmetric: the order of the findings does not matter for the outcome.
      std::swap(findings[0], findings[1]);
      decision = combiner.Combine(findings, kContext);
      ASSERT_THAT(decision, IsOk());
      EXPECT_EQ(letter(decision->outcome()), table[a][b]) << "pair " << b << "," << a;
    }
  }
}

TEST(DecisionCombinerTest, OutcomeHelpers) {
  EXPECT_EQ(StrongerOutcome(v1::DECISION_OUTCOME_HOLD, v1::DECISION_OUTCOME_REVIEW),
            v1::DECISION_OUTCOME_REVIEW);
  EXPECT_EQ(StrongerOutcome(v1::DECISION_OUTCOME_REVIEW, v1::DECISION_OUTCOME_HOLD),
            v1::DECISION_OUTCOME_REVIEW);
  EXPECT_EQ(OutcomeRank(v1::DECISION_OUTCOME_UNSPECIFIED), 0);
  EXPECT_EQ(OutcomeOfAction(v1::RuleAction()), v1::DECISION_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(ActionKindOf(Tag("x")), v1::ACTION_KIND_TAG);
}

TEST(DecisionCombinerTest, ScoresSumIntoThresholds) {
  absl::StatusOr<DecisionCombiner> combiner = DecisionCombiner::Create(
      {Threshold(40, v1::DECISION_OUTCOME_CHALLENGE, {v1::FACTOR_KIND_APP_APPROVAL}),
       Threshold(70, v1::DECISION_OUTCOME_REVIEW), Threshold(90, v1::DECISION_OUTCOME_DENY)});
  ASSERT_THAT(combiner, IsOk());

  absl::StatusOr<v1::Decision> decision =
      combiner->Combine({Rule("R1", Score(30)), Rule("R2", Score(15))}, kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->risk_score(), 45);
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_CHALLENGE);
  EXPECT_THAT(decision->required_factors(), ElementsAre(v1::FACTOR_KIND_APP_APPROVAL));
  ASSERT_EQ(decision->reasons_size(), 3);
  EXPECT_EQ(decision->reasons(0).code(), "SCORE_THRESHOLD");
  EXPECT_EQ(decision->reasons(0).source(), v1::REASON_SOURCE_SCORE_THRESHOLD);
  EXPECT_THAT(decision->reasons(0).message(), HasSubstr("risk score 45 reached threshold 40"));
  EXPECT_EQ(decision->reasons(1).rule_id(), "R1");
  EXPECT_EQ(decision->reasons(1).score(), 30);

  decision = combiner->Combine({Rule("R1", Score(30)), Rule("R2", Score(45))}, kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->risk_score(), 75);
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_REVIEW);
  EXPECT_TRUE(IsWellFormedCaseId(decision->case_id())) << decision->case_id();

  // Clamped to [0, 1000]; a negative total is 0 and reaches nothing.
  decision = combiner->Combine({Rule("R1", Score(1000)), Rule("R2", Score(1000))}, kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->risk_score(), 1000);
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_DENY);
  decision = combiner->Combine({Rule("R1", Score(-50)), Rule("R2", Score(20))}, kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->risk_score(), 0);
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_ALLOW);
}

TEST(DecisionCombinerTest, ThresholdJoinsRuleActionsByPrecedence) {
  absl::StatusOr<DecisionCombiner> combiner =
      DecisionCombiner::Create({Threshold(50, v1::DECISION_OUTCOME_HOLD)});
  ASSERT_THAT(combiner, IsOk());
  absl::StatusOr<v1::Decision> decision =
      combiner->Combine({Rule("R1", Score(60)), Rule("R2", Deny())}, kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_DENY);
}

TEST(DecisionCombinerTest, RequiredFactorsAreASortedUnion) {
  absl::StatusOr<v1::Decision> decision = NoThresholds().Combine(
      {Rule("R1", Challenge({v1::FACTOR_KIND_APP_APPROVAL, v1::FACTOR_KIND_TOTP})),
       Rule("R2", Challenge({v1::FACTOR_KIND_TOTP, v1::FACTOR_KIND_SMS_OTP})),
       Rule("R3", Hold())},
      kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_HOLD);
  EXPECT_THAT(decision->required_factors(),
              ElementsAre(v1::FACTOR_KIND_SMS_OTP, v1::FACTOR_KIND_TOTP,
                          v1::FACTOR_KIND_APP_APPROVAL));
}

TEST(DecisionCombinerTest, DenyDropsRequiredFactors) {
  absl::StatusOr<v1::Decision> decision = NoThresholds().Combine(
      {Rule("R1", Challenge({v1::FACTOR_KIND_TOTP})), Domain("SELF_EXCLUDED", Deny())},
      kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_DENY);
  EXPECT_THAT(decision->required_factors(), IsEmpty());
}

TEST(DecisionCombinerTest, ReasonsMostSevereFirstDomainBeforeRules) {
  absl::StatusOr<v1::Decision> decision = NoThresholds().Combine(
      {Rule("R1", Score(5)), Rule("R2", Hold()), Rule("R3", Deny()),
       Domain("KYC_DOCUMENTS_REQUIRED", Hold()), Rule("R4", Challenge({v1::FACTOR_KIND_TOTP})),
       Rule("R5", Deny())},
      kContext);
  ASSERT_THAT(decision, IsOk());
  std::vector<std::string> codes;
  for (const v1::Reason& reason : decision->reasons()) codes.push_back(reason.code());
  EXPECT_THAT(codes, ElementsAre("CODE_R3", "CODE_R5", "KYC_DOCUMENTS_REQUIRED", "CODE_R2",
                                 "CODE_R4", "CODE_R1"));
  EXPECT_EQ(decision->reasons(2).source(), v1::REASON_SOURCE_DOMAIN);
  EXPECT_EQ(decision->reasons(2).rule_id(), "");
  EXPECT_EQ(decision->reasons(0).action(), v1::ACTION_KIND_DENY);
}

TEST(DecisionCombinerTest, CaseIdOnlyForEscalateAndReview) {
  const DecisionCombiner combiner = NoThresholds();
  absl::StatusOr<std::string> expected = MakeCaseId("acc-1", "evt-1");
  ASSERT_THAT(expected, IsOk());
  for (const auto& [action, want_case] :
       std::vector<std::pair<v1::RuleAction, bool>>{{Escalate(), true},
                                                    {Review(), true},
                                                    {Hold(), false},
                                                    {Deny(), false},
                                                    {Score(10), false}}) {
    absl::StatusOr<v1::Decision> decision = combiner.Combine({Rule("R1", action)}, kContext);
    ASSERT_THAT(decision, IsOk());
    EXPECT_EQ(decision->case_id(), want_case ? *expected : "")
        << v1::DecisionOutcome_Name(decision->outcome());
  }
  EXPECT_THAT(combiner.Combine({Rule("R1", Escalate())}, CombineContext{"acc-1", ""}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event_id")));
}

TEST(DecisionCombinerTest, TagsSortedAndUniqueWithoutReasons) {
  absl::StatusOr<v1::Decision> decision = NoThresholds().Combine(
      {Rule("R1", Tag("vip")), Rule("R2", Tag("bonus_abuse")), Rule("R3", Tag("vip"))},
      kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_THAT(decision->tags(), ElementsAre("bonus_abuse", "vip"));
  EXPECT_THAT(decision->reasons(), IsEmpty());
  EXPECT_EQ(decision->trace_size(), 3);
}

// A rule that was simply false is left out (its entry would only repeat the
// policy); one that failed or recorded what it saw is kept, in policy order.
TEST(DecisionCombinerTest, TraceKeepsPolicyOrderWithErrorsAndNonFiring) {
  Finding silent = Rule("R0", Score(5));
  silent.fired = false;
  Finding quiet = Rule("R1", Deny());
  quiet.fired = false;
  quiet.observed.push_back(v1::ObservedValue());
  quiet.observed.back().set_path("features.new_device");
  quiet.observed.back().set_value("false");
  Finding broken = Rule("R2", Deny());
  broken.fired = false;
  broken.error = "no such key: 'x'";
  absl::StatusOr<v1::Decision> decision =
      NoThresholds().Combine({silent, quiet, broken, Rule("R3", Score(7))}, kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_ALLOW);
  ASSERT_EQ(decision->trace_size(), 3);
  EXPECT_EQ(decision->trace(0).rule_id(), "R1");
  EXPECT_FALSE(decision->trace(0).fired());
  EXPECT_EQ(decision->trace(0).observed(0).path(), "features.new_device");
  EXPECT_EQ(decision->trace(1).error(), "no such key: 'x'");
  EXPECT_TRUE(decision->trace(2).fired());
  EXPECT_EQ(decision->trace(2).score(), 7);
  EXPECT_EQ(decision->risk_score(), 7);
}

TEST(DecisionCombinerTest, ShadowRulesAreReportedApart) {
  absl::StatusOr<DecisionCombiner> combiner =
      DecisionCombiner::Create({Threshold(100, v1::DECISION_OUTCOME_REVIEW)});
  ASSERT_THAT(combiner, IsOk());
  Finding false_shadow = Rule("S4", Deny(), v1::RULE_MODE_SHADOW);
  false_shadow.fired = false;  // in neither trace
  absl::StatusOr<v1::Decision> decision = combiner->Combine(
      {Rule("E1", Score(10)),
       Rule("S1", Score(500), v1::RULE_MODE_SHADOW),
       Rule("S2", Challenge({v1::FACTOR_KIND_TOTP}), v1::RULE_MODE_SHADOW),
       Rule("S3", Tag("shadow_tag"), v1::RULE_MODE_SHADOW), false_shadow},
      kContext);
  ASSERT_THAT(decision, IsOk());
  EXPECT_EQ(decision->outcome(), v1::DECISION_OUTCOME_ALLOW);
  EXPECT_EQ(decision->risk_score(), 10);
  EXPECT_THAT(decision->required_factors(), IsEmpty());
  EXPECT_THAT(decision->tags(), IsEmpty());
  EXPECT_EQ(decision->case_id(), "");
  ASSERT_EQ(decision->trace_size(), 1);
  EXPECT_EQ(decision->trace(0).rule_id(), "E1");

  const v1::ShadowResult& shadow = decision->shadow();
  EXPECT_EQ(shadow.outcome(), v1::DECISION_OUTCOME_REVIEW);
  EXPECT_EQ(shadow.risk_score(), 510);
  EXPECT_THAT(shadow.required_factors(), ElementsAre(v1::FACTOR_KIND_TOTP));
  EXPECT_THAT(shadow.tags(), ElementsAre("shadow_tag"));
  ASSERT_EQ(shadow.trace_size(), 3);
  EXPECT_EQ(shadow.trace(0).rule_id(), "S1");
  std::vector<std::string> codes;
  for (const v1::Reason& reason : shadow.reasons()) codes.push_back(reason.code());
  // Only shadow reasons, plus the threshold the shadow score alone reaches.
  EXPECT_THAT(codes, ElementsAre("SCORE_THRESHOLD", "CODE_S2", "CODE_S1"));
}

TEST(DecisionCombinerTest, ShadowFindingsNeverChangeTheRealDecision) {
  absl::StatusOr<DecisionCombiner> combiner = DecisionCombiner::Create(
      {Threshold(20, v1::DECISION_OUTCOME_CHALLENGE, {v1::FACTOR_KIND_TOTP}),
       Threshold(60, v1::DECISION_OUTCOME_DENY)});
  ASSERT_THAT(combiner, IsOk());
  const std::vector<Finding> enforced = {
      Rule("E1", Score(15)), Rule("E2", Challenge({v1::FACTOR_KIND_SMS_OTP})),
      Domain("D1", Hold())};
  absl::StatusOr<v1::Decision> baseline = combiner->Combine(enforced, kContext);
  ASSERT_THAT(baseline, IsOk());
  baseline->clear_shadow();
  for (const v1::RuleAction& action :
       {Score(900), Score(-900), Tag("x"), Challenge({v1::FACTOR_KIND_APP_APPROVAL}), Hold(),
        Review(), Escalate(), Deny()}) {
    std::vector<Finding> findings = enforced;
    findings.insert(findings.begin() + 1, Rule("S", action, v1::RULE_MODE_SHADOW));
    absl::StatusOr<v1::Decision> with_shadow = combiner->Combine(findings, kContext);
    ASSERT_THAT(with_shadow, IsOk());
    EXPECT_EQ(with_shadow->shadow().trace_size(), 1);
    with_shadow->clear_shadow();
    EXPECT_EQ(with_shadow->SerializeAsString(), baseline->SerializeAsString())
        << ActionKind_Name(ActionKindOf(action));
  }
}

TEST(DecisionCombinerTest, IdenticalInputGivesIdenticalBytes) {
  const DecisionCombiner combiner = NoThresholds();
  const std::vector<Finding> findings = {Rule("R1", Challenge({v1::FACTOR_KIND_TOTP})),
                                         Rule("R2", Escalate()), Rule("R3", Tag("a"))};
  absl::StatusOr<v1::Decision> a = combiner.Combine(findings, kContext);
  absl::StatusOr<v1::Decision> b = combiner.Combine(findings, kContext);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  std::string bytes_a, bytes_b;
  ASSERT_TRUE(a->SerializeToString(&bytes_a));
  ASSERT_TRUE(b->SerializeToString(&bytes_b));
  EXPECT_EQ(bytes_a, bytes_b);
}

TEST(DecisionCombinerTest, RejectsBadFindings) {
  const DecisionCombiner combiner = NoThresholds();
  Finding no_action = Rule("R1", v1::RuleAction());
  EXPECT_THAT(combiner.Combine({Rule("R0", Hold()), no_action}, kContext),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("findings[1].action: no action")));
  Finding shadow_domain = Domain("D", Deny());
  shadow_domain.mode = v1::RULE_MODE_SHADOW;
  EXPECT_THAT(combiner.Combine({shadow_domain}, kContext),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("findings[0].mode: a domain finding is always enforced")));
  Finding no_mode = Rule("R1", Hold(), v1::RULE_MODE_UNSPECIFIED);
  EXPECT_THAT(combiner.Combine({no_mode}, kContext),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("findings[0].mode")));
  EXPECT_THAT(combiner.Combine({Rule("R1", Challenge({}))}, kContext),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("findings[0].action.challenge.factor_kinds: empty")));
  EXPECT_THAT(combiner.Combine({Rule("R1", Score(1001))}, kContext),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("findings[0].action.score: 1001 outside")));
  Finding errored = Rule("R1", Deny());
  errored.error = "division by zero";
  EXPECT_THAT(combiner.Combine({errored}, kContext),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("findings[0].fired")));
  EXPECT_THAT(combiner.Combine({Rule("", Deny())}, kContext),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("findings[0].rule_id")));
}

TEST(DecisionCombinerTest, RejectsBadThresholds) {
  EXPECT_THAT(DecisionCombiner::Create({Threshold(50, v1::DECISION_OUTCOME_HOLD),
                                        Threshold(50, v1::DECISION_OUTCOME_DENY)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("score_thresholds[1].min_score: 50 not above")));
  EXPECT_THAT(DecisionCombiner::Create({Threshold(50, v1::DECISION_OUTCOME_DENY),
                                        Threshold(80, v1::DECISION_OUTCOME_HOLD)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("score_thresholds[1].outcome: DECISION_OUTCOME_HOLD is "
                                 "milder")));
  EXPECT_THAT(DecisionCombiner::Create({Threshold(50, v1::DECISION_OUTCOME_ALLOW)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("score_thresholds[0].outcome")));
  EXPECT_THAT(DecisionCombiner::Create({Threshold(0, v1::DECISION_OUTCOME_HOLD)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("score_thresholds[0].min_score: 0 outside")));
  EXPECT_THAT(DecisionCombiner::Create({Threshold(10, v1::DECISION_OUTCOME_CHALLENGE)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("score_thresholds[0].factor_kinds")));
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
