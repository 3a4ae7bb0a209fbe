// percentile_approx(col, percentage[, accuracy = 10000]) and its alias approx_percentile: Spark's
// ApproximatePercentile over a Greenwald-Khanna summary (quantile_summary.h) with relative error
// 1 / accuracy.
//
// Spark 4 semantics:
//  - col: a number, date or timestamp (strings and NULL are cast to double); values are summarised
//    as doubles and the answer is converted back to col's type (truncating toward zero for the
//    integral types, HALF_UP through the double's shortest decimal form for decimals), so it is
//    one of the input values whenever that value is exact in a double.
//  - percentage: a literal in [0, 1] (result: col's type) or a literal array of them (result:
//    array<col's type>, in the order given).
//  - accuracy: an integral literal in (0, 2147483647].
//  - null values are skipped; a group without values gives NULL.
// With at most `accuracy` values the answer is exact: the smallest value v such that at least
// ceil(percentage * count) values are <= v (p <= 1/accuracy gives the minimum).
//
// The state is a heap QuantileSummary, created on a group's first value. Partial states travel as
// one BINARY column holding the compressed summary. finalize compresses the summary in place
// before querying it, exactly as Spark's eval does: the summary then describes the same values,
// so later updates (a running window frame) continue from the state Spark's would be in.
#include <cmath>
#include <limits>

#include "ember/functions/aggregate/aggregate_common.h"
#include "ember/functions/aggregate/quantile_summary.h"
#include "ember/functions/registry.h"
#include "ember/types/decimal.h"

namespace ember::agg {

namespace {

constexpr int64_t kDefaultAccuracy = 10000;

// Java's (int) and (long) casts of a double: toward zero, saturating, NaN to 0.
int32_t java_d2i(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 2147483647.0) return std::numeric_limits<int32_t>::max();
  if (d <= -2147483648.0) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(d);
}
int64_t java_d2l(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

// Decimal.toDouble (BigDecimal.doubleValue): the nearest double. Unscaled values below 2^52 with
// a scale up to 22 divide exactly representable operands, so one IEEE division rounds correctly;
// anything else goes through strtod.
double decimal_value_as_double(int128_t unscaled, int scale) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr int128_t kExact = int128_t{1} << 52;
  if (unscaled > -kExact && unscaled < kExact && scale >= 0 && scale <= 22) {
    return static_cast<double>(unscaled) / kPow10[scale];
  }
  return decimal_to_double(unscaled, scale);
}

// Reads the non-null values of `v` as doubles and hands each, with its row, to `add`.
template <class Add>
void for_each_value(const Vector& v, size_t n, Add&& add) {
  auto visit = [&](auto convert) {
    for (size_t i = 0; i < n; ++i) {
      if (!v.is_null(i)) add(i, convert(v.is_constant() ? 0 : i));
    }
  };
  const DataType& t = v.type();
  switch (t.id()) {
    case TypeId::kByte: visit([&](size_t i) { return static_cast<double>(v.values<int8_t>()[i]); }); return;
    case TypeId::kShort: visit([&](size_t i) { return static_cast<double>(v.values<int16_t>()[i]); }); return;
    case TypeId::kInt:
    case TypeId::kDate: visit([&](size_t i) { return static_cast<double>(v.values<int32_t>()[i]); }); return;
    case TypeId::kLong:
    case TypeId::kTimestamp:
      visit([&](size_t i) { return static_cast<double>(v.values<int64_t>()[i]); });
      return;
    case TypeId::kFloat: visit([&](size_t i) { return static_cast<double>(v.values<float>()[i]); }); return;
    case TypeId::kDouble: visit([&](size_t i) { return v.values<double>()[i]; }); return;
    case TypeId::kDecimal: {
      int scale = t.scale();
      visit([&](size_t i) { return decimal_value_as_double(v.values<int128_t>()[i], scale); });
      return;
    }
    case TypeId::kNull: return;
    default: EMBER_CHECK(false, "percentile_approx over " + t.simple_string());
  }
}

// Row `row` of `out` (a flat vector of `type`) = the percentile d converted back to `type`, as
// Spark's eval converts it; false when it does not fit (a decimal that overflows: NULL).
bool write_converted(Vector& out, size_t row, const DataType& type, double d) {
  switch (type.id()) {
    case TypeId::kByte: out.values<int8_t>()[row] = static_cast<int8_t>(java_d2i(d)); return true;
    case TypeId::kShort: out.values<int16_t>()[row] = static_cast<int16_t>(java_d2i(d)); return true;
    case TypeId::kInt:
    case TypeId::kDate: out.values<int32_t>()[row] = java_d2i(d); return true;
    case TypeId::kLong:
    case TypeId::kTimestamp: out.values<int64_t>()[row] = java_d2l(d); return true;
    case TypeId::kFloat: out.values<float>()[row] = static_cast<float>(d); return true;
    case TypeId::kDouble: out.values<double>()[row] = d; return true;
    case TypeId::kDecimal: {
      std::optional<int128_t> x = decimal_from_double(d, type.precision(), type.scale());
      if (!x) return false;
      out.values<int128_t>()[row] = *x;
      return true;
    }
    default: EMBER_CHECK(false, "percentile_approx result of type " + type.simple_string());
  }
  return false;
}

class PercentileApproxKernel final : public AggregateKernel {
 public:
  PercentileApproxKernel(DataType value_type, std::vector<double> percentages, bool return_array,
                         int64_t accuracy)
      : value_type_(std::move(value_type)),
        percentages_(std::move(percentages)),
        return_array_(return_array),
        relative_error_(1.0 / static_cast<double>(accuracy)) {}

  size_t state_size() const override { return sizeof(QuantileSummary*); }
  bool needs_destroy() const override { return true; }
  void init(uint8_t* state) const override { *reinterpret_cast<QuantileSummary**>(state) = nullptr; }
  void destroy(uint8_t* state) const override {
    auto*& s = *reinterpret_cast<QuantileSummary**>(state);
    delete s;
    s = nullptr;
  }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    for_each_value(*args[0], n, [&](size_t i, double x) { summary(rows[i] + offset).insert(x); });
  }

  std::vector<DataType> intermediate_types() const override { return {DataType::binary()}; }

  // Ships each group's summary compressed, as Spark's serializer does (compressing the state in
  // place, like Spark's); a group that saw no value ships NULL.
  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    Vector& o = fresh_out(out, 0, 1, DataType::binary(), n);
    std::string bytes;
    for (size_t i = 0; i < n; ++i) {
      QuantileSummary* s = state_at<QuantileSummary*>(rows, i, offset);
      if (s == nullptr) {
        o.set_null_string(i);
        continue;
      }
      if (!s->is_compressed()) s->compress();
      s->serialize(bytes);
      o.set_string(i, bytes);
    }
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    const Vector& v = *intermediate[0];
    for (size_t i = 0; i < n; ++i) {
      if (v.is_null(i)) continue;
      QuantileSummary other = QuantileSummary::deserialize(v.string_at(i));
      auto*& s = state_at<QuantileSummary*>(rows, i, offset);
      if (s == nullptr) {
        s = new QuantileSummary(std::move(other));
        continue;
      }
      // Spark's PercentileDigest.merge compresses its own buffer first.
      if (!s->is_compressed()) s->compress();
      s->merge(other);
    }
  }

  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    std::vector<double> result;
    Vector* child = return_array_ ? &out.mutable_child() : nullptr;
    for (size_t i = 0; i < n; ++i) {
      QuantileSummary* s = state_at<QuantileSummary*>(rows, i, offset);
      if (s != nullptr && !s->is_compressed()) s->compress();
      // Spark answers NULL for no values, and for an empty percentage array.
      if (s == nullptr || s->count() == 0 || percentages_.empty()) {
        out.set_null_row(i);
        continue;
      }
      s->query(percentages_, result);
      if (!return_array_) {
        if (!write_converted(out, i, value_type_, result[0])) out.set_null(i);
        continue;
      }
      size_t first = child->append_rows(result.size());
      for (size_t k = 0; k < result.size(); ++k) {
        if (!write_converted(*child, first + k, value_type_, result[k])) child->set_null(first + k);
      }
      out.finish_array(i);
    }
  }

 private:
  QuantileSummary& summary(uint8_t* state) const {
    auto*& s = *reinterpret_cast<QuantileSummary**>(state);
    if (s == nullptr) s = new QuantileSummary(relative_error_);
    return *s;
  }

  DataType value_type_;
  std::vector<double> percentages_;
  bool return_array_;
  double relative_error_;
};

[[noreturn]] void throw_mismatch(const std::string& fn, const std::string& error_class,
                                 const std::string& detail) {
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH." + error_class,
              "Cannot resolve \"" + fn + "\" due to data type mismatch: " + detail + " SQLSTATE: 42K09");
}

const Value* literal_arg(const BindContext& ctx, size_t i) {
  if (i >= ctx.literals.size() || !ctx.literals[i].has_value()) return nullptr;
  return &*ctx.literals[i];
}

// A number literal as a double (strings are cast, as Spark's implicit cast to DOUBLE does).
std::optional<double> literal_as_double(const Value& v) {
  const DataType& t = v.type();
  if (t.is_integral()) return static_cast<double>(v.as_int64());
  if (t.is_floating()) return v.as_double();
  if (t.id() == TypeId::kDecimal) return decimal_value_as_double(v.as_decimal(), t.scale());
  if (t.id() == TypeId::kString) {
    const std::string& s = v.as_string();
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() && *end == '\0') return d;
  }
  return std::nullopt;
}

std::string java_double_literal(double d) {
  std::string s = Value::float64(d).to_string();
  return s + "D";
}

// The percentage argument: Spark requires a foldable DOUBLE or ARRAY<DOUBLE> (numbers and
// strings are cast), not null, every value in [0, 1].
std::vector<double> percentages_arg(const std::string& fn, const std::vector<DataType>& args,
                                    const BindContext& ctx, bool& is_array, DataType& cast_to) {
  const DataType& t = args[1];
  bool scalar = t.is_numeric() || t.id() == TypeId::kString || t.id() == TypeId::kNull;
  bool array =
      t.id() == TypeId::kArray && (t.element_type().is_numeric() || t.element_type().id() == TypeId::kNull);
  if (!scalar && !array) {
    throw_mismatch(
        fn, "UNEXPECTED_INPUT_TYPE",
        "The second parameter requires the (\"DOUBLE\" or \"ARRAY<DOUBLE>\") type, however the argument "
        "has the type \"" +
            t.sql_string() + "\".");
  }
  const Value* lit = literal_arg(ctx, 1);
  if (lit == nullptr) {
    throw_mismatch(
        fn, "NON_FOLDABLE_INPUT",
        "the input `percentage` should be a foldable \"DOUBLE\" expression; however, got a non-literal "
        "expression (write the percentage as lit(...)).");
  }
  if (lit->is_null()) throw_mismatch(fn, "UNEXPECTED_NULL", "The percentage must not be null.");
  std::vector<double> out;
  is_array = array;
  if (array) {
    cast_to = DataType::array(DataType::float64(), false);
    for (const Value& e : lit->as_array()) {
      if (e.is_null()) throw_mismatch(fn, "UNEXPECTED_NULL", "The percentage must not be null.");
      out.push_back(*literal_as_double(e));
    }
  } else {
    cast_to = DataType::float64();
    std::optional<double> d = literal_as_double(*lit);
    if (!d) {
      throw_error(ErrorKind::kCast, "CAST_INVALID_INPUT",
                  "The value '" + lit->as_string() +
                      "' of the type \"STRING\" cannot be cast to \"DOUBLE\" because it is malformed. "
                      "SQLSTATE: 22018");
    }
    out.push_back(*d);
  }
  for (double p : out) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw_mismatch(
          fn, "VALUE_OUT_OF_RANGE",
          "The percentage must be between [0.0, 1.0] (current value = " + java_double_literal(p) + ").");
    }
  }
  return out;
}

int64_t accuracy_arg(const std::string& fn, const std::vector<DataType>& args, const BindContext& ctx) {
  if (args.size() < 3) return kDefaultAccuracy;
  const DataType& t = args[2];
  if (!t.is_integral()) {
    throw_mismatch(
        fn, "UNEXPECTED_INPUT_TYPE",
        "The third parameter requires the \"INTEGRAL\" type, however the argument has the type \"" +
            t.sql_string() + "\".");
  }
  const Value* lit = literal_arg(ctx, 2);
  if (lit == nullptr) {
    throw_mismatch(
        fn, "NON_FOLDABLE_INPUT",
        "the input `accuracy` should be a foldable \"BIGINT\" expression; however, got a non-literal "
        "expression (write the accuracy as lit(...)).");
  }
  if (lit->is_null()) throw_mismatch(fn, "UNEXPECTED_NULL", "The accuracy must not be null.");
  int64_t accuracy = lit->as_int64();
  if (accuracy <= 0 || accuracy > std::numeric_limits<int32_t>::max()) {
    throw_mismatch(
        fn, "VALUE_OUT_OF_RANGE",
        "The accuracy must be between (0, 2147483647] (current value = " + std::to_string(accuracy) + "L).");
  }
  return accuracy;
}

BoundAggregate bind_percentile(const std::string& fn, const std::vector<DataType>& args, bool distinct,
                               const BindContext& ctx) {
  DataType value_type = args[0];
  if (value_type.id() == TypeId::kString || value_type.id() == TypeId::kNull) {
    value_type = DataType::float64();
  } else if (!value_type.is_numeric() && !value_type.is_temporal()) {
    throw_mismatch(
        fn, "UNEXPECTED_INPUT_TYPE",
        "The first parameter requires the (\"NUMERIC\" or \"DATE\" or \"TIMESTAMP\") type, however the "
        "argument has the type \"" +
            args[0].sql_string() + "\".");
  }
  bool is_array = false;
  DataType percentage_type;
  std::vector<double> percentages = percentages_arg(fn, args, ctx, is_array, percentage_type);
  int64_t accuracy = accuracy_arg(fn, args, ctx);

  BoundAggregate b;
  b.result_type = is_array ? DataType::array(value_type, false) : value_type;
  b.arg_types = {value_type, percentage_type};
  if (args.size() > 2) b.arg_types.push_back(args[2]);
  b.kernel = std::make_shared<PercentileApproxKernel>(value_type, std::move(percentages), is_array, accuracy);
  if (distinct) {
    // Only the value column takes part in DISTINCT; the literals are the same on every row.
    b.kernel = make_distinct_kernel({value_type}, b.kernel, /*count_only=*/false);
    b.supports_partial = false;
  }
  return b;
}

BoundAggregate bind_percentile_approx(const std::vector<DataType>& args, bool distinct,
                                      const BindContext& ctx) {
  return bind_percentile("percentile_approx", args, distinct, ctx);
}
BoundAggregate bind_approx_percentile(const std::vector<DataType>& args, bool distinct,
                                      const BindContext& ctx) {
  return bind_percentile("approx_percentile", args, distinct, ctx);
}

}  // namespace

void register_percentile_approx_aggregates(FunctionRegistry& r) {
  r.add(AggregateDef{"percentile_approx", 2, 3, &bind_percentile_approx});
  r.add(AggregateDef{"approx_percentile", 2, 3, &bind_approx_percentile});
}

}  // namespace ember::agg
