// cel::ProgramSet shares the subexpressions its programs have in common
// (evaluated at most once per Evaluate call). Every result, including errors
// and unknowns (with their own program's expression ids) and short-circuit
// outcomes, must be exactly what each program gives alone, whatever order
// the programs meet a shared subexpression in and whichever program first
// evaluates it (or skips it).
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "include/pitboss/cel.h"
#include "tests/cel/eval/fast_path_test.pb.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::testing::IsOk;
using celtest::Sample;

// Value rendering that keeps what "exactly the same result" means: kind and
// content, error messages, and the expression ids of unknowns.
std::string Render(const Value& v) {
  if (v.IsError()) return "error: " + std::string(v.error_value().message());
  if (v.IsUnknown()) {
    std::string out = "unknown:";
    for (int64_t id : v.unknown_ids()) out += " " + std::to_string(id);
    return out;
  }
  return v.DebugString();
}

std::string Render(const absl::StatusOr<Value>& v) {
  if (!v.ok()) return "status: " + v.status().ToString();
  return Render(*v);
}

Env SampleEnv() {
  Env env;
  EXPECT_THAT(env.AddMessageVariable("sample", "pitboss.celtest.Sample"), IsOk());
  EXPECT_THAT(env.AddVariable("n", CelType::Int()), IsOk());
  EXPECT_THAT(env.AddVariable("s", CelType::String()), IsOk());
  EXPECT_THAT(env.AddVariable("d", CelType::Dyn()), IsOk());
  return env;
}

struct BuiltSet {
  std::unique_ptr<ProgramSet> set;
  std::vector<const Program*> each;
};

BuiltSet Build(const Env& env, const std::vector<std::string>& sources) {
  std::vector<std::unique_ptr<Program>> programs;
  for (const std::string& source : sources) {
    absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env, source);
    EXPECT_THAT(program.status(), IsOk()) << source;
    if (!program.ok()) continue;
    programs.push_back(std::move(*program));
  }
  BuiltSet built;
  for (const auto& p : programs) built.each.push_back(p.get());
  built.set = std::make_unique<ProgramSet>(std::move(programs));
  return built;
}

// Evaluates the set and each program alone on `activation`; every result
// must render the same.
void ExpectSameAsAlone(const BuiltSet& built, const std::vector<std::string>& sources,
                       const Activation& activation, const std::string& label) {
  google::protobuf::Arena arena;
  std::vector<Value> out(built.set->size());
  ASSERT_THAT(built.set->Evaluate(activation, &arena, absl::MakeSpan(out)), IsOk());
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(Render(out[i]), Render(built.each[i]->Evaluate(activation, &arena)))
        << label << ": " << sources[i];
  }
}

// The subexpressions in common: `sample.i64 / n == 1` (an error when n is 0),
// `sample.s == s` (unknown when s is), `!(sample.s in sample.rs)`, a dyn
// comparison (no such overload on a non-int), each met first in a
// short-circuited position by some program and evaluated by a later one.
const std::vector<std::string>& SharingSources() {
  static const auto* const sources = new std::vector<std::string>{
      "sample.b && sample.i64 / n == 1",       // lhs true: evaluates the shared division
      "!sample.b && sample.i64 / n == 1",      // lhs false: skips it
      "sample.i64 / n == 1 || sample.b",       // error absorbed by true
      "sample.i64 / n == 1 && !sample.b",      // error absorbed by false
      "sample.i64 / n == 1",                   // the error itself
      "sample.s == s && n > 0",                // unknown when s is
      "n > 0 && sample.s == s",                // unknown only when reached
      "sample.s == s || sample.s == s",        // shared twice in one program
      "!(sample.s in sample.rs) && n != 2",
      "n == 2 || !(sample.s in sample.rs)",
      "d > 1 && sample.b",                     // dyn: no such overload unless int
      "sample.b && d > 1",
      "(sample.b ? sample.i64 / n : 0) > 1 && d > 1",
      "sample.leaf.name + s == 'leafyx' && sample.b",
      "sample.leaf.name + s == 'leafyx' || n == 9",
      "sample.child.child.leaf.name == 'deep' && n == 1",
      "sample.child.child.leaf.name == 'deep' && n == 2",
      "size(sample.rs) > n && sample.b",
      "size(sample.rs) > n || sample.b",
      // A shared operand after the first of a top && chain, computed false by
      // an earlier program: the program is false without being entered.
      "sample.i64 / n == 1 && d > 1 && !(sample.s in sample.rs)",
      "sample.s == s && n > 0 && size(sample.rs) > n",
  };
  return *sources;
}

TEST(ProgramSetSharingTest, SharesRepeatedSubexpressions) {
  Env env = SampleEnv();
  BuiltSet built = Build(env, SharingSources());
  ASSERT_EQ(built.set->size(), SharingSources().size());
  // `sample.i64 / n == 1`, `sample.s == s`, `!(sample.s in sample.rs)`,
  // `d > 1`, `sample.leaf.name + s == 'leafyx'`, the deep name compare,
  // `size(sample.rs) > n`, and a few smaller operands inside them (e.g. `n > 0`,
  // `sample.b`, `sample.s in sample.rs`).
  EXPECT_GE(built.set->shared_subexpressions(), 7u);
}

TEST(ProgramSetSharingTest, SameResultsAsAloneOnEveryActivation) {
  Env env = SampleEnv();
  BuiltSet built = Build(env, SharingSources());
  Sample populated;
  populated.set_i64(7);
  populated.set_b(true);
  populated.set_s("alpha");
  populated.add_rs("a");
  populated.add_rs("alpha");
  populated.mutable_leaf()->set_name("leafy");
  populated.mutable_child()->mutable_child()->mutable_leaf()->set_name("deep");
  Sample other;
  other.set_i64(-3);
  other.set_s("zeta");
  other.add_rs("a");

  struct Case {
    std::string label;
    const Sample* sample;  // null: unbound
    int64_t n;
    bool s_unknown;
    Value d;
  };
  const std::vector<Case> cases = {
      {"populated", &populated, 7, false, Value::Int(5)},
      {"division by zero", &populated, 0, false, Value::Int(0)},
      {"unknown s", &populated, 1, true, Value::StringView("x")},
      {"dyn string", &other, 2, false, Value::StringView("str")},
      {"other sample", &other, 1, false, Value::Double(2.5)},
      {"empty sample", &Sample::default_instance(), 0, true, Value::Int(2)},
      {"unbound sample", nullptr, 3, false, Value::Null()},
  };
  for (int round = 0; round < 2; ++round) {
    for (const Case& c : cases) {
      Activation activation;
      if (c.sample != nullptr) activation.BindMessage("sample", c.sample);
      activation.Bind("n", Value::Int(c.n));
      if (c.s_unknown) {
        activation.BindUnknown("s");
      } else {
        activation.Bind("s", Value::StringView("x"));
      }
      activation.Bind("d", c.d);
      ExpectSameAsAlone(built, SharingSources(), activation, c.label);
    }
  }
}

TEST(ProgramSetSharingTest, ExpectedOutcomesOfSharedErrorsAndUnknowns) {
  Env env = SampleEnv();
  BuiltSet built = Build(env, SharingSources());
  Sample sample;
  sample.set_i64(7);
  sample.set_b(true);
  sample.set_s("alpha");
  Activation activation;
  activation.BindMessage("sample", &sample);
  activation.Bind("n", Value::Int(0));
  activation.BindUnknown("s");
  activation.Bind("d", Value::StringView("str"));
  google::protobuf::Arena arena;
  std::vector<Value> out(built.set->size());
  ASSERT_THAT(built.set->Evaluate(activation, &arena, absl::MakeSpan(out)), IsOk());
  EXPECT_THAT(Render(out[0]), ::testing::HasSubstr("division by zero"));
  EXPECT_EQ(Render(out[1]), "false");
  EXPECT_EQ(Render(out[2]), "true");
  EXPECT_EQ(Render(out[3]), "false");
  EXPECT_THAT(Render(out[4]), ::testing::HasSubstr("division by zero"));
  // false absorbs the unknown; `||` of two unknowns is unknown (this
  // program's ids, checked against the program alone above).
  EXPECT_EQ(Render(out[5]), "false");
  EXPECT_EQ(Render(out[6]), "false");
  EXPECT_TRUE(out[7].IsUnknown());
  EXPECT_THAT(Render(out[10]), ::testing::HasSubstr("no such overload"));
  EXPECT_THAT(Render(out[11]), ::testing::HasSubstr("no such overload"));
}

// A shared subexpression that allocates (string concatenation) is built once
// per call however many programs read it.
TEST(ProgramSetSharingTest, SharedSubexpressionEvaluatedOncePerCall) {
  Env env = SampleEnv();
  const std::string concat = "sample.leaf.name + s + 'a suffix long enough to need the arena'";
  std::vector<std::string> sources;
  for (int i = 0; i < 6; ++i) sources.push_back(concat + " == 'v" + std::to_string(i) + "'");
  BuiltSet built = Build(env, sources);
  EXPECT_GE(built.set->shared_subexpressions(), 1u);
  Sample sample;
  sample.mutable_leaf()->set_name("leafy");
  Activation activation;
  activation.BindMessage("sample", &sample);
  activation.Bind("s", Value::StringView("x"));

  google::protobuf::Arena alone_arena;
  const uint64_t alone_before = alone_arena.SpaceUsed();
  for (const Program* p : built.each) ASSERT_THAT(p->Evaluate(activation, &alone_arena).status(), IsOk());
  const uint64_t alone_used = alone_arena.SpaceUsed() - alone_before;

  google::protobuf::Arena set_arena;
  std::vector<Value> out(built.set->size());
  const uint64_t set_before = set_arena.SpaceUsed();
  ASSERT_THAT(built.set->Evaluate(activation, &set_arena, absl::MakeSpan(out)), IsOk());
  const uint64_t set_used = set_arena.SpaceUsed() - set_before;
  EXPECT_GT(alone_used, 0u);
  // Alone: six concatenations (two each); in the set: two.
  EXPECT_LE(set_used * 3, alone_used + 64) << set_used << " vs " << alone_used;
  for (const Value& v : out) EXPECT_EQ(Render(v), "false");
}

// Subexpressions that run comprehensions are not shared: each program keeps
// its own cost budget (and its own limit error).
TEST(ProgramSetSharingTest, ComprehensionsAreNotShared) {
  Env env = SampleEnv();
  env.options().max_iterations = 2;
  const std::vector<std::string> sources = {
      "sample.rs.exists(x, x == s) && n > 0",
      "sample.rs.exists(x, x == s) || n > 1",
      "[1, 2, 3].all(i, i > n) && sample.b",
      "[1, 2, 3].all(i, i > n) || sample.s == 'q'",
  };
  BuiltSet built = Build(env, sources);
  EXPECT_EQ(built.set->shared_subexpressions(), 0u);
  Sample sample;
  sample.add_rs("a");
  sample.add_rs("b");
  sample.add_rs("c");
  Activation activation;
  activation.BindMessage("sample", &sample);
  activation.Bind("n", Value::Int(1));
  activation.Bind("s", Value::StringView("c"));
  ExpectSameAsAlone(built, sources, activation, "iteration limit");
  google::protobuf::Arena arena;
  std::vector<Value> out(built.set->size());
  ASSERT_THAT(built.set->Evaluate(activation, &arena, absl::MakeSpan(out)), IsOk());
  EXPECT_THAT(Render(out[0]), ::testing::HasSubstr("limit"));
  EXPECT_THAT(Render(out[1]), ::testing::HasSubstr("limit"));
}

// Programs from different environments with the same declarations share;
// the set still evaluates each program alone correctly afterwards.
TEST(ProgramSetSharingTest, ProgramsStillEvaluateAlone) {
  Env env = SampleEnv();
  const std::vector<std::string> sources = {"sample.s == 'alpha' && n > 1",
                                            "sample.s == 'alpha' && n > 2"};
  BuiltSet built = Build(env, sources);
  EXPECT_GE(built.set->shared_subexpressions(), 1u);
  Sample sample;
  sample.set_s("alpha");
  Activation activation;
  activation.BindMessage("sample", &sample);
  activation.Bind("n", Value::Int(2));
  google::protobuf::Arena arena;
  EXPECT_EQ(Render(built.set->program(0).Evaluate(activation, &arena)), "true");
  EXPECT_EQ(Render(built.set->program(1).Evaluate(activation, &arena)), "false");
  sample.set_s("beta");
  std::vector<Value> out(2);
  ASSERT_THAT(built.set->Evaluate(activation, &arena, absl::MakeSpan(out)), IsOk());
  EXPECT_EQ(Render(out[0]), "false");
  EXPECT_EQ(Render(out[1]), "false");
}

// Programs of environments that declare their variables in other orders
// (so the same slot holds another variable in each) or with a comprehension
// slot where another environment has a variable: one set still gives each
// program its own result.
TEST(ProgramSetSharingTest, ProgramsOfDifferentEnvironments) {
  Env first;
  ASSERT_THAT(first.AddMessageVariable("sample", "pitboss.celtest.Sample"), IsOk());
  ASSERT_THAT(first.AddVariable("n", CelType::Int()), IsOk());
  Env second;
  ASSERT_THAT(second.AddVariable("n", CelType::Int()), IsOk());
  ASSERT_THAT(second.AddVariable("s", CelType::String()), IsOk());
  ASSERT_THAT(second.AddMessageVariable("sample", "pitboss.celtest.Sample"), IsOk());
  Env third;
  ASSERT_THAT(third.AddVariable("n", CelType::Int()), IsOk());
  const std::vector<std::pair<const Env*, std::string>> sources = {
      {&first, "sample.i64 > n && sample.s == 'alpha'"},
      {&second, "sample.i64 > n && sample.s == s"},
      {&third, "[1, 2, 3].exists(x, x == n)"},
      {&second, "sample.rs.exists(x, x == s) || n == 2"},
      {&first, "sample.s == 'alpha' || n / 0 == 1"},
  };
  std::vector<std::unique_ptr<Program>> programs;
  std::vector<std::string> texts;
  for (const auto& [env, text] : sources) {
    absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(*env, text);
    ASSERT_THAT(program.status(), IsOk()) << text;
    programs.push_back(std::move(*program));
    texts.push_back(text);
  }
  BuiltSet built;
  for (const auto& p : programs) built.each.push_back(p.get());
  built.set = std::make_unique<ProgramSet>(std::move(programs));
  Sample sample;
  sample.set_i64(5);
  sample.set_s("alpha");
  sample.add_rs("alpha");
  for (int64_t n : {1, 2, 9}) {
    Activation activation;
    activation.Bind("n", Value::Int(n));
    activation.Bind("s", Value::StringView(n == 2 ? "alpha" : "beta"));
    activation.BindMessage("sample", &sample);
    ExpectSameAsAlone(built, texts, activation, "n=" + std::to_string(n));
    google::protobuf::Arena arena;
    std::vector<Value> out(built.set->size());
    ASSERT_THAT(built.set->Evaluate(activation, &arena, absl::MakeSpan(out)), IsOk());
    EXPECT_EQ(Render(out[0]), n < 5 ? "true" : "false");
    EXPECT_EQ(Render(out[2]), n <= 3 ? "true" : "false");
  }
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
