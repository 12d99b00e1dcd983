// Map key rules shared by every MapValue implementation: which kinds may be
// keys, and hashing/equality that make 1, 1u and 1.0 the same key (the
// definition's heterogeneous numeric key lookup).
#ifndef PITBOSS_SRC_CEL_COMMON_MAP_KEY_H_
#define PITBOSS_SRC_CEL_COMMON_MAP_KEY_H_

#include <cstddef>

#include "src/cel/common/value.h"

namespace pitboss {
namespace cel {

// Kinds a map may be built with: bool, int, uint, string.
inline bool IsMapKeyKind(ValueKind k) {
  return k == ValueKind::kBool || k == ValueKind::kInt || k == ValueKind::kUint ||
         k == ValueKind::kString;
}
// Kinds a map may be indexed with (doubles find numerically equal int/uint keys).
inline bool IsLookupKeyKind(ValueKind k) { return IsMapKeyKind(k) || k == ValueKind::kDouble; }

// Equal keys hash equally: numerics hash by mathematical value.
size_t MapKeyHash(const Value& key);
// bool==bool, string==string, numerics by value (NaN equals nothing).
bool MapKeyEquals(const Value& a, const Value& b);

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_COMMON_MAP_KEY_H_
