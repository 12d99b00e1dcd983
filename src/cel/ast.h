// The CEL abstract syntax tree: what the parser produces and the checker and
// planner consume.
//
// The shape follows the public cel.expr.Expr / cel.expr.SourceInfo model of
// google/cel-spec (syntax.proto): every node has an `int64_t id` (unique in
// one parse, assigned by the parser in a deterministic order), and one of the
// kinds Constant, Ident, Select, Call, List, Struct, Map, Comprehension.
// Macros (has, all, exists, exists_one, map, filter, ...) are already expanded
// into Select(test_only) / Comprehension nodes when the parser hands the tree
// over; the original calls are kept in SourceInfo::macro_calls.
//
// Children are owned through std::unique_ptr; use CloneExpr() for a deep copy.
// Operator calls use the function names of the definition ("_+_", "_[_]",
// "@in", ...), listed in namespace `op` below.
#ifndef PITBOSS_SRC_CEL_AST_H_
#define PITBOSS_SRC_CEL_AST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace pitboss {
namespace cel {

// Function names of the operators, as in the definition (cel-spec operators).
namespace op {
inline constexpr char kConditional[] = "_?_:_";
inline constexpr char kLogicalAnd[] = "_&&_";
inline constexpr char kLogicalOr[] = "_||_";
inline constexpr char kLogicalNot[] = "!_";
inline constexpr char kEquals[] = "_==_";
inline constexpr char kNotEquals[] = "_!=_";
inline constexpr char kLess[] = "_<_";
inline constexpr char kLessEquals[] = "_<=_";
inline constexpr char kGreater[] = "_>_";
inline constexpr char kGreaterEquals[] = "_>=_";
inline constexpr char kIn[] = "@in";
inline constexpr char kAdd[] = "_+_";
inline constexpr char kSubtract[] = "_-_";
inline constexpr char kMultiply[] = "_*_";
inline constexpr char kDivide[] = "_/_";
inline constexpr char kModulo[] = "_%_";
inline constexpr char kNegate[] = "-_";
inline constexpr char kIndex[] = "_[_]";
// Optional syntax (enabled by ParserOptions::enable_optional_syntax):
// `a.?b` is Call("_?._", [a, Constant("b")]) and `a[?b]` is Call("_[?_]", [a, b]).
inline constexpr char kOptSelect[] = "_?._";
inline constexpr char kOptIndex[] = "_[?_]";
// Used by the expanded all/exists macros: false only for the value `false`
// (errors and unknowns count as true, so the loop keeps going).
inline constexpr char kNotStrictlyFalse[] = "@not_strictly_false";
}  // namespace op

// The accumulator variable of macro-generated comprehensions. It cannot clash
// with a user identifier because '@' is not an identifier character.
inline constexpr char kAccumulatorVar[] = "@result";

// A literal. Not the runtime Value: the parser knows nothing about those.
struct Constant {
  enum class Kind { kUnspecified, kNull, kBool, kInt64, kUint64, kDouble, kString, kBytes };

  static Constant Null() { return Constant(Kind::kNull); }
  static Constant Bool(bool v) {
    Constant c(Kind::kBool);
    c.bool_value = v;
    return c;
  }
  static Constant Int64(int64_t v) {
    Constant c(Kind::kInt64);
    c.int64_value = v;
    return c;
  }
  static Constant Uint64(uint64_t v) {
    Constant c(Kind::kUint64);
    c.uint64_value = v;
    return c;
  }
  static Constant Double(double v) {
    Constant c(Kind::kDouble);
    c.double_value = v;
    return c;
  }
  // `v` must be valid UTF-8 (the parser guarantees it).
  static Constant String(std::string v) {
    Constant c(Kind::kString);
    c.string_value = std::move(v);
    return c;
  }
  static Constant Bytes(std::string v) {
    Constant c(Kind::kBytes);
    c.string_value = std::move(v);
    return c;
  }

  Constant() = default;
  explicit Constant(Kind k) : kind(k) {}

  Kind kind = Kind::kUnspecified;
  bool bool_value = false;
  int64_t int64_value = 0;
  uint64_t uint64_value = 0;
  double double_value = 0;
  std::string string_value;  // kString (UTF-8) or kBytes (raw bytes)
};

bool operator==(const Constant& a, const Constant& b);
inline bool operator!=(const Constant& a, const Constant& b) { return !(a == b); }

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// A (possibly qualified, never dotted) identifier. A leading-dot absolute name
// `.a.b` parses as Select(Ident(".a"), "b"): the ident name keeps the dot.
struct IdentExpr {
  std::string name;
};

// `operand.field`; with test_only it is the expansion of `has(operand.field)`.
struct SelectExpr {
  ExprPtr operand;
  std::string field;
  bool test_only = false;
};

// A global call `f(args)` (target null) or a receiver call `target.f(args)`.
// Operators are global calls with the names in namespace op.
struct CallExpr {
  ExprPtr target;  // null for global calls
  std::string function;
  std::vector<ExprPtr> args;
};

// `[e0, e1, ?e2]`: optional_indices lists the positions written with `?`.
struct ListExpr {
  std::vector<ExprPtr> elements;
  std::vector<int32_t> optional_indices;
};

// `pkg.Msg{field: value, ?opt_field: value}`; message_name is as written
// (may start with '.'), resolution against the container is the checker's job.
struct StructExpr {
  struct Entry {
    int64_t id = 0;  // position of the field name
    std::string field;
    ExprPtr value;
    bool optional = false;
  };
  std::string message_name;
  std::vector<Entry> entries;
};

// `{k: v, ?k2: v2}`.
struct MapExpr {
  struct Entry {
    int64_t id = 0;  // position of the ':'
    ExprPtr key;
    ExprPtr value;
    bool optional = false;
  };
  std::vector<Entry> entries;
};

// The definition's fold:
//   accu = accu_init
//   for (iter_var[, iter_var2]) in iter_range:
//     if !loop_condition: break
//     accu = loop_step
//   return result
// With iter_var2 non-empty (two-variable comprehension), iter_var is the list
// index / map key and iter_var2 the element / map value.
struct ComprehensionExpr {
  std::string iter_var;
  std::string iter_var2;  // empty unless a two-variable comprehension
  ExprPtr iter_range;
  std::string accu_var;
  ExprPtr accu_init;
  ExprPtr loop_condition;
  ExprPtr loop_step;
  ExprPtr result;
};

enum class ExprKind {
  kUnspecified,
  kConstant,
  kIdent,
  kSelect,
  kCall,
  kList,
  kStruct,
  kMap,
  kComprehension
};

struct Expr {
  // Alternative order matches ExprKind.
  using Node = std::variant<std::monostate, Constant, IdentExpr, SelectExpr, CallExpr,
                            ListExpr, StructExpr, MapExpr, ComprehensionExpr>;

  Expr() = default;
  Expr(int64_t id_in, Node node_in) : id(id_in), node(std::move(node_in)) {}
  Expr(Expr&&) = default;
  Expr& operator=(Expr&&) = default;
  ~Expr();  // iterative: deep trees must not overflow the stack

  ExprKind kind() const { return static_cast<ExprKind>(node.index()); }

  // Typed access: the `as_*` accessors return null when the kind differs.
  const Constant* as_constant() const { return std::get_if<Constant>(&node); }
  const IdentExpr* as_ident() const { return std::get_if<IdentExpr>(&node); }
  const SelectExpr* as_select() const { return std::get_if<SelectExpr>(&node); }
  const CallExpr* as_call() const { return std::get_if<CallExpr>(&node); }
  const ListExpr* as_list() const { return std::get_if<ListExpr>(&node); }
  const StructExpr* as_struct() const { return std::get_if<StructExpr>(&node); }
  const MapExpr* as_map() const { return std::get_if<MapExpr>(&node); }
  const ComprehensionExpr* as_comprehension() const {
    return std::get_if<ComprehensionExpr>(&node);
  }
  Constant* as_constant() { return std::get_if<Constant>(&node); }
  IdentExpr* as_ident() { return std::get_if<IdentExpr>(&node); }
  SelectExpr* as_select() { return std::get_if<SelectExpr>(&node); }
  CallExpr* as_call() { return std::get_if<CallExpr>(&node); }
  ListExpr* as_list() { return std::get_if<ListExpr>(&node); }
  StructExpr* as_struct() { return std::get_if<StructExpr>(&node); }
  MapExpr* as_map() { return std::get_if<MapExpr>(&node); }
  ComprehensionExpr* as_comprehension() { return std::get_if<ComprehensionExpr>(&node); }

  int64_t id = 0;
  Node node;
};

// Deep copy (ids are kept).
Expr CloneExpr(const Expr& expr);
ExprPtr CloneExprPtr(const ExprPtr& expr);  // null stays null

// Structural equality including ids.
bool ExprEquals(const Expr& a, const Expr& b);

// Positions: every id the parser creates has an entry in `positions`, the
// offset in Unicode code points (not bytes) from the start of the expression.
struct SourceInfo {
  // A description of the source, e.g. "<input>"; used in messages.
  std::string location = "<input>";
  // The whole source text, so later phases (checker) can print snippets.
  std::string text;
  // Code point offset of the first character of every line after the first,
  // increasing (a '\n' at offset k starts a line at k + 1).
  std::vector<int32_t> line_offsets;
  // Expression id -> code point offset of the token that produced it.
  absl::flat_hash_map<int64_t, int32_t> positions;
  // Id of an expanded macro's result -> the call as written (its argument
  // subtrees are replaced by Unspecified nodes that only carry their ids,
  // like cel-go's macro call tracking).
  absl::flat_hash_map<int64_t, Expr> macro_calls;

  // 1-based line and column (columns count code points) of a code point
  // offset.
  std::pair<int32_t, int32_t> LineColumn(int32_t offset) const;
  // Offset of `id`, or -1 when unknown.
  int32_t OffsetOf(int64_t id) const {
    auto it = positions.find(id);
    return it == positions.end() ? -1 : it->second;
  }
};

// What Parse() returns.
struct ParsedExpr {
  Expr expr;
  SourceInfo source_info;
  int64_t next_id = 1;  // one past the largest id in `expr`: for later rewrites
};

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_AST_H_
