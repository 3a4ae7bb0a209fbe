// count_if(cond): the number of rows where cond is true; bigint, never null (0 for no rows).
// Spark rewrites it to count(nullif(cond, false)), so null and false rows do not count. The
// argument must be a boolean: a string is cast to boolean (under ANSI a malformed one fails with
// CAST_INVALID_INPUT, as in Spark), NULL counts nothing, anything else is Spark's
// DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE requiring BOOLEAN.
#include "ember/functions/aggregate/aggregate_common.h"
#include "ember/functions/registry.h"

namespace ember::agg {

namespace {

class CountIfKernel final : public CounterKernel {
 public:
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
