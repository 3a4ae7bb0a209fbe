#pragma once
// Decimal values: an __int128 unscaled integer with a (precision, scale) from the type, as in
// Arrow's decimal128 and Spark's DecimalType (precision <= 38).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ember/types/value.h"

namespace ember {

// 10^n for 0 <= n <= 38.
int128_t pow10_int128(int n);
// Does `unscaled` fit in `precision` digits?
bool decimal_fits(int128_t unscaled, int precision);
// Changes the scale, rounding HALF_UP when digits are dropped (Spark's rounding); nullopt on
// overflow of `precision`.
std::optional<int128_t> decimal_rescale(int128_t unscaled, int from_scale, int to_scale, int precision);
// Parses "123.45", "-0.5", "1e3", "  7 " into the given (precision, scale), rounding HALF_UP;
// nullopt when the text is not a number or does not fit.
std::optional<int128_t> parse_decimal(std::string_view s, int precision, int scale);
// "123.45" with exactly `scale` fraction digits (Spark's toString for decimals, no exponent).
std::string format_decimal(int128_t unscaled, int scale);
void append_decimal(std::string& out, int128_t unscaled, int scale);
double decimal_to_double(int128_t unscaled, int scale);
// Nearest decimal with the given scale (HALF_UP); nullopt when out of range or not finite.
std::optional<int128_t> decimal_from_double(double x, int precision, int scale);

}  // namespace ember
