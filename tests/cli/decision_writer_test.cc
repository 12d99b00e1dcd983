// Tests of the replay's decision output thread (src/cli/decision_writer.h):
// batches come out in the order pushed, one JSON line per decision; a stream
// that fails is reported (DATA_LOSS) by the next Push and by Finish.
#include "src/cli/decision_writer.h"

#include <algorithm>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/matchers.h"

namespace pitboss {
namespace cli {
namespace {

using ::pitboss::testing::IsOk;
using ::pitboss::testing::StatusIs;

std::vector<v1::Decision> Batch(int first, int n) {
  std::vector<v1::Decision> batch;
  for (int i = first; i < first + n; ++i) {
    v1::Decision decision;
    decision.set_event_id(absl::StrCat("evt-", i));
    decision.set_outcome(i % 2 == 0 ? v1::DECISION_OUTCOME_ALLOW : v1::DECISION_OUTCOME_DENY);
    batch.push_back(decision);
  }
  return batch;
}

TEST(DecisionWriterTest, WritesEveryBatchInOrderAsJsonLines) {
  std::ostringstream out;
  DecisionWriter writer(&out);
  for (int b = 0; b < 20; ++b) ASSERT_THAT(writer.Push(Batch(b * 5, 5)), IsOk());
  ASSERT_THAT(writer.Finish(), IsOk());
  const std::vector<std::string> lines = absl::StrSplit(out.str(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    v1::Decision decision;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[i], &decision).ok())
        << lines[i];
    EXPECT_EQ(decision.event_id(), absl::StrCat("evt-", i));
    EXPECT_EQ(lines[i], *DecisionJson(Batch(i, 1)[0]));
  }
}

// A stream buffer that accepts `room` bytes and then fails.
class FullBuffer : public std::streambuf {
 public:
  explicit FullBuffer(size_t room) : room_(room) {}
  std::string written;

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const size_t take = std::min(room_ - written.size(), static_cast<size_t>(n));
    written.append(s, take);
    return static_cast<std::streamsize>(take);
  }
  int overflow(int) override { return traits_type::eof(); }

 private:
  size_t room_;
};

TEST(DecisionWriterTest, AFailedWriteIsReportedByPushAndFinish) {
  const std::string first = *DecisionJson(Batch(0, 1)[0]) + "\n";
  FullBuffer buffer(first.size() + 10);  // room for the first batch and a bit
  std::ostream out(&buffer);
  DecisionWriter writer(&out);
  ASSERT_THAT(writer.Push(Batch(0, 1)), IsOk());
  absl::Status status;
  for (int b = 1; b < 50 && status.ok(); ++b) status = writer.Push(Batch(b, 1));
  const absl::Status finished = writer.Finish();
  EXPECT_THAT(finished, StatusIs(absl::StatusCode::kDataLoss));
  if (!status.ok()) {
    EXPECT_EQ(status, finished);
  }
  // The first batch whole, then only what the failing write managed.
  EXPECT_EQ(buffer.written.substr(0, first.size()), first);
  EXPECT_LE(buffer.written.size(), first.size() + 10);
}

}  // namespace
}  // namespace cli
}  // namespace pitboss
