// Implementation of the CEL recursive-descent parser (see parser.h).
//
// Grammar (cel-spec langdef, with cel-go's optional syntax and quoted fields):
//   Expr    = Or ["?" Or ":" Expr]
//   Or      = And {"||" And}              (built as a balanced tree)
//   And     = Rel {"&&" Rel}              (built as a balanced tree)
//   Rel     = Add {("<"|"<="|">="|">"|"=="|"!="|"in") Add}
//   Add     = Mul {("+"|"-") Mul}
//   Mul     = Unary {("*"|"/"|"%") Unary}
//   Unary   = Member | "!" {"!"} Member | "-" {"-"} Member
//   Member  = Primary {"." ["?"] Field | "." IDENT "(" [Args] ")" | "[" ["?"] Expr "]"}
//   Primary = ["."] IDENT ["(" [Args] ")"] | ["."] IDENT {"." IDENT} "{" [Fields] "}"
//           | "(" Expr ")" | "[" [Elems] [","] "]" | "{" [Entries] [","] "}"
//           | ["-"] INT | UINT | ["-"] DOUBLE | STRING | BYTES | true | false | null
// Like cel-go, a run of an even number of '!' or '-' cancels out, and a single
// '-' directly before a number literal is part of the literal.
#include "src/cel/parser/parser.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/cel/parser/lexer.h"
#include "src/cel/parser/literals.h"
#include "src/cel/parser/macros.h"

namespace pitboss {
namespace cel {
namespace {

using parser_internal::Token;
using parser_internal::TokenKind;

// Inputs beyond this many bytes are refused before any scanning work.
constexpr size_t kMaxSourceBytes = size_t{1} << 28;

bool IsReservedWord(absl::string_view name) {
  static const auto* const kReserved = new absl::flat_hash_set<absl::string_view>{
      "as",  "break",   "const",   "continue",  "else",   "for", "function",
      "if",  "import",  "let",     "loop",      "package", "namespace",
      "return", "var",  "void",    "while"};
  return kReserved->contains(name);
}

struct RawError {
  int32_t offset;  // code points, -1 for no position
  std::string message;
};

class Parser final : public parser_internal::MacroContext {
 public:
  Parser(absl::string_view text, const std::vector<int32_t>& cp_at_byte,
         const ParserOptions& options, SourceInfo& info, std::vector<RawError>& errors)
      : text_(text), cp_at_byte_(cp_at_byte), options_(options), info_(info),
        errors_(errors) {
    macro_options_.standard = options.enable_macros;
    macro_options_.two_var = options.enable_two_var_comprehensions;
    macro_options_.bind = options.enable_bind_macro;
    macro_options_.optional = options.enable_optional_syntax;
    eof_.kind = TokenKind::kEof;
    eof_.begin = eof_.end = static_cast<uint32_t>(text.size());
  }

  // Parses the whole input; returns the tree (meaningful only without errors).
  Expr Run() {
    tokens_ = parser_internal::Tokenize(text_);
    for (const Token& t : tokens_) {
      if (t.kind == TokenKind::kError) ReportAt(t.begin, t.error);
    }
    ExprPtr result = ParseExpr();
    // Trailing input: report it, then keep parsing the rest for more errors.
    while (Peek().kind != TokenKind::kEof) {
      ReportAt(Peek().begin, absl::StrCat("Syntax error: unexpected ", Describe(Peek()),
                                          ", expected end of input"));
      Advance();
      if (Peek().kind != TokenKind::kEof) ParseExpr();
    }
    if (result == nullptr) return Expr();
    return std::move(*result);
  }

  int64_t next_id() const { return next_id_; }

  // MacroContext:
  int64_t NextId(int32_t offset) override {
    const int64_t id = next_id_++;
    info_.positions[id] = offset;
    return id;
  }
  void ReportError(int32_t offset, std::string message) override {
    Report(offset, std::move(message));
  }
  int32_t OffsetOf(int64_t id) const override { return info_.OffsetOf(id); }

 private:
  // ---- tokens and errors ----
  const Token& Peek(size_t k = 0) const {
    if (halted_) return eof_;
    const size_t i = std::min(pos_ + k, tokens_.size() - 1);
    return tokens_[i];
  }
  const Token& Advance() {
    const Token& t = Peek();
    if (!halted_ && pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }
  bool At(TokenKind kind) const { return Peek().kind == kind; }
  int32_t Cp(uint32_t byte_offset) const { return cp_at_byte_[byte_offset]; }
  absl::string_view Text(const Token& t) const {
    return text_.substr(t.begin, t.end - t.begin);
  }
  std::string Describe(const Token& t) const {
    switch (t.kind) {
      case TokenKind::kEof:
        return "end of input";
      case TokenKind::kIdent:
      case TokenKind::kQuotedIdent:
      case TokenKind::kInt:
      case TokenKind::kUint:
      case TokenKind::kDouble:
        return absl::StrCat("'", Text(t), "'");
      default:
        return parser_internal::TokenKindName(t.kind);
    }
  }

  void Report(int32_t offset, std::string message) {
    if (halted_) return;
    errors_.push_back({offset, std::move(message)});
    if (static_cast<int>(errors_.size()) >= std::max(1, options_.max_error_recoveries)) {
      errors_.push_back({-1, absl::StrCat("error recovery limit exceeded: ",
                                          options_.max_error_recoveries)});
      halted_ = true;
    }
  }
  void ReportAt(uint32_t byte_offset, std::string message) {
    Report(Cp(byte_offset), std::move(message));
  }
  // Reports that `what` was expected at the current token (unless that token
  // is already a reported lexer error).
  void ReportExpected(absl::string_view what) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kError) return;
    ReportAt(t.begin,
             absl::StrCat("Syntax error: expected ", what, ", got ", Describe(t)));
  }
  bool Expect(TokenKind kind) {
    if (At(kind)) {
      Advance();
      return true;
    }
    ReportExpected(parser_internal::TokenKindName(kind));
    return false;
  }
  // Skips to (and consumes) `closer` at bracket depth zero, or stops before a
  // closer of an enclosing construct / end of input.
  void SkipPast(TokenKind closer) {
    int depth = 0;
    while (!At(TokenKind::kEof)) {
      const TokenKind k = Peek().kind;
      if (depth == 0 && k == closer) {
        Advance();
        return;
      }
      if (k == TokenKind::kLParen || k == TokenKind::kLBracket || k == TokenKind::kLBrace) {
        ++depth;
      } else if (k == TokenKind::kRParen || k == TokenKind::kRBracket ||
                 k == TokenKind::kRBrace) {
        if (depth == 0) return;  // belongs to an enclosing construct
        --depth;
      }
      Advance();
    }
  }

  // ---- depth limit ----
  // Enters one nesting level; false (with an error, and parsing halted) when
  // the limit is exceeded.
  bool Enter(uint32_t byte_offset) {
    ++depth_;
    if (depth_ > options_.max_recursion_depth) {
      if (!halted_) {
        ReportAt(byte_offset, absl::StrCat("expression nesting exceeds the maximum depth of ",
                                           options_.max_recursion_depth));
        halted_ = true;
      }
      return false;
    }
    return true;
  }
  class DepthScope {
   public:
    explicit DepthScope(Parser* p) : p_(p), saved_(p->depth_) {}
    ~DepthScope() { p_->depth_ = saved_; }

   private:
    Parser* p_;
    int saved_;
  };

  // ---- node construction ----
  int64_t IdAt(const Token& t) { return NextId(Cp(t.begin)); }
  ExprPtr Node(int64_t id, Expr::Node node) {
    return std::make_unique<Expr>(id, std::move(node));
  }
  ExprPtr ErrorNode(uint32_t byte_offset) {
    return Node(NextId(Cp(byte_offset)), std::monostate());
  }
  ExprPtr Binary(int64_t id, const char* function, ExprPtr lhs, ExprPtr rhs) {
    CallExpr call;
    call.function = function;
    call.args.push_back(std::move(lhs));
    call.args.push_back(std::move(rhs));
    return Node(id, std::move(call));
  }
  ExprPtr Unary(int64_t id, const char* function, ExprPtr arg) {
    CallExpr call;
    call.function = function;
    call.args.push_back(std::move(arg));
    return Node(id, std::move(call));
  }
  // Builds a call, expanding macros.
  ExprPtr MakeCall(int64_t id, std::string function, ExprPtr target,
                   std::vector<ExprPtr> args) {
    if (parser_internal::IsMacro(macro_options_, function, args.size(), target.get())) {
      Expr record;
      if (options_.populate_macro_calls) record = MacroRecord(id, function, target, args);
      const int32_t offset = info_.OffsetOf(id);
      Expr expanded = parser_internal::ExpandMacro(*this, macro_options_, id, offset, function,
                                                   std::move(target), std::move(args));
      if (options_.populate_macro_calls && expanded.kind() != ExprKind::kUnspecified) {
        info_.macro_calls[id] = std::move(record);
      }
      return std::make_unique<Expr>(std::move(expanded));
    }
    CallExpr call;
    call.function = std::move(function);
    call.target = std::move(target);
    call.args = std::move(args);
    return Node(id, std::move(call));
  }
  // The call as written: leaves are copied, larger arguments become id-only
  // placeholders (their subtrees live on inside the expansion).
  static ExprPtr RecordArg(const ExprPtr& e) {
    if (e == nullptr) return nullptr;
    if (e->kind() == ExprKind::kIdent || e->kind() == ExprKind::kConstant) {
      return std::make_unique<Expr>(CloneExpr(*e));
    }
    return std::make_unique<Expr>(e->id, std::monostate());
  }
  static Expr MacroRecord(int64_t id, const std::string& function, const ExprPtr& target,
                          const std::vector<ExprPtr>& args) {
    CallExpr call;
    call.function = function;
    call.target = RecordArg(target);
    for (const ExprPtr& a : args) call.args.push_back(RecordArg(a));
    return Expr(id, std::move(call));
  }

  // ---- grammar ----
  ExprPtr ParseExpr() {
    DepthScope scope(this);
    if (!Enter(Peek().begin)) return ErrorNode(Peek().begin);
    ExprPtr cond = ParseOr();
    if (!At(TokenKind::kQuestion)) return cond;
    const int64_t id = IdAt(Advance());
    ExprPtr then_expr = ParseOr();
    if (!Expect(TokenKind::kColon)) return ErrorNode(Peek().begin);
    ExprPtr else_expr = ParseExpr();
    CallExpr call;
    call.function = op::kConditional;
    call.args.push_back(std::move(cond));
    call.args.push_back(std::move(then_expr));
    call.args.push_back(std::move(else_expr));
    return Node(id, std::move(call));
  }

  ExprPtr Balance(const char* function, std::vector<ExprPtr>& terms,
                  const std::vector<int64_t>& ids, size_t lo, size_t hi) {
    if (lo == hi) return std::move(terms[lo]);
    const size_t mid = (lo + hi) / 2;
    ExprPtr left = Balance(function, terms, ids, lo, mid);
    ExprPtr right = Balance(function, terms, ids, mid + 1, hi);
    return Binary(ids[mid], function, std::move(left), std::move(right));
  }

  ExprPtr ParseOr() {
    std::vector<ExprPtr> terms;
    std::vector<int64_t> ids;
    terms.push_back(ParseAnd());
    while (At(TokenKind::kOr)) {
      ids.push_back(IdAt(Advance()));
      terms.push_back(ParseAnd());
    }
    return Balance(op::kLogicalOr, terms, ids, 0, terms.size() - 1);
  }

  ExprPtr ParseAnd() {
    std::vector<ExprPtr> terms;
    std::vector<int64_t> ids;
    terms.push_back(ParseRelation());
    while (At(TokenKind::kAnd)) {
      ids.push_back(IdAt(Advance()));
      terms.push_back(ParseRelation());
    }
    return Balance(op::kLogicalAnd, terms, ids, 0, terms.size() - 1);
  }

  static const char* RelationFunction(TokenKind k) {
    switch (k) {
      case TokenKind::kLt:
        return op::kLess;
      case TokenKind::kLe:
        return op::kLessEquals;
      case TokenKind::kGt:
        return op::kGreater;
      case TokenKind::kGe:
        return op::kGreaterEquals;
      case TokenKind::kEq:
        return op::kEquals;
      case TokenKind::kNe:
        return op::kNotEquals;
      case TokenKind::kIn:
        return op::kIn;
      default:
        return nullptr;
    }
  }
  static const char* AdditiveFunction(TokenKind k) {
    if (k == TokenKind::kPlus) return op::kAdd;
    if (k == TokenKind::kMinus) return op::kSubtract;
    return nullptr;
  }
  static const char* MultiplicativeFunction(TokenKind k) {
    if (k == TokenKind::kStar) return op::kMultiply;
    if (k == TokenKind::kSlash) return op::kDivide;
    if (k == TokenKind::kPercent) return op::kModulo;
    return nullptr;
  }

  // A left-associative chain; each operator counts as one nesting level.
  template <typename Next>
  ExprPtr ParseChain(const char* (*function_of)(TokenKind), Next next) {
    DepthScope scope(this);
    ExprPtr lhs = (this->*next)();
    while (const char* function = function_of(Peek().kind)) {
      if (!Enter(Peek().begin)) return ErrorNode(Peek().begin);
      const int64_t id = IdAt(Advance());
      ExprPtr rhs = (this->*next)();
      lhs = Binary(id, function, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }
  ExprPtr ParseRelation() { return ParseChain(&RelationFunction, &Parser::ParseAdditive); }
  ExprPtr ParseAdditive() {
    return ParseChain(&AdditiveFunction, &Parser::ParseMultiplicative);
  }
  ExprPtr ParseMultiplicative() {
    return ParseChain(&MultiplicativeFunction, &Parser::ParseUnary);
  }

  ExprPtr ParseUnary() {
    const TokenKind k = Peek().kind;
    if (k == TokenKind::kBang || k == TokenKind::kMinus) {
      const bool number_follows = Peek(1).kind == TokenKind::kInt ||
                                  Peek(1).kind == TokenKind::kDouble;
      if (k == TokenKind::kMinus && number_follows) {
        return ParseMember();  // a negative literal
      }
      const uint32_t first_at = Peek().begin;
      size_t count = 0;
      while (At(k)) {
        Advance();
        ++count;
      }
      ExprPtr operand = ParseMember();
      if (count % 2 == 0) return operand;
      return Unary(NextId(Cp(first_at)), k == TokenKind::kBang ? op::kLogicalNot : op::kNegate,
                   std::move(operand));
    }
    return ParseMember();
  }

  // Reads a field name after '.' or in a message literal; false on error.
  bool ParseFieldName(std::string* name) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kIdent) {
      *name = std::string(Text(t));
      Advance();
      return true;
    }
    if (t.kind == TokenKind::kQuotedIdent) {
      if (!options_.enable_quoted_identifiers) {
        ReportAt(t.begin, "unsupported syntax: '`'");
      }
      absl::string_view q = Text(t);
      *name = std::string(q.substr(1, q.size() - 2));
      Advance();
      return true;
    }
    ReportExpected("identifier");
    return false;
  }

  ExprPtr ParseMember() {
    DepthScope scope(this);
    ExprPtr e = ParsePrimary();
    while (true) {
      const Token& t = Peek();
      if (t.kind == TokenKind::kDot) {
        if (!Enter(t.begin)) return ErrorNode(t.begin);
        const Token& dot = Advance();
        const uint32_t dot_at = dot.begin;
        bool optional = false;
        if (At(TokenKind::kQuestion)) {
          if (!options_.enable_optional_syntax) ReportAt(dot_at, "unsupported syntax '.?'");
          optional = true;
          Advance();
        }
        if (!optional && At(TokenKind::kIdent) && Peek(1).kind == TokenKind::kLParen) {
          std::string function(Text(Peek()));
          Advance();
          const int64_t id = IdAt(Advance());  // the '('
          std::vector<ExprPtr> args = ParseArgs();
          e = MakeCall(id, std::move(function), std::move(e), std::move(args));
          continue;
        }
        const int64_t id = NextId(Cp(dot_at));
        std::string field;
        if (!ParseFieldName(&field)) return ErrorNode(Peek().begin);
        if (optional) {
          ExprPtr name = Node(NextId(Cp(dot_at)), Constant::String(std::move(field)));
          e = Binary(id, op::kOptSelect, std::move(e), std::move(name));
        } else {
          e = Node(id, SelectExpr{std::move(e), std::move(field), false});
        }
      } else if (t.kind == TokenKind::kLBracket) {
        if (!Enter(t.begin)) return ErrorNode(t.begin);
        const Token& open = Advance();
        const uint32_t open_at = open.begin;
        const int64_t id = NextId(Cp(open_at));
        bool optional = false;
        if (At(TokenKind::kQuestion)) {
          if (!options_.enable_optional_syntax) ReportAt(Peek().begin, "unsupported syntax '?'");
          optional = true;
          Advance();
        }
        ExprPtr index = ParseExpr();
        if (!Expect(TokenKind::kRBracket)) {
          SkipPast(TokenKind::kRBracket);
          return ErrorNode(open_at);
        }
        e = Binary(id, optional ? op::kOptIndex : op::kIndex, std::move(e), std::move(index));
      } else {
        return e;
      }
    }
  }

  // Arguments after '(' up to and including ')'.
  std::vector<ExprPtr> ParseArgs() {
    std::vector<ExprPtr> args;
    if (At(TokenKind::kRParen)) {
      Advance();
      return args;
    }
    while (true) {
      args.push_back(ParseExpr());
      if (At(TokenKind::kComma)) {
        Advance();
        continue;
      }
      if (At(TokenKind::kRParen)) {
        Advance();
        return args;
      }
      ReportExpected("',' or ')'");
      SkipPast(TokenKind::kRParen);
      return args;
    }
  }

  // True when the tokens from the current one read IDENT {"." IDENT} "{".
  bool LooksLikeMessage() const {
    size_t k = 0;
    if (Peek(k).kind != TokenKind::kIdent) return false;
    ++k;
    while (Peek(k).kind == TokenKind::kDot && Peek(k + 1).kind == TokenKind::kIdent) k += 2;
    return Peek(k).kind == TokenKind::kLBrace;
  }

  ExprPtr ParsePrimary() {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kDot:
      case TokenKind::kIdent:
        return ParseName();
      case TokenKind::kLParen: {
        Advance();
        ExprPtr e = ParseExpr();
        if (!Expect(TokenKind::kRParen)) {
          SkipPast(TokenKind::kRParen);
        }
        return e;
      }
      case TokenKind::kLBracket:
        return ParseList();
      case TokenKind::kLBrace:
        return ParseMap();
      case TokenKind::kMinus:
        if (Peek(1).kind == TokenKind::kInt || Peek(1).kind == TokenKind::kDouble) {
          const uint32_t minus_at = t.begin;
          Advance();
          return ParseNumber(minus_at, true);
        }
        break;
      case TokenKind::kInt:
      case TokenKind::kDouble:
        return ParseNumber(t.begin, false);
      case TokenKind::kUint: {
        const int64_t id = IdAt(t);
        uint64_t v = 0;
        if (!parser_internal::ParseUintLiteral(Text(t), &v)) {
          ReportAt(t.begin, "invalid uint literal");
        }
        Advance();
        return Node(id, Constant::Uint64(v));
      }
      case TokenKind::kString:
      case TokenKind::kBytes: {
        const bool is_bytes = t.kind == TokenKind::kBytes;
        const int64_t id = IdAt(t);
        std::string value;
        parser_internal::LiteralError error;
        if (!parser_internal::DecodeQuotedLiteral(Text(t), is_bytes, &value, &error)) {
          ReportAt(static_cast<uint32_t>(t.begin + error.offset), error.message);
        }
        Advance();
        return Node(id, is_bytes ? Constant::Bytes(std::move(value))
                                 : Constant::String(std::move(value)));
      }
      case TokenKind::kTrue:
      case TokenKind::kFalse: {
        const int64_t id = IdAt(t);
        const bool v = t.kind == TokenKind::kTrue;
        Advance();
        return Node(id, Constant::Bool(v));
      }
      case TokenKind::kNull: {
        const int64_t id = IdAt(t);
        Advance();
        return Node(id, Constant::Null());
      }
      case TokenKind::kError: {
        // Already reported by the lexer.
        const uint32_t at = t.begin;
        Advance();
        return ErrorNode(at);
      }
      default:
        break;
    }
    const uint32_t at = Peek().begin;
    ReportAt(at, absl::StrCat("Syntax error: unexpected ", Describe(Peek())));
    // Consume the offending token unless an enclosing construct needs it.
    switch (Peek().kind) {
      case TokenKind::kEof:
      case TokenKind::kRParen:
      case TokenKind::kRBracket:
      case TokenKind::kRBrace:
      case TokenKind::kComma:
      case TokenKind::kColon:
        break;
      default:
        Advance();
    }
    return ErrorNode(at);
  }

  // After an optional '-' (at `start`), the int or double token is current.
  ExprPtr ParseNumber(uint32_t start, bool negative) {
    const Token& t = Peek();
    const int64_t id = NextId(Cp(start));
    if (t.kind == TokenKind::kInt) {
      int64_t v = 0;
      if (!parser_internal::ParseIntLiteral(Text(t), negative, &v)) {
        ReportAt(start, "invalid int literal");
      }
      Advance();
      return Node(id, Constant::Int64(v));
    }
    double v = 0;
    if (!parser_internal::ParseDoubleLiteral(Text(t), negative, &v)) {
      ReportAt(start, "invalid double literal");
    }
    Advance();
    return Node(id, Constant::Double(v));
  }

  // ["."] IDENT, a global call, or a message literal.
  ExprPtr ParseName() {
    std::string prefix;
    const uint32_t start = Peek().begin;
    if (At(TokenKind::kDot)) {
      if (Peek(1).kind != TokenKind::kIdent) {
        Advance();
        ReportExpected("identifier");
        return ErrorNode(start);
      }
      Advance();
      prefix = ".";
    }
    if (LooksLikeMessage()) {
      std::string name = prefix;
      absl::StrAppend(&name, Text(Advance()));
      while (At(TokenKind::kDot)) {
        Advance();
        absl::StrAppend(&name, ".", Text(Advance()));
      }
      return ParseMessage(std::move(name));
    }
    const Token& ident = Advance();
    const uint32_t ident_at = ident.begin;
    std::string name(Text(ident));
    if (IsReservedWord(name)) {
      ReportAt(ident_at, absl::StrCat("reserved identifier: ", name));
      if (At(TokenKind::kLParen)) {
        Advance();
        ParseArgs();
      }
      return ErrorNode(ident_at);
    }
    if (At(TokenKind::kLParen)) {
      const int64_t id = IdAt(Advance());
      std::vector<ExprPtr> args = ParseArgs();
      return MakeCall(id, prefix + name, nullptr, std::move(args));
    }
    return Node(NextId(Cp(ident_at)), IdentExpr{prefix + name});
  }

  // The current token is '{' after the message name.
  ExprPtr ParseMessage(std::string name) {
    const uint32_t open_at = Peek().begin;
    const int64_t id = IdAt(Advance());
    StructExpr msg;
    msg.message_name = std::move(name);
    while (!At(TokenKind::kRBrace)) {
      bool optional = false;
      if (At(TokenKind::kQuestion)) {
        if (!options_.enable_optional_syntax) ReportAt(Peek().begin, "unsupported syntax '?'");
        optional = true;
        Advance();
      }
      const int32_t field_at = Cp(Peek().begin);
      std::string field;
      if (!ParseFieldName(&field) || !Expect(TokenKind::kColon)) {
        SkipPast(TokenKind::kRBrace);
        return ErrorNode(open_at);
      }
      StructExpr::Entry entry;
      entry.id = NextId(field_at);
      entry.field = std::move(field);
      entry.optional = optional;
      entry.value = ParseExpr();
      msg.entries.push_back(std::move(entry));
      if (At(TokenKind::kComma)) {
        Advance();
        continue;
      }
      if (!At(TokenKind::kRBrace)) {
        ReportExpected("',' or '}'");
        SkipPast(TokenKind::kRBrace);
        return ErrorNode(open_at);
      }
    }
    Advance();
    return Node(id, std::move(msg));
  }

  ExprPtr ParseList() {
    const uint32_t open_at = Peek().begin;
    const int64_t id = IdAt(Advance());
    ListExpr list;
    while (!At(TokenKind::kRBracket)) {
      if (At(TokenKind::kQuestion)) {
        if (!options_.enable_optional_syntax) ReportAt(Peek().begin, "unsupported syntax '?'");
        Advance();
        list.optional_indices.push_back(static_cast<int32_t>(list.elements.size()));
      }
      list.elements.push_back(ParseExpr());
      if (At(TokenKind::kComma)) {
        Advance();
        continue;
      }
      if (!At(TokenKind::kRBracket)) {
        ReportExpected("',' or ']'");
        SkipPast(TokenKind::kRBracket);
        return ErrorNode(open_at);
      }
    }
    Advance();
    return Node(id, std::move(list));
  }

  ExprPtr ParseMap() {
    const uint32_t open_at = Peek().begin;
    const int64_t id = IdAt(Advance());
    MapExpr map;
    while (!At(TokenKind::kRBrace)) {
      bool optional = false;
      if (At(TokenKind::kQuestion)) {
        if (!options_.enable_optional_syntax) ReportAt(Peek().begin, "unsupported syntax '?'");
        optional = true;
        Advance();
      }
      ExprPtr key = ParseExpr();
      if (!At(TokenKind::kColon)) {
        ReportExpected("':'");
        SkipPast(TokenKind::kRBrace);
        return ErrorNode(open_at);
      }
      MapExpr::Entry entry;
      entry.id = IdAt(Advance());
      entry.key = std::move(key);
      entry.optional = optional;
      entry.value = ParseExpr();
      map.entries.push_back(std::move(entry));
      if (At(TokenKind::kComma)) {
        Advance();
        continue;
      }
      if (!At(TokenKind::kRBrace)) {
        ReportExpected("',' or '}'");
        SkipPast(TokenKind::kRBrace);
        return ErrorNode(open_at);
      }
    }
    Advance();
    return Node(id, std::move(map));
  }

  absl::string_view text_;
  const std::vector<int32_t>& cp_at_byte_;
  const ParserOptions& options_;
  parser_internal::MacroOptions macro_options_;
  SourceInfo& info_;
  std::vector<RawError>& errors_;
  std::vector<Token> tokens_;
  Token eof_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool halted_ = false;
  int64_t next_id_ = 1;
};

// The text of line `line_index` (0-based) without its line break.
absl::string_view LineText(absl::string_view text, const std::vector<int32_t>& line_offsets,
                           size_t line_index) {
  // Walk code points to the start of the line, then to its end.
  const int32_t start_cp = line_index == 0 ? 0 : line_offsets[line_index - 1];
  size_t byte = 0;
  int32_t cp = 0;
  while (byte < text.size() && cp < start_cp) {
    const unsigned char c = static_cast<unsigned char>(text[byte]);
    byte += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++cp;
  }
  byte = std::min(byte, text.size());
  size_t end = text.find('\n', byte);
  if (end == absl::string_view::npos) end = text.size();
  absl::string_view line = text.substr(byte, end - byte);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

ParseIssue MakeIssue(const SourceInfo& info, int32_t offset, std::string message) {
  ParseIssue issue;
  issue.offset = offset;
  issue.message = std::move(message);
  if (offset < 0) {
    issue.line = 0;
    issue.column = 0;
    return issue;
  }
  auto [line, column] = info.LineColumn(offset);
  issue.line = line;
  issue.column = column;
  absl::string_view text = LineText(info.text, info.line_offsets, static_cast<size_t>(line - 1));
  if (!info.text.empty()) {
    issue.snippet = absl::StrCat(" | ", text, "\n | ", std::string(column - 1, '.'), "^");
  }
  return issue;
}

// Replaces invalid UTF-8 sequences by U+FFFD so snippets stay printable.
std::string Sanitize(absl::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t count = 0;
    size_t bad = 0;
    if (parser_internal::ValidateUtf8(text.substr(i), &count, &bad)) {
      out.append(text.data() + i, text.size() - i);
      break;
    }
    out.append(text.data() + i, bad);
    out.append("\xEF\xBF\xBD");
    i += bad + 1;
  }
  return out;
}

}  // namespace

std::string ParseIssue::ToString(absl::string_view description) const {
  if (offset < 0) return absl::StrCat("ERROR: ", description, ": ", message);
  std::string out = absl::StrCat("ERROR: ", description, ":", line, ":", column, ": ", message);
  if (!snippet.empty()) absl::StrAppend(&out, "\n", snippet);
  return out;
}

std::string ParseResult::FormatErrors() const {
  std::vector<std::string> parts;
  parts.reserve(errors.size());
  for (const ParseIssue& e : errors) parts.push_back(e.ToString(description));
  return absl::StrJoin(parts, "\n");
}

std::string FormatSourceError(const SourceInfo& info, int32_t offset,
                              absl::string_view message) {
  return MakeIssue(info, offset, std::string(message)).ToString(info.location);
}

ParseResult ParseWithDiagnostics(absl::string_view source, const ParserOptions& options) {
  ParseResult result;
  result.description = options.description;
  SourceInfo& info = result.parsed.source_info;
  info.location = options.description;
  std::vector<RawError> errors;

  size_t code_points = 0;
  size_t bad_offset = 0;
  if (source.size() > kMaxSourceBytes) {
    errors.push_back({-1, absl::StrCat("expression size exceeds limit: ", source.size(),
                                       " bytes")});
  } else if (!parser_internal::ValidateUtf8(source, &code_points, &bad_offset)) {
    info.text = Sanitize(source);
    size_t prefix_cps = 0;
    size_t unused = 0;
    parser_internal::ValidateUtf8(source.substr(0, bad_offset), &prefix_cps, &unused);
    errors.push_back({static_cast<int32_t>(prefix_cps), "invalid UTF-8 in expression"});
  } else if (code_points > static_cast<size_t>(std::max(0, options.max_expression_size))) {
    errors.push_back({-1, absl::StrCat("expression code point size exceeds limit: size: ",
                                       code_points, ", limit ", options.max_expression_size)});
  } else {
    info.text = std::string(source);
  }

  // Line starts (code points after each '\n').
  {
    int32_t cp = 0;
    for (size_t i = 0; i < info.text.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(info.text[i]);
      if ((c & 0xC0) == 0x80) continue;
      ++cp;
      if (c == '\n') info.line_offsets.push_back(cp);
    }
  }

  if (errors.empty()) {
    // Code point index of every byte (continuation bytes share their lead's).
    std::vector<int32_t> cp_at_byte(source.size() + 1);
    int32_t cp = -1;
    for (size_t i = 0; i < source.size(); ++i) {
      if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) ++cp;
      cp_at_byte[i] = cp;
    }
    cp_at_byte[source.size()] = cp + 1;
    Parser parser(source, cp_at_byte, options, info, errors);
    result.parsed.expr = parser.Run();
    result.parsed.next_id = parser.next_id();
  }

  // Order by position (stable) and keep one error per position.
  // Errors without a position (limits) go last.
  auto key = [](const RawError& e) {
    return e.offset < 0 ? std::numeric_limits<int32_t>::max() : e.offset;
  };
  std::stable_sort(errors.begin(), errors.end(), [&key](const RawError& a, const RawError& b) {
    return key(a) < key(b);
  });
  int32_t last = -2;
  for (RawError& e : errors) {
    if (e.offset == last && e.offset >= 0) continue;
    last = e.offset;
    result.errors.push_back(MakeIssue(info, e.offset, std::move(e.message)));
  }
  return result;
}

absl::StatusOr<ParsedExpr> Parse(absl::string_view source, const ParserOptions& options) {
  ParseResult result = ParseWithDiagnostics(source, options);
  if (!result.ok()) return absl::InvalidArgumentError(result.FormatErrors());
  return std::move(result.parsed);
}

}  // namespace cel
}  // namespace pitboss
