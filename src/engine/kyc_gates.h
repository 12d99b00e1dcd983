// KYC gates: the policy's identity-verification and due-diligence checks,
// turned into findings for the decision combiner (decision_combiner.h).
//
//   - Withdrawal before the account reaches kyc.withdrawal_min_level (default
//     DOCUMENTS_VERIFIED): HOLD, code KYC_DOCUMENTS_REQUIRED (the engine moves
//     the withdrawal to PENDING_VERIFICATION).
//   - Enhanced due diligence: when completed deposits (totals.deposits_credited,
//     plus the amount of a deposit being requested) reach the threshold for the
//     account's currency and the account is not ENHANCED, EDD becomes required
//     (`edd_newly_required`: the engine sets kyc.enhanced_due_diligence_required).
//     While it is required and not done, a withdrawal is HELD, code
//     ENHANCED_DUE_DILIGENCE_PENDING.
//   - kyc_before_play (UK style): a deposit or wager before play_min_level
//     (default BASIC) is DENIED, code KYC_REQUIRED_BEFORE_PLAY.
//   - Financial vulnerability: a deposit that takes net deposits over 30 days
//     (features.velocity deposits completed - withdrawals paid, plus this
//     amount) from below the currency's threshold to at or above it is FLAGGED:
//     a TAG finding (kFinancialVulnerabilityTag in decision.tags), code
//     FINANCIAL_VULNERABILITY_REVIEW. A flag for the responsible-gambling
//     team, never an outcome: it neither blocks the deposit nor outranks a
//     CHALLENGE another check asked for. Only the crossing flags.
// An account level of UNSPECIFIED counts as NONE. A currency without a
// threshold has none. Pure; errors (INVALID_ARGUMENT naming the field) only for
// money in a currency other than the account's.
#ifndef PITBOSS_SRC_ENGINE_KYC_GATES_H_
#define PITBOSS_SRC_ENGINE_KYC_GATES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/features.pb.h"
#include "src/engine/decision_combiner.h"
#include "src/engine/policy_options.h"

namespace pitboss {
namespace engine {

// The decision tag of the financial-vulnerability flag.
inline constexpr absl::string_view kFinancialVulnerabilityTag =
    "rg.financial_vulnerability_review";

struct KycGateResult {
  // DOMAIN findings, in the order above.
  std::vector<Finding> findings;
  // Enhanced due diligence becomes required with this event.
  bool edd_newly_required = false;
};

absl::StatusOr<KycGateResult> CheckKycGates(const v1::Account& account,
                                            const v1::Event& event,
                                            const v1::Features& features,
                                            const KycOptions& options);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_KYC_GATES_H_
