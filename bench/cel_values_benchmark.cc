// Microbenchmarks of CEL value operations (pitboss_cel_values): overload
// invocation and dynamic dispatch, map lookups (heterogeneous numeric keys),
// protobuf field reads through reflection, equality, string functions and
// regular expressions. Each evaluation-like loop reuses one arena, reset per
// iteration batch, as the evaluator does.
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/duration.pb.h"
#include "src/cel/common/eval_context.h"
#include "src/cel/common/proto_value.h"
#include "src/cel/common/value.h"
#include "src/cel/common/value_equality.h"
#include "src/cel/runtime/function_registry.h"

namespace pitboss {
namespace cel {
namespace {

void BM_InvokeAddInt64(benchmark::State& state) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  const Overload* add = StandardRegistry().FindById("add_int64");
  Value args[2] = {Value::Int(40), Value::Int(2)};
  for (auto _ : state) {
    Value r = Invoke(*add, args, ctx);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_InvokeAddInt64);

void BM_DispatchLessIntDouble(benchmark::State& state) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  Value args[2] = {Value::Int(40), Value::Double(40.5)};
  for (auto _ : state) {
    Value r = StandardRegistry().Dispatch("_<_", false, args, ctx);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_DispatchLessIntDouble);

void BM_MapFindInt(benchmark::State& state) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  std::vector<MapEntry> entries;
  for (int64_t i = 0; i < state.range(0); ++i) entries.push_back({Value::Int(i), Value::Int(i)});
  Value map = MakeMap(&arena, entries);
  const Value key = Value::Uint(static_cast<uint64_t>(state.range(0) - 1));
  for (auto _ : state) {
    Value out;
    bool found = map.map_value()->Find(key, ctx, &out);
    benchmark::DoNotOptimize(found);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_MapFindInt)->Arg(4)->Arg(64)->Arg(1024);

void BM_MapFindString(benchmark::State& state) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  std::vector<std::string> keys;
  for (int64_t i = 0; i < state.range(0); ++i) keys.push_back("country_" + std::to_string(i));
  std::vector<MapEntry> entries;
  for (const std::string& k : keys) entries.push_back({Value::StringView(k), Value::Bool(true)});
  Value map = MakeMap(&arena, entries);
  const Value key = Value::StringView(keys.back());
  for (auto _ : state) {
    Value out;
    benchmark::DoNotOptimize(map.map_value()->Find(key, ctx, &out));
  }
}
BENCHMARK(BM_MapFindString)->Arg(4)->Arg(64);

void BM_GetProtoField(benchmark::State& state) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  google::protobuf::Duration d;
  d.set_seconds(42);
  const google::protobuf::FieldDescriptor* seconds = d.GetDescriptor()->FindFieldByName("seconds");
  for (auto _ : state) {
    Value v = GetField(d, seconds, ctx);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_GetProtoField);

void BM_ListEquality(benchmark::State& state) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  std::vector<Value> a, b;
  for (int64_t i = 0; i < 16; ++i) {
    a.push_back(Value::Int(i));
    b.push_back(Value::Double(static_cast<double>(i)));
  }
  Value la = MakeList(&arena, a), lb = MakeList(&arena, b);
  for (auto _ : state) benchmark::DoNotOptimize(ValuesEqual(la, lb, ctx));
}
BENCHMARK(BM_ListEquality);

void BM_StringContains(benchmark::State& state) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  const Overload* contains = StandardRegistry().FindById("contains_string");
  Value args[2] = {Value::StringView("user+promo@temp-mail.example"), Value::StringView("temp-mail")};
  for (auto _ : state) benchmark::DoNotOptimize(Invoke(*contains, args, ctx));
}
BENCHMARK(BM_StringContains);

void BM_Matches(benchmark::State& state) {
  google::protobuf::Arena arena;
  EvalContext ctx(&arena);
  const Overload* matches = StandardRegistry().FindById("matches_string");
  Value args[2] = {Value::StringView("user+promo@temp-mail.example"),
                   Value::StringView("^[a-z+]+@(temp|trash)-mail\\.")};
  for (auto _ : state) benchmark::DoNotOptimize(Invoke(*matches, args, ctx));
}
BENCHMARK(BM_Matches);

void BM_StringConcat(benchmark::State& state) {
  const Overload* add = StandardRegistry().FindById("add_string");
  Value args[2] = {Value::StringView("prefix-"), Value::StringView("suffix")};
  google::protobuf::Arena arena;
  int64_t n = 0;
  for (auto _ : state) {
    EvalContext ctx(&arena);
    benchmark::DoNotOptimize(Invoke(*add, args, ctx));
    if (++n % 4096 == 0) arena.Reset();
  }
}
BENCHMARK(BM_StringConcat);

}  // namespace
}  // namespace cel
}  // namespace pitboss
