// Tests for name matching: Japanese (kanji, katakana, half-width katakana,
// hiragana), Latin (case, full width, token order), punctuation, and errors.
#include "src/domain/name_match.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class NameMatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto matcher = NameMatcher::Create();
    ASSERT_THAT(matcher, IsOk());
    matcher_ = *std::move(matcher);
  }

  // Matches `candidate` against the registered variants; fails the test on
  // an error.
  NameMatchResult MatchOrDie(const std::string& candidate,
                             const std::vector<std::string>& registered) {
    auto result = matcher_->Match(candidate, "candidate", registered, "registered");
    EXPECT_THAT(result, IsOk());
    return result.ok() ? *result : NameMatchResult{};
  }

  NameMatchKind Kind(const std::string& candidate,
                     const std::vector<std::string>& registered) {
    return MatchOrDie(candidate, registered).kind;
  }

  std::unique_ptr<NameMatcher> matcher_;
};

// The holder registered kanji, katakana and Latin variants.
const std::vector<std::string> kYamada = {"山田 太郎", "ヤマダ タロウ", "YAMADA TARO"};

TEST_F(NameMatchTest, CanonicalFormFoldsWidthCaseAndHiragana) {
  auto name = matcher_->Canonicalize("ﾔﾏﾀﾞ　ﾀﾛｳ", "name");
  ASSERT_THAT(name, IsOk());
  EXPECT_THAT(name->tokens, ElementsAre("ヤマダ", "タロウ"));

  name = matcher_->Canonicalize("やまだ・たろう", "name");
  ASSERT_THAT(name, IsOk());
  EXPECT_THAT(name->tokens, ElementsAre("ヤマダ", "タロウ"));

  name = matcher_->Canonicalize("ＹＡＭＡＤＡ　Ｔａｒｏ", "name");
  ASSERT_THAT(name, IsOk());
  EXPECT_THAT(name->tokens, ElementsAre("yamada", "taro"));

  // The prolonged sound mark is part of the name, not punctuation.
  name = matcher_->Canonicalize("ｼﾞｮｰﾝｽﾞ-ｽﾐｽ", "name");
  ASSERT_THAT(name, IsOk());
  EXPECT_THAT(name->tokens, ElementsAre("ジョーンズ", "スミス"));
}

TEST_F(NameMatchTest, ExactVariant) {
  NameMatchResult r = MatchOrDie("ヤマダ タロウ", kYamada);
  EXPECT_EQ(r.kind, NameMatchKind::kExact);
  EXPECT_EQ(r.variant_index, 1);
  r = MatchOrDie("山田 太郎", kYamada);
  EXPECT_EQ(r.kind, NameMatchKind::kExact);
  EXPECT_EQ(r.variant_index, 0);
}

TEST_F(NameMatchTest, HalfWidthKatakanaEqualsFullWidth) {
  NameMatchResult r = MatchOrDie("ﾔﾏﾀﾞ ﾀﾛｳ", kYamada);
  EXPECT_EQ(r.kind, NameMatchKind::kNormalized);
  EXPECT_EQ(r.variant_index, 1);
  // Voiced and semi-voiced marks compose: ﾊﾟ is パ, not ハ.
  EXPECT_EQ(Kind("ﾊﾟｸ ｼﾞﾕﾝ", {"パク ジユン"}), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("ﾊｸ ｼﾕﾝ", {"パク ジユン"}), NameMatchKind::kNoMatch);
}

TEST_F(NameMatchTest, HiraganaEqualsKatakana) {
  EXPECT_EQ(Kind("やまだ たろう", kYamada), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("ヤマダ タロウ", {"やまだ たろう"}), NameMatchKind::kNormalized);
  // Mixed scripts inside one name.
  EXPECT_EQ(Kind("やまだ タロウ", kYamada), NameMatchKind::kNormalized);
}

TEST_F(NameMatchTest, SpacesAndPunctuationAreIgnored) {
  // No space, ideographic space, middle dot, half-width middle dot.
  EXPECT_EQ(Kind("ヤマダタロウ", kYamada), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("ヤマダ　タロウ", kYamada), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("ヤマダ・タロウ", kYamada), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("ﾔﾏﾀﾞ･ﾀﾛｳ", kYamada), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("山田太郎", kYamada), NameMatchKind::kNormalized);
  // Hyphens and dashes, dots, apostrophes, commas, surrounding spaces.
  EXPECT_EQ(Kind("  yamada-taro ", kYamada), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("YAMADA\u2010TARO", kYamada), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("Mary-Jane O'Neil", {"MARY JANE ONEIL"}), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("J. R. R. Tolkien", {"JRR TOLKIEN"}), NameMatchKind::kNormalized);
}

TEST_F(NameMatchTest, LatinCaseAndFullWidth) {
  EXPECT_EQ(Kind("Yamada Taro", kYamada), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("ＹＡＭＡＤＡ　ＴＡＲＯ", kYamada), NameMatchKind::kNormalized);
  EXPECT_EQ(Kind("john smith", {"JOHN SMITH"}), NameMatchKind::kNormalized);
  // Case folding covers more than ASCII.
  EXPECT_EQ(Kind("STRASSE", {"straße"}), NameMatchKind::kNormalized);
}

TEST_F(NameMatchTest, TokenOrder) {
  NameMatchResult r = MatchOrDie("TARO YAMADA", kYamada);
  EXPECT_EQ(r.kind, NameMatchKind::kTokenReordered);
  EXPECT_EQ(r.variant_index, 2);
  EXPECT_EQ(Kind("Taro Yamada", {"YAMADATARO"}), NameMatchKind::kTokenReordered);
  EXPECT_EQ(Kind("TAROYAMADA", {"YAMADA TARO"}), NameMatchKind::kTokenReordered);
  EXPECT_EQ(Kind("タロウ ヤマダ", kYamada), NameMatchKind::kTokenReordered);
  EXPECT_EQ(Kind("太郎 山田", kYamada), NameMatchKind::kTokenReordered);
  EXPECT_EQ(Kind("SMITH, JOHN PAUL", {"John Paul Smith"}),
            NameMatchKind::kTokenReordered);
}

TEST_F(NameMatchTest, BestVariantWins) {
  // Reordered against the Latin variant, normalized against the kana one: the
  // normalized match is reported.
  const std::vector<std::string> registered = {"TAROU YAMADA", "", "やまだ たろう"};
  NameMatchResult r = MatchOrDie("ヤマダ タロウ", registered);
  EXPECT_EQ(r.kind, NameMatchKind::kNormalized);
  EXPECT_EQ(r.variant_index, 2);
}

TEST_F(NameMatchTest, DifferentPeopleDoNotMatch) {
  NameMatchResult r = MatchOrDie("JOHN SMITH", kYamada);
  EXPECT_EQ(r.kind, NameMatchKind::kNoMatch);
  EXPECT_EQ(r.variant_index, -1);
  EXPECT_EQ(Kind("ヤマダ タロウ", {"JOHN SMITH"}), NameMatchKind::kNoMatch);
  EXPECT_EQ(Kind("ヤマダ ハナコ", kYamada), NameMatchKind::kNoMatch);
  EXPECT_EQ(Kind("YAMADA TAROU", kYamada), NameMatchKind::kNoMatch);
  EXPECT_EQ(Kind("YAMADA", kYamada), NameMatchKind::kNoMatch);
  EXPECT_EQ(Kind("ヤマダ タロウ タロウ", kYamada), NameMatchKind::kNoMatch);
  // Same letters, different token cut: not a reordering of the tokens.
  EXPECT_EQ(Kind("ADA TAROYAM", {"YAMADA TARO"}), NameMatchKind::kNoMatch);
  // Dakuten is significant: ダ is not タ.
  EXPECT_EQ(Kind("ヤマタ タロウ", kYamada), NameMatchKind::kNoMatch);
}

TEST_F(NameMatchTest, KanjiKanaAndLatinAreNotCrossCompared) {
  // No reading dictionary, no romanisation: each needs a variant in its script.
  EXPECT_EQ(Kind("ヤマダ タロウ", {"山田 太郎"}), NameMatchKind::kNoMatch);
  EXPECT_EQ(Kind("YAMADA TARO", {"ヤマダ タロウ"}), NameMatchKind::kNoMatch);
  EXPECT_EQ(Kind("山田 太郎", {"YAMADA TARO", "やまだ たろう"}), NameMatchKind::kNoMatch);
}

TEST_F(NameMatchTest, NoRegisteredVariantIsNoMatch) {
  EXPECT_EQ(Kind("YAMADA TARO", {}), NameMatchKind::kNoMatch);
  EXPECT_EQ(Kind("YAMADA TARO", {"", ""}), NameMatchKind::kNoMatch);
}

TEST_F(NameMatchTest, BadCandidateNamesTheField) {
  const std::vector<std::string> registered = kYamada;
  EXPECT_THAT(matcher_->Match("\xff\xfe", "call.claimed_name", registered, "variants"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("call.claimed_name: not valid UTF-8")));
  EXPECT_THAT(matcher_->Match(" ・- ", "call.claimed_name", registered, "variants"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("call.claimed_name: has no letters")));
  EXPECT_THAT(
      matcher_->Match("", "call.claimed_name", registered, "variants"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("call.claimed_name")));
  EXPECT_THAT(matcher_->Match(std::string(NameMatcher::kMaxNameBytes + 1, 'a'),
                              "call.claimed_name", registered, "variants"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("longer than")));
  EXPECT_THAT(matcher_->Match("a b c d e f g h i j k l m n o p q", "call.claimed_name",
                              registered, "variants"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("more than 16 name tokens")));
  // A surrogate encoded in UTF-8 is not valid UTF-8.
  EXPECT_THAT(
      matcher_->Match("\xed\xa0\x80", "call.claimed_name", registered, "variants"),
      StatusIs(absl::StatusCode::kInvalidArgument));
  // Nothing was changed: the inputs are const and still match as before.
  EXPECT_EQ(registered, kYamada);
}

TEST_F(NameMatchTest, BadRegisteredVariantNamesItsIndex) {
  EXPECT_THAT(matcher_->Match("YAMADA TARO", "candidate", {"YAMADA TARO", "\xc3"},
                              "profile.name_variants"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("profile.name_variants[1]: not valid UTF-8")));
}

TEST_F(NameMatchTest, SixteenTokensStayFast) {
  // The worst case for the reorder search: 16 tokens that all prefix each
  // other and a target that fails only at its last letter, so every subset of
  // tokens is reachable. It is bounded at 2^16 states and answers correctly.
  std::string tokens;
  for (int i = 1; i <= 16; ++i) {
    tokens += std::string(static_cast<size_t>(i), 'a') + " ";
  }
  const std::string almost = std::string(135, 'a') + "b";
  EXPECT_EQ(Kind(tokens, {almost}), NameMatchKind::kNoMatch);
  EXPECT_EQ(Kind(almost, {tokens}), NameMatchKind::kNoMatch);
  EXPECT_EQ(Kind(tokens, {std::string(136, 'a')}), NameMatchKind::kNormalized);
}

TEST_F(NameMatchTest, KindNames) {
  EXPECT_EQ(NameMatchKindName(NameMatchKind::kExact), "EXACT");
  EXPECT_EQ(NameMatchKindName(NameMatchKind::kNormalized), "NORMALIZED");
  EXPECT_EQ(NameMatchKindName(NameMatchKind::kTokenReordered), "TOKEN_REORDERED");
  EXPECT_EQ(NameMatchKindName(NameMatchKind::kNoMatch), "NO_MATCH");
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
