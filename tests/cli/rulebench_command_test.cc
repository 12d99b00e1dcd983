// Tests of `pitboss rulebench` (src/cli/rulebench_command.cc): the peers'
// JSON-line contract, the CEL and hand-written engines agreeing on the fired
// counts, and clear errors for bad flags, rules and events.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "bench/rule_workload.h"
#include "src/cli/commands.h"
#include "tests/cli/cli_test_util.h"

namespace pitboss {
namespace cli {
namespace {

using ::testing::HasSubstr;
using testing_util::RunCommand;
using testing_util::TempDir;
using testing_util::WriteFile;

constexpr size_t kEvents = 400;

std::string RulesJson(const std::vector<bench::Rule>& rules) {
  std::string json = "[";
  for (size_t i = 0; i < rules.size(); ++i) {
    google::protobuf::Struct rule;
    (*rule.mutable_fields())["id"].set_string_value(rules[i].id);
    (*rule.mutable_fields())["cel"].set_string_value(rules[i].cel);
    std::string text;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(rule, &text).ok());
    absl::StrAppend(&json, i ? ",\n" : "\n", text);
  }
  return json + "\n]\n";
}

std::string EventsJsonl(size_t n) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string lines;
  for (const bench::RuleInput& input : bench::SyntheticEvents(n, 7)) {
    std::string line;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(input, &line, options).ok());
    absl::StrAppend(&lines, line, "\n");
  }
  return lines;
}

// The workload files in a temporary directory.
class RulebenchCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto rules = bench::WorkloadRules();
    WriteFile(rules_, RulesJson({rules.begin(), rules.end()}));
    WriteFile(events_, EventsJsonl(kEvents));
  }
  // Runs the command and parses its one output line.
  google::protobuf::Struct Run(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"--rules", rules_, "--events", events_, "--passes", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    testing_util::CommandResult r = RunCommand(RunRulebenchCommand, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    google::protobuf::Struct line;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &line).ok()) << r.out;
    return line;
  }

  TempDir dir_;
  std::string rules_ = dir_.File("rules.json");
  std::string events_ = dir_.File("events.jsonl");
};

TEST_F(RulebenchCommandTest, CelAndHandwrittenFireOnTheSameEvents) {
  google::protobuf::Struct cel = Run({});
  google::protobuf::Struct hand = Run({"--engine", "handwritten"});
  EXPECT_EQ(cel.fields().at("engine").string_value(), "pitboss-cel");
  EXPECT_EQ(hand.fields().at("engine").string_value(), "handwritten");
  for (const google::protobuf::Struct* line : {&cel, &hand}) {
    EXPECT_EQ(line->fields().at("rules").number_value(), 24);
    EXPECT_EQ(line->fields().at("events").number_value(), kEvents);
    EXPECT_GT(line->fields().at("ns_per_event").number_value(), 0);
    EXPECT_GT(line->fields().at("cpu_ns_per_event").number_value(), 0);
    EXPECT_THAT(line->fields().at("input").string_value(), HasSubstr("pitboss.bench.RuleInput"));
  }
  const auto& cel_fired = cel.fields().at("fired").struct_value().fields();
  const auto& hand_fired = hand.fields().at("fired").struct_value().fields();
  ASSERT_EQ(cel_fired.size(), 24u);
  for (const bench::Rule& rule : bench::WorkloadRules()) {
    SCOPED_TRACE(rule.id);
    const double fired = cel_fired.at(rule.id).number_value();
    EXPECT_EQ(fired, hand_fired.at(rule.id).number_value());
    EXPECT_GT(fired, 0);  // the synthetic events make every rule fire
    EXPECT_LT(fired, kEvents);
  }
}

TEST_F(RulebenchCommandTest, LimitTakesTheFirstEvents) {
  google::protobuf::Struct line = Run({"--limit", "10"});
  EXPECT_EQ(line.fields().at("events").number_value(), 10);
}

TEST_F(RulebenchCommandTest, UsageErrors) {
  const std::vector<std::vector<std::string>> bad = {
      {"--rules", rules_},
      {"--rules", rules_, "--events", events_, "--engine", "drools"},
      {"--rules", rules_, "--events", events_, "--limit", "-3"},
      {"--rules", rules_, "--events", events_, "--passes", "0"},
      {"--rules", rules_, "--events", events_, "extra"},
      {"--nope"},
  };
  for (const auto& args : bad) {
    testing_util::CommandResult r = RunCommand(RunRulebenchCommand, args);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("pitboss rulebench: "));
  }
}

TEST_F(RulebenchCommandTest, BadRulesAndEventsAreNamed) {
  WriteFile(dir_.File("not_bool.json"), R"([{"id":"X1","cel":"event.amount + 1"}])");
  WriteFile(dir_.File("typo.json"), R"([{"id":"X2","cel":"event.amout > 1"}])");
  WriteFile(dir_.File("bad.jsonl"), EventsJsonl(2) + "{\"event\":{\"typo\":1}}\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--rules", dir_.File("not_bool.json"), "--events", events_}, "X1"},
      {{"--rules", dir_.File("typo.json"), "--events", events_}, "X2"},
      {{"--rules", rules_, "--events", dir_.File("bad.jsonl")}, "bad.jsonl:3"},
      {{"--rules", rules_, "--events", dir_.File("missing.jsonl")}, "missing.jsonl"},
      {{"--rules", dir_.File("typo.json"), "--events", events_, "--engine", "handwritten"}, "X2"},
  };
  for (const Case& c : cases) {
    testing_util::CommandResult r = RunCommand(RunRulebenchCommand, c.args);
    EXPECT_EQ(r.exit_code, 1) << c.message;
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
