// Map key hashing and equality (see map_key.h).
#include "src/cel/common/map_key.h"

#include <cmath>
#include <cstdint>

#include "absl/hash/hash.h"
#include "src/cel/common/numeric.h"

namespace pitboss {
namespace cel {
namespace {

size_t HashInt(int64_t i) { return absl::HashOf(uint8_t{1}, i); }
size_t HashUint(uint64_t u) {
  if (u <= static_cast<uint64_t>(INT64_MAX)) return HashInt(static_cast<int64_t>(u));
  return absl::HashOf(uint8_t{2}, u);
}

}  // namespace

size_t MapKeyHash(const Value& key) {
  switch (key.kind()) {
    case ValueKind::kBool: return absl::HashOf(uint8_t{0}, key.bool_value());
    case ValueKind::kInt: return HashInt(key.int_value());
    case ValueKind::kUint: return HashUint(key.uint_value());
    case ValueKind::kDouble: {
      double d = key.double_value();
      if (std::trunc(d) == d) {
        if (d >= -kTwoPow63 && d < kTwoPow63) return HashInt(static_cast<int64_t>(d));
        if (d >= 0 && d < kTwoPow64) return HashUint(static_cast<uint64_t>(d));
      }
      return absl::HashOf(uint8_t{3}, d);
    }
    case ValueKind::kString: return absl::HashOf(uint8_t{4}, key.string_value());
    default: return 0;
  }
}

bool MapKeyEquals(const Value& a, const Value& b) {
  switch (a.kind()) {
    case ValueKind::kBool:
      return b.IsBool() && a.bool_value() == b.bool_value();
    case ValueKind::kString:
      return b.IsString() && a.string_value() == b.string_value();
    case ValueKind::kInt:
      switch (b.kind()) {
        case ValueKind::kInt: return a.int_value() == b.int_value();
        case ValueKind::kUint: return CompareIntUint(a.int_value(), b.uint_value()) == 0;
        case ValueKind::kDouble: return ExactCompareIntDouble(a.int_value(), b.double_value()) == 0;
        default: return false;
      }
    case ValueKind::kUint:
      switch (b.kind()) {
        case ValueKind::kInt: return CompareIntUint(b.int_value(), a.uint_value()) == 0;
        case ValueKind::kUint: return a.uint_value() == b.uint_value();
        case ValueKind::kDouble: return ExactCompareUintDouble(a.uint_value(), b.double_value()) == 0;
        default: return false;
      }
    case ValueKind::kDouble:
      switch (b.kind()) {
        case ValueKind::kInt: return ExactCompareIntDouble(b.int_value(), a.double_value()) == 0;
        case ValueKind::kUint: return ExactCompareUintDouble(b.uint_value(), a.double_value()) == 0;
        case ValueKind::kDouble: return a.double_value() == b.double_value();
        default: return false;
      }
    default:
      return false;
  }
}

}  // namespace cel
}  // namespace pitboss
