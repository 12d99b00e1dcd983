// The replay's decision output thread (decision_writer.h).
#include "src/cli/decision_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace pitboss {
namespace cli {

namespace {
constexpr size_t kMaxQueued = 2;
}  // namespace

absl::StatusOr<std::string> DecisionJson(const v1::Decision& decision) {
  std::string json;
  const google::protobuf::util::Status status =
      google::protobuf::util::MessageToJsonString(decision, &json);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("decision for event \"", decision.event_id(),
                     "\" cannot be printed as JSON: ", status.message().ToString()));
  }
  return json;
}

DecisionWriter::DecisionWriter(std::ostream* out) : out_(out) {
  thread_ = std::thread([this] { Run(); });
}

DecisionWriter::~DecisionWriter() { Finish().IgnoreError(); }

absl::Status DecisionWriter::Push(std::vector<v1::Decision> batch) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return queue_.size() < kMaxQueued || !status_.ok(); });
  if (!status_.ok()) return status_;
  queue_.push_back(std::move(batch));
  cv_.notify_all();
  return absl::OkStatus();
}

absl::Status DecisionWriter::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finishing_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

void DecisionWriter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return finishing_ || !queue_.empty(); });
    if (queue_.empty()) return;  // finishing, and everything is written
    std::vector<v1::Decision> batch = std::move(queue_.front());
    queue_.pop_front();
    cv_.notify_all();  // room for the next Push
    if (!status_.ok()) continue;  // after a failure: drop, never write past it
    lock.unlock();
    absl::Status written = WriteBatch(batch);
    lock.lock();
    if (!written.ok() && status_.ok()) {
      status_ = std::move(written);
      cv_.notify_all();
    }
  }
}

absl::Status DecisionWriter::WriteBatch(const std::vector<v1::Decision>& batch) {
  std::string text;
  for (const v1::Decision& decision : batch) {
    absl::StatusOr<std::string> json = DecisionJson(decision);
    if (!json.ok()) return json.status();
    absl::StrAppend(&text, *json, "\n");
  }
  out_->write(text.data(), static_cast<std::streamsize>(text.size()));
  out_->flush();
  if (!out_->good()) return absl::DataLossError("cannot write decisions (--out)");
  return absl::OkStatus();
}

}  // namespace cli
}  // namespace pitboss
