// spark_partition_id() and monotonically_increasing_id(): values that depend on where a row is
// computed, so they are non-deterministic (is_deterministic in expr/expression.cpp) and the
// optimizer never moves them across a filter or an exchange.
#include "ember/functions/registry.h"
#include "ember/functions/scalar/kernel_templates.h"

namespace ember {

namespace {

using fn::bound;
using fn::make_kernel;

BoundFunction bind_spark_partition_id(const std::vector<DataType>&, const BindContext&) {
  auto kernel = make_kernel([](const std::vector<VectorPtr>&, size_t n, const EvalContext& ctx) {
    auto out = Vector::make(DataType::int32(), n);
    int32_t* o = out->values<int32_t>();
    for (size_t i = 0; i < n; ++i) o[i] = ctx.partition_index;
    return out;
  });
  return bound(DataType::int32(), {}, kernel, false, /*nullable=*/false);
}

// Spark's MonotonicallyIncreasingID: the partition index in the upper 31 bits, the row's position
// within the partition in the lower 33.
BoundFunction bind_monotonically_increasing_id(const std::vector<DataType>&, const BindContext&) {
  auto kernel = make_kernel([](const std::vector<VectorPtr>&, size_t n, const EvalContext& ctx) {
    auto out = Vector::make(DataType::int64(), n);
    int64_t* o = out->values<int64_t>();
    const int64_t base = (static_cast<int64_t>(ctx.partition_index) << 33) + ctx.row_offset;
    if (ctx.row_selection) {
      const uint32_t* rows = ctx.row_selection->data();
      for (size_t i = 0; i < n; ++i) o[i] = base + rows[i];
    } else {
      for (size_t i = 0; i < n; ++i) o[i] = base + static_cast<int64_t>(i);
    }
    return out;
  });
  return bound(DataType::int64(), {}, kernel, false, /*nullable=*/false);
}

}  // namespace

void register_partition_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"spark_partition_id", 0, 0, &bind_spark_partition_id});
  r.add(FunctionDef{"monotonically_increasing_id", 0, 0, &bind_monotonically_increasing_id});
}

}  // namespace ember
