// Opening an account: the first Account built from an account_opened event.
//
// The new account has version 1, status ACTIVE, KYC level NONE, zero cash and
// reserved in the profile's currency, the factors enrolled at sign-up and the
// device the sign-up came from. The profile is validated field by field
// (currency known, at least one name, a real date of birth, e-mail and E.164
// phone shapes, ISO country code, UTC offset range); an error names the field
// ("event.account_opened.profile.date_of_birth: not a calendar date").
#ifndef PITBOSS_SRC_DOMAIN_ACCOUNT_OPEN_H_
#define PITBOSS_SRC_DOMAIN_ACCOUNT_OPEN_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace domain {

absl::StatusOr<v1::Account> OpenAccount(const v1::Event& event, absl::Time now);

// Validators shared with profile changes. Errors name `field`.
absl::Status ValidateProfile(const v1::Profile& profile, absl::string_view field);
absl::Status ValidateFactor(const v1::Factor& factor, absl::string_view field);
// local@domain, one '@'.
absl::Status ValidateEmail(absl::string_view email, absl::string_view field);
// E.164: '+' and 8-15 digits.
absl::Status ValidatePhone(absl::string_view phone, absl::string_view field);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_ACCOUNT_OPEN_H_
