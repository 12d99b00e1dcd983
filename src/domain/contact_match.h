// Contact details a caller states, compared with the registered ones after
// normalisation: e-mail addresses, phone numbers, postal codes, last-four
// digits.
//
// What an agent types is messy: full-width characters from a Japanese IME
// ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "０９０−１２３４−５６７８"), spaces and hyphens,
// national or international phone formats. Each value is reduced to a
// canonical form first (ICU NFKC with case folding, digits of any script read
// as their value):
//
//   e-mail      NFKC + case fold, surrounding space trimmed, exactly one '@'
//               with a non-empty local part and domain. Compared whole
//               (local@domain), case-insensitively.
//   phone       '+' or "00" prefix: international, the digits include the
//               country code. Otherwise national: one leading trunk '0' is
//               dropped ("090-1234-5678" -> national number 9012345678).
//               Spaces, hyphens, dots, slashes and parentheses are ignored;
//               any other character is an error. 5..15 digits (E.164 allows
//               at most 15). A national number matches a registered
//               international one when the registered digits are a 1-3 digit
//               country code followed by exactly the national number:
//               "+81 90-1234-5678" == "09012345678" == "+819012345678".
//               Registered numbers must be international (E.164).
//   postal code NFKC + case fold, letters and digits only:
//               "100-0001" == "１００−０００１" == "1000001"; "SW1A 1AA" ==
//               "sw1a1aa".
//   last four   exactly four digits after NFKC.
//
// Errors are INVALID_ARGUMENT naming the field passed in.
#ifndef PITBOSS_SRC_DOMAIN_CONTACT_MATCH_H_
#define PITBOSS_SRC_DOMAIN_CONTACT_MATCH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pitboss {
namespace domain {

// The canonical e-mail address.
absl::StatusOr<std::string> NormalizeEmail(absl::string_view email,
                                           absl::string_view field);

struct PhoneNumber {
  // Written with '+' or "00": `digits` start with the country code.
  bool international = false;
  // International: country code + national number. National: the national
  // number without the trunk prefix.
  std::string digits;
};

absl::StatusOr<PhoneNumber> ParsePhone(absl::string_view phone, absl::string_view field);

// Whether a claimed number is the registered one (see the header comment).
// The registered number must be international: INVALID_ARGUMENT naming
// `registered_field` otherwise.
absl::StatusOr<bool> PhonesMatch(absl::string_view claimed,
                                 absl::string_view claimed_field,
                                 absl::string_view registered,
                                 absl::string_view registered_field);

// Letters and digits only, NFKC + case folded. Empty result is an error.
absl::StatusOr<std::string> NormalizePostalCode(absl::string_view code,
                                                absl::string_view field);

// Exactly four ASCII digits after NFKC.
absl::StatusOr<std::string> NormalizeLast4(absl::string_view last4,
                                           absl::string_view field);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_CONTACT_MATCH_H_
