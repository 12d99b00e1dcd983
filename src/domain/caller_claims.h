// A support caller's claims about themselves, checked against the account,
// and the disclosure tier they earn.
//
// The source guide (Part 3) asks agents to verify a caller with several facts
// combined — registered name, date of birth, registered e-mail and phone, a
// recent transaction, the device — and to disclose the minimum. Each claim is
// compared normalised (name_match.h, contact_match.h):
//
//   claim               compared with                         how
//   name                every profile.names variant            name matching, at least
//                       (full_name; family + given)            min_name_match
//   date_of_birth       profile.date_of_birth                  exact date
//   email               profile.email                          case-insensitive
//   local@domain phone               profile.phone (E.164)                  digits,
//   country code aware recent transaction  deposits and withdrawals created in    exact
//   id (or provider (amount and/or id)  the last recent_transaction_window     reference)
//   and/or exact amount
//                       (default 90 days)                      + currency; both must fit
//                                                              the same payment
//   device_id           account.devices                        exact
//   instrument_last4    active cards and bank accounts         four digits
//   postal_code         profile.address.postal_code            letters and digits
//
// Each claim is NOT_CLAIMED, MATCHED, MISMATCHED, or UNVERIFIABLE (the account
// holds nothing to compare with: it counts neither way).
//
// Account-specific proofs are the facts only the holder's own channels or
// history reveal: e-mail, phone, a recent transaction, the device id. The
// instrument's last four and the postal code are recorded but earn nothing
// (printed on receipts and letters).
//
// Disclosure tier (exact table):
//   name MATCHED and date_of_birth MATCHED, at least one account-specific
//     proof MATCHED, and no claim MISMATCHED                      -> STANDARD
//   name MATCHED and date_of_birth MATCHED (otherwise)            -> BASIC
//   anything else (incl. name or date of birth wrong or missing)  -> NONE
//
// Pure: the account and claims are const; errors are INVALID_ARGUMENT naming
// the claim's field (under `claims_field`) or the account field.
#ifndef PITBOSS_SRC_DOMAIN_CALLER_CLAIMS_H_
#define PITBOSS_SRC_DOMAIN_CALLER_CLAIMS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/name_match.h"

namespace pitboss {
namespace domain {

enum class ClaimOutcome { kNotClaimed, kMatched, kMismatched, kUnverifiable };

// "NOT_CLAIMED", "MATCHED", "MISMATCHED", "UNVERIFIABLE".
absl::string_view ClaimOutcomeName(ClaimOutcome outcome);

struct ClaimsOptions {
  absl::Duration recent_transaction_window = absl::Hours(24 * 90);
  NameMatchKind min_name_match = NameMatchKind::kTokenReordered;
};

struct ClaimsCheck {
  ClaimOutcome name = ClaimOutcome::kNotClaimed;
  ClaimOutcome date_of_birth = ClaimOutcome::kNotClaimed;
  ClaimOutcome email = ClaimOutcome::kNotClaimed;
  ClaimOutcome phone = ClaimOutcome::kNotClaimed;
  ClaimOutcome recent_transaction = ClaimOutcome::kNotClaimed;
  ClaimOutcome device = ClaimOutcome::kNotClaimed;
  ClaimOutcome instrument_last4 = ClaimOutcome::kNotClaimed;
  ClaimOutcome postal_code = ClaimOutcome::kNotClaimed;
  // How well the claimed name matched the best registered variant.
  NameMatchKind name_match = NameMatchKind::kNoMatch;
  // MATCHED among e-mail, phone, recent transaction, device.
  int account_specific_proofs = 0;
  // Claim names ("name", "date_of_birth", "email", "phone",
  // "recent_transaction", "device_id", "instrument_last4", "postal_code").
  std::vector<std::string> matched;
  std::vector<std::string> mismatched;
  v1::DisclosureTier tier = v1::DISCLOSURE_TIER_NONE;
};

// The tier the table above gives for these outcomes.
v1::DisclosureTier TierFor(const ClaimsCheck& check);

// Compares `claims` (at path `claims_field`, e.g.
// "event.support_call.claims") with `account` at `now`.
absl::StatusOr<ClaimsCheck> CheckCallerClaims(const v1::Account& account,
                                              const v1::CallerClaims& claims,
                                              absl::string_view claims_field,
                                              const NameMatcher& matcher, absl::Time now,
                                              const ClaimsOptions& options);

// A valid calendar date (year 1..9999, month 1..12, day within the month).
absl::Status ValidateCalendarDate(const v1::CalendarDate& date, absl::string_view field);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_CALLER_CLAIMS_H_
