// Binding and registration of the aggregate functions: count, sum, avg/mean, min, max,
// first/first_value/any_value, last/last_value, and their DISTINCT forms.
#include "ember/functions/aggregate/aggregate_common.h"
#include "ember/functions/registry.h"

namespace ember::agg {

int128_t pow10(int n) {
  static const auto table = [] {
    std::array<int128_t, 39> t{};
    t[0] = 1;
    for (int i = 1; i <= 38; ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  EMBER_CHECK(n >= 0 && n <= 38, "pow10 out of range: " + std::to_string(n));
  return table[static_cast<size_t>(n)];
}

void throw_long_overflow() {
  // Spark 4 raises this from the ANSI Add inside Sum (Math.addExact's "long overflow").
  throw_error(ErrorKind::kArithmetic, "ARITHMETIC_OVERFLOW",
              "long overflow. Use 'try_add' to tolerate overflow and return NULL instead. If necessary "
              "set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22003");
}

void throw_decimal_overflow() {
  throw_error(ErrorKind::kArithmetic, "ARITHMETIC_OVERFLOW",
              "Overflow in sum of decimals. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to "
              "bypass this error. SQLSTATE: 22003");
}

void throw_type_mismatch(const std::string& fn, const std::string& required, const DataType& actual) {
  std::string type = actual.simple_string();
  for (char& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
              "Cannot resolve \"" + fn + "\" due to data type mismatch: the first parameter requires the \"" +
                  required + "\" type, however the argument has the type \"" + type + "\".");
}

namespace {

// sum/avg accept numbers; NULL and strings are implicitly cast to double, as Spark's type
// coercion does for an expected NumericType.
DataType numeric_input(const std::string& fn, const DataType& t) {
  if (t.is_numeric()) return t;
  if (t.id() == TypeId::kNull || t.id() == TypeId::kString) return DataType::float64();
  throw_type_mismatch(fn, "NUMERIC", t);
}

BoundAggregate bind_count(const std::vector<DataType>& args, bool distinct, const BindContext& ctx) {
  BoundAggregate b;
  b.result_type = DataType::int64();
  b.arg_types = args;
  b.nullable = false;
  if (distinct) {
    b.kernel = make_distinct_kernel(args, nullptr, /*count_only=*/true);
    b.supports_partial = false;
  } else {
    b.kernel = make_count_kernel(args.size());
  }
  return b;
}

BoundAggregate with_distinct(BoundAggregate b, bool distinct) {
  if (distinct) {
    b.kernel = make_distinct_kernel(b.arg_types, b.kernel, /*count_only=*/false);
    b.supports_partial = false;
  }
  return b;
}

BoundAggregate bind_sum(const std::vector<DataType>& args, bool distinct, const BindContext& ctx) {
  return with_distinct(bind_sum_for(numeric_input("sum", args[0])), distinct);
}

BoundAggregate bind_avg(const std::vector<DataType>& args, bool distinct, const BindContext& ctx) {
  return with_distinct(bind_avg_for(numeric_input("avg", args[0])), distinct);
}

// min/max(DISTINCT x) equals min/max(x); Spark drops the DISTINCT too.
BoundAggregate bind_min_max(const DataType& t, bool is_max) {
  require_orderable_type(t, is_max ? "compute max of" : "compute min of");
  BoundAggregate b;
  b.result_type = t;
  b.arg_types = {t};
  b.kernel = make_min_max_kernel(t, is_max);
  return b;
}
BoundAggregate bind_min(const std::vector<DataType>& args, bool, const BindContext&) {
  return bind_min_max(args[0], false);
}
BoundAggregate bind_max(const std::vector<DataType>& args, bool, const BindContext&) {
  return bind_min_max(args[0], true);
}

// first/last's optional second argument must be a boolean literal (Spark: "The second argument
// in first should be a boolean literal").
bool ignore_nulls_arg(const std::string& fn, const std::vector<DataType>& args, const BindContext& ctx) {
  if (args.size() < 2) return false;
  const std::optional<Value>* lit = ctx.literals.size() > 1 ? &ctx.literals[1] : nullptr;
  if (args[1].id() != TypeId::kBoolean || lit == nullptr || !lit->has_value() || (*lit)->is_null()) {
    throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                "Cannot resolve \"" + fn + "\" due to data type mismatch: the input `ignoreNulls` should be a "
                "foldable \"BOOLEAN\" expression.");
  }
  return (*lit)->as_bool();
}

BoundAggregate bind_pick(const std::string& fn, const std::vector<DataType>& args, bool last,
                         const BindContext& ctx) {
  bool ignore = ignore_nulls_arg(fn, args, ctx);
  BoundAggregate b;
  b.result_type = args[0];
  b.arg_types = args;
  b.kernel = make_first_last_kernel(args[0], last, ignore);
  return b;
}
BoundAggregate bind_first(const std::vector<DataType>& args, bool, const BindContext& ctx) {
  return bind_pick("first", args, false, ctx);
}
BoundAggregate bind_any_value(const std::vector<DataType>& args, bool, const BindContext& ctx) {
  return bind_pick("any_value", args, false, ctx);
}
BoundAggregate bind_last(const std::vector<DataType>& args, bool, const BindContext& ctx) {
  return bind_pick("last", args, true, ctx);
}

}  // namespace

}  // namespace ember::agg

namespace ember::agg {

// Registration of the aggregate families that live in files of their own.
void register_central_moment_aggregates(FunctionRegistry& r);        // stddev variance skewness ...
void register_count_if_aggregate(FunctionRegistry& r);               // count_if
void register_approx_count_distinct_aggregate(FunctionRegistry& r);  // HyperLogLog++
void register_percentile_approx_aggregates(FunctionRegistry& r);     // percentile_approx
void register_collect_aggregates(FunctionRegistry& r);               // collect_list collect_set

}  // namespace ember::agg

namespace ember {

void register_aggregate_functions(FunctionRegistry& r) {
  using namespace agg;
  r.add(AggregateDef{"count", 1, -1, &bind_count});
  r.add(AggregateDef{"sum", 1, 1, &bind_sum});
  r.add(AggregateDef{"avg", 1, 1, &bind_avg});
  // Aliases are registered as definitions of their own so they do not depend on how the
  // registry resolves aliases of aggregates.
  r.add(AggregateDef{"mean", 1, 1, &bind_avg});
  r.add(AggregateDef{"min", 1, 1, &bind_min});
  r.add(AggregateDef{"max", 1, 1, &bind_max});
  r.add(AggregateDef{"first", 1, 2, &bind_first});
  r.add(AggregateDef{"first_value", 1, 2, &bind_first});
  r.add(AggregateDef{"any_value", 1, 2, &bind_any_value});
  r.add(AggregateDef{"last", 1, 2, &bind_last});
  r.add(AggregateDef{"last_value", 1, 2, &bind_last});
  register_central_moment_aggregates(r);
  register_count_if_aggregate(r);
  register_approx_count_distinct_aggregate(r);
  register_percentile_approx_aggregates(r);
  register_collect_aggregates(r);
}

}  // namespace ember
