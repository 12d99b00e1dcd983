// Optional-value operations the evaluator's nodes share with the registered
// optional functions (optional_library.cc).
#ifndef PITBOSS_SRC_CEL_RUNTIME_OPTIONAL_LIBRARY_H_
#define PITBOSS_SRC_CEL_RUNTIME_OPTIONAL_LIBRARY_H_

#include "absl/strings/string_view.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/value.h"

namespace pitboss {
namespace cel {

// `target.?field` on a map or message (or an optional of one): optional.of
// the value when the key or field is present (the has() rules for message
// fields), optional.none() when it is absent or `target` is none, the error
// "no such field" for a message without the field, no such overload for other
// kinds. `target` must not be an error or unknown (strict callers return
// those first).
Value SelectOptionalField(const Value& target, absl::string_view field, EvalContext& ctx);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_RUNTIME_OPTIONAL_LIBRARY_H_
