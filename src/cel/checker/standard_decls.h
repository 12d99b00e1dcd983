// The standard declarations table: every function and operator of the CEL
// standard environment (cel-spec langdef "List of Standard Definitions"), plus
// the strings, math and encoders extensions, with the definition's overload ids.
//
// The ids are the contract with the runtime's function registry (CEL-VALUES):
// tests/cel/checker/standard_decls_test.cc checks that both sides list the same
// ids.
#ifndef PITBOSS_SRC_CEL_CHECKER_STANDARD_DECLS_H_
#define PITBOSS_SRC_CEL_CHECKER_STANDARD_DECLS_H_

#include <vector>

#include "src/cel/checker/decls.h"

namespace pitboss {
namespace cel {

// Operators, logic, comparisons, arithmetic, size/contains/startsWith/
// endsWith/matches, conversions, timestamp and duration accessors.
const std::vector<FunctionDecl>& StandardFunctionDecls();

// The strings extension: charAt, indexOf, lastIndexOf, lowerAscii, upperAscii,
// replace, split, substring, trim, join, format, quote, reverse.
const std::vector<FunctionDecl>& StringsExtensionDecls();

// The math extension: math.@max / math.@min (the expansion of the
// math.greatest / math.least macros), abs, sign, ceil, floor, round, trunc,
// isInf, isNaN, isFinite, bitAnd/bitOr/bitXor/bitNot/bitShiftLeft/Right.
const std::vector<FunctionDecl>& MathExtensionDecls();

// The encoders extension: base64.encode(bytes) -> string and
// base64.decode(string) -> bytes.
const std::vector<FunctionDecl>& EncodersExtensionDecls();

// Names usable as type values: int, uint, double, bool, string, bytes, list,
// map, null_type, type and the Timestamp / Duration names (not dyn: it is a
// function, not a type denotation).
bool StandardTypeIdent(absl::string_view name, CelType* type_of);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_CHECKER_STANDARD_DECLS_H_
