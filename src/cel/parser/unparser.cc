// Implementation of the CEL unparser (see unparser.h).
#include "src/cel/parser/unparser.h"

#include <charconv>
#include <cmath>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/cel/parser/debug_string.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cel {
namespace {

// Binding strength, loosest first.
enum Precedence {
  kTernary = 1,
  kOr,
  kAnd,
  kRelation,
  kAdditive,
  kMultiplicative,
  kUnary,
  kMember,
};

struct BinaryOp {
  const char* function;
  const char* text;
  Precedence precedence;
};

constexpr BinaryOp kBinaryOps[] = {
    {op::kLogicalOr, "||", kOr},          {op::kLogicalAnd, "&&", kAnd},
    {op::kEquals, "==", kRelation},       {op::kNotEquals, "!=", kRelation},
    {op::kLess, "<", kRelation},          {op::kLessEquals, "<=", kRelation},
    {op::kGreater, ">", kRelation},       {op::kGreaterEquals, ">=", kRelation},
    {op::kIn, "in", kRelation},           {op::kAdd, "+", kAdditive},
    {op::kSubtract, "-", kAdditive},      {op::kMultiply, "*", kMultiplicative},
    {op::kDivide, "/", kMultiplicative},  {op::kModulo, "%", kMultiplicative},
};

const BinaryOp* FindBinary(const CallExpr& c) {
  if (c.target != nullptr || c.args.size() != 2) return nullptr;
  for (const BinaryOp& b : kBinaryOps) {
    if (c.function == b.function) return &b;
  }
  return nullptr;
}

bool IsPlainIdentifier(absl::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return s != "true" && s != "false" && s != "null" && s != "in";
}

std::string FieldName(absl::string_view field) {
  if (IsPlainIdentifier(field)) return std::string(field);
  return absl::StrCat("`", field, "`");
}

std::string DoubleLiteral(double v) {
  if (std::isnan(v)) return "double(\"NaN\")";
  if (std::isinf(v)) return v > 0 ? "double(\"Infinity\")" : "double(\"-Infinity\")";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

class Unparser {
 public:
  explicit Unparser(const SourceInfo* info) : info_(info) {}

  absl::Status Visit(const Expr& e, std::string* out) {
    if (root_ == nullptr) {
      root_ = &e;
    }
    switch (e.kind()) {
      case ExprKind::kUnspecified:
        return absl::InvalidArgumentError(
            absl::StrCat("cannot unparse an unspecified expression (id ", e.id, ")"));
      case ExprKind::kConstant: {
        const Constant& c = *e.as_constant();
        if (c.kind == Constant::Kind::kDouble) {
          out->append(DoubleLiteral(c.double_value));
        } else {
          out->append(ConstantDebugString(c));
        }
        return absl::OkStatus();
      }
      case ExprKind::kIdent:
        out->append(e.as_ident()->name);
        return absl::OkStatus();
      case ExprKind::kSelect: {
        const SelectExpr& s = *e.as_select();
        if (s.test_only) out->append("has(");
        PITBOSS_RETURN_IF_ERROR(Operand(*s.operand, kMember, out));
        absl::StrAppend(out, ".", FieldName(s.field));
        if (s.test_only) out->append(")");
        return absl::OkStatus();
      }
      case ExprKind::kCall:
        return VisitCall(e, out);
      case ExprKind::kList: {
        const ListExpr& l = *e.as_list();
        out->append("[");
        for (size_t i = 0; i < l.elements.size(); ++i) {
          if (i > 0) out->append(", ");
          for (int32_t k : l.optional_indices) {
            if (k == static_cast<int32_t>(i)) out->append("?");
          }
          PITBOSS_RETURN_IF_ERROR(Visit(*l.elements[i], out));
        }
        out->append("]");
        return absl::OkStatus();
      }
      case ExprKind::kStruct: {
        const StructExpr& s = *e.as_struct();
        absl::StrAppend(out, s.message_name, "{");
        for (size_t i = 0; i < s.entries.size(); ++i) {
          if (i > 0) out->append(", ");
          absl::StrAppend(out, s.entries[i].optional ? "?" : "",
                          FieldName(s.entries[i].field), ": ");
          PITBOSS_RETURN_IF_ERROR(Visit(*s.entries[i].value, out));
        }
        out->append("}");
        return absl::OkStatus();
      }
      case ExprKind::kMap: {
        const MapExpr& m = *e.as_map();
        out->append("{");
        for (size_t i = 0; i < m.entries.size(); ++i) {
          if (i > 0) out->append(", ");
          if (m.entries[i].optional) out->append("?");
          PITBOSS_RETURN_IF_ERROR(Visit(*m.entries[i].key, out));
          out->append(": ");
          PITBOSS_RETURN_IF_ERROR(Visit(*m.entries[i].value, out));
        }
        out->append("}");
        return absl::OkStatus();
      }
      case ExprKind::kComprehension:
        return VisitMacro(e, out);
    }
    return absl::InternalError("unknown expression kind");
  }

 private:
  static int PrecedenceOf(const Expr& e) {
    const CallExpr* c = e.as_call();
    if (c == nullptr) return kMember;
    if (const BinaryOp* b = FindBinary(*c)) return b->precedence;
    if (c->target == nullptr && c->function == op::kConditional && c->args.size() == 3) {
      return kTernary;
    }
    if (c->target == nullptr && c->args.size() == 1 &&
        (c->function == op::kLogicalNot || c->function == op::kNegate)) {
      return kUnary;
    }
    return kMember;
  }

  // Prints `e` where an expression binding at least as tight as `min` is
  // needed, adding parentheses otherwise.
  absl::Status Operand(const Expr& e, int min, std::string* out) {
    const bool parens = PrecedenceOf(e) < min;
    if (parens) out->append("(");
    PITBOSS_RETURN_IF_ERROR(Visit(e, out));
    if (parens) out->append(")");
    return absl::OkStatus();
  }

  static bool IsCallOf(const Expr& e, const char* function) {
    const CallExpr* c = e.as_call();
    return c != nullptr && c->target == nullptr && c->args.size() == 2 &&
           c->function == function;
  }

  // The operands of a chain of `function` calls, left to right.
  static void Flatten(const Expr& e, const char* function, std::vector<const Expr*>* terms) {
    if (!IsCallOf(e, function)) {
      terms->push_back(&e);
      return;
    }
    for (const ExprPtr& a : e.as_call()->args) Flatten(*a, function, terms);
  }

  // Whether `e` is the tree the parser builds for terms[lo..hi] (it balances
  // chains of && and ||, splitting at the middle).
  static bool IsBalanced(const Expr& e, const char* function,
                         const std::vector<const Expr*>& terms, size_t lo, size_t hi) {
    if (lo == hi) return &e == terms[lo];
    if (!IsCallOf(e, function)) return false;
    const size_t mid = (lo + hi) / 2;
    const CallExpr& c = *e.as_call();
    return IsBalanced(*c.args[0], function, terms, lo, mid) &&
           IsBalanced(*c.args[1], function, terms, mid + 1, hi);
  }

  // && and ||: a chain prints flat only when reparsing it rebuilds the same
  // balanced tree; otherwise nested calls of the same operator get
  // parentheses (each parenthesized group is one term of the reparse).
  absl::Status VisitLogical(const Expr& e, const BinaryOp& b, std::string* out) {
    std::vector<const Expr*> terms;
    Flatten(e, b.function, &terms);
    if (IsBalanced(e, b.function, terms, 0, terms.size() - 1)) {
      for (size_t i = 0; i < terms.size(); ++i) {
        if (i > 0) absl::StrAppend(out, " ", b.text, " ");
        PITBOSS_RETURN_IF_ERROR(Operand(*terms[i], b.precedence + 1, out));
      }
      return absl::OkStatus();
    }
    const CallExpr& c = *e.as_call();
    PITBOSS_RETURN_IF_ERROR(Operand(*c.args[0], b.precedence + 1, out));
    absl::StrAppend(out, " ", b.text, " ");
    return Operand(*c.args[1], b.precedence + 1, out);
  }

  absl::Status VisitCall(const Expr& e, std::string* out) {
    const CallExpr& c = *e.as_call();
    if (const BinaryOp* b = FindBinary(c)) {
      if (IsCallOf(e, op::kLogicalAnd) || IsCallOf(e, op::kLogicalOr)) {
        return VisitLogical(e, *b, out);
      }
      // Left-associative: the right operand must bind strictly tighter.
      PITBOSS_RETURN_IF_ERROR(Operand(*c.args[0], b->precedence, out));
      absl::StrAppend(out, " ", b->text, " ");
      return Operand(*c.args[1], b->precedence + 1, out);
    }
    if (c.target == nullptr && c.function == op::kConditional && c.args.size() == 3) {
      PITBOSS_RETURN_IF_ERROR(Operand(*c.args[0], kOr, out));
      out->append(" ? ");
      PITBOSS_RETURN_IF_ERROR(Operand(*c.args[1], kOr, out));
      out->append(" : ");
      return Operand(*c.args[2], kTernary, out);
    }
    if (c.target == nullptr && c.args.size() == 1 &&
        (c.function == op::kLogicalNot || c.function == op::kNegate)) {
      const bool negate = c.function == op::kNegate;
      std::string operand;
      PITBOSS_RETURN_IF_ERROR(Visit(*c.args[0], &operand));
      // `!!x` and `--1` would read back as x and 1, `-` directly before a
      // number (`-1.f()`) as a negative literal, and `-!x` not at all:
      // parenthesize those.
      const bool starts_with_number =
          !operand.empty() && operand[0] >= '0' && operand[0] <= '9';
      const bool starts_with_minus = !operand.empty() && operand[0] == '-';
      out->append(negate ? "-" : "!");
      if (PrecedenceOf(*c.args[0]) < kMember || starts_with_minus ||
          (negate && starts_with_number)) {
        absl::StrAppend(out, "(", operand, ")");
      } else {
        out->append(operand);
      }
      return absl::OkStatus();
    }
    if (c.target == nullptr && c.args.size() == 2 &&
        (c.function == op::kIndex || c.function == op::kOptIndex)) {
      PITBOSS_RETURN_IF_ERROR(Operand(*c.args[0], kMember, out));
      out->append(c.function == op::kIndex ? "[" : "[?");
      PITBOSS_RETURN_IF_ERROR(Visit(*c.args[1], out));
      out->append("]");
      return absl::OkStatus();
    }
    if (c.target == nullptr && c.args.size() == 2 && c.function == op::kOptSelect) {
      const Constant* field = c.args[1]->as_constant();
      if (field != nullptr && field->kind == Constant::Kind::kString) {
        PITBOSS_RETURN_IF_ERROR(Operand(*c.args[0], kMember, out));
        absl::StrAppend(out, ".?", FieldName(field->string_value));
        return absl::OkStatus();
      }
    }
    if (c.target != nullptr) {
      PITBOSS_RETURN_IF_ERROR(Operand(*c.target, kMember, out));
      out->append(".");
    }
    absl::StrAppend(out, c.function, "(");
    for (size_t i = 0; i < c.args.size(); ++i) {
      if (i > 0) out->append(", ");
      PITBOSS_RETURN_IF_ERROR(Visit(*c.args[i], out));
    }
    out->append(")");
    return absl::OkStatus();
  }

  // A comprehension is printed as the macro call recorded for its id.
  absl::Status VisitMacro(const Expr& e, std::string* out) {
    const Expr* call_expr = nullptr;
    if (info_ != nullptr) {
      auto it = info_->macro_calls.find(e.id);
      if (it != info_->macro_calls.end()) call_expr = &it->second;
    }
    const CallExpr* call = call_expr == nullptr ? nullptr : call_expr->as_call();
    if (call == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cannot unparse a comprehension without its macro call (id ", e.id, ")"));
    }
    if (call->target != nullptr) {
      PITBOSS_RETURN_IF_ERROR(Operand(Resolve(*call->target), kMember, out));
      out->append(".");
    }
    absl::StrAppend(out, call->function, "(");
    for (size_t i = 0; i < call->args.size(); ++i) {
      if (i > 0) out->append(", ");
      PITBOSS_RETURN_IF_ERROR(Visit(Resolve(*call->args[i]), out));
    }
    out->append(")");
    return absl::OkStatus();
  }

  // Placeholders in a macro record stand for the subtree with their id.
  const Expr& Resolve(const Expr& e) {
    if (e.kind() != ExprKind::kUnspecified) return e;
    if (index_.empty()) Index(*root_);
    auto it = index_.find(e.id);
    return it == index_.end() ? e : *it->second;
  }
  void Index(const Expr& root) {
    std::vector<const Expr*> stack = {&root};
    while (!stack.empty()) {
      const Expr* e = stack.back();
      stack.pop_back();
      index_.emplace(e->id, e);
      auto push = [&stack](const ExprPtr& p) {
        if (p != nullptr) stack.push_back(p.get());
      };
      if (auto* s = e->as_select()) push(s->operand);
      if (auto* c = e->as_call()) {
        push(c->target);
        for (const auto& a : c->args) push(a);
      }
      if (auto* l = e->as_list()) {
        for (const auto& x : l->elements) push(x);
      }
      if (auto* st = e->as_struct()) {
        for (const auto& en : st->entries) push(en.value);
      }
      if (auto* m = e->as_map()) {
        for (const auto& en : m->entries) {
          push(en.key);
          push(en.value);
        }
      }
      if (auto* co = e->as_comprehension()) {
        push(co->iter_range);
        push(co->accu_init);
        push(co->loop_condition);
        push(co->loop_step);
        push(co->result);
      }
    }
  }

  const SourceInfo* info_;
  const Expr* root_ = nullptr;
  absl::flat_hash_map<int64_t, const Expr*> index_;
};

}  // namespace

absl::StatusOr<std::string> Unparse(const Expr& expr, const SourceInfo* info) {
  Unparser unparser(info);
  std::string out;
  absl::Status status = unparser.Visit(expr, &out);
  if (!status.ok()) return status;
  return out;
}

}  // namespace cel
}  // namespace pitboss
