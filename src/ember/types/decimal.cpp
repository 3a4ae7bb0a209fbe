#include "ember/types/decimal.h"

#include <cmath>
#include <cstdlib>

#include "ember/types/value_format.h"

namespace ember {

namespace {

constexpr int kMaxDigits = 38;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Spark trims string input with UTF8String.trimAll: ASCII controls and the space.
bool is_trimmed(char c) { return static_cast<unsigned char>(c) <= 0x20; }

using uint128_t = unsigned __int128;

uint128_t magnitude(int128_t v) {
  return v < 0 ? uint128_t{0} - static_cast<uint128_t>(v) : static_cast<uint128_t>(v);
}

}  // namespace

int128_t pow10_int128(int n) {
  static const auto table = [] {
    struct Table {
      int128_t v[kMaxDigits + 1];
    } t{};
    t.v[0] = 1;
    for (int i = 1; i <= kMaxDigits; ++i) t.v[i] = t.v[i - 1] * 10;
    return t;
  }();
  return table.v[n];
}

bool decimal_fits(int128_t unscaled, int precision) {
  return magnitude(unscaled) < static_cast<uint128_t>(pow10_int128(precision));
}

std::optional<int128_t> decimal_rescale(int128_t unscaled, int from_scale, int to_scale, int precision) {
  int128_t result;
  if (to_scale >= from_scale) {
    int shift = to_scale - from_scale;
    if (shift > kMaxDigits) return unscaled == 0 ? std::optional<int128_t>(0) : std::nullopt;
    if (__builtin_mul_overflow(unscaled, pow10_int128(shift), &result)) return std::nullopt;
  } else {
    int shift = from_scale - to_scale;
    if (shift > kMaxDigits) {
      result = 0;  // every digit is dropped and even a rounding carry cannot reach the result
    } else {
      int128_t divisor = pow10_int128(shift);
      result = unscaled / divisor;
      int128_t remainder = unscaled % divisor;
      // HALF_UP: a dropped part of at least one half rounds away from zero.
      if (magnitude(remainder) * 2 >= static_cast<uint128_t>(divisor)) result += unscaled < 0 ? -1 : 1;
    }
  }
  if (!decimal_fits(result, precision)) return std::nullopt;
  return result;
}

std::optional<int128_t> parse_decimal(std::string_view s, int precision, int scale) {
  size_t b = 0, e = s.size();
  while (b < e && is_trimmed(s[b])) ++b;
  while (e > b && is_trimmed(s[e - 1])) --e;
  s = s.substr(b, e - b);
  if (s.empty()) return std::nullopt;

  // java.math.BigDecimal's grammar: [sign] digits [. digits] [e [sign] digits], with at least one
  // digit in the significand.
  size_t i = 0;
  bool negative = false;
  if (s[i] == '+' || s[i] == '-') negative = s[i++] == '-';
  // The significand's first 38 significant digits are kept exactly (so it fits an unsigned
  // __int128 with room to double a remainder). A result that fits 38 digits never needs the
  // digits past those: they lie at or beyond its rounding position, where HALF_UP only looks at
  // the first dropped digit.
  uint128_t significand = 0;
  int significant_digits = 0;
  int64_t exponent = 0;          // value = significand * 10^exponent, up to the ignored digits
  int first_ignored_digit = -1;  // the first significant digit past the 38 kept
  bool any_digit = false, seen_point = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (!is_digit(c)) break;
    any_digit = true;
    if (significant_digits == 0 && c == '0') {
      if (seen_point) --exponent;
      continue;
    }
    if (significant_digits < kMaxDigits) {
      significand = significand * 10 + static_cast<uint128_t>(c - '0');
      ++significant_digits;
      if (seen_point) --exponent;
    } else {
      if (first_ignored_digit < 0) first_ignored_digit = c - '0';
      if (!seen_point) ++exponent;
    }
  }
  if (!any_digit) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return std::nullopt;
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    if (i >= s.size()) return std::nullopt;
    int64_t e10 = 0;
    for (; i < s.size(); ++i) {
      if (!is_digit(s[i])) return std::nullopt;
      if (e10 < 1'000'000'000) e10 = e10 * 10 + (s[i] - '0');
    }
    exponent += exp_negative ? -e10 : e10;
  }

  // Bring significand * 10^exponent to the target scale.
  if (significand == 0) return int128_t{0};
  int64_t shift = exponent + scale;  // multiply by 10^shift
  uint128_t result;
  if (shift >= 0) {
    // With ignored digits and shift > 0 they would have to appear in the result: overflow.
    if ((first_ignored_digit >= 0 && shift > 0) || shift > kMaxDigits) return std::nullopt;
    auto factor = static_cast<uint128_t>(pow10_int128(static_cast<int>(shift)));
    if (__builtin_mul_overflow(significand, factor, &result)) return std::nullopt;
    if (first_ignored_digit >= 5) ++result;  // HALF_UP at the last kept digit
  } else if (-shift > kMaxDigits) {
    result = 0;  // below 0.1 units of the last place: HALF_UP rounds to zero
  } else {
    auto divisor = static_cast<uint128_t>(pow10_int128(static_cast<int>(-shift)));
    result = significand / divisor;
    if ((significand % divisor) * 2 >= divisor) ++result;  // HALF_UP
  }
  if (result >= static_cast<uint128_t>(pow10_int128(precision))) return std::nullopt;
  int128_t signed_result = static_cast<int128_t>(result);
  return negative ? -signed_result : signed_result;
}

void append_decimal(std::string& out, int128_t unscaled, int scale) {
  char digits[48];
  int n = 0;
  uint128_t v = magnitude(unscaled);
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  while (n <= scale) digits[n++] = '0';  // at least one integer digit
  if (unscaled < 0) out += '-';
  for (int k = n - 1; k >= 0; --k) {
    out += digits[k];
    if (k == scale && scale > 0) out += '.';
  }
}

std::string format_decimal(int128_t unscaled, int scale) {
  std::string out;
  append_decimal(out, unscaled, scale);
  return out;
}

double decimal_to_double(int128_t unscaled, int scale) {
  // strtod rounds the exact decimal correctly, as BigDecimal.doubleValue does.
  std::string text;
  append_decimal(text, unscaled, 0);
  text += "e-";
  text += std::to_string(scale);
  return std::strtod(text.c_str(), nullptr);
}

std::optional<int128_t> decimal_from_double(double x, int precision, int scale) {
  if (!std::isfinite(x)) return std::nullopt;
  // Spark converts through BigDecimal(Double.toString(x)), so 1.005 rounds as the decimal it
  // prints as (to 1.01), not as its binary value 1.00499999999999989...
  return parse_decimal(format_double(x), precision, scale);
}

}  // namespace ember
