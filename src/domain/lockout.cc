// Failed-login lockout (see lockout.h for the rules).
#include "src/domain/lockout.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/proto_time.h"

namespace pitboss {
namespace domain {
namespace {

// The validated times of a Security record.
struct SecurityTimes {
  std::vector<absl::Time> recent_failures;  // oldest first
  absl::Time locked_until = absl::InfinitePast();
};

absl::StatusOr<SecurityTimes> ReadSecurity(const v1::Security& security, absl::Time now,
                                           absl::string_view field) {
  if (security.consecutive_failed_logins() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".consecutive_failed_logins: negative"));
  }
  SecurityTimes times;
  for (int i = 0; i < security.recent_failed_logins_size(); ++i) {
    const std::string f = absl::StrCat(field, ".recent_failed_logins[", i, "]");
    PITBOSS_RETURN_IF_ERROR(ValidateProtoTime(security.recent_failed_logins(i), f));
    const absl::Time t = FromProtoTime(security.recent_failed_logins(i));
    if (t > now) {
      return absl::InvalidArgumentError(absl::StrCat(f, ": in the future"));
    }
    if (!times.recent_failures.empty() && t < times.recent_failures.back()) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ": older than the failure before it"));
    }
    times.recent_failures.push_back(t);
  }
  PITBOSS_RETURN_IF_ERROR(
      ValidateProtoTime(security.locked_until(), absl::StrCat(field, ".locked_until")));
  times.locked_until = FromProtoTime(security.locked_until());
  return times;
}

int CountInWindow(const std::vector<absl::Time>& failures, absl::Time now,
                  absl::Duration window) {
  int n = 0;
  for (absl::Time t : failures) {
    if (now - t < window) ++n;
  }
  return n;
}

LockoutState StateAt(const v1::Security& security, const SecurityTimes& times,
                     absl::Time now, const LockoutOptions& options) {
  LockoutState state;
  state.consecutive_failures = security.consecutive_failed_logins();
  state.failures_in_window = CountInWindow(times.recent_failures, now, options.window);
  if (security.hard_locked()) {
    state.locked = true;
    state.hard_locked = true;
    state.locked_until = absl::InfiniteFuture();
  } else if (now < times.locked_until) {
    state.locked = true;
    state.locked_until = times.locked_until;
  }
  if (!state.locked) {
    state.attempts_before_lock = std::max(
        0, std::min(options.max_failures_in_window - state.failures_in_window,
                    options.hard_lock_consecutive_failures - state.consecutive_failures));
  }
  return state;
}

}  // namespace

absl::Status ValidateLockoutOptions(const LockoutOptions& options) {
  if (options.max_failures_in_window < 1) {
    return absl::InvalidArgumentError(
        "lockout.max_failures_in_window: must be at least 1");
  }
  if (options.hard_lock_consecutive_failures < options.max_failures_in_window ||
      options.hard_lock_consecutive_failures > 100) {
    return absl::InvalidArgumentError(
        "lockout.hard_lock_consecutive_failures: must be between "
        "max_failures_in_window and 100");
  }
  if (options.window <= absl::ZeroDuration() ||
      options.window == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("lockout.window: must be positive");
  }
  if (options.lockout_duration <= absl::ZeroDuration() ||
      options.lockout_duration == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("lockout.lockout_duration: must be positive");
  }
  return absl::OkStatus();
}

absl::StatusOr<LockoutState> GetLockoutState(const v1::Security& security, absl::Time now,
                                             const LockoutOptions& options,
                                             absl::string_view field) {
  PITBOSS_RETURN_IF_ERROR(ValidateLockoutOptions(options));
  PITBOSS_ASSIGN_OR_RETURN(SecurityTimes times, ReadSecurity(security, now, field));
  return StateAt(security, times, now, options);
}

absl::StatusOr<LoginAttemptResult> ApplyLoginAttempt(const v1::Security& security,
                                                     absl::string_view security_field,
                                                     const v1::LoginAttempt& attempt,
                                                     absl::string_view attempt_field,
                                                     absl::Time now,
                                                     const LockoutOptions& options) {
  PITBOSS_RETURN_IF_ERROR(ValidateLockoutOptions(options));
  PITBOSS_ASSIGN_OR_RETURN(SecurityTimes times,
                           ReadSecurity(security, now, security_field));
  if (!attempt.success()) {
    switch (attempt.failure_reason()) {
      case v1::LOGIN_FAILURE_REASON_BAD_PASSWORD:
      case v1::LOGIN_FAILURE_REASON_BAD_SECOND_FACTOR:
      case v1::LOGIN_FAILURE_REASON_ACCOUNT_LOCKED:
        break;
      case v1::LOGIN_FAILURE_REASON_UNKNOWN_USER:
        return absl::InvalidArgumentError(
            absl::StrCat(attempt_field,
                         ".failure_reason: UNKNOWN_USER cannot apply to an existing "
                         "account"));
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            attempt_field, ".failure_reason: required when success is false"));
    }
  } else if (attempt.failure_reason() != v1::LOGIN_FAILURE_REASON_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        attempt_field, ".failure_reason: must be unset when success is true"));
  }
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("now: must be finite");
  }
  const google::protobuf::Timestamp now_proto = ToProtoTime(now);

  const LockoutState before = StateAt(security, times, now, options);
  LoginAttemptResult result;
  result.security = security;
  result.state = before;

  // Unchecked or refused attempts record nothing.
  if (before.hard_locked ||
      attempt.failure_reason() == v1::LOGIN_FAILURE_REASON_ACCOUNT_LOCKED ||
      (attempt.success() && before.locked)) {
    result.outcome = LoginOutcome::kRefusedLocked;
    return result;
  }

  v1::Security& out = result.security;
  if (attempt.success()) {
    result.outcome = LoginOutcome::kAccepted;
    out.set_consecutive_failed_logins(0);
    out.clear_recent_failed_logins();
    out.clear_locked_until();
    *out.mutable_last_login_at() = now_proto;
    *out.mutable_last_activity_at() = now_proto;
    result.state = StateAt(out, SecurityTimes{}, now, options);
    return result;
  }

  result.outcome = LoginOutcome::kFailureCounted;
  // Keep the failures still in the window (the newest max - 1 of them), then
  // add this one.
  std::vector<absl::Time> kept;
  for (absl::Time t : times.recent_failures) {
    if (now - t < options.window) kept.push_back(t);
  }
  const size_t keep = static_cast<size_t>(options.max_failures_in_window - 1);
  if (kept.size() > keep) kept.erase(kept.begin(), kept.end() - keep);
  kept.push_back(now);
  out.clear_recent_failed_logins();
  for (absl::Time t : kept) {
    *out.add_recent_failed_logins() = ToProtoTime(t);
  }
  const int consecutive = std::min(security.consecutive_failed_logins(),
                                   options.hard_lock_consecutive_failures - 1) +
                          1;
  out.set_consecutive_failed_logins(consecutive);
  *out.mutable_last_failed_login_at() = now_proto;

  SecurityTimes after_times{kept, times.locked_until};
  if (consecutive >= options.hard_lock_consecutive_failures) {
    out.set_hard_locked(true);
    *out.mutable_hard_locked_at() = now_proto;
    result.hard_lock_started = true;
  } else if (static_cast<int>(kept.size()) >= options.max_failures_in_window) {
    const absl::Time until = now + options.lockout_duration;
    if (until > times.locked_until) {
      *out.mutable_locked_until() = ToProtoTime(until);
      after_times.locked_until = until;
    }
    result.lock_started = !before.locked;
  }
  result.state = StateAt(out, after_times, now, options);
  return result;
}

v1::Security ClearLockout(const v1::Security& security) {
  v1::Security out = security;
  out.set_consecutive_failed_logins(0);
  out.clear_recent_failed_logins();
  out.clear_locked_until();
  out.set_hard_locked(false);
  out.clear_hard_locked_at();
  return out;
}

}  // namespace domain
}  // namespace pitboss
