// Tests for agent roles: the whole role x action and role x restriction
// tables, written out independently of the code's tables.
#include "src/domain/agent_roles.h"

#include <map>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pitboss {
namespace domain {
namespace {

using A = v1::SupportAction;
using R = v1::AgentRole;

const R kRoles[] = {v1::AGENT_ROLE_UNSPECIFIED, v1::AGENT_ROLE_SUPPORT_AGENT,
                    v1::AGENT_ROLE_PAYMENTS_OFFICER, v1::AGENT_ROLE_SECURITY_OFFICER};

TEST(AgentRolesTest, WholeRoleActionTable) {
  const std::map<R, std::set<A>> expected = {
      {v1::AGENT_ROLE_UNSPECIFIED, {}},
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
  int checked = 0;
  for (R role : kRoles) {
    for (int a = v1::SupportAction_MIN; a <= v1::SupportAction_MAX; ++a) {
      if (!v1::SupportAction_IsValid(a)) continue;
      const A action = static_cast<A>(a);
      EXPECT_EQ(RoleMayPerform(role, action), expected.at(role).count(action) == 1)
          << v1::AgentRole_Name(role) << " x " << v1::SupportAction_Name(action);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4 * 9);
}

TEST(AgentRolesTest, LeastPrivilegeHighlights) {
  // Only a payments officer approves or expedites a held withdrawal.
  for (R role : kRoles) {
    const bool payments = role == v1::AGENT_ROLE_PAYMENTS_OFFICER;
    EXPECT_EQ(RoleMayPerform(role, v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL), payments);
    EXPECT_EQ(RoleMayPerform(role, v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL), payments);
    // Only security lifts a security hold.
    EXPECT_EQ(RoleMayLift(role, v1::RESTRICTION_KIND_SECURITY_HOLD),
              role == v1::AGENT_ROLE_SECURITY_OFFICER);
    // Nobody reads out personal data.
    EXPECT_FALSE(RoleMayPerform(role, v1::SUPPORT_ACTION_DISCLOSE_PERSONAL_DATA));
  }
}

TEST(AgentRolesTest, WholeRestrictionLiftTable) {
  using K = v1::RestrictionKind;
  const std::map<K, std::set<R>> expected = {
      {v1::RESTRICTION_KIND_UNSPECIFIED, {}},
      {v1::RESTRICTION_KIND_LOGIN_LOCKOUT, {v1::AGENT_ROLE_SECURITY_OFFICER}},
      {v1::RESTRICTION_KIND_NEGATIVE_BALANCE, {v1::AGENT_ROLE_PAYMENTS_OFFICER}},
      {v1::RESTRICTION_KIND_SECURITY_HOLD, {v1::AGENT_ROLE_SECURITY_OFFICER}},
      {v1::RESTRICTION_KIND_AML_HOLD, {v1::AGENT_ROLE_PAYMENTS_OFFICER}},
      {v1::RESTRICTION_KIND_KYC_REQUIRED, {}},
      {v1::RESTRICTION_KIND_PAYMENTS_BLOCKED, {v1::AGENT_ROLE_PAYMENTS_OFFICER}},
      {v1::RESTRICTION_KIND_CONTACT_CHANGE_HOLD, {v1::AGENT_ROLE_SECURITY_OFFICER}},
  };
  for (int k = v1::RestrictionKind_MIN; k <= v1::RestrictionKind_MAX; ++k) {
    if (!v1::RestrictionKind_IsValid(k)) continue;
    const K kind = static_cast<K>(k);
    ASSERT_EQ(expected.count(kind), 1u)
        << "new restriction kind needs a row: " << v1::RestrictionKind_Name(kind);
    for (R role : kRoles) {
      EXPECT_EQ(RoleMayLift(role, kind), expected.at(kind).count(role) == 1)
          << v1::AgentRole_Name(role) << " lifting " << v1::RestrictionKind_Name(kind);
    }
  }
}

TEST(AgentRolesTest, TablesHaveOneRowEach) {
  std::set<R> roles;
  for (const RoleActions& row : RoleActionTable()) {
    EXPECT_TRUE(roles.insert(row.role).second);
  }
  EXPECT_EQ(roles.size(), 3u);
  std::set<v1::RestrictionKind> kinds;
  for (const RestrictionLifter& row : RestrictionLifterTable()) {
    EXPECT_TRUE(kinds.insert(row.restriction).second);
  }
  EXPECT_EQ(kinds.size(), 7u);
  EXPECT_TRUE(ActionsForRole(v1::AGENT_ROLE_UNSPECIFIED).empty());
  EXPECT_TRUE(ActionsForRole(static_cast<R>(42)).empty());
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
