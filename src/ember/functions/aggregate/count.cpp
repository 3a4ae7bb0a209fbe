// count(expr, ...): the number of rows where every argument is non-null; bigint, never null.
#include "ember/functions/aggregate/aggregate_common.h"

namespace ember::agg {

namespace {

class CountKernel final : public AggregateKernel {
 public:
  explicit CountKernel(size_t num_args) : num_args_(num_args) {}

  size_t state_size() const override { return sizeof(int64_t); }
  void init(uint8_t* state) const override { *reinterpret_cast<int64_t*>(state) = 0; }

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

  std::vector<DataType> intermediate_types() const override { return {DataType::int64()}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    int64_t* dst = fresh_out(out, 0, 1, DataType::int64(), n).values<int64_t>();
    for (size_t i = 0; i < n; ++i) dst[i] = state_at<int64_t>(rows, i, offset);
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    VectorPtr v = flatten(intermediate[0]);
    const int64_t* src = v->values<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      if (!v->is_null(i)) state_at<int64_t>(rows, i, offset) += src[i];
    }
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    int64_t* dst = out.values<int64_t>();
    for (size_t i = 0; i < n; ++i) dst[i] = state_at<int64_t>(rows, i, offset);
  }

 private:
  size_t num_args_;
};

}  // namespace

std::shared_ptr<const AggregateKernel> make_count_kernel(size_t num_args) {
  return std::make_shared<CountKernel>(num_args);
}

}  // namespace ember::agg
