// LogicalChainNode (a flattened `&&` / `||` chain) against its reference,
// the binary AndNode / OrNode tree of the same shape: on every mix of
// deciding and neutral bools, errors, unknowns and non-bool operands the
// result (kind, bool, error message, merged unknown ids in order) and the
// operands evaluated (short-circuit) must be the same; the step cost
// (Size) too. Then through the public API: chains of dyn variables.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "include/pitboss/cel.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/eval/nodes.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using eval_internal::AndNode;
using eval_internal::Frame;
using eval_internal::LogicalChainNode;
using eval_internal::Node;
using eval_internal::NodePtr;
using eval_internal::OrNode;
using ::pitboss::testing::IsOk;

std::string Render(const Value& v) {
  if (v.IsError()) return "error: " + std::string(v.error_value().message());
  if (v.IsUnknown()) {
    std::string out = "unknown:";
    for (int64_t id : v.unknown_ids()) out += " " + std::to_string(id);
    return out;
  }
  return v.DebugString();
}

// An operand that counts its evaluations (a general node, not an inline
// constant, so both forms call it).
class CountingNode final : public Node {
 public:
  CountingNode(int64_t id, Value value, int* count) : Node(id), value_(value), count_(count) {}
  Value Eval(Frame&) const override {
    ++*count_;
    return value_;
  }

 private:
  Value value_;
  int* count_;
};

// A random binary tree over operands [begin, end): its postfix shape.
void RandomShape(std::mt19937& rng, int begin, int end, std::vector<int32_t>* shape) {
  if (end - begin == 1) {
    shape->push_back(begin);
    return;
  }
  int split = begin + 1 + static_cast<int>(rng() % static_cast<unsigned>(end - begin - 1));
  RandomShape(rng, begin, split, shape);
  RandomShape(rng, split, end, shape);
  shape->push_back(LogicalChainNode::kCombine);
}

NodePtr BuildTree(bool is_and, const std::vector<int32_t>& shape,
                  std::vector<NodePtr>* leaves) {
  std::vector<NodePtr> stack;
  int64_t id = 1000;
  for (int32_t s : shape) {
    if (s != LogicalChainNode::kCombine) {
      stack.push_back(std::move((*leaves)[static_cast<size_t>(s)]));
      continue;
    }
    NodePtr rhs = std::move(stack.back());
    stack.pop_back();
    NodePtr lhs = std::move(stack.back());
    stack.pop_back();
    if (is_and) {
      stack.push_back(std::make_unique<AndNode>(++id, std::move(lhs), std::move(rhs)));
    } else {
      stack.push_back(std::make_unique<OrNode>(++id, std::move(lhs), std::move(rhs)));
    }
  }
  return std::move(stack.back());
}

TEST(LogicalChainTest, SameAsBinaryTreeOnEveryMix) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  std::mt19937 rng(20261125);
  int non_bool_results = 0;
  for (int round = 0; round < 20000; ++round) {
    const bool is_and = round % 2 == 0;
    const int n = 2 + static_cast<int>(rng() % 6);
    std::vector<Value> values;
    for (int i = 0; i < n; ++i) {
      switch (rng() % 7) {
        case 0: values.push_back(Value::Bool(!is_and)); break;  // deciding
        case 1:
        case 2: values.push_back(Value::Bool(is_and)); break;  // neutral
        case 3:
          values.push_back(Value::Error(&arena, "error " + std::to_string(i)));
          break;
        case 4: {
          int64_t ids[] = {10 + i, 20 + i};
          values.push_back(Value::Unknown(&arena, absl::MakeConstSpan(ids, 1 + i % 2)));
          break;
        }
        case 5: values.push_back(Value::StringView("not a bool")); break;
        default: values.push_back(Value::Int(i)); break;
      }
    }
    std::vector<int32_t> shape;
    RandomShape(rng, 0, n, &shape);
    std::vector<int> tree_counts(n, 0), chain_counts(n, 0);
    std::vector<NodePtr> tree_leaves, chain_leaves;
    for (int i = 0; i < n; ++i) {
      tree_leaves.push_back(std::make_unique<CountingNode>(i + 1, values[i], &tree_counts[i]));
      chain_leaves.push_back(std::make_unique<CountingNode>(i + 1, values[i], &chain_counts[i]));
    }
    NodePtr tree = BuildTree(is_and, shape, &tree_leaves);
    LogicalChainNode chain(1, is_and, std::move(chain_leaves), shape);
    Frame frame;
    frame.ctx = &ctx;
    const Value expected = tree->Eval(frame);
    const Value actual = chain.Eval(frame);
    std::string where = "round " + std::to_string(round);
    for (const Value& v : values) where += " | " + Render(v);
    ASSERT_EQ(Render(actual), Render(expected)) << where;
    ASSERT_EQ(chain_counts, tree_counts) << where;
    ASSERT_EQ(chain.Size(), tree->Size()) << where;
    non_bool_results += expected.IsBool() ? 0 : 1;
  }
  EXPECT_GT(non_bool_results, 1000);  // the replay path was exercised
}

// The parser's tree shape decides which error wins when a non-bool operand
// meets an error: both shapes give what their binary trees give.
TEST(LogicalChainTest, ShapeDecidesWhichErrorWins) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  Frame frame;
  frame.ctx = &ctx;
  int counts[3] = {0, 0, 0};
  auto leaves = [&] {
    std::vector<NodePtr> out;
    out.push_back(std::make_unique<CountingNode>(1, Value::Bool(true), &counts[0]));
    out.push_back(std::make_unique<CountingNode>(2, Value::StringView("s"), &counts[1]));
    out.push_back(std::make_unique<CountingNode>(3, Value::Error(&arena, "boom"), &counts[2]));
    return out;
  };
  // (true && "s") && error: the inner no-such-overload wins.
  LogicalChainNode left(1, true, leaves(), {0, 1, -1, 2, -1});
  Value l = left.Eval(frame);
  ASSERT_TRUE(l.IsError());
  EXPECT_NE(l.error_value().message(), "boom");
  // true && ("s" && error): the operand's error wins.
  LogicalChainNode right(1, true, leaves(), {0, 1, 2, -1, -1});
  Value r = right.Eval(frame);
  ASSERT_TRUE(r.IsError());
  EXPECT_EQ(r.error_value().message(), "boom");
}

// Through the compiled program: absorption as the definition says.
TEST(LogicalChainTest, ProgramsAbsorbErrorsAndUnknowns) {
  Env env;
  ASSERT_THAT(env.AddVariable("a", CelType::Dyn()), IsOk());
  ASSERT_THAT(env.AddVariable("b", CelType::Dyn()), IsOk());
  ASSERT_THAT(env.AddVariable("c", CelType::Dyn()), IsOk());
  google::protobuf::Arena arena;
  struct Case {
    const char* expr;
    Value a, b, c;
    std::string want;
  };
  const Value err = Value::Error(&arena, "bad");
  const Value t = Value::Bool(true), f = Value::Bool(false);
  const std::vector<Case> cases = {
      {"a && b && c", t, t, t, "true"},
      {"a && b && c", err, f, t, "false"},
      {"a && b && c", f, err, err, "false"},
      {"a && b && c", t, t, err, "error: bad"},
      {"a || b || c", err, t, err, "true"},
      {"a || b || c", f, f, err, "error: bad"},
      {"a || b || c", f, f, f, "false"},
      {"(a || b) && c", err, t, t, "true"},
      {"(a && b) || c", err, t, f, "error: bad"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env, c.expr);
    ASSERT_THAT(program.status(), IsOk()) << c.expr;
    Activation activation;
    activation.Bind("a", c.a);
    activation.Bind("b", c.b);
    activation.Bind("c", c.c);
    absl::StatusOr<Value> v = (*program)->Evaluate(activation, &arena);
    ASSERT_THAT(v.status(), IsOk()) << c.expr;
    EXPECT_EQ(Render(*v), c.want) << c.expr << " on " << Render(c.a) << ", " << Render(c.b)
                                  << ", " << Render(c.c);
  }
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
