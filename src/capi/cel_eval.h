// One CEL expression with bindings, evaluated for pitboss_cel_eval: the
// pitboss.v1.CelEvalRequest / CelEvalResponse shell over the public CEL API
// (include/pitboss/cel.h). Binding values and results use the cel.expr.Value
// JSON conversion of src/cli/cel_value_json.h (shared with `pitboss expr`).
//
// Message types resolve in the generated pool: every message linked into
// libpitboss (pitboss.v1.*, the well-known types). Parse and type errors are
// INVALID_ARGUMENT ("expression: ERROR: <input>:1:3: ..."); malformed bindings
// are INVALID_ARGUMENT naming the binding; a CEL runtime error is data
// (CelEvalResponse.error). Thread-safe: each call builds its own environment.
#ifndef PITBOSS_SRC_CAPI_CEL_EVAL_H_
#define PITBOSS_SRC_CAPI_CEL_EVAL_H_

#include "absl/status/statusor.h"
#include "pitboss/v1/api.pb.h"

namespace pitboss {
namespace capi_internal {

absl::StatusOr<v1::CelEvalResponse> EvaluateCel(const v1::CelEvalRequest& request);

}  // namespace capi_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_CAPI_CEL_EVAL_H_
