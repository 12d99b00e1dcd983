// The replay loop (see replay_runner.h).
#include "src/cli/replay_runner.h"

#include <ctime>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "src/cli/event_lines.h"
#include "src/common/status_macros.h"

namespace pitboss {
namespace cli {
namespace {

std::string Describe(const absl::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message());
}

}  // namespace

bool IsBadInput(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kOutOfRange:
      return true;
    default:
      return false;
  }
}

ReplayRunner::ReplayRunner(const Engine* engine, Store* store, ReplayOptions options)
    : engine_(engine), store_(store), options_(std::move(options)) {
  if (options_.batch_size < 1) options_.batch_size = 1;
}

void ReplayRunner::SetShadow(const Engine* engine, Store* store) {
  shadow_engine_ = engine;
  shadow_store_ = store;
  backtest_ = std::make_unique<BacktestDiff>();
}

absl::Status ReplayRunner::ApplyBatch(std::vector<Pending>& batch, std::ostream& err) {
  if (batch.empty()) return absl::OkStatus();
  std::vector<v1::Event> events;
  events.reserve(batch.size());
  for (Pending& pending : batch) events.push_back(std::move(pending.event));

  std::vector<absl::StatusOr<ApplyResult>> results =
      store_->ApplyBatchAtEventTime(*engine_, events);
  if (results.size() != events.size()) {
    return absl::InternalError(absl::StrCat("store returned ", results.size(),
                                            " results for ", events.size(), " events"));
  }
  // The store has committed the batch: only now are decisions written out.
  for (size_t i = 0; i < results.size(); ++i) {
    const absl::StatusOr<ApplyResult>& result = results[i];
    if (!result.ok()) {
      if (!IsBadInput(result.status())) {
        return absl::Status(result.status().code(),
                            absl::StrCat(options_.source_name, ":", batch[i].line_number,
                                         ": event \"", events[i].event_id(),
                                         "\": store failure: ", result.status().message()));
      }
      err << options_.source_name << ":" << batch[i].line_number << ": event \""
          << events[i].event_id() << "\" rejected: " << Describe(result.status()) << "\n";
      stats_.errors += 1;
      if (options_.on_error == OnError::kStop) stats_.stopped = true;
      continue;
    }
    const v1::Decision& decision = result->response.decision();
    if (result->replayed) {
      stats_.duplicates += 1;
    } else {
      stats_.applied += 1;
    }
    stats_.RecordDecision(decision);
  }

  if (shadow_store_ != nullptr) {
    std::vector<absl::StatusOr<ApplyResult>> shadow =
        shadow_store_->ApplyBatchAtEventTime(*shadow_engine_, events);
    if (shadow.size() != events.size()) {
      return absl::InternalError("shadow store returned the wrong number of results");
    }
    for (size_t i = 0; i < events.size(); ++i) {
      if (!shadow[i].ok() && !IsBadInput(shadow[i].status())) {
        return absl::Status(shadow[i].status().code(),
                            absl::StrCat(options_.source_name, ":", batch[i].line_number,
                                         ": shadow store failure: ",
                                         shadow[i].status().message()));
      }
      backtest_->Add(events[i].event_id(),
                     results[i].ok() ? &results[i]->response.decision() : nullptr,
                     shadow[i].ok() ? &shadow[i]->response.decision() : nullptr);
    }
  }
  batch.clear();
  if (writer_ == nullptr) return absl::OkStatus();
  // Committed: printed while the next batch is applied.
  std::vector<v1::Decision> decisions;
  decisions.reserve(results.size());
  for (absl::StatusOr<ApplyResult>& result : results) {
    if (result.ok()) decisions.push_back(std::move(*result->response.mutable_decision()));
  }
  return writer_->Push(std::move(decisions));
}

absl::Status ReplayRunner::Take(int64_t line_number, absl::StatusOr<v1::Event> event,
                                std::vector<Pending>& batch, std::ostream& err,
                                int64_t bytes_read) {
  stats_.events += 1;
  if (!event.ok()) {
    err << options_.source_name << ":" << line_number << ": " << event.status().message()
        << "\n";
    stats_.errors += 1;
    if (options_.on_error == OnError::kStop) stats_.stopped = true;
    return absl::OkStatus();  // the events before it in this batch are still applied
  }
  batch.push_back(Pending{line_number, *std::move(event)});
  if (static_cast<int>(batch.size()) < options_.batch_size) return absl::OkStatus();
  PITBOSS_RETURN_IF_ERROR(ApplyBatch(batch, err));
  if (progress_ != nullptr) progress_->Update(bytes_read, stats_.events);
  return absl::OkStatus();
}

namespace {

// A batch's worth of lines, read ahead and parsed on another thread.
struct Chunk {
  std::vector<int64_t> line_numbers;
  std::vector<int64_t> blank_lines;  // the reader's count up to each line
  std::vector<std::string> lines;
  std::vector<absl::StatusOr<v1::Event>> events;
  int64_t bytes_read = 0;

  void Read(EventLineReader& reader, int size) {
    line_numbers.clear();
    blank_lines.clear();
    lines.clear();
    std::string line;
    int64_t line_number = 0;
    while (static_cast<int>(lines.size()) < size && reader.Next(&line, &line_number)) {
      line_numbers.push_back(line_number);
      blank_lines.push_back(reader.blank_lines());
      lines.push_back(std::move(line));
    }
    bytes_read = reader.bytes_read();
  }
  void Parse() {
    events.clear();
    for (const std::string& line : lines) events.push_back(ParseEventLine(line));
  }
};

}  // namespace

absl::Status ReplayRunner::Run(std::istream& in, std::ostream& err) {
  const absl::Time start = absl::Now();
  const std::clock_t cpu_start = std::clock();
  EventLineReader reader(&in);
  if (decisions_ != nullptr) writer_ = std::make_unique<DecisionWriter>(decisions_);
  std::vector<Pending> batch;
  batch.reserve(options_.batch_size);
  absl::Status status;
  int64_t blank_lines = -1;  // read ahead: the count up to the line the run stopped at
  if (options_.read_ahead) {
    Chunk current;
    Chunk next;
    current.Read(reader, options_.batch_size);
    current.Parse();
    while (!current.lines.empty() && !stats_.stopped && status.ok()) {
      next.Read(reader, options_.batch_size);
      std::thread parser([&next] { next.Parse(); });
      for (size_t i = 0; i < current.lines.size() && !stats_.stopped && status.ok(); ++i) {
        status = Take(current.line_numbers[i], std::move(current.events[i]), batch, err,
                      current.bytes_read);
        if (stats_.stopped) blank_lines = current.blank_lines[i];
      }
      parser.join();
      std::swap(current, next);
    }
  } else {
    std::string line;
    int64_t line_number = 0;
    while (!stats_.stopped && status.ok() && reader.Next(&line, &line_number)) {
      status = Take(line_number, ParseEventLine(line), batch, err, reader.bytes_read());
    }
  }
  if (status.ok()) status = ApplyBatch(batch, err);
  if (writer_ != nullptr) {
    absl::Status written = writer_->Finish();
    if (status.ok()) status = std::move(written);
    writer_.reset();
  }
  if (status.ok() && reader.failed()) {
    status = absl::DataLossError(absl::StrCat(options_.source_name, ": read error after line ",
                                              reader.lines_read()));
  }
  stats_.blank_lines = blank_lines >= 0 ? blank_lines : reader.blank_lines();
  stats_.elapsed = absl::Now() - start;
  stats_.cpu = absl::Seconds(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
  if (progress_ != nullptr) progress_->Finish();
  return status;
}

}  // namespace cli
}  // namespace pitboss
