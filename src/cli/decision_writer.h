// DecisionWriter: writes a replay's decisions as JSON lines (proto3 JSON, one
// decision per line) on a thread of its own. Printing a decision as JSON costs
// about as much as deciding and storing it, so the replay hands each committed
// batch over and goes on with the next one while this one is printed. Batches
// are written in the order they were pushed, each flushed as a whole; at most
// two wait at a time (Push blocks beyond that).
//
// Only committed decisions are pushed (replay_runner.h), so a decision in the
// output is always in the store; a run killed before its last batches were
// written is restarted and writes them again (as duplicates).
#ifndef PITBOSS_SRC_CLI_DECISION_WRITER_H_
#define PITBOSS_SRC_CLI_DECISION_WRITER_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pitboss/v1/decision.pb.h"

namespace pitboss {
namespace cli {

// One decision as a JSON line's text (no newline); INTERNAL if it cannot be.
absl::StatusOr<std::string> DecisionJson(const v1::Decision& decision);

class DecisionWriter {
 public:
  // `out` must outlive the writer.
  explicit DecisionWriter(std::ostream* out);
  // Finishes (see Finish) if that was not done.
  ~DecisionWriter();
  DecisionWriter(const DecisionWriter&) = delete;
  DecisionWriter& operator=(const DecisionWriter&) = delete;

  // Queues a batch; the first failure so far (a decision that cannot be
  // printed, or an output that cannot be written: DATA_LOSS), after which
  // nothing more is written.
  absl::Status Push(std::vector<v1::Decision> batch);
  // Writes everything queued and stops the thread; the first failure.
  absl::Status Finish();

 private:
  void Run();
  absl::Status WriteBatch(const std::vector<v1::Decision>& batch);

  std::ostream* out_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<v1::Decision>> queue_;
  bool finishing_ = false;
  absl::Status status_;    // the first failure
  std::thread thread_;
};

}  // namespace cli
}  // namespace pitboss

#endif  // PITBOSS_SRC_CLI_DECISION_WRITER_H_
