#include "ember/types/value_format.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace ember {

namespace {

// Lays out shortest round-trip digits the way Java's Double.toString / Float.toString does.
// Java 19+ (JDK-4511638) prints the shortest digits that round-trip; older JDKs sometimes printed
// one digit more. std::to_chars gives exactly the shortest (closest on ties) digits, so we match
// the modern JDKs that Spark 4 runs on.
template <typename T>
void append_java_floating(std::string& out, T x) {
  if (std::isnan(x)) {
    out += "NaN";
    return;
  }
  if (std::isinf(x)) {
    out += x < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (std::signbit(x)) out += '-';
  if (x == 0) {
    out += "0.0";
    return;
  }
  char buf[64];
  T magnitude = std::fabs(x);
  auto result = std::to_chars(buf, buf + sizeof(buf), magnitude, std::chars_format::scientific);
  // Java's spec (JDK 19+) never picks a one-digit decimal: among the two-digit decimals that
  // round-trip it takes the closest, which is why Double.MIN_VALUE prints as 4.9E-324 rather
  // than 5.0E-324. Correctly rounding to two significant digits gives exactly that decimal.
  if (result.ptr - buf >= 2 && buf[1] == 'e') {
    result = std::to_chars(buf, buf + sizeof(buf), magnitude, std::chars_format::scientific, 1);
  }
  // buf holds "d[.ddd]e[+-]nn" (not NUL-terminated).
  const char* e = static_cast<const char*>(std::memchr(buf, 'e', static_cast<size_t>(result.ptr - buf)));
  std::string digits;
  for (const char* p = buf; p < e; ++p) {
    if (*p != '.') digits += *p;
  }
  // Trailing zeros carry no information; Java prints them only to fill "d.0".
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const char* exponent_text = e + 1;
  if (*exponent_text == '+') ++exponent_text;
  int exponent = 0;  // value = d.ddd * 10^exponent
  std::from_chars(exponent_text, result.ptr, exponent);
  int n = static_cast<int>(digits.size());

  // Java decides on the decimal it prints: plain notation for 10^-3 <= d < 10^7.
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      // Integer part is digits[0..exponent], padded with zeros.
      for (int k = 0; k <= exponent; ++k) out += k < n ? digits[static_cast<size_t>(k)] : '0';
      out += '.';
      if (exponent + 1 >= n) {
        out += '0';
      } else {
        out.append(digits, static_cast<size_t>(exponent + 1), std::string::npos);
      }
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    }
    return;
  }
  out += digits[0];
  out += '.';
  if (n > 1) {
    out.append(digits, 1, std::string::npos);
  } else {
    out += '0';
  }
  out += 'E';
  out += std::to_string(exponent);
}

}  // namespace

void append_double(std::string& out, double x) { append_java_floating(out, x); }

std::string format_double(double x) {
  std::string out;
  append_double(out, x);
  return out;
}

void append_float(std::string& out, float x) { append_java_floating(out, x); }

std::string format_float(float x) {
  std::string out;
  append_float(out, x);
  return out;
}

}  // namespace ember
