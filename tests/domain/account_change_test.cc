// ApplyAccountChange: all or nothing with a copy by default; in place on a
// declared ScratchAccount (account_change.h), with the same result on success.
#include "src/domain/account_change.h"

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pitboss/v1/account.pb.h"
#include "tests/matchers.h"

namespace pitboss {
namespace domain {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;

v1::Account MakeAccount() {
  v1::Account account;
  account.set_account_id("acc-1");
  account.set_version(7);
  account.mutable_balances()->mutable_cash()->set_currency("JPY");
  account.mutable_balances()->mutable_cash()->set_minor_units(1000);
  return account;
}

// Changes the cash, then fails when asked to.
absl::Status Credit(v1::Account& draft, bool fail) {
  draft.mutable_balances()->mutable_cash()->set_minor_units(2000);
  if (fail) return absl::FailedPreconditionError("account.balances.cash: refused");
  return absl::OkStatus();
}

const absl::Time kNow = absl::FromUnixSeconds(1764000000);

TEST(AccountChangeTest, ErrorLeavesAnOrdinaryAccountUntouched) {
  v1::Account account = MakeAccount();
  const std::string before = account.SerializeAsString();
  EXPECT_THAT(ApplyAccountChange(&account, kNow, [](v1::Account& d) { return Credit(d, true); }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(account.SerializeAsString(), before);
}

TEST(AccountChangeTest, ScratchIsChangedInPlaceWithTheSameResult) {
  v1::Account copied = MakeAccount();
  ASSERT_THAT(ApplyAccountChange(&copied, kNow, [](v1::Account& d) { return Credit(d, false); }),
              IsOk());
  v1::Account scratch = MakeAccount();
  const v1::Account* seen = nullptr;
  {
    ScratchAccount in_place(&scratch);
    EXPECT_TRUE(IsScratchAccount(&scratch));
    ASSERT_THAT(ApplyAccountChange(&scratch, kNow,
                                   [&](v1::Account& d) {
                                     seen = &d;
                                     return Credit(d, false);
                                   }),
                IsOk());
  }
  EXPECT_EQ(seen, &scratch);  // no draft copy
  EXPECT_EQ(scratch.SerializeAsString(), copied.SerializeAsString());
  EXPECT_EQ(scratch.version(), 8);
  EXPECT_FALSE(IsScratchAccount(&scratch));  // the scope ended
}

TEST(AccountChangeTest, OnlyTheDeclaredAccountIsChangedInPlace) {
  v1::Account scratch = MakeAccount();
  v1::Account other = MakeAccount();
  const std::string before = other.SerializeAsString();
  ScratchAccount in_place(&scratch);
  EXPECT_THAT(ApplyAccountChange(&other, kNow, [](v1::Account& d) { return Credit(d, true); }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(other.SerializeAsString(), before);  // copied as usual
  // The scratch on error: its owner discards it, the version did not move.
  EXPECT_THAT(ApplyAccountChange(&scratch, kNow, [](v1::Account& d) { return Credit(d, true); }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(scratch.version(), 7);
}

TEST(AccountChangeTest, ScopesNest) {
  v1::Account outer = MakeAccount();
  v1::Account inner = MakeAccount();
  ScratchAccount outer_scope(&outer);
  {
    ScratchAccount inner_scope(&inner);
    EXPECT_TRUE(IsScratchAccount(&inner));
    EXPECT_FALSE(IsScratchAccount(&outer));
  }
  EXPECT_TRUE(IsScratchAccount(&outer));
  EXPECT_FALSE(IsScratchAccount(nullptr));
}

}  // namespace
}  // namespace domain
}  // namespace pitboss
