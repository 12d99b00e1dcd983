// AST -> CEL source text, for debugging and messages. The text parses back
// to the same tree (up to ids): operators get parentheses only where
// precedence needs them, literals are re-escaped, field names that are not
// plain identifiers are backtick-quoted, and expanded macros are printed as
// the call the user wrote, using SourceInfo::macro_calls (which Parse fills
// by default).
#ifndef PITBOSS_SRC_CEL_PARSER_UNPARSER_H_
#define PITBOSS_SRC_CEL_PARSER_UNPARSER_H_

#include <string>

#include "absl/status/statusor.h"
#include "src/cel/ast.h"

namespace pitboss {
namespace cel {

// Fails (InvalidArgument) on trees the parser cannot produce: Unspecified
// nodes, or comprehensions without a recorded macro call (pass `info` = null
// to print them only when there are none).
absl::StatusOr<std::string> Unparse(const Expr& expr, const SourceInfo* info = nullptr);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_PARSER_UNPARSER_H_
