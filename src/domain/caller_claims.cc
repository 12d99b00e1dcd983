// Caller claims vs the account, and the disclosure tier (see caller_claims.h).
#include "src/domain/caller_claims.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "src/common/status_macros.h"
#include "src/domain/contact_match.h"
#include "src/domain/money.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {
namespace {

bool IsUnsetDate(const v1::CalendarDate& d) {
  return d.year() == 0 && d.month() == 0 && d.day() == 0;
}

bool SameMoney(const v1::Money& a, const v1::Money& b) {
  return a.currency() == b.currency() && a.minor_units() == b.minor_units();
}

// A registered name variant with its field path.
struct Variant {
  std::string text;
  std::string field;
};

std::vector<Variant> NameVariants(const v1::Profile& profile) {
  std::vector<Variant> out;
  for (int i = 0; i < profile.names_size(); ++i) {
    const v1::PersonName& n = profile.names(i);
    if (!n.full_name().empty()) {
      out.push_back(
          {n.full_name(), absl::StrCat("account.profile.names[", i, "].full_name")});
    }
    if (!n.family_name().empty() || !n.given_name().empty()) {
      out.push_back({absl::StrCat(n.family_name(), " ", n.given_name()),
                     absl::StrCat("account.profile.names[", i, "].family_name")});
    }
  }
  return out;
}

absl::StatusOr<ClaimOutcome> CheckName(const v1::Account& account,
                                       absl::string_view claimed, absl::string_view field,
                                       const NameMatcher& matcher,
                                       const ClaimsOptions& options,
                                       NameMatchKind* kind) {
  PITBOSS_ASSIGN_OR_RETURN(CanonicalName candidate, matcher.Canonicalize(claimed, field));
  const std::vector<Variant> variants = NameVariants(account.profile());
  NameMatchKind best = NameMatchKind::kNoMatch;
  for (const Variant& v : variants) {
    PITBOSS_ASSIGN_OR_RETURN(CanonicalName registered,
                             matcher.Canonicalize(v.text, v.field));
    const NameMatchKind k = v.text == claimed
                                ? NameMatchKind::kExact
                                : NameMatcher::Compare(candidate, registered);
    if (k > best) best = k;
  }
  *kind = best;
  if (variants.empty()) return ClaimOutcome::kUnverifiable;
  return best != NameMatchKind::kNoMatch && best >= options.min_name_match
             ? ClaimOutcome::kMatched
             : ClaimOutcome::kMismatched;
}

absl::StatusOr<ClaimOutcome> CheckRecentTransaction(const v1::Account& account,
                                                    const v1::CallerClaims& claims,
                                                    absl::string_view claims_field,
                                                    absl::Time now,
                                                    const ClaimsOptions& options) {
  const bool amount_claimed = !IsUnsetMoney(claims.recent_transaction_amount());
  const std::string id(absl::StripAsciiWhitespace(claims.recent_transaction_id()));
  if (!amount_claimed && id.empty()) return ClaimOutcome::kNotClaimed;
  if (amount_claimed) {
    PITBOSS_RETURN_IF_ERROR(
        ValidatePositiveMoney(claims.recent_transaction_amount(),
                              absl::StrCat(claims_field, ".recent_transaction_amount")));
  }
  bool any_recent = false;
  bool matched = false;
  auto consider = [&](const google::protobuf::Timestamp& created, absl::string_view field,
                      absl::string_view payment_id, absl::string_view provider_ref,
                      const v1::Money& amount) -> absl::Status {
    PITBOSS_RETURN_IF_ERROR(ValidateProtoTime(created, field));
    if (!IsSet(created)) return absl::OkStatus();
    const absl::Time t = FromProtoTime(created);
    if (t > now || now - t >= options.recent_transaction_window) return absl::OkStatus();
    any_recent = true;
    const bool id_ok =
        id.empty() || id == payment_id || (!provider_ref.empty() && id == provider_ref);
    const bool amount_ok =
        !amount_claimed || SameMoney(claims.recent_transaction_amount(), amount);
    if (id_ok && amount_ok) matched = true;
    return absl::OkStatus();
  };
  for (int i = 0; i < account.deposits_size(); ++i) {
    const v1::Deposit& d = account.deposits(i);
    PITBOSS_RETURN_IF_ERROR(consider(d.created_at(),
                                     absl::StrCat("account.deposits[", i, "].created_at"),
                                     d.deposit_id(), d.provider_reference(), d.amount()));
  }
  for (int i = 0; i < account.withdrawals_size(); ++i) {
    const v1::Withdrawal& w = account.withdrawals(i);
    PITBOSS_RETURN_IF_ERROR(
        consider(w.created_at(), absl::StrCat("account.withdrawals[", i, "].created_at"),
                 w.withdrawal_id(), w.provider_reference(), w.amount()));
  }
  if (!any_recent) return ClaimOutcome::kUnverifiable;
  return matched ? ClaimOutcome::kMatched : ClaimOutcome::kMismatched;
}

absl::StatusOr<ClaimOutcome> CheckLast4(const v1::Account& account,
                                        absl::string_view claimed,
                                        absl::string_view field) {
  PITBOSS_ASSIGN_OR_RETURN(std::string claim, NormalizeLast4(claimed, field));
  bool any = false;
  bool matched = false;
  for (int i = 0; i < account.instruments_size(); ++i) {
    const v1::PaymentInstrument& inst = account.instruments(i);
    if (inst.status() != v1::INSTRUMENT_STATUS_ACTIVE) continue;
    std::string registered;
    std::string registered_field;
    if (inst.has_card()) {
      registered = inst.card().last4();
      registered_field = absl::StrCat("account.instruments[", i, "].card.last4");
    } else if (inst.has_bank_account()) {
      registered = inst.bank_account().last4();
      registered_field = absl::StrCat("account.instruments[", i, "].bank_account.last4");
    } else {
      continue;
    }
    PITBOSS_ASSIGN_OR_RETURN(std::string reg,
                             NormalizeLast4(registered, registered_field));
    any = true;
    if (reg == claim) matched = true;
  }
  if (!any) return ClaimOutcome::kUnverifiable;
  return matched ? ClaimOutcome::kMatched : ClaimOutcome::kMismatched;
}

}  // namespace

absl::string_view ClaimOutcomeName(ClaimOutcome outcome) {
  switch (outcome) {
    case ClaimOutcome::kNotClaimed:
      return "NOT_CLAIMED";
    case ClaimOutcome::kMatched:
      return "MATCHED";
    case ClaimOutcome::kMismatched:
      return "MISMATCHED";
    case ClaimOutcome::kUnverifiable:
      return "UNVERIFIABLE";
  }
  return "NOT_CLAIMED";
}

absl::Status ValidateCalendarDate(const v1::CalendarDate& date, absl::string_view field) {
  if (date.year() < 1 || date.year() > 9999) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".year: out of range"));
  }
  if (date.month() < 1 || date.month() > 12) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".month: out of range"));
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.day() < 1 || day.day() != date.day() || day.month() != date.month()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".day: not a day of ", date.year(), "-", date.month()));
  }
  return absl::OkStatus();
}

v1::DisclosureTier TierFor(const ClaimsCheck& c) {
  if (c.name != ClaimOutcome::kMatched || c.date_of_birth != ClaimOutcome::kMatched) {
    return v1::DISCLOSURE_TIER_NONE;
  }
  if (c.account_specific_proofs >= 1 && c.mismatched.empty()) {
    return v1::DISCLOSURE_TIER_STANDARD;
  }
  return v1::DISCLOSURE_TIER_BASIC;
}

absl::StatusOr<ClaimsCheck> CheckCallerClaims(const v1::Account& account,
                                              const v1::CallerClaims& claims,
                                              absl::string_view claims_field,
                                              const NameMatcher& matcher, absl::Time now,
                                              const ClaimsOptions& options) {
  if (options.recent_transaction_window <= absl::ZeroDuration() ||
      options.recent_transaction_window == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        "claims.recent_transaction_window: must be positive and finite");
  }
  ClaimsCheck check;
  const v1::Profile& profile = account.profile();
  auto f = [&](absl::string_view name) { return absl::StrCat(claims_field, ".", name); };

  if (!claims.name().empty()) {
    PITBOSS_ASSIGN_OR_RETURN(check.name, CheckName(account, claims.name(), f("name"),
                                                   matcher, options, &check.name_match));
  }
  if (claims.has_date_of_birth() && !IsUnsetDate(claims.date_of_birth())) {
    PITBOSS_RETURN_IF_ERROR(
        ValidateCalendarDate(claims.date_of_birth(), f("date_of_birth")));
    if (!profile.has_date_of_birth() || IsUnsetDate(profile.date_of_birth())) {
      check.date_of_birth = ClaimOutcome::kUnverifiable;
    } else {
      PITBOSS_RETURN_IF_ERROR(
          ValidateCalendarDate(profile.date_of_birth(), "account.profile.date_of_birth"));
      const v1::CalendarDate& a = claims.date_of_birth();
      const v1::CalendarDate& b = profile.date_of_birth();
      check.date_of_birth =
          a.year() == b.year() && a.month() == b.month() && a.day() == b.day()
              ? ClaimOutcome::kMatched
              : ClaimOutcome::kMismatched;
    }
  }
  if (!claims.email().empty()) {
    PITBOSS_ASSIGN_OR_RETURN(std::string claim,
                             NormalizeEmail(claims.email(), f("email")));
    if (profile.email().empty()) {
      check.email = ClaimOutcome::kUnverifiable;
    } else {
      PITBOSS_ASSIGN_OR_RETURN(std::string reg,
                               NormalizeEmail(profile.email(), "account.profile.email"));
      check.email = claim == reg ? ClaimOutcome::kMatched : ClaimOutcome::kMismatched;
    }
  }
  if (!claims.phone().empty()) {
    // Parse the claim even when nothing is registered, so bad input is
    // reported either way.
    PITBOSS_RETURN_IF_ERROR(ParsePhone(claims.phone(), f("phone")).status());
    if (profile.phone().empty()) {
      check.phone = ClaimOutcome::kUnverifiable;
    } else {
      PITBOSS_ASSIGN_OR_RETURN(bool same,
                               PhonesMatch(claims.phone(), f("phone"), profile.phone(),
                                           "account.profile.phone"));
      check.phone = same ? ClaimOutcome::kMatched : ClaimOutcome::kMismatched;
    }
  }
  PITBOSS_ASSIGN_OR_RETURN(
      check.recent_transaction,
      CheckRecentTransaction(account, claims, claims_field, now, options));
  const std::string device(absl::StripAsciiWhitespace(claims.device_id()));
  if (!device.empty()) {
    if (account.devices_size() == 0) {
      check.device = ClaimOutcome::kUnverifiable;
    } else {
      check.device = ClaimOutcome::kMismatched;
      for (const v1::Device& d : account.devices()) {
        if (d.device_id() == device) check.device = ClaimOutcome::kMatched;
      }
    }
  }
  if (!claims.instrument_last4().empty()) {
    PITBOSS_ASSIGN_OR_RETURN(
        check.instrument_last4,
        CheckLast4(account, claims.instrument_last4(), f("instrument_last4")));
  }
  if (!claims.postal_code().empty()) {
    PITBOSS_ASSIGN_OR_RETURN(std::string claim,
                             NormalizePostalCode(claims.postal_code(), f("postal_code")));
    if (profile.address().postal_code().empty()) {
      check.postal_code = ClaimOutcome::kUnverifiable;
    } else {
      PITBOSS_ASSIGN_OR_RETURN(
          std::string reg, NormalizePostalCode(profile.address().postal_code(),
                                               "account.profile.address.postal_code"));
      check.postal_code =
          claim == reg ? ClaimOutcome::kMatched : ClaimOutcome::kMismatched;
    }
  }

  const std::pair<const char*, ClaimOutcome> all[] = {
      {"name", check.name},
      {"date_of_birth", check.date_of_birth},
      {"email", check.email},
      {"phone", check.phone},
      {"recent_transaction", check.recent_transaction},
      {"device_id", check.device},
      {"instrument_last4", check.instrument_last4},
      {"postal_code", check.postal_code},
  };
  for (const auto& [name, outcome] : all) {
    if (outcome == ClaimOutcome::kMatched) check.matched.push_back(name);
    if (outcome == ClaimOutcome::kMismatched) check.mismatched.push_back(name);
  }
  for (ClaimOutcome o :
       {check.email, check.phone, check.recent_transaction, check.device}) {
    if (o == ClaimOutcome::kMatched) ++check.account_specific_proofs;
  }
  check.tier = TierFor(check);
  return check;
}

}  // namespace domain
}  // namespace pitboss
