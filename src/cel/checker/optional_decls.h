// Checker declarations of CEL optional values (cel-spec "optionals", cel-go
// ext/optional): the type optional_type(T), the functions optional.of,
// optional.ofNonZeroValue, optional.none, hasValue, value, or, orValue, the
// optional index operator `_[?_]` and indexing an optional with `_[_]`.
// The optional select `a.?b` (`_?._`) is not an ordinary overload: its
// second argument is a field name, so the checker types it itself.
//
// Overload ids are cel-go's, the contract with RegisterOptionalFunctions
// (src/cel/runtime/optional_library.cc); tests/cel/checker/optional_decls_test.cc
// checks both sides list the same ids. Opt-in: CompilerOptions::enable_optional_types.
#ifndef PITBOSS_SRC_CEL_CHECKER_OPTIONAL_DECLS_H_
#define PITBOSS_SRC_CEL_CHECKER_OPTIONAL_DECLS_H_

#include <vector>

#include "src/cel/checker/decls.h"
#include "src/cel/checker/type.h"

namespace pitboss {
namespace cel {

// The name of the optional type, also usable as a type value (`optional_type`).
inline constexpr char kOptionalTypeName[] = "optional_type";
// The overload id the checker records for `a.?b`.
inline constexpr char kSelectOptionalFieldId[] = "select_optional_field";

// optional_type(value).
CelType OptionalType(CelType value);
// Whether `t` is optional_type(V); sets `*value` to V when it is.
bool IsOptionalType(const CelType& t, CelType* value);

const std::vector<FunctionDecl>& OptionalFunctionDecls();

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_CHECKER_OPTIONAL_DECLS_H_
