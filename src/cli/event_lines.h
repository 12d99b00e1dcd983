// Event streams as JSON lines: one pitboss.v1.Event in proto3 JSON per line,
// the format `pitboss replay` reads (examples/events/ is one).
//
// EventLineReader hands out the stream's lines with their 1-based line numbers
// so that every problem can be reported at its line; blank lines are not
// events and are skipped (and counted). ParseEventLine rejects unknown fields:
// a misspelt field name would otherwise vanish silently.
#ifndef PITBOSS_SRC_CLI_EVENT_LINES_H_
#define PITBOSS_SRC_CLI_EVENT_LINES_H_

#include <cstdint>
#include <istream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pitboss/v1/event.pb.h"

namespace pitboss {
namespace cli {

// INVALID_ARGUMENT "invalid event JSON: ..." for anything that is not exactly
// a pitboss.v1.Event.
absl::StatusOr<v1::Event> ParseEventLine(absl::string_view line);

class EventLineReader {
 public:
  explicit EventLineReader(std::istream* in) : in_(in) {}

  // The next non-blank line; false at the end of the stream.
  bool Next(std::string* line, int64_t* line_number);

  int64_t blank_lines() const { return blank_lines_; }
  // Bytes consumed so far (line terminators included), for progress.
  int64_t bytes_read() const { return bytes_read_; }
  // Lines read so far, blank ones included.
  int64_t lines_read() const { return line_number_; }
  // True when reading stopped on an I/O error rather than end of file.
  bool failed() const { return in_->bad(); }

 private:
  std::istream* in_;
  int64_t line_number_ = 0;
  int64_t blank_lines_ = 0;
  int64_t bytes_read_ = 0;
};

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_EVENT_LINES_H_
