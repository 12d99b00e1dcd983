// KYC gates (see the header).
#include "src/engine/kyc_gates.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/money.h"

namespace pitboss {
namespace engine {
namespace {

v1::KycLevel EffectiveLevel(v1::KycLevel level) {
  return level == v1::KYC_LEVEL_UNSPECIFIED ? v1::KYC_LEVEL_NONE : level;
}

std::optional<int64_t> ThresholdFor(const std::vector<v1::Money>& thresholds,
                                    const std::string& currency) {
  for (const v1::Money& money : thresholds) {
    if (money.currency() == currency) return money.minor_units();
  }
  return std::nullopt;
}

Finding DomainFinding(v1::RuleAction action, std::string code, std::string message) {
  Finding finding;
  finding.source = v1::REASON_SOURCE_DOMAIN;
  finding.mode = v1::RULE_MODE_ENFORCE;
  finding.action = std::move(action);
  finding.code = std::move(code);
  finding.message = std::move(message);
  return finding;
}

v1::RuleAction HoldAction() {
  v1::RuleAction action;
  action.mutable_hold();
  return action;
}

// The amount of a deposit being requested, in the account's currency (0 for
// other events).
absl::StatusOr<int64_t> RequestedDeposit(const v1::Event& event, const std::string& currency) {
  if (!event.has_deposit_requested()) return 0;
  const v1::Money& amount = event.deposit_requested().amount();
  PITBOSS_RETURN_IF_ERROR(
      domain::CheckCurrency(amount, currency, "event.deposit_requested.amount"));
  return amount.minor_units();
}

}  // namespace

absl::StatusOr<KycGateResult> CheckKycGates(const v1::Account& account,
                                            const v1::Event& event,
                                            const v1::Features& features,
                                            const KycOptions& options) {
  KycGateResult result;
  const std::string& currency = account.profile().currency();
  const v1::KycLevel level = EffectiveLevel(account.kyc().level());
  const bool withdrawal = event.has_withdrawal_requested();
  PITBOSS_ASSIGN_OR_RETURN(const int64_t deposit, RequestedDeposit(event, currency));

  if (withdrawal && level < options.withdrawal_min_level) {
    result.findings.push_back(DomainFinding(
        HoldAction(), "KYC_DOCUMENTS_REQUIRED",
        absl::StrCat("withdrawals need KYC level ",
                     v1::KycLevel_Name(options.withdrawal_min_level), "; the account is ",
                     v1::KycLevel_Name(level))));
  }

  // Enhanced due diligence.
  bool edd_required = account.kyc().enhanced_due_diligence_required();
  if (level < v1::KYC_LEVEL_ENHANCED && !edd_required) {
    std::optional<int64_t> threshold =
        ThresholdFor(options.enhanced_due_diligence_thresholds, currency);
    if (threshold.has_value()) {
      const v1::Money& credited = account.totals().deposits_credited();
      PITBOSS_RETURN_IF_ERROR(
          domain::CheckCurrency(credited, currency, "account.totals.deposits_credited"));
      PITBOSS_ASSIGN_OR_RETURN(
          const int64_t cumulative,
          domain::CheckedAdd(credited.minor_units(), deposit, "account.totals.deposits_credited"));
      if (cumulative >= *threshold) {
        edd_required = true;
        result.edd_newly_required = true;
      }
    }
  }
  if (withdrawal && edd_required && level < v1::KYC_LEVEL_ENHANCED) {
    result.findings.push_back(DomainFinding(
        HoldAction(), "ENHANCED_DUE_DILIGENCE_PENDING",
        "withdrawals wait until enhanced due diligence (source of funds) is done"));
  }

  // Identity before play.
  if (options.kyc_before_play && level < options.play_min_level &&
      (event.has_deposit_requested() || event.has_wager_settled())) {
    v1::RuleAction deny;
    deny.mutable_deny();
    result.findings.push_back(DomainFinding(
        std::move(deny), "KYC_REQUIRED_BEFORE_PLAY",
        absl::StrCat("deposits and play need KYC level ",
                     v1::KycLevel_Name(options.play_min_level), " first; the account is ",
                     v1::KycLevel_Name(level))));
  }

  // Financial vulnerability: crossing the 30-day net deposit threshold.
  if (event.has_deposit_requested()) {
    std::optional<int64_t> threshold =
        ThresholdFor(options.vulnerability_review_thresholds, currency);
    if (threshold.has_value()) {
      const v1::VelocityFeatures& velocity = features.velocity();
      PITBOSS_ASSIGN_OR_RETURN(
          const int64_t before,
          domain::CheckedSubtract(velocity.deposits_completed().sum_30d(),
                                  velocity.withdrawals_paid().sum_30d(),
                                  "features.velocity.deposits_completed.sum_30d"));
      PITBOSS_ASSIGN_OR_RETURN(const int64_t after,
                               domain::CheckedAdd(before, deposit, "event.deposit_requested.amount"));
      if (before < *threshold && after >= *threshold) {
        // A flag, not an outcome (DESIGN.md: "REVIEW flag"; UKGC LCCP 3.4.3
        // asks for customer interaction, not a block): the deposit is decided
        // by everything else, the tag tells the responsible-gambling team.
        v1::RuleAction flag;
        flag.set_tag(std::string(kFinancialVulnerabilityTag));
        result.findings.push_back(DomainFinding(
            std::move(flag), "FINANCIAL_VULNERABILITY_REVIEW",
            "net deposits over 30 days reach the financial-vulnerability review threshold"));
      }
    }
  }
  return result;
}

}  // namespace engine
}  // namespace pitboss
