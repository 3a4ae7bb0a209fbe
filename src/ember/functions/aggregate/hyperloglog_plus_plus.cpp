#include "ember/functions/aggregate/hyperloglog_plus_plus.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "ember/common/error.h"

namespace ember::agg {

namespace {

// Points the bias of a raw estimate is interpolated from (Spark's K).
constexpr size_t kNeighbours = 6;

// Java's Math.round for the non-negative estimates: the nearest long, halves rounded up.
int64_t round_half_up(double x) {
  double r = std::floor(x);
  if (x - r >= 0.5) r += 1.0;
  return static_cast<int64_t>(r);
}

// The index Java's Arrays.binarySearch finds for `key`, or the insertion point it reports when
// the key is absent. The paper's tables are not strictly ascending in a few places (p = 5 and 6),
// so only the very same probe sequence lands on the very same neighbours as Spark.
size_t java_binary_search(const double* a, size_t size, double key) {
  int64_t low = 0;
  int64_t high = static_cast<int64_t>(size) - 1;
  while (low <= high) {
    int64_t mid = (low + high) / 2;
    double v = a[mid];
    if (v < key) {
      low = mid + 1;
    } else if (v > key) {
      high = mid - 1;
    } else {
      return static_cast<size_t>(mid);  // NaN keys never reach this: estimates are finite
    }
  }
  return static_cast<size_t>(low);
}

}  // namespace

int HyperLogLogPlusPlus::precision_for(double relative_sd) {
  if (!(relative_sd > 0.0)) return INT_MIN;
  double p = std::ceil(2.0 * std::log(1.106 / relative_sd) / std::log(2.0));
  if (p > 1e6) return INT_MAX;
  return static_cast<int>(p);
}

HyperLogLogPlusPlus::HyperLogLogPlusPlus(int p)
    : p_(p), m_(size_t{1} << p), idx_shift_(64 - p), w_padding_(uint64_t{1} << (p - 1)) {
  EMBER_CHECK(p >= kMinPrecision && p <= kMaxPrecision, "HyperLogLog++ precision " + std::to_string(p));
  auto m = static_cast<double>(m_);
  switch (p) {
    case 4: alpha_m2_ = 0.673 * m * m; break;
    case 5: alpha_m2_ = 0.697 * m * m; break;
    case 6: alpha_m2_ = 0.709 * m * m; break;
    default: alpha_m2_ = (0.7213 / (1.0 + 1.079 / m)) * m * m; break;
  }
}

void HyperLogLogPlusPlus::merge(uint8_t* into, const uint8_t* from) const {
  for (size_t j = 0; j < m_; ++j) into[j] = std::max(into[j], from[j]);
}

double HyperLogLogPlusPlus::estimate_bias(double e) const {
  const HllBiasTable& table = kHllBiasTables[p_ - kMinPrecision];
  const double* estimates = table.raw_estimates;
  const size_t count = table.size;
  size_t nearest = java_binary_search(estimates, count, e);
  auto distance = [&](size_t i) {
    double diff = e - estimates[i];
    return diff * diff;
  };
  // Slide a window of K points right while its next point is closer than its first.
  size_t low = nearest + 1 >= kNeighbours ? nearest + 1 - kNeighbours : 0;
  size_t high = std::min(low + kNeighbours, count);
  while (high < count && distance(high) < distance(low)) {
    ++low;
    ++high;
  }
  double bias_sum = 0.0;
  for (size_t i = low; i < high; ++i) bias_sum += table.biases[i];
  return bias_sum / static_cast<double>(high - low);
}

int64_t HyperLogLogPlusPlus::estimate(const uint8_t* registers) const {
  // Summed in register order, as Spark does, so the floating-point sum is the same.
  double z_inverse = 0.0;
  double zeros = 0.0;
  for (size_t j = 0; j < m_; ++j) {
    uint8_t r = registers[j];
    z_inverse += 1.0 / static_cast<double>(uint64_t{1} << r);
    if (r == 0) zeros += 1.0;
  }
  const auto m = static_cast<double>(m_);
  const double e = alpha_m2_ / z_inverse;
  auto bias_corrected = [&] { return p_ < 19 && e < 5.0 * m ? e - estimate_bias(e) : e; };
  double estimate;
  if (zeros > 0.0) {
    double h = m * std::log(m / zeros);
    bool linear = (p_ < 19 && h <= kHllLinearCountingThresholds[p_ - kMinPrecision]) || e <= 2.5 * m;
    estimate = linear ? h : bias_corrected();
  } else {
    estimate = bias_corrected();
  }
  return round_half_up(estimate);
}

}  // namespace ember::agg
