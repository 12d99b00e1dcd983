// Name matching: does a name given by a caller, or printed on a card or bank
// account, belong to the account holder?
//
// Names arrive in many shapes for the same person: "山田 太郎", "ヤマダ タロウ",
// "ﾔﾏﾀﾞ ﾀﾛｳ" (half-width katakana), "やまだ たろう" (hiragana), "YAMADA TARO",
// "Taro Yamada", "ＹＡＭＡＤＡ　ＴＡＲＯ" (full-width letters and space). The
// matcher reduces every name to a canonical form with ICU, then compares the
// candidate with every registered variant of the account holder's name:
//
//   1. Unicode NFKC with case folding (ICU "nfkc_cf"): full-width Latin and
//      digits become ASCII, half-width katakana becomes full-width (ﾀﾞ → ダ),
//      upper and lower case become one.
//   2. Hiragana becomes katakana (ICU's "Hiragana-Katakana" transform), so
//      やまだ == ヤマダ.
//   3. White space (incl. the ideographic space U+3000), punctuation (the
//      katakana middle dot ・, hyphens and dashes, dots, commas, apostrophes)
//      and symbols separate tokens and are otherwise dropped. The prolonged
//      sound mark ー is a letter, not punctuation, and is kept.
//
// The comparison then yields, from best to worst:
//   kExact          the candidate is byte-for-byte a registered variant;
//   kNormalized     the canonical token sequences concatenate to the same
//                   string ("ﾔﾏﾀﾞ ﾀﾛｳ" == "ヤマダタロウ", "yamada-taro" ==
//                   "YAMADA TARO");
//   kTokenReordered the same tokens in another order, also when one side
//                   writes them without separators ("TARO YAMADA" ==
//                   "YAMADA TARO" == "YAMADATARO" vs "Taro Yamada");
//   kNoMatch        none of the above for any registered variant.
//
// Limits (by design, stated so nobody relies on more):
//   - Kanji and kana cannot be compared with each other, nor kana with Latin:
//     there is no reading dictionary and no romanisation. "山田太郎" matches only
//     a registered kanji variant, "ヤマダタロウ" only a kana one, "YAMADA TARO"
//     only a Latin one. An account must register a variant in every script its
//     holder's names will arrive in.
//   - Accents are significant ("José" != "JOSE"); NFKC keeps them.
//   - Kanji variants (旧字体 such as 髙 vs 高, 﨑 vs 崎) are different
//     characters unless NFKC maps one to the other.
//   - A name is at most kMaxNameBytes bytes and kMaxNameTokens tokens; longer
//     input is an error, never a silent truncation.
//
// Thread safety: a NameMatcher is immutable after Create() and thread-safe.
// (ICU serialises rule-based transliteration on shared rule data internally.)
#ifndef PITBOSS_SRC_DOMAIN_NAME_MATCH_H_
#define PITBOSS_SRC_DOMAIN_NAME_MATCH_H_

#include <unicode/uversion.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

U_NAMESPACE_BEGIN
class Normalizer2;
class Transliterator;
U_NAMESPACE_END

namespace pitboss {
namespace domain {

// How well a candidate name matched; ordered from worst to best so that
// results can be compared with <.
enum class NameMatchKind {
  kNoMatch = 0,
  kTokenReordered = 1,
  kNormalized = 2,
  kExact = 3,
};

// "NO_MATCH", "TOKEN_REORDERED", "NORMALIZED", "EXACT".
absl::string_view NameMatchKindName(NameMatchKind kind);

struct NameMatchResult {
  NameMatchKind kind = NameMatchKind::kNoMatch;
  // Index into the registered variants of the first best match; -1 when
  // kind == kNoMatch.
  int variant_index = -1;
};

// A name in canonical form: its tokens in the order written.
struct CanonicalName {
  std::vector<std::string> tokens;
  // The tokens concatenated without separators.
  std::string Joined() const;
};

class NameMatcher {
 public:
  static constexpr size_t kMaxNameBytes = 512;
  static constexpr size_t kMaxNameTokens = 16;

  // Loads the ICU normaliser and transliterator; fails (INTERNAL) only when
  // the ICU data is missing.
  static absl::StatusOr<std::unique_ptr<NameMatcher>> Create();

  ~NameMatcher();
  NameMatcher(const NameMatcher&) = delete;
  NameMatcher& operator=(const NameMatcher&) = delete;

  // The canonical form of `name`. INVALID_ARGUMENT naming `field` when the
  // name is not valid UTF-8, is longer than kMaxNameBytes, has more than
  // kMaxNameTokens tokens, or has no letters or digits at all.
  absl::StatusOr<CanonicalName> Canonicalize(absl::string_view name,
                                             absl::string_view field) const;

  // Compares `candidate` with each registered variant and returns the best
  // match. Empty registered variants (a script the holder did not register)
  // are skipped; no non-empty variant at all yields kNoMatch. Errors name
  // `candidate_field` or `registered_field`[i].
  absl::StatusOr<NameMatchResult> Match(absl::string_view candidate,
                                        absl::string_view candidate_field,
                                        absl::Span<const std::string> registered,
                                        absl::string_view registered_field) const;

  // Compares two canonical names (no error possible).
  static NameMatchKind Compare(const CanonicalName& a, const CanonicalName& b);

 private:
  NameMatcher(const icu::Normalizer2* nfkc_cf,
              std::unique_ptr<icu::Transliterator> hiragana_to_katakana);

  const icu::Normalizer2* nfkc_cf_;  // ICU-owned singleton.
  std::unique_ptr<icu::Transliterator> hiragana_to_katakana_;
};

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_NAME_MATCH_H_
