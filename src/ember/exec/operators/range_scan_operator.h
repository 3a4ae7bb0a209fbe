#pragma once
#include <algorithm>

#include "ember/exec/operator.h"

namespace ember {

// Produces the `id` column of spark.range(start, end, step) for one slice: element indices
// [first, last) of the sequence, as Spark's RangeExec splits it across partitions.
class RangeScanOperator final : public Operator {
 public:
  RangeScanOperator(int64_t start, int64_t step, int64_t first, int64_t last)
      : Operator("Range"), start_(start), step_(step), next_(first), last_(last) {}

 protected:
  bool produce(Batch& out) override {
    if (next_ >= last_) return false;
    const size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(kBatchSize), last_ - next_));
    auto v = Vector::make(DataType::int64(), n);
    int64_t* ids = v->values<int64_t>();
    const int64_t base = start_ + next_ * step_;
    for (size_t i = 0; i < n; ++i) ids[i] = base + static_cast<int64_t>(i) * step_;
    next_ += static_cast<int64_t>(n);
    out.columns = {v};
    out.num_rows = n;
    return true;
  }

 private:
  int64_t start_, step_, next_, last_;
};

// Number of elements of range(start, end, step).
inline int64_t range_length(int64_t start, int64_t end, int64_t step) {
  if (step > 0 && end > start) return (end - start + step - 1) / step;
  if (step < 0 && end < start) return (start - end - step - 1) / -step;
  return 0;
}

}  // namespace ember
