// CEL equality and ordering.
//
// Equality (the definition's heterogeneous equality): values of different
// kinds are unequal except numbers, which compare by mathematical value
// (1 == 1u == 1.0); NaN equals nothing; lists and maps compare element-wise
// (maps by key set and values, regardless of order); messages with protobuf
// equality (Any unpacked); types by name. Equal never produces an error:
// error and unknown operands are handled by the caller (the evaluator or the
// function dispatcher) before reaching here.
//
// Ordering exists for bool, numbers (across int/uint/double, exactly),
// string (bytewise, i.e. code point order), bytes, timestamp and duration.
#ifndef PITBOSS_SRC_CEL_COMMON_VALUE_EQUALITY_H_
#define PITBOSS_SRC_CEL_COMMON_VALUE_EQUALITY_H_

#include <optional>

#include "src/cel/common/eval_context.h"
#include "src/cel/common/value.h"

namespace pitboss {
namespace cel {

bool ValuesEqual(const Value& a, const Value& b, EvalContext& ctx);

// -1, 0, 1, kUnordered (NaN, numeric.h) or std::nullopt when the kinds have no
// ordering ("no such overload").
std::optional<int> CompareValues(const Value& a, const Value& b);

// Protobuf message equality with CEL semantics (NaN fields unequal, Any
// unpacked when its type is known).
bool MessagesEqual(const google::protobuf::Message& a, const google::protobuf::Message& b);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_COMMON_VALUE_EQUALITY_H_
