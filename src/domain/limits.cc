// Deposit limits, time-outs and self-exclusion (see limits.h).
#include "src/domain/limits.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "src/common/status_macros.h"
#include "src/domain/account_change.h"
#include "src/domain/money.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {
namespace {

constexpr std::array<v1::LimitPeriod, 3> kPeriods = {
    v1::LIMIT_PERIOD_DAILY, v1::LIMIT_PERIOD_WEEKLY, v1::LIMIT_PERIOD_MONTHLY};

absl::string_view PeriodName(v1::LimitPeriod period) {
  switch (period) {
    case v1::LIMIT_PERIOD_DAILY:
      return "daily";
    case v1::LIMIT_PERIOD_WEEKLY:
      return "weekly";
    case v1::LIMIT_PERIOD_MONTHLY:
      return "monthly";
    default:
      return "unspecified";
  }
}

absl::StatusOr<absl::TimeZone> OffsetZone(int utc_offset_minutes) {
  if (std::abs(utc_offset_minutes) > 18 * 60) {
    return absl::InvalidArgumentError(
        absl::StrCat("account.profile.utc_offset_minutes: out of range (",
                     utc_offset_minutes, ")"));
  }
  return absl::FixedTimeZone(utc_offset_minutes * 60);
}

absl::Status ValidatePeriod(v1::LimitPeriod period, absl::string_view field) {
  if (period != v1::LIMIT_PERIOD_DAILY && period != v1::LIMIT_PERIOD_WEEKLY &&
      period != v1::LIMIT_PERIOD_MONTHLY) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be DAILY, WEEKLY or MONTHLY (got ",
                     static_cast<int>(period), ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateNow(absl::Time now) {
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("now: must be a finite time");
  }
  return absl::OkStatus();
}

bool HasPending(const v1::DepositLimit& limit) {
  return limit.pending_removal() || !IsUnsetMoney(limit.pending_amount());
}

void ClearPending(v1::DepositLimit& limit) {
  limit.clear_pending_amount();
  limit.clear_pending_removal();
  limit.clear_pending_requested_at();
  limit.clear_pending_effective_at();
}

v1::DepositLimit* FindLimit(v1::Account& account, v1::LimitPeriod period) {
  for (v1::DepositLimit& limit :
       *account.mutable_responsible_gambling()->mutable_deposit_limits()) {
    if (limit.period() == period) return &limit;
  }
  return nullptr;
}

v1::DepositLimit& FindOrAddLimit(v1::Account& account, v1::LimitPeriod period) {
  if (v1::DepositLimit* found = FindLimit(account, period)) return *found;
  v1::DepositLimit* added =
      account.mutable_responsible_gambling()->add_deposit_limits();
  added->set_period(period);
  return *added;
}

// Completed-deposit usage of `limit` in the period containing `now`.
absl::StatusOr<int64_t> UsageAt(const v1::DepositLimit& limit, absl::Time now,
                                int utc_offset_minutes) {
  PITBOSS_ASSIGN_OR_RETURN(absl::Time start,
                           LimitPeriodStart(limit.period(), now, utc_offset_minutes));
  if (FromProtoTime(limit.usage_period_start()) != start) return 0;
  return limit.used().minor_units();
}

bool SelfExclusionRuns(const v1::ResponsibleGambling& rg, absl::Time now) {
  if (!IsSet(rg.self_excluded_at())) return false;
  if (rg.self_exclusion_indefinite()) return true;
  return now < FromProtoTime(rg.self_excluded_until());
}

}  // namespace

absl::Status ValidateLimitsOptions(const LimitsOptions& options) {
  if (options.cooling_off < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("limits.cooling_off: must not be negative");
  }
  if (options.minimum_self_exclusion_months < 1) {
    return absl::InvalidArgumentError(
        "limits.minimum_self_exclusion_months: must be at least 1");
  }
  if (options.minimum_time_out_hours < 1 ||
      options.maximum_time_out_hours < options.minimum_time_out_hours) {
    return absl::InvalidArgumentError(
        "limits.minimum_time_out_hours: must be >= 1 and <= maximum_time_out_hours");
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> LimitPeriodStart(v1::LimitPeriod period, absl::Time now,
                                            int utc_offset_minutes) {
  PITBOSS_RETURN_IF_ERROR(ValidatePeriod(period, "limit.period"));
  PITBOSS_RETURN_IF_ERROR(ValidateNow(now));
  PITBOSS_ASSIGN_OR_RETURN(absl::TimeZone zone, OffsetZone(utc_offset_minutes));
  const absl::CivilDay day = absl::ToCivilDay(now, zone);
  switch (period) {
    case v1::LIMIT_PERIOD_DAILY:
      return absl::FromCivil(day, zone);
    case v1::LIMIT_PERIOD_WEEKLY: {
      const absl::CivilDay monday =
          absl::GetWeekday(day) == absl::Weekday::monday
              ? day
              : absl::PrevWeekday(day, absl::Weekday::monday);
      return absl::FromCivil(monday, zone);
    }
    default:
      return absl::FromCivil(absl::CivilMonth(day), zone);
  }
}

absl::StatusOr<absl::Time> LimitPeriodEnd(v1::LimitPeriod period, absl::Time now,
                                          int utc_offset_minutes) {
  PITBOSS_ASSIGN_OR_RETURN(absl::Time start,
                           LimitPeriodStart(period, now, utc_offset_minutes));
  PITBOSS_ASSIGN_OR_RETURN(absl::TimeZone zone, OffsetZone(utc_offset_minutes));
  const absl::CivilDay first = absl::ToCivilDay(start, zone);
  switch (period) {
    case v1::LIMIT_PERIOD_DAILY:
      return absl::FromCivil(first + 1, zone);
    case v1::LIMIT_PERIOD_WEEKLY:
      return absl::FromCivil(first + 7, zone);
    default:
      return absl::FromCivil(absl::CivilMonth(first) + 1, zone);
  }
}

std::optional<v1::Money> EffectiveDepositLimit(const v1::DepositLimit& limit,
                                               absl::Time now) {
  if (HasPending(limit) && now >= FromProtoTime(limit.pending_effective_at())) {
    if (limit.pending_removal()) return std::nullopt;
    return limit.pending_amount();
  }
  if (IsUnsetMoney(limit.amount())) return std::nullopt;
  return limit.amount();
}

absl::string_view GamblingBlockName(GamblingBlock block) {
  switch (block) {
    case GamblingBlock::kNone:
      return "NONE";
    case GamblingBlock::kSelfExcluded:
      return "SELF_EXCLUDED";
    case GamblingBlock::kTimedOut:
      return "TIMED_OUT";
    case GamblingBlock::kDepositLimit:
      return "DEPOSIT_LIMIT";
    case GamblingBlock::kAccountClosed:
      return "ACCOUNT_CLOSED";
  }
  return "UNKNOWN";
}

GamblingBlock PlayBlock(const v1::Account& account, absl::Time now) {
  if (account.status() == v1::ACCOUNT_STATUS_CLOSED) return GamblingBlock::kAccountClosed;
  const v1::ResponsibleGambling& rg = account.responsible_gambling();
  // A SELF_EXCLUDED account stays blocked until EndSelfExclusion reactivates it.
  if (account.status() == v1::ACCOUNT_STATUS_SELF_EXCLUDED || SelfExclusionRuns(rg, now)) {
    return GamblingBlock::kSelfExcluded;
  }
  if (now < FromProtoTime(rg.time_out_until())) return GamblingBlock::kTimedOut;
  return GamblingBlock::kNone;
}

absl::StatusOr<DepositAllowance> CheckDepositAllowed(const v1::Account& account,
                                                     const v1::Money& amount,
                                                     absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateNow(now));
  PITBOSS_RETURN_IF_ERROR(ValidatePositiveMoney(amount, "amount"));
  const std::string& currency = account.profile().currency();
  if (currency.empty()) {
    return absl::FailedPreconditionError("account.profile.currency: not set");
  }
  PITBOSS_RETURN_IF_ERROR(CheckCurrency(amount, currency, "amount"));
  const int offset = account.profile().utc_offset_minutes();
  PITBOSS_RETURN_IF_ERROR(OffsetZone(offset).status());

  DepositAllowance out;
  const v1::ResponsibleGambling& rg = account.responsible_gambling();
  out.block = PlayBlock(account, now);
  if (out.block == GamblingBlock::kSelfExcluded) {
    out.blocked_until = rg.self_exclusion_indefinite()
                            ? absl::InfiniteFuture()
                            : std::max(now, FromProtoTime(rg.self_excluded_until()));
    out.reason = "self-excluded";
    return out;
  }
  if (out.block == GamblingBlock::kTimedOut) {
    out.blocked_until = FromProtoTime(rg.time_out_until());
    out.reason = "timed out";
    return out;
  }
  if (out.block == GamblingBlock::kAccountClosed) {
    out.reason = "account closed";
    return out;
  }

  // Deposits accepted and not yet settled count against every period.
  int64_t in_flight = 0;
  for (const v1::Deposit& deposit : account.deposits()) {
    if (deposit.state() == v1::DEPOSIT_STATE_AWAITING_AUTHENTICATION ||
        deposit.state() == v1::DEPOSIT_STATE_PENDING) {
      PITBOSS_ASSIGN_OR_RETURN(
          in_flight, CheckedAdd(in_flight, deposit.amount().minor_units(), "deposits.amount"));
    }
  }

  bool have_binding = false;
  int64_t binding_remaining = 0;
  for (v1::LimitPeriod period : kPeriods) {
    const v1::DepositLimit* limit = nullptr;
    for (const v1::DepositLimit& candidate : rg.deposit_limits()) {
      if (candidate.period() == period) limit = &candidate;
    }
    if (limit == nullptr) continue;
    std::optional<v1::Money> in_force = EffectiveDepositLimit(*limit, now);
    if (!in_force.has_value()) continue;
    const std::string field =
        absl::StrCat("account.responsible_gambling.deposit_limits[", PeriodName(period), "]");
    PITBOSS_RETURN_IF_ERROR(CheckCurrency(*in_force, currency, field));
    PITBOSS_ASSIGN_OR_RETURN(int64_t used, UsageAt(*limit, now, offset));
    PITBOSS_ASSIGN_OR_RETURN(used, CheckedAdd(used, in_flight, field));
    PITBOSS_ASSIGN_OR_RETURN(int64_t remaining,
                             CheckedSubtract(in_force->minor_units(), used, field));
    if (remaining < 0) remaining = 0;
    if (!have_binding || remaining < binding_remaining) {
      have_binding = true;
      binding_remaining = remaining;
      out.binding_period = period;
      out.remaining = MakeMoney(remaining, currency);
      if (amount.minor_units() > remaining) {
        out.block = GamblingBlock::kDepositLimit;
        PITBOSS_ASSIGN_OR_RETURN(out.blocked_until, LimitPeriodEnd(period, now, offset));
        out.reason = absl::StrCat(PeriodName(period), " deposit limit ",
                                  FormatMoney(*in_force), " leaves ",
                                  FormatMoney(out.remaining), ", requested ",
                                  FormatMoney(amount));
      }
    }
  }
  return out;
}

absl::Status ChangeDepositLimit(v1::Account* account, const v1::DepositLimitChange& change,
                                const LimitsOptions& options, absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateLimitsOptions(options));
  PITBOSS_RETURN_IF_ERROR(ValidateNow(now));
  PITBOSS_RETURN_IF_ERROR(
      ValidatePeriod(change.period(), "event.deposit_limit_change.period"));
  return ApplyAccountChange(account, now, kSectionResponsibleGambling, [&](v1::Account& draft) -> absl::Status {
    if (draft.status() == v1::ACCOUNT_STATUS_CLOSED) {
      return absl::FailedPreconditionError("account.status: account is closed");
    }
    const std::string& currency = draft.profile().currency();
    if (currency.empty()) {
      return absl::FailedPreconditionError("account.profile.currency: not set");
    }
    if (change.remove()) {
      if (!IsUnsetMoney(change.amount())) {
        return absl::InvalidArgumentError(
            "event.deposit_limit_change.amount: must be unset when remove is true");
      }
    } else {
      PITBOSS_RETURN_IF_ERROR(
          ValidatePositiveMoney(change.amount(), "event.deposit_limit_change.amount"));
      PITBOSS_RETURN_IF_ERROR(
          CheckCurrency(change.amount(), currency, "event.deposit_limit_change.amount"));
    }
    domain_internal::PromoteDueLimitChanges(draft, now);
    v1::DepositLimit& limit = FindOrAddLimit(draft, change.period());
    const bool has_limit = !IsUnsetMoney(limit.amount());
    const auto pend = [&](bool removal) {
      ClearPending(limit);
      if (removal) {
        limit.set_pending_removal(true);
      } else {
        *limit.mutable_pending_amount() = change.amount();
      }
      *limit.mutable_pending_requested_at() = ToProtoTime(now);
      *limit.mutable_pending_effective_at() = ToProtoTime(now + options.cooling_off);
    };
    if (change.remove()) {
      if (!has_limit) {
        return absl::FailedPreconditionError(absl::StrCat(
            "account.responsible_gambling.deposit_limits[", PeriodName(change.period()),
            "]: no limit to remove"));
      }
      pend(/*removal=*/true);  // removing = raising to "no limit"
      return absl::OkStatus();
    }
    if (has_limit && change.amount().minor_units() > limit.amount().minor_units()) {
      pend(/*removal=*/false);  // an increase waits for the cooling-off period
      return absl::OkStatus();
    }
    // A first limit, a decrease or the same amount: in force at once; any
    // pending increase is cancelled.
    ClearPending(limit);
    *limit.mutable_amount() = change.amount();
    *limit.mutable_set_at() = ToProtoTime(now);
    return absl::OkStatus();
  });
}

absl::Status StartTimeOut(v1::Account* account, const v1::TimeOut& time_out,
                          const LimitsOptions& options, absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateLimitsOptions(options));
  PITBOSS_RETURN_IF_ERROR(ValidateNow(now));
  if (time_out.hours() < options.minimum_time_out_hours ||
      time_out.hours() > options.maximum_time_out_hours) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event.time_out.hours: must be in [", options.minimum_time_out_hours, ", ",
        options.maximum_time_out_hours, "] (got ", time_out.hours(), ")"));
  }
  return ApplyAccountChange(account, now, kSectionResponsibleGambling, [&](v1::Account& draft) -> absl::Status {
    if (draft.status() == v1::ACCOUNT_STATUS_CLOSED) {
      return absl::FailedPreconditionError("account.status: account is closed");
    }
    v1::ResponsibleGambling& rg = *draft.mutable_responsible_gambling();
    const absl::Time until = now + absl::Hours(time_out.hours());
    const absl::Time current = FromProtoTime(rg.time_out_until());
    if (now < current && until < current) {
      return absl::FailedPreconditionError(
          "account.responsible_gambling.time_out_until: a running time-out cannot be "
          "shortened");
    }
    if (!(now < current)) *rg.mutable_time_out_started_at() = ToProtoTime(now);
    *rg.mutable_time_out_until() = ToProtoTime(until);
    return absl::OkStatus();
  });
}

absl::Status StartSelfExclusion(v1::Account* account,
                                const v1::SelfExclusion& self_exclusion,
                                const LimitsOptions& options, absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateLimitsOptions(options));
  PITBOSS_RETURN_IF_ERROR(ValidateNow(now));
  if (!self_exclusion.indefinite() &&
      (self_exclusion.months() < options.minimum_self_exclusion_months ||
       self_exclusion.months() > 1200)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event.self_exclusion.months: must be at least ",
        options.minimum_self_exclusion_months, " (and at most 1200), got ",
        self_exclusion.months()));
  }
  return ApplyAccountChange(account, now, kSectionResponsibleGambling | kSectionStatus, [&](v1::Account& draft) -> absl::Status {
    if (draft.status() == v1::ACCOUNT_STATUS_CLOSED) {
      return absl::FailedPreconditionError("account.status: account is closed");
    }
    PITBOSS_ASSIGN_OR_RETURN(absl::TimeZone zone,
                             OffsetZone(draft.profile().utc_offset_minutes()));
    v1::ResponsibleGambling& rg = *draft.mutable_responsible_gambling();
    const bool running = SelfExclusionRuns(rg, now);
    if (running && rg.self_exclusion_indefinite() && !self_exclusion.indefinite()) {
      return absl::FailedPreconditionError(
          "account.responsible_gambling.self_excluded_until: an indefinite "
          "self-exclusion cannot be shortened");
    }
    absl::Time until = absl::InfiniteFuture();
    if (!self_exclusion.indefinite()) {
      // Calendar months in the account's offset (Aug 31 + 6 months = Mar 3,
      // never less than 6 months).
      const absl::CivilSecond start = absl::ToCivilSecond(now, zone);
      const absl::CivilSecond end(start.year(), start.month() + self_exclusion.months(),
                                  start.day(), start.hour(), start.minute(),
                                  start.second());
      until = absl::FromCivil(end, zone) + (now - absl::FromCivil(start, zone));
      if (running && !rg.self_exclusion_indefinite() &&
          until < FromProtoTime(rg.self_excluded_until())) {
        return absl::FailedPreconditionError(
            "account.responsible_gambling.self_excluded_until: a running "
            "self-exclusion cannot be shortened");
      }
    }
    if (!running) *rg.mutable_self_excluded_at() = ToProtoTime(now);
    rg.set_self_exclusion_indefinite(self_exclusion.indefinite());
    if (self_exclusion.indefinite()) {
      rg.clear_self_excluded_until();
    } else {
      *rg.mutable_self_excluded_until() = ToProtoTime(until);
    }
    draft.set_status(v1::ACCOUNT_STATUS_SELF_EXCLUDED);
    return absl::OkStatus();
  });
}

absl::Status EndSelfExclusion(v1::Account* account, absl::Time now) {
  PITBOSS_RETURN_IF_ERROR(ValidateNow(now));
  return ApplyAccountChange(account, now, kSectionStatus, [&](v1::Account& draft) -> absl::Status {
    if (draft.status() != v1::ACCOUNT_STATUS_SELF_EXCLUDED) {
      return absl::FailedPreconditionError("account.status: not self-excluded");
    }
    if (SelfExclusionRuns(draft.responsible_gambling(), now)) {
      return absl::FailedPreconditionError(
          "account.responsible_gambling.self_excluded_until: self-exclusion still runs");
    }
    draft.set_status(v1::ACCOUNT_STATUS_ACTIVE);
    return absl::OkStatus();
  });
}

namespace domain_internal {

absl::Status RecordDepositLimitUsage(v1::Account& draft, const v1::Money& amount,
                                     absl::Time at) {
  const int offset = draft.profile().utc_offset_minutes();
  for (v1::LimitPeriod period : kPeriods) {
    PITBOSS_ASSIGN_OR_RETURN(absl::Time start, LimitPeriodStart(period, at, offset));
    v1::DepositLimit& limit = FindOrAddLimit(draft, period);
    const absl::Time stored = FromProtoTime(limit.usage_period_start());
    if (start < stored) continue;  // belongs to a period already over
    if (start > stored) {
      *limit.mutable_usage_period_start() = ToProtoTime(start);
      *limit.mutable_used() = MakeMoney(0, amount.currency());
    }
    PITBOSS_ASSIGN_OR_RETURN(
        *limit.mutable_used(),
        AddMoney(limit.used(), amount,
                 absl::StrCat("account.responsible_gambling.deposit_limits[",
                              PeriodName(period), "].used")));
  }
  return absl::OkStatus();
}

void PromoteDueLimitChanges(v1::Account& draft, absl::Time now) {
  for (v1::DepositLimit& limit :
       *draft.mutable_responsible_gambling()->mutable_deposit_limits()) {
    if (!HasPending(limit)) continue;
    const absl::Time effective = FromProtoTime(limit.pending_effective_at());
    if (now < effective) continue;
    if (limit.pending_removal()) {
      limit.clear_amount();
    } else {
      *limit.mutable_amount() = limit.pending_amount();
    }
    *limit.mutable_set_at() = ToProtoTime(effective);
    ClearPending(limit);
  }
}

}  // namespace domain_internal
}  // namespace domain
}  // namespace pitboss
