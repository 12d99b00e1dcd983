// Account opening and profile validation (see account_open.h).
#include "src/domain/account_open.h"

#include <cstdlib>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "src/common/status_macros.h"
#include "src/domain/currency.h"
#include "src/domain/event_envelope.h"
#include "src/domain/money.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

// A real date between 1900 and 2100 (caller_claims.h has the support-call
// variant; this one is private to profile validation).
absl::Status ValidateBirthDate(const v1::CalendarDate& date, absl::string_view field) {
  if (date.year() < 1900 || date.year() > 2100) {
    return Invalid(field, absl::StrCat("year out of range (", date.year(), ")"));
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.year() != date.year() || day.month() != date.month() || day.day() != date.day()) {
    return Invalid(field, absl::StrCat("not a calendar date (", date.year(), "-",
                                       date.month(), "-", date.day(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateEmail(absl::string_view email, absl::string_view field) {
  const size_t at = email.find('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 >= email.size() ||
      email.find('@', at + 1) != absl::string_view::npos) {
    return Invalid(field, "not an e-mail address");
  }
  return absl::OkStatus();
}

absl::Status ValidatePhone(absl::string_view phone, absl::string_view field) {
  bool ok = phone.size() >= 9 && phone.size() <= 16 && phone[0] == '+';
  for (size_t i = 1; ok && i < phone.size(); ++i) {
    ok = absl::ascii_isdigit(static_cast<unsigned char>(phone[i]));
  }
  if (!ok) return Invalid(field, "must be E.164 (+ and 8-15 digits)");
  return absl::OkStatus();
}

absl::Status ValidateProfile(const v1::Profile& profile, absl::string_view field) {
  PITBOSS_RETURN_IF_ERROR(
      LookupCurrency(profile.currency(), absl::StrCat(field, ".currency")).status());
  if (profile.names_size() == 0) return Invalid(absl::StrCat(field, ".names"), "none given");
  for (int i = 0; i < profile.names_size(); ++i) {
    const v1::PersonName& name = profile.names(i);
    const std::string name_field = absl::StrCat(field, ".names[", i, "]");
    if (name.script() == v1::NAME_SCRIPT_UNSPECIFIED || !v1::NameScript_IsValid(name.script())) {
      return Invalid(absl::StrCat(name_field, ".script"), "must be KANJI, KANA, LATIN or OTHER");
    }
    if (name.full_name().empty() && name.family_name().empty() && name.given_name().empty()) {
      return Invalid(name_field, "empty");
    }
  }
  if (!profile.has_date_of_birth()) {
    return Invalid(absl::StrCat(field, ".date_of_birth"), "missing");
  }
  PITBOSS_RETURN_IF_ERROR(
      ValidateBirthDate(profile.date_of_birth(), absl::StrCat(field, ".date_of_birth")));
  if (!profile.email().empty()) {
    PITBOSS_RETURN_IF_ERROR(ValidateEmail(profile.email(), absl::StrCat(field, ".email")));
  }
  if (!profile.phone().empty()) {
    PITBOSS_RETURN_IF_ERROR(ValidatePhone(profile.phone(), absl::StrCat(field, ".phone")));
  }
  if (!profile.country().empty()) {
    const std::string& c = profile.country();
    if (c.size() != 2 || !absl::ascii_isupper(static_cast<unsigned char>(c[0])) ||
        !absl::ascii_isupper(static_cast<unsigned char>(c[1]))) {
      return Invalid(absl::StrCat(field, ".country"), "must be ISO 3166-1 alpha-2");
    }
  }
  if (std::abs(profile.utc_offset_minutes()) > 18 * 60) {
    return Invalid(absl::StrCat(field, ".utc_offset_minutes"), "out of range");
  }
  return absl::OkStatus();
}

absl::Status ValidateFactor(const v1::Factor& factor, absl::string_view field) {
  PITBOSS_RETURN_IF_ERROR(ValidateId(factor.factor_id(), absl::StrCat(field, ".factor_id")));
  if (factor.kind() == v1::FACTOR_KIND_UNSPECIFIED || !v1::FactorKind_IsValid(factor.kind())) {
    return Invalid(absl::StrCat(field, ".kind"), "invalid");
  }
  if (factor.category() == v1::FACTOR_CATEGORY_UNSPECIFIED ||
      !v1::FactorCategory_IsValid(factor.category())) {
    return Invalid(absl::StrCat(field, ".category"), "invalid");
  }
  if (!v1::Channel_IsValid(factor.channel())) {
    return Invalid(absl::StrCat(field, ".channel"), "invalid");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Account> OpenAccount(const v1::Event& event, absl::Time now) {
  v1::Account empty;
  PITBOSS_RETURN_IF_ERROR(ValidateEventFor(empty, event, v1::Event::kAccountOpened));
  PITBOSS_RETURN_IF_ERROR(ValidateId(event.account_id(), "event.account_id"));
  const v1::AccountOpened& opened = event.account_opened();
  PITBOSS_RETURN_IF_ERROR(ValidateProfile(opened.profile(), "event.account_opened.profile"));
  std::set<std::string> ids;
  for (int i = 0; i < opened.factors_size(); ++i) {
    const std::string field = absl::StrCat("event.account_opened.factors[", i, "]");
    PITBOSS_RETURN_IF_ERROR(ValidateFactor(opened.factors(i), field));
    if (!ids.insert(opened.factors(i).factor_id()).second) {
      return Invalid(absl::StrCat(field, ".factor_id"), "duplicate");
    }
  }

  v1::Account account;
  account.set_account_id(event.account_id());
  account.set_version(1);
  account.set_status(v1::ACCOUNT_STATUS_ACTIVE);
  *account.mutable_created_at() = ToProtoTime(now);
  *account.mutable_updated_at() = ToProtoTime(now);
  *account.mutable_profile() = opened.profile();
  account.mutable_kyc()->set_level(v1::KYC_LEVEL_NONE);
  const std::string& currency = opened.profile().currency();
  *account.mutable_balances()->mutable_cash() = MakeMoney(0, currency);
  *account.mutable_balances()->mutable_reserved() = MakeMoney(0, currency);
  for (const v1::Factor& factor : opened.factors()) {
    v1::Factor& added = *account.add_factors();
    added = factor;
    // The sign-up password is enrolled, not changed: security.password_changed_at
    // stays unset until a real change (it starts withdrawal holds and ATO
    // rules; the password's age is the factor's enrolled_at).
    if (!IsSet(added.enrolled_at())) *added.mutable_enrolled_at() = ToProtoTime(now);
  }
  if (!event.device().device_id().empty()) {
    v1::Device& device = *account.add_devices();
    device.set_device_id(event.device().device_id());
    device.set_platform(event.device().platform());
    device.set_last_ip_country(event.ip_country());
    *device.mutable_first_seen_at() = ToProtoTime(now);
    *device.mutable_last_seen_at() = ToProtoTime(now);
  }
  account.set_last_event_id(event.event_id());
  return account;
}

}  // namespace domain
}  // namespace pitboss
