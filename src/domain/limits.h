// Responsible gambling: deposit limits, time-outs and self-exclusion.
//
// Rules (DESIGN.md, UKGC RTS 12; every number is a LimitsOptions field):
//   - Deposit limits per period: daily, weekly, monthly. Periods are calendar
//     periods in the account's fixed UTC offset (profile.utc_offset_minutes):
//     a day starts at local midnight, a week on Monday, a month on the 1st.
//   - A lower limit (or a first limit) applies at once. A higher limit, or the
//     removal of a limit, is recorded as pending and applies only once the
//     cooling-off period (default 24 h) has passed: at requested_at + cooling_off
//     exactly, not a second earlier. Lowering again cancels a pending increase.
//   - Every applicable limit is checked; the lowest remaining amount wins. A
//     deposit that would take any period over its limit is refused, so reaching
//     a limit blocks deposits until that period resets.
//   - Usage counts completed deposits (gross amount) in the current period plus
//     deposits already accepted and still in flight (AWAITING_AUTHENTICATION,
//     PENDING), so concurrent deposits cannot jointly exceed a limit.
//   - Self-exclusion starts at once and lasts at least 6 calendar months (or
//     indefinitely); a time-out lasts 24 h to 6 weeks. Neither can be shortened
//     while it runs. Self-excluded or timed-out accounts cannot deposit or play;
//     they can still withdraw.
// All functions are pure: time is the `now` argument. Mutations go through
// ApplyAccountChange (version + 1, unchanged on error).
#ifndef PITBOSS_SRC_DOMAIN_LIMITS_H_
#define PITBOSS_SRC_DOMAIN_LIMITS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace domain {

struct LimitsOptions {
  absl::Duration cooling_off = absl::Hours(24);
  int minimum_self_exclusion_months = 6;
  int64_t minimum_time_out_hours = 24;
  int64_t maximum_time_out_hours = 24 * 7 * 6;  // 6 weeks
};

absl::Status ValidateLimitsOptions(const LimitsOptions& options);

// The start of the calendar period containing `now` and the start of the next
// one, in a fixed UTC offset (minutes east of UTC, within +-18 h).
absl::StatusOr<absl::Time> LimitPeriodStart(v1::LimitPeriod period, absl::Time now,
                                            int utc_offset_minutes);
absl::StatusOr<absl::Time> LimitPeriodEnd(v1::LimitPeriod period, absl::Time now,
                                          int utc_offset_minutes);

// The limit in force at `now` (a due pending change counts as applied), or
// nullopt when there is no limit for this period.
std::optional<v1::Money> EffectiveDepositLimit(const v1::DepositLimit& limit,
                                               absl::Time now);

// Why an account may not deposit or play right now.
enum class GamblingBlock {
  kNone,
  kSelfExcluded,
  kTimedOut,
  kDepositLimit,   // deposits only
  kAccountClosed,
};
absl::string_view GamblingBlockName(GamblingBlock block);

// Self-exclusion or time-out in force at `now` (kNone, kSelfExcluded, kTimedOut
// or kAccountClosed).
GamblingBlock PlayBlock(const v1::Account& account, absl::Time now);

struct DepositAllowance {
  GamblingBlock block = GamblingBlock::kNone;
  // The applicable limit with the least room left (UNSPECIFIED when no limit).
  v1::LimitPeriod binding_period = v1::LIMIT_PERIOD_UNSPECIFIED;
  // Room left in binding_period before this deposit (unset without a limit).
  v1::Money remaining;
  // kDepositLimit: when the blocking period resets; kSelfExcluded / kTimedOut:
  // when the block ends (InfiniteFuture for an indefinite self-exclusion).
  absl::Time blocked_until = absl::InfinitePast();
  std::string reason;
  bool allowed() const { return block == GamblingBlock::kNone; }
};

// May the account deposit `amount` (positive, account currency) at `now`?
// A refusal is data (block + reason); errors are for bad input only.
absl::StatusOr<DepositAllowance> CheckDepositAllowed(const v1::Account& account,
                                                     const v1::Money& amount,
                                                     absl::Time now);

// Applies a player's limit change (decrease now, increase after cooling-off).
absl::Status ChangeDepositLimit(v1::Account* account,
                                const v1::DepositLimitChange& change,
                                const LimitsOptions& options, absl::Time now);

// Starts (or extends) a time-out of change.hours from `now`.
absl::Status StartTimeOut(v1::Account* account, const v1::TimeOut& time_out,
                          const LimitsOptions& options, absl::Time now);

// Starts (or extends) a self-exclusion; the account becomes SELF_EXCLUDED.
absl::Status StartSelfExclusion(v1::Account* account,
                                const v1::SelfExclusion& self_exclusion,
                                const LimitsOptions& options, absl::Time now);

// Returns a SELF_EXCLUDED account to ACTIVE once its self-exclusion has ended
// (returning takes a positive action; it never happens by itself).
// FAILED_PRECONDITION while it runs or when the account is not self-excluded.
absl::Status EndSelfExclusion(v1::Account* account, absl::Time now);

namespace domain_internal {

// Adds a completed deposit (gross amount) to the usage of the daily, weekly
// and monthly periods containing `at`, creating limit entries as needed so a
// limit set later in the same period still sees earlier deposits.
absl::Status RecordDepositLimitUsage(v1::Account& draft, const v1::Money& amount,
                                     absl::Time at);

// Applies pending limit changes whose effective time has come.
void PromoteDueLimitChanges(v1::Account& draft, absl::Time now);

}  // namespace domain_internal
}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_LIMITS_H_
