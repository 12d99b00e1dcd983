// Implementation of the CEL lexer (see lexer.h).
#include "src/cel/parser/lexer.h"

#include "absl/strings/str_cat.h"

namespace pitboss {
namespace cel {
namespace parser_internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
// Characters allowed inside `quoted identifiers` (cel-spec ESC_IDENTIFIER).
bool IsQuotedIdentChar(char c) {
  return IsIdentChar(c) || c == '.' || c == '-' || c == '/' || c == ' ';
}

class Lexer {
 public:
  explicit Lexer(absl::string_view text) : text_(text) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipWhitespaceAndComments();
      if (pos_ >= text_.size()) break;
      tokens.push_back(Next());
    }
    Token eof;
    eof.kind = TokenKind::kEof;
    eof.begin = eof.end = static_cast<uint32_t>(text_.size());
    tokens.push_back(std::move(eof));
    return tokens;
  }

 private:
  char At(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  void SkipWhitespaceAndComments() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        ++pos_;
      } else if (c == '/' && At(pos_ + 1) == '/') {
        // Only '\n' ends a comment (a lone '\r' does not, as in cel-go).
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  Token Make(TokenKind kind, size_t begin, size_t end) {
    Token t;
    t.kind = kind;
    t.begin = static_cast<uint32_t>(begin);
    t.end = static_cast<uint32_t>(end);
    pos_ = end;
    return t;
  }

  Token Error(size_t begin, size_t end, std::string message) {
    Token t = Make(TokenKind::kError, begin, end);
    t.error = std::move(message);
    return t;
  }

  Token Next() {
    const size_t start = pos_;
    const char c = text_[pos_];
    // String and bytes literals with their optional prefixes.
    if (c == '"' || c == '\'') return LexString(start, pos_, false, false);
    if (c == 'r' || c == 'R' || c == 'b' || c == 'B') {
      size_t p = pos_;
      bool bytes = false;
      bool raw = false;
      if (c == 'b' || c == 'B') {
        bytes = true;
        ++p;
        if (At(p) == 'r' || At(p) == 'R') {
          raw = true;
          ++p;
        }
      } else {
        raw = true;
        ++p;
      }
      if (At(p) == '"' || At(p) == '\'') return LexString(start, p, raw, bytes);
    }
    if (IsIdentStart(c)) {
      size_t p = pos_ + 1;
      while (p < text_.size() && IsIdentChar(text_[p])) ++p;
      absl::string_view word = text_.substr(start, p - start);
      TokenKind kind = TokenKind::kIdent;
      if (word == "true") {
        kind = TokenKind::kTrue;
      } else if (word == "false") {
        kind = TokenKind::kFalse;
      } else if (word == "null") {
        kind = TokenKind::kNull;
      } else if (word == "in") {
        kind = TokenKind::kIn;
      }
      return Make(kind, start, p);
    }
    if (IsDigit(c) || (c == '.' && IsDigit(At(pos_ + 1)))) return LexNumber(start);
    if (c == '`') {
      size_t p = pos_ + 1;
      while (p < text_.size() && IsQuotedIdentChar(text_[p])) ++p;
      if (At(p) == '`' && p > pos_ + 1) return Make(TokenKind::kQuotedIdent, start, p + 1);
      return Error(start, p < text_.size() ? p + 1 : p,
                   "invalid quoted identifier (allowed: letters, digits, '_', '.', "
                   "'-', '/', ' ')");
    }
    switch (c) {
      case '.':
        return Make(TokenKind::kDot, start, start + 1);
      case ',':
        return Make(TokenKind::kComma, start, start + 1);
      case ':':
        return Make(TokenKind::kColon, start, start + 1);
      case '?':
        return Make(TokenKind::kQuestion, start, start + 1);
      case '(':
        return Make(TokenKind::kLParen, start, start + 1);
      case ')':
        return Make(TokenKind::kRParen, start, start + 1);
      case '[':
        return Make(TokenKind::kLBracket, start, start + 1);
      case ']':
        return Make(TokenKind::kRBracket, start, start + 1);
      case '{':
        return Make(TokenKind::kLBrace, start, start + 1);
      case '}':
        return Make(TokenKind::kRBrace, start, start + 1);
      case '+':
        return Make(TokenKind::kPlus, start, start + 1);
      case '-':
        return Make(TokenKind::kMinus, start, start + 1);
      case '*':
        return Make(TokenKind::kStar, start, start + 1);
      case '/':
        return Make(TokenKind::kSlash, start, start + 1);
      case '%':
        return Make(TokenKind::kPercent, start, start + 1);
      case '!':
        if (At(pos_ + 1) == '=') return Make(TokenKind::kNe, start, start + 2);
        return Make(TokenKind::kBang, start, start + 1);
      case '=':
        if (At(pos_ + 1) == '=') return Make(TokenKind::kEq, start, start + 2);
        break;
      case '<':
        if (At(pos_ + 1) == '=') return Make(TokenKind::kLe, start, start + 2);
        return Make(TokenKind::kLt, start, start + 1);
      case '>':
        if (At(pos_ + 1) == '=') return Make(TokenKind::kGe, start, start + 2);
        return Make(TokenKind::kGt, start, start + 1);
      case '&':
        if (At(pos_ + 1) == '&') return Make(TokenKind::kAnd, start, start + 2);
        break;
      case '|':
        if (At(pos_ + 1) == '|') return Make(TokenKind::kOr, start, start + 2);
        break;
      default:
        break;
    }
    // Unrecognised: swallow one whole UTF-8 sequence so the error shows it.
    size_t end = start + 1;
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) {
      ++end;
    }
    return Error(start, end,
                 absl::StrCat("Syntax error: unexpected character '",
                              text_.substr(start, end - start), "'"));
  }

  Token LexNumber(size_t start) {
    size_t p = start;
    if (text_[p] == '0' && At(p + 1) == 'x' && IsHexDigit(At(p + 2))) {  // lowercase only
      p += 2;
      while (p < text_.size() && IsHexDigit(text_[p])) ++p;
      if (At(p) == 'u' || At(p) == 'U') return Make(TokenKind::kUint, start, p + 1);
      return Make(TokenKind::kInt, start, p);
    }
    bool is_double = false;
    while (p < text_.size() && IsDigit(text_[p])) ++p;
    if (At(p) == '.' && IsDigit(At(p + 1))) {
      is_double = true;
      p += 1;
      while (p < text_.size() && IsDigit(text_[p])) ++p;
    }
    if (At(p) == 'e' || At(p) == 'E') {
      size_t q = p + 1;
      if (At(q) == '+' || At(q) == '-') ++q;
      if (IsDigit(At(q))) {
        is_double = true;
        while (q < text_.size() && IsDigit(text_[q])) ++q;
        p = q;
      }
    }
    if (is_double) return Make(TokenKind::kDouble, start, p);
    if (At(p) == 'u' || At(p) == 'U') return Make(TokenKind::kUint, start, p + 1);
    return Make(TokenKind::kInt, start, p);
  }

  // `quote` is the offset of the opening quote (after any prefix).
  Token LexString(size_t start, size_t quote, bool raw, bool bytes) {
    const char q = text_[quote];
    const TokenKind kind = bytes ? TokenKind::kBytes : TokenKind::kString;
    const bool triple = At(quote + 1) == q && At(quote + 2) == q;
    size_t p = quote + (triple ? 3 : 1);
    while (p < text_.size()) {
      char c = text_[p];
      if (c == '\\' && !raw) {
        // Skip the escaped character; escapes are validated when decoding.
        p += 2;
        continue;
      }
      if (triple) {
        if (c == q && At(p + 1) == q && At(p + 2) == q) return Make(kind, start, p + 3);
      } else {
        if (c == q) return Make(kind, start, p + 1);
        if (c == '\n' || c == '\r') {
          return Error(start, p, "Syntax error: unterminated string literal (newline)");
        }
      }
      ++p;
    }
    return Error(start, text_.size(), "Syntax error: unterminated string literal");
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

const char* TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEof:
      return "end of input";
    case TokenKind::kError:
      return "invalid token";
    case TokenKind::kIdent:
      return "identifier";
    case TokenKind::kQuotedIdent:
      return "quoted identifier";
    case TokenKind::kInt:
      return "int literal";
    case TokenKind::kUint:
      return "uint literal";
    case TokenKind::kDouble:
      return "double literal";
    case TokenKind::kString:
      return "string literal";
    case TokenKind::kBytes:
      return "bytes literal";
    case TokenKind::kTrue:
      return "'true'";
    case TokenKind::kFalse:
      return "'false'";
    case TokenKind::kNull:
      return "'null'";
    case TokenKind::kIn:
      return "'in'";
    case TokenKind::kDot:
      return "'.'";
    case TokenKind::kComma:
      return "','";
    case TokenKind::kColon:
      return "':'";
    case TokenKind::kQuestion:
      return "'?'";
    case TokenKind::kLParen:
      return "'('";
    case TokenKind::kRParen:
      return "')'";
    case TokenKind::kLBracket:
      return "'['";
    case TokenKind::kRBracket:
      return "']'";
    case TokenKind::kLBrace:
      return "'{'";
    case TokenKind::kRBrace:
      return "'}'";
    case TokenKind::kPlus:
      return "'+'";
    case TokenKind::kMinus:
      return "'-'";
    case TokenKind::kStar:
      return "'*'";
    case TokenKind::kSlash:
      return "'/'";
    case TokenKind::kPercent:
      return "'%'";
    case TokenKind::kBang:
      return "'!'";
    case TokenKind::kEq:
      return "'=='";
    case TokenKind::kNe:
      return "'!='";
    case TokenKind::kLt:
      return "'<'";
    case TokenKind::kLe:
      return "'<='";
    case TokenKind::kGt:
      return "'>'";
    case TokenKind::kGe:
      return "'>='";
    case TokenKind::kAnd:
      return "'&&'";
    case TokenKind::kOr:
      return "'||'";
  }
  return "token";
}

std::vector<Token> Tokenize(absl::string_view text) { return Lexer(text).Run(); }

}  // namespace parser_internal
}  // namespace cel
}  // namespace pitboss
