// Pruning settled payments: what stays, what goes, version accounting.
#include "src/domain/payment_retention.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/domain/ledger_invariants.h"
#include "src/domain/money.h"
#include "src/domain/proto_time.h"
#include "tests/domain/ledger_test_util.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::domain::testing::NewAccount;
using ::pitboss::domain::testing::TestEpoch;
using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;

void AddDeposit(v1::Account& a, const std::string& id, v1::DepositState state, absl::Time at) {
  v1::Deposit* d = a.add_deposits();
  d->set_deposit_id(id);
  d->set_state(state);
  *d->mutable_amount() = MakeMoney(100, "JPY");
  *d->mutable_updated_at() = ToProtoTime(at);
  if (state == v1::DEPOSIT_STATE_COMPLETED) *d->mutable_completed_at() = ToProtoTime(at);
}

void AddWithdrawal(v1::Account& a, const std::string& id, v1::WithdrawalState state,
                   absl::Time at) {
  v1::Withdrawal* w = a.add_withdrawals();
  w->set_withdrawal_id(id);
  w->set_state(state);
  *w->mutable_amount() = MakeMoney(100, "JPY");
  *w->mutable_updated_at() = ToProtoTime(at);
  if (state == v1::WITHDRAWAL_STATE_PAID) *w->mutable_paid_at() = ToProtoTime(at);
}

TEST(PaymentRetentionTest, RemovesOnlyPaymentsThatCanNoLongerMove) {
  const absl::Time old = TestEpoch();
  const absl::Time now = old + absl::Hours(24 * 100);
  v1::Account account = NewAccount("JPY");
  AddDeposit(account, "d-failed-old", v1::DEPOSIT_STATE_FAILED, old);
  AddDeposit(account, "d-failed-new", v1::DEPOSIT_STATE_FAILED, now - absl::Hours(1));
  AddDeposit(account, "d-completed", v1::DEPOSIT_STATE_COMPLETED, old);  // chargeback window
  AddDeposit(account, "d-pending", v1::DEPOSIT_STATE_PENDING, old);      // in flight
  AddWithdrawal(account, "w-paid-old", v1::WITHDRAWAL_STATE_PAID, old);  // > 90 days
  AddWithdrawal(account, "w-review", v1::WITHDRAWAL_STATE_PENDING_REVIEW, old);
  AddWithdrawal(account, "w-rejected", v1::WITHDRAWAL_STATE_REJECTED, old);
  absl::StatusOr<int> removed = PrunePayments(&account, RetentionOptions(), now);
  ASSERT_THAT(removed, IsOk());
  EXPECT_EQ(*removed, 3);
  ASSERT_EQ(account.deposits_size(), 3);
  EXPECT_EQ(account.deposits(0).deposit_id(), "d-failed-new");
  EXPECT_EQ(account.deposits(1).deposit_id(), "d-completed");
  EXPECT_EQ(account.deposits(2).deposit_id(), "d-pending");
  ASSERT_EQ(account.withdrawals_size(), 1);
  EXPECT_EQ(account.withdrawals(0).withdrawal_id(), "w-review");
  EXPECT_EQ(account.version(), 2);
  // Nothing left to remove: no change, no version bump.
  const v1::Account before = account;
  EXPECT_EQ(*PrunePayments(&account, RetentionOptions(), now), 0);
  EXPECT_EQ(account.SerializeAsString(), before.SerializeAsString());
  // After the chargeback window the completed deposit may go too.
  EXPECT_EQ(*PrunePayments(&account, RetentionOptions(), old + absl::Hours(24 * 541)), 2);
}

TEST(PaymentRetentionTest, RejectsNegativeWindows) {
  v1::Account account = NewAccount("JPY");
  RetentionOptions options;
  options.final_retention = -absl::Hours(1);
  EXPECT_THAT(PrunePayments(&account, options, TestEpoch()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
