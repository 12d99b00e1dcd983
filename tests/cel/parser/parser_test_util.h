// Helpers shared by the CEL parser tests: a one-line S-expression rendering
// of an AST (operators as calls, e.g. `_+_(a, _*_(b, c))`) and parse
// shortcuts.
#ifndef PITBOSS_TESTS_CEL_PARSER_PARSER_TEST_UTIL_H_
#define PITBOSS_TESTS_CEL_PARSER_PARSER_TEST_UTIL_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/cel/ast.h"
#include "src/cel/parser/debug_string.h"
#include "src/cel/parser/parser.h"

namespace pitboss {
namespace cel {
namespace testing {

inline std::string Sexp(const Expr& e) {
  switch (e.kind()) {
    case ExprKind::kUnspecified:
      return "<error>";
    case ExprKind::kConstant:
      return ConstantDebugString(*e.as_constant());
    case ExprKind::kIdent:
      return e.as_ident()->name;
    case ExprKind::kSelect: {
      const SelectExpr& s = *e.as_select();
      std::string out = absl::StrCat(Sexp(*s.operand), ".", s.field);
      if (s.test_only) absl::StrAppend(&out, "~test-only~");
      return out;
    }
    case ExprKind::kCall: {
      const CallExpr& c = *e.as_call();
      std::string out;
      if (c.target != nullptr) absl::StrAppend(&out, Sexp(*c.target), ".");
      absl::StrAppend(&out, c.function, "(");
      for (size_t i = 0; i < c.args.size(); ++i) {
        absl::StrAppend(&out, i ? ", " : "", Sexp(*c.args[i]));
      }
      return out + ")";
    }
    case ExprKind::kList: {
      const ListExpr& l = *e.as_list();
      std::string out = "[";
      for (size_t i = 0; i < l.elements.size(); ++i) {
        absl::StrAppend(&out, i ? ", " : "");
        for (int32_t k : l.optional_indices) {
          if (k == static_cast<int32_t>(i)) out += "?";
        }
        absl::StrAppend(&out, Sexp(*l.elements[i]));
      }
      return out + "]";
    }
    case ExprKind::kStruct: {
      const StructExpr& s = *e.as_struct();
      std::string out = s.message_name + "{";
      for (size_t i = 0; i < s.entries.size(); ++i) {
        absl::StrAppend(&out, i ? ", " : "", s.entries[i].optional ? "?" : "",
                        s.entries[i].field, ": ", Sexp(*s.entries[i].value));
      }
      return out + "}";
    }
    case ExprKind::kMap: {
      const MapExpr& m = *e.as_map();
      std::string out = "{";
      for (size_t i = 0; i < m.entries.size(); ++i) {
        absl::StrAppend(&out, i ? ", " : "", m.entries[i].optional ? "?" : "",
                        Sexp(*m.entries[i].key), ": ", Sexp(*m.entries[i].value));
      }
      return out + "}";
    }
    case ExprKind::kComprehension: {
      const ComprehensionExpr& c = *e.as_comprehension();
      return absl::StrCat("fold(", c.iter_var, c.iter_var2.empty() ? "" : ", ", c.iter_var2,
                          " in ", Sexp(*c.iter_range), "; ", c.accu_var, " = ",
                          Sexp(*c.accu_init), "; ", Sexp(*c.loop_condition), "; ",
                          Sexp(*c.loop_step), "; ", Sexp(*c.result), ")");
    }
  }
  return "?";
}

// The S-expression of a successful parse, or "ERROR: ..." text.
inline std::string ParseToSexp(absl::string_view source,
                               const ParserOptions& options = ParserOptions()) {
  ParseResult r = ParseWithDiagnostics(source, options);
  if (!r.ok()) return r.FormatErrors();
  return Sexp(r.parsed.expr);
}

}  // namespace testing
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_TESTS_CEL_PARSER_PARSER_TEST_UTIL_H_
