// Case ids: a deterministic name for the case a decision opens.
//
// When a decision hands the matter to people (ESCALATE to security, REVIEW by
// payments/fraud), the player, the agent and the audit trail need one id to
// quote. Evaluate is pure, so the id cannot come from a counter or a clock:
// it is derived from (account id, event id), and the same event therefore
// always names the same case, also when it is replayed or retried.
//
//   digest  = SHA-256("pitboss.case.v1" || 0x00 || u32be(len(account_id)) ||
//                     account_id || u32be(len(event_id)) || event_id)
//   case id = "CASE-" + base32(digest[0..10))          (RFC 4648 alphabet
//             A-Z2-7, no padding: 80 bits = exactly 16 characters)
//
// The length prefixes make the encoding injective ("ab"+"c" and "a"+"bc" give
// different digests); the label separates this use of SHA-256 from the audit
// chain's. 80 bits make an accidental collision negligible (birthday bound
// ~2^40 cases) while staying short enough to read out over the phone; the
// alphabet avoids 0/1/8/9, which are easily confused with O/I/B/g.
#ifndef PITBOSS_SRC_ENGINE_CASE_ID_H_
#define PITBOSS_SRC_ENGINE_CASE_ID_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pitboss {
namespace engine {

inline constexpr absl::string_view kCaseIdPrefix = "CASE-";
// Characters after the prefix.
inline constexpr int kCaseIdLength = 16;

// The case id of (account_id, event_id). INVALID_ARGUMENT naming
// "account_id" / "event_id" when one is empty.
absl::StatusOr<std::string> MakeCaseId(absl::string_view account_id,
                                       absl::string_view event_id);

// RFC 4648 base32 (upper case, no padding) of `bytes`.
std::string Base32Encode(absl::string_view bytes);

// The id has the shape "CASE-" + 16 characters of [A-Z2-7].
bool IsWellFormedCaseId(absl::string_view case_id);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_CASE_ID_H_
