// Timestamps, durations and doubles as text, with the definition's ranges:
// RFC 3339 timestamps (0001-01-01..9999-12-31, nanosecond precision, trailing
// zeros trimmed like Go's RFC3339Nano), Go-style duration strings ("1h2m3.5s",
// "-1.5s"), time zone names (IANA or "+HH:MM"), and Go "%g"-style doubles for
// string(double).
//
// Durations are limited to int64 nanoseconds (about +-292 years); timestamps
// to [0001-01-01T00:00:00Z, 9999-12-31T23:59:59.999999999Z]. Out of range
// results are error values with the message "range".
#ifndef PITBOSS_SRC_CEL_COMMON_TIME_UTIL_H_
#define PITBOSS_SRC_CEL_COMMON_TIME_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/cel/common/value.h"

namespace pitboss {
namespace cel {

// Total nanoseconds of a timestamp (since the epoch) or duration.
__int128 TotalNanos(const Value& timestamp_or_duration);
// Range-checked constructors from total nanoseconds; error "range" outside.
Value TimestampFromNanos(google::protobuf::Arena* arena, __int128 nanos);
Value DurationFromNanos(google::protobuf::Arena* arena, __int128 nanos);
// From (seconds, nanos) in any normalization, e.g. a google.protobuf.Timestamp.
Value MakeTimestamp(google::protobuf::Arena* arena, int64_t seconds, int64_t nanos);
Value MakeDuration(google::protobuf::Arena* arena, int64_t seconds, int64_t nanos);

// "2009-02-13T23:31:30Z", "9999-12-31T23:59:59.999999999Z".
std::string FormatTimestamp(int64_t seconds, int32_t nanos);
// "1000000s", "-1.5s", "0.000000001s".
std::string FormatDuration(int64_t seconds, int32_t nanos);
// RFC 3339 ("2009-02-13T23:31:30.5+01:00"); a timestamp or an error value.
Value ParseTimestamp(google::protobuf::Arena* arena, absl::string_view text);
// Go duration syntax ("1h", "-2m30s", "1.5s", "100ms", "3us", "7ns");
// a duration or an error value.
Value ParseDuration(google::protobuf::Arena* arena, absl::string_view text);

// An IANA name ("America/New_York", "UTC") or a fixed offset ("+05:30",
// "-08:00", "02:00").
absl::StatusOr<absl::TimeZone> ParseTimeZone(absl::string_view name);

// Go's %g (shortest round-trip digits; exponent form below 1e-4 and from 1e6):
// 123.456 -> "123.456", -4.5e-3 -> "-0.0045", 1e100 -> "1e+100".
std::string FormatDouble(double d);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_COMMON_TIME_UTIL_H_
