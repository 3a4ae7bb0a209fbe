#pragma once
// Datetime and interval arithmetic behind + and - (and unary minus), with Spark's ANSI interval
// types: date - date, timestamp - timestamp, interval ± interval, date/timestamp ± interval.
#include <optional>
#include <vector>

#include "ember/functions/function.h"

namespace ember {

// The binding of `a op b` (op '+' or '-') when Spark resolves it as datetime or interval
// arithmetic; nullopt when neither argument is an interval and it is not date/timestamp minus
// date/timestamp, so ordinary numeric arithmetic applies.
std::optional<BoundFunction> bind_datetime_interval_arithmetic(char op, const std::vector<DataType>& args,
                                                               const BindContext& ctx);
// -interval (ARITHMETIC_OVERFLOW for the smallest value).
BoundFunction bind_interval_negative(const DataType& type);

}  // namespace ember
