#pragma once
// Spark's textual form of numbers, as CAST(x AS STRING), show() and the CSV writer print them.
#include <string>

namespace ember {

// Java's Double.toString: shortest digits that round-trip; "1.0", "0.001", "1.0E7", "1.0E-4",
// "NaN", "Infinity", "-Infinity", "-0.0".
std::string format_double(double x);
void append_double(std::string& out, double x);
// Java's Float.toString (shortest digits for a float).
std::string format_float(float x);
void append_float(std::string& out, float x);

}  // namespace ember
