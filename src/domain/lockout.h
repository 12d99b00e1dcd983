// Failed-login lockout: how many wrong passwords (or second factors) an
// account tolerates before logins are refused for a while, and when it locks
// for good.
//
// Rules (PSD2 RTS art. 4: at most 5 failed attempts in a period before a
// temporary block; NIST SP 800-63B 5.2.2: no more than 100 consecutive failed
// attempts), every number configurable in LockoutOptions:
//   - A failure at time t counts in the window at `now` while now - t < window
//     (default 15 min): a failure exactly `window` old no longer counts.
//   - When `max_failures_in_window` (default 5) failures are in the window,
//     logins are refused until the last failure + `lockout_duration` (default
//     15 min): locked while now < locked_until.
//   - A failure that the host did check while the account was locked (it
//     reports BAD_PASSWORD, not ACCOUNT_LOCKED) still counts and can extend
//     the lock; a failure reported as ACCOUNT_LOCKED was not checked and counts
//     for nothing.
//   - `hard_lock_consecutive_failures` (default 100) consecutive failures
//     without a success hard-lock the account: every login is refused, with no
//     end time, until ClearLockout() (a password reset through a possession
//     factor, or a security officer). So no account ever sees a 101st checked
//     attempt.
//   - A success while unlocked resets the counters and records the login as
//     the session's latest activity. A success while locked is refused and
//     changes nothing.
//
// Only Account.security is read and written: lockout knows nothing else.
// Functions are pure: `now` is an input, the input is never modified, and an
// error (INVALID_ARGUMENT naming the field) returns no new state.
#ifndef PITBOSS_SRC_DOMAIN_LOCKOUT_H_
#define PITBOSS_SRC_DOMAIN_LOCKOUT_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace domain {

struct LockoutOptions {
  int max_failures_in_window = 5;
  absl::Duration window = absl::Minutes(15);
  absl::Duration lockout_duration = absl::Minutes(15);
  int hard_lock_consecutive_failures = 100;
};

// 1 <= max_failures_in_window <= hard_lock_consecutive_failures <= 100;
// window and lockout_duration positive. INVALID_ARGUMENT naming the option.
absl::Status ValidateLockoutOptions(const LockoutOptions& options);

struct LockoutState {
  // Logins are refused now (timed lock or hard lock).
  bool locked = false;
  bool hard_locked = false;
  // End of the timed lock; absl::InfiniteFuture() when hard-locked;
  // absl::InfinitePast() when not locked.
  absl::Time locked_until = absl::InfinitePast();
  // Failures that still count in the window at `now`.
  int failures_in_window = 0;
  int consecutive_failures = 0;
  // Failures still accepted before the next (timed) lock; 0 when locked.
  int attempts_before_lock = 0;
};

// The lockout state of `security` at `now`. `field` is the path of `security`
// in error messages (e.g. "account.security").
absl::StatusOr<LockoutState> GetLockoutState(const v1::Security& security, absl::Time now,
                                             const LockoutOptions& options,
                                             absl::string_view field);

enum class LoginOutcome {
  // A success while unlocked: counters reset.
  kAccepted,
  // A checked failure: counted (and maybe locked).
  kFailureCounted,
  // Refused because the account is locked; nothing recorded.
  kRefusedLocked,
};

struct LoginAttemptResult {
  LoginOutcome outcome = LoginOutcome::kRefusedLocked;
  // The new security record (equal to the input when nothing was recorded).
  v1::Security security;
  // This attempt started a timed lock / the hard lock.
  bool lock_started = false;
  bool hard_lock_started = false;
  // The state after the attempt.
  LockoutState state;
};

// Applies one login attempt at `now` to `security`. The attempt is
// `attempt_field` in errors (e.g. "event.login_attempt"): a failure without a
// reason, or UNKNOWN_USER (an event for an existing account), is
// INVALID_ARGUMENT. Failures older than the window are pruned from
// recent_failed_logins; at most max_failures_in_window are kept.
absl::StatusOr<LoginAttemptResult> ApplyLoginAttempt(const v1::Security& security,
                                                     absl::string_view security_field,
                                                     const v1::LoginAttempt& attempt,
                                                     absl::string_view attempt_field,
                                                     absl::Time now,
                                                     const LockoutOptions& options);

// `security` with the lockout cleared: no timed or hard lock, no counted
// failures. For a completed password reset through a possession factor or a
// security officer lifting the lock.
v1::Security ClearLockout(const v1::Security& security);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_LOCKOUT_H_
