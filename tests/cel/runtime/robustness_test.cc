// Bad-input sweep: every overload of the standard registry (plus optionals and
// encoders) is called with every combination of edge-case arguments of the
// kinds it accepts, and every function name with a sample of mismatched
// arguments. Each call must return a well-formed value (never crash; the
// sanitizer build catches undefined behaviour), and mismatches must be the
// "no such overload" error.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "google/protobuf/arena.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/time_util.h"
#include "src/cel/runtime/function_registry.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::testing::IsOk;

class RobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(RegisterStandardFunctions(&registry_), IsOk());
    ASSERT_THAT(RegisterStringsExtension(&registry_), IsOk());
    ASSERT_THAT(RegisterMathExtension(&registry_), IsOk());
    ASSERT_THAT(RegisterOptionalFunctions(&registry_), IsOk());
    ASSERT_THAT(RegisterEncodersExtension(&registry_), IsOk());
    wrapper_.set_value(7);
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<MapEntry> entries = {{Value::Int(1), Value::StringView("a")},
                                     {Value::StringView("k"), Value::Double(NAN)}};
    samples_ = {
        Value::Null(),
        Value::Bool(true),
        Value::Bool(false),
        Value::Int(0),
        Value::Int(-1),
        Value::Int(63),
        Value::Int(64),
        Value::Int(std::numeric_limits<int64_t>::min()),
        Value::Int(std::numeric_limits<int64_t>::max()),
        Value::Uint(0),
        Value::Uint(std::numeric_limits<uint64_t>::max()),
        Value::Double(0.0),
        Value::Double(-0.0),
        Value::Double(NAN),
        Value::Double(inf),
        Value::Double(-inf),
        Value::Double(1e300),
        Value::Double(-9.5),
        Value::StringView(""),
        Value::StringView("h\xC3\xA9llo w\xC3\xB6rld"),
        Value::StringView("%s %d %.3f %e %x %X %o %b %% %"),
        Value::StringView("\xff\xfe"),
        Value::StringView("America/New_York"),
        Value::StringView("-02:30"),
        Value::StringView("("),
        Value::StringView("2009-02-13T23:31:30Z"),
        Value::StringView("-1.5h"),
        Value::BytesView(""),
        Value::BytesView(absl::string_view("\0\xff", 2)),
        MakeList(&arena_, {}),
        MakeList(&arena_, {Value::Int(1), Value::StringView("a"), Value::Double(2.5)}),
        MakeList(&arena_, {Value::StringView("x"), Value::StringView("y")}),
        MakeMap(&arena_, {}),
        MakeMap(&arena_, entries),
        Value::Timestamp(kMinTimestampSeconds, 0),
        Value::Timestamp(kMaxTimestampSeconds, 999999999),
        Value::Duration(9223372036, 854775807),
        Value::Duration(-9223372036, -854775808),
        Value::Duration(0, 0),
        Value::Type("int"),
        Value::Message(&wrapper_),
        Value::Optional(&arena_, Value::Int(1)),
        Value::OptionalNone(),
        Value::Error(&arena_, "sample error"),
        Value::Unknown(&arena_, {42}),
    };
  }

  static bool WellFormed(const Value& v) {
    if (v.kind() == ValueKind::kAny) return false;
    if (v.IsError()) return !v.error_value().ok();
    return true;
  }

  FunctionRegistry registry_;
  google::protobuf::Arena arena_;
  EvalContext ctx_{&arena_};
  google::protobuf::Int64Value wrapper_;
  std::vector<Value> samples_;
};

TEST_F(RobustnessTest, EveryOverloadSurvivesEdgeCaseArguments) {
  size_t calls = 0;
  for (const std::string& id : registry_.OverloadIds()) {
    const Overload* o = registry_.FindById(id);
    ASSERT_NE(o, nullptr);
    std::vector<std::vector<Value>> choices;
    for (ValueKind k : o->arg_kinds) {
      std::vector<Value> c;
      for (const Value& s : samples_) {
        if (k == ValueKind::kAny || s.kind() == k) c.push_back(s);
      }
      choices.push_back(c);
    }
    std::vector<Value> args(o->arity());
    std::function<void(size_t)> sweep = [&](size_t pos) {
      if (pos == args.size()) {
        Value r = Invoke(*o, args, ctx_);
        ++calls;
        ASSERT_TRUE(WellFormed(r)) << id;
        return;
      }
      for (const Value& v : choices[pos]) {
        args[pos] = v;
        sweep(pos + 1);
      }
    };
    sweep(0);
  }
  EXPECT_GT(calls, 10000u);
}

TEST_F(RobustnessTest, MismatchedArgumentsAreNoSuchOverload) {
  std::set<std::pair<std::string, bool>> functions;
  for (const std::string& id : registry_.OverloadIds()) {
    const Overload* o = registry_.FindById(id);
    functions.insert({o->function, o->receiver_style});
  }
  for (const auto& [fn, receiver] : functions) {
    for (size_t arity = 0; arity <= 3; ++arity) {
      for (size_t i = 0; i < samples_.size(); ++i) {
        std::vector<Value> args;
        for (size_t j = 0; j < arity; ++j) args.push_back(samples_[(i + 7 * j) % samples_.size()]);
        Value r = registry_.Dispatch(fn, receiver, args, ctx_);
        ASSERT_TRUE(WellFormed(r)) << fn;
        if (registry_.Resolve(fn, receiver, args) == nullptr) {
          bool has_error_or_unknown = false;
          for (const Value& a : args) has_error_or_unknown |= a.IsErrorOrUnknown();
          if (!has_error_or_unknown) {
            ASSERT_TRUE(r.IsError()) << fn << " " << r.DebugString();
            EXPECT_EQ(r.error_value().message(), "no such overload") << fn;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
