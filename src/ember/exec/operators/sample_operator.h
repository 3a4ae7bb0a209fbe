#pragma once
// Random sampling of a partition's rows (Spark's Sample): without replacement each row is kept
// with probability `fraction` (Bernoulli); with replacement each row appears k times, k drawn
// from Poisson(fraction). The random stream is seeded from (seed, partition), so the same input
// in the same order always gives the same sample, however often a task is recomputed.
#include <cmath>
#include <cstdint>

#include "ember/exec/operator.h"

namespace ember {

class SampleOperator final : public UnaryOperator {
 public:
  SampleOperator(OperatorPtr child, double fraction, bool with_replacement, int64_t seed, int partition)
      : UnaryOperator("Sample", std::move(child)),
        fraction_(fraction),
        with_replacement_(with_replacement),
        state_(static_cast<uint64_t>(seed) * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(partition) + 1) {}

 protected:
  bool produce(Batch& out) override {
    Batch in;
    while (child_->next(in)) {
      selection_.clear();
      for (size_t r = 0; r < in.num_rows; ++r) {
        if (!with_replacement_) {
          if (uniform() < fraction_) selection_.push_back(static_cast<uint32_t>(r));
          continue;
        }
        for (int k = poisson(); k > 0; --k) selection_.push_back(static_cast<uint32_t>(r));
      }
      if (selection_.empty()) continue;
      out = selection_.size() == in.num_rows && !with_replacement_ ? std::move(in)
                                                                    : in.select(selection_.data(), selection_.size());
      return true;
    }
    return false;
  }

 private:
  // splitmix64: a fast, well-mixed stream; uniform doubles in [0, 1).
  uint64_t next_u64() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Knuth's method; fractions are small (a sampling rate), so the loop is short.
  int poisson() {
    const double limit = std::exp(-fraction_);
    int k = 0;
    double p = uniform();
    while (p > limit) {
      ++k;
      p *= uniform();
    }
    return k;
  }

  double fraction_;
  bool with_replacement_;
  uint64_t state_;
  SelectionVector selection_;
};

}  // namespace ember
