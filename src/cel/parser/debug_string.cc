// Implementation of the AST debug printer (see debug_string.h).
#include "src/cel/parser/debug_string.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/cel/parser/literals.h"

namespace pitboss {
namespace cel {
namespace {

// Length of the valid UTF-8 sequence of 2-4 bytes at s[i], or 0.
size_t Utf8SequenceAt(absl::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  const size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  size_t count = 0;
  size_t bad = 0;
  return parser_internal::ValidateUtf8(s.substr(i, len), &count, &bad) ? len : 0;
}

// Decodes the UTF-8 sequence at s[i] (valid input); sets *len.
uint32_t DecodeAt(absl::string_view s, size_t i, size_t* len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  *len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  uint32_t cp = c & (c < 0xE0 ? 0x1F : c < 0xF0 ? 0x0F : 0x07);
  for (size_t k = 1; k < *len && i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  return cp;
}

// Code points printed escaped: controls, format characters, separators other
// than the ASCII space, private use and (approximately) unassigned ones.
bool Unprintable(uint32_t cp) {
  struct Range {
    uint32_t lo, hi;
  };
  static constexpr Range kRanges[] = {
      {0x0000, 0x001F},   {0x007F, 0x00A0},   {0x00AD, 0x00AD},   {0x0600, 0x0605},
      {0x061C, 0x061C},   {0x06DD, 0x06DD},   {0x070F, 0x070F},   {0x1680, 0x1680},
      {0x180E, 0x180E},   {0x2000, 0x200F},   {0x2028, 0x202F},   {0x205F, 0x2064},
      {0x2066, 0x206F},   {0x3000, 0x3000},   {0xD800, 0xF8FF},   {0xFEFF, 0xFEFF},
      {0xFFF9, 0xFFFB},   {0xFFFE, 0xFFFF},   {0x110BD, 0x110BD}, {0x1BCA0, 0x1BCA3},
      {0x1D173, 0x1D17A}, {0x40000, 0xDFFFF}, {0xE0001, 0xE007F}, {0xF0000, 0x10FFFF},
  };
  for (const Range& r : kRanges) {
    if (cp >= r.lo && cp <= r.hi) return true;
  }
  return false;
}

void AppendEscapedByte(unsigned char c, std::string* out) {
  switch (c) {
    case '\a':
      out->append("\\a");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\f':
      out->append("\\f");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\v':
      out->append("\\v");
      return;
    case '"':
      out->append("\\\"");
      return;
    case '\\':
      out->append("\\\\");
      return;
    default:
      if (c < 0x20 || c >= 0x7F) {
        absl::StrAppendFormat(out, "\\x%02x", c);
      } else {
        out->push_back(static_cast<char>(c));
      }
  }
}

// Strings: printable code points stay, others become \xHH / \uHHHH /
// \UHHHHHHHH. Bytes: printable UTF-8 sequences stay, other bytes are \xHH.
void AppendEscaped(absl::string_view s, bool bytes, std::string* out) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      AppendEscapedByte(c, out);
      ++i;
      continue;
    }
    size_t len = bytes ? Utf8SequenceAt(s, i) : 1;
    if (len == 0) {
      AppendEscapedByte(c, out);
      ++i;
      continue;
    }
    const uint32_t cp = DecodeAt(s, i, &len);
    if (!Unprintable(cp)) {
      out->append(s.data() + i, len);
    } else if (bytes) {
      AppendEscapedByte(c, out);
      len = 1;
    } else if (cp < 0x10000) {
      absl::StrAppendFormat(out, "\\u%04x", cp);
    } else {
      absl::StrAppendFormat(out, "\\U%08x", cp);
    }
    i += len;
  }
}

class Writer {
 public:
  explicit Writer(const DebugAdorner* adorner) : adorner_(adorner) {}

  void Buffer(const Expr* e) {
    if (e == nullptr) return;
    switch (e->kind()) {
      case ExprKind::kUnspecified:
        break;
      case ExprKind::kConstant:
        Append(ConstantDebugString(*e->as_constant()));
        break;
      case ExprKind::kIdent:
        Append(e->as_ident()->name);
        break;
      case ExprKind::kSelect: {
        const SelectExpr& s = *e->as_select();
        Buffer(s.operand.get());
        Append(".");
        Append(s.field);
        if (s.test_only) Append("~test-only~");
        break;
      }
      case ExprKind::kCall: {
        const CallExpr& c = *e->as_call();
        if (c.target != nullptr) {
          Buffer(c.target.get());
          Append(".");
        }
        Append(c.function);
        Append("(");
        if (!c.args.empty()) {
          ++indent_;
          Line();
          for (size_t i = 0; i < c.args.size(); ++i) {
            if (i > 0) {
              Append(",");
              Line();
            }
            Buffer(c.args[i].get());
          }
          --indent_;
          Line();
        }
        Append(")");
        break;
      }
      case ExprKind::kList: {
        const ListExpr& l = *e->as_list();
        Append("[");
        if (!l.elements.empty()) {
          Line();
          ++indent_;
          for (size_t i = 0; i < l.elements.size(); ++i) {
            if (i > 0) {
              Append(",");
              Line();
            }
            for (int32_t k : l.optional_indices) {
              if (k == static_cast<int32_t>(i)) Append("?");
            }
            Buffer(l.elements[i].get());
          }
          --indent_;
          Line();
        }
        Append("]");
        break;
      }
      case ExprKind::kStruct: {
        const StructExpr& s = *e->as_struct();
        Append(s.message_name);
        Append("{");
        if (!s.entries.empty()) {
          Line();
          ++indent_;
          for (size_t i = 0; i < s.entries.size(); ++i) {
            if (i > 0) {
              Append(",");
              Line();
            }
            if (s.entries[i].optional) Append("?");
            Append(s.entries[i].field);
            Append(":");
            Buffer(s.entries[i].value.get());
            if (adorner_ != nullptr) Append(adorner_->ForEntry(s.entries[i].id));
          }
          --indent_;
          Line();
        }
        Append("}");
        break;
      }
      case ExprKind::kMap: {
        const MapExpr& m = *e->as_map();
        Append("{");
        if (!m.entries.empty()) {
          Line();
          ++indent_;
          for (size_t i = 0; i < m.entries.size(); ++i) {
            if (i > 0) {
              Append(",");
              Line();
            }
            if (m.entries[i].optional) Append("?");
            Buffer(m.entries[i].key.get());
            Append(":");
            Buffer(m.entries[i].value.get());
            if (adorner_ != nullptr) Append(adorner_->ForEntry(m.entries[i].id));
          }
          --indent_;
          Line();
        }
        Append("}");
        break;
      }
      case ExprKind::kComprehension: {
        const ComprehensionExpr& c = *e->as_comprehension();
        Append("__comprehension__(");
        ++indent_;
        Line();
        Append("// Variable");
        Line();
        Append(c.iter_var);
        Append(",");
        Line();
        if (!c.iter_var2.empty()) {
          Append("// Variable2");
          Line();
          Append(c.iter_var2);
          Append(",");
          Line();
        }
        Append("// Target");
        Line();
        Buffer(c.iter_range.get());
        Append(",");
        Line();
        Append("// Accumulator");
        Line();
        Append(c.accu_var);
        Append(",");
        Line();
        Append("// Init");
        Line();
        Buffer(c.accu_init.get());
        Append(",");
        Line();
        Append("// LoopCondition");
        Line();
        Buffer(c.loop_condition.get());
        Append(",");
        Line();
        Append("// LoopStep");
        Line();
        Buffer(c.loop_step.get());
        Append(",");
        Line();
        Append("// Result");
        Line();
        Buffer(c.result.get());
        Append(")");
        --indent_;
        break;
      }
    }
    if (adorner_ != nullptr) Append(adorner_->ForExpr(*e));
  }

  std::string Take() { return std::move(out_); }

 private:
  void Append(absl::string_view s) {
    if (line_start_) {
      line_start_ = false;
      out_.append(static_cast<size_t>(2 * indent_), ' ');
    }
    out_.append(s.data(), s.size());
  }
  void Line() {
    out_.push_back('\n');
    line_start_ = true;
  }

  const DebugAdorner* adorner_;
  std::string out_;
  int indent_ = 0;
  bool line_start_ = true;
};

}  // namespace

std::string ConstantDebugString(const Constant& c) {
  switch (c.kind) {
    case Constant::Kind::kUnspecified:
      return "<unspecified>";
    case Constant::Kind::kNull:
      return "null";
    case Constant::Kind::kBool:
      return c.bool_value ? "true" : "false";
    case Constant::Kind::kInt64:
      return absl::StrCat(c.int64_value);
    case Constant::Kind::kUint64:
      return absl::StrCat(c.uint64_value, "u");
    case Constant::Kind::kDouble: {
      const double v = c.double_value;
      if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
      if (std::isnan(v)) return "NaN";
      // Shortest round-trip digits; exponent notation from 1e6 up and for
      // tiny values (the layout of the conformance data).
      char buf[64];
      const bool plain = std::fabs(v) < 1e6 && (v == 0 || std::fabs(v) >= 1e-6);
      auto r = std::to_chars(buf, buf + sizeof(buf), v,
                             plain ? std::chars_format::fixed : std::chars_format::scientific);
      return std::string(buf, r.ptr);
    }
    case Constant::Kind::kString: {
      std::string out = "\"";
      AppendEscaped(c.string_value, false, &out);
      out.push_back('"');
      return out;
    }
    case Constant::Kind::kBytes: {
      std::string out = "b\"";
      AppendEscaped(c.string_value, true, &out);
      out.push_back('"');
      return out;
    }
  }
  return "";
}

std::string IdAdorner::ForExpr(const Expr& expr) const {
  return absl::StrCat("^#", expr.id, "#");
}
std::string IdAdorner::ForEntry(int64_t entry_id) const {
  return absl::StrCat("^#", entry_id, "#");
}

std::string KindAdorner::ForExpr(const Expr& expr) const {
  const char* kind = "";
  switch (expr.kind()) {
    case ExprKind::kUnspecified:
      kind = "*expr.Expr_Unspecified";
      break;
    case ExprKind::kConstant:
      switch (expr.as_constant()->kind) {
        case Constant::Kind::kNull:
          kind = "*expr.Constant_NullValue";
          break;
        case Constant::Kind::kBool:
          kind = "*expr.Constant_BoolValue";
          break;
        case Constant::Kind::kInt64:
          kind = "*expr.Constant_Int64Value";
          break;
        case Constant::Kind::kUint64:
          kind = "*expr.Constant_Uint64Value";
          break;
        case Constant::Kind::kDouble:
          kind = "*expr.Constant_DoubleValue";
          break;
        case Constant::Kind::kString:
          kind = "*expr.Constant_StringValue";
          break;
        case Constant::Kind::kBytes:
          kind = "*expr.Constant_BytesValue";
          break;
        case Constant::Kind::kUnspecified:
          kind = "*expr.Constant_Unspecified";
          break;
      }
      break;
    case ExprKind::kIdent:
      kind = "*expr.Expr_IdentExpr";
      break;
    case ExprKind::kSelect:
      kind = "*expr.Expr_SelectExpr";
      break;
    case ExprKind::kCall:
      kind = "*expr.Expr_CallExpr";
      break;
    case ExprKind::kList:
      kind = "*expr.Expr_ListExpr";
      break;
    case ExprKind::kStruct:
    case ExprKind::kMap:
      kind = "*expr.Expr_StructExpr";
      break;
    case ExprKind::kComprehension:
      kind = "*expr.Expr_ComprehensionExpr";
      break;
  }
  return absl::StrCat("^#", kind, "#");
}

std::string KindAdorner::ForEntry(int64_t) const { return "^#*expr.Expr_CreateStruct_Entry#"; }

std::string ExprDebugString(const Expr& expr, const DebugAdorner* adorner) {
  Writer w(adorner);
  w.Buffer(&expr);
  return w.Take();
}

}  // namespace cel
}  // namespace pitboss
