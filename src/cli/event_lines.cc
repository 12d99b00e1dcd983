// Event JSON lines (see event_lines.h).
#include "src/cli/event_lines.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace pitboss {
namespace cli {

absl::StatusOr<v1::Event> ParseEventLine(absl::string_view line) {
  v1::Event event;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &event, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid event JSON: ", status.message().ToString()));
  }
  return event;
}

bool EventLineReader::Next(std::string* line, int64_t* line_number) {
  while (std::getline(*in_, *line)) {
    ++line_number_;
    bytes_read_ += static_cast<int64_t>(line->size()) + 1;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    if (absl::StripAsciiWhitespace(*line).empty()) {
      ++blank_lines_;
      continue;
    }
    *line_number = line_number_;
    return true;
  }
  return false;
}

}  // namespace cli
}  // namespace pitboss
