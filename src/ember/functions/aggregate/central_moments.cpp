// Spark's CentralMomentAgg family: stddev / std / stddev_samp, stddev_pop, variance / var_samp,
// var_pop, skewness and kurtosis. Each keeps Spark's buffer (n, avg, m2[, m3[, m4]]) in doubles,
// updated one value at a time with the same recurrences Spark uses (Welford's, extended to the
// third and fourth moments as in Meng's "Simpler Online Updates for Arbitrary-Order Central
// Moments") and merged with Chan's pairwise formulas, written in the same order of operations as
// Spark's expressions so results agree bit for bit wherever the order of rows does.
//
// Results (Spark 4 defaults, spark.sql.legacy.statisticalAggregate=false):
//   no non-null rows          -> NULL for every function;
//   stddev_samp / var_samp    -> NULL for a single row (NaN under the legacy flag);
//   skewness / kurtosis       -> NULL when m2 == 0 (all values equal; NaN under the legacy flag);
//   otherwise sqrt(m2/(n-1)), sqrt(m2/n), m2/(n-1), m2/n, sqrt(n)*m3/sqrt(m2^3), n*m4/m2^2 - 3.
// Inputs are cast to double by the analyzer (numbers, strings and NULL; anything else is
// Spark's DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE requiring DOUBLE). ember does not read the
// legacy flag: its results are always Spark 4's default ones.
#include "ember/functions/aggregate/aggregate_common.h"
#include "ember/functions/registry.h"

namespace ember::agg {

namespace {

// The moment buffer. Only the first kOrder + 1 fields are read or shipped for a kernel of that
// order; the others stay zero (Spark trims its buffer the same way).
struct MomentState {
  double n;
  double avg;
  double m2;
  double m3;
  double m4;
};

enum class MomentResult { kStddevSamp, kStddevPop, kVarSamp, kVarPop, kSkewness, kKurtosis };

constexpr int order_of(MomentResult r) {
  return r == MomentResult::kSkewness ? 3 : r == MomentResult::kKurtosis ? 4 : 2;
}

// One value x into s: Spark's updateExpressions, term by term.
template <int kOrder>
inline void add_value(MomentState& s, double x) {
  double new_n = s.n + 1.0;
  double delta = x - s.avg;
  double delta_n = delta / new_n;
  double new_avg = s.avg + delta_n;
  double new_m2 = s.m2 + delta * (delta - delta_n);
  if constexpr (kOrder >= 3) {
    double delta2 = delta * delta;
    double delta_n2 = delta_n * delta_n;
    double new_m3 = s.m3 - 3.0 * delta_n * new_m2 + delta * (delta2 - delta_n2);
    if constexpr (kOrder >= 4) {
      s.m4 = s.m4 - 4.0 * delta_n * new_m3 - 6.0 * delta_n2 * new_m2 +
             delta * (delta * delta2 - delta_n * delta_n2);
    }
    s.m3 = new_m3;
  }
  s.n = new_n;
  s.avg = new_avg;
  s.m2 = new_m2;
}

// Merges the partial buffer `r` into `l`: Spark's mergeExpressions (l = buffer, r = input).
template <int kOrder>
inline void merge_state(MomentState& l, const MomentState& r) {
  double n1 = l.n;
  double n2 = r.n;
  double new_n = n1 + n2;
  double delta = r.avg - l.avg;
  double delta_n = new_n == 0.0 ? 0.0 : delta / new_n;
  double new_avg = l.avg + delta_n * n2;
  double new_m2 = l.m2 + r.m2 + delta * delta_n * n1 * n2;
  if constexpr (kOrder >= 3) {
    double new_m3 = l.m3 + r.m3 + delta_n * delta_n * delta * n1 * n2 * (n1 - n2) +
                    3.0 * delta_n * (n1 * r.m2 - n2 * l.m2);
    if constexpr (kOrder >= 4) {
      l.m4 = l.m4 + r.m4 + delta_n * delta_n * delta_n * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2) +
             6.0 * delta_n * delta_n * (n1 * n1 * r.m2 + n2 * n2 * l.m2) +
             4.0 * delta_n * (n1 * r.m3 - n2 * l.m3);
    }
    l.m3 = new_m3;
  }
  l.n = new_n;
  l.avg = new_avg;
  l.m2 = new_m2;
}

template <MomentResult kResult>
class CentralMomentKernel final : public AggregateKernel {
  static constexpr int kOrder = order_of(kResult);
  static constexpr size_t kFields = static_cast<size_t>(kOrder) + 1;

 public:
  size_t state_size() const override { return sizeof(MomentState); }
  void init(uint8_t* state) const override {
    *reinterpret_cast<MomentState*>(state) = {0.0, 0.0, 0.0, 0.0, 0.0};
  }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    const Vector& a = *args[0];
    if (a.is_constant()) {
      if (a.is_null(0)) return;
      double x = a.values<double>()[0];
      for (size_t i = 0; i < n; ++i) add_value<kOrder>(state_at<MomentState>(rows, i, offset), x);
      return;
    }
    const double* v = a.values<double>();
    const uint8_t* valid = a.validity();
    if (valid == nullptr) {
      for (size_t i = 0; i < n; ++i) add_value<kOrder>(state_at<MomentState>(rows, i, offset), v[i]);
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      if (bit_is_set(valid, i)) add_value<kOrder>(state_at<MomentState>(rows, i, offset), v[i]);
    }
  }

  // Spark's buffer, field by field: n, avg, m2[, m3[, m4]], all non-null doubles.
  std::vector<DataType> intermediate_types() const override {
    return std::vector<DataType>(kFields, DataType::float64());
  }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    double* cols[5] = {};
    for (size_t f = 0; f < kFields; ++f)
      cols[f] = fresh_out(out, f, kFields, DataType::float64(), n).values<double>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<MomentState>(rows, i, offset);
      const double fields[5] = {s.n, s.avg, s.m2, s.m3, s.m4};
      for (size_t f = 0; f < kFields; ++f) cols[f][i] = fields[f];
    }
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    VectorPtr cols[5];
    for (size_t f = 0; f < kFields; ++f) cols[f] = flatten(intermediate[f]);
    for (size_t i = 0; i < n; ++i) {
      // A null buffer never comes from write_intermediate; skip one rather than read garbage.
      if (cols[0]->is_null(i)) continue;
      MomentState r{0.0, 0.0, 0.0, 0.0, 0.0};
      double* fields[5] = {&r.n, &r.avg, &r.m2, &r.m3, &r.m4};
      for (size_t f = 0; f < kFields; ++f) *fields[f] = cols[f]->values<double>()[i];
      merge_state<kOrder>(state_at<MomentState>(rows, i, offset), r);
    }
  }

  // Reads the state only, so the window operator may keep updating it afterwards.
  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    double* dst = out.values<double>();
    for (size_t i = 0; i < n; ++i) {
      const auto& s = state_at<MomentState>(rows, i, offset);
      double r = 0.0;
      if (!evaluate(s, r)) {
        out.set_null(i);
        continue;
      }
      dst[i] = r;
    }
  }

 private:
  // Spark's evaluateExpression; false means NULL (no rows, or Spark 4's null for a division by
  // zero).
  static bool evaluate(const MomentState& s, double& r) {
    if (s.n == 0.0) return false;
    switch (kResult) {
      case MomentResult::kStddevPop: r = std::sqrt(s.m2 / s.n); return true;
      case MomentResult::kVarPop: r = s.m2 / s.n; return true;
      case MomentResult::kStddevSamp:
        if (s.n == 1.0) return false;
        r = std::sqrt(s.m2 / (s.n - 1.0));
        return true;
      case MomentResult::kVarSamp:
        if (s.n == 1.0) return false;
        r = s.m2 / (s.n - 1.0);
        return true;
      case MomentResult::kSkewness:
        if (s.m2 == 0.0) return false;
        r = std::sqrt(s.n) * s.m3 / std::sqrt(s.m2 * s.m2 * s.m2);
        return true;
      case MomentResult::kKurtosis:
        if (s.m2 == 0.0) return false;
        r = s.n * s.m4 / (s.m2 * s.m2) - 3.0;
        return true;
    }
    return false;
  }
};

// Spark's ImplicitCastInputTypes to DoubleType: numbers (decimals included), strings and NULL
// are cast; booleans, dates, timestamps, binary and arrays are rejected.
DataType moment_input(const std::string& fn, const DataType& t) {
  if (t.is_numeric() || t.id() == TypeId::kString || t.id() == TypeId::kNull) return DataType::float64();
  throw_type_mismatch(fn, "DOUBLE", t);
}

template <MomentResult kResult>
BoundAggregate bind_moment(const std::string& fn, const std::vector<DataType>& args, bool distinct) {
  BoundAggregate b;
  b.result_type = DataType::float64();
  b.arg_types = {moment_input(fn, args[0])};
  b.kernel = std::make_shared<CentralMomentKernel<kResult>>();
  if (distinct) {
    b.kernel = make_distinct_kernel(b.arg_types, b.kernel, /*count_only=*/false);
    b.supports_partial = false;
  }
  return b;
}

#define EMBER_MOMENT_BINDER(fn_name, result)                                                            \
  BoundAggregate bind_##fn_name(const std::vector<DataType>& args, bool distinct, const BindContext&) { \
    return bind_moment<MomentResult::result>(#fn_name, args, distinct);                                 \
  }
EMBER_MOMENT_BINDER(stddev, kStddevSamp)
EMBER_MOMENT_BINDER(std, kStddevSamp)
EMBER_MOMENT_BINDER(stddev_samp, kStddevSamp)
EMBER_MOMENT_BINDER(stddev_pop, kStddevPop)
EMBER_MOMENT_BINDER(variance, kVarSamp)
EMBER_MOMENT_BINDER(var_samp, kVarSamp)
EMBER_MOMENT_BINDER(var_pop, kVarPop)
EMBER_MOMENT_BINDER(skewness, kSkewness)
EMBER_MOMENT_BINDER(kurtosis, kKurtosis)
#undef EMBER_MOMENT_BINDER

}  // namespace

void register_central_moment_aggregates(FunctionRegistry& r) {
  // Each name is its own definition (rather than an alias) so the type-mismatch message names
  // the function the user called, as Spark's does.
  r.add(AggregateDef{"stddev", 1, 1, &bind_stddev});
  r.add(AggregateDef{"std", 1, 1, &bind_std});
  r.add(AggregateDef{"stddev_samp", 1, 1, &bind_stddev_samp});
  r.add(AggregateDef{"stddev_pop", 1, 1, &bind_stddev_pop});
  r.add(AggregateDef{"variance", 1, 1, &bind_variance});
  r.add(AggregateDef{"var_samp", 1, 1, &bind_var_samp});
  r.add(AggregateDef{"var_pop", 1, 1, &bind_var_pop});
  r.add(AggregateDef{"skewness", 1, 1, &bind_skewness});
  r.add(AggregateDef{"kurtosis", 1, 1, &bind_kurtosis});
}

}  // namespace ember::agg
