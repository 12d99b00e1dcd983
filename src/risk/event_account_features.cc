// Channel, amount, reference amount, account age, KYC level (see
// event_account_features.h).
#include "src/risk/event_account_features.h"

#include <limits>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/risk/internal/feature_util.h"

namespace pitboss {
namespace risk {

absl::StatusOr<int64_t> ConvertToReference(int64_t amount_minor_units,
                                           const CurrencyRate& rate,
                                           absl::string_view rate_field) {
  if (rate.reference_minor_units <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(rate_field, ".reference_minor_units: must be positive"));
  }
  if (rate.per_minor_units <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(rate_field, ".per_minor_units: must be positive"));
  }
  const bool negative = amount_minor_units < 0;
  absl::int128 magnitude = absl::int128(amount_minor_units);
  if (negative) magnitude = -magnitude;
  const absl::int128 scaled = magnitude * rate.reference_minor_units;
  const absl::int128 denominator = rate.per_minor_units;
  // Half-up on the magnitude: floor((2 * scaled + denominator) / (2 * denominator)).
  absl::int128 rounded = (2 * scaled + denominator) / (2 * denominator);
  if (negative) rounded = -rounded;
  if (rounded > absl::int128(std::numeric_limits<int64_t>::max()) ||
      rounded < absl::int128(std::numeric_limits<int64_t>::min())) {
    return absl::OutOfRangeError(absl::StrCat(
        rate_field, ": converting ", amount_minor_units, " minor units overflows int64"));
  }
  return static_cast<int64_t>(rounded);
}

absl::Status AddEventAndAccountFeatures(const v1::Account& account, const v1::Event& event,
                                        const risk_internal::EventSubject& subject,
                                        absl::Time now, const FeatureOptions& options,
                                        v1::Features* features) {
  if (!v1::Channel_IsValid(event.channel())) {
    return absl::InvalidArgumentError(
        absl::StrCat("event.channel: unknown value ", static_cast<int>(event.channel())));
  }
  if (!v1::KycLevel_IsValid(account.kyc().level())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "account.kyc.level: unknown value ", static_cast<int>(account.kyc().level())));
  }
  PITBOSS_ASSIGN_OR_RETURN(absl::Time created,
                           risk_internal::ReadTime(account.created_at(), "account.created_at"));
  features->set_channel(event.channel());
  features->set_account_age_seconds(
      created == absl::InfinitePast() ? 0 : risk_internal::SecondsSince(created, now));
  features->set_kyc_level(account.kyc().level());
  features->set_kyc_documents_verified(account.kyc().level() ==
                                           v1::KYC_LEVEL_DOCUMENTS_VERIFIED ||
                                       account.kyc().level() == v1::KYC_LEVEL_ENHANCED);

  features->set_reference_currency(options.reference_currency);
  if (!subject.has_amount) return absl::OkStatus();
  features->set_has_amount(true);
  features->set_amount_minor_units(subject.amount_minor_units);
  if (options.reference_currency.empty()) return absl::OkStatus();
  if (subject.currency == options.reference_currency) {
    features->set_has_reference_amount(true);
    features->set_amount_reference_minor_units(subject.amount_minor_units);
    return absl::OkStatus();
  }
  for (size_t i = 0; i < options.rates.size(); ++i) {
    const CurrencyRate& rate = options.rates[i];
    if (rate.currency != subject.currency) continue;
    PITBOSS_ASSIGN_OR_RETURN(
        int64_t converted, ConvertToReference(subject.amount_minor_units, rate,
                                              absl::StrCat("options.rates[", i, "]")));
    features->set_has_reference_amount(true);
    features->set_amount_reference_minor_units(converted);
    return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace risk
}  // namespace pitboss
