// The replay progress bar (see progress_bar.h).
#include "src/cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <string>

#include "absl/strings/str_format.h"

namespace pitboss {
namespace cli {
namespace {
constexpr int kWidth = 30;
}  // namespace

std::string ProgressBar::Render(int64_t bytes_done, int64_t total_bytes, int64_t events_done,
                                absl::Duration elapsed) {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  const double rate = seconds > 0 ? static_cast<double>(events_done) / seconds : 0.0;
  if (total_bytes <= 0) {
    return absl::StrFormat("%d events  %.0f events/s", events_done, rate);
  }
  const double fraction =
      std::clamp(static_cast<double>(bytes_done) / static_cast<double>(total_bytes), 0.0, 1.0);
  const int filled = static_cast<int>(fraction * kWidth);
  return absl::StrFormat("%3d%% [%s%s] %d events  %.0f events/s",
                         static_cast<int>(fraction * 100), std::string(filled, '#'),
                         std::string(kWidth - filled, ' '), events_done, rate);
}

void ProgressBar::Update(int64_t bytes_done, int64_t events_done) {
  const absl::Time now = absl::Now();
  if (now - last_draw_ < absl::Milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  *out_ << "\r" << Render(bytes_done, total_bytes_, events_done, now - start_) << "\x1b[K"
        << std::flush;
}

void ProgressBar::Finish() {
  if (drawn_) *out_ << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

bool IsTerminal(int fd) { return isatty(fd) == 1; }

}  // namespace cli
}  // namespace pitboss
