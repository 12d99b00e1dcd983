// The example event stream (examples/events/casino-jp.jsonl) for engine tests
// that replay realistic traffic: the events in order, parsed from strict
// proto3 JSON.
#ifndef PITBOSS_TESTS_ENGINE_EXAMPLE_STREAM_H_
#define PITBOSS_TESTS_ENGINE_EXAMPLE_STREAM_H_

#include <fstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace testing {

// The first `max_events` events of the committed stream (all when fewer).
inline absl::StatusOr<std::vector<v1::Event>> LoadExampleStream(size_t max_events) {
  const std::string path = PITBOSS_SOURCE_DIR "/examples/events/casino-jp.jsonl";
  std::ifstream in(path);
  if (!in.good()) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::vector<v1::Event> events;
  std::string line;
  while (events.size() < max_events && std::getline(in, line)) {
    v1::Event& event = events.emplace_back();
    const auto parsed = google::protobuf::util::JsonStringToMessage(line, &event);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", events.size(), ": ", parsed.ToString()));
    }
  }
  return events;
}

}  // namespace testing
}  // namespace pitboss

#endif  // PITBOSS_TESTS_ENGINE_EXAMPLE_STREAM_H_
