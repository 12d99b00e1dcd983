// UTF-8 helpers for CEL strings: sizes and indices of strings count code
// points, not bytes (size('héllo') == 5, 'ta©o'.indexOf('o') == 3).
#ifndef PITBOSS_SRC_CEL_COMMON_UTF8_H_
#define PITBOSS_SRC_CEL_COMMON_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace pitboss {
namespace cel {

// Whether `s` is well-formed UTF-8 (no surrogates, no overlongs, <= U+10FFFF).
bool IsValidUtf8(absl::string_view s);

// Number of code points (an invalid byte counts as one).
size_t Utf8CodePointCount(absl::string_view s);

// Decodes one code point at s[pos]; sets *len to its byte length (1 for an
// invalid byte, decoded as U+FFFD).
char32_t Utf8Decode(absl::string_view s, size_t pos, size_t* len);

// Appends the UTF-8 encoding of `cp`.
void Utf8Append(char32_t cp, std::string* out);

// Byte offsets of each code point start, plus s.size() at the end (so
// offsets.size() == code points + 1).
std::vector<size_t> Utf8Offsets(absl::string_view s);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_COMMON_UTF8_H_
