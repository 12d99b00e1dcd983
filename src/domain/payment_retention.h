// Keeping the account small: which settled payments may leave the Account.
//
// Deposits and withdrawals stay in the account while they can still move:
// in flight, a COMPLETED deposit inside the chargeback window (a chargeback
// can come months later), a PAID withdrawal inside the return window (a bank
// can return a payout days later). Final payments (DECLINED, FAILED, EXPIRED,
// CANCELLED, REVERSED; REJECTED, CANCELLED, FAILED, RETURNED) stay for
// `final_retention` after their last update, for support and features, then
// may go. Pruning removes nothing else; totals, velocity and limit usage keep
// their history. A later event for a pruned payment is NOT_FOUND.
#ifndef PITBOSS_SRC_DOMAIN_PAYMENT_RETENTION_H_
#define PITBOSS_SRC_DOMAIN_PAYMENT_RETENTION_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"

namespace pitboss {
namespace domain {

struct RetentionOptions {
  // Card networks allow chargebacks up to about 120-540 days after the payment.
  absl::Duration chargeback_window = absl::Hours(24 * 540);
  absl::Duration payout_return_window = absl::Hours(24 * 90);
  absl::Duration final_retention = absl::Hours(24 * 30);
};

// Removes the payments that may leave; returns how many were removed. When it
// removes any, that is one applied change (version + 1); when none, the
// account is untouched.
absl::StatusOr<int> PrunePayments(v1::Account* account, const RetentionOptions& options,
                                  absl::Time now);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_PAYMENT_RETENTION_H_
