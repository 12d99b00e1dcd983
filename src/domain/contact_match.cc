// Normalisation and comparison of e-mail addresses, phone numbers, postal
// codes and last-four digits (see contact_match.h).
#include "src/domain/contact_match.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace domain {
namespace {

constexpr size_t kMaxContactBytes = 320;  // the longest e-mail address allowed

// NFKC + case fold into a UnicodeString; validates size and UTF-8.
absl::StatusOr<icu::UnicodeString> Fold(absl::string_view text, absl::string_view field) {
  if (text.size() > kMaxContactBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": longer than ", kMaxContactBytes, " bytes"));
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU NFKC_Casefold unavailable: ", u_errorName(status)));
  }
  icu::UnicodeString folded = nfkc_cf->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), length)), status);
  if (U_FAILURE(status)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": cannot be normalised"));
  }
  return folded;
}

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

bool IsPhoneSeparator(UChar32 c) {
  // U+30FC (ー, the prolonged sound mark) is what a Japanese IME often types
  // for a hyphen between digits.
  return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' ||
         c == 0x30FC || u_hasBinaryProperty(c, UCHAR_DASH) || u_isUWhiteSpace(c);
}

}  // namespace

absl::StatusOr<std::string> NormalizeEmail(absl::string_view email,
                                           absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(icu::UnicodeString folded, Fold(email, field));
  std::string s(absl::StripAsciiWhitespace(ToUtf8(folded)));
  const size_t at = s.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == s.size() ||
      s.find('@', at + 1) != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not an e-mail address (local@domain)"));
  }
  for (char c : s) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": an e-mail address has no spaces"));
    }
  }
  return s;
}

absl::StatusOr<PhoneNumber> ParsePhone(absl::string_view phone, absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(icu::UnicodeString folded, Fold(phone, field));
  PhoneNumber out;
  bool seen_digit = false;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (c == '+' && !seen_digit && !out.international) {
      out.international = true;
      continue;
    }
    const int32_t digit = u_charDigitValue(c);
    if (digit >= 0 && digit <= 9) {
      out.digits.push_back(static_cast<char>('0' + digit));
      seen_digit = true;
      continue;
    }
    if (IsPhoneSeparator(c)) continue;
    return absl::InvalidArgumentError(
        absl::StrCat(field,
                     ": only digits, '+', spaces, hyphens, dots and "
                     "parentheses are allowed in a phone number"));
  }
  if (!out.international && out.digits.size() > 2 && out.digits[0] == '0' &&
      out.digits[1] == '0') {
    out.international = true;  // "00" international call prefix
    out.digits.erase(0, 2);
  } else if (!out.international && !out.digits.empty() && out.digits[0] == '0') {
    out.digits.erase(0, 1);  // national trunk prefix
  }
  if (out.digits.size() < 5 || out.digits.size() > 15) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": a phone number has 5 to 15 digits"));
  }
  return out;
}

absl::StatusOr<bool> PhonesMatch(absl::string_view claimed,
                                 absl::string_view claimed_field,
                                 absl::string_view registered,
                                 absl::string_view registered_field) {
  PITBOSS_ASSIGN_OR_RETURN(PhoneNumber reg, ParsePhone(registered, registered_field));
  if (!reg.international) {
    return absl::InvalidArgumentError(absl::StrCat(
        registered_field, ": must be international (E.164, e.g. +819012345678)"));
  }
  PITBOSS_ASSIGN_OR_RETURN(PhoneNumber claim, ParsePhone(claimed, claimed_field));
  if (claim.international) return claim.digits == reg.digits;
  if (reg.digits.size() <= claim.digits.size()) return false;
  const size_t country_code_length = reg.digits.size() - claim.digits.size();
  return country_code_length <= 3 &&
         reg.digits.compare(country_code_length, std::string::npos, claim.digits) == 0;
}

absl::StatusOr<std::string> NormalizePostalCode(absl::string_view code,
                                                absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(icu::UnicodeString folded, Fold(code, field));
  icu::UnicodeString kept;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalnum(c)) kept.append(c);
  }
  if (kept.isEmpty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": has no letters or digits"));
  }
  return ToUtf8(kept);
}

absl::StatusOr<std::string> NormalizeLast4(absl::string_view last4,
                                           absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(icu::UnicodeString folded, Fold(last4, field));
  std::string s(absl::StripAsciiWhitespace(ToUtf8(folded)));
  if (s.size() != 4 || !absl::ascii_isdigit(static_cast<unsigned char>(s[0])) ||
      !absl::ascii_isdigit(static_cast<unsigned char>(s[1])) ||
      !absl::ascii_isdigit(static_cast<unsigned char>(s[2])) ||
      !absl::ascii_isdigit(static_cast<unsigned char>(s[3]))) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be four digits"));
  }
  return s;
}

}  // namespace domain
}  // namespace pitboss
