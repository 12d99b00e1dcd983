// Policy check: every problem of a pitboss.v1.Policy as structured diagnostics,
// without building an engine (pitboss_policy_check in the C ABI).
//
// Engine::Create stops at the first problem; a policy author wants them all.
// CheckPolicy reports, in this order:
//   1. every structural problem of the policy validator
//      (src/engine/policy_validator.h), field path split out;
//   2. every CEL compile error of every rule whose expression the validator
//      did not already reject, compiled exactly as the engine compiles it
//      (engine::RuleSet: same variables, container and limits), with the line
//      and column inside the expression;
//   3. when 1 and 2 found nothing, whatever Engine::Create still refuses.
// An empty result means Engine::Create accepts the policy.
#ifndef PITBOSS_SRC_CAPI_POLICY_CHECK_H_
#define PITBOSS_SRC_CAPI_POLICY_CHECK_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "pitboss/v1/api.pb.h"
#include "pitboss/v1/policy.pb.h"

namespace pitboss {
namespace capi_internal {

v1::PolicyCheckResponse CheckPolicy(const v1::Policy& policy);

// Splits a CEL compiler message ("ERROR: <input>:L:C: what\n | src\n | ..^"
// per error) into one diagnostic per error, each with `rule_id` and `field`;
// only lines starting "ERROR: <input>:" start an error (snippets may quote the
// source). A message without positions becomes one diagnostic at line/column 0.
std::vector<v1::Diagnostic> CelDiagnostics(absl::string_view message,
                                           absl::string_view rule_id,
                                           absl::string_view field);

}  // namespace capi_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_CAPI_POLICY_CHECK_H_
