// The evaluator's fast paths on generated messages (plan-time FieldReader with
// raw field offsets, inline operators, `in` over constant lists and repeated
// fields, size() of repeated fields) must give exactly what the generic
// reflection path gives. Differential: every expression runs once against a
// generated message and once against a DynamicMessage of the same descriptors
// (a separate pool, so only the generic path applies), populated and empty.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "include/pitboss/cel.h"
#include "src/cel/eval/field_reader.h"
#include "tests/cel/eval/fast_path_test.pb.h"
#include "tests/cel/eval/fast_path_test_legacy.pb.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cel {
namespace {

using ::pitboss::testing::IsOk;
using celtest::Legacy;
using celtest::Sample;
using google::protobuf::DescriptorPool;
using google::protobuf::DynamicMessageFactory;
using google::protobuf::FileDescriptor;
using google::protobuf::FileDescriptorProto;
using google::protobuf::Message;

// Every expression of the differential test (all type-check against the
// declared variables).
const char* const kExpressions[] = {
    "sample.i32", "sample.i64", "sample.u32", "sample.u64", "sample.f", "sample.d", "sample.b",
    "sample.s", "sample.by", "sample.color", "sample.leaf", "sample.leaf.name", "sample.leaf.n",
    "sample.child.child.leaf.name", "sample.child.i64", "sample.child.child.rs", "sample.rs",
    "sample.ri", "sample.rleaf", "sample.ri32", "sample.m", "sample.wrapped", "sample.os",
    "sample.oi", "sample.oleaf", "sample.oleaf.name", "sample.opt",
    // Presence.
    "has(sample.leaf)", "has(sample.rs)", "has(sample.os)", "has(sample.oi)", "has(sample.opt)",
    "has(sample.wrapped)", "has(sample.i64)", "has(sample.s)", "has(sample.child.leaf)",
    "has(sample.oleaf)", "has(sample.oleaf.name)", "has(sample.child.oleaf)",
    "sample.child.oleaf.n", "sample.oleaf.n + 1", "sample.oleaf == sample.leaf",
    // size() of repeated fields.
    "size(sample.rs)", "sample.rs.size()", "size(sample.rleaf)", "size(sample.ri32)",
    "size(sample.ri)", "size(sample.child.rs)", "size(sample.m)",
    // `in` over repeated fields and constant lists.
    "'b' in sample.rs", "'zz' in sample.rs", "sample.s in sample.rs", "5 in sample.ri",
    "6 in sample.ri", "5 in sample.ri32", "sample.leaf.name in sample.rs",
    "sample.s in ['alpha', 'beta']", "sample.s in ['x', 'y']",
    "sample.s in ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'alpha']",
    "sample.s in ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']",
    "sample.i64 in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -7]", "sample.i64 in [1, 2, 3]",
    "sample.i64 in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "sample.d in [1.5, 2.0]",
    "dyn(sample.d) in [1, 2, 3]", "dyn(sample.i64) in [-7.0]", "sample.color in [1]",
    "'k' in sample.m", "sample.s in []",
    // Operators against constants and fields.
    "sample.i64 == -7", "sample.i64 != -7", "sample.i64 < 0", "sample.i64 >= 0",
    "sample.u64 > 5u", "sample.d <= 2.0", "sample.f == 1.5", "sample.i32 == -3",
    "sample.i64 - 9223372036854775807", "sample.i64 * 2 > sample.ri[0]",
    "sample.i64 + sample.child.i64", "sample.d / 0.0", "sample.s.startsWith('al')",
    "sample.s.endsWith('ha')", "sample.s.contains('lph')", "sample.s == 'alpha'",
    "sample.s != 'alpha'", "sample.s < 'b'", "sample.s == sample.leaf.name",
    "sample.s + sample.leaf.name", "sample.by == b'\\x00\\x01'", "sample.b == true",
    "sample.s == 'a long string that is longer than sixteen bytes'",
    "sample.leaf.name == 'leafy'", "sample.leaf.name == 'leafz'", "sample.s == ''",
    // Logic with absorption.
    "!sample.b", "sample.b && sample.i64 < 0", "sample.b || sample.i64 / 0 == 1",
    "sample.i64 / 0 == 1 || sample.b", "!sample.b && sample.i64 / 0 == 1",
    "sample.i64 / 0 == 1 && !sample.b", "sample.b ? sample.s : sample.leaf.name",
    // Comprehensions over repeated fields.
    "sample.rs.exists(t, t == 'b')", "sample.rs.all(t, t.size() > 0)",
    "sample.rleaf.map(l, l.name)", "sample.rleaf.exists(l, l.n > 1)",
    "sample.ri.filter(x, x > 0)", "sample.rs.exists_one(t, t == 'a')",
    // Map and wrapper fields.
    "sample.m['k']", "sample.wrapped == null", "sample.m.size()",
    // proto2 defaults.
    "legacy.s", "legacy.n", "legacy.b", "legacy.plain", "legacy.plain_n", "has(legacy.s)",
    "has(legacy.plain)", "legacy.tags", "'x' in legacy.tags", "size(legacy.tags)",
    "legacy.s == 'fallback'", "legacy.n == 42",
};

void Populate(Sample* s) {
  s->set_i32(-3);
  s->set_i64(-7);
  s->set_u32(3);
  s->set_u64(uint64_t{1} << 40);
  s->set_f(1.5f);
  s->set_d(2.0);
  s->set_b(true);
  s->set_s("alpha");
  s->set_by(std::string("\x00\x01", 2));
  s->set_color(celtest::COLOR_RED);
  s->mutable_leaf()->set_name("leafy");
  s->mutable_leaf()->set_n(2);
  s->add_rs("a");
  s->add_rs("b");
  s->add_rs("a long string that is longer than sixteen bytes");
  s->add_ri(5);
  s->add_ri(-1);
  Sample::default_instance();
  celtest::Leaf* l1 = s->add_rleaf();
  l1->set_name("x");
  l1->set_n(1);
  celtest::Leaf* l2 = s->add_rleaf();
  l2->set_name("y");
  l2->set_n(3);
  s->add_ri32(5);
  (*s->mutable_m())["k"] = 9;
  s->mutable_wrapped()->set_value(11);
  s->set_oi(4);
  s->set_opt(0);
  s->mutable_child()->set_i64(8);
  s->mutable_child()->mutable_child()->mutable_leaf()->set_name("deep");
  s->mutable_child()->mutable_child()->add_rs("c");
}

void Populate(Legacy* l) {
  l->set_s("set");
  l->set_n(1);
  l->set_b(false);
  l->set_plain("p");
  l->set_plain_n(5);
  l->add_tags("x");
}

// The test files rebuilt in a pool of their own: messages from it are
// DynamicMessages, which only the generic path reads.
class DynamicTypes {
 public:
  DynamicTypes() {
    for (const FileDescriptor* file :
         {celtest::Leaf::descriptor()->file()->dependency(0), celtest::Leaf::descriptor()->file(),
          Legacy::descriptor()->file()}) {
      FileDescriptorProto proto;
      file->CopyTo(&proto);
      EXPECT_NE(pool_.BuildFile(proto), nullptr) << file->name();
    }
  }
  const DescriptorPool* pool() const { return &pool_; }
  DynamicMessageFactory* factory() { return &factory_; }
  // A dynamic copy of `generated` (through its wire bytes).
  std::unique_ptr<Message> Copy(const Message& generated) {
    const google::protobuf::Descriptor* d =
        pool_.FindMessageTypeByName(generated.GetDescriptor()->full_name());
    std::unique_ptr<Message> m(factory_.GetPrototype(d)->New());
    EXPECT_TRUE(m->ParseFromString(generated.SerializeAsString()));
    return m;
  }

 private:
  DescriptorPool pool_;
  DynamicMessageFactory factory_{&pool_};
};

std::string Render(const absl::StatusOr<Value>& v) {
  if (!v.ok()) return "status: " + v.status().ToString();
  if (v->IsError()) return "error: " + std::string(v->error_value().message());
  return v->DebugString();
}

std::string EvalIn(Env& env, const std::string& expr, const Message& sample, const Message& legacy) {
  absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env, expr);
  if (!program.ok()) return "compile: " + std::string(program.status().message());
  Activation activation;
  activation.BindMessage("sample", &sample);
  activation.BindMessage("legacy", &legacy);
  google::protobuf::Arena arena;
  // Twice: the second evaluation uses the variable-position hints.
  const std::string first = Render((*program)->Evaluate(activation, &arena));
  const std::string second = Render((*program)->Evaluate(activation, &arena));
  EXPECT_EQ(first, second) << expr;
  return first;
}

class FastPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(generated_env_.AddMessageVariable("sample", "pitboss.celtest.Sample"), IsOk());
    ASSERT_THAT(generated_env_.AddMessageVariable("legacy", "pitboss.celtest.Legacy"), IsOk());
    dynamic_env_ = std::make_unique<Env>(types_.pool(), types_.factory());
    ASSERT_THAT(dynamic_env_->AddMessageVariable("sample", "pitboss.celtest.Sample"), IsOk());
    ASSERT_THAT(dynamic_env_->AddMessageVariable("legacy", "pitboss.celtest.Legacy"), IsOk());
  }

  // Checks every expression on (sample, legacy): generated vs dynamic.
  void ExpectSameResults(const Sample& sample, const Legacy& legacy) {
    std::unique_ptr<Message> dyn_sample = types_.Copy(sample);
    std::unique_ptr<Message> dyn_legacy = types_.Copy(legacy);
    for (const char* expr : kExpressions) {
      const std::string fast = EvalIn(generated_env_, expr, sample, legacy);
      const std::string generic = EvalIn(*dynamic_env_, expr, *dyn_sample, *dyn_legacy);
      EXPECT_EQ(fast, generic) << expr;
      EXPECT_THAT(fast, ::testing::Not(::testing::StartsWith("compile"))) << expr;
      EXPECT_THAT(fast, ::testing::Not(::testing::StartsWith("status"))) << expr;
    }
  }

  DynamicTypes types_;
  Env generated_env_;
  std::unique_ptr<Env> dynamic_env_;
};

TEST_F(FastPathTest, PopulatedMessagesReadLikeReflection) {
  Sample sample;
  Populate(&sample);
  Legacy legacy;
  Populate(&legacy);
  ExpectSameResults(sample, legacy);
}

TEST_F(FastPathTest, EmptyMessagesReadLikeReflection) {
  ExpectSameResults(Sample(), Legacy());
}

TEST_F(FastPathTest, OneofMembersReadLikeReflection) {
  Sample sample;
  sample.set_os("chosen");
  Legacy legacy;
  ExpectSameResults(sample, legacy);
  sample.mutable_oleaf()->set_name("leaf in a oneof");
  ExpectSameResults(sample, legacy);
  // Another member after the message member: the union now holds that one.
  sample.set_oi(12);
  ExpectSameResults(sample, legacy);
  // An empty message member is still the member set.
  sample.mutable_oleaf();
  ExpectSameResults(sample, legacy);
  sample.mutable_child()->mutable_oleaf()->set_n(3);
  ExpectSameResults(sample, legacy);
  sample.clear_choice();
  ExpectSameResults(sample, legacy);
}

// The raw oneof reads against protobuf's own accessors, member by member.
TEST(FieldReaderTest, OneofMessageMemberFollowsTheCase) {
  using eval_internal::FieldReader;
  const google::protobuf::Descriptor* d = Sample::descriptor();
  const FieldReader oleaf = FieldReader::Create(d, d->FindFieldByName("oleaf"));
  ASSERT_TRUE(oleaf.raw_presence());
  Sample sample;
  EXPECT_FALSE(oleaf.RawHas(sample));
  EXPECT_EQ(&oleaf.SubMessage(sample), &celtest::Leaf::default_instance());
  sample.mutable_oleaf()->set_n(4);
  EXPECT_TRUE(oleaf.RawHas(sample));
  EXPECT_EQ(&oleaf.SubMessage(sample), &sample.oleaf());
  sample.set_os("now a string");
  EXPECT_FALSE(oleaf.RawHas(sample));
  EXPECT_EQ(&oleaf.SubMessage(sample), &celtest::Leaf::default_instance());
  EXPECT_FALSE(oleaf.RawHas(Sample::default_instance()));
  // On an arena too (the engine parses requests into one).
  google::protobuf::Arena arena;
  auto* on_arena = google::protobuf::Arena::CreateMessage<Sample>(&arena);
  on_arena->mutable_oleaf()->set_name("arena");
  EXPECT_TRUE(oleaf.RawHas(*on_arena));
  EXPECT_EQ(&oleaf.SubMessage(*on_arena), &on_arena->oleaf());
}

TEST_F(FastPathTest, SpotValues) {
  Sample sample;
  Populate(&sample);
  Legacy legacy;
  EXPECT_EQ(EvalIn(generated_env_, "sample.s", sample, legacy), "\"alpha\"");
  EXPECT_EQ(EvalIn(generated_env_, "sample.i64 in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -7]", sample,
                   legacy),
            "true");
  EXPECT_EQ(EvalIn(generated_env_, "'b' in sample.rs", sample, legacy), "true");
  EXPECT_EQ(EvalIn(generated_env_, "size(sample.rs)", sample, legacy), "3");
  EXPECT_EQ(EvalIn(generated_env_, "sample.child.child.leaf.name", sample, legacy), "\"deep\"");
  EXPECT_EQ(EvalIn(generated_env_, "legacy.s", sample, legacy), "\"fallback\"");
  EXPECT_EQ(EvalIn(generated_env_, "legacy.n", sample, legacy), "42");
  EXPECT_EQ(EvalIn(generated_env_, "sample.i64 - 9223372036854775807", sample, legacy),
            "error: integer overflow");
}

// A message of another class than the one planned for (here a DynamicMessage
// bound to a program checked against the generated type) takes the generic
// path and still reads the right fields.
TEST_F(FastPathTest, OtherMessageClassFallsBack) {
  Sample sample;
  Populate(&sample);
  Legacy legacy;
  Populate(&legacy);
  std::unique_ptr<Message> dyn_sample = types_.Copy(sample);
  std::unique_ptr<Message> dyn_legacy = types_.Copy(legacy);
  for (const char* expr : kExpressions) {
    EXPECT_EQ(EvalIn(generated_env_, expr, *dyn_sample, *dyn_legacy),
              EvalIn(generated_env_, expr, sample, legacy))
        << expr;
  }
}

// startsWith / endsWith on strings read inline compare the prefix or suffix
// without a library call: every length around the word-load boundaries (0..3,
// 4..7, 8..16, longer), matching and differing in the first or last byte,
// against absl's answer.
TEST_F(FastPathTest, PrefixAndSuffixAtEveryLength) {
  absl::StatusOr<std::unique_ptr<Program>> starts =
      CreateProgram(generated_env_, "sample.s.startsWith(sample.leaf.name)");
  absl::StatusOr<std::unique_ptr<Program>> ends =
      CreateProgram(generated_env_, "sample.s.endsWith(sample.leaf.name)");
  ASSERT_THAT(starts.status(), IsOk());
  ASSERT_THAT(ends.status(), IsOk());
  const std::string text = "0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ";
  Sample sample;
  Legacy legacy;
  Activation activation;
  activation.BindMessage("sample", &sample);
  activation.BindMessage("legacy", &legacy);
  google::protobuf::Arena arena;
  int true_results = 0;
  for (size_t n = 0; n <= 40; ++n) {
    const std::string s = text.substr(0, n);
    for (size_t k = 0; k <= n + 1 && k <= text.size(); ++k) {
      std::vector<std::string> probes = {text.substr(0, k), text.substr(n >= k ? n - k : 0, k)};
      for (size_t i = 0, m = probes.size(); i < m && k > 0; ++i) {
        std::string first = probes[i], last = probes[i];
        first.front() = '#';
        last.back() = '#';
        probes.push_back(first);
        probes.push_back(last);
      }
      for (const std::string& probe : probes) {
        sample.set_s(s);
        sample.mutable_leaf()->set_name(probe);
        absl::StatusOr<Value> starts_with = (*starts)->Evaluate(activation, &arena);
        absl::StatusOr<Value> ends_with = (*ends)->Evaluate(activation, &arena);
        ASSERT_THAT(starts_with.status(), IsOk());
        ASSERT_THAT(ends_with.status(), IsOk());
        ASSERT_TRUE(starts_with->IsBool() && ends_with->IsBool());
        EXPECT_EQ(starts_with->bool_value(), absl::StartsWith(s, probe)) << s << " / " << probe;
        EXPECT_EQ(ends_with->bool_value(), absl::EndsWith(s, probe)) << s << " / " << probe;
        true_results += starts_with->bool_value() + ends_with->bool_value();
      }
    }
  }
  EXPECT_GT(true_results, 1000);  // the matching cases were really exercised
}

TEST(FieldReaderTest, RawOffsetsOnlyWhereTheLayoutIsPlain) {
  using eval_internal::FieldReader;
  const google::protobuf::Descriptor* d = Sample::descriptor();
  auto reader = [d](const char* name) {
    return FieldReader::Create(d, d->FindFieldByName(name));
  };
  for (const char* name : {"i64", "b", "s", "leaf", "rs", "ri"}) {
    EXPECT_TRUE(reader(name).raw()) << name;
  }
  for (const char* name : {"os", "oi"}) {
    EXPECT_FALSE(reader(name).raw()) << name;  // scalar oneof members
    EXPECT_NE(reader(name).kind(), FieldReader::Kind::kNone) << name;
  }
  // A message member of a oneof reads raw behind its oneof's case.
  EXPECT_TRUE(reader("oleaf").raw());
  EXPECT_TRUE(reader("oleaf").raw_presence());
  EXPECT_FALSE(reader("leaf").raw_presence());
  EXPECT_EQ(reader("m").kind(), FieldReader::Kind::kNone);
  EXPECT_EQ(reader("wrapped").kind(), FieldReader::Kind::kNone);
  const google::protobuf::Descriptor* legacy = Legacy::descriptor();
  EXPECT_FALSE(FieldReader::Create(legacy, legacy->FindFieldByName("s")).raw());  // default
  EXPECT_TRUE(FieldReader::Create(legacy, legacy->FindFieldByName("plain")).raw());
  // Not a generated type: no plan.
  DynamicTypes types;
  const google::protobuf::Descriptor* dyn =
      types.pool()->FindMessageTypeByName("pitboss.celtest.Sample");
  EXPECT_EQ(FieldReader::Create(dyn, dyn->FindFieldByName("i64")).kind(),
            FieldReader::Kind::kNone);

  Sample sample;
  Populate(&sample);
  std::string scratch;
  EXPECT_EQ(reader("i64").Int64(sample), -7);
  EXPECT_EQ(reader("s").String(sample, &scratch), "alpha");
  EXPECT_EQ(&reader("leaf").SubMessage(sample), &sample.leaf());
  EXPECT_EQ(&reader("leaf").SubMessage(Sample()), &celtest::Leaf::default_instance());
  EXPECT_EQ(reader("rs").RepeatedSize(sample), 3);
  EXPECT_TRUE(reader("rs").RepeatedStringContains(sample, "b"));
  EXPECT_FALSE(reader("rs").RepeatedStringContains(sample, "c"));
  EXPECT_TRUE(reader("ri").RepeatedInt64Contains(sample, -1));
  EXPECT_FALSE(reader("ri").RepeatedInt64Contains(sample, 7));
}

// Programs find their variables by interned name with a position hint; an
// activation that binds them in another order, or lacks one, must still be
// read correctly when evaluations alternate.
TEST(ActivationHintTest, AlternatingBindingOrders) {
  Env env;
  ASSERT_THAT(env.AddVariable("x", CelType::Int()), IsOk());
  ASSERT_THAT(env.AddVariable("y", CelType::Int()), IsOk());
  absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env, "x - y");
  ASSERT_THAT(program.status(), IsOk());
  Activation xy;
  xy.Bind("x", Value::Int(10));
  xy.Bind("y", Value::Int(1));
  Activation yx;
  yx.Bind("y", Value::Int(2));
  yx.Bind("other", Value::Int(0));
  yx.Bind("x", Value::Int(20));
  Activation only_x;
  only_x.Bind("x", Value::Int(5));
  google::protobuf::Arena arena;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Render((*program)->Evaluate(xy, &arena)), "9");
    EXPECT_EQ(Render((*program)->Evaluate(yx, &arena)), "18");
    EXPECT_THAT(Render((*program)->Evaluate(only_x, &arena)), ::testing::HasSubstr("error"));
  }
}

// A ProgramSet gives each program's own result, whatever the activation
// holds: bound, unbound, unknown and well-known-type variables.
TEST(ProgramSetTest, SameResultsAsEachProgram) {
  Env env;
  ASSERT_THAT(env.AddMessageVariable("sample", "pitboss.celtest.Sample"), IsOk());
  ASSERT_THAT(env.AddVariable("n", CelType::Int()), IsOk());
  ASSERT_THAT(env.AddMessageVariable("w", "google.protobuf.Int64Value"), IsOk());
  const std::vector<std::string> sources = {
      "sample.i64 < n", "n + 1", "sample.s in ['alpha']", "w + n", "1 + 2", "sample.rs.size() > n",
      "n / 0 == 1 || sample.b", "w > 10 && sample.b"};
  std::vector<std::unique_ptr<Program>> programs;
  for (const std::string& source : sources) {
    absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env, source);
    ASSERT_THAT(program.status(), IsOk()) << source;
    programs.push_back(std::move(*program));
  }
  std::vector<const Program*> each;
  for (const auto& p : programs) each.push_back(p.get());
  ProgramSet set(std::move(programs));
  ASSERT_EQ(set.size(), sources.size());

  Sample sample;
  Populate(&sample);
  google::protobuf::Int64Value w;
  w.set_value(12);
  Activation full;
  full.BindMessage("sample", &sample);
  full.Bind("n", Value::Int(3));
  full.BindMessage("w", &w);
  Activation reordered_unknown;
  reordered_unknown.Bind("n", Value::Int(-10));
  reordered_unknown.BindUnknown("w");
  reordered_unknown.BindMessage("sample", &sample);
  Activation partial;
  partial.Bind("n", Value::Int(1));
  google::protobuf::Arena arena;
  for (int round = 0; round < 2; ++round) {
    for (const Activation* activation : {&full, &reordered_unknown, &partial}) {
      std::vector<Value> out(set.size());
      ASSERT_THAT(set.Evaluate(*activation, &arena, absl::MakeSpan(out)), IsOk());
      for (size_t i = 0; i < out.size(); ++i) {
        absl::StatusOr<Value> alone = each[i]->Evaluate(*activation, &arena);
        std::string expected = Render(alone);
        if (alone.ok() && alone->IsUnknown()) expected = "unknown";
        std::string got = out[i].IsUnknown() ? "unknown" : Render(out[i]);
        EXPECT_EQ(got, expected) << sources[i];
      }
    }
  }
  std::vector<Value> out(set.size());
  EXPECT_EQ(Render(set.Evaluate(full, &arena, absl::MakeSpan(out)).ok() ? out[0] : Value()),
            "true");
  EXPECT_EQ(Render(out[3]), "15");
}

TEST(ProgramSetTest, RejectsMisuseWithoutWriting) {
  Env env;
  ASSERT_THAT(env.AddVariable("n", CelType::Int()), IsOk());
  std::vector<std::unique_ptr<Program>> programs;
  absl::StatusOr<std::unique_ptr<Program>> program = CreateProgram(env, "n + 1");
  ASSERT_THAT(program.status(), IsOk());
  programs.push_back(std::move(*program));
  ProgramSet set(std::move(programs));
  Activation activation;
  activation.Bind("n", Value::Int(1));
  google::protobuf::Arena arena;
  std::vector<Value> out(2, Value::Int(99));
  EXPECT_THAT(set.Evaluate(activation, &arena, absl::MakeSpan(out)),
              ::pitboss::testing::StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(set.Evaluate(activation, nullptr, absl::MakeSpan(out).subspan(0, 1)),
              ::pitboss::testing::StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(out[0].int_value(), 99);
  EXPECT_EQ(out[1].int_value(), 99);
  ProgramSet empty(std::vector<std::unique_ptr<Program>>{});
  EXPECT_THAT(empty.Evaluate(activation, &arena, {}), IsOk());
}

}  // namespace
}  // namespace cel
}  // namespace pitboss
