// Velocity windows and failed login / OTP bursts (see velocity_features.h).
#include "src/risk/velocity_features.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/velocity.h"
#include "src/risk/internal/velocity_buckets.h"

namespace pitboss {
namespace risk {
namespace {

using WindowedTotalsGetter = v1::WindowedTotals* (v1::VelocityFeatures::*)();

struct MetricTarget {
  v1::VelocityMetric metric;
  WindowedTotalsGetter target;
};

// Which VelocityFeatures field each counted metric fills.
constexpr std::array<MetricTarget, 14> kMetricTargets = {{
    {v1::VELOCITY_METRIC_DEPOSIT_REQUESTED, &v1::VelocityFeatures::mutable_deposits_requested},
    {v1::VELOCITY_METRIC_DEPOSIT_COMPLETED, &v1::VelocityFeatures::mutable_deposits_completed},
    {v1::VELOCITY_METRIC_DEPOSIT_UNSUCCESSFUL,
     &v1::VelocityFeatures::mutable_deposits_unsuccessful},
    {v1::VELOCITY_METRIC_DEPOSIT_REVERSED, &v1::VelocityFeatures::mutable_deposits_reversed},
    {v1::VELOCITY_METRIC_WITHDRAWAL_REQUESTED,
     &v1::VelocityFeatures::mutable_withdrawals_requested},
    {v1::VELOCITY_METRIC_WITHDRAWAL_PAID, &v1::VelocityFeatures::mutable_withdrawals_paid},
    {v1::VELOCITY_METRIC_WAGER_STAKE, &v1::VelocityFeatures::mutable_wagers_staked},
    {v1::VELOCITY_METRIC_WAGER_PAYOUT, &v1::VelocityFeatures::mutable_wagers_paid_out},
    {v1::VELOCITY_METRIC_LOGIN_FAILED, &v1::VelocityFeatures::mutable_login_failures},
    {v1::VELOCITY_METRIC_VERIFICATION_FAILED, &v1::VelocityFeatures::mutable_otp_failures},
    {v1::VELOCITY_METRIC_CONTACT_CHANGE, &v1::VelocityFeatures::mutable_contact_changes},
    {v1::VELOCITY_METRIC_PASSWORD_RESET_REQUESTED,
     &v1::VelocityFeatures::mutable_password_reset_requests},
    {v1::VELOCITY_METRIC_SUPPORT_CALL, &v1::VelocityFeatures::mutable_support_calls},
    {v1::VELOCITY_METRIC_INSTRUMENT_ADDED, &v1::VelocityFeatures::mutable_instruments_added},
}};

// A 15-minute burst: the 1 h window's last three 5-minute buckets.
constexpr int kBurstBuckets = 3;

// The four windows of one metric, all from one pass over its series.
absl::Status FillWindows(const v1::VelocityCounters& counters, v1::VelocityMetric metric,
                         absl::Time now, v1::WindowedTotals& out) {
  PITBOSS_ASSIGN_OR_RETURN(
      const auto totals,
      domain::QueryVelocitySeries(domain::FindVelocitySeries(counters, metric), now));
  // VelocityWindowSpecs order: 1 h, 24 h, 7 d, 30 d.
  out.set_count_1h(totals[0].count);
  out.set_count_24h(totals[1].count);
  out.set_count_7d(totals[2].count);
  out.set_count_30d(totals[3].count);
  out.set_sum_1h(totals[0].sum_minor_units);
  out.set_sum_24h(totals[1].sum_minor_units);
  out.set_sum_7d(totals[2].sum_minor_units);
  out.set_sum_30d(totals[3].sum_minor_units);
  return absl::OkStatus();
}

}  // namespace

absl::Status AddVelocityFeatures(const v1::Account& account, absl::Time now,
                                 v1::Features* features) {
  const v1::Security& security = account.security();
  if (security.consecutive_failed_logins() < 0) {
    return absl::InvalidArgumentError(
        "account.security.consecutive_failed_logins: must not be negative");
  }
  if (security.consecutive_failed_verifications() < 0) {
    return absl::InvalidArgumentError(
        "account.security.consecutive_failed_verifications: must not be negative");
  }
  const v1::VelocityCounters& counters = account.velocity();
  v1::VelocityFeatures* velocity = features->mutable_velocity();
  for (const MetricTarget& entry : kMetricTargets) {
    PITBOSS_RETURN_IF_ERROR(
        FillWindows(counters, entry.metric, now, *(velocity->*entry.target)()));
  }
  PITBOSS_ASSIGN_OR_RETURN(
      domain::VelocityTotals login_burst,
      risk_internal::SumLastBuckets(counters, v1::VELOCITY_METRIC_LOGIN_FAILED,
                                    v1::VELOCITY_WINDOW_1H, kBurstBuckets, now));
  PITBOSS_ASSIGN_OR_RETURN(
      domain::VelocityTotals otp_burst,
      risk_internal::SumLastBuckets(counters, v1::VELOCITY_METRIC_VERIFICATION_FAILED,
                                    v1::VELOCITY_WINDOW_1H, kBurstBuckets, now));
  features->set_login_failures_15m(login_burst.count);
  features->set_login_failures_1h(velocity->login_failures().count_1h());
  features->set_otp_failures_15m(otp_burst.count);
  features->set_otp_failures_1h(velocity->otp_failures().count_1h());
  features->set_consecutive_failed_logins(security.consecutive_failed_logins());
  features->set_consecutive_failed_verifications(
      security.consecutive_failed_verifications());
  return absl::OkStatus();
}

}  // namespace risk
}  // namespace pitboss
