// ReplayRunner: the main job of `pitboss replay`. Reads an event stream (JSON
// lines, event_lines.h), applies each event through the Store at the event's
// own occurred_at, writes each decision as a JSON line, and counts everything
// for the summary (replay_stats.h). With a shadow engine and store it also
// applies every event under a second policy and compares (backtest_diff.h).
//
// Guarantees the crash-safety test relies on:
//   - a decision is written to the output only after the store has committed
//     it (Store::ApplyBatchAtEventTime returned), and the output is flushed
//     after every batch (on the DecisionWriter's thread, while the next batch
//     is applied; Run returns once everything is written);
//   - re-running over the same stream returns already-applied events as
//     duplicates (the recorded decision, written again), so a killed run is
//     simply restarted.
// A bad line (not an Event in JSON, or rejected by the engine as bad input) is
// reported on `err` as "SOURCE:LINE: message" and either skipped (counted in
// stats().errors) or, with OnError::kStop, ends the run (stats().stopped).
// With a batch size above 1 the events of the bad line's batch that follow
// it have already been committed when the run stops; their decisions are
// written too. Storage failures (anything but bad input) end the run with a
// non-OK status whatever the mode.
#ifndef PITBOSS_SRC_CLI_REPLAY_RUNNER_H_
#define PITBOSS_SRC_CLI_REPLAY_RUNNER_H_

#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "pitboss/engine.h"
#include "pitboss/store.h"
#include "src/cli/backtest_diff.h"
#include "src/cli/decision_writer.h"
#include "src/cli/progress_bar.h"
#include "src/cli/replay_stats.h"

namespace pitboss {
namespace cli {

enum class OnError { kSkip, kStop };

struct ReplayOptions {
  OnError on_error = OnError::kSkip;
  // Events per store transaction (group commit); >= 1.
  int batch_size = 1;
  // The stream's name in messages ("events.jsonl:12: ...").
  std::string source_name = "<stdin>";
  // Read the next batch's lines and parse them (JSON, a third of a replay's
  // CPU) on a second thread while the store applies the current batch. Only
  // for input that never waits (a file): reading ahead a batch from a live
  // stream would hold back the current batch until the next one arrived.
  bool read_ahead = false;
};

// True for the statuses that mean "this event is bad input" (the store
// changed nothing for it); anything else is a storage failure.
bool IsBadInput(const absl::Status& status);

class ReplayRunner {
 public:
  // `engine` and `store` must outlive the runner.
  ReplayRunner(const Engine* engine, Store* store, ReplayOptions options);

  // Where decisions go, one JSON line each (nullptr: nowhere).
  void SetDecisionOutput(std::ostream* out) { decisions_ = out; }
  // Backtest: also apply every event with `engine` into `store` and compare.
  void SetShadow(const Engine* engine, Store* store);
  // Progress display (nullptr: none).
  void SetProgress(ProgressBar* progress) { progress_ = progress; }

  // Processes the whole stream (or up to the bad line with kStop). OK also
  // when bad lines were skipped or the run stopped at one (see stats());
  // non-OK for storage, read or write failures.
  absl::Status Run(std::istream& in, std::ostream& err);

  const ReplayStats& stats() const { return stats_; }
  // The comparison, when a shadow was set.
  const BacktestDiff* backtest() const { return backtest_.get(); }

 private:
  struct Pending {
    int64_t line_number;
    v1::Event event;
  };
  // One line of the stream, parsed: counts it, reports a bad one, adds a good
  // one to `batch` and applies the batch when it is full. Sets stats_.stopped.
  absl::Status Take(int64_t line_number, absl::StatusOr<v1::Event> event,
                    std::vector<Pending>& batch, std::ostream& err, int64_t bytes_read);
  // Applies one batch, writes decisions, counts. Sets stats_.stopped.
  absl::Status ApplyBatch(std::vector<Pending>& batch, std::ostream& err);

  const Engine* engine_;
  Store* store_;
  ReplayOptions options_;
  std::ostream* decisions_ = nullptr;
  std::unique_ptr<DecisionWriter> writer_;  // on decisions_, during Run
  const Engine* shadow_engine_ = nullptr;
  Store* shadow_store_ = nullptr;
  ProgressBar* progress_ = nullptr;
  std::unique_ptr<BacktestDiff> backtest_;
  ReplayStats stats_;
};

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_REPLAY_RUNNER_H_
