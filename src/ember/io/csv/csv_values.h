#pragma once
// Internal to the CSV reader and schema inference: parsing one field's text as a typed value with
// the Java/Spark rules the CSV source uses (Integer.parseInt, Double.parseDouble, ...).
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

#include "ember/io/csv/csv_options.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

namespace ember::csv_internal {

// Java's Integer/Long.parseLong: optional sign, ASCII digits only, no whitespace, no overflow.
template <class T>
inline bool parse_java_integer(const char* p, size_t n, T& out) {
  if (n == 0) return false;
  bool negative = false;
  size_t i = 0;
  if (p[0] == '-' || p[0] == '+') {
    negative = p[0] == '-';
    i = 1;
    if (n == 1) return false;
  }
  uint64_t v = 0;
  for (; i < n; ++i) {
    unsigned d = static_cast<unsigned char>(p[i]) - static_cast<unsigned>('0');
    if (d > 9) return false;
    if (__builtin_mul_overflow(v, uint64_t{10}, &v) || __builtin_add_overflow(v, uint64_t{d}, &v)) {
      return false;
    }
  }
  using U = std::make_unsigned_t<T>;
  uint64_t limit = negative ? static_cast<uint64_t>(static_cast<U>(std::numeric_limits<T>::max())) + 1
                            : static_cast<uint64_t>(std::numeric_limits<T>::max());
  if (v > limit) return false;
  out = negative ? static_cast<T>(0 - v) : static_cast<T>(v);
  return true;
}

// Plain decimals ("-12.345") with at most 15 significant digits and a short fraction: the
// mantissa and 10^k are exact doubles, so one division is correctly rounded (Clinger's fast
// path). Anything else (exponents, long digit strings, specials) returns false.
inline bool parse_simple_double(const char* p, size_t n, double& out) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                      1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (n == 0 || n > 17) return false;
  size_t i = 0;
  bool negative = false;
  if (p[0] == '-') {
    negative = true;
    i = 1;
  }
  uint64_t mantissa = 0;
  size_t digits = 0;
  int fraction = -1;
  for (; i < n; ++i) {
    unsigned d = static_cast<unsigned char>(p[i]) - static_cast<unsigned>('0');
    if (d <= 9) {
      mantissa = mantissa * 10 + d;
      ++digits;
      if (fraction >= 0) ++fraction;
    } else if (p[i] == '.' && fraction < 0) {
      fraction = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 15) return false;
  double v = static_cast<double>(mantissa);
  if (fraction > 0) v /= kPow10[fraction];
  out = negative ? -v : v;
  return true;
}

// Java's Double.parseDouble / Float.parseFloat (surrounding whitespace, optional sign, "NaN",
// "Infinity", a trailing d/D/f/F), plus Spark's nanValue / positiveInf / negativeInf strings.
// Hexadecimal floating literals are not accepted.
template <class T>
inline bool parse_java_floating(const char* p, size_t n, const CsvOptions& o, T& out) {
  if constexpr (std::is_same_v<T, double>) {
    if (parse_simple_double(p, n, out)) return true;
  }
  std::string_view whole(p, n);
  const char* b = p;
  const char* e = p + n;
  while (b < e && static_cast<unsigned char>(*b) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(e[-1]) <= ' ') --e;
  if (b < e) {
    const char* digits = b;
    bool negative = false;
    if (*digits == '+' || *digits == '-') {
      negative = *digits == '-';
      ++digits;
    }
    if (digits < e && ((*digits >= '0' && *digits <= '9') || *digits == '.')) {
      const char* stop = e;
      if (stop[-1] == 'd' || stop[-1] == 'D' || stop[-1] == 'f' || stop[-1] == 'F') --stop;
      T v{};
      auto res = std::from_chars(digits, stop, v, std::chars_format::general);
      if (res.ptr == stop && stop > digits &&
          (res.ec == std::errc() || res.ec == std::errc::result_out_of_range)) {
        if (res.ec == std::errc::result_out_of_range) {
          // Java rounds overflow to infinity and underflow to zero.
          bool big = false;
          for (const char* q = digits; q < stop && *q != 'e' && *q != 'E'; ++q) {
            if (*q >= '1' && *q <= '9') { big = true; break; }
          }
          const char* ex = digits;
          while (ex < stop && *ex != 'e' && *ex != 'E') ++ex;
          if (ex < stop && ex + 1 < stop && ex[1] == '-') big = false;
          v = big ? std::numeric_limits<T>::infinity() : T{0};
        }
        out = negative ? -v : v;
        return true;
      }
    } else {
      std::string_view word(digits, static_cast<size_t>(e - digits));
      if (word == "NaN") {
        out = std::numeric_limits<T>::quiet_NaN();
        return true;
      }
      if (word == "Infinity") {
        out = negative ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
        return true;
      }
    }
  }
  if (whole == o.nan_value) {
    out = std::numeric_limits<T>::quiet_NaN();
    return true;
  }
  if (whole == o.positive_inf) {
    out = std::numeric_limits<T>::infinity();
    return true;
  }
  if (whole == o.negative_inf) {
    out = -std::numeric_limits<T>::infinity();
    return true;
  }
  return false;
}

// Scala's String.toBoolean: "true" / "false", any case.
inline bool parse_java_boolean(const char* p, size_t n, uint8_t& out) {
  auto lower_eq = [&](const char* word) {
    for (size_t i = 0; i < n; ++i) {
      char c = p[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != word[i]) return false;
    }
    return true;
  };
  if (n == 4 && lower_eq("true")) { out = 1; return true; }
  if (n == 5 && lower_eq("false")) { out = 0; return true; }
  return false;
}

inline int two_digits(const char* p) { return (p[0] - '0') * 10 + (p[1] - '0'); }
inline bool all_digits(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] < '0' || p[i] > '9') return false;
  }
  return true;
}

// The common "yyyy-MM-dd" shape, parsed without the general machinery.
inline bool parse_iso_date_fast(const char* p, size_t n, int32_t& days) {
  if (n != 10 || p[4] != '-' || p[7] != '-' || !all_digits(p, 4) || !all_digits(p + 5, 2) ||
      !all_digits(p + 8, 2)) {
    return false;
  }
  int year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + two_digits(p + 2);
  int month = two_digits(p + 5);
  int day = two_digits(p + 8);
  if (!is_valid_civil(year, month, day)) return false;
  days = days_from_civil(year, month, day);
  return true;
}

// "yyyy-MM-dd HH:mm:ss" / "yyyy-MM-ddTHH:mm:ss" in the given zone, without the general machinery.
inline bool parse_iso_timestamp_fast(const char* p, size_t n, const TimeZone& tz, int64_t& micros) {
  if (n != 19 || (p[10] != ' ' && p[10] != 'T') || p[13] != ':' || p[16] != ':' ||
      !all_digits(p + 11, 2) || !all_digits(p + 14, 2) || !all_digits(p + 17, 2)) {
    return false;
  }
  if (p[4] != '-' || p[7] != '-' || !all_digits(p, 4) || !all_digits(p + 5, 2) || !all_digits(p + 8, 2)) {
    return false;
  }
  int year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + two_digits(p + 2);
  int month = two_digits(p + 5), day = two_digits(p + 8);
  int hour = two_digits(p + 11), minute = two_digits(p + 14), second = two_digits(p + 17);
  if (!is_valid_civil(year, month, day) || hour > 23 || minute > 59 || second > 59) return false;
  CivilDateTime t{CivilDate{year, month, day}, hour, minute, second, 0};
  micros = civil_to_micros(t, tz);
  return true;
}

}  // namespace ember::csv_internal
