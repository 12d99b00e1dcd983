// Wagering vs deposits: how much was staked since the last completed deposit
// (relative to that deposit), whether a withdrawal comes with no play at all
// since the deposit (deposit-then-withdraw, a money-laundering and
// stolen-card pattern), and stakes against deposits over the account's
// lifetime and over 30 days.
//
// The last deposit is the COMPLETED deposit with the latest completed_at among
// Account.deposits. Stakes since it come from the WAGER_STAKE velocity buckets
// (see internal/velocity_buckets.h): the bucket holding the deposit time counts
// whole, so stakes placed up to one bucket before the deposit may count (5 min
// when the deposit is < 1 h old, 1 h when < 24 h, 6 h when < 7 d, 1 d when
// < 30 d); for an older deposit the 30-day stakes are used (a lower bound).
#ifndef PITBOSS_SRC_RISK_WAGERING_FEATURES_H_
#define PITBOSS_SRC_RISK_WAGERING_FEATURES_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/features.pb.h"
#include "src/risk/internal/event_subject.h"

namespace pitboss {
namespace risk {

// INVALID_ARGUMENT naming the field for a COMPLETED deposit without a valid
// completed_at, a negative deposit amount or negative ledger totals.
absl::Status AddWageringFeatures(const v1::Account& account,
                                 const risk_internal::EventSubject& subject, absl::Time now,
                                 v1::Features* features);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_WAGERING_FEATURES_H_
