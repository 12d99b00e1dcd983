// UTF-8 decoding and counting (see utf8.h).
#include "src/cel/common/utf8.h"

namespace pitboss {
namespace cel {

char32_t Utf8Decode(absl::string_view s, size_t pos, size_t* len) {
  const unsigned char c0 = static_cast<unsigned char>(s[pos]);
  *len = 1;
  if (c0 < 0x80) return c0;
  size_t n;
  char32_t cp;
  char32_t min;
  if ((c0 & 0xE0) == 0xC0) {
    n = 2; cp = c0 & 0x1F; min = 0x80;
  } else if ((c0 & 0xF0) == 0xE0) {
    n = 3; cp = c0 & 0x0F; min = 0x800;
  } else if ((c0 & 0xF8) == 0xF0) {
    n = 4; cp = c0 & 0x07; min = 0x10000;
  } else {
    return 0xFFFD;
  }
  if (pos + n > s.size()) return 0xFFFD;
  for (size_t i = 1; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[pos + i]);
    if ((c & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
  *len = n;
  return cp;
}

bool IsValidUtf8(absl::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      ++pos;
      continue;
    }
    size_t len;
    char32_t cp = Utf8Decode(s, pos, &len);
    if (cp == 0xFFFD && len == 1) return false;
    pos += len;
  }
  return true;
}

size_t Utf8CodePointCount(absl::string_view s) {
  size_t count = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      ++pos;
    } else {
      size_t len;
      Utf8Decode(s, pos, &len);
      pos += len;
    }
    ++count;
  }
  return count;
}

void Utf8Append(char32_t cp, std::string* out) {
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

std::vector<size_t> Utf8Offsets(absl::string_view s) {
  std::vector<size_t> offsets;
  offsets.reserve(s.size() + 1);
  size_t pos = 0;
  while (pos < s.size()) {
    offsets.push_back(pos);
    size_t len;
    Utf8Decode(s, pos, &len);
    pos += len;
  }
  offsets.push_back(s.size());
  return offsets;
}

}  // namespace cel
}  // namespace pitboss
