// Tests for support-call verdicts: the tier -> actions table, tier caps, the
// whole role x action matrix end to end, password reset never by phone,
// escalation to security with a case number, and bad input.
#include "src/domain/support_call.h"

#include <map>
#include <memory>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "src/domain/proto_time.h"
#include "tests/domain/support_fixture.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::kNow;

using A = v1::SupportAction;

v1::Event CallEvent(const v1::CallerClaims& claims, v1::AgentRole role) {
  v1::Event e;
  e.set_event_id("ev-1");
  e.set_account_id("acc-yamada");
  e.set_channel(v1::CHANNEL_PHONE);
  e.mutable_agent()->set_agent_id("agent-7");
  e.mutable_agent()->set_role(role);
  e.mutable_support_call()->set_call_id("call-1");
  *e.mutable_support_call()->mutable_claims() = claims;
  return e;
}

v1::Event RequestEvent(const v1::CallerClaims& claims, v1::AgentRole role, A action) {
  v1::Event e;
  e.set_event_id("ev-2");
  e.set_account_id("acc-yamada");
  e.set_channel(v1::CHANNEL_PHONE);
  e.mutable_agent()->set_agent_id("agent-7");
  e.mutable_agent()->set_role(role);
  v1::SupportActionRequest* r = e.mutable_support_action_request();
  r->set_call_id("call-1");
  r->set_action(action);
  *r->mutable_claims() = claims;
  return e;
}

class SupportCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = NameMatcher::Create();
    ASSERT_THAT(m, IsOk());
    matcher_ = *std::move(m);
    account_ = testing::YamadaTaro();
  }

  SupportVerdict Evaluate(const v1::Event& event) { return Evaluate(account_, event); }
  SupportVerdict Evaluate(const v1::Account& account, const v1::Event& event) {
    auto r = EvaluateSupportEvent(account, event, *matcher_, kNow, {});
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : SupportVerdict{};
  }

  std::unique_ptr<NameMatcher> matcher_;
  v1::Account account_;
};

TEST_F(SupportCallTest, TierActionTableIsExact) {
  const std::map<v1::DisclosureTier, std::set<A>> expected = {
      {v1::DISCLOSURE_TIER_UNSPECIFIED, {}},
      {v1::DISCLOSURE_TIER_NONE, {}},
      {v1::DISCLOSURE_TIER_BASIC,
       {v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS, v1::SUPPORT_ACTION_RESET_PASSWORD}},
      {v1::DISCLOSURE_TIER_STANDARD,
       {v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS, v1::SUPPORT_ACTION_RESET_PASSWORD,
        v1::SUPPORT_ACTION_DISCLOSE_BALANCE, v1::SUPPORT_ACTION_LIFT_RESTRICTION,
        v1::SUPPORT_ACTION_CHANGE_CONTACT, v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL,
        v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL}},
  };
  for (const auto& [tier, actions] : expected) {
    const std::vector<A> got = ActionsForTier(tier);
    EXPECT_EQ(std::set<A>(got.begin(), got.end()), actions)
        << v1::DisclosureTier_Name(tier);
  }
}

TEST_F(SupportCallTest, EachTierGivesItsActionsForTheRole) {
  v1::CallerClaims none;
  none.set_name("ヤマダ タロウ");
  SupportVerdict v = Evaluate(CallEvent(none, v1::AGENT_ROLE_SUPPORT_AGENT));
  EXPECT_EQ(v.tier, v1::DISCLOSURE_TIER_NONE);
  EXPECT_THAT(v.allowed_actions, IsEmpty());
  EXPECT_FALSE(v.escalate_to_security);

  v = Evaluate(CallEvent(testing::NameAndBirthDate(), v1::AGENT_ROLE_SUPPORT_AGENT));
  EXPECT_EQ(v.tier, v1::DISCLOSURE_TIER_BASIC);
  EXPECT_THAT(v.allowed_actions, ElementsAre(v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS,
                                             v1::SUPPORT_ACTION_RESET_PASSWORD));

  v = Evaluate(CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT));
  EXPECT_EQ(v.tier, v1::DISCLOSURE_TIER_STANDARD);
  EXPECT_THAT(v.allowed_actions, ElementsAre(v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS,
                                             v1::SUPPORT_ACTION_RESET_PASSWORD,
                                             v1::SUPPORT_ACTION_DISCLOSE_BALANCE,
                                             v1::SUPPORT_ACTION_CHANGE_CONTACT));

  v = Evaluate(CallEvent(testing::Standard(), v1::AGENT_ROLE_PAYMENTS_OFFICER));
  EXPECT_THAT(v.allowed_actions, ElementsAre(v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS,
                                             v1::SUPPORT_ACTION_DISCLOSE_BALANCE,
                                             v1::SUPPORT_ACTION_LIFT_RESTRICTION,
                                             v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL,
                                             v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL));

  v = Evaluate(CallEvent(testing::Standard(), v1::AGENT_ROLE_SECURITY_OFFICER));
  EXPECT_THAT(v.allowed_actions, ElementsAre(v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS,
                                             v1::SUPPORT_ACTION_RESET_PASSWORD,
                                             v1::SUPPORT_ACTION_LIFT_RESTRICTION,
                                             v1::SUPPORT_ACTION_CHANGE_CONTACT));
}

TEST_F(SupportCallTest, ThirdPartyAndCallerIdCapTheTier) {
  v1::Event e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
  e.mutable_support_call()->add_flags(v1::CALL_FLAG_THIRD_PARTY);
  EXPECT_EQ(Evaluate(e).tier, v1::DISCLOSURE_TIER_NONE);

  e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
  e.mutable_support_call()->add_flags(v1::CALL_FLAG_CALLER_ID_MISMATCH);
  EXPECT_EQ(Evaluate(e).tier, v1::DISCLOSURE_TIER_BASIC);

  e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
  e.mutable_support_call()->set_caller_number("+81 80-0000-0000");
  EXPECT_EQ(Evaluate(e).tier, v1::DISCLOSURE_TIER_BASIC);
  e.mutable_support_call()->set_caller_number("090-1234-5678");  // registered
  EXPECT_EQ(Evaluate(e).tier, v1::DISCLOSURE_TIER_STANDARD);
}

// Every role x action at STANDARD tier, with parameters each action accepts:
// what remains is exactly the role table (DISCLOSE_PERSONAL_DATA: nobody).
TEST_F(SupportCallTest, WholeRoleActionMatrixEndToEnd) {
  // Fresh off-phone L2 so a contact change passes its requirement.
  v1::Account account = account_;
  for (auto [id, kind, channel] :
       {std::tuple{"pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB},
        std::tuple{"app", v1::FACTOR_KIND_APP_APPROVAL, v1::CHANNEL_APP}}) {
    v1::Verification* v = account.add_verifications();
    v->set_factor_id(id);
    v->set_kind(kind);
    v->set_channel(channel);
    *v->mutable_verified_at() = ToProtoTime(kNow - absl::Minutes(3));
  }
  const std::map<v1::AgentRole, std::set<A>> allowed = {
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
  // The restriction each role's LIFT_RESTRICTION targets (one it may lift);
  // the support agent tries a lockout.
  const std::map<v1::AgentRole, v1::RestrictionKind> lift = {
      {v1::AGENT_ROLE_SUPPORT_AGENT, v1::RESTRICTION_KIND_LOGIN_LOCKOUT},
      {v1::AGENT_ROLE_PAYMENTS_OFFICER, v1::RESTRICTION_KIND_AML_HOLD},
      {v1::AGENT_ROLE_SECURITY_OFFICER, v1::RESTRICTION_KIND_SECURITY_HOLD},
  };
  for (const auto& [role, actions] : allowed) {
    for (int a = v1::SupportAction_MIN; a <= v1::SupportAction_MAX; ++a) {
      const A action = static_cast<A>(a);
      if (!v1::SupportAction_IsValid(a) || action == v1::SUPPORT_ACTION_UNSPECIFIED)
        continue;
      v1::Event e = RequestEvent(testing::Standard(), role, action);
      v1::SupportActionRequest* r = e.mutable_support_action_request();
      r->set_withdrawal_id("w-held");
      r->set_restriction(lift.at(role));
      r->set_reset_method(v1::PASSWORD_RESET_METHOD_EMAIL_LINK);
      r->mutable_contact_change()->set_kind(v1::CONTACT_KIND_EMAIL);
      r->mutable_contact_change()->set_new_value("new@example.jp");
      SupportVerdict v = Evaluate(account, e);
      const bool expected = actions.count(action) == 1;
      EXPECT_EQ(v.requested_allowed, expected)
          << v1::AgentRole_Name(role) << " x " << v1::SupportAction_Name(action) << ": "
          << (v.refusals.empty() ? "" : v.refusals.front());
      EXPECT_EQ(v.requested_action, action);
      EXPECT_EQ(v.refusals.empty(), expected);
    }
  }
}

TEST_F(SupportCallTest, BasicTierRefusesStandardActions) {
  SupportVerdict v =
      Evaluate(RequestEvent(testing::NameAndBirthDate(), v1::AGENT_ROLE_SUPPORT_AGENT,
                            v1::SUPPORT_ACTION_DISCLOSE_BALANCE));
  EXPECT_FALSE(v.requested_allowed);
  EXPECT_THAT(v.refusals, ElementsAre(HasSubstr("needs disclosure tier "
                                                "DISCLOSURE_TIER_STANDARD")));
  v1::Event status =
      RequestEvent(testing::NameAndBirthDate(), v1::AGENT_ROLE_SUPPORT_AGENT,
                   v1::SUPPORT_ACTION_CONFIRM_WITHDRAWAL_STATUS);
  status.mutable_support_action_request()->set_withdrawal_id("w-paid");
  EXPECT_TRUE(Evaluate(status).requested_allowed);
}

TEST_F(SupportCallTest, PasswordResetByPhoneIsRefusedAndRouted) {
  for (v1::PasswordResetMethod m :
       {v1::PASSWORD_RESET_METHOD_AGENT_ASSISTED, v1::PASSWORD_RESET_METHOD_SMS_OTP,
        v1::PASSWORD_RESET_METHOD_UNSPECIFIED}) {
    for (v1::AgentRole role :
         {v1::AGENT_ROLE_SUPPORT_AGENT, v1::AGENT_ROLE_PAYMENTS_OFFICER,
          v1::AGENT_ROLE_SECURITY_OFFICER}) {
      v1::Event e =
          RequestEvent(testing::Standard(), role, v1::SUPPORT_ACTION_RESET_PASSWORD);
      e.mutable_support_action_request()->set_reset_method(m);
      SupportVerdict v = Evaluate(e);
      EXPECT_FALSE(v.requested_allowed) << v1::PasswordResetMethod_Name(m);
      EXPECT_THAT(v.refusals, Contains(HasSubstr("never reset by phone")));
      EXPECT_THAT(v.reset_routes, ElementsAre(v1::PASSWORD_RESET_METHOD_EMAIL_LINK,
                                              v1::PASSWORD_RESET_METHOD_APP_APPROVAL));
    }
  }
  // Sent to the app: allowed at BASIC.
  v1::Event e = RequestEvent(testing::NameAndBirthDate(), v1::AGENT_ROLE_SUPPORT_AGENT,
                             v1::SUPPORT_ACTION_RESET_PASSWORD);
  e.mutable_support_action_request()->set_reset_method(
      v1::PASSWORD_RESET_METHOD_APP_APPROVAL);
  EXPECT_TRUE(Evaluate(e).requested_allowed);
  // No app enrolled: that route does not exist.
  v1::Account no_app = account_;
  no_app.mutable_factors()->DeleteSubrange(3, 1);
  SupportVerdict v = Evaluate(no_app, e);
  EXPECT_FALSE(v.requested_allowed);
  EXPECT_THAT(v.reset_routes, ElementsAre(v1::PASSWORD_RESET_METHOD_EMAIL_LINK));
}

TEST_F(SupportCallTest, ContactChangeNeedsOffPhoneL2) {
  // STANDARD tier and the right role, but only the phone KBV is fresh.
  v1::Account account = account_;
  v1::Verification* kbv = account.add_verifications();
  kbv->set_factor_id("kbv");
  kbv->set_kind(v1::FACTOR_KIND_PHONE_KBV);
  kbv->set_channel(v1::CHANNEL_PHONE);
  *kbv->mutable_verified_at() = ToProtoTime(kNow - absl::Minutes(1));
  v1::Event e = RequestEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT,
                             v1::SUPPORT_ACTION_CHANGE_CONTACT);
  e.mutable_support_action_request()->mutable_contact_change()->set_kind(
      v1::CONTACT_KIND_PHONE);
  SupportVerdict v = Evaluate(account, e);
  EXPECT_FALSE(v.requested_allowed);
  ASSERT_TRUE(v.requirement.has_value());
  EXPECT_FALSE(v.requirement->satisfied);
  EXPECT_FALSE(v.requirement->options.empty());  // e.g. password + app approval
}

TEST_F(SupportCallTest, ApproveAndExpediteDependOnTheWithdrawalState) {
  auto request = [&](A action, const char* id) {
    v1::Event e =
        RequestEvent(testing::Standard(), v1::AGENT_ROLE_PAYMENTS_OFFICER, action);
    e.mutable_support_action_request()->set_withdrawal_id(id);
    return Evaluate(e);
  };
  EXPECT_TRUE(request(v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL, "w-held").requested_allowed);
  SupportVerdict v = request(v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL, "w-approved");
  EXPECT_FALSE(v.requested_allowed);
  EXPECT_THAT(v.refusals, ElementsAre(HasSubstr("not held for review")));
  EXPECT_TRUE(
      request(v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL, "w-approved").requested_allowed);
  EXPECT_FALSE(
      request(v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL, "w-paid").requested_allowed);
}

TEST_F(SupportCallTest, LiftRestrictionNeedsAnActiveOneAndTheRightRole) {
  auto lift = [&](v1::AgentRole role, v1::RestrictionKind kind) {
    v1::Event e =
        RequestEvent(testing::Standard(), role, v1::SUPPORT_ACTION_LIFT_RESTRICTION);
    e.mutable_support_action_request()->set_restriction(kind);
    return Evaluate(e);
  };
  EXPECT_TRUE(lift(v1::AGENT_ROLE_SECURITY_OFFICER, v1::RESTRICTION_KIND_SECURITY_HOLD)
                  .requested_allowed);
  EXPECT_FALSE(lift(v1::AGENT_ROLE_PAYMENTS_OFFICER, v1::RESTRICTION_KIND_SECURITY_HOLD)
                   .requested_allowed);
  EXPECT_TRUE(lift(v1::AGENT_ROLE_PAYMENTS_OFFICER, v1::RESTRICTION_KIND_PAYMENTS_BLOCKED)
                  .requested_allowed);
  // Expired negative-balance restriction: nothing to lift.
  SupportVerdict v =
      lift(v1::AGENT_ROLE_PAYMENTS_OFFICER, v1::RESTRICTION_KIND_NEGATIVE_BALANCE);
  EXPECT_FALSE(v.requested_allowed);
  EXPECT_THAT(v.refusals, ElementsAre(HasSubstr("no active")));
  // KYC requirement: nobody by phone.
  for (v1::AgentRole role :
       {v1::AGENT_ROLE_PAYMENTS_OFFICER, v1::AGENT_ROLE_SECURITY_OFFICER}) {
    EXPECT_FALSE(lift(role, v1::RESTRICTION_KIND_KYC_REQUIRED).requested_allowed);
  }
}

TEST_F(SupportCallTest, EscalationTriggersOpenASecurityCase) {
  const std::pair<v1::CallFlag, const char*> flags[] = {
      {v1::CALL_FLAG_URGENCY_PRESSURE, "URGENCY_PRESSURE"},
      {v1::CALL_FLAG_ASKED_TO_DISCLOSE_PERSONAL_DATA, "ASKED_TO_DISCLOSE_PERSONAL_DATA"},
      {v1::CALL_FLAG_REPORTS_COMPROMISE, "REPORTS_COMPROMISE"},
      {v1::CALL_FLAG_CONTACT_CHANGE_AND_WITHDRAWAL, "CONTACT_CHANGE_AND_WITHDRAWAL"},
      {v1::CALL_FLAG_INCONSISTENT_ANSWERS, "INCONSISTENT_ANSWERS"},
  };
  for (const auto& [flag, code] : flags) {
    v1::Event e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
    e.mutable_support_call()->add_flags(flag);
    SupportVerdict v = Evaluate(e);
    EXPECT_TRUE(v.escalate_to_security) << code;
    EXPECT_THAT(v.escalation_reasons, ElementsAre(code));
    EXPECT_THAT(v.allowed_actions, IsEmpty()) << "handed over to security";
    ASSERT_TRUE(v.security_case.has_value());
    EXPECT_EQ(v.security_case->case_id(), "SEC-ev-1");
    EXPECT_EQ(v.security_case->kind(), v1::CASE_KIND_SECURITY);
    EXPECT_EQ(v.security_case->status(), v1::CASE_STATUS_ESCALATED);
    EXPECT_EQ(v.security_case->subject_id(), "call-1");
    EXPECT_EQ(v.security_case->reason(), code);
  }
  // Flags that cap the tier do not escalate by themselves.
  v1::Event e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
  e.mutable_support_call()->add_flags(v1::CALL_FLAG_THIRD_PARTY);
  EXPECT_FALSE(Evaluate(e).escalate_to_security);
  EXPECT_FALSE(Evaluate(e).security_case.has_value());
}

TEST_F(SupportCallTest, UrgentExpediteRequestIsEscalatedNotExecuted) {
  v1::Event e = RequestEvent(testing::Standard(), v1::AGENT_ROLE_PAYMENTS_OFFICER,
                             v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL);
  e.mutable_support_action_request()->set_withdrawal_id("w-held");
  e.mutable_support_action_request()->add_flags(v1::CALL_FLAG_URGENCY_PRESSURE);
  SupportVerdict v = Evaluate(e);
  EXPECT_FALSE(v.requested_allowed);
  EXPECT_TRUE(v.escalate_to_security);
  EXPECT_THAT(v.refusals, ElementsAre(HasSubstr("escalated to security")));
  EXPECT_EQ(v.security_case->case_id(), "SEC-ev-2");
}

TEST_F(SupportCallTest, PersonalDataIsNeverReadOut) {
  for (v1::AgentRole role :
       {v1::AGENT_ROLE_SUPPORT_AGENT, v1::AGENT_ROLE_PAYMENTS_OFFICER,
        v1::AGENT_ROLE_SECURITY_OFFICER}) {
    SupportVerdict v = Evaluate(RequestEvent(testing::Standard(), role,
                                             v1::SUPPORT_ACTION_DISCLOSE_PERSONAL_DATA));
    EXPECT_FALSE(v.requested_allowed);
    EXPECT_TRUE(v.escalate_to_security);
    EXPECT_THAT(v.escalation_reasons, ElementsAre("ASKED_TO_DISCLOSE_PERSONAL_DATA"));
    EXPECT_THAT(v.refusals, Contains(HasSubstr("never read out")));
  }
}

TEST_F(SupportCallTest, WrongBirthDateEscalates) {
  v1::CallerClaims claims = testing::Standard();
  claims.mutable_date_of_birth()->set_year(1986);
  SupportVerdict v = Evaluate(CallEvent(claims, v1::AGENT_ROLE_SUPPORT_AGENT));
  EXPECT_EQ(v.tier, v1::DISCLOSURE_TIER_NONE);
  EXPECT_THAT(v.escalation_reasons, ElementsAre("CLAIMS_CONTRADICT_ACCOUNT"));
}

TEST_F(SupportCallTest, SuspendedAccountOnlySecurityActs) {
  v1::Account suspended = account_;
  suspended.set_status(v1::ACCOUNT_STATUS_SUSPENDED);
  SupportVerdict v =
      Evaluate(suspended, CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT));
  EXPECT_THAT(v.escalation_reasons, ElementsAre("ACCOUNT_SUSPENDED"));
  EXPECT_THAT(v.allowed_actions, IsEmpty());
  v = Evaluate(suspended,
               CallEvent(testing::Standard(), v1::AGENT_ROLE_SECURITY_OFFICER));
  EXPECT_TRUE(v.escalate_to_security);
  EXPECT_THAT(v.allowed_actions, Contains(v1::SUPPORT_ACTION_LIFT_RESTRICTION));
}

TEST_F(SupportCallTest, ClosedAccountAllowsNothing) {
  v1::Account closed = account_;
  closed.set_status(v1::ACCOUNT_STATUS_CLOSED);
  v1::Event e = RequestEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT,
                             v1::SUPPORT_ACTION_DISCLOSE_BALANCE);
  SupportVerdict v = Evaluate(closed, e);
  EXPECT_THAT(v.allowed_actions, IsEmpty());
  EXPECT_FALSE(v.requested_allowed);
}

TEST_F(SupportCallTest, SecurityReportEscalatesAndOpensTheCaseOnce) {
  v1::Event e;
  e.set_event_id("ev-leak");
  e.set_account_id("acc-yamada");
  e.set_channel(v1::CHANNEL_EMAIL);
  e.mutable_security_report()->set_kind(v1::SECURITY_REPORT_KIND_SUSPECTED_LEAK);
  e.mutable_security_report()->set_source(v1::REPORT_SOURCE_PLAYER);
  SupportVerdict v = Evaluate(e);
  EXPECT_TRUE(v.escalate_to_security);
  EXPECT_THAT(v.escalation_reasons, ElementsAre("SECURITY_REPORT"));
  ASSERT_TRUE(v.security_case.has_value());
  EXPECT_EQ(v.security_case->case_id(), "SEC-ev-leak");

  v1::Account account = account_;
  ASSERT_THAT(OpenSecurityCase(v, /*security_report=*/true, kNow, &account), IsOk());
  EXPECT_EQ(account.version(), account_.version() + 1);
  ASSERT_EQ(account.cases_size(), 1);
  EXPECT_EQ(account.cases(0).case_id(), "SEC-ev-leak");
  EXPECT_EQ(account.security().last_security_report_at().seconds(),
            absl::ToUnixSeconds(kNow));
  EXPECT_EQ(account.updated_at().seconds(), absl::ToUnixSeconds(kNow));

  // Opening it again changes nothing.
  const v1::Account before = account;
  EXPECT_THAT(OpenSecurityCase(v, true, kNow, &account),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("SEC-ev-leak")));
  EXPECT_TRUE(MessageDifferencer::Equals(account, before));
  EXPECT_THAT(OpenSecurityCase(SupportVerdict{}, false, kNow, &account),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(MessageDifferencer::Equals(account, before));
}

TEST_F(SupportCallTest, BadEventsNameTheField) {
  const v1::Account before = account_;
  auto eval = [&](const v1::Event& e) {
    return EvaluateSupportEvent(account_, e, *matcher_, kNow, {});
  };
  v1::Event e = CallEvent(testing::Standard(), v1::AGENT_ROLE_UNSPECIFIED);
  EXPECT_THAT(eval(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("event.agent.role: required")));
  e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
  e.clear_event_id();
  EXPECT_THAT(eval(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.event_id")));
  e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
  e.set_account_id("acc-other");
  EXPECT_THAT(eval(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("event.account_id")));
  e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
  e.mutable_support_call()->add_flags(static_cast<v1::CallFlag>(99));
  EXPECT_THAT(eval(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("event.support_call.flags[0]")));
  e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
  e.mutable_support_call()->mutable_claims()->set_email("nope");
  EXPECT_THAT(eval(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("event.support_call.claims.email")));
  e = RequestEvent(testing::Standard(), v1::AGENT_ROLE_PAYMENTS_OFFICER,
                   v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL);
  EXPECT_THAT(eval(e),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("support_action_request.withdrawal_id: required")));
  e.mutable_support_action_request()->set_withdrawal_id("w-nope");
  EXPECT_THAT(eval(e), StatusIs(absl::StatusCode::kNotFound, HasSubstr("w-nope")));
  e = RequestEvent(testing::Standard(), v1::AGENT_ROLE_PAYMENTS_OFFICER,
                   v1::SUPPORT_ACTION_LIFT_RESTRICTION);
  EXPECT_THAT(eval(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("support_action_request.restriction")));
  e = RequestEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT,
                   v1::SUPPORT_ACTION_CHANGE_CONTACT);
  EXPECT_THAT(eval(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("support_action_request.contact_change")));
  e = RequestEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT,
                   v1::SUPPORT_ACTION_UNSPECIFIED);
  EXPECT_THAT(eval(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("support_action_request.action")));
  e = CallEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT);
  e.mutable_deposit_requested();
  EXPECT_THAT(eval(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event.kind")));
  EXPECT_TRUE(MessageDifferencer::Equals(account_, before));
}

// Evaluates and applies a request; the verdict must allow it.
absl::StatusOr<bool> EvaluateAndApply(const NameMatcher& matcher, v1::Account* account,
                                      const v1::Event& e) {
  auto verdict = EvaluateSupportEvent(*account, e, matcher, kNow, {});
  if (!verdict.ok()) return verdict.status();
  return ApplySupportAction(account, e, *verdict, kNow);
}

TEST_F(SupportCallTest, LiftingASecurityHoldRestoresTheStatus) {
  v1::Account account = account_;
  account.set_status(v1::ACCOUNT_STATUS_SUSPENDED);
  // Leave only the security hold and the lockout active.
  for (v1::Restriction& r : *account.mutable_restrictions()) {
    if (r.kind() != v1::RESTRICTION_KIND_SECURITY_HOLD &&
        r.kind() != v1::RESTRICTION_KIND_LOGIN_LOCKOUT) {
      *r.mutable_until() = ToProtoTime(kNow - absl::Hours(1));
    }
  }
  account.mutable_security()->set_hard_locked(true);
  account.mutable_security()->set_consecutive_failed_logins(100);

  v1::Event e = RequestEvent(testing::Standard(), v1::AGENT_ROLE_SECURITY_OFFICER,
                             v1::SUPPORT_ACTION_LIFT_RESTRICTION);
  e.mutable_support_action_request()->set_restriction(v1::RESTRICTION_KIND_SECURITY_HOLD);
  auto changed = EvaluateAndApply(*matcher_, &account, e);
  ASSERT_THAT(changed, IsOk());
  EXPECT_TRUE(*changed);
  EXPECT_EQ(account.version(), account_.version() + 1);
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_RESTRICTED);  // the lockout remains

  e.mutable_support_action_request()->set_restriction(v1::RESTRICTION_KIND_LOGIN_LOCKOUT);
  e.set_event_id("ev-3");
  changed = EvaluateAndApply(*matcher_, &account, e);
  ASSERT_THAT(changed, IsOk());
  EXPECT_EQ(account.status(), v1::ACCOUNT_STATUS_ACTIVE);
  EXPECT_FALSE(account.security().hard_locked());
  EXPECT_EQ(account.security().consecutive_failed_logins(), 0);
  EXPECT_EQ(account.version(), account_.version() + 2);
  // The restrictions are kept for the record, ended now.
  for (const v1::Restriction& r : account.restrictions()) {
    if (r.kind() == v1::RESTRICTION_KIND_SECURITY_HOLD) {
      EXPECT_EQ(r.until().seconds(), absl::ToUnixSeconds(kNow));
    }
  }
}

TEST_F(SupportCallTest, ApplyingAllowedActions) {
  // Approve the held withdrawal.
  v1::Account account = account_;
  v1::Event approve = RequestEvent(testing::Standard(), v1::AGENT_ROLE_PAYMENTS_OFFICER,
                                   v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL);
  approve.mutable_support_action_request()->set_withdrawal_id("w-held");
  ASSERT_THAT(EvaluateAndApply(*matcher_, &account, approve), IsOk());
  EXPECT_EQ(account.withdrawals(0).state(), v1::WITHDRAWAL_STATE_APPROVED);
  EXPECT_EQ(account.withdrawals(0).reviewed_by(), "agent-7");

  // Expedite it.
  v1::Event expedite = RequestEvent(testing::Standard(), v1::AGENT_ROLE_PAYMENTS_OFFICER,
                                    v1::SUPPORT_ACTION_EXPEDITE_WITHDRAWAL);
  expedite.mutable_support_action_request()->set_withdrawal_id("w-held");
  ASSERT_THAT(EvaluateAndApply(*matcher_, &account, expedite), IsOk());
  EXPECT_TRUE(account.withdrawals(0).expedited());

  // Send a reset link.
  v1::Event reset =
      RequestEvent(testing::NameAndBirthDate(), v1::AGENT_ROLE_SUPPORT_AGENT,
                   v1::SUPPORT_ACTION_RESET_PASSWORD);
  reset.mutable_support_action_request()->set_reset_method(
      v1::PASSWORD_RESET_METHOD_EMAIL_LINK);
  ASSERT_THAT(EvaluateAndApply(*matcher_, &account, reset), IsOk());
  EXPECT_EQ(account.security().password_reset_requested_at().seconds(),
            absl::ToUnixSeconds(kNow));

  // Change the phone after an off-phone L2 (app approval + password).
  for (auto [id, kind, channel] :
       {std::tuple{"pw", v1::FACTOR_KIND_PASSWORD, v1::CHANNEL_WEB},
        std::tuple{"app", v1::FACTOR_KIND_APP_APPROVAL, v1::CHANNEL_APP}}) {
    v1::Verification* v = account.add_verifications();
    v->set_factor_id(id);
    v->set_kind(kind);
    v->set_channel(channel);
    *v->mutable_verified_at() = ToProtoTime(kNow - absl::Minutes(2));
  }
  v1::Event change = RequestEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT,
                                  v1::SUPPORT_ACTION_CHANGE_CONTACT);
  change.mutable_support_action_request()->mutable_contact_change()->set_kind(
      v1::CONTACT_KIND_PHONE);
  change.mutable_support_action_request()->mutable_contact_change()->set_new_value(
      "+81 80-1111-2222");
  const int64_t version = account.version();
  ASSERT_THAT(EvaluateAndApply(*matcher_, &account, change), IsOk());
  EXPECT_EQ(account.profile().phone(), "+818011112222");
  EXPECT_EQ(account.security().phone_changed_at().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_EQ(account.version(), version + 1);

  // Disclosing the balance changes nothing.
  const v1::Account before = account;
  auto changed =
      EvaluateAndApply(*matcher_, &account,
                       RequestEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT,
                                    v1::SUPPORT_ACTION_DISCLOSE_BALANCE));
  ASSERT_THAT(changed, IsOk());
  EXPECT_FALSE(*changed);
  EXPECT_TRUE(MessageDifferencer::Equals(account, before));
}

TEST_F(SupportCallTest, RefusedActionsAreNeverApplied) {
  v1::Account account = account_;
  v1::Event e = RequestEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT,
                             v1::SUPPORT_ACTION_APPROVE_WITHDRAWAL);
  e.mutable_support_action_request()->set_withdrawal_id("w-held");
  auto verdict = EvaluateSupportEvent(account, e, *matcher_, kNow, {});
  ASSERT_THAT(verdict, IsOk());
  EXPECT_FALSE(verdict->requested_allowed);
  EXPECT_THAT(ApplySupportAction(&account, e, *verdict, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // A verdict for another action does not carry over.
  v1::Event other = RequestEvent(testing::Standard(), v1::AGENT_ROLE_PAYMENTS_OFFICER,
                                 v1::SUPPORT_ACTION_DISCLOSE_BALANCE);
  auto balance = EvaluateSupportEvent(account, other, *matcher_, kNow, {});
  ASSERT_THAT(balance, IsOk());
  EXPECT_THAT(ApplySupportAction(&account, e, *balance, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // A bad new contact value leaves the account as it was.
  v1::Event change = RequestEvent(testing::Standard(), v1::AGENT_ROLE_SUPPORT_AGENT,
                                  v1::SUPPORT_ACTION_CHANGE_CONTACT);
  change.mutable_support_action_request()->mutable_contact_change()->set_kind(
      v1::CONTACT_KIND_PHONE);
  change.mutable_support_action_request()->mutable_contact_change()->set_new_value(
      "080-1111-2222");
  SupportVerdict forced;
  forced.requested_action = v1::SUPPORT_ACTION_CHANGE_CONTACT;
  forced.requested_allowed = true;
  EXPECT_THAT(ApplySupportAction(&account, change, forced, kNow),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("contact_change.new_value: must be international")));
  EXPECT_TRUE(MessageDifferencer::Equals(account, account_));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
