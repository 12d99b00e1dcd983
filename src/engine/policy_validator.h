// Policy validation: everything about a Policy that can be checked without
// compiling its CEL (Engine::Create compiles and type-checks the rules after
// this passes).
//
// Checked, each problem naming its field path ("rules[3].id: duplicate 'R07'"):
//   - policy_id present;
//   - payment methods: ids present, well formed and unique; instrument kind
//     and card brands known (brands only for cards); at most one entry per
//     direction; every currency known to src/domain/currency.h and listed
//     once; non-negative amounts; min <= max per transaction; daily maximum
//     not below the per-transaction maximum; fee (src/domain/fees.h rules);
//     step-up thresholds non-negative and a step-up method (3-D Secure only
//     for cards, factor kinds for FACTOR); processing-time estimate 0 <= min
//     <= max; an enabled direction lists at least one currency;
//   - action requirements: known action at most once, min level L1/L2,
//     positive freshness, known channels and factor kinds;
//   - KYC gates: known levels; thresholds in known currencies, positive, one
//     per currency;
//   - responsible gambling, lockout, assurance and hold timings: durations in
//     range and non-negative, then the domain's own option validators
//     (ResolvePolicyOptions);
//   - rules: id present, [A-Za-z0-9_.-]{1,64}, unique; expression not blank
//     and within rule_limits.max_expression_length (default 4096); an action;
//     mode ENFORCE or SHADOW; score within -1000..1000; CHALLENGE with known
//     factor kinds; tag [a-z0-9_.-]{1,64}; known case kinds; reason_code
//     [A-Z0-9_]{1,64} when set;
//   - score thresholds strictly increasing and never milder
//     (decision_combiner.h);
//   - rule limits non-negative; reference currency and rates known, positive,
//     one per currency.
// Every problem is reported, in field order, not just the first.
#ifndef PITBOSS_SRC_ENGINE_POLICY_VALIDATOR_H_
#define PITBOSS_SRC_ENGINE_POLICY_VALIDATOR_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "pitboss/v1/policy.pb.h"

namespace pitboss {
namespace engine {

inline constexpr int kDefaultMaxExpressionLength = 4096;

// Every problem, "field.path: what is wrong", in field order; empty when the
// policy is valid.
std::vector<std::string> FindPolicyProblems(const v1::Policy& policy);

// OK, or INVALID_ARGUMENT "policy: N problem(s): a; b; ...".
absl::Status ValidatePolicy(const v1::Policy& policy);

}  // namespace engine
}  // namespace pitboss

#endif  // PITBOSS_SRC_ENGINE_POLICY_VALIDATOR_H_
