// Program evaluation tests: field access on protobuf messages, the
// definition's error/unknown absorption, comprehensions, the cost limit,
// unchecked (dynamic) programs, constant folding and concurrent evaluation.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "include/pitboss/cel.h"
#include "pitboss/v1/account.pb.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

class ProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(env_.AddMessageVariable("account", "pitboss.v1.Account"), IsOk());
    ASSERT_THAT(env_.AddVariable("x", CelType::Dyn()), IsOk());
    ASSERT_THAT(env_.AddVariable("y", CelType::Dyn()), IsOk());
    ASSERT_THAT(env_.AddVariable("n", CelType::Int()), IsOk());
    account_.set_version(7);
    account_.mutable_kyc()->set_level(pitboss::v1::KYC_LEVEL_BASIC);
    account_.mutable_balances()->mutable_cash()->set_minor_units(150000);
    account_.mutable_balances()->mutable_cash()->set_currency("JPY");
    account_.mutable_created_at()->set_seconds(1700000000);
    account_.add_factors()->set_factor_id("f1");
    account_.add_factors()->set_factor_id("f2");
    activation_.BindMessage("account", &account_);
    activation_.Bind("n", Value::Int(3));
  }

  // Evaluates and renders the result ("error: ..." for errors).
  std::string Eval(const std::string& expr) {
    absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env_, expr);
    if (!program.ok()) return "compile: " + std::string(program.status().message());
    absl::StatusOr<Value> v = (*program)->Evaluate(activation_, &arena_);
    if (!v.ok()) return "status: " + std::string(v.status().message());
    if (v->IsError()) return "error: " + std::string(v->error_value().message());
    if (v->IsUnknown()) return "unknown";
    return v->DebugString();
  }

  Env env_;
  pitboss::v1::Account account_;
  Activation activation_;
  google::protobuf::Arena arena_;
};

TEST_F(ProgramTest, ReadsMessageFields) {
  EXPECT_EQ(Eval("account.version"), "7");
  EXPECT_EQ(Eval("account.kyc.level >= pitboss.v1.KycLevel.KYC_LEVEL_BASIC"), "true");
  EXPECT_EQ(Eval("account.balances.cash.minor_units > 100000 && "
                 "account.balances.cash.currency == 'JPY'"),
            "true");
  EXPECT_EQ(Eval("account.created_at.getFullYear()"), "2023");
  EXPECT_EQ(Eval("size(account.factors)"), "2");
  EXPECT_EQ(Eval("account.factors.exists(f, f.factor_id == 'f2')"), "true");
  EXPECT_EQ(Eval("account.factors.map(f, f.factor_id)"), "[\"f1\", \"f2\"]");
  EXPECT_EQ(Eval("has(account.kyc)"), "true");
  EXPECT_EQ(Eval("has(account.security)"), "false");
  EXPECT_EQ(Eval("account.security.consecutive_failed_logins"), "0");
  EXPECT_EQ(Eval("n * 2 + 1"), "7");
}

TEST_F(ProgramTest, ExpandsTwoVariableMacrosAndNullValue) {
  EXPECT_EQ(Eval("{'a': 1, 'b': 2}.transformMap(k, v, v * 10)['b']"), "20");
  EXPECT_EQ(Eval("size({'a': 1, 'b': 2}.transformMap(k, v, v > 1, v))"), "1");
  EXPECT_THAT(Eval("{'a': 0}.transformMap(k, v, 1 / v)"), HasSubstr("error: "));
  EXPECT_EQ(Eval("google.protobuf.NullValue.NULL_VALUE == null"), "true");
  EXPECT_EQ(Eval("type([1]) == type(['a'])"), "true");
}

TEST_F(ProgramTest, BuildsMessages) {
  EXPECT_EQ(Eval("pitboss.v1.Money{minor_units: 5, currency: 'USD'}.minor_units"), "5");
  env_.SetContainer("pitboss.v1");
  EXPECT_EQ(Eval("Money{currency: 'EUR'}.currency"), "\"EUR\"");
  EXPECT_EQ(Eval("has(Money{currency: 'EUR'}.minor_units)"), "false");
}

TEST_F(ProgramTest, AbsorbsErrorsInLogicalOperatorsCommutatively) {
  EXPECT_EQ(Eval("false && 1/0 == 1"), "false");
  EXPECT_EQ(Eval("1/0 == 1 && false"), "false");
  EXPECT_EQ(Eval("true || 1/0 == 1"), "true");
  EXPECT_EQ(Eval("1/0 == 1 || true"), "true");
  EXPECT_THAT(Eval("true && 1/0 == 1"), HasSubstr("error: "));
  EXPECT_THAT(Eval("1/0 == 1 && true"), HasSubstr("error: "));
  EXPECT_THAT(Eval("false || 1/0 == 1"), HasSubstr("error: "));
  EXPECT_EQ(Eval("true ? 1 : 1/0"), "1");
  EXPECT_EQ(Eval("false ? 1/0 : 2"), "2");
  EXPECT_THAT(Eval("1/0 == 1 ? 1 : 2"), HasSubstr("error: "));
  // Same with runtime (non-constant) operands.
  activation_.Bind("x", Value::Int(0));
  EXPECT_EQ(Eval("1/x == 1 && n == 2"), "false");
  EXPECT_EQ(Eval("n == 3 || 1/x == 1"), "true");
  EXPECT_THAT(Eval("n == 3 && 1/x == 1"), HasSubstr("error: "));
}

TEST_F(ProgramTest, AbsorbsUnknowns) {
  activation_.BindUnknown("x");
  activation_.Bind("y", Value::Int(0));
  EXPECT_EQ(Eval("x && false"), "false");
  EXPECT_EQ(Eval("false && x"), "false");
  EXPECT_EQ(Eval("x || true"), "true");
  EXPECT_EQ(Eval("x && true"), "unknown");
  // Unknown wins over an error on the other side.
  EXPECT_EQ(Eval("x && 1/y == 1"), "unknown");
  EXPECT_EQ(Eval("1/y == 1 || x"), "unknown");
  EXPECT_EQ(Eval("x + 1"), "unknown");
  EXPECT_EQ(Eval("x ? 1 : 2"), "unknown");
}

TEST_F(ProgramTest, RuntimeErrorsAreValues) {
  EXPECT_THAT(Eval("9223372036854775807 + n"), HasSubstr("error: "));
  EXPECT_THAT(Eval("n / 0"), HasSubstr("error: "));
  EXPECT_THAT(Eval("[1, 2][n]"), HasSubstr("error: "));
  EXPECT_THAT(Eval("{'a': 1}['b']"), HasSubstr("error: "));
  // An unbound variable of a checked program.
  EXPECT_THAT(Eval("y == 1"), HasSubstr("error: "));
}

TEST_F(ProgramTest, DispatchesDynamicallyOnDyn) {
  activation_.Bind("x", Value::Int(40));
  EXPECT_EQ(Eval("x + 2"), "42");
  activation_.Bind("x", Value::Double(1.5));
  EXPECT_EQ(Eval("x + 2.0"), "3.5");
  activation_.Bind("x", Value::StringView("ab"));
  EXPECT_EQ(Eval("size(x)"), "2");
  EXPECT_THAT(Eval("x + 2"), HasSubstr("error: no such overload"));
}

TEST_F(ProgramTest, RunsUncheckedPrograms) {
  env_.options().enable_checking = false;
  activation_.Bind("x", Value::Int(2));
  EXPECT_EQ(Eval("x * 21"), "42");
  EXPECT_EQ(Eval("account.kyc.level == 2"), "true");
  EXPECT_EQ(Eval("pitboss.v1.KycLevel.KYC_LEVEL_ENHANCED"), "4");
  EXPECT_EQ(Eval("math.abs(-3)"), "3");
  EXPECT_EQ(Eval("'abc'.startsWith('a')"), "true");
  EXPECT_EQ(Eval("[1, 2, 3].filter(i, i > 1)"), "[2, 3]");
  EXPECT_THAT(Eval("nosuchvar + 1"), HasSubstr("error: "));
  EXPECT_THAT(Eval("x + 'a'"), HasSubstr("error: no such overload"));
  env_.SetContainer("pitboss.v1");
  EXPECT_EQ(Eval("KycLevel.KYC_LEVEL_ENHANCED"), "4");
}

TEST_F(ProgramTest, StopsRunawayComprehensionsWithAnError) {
  env_.options().max_iterations = 1000;
  const std::string ten = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
  // 10^4 iterations in total.
  const std::string nested = ten + ".all(a, " + ten + ".all(b, " + ten + ".all(c, " + ten +
                             ".all(d, n > 0))))";
  EXPECT_THAT(Eval(nested), HasSubstr("error: comprehension iteration limit exceeded"));
  env_.options().max_iterations = 0;
  env_.options().max_steps = 5000;
  EXPECT_THAT(Eval(nested), HasSubstr("error: evaluation cost limit exceeded"));
  env_.options().max_steps = 0;
  EXPECT_EQ(Eval(nested), "true");
  // Exponential growth is cut off too (never a hang).
  env_.options().max_iterations = 100000;
  EXPECT_THAT(Eval("[[1, 2, 3, 4, 5, 6, 7, 8]].map(l, l.map(a, l.map(b, l.map(c, l.map(d, "
                   "l.map(e, l.map(f, a + b + c + d + e + f)))))))"),
              HasSubstr("error: comprehension iteration limit exceeded"));
}

TEST_F(ProgramTest, FoldsConstantsWithoutChangingResults) {
  for (bool fold : {true, false}) {
    env_.options().fold_constants = fold;
    EXPECT_EQ(Eval("1 + 2 * 3"), "7");
    EXPECT_EQ(Eval("'a' + 'b' in ['ab', 'c']"), "true");
    EXPECT_THAT(Eval("1 / 0"), HasSubstr("error: "));
    EXPECT_EQ(Eval("n in [1, 2, 3]"), "true");
    EXPECT_EQ(Eval("{'a': 1, 'b': 2}['b'] + n"), "5");
  }
}

TEST_F(ProgramTest, ReportsParseErrorsWithPositions) {
  EXPECT_THAT(CreateProgram(env_, "account.version >").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("<input>:1:")));
}

TEST_F(ProgramTest, EvaluatesConcurrently) {
  absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(
      env_,
      "account.kyc.level >= 2 && account.factors.exists(f, f.factor_id == 'f2') && n > 2");
  ASSERT_THAT(program, IsOk());
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      pitboss::v1::Account account = account_;
      Activation activation;
      activation.BindMessage("account", &account);
      activation.Bind("n", Value::Int(t + 2));  // n > 2 fails for t == 0
      google::protobuf::Arena arena;
      for (int i = 0; i < 2000; ++i) {
        absl::StatusOr<Value> v = (*program)->Evaluate(activation, &arena);
        if (v.ok() && v->IsBool() && v->bool_value() == (t > 0)) good.fetch_add(1);
        if (i % 100 == 0) arena.Reset();
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(good.load(), 4 * 2000);
}

TEST_F(ProgramTest, RejectsAMissingArena) {
  absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env_, "1");
  ASSERT_THAT(program, IsOk());
  EXPECT_THAT((*program)->Evaluate(activation_, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
