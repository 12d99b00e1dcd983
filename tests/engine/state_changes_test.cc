// The state-change report: built from the domain steps' change record
// (StateChangeRecorder, domain/account_change.h), it must equal the comparison
// of the whole account before and after (DiffAccounts over a full
// AccountSnapshot, the oracle) -- over the example stream through the engine,
// and for the recorder's own checks.
#include "src/engine/state_changes.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pitboss/engine.h"
#include "src/domain/account_change.h"
#include "src/domain/deposit_machine.h"
#include "src/domain/proto_time.h"
#include "src/engine/audit_chain.h"
#include "tests/engine/example_stream.h"
#include "tests/matchers.h"
#include "tests/scenarios/scenario_driver.h"

namespace pitboss {
namespace engine {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

std::string Bytes(const std::vector<v1::StateChange>& changes) {
  std::string out;
  for (const v1::StateChange& change : changes) {
    absl::StrAppend(&out, change.ShortDebugString(), "\n");
  }
  return out;
}

TEST(StateChangesTest, RecordEqualsWholeAccountComparisonOverTheExampleStream) {
  absl::StatusOr<v1::Policy> policy = scenarios::LoadDefaultPolicy(PITBOSS_SOURCE_DIR);
  ASSERT_THAT(policy, IsOk());
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*policy);
  ASSERT_THAT(engine, IsOk());
#ifdef NDEBUG
  // The whole stream (about 21,000 events).
  constexpr size_t kEvents = size_t{1} << 30;
  constexpr int kMinCompared = 20000;
#else
  // Debug builds: the engine itself compares every report with the whole
  // account (StateChangeRecorder's check), so a part of the stream suffices.
  constexpr size_t kEvents = 3000;
  constexpr int kMinCompared = 2700;
#endif
  absl::StatusOr<std::vector<v1::Event>> events = testing::LoadExampleStream(kEvents);
  ASSERT_THAT(events, IsOk());
  std::map<std::string, v1::Account> accounts;
  v1::AuditChainHead head;
  std::map<v1::StateChangeKind, int> kinds;
  std::map<absl::StatusCode, int> refused;
  int compared = 0;
  for (const v1::Event& event : *events) {
    v1::Account& account = accounts[event.account_id()];
    v1::EvaluateRequest request;
    *request.mutable_account() = account;
    *request.mutable_event() = event;
    *request.mutable_now() = event.occurred_at();
    *request.mutable_audit_chain_head() = head;
    absl::StatusOr<v1::EvaluateResponse> response = (*engine)->Evaluate(request);
    if (!response.ok()) {
      // Only a repeated event id is refused (never INTERNAL: a step that
      // changed what it did not declare, in debug builds).
      EXPECT_NE(response.status().code(), absl::StatusCode::kInternal)
          << response.status() << " " << event.ShortDebugString();
      refused[response.status().code()] += 1;
      continue;
    }
    const std::vector<v1::StateChange> reported(
        response->decision().state_changes().begin(),
        response->decision().state_changes().end());
    const std::vector<v1::StateChange> oracle =
        event.has_account_opened()
            ? DiffAccounts(v1::Account::default_instance(), response->account())
            : DiffAccounts(AccountSnapshot::Of(account), response->account());
    ASSERT_EQ(Bytes(reported), Bytes(oracle)) << event.ShortDebugString();
    for (const v1::StateChange& change : reported) kinds[change.kind()] += 1;
    ++compared;
    account = response->account();
    head = HeadAfter(response->audit());
  }
  EXPECT_GT(compared, kMinCompared);
  for (const auto& [code, count] : refused) {
    EXPECT_EQ(code, absl::StatusCode::kAlreadyExists) << count;
  }
  // The stream exercises most kinds of change (balances, payments, restrictions,
  // cases, KYC, limits, security, factors, devices, instruments, profile).
  EXPECT_GE(kinds.size(), 12u);
}

v1::Account Sample() {
  v1::Account account;
  account.set_account_id("a-1");
  account.set_status(v1::ACCOUNT_STATUS_ACTIVE);
  account.mutable_balances()->mutable_cash()->set_minor_units(1000);
  account.mutable_balances()->mutable_cash()->set_currency("JPY");
  account.mutable_profile()->set_email("a@example.jp");
  account.mutable_security()->set_consecutive_failed_verifications(1);
  return account;
}

TEST(StateChangesTest, PartialSnapshotComparesOnlyCapturedSections) {
  v1::Account account = Sample();
  AccountSnapshot snapshot;
  snapshot.Capture(account, domain::kSectionBalances);
  account.mutable_balances()->mutable_cash()->set_minor_units(400);
  account.mutable_profile()->set_email("b@example.jp");  // not captured
  std::vector<v1::StateChange> changes = DiffAccounts(snapshot, account);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].field(), "account.balances.cash");
  // A later capture of a section keeps its first image.
  snapshot.Capture(account, domain::kSectionBalances | domain::kSectionProfile);
  EXPECT_EQ(DiffAccounts(snapshot, account).size(), 1u);
  EXPECT_EQ(snapshot.captured(), domain::kSectionBalances | domain::kSectionProfile);
}

// The responsible-gambling section is compared as two parts of one
// serialization (ResponsibleGamblingBytes): a change to the deposit limits must
// be reported as DEPOSIT_LIMIT only, any other change as RESPONSIBLE_GAMBLING
// only, whatever the limits' sizes (one- and two-byte lengths) and with
// unknown fields in the section.
TEST(StateChangesTest, ResponsibleGamblingReportsTheLimitsAndTheRestApart) {
  v1::Account before;
  v1::ResponsibleGambling* rg = before.mutable_responsible_gambling();
  for (v1::LimitPeriod period : {v1::LIMIT_PERIOD_DAILY, v1::LIMIT_PERIOD_WEEKLY}) {
    v1::DepositLimit* limit = rg->add_deposit_limits();
    limit->set_period(period);
    limit->mutable_amount()->set_currency("JPY");
    limit->mutable_amount()->set_minor_units(50000);
    limit->mutable_used()->set_currency("JPY");
    limit->mutable_used()->set_minor_units(1000);
  }
  // A limit longer than 127 bytes: its length takes two bytes.
  rg->mutable_deposit_limits(1)->mutable_amount()->set_currency(std::string(150, 'X'));
  rg->mutable_time_out_until()->set_seconds(1'800'000'000);

  using Kinds = std::vector<v1::StateChangeKind>;
  constexpr v1::StateChangeKind kRest = v1::STATE_CHANGE_KIND_RESPONSIBLE_GAMBLING;
  constexpr v1::StateChangeKind kLimits = v1::STATE_CHANGE_KIND_DEPOSIT_LIMIT;
  const std::vector<std::pair<
      std::string, std::pair<std::function<void(v1::ResponsibleGambling&)>, Kinds>>>
      cases = {
          {"nothing", {[](v1::ResponsibleGambling&) {}, {}}},
          {"usage of the first limit",
           {[](v1::ResponsibleGambling& r) {
              r.mutable_deposit_limits(0)->mutable_used()->set_minor_units(2000);
            },
            {kLimits}}},
          {"usage of the long limit",
           {[](v1::ResponsibleGambling& r) {
              r.mutable_deposit_limits(1)->mutable_used()->set_minor_units(2000);
            },
            {kLimits}}},
          {"a limit removed",
           {[](v1::ResponsibleGambling& r) { r.mutable_deposit_limits()->RemoveLast(); },
            {kLimits}}},
          {"limits swapped",
           {[](v1::ResponsibleGambling& r) {
              r.mutable_deposit_limits()->SwapElements(0, 1);
            },
            {kLimits}}},
          {"time-out changed",
           {[](v1::ResponsibleGambling& r) {
              r.mutable_time_out_until()->set_seconds(1'800'000'001);
            },
            {kRest}}},
          {"self-exclusion set",
           {[](v1::ResponsibleGambling& r) { r.set_self_exclusion_indefinite(true); },
            {kRest}}},
          {"an unknown field",
           {[](v1::ResponsibleGambling& r) {
              r.GetReflection()->MutableUnknownFields(&r)->AddVarint(99, 1);
            },
            {kRest}}},
          {"both",
           {[](v1::ResponsibleGambling& r) {
              r.mutable_deposit_limits(0)->set_period(v1::LIMIT_PERIOD_MONTHLY);
              r.clear_time_out_until();
            },
            {kRest, kLimits}}},
      };
  for (const auto& [name, change_and_kinds] : cases) {
    const auto& [change, expected] = change_and_kinds;
    AccountSnapshot snapshot;
    snapshot.Capture(before, domain::kSectionResponsibleGambling);
    v1::Account after = before;
    change(*after.mutable_responsible_gambling());
    Kinds reported;
    for (const v1::StateChange& c : DiffAccounts(snapshot, after)) {
      reported.push_back(c.kind());
    }
    EXPECT_EQ(reported, expected) << name;
  }
}

// Payments past the end of the before-image (new ones) are compared with the
// last entry of their id before, if any: by a scan for the first few, by the
// map after that; both must give the same answers.
TEST(StateChangesTest, PaymentsPastTheEndAreComparedWithTheirIdBefore) {
  v1::Account before;
  for (const auto& [id, state] : std::vector<std::pair<std::string, v1::DepositState>>{
           {"d-1", v1::DEPOSIT_STATE_COMPLETED}, {"d-2", v1::DEPOSIT_STATE_PENDING}}) {
    v1::Deposit* deposit = before.add_deposits();
    deposit->set_deposit_id(id);
    deposit->set_state(state);
  }
  for (int added = 1; added <= 7; ++added) {
    AccountSnapshot snapshot;
    snapshot.Capture(before, domain::kSectionDeposits);
    v1::Account after = before;
    std::vector<std::string> expected;
    for (int i = 0; i < added; ++i) {
      v1::Deposit* deposit = after.add_deposits();
      const int index = after.deposits_size() - 1;
      if (i % 2 == 0) {  // a new id: reported from UNSPECIFIED
        deposit->set_deposit_id(absl::StrCat("d-new-", i));
        deposit->set_state(v1::DEPOSIT_STATE_INITIATED);
        expected.push_back(
            absl::StrCat("account.deposits[", index, "].state ",
                         domain::DepositStateName(v1::DEPOSIT_STATE_UNSPECIFIED), " -> ",
                         domain::DepositStateName(v1::DEPOSIT_STATE_INITIATED)));
      } else {  // an id the account had, in the state it had: nothing to report
        deposit->set_deposit_id("d-2");
        deposit->set_state(v1::DEPOSIT_STATE_PENDING);
      }
    }
    std::vector<std::string> reported;
    for (const v1::StateChange& change : DiffAccounts(snapshot, after)) {
      reported.push_back(
          absl::StrCat(change.field(), " ", change.from(), " -> ", change.to()));
    }
    EXPECT_EQ(reported, expected) << added << " added";
  }
}

TEST(StateChangesTest, RecorderReportsDeclaredChangesAndRefusesUndeclaredOnes) {
  v1::Account account = Sample();
  {
    StateChangeRecorder recorder(account, /*check=*/true);
    domain::ScratchAccount scope(&account, &recorder);
    ASSERT_THAT(domain::ApplyAccountChange(&account, absl::UnixEpoch() + absl::Hours(1),
                                           domain::kSectionProfile,
                                           [](v1::Account& draft) {
                                             draft.mutable_profile()->set_email("c@x.jp");
                                             return absl::OkStatus();
                                           }),
                IsOk());
    absl::StatusOr<std::vector<v1::StateChange>> report = recorder.Report(account);
    ASSERT_THAT(report, IsOk());
    ASSERT_EQ(report->size(), 1u);
    EXPECT_EQ((*report)[0].field(), "account.profile");
    EXPECT_EQ(recorder.declared(), domain::kSectionProfile);
  }
  // A step that changes a section it did not declare fails (check mode).
  {
    StateChangeRecorder recorder(account, /*check=*/true);
    domain::ScratchAccount scope(&account, &recorder);
    EXPECT_THAT(domain::ApplyAccountChange(&account, absl::UnixEpoch() + absl::Hours(2),
                                           domain::kSectionProfile,
                                           [](v1::Account& draft) {
                                             draft.set_status(v1::ACCOUNT_STATUS_RESTRICTED);
                                             return absl::OkStatus();
                                           }),
                StatusIs(absl::StatusCode::kInternal, HasSubstr("account.status")));
  }
  // A change made outside any step is caught by the whole-account check.
  {
    v1::Account other = Sample();
    StateChangeRecorder recorder(other, /*check=*/true);
    other.mutable_security()->set_consecutive_failed_verifications(5);
    EXPECT_THAT(recorder.Report(other), StatusIs(absl::StatusCode::kInternal));
    // Without the check the record alone is reported: nothing was declared.
    StateChangeRecorder unchecked(Sample(), /*check=*/false);
    absl::StatusOr<std::vector<v1::StateChange>> report = unchecked.Report(other);
    ASSERT_THAT(report, IsOk());
    EXPECT_TRUE(report->empty());
  }
}

}  // namespace
}  // namespace engine
}  // namespace pitboss
