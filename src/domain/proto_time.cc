// Timestamp <-> absl::Time (see proto_time.h).
#include "src/domain/proto_time.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace pitboss {
namespace domain {
namespace {

// The range google.protobuf.Timestamp allows: 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59Z.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;

}  // namespace

bool IsSet(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() != 0 || timestamp.nanos() != 0;
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp) {
  if (!IsSet(timestamp)) return absl::InfinitePast();
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

google::protobuf::Timestamp ToProtoTime(absl::Time time) {
  google::protobuf::Timestamp out;
  if (time == absl::InfinitePast() || time == absl::InfiniteFuture()) return out;
  const int64_t seconds = absl::ToUnixSeconds(time);  // floors
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return out;
}

absl::Status ValidateProtoTime(const google::protobuf::Timestamp& timestamp,
                               absl::string_view field) {
  if (timestamp.seconds() < kMinSeconds || timestamp.seconds() > kMaxSeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": seconds out of range (", timestamp.seconds(), ")"));
  }
  if (timestamp.nanos() < 0 || timestamp.nanos() > 999999999) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": nanos out of range (", timestamp.nanos(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace domain
}  // namespace pitboss
