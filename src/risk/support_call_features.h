// Support-call features: the pressure and social-engineering flags the agent
// recorded on a support_call or support_action_request (urgency, requests to
// read out personal data, third parties, caller id mismatch, inconsistent
// answers, reported compromise, contact change plus withdrawal in one call),
// and whether the number calling is the registered phone.
#ifndef PITBOSS_SRC_RISK_SUPPORT_CALL_FEATURES_H_
#define PITBOSS_SRC_RISK_SUPPORT_CALL_FEATURES_H_

#include "absl/status/status.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"
#include "pitboss/v1/features.pb.h"

namespace pitboss {
namespace risk {

// INVALID_ARGUMENT naming the field for an UNSPECIFIED or unknown flag.
// call_flag_count counts distinct flags (a flag listed twice counts once).
absl::Status AddSupportCallFeatures(const v1::Account& account, const v1::Event& event,
                                    v1::Features* features);

}  // namespace risk
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_SUPPORT_CALL_FEATURES_H_
