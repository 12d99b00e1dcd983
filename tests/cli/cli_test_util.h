// Helpers for the `pitboss` command tests: running a subcommand in-process
// with captured streams, temporary files, and a small valid event stream built
// with the scenario driver's event builders (tests/scenarios/scenario_driver.h).
#ifndef PITBOSS_TESTS_CLI_CLI_TEST_UTIL_H_
#define PITBOSS_TESTS_CLI_CLI_TEST_UTIL_H_

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "pitboss/v1/event.pb.h"
#include "src/domain/proto_time.h"
#include "tests/scenarios/scenario_driver.h"
#include "tests/temp_dir.h"

namespace pitboss {
namespace cli {
namespace testing_util {

using CommandFn = int (*)(const std::vector<std::string>&, std::istream&, std::ostream&,
                          std::ostream&);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline CommandResult RunCommand(CommandFn command, const std::vector<std::string>& args,
                         const std::string& stdin_text = "") {
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  CommandResult result;
  result.exit_code = command(args, in, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

inline std::string SourceDir() { return PITBOSS_SOURCE_DIR; }
inline std::string DefaultPolicyPath() {
  return SourceDir() + "/examples/policy/default.textproto";
}

using ::pitboss::testing::TempDir;

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  return lines;
}

inline std::string EventJson(const v1::Event& event) {
  std::string json;
  google::protobuf::util::MessageToJsonString(event, &json);
  return json;
}

// `accounts` players, each: sign-up, login with password and authenticator,
// a card deposit and a bank deposit (both settled), two wagers and a
// withdrawal request — 12 events, one minute apart; event ids are
// "<account>-evt-N". Players start ten seconds apart, so the stream (in
// account order) is valid for the default policy.
inline std::vector<v1::Event> SampleEvents(int accounts) {
  std::vector<v1::Event> events;
  for (int a = 0; a < accounts; ++a) {
    const std::string account_id = absl::StrCat("acct-", a + 1);
    scenarios::ScenarioDriver d(nullptr, account_id,
                                scenarios::ScenarioStart() + absl::Seconds(10 * a));
    auto add = [&](v1::Event event) {
      d.Advance(absl::Minutes(1));
      *event.mutable_occurred_at() = domain::ToProtoTime(d.now());
      event.set_event_id(absl::StrCat(account_id, "-", event.event_id()));
      events.push_back(std::move(event));
    };
    add(d.OpenJapaneseAccount());
    add(d.Login(true));
    add(d.Verified("f-pw", v1::FACTOR_KIND_PASSWORD));
    add(d.Verified("f-totp", v1::FACTOR_KIND_TOTP));
    add(d.DepositNewCard("d-card-1", 3000, "card-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    add(d.Settled("d-card-1"));
    add(d.DepositNewBank("d-bank-1", 20000, "bank-1", "ﾔﾏﾀﾞ ﾀﾛｳ"));
    add(d.Settled("d-bank-1"));
    add(d.Wager("g-1", 10000, 14000));
    add(d.Wager("g-2", 8000, 6000));
    add(d.Wager("g-3", 1000, 0));
    add(d.Withdrawal("w-1", 5000 + 1000 * a, "bank-1"));
  }
  return events;
}

inline std::string JsonLines(const std::vector<v1::Event>& events) {
  std::string text;
  for (const v1::Event& event : events) absl::StrAppend(&text, EventJson(event), "\n");
  return text;
}

}  // namespace testing_util
}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_TESTS_CLI_CLI_TEST_UTIL_H_
