#include "ember/quality/metric_format.h"

#include <cmath>
#include <cstdio>

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

}  // namespace ember::quality
