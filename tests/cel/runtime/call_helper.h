// Test helper: calls functions of the standard registry through dynamic
// dispatch, the way unchecked evaluation does.
#ifndef PITBOSS_TESTS_CEL_RUNTIME_CALL_HELPER_H_
#define PITBOSS_TESTS_CEL_RUNTIME_CALL_HELPER_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/value.h"
#include "src/cel/runtime/function_registry.h"

namespace pitboss {
namespace cel {
namespace testing {

class CallTest : public ::testing::Test {
 protected:
  // f(args...)
  Value Call(const std::string& fn, std::initializer_list<Value> args) {
    std::vector<Value> v(args);
    return StandardRegistry().Dispatch(fn, false, v, ctx_);
  }
  // args[0].f(args[1:]...)
  Value Member(const std::string& fn, std::initializer_list<Value> args) {
    std::vector<Value> v(args);
    return StandardRegistry().Dispatch(fn, true, v, ctx_);
  }
  Value List(std::initializer_list<Value> elements) {
    return MakeList(&arena_, std::vector<Value>(elements));
  }
  Value Str(const std::string& s) { return Value::String(&arena_, s); }
  std::string ErrorOf(const Value& v) {
    return v.IsError() ? std::string(v.error_value().message())
                       : "not an error: " + v.DebugString();
  }

  google::protobuf::Arena arena_;
  EvalContext ctx_{&arena_};
};

}  // namespace testing
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_TESTS_CEL_RUNTIME_CALL_HELPER_H_
