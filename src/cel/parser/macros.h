// CEL macro expansion, applied by the parser as it builds each call.
//
// Standard macros, as in cel-spec langdef "Macros":
//   has(e.f)               -> Select(e, f, test_only)
//   r.all(x, p)            -> fold: init true,  cond @not_strictly_false(@result),
//                             step @result && p
//   r.exists(x, p)         -> fold: init false, cond @not_strictly_false(!@result),
//                             step @result || p
//   r.exists_one(x, p)     -> fold: init 0, step p ? @result + 1 : @result,
//                             result @result == 1   (also spelled existsOne)
//   r.map(x, t)            -> fold: init [], step @result + [t]
//   r.map(x, p, t)         -> fold: init [], step p ? @result + [t] : @result
//   r.filter(x, p)         -> fold: init [], step p ? @result + [x] : @result
// Optional extras (see ParserOptions): two-variable comprehensions
// (all/exists/existsOne(k, v, p), transformList, transformMap,
// transformMapEntry), cel.bind(v, init, e), and opt.optMap / opt.optFlatMap.
#ifndef PITBOSS_SRC_CEL_PARSER_MACROS_H_
#define PITBOSS_SRC_CEL_PARSER_MACROS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/cel/ast.h"

namespace pitboss {
namespace cel {
namespace parser_internal {

// The function of the map-building calls emitted by transformMap(Entry):
// cel.@mapInsert(map, key, value) and cel.@mapInsert(map, entry_map).
inline constexpr char kMapInsert[] = "cel.@mapInsert";

struct MacroOptions {
  bool standard = true;
  bool two_var = true;
  bool bind = true;
  bool optional = true;
};

// What the expander needs from the parser.
class MacroContext {
 public:
  virtual ~MacroContext() = default;
  // A fresh id whose position is `offset` (code points).
  virtual int64_t NextId(int32_t offset) = 0;
  virtual void ReportError(int32_t offset, std::string message) = 0;
  // Position of an existing id (or -1).
  virtual int32_t OffsetOf(int64_t id) const = 0;
};

// True when a call of `function` with `arg_count` arguments on `target`
// (null for a global call) is a macro under `options`.
bool IsMacro(const MacroOptions& options, absl::string_view function, size_t arg_count,
             const Expr* target);

// Expands a macro call (IsMacro must be true). Consumes `target` and `args`.
// `call_id` becomes the id of the result. On misuse, reports an error and
// returns an Unspecified node carrying `call_id`.
Expr ExpandMacro(MacroContext& ctx, const MacroOptions& options, int64_t call_id,
                 int32_t call_offset, absl::string_view function, ExprPtr target,
                 std::vector<ExprPtr> args);

}  // namespace parser_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_PARSER_MACROS_H_
