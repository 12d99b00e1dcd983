// Decision combination (see the header).
#include "src/engine/decision_combiner.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/common/status_macros.h"
#include "src/engine/case_id.h"

namespace pitboss {
namespace engine {
namespace {

bool IsKnownFactorKind(int kind) {
  return v1::FactorKind_IsValid(kind) && kind != v1::FACTOR_KIND_UNSPECIFIED;
}

v1::ActionKind ActionKindOfOutcome(v1::DecisionOutcome outcome) {
  switch (outcome) {
    case v1::DECISION_OUTCOME_CHALLENGE:
      return v1::ACTION_KIND_CHALLENGE;
    case v1::DECISION_OUTCOME_HOLD:
      return v1::ACTION_KIND_HOLD;
    case v1::DECISION_OUTCOME_REVIEW:
      return v1::ACTION_KIND_REVIEW;
    case v1::DECISION_OUTCOME_DENY:
      return v1::ACTION_KIND_DENY;
    case v1::DECISION_OUTCOME_ESCALATE:
      return v1::ACTION_KIND_ESCALATE;
    default:
      return v1::ACTION_KIND_UNSPECIFIED;
  }
}

int SourceOrder(v1::ReasonSource source) {
  switch (source) {
    case v1::REASON_SOURCE_DOMAIN:
      return 0;
    case v1::REASON_SOURCE_RULE:
      return 1;
    default:
      return 2;
  }
}

struct RankedReason {
  int rank = 0;
  int source_order = 0;
  size_t input_order = 0;
  v1::Reason reason;
};

// What a set of fired findings adds up to.
struct Tally {
  v1::DecisionOutcome outcome = v1::DECISION_OUTCOME_ALLOW;
  int64_t score = 0;
  std::set<int> factors;
  std::set<std::string> tags;
  std::vector<RankedReason> reasons;
};

void AddFinding(const Finding& finding, size_t input_order, bool keep_reason,
                Tally& tally) {
  const v1::RuleAction& action = finding.Action();
  tally.outcome = StrongerOutcome(tally.outcome, OutcomeOfAction(action));
  switch (action.kind_case()) {
    case v1::RuleAction::kScore:
      tally.score += action.score();
      break;
    case v1::RuleAction::kChallenge:
      for (int kind : action.challenge().factor_kinds()) tally.factors.insert(kind);
      break;
    case v1::RuleAction::kTag:
      tally.tags.insert(action.tag());
      return;  // tags explain nothing by themselves: traced, not a reason
    default:
      break;
  }
  if (!keep_reason) return;
  RankedReason ranked;
  ranked.rank = OutcomeRank(OutcomeOfAction(action));
  ranked.source_order = SourceOrder(finding.source);
  ranked.input_order = input_order;
  v1::Reason& reason = ranked.reason;
  const absl::string_view code = finding.Code();
  reason.set_code(std::string(code.empty() ? finding.RuleId() : code));
  reason.set_rule_id(std::string(finding.RuleId()));
  reason.set_message(std::string(finding.Message()));
  reason.set_source(finding.source);
  reason.set_action(ActionKindOf(action));
  if (action.kind_case() == v1::RuleAction::kScore) reason.set_score(action.score());
  tally.reasons.push_back(std::move(ranked));
}

// Applies the score clamp and the highest threshold reached. Returns the index
// of that threshold, or -1.
int ApplyThresholds(const std::vector<v1::ScoreThreshold>& thresholds, size_t input_order,
                    bool keep_reason, Tally& tally) {
  tally.score = std::clamp<int64_t>(tally.score, 0, kMaxRiskScore);
  int reached = -1;
  for (size_t i = 0; i < thresholds.size(); ++i) {
    if (tally.score >= thresholds[i].min_score()) reached = static_cast<int>(i);
  }
  if (reached < 0) return reached;
  const v1::ScoreThreshold& threshold = thresholds[static_cast<size_t>(reached)];
  tally.outcome = StrongerOutcome(tally.outcome, threshold.outcome());
  if (threshold.outcome() == v1::DECISION_OUTCOME_CHALLENGE ||
      threshold.outcome() == v1::DECISION_OUTCOME_HOLD) {
    for (int kind : threshold.factor_kinds()) tally.factors.insert(kind);
  }
  if (keep_reason) {
    RankedReason ranked;
    ranked.rank = OutcomeRank(threshold.outcome());
    ranked.source_order = SourceOrder(v1::REASON_SOURCE_SCORE_THRESHOLD);
    ranked.input_order = input_order;
    v1::Reason& reason = ranked.reason;
    reason.set_code("SCORE_THRESHOLD");
    reason.set_message(absl::StrCat("risk score ", tally.score, " reached threshold ",
                                    threshold.min_score(), " (",
                                    v1::DecisionOutcome_Name(threshold.outcome()), ")"));
    reason.set_source(v1::REASON_SOURCE_SCORE_THRESHOLD);
    reason.set_action(ActionKindOfOutcome(threshold.outcome()));
    tally.reasons.push_back(std::move(ranked));
  }
  return reached;
}

void SortReasons(std::vector<RankedReason>& reasons) {
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const RankedReason& a, const RankedReason& b) {
                     if (a.rank != b.rank) return a.rank > b.rank;
                     if (a.source_order != b.source_order) {
                       return a.source_order < b.source_order;
                     }
                     return a.input_order < b.input_order;
                   });
}

template <typename RepeatedFactors>
void SetFactors(const Tally& tally, RepeatedFactors* out) {
  if (tally.outcome == v1::DECISION_OUTCOME_DENY) return;
  for (int kind : tally.factors) out->Add(kind);  // std::set: ascending
}

// Whether a finding gets a trace: a rule that fired, failed, or recorded what
// it saw. Every rule is evaluated for every event, so the entry of one that
// was simply false would only repeat the policy (its id, action and score);
// leaving those out keeps a decision a fraction of the size (the default
// policy has 44 rules, a typical event fires none or one).
bool Traced(const Finding& finding) {
  return finding.source == v1::REASON_SOURCE_RULE &&
         (finding.fired || !finding.error.empty() || !finding.observed.empty());
}

// Fills `*out` (a fresh trace, allocated where the decision lives).
void MakeTrace(const Finding& finding, v1::RuleTrace* out) {
  v1::RuleTrace& trace = *out;
  const v1::RuleAction& action = finding.Action();
  const absl::string_view rule_id = finding.RuleId();
  // Assigned in place: no temporary string on the way.
  trace.mutable_rule_id()->assign(rule_id.data(), rule_id.size());
  trace.set_fired(finding.fired);
  trace.set_action(ActionKindOf(action));
  if (action.kind_case() == v1::RuleAction::kScore) trace.set_score(action.score());
  for (const v1::ObservedValue& value : finding.observed) *trace.add_observed() = value;
  // Most rules have no error: an empty proto3 string is the unset one (same
  // bytes), so it is not allocated at all.
  if (!finding.error.empty()) trace.set_error(finding.error);
}

absl::Status ValidateFinding(const Finding& finding, size_t index) {
  // Named only on failure (this runs for every finding of every evaluation).
  const auto field = [index] { return absl::StrCat("findings[", index, "]"); };
  if (finding.source != v1::REASON_SOURCE_DOMAIN && finding.source != v1::REASON_SOURCE_RULE) {
    return absl::InvalidArgumentError(
        absl::StrCat(field(), ".source: must be REASON_SOURCE_DOMAIN or REASON_SOURCE_RULE"));
  }
  const v1::RuleMode mode = finding.Mode();
  if (mode != v1::RULE_MODE_ENFORCE && mode != v1::RULE_MODE_SHADOW) {
    return absl::InvalidArgumentError(
        absl::StrCat(field(), ".mode: must be RULE_MODE_ENFORCE or RULE_MODE_SHADOW"));
  }
  if (finding.source == v1::REASON_SOURCE_DOMAIN) {
    if (mode != v1::RULE_MODE_ENFORCE) {
      return absl::InvalidArgumentError(
          absl::StrCat(field(), ".mode: a domain finding is always enforced"));
    }
    if (!finding.fired) {
      return absl::InvalidArgumentError(
          absl::StrCat(field(), ".fired: a domain finding must have fired"));
    }
    if (finding.Code().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field(), ".code: a domain finding needs a code"));
    }
  } else if (finding.RuleId().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field(), ".rule_id: empty"));
  }
  if (finding.fired && !finding.error.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field(), ".fired: a finding with an error did not fire"));
  }
  const v1::RuleAction& action = finding.Action();
  switch (action.kind_case()) {
    case v1::RuleAction::KIND_NOT_SET:
      return absl::InvalidArgumentError(absl::StrCat(field(), ".action: no action"));
    case v1::RuleAction::kScore:
      if (action.score() < -kMaxRuleScore || action.score() > kMaxRuleScore) {
        return absl::InvalidArgumentError(absl::StrCat(field(), ".action.score: ",
                                                       action.score(),
                                                       " outside -1000..1000"));
      }
      break;
    case v1::RuleAction::kChallenge:
      if (action.challenge().factor_kinds().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(field(), ".action.challenge.factor_kinds: empty"));
      }
      for (int i = 0; i < action.challenge().factor_kinds_size(); ++i) {
        if (!IsKnownFactorKind(action.challenge().factor_kinds(i))) {
          return absl::InvalidArgumentError(
              absl::StrCat(field(), ".action.challenge.factor_kinds[", i,
                           "]: unknown factor kind ", action.challenge().factor_kinds(i)));
        }
      }
      break;
    case v1::RuleAction::kTag:
      if (action.tag().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(field(), ".action.tag: empty"));
      }
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

}  // namespace

int OutcomeRank(v1::DecisionOutcome outcome) {
  switch (outcome) {
    case v1::DECISION_OUTCOME_ALLOW:
      return 1;
    case v1::DECISION_OUTCOME_CHALLENGE:
      return 2;
    case v1::DECISION_OUTCOME_HOLD:
    case v1::DECISION_OUTCOME_REVIEW:
      return 3;
    case v1::DECISION_OUTCOME_ESCALATE:
      return 4;
    case v1::DECISION_OUTCOME_DENY:
      return 5;
    default:
      return 0;
  }
}

v1::DecisionOutcome StrongerOutcome(v1::DecisionOutcome a, v1::DecisionOutcome b) {
  const int rank_a = OutcomeRank(a);
  const int rank_b = OutcomeRank(b);
  if (rank_a != rank_b) return rank_a > rank_b ? a : b;
  if (a == v1::DECISION_OUTCOME_REVIEW || b == v1::DECISION_OUTCOME_REVIEW) {
    return v1::DECISION_OUTCOME_REVIEW;
  }
  return a;
}

v1::DecisionOutcome OutcomeOfAction(const v1::RuleAction& action) {
  switch (action.kind_case()) {
    case v1::RuleAction::kScore:
    case v1::RuleAction::kTag:
      return v1::DECISION_OUTCOME_ALLOW;
    case v1::RuleAction::kChallenge:
      return v1::DECISION_OUTCOME_CHALLENGE;
    case v1::RuleAction::kHold:
      return v1::DECISION_OUTCOME_HOLD;
    case v1::RuleAction::kReview:
      return v1::DECISION_OUTCOME_REVIEW;
    case v1::RuleAction::kDeny:
      return v1::DECISION_OUTCOME_DENY;
    case v1::RuleAction::kEscalate:
      return v1::DECISION_OUTCOME_ESCALATE;
    case v1::RuleAction::KIND_NOT_SET:
      break;
  }
  return v1::DECISION_OUTCOME_UNSPECIFIED;
}

v1::ActionKind ActionKindOf(const v1::RuleAction& action) {
  switch (action.kind_case()) {
    case v1::RuleAction::kScore:
      return v1::ACTION_KIND_SCORE;
    case v1::RuleAction::kChallenge:
      return v1::ACTION_KIND_CHALLENGE;
    case v1::RuleAction::kHold:
      return v1::ACTION_KIND_HOLD;
    case v1::RuleAction::kReview:
      return v1::ACTION_KIND_REVIEW;
    case v1::RuleAction::kDeny:
      return v1::ACTION_KIND_DENY;
    case v1::RuleAction::kEscalate:
      return v1::ACTION_KIND_ESCALATE;
    case v1::RuleAction::kTag:
      return v1::ACTION_KIND_TAG;
    case v1::RuleAction::KIND_NOT_SET:
      break;
  }
  return v1::ACTION_KIND_UNSPECIFIED;
}

absl::Status ValidateScoreThresholds(absl::Span<const v1::ScoreThreshold> thresholds,
                                     absl::string_view field) {
  for (size_t i = 0; i < thresholds.size(); ++i) {
    const v1::ScoreThreshold& threshold = thresholds[i];
    const std::string name = absl::StrCat(field, "[", i, "]");
    if (threshold.min_score() < 1 || threshold.min_score() > kMaxRiskScore) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ".min_score: ", threshold.min_score(), " outside 1..", kMaxRiskScore));
    }
    if (i > 0 && threshold.min_score() <= thresholds[i - 1].min_score()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ".min_score: ", threshold.min_score(),
                       " not above the previous threshold's ",
                       thresholds[i - 1].min_score()));
    }
    if (OutcomeRank(threshold.outcome()) < 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ".outcome: must be CHALLENGE, HOLD, REVIEW, DENY or ESCALATE"));
    }
    if (i > 0 && OutcomeRank(threshold.outcome()) < OutcomeRank(thresholds[i - 1].outcome())) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ".outcome: ", v1::DecisionOutcome_Name(threshold.outcome()),
                       " is milder than the previous threshold's ",
                       v1::DecisionOutcome_Name(thresholds[i - 1].outcome())));
    }
    if (threshold.outcome() == v1::DECISION_OUTCOME_CHALLENGE &&
        threshold.factor_kinds().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ".factor_kinds: a CHALLENGE threshold needs factor kinds"));
    }
    for (int k = 0; k < threshold.factor_kinds_size(); ++k) {
      if (!IsKnownFactorKind(threshold.factor_kinds(k))) {
        return absl::InvalidArgumentError(absl::StrCat(name, ".factor_kinds[", k,
                                                       "]: unknown factor kind ",
                                                       threshold.factor_kinds(k)));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DecisionCombiner> DecisionCombiner::Create(
    absl::Span<const v1::ScoreThreshold> thresholds) {
  PITBOSS_RETURN_IF_ERROR(ValidateScoreThresholds(thresholds, "score_thresholds"));
  return DecisionCombiner(std::vector<v1::ScoreThreshold>(thresholds.begin(),
                                                          thresholds.end()));
}

absl::StatusOr<v1::Decision> DecisionCombiner::Combine(
    absl::Span<const Finding> findings, const CombineContext& context) const {
  v1::Decision decision;
  PITBOSS_RETURN_IF_ERROR(CombineInto(findings, context, &decision));
  return decision;
}

absl::Status DecisionCombiner::CombineInto(absl::Span<const Finding> findings,
                                           const CombineContext& context,
                                           v1::Decision* out) const {
  if (out == nullptr) return absl::InvalidArgumentError("decision: is null");
  for (size_t i = 0; i < findings.size(); ++i) {
    PITBOSS_RETURN_IF_ERROR(ValidateFinding(findings[i], i));
  }

  // The real decision: ENFORCE findings only. The shadow view: everything, with
  // reasons kept for the SHADOW findings only.
  Tally real;
  Tally shadow;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& finding = findings[i];
    if (!finding.fired) continue;
    const bool enforced = finding.Mode() == v1::RULE_MODE_ENFORCE;
    if (enforced) AddFinding(finding, i, /*keep_reason=*/true, real);
    AddFinding(finding, i, /*keep_reason=*/!enforced, shadow);
  }
  const int real_threshold = ApplyThresholds(thresholds_, findings.size(), true, real);
  Tally shadow_probe = shadow;  // to learn which threshold the shadow reaches
  const int shadow_threshold =
      ApplyThresholds(thresholds_, findings.size(), false, shadow_probe);
  ApplyThresholds(thresholds_, findings.size(),
                  /*keep_reason=*/shadow_threshold != real_threshold, shadow);
  SortReasons(real.reasons);
  SortReasons(shadow.reasons);

  out->Clear();
  v1::Decision& decision = *out;
  decision.set_event_id(context.event_id);
  decision.set_account_id(context.account_id);
  decision.set_outcome(real.outcome);
  for (RankedReason& ranked : real.reasons) *decision.add_reasons() = std::move(ranked.reason);
  decision.set_risk_score(static_cast<int32_t>(real.score));
  SetFactors(real, decision.mutable_required_factors());
  for (const std::string& tag : real.tags) decision.add_tags(tag);
  if (real.outcome == v1::DECISION_OUTCOME_ESCALATE ||
      real.outcome == v1::DECISION_OUTCOME_REVIEW) {
    PITBOSS_ASSIGN_OR_RETURN(std::string case_id,
                             MakeCaseId(context.account_id, context.event_id));
    decision.set_case_id(std::move(case_id));
  }

  v1::ShadowResult* shadow_result = decision.mutable_shadow();
  shadow_result->set_outcome(shadow.outcome);
  shadow_result->set_risk_score(static_cast<int32_t>(shadow.score));
  SetFactors(shadow, shadow_result->mutable_required_factors());
  for (RankedReason& ranked : shadow.reasons) {
    *shadow_result->add_reasons() = std::move(ranked.reason);
  }
  for (const std::string& tag : shadow.tags) shadow_result->add_tags(tag);

  // Each trace list sized once (instead of growing 4, 8, 16, 32, 64).
  int enforced_traces = 0;
  int shadow_traces = 0;
  for (const Finding& finding : findings) {
    if (!Traced(finding)) continue;
    ++(finding.Mode() == v1::RULE_MODE_ENFORCE ? enforced_traces : shadow_traces);
  }
  decision.mutable_trace()->Reserve(enforced_traces);
  shadow_result->mutable_trace()->Reserve(shadow_traces);
  for (const Finding& finding : findings) {
    if (!Traced(finding)) continue;
    if (finding.Mode() == v1::RULE_MODE_ENFORCE) {
      MakeTrace(finding, decision.add_trace());
    } else {
      MakeTrace(finding, shadow_result->add_trace());
    }
  }
  return absl::OkStatus();
}

}  // namespace engine
}  // namespace pitboss
