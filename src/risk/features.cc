// ComputeFeatures: joins the feature families (see features.h).
#include "src/risk/features.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/currency.h"
#include "src/risk/device_features.h"
#include "src/risk/event_account_features.h"
#include "src/risk/internal/event_subject.h"
#include "src/risk/name_match_features.h"
#include "src/risk/payment_features.h"
#include "src/risk/security_timing_features.h"
#include "src/risk/support_call_features.h"
#include "src/risk/velocity_features.h"
#include "src/risk/wagering_features.h"

namespace pitboss {
namespace risk {

absl::StatusOr<FeatureOptions> DefaultFeatureOptions() {
  PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<domain::NameMatcher> matcher,
                           domain::NameMatcher::Create());
  FeatureOptions options;
  options.name_matcher = std::move(matcher);
  return options;
}

absl::Status ValidateFeatureOptions(const FeatureOptions& options) {
  if ((options.families & ~kAllFeatureFamilies) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.families: unknown bits 0x",
                     absl::Hex(options.families & ~kAllFeatureFamilies)));
  }
  if ((options.families & kNameMatchFeatures) != 0 && options.name_matcher == nullptr) {
    return absl::InvalidArgumentError(
        "options.name_matcher: must be set to compute name-match features");
  }
  if (!options.reference_currency.empty()) {
    PITBOSS_RETURN_IF_ERROR(
        domain::LookupCurrency(options.reference_currency, "options.reference_currency")
            .status());
  } else if (!options.rates.empty()) {
    return absl::InvalidArgumentError(
        "options.rates: given without options.reference_currency");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < options.rates.size(); ++i) {
    const CurrencyRate& rate = options.rates[i];
    const std::string field = absl::StrCat("options.rates[", i, "]");
    PITBOSS_RETURN_IF_ERROR(
        domain::LookupCurrency(rate.currency, absl::StrCat(field, ".currency")).status());
    if (rate.currency == options.reference_currency) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".currency: the reference currency needs no rate"));
    }
    if (!seen.insert(rate.currency).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".currency: duplicate rate for ", rate.currency));
    }
    if (rate.reference_minor_units <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".reference_minor_units: must be positive"));
    }
    if (rate.per_minor_units <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".per_minor_units: must be positive"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Features> ComputeFeatures(const v1::Account& account,
                                             const v1::Event& event, absl::Time now,
                                             const FeatureOptions& options) {
  v1::Features features;
  PITBOSS_RETURN_IF_ERROR(ComputeFeaturesInto(account, event, now, options, &features));
  return features;
}

absl::Status ComputeFeaturesInto(const v1::Account& account, const v1::Event& event,
                                 absl::Time now, const FeatureOptions& options,
                                 v1::Features* out) {
  if (out == nullptr) return absl::InvalidArgumentError("features: is null");
  out->Clear();
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("now: must be a finite time");
  }
  const uint32_t families = options.families;
  if ((families & kNameMatchFeatures) != 0 && options.name_matcher == nullptr) {
    return absl::InvalidArgumentError(
        "options.name_matcher: must be set to compute name-match features");
  }
  // The payment the event is about; checked whatever families are asked for,
  // so an event naming a payment the account lacks is always an error.
  PITBOSS_ASSIGN_OR_RETURN(risk_internal::EventSubject subject,
                           risk_internal::ResolveEventSubject(account, event));
  if ((families & kEventAndAccountFeatures) != 0) {
    PITBOSS_RETURN_IF_ERROR(
        AddEventAndAccountFeatures(account, event, subject, now, options, out));
  }
  if ((families & kVelocityFeatures) != 0) {
    PITBOSS_RETURN_IF_ERROR(AddVelocityFeatures(account, now, out));
  }
  if ((families & kSecurityTimingFeatures) != 0) {
    PITBOSS_RETURN_IF_ERROR(AddSecurityTimingFeatures(account, now, options, out));
  }
  if ((families & kDeviceFeatures) != 0) {
    PITBOSS_RETURN_IF_ERROR(AddDeviceFeatures(account, event, now, options, out));
  }
  if ((families & kNameMatchFeatures) != 0) {
    PITBOSS_RETURN_IF_ERROR(
        AddNameMatchFeatures(account, subject, *options.name_matcher, out));
  }
  if ((families & kPaymentFeatures) != 0) {
    PITBOSS_RETURN_IF_ERROR(AddPaymentFeatures(account, subject, now, out));
  }
  if ((families & kWageringFeatures) != 0) {
    PITBOSS_RETURN_IF_ERROR(AddWageringFeatures(account, subject, now, out));
  }
  if ((families & kSupportCallFeatures) != 0) {
    PITBOSS_RETURN_IF_ERROR(AddSupportCallFeatures(account, event, out));
  }
  return absl::OkStatus();
}

}  // namespace risk
}  // namespace pitboss
