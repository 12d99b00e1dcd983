// The role and restriction tables (see agent_roles.h).
#include "src/domain/agent_roles.h"

#include <algorithm>

namespace pitboss {
namespace domain {

absl::Span<const RoleActions> RoleActionTable() {
  static const auto* const kTable = new std::vector<RoleActions>{
      {v1::AGENT_ROLE_SUPPORT_AGENT,
       {v1::SUPPORT_ACTION_DISCLOSE_BALANCE, v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS,
        v1::SUPPORT_ACTION_CHANGE_CONTACT, v1::SUPPORT_ACTION_RESET_PASSWORD}},
      {v1::AGENT_ROLE_PAYMENTS_OFFICER,
       {v1::SUPPORT_ACTION_DISCLOSE_BALANCE, v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS,
        v1::SUPPORT_ACTION_LIFT_RESTRICTION, v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL,
        v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL}},
      {v1::AGENT_ROLE_SECURITY_OFFICER,
       {v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS, v1::SUPPORT_ACTION_LIFT_RESTRICTION,
        v1::SUPPORT_ACTION_CHANGE_CONTACT, v1::SUPPORT_ACTION_RESET_PASSWORD}},
  };
  return *kTable;
}

absl::Span<const RestrictionLifter> RestrictionLifterTable() {
  static const auto* const kTable = new std::vector<RestrictionLifter>{
      {v1::RESTRICTION_KIND_LOGIN_LOCKOUT, {v1::AGENT_ROLE_SECURITY_OFFICER}},
      {v1::RESTRICTION_KIND_NEGATIVE_BALANCE, {v1::AGENT_ROLE_PAYMENTS_OFFICER}},
      {v1::RESTRICTION_KIND_SECURITY_HOLD, {v1::AGENT_ROLE_SECURITY_OFFICER}},
      {v1::RESTRICTION_KIND_AML_HOLD, {v1::AGENT_ROLE_PAYMENTS_OFFICER}},
      {v1::RESTRICTION_KIND_KYC_REQUIRED, {}},
      {v1::RESTRICTION_KIND_PAYMENTS_BLOCKED, {v1::AGENT_ROLE_PAYMENTS_OFFICER}},
      {v1::RESTRICTION_KIND_CONTACT_CHANGE_HOLD, {v1::AGENT_ROLE_SECURITY_OFFICER}},
  };
  return *kTable;
}

std::vector<v1::SupportAction> ActionsForRole(v1::AgentRole role) {
  for (const RoleActions& row : RoleActionTable()) {
    if (row.role == role) return row.actions;
  }
  return {};
}

bool RoleMayPerform(v1::AgentRole role, v1::SupportAction action) {
  const std::vector<v1::SupportAction> actions = ActionsForRole(role);
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

bool RoleMayLift(v1::AgentRole role, v1::RestrictionKind restriction) {
  if (!RoleMayPerform(role, v1::SUPPORT_ACTION_LIFT_RESTRICTION)) return false;
  for (const RestrictionLifter& row : RestrictionLifterTable()) {
    if (row.restriction == restriction) {
      return std::find(row.roles.begin(), row.roles.end(), role) != row.roles.end();
    }
  }
  return false;
}

}  // namespace domain
}  // namespace pitboss
