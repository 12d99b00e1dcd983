// Assurance level: how sure pitboss is, right now, that the person acting is
// the account holder, from the account's recent successful verifications.
//
//   L0 (kNone)  no fresh verification.
//   L1          at least one verification younger than l1_max_age (default
//               30 days, NIST SP 800-63B AAL1).
//   L2          two verifications of DIFFERENT categories, one of them
//               POSSESSION, both younger than l2_max_age (default 12 h), and
//               the session not idle for l2_idle_timeout (default 30 min)
//               (NIST SP 800-63B AAL2: re-authenticate every 12 h or after
//               30 min of inactivity).
//
// A phone knowledge check — PHONE_KBV, or any KNOWLEDGE factor (a security
// question, say) answered over CHANNEL_PHONE — gives L1 at most: it never
// counts toward L2, neither as the possession factor nor as the second
// category. Knowledge given to an agent on a call proves only that the caller
// knows facts, which leak.
//
// Categories come from the factor kind, never from the caller
// (FactorCategoryOf): a verification whose stated category disagrees with its
// kind is bad input. ID_DOCUMENT (document + selfie liveness) is INHERENCE.
//
// Ages are strict: a verification exactly l2_max_age old is stale, a session
// exactly l2_idle_timeout idle has lapsed. "Idle" is measured from the later of
// security.last_activity_at and the newest verification used.
//
// Pure: `now` is an input; errors (INVALID_ARGUMENT naming the field) return
// nothing else.
#ifndef PITBOSS_SRC_DOMAIN_ASSURANCE_H_
#define PITBOSS_SRC_DOMAIN_ASSURANCE_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pitboss/v1/account.pb.h"

namespace pitboss {
namespace domain {

enum class AssuranceLevel { kNone = 0, kL1 = 1, kL2 = 2 };

// "NONE", "L1", "L2".
absl::string_view AssuranceLevelName(AssuranceLevel level);

struct AssuranceOptions {
  absl::Duration l1_max_age = absl::Hours(24 * 30);
  // Zero: L1 has no idle timeout.
  absl::Duration l1_idle_timeout = absl::ZeroDuration();
  absl::Duration l2_max_age = absl::Hours(12);
  absl::Duration l2_idle_timeout = absl::Minutes(30);
};

// Positive, finite durations (idle timeouts may be zero = none).
absl::Status ValidateAssuranceOptions(const AssuranceOptions& options);

// The category a factor kind belongs to; UNSPECIFIED for an unknown kind.
v1::FactorCategory FactorCategoryOf(v1::FactorKind kind);

// PHONE_KBV, or a knowledge factor used over the phone.
bool IsPhoneKnowledgeCheck(v1::FactorKind kind, v1::Channel channel);

// A verification in the form assurance computes with.
struct VerificationFact {
  v1::FactorKind kind = v1::FACTOR_KIND_UNSPECIFIED;
  v1::FactorCategory category = v1::FACTOR_CATEGORY_UNSPECIFIED;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  absl::Time verified_at;
  // Index in the input list; -1 for a hypothetical verification.
  int index = -1;
};

// Validates verifications[i] (kind known, category consistent, channel known,
// verified_at valid, set and not after `now`) and converts them. Errors name
// `field`[i].
absl::StatusOr<std::vector<VerificationFact>> ReadVerifications(
    const google::protobuf::RepeatedPtrField<v1::Verification>& verifications,
    absl::Time now, absl::string_view field);

struct AssuranceResult {
  AssuranceLevel level = AssuranceLevel::kNone;
  // Indices of the verifications that establish `level` (one for L1, two for
  // L2: the possession one first).
  std::vector<int> used;
  // When `level` lapses without new activity or verification;
  // absl::InfinitePast() for kNone.
  absl::Time valid_until = absl::InfinitePast();
  // Fresh factors would give L2 but the session has been idle too long.
  bool l2_lapsed_by_idle = false;
};

// The level at `now` from already validated facts. `last_activity` is the
// session's last authenticated activity (absl::InfinitePast() if none).
AssuranceResult ComputeAssurance(absl::Span<const VerificationFact> facts,
                                 absl::Time last_activity, absl::Time now,
                                 const AssuranceOptions& options);

// The account's level at `now`, from account.verifications and
// account.security.last_activity_at. Errors name "account.verifications[i]"
// and so on.
absl::StatusOr<AssuranceResult> ComputeAccountAssurance(const v1::Account& account,
                                                        absl::Time now,
                                                        const AssuranceOptions& options);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_ASSURANCE_H_
