// Decision combination: many findings (built-in domain checks and policy
// rules, each with one action) in, one explained Decision out.
//
// Precedence of outcomes (DESIGN.md):  DENY > ESCALATE > HOLD = REVIEW >
// CHALLENGE > ALLOW. Between HOLD and REVIEW, which rank the same, REVIEW is
// reported (a review by a person subsumes an automatic hold). SCORE and TAG
// actions do not set an outcome by themselves:
//   - risk score = sum of the SCORE actions of the ENFORCE findings that
//     fired, clamped to [0, 1000]; the highest ScoreThreshold whose min_score
//     the score reaches adds its outcome (and factor kinds) as one more
//     finding, reported with source SCORE_THRESHOLD;
//   - TAG actions add their tag to Decision.tags (sorted, unique).
// Required factors = the union of the CHALLENGE factor kinds of the fired
// ENFORCE findings (plus a reached CHALLENGE/HOLD threshold's), sorted by enum
// value. They are kept with CHALLENGE, HOLD, REVIEW and ESCALATE (verifying
// one may release the hold or helps the case) and dropped with DENY.
// A case id (case_id.h) is set when the outcome is ESCALATE or REVIEW.
//
// SHADOW findings are reported apart, in Decision.shadow: their reasons and
// traces, and what the outcome, score, factors and tags WOULD be if they were
// enforced together with the ENFORCE ones. They never change the real
// decision: the real fields are computed from the ENFORCE findings alone.
//
// Order: reasons are sorted most severe first (by the rank of the outcome
// their action leads to), domain before rule before score threshold within a
// rank, then input order; traces keep input (policy) order. Identical input
// therefore gives an identical Decision. Immutable and thread-safe.
#ifndef PITBOSS_SRC_ENGINE_DECISION_COMBINER_H_
#define PITBOSS_SRC_ENGINE_DECISION_COMBINER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pitboss/v1/decision.pb.h"
#include "pitboss/v1/policy.pb.h"

namespace pitboss {
namespace engine {

inline constexpr int kMaxRiskScore = 1000;
inline constexpr int kMaxRuleScore = 1000;

// Precedence rank: ALLOW 1, CHALLENGE 2, HOLD 3, REVIEW 3, ESCALATE 4, DENY 5;
// 0 for UNSPECIFIED or an unknown value.
int OutcomeRank(v1::DecisionOutcome outcome);

// The outcome that wins between `a` and `b` (REVIEW over HOLD on a tie).
v1::DecisionOutcome StrongerOutcome(v1::DecisionOutcome a, v1::DecisionOutcome b);

// The outcome an action leads to by itself (SCORE and TAG: ALLOW; no action:
// UNSPECIFIED).
v1::DecisionOutcome OutcomeOfAction(const v1::RuleAction& action);

// The ActionKind of an action (UNSPECIFIED when no action is set).
v1::ActionKind ActionKindOf(const v1::RuleAction& action);

// Strictly increasing min_score (>= 1), outcomes CHALLENGE..ESCALATE never
// milder than the threshold before, CHALLENGE with at least one known factor
// kind. INVALID_ARGUMENT naming `field`[i] (e.g. "score_thresholds[2].min_score").
absl::Status ValidateScoreThresholds(absl::Span<const v1::ScoreThreshold> thresholds,
                                     absl::string_view field);

// One thing that fired (or, for rules, was evaluated): a domain check or a
// policy rule. Read it through the accessors: a rule's finding made by the
// RuleSet points at the policy's FraudRule (`rule`) instead of copying its id,
// mode, action, code and message per evaluation (most rules do not fire).
struct Finding {
  // User-provided, so that emplace_back() (value-initialisation) does not
  // zero all of the struct before constructing its members: the rule set
  // makes one Finding per rule per event.
  Finding() {}

  // DOMAIN or RULE.
  v1::ReasonSource source = v1::REASON_SOURCE_RULE;
  // When set (RULE findings of a RuleSet): the rule, which outlives the
  // finding; rule_id, mode, action, code and message below are then unused.
  const v1::FraudRule* rule = nullptr;
  // The rule id (RULE) or empty (DOMAIN).
  std::string rule_id;
  // ENFORCE or SHADOW (DOMAIN findings are always ENFORCE).
  v1::RuleMode mode = v1::RULE_MODE_ENFORCE;
  v1::RuleAction action;
  // Reason code and message.
  std::string code;
  std::string message;

  absl::string_view RuleId() const { return rule != nullptr ? rule->id() : rule_id; }
  v1::RuleMode Mode() const { return rule != nullptr ? rule->mode() : mode; }
  const v1::RuleAction& Action() const { return rule != nullptr ? rule->action() : action; }
  // The rule's reason code, or its id when it has none.
  absl::string_view Code() const {
    if (rule != nullptr) return rule->reason_code().empty() ? rule->id() : rule->reason_code();
    return code;
  }
  // The rule's message, or its description when it has none.
  absl::string_view Message() const {
    if (rule != nullptr) return rule->message().empty() ? rule->description() : rule->message();
    return message;
  }
  // Rules: whether the expression was true. A rule that did not fire is
  // traced only. DOMAIN findings must have fired.
  bool fired = true;
  // Rules: the CEL error the expression produced (then fired is false).
  std::string error;
  // Rules: the values the expression read.
  std::vector<v1::ObservedValue> observed;
};

// The decision's identity, for Decision.event_id/account_id and the case id.
struct CombineContext {
  std::string account_id;
  std::string event_id;
};

class DecisionCombiner {
 public:
  // Validates the thresholds (ValidateScoreThresholds, field "score_thresholds").
  static absl::StatusOr<DecisionCombiner> Create(
      absl::Span<const v1::ScoreThreshold> thresholds);

  // Combines `findings`. INVALID_ARGUMENT naming "findings[i]" for a finding
  // without action, with an unknown mode, a DOMAIN finding in SHADOW mode or
  // not fired, an out-of-range score, a CHALLENGE without factor kinds; and
  // naming "account_id"/"event_id" when a case id is needed and one is empty.
  absl::StatusOr<v1::Decision> Combine(absl::Span<const Finding> findings,
                                       const CombineContext& context) const;
  // The same, written into `*decision` (cleared first; its sub-messages are
  // allocated on its arena, if any). On error `*decision` is unspecified.
  absl::Status CombineInto(absl::Span<const Finding> findings, const CombineContext& context,
                           v1::Decision* decision) const;

 private:
  explicit DecisionCombiner(std::vector<v1::ScoreThreshold> thresholds)
      : thresholds_(std::move(thresholds)) {}

  std::vector<v1::ScoreThreshold> thresholds_;
};

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_DECISION_COMBINER_H_
