// count_if(cond): the number of rows where cond is true; bigint, never null (0 for no rows).
// Spark rewrites it to count(nullif(cond, false)), so null and false rows do not count. The
// argument must be a boolean: a string is cast to boolean (under ANSI a malformed one fails with
// CAST_INVALID_INPUT, as in Spark), NULL counts nothing, anything else is Spark's
// DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE requiring BOOLEAN.
#include "ember/functions/aggregate/aggregate_common.h"
#include "ember/functions/registry.h"

namespace ember::agg {

namespace {

class CountIfKernel final : public AggregateKernel {
 public:
  size_t state_size() const override { return sizeof(int64_t); }
  void init(uint8_t* state) const override { *reinterpret_cast<int64_t*>(state) = 0; }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    const Vector& a = *args[0];
    if (a.type().id() != TypeId::kBoolean) return;  // count_if(NULL) counts nothing
    if (a.is_constant()) {
      if (a.is_null(0) || a.values<uint8_t>()[0] == 0) return;
      for (size_t i = 0; i < n; ++i) ++state_at<int64_t>(rows, i, offset);
      return;
    }
    const uint8_t* v = a.values<uint8_t>();
    const uint8_t* valid = a.validity();
    if (valid == nullptr) {
      for (size_t i = 0; i < n; ++i) state_at<int64_t>(rows, i, offset) += v[i] != 0;
      return;
    }
    for (size_t i = 0; i < n; ++i) state_at<int64_t>(rows, i, offset) += (v[i] != 0) & bit_is_set(valid, i);
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
};

BoundAggregate bind_count_if(const std::vector<DataType>& args, bool distinct, const BindContext&) {
  const DataType& t = args[0];
  BoundAggregate b;
  b.result_type = DataType::int64();
  b.nullable = false;
  if (t.id() == TypeId::kBoolean || t.id() == TypeId::kString) {
    b.arg_types = {DataType::boolean()};
  } else if (t.id() == TypeId::kNull) {
    b.arg_types = {t};
  } else {
    throw_type_mismatch("count_if", "BOOLEAN", t);
  }
  b.kernel = std::make_shared<CountIfKernel>();
  if (distinct) {
    // count_if(DISTINCT c) is count(DISTINCT nullif(c, false)): 1 when some row is true.
    b.kernel = make_distinct_kernel(b.arg_types, b.kernel, /*count_only=*/false);
    b.supports_partial = false;
  }
  return b;
}

}  // namespace

void register_count_if_aggregate(FunctionRegistry& r) {
  r.add(AggregateDef{"count_if", 1, 1, &bind_count_if});
}

}  // namespace ember::agg
