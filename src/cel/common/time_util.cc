// Timestamp/duration/double text forms and range checks (see time_util.h).
#include "src/cel/common/time_util.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace pitboss {
namespace cel {
namespace {

constexpr int64_t kNanosPerSecond = 1000000000;
constexpr __int128 kMinTimestampNanos = static_cast<__int128>(kMinTimestampSeconds) * kNanosPerSecond;
constexpr __int128 kMaxTimestampNanos =
    static_cast<__int128>(kMaxTimestampSeconds) * kNanosPerSecond + (kNanosPerSecond - 1);

Value RangeError(google::protobuf::Arena* arena) {
  return Value::Error(arena, absl::OutOfRangeError("range"));
}

// Nine-digit fraction with trailing zeros removed ("" for 0).
std::string Fraction(int64_t nanos) {
  if (nanos == 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%09lld", static_cast<long long>(nanos));
  std::string s(buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return "." + s;
}

bool ParseDigits(absl::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

__int128 TotalNanos(const Value& v) {
  return static_cast<__int128>(v.seconds()) * kNanosPerSecond + v.nanos();
}

Value TimestampFromNanos(google::protobuf::Arena* arena, __int128 nanos) {
  if (nanos < kMinTimestampNanos || nanos > kMaxTimestampNanos) return RangeError(arena);
  __int128 s = nanos / kNanosPerSecond;
  __int128 n = nanos % kNanosPerSecond;
  if (n < 0) {
    n += kNanosPerSecond;
    s -= 1;
  }
  return Value::Timestamp(static_cast<int64_t>(s), static_cast<int32_t>(n));
}

Value DurationFromNanos(google::protobuf::Arena* arena, __int128 nanos) {
  if (nanos < std::numeric_limits<int64_t>::min() || nanos > std::numeric_limits<int64_t>::max()) {
    return RangeError(arena);
  }
  __int128 s = nanos / kNanosPerSecond;  // truncates: nanos has the sign of seconds
  __int128 n = nanos % kNanosPerSecond;
  return Value::Duration(static_cast<int64_t>(s), static_cast<int32_t>(n));
}

Value MakeTimestamp(google::protobuf::Arena* arena, int64_t seconds, int64_t nanos) {
  return TimestampFromNanos(arena, static_cast<__int128>(seconds) * kNanosPerSecond + nanos);
}

Value MakeDuration(google::protobuf::Arena* arena, int64_t seconds, int64_t nanos) {
  return DurationFromNanos(arena, static_cast<__int128>(seconds) * kNanosPerSecond + nanos);
}

std::string FormatTimestamp(int64_t seconds, int32_t nanos) {
  absl::CivilSecond cs = absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02dT%02d:%02d:%02d",
                static_cast<long long>(cs.year()), cs.month(), cs.day(), cs.hour(), cs.minute(),
                cs.second());
  return absl::StrCat(buf, Fraction(nanos), "Z");
}

std::string FormatDuration(int64_t seconds, int32_t nanos) {
  __int128 total = static_cast<__int128>(seconds) * kNanosPerSecond + nanos;
  bool negative = total < 0;
  if (negative) total = -total;
  uint64_t whole = static_cast<uint64_t>(total / kNanosPerSecond);
  int64_t frac = static_cast<int64_t>(total % kNanosPerSecond);
  return absl::StrCat(negative ? "-" : "", whole, Fraction(frac), "s");
}

Value ParseTimestamp(google::protobuf::Arena* arena, absl::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  auto bad = [&]() {
    return Value::Error(arena, absl::InvalidArgumentError(
                                   absl::StrCat("invalid timestamp \"", s, "\"")));
  };
  // Years with more than four digits are syntactically valid but out of range.
  size_t dash = s.find('-');
  if (dash != absl::string_view::npos && dash > 4) {
    bool digits = true;
    for (size_t i = 0; i < dash; ++i) digits &= absl::ascii_isdigit(static_cast<unsigned char>(s[i]));
    if (digits) return RangeError(arena);
  }
  int year, month, day, hour, minute, second;
  if (!ParseDigits(s, 0, 4, &year) || s.size() < 20 || s[4] != '-' ||
      !ParseDigits(s, 5, 2, &month) || s[7] != '-' || !ParseDigits(s, 8, 2, &day) ||
      (s[10] != 'T' && s[10] != 't') || !ParseDigits(s, 11, 2, &hour) || s[13] != ':' ||
      !ParseDigits(s, 14, 2, &minute) || s[16] != ':' || !ParseDigits(s, 17, 2, &second)) {
    return bad();
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t scale = 100000000;
    while (pos < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[pos]))) {
      if (pos - start < 9) {
        nanos += (s[pos] - '0') * scale;
        scale /= 10;
      }
      ++pos;
    }
    if (pos == start) return bad();
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!ParseDigits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ParseDigits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return bad();
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return bad();
  absl::CivilSecond cs(year, month, day, hour, minute, second);
  if (cs.day() != day || cs.month() != month) return bad();  // e.g. Feb 30
  if (year == 0) return RangeError(arena);
  int64_t secs = absl::ToUnixSeconds(absl::FromCivil(cs, absl::UTCTimeZone())) - offset;
  return MakeTimestamp(arena, secs, nanos);
}

Value ParseDuration(google::protobuf::Arena* arena, absl::string_view text) {
  auto bad = [&]() {
    return Value::Error(arena, absl::InvalidArgumentError(
                                   absl::StrCat("invalid duration \"", text, "\"")));
  };
  absl::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Value::Duration(0, 0);
  if (s.empty()) return bad();
  __int128 total = 0;
  const __int128 limit = static_cast<__int128>(std::numeric_limits<int64_t>::max()) + 1;
  while (!s.empty()) {
    // number: digits [. digits]
    __int128 whole = 0;
    size_t i = 0;
    bool any = false;
    while (i < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) {
      whole = whole * 10 + (s[i] - '0');
      if (whole > limit * 1000) return RangeError(arena);
      ++i;
      any = true;
    }
    __int128 frac_num = 0, frac_den = 1;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) {
        if (frac_den < static_cast<__int128>(1000000000000000000LL)) {
          frac_num = frac_num * 10 + (s[i] - '0');
          frac_den *= 10;
        }
        ++i;
        any = true;
      }
    }
    if (!any) return bad();
    s.remove_prefix(i);
    int64_t unit;
    if (absl::StartsWith(s, "ns")) { unit = 1; s.remove_prefix(2); }
    else if (absl::StartsWith(s, "us")) { unit = 1000; s.remove_prefix(2); }
    else if (absl::StartsWith(s, "\xC2\xB5s") || absl::StartsWith(s, "\xCE\xBCs")) { unit = 1000; s.remove_prefix(3); }
    else if (absl::StartsWith(s, "ms")) { unit = 1000000; s.remove_prefix(2); }
    else if (absl::StartsWith(s, "s")) { unit = kNanosPerSecond; s.remove_prefix(1); }
    else if (absl::StartsWith(s, "m")) { unit = 60 * kNanosPerSecond; s.remove_prefix(1); }
    else if (absl::StartsWith(s, "h")) { unit = 3600 * kNanosPerSecond; s.remove_prefix(1); }
    else return bad();
    total += whole * unit + frac_num * unit / frac_den;
    if (total > limit) return RangeError(arena);
  }
  if (negative) total = -total;
  return DurationFromNanos(arena, total);
}

absl::StatusOr<absl::TimeZone> ParseTimeZone(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("empty time zone");
  if (!name.empty() && (name[0] == '+' || name[0] == '-' || absl::ascii_isdigit(static_cast<unsigned char>(name[0])))) {
    absl::string_view s = name;
    int sign = 1;
    if (s[0] == '+' || s[0] == '-') {
      sign = s[0] == '-' ? -1 : 1;
      s.remove_prefix(1);
    }
    int h, m;
    if (s.size() == 5 && ParseDigits(s, 0, 2, &h) && s[2] == ':' && ParseDigits(s, 3, 2, &m) &&
        h <= 23 && m <= 59) {
      return absl::FixedTimeZone(sign * (h * 3600 + m * 60));
    }
    return absl::InvalidArgumentError(absl::StrCat("invalid time zone offset \"", name, "\""));
  }
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(name), &tz)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone \"", name, "\""));
  }
  return tz;
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  // sci: [-]D[.DDD]e(+|-)XX
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  size_t epos = sci.find('e');
  int exp = std::atoi(sci.c_str() + epos + 1);
  std::string digits;
  for (size_t i = 0; i < epos; ++i) {
    if (sci[i] != '.') digits.push_back(sci[i]);
  }
  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof(ebuf), "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return out + ebuf;
  }
  if (exp < 0) {
    return out + "0." + std::string(-exp - 1, '0') + digits;
  }
  if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    return out + digits + std::string(exp + 1 - digits.size(), '0');
  }
  return out + digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
}

}  // namespace cel
}  // namespace pitboss
