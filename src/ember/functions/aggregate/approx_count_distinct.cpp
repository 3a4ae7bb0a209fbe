// approx_count_distinct(col[, rsd = 0.05]): Spark's HyperLogLogPlusPlus. bigint, never null (0
// for no rows); null values are skipped. The optional rsd must be a double (or decimal) literal
// (Spark: "The second argument should be a double literal.", _LEGACY_ERROR_TEMP_1104); an rsd
// that gives fewer than 4 bits of precision (over 39%) is Spark's FAILED_FUNCTION_CALL, and one
// below ember's floor (precision over 20, rsd under ~0.0011) is rejected as well.
//
// The state is the group's registers inline in its state row (2^p bytes: 512 at the default
// rsd); partial states travel as one BINARY column holding those bytes and merge by
// register-wise max, so the estimate of a partitioned aggregate equals the single-pass one.
// Values are hashed exactly as Spark hashes them (spark_xxhash64.h), so the estimates are
// Spark's, value for value, for every flat type.
#include <cstring>

#include "ember/functions/aggregate/aggregate_common.h"
#include "ember/functions/aggregate/hyperloglog_plus_plus.h"
#include "ember/functions/aggregate/spark_xxhash64.h"
#include "ember/functions/registry.h"
#include "ember/types/decimal.h"

namespace ember::agg {

namespace {

constexpr uint64_t kSparkHllSeed = 42;
constexpr double kDefaultRelativeSd = 0.05;

class ApproxCountDistinctKernel final : public AggregateKernel {
 public:
  explicit ApproxCountDistinctKernel(int precision) : hll_(precision) {}

  size_t state_size() const override { return hll_.num_registers(); }
  void init(uint8_t* state) const override { std::memset(state, 0, hll_.num_registers()); }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    const Vector& a = *args[0];
    if (a.type().id() == TypeId::kNull || n == 0) return;
    hashes_.resize(n);
    spark_xxhash64_rows(a, n, kSparkHllSeed, hashes_.data());
    const uint64_t* h = hashes_.data();
    if (!a.may_have_nulls()) {
      for (size_t i = 0; i < n; ++i) hll_.add(rows[i] + offset, h[i]);
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      if (!a.is_null(i)) hll_.add(rows[i] + offset, h[i]);
    }
  }

  std::vector<DataType> intermediate_types() const override { return {DataType::binary()}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    Vector& o = fresh_out(out, 0, 1, DataType::binary(), n);
    o.reserve_chars(n * hll_.num_registers());
    for (size_t i = 0; i < n; ++i) {
      o.set_string(i,
                   std::string_view(reinterpret_cast<const char*>(rows[i] + offset), hll_.num_registers()));
    }
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    const Vector& v = *intermediate[0];
    for (size_t i = 0; i < n; ++i) {
      if (v.is_null(i)) continue;
      std::string_view bytes = v.string_at(i);
      EMBER_CHECK(bytes.size() == hll_.num_registers(),
                  "HyperLogLog++ partial state of " + std::to_string(bytes.size()) + " bytes");
      hll_.merge(rows[i] + offset, reinterpret_cast<const uint8_t*>(bytes.data()));
    }
  }

  // Reads the registers only.
  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    int64_t* dst = out.values<int64_t>();
    for (size_t i = 0; i < n; ++i) dst[i] = hll_.estimate(rows[i] + offset);
  }

 private:
  HyperLogLogPlusPlus hll_;
  // Kernels are shared by every task, so the per-batch hash buffer is per thread.
  static thread_local std::vector<uint64_t> hashes_;
};

thread_local std::vector<uint64_t> ApproxCountDistinctKernel::hashes_;

// The rsd literal: Spark's HyperLogLogPlusPlus.validateDoubleLiteral accepts a double or decimal
// literal only.
double relative_sd_arg(const std::vector<DataType>& args, const BindContext& ctx) {
  if (args.size() < 2) return kDefaultRelativeSd;
  const std::optional<Value>* lit = ctx.literals.size() > 1 ? &ctx.literals[1] : nullptr;
  bool literal = lit != nullptr && lit->has_value() && !(*lit)->is_null();
  if (literal && args[1].id() == TypeId::kDouble) return (*lit)->as_double();
  if (literal && args[1].id() == TypeId::kDecimal)
    return decimal_to_double((*lit)->as_decimal(), args[1].scale());
  throw_error(ErrorKind::kAnalysis, "_LEGACY_ERROR_TEMP_1104",
              "The second argument should be a double literal.");
}

BoundAggregate bind_approx_count_distinct(const std::vector<DataType>& args, bool distinct,
                                          const BindContext& ctx) {
  double rsd = relative_sd_arg(args, ctx);
  int p = HyperLogLogPlusPlus::precision_for(rsd);
  if (p < HyperLogLogPlusPlus::kMinPrecision) {
    throw_error(
        ErrorKind::kAnalysis, "FAILED_FUNCTION_CALL",
        "Failed preparing of the function `approx_count_distinct` for call. Please, double check "
        "function's arguments. HLL++ requires at least 4 bits for addressing. Use a lower error, at most "
        "39%. SQLSTATE: 38000");
  }
  if (p > HyperLogLogPlusPlus::kMaxPrecision) {
    throw_error(
        ErrorKind::kAnalysis, "FAILED_FUNCTION_CALL",
        "Failed preparing of the function `approx_count_distinct` for call. Please, double check "
        "function's arguments. ember's approx_count_distinct supports a relative standard deviation down "
        "to 0.0011 (2^20 registers per group); got " +
            std::to_string(rsd) + ". SQLSTATE: 38000");
  }
  // approx_count_distinct(DISTINCT x) equals approx_count_distinct(x): the sketch ignores repeats.
  BoundAggregate b;
  b.result_type = DataType::int64();
  b.arg_types = args;
  b.nullable = false;
  b.kernel = std::make_shared<ApproxCountDistinctKernel>(p);
  return b;
}

}  // namespace

void register_approx_count_distinct_aggregate(FunctionRegistry& r) {
  r.add(AggregateDef{"approx_count_distinct", 1, 2, &bind_approx_count_distinct});
}

}  // namespace ember::agg
