#include "ember/quality/metric_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "ember/types/value_format.h"

namespace ember::quality {

std::string format_metric(double x) {
  if (std::isfinite(x) && x == std::trunc(x) && std::fabs(x) < 1e15) {
    return std::to_string(static_cast<long long>(x));
  }
  return format_double(x);
}

std::string format_readable(double x) {
  if (std::isfinite(x) && x == std::trunc(x) && std::fabs(x) < 1e15) return format_metric(x);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", x);
  return buf;
}

std::optional<double> metric_value(const Value& v) {
  if (v.is_null()) return std::nullopt;
  const DataType& t = v.type();
  if (t.is_floating()) return v.as_double();
  if (t.is_integral() || t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp) {
    return static_cast<double>(v.as_int64());
  }
  if (t.id() == TypeId::kBoolean) return v.as_bool() ? 1.0 : 0.0;
  if (t.id() == TypeId::kDecimal) return std::strtod(v.to_string().c_str(), nullptr);
  return std::nullopt;
}

}  // namespace ember::quality
