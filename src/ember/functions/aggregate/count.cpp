// count(expr, ...): the number of rows where every argument is non-null; bigint, never null.
#include "ember/functions/aggregate/aggregate_common.h"

namespace ember::agg {

namespace {

class CountKernel final : public CounterKernel {
 public:
  explicit CountKernel(size_t num_args) : num_args_(num_args) {}

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    // Collect the arguments that can be null; a constant null argument means no row counts.
    std::vector<const uint8_t*> bitmaps;
    for (const VectorPtr& a : args) {
      if (a->is_constant()) {
        if (a->is_null(0)) return;
      } else if (a->validity() != nullptr) {
        bitmaps.push_back(a->validity());
      }
    }
    if (bitmaps.empty()) {
      for (size_t i = 0; i < n; ++i) ++state_at<int64_t>(rows, i, offset);
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      bool all = true;
      for (const uint8_t* b : bitmaps) all &= bit_is_set(b, i);
      state_at<int64_t>(rows, i, offset) += all ? 1 : 0;
    }
  }

 private:
  size_t num_args_;
};

}  // namespace

std::shared_ptr<const AggregateKernel> make_count_kernel(size_t num_args) {
  return std::make_shared<CountKernel>(num_args);
}

}  // namespace ember::agg
