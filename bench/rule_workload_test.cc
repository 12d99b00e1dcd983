// Tests of the benchmark workload: pitboss CEL and the hand-written baseline
// must agree on every rule of every event (else the benchmark compares
// different work), and bad input is rejected.
#include "bench/rule_workload.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace bench {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;
using ::testing::HasSubstr;

std::vector<Rule> AllRules() { return {WorkloadRules().begin(), WorkloadRules().end()}; }

TEST(RuleWorkloadTest, CelAgreesWithHandwrittenOnEveryRule) {
  const std::vector<RuleInput> events = SyntheticEvents(3000, 11);
  absl::StatusOr<std::unique_ptr<CelRules>> cel = CelRules::Create(AllRules());
  ASSERT_THAT(cel, IsOk());
  absl::StatusOr<std::unique_ptr<HandwrittenRules>> hand = HandwrittenRules::Create(AllRules());
  ASSERT_THAT(hand, IsOk());
  (*cel)->PrepareEvents(events);
  std::vector<uint32_t> cel_counts(24, 0), hand_counts(24, 0);
  for (size_t i = 0; i < events.size(); ++i) {
    std::vector<uint32_t> c(24, 0), h(24, 0);
    ASSERT_TRUE((*cel)->Evaluate(i, events[i], c.data())) << (*cel)->last_error();
    ASSERT_TRUE((*hand)->Evaluate(i, events[i], h.data()));
    ASSERT_EQ(c, h) << "event " << i << ": " << events[i].ShortDebugString();
    for (size_t j = 0; j < 24; ++j) {
      cel_counts[j] += c[j];
      hand_counts[j] += h[j];
    }
  }
  // The synthetic events make every rule fire and not fire.
  for (size_t j = 0; j < 24; ++j) {
    EXPECT_GT(cel_counts[j], 0u) << WorkloadRules()[j].id;
    EXPECT_LT(cel_counts[j], events.size()) << WorkloadRules()[j].id;
  }
}

TEST(RuleWorkloadTest, ParsesRulesAndEvents) {
  absl::StatusOr<std::vector<Rule>> rules =
      ParseRules(R"([{"id":"A","cel":"ip.is_proxy","zen":"ip.is_proxy"}])");
  ASSERT_THAT(rules, IsOk());
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ((*rules)[0].id, "A");
  EXPECT_EQ((*rules)[0].cel, "ip.is_proxy");

  RuleInput input;
  ASSERT_THAT(ParseEvent(R"({"event":{"type":"deposit","amount":5},"account":{"kyc_level":2,)"
                         R"("devices":["d1"]},"device":{"id":"d1"},"ip":{"is_proxy":true}})",
                         &input),
              IsOk());
  EXPECT_EQ(input.event().amount(), 5);
  EXPECT_EQ(input.account().devices(0), "d1");
  EXPECT_TRUE(input.ip().is_proxy());
}

// LoadEventsInArena reads the same messages as LoadEvents (in one arena),
// and both engines fire the same on them; a bad line is named.
TEST(RuleWorkloadTest, ArenaEventsEqualHeapEvents) {
  const std::vector<RuleInput> synthetic = SyntheticEvents(300, 5);
  const std::string path = ::testing::TempDir() + "/rule_workload_events.jsonl";
  {
    std::ofstream out(path);
    google::protobuf::util::JsonPrintOptions options;
    options.always_print_primitive_fields = true;
    for (const RuleInput& input : synthetic) {
      std::string line;
      ASSERT_TRUE(google::protobuf::util::MessageToJsonString(input, &line, options).ok());
      out << line << "\n";
    }
  }
  absl::StatusOr<std::vector<RuleInput>> heap = LoadEvents(path, 0);
  ASSERT_THAT(heap, IsOk());
  absl::StatusOr<ArenaEvents> arena = LoadEventsInArena(path, 0);
  ASSERT_THAT(arena, IsOk());
  ASSERT_EQ(arena->size(), synthetic.size());
  ASSERT_EQ(heap->size(), synthetic.size());
  absl::StatusOr<std::unique_ptr<CelRules>> cel = CelRules::Create(AllRules());
  ASSERT_THAT(cel, IsOk());
  (*cel)->PrepareEvents(*arena);
  absl::StatusOr<std::unique_ptr<HandwrittenRules>> hand = HandwrittenRules::Create(AllRules());
  ASSERT_THAT(hand, IsOk());
  for (size_t i = 0; i < synthetic.size(); ++i) {
    EXPECT_EQ((*arena)[i].GetArena(), arena->arena.get());
    EXPECT_EQ((*arena)[i].SerializeAsString(), synthetic[i].SerializeAsString()) << i;
    EXPECT_EQ((*heap)[i].SerializeAsString(), synthetic[i].SerializeAsString()) << i;
    std::vector<uint32_t> c(24, 0), h(24, 0);
    ASSERT_TRUE((*cel)->Evaluate(i, (*arena)[i], c.data())) << (*cel)->last_error();
    ASSERT_TRUE((*hand)->Evaluate(i, (*arena)[i], h.data()));
    EXPECT_EQ(c, h) << i;
  }
  absl::StatusOr<ArenaEvents> limited = LoadEventsInArena(path, 7);
  ASSERT_THAT(limited, IsOk());
  EXPECT_EQ(limited->size(), 7u);
  {
    std::ofstream out(path, std::ios::app);
    out << R"({"event":{"colour":"red"}})" << "\n";
  }
  EXPECT_THAT(LoadEventsInArena(path, 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(":301:")));
  EXPECT_THAT(LoadEventsInArena(path + ".missing", 0), StatusIs(absl::StatusCode::kNotFound));
}

TEST(RuleWorkloadTest, RejectsBadInput) {
  EXPECT_THAT(ParseRules("{}"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseRules(R"([{"id":"A"}])"), StatusIs(absl::StatusCode::kInvalidArgument));
  RuleInput input;
  input.mutable_event()->set_amount(7);
  EXPECT_THAT(ParseEvent(R"({"event":{"colour":"red"}})", &input),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(input.event().amount(), 7);
  EXPECT_FALSE(input.has_account());
  EXPECT_THAT(CelRules::Create({{"X", "event.nope > 1"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rule X")));
  EXPECT_THAT(CelRules::Create({{"X", "event.amount"}}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(HandwrittenRules::Create({{"R01", "true"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("R01")));
}

}  // namespace
}  // namespace bench
}  // namespace pitboss
