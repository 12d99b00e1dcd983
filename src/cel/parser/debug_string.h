// A readable, indented dump of a CEL AST in the layout of cel-go's
// debug.ToDebugString (the format of the `ast` fields in the cel-spec
// conformance data), for tests and debugging:
//   _+_(
//     a^#1#,
//     1^#2#
//   )^#3#
// Each node can be followed by an adornment (ids, kinds, types, ...).
#ifndef PITBOSS_SRC_CEL_PARSER_DEBUG_STRING_H_
#define PITBOSS_SRC_CEL_PARSER_DEBUG_STRING_H_

#include <cstdint>
#include <string>

#include "src/cel/ast.h"

namespace pitboss {
namespace cel {

// Supplies the text appended after each node and each map/struct entry.
class DebugAdorner {
 public:
  virtual ~DebugAdorner() = default;
  virtual std::string ForExpr(const Expr& expr) const = 0;
  virtual std::string ForEntry(int64_t entry_id) const = 0;
};

// "^#<id>#" after every node and entry.
class IdAdorner final : public DebugAdorner {
 public:
  std::string ForExpr(const Expr& expr) const override;
  std::string ForEntry(int64_t entry_id) const override;
};

// "^#*expr.Constant_Int64Value#" etc.: cel-go's node kind names, as used by
// the cel-spec conformance data.
class KindAdorner final : public DebugAdorner {
 public:
  std::string ForExpr(const Expr& expr) const override;
  std::string ForEntry(int64_t entry_id) const override;
};

// With a null adorner nodes are printed bare.
std::string ExprDebugString(const Expr& expr, const DebugAdorner* adorner = nullptr);

// A constant as CEL-ish source: 1, 2u, 1.5, "s", b"\xff", true, null.
std::string ConstantDebugString(const Constant& constant);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_PARSER_DEBUG_STRING_H_
