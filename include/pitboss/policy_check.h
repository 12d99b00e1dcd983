// Policy check, C++ API: every problem of a pitboss.v1.Policy as structured
// diagnostics, without building an engine. The C ABI's pitboss_policy_check
// and `pitboss check` both call it.
//
//   v1::PolicyCheckResponse result = pitboss::CheckPolicy(policy);
//   for (const v1::Diagnostic& d : result.diagnostics())
//     std::cout << d.rule_id() << ":" << d.line() << ":" << d.column() << ": "
//               << d.message() << "\n";
//
// Engine::Create stops at the first problem; a policy author wants them all.
// CheckPolicy reports, in this order:
//   1. every structural problem of the policy validator, field path split out;
//   2. every CEL compile error of every rule whose expression the validator
//      did not already reject, compiled exactly as the engine compiles it
//      (same variables, container and limits), with the line and column inside
//      the expression;
//   3. when 1 and 2 found nothing, whatever Engine::Create still refuses.
// An empty result means Engine::Create accepts the policy.
//
// Thread-safety: a pure function of its argument; safe to call concurrently.
#ifndef PITBOSS_INCLUDE_PITBOSS_POLICY_CHECK_H_
#define PITBOSS_INCLUDE_PITBOSS_POLICY_CHECK_H_

#include "pitboss/v1/api.pb.h"
#include "pitboss/v1/policy.pb.h"

namespace pitboss {

v1::PolicyCheckResponse CheckPolicy(const v1::Policy& policy);

}  // namespace pitboss

#endif  // PITBOSS_INCLUDE_PITBOSS_POLICY_CHECK_H_
