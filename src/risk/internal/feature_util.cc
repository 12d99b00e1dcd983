// Helpers shared by the feature families (see feature_util.h).
#include "src/risk/internal/feature_util.h"

#include <limits>

#include "absl/numeric/int128.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "src/common/status_macros.h"
#include "src/domain/proto_time.h"
#include "src/risk/features.h"

namespace pitboss {
namespace risk_internal {

absl::StatusOr<absl::Time> ReadTime(const google::protobuf::Timestamp& timestamp,
                                    absl::string_view field) {
  if (!domain::IsSet(timestamp)) return absl::InfinitePast();
  PITBOSS_RETURN_IF_ERROR(domain::ValidateProtoTime(timestamp, field));
  return domain::FromProtoTime(timestamp);
}

absl::StatusOr<absl::Time> ReadIndexedTime(const google::protobuf::Timestamp& timestamp,
                                           absl::string_view repeated_field, int index,
                                           absl::string_view suffix) {
  if (!domain::IsSet(timestamp)) return absl::InfinitePast();
  if (!domain::ValidateProtoTime(timestamp, "").ok()) {
    return domain::ValidateProtoTime(timestamp,
                                     absl::StrCat(repeated_field, "[", index, "]", suffix));
  }
  return domain::FromProtoTime(timestamp);
}

int64_t SecondsSince(absl::Time then, absl::Time now) {
  if (then == absl::InfinitePast()) return risk::kNever;
  if (then >= now) return 0;
  // Both are finite and within the proto timestamp range: no overflow.
  return absl::ToInt64Seconds(now - then);  // truncates: floor for a positive span
}

int64_t RatioBps(int64_t numerator, int64_t denominator) {
  if (numerator <= 0 || denominator <= 0) return 0;
  const absl::int128 ratio = absl::int128(numerator) * 10000 / denominator;
  if (ratio > absl::int128(std::numeric_limits<int64_t>::max())) {
    return std::numeric_limits<int64_t>::max();
  }
  return static_cast<int64_t>(ratio);
}

absl::Status ValidateCountryCode(absl::string_view code, absl::string_view field) {
  if (code.empty()) return absl::OkStatus();
  const bool ok = code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' &&
                  code[1] >= 'A' && code[1] <= 'Z';
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be an ISO 3166-1 alpha-2 code (two upper-case letters), got \"",
        absl::CHexEscape(code.substr(0, 16)), "\""));
  }
  return absl::OkStatus();
}

absl::Status ValidateId(absl::string_view id, absl::string_view field) {
  if (id.empty() || id.size() > kMaxIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 1..", kMaxIdLength, " bytes, got ", id.size()));
  }
  return absl::OkStatus();
}

}  // namespace risk_internal
}  // namespace pitboss
