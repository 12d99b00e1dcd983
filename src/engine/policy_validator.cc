// Policy validation (see the header).
#include "src/engine/policy_validator.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/domain/currency.h"
#include "src/domain/fees.h"
#include "src/engine/decision_combiner.h"
#include "src/engine/policy_options.h"

namespace pitboss {
namespace engine {
namespace {

class Problems {
 public:
  void Add(absl::string_view field, absl::string_view message) {
    list_.push_back(absl::StrCat(field, ": ", message));
  }
  // Adds a status's message as is (it already names its field).
  void Add(const absl::Status& status) {
    if (!status.ok()) list_.emplace_back(status.message());
  }
  bool empty() const { return list_.empty(); }
  std::vector<std::string> Take() { return std::move(list_); }

 private:
  std::vector<std::string> list_;
};

bool IsIdChar(char c, bool allow_upper, bool allow_lower) {
  return (allow_lower && c >= 'a' && c <= 'z') || (allow_upper && c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// [A-Za-z0-9_.-]{1,64} (or the lower-case-only variant).
bool IsWellFormedId(absl::string_view id, bool allow_upper = true) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!IsIdChar(c, allow_upper, true)) return false;
  }
  return true;
}

bool IsReasonCode(absl::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool IsKnownFactorKind(int kind) {
  return v1::FactorKind_IsValid(kind) && kind != v1::FACTOR_KIND_UNSPECIFIED;
}

void CheckFactorKinds(const google::protobuf::RepeatedField<int>& kinds,
                      const std::string& field, Problems& problems) {
  for (int i = 0; i < kinds.size(); ++i) {
    if (!IsKnownFactorKind(kinds.Get(i))) {
      problems.Add(absl::StrCat(field, "[", i, "]"),
                   absl::StrCat("unknown factor kind ", kinds.Get(i)));
    }
  }
}

// A duration in range and not negative; nullopt (with a problem) otherwise.
std::optional<absl::Duration> CheckDuration(const google::protobuf::Duration& duration,
                                            const std::string& field, Problems& problems) {
  absl::StatusOr<absl::Duration> value = ToDuration(duration, field);
  if (!value.ok()) {
    problems.Add(value.status());
    return std::nullopt;
  }
  if (*value < absl::ZeroDuration()) {
    problems.Add(field, "must not be negative");
    return std::nullopt;
  }
  return *value;
}

void CheckNonNegative(int64_t value, const std::string& field, Problems& problems) {
  if (value < 0) problems.Add(field, absl::StrCat(value, " is negative"));
}

void CheckCurrencyTerms(const v1::CurrencyTerms& terms, const std::string& field,
                        Problems& problems) {
  if (!domain::IsKnownCurrency(terms.currency())) {
    problems.Add(field + ".currency", absl::StrCat("unknown currency '", terms.currency(), "'"));
  }
  CheckNonNegative(terms.min_per_transaction_minor_units(),
                   field + ".min_per_transaction_minor_units", problems);
  CheckNonNegative(terms.max_per_transaction_minor_units(),
                   field + ".max_per_transaction_minor_units", problems);
  CheckNonNegative(terms.daily_max_minor_units(), field + ".daily_max_minor_units", problems);
  if (terms.max_per_transaction_minor_units() > 0 &&
      terms.min_per_transaction_minor_units() > terms.max_per_transaction_minor_units()) {
    problems.Add(field + ".min_per_transaction_minor_units",
                 absl::StrCat(terms.min_per_transaction_minor_units(),
                              " is above max_per_transaction_minor_units ",
                              terms.max_per_transaction_minor_units()));
  }
  if (terms.daily_max_minor_units() > 0 && terms.max_per_transaction_minor_units() > 0 &&
      terms.daily_max_minor_units() < terms.max_per_transaction_minor_units()) {
    problems.Add(field + ".daily_max_minor_units",
                 absl::StrCat(terms.daily_max_minor_units(),
                              " is below max_per_transaction_minor_units ",
                              terms.max_per_transaction_minor_units()));
  }
  if (terms.daily_max_minor_units() > 0 &&
      terms.daily_max_minor_units() < terms.min_per_transaction_minor_units()) {
    problems.Add(field + ".daily_max_minor_units",
                 absl::StrCat(terms.daily_max_minor_units(),
                              " is below min_per_transaction_minor_units ",
                              terms.min_per_transaction_minor_units()));
  }
  problems.Add(domain::ValidateFeeSchedule(ToFeeSchedule(terms.fee()), field + ".fee"));
  CheckNonNegative(terms.step_up_above_minor_units(), field + ".step_up_above_minor_units",
                   problems);
  CheckNonNegative(terms.step_up_cumulative_above_minor_units(),
                   field + ".step_up_cumulative_above_minor_units", problems);
  CheckNonNegative(terms.step_up_after_payments(), field + ".step_up_after_payments",
                   problems);
}

bool NeedsStepUp(const v1::CurrencyTerms& terms) {
  return terms.step_up_required() || terms.step_up_cumulative_above_minor_units() > 0 ||
         terms.step_up_after_payments() > 0;
}

void CheckPaymentMethods(const v1::Policy& policy, Problems& problems) {
  std::map<std::string, int> method_ids;
  for (int i = 0; i < policy.payment_methods_size(); ++i) {
    const v1::PaymentMethod& method = policy.payment_methods(i);
    const std::string field = absl::StrCat("payment_methods[", i, "]");
    if (method.method_id().empty()) {
      problems.Add(field + ".method_id", "empty");
    } else if (!IsWellFormedId(method.method_id(), /*allow_upper=*/false)) {
      problems.Add(field + ".method_id",
                   absl::StrCat("'", method.method_id(), "' is not [a-z0-9_.-]{1,64}"));
    } else if (auto [it, inserted] = method_ids.emplace(method.method_id(), i); !inserted) {
      problems.Add(field + ".method_id", absl::StrCat("duplicate '", method.method_id(),
                                                      "' (first at payment_methods[",
                                                      it->second, "])"));
    }
    if (!v1::InstrumentKind_IsValid(method.instrument_kind()) ||
        method.instrument_kind() == v1::INSTRUMENT_KIND_UNSPECIFIED) {
      problems.Add(field + ".instrument_kind", "unspecified or unknown");
    }
    for (int b = 0; b < method.card_brands_size(); ++b) {
      const std::string brand_field = absl::StrCat(field, ".card_brands[", b, "]");
      if (!v1::CardBrand_IsValid(method.card_brands(b)) ||
          method.card_brands(b) == v1::CARD_BRAND_UNSPECIFIED) {
        problems.Add(brand_field, "unspecified or unknown");
      } else if (method.instrument_kind() != v1::INSTRUMENT_KIND_CARD) {
        problems.Add(brand_field, "card brands are for card methods only");
      }
    }
    std::set<int> directions;
    for (int d = 0; d < method.directions_size(); ++d) {
      const v1::PaymentDirectionTerms& terms = method.directions(d);
      const std::string dfield = absl::StrCat(field, ".directions[", d, "]");
      if (!v1::PaymentDirection_IsValid(terms.direction()) ||
          terms.direction() == v1::PAYMENT_DIRECTION_UNSPECIFIED) {
        problems.Add(dfield + ".direction", "unspecified or unknown");
      } else if (!directions.insert(terms.direction()).second) {
        problems.Add(dfield + ".direction",
                     absl::StrCat("duplicate ", v1::PaymentDirection_Name(terms.direction())));
      }
      if (terms.enabled() && terms.currencies().empty()) {
        problems.Add(dfield + ".currencies", "an enabled direction needs a currency");
      }
      std::set<std::string> currencies;
      bool needs_step_up = false;
      for (int c = 0; c < terms.currencies_size(); ++c) {
        const std::string cfield = absl::StrCat(dfield, ".currencies[", c, "]");
        CheckCurrencyTerms(terms.currencies(c), cfield, problems);
        if (!currencies.insert(terms.currencies(c).currency()).second) {
          problems.Add(cfield + ".currency",
                       absl::StrCat("duplicate '", terms.currencies(c).currency(), "'"));
        }
        needs_step_up = needs_step_up || NeedsStepUp(terms.currencies(c));
      }
      std::optional<absl::Duration> min_time =
          CheckDuration(terms.processing_time_min(), dfield + ".processing_time_min", problems);
      std::optional<absl::Duration> max_time =
          CheckDuration(terms.processing_time_max(), dfield + ".processing_time_max", problems);
      if (min_time.has_value() && max_time.has_value() && *min_time > *max_time) {
        problems.Add(dfield + ".processing_time_min", "above processing_time_max");
      }
      switch (terms.step_up_method()) {
        case v1::STEP_UP_METHOD_UNSPECIFIED:
          if (needs_step_up) {
            problems.Add(dfield + ".step_up_method", "a step-up is required but no method set");
          }
          break;
        case v1::STEP_UP_METHOD_THREE_D_SECURE:
          if (method.instrument_kind() != v1::INSTRUMENT_KIND_CARD) {
            problems.Add(dfield + ".step_up_method", "3-D Secure is for card methods only");
          }
          break;
        case v1::STEP_UP_METHOD_FACTOR:
          if (terms.step_up_factor_kinds().empty()) {
            problems.Add(dfield + ".step_up_factor_kinds", "FACTOR step-up needs factor kinds");
          }
          break;
        default:
          problems.Add(dfield + ".step_up_method", "unknown");
      }
      CheckFactorKinds(terms.step_up_factor_kinds(), dfield + ".step_up_factor_kinds",
                       problems);
    }
  }
}

void CheckActionRequirements(const v1::Policy& policy, Problems& problems) {
  std::map<int, int> seen;
  for (int i = 0; i < policy.action_requirements_size(); ++i) {
    const v1::ActionRequirement& entry = policy.action_requirements(i);
    const std::string field = absl::StrCat("action_requirements[", i, "]");
    if (!ToDomainAction(entry.action()).has_value()) {
      problems.Add(field + ".action", "unspecified or unknown");
    } else if (auto [it, inserted] = seen.emplace(entry.action(), i); !inserted) {
      problems.Add(field + ".action",
                   absl::StrCat("duplicate ", v1::SensitiveAction_Name(entry.action()),
                                " (first at action_requirements[", it->second, "])"));
    }
    if (entry.min_level() != v1::ASSURANCE_LEVEL_L1 &&
        entry.min_level() != v1::ASSURANCE_LEVEL_L2) {
      problems.Add(field + ".min_level", "must be ASSURANCE_LEVEL_L1 or ASSURANCE_LEVEL_L2");
    }
    std::optional<absl::Duration> freshness =
        CheckDuration(entry.freshness(), field + ".freshness", problems);
    if (freshness.has_value() && *freshness <= absl::ZeroDuration()) {
      problems.Add(field + ".freshness", "must be positive");
    }
    for (int c = 0; c < entry.forbidden_channels_size(); ++c) {
      if (!v1::Channel_IsValid(entry.forbidden_channels(c)) ||
          entry.forbidden_channels(c) == v1::CHANNEL_UNSPECIFIED) {
        problems.Add(absl::StrCat(field, ".forbidden_channels[", c, "]"),
                     "unspecified or unknown");
      }
    }
    CheckFactorKinds(entry.accepted_factor_kinds(), field + ".accepted_factor_kinds",
                     problems);
  }
}

void CheckThresholdMoney(const google::protobuf::RepeatedPtrField<v1::Money>& list,
                         const std::string& field, Problems& problems) {
  std::set<std::string> currencies;
  for (int i = 0; i < list.size(); ++i) {
    const v1::Money& money = list.Get(i);
    const std::string mfield = absl::StrCat(field, "[", i, "]");
    if (!domain::IsKnownCurrency(money.currency())) {
      problems.Add(mfield + ".currency", absl::StrCat("unknown currency '", money.currency(), "'"));
    } else if (!currencies.insert(money.currency()).second) {
      problems.Add(mfield + ".currency", absl::StrCat("duplicate '", money.currency(), "'"));
    }
    if (money.minor_units() <= 0) {
      problems.Add(mfield + ".minor_units", absl::StrCat(money.minor_units(), " is not positive"));
    }
  }
}

void CheckKycLevel(v1::KycLevel level, const std::string& field, Problems& problems) {
  if (!v1::KycLevel_IsValid(level)) problems.Add(field, absl::StrCat("unknown level ", level));
}

void CheckKyc(const v1::Policy& policy, Problems& problems) {
  const v1::KycGates& kyc = policy.kyc();
  CheckKycLevel(kyc.withdrawal_min_level(), "kyc.withdrawal_min_level", problems);
  CheckKycLevel(kyc.play_min_level(), "kyc.play_min_level", problems);
  CheckThresholdMoney(kyc.enhanced_due_diligence_thresholds(),
                      "kyc.enhanced_due_diligence_thresholds", problems);
  CheckThresholdMoney(kyc.vulnerability_review_thresholds(),
                      "kyc.vulnerability_review_thresholds", problems);
}

void CheckTimings(const v1::Policy& policy, Problems& problems) {
  const v1::ResponsibleGamblingPolicy& rg = policy.responsible_gambling();
  CheckDuration(rg.limit_increase_cooling_off(),
                "responsible_gambling.limit_increase_cooling_off", problems);
  CheckNonNegative(rg.minimum_self_exclusion_months(),
                   "responsible_gambling.minimum_self_exclusion_months", problems);
  CheckNonNegative(rg.minimum_time_out_hours(), "responsible_gambling.minimum_time_out_hours",
                   problems);
  CheckNonNegative(rg.maximum_time_out_hours(), "responsible_gambling.maximum_time_out_hours",
                   problems);
  const v1::SecurityPolicy& security = policy.security();
  CheckDuration(security.withdrawal_hold_after_contact_change(),
                "security.withdrawal_hold_after_contact_change", problems);
  CheckDuration(security.withdrawal_hold_after_password_change(),
                "security.withdrawal_hold_after_password_change", problems);
  CheckFactorKinds(security.hold_release_factor_kinds(), "security.hold_release_factor_kinds",
                   problems);
  CheckNonNegative(security.lockout().max_failures_in_window(),
                   "security.lockout.max_failures_in_window", problems);
  CheckNonNegative(security.lockout().hard_lock_consecutive_failures(),
                   "security.lockout.hard_lock_consecutive_failures", problems);
  CheckDuration(security.lockout().window(), "security.lockout.window", problems);
  CheckDuration(security.lockout().lockout_duration(), "security.lockout.lockout_duration",
                problems);
  const v1::AssurancePolicy& assurance = security.assurance();
  CheckDuration(assurance.l1_max_age(), "security.assurance.l1_max_age", problems);
  CheckDuration(assurance.l1_idle_timeout(), "security.assurance.l1_idle_timeout", problems);
  CheckDuration(assurance.l2_max_age(), "security.assurance.l2_max_age", problems);
  CheckDuration(assurance.l2_idle_timeout(), "security.assurance.l2_idle_timeout", problems);
}

bool IsKnownCaseKind(v1::CaseKind kind) { return v1::CaseKind_IsValid(kind); }

void CheckRules(const v1::Policy& policy, Problems& problems) {
  const int max_length = policy.rule_limits().max_expression_length() > 0
                             ? policy.rule_limits().max_expression_length()
                             : kDefaultMaxExpressionLength;
  std::map<std::string, int> ids;
  for (int i = 0; i < policy.rules_size(); ++i) {
    const v1::FraudRule& rule = policy.rules(i);
    const std::string field = absl::StrCat("rules[", i, "]");
    if (rule.id().empty()) {
      problems.Add(field + ".id", "empty");
    } else if (!IsWellFormedId(rule.id())) {
      problems.Add(field + ".id", absl::StrCat("'", rule.id(), "' is not [A-Za-z0-9_.-]{1,64}"));
    } else if (auto [it, inserted] = ids.emplace(rule.id(), i); !inserted) {
      problems.Add(field + ".id", absl::StrCat("duplicate '", rule.id(), "' (first at rules[",
                                               it->second, "])"));
    }
    if (absl::StripAsciiWhitespace(rule.expression()).empty()) {
      problems.Add(field + ".expression", "empty");
    } else if (rule.expression().size() > static_cast<size_t>(max_length)) {
      problems.Add(field + ".expression", absl::StrCat(rule.expression().size(),
                                                       " characters, more than the limit ",
                                                       max_length));
    }
    if (rule.mode() != v1::RULE_MODE_ENFORCE && rule.mode() != v1::RULE_MODE_SHADOW) {
      problems.Add(field + ".mode", "must be RULE_MODE_ENFORCE or RULE_MODE_SHADOW");
    }
    if (!rule.reason_code().empty() && !IsReasonCode(rule.reason_code())) {
      problems.Add(field + ".reason_code",
                   absl::StrCat("'", rule.reason_code(), "' is not [A-Z0-9_]{1,64}"));
    }
    const v1::RuleAction& action = rule.action();
    const std::string afield = field + ".action";
    switch (action.kind_case()) {
      case v1::RuleAction::KIND_NOT_SET:
        problems.Add(afield, "no action");
        break;
      case v1::RuleAction::kScore:
        if (action.score() == 0 || action.score() < -kMaxRuleScore ||
            action.score() > kMaxRuleScore) {
          problems.Add(afield + ".score",
                       absl::StrCat(action.score(), " is not in -1000..1000 without 0"));
        }
        break;
      case v1::RuleAction::kChallenge:
        if (action.challenge().factor_kinds().empty()) {
          problems.Add(afield + ".challenge.factor_kinds", "empty");
        }
        CheckFactorKinds(action.challenge().factor_kinds(), afield + ".challenge.factor_kinds",
                         problems);
        break;
      case v1::RuleAction::kReview:
        if (!IsKnownCaseKind(action.review().case_kind())) {
          problems.Add(afield + ".review.case_kind", "unknown");
        }
        break;
      case v1::RuleAction::kEscalate:
        if (!IsKnownCaseKind(action.escalate().case_kind())) {
          problems.Add(afield + ".escalate.case_kind", "unknown");
        }
        break;
      case v1::RuleAction::kTag:
        if (!IsWellFormedId(action.tag(), /*allow_upper=*/false)) {
          problems.Add(afield + ".tag",
                       absl::StrCat("'", action.tag(), "' is not [a-z0-9_.-]{1,64}"));
        }
        break;
      default:
        break;
    }
  }
}

void CheckReferenceRates(const v1::Policy& policy, Problems& problems) {
  const bool has_reference = !policy.reference_currency().empty();
  if (has_reference && !domain::IsKnownCurrency(policy.reference_currency())) {
    problems.Add("reference_currency",
                 absl::StrCat("unknown currency '", policy.reference_currency(), "'"));
  }
  if (!has_reference && !policy.reference_rates().empty()) {
    problems.Add("reference_rates", "rates without a reference_currency");
  }
  std::set<std::string> currencies;
  for (int i = 0; i < policy.reference_rates_size(); ++i) {
    const v1::ReferenceRate& rate = policy.reference_rates(i);
    const std::string field = absl::StrCat("reference_rates[", i, "]");
    if (!domain::IsKnownCurrency(rate.currency())) {
      problems.Add(field + ".currency", absl::StrCat("unknown currency '", rate.currency(), "'"));
    } else if (rate.currency() == policy.reference_currency()) {
      problems.Add(field + ".currency", "the reference currency needs no rate");
    } else if (!currencies.insert(rate.currency()).second) {
      problems.Add(field + ".currency", absl::StrCat("duplicate '", rate.currency(), "'"));
    }
    if (rate.reference_minor_units() <= 0) {
      problems.Add(field + ".reference_minor_units",
                   absl::StrCat(rate.reference_minor_units(), " is not positive"));
    }
    if (rate.per_minor_units() <= 0) {
      problems.Add(field + ".per_minor_units",
                   absl::StrCat(rate.per_minor_units(), " is not positive"));
    }
  }
}

}  // namespace

std::vector<std::string> FindPolicyProblems(const v1::Policy& policy) {
  Problems problems;
  if (policy.policy_id().empty()) problems.Add("policy_id", "empty");
  CheckPaymentMethods(policy, problems);
  CheckActionRequirements(policy, problems);
  CheckKyc(policy, problems);
  CheckTimings(policy, problems);
  CheckRules(policy, problems);
  const std::vector<v1::ScoreThreshold> thresholds(policy.score_thresholds().begin(),
                                                   policy.score_thresholds().end());
  problems.Add(ValidateScoreThresholds(thresholds, "score_thresholds"));
  CheckReferenceRates(policy, problems);
  CheckNonNegative(policy.rule_limits().max_expression_length(),
                   "rule_limits.max_expression_length", problems);
  CheckNonNegative(policy.rule_limits().max_nesting_depth(), "rule_limits.max_nesting_depth",
                   problems);
  CheckNonNegative(policy.rule_limits().max_evaluation_steps(),
                   "rule_limits.max_evaluation_steps", problems);
  // The domain's own option checks (cross-field bounds such as lockout's
  // max_failures <= hard lock), once the fields themselves are sane.
  if (problems.empty()) problems.Add(ResolvePolicyOptions(policy).status());
  return problems.Take();
}

absl::Status ValidatePolicy(const v1::Policy& policy) {
  std::vector<std::string> problems = FindPolicyProblems(policy);
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("policy: ", problems.size(),
                                                 problems.size() == 1 ? " problem: "
                                                                      : " problems: ",
                                                 absl::StrJoin(problems, "; ")));
}

}  // namespace engine
}  // namespace pitboss
