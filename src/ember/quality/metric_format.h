#pragma once
// How data-quality reports print a metric or a bound: integers without a fraction ("1", "2000"),
// other numbers with Java's shortest round-trip digits ("0.95", "1.0E-4").
#include <optional>
#include <string>

#include "ember/types/value.h"

namespace ember::quality {

std::string format_metric(double x);

// For messages a person reads: integers as they are, other numbers to 6 significant digits
// ("0.975667", "187"). Reports keep the exact value beside it.
std::string format_readable(double x);

// A metric read from an aggregate's result: numbers, booleans (1/0), dates (days) and timestamps
// (microseconds) as a double; null (or a type without a numeric reading) as nullopt.
std::optional<double> metric_value(const Value& v);

}  // namespace ember::quality
