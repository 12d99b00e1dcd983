// Name matching with ICU: canonical forms and their comparison. See
// name_match.h for the rules.
#include "src/domain/name_match.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace domain {
namespace {

// A code point that belongs to a token: letters (incl. the prolonged sound
// mark ー, category Lm), combining marks and numbers. Everything else (space,
// punctuation, symbols, controls) separates tokens.
bool IsTokenChar(UChar32 c) {
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

bool IsValidUtf8(absl::string_view s) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t length = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

// Can `tokens`, each used exactly once in some order, be concatenated into
// `target`? The position in `target` is the total length of the tokens used
// so far, so the set of used tokens is the whole state: a visited bitmap over
// the 2^n subsets bounds the search at O(2^n * n) for n <= kMaxNameTokens.
bool TokensConcatenateTo(const std::vector<std::string>& tokens,
                         const std::string& target) {
  const size_t n = tokens.size();
  if (n > NameMatcher::kMaxNameTokens) return false;  // Canonicalize's bound.
  size_t total = 0;
  for (const std::string& t : tokens) total += t.size();
  if (total != target.size()) return false;
  const uint32_t full = (1u << n) - 1u;
  std::vector<bool> dead(static_cast<size_t>(full) + 1, false);
  // Iterative depth-first search: stack of (used mask, position).
  std::vector<std::pair<uint32_t, size_t>> stack = {{0u, 0u}};
  while (!stack.empty()) {
    auto [used, pos] = stack.back();
    stack.pop_back();
    if (used == full) return true;
    if (dead[used]) continue;
    dead[used] = true;
    for (size_t i = 0; i < n; ++i) {
      if (used & (1u << i)) continue;
      const std::string& t = tokens[i];
      if (target.compare(pos, t.size(), t) != 0) continue;
      const uint32_t next = used | (1u << i);
      if (!dead[next]) stack.emplace_back(next, pos + t.size());
    }
  }
  return false;
}

}  // namespace

absl::string_view NameMatchKindName(NameMatchKind kind) {
  switch (kind) {
    case NameMatchKind::kNoMatch:
      return "NO_MATCH";
    case NameMatchKind::kTokenReordered:
      return "TOKEN_REORDERED";
    case NameMatchKind::kNormalized:
      return "NORMALIZED";
    case NameMatchKind::kExact:
      return "EXACT";
  }
  return "NO_MATCH";
}

std::string CanonicalName::Joined() const { return absl::StrJoin(tokens, ""); }

absl::StatusOr<std::unique_ptr<NameMatcher>> NameMatcher::Create() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || nfkc_cf == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU NFKC_Casefold normaliser unavailable: ", u_errorName(status)));
  }
  status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> to_katakana(
      icu::Transliterator::createInstance("Hiragana-Katakana", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || to_katakana == nullptr) {
    return absl::InternalError(absl::StrCat(
        "ICU Hiragana-Katakana transliterator unavailable: ", u_errorName(status)));
  }
  return std::unique_ptr<NameMatcher>(new NameMatcher(nfkc_cf, std::move(to_katakana)));
}

NameMatcher::NameMatcher(const icu::Normalizer2* nfkc_cf,
                         std::unique_ptr<icu::Transliterator> hiragana_to_katakana)
    : nfkc_cf_(nfkc_cf), hiragana_to_katakana_(std::move(hiragana_to_katakana)) {}

NameMatcher::~NameMatcher() = default;

absl::StatusOr<CanonicalName> NameMatcher::Canonicalize(absl::string_view name,
                                                        absl::string_view field) const {
  if (name.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": longer than ", kMaxNameBytes, " bytes"));
  }
  if (!IsValidUtf8(name)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString text =
      nfkc_cf_->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                              name.data(), static_cast<int32_t>(name.size()))),
                          status);
  if (U_FAILURE(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": cannot be normalised (", u_errorName(status), ")"));
  }
  hiragana_to_katakana_->transliterate(text);

  CanonicalName out;
  icu::UnicodeString token;
  auto flush = [&]() {
    if (token.isEmpty()) return;
    std::string utf8;
    token.toUTF8String(utf8);
    out.tokens.push_back(std::move(utf8));
    token.remove();
  };
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    if (IsTokenChar(c)) {
      token.append(c);
    } else {
      flush();
    }
    i += U16_LENGTH(c);
  }
  flush();
  if (out.tokens.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": has no letters or digits"));
  }
  if (out.tokens.size() > kMaxNameTokens) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": more than ", kMaxNameTokens, " name tokens"));
  }
  return out;
}

NameMatchKind NameMatcher::Compare(const CanonicalName& a, const CanonicalName& b) {
  const std::string a_joined = a.Joined();
  const std::string b_joined = b.Joined();
  if (a_joined == b_joined) return NameMatchKind::kNormalized;
  if (a_joined.size() != b_joined.size()) return NameMatchKind::kNoMatch;
  // Same tokens in another order, or one side's tokens, reordered, spell the
  // other side written without (or with other) separators.
  if (TokensConcatenateTo(a.tokens, b_joined) ||
      TokensConcatenateTo(b.tokens, a_joined)) {
    return NameMatchKind::kTokenReordered;
  }
  return NameMatchKind::kNoMatch;
}

absl::StatusOr<NameMatchResult> NameMatcher::Match(
    absl::string_view candidate, absl::string_view candidate_field,
    absl::Span<const std::string> registered, absl::string_view registered_field) const {
  PITBOSS_ASSIGN_OR_RETURN(CanonicalName canonical,
                           Canonicalize(candidate, candidate_field));
  // Validate every variant before answering, so a bad account is reported
  // whatever the candidate is.
  std::vector<CanonicalName> variants(registered.size());
  for (size_t i = 0; i < registered.size(); ++i) {
    if (registered[i].empty()) continue;
    PITBOSS_ASSIGN_OR_RETURN(
        variants[i],
        Canonicalize(registered[i], absl::StrCat(registered_field, "[", i, "]")));
  }
  NameMatchResult best;
  for (size_t i = 0; i < registered.size(); ++i) {
    if (registered[i].empty()) continue;
    NameMatchKind kind = registered[i] == candidate ? NameMatchKind::kExact
                                                    : Compare(canonical, variants[i]);
    if (kind > best.kind) {
      best.kind = kind;
      best.variant_index = static_cast<int>(i);
    }
  }
  return best;
}

}  // namespace domain
}  // namespace pitboss
