// Decoding of CEL literal tokens into values: string and bytes literals (all
// quote styles, raw prefix, every escape of the definition) and integer,
// unsigned and double literals with range checks.
#ifndef PITBOSS_SRC_CEL_PARSER_LITERALS_H_
#define PITBOSS_SRC_CEL_PARSER_LITERALS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace pitboss {
namespace cel {
namespace parser_internal {

// Where and why decoding failed; `offset` is a byte offset into the token.
struct LiteralError {
  size_t offset = 0;
  std::string message;
};

// Decodes a complete string or bytes token (prefix and quotes included, as
// produced by the lexer). Strings: escapes denote code points (\x, octal up to
// \377, \u, \U; surrogates and values above U+10FFFF are rejected) and the
// result is UTF-8. Bytes: \x and octal escapes denote single octets, \u and
// \U are rejected, other characters contribute their UTF-8 bytes. Raw
// literals keep backslashes verbatim. Returns false and fills `error` on a bad
// escape.
bool DecodeQuotedLiteral(absl::string_view token, bool is_bytes, std::string* out,
                         LiteralError* error);

// `text` is an int token (decimal or 0x hex). `negative` folds a leading
// minus sign, so that -9223372036854775808 is representable.
bool ParseIntLiteral(absl::string_view text, bool negative, int64_t* out);
// `text` is a uint token including its u/U suffix.
bool ParseUintLiteral(absl::string_view text, uint64_t* out);
// `text` is a double token; fails on overflow to infinity.
bool ParseDoubleLiteral(absl::string_view text, bool negative, double* out);

// Appends the UTF-8 encoding of `code_point` (must be a valid scalar value).
void AppendUtf8(uint32_t code_point, std::string* out);

// Validates UTF-8 (no overlongs, no surrogates, max U+10FFFF). On success
// returns true and sets `code_points`; on failure sets `bad_offset` to the
// byte offset of the first invalid sequence.
bool ValidateUtf8(absl::string_view text, size_t* code_points, size_t* bad_offset);

}  // namespace parser_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_PARSER_LITERALS_H_
