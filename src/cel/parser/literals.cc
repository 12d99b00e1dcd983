// Implementation of CEL literal decoding (see literals.h).
#include "src/cel/parser/literals.h"

#include <cmath>
#include <limits>
#include <system_error>

#include "absl/strings/charconv.h"

namespace pitboss {
namespace cel {
namespace parser_internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads `n` hex digits at body[*i]; advances *i.
bool ReadHex(absl::string_view body, size_t* i, int n, uint32_t* value) {
  uint32_t v = 0;
  for (int k = 0; k < n; ++k) {
    if (*i >= body.size()) return false;
    int h = HexValue(body[*i]);
    if (h < 0) return false;
    v = v * 16 + static_cast<uint32_t>(h);
    ++*i;
  }
  *value = v;
  return true;
}

}  // namespace

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool ValidateUtf8(absl::string_view text, size_t* code_points, size_t* bad_offset) {
  size_t count = 0;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      ++count;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      *bad_offset = i;
      return false;
    }
    if (i + len > n) {
      *bad_offset = i;
      return false;
    }
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) {
        *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      *bad_offset = i;
      return false;
    }
    i += len;
    ++count;
  }
  *code_points = count;
  return true;
}

bool DecodeQuotedLiteral(absl::string_view token, bool is_bytes, std::string* out,
                         LiteralError* error) {
  out->clear();
  size_t p = 0;
  bool raw = false;
  if (is_bytes) ++p;  // b or B
  if (p < token.size() && (token[p] == 'r' || token[p] == 'R')) {
    raw = true;
    ++p;
  }
  if (p >= token.size()) {
    error->offset = 0;
    error->message = "malformed string literal";
    return false;
  }
  const char q = token[p];
  const bool triple = token.size() >= p + 6 && token[p + 1] == q && token[p + 2] == q;
  const size_t quote_len = triple ? 3 : 1;
  if (token.size() < p + 2 * quote_len) {
    error->offset = 0;
    error->message = "malformed string literal";
    return false;
  }
  const size_t body_begin = p + quote_len;
  absl::string_view body = token.substr(body_begin, token.size() - body_begin - quote_len);
  if (raw) {
    out->assign(body.data(), body.size());
    return true;
  }
  out->reserve(body.size());
  size_t i = 0;
  while (i < body.size()) {
    const char c = body[i];
    if (c != '\\') {
      out->push_back(c);
      ++i;
      continue;
    }
    const size_t esc_at = i;
    auto fail = [&](const char* message) {
      error->offset = body_begin + esc_at;
      error->message = message;
      return false;
    };
    if (i + 1 >= body.size()) return fail("invalid escape sequence: trailing backslash");
    const char e = body[i + 1];
    i += 2;
    switch (e) {
      case 'a':
        out->push_back('\a');
        continue;
      case 'b':
        out->push_back('\b');
        continue;
      case 'f':
        out->push_back('\f');
        continue;
      case 'n':
        out->push_back('\n');
        continue;
      case 'r':
        out->push_back('\r');
        continue;
      case 't':
        out->push_back('\t');
        continue;
      case 'v':
        out->push_back('\v');
        continue;
      case '\\':
      case '\'':
      case '"':
      case '`':
      case '?':
        out->push_back(e);
        continue;
      case 'x':
      case 'X': {
        uint32_t v;
        if (!ReadHex(body, &i, 2, &v)) {
          return fail("invalid escape sequence: \\x needs two hex digits");
        }
        if (is_bytes) {
          out->push_back(static_cast<char>(v));
        } else {
          AppendUtf8(v, out);
        }
        continue;
      }
      case 'u':
      case 'U': {
        if (is_bytes) return fail("invalid escape sequence: \\u and \\U are not allowed in bytes");
        uint32_t v;
        if (!ReadHex(body, &i, e == 'u' ? 4 : 8, &v)) {
          return fail(e == 'u' ? "invalid escape sequence: \\u needs four hex digits"
                               : "invalid escape sequence: \\U needs eight hex digits");
        }
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
          return fail("invalid unicode code point");
        }
        AppendUtf8(v, out);
        continue;
      }
      case '0':
      case '1':
      case '2':
      case '3': {
        uint32_t v = static_cast<uint32_t>(e - '0');
        for (int k = 0; k < 2; ++k) {
          if (i >= body.size() || body[i] < '0' || body[i] > '7') {
            return fail("invalid escape sequence: octal escapes need three digits (\\000-\\377)");
          }
          v = v * 8 + static_cast<uint32_t>(body[i] - '0');
          ++i;
        }
        if (is_bytes) {
          out->push_back(static_cast<char>(v));
        } else {
          AppendUtf8(v, out);
        }
        continue;
      }
      default:
        return fail("invalid escape sequence");
    }
  }
  return true;
}

bool ParseIntLiteral(absl::string_view text, bool negative, int64_t* out) {
  uint64_t magnitude = 0;
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const uint64_t base = hex ? 16 : 10;
  const uint64_t limit = negative ? (uint64_t{1} << 63) : (uint64_t{1} << 63) - 1;
  for (size_t i = hex ? 2 : 0; i < text.size(); ++i) {
    const int d = HexValue(text[i]);
    if (d < 0 || static_cast<uint64_t>(d) >= base) return false;
    if (magnitude > (limit - static_cast<uint64_t>(d)) / base) return false;
    magnitude = magnitude * base + static_cast<uint64_t>(d);
  }
  if (text.empty() || (hex && text.size() == 2)) return false;
  if (negative) {
    // Two's complement negation of a magnitude <= 2^63 fits in int64_t.
    *out = magnitude == (uint64_t{1} << 63) ? std::numeric_limits<int64_t>::min()
                                            : -static_cast<int64_t>(magnitude);
  } else {
    *out = static_cast<int64_t>(magnitude);
  }
  return true;
}

bool ParseUintLiteral(absl::string_view text, uint64_t* out) {
  if (!text.empty() && (text.back() == 'u' || text.back() == 'U')) text.remove_suffix(1);
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const uint64_t base = hex ? 16 : 10;
  const uint64_t limit = std::numeric_limits<uint64_t>::max();
  uint64_t v = 0;
  if (text.empty() || (hex && text.size() == 2)) return false;
  for (size_t i = hex ? 2 : 0; i < text.size(); ++i) {
    const int d = HexValue(text[i]);
    if (d < 0 || static_cast<uint64_t>(d) >= base) return false;
    if (v > (limit - static_cast<uint64_t>(d)) / base) return false;
    v = v * base + static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

bool ParseDoubleLiteral(absl::string_view text, bool negative, double* out) {
  double v = 0;
  auto result = absl::from_chars(text.data(), text.data() + text.size(), v);
  if (result.ptr != text.data() + text.size()) return false;
  if (result.ec == std::errc::result_out_of_range) {
    // Overflow is an error; underflow rounds to zero like other CEL parsers.
    // Tell them apart by the exponent sign: only a positive exponent overflows.
    size_t e = text.find_first_of("eE");
    if (e == absl::string_view::npos || e + 1 >= text.size() || text[e + 1] != '-') {
      return false;
    }
    v = 0;
  } else if (result.ec != std::errc() || !std::isfinite(v)) {
    return false;
  }
  *out = negative ? -v : v;
  return true;
}

}  // namespace parser_internal
}  // namespace cel
}  // namespace pitboss
