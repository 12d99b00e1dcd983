// Settled wagers: the stake leaves cash, the payout comes back.
//
// A wager is reported once settled (stake and payout together). Play is
// refused while the account is self-excluded, timed out or closed, and the
// stake must be covered by cash (a wager never makes cash negative). One
// applied change: version + 1, nothing changed on error.
#ifndef PITBOSS_SRC_DOMAIN_WAGER_H_
#define PITBOSS_SRC_DOMAIN_WAGER_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace domain {

// event.wager_settled: stake >= 0 and payout >= 0 in the account currency, not
// both zero. cash += payout - stake; totals and velocity (WAGER_STAKE,
// WAGER_PAYOUT) follow.
absl::Status ApplyWagerSettled(v1::Account* account, const v1::Event& event,
                               absl::Time now);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_WAGER_H_
