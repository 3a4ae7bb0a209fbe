#pragma once
// HyperLogLog++ as Spark's HyperLogLogPlusPlusHelper computes it (Heule, Nunkesser and Hall,
// "HyperLogLog in Practice"): the sketch behind approx_count_distinct.
//
//  - precision p = ceil(2 * log2(1.106 / rsd)), m = 2^p registers; Spark requires p >= 4
//    (rsd <= 39%). ember also caps p at kMaxPrecision (20, rsd >= ~0.0011, 1 MiB of registers
//    per group): Spark runs out of memory compiling its buffer a step beyond that.
//  - a value's 64-bit hash x (spark_xxhash64.h, seed 42) picks register x >>> (64 - p) and
//    offers it 1 + the number of leading zeros of (x << p | 1 << (p - 1)); a register keeps the
//    largest offer. Partial sketches merge by register-wise max, so merging is order-free and the
//    result of a partitioned aggregate is exactly the single-pass result.
//  - the estimate is Spark's: E = alpha_m * m^2 / sum(2^-M[j]); when some register is zero,
//    linear counting H = m * ln(m / V) is used if H is under the paper's threshold for p (p < 19)
//    or E <= 2.5 m; otherwise E minus the bias interpolated from the paper's tables over the
//    K = 6 nearest raw estimates (only for p < 19 and E < 5 m); rounded half up to a long.
// Registers are kept one per byte (Spark packs ten 6-bit registers per long); the values, and so
// the estimates, are the same.
#include <cstddef>
#include <cstdint>

namespace ember::agg {

class HyperLogLogPlusPlus {
 public:
  static constexpr int kMinPrecision = 4;
  static constexpr int kMaxPrecision = 20;

  // Spark's precision for a relative standard deviation; may lie outside [kMin, kMax]Precision
  // (callers reject those), INT32_MIN for a rsd that is not a positive number.
  static int precision_for(double relative_sd);

  // kMinPrecision <= p <= kMaxPrecision.
  explicit HyperLogLogPlusPlus(int p);

  int precision() const { return p_; }
  // m: the number of registers, one byte each.
  size_t num_registers() const { return m_; }

  // Offers one hashed value to `registers` (num_registers() bytes).
  void add(uint8_t* registers, uint64_t hash) const {
    auto idx = static_cast<size_t>(hash >> idx_shift_);
    auto pw = static_cast<uint8_t>(__builtin_clzll((hash << p_) | w_padding_) + 1);
    if (pw > registers[idx]) registers[idx] = pw;
  }
  // into[j] = max(into[j], from[j]) for every register.
  void merge(uint8_t* into, const uint8_t* from) const;
  // Spark's estimate of the number of distinct values offered.
  int64_t estimate(const uint8_t* registers) const;

 private:
  double estimate_bias(double e) const;

  int p_;
  size_t m_;
  int idx_shift_;
  uint64_t w_padding_;
  double alpha_m2_;
};

// The paper's bias-correction data (hyperloglog_bias_tables.cpp) for p = 4 .. 18, index p - 4.
struct HllBiasTable {
  const double* raw_estimates;  // ascending
  const double* biases;         // the bias measured at each raw estimate
  size_t size;
};
constexpr int kHllBiasTablePrecisions = 15;
extern const HllBiasTable kHllBiasTables[kHllBiasTablePrecisions];
extern const double kHllLinearCountingThresholds[kHllBiasTablePrecisions];

}  // namespace ember::agg
