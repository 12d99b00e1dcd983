// Out-of-line parts of the CEL AST: iterative destruction, deep copy,
// structural equality and line/column lookup.
#include "src/cel/ast.h"

#include <algorithm>
#include <cstring>

namespace pitboss {
namespace cel {
namespace {

// Moves every child pointer of `node` into `out` (leaving the node childless).
void TakeChildren(Expr::Node& node, std::vector<ExprPtr>& out) {
  auto take = [&out](ExprPtr& p) {
    if (p != nullptr) out.push_back(std::move(p));
  };
  if (auto* s = std::get_if<SelectExpr>(&node)) {
    take(s->operand);
  } else if (auto* c = std::get_if<CallExpr>(&node)) {
    take(c->target);
    for (ExprPtr& a : c->args) take(a);
  } else if (auto* l = std::get_if<ListExpr>(&node)) {
    for (ExprPtr& e : l->elements) take(e);
  } else if (auto* st = std::get_if<StructExpr>(&node)) {
    for (auto& e : st->entries) take(e.value);
  } else if (auto* m = std::get_if<MapExpr>(&node)) {
    for (auto& e : m->entries) {
      take(e.key);
      take(e.value);
    }
  } else if (auto* co = std::get_if<ComprehensionExpr>(&node)) {
    take(co->iter_range);
    take(co->accu_init);
    take(co->loop_condition);
    take(co->loop_step);
    take(co->result);
  }
}

bool PtrEquals(const ExprPtr& a, const ExprPtr& b) {
  if (a == nullptr || b == nullptr) return a == nullptr && b == nullptr;
  return ExprEquals(*a, *b);
}

}  // namespace

bool operator==(const Constant& a, const Constant& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Constant::Kind::kUnspecified:
    case Constant::Kind::kNull:
      return true;
    case Constant::Kind::kBool:
      return a.bool_value == b.bool_value;
    case Constant::Kind::kInt64:
      return a.int64_value == b.int64_value;
    case Constant::Kind::kUint64:
      return a.uint64_value == b.uint64_value;
    case Constant::Kind::kDouble:
      // Bitwise, so NaN literals (impossible today) and -0.0 compare as written.
      return std::memcmp(&a.double_value, &b.double_value, sizeof(double)) == 0;
    case Constant::Kind::kString:
    case Constant::Kind::kBytes:
      return a.string_value == b.string_value;
  }
  return false;
}

Expr::~Expr() {
  std::vector<ExprPtr> pending;
  TakeChildren(node, pending);
  while (!pending.empty()) {
    ExprPtr e = std::move(pending.back());
    pending.pop_back();
    TakeChildren(e->node, pending);
    // `e` now has no children: destroying it does not recurse.
  }
}

ExprPtr CloneExprPtr(const ExprPtr& expr) {
  if (expr == nullptr) return nullptr;
  return std::make_unique<Expr>(CloneExpr(*expr));
}

Expr CloneExpr(const Expr& expr) {
  Expr out;
  out.id = expr.id;
  switch (expr.kind()) {
    case ExprKind::kUnspecified:
      break;
    case ExprKind::kConstant:
      out.node = *expr.as_constant();
      break;
    case ExprKind::kIdent:
      out.node = *expr.as_ident();
      break;
    case ExprKind::kSelect: {
      const SelectExpr& s = *expr.as_select();
      out.node = SelectExpr{CloneExprPtr(s.operand), s.field, s.test_only};
      break;
    }
    case ExprKind::kCall: {
      const CallExpr& c = *expr.as_call();
      CallExpr copy;
      copy.target = CloneExprPtr(c.target);
      copy.function = c.function;
      for (const ExprPtr& a : c.args) copy.args.push_back(CloneExprPtr(a));
      out.node = std::move(copy);
      break;
    }
    case ExprKind::kList: {
      const ListExpr& l = *expr.as_list();
      ListExpr copy;
      for (const ExprPtr& e : l.elements) copy.elements.push_back(CloneExprPtr(e));
      copy.optional_indices = l.optional_indices;
      out.node = std::move(copy);
      break;
    }
    case ExprKind::kStruct: {
      const StructExpr& s = *expr.as_struct();
      StructExpr copy;
      copy.message_name = s.message_name;
      for (const auto& e : s.entries) {
        copy.entries.push_back({e.id, e.field, CloneExprPtr(e.value), e.optional});
      }
      out.node = std::move(copy);
      break;
    }
    case ExprKind::kMap: {
      const MapExpr& m = *expr.as_map();
      MapExpr copy;
      for (const auto& e : m.entries) {
        copy.entries.push_back(
            {e.id, CloneExprPtr(e.key), CloneExprPtr(e.value), e.optional});
      }
      out.node = std::move(copy);
      break;
    }
    case ExprKind::kComprehension: {
      const ComprehensionExpr& c = *expr.as_comprehension();
      ComprehensionExpr copy;
      copy.iter_var = c.iter_var;
      copy.iter_var2 = c.iter_var2;
      copy.iter_range = CloneExprPtr(c.iter_range);
      copy.accu_var = c.accu_var;
      copy.accu_init = CloneExprPtr(c.accu_init);
      copy.loop_condition = CloneExprPtr(c.loop_condition);
      copy.loop_step = CloneExprPtr(c.loop_step);
      copy.result = CloneExprPtr(c.result);
      out.node = std::move(copy);
      break;
    }
  }
  return out;
}

bool ExprEquals(const Expr& a, const Expr& b) {
  if (a.id != b.id || a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ExprKind::kUnspecified:
      return true;
    case ExprKind::kConstant:
      return *a.as_constant() == *b.as_constant();
    case ExprKind::kIdent:
      return a.as_ident()->name == b.as_ident()->name;
    case ExprKind::kSelect: {
      const SelectExpr& x = *a.as_select();
      const SelectExpr& y = *b.as_select();
      return x.field == y.field && x.test_only == y.test_only &&
             PtrEquals(x.operand, y.operand);
    }
    case ExprKind::kCall: {
      const CallExpr& x = *a.as_call();
      const CallExpr& y = *b.as_call();
      if (x.function != y.function || x.args.size() != y.args.size() ||
          !PtrEquals(x.target, y.target)) {
        return false;
      }
      for (size_t i = 0; i < x.args.size(); ++i) {
        if (!PtrEquals(x.args[i], y.args[i])) return false;
      }
      return true;
    }
    case ExprKind::kList: {
      const ListExpr& x = *a.as_list();
      const ListExpr& y = *b.as_list();
      if (x.elements.size() != y.elements.size() ||
          x.optional_indices != y.optional_indices) {
        return false;
      }
      for (size_t i = 0; i < x.elements.size(); ++i) {
        if (!PtrEquals(x.elements[i], y.elements[i])) return false;
      }
      return true;
    }
    case ExprKind::kStruct: {
      const StructExpr& x = *a.as_struct();
      const StructExpr& y = *b.as_struct();
      if (x.message_name != y.message_name || x.entries.size() != y.entries.size()) {
        return false;
      }
      for (size_t i = 0; i < x.entries.size(); ++i) {
        const auto& e = x.entries[i];
        const auto& f = y.entries[i];
        if (e.id != f.id || e.field != f.field || e.optional != f.optional ||
            !PtrEquals(e.value, f.value)) {
          return false;
        }
      }
      return true;
    }
    case ExprKind::kMap: {
      const MapExpr& x = *a.as_map();
      const MapExpr& y = *b.as_map();
      if (x.entries.size() != y.entries.size()) return false;
      for (size_t i = 0; i < x.entries.size(); ++i) {
        const auto& e = x.entries[i];
        const auto& f = y.entries[i];
        if (e.id != f.id || e.optional != f.optional || !PtrEquals(e.key, f.key) ||
            !PtrEquals(e.value, f.value)) {
          return false;
        }
      }
      return true;
    }
    case ExprKind::kComprehension: {
      const ComprehensionExpr& x = *a.as_comprehension();
      const ComprehensionExpr& y = *b.as_comprehension();
      return x.iter_var == y.iter_var && x.iter_var2 == y.iter_var2 &&
             x.accu_var == y.accu_var && PtrEquals(x.iter_range, y.iter_range) &&
             PtrEquals(x.accu_init, y.accu_init) &&
             PtrEquals(x.loop_condition, y.loop_condition) &&
             PtrEquals(x.loop_step, y.loop_step) && PtrEquals(x.result, y.result);
    }
  }
  return false;
}

std::pair<int32_t, int32_t> SourceInfo::LineColumn(int32_t offset) const {
  if (offset < 0) offset = 0;
  // Number of line starts <= offset gives the 0-based line index.
  auto it = std::upper_bound(line_offsets.begin(), line_offsets.end(), offset);
  int32_t line_index = static_cast<int32_t>(it - line_offsets.begin());
  int32_t line_start = line_index == 0 ? 0 : line_offsets[line_index - 1];
  return {line_index + 1, offset - line_start + 1};
}

}  // namespace cel
}  // namespace pitboss
