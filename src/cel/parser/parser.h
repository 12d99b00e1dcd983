// The CEL parser: source text -> ParsedExpr (src/cel/ast.h).
//
// A hand-written lexer and recursive-descent parser for the whole grammar of
// cel-spec's langdef (plus cel-go's optional syntax and quoted field names),
// with the standard macros expanded into comprehensions exactly like the
// definition. Never crashes or hangs: any byte string yields either a tree or
// errors with line, column and a caret snippet. Thread-safe (no shared state).
//
//   PITBOSS_ASSIGN_OR_RETURN(ParsedExpr parsed, Parse("a.b > 3"));
#ifndef PITBOSS_SRC_CEL_PARSER_PARSER_H_
#define PITBOSS_SRC_CEL_PARSER_PARSER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/cel/ast.h"

namespace pitboss {
namespace cel {

struct ParserOptions {
  // Maximum nesting of sub-expressions: parentheses, arguments, list/map
  // elements, and also every operator of a left-associative chain (a.b.c...,
  // 1 + 2 + ..., a[0][1]...). The definition requires 32; conformance nests
  // 32 parentheses.
  int max_recursion_depth = 256;
  // Maximum source length in Unicode code points (cel-go's default).
  int max_expression_size = 100000;
  // After this many syntax errors the parser gives up (reporting what it has).
  int max_error_recoveries = 30;
  // Standard macros: has, all, exists, exists_one/existsOne, map, filter.
  bool enable_macros = true;
  // Two-variable comprehension macros (cel-go ext.TwoVarComprehensions):
  // all/exists/existsOne(k, v, p), transformList/transformMap/transformMapEntry.
  // Needs enable_macros. transformMap* expand to calls of "cel.@mapInsert".
  bool enable_two_var_comprehensions = true;
  // cel.bind(var, init, expr) (cel-go ext.Bindings). Needs enable_macros.
  bool enable_bind_macro = true;
  // a.?b, a[?b], [?x], {?k: v}, Msg{?f: v}, and the optMap/optFlatMap macros.
  bool enable_optional_syntax = true;
  // a.`b-c` and Msg{`f`: v} (quoted field names of cel-spec v0.24+).
  bool enable_quoted_identifiers = true;
  // Record the original call of each expanded macro in SourceInfo::macro_calls.
  bool populate_macro_calls = true;
  // Name of the source in messages ("<input>" by default).
  std::string description = "<input>";
};

// One parse error. Errors without a position (a size or recovery limit) have
// offset -1 and line/column 0.
struct ParseIssue {
  int32_t offset = 0;  // code points from the start of the source
  int32_t line = 1;    // 1-based
  int32_t column = 1;  // 1-based, in code points
  std::string message;
  // " | <source line>\n | ....^" (empty when the source is empty).
  std::string snippet;
  // "ERROR: <input>:1:5: message\n | ...\n | ....^"
  std::string ToString(absl::string_view description = "<input>") const;
};

struct ParseResult {
  ParsedExpr parsed;               // meaningful only when errors is empty
  std::vector<ParseIssue> errors;  // ordered by position, deduplicated
  std::string description = "<input>";

  bool ok() const { return errors.empty(); }
  // All errors, one ParseIssue::ToString() per error, newline-separated.
  std::string FormatErrors() const;
};

// Parses and returns the tree plus every error found (up to the limits).
ParseResult ParseWithDiagnostics(absl::string_view source,
                                 const ParserOptions& options = ParserOptions());

// Parses; on failure the status is InvalidArgument with FormatErrors() as the
// message.
absl::StatusOr<ParsedExpr> Parse(absl::string_view source,
                                 const ParserOptions& options = ParserOptions());

// Formats an error for any offset of a parsed source (used by the checker):
// "ERROR: <location>:L:C: message\n | line\n | ...^". `offset` < 0 gives a
// message without position.
std::string FormatSourceError(const SourceInfo& info, int32_t offset,
                              absl::string_view message);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_PARSER_PARSER_H_
