// The CEL lexer: turns (valid UTF-8) source text into tokens following the
// lexis of cel-spec's langdef (and cel-go's grammar where langdef is vague):
// identifiers, keywords, numbers, quoted/raw/triple-quoted strings and bytes,
// backtick-quoted identifiers, punctuation, whitespace and `//` comments.
//
// The lexer only finds token boundaries; literal values are decoded by
// literals.h so that errors can point inside a literal. Malformed input yields
// kError tokens (with a message) and lexing continues after them.
#ifndef PITBOSS_SRC_CEL_PARSER_LEXER_H_
#define PITBOSS_SRC_CEL_PARSER_LEXER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace pitboss {
namespace cel {
namespace parser_internal {

enum class TokenKind {
  kEof,
  kError,        // unrecognised input; Token::error says why
  kIdent,        // [_a-zA-Z][_a-zA-Z0-9]* (reserved words included)
  kQuotedIdent,  // `...` (text includes the backticks)
  kInt,          // 123, 0x1F
  kUint,         // 123u, 0x1Fu
  kDouble,       // 1.5, .5, 1e9, 1.5e-3
  kString,       // text includes prefix and quotes
  kBytes,        // text includes prefix and quotes
  kTrue,
  kFalse,
  kNull,
  kIn,
  kDot,
  kComma,
  kColon,
  kQuestion,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kBang,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
};

// How a token reads in messages, e.g. "'('" or "identifier".
const char* TokenKindName(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kEof;
  uint32_t begin = 0;  // byte offsets into the source
  uint32_t end = 0;
  std::string error;  // kError only
};

// Splits `text` into tokens; the last token is always kEof. `text` must be
// valid UTF-8 (bytes >= 0x80 outside literals and comments become errors).
std::vector<Token> Tokenize(absl::string_view text);

}  // namespace parser_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_PARSER_LEXER_H_
