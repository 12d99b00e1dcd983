// Operator staff roles and what each may do for a caller: least privilege, as
// data.
//
// Role -> support actions (kRoleActions):
//
//   action                      SUPPORT_AGENT  PAYMENTS_OFFICER  SECURITY_OFFICER
//   DISCLOSE_BALANCE                 yes             yes               -
//   CONFIRM_WITHDRAWAL_STATUS        yes             yes              yes
//   LIFT_RESTRICTION                  -              yes*             yes*
//   CHANGE_CONTACT                   yes              -               yes
//   RESET_PASSWORD (link/app only)   yes              -               yes
//   APPROVE_WITHDRAWAL                -              yes                -
//   EXPEDITE_WITHDRAWAL               -              yes                -
//   DISCLOSE_PERSONAL_DATA            -               -                 -
//
//   * only the restrictions kRestrictionLifters gives that role:
//
//   restriction            lifted by
//   LOGIN_LOCKOUT          SECURITY_OFFICER (or it expires)
//   SECURITY_HOLD          SECURITY_OFFICER
//   CONTACT_CHANGE_HOLD    SECURITY_OFFICER
//   NEGATIVE_BALANCE       PAYMENTS_OFFICER
//   AML_HOLD               PAYMENTS_OFFICER
//   PAYMENTS_BLOCKED       PAYMENTS_OFFICER
//   KYC_REQUIRED           nobody by phone: documents must be accepted
//
// Nobody reads out registered personal data and nobody resets a password on
// the phone: a reset is only ever sent to the registered e-mail (link) or app
// (approval). The disclosure tier (caller_claims.h, support_call.h) limits
// these further.
#ifndef PITBOSS_SRC_DOMAIN_AGENT_ROLES_H_
#define PITBOSS_SRC_DOMAIN_AGENT_ROLES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pitboss/v1/account.pb.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace domain {

struct RoleActions {
  v1::AgentRole role;
  std::vector<v1::SupportAction> actions;
};

struct RestrictionLifter {
  v1::RestrictionKind restriction;
  // Empty: nobody may lift it by a support action.
  std::vector<v1::AgentRole> roles;
};

// The tables above, one row per role / per restriction kind.
absl::Span<const RoleActions> RoleActionTable();
absl::Span<const RestrictionLifter> RestrictionLifterTable();

// The role's row of RoleActionTable (empty for UNSPECIFIED or unknown roles).
std::vector<v1::SupportAction> ActionsForRole(v1::AgentRole role);

bool RoleMayPerform(v1::AgentRole role, v1::SupportAction action);
bool RoleMayLift(v1::AgentRole role, v1::RestrictionKind restriction);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_AGENT_ROLES_H_
