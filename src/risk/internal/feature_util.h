// Small helpers shared by the feature families: reading timestamps, seconds
// between times, integer ratios in basis points, country-code checks.
#ifndef PITBOSS_SRC_RISK_INTERNAL_FEATURE_UTIL_H_
#define PITBOSS_SRC_RISK_INTERNAL_FEATURE_UTIL_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace pitboss {
namespace risk_internal {

// A valid timestamp as absl::Time; unset -> absl::InfinitePast(). An invalid
// one (seconds outside 0001..9999, nanos outside [0, 1e9)) is INVALID_ARGUMENT
// naming `field`.
absl::StatusOr<absl::Time> ReadTime(const google::protobuf::Timestamp& timestamp,
                                    absl::string_view field);

// ReadTime for an element of a repeated field, e.g. ("account.deposits", 3,
// ".completed_at"): the path is only built for the error message.
absl::StatusOr<absl::Time> ReadIndexedTime(const google::protobuf::Timestamp& timestamp,
                                           absl::string_view repeated_field, int index,
                                           absl::string_view suffix);

// Whole seconds from `then` to `now`, rounded down; 0 when `then` is after
// `now`; risk::kNever when `then` is absl::InfinitePast() (never).
int64_t SecondsSince(absl::Time then, absl::Time now);

// floor(numerator * 10000 / denominator) computed exactly in 128 bits and
// clamped to int64; 0 when denominator <= 0 or numerator <= 0.
int64_t RatioBps(int64_t numerator, int64_t denominator);

// "" or two ASCII upper-case letters (ISO 3166-1 alpha-2); INVALID_ARGUMENT
// naming `field` otherwise.
absl::Status ValidateCountryCode(absl::string_view code, absl::string_view field);

// Ids (instrument, deposit, withdrawal, device): 1..kMaxIdLength bytes.
inline constexpr size_t kMaxIdLength = 255;
absl::Status ValidateId(absl::string_view id, absl::string_view field);

}  // namespace risk_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_RISK_INTERNAL_FEATURE_UTIL_H_
