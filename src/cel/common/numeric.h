// Comparisons between int64, uint64 and double. int vs uint is exact; int/uint
// vs double follows CEL's definition (see CompareIntDouble); map keys use the
// exact variants.
#ifndef PITBOSS_SRC_CEL_COMMON_NUMERIC_H_
#define PITBOSS_SRC_CEL_COMMON_NUMERIC_H_

#include <cmath>
#include <cstdint>

namespace pitboss {
namespace cel {

// Results of the Compare* functions: -1, 0, 1, or kUnordered when a NaN is
// involved.
inline constexpr int kUnordered = 2;

// 2^63 and 2^64 as doubles (exact).
inline constexpr double kTwoPow63 = 9223372036854775808.0;
inline constexpr double kTwoPow64 = 18446744073709551616.0;

template <typename T>
inline int CompareSame(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

inline int CompareDouble(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return kUnordered;
  return CompareSame(a, b);
}

inline int CompareIntUint(int64_t a, uint64_t b) {
  if (a < 0) return -1;
  return CompareSame(static_cast<uint64_t>(a), b);
}

// CEL's int/uint-vs-double ordering (as cel-go and the conformance suite
// define it): the integer converts to double, after range checks that place
// doubles beyond the integer range strictly outside it. So
// 9223372036854775807 == 9223372036854775808.0 (the int rounds to 2^63).
inline int CompareIntDouble(int64_t a, double d) {
  if (std::isnan(d)) return kUnordered;
  if (d < -kTwoPow63) return 1;
  if (d > kTwoPow63) return -1;
  return CompareDouble(static_cast<double>(a), d);
}

inline int CompareUintDouble(uint64_t a, double d) {
  if (std::isnan(d)) return kUnordered;
  if (d < 0) return 1;
  if (d > kTwoPow64) return -1;
  return CompareDouble(static_cast<double>(a), d);
}

// Exact (mathematical) comparisons, used for map keys where equal keys must
// hash equally: 9223372036854775807 and 2^63 are different keys.
inline int ExactCompareIntDouble(int64_t a, double d) {
  if (std::isnan(d)) return kUnordered;
  if (d >= kTwoPow63) return -1;
  if (d < -kTwoPow63) return 1;
  double t = std::trunc(d);  // in [-2^63, 2^63): exact as int64
  int64_t ti = static_cast<int64_t>(t);
  if (a != ti) return a < ti ? -1 : 1;
  double frac = d - t;
  return frac > 0 ? -1 : (frac < 0 ? 1 : 0);
}

inline int ExactCompareUintDouble(uint64_t a, double d) {
  if (std::isnan(d)) return kUnordered;
  if (d < 0) return 1;
  if (d >= kTwoPow64) return -1;
  double t = std::trunc(d);
  uint64_t tu = static_cast<uint64_t>(t);
  if (a != tu) return a < tu ? -1 : 1;
  return d - t > 0 ? -1 : 0;
}

inline int Negate(int c) { return c == kUnordered ? c : -c; }

}  // namespace cel
}  // namespace pitboss

#endif  // PITBOSS_SRC_CEL_COMMON_NUMERIC_H_
