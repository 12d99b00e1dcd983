// A one-line progress bar for long runs (`pitboss replay`), redrawn in place
// with '\r'. The caller decides whether to draw at all: only when stderr is a
// terminal (isatty), so logs and pipes never receive control characters.
#ifndef PITBOSS_SRC_CLI_PROGRESS_BAR_H_
#define PITBOSS_SRC_CLI_PROGRESS_BAR_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace pitboss {
namespace cli {

class ProgressBar {
 public:
  // `total_bytes` <= 0: the size is unknown (a pipe); the bar shows counts only.
  ProgressBar(std::ostream* out, int64_t total_bytes)
      : out_(out), total_bytes_(total_bytes), start_(absl::Now()) {}

  // Redraws at most every 100 ms.
  void Update(int64_t bytes_done, int64_t events_done);
  // Erases the bar (before the summary is printed).
  void Finish();

  // The text of the bar at `elapsed` (for tests).
  static std::string Render(int64_t bytes_done, int64_t total_bytes, int64_t events_done,
                            absl::Duration elapsed);

 private:
  std::ostream* out_;
  int64_t total_bytes_;
  absl::Time start_;
  absl::Time last_draw_ = absl::InfinitePast();
  bool drawn_ = false;
};

// True when the file descriptor is a terminal.
bool IsTerminal(int fd);

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_PROGRESS_BAR_H_
