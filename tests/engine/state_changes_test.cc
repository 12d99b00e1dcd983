// The state-change report: built from the domain steps' change record
// (StateChangeRecorder, domain/account_change.h), it must equal the comparison
// of the whole account before and after (DiffAccounts over a full
// AccountSnapshot, the oracle) -- over the example stream through the engine,
// and for the recorder's own checks.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pitboss/engine.h"
#include "src/domain/account_change.h"
#include "src/domain/proto_time.h"
#include "src/engine/audit_chain.h"
#include "src/engine/state_changes.h"
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
