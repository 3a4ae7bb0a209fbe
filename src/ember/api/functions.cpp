#include "ember/api/functions.h"

namespace ember::functions {

namespace {

std::vector<ExprPtr> exprs(const std::vector<ColumnOrName>& cols) {
  std::vector<ExprPtr> out;
  for (const auto& c : cols) out.push_back(c.expr());
  return out;
}

Column fn(const char* name, std::vector<ExprPtr> args) { return Column(make_call(name, std::move(args))); }
Column agg(const char* name, std::vector<ExprPtr> args, bool distinct = false) {
  return Column(make_aggregate(name, std::move(args), distinct));
}
ExprPtr str(const std::string& s) { return make_literal(Value::string(s)); }
ExprPtr i32(int v) { return make_literal(Value::int32(v)); }

}  // namespace

Column col(const std::string& name) {
  if (name == "*") return Column(make_star());
  return Column(make_column(name));
}
Column column(const std::string& name) { return col(name); }
Column lit(const Value& v) { return Column(v); }
Column lit(int v) { return Column(v); }
Column lit(int64_t v) { return Column(v); }
Column lit(double v) { return Column(v); }
Column lit(bool v) { return Column(v); }
Column lit(const char* v) { return Column(v); }
Column lit(const std::string& v) { return Column(v); }

Column count(const ColumnOrName& c) {
  // count("*") is count(1) in Spark, and is named so.
  if (c.expr()->kind == ExprKind::kColumn && c.expr()->name == "*") return agg("count", {i32(1)});
  if (c.expr()->kind == ExprKind::kStar) return agg("count", {i32(1)});
  return agg("count", {c.expr()});
}
Column count_distinct(const ColumnOrName& c, const std::vector<ColumnOrName>& more) {
  std::vector<ExprPtr> args{c.expr()};
  for (const auto& m : more) args.push_back(m.expr());
  return agg("count", std::move(args), true);
}
Column countDistinct(const ColumnOrName& c) { return count_distinct(c); }
Column sum(const ColumnOrName& c) { return agg("sum", {c.expr()}); }
Column sum_distinct(const ColumnOrName& c) { return agg("sum", {c.expr()}, true); }
Column avg(const ColumnOrName& c) { return agg("avg", {c.expr()}); }
Column mean(const ColumnOrName& c) { return agg("avg", {c.expr()}); }
Column min(const ColumnOrName& c) { return agg("min", {c.expr()}); }
Column max(const ColumnOrName& c) { return agg("max", {c.expr()}); }
Column first(const ColumnOrName& c, bool ignore_nulls) {
  if (!ignore_nulls) return agg("first", {c.expr()});
  return agg("first", {c.expr(), make_literal(Value::boolean(true))});
}
Column any_value(const ColumnOrName& c, bool ignore_nulls) {
  if (!ignore_nulls) return agg("any_value", {c.expr()});
  return agg("any_value", {c.expr(), make_literal(Value::boolean(true))});
}
Column stddev(const ColumnOrName& c) { return agg("stddev", {c.expr()}); }
Column std(const ColumnOrName& c) { return agg("std", {c.expr()}); }
Column stddev_samp(const ColumnOrName& c) { return agg("stddev_samp", {c.expr()}); }
Column stddev_pop(const ColumnOrName& c) { return agg("stddev_pop", {c.expr()}); }
Column variance(const ColumnOrName& c) { return agg("variance", {c.expr()}); }
Column var_samp(const ColumnOrName& c) { return agg("var_samp", {c.expr()}); }
Column var_pop(const ColumnOrName& c) { return agg("var_pop", {c.expr()}); }
Column skewness(const ColumnOrName& c) { return agg("skewness", {c.expr()}); }
Column kurtosis(const ColumnOrName& c) { return agg("kurtosis", {c.expr()}); }
Column count_if(const ColumnOrName& condition) { return agg("count_if", {condition.expr()}); }
Column approx_count_distinct(const ColumnOrName& c) { return agg("approx_count_distinct", {c.expr()}); }
Column approx_count_distinct(const ColumnOrName& c, double rsd) {
  return agg("approx_count_distinct", {c.expr(), make_literal(Value::float64(rsd))});
}

namespace {
// PySpark passes every argument, the default accuracy included (Spark names the column with it).
Column percentile_call(const char* name, const ColumnOrName& c, Value percentage, int accuracy) {
  return agg(name, {c.expr(), make_literal(std::move(percentage)), i32(accuracy)});
}
Value percentage_array(const std::vector<double>& percentages) {
  std::vector<Value> elements;
  for (double p : percentages) elements.push_back(Value::float64(p));
  return Value::array(DataType::float64(), std::move(elements));
}
}  // namespace

Column percentile_approx(const ColumnOrName& c, double percentage, int accuracy) {
  return percentile_call("percentile_approx", c, Value::float64(percentage), accuracy);
}
Column percentile_approx(const ColumnOrName& c, const std::vector<double>& percentages, int accuracy) {
  return percentile_call("percentile_approx", c, percentage_array(percentages), accuracy);
}
Column approx_percentile(const ColumnOrName& c, double percentage, int accuracy) {
  return percentile_call("approx_percentile", c, Value::float64(percentage), accuracy);
}
Column approx_percentile(const ColumnOrName& c, const std::vector<double>& percentages, int accuracy) {
  return percentile_call("approx_percentile", c, percentage_array(percentages), accuracy);
}
Column collect_list(const ColumnOrName& c) { return agg("collect_list", {c.expr()}); }
// Spark names array_agg's column collect_list(...): it is the same expression.
Column array_agg(const ColumnOrName& c) { return agg("collect_list", {c.expr()}); }
Column collect_set(const ColumnOrName& c) { return agg("collect_set", {c.expr()}); }

Column when(const Column& condition, const Column& value) {
  return Column(make_case({condition.expr(), value.expr()}));
}
Column coalesce(const std::vector<ColumnOrName>& cols) { return fn("coalesce", exprs(cols)); }
Column isnull(const ColumnOrName& c) { return fn("isnull", {c.expr()}); }
Column isnotnull(const ColumnOrName& c) { return fn("isnotnull", {c.expr()}); }
Column nvl(const ColumnOrName& a, const ColumnOrName& b) { return fn("nvl", {a.expr(), b.expr()}); }
Column nullif(const ColumnOrName& a, const ColumnOrName& b) { return fn("nullif", {a.expr(), b.expr()}); }

Column upper(const ColumnOrName& c) { return fn("upper", {c.expr()}); }
Column lower(const ColumnOrName& c) { return fn("lower", {c.expr()}); }
Column trim(const ColumnOrName& c) { return fn("trim", {c.expr()}); }
Column ltrim(const ColumnOrName& c) { return fn("ltrim", {c.expr()}); }
Column rtrim(const ColumnOrName& c) { return fn("rtrim", {c.expr()}); }
Column substring(const ColumnOrName& c, int pos, int len) {
  return fn("substring", {c.expr(), i32(pos), i32(len)});
}
Column concat(const std::vector<ColumnOrName>& cols) { return fn("concat", exprs(cols)); }
Column length(const ColumnOrName& c) { return fn("length", {c.expr()}); }
Column regexp_replace(const ColumnOrName& c, const std::string& pattern, const std::string& replacement) {
  return fn("regexp_replace", {c.expr(), str(pattern), str(replacement)});
}
Column split(const ColumnOrName& c, const std::string& pattern, int limit) {
  return fn("split", {c.expr(), str(pattern), i32(limit)});
}

Column array(const std::vector<ColumnOrName>& cols) { return fn("array", exprs(cols)); }
Column size(const ColumnOrName& c) { return fn("size", {c.expr()}); }
Column struct_(const std::vector<ColumnOrName>& cols) { return fn("struct", exprs(cols)); }
Column named_struct(const std::vector<Column>& names_and_values) {
  std::vector<ExprPtr> args;
  for (const Column& c : names_and_values) args.push_back(c.expr());
  return fn("named_struct", std::move(args));
}
Column create_map(const std::vector<ColumnOrName>& keys_and_values) {
  return fn("map", exprs(keys_and_values));
}
Column map_from_arrays(const ColumnOrName& keys, const ColumnOrName& values) {
  return fn("map_from_arrays", {keys.expr(), values.expr()});
}
Column map_keys(const ColumnOrName& c) { return fn("map_keys", {c.expr()}); }
Column map_values(const ColumnOrName& c) { return fn("map_values", {c.expr()}); }
Column map_entries(const ColumnOrName& c) { return fn("map_entries", {c.expr()}); }
Column map_contains_key(const ColumnOrName& c, const Column& key) {
  return fn("map_contains_key", {c.expr(), key.expr()});
}
Column to_json(const ColumnOrName& c) { return fn("to_json", {c.expr()}); }
Column explode(const ColumnOrName& c) { return fn("explode", {c.expr()}); }
Column explode_outer(const ColumnOrName& c) { return fn("explode_outer", {c.expr()}); }
Column posexplode(const ColumnOrName& c) { return fn("posexplode", {c.expr()}); }
Column posexplode_outer(const ColumnOrName& c) { return fn("posexplode_outer", {c.expr()}); }
Column cardinality(const ColumnOrName& c) { return fn("cardinality", {c.expr()}); }
Column element_at(const ColumnOrName& c, const Column& index) {
  return fn("element_at", {c.expr(), index.expr()});
}
Column try_element_at(const ColumnOrName& c, const Column& index) {
  return fn("try_element_at", {c.expr(), index.expr()});
}
Column get(const ColumnOrName& c, const Column& index) { return fn("get", {c.expr(), index.expr()}); }
Column array_contains(const ColumnOrName& c, const Column& value) {
  return fn("array_contains", {c.expr(), value.expr()});
}

Column year(const ColumnOrName& c) { return fn("year", {c.expr()}); }
Column month(const ColumnOrName& c) { return fn("month", {c.expr()}); }
Column dayofmonth(const ColumnOrName& c) { return fn("dayofmonth", {c.expr()}); }
Column quarter(const ColumnOrName& c) { return fn("quarter", {c.expr()}); }
Column dayofweek(const ColumnOrName& c) { return fn("dayofweek", {c.expr()}); }
Column to_date(const ColumnOrName& c) { return fn("to_date", {c.expr()}); }
Column to_date(const ColumnOrName& c, const std::string& format) {
  return fn("to_date", {c.expr(), str(format)});
}
Column date_add(const ColumnOrName& c, const Column& days) { return fn("date_add", {c.expr(), days.expr()}); }
Column date_sub(const ColumnOrName& c, const Column& days) { return fn("date_sub", {c.expr(), days.expr()}); }
Column datediff(const ColumnOrName& end, const ColumnOrName& start) {
  return fn("datediff", {end.expr(), start.expr()});
}
Column date_trunc(const std::string& format, const ColumnOrName& c) {
  return fn("date_trunc", {str(format), c.expr()});
}
Column current_date() { return fn("current_date", {}); }
Column spark_partition_id() { return fn("spark_partition_id", {}); }
Column monotonically_increasing_id() { return fn("monotonically_increasing_id", {}); }
Column current_timestamp() { return fn("current_timestamp", {}); }

Column abs(const ColumnOrName& c) { return fn("abs", {c.expr()}); }
Column round(const ColumnOrName& c, int scale) { return fn("round", {c.expr(), i32(scale)}); }
Column floor(const ColumnOrName& c) { return fn("floor", {c.expr()}); }
Column ceil(const ColumnOrName& c) { return fn("ceil", {c.expr()}); }
Column sqrt(const ColumnOrName& c) { return fn("sqrt", {c.expr()}); }

Column call_function(const std::string& name, const std::vector<ColumnOrName>& args) {
  return Column(make_call(name, exprs(args)));
}

}  // namespace ember::functions

// =============================================================================================
// Scalar function wrappers: hashing, more strings, dates/times, math and conditionals.
namespace ember::functions {

namespace {
Column call_extra(const char* name, std::vector<ExprPtr> args) { return Column(make_call(name, std::move(args))); }
std::vector<ExprPtr> exprs_extra(const std::vector<ColumnOrName>& cols) {
  std::vector<ExprPtr> out;
  for (const auto& c : cols) out.push_back(c.expr());
  return out;
}
ExprPtr str_extra(const std::string& s) { return make_literal(Value::string(s)); }
ExprPtr int_extra(int v) { return make_literal(Value::int32(v)); }
}  // namespace

Column hash(const std::vector<ColumnOrName>& cols) { return call_extra("hash", exprs_extra(cols)); }
Column xxhash64(const std::vector<ColumnOrName>& cols) { return call_extra("xxhash64", exprs_extra(cols)); }
Column md5(const ColumnOrName& c) { return call_extra("md5", {c.expr()}); }
Column sha1(const ColumnOrName& c) { return call_extra("sha1", {c.expr()}); }
Column sha2(const ColumnOrName& c, int num_bits) { return call_extra("sha2", {c.expr(), int_extra(num_bits)}); }
Column crc32(const ColumnOrName& c) { return call_extra("crc32", {c.expr()}); }

Column lpad(const ColumnOrName& c, int len, const std::string& pad) {
  return call_extra("lpad", {c.expr(), int_extra(len), str_extra(pad)});
}
Column rpad(const ColumnOrName& c, int len, const std::string& pad) {
  return call_extra("rpad", {c.expr(), int_extra(len), str_extra(pad)});
}
Column instr(const ColumnOrName& str, const std::string& substr) { return call_extra("instr", {str.expr(), str_extra(substr)}); }
Column locate(const std::string& substr, const ColumnOrName& str, int pos) {
  return call_extra("locate", {str_extra(substr), str.expr(), int_extra(pos)});
}
Column initcap(const ColumnOrName& c) { return call_extra("initcap", {c.expr()}); }
Column reverse(const ColumnOrName& c) { return call_extra("reverse", {c.expr()}); }
Column repeat(const ColumnOrName& c, int n) { return call_extra("repeat", {c.expr(), int_extra(n)}); }
Column translate(const ColumnOrName& c, const std::string& matching, const std::string& replace) {
  return call_extra("translate", {c.expr(), str_extra(matching), str_extra(replace)});
}
Column format_number(const ColumnOrName& c, int d) { return call_extra("format_number", {c.expr(), int_extra(d)}); }
Column format_string(const std::string& format, const std::vector<ColumnOrName>& cols) {
  std::vector<ExprPtr> args{str_extra(format)};
  for (auto& e : exprs_extra(cols)) args.push_back(std::move(e));
  return call_extra("format_string", std::move(args));
}
Column printf(const std::string& format, const std::vector<ColumnOrName>& cols) { return format_string(format, cols); }
Column ascii(const ColumnOrName& c) { return call_extra("ascii", {c.expr()}); }
Column left(const ColumnOrName& str, const Column& len) { return call_extra("left", {str.expr(), len.expr()}); }
Column right(const ColumnOrName& str, const Column& len) { return call_extra("right", {str.expr(), len.expr()}); }
Column btrim(const ColumnOrName& str) { return call_extra("btrim", {str.expr()}); }
Column btrim(const ColumnOrName& str, const ColumnOrName& trim) { return call_extra("btrim", {str.expr(), trim.expr()}); }

Column to_timestamp(const ColumnOrName& c) { return call_extra("to_timestamp", {c.expr()}); }
Column to_timestamp(const ColumnOrName& c, const std::string& format) {
  return call_extra("to_timestamp", {c.expr(), str_extra(format)});
}
Column date_format(const ColumnOrName& c, const std::string& format) {
  return call_extra("date_format", {c.expr(), str_extra(format)});
}
Column unix_timestamp() { return call_extra("unix_timestamp", {}); }
Column unix_timestamp(const ColumnOrName& c, const std::string& format) {
  return call_extra("unix_timestamp", {c.expr(), str_extra(format)});
}
Column from_unixtime(const ColumnOrName& c, const std::string& format) {
  return call_extra("from_unixtime", {c.expr(), str_extra(format)});
}
Column add_months(const ColumnOrName& c, int months) { return call_extra("add_months", {c.expr(), int_extra(months)}); }
Column add_months(const ColumnOrName& c, const Column& months) { return call_extra("add_months", {c.expr(), months.expr()}); }
Column months_between(const ColumnOrName& date1, const ColumnOrName& date2, bool round_off) {
  return call_extra("months_between", {date1.expr(), date2.expr(), make_literal(Value::boolean(round_off))});
}
Column last_day(const ColumnOrName& c) { return call_extra("last_day", {c.expr()}); }
Column next_day(const ColumnOrName& c, const std::string& day_of_week) {
  return call_extra("next_day", {c.expr(), str_extra(day_of_week)});
}
Column weekofyear(const ColumnOrName& c) { return call_extra("weekofyear", {c.expr()}); }
Column dayofyear(const ColumnOrName& c) { return call_extra("dayofyear", {c.expr()}); }
Column hour(const ColumnOrName& c) { return call_extra("hour", {c.expr()}); }
Column minute(const ColumnOrName& c) { return call_extra("minute", {c.expr()}); }
Column second(const ColumnOrName& c) { return call_extra("second", {c.expr()}); }

Column pow(const ColumnOrName& base, const ColumnOrName& exponent) { return call_extra("pow", {base.expr(), exponent.expr()}); }
Column power(const ColumnOrName& base, const ColumnOrName& exponent) {
  return call_extra("power", {base.expr(), exponent.expr()});
}
Column exp(const ColumnOrName& c) { return call_extra("exp", {c.expr()}); }
Column log(const ColumnOrName& c) { return call_extra("ln", {c.expr()}); }
Column log(double base, const ColumnOrName& c) { return call_extra("log", {make_literal(Value::float64(base)), c.expr()}); }
Column log10(const ColumnOrName& c) { return call_extra("log10", {c.expr()}); }
Column log2(const ColumnOrName& c) { return call_extra("log2", {c.expr()}); }
Column greatest(const std::vector<ColumnOrName>& cols) { return call_extra("greatest", exprs_extra(cols)); }
Column least(const std::vector<ColumnOrName>& cols) { return call_extra("least", exprs_extra(cols)); }
Column pmod(const ColumnOrName& dividend, const ColumnOrName& divisor) {
  return call_extra("pmod", {dividend.expr(), divisor.expr()});
}
Column bround(const ColumnOrName& c, int scale) { return call_extra("bround", {c.expr(), int_extra(scale)}); }
Column signum(const ColumnOrName& c) { return call_extra("signum", {c.expr()}); }
Column sign(const ColumnOrName& c) { return call_extra("sign", {c.expr()}); }
Column nvl2(const ColumnOrName& a, const ColumnOrName& b, const ColumnOrName& c) {
  return call_extra("nvl2", {a.expr(), b.expr(), c.expr()});
}
Column ifnull(const ColumnOrName& a, const ColumnOrName& b) { return call_extra("ifnull", {a.expr(), b.expr()}); }

}  // namespace ember::functions
