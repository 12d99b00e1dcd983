// StringEqual: string equality without a library call for the short strings
// rules compare (event types, country codes, ids), where calling memcmp costs
// more than the comparison itself.
#ifndef PITBOSS_SRC_CEL_EVAL_STRING_EQUAL_H_
#define PITBOSS_SRC_CEL_EVAL_STRING_EQUAL_H_

#include <cstdint>
#include <cstring>

#include "absl/strings/string_view.h"

namespace pitboss {
namespace cel {
namespace eval_internal {

inline bool StringEqual(absl::string_view a, absl::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  // Two overlapping loads cover 8..16 and 4..7 bytes; fixed-size memcpy
  // compiles to plain loads.
  if (n >= 8 && n <= 16) {
    uint64_t p0, q0, p1, q1;
    std::memcpy(&p0, p, 8);
    std::memcpy(&q0, q, 8);
    std::memcpy(&p1, p + n - 8, 8);
    std::memcpy(&q1, q + n - 8, 8);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  if (n >= 4 && n < 8) {
    uint32_t p0, q0, p1, q1;
    std::memcpy(&p0, p, 4);
    std::memcpy(&q0, q, 4);
    std::memcpy(&p1, p + n - 4, 4);
    std::memcpy(&q1, q + n - 4, 4);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  if (n < 4) {
    for (size_t i = 0; i < n; ++i) {
      if (p[i] != q[i]) return false;
    }
    return true;
  }
  return std::memcmp(p, q, n) == 0;
}

}  // namespace eval_internal
}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_EVAL_STRING_EQUAL_H_
