// PITBOSS_RETURN_IF_ERROR / PITBOSS_ASSIGN_OR_RETURN propagate errors and values.
#include "src/common/status_macros.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) return absl::InvalidArgumentError("odd");
  return n / 2;
}

absl::StatusOr<int> Quarter(int n) {
  PITBOSS_ASSIGN_OR_RETURN(int half, Half(n));
  PITBOSS_ASSIGN_OR_RETURN(auto quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int n, int* calls) {
  ++*calls;
  PITBOSS_RETURN_IF_ERROR(Half(n).status());
  ++*calls;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<std::string>> MakeString(bool ok) {
  if (!ok) return absl::NotFoundError("none");
  return std::make_unique<std::string>("moved");
}

absl::StatusOr<std::string> TakeMoveOnly(bool ok) {
  PITBOSS_ASSIGN_OR_RETURN(std::unique_ptr<std::string> s, MakeString(ok));
  return *s;
}

TEST(StatusMacrosTest, AssignOrReturnPassesValues) {
  absl::StatusOr<int> q = Quarter(12);
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(*q, 3);
}

TEST(StatusMacrosTest, AssignOrReturnStopsAtFirstError) {
  EXPECT_THAT(Quarter(6), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("odd")));
}

TEST(StatusMacrosTest, ReturnIfErrorSkipsTheRest) {
  int calls = 0;
  EXPECT_THAT(CheckEven(3, &calls), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(calls, 1);
  calls = 0;
  EXPECT_THAT(CheckEven(4, &calls), IsOk());
  EXPECT_EQ(calls, 2);
}

TEST(StatusMacrosTest, AssignOrReturnMovesMoveOnlyValues) {
  EXPECT_EQ(*TakeMoveOnly(true), "moved");
  EXPECT_THAT(TakeMoveOnly(false), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace pitboss
