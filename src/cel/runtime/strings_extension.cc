// The strings extension (cel-go ext/strings.go semantics): charAt, indexOf,
// lastIndexOf, lowerAscii, upperAscii, replace, split, substring, trim, join,
// format, strings.quote and reverse. Every index counts code points, not
// bytes; out-of-range indices are errors ("index out of range: N").
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/cel/common/time_util.h"
#include "src/cel/common/utf8.h"
#include "src/cel/runtime/function_registry.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cel {
namespace {

using K = ValueKind;
using Args = absl::Span<const Value>;

Value OutOfRange(int64_t i, EvalContext& ctx) {
  return ctx.Error(absl::StrCat("index out of range: ", i));
}

// Code point index of byte offset `byte` in `s`.
int64_t CodePointIndex(absl::string_view s, size_t byte) {
  return static_cast<int64_t>(Utf8CodePointCount(s.substr(0, byte)));
}

Value CharAt(Args args, EvalContext& ctx) {
  absl::string_view s = args[0].string_value();
  int64_t i = args[1].int_value();
  std::vector<size_t> off = Utf8Offsets(s);
  const int64_t n = static_cast<int64_t>(off.size()) - 1;
  if (i < 0 || i > n) return OutOfRange(i, ctx);
  if (i == n) return Value::StringView("");
  return Value::StringView(s.substr(off[i], off[i + 1] - off[i]));
}

Value IndexOfImpl(absl::string_view s, absl::string_view sub, int64_t from, EvalContext& ctx) {
  std::vector<size_t> off = Utf8Offsets(s);
  const int64_t n = static_cast<int64_t>(off.size()) - 1;
  if (from < 0 || from > n) return OutOfRange(from, ctx);
  if (sub.empty()) return Value::Int(from);
  size_t pos = s.find(sub, off[from]);
  if (pos == absl::string_view::npos) return Value::Int(-1);
  return Value::Int(CodePointIndex(s, pos));
}
Value IndexOf(Args args, EvalContext& ctx) {
  return IndexOfImpl(args[0].string_value(), args[1].string_value(), 0, ctx);
}
Value IndexOfFrom(Args args, EvalContext& ctx) {
  return IndexOfImpl(args[0].string_value(), args[1].string_value(), args[2].int_value(), ctx);
}

Value LastIndexOfImpl(absl::string_view s, absl::string_view sub, int64_t from,
                      EvalContext& ctx) {
  std::vector<size_t> off = Utf8Offsets(s);
  const int64_t n = static_cast<int64_t>(off.size()) - 1;
  if (from < 0 || from > n) return OutOfRange(from, ctx);
  if (sub.empty()) return Value::Int(from);
  size_t pos = s.rfind(sub, off[from]);
  if (pos == absl::string_view::npos) return Value::Int(-1);
  return Value::Int(CodePointIndex(s, pos));
}
Value LastIndexOf(Args args, EvalContext& ctx) {
  absl::string_view s = args[0].string_value();
  return LastIndexOfImpl(s, args[1].string_value(),
                         static_cast<int64_t>(Utf8CodePointCount(s)), ctx);
}
Value LastIndexOfFrom(Args args, EvalContext& ctx) {
  return LastIndexOfImpl(args[0].string_value(), args[1].string_value(), args[2].int_value(),
                         ctx);
}

Value LowerAscii(Args args, EvalContext& ctx) {
  return ctx.String(absl::AsciiStrToLower(args[0].string_value()));
}
Value UpperAscii(Args args, EvalContext& ctx) {
  return ctx.String(absl::AsciiStrToUpper(args[0].string_value()));
}

// Go strings.Replace: n < 0 replaces all; an empty `from` matches before each
// code point and at the end.
Value ReplaceImpl(absl::string_view s, absl::string_view from, absl::string_view to, int64_t n,
                  EvalContext& ctx) {
  if (n == 0 || (from == to)) return Value::StringView(s);
  std::string out;
  int64_t done = 0;
  if (from.empty()) {
    std::vector<size_t> off = Utf8Offsets(s);
    for (size_t i = 0; i + 1 < off.size(); ++i) {
      if (n < 0 || done < n) {
        out.append(to.data(), to.size());
        ++done;
      }
      out.append(s.substr(off[i], off[i + 1] - off[i]).data(), off[i + 1] - off[i]);
    }
    if (n < 0 || done < n) out.append(to.data(), to.size());
    return ctx.String(out);
  }
  size_t pos = 0;
  while (n < 0 || done < n) {
    size_t hit = s.find(from, pos);
    if (hit == absl::string_view::npos) break;
    out.append(s.data() + pos, hit - pos);
    out.append(to.data(), to.size());
    pos = hit + from.size();
    ++done;
  }
  if (done == 0) return Value::StringView(s);
  out.append(s.data() + pos, s.size() - pos);
  return ctx.String(out);
}
Value Replace(Args args, EvalContext& ctx) {
  return ReplaceImpl(args[0].string_value(), args[1].string_value(), args[2].string_value(), -1,
                     ctx);
}
Value ReplaceN(Args args, EvalContext& ctx) {
  return ReplaceImpl(args[0].string_value(), args[1].string_value(), args[2].string_value(),
                     args[3].int_value(), ctx);
}

// Go strings.SplitN. Parts are views into `s` (same lifetime as s).
Value SplitImpl(absl::string_view s, absl::string_view sep, int64_t n, EvalContext& ctx) {
  std::vector<Value> parts;
  if (n == 0) return MakeList(ctx.arena(), parts);
  if (sep.empty()) {
    std::vector<size_t> off = Utf8Offsets(s);
    const size_t cps = off.size() - 1;
    for (size_t i = 0; i < cps; ++i) {
      if (n > 0 && static_cast<int64_t>(parts.size()) == n - 1) {
        parts.push_back(Value::StringView(s.substr(off[i])));
        return MakeList(ctx.arena(), parts);
      }
      parts.push_back(Value::StringView(s.substr(off[i], off[i + 1] - off[i])));
    }
    return MakeList(ctx.arena(), parts);
  }
  size_t pos = 0;
  while (n < 0 || static_cast<int64_t>(parts.size()) < n - 1) {
    size_t hit = s.find(sep, pos);
    if (hit == absl::string_view::npos) break;
    parts.push_back(Value::StringView(s.substr(pos, hit - pos)));
    pos = hit + sep.size();
  }
  parts.push_back(Value::StringView(s.substr(pos)));
  return MakeList(ctx.arena(), parts);
}
Value Split(Args args, EvalContext& ctx) {
  return SplitImpl(args[0].string_value(), args[1].string_value(), -1, ctx);
}
Value SplitN(Args args, EvalContext& ctx) {
  return SplitImpl(args[0].string_value(), args[1].string_value(), args[2].int_value(), ctx);
}

Value SubstringImpl(absl::string_view s, int64_t start, int64_t end, bool has_end,
                    EvalContext& ctx) {
  std::vector<size_t> off = Utf8Offsets(s);
  const int64_t n = static_cast<int64_t>(off.size()) - 1;
  if (!has_end) end = n;
  if (start < 0 || start > n) return OutOfRange(start, ctx);
  if (end < 0 || end > n) return OutOfRange(end, ctx);
  if (start > end) {
    return ctx.Error(absl::StrCat("invalid substring range. start: ", start, ", end: ", end));
  }
  return Value::StringView(s.substr(off[start], off[end] - off[start]));
}
Value Substring(Args args, EvalContext& ctx) {
  return SubstringImpl(args[0].string_value(), args[1].int_value(), 0, false, ctx);
}
Value SubstringRange(Args args, EvalContext& ctx) {
  return SubstringImpl(args[0].string_value(), args[1].int_value(), args[2].int_value(), true,
                       ctx);
}

// Unicode White_Space (Go's unicode.IsSpace).
bool IsUnicodeSpace(char32_t c) {
  switch (c) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
    case 0x205F: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

Value Trim(Args args, EvalContext&) {
  absl::string_view s = args[0].string_value();
  std::vector<size_t> off = Utf8Offsets(s);
  size_t first = 0, last = off.size() - 1;  // code point range [first, last)
  size_t len;
  while (first < last && IsUnicodeSpace(Utf8Decode(s, off[first], &len))) ++first;
  while (last > first && IsUnicodeSpace(Utf8Decode(s, off[last - 1], &len))) --last;
  return Value::StringView(s.substr(off[first], off[last] - off[first]));
}

Value JoinImpl(const ListValue* list, absl::string_view sep, EvalContext& ctx) {
  std::string out;
  for (size_t i = 0; i < list->size(); ++i) {
    Value e = list->Get(i, ctx);
    if (!e.IsString()) return ctx.NoSuchOverload();
    if (i > 0) out.append(sep.data(), sep.size());
    out.append(e.string_value().data(), e.string_value().size());
  }
  return ctx.String(out);
}
Value Join(Args args, EvalContext& ctx) { return JoinImpl(args[0].list_value(), "", ctx); }
Value JoinSep(Args args, EvalContext& ctx) {
  return JoinImpl(args[0].list_value(), args[1].string_value(), ctx);
}

Value Quote(Args args, EvalContext& ctx) {
  absl::string_view s = args[0].string_value();
  std::string out = "\"";
  size_t pos = 0;
  while (pos < s.size()) {
    size_t len;
    char32_t c = Utf8Decode(s, pos, &len);
    pos += len;
    switch (c) {
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default: Utf8Append(c, &out);
    }
  }
  out += "\"";
  return ctx.String(out);
}

Value Reverse(Args args, EvalContext& ctx) {
  absl::string_view s = args[0].string_value();
  std::vector<size_t> off = Utf8Offsets(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = off.size() - 1; i > 0; --i) {
    out.append(s.data() + off[i - 1], off[i] - off[i - 1]);
  }
  return ctx.String(out);
}

// ---- format ----

std::string FormatError(absl::string_view message) {
  return absl::StrCat("error during formatting: ", message);
}

std::string SpecialDouble(double d) {
  if (std::isnan(d)) return "NaN";
  return d > 0 ? "Infinity" : "-Infinity";
}

// %s rendering; false (with *error set) for unsupported values.
bool AppendStringClause(const Value& v, EvalContext& ctx, std::string* out, std::string* error) {
  switch (v.kind()) {
    case K::kString: out->append(v.string_value().data(), v.string_value().size()); return true;
    case K::kBytes: out->append(v.bytes_value().data(), v.bytes_value().size()); return true;
    case K::kBool: out->append(v.bool_value() ? "true" : "false"); return true;
    case K::kInt: absl::StrAppend(out, v.int_value()); return true;
    case K::kUint: absl::StrAppend(out, v.uint_value()); return true;
    case K::kDouble: {
      double d = v.double_value();
      out->append(std::isfinite(d) ? FormatDouble(d) : SpecialDouble(d));
      return true;
    }
    case K::kNull: out->append("null"); return true;
    case K::kType: out->append(v.type_value().data(), v.type_value().size()); return true;
    case K::kTimestamp: out->append(FormatTimestamp(v.seconds(), v.nanos())); return true;
    case K::kDuration: out->append(FormatDuration(v.seconds(), v.nanos())); return true;
    case K::kList: {
      const ListValue* list = v.list_value();
      out->push_back('[');
      for (size_t i = 0; i < list->size(); ++i) {
        if (i > 0) out->append(", ");
        if (!AppendStringClause(list->Get(i, ctx), ctx, out, error)) return false;
      }
      out->push_back(']');
      return true;
    }
    case K::kMap: {
      const MapValue* map = v.map_value();
      std::vector<std::pair<std::string, std::string>> entries;
      for (size_t i = 0; i < map->size(); ++i) {
        std::string k, val;
        if (!AppendStringClause(map->KeyAt(i, ctx), ctx, &k, error)) return false;
        if (!AppendStringClause(map->ValueAt(i, ctx), ctx, &val, error)) return false;
        entries.emplace_back(std::move(k), std::move(val));
      }
      std::sort(entries.begin(), entries.end());
      out->push_back('{');
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out->append(", ");
        absl::StrAppend(out, entries[i].first, ": ", entries[i].second);
      }
      out->push_back('}');
      return true;
    }
    default:
      *error = FormatError(absl::StrCat(
          "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, "
          "types, durations, and timestamps, was given ",
          v.TypeName()));
      return false;
  }
}

std::string ToBase(uint64_t u, int base, bool upper) {
  if (u == 0) return "0";
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string s;
  while (u > 0) {
    s.push_back(digits[u % base]);
    u /= base;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

// Integer in `base` with a leading '-' for negative ints.
bool IntegerInBase(const Value& v, int base, bool upper, std::string* out) {
  if (v.IsInt()) {
    int64_t i = v.int_value();
    uint64_t mag = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
    *out += (i < 0 ? "-" : "") + ToBase(mag, base, upper);
    return true;
  }
  if (v.IsUint()) {
    *out += ToBase(v.uint_value(), base, upper);
    return true;
  }
  return false;
}

Value Format(Args args, EvalContext& ctx) {
  absl::string_view f = args[0].string_value();
  const ListValue* list = args[1].list_value();
  std::string out;
  size_t next_arg = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    char c = f[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    ++i;
    if (i >= f.size()) {
      return ctx.Error("could not parse formatting clause: unexpected end of format string");
    }
    if (f[i] == '%') {
      out.push_back('%');
      continue;
    }
    int precision = -1;
    if (f[i] == '.') {
      ++i;
      precision = 0;
      size_t digits = 0;
      while (i < f.size() && absl::ascii_isdigit(static_cast<unsigned char>(f[i]))) {
        precision = precision * 10 + (f[i] - '0');
        if (precision > 1000) return ctx.Error("could not parse formatting clause: precision too large");
        ++i;
        ++digits;
      }
      if (digits == 0 || i >= f.size()) {
        return ctx.Error("could not parse formatting clause: invalid precision");
      }
    }
    const char verb = f[i];
    if (std::string("sdfexXob").find(verb) == std::string::npos) {
      return ctx.Error(absl::StrCat(
          "could not parse formatting clause: unrecognized formatting clause \"",
          absl::string_view(&f[i], 1), "\""));
    }
    if (next_arg >= list->size()) {
      return ctx.Error(absl::StrCat("index ", next_arg, " out of range"));
    }
    Value arg = list->Get(next_arg++, ctx);
    switch (verb) {
      case 's': {
        std::string error;
        if (!AppendStringClause(arg, ctx, &out, &error)) return ctx.Error(error);
        break;
      }
      case 'd':
        if (arg.IsDouble() && !std::isfinite(arg.double_value())) {
          out += SpecialDouble(arg.double_value());
        } else if (!IntegerInBase(arg, 10, false, &out)) {
          return ctx.Error(FormatError(absl::StrCat(
              "decimal clause can only be used on integers, was given ", arg.TypeName())));
        }
        break;
      case 'f':
      case 'e': {
        if (!arg.IsDouble()) {
          return ctx.Error(FormatError(absl::StrCat(
              verb == 'f' ? "fixed-point clause" : "scientific clause",
              " can only be used on doubles, was given ", arg.TypeName())));
        }
        double d = arg.double_value();
        if (!std::isfinite(d)) {
          out += SpecialDouble(d);
          break;
        }
        const char fmt[] = {'%', '.', '*', verb, '\0'};
        const int prec = precision < 0 ? 6 : precision;
        const int n = std::snprintf(nullptr, 0, fmt, prec, d);
        if (n < 0) return ctx.Error(FormatError("cannot format double"));
        std::string buf(static_cast<size_t>(n) + 1, '\0');
        std::snprintf(buf.data(), buf.size(), fmt, prec, d);
        buf.resize(static_cast<size_t>(n));
        out += buf;
        break;
      }
      case 'x':
      case 'X': {
        const bool upper = verb == 'X';
        if (arg.IsString() || arg.IsBytes()) {
          absl::string_view s = arg.IsString() ? arg.string_value() : arg.bytes_value();
          for (unsigned char ch : s) {
            const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
            out.push_back(digits[ch >> 4]);
            out.push_back(digits[ch & 0xF]);
          }
        } else if (!IntegerInBase(arg, 16, upper, &out)) {
          return ctx.Error(FormatError(absl::StrCat(
              "only integers, byte buffers, and strings can be formatted as hex, was given ",
              arg.TypeName())));
        }
        break;
      }
      case 'o':
        if (!IntegerInBase(arg, 8, false, &out)) {
          return ctx.Error(FormatError(absl::StrCat(
              "octal clause can only be used on integers, was given ", arg.TypeName())));
        }
        break;
      case 'b':
        if (arg.IsBool()) {
          out += arg.bool_value() ? "1" : "0";
        } else if (!IntegerInBase(arg, 2, false, &out)) {
          return ctx.Error(FormatError(absl::StrCat(
              "only integers and bools can be formatted as binary, was given ", arg.TypeName())));
        }
        break;
    }
  }
  return ctx.String(out);
}

struct Row {
  const char* function;
  const char* id;
  bool receiver;
  std::vector<K> kinds;
  FunctionImpl impl;
};

}  // namespace

absl::Status RegisterStringsExtension(FunctionRegistry* registry) {
  const K S = K::kString, I = K::kInt, L = K::kList;
  std::vector<Row> rows = {
      {"charAt", "string_char_at_int", true, {S, I}, CharAt},
      {"indexOf", "string_index_of_string", true, {S, S}, IndexOf},
      {"indexOf", "string_index_of_string_int", true, {S, S, I}, IndexOfFrom},
      {"lastIndexOf", "string_last_index_of_string", true, {S, S}, LastIndexOf},
      {"lastIndexOf", "string_last_index_of_string_int", true, {S, S, I}, LastIndexOfFrom},
      {"lowerAscii", "string_lower_ascii", true, {S}, LowerAscii},
      {"upperAscii", "string_upper_ascii", true, {S}, UpperAscii},
      {"replace", "string_replace_string_string", true, {S, S, S}, Replace},
      {"replace", "string_replace_string_string_int", true, {S, S, S, I}, ReplaceN},
      {"split", "string_split_string", true, {S, S}, Split},
      {"split", "string_split_string_int", true, {S, S, I}, SplitN},
      {"substring", "string_substring_int", true, {S, I}, Substring},
      {"substring", "string_substring_int_int", true, {S, I, I}, SubstringRange},
      {"trim", "string_trim", true, {S}, Trim},
      {"join", "list_join", true, {L}, Join},
      {"join", "list_join_string", true, {L, S}, JoinSep},
      {"format", "string_format", true, {S, L}, Format},
      {"strings.quote", "strings_quote", false, {S}, Quote},
      {"reverse", "string_reverse", true, {S}, Reverse},
  };
  for (Row& r : rows) {
    Overload o;
    o.function = r.function;
    o.id = r.id;
    o.receiver_style = r.receiver;
    o.arg_kinds = std::move(r.kinds);
    o.impl = r.impl;
    PITBOSS_RETURN_IF_ERROR(registry->Register(std::move(o)));
  }
  return absl::OkStatus();
}

}  // namespace cel
}  // namespace pitboss
