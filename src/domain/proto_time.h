// Conversions between google.protobuf.Timestamp and absl::Time.
//
// The domain computes with absl::Time (exact, nanosecond resolution) and
// stores google.protobuf.Timestamp. In the schema an unset timestamp (0 s, 0 ns)
// means "never", so it converts to absl::InfinitePast(); an infinite time
// converts back to the unset timestamp.
#ifndef PITBOSS_SRC_DOMAIN_PROTO_TIME_H_
#define PITBOSS_SRC_DOMAIN_PROTO_TIME_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace pitboss {
namespace domain {

bool IsSet(const google::protobuf::Timestamp& timestamp);

// Unset -> absl::InfinitePast().
absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp);

// Infinite times -> the unset timestamp.
google::protobuf::Timestamp ToProtoTime(absl::Time time);

// seconds within 0001-01-01..9999-12-31 and nanos in [0, 1e9), as
// google/protobuf/timestamp.proto requires. Errors name `field`.
absl::Status ValidateProtoTime(const google::protobuf::Timestamp& timestamp,
                               absl::string_view field);

}  // namespace domain
}  // namespace pitboss

#endif  // PITBOSS_SRC_DOMAIN_PROTO_TIME_H_
