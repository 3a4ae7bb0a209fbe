#pragma once
// pyspark.sql.functions for C++: the same names (snake_case), the same arguments. Each builds an
// unresolved call; the function registry resolves it when an action runs.
#include <string>
#include <vector>

#include "ember/api/column.h"

namespace ember::functions {

Column col(const std::string& name);
Column column(const std::string& name);
Column lit(const Value& v);
Column lit(int v);
Column lit(int64_t v);
Column lit(double v);
Column lit(bool v);
Column lit(const char* v);
Column lit(const std::string& v);

// Aggregates.
Column count(const ColumnOrName& c);  // count("*") counts rows
Column count_distinct(const ColumnOrName& c, const std::vector<ColumnOrName>& more = {});
Column countDistinct(const ColumnOrName& c);
Column sum(const ColumnOrName& c);
Column sum_distinct(const ColumnOrName& c);
Column avg(const ColumnOrName& c);
Column mean(const ColumnOrName& c);
Column min(const ColumnOrName& c);
Column max(const ColumnOrName& c);
Column first(const ColumnOrName& c, bool ignore_nulls = false);
Column any_value(const ColumnOrName& c, bool ignore_nulls = false);
// Statistics (doubles; NULL without rows; the sample forms are NULL for one row, skewness and
// kurtosis when every value is equal, as in Spark 4).
Column stddev(const ColumnOrName& c);  // = stddev_samp
Column std(const ColumnOrName& c);     // = stddev_samp
Column stddev_samp(const ColumnOrName& c);
Column stddev_pop(const ColumnOrName& c);
Column variance(const ColumnOrName& c);  // = var_samp
Column var_samp(const ColumnOrName& c);
Column var_pop(const ColumnOrName& c);
Column skewness(const ColumnOrName& c);
Column kurtosis(const ColumnOrName& c);
// Rows where the boolean condition is true.
Column count_if(const ColumnOrName& condition);
// Spark's HyperLogLog++ estimate; rsd is the relative standard deviation (0.05 by default).
Column approx_count_distinct(const ColumnOrName& c);
Column approx_count_distinct(const ColumnOrName& c, double rsd);
// Spark's approximate percentile (an actual input value, of the column's type); exact when the
// group has at most `accuracy` values. The list form returns an array, one per percentage.
Column percentile_approx(const ColumnOrName& c, double percentage, int accuracy = 10000);
Column percentile_approx(const ColumnOrName& c, const std::vector<double>& percentages, int accuracy = 10000);
Column approx_percentile(const ColumnOrName& c, double percentage, int accuracy = 10000);
Column approx_percentile(const ColumnOrName& c, const std::vector<double>& percentages, int accuracy = 10000);
// Arrays of a group's non-null values ([] for none); collect_set without duplicates, in no
// particular order.
Column collect_list(const ColumnOrName& c);
Column array_agg(const ColumnOrName& c);  // = collect_list
Column collect_set(const ColumnOrName& c);

// Conditional and null handling.
Column when(const Column& condition, const Column& value);
Column coalesce(const std::vector<ColumnOrName>& cols);
Column isnull(const ColumnOrName& c);
Column isnotnull(const ColumnOrName& c);
Column nvl(const ColumnOrName& a, const ColumnOrName& b);
Column nullif(const ColumnOrName& a, const ColumnOrName& b);

// Strings.
Column upper(const ColumnOrName& c);
Column lower(const ColumnOrName& c);
Column trim(const ColumnOrName& c);
Column ltrim(const ColumnOrName& c);
Column rtrim(const ColumnOrName& c);
Column substring(const ColumnOrName& c, int pos, int len);
Column concat(const std::vector<ColumnOrName>& cols);
Column length(const ColumnOrName& c);
Column regexp_replace(const ColumnOrName& c, const std::string& pattern, const std::string& replacement);
// split(str, regex, limit): an array<string>; limit > 0 keeps at most limit pieces (the last holds
// the rest), limit <= 0 keeps them all, trailing empty strings included.
Column split(const ColumnOrName& c, const std::string& pattern, int limit = -1);

// Arrays.
Column array(const std::vector<ColumnOrName>& cols);
// Number of elements; null for a null array (ANSI), -1 without ANSI (Spark's legacy sizeOfNull).
Column size(const ColumnOrName& c);
// Generators (one per select): a row per array element, as column `col` (alias to rename);
// posexplode adds `pos` (0-based); the *_outer forms keep a row with nulls for a null or empty array.
Column explode(const ColumnOrName& c);
Column explode_outer(const ColumnOrName& c);
Column posexplode(const ColumnOrName& c);
Column posexplode_outer(const ColumnOrName& c);
Column cardinality(const ColumnOrName& c);
// 1-based; a negative index counts from the end; 0 is an error; out of range is an error under
// ANSI (null otherwise). try_element_at returns null out of range.
Column element_at(const ColumnOrName& c, const Column& index);
Column try_element_at(const ColumnOrName& c, const Column& index);
// 0-based; null out of range.
Column get(const ColumnOrName& c, const Column& index);
// True when the array holds value; null when it does not but holds a null; null for null inputs.
Column array_contains(const ColumnOrName& c, const Column& value);

// Structs and maps.
// struct(a, b, ...): fields named after the columns (col1, col2, ... for other expressions).
Column struct_(const std::vector<ColumnOrName>& cols);
// named_struct(lit("a"), x, lit("b"), y): names must be string literals.
Column named_struct(const std::vector<Column>& names_and_values);
// create_map(k1, v1, k2, v2, ...): a null key is NULL_MAP_KEY, a repeated key DUPLICATED_MAP_KEY.
Column create_map(const std::vector<ColumnOrName>& keys_and_values);
Column map_from_arrays(const ColumnOrName& keys, const ColumnOrName& values);
Column map_keys(const ColumnOrName& c);
Column map_values(const ColumnOrName& c);
// An array of struct<key, value>, one per entry.
Column map_entries(const ColumnOrName& c);
Column map_contains_key(const ColumnOrName& c, const Column& key);
// Spark's JSON text of a struct, map or array (fields in order, null struct fields omitted).
Column to_json(const ColumnOrName& c);

// Dates and times.
Column year(const ColumnOrName& c);
Column month(const ColumnOrName& c);
Column dayofmonth(const ColumnOrName& c);
Column quarter(const ColumnOrName& c);
Column dayofweek(const ColumnOrName& c);
Column to_date(const ColumnOrName& c);
Column to_date(const ColumnOrName& c, const std::string& format);
Column date_add(const ColumnOrName& c, const Column& days);
Column date_sub(const ColumnOrName& c, const Column& days);
Column datediff(const ColumnOrName& end, const ColumnOrName& start);
Column date_trunc(const std::string& format, const ColumnOrName& c);
Column current_date();
// The task's partition index (an int), and Spark's 64-bit id: partition index << 33 | the row's
// position within its partition. Both depend on the partitioning, as in Spark.
Column spark_partition_id();
Column monotonically_increasing_id();
Column current_timestamp();

// Math.
Column abs(const ColumnOrName& c);
Column round(const ColumnOrName& c, int scale = 0);
Column floor(const ColumnOrName& c);
Column ceil(const ColumnOrName& c);
Column sqrt(const ColumnOrName& c);

// A Spark SQL expression, parsed (functions::expr("price * qty AS total")); api/sql_session.cpp.
Column expr(const std::string& sql);

// Any registered function by its Spark name (PySpark's call_function).
Column call_function(const std::string& name, const std::vector<ColumnOrName>& args);

}  // namespace ember::functions

// =============================================================================================
// Scalar function wrappers: hashing, more strings, dates/times, math and conditionals (PySpark's
// names and arguments).
namespace ember::functions {

// Hashing. hash: Spark's Murmur3 (seed 42, an int); xxhash64: Spark's xxHash64 (seed 42, a long);
// digests as lower-case hex strings; sha2 bit lengths 224, 256 (or 0), 384, 512 (else NULL).
Column hash(const std::vector<ColumnOrName>& cols);
Column xxhash64(const std::vector<ColumnOrName>& cols);
Column md5(const ColumnOrName& c);
Column sha1(const ColumnOrName& c);
Column sha2(const ColumnOrName& c, int num_bits);
Column crc32(const ColumnOrName& c);

// Strings (lengths and positions in characters).
Column lpad(const ColumnOrName& c, int len, const std::string& pad);
Column rpad(const ColumnOrName& c, int len, const std::string& pad);
// 1-based position of substr in str, 0 when absent.
Column instr(const ColumnOrName& str, const std::string& substr);
// 1-based position of substr in str at or after pos; 0 when absent or pos < 1.
Column locate(const std::string& substr, const ColumnOrName& str, int pos = 1);
Column initcap(const ColumnOrName& c);
Column reverse(const ColumnOrName& c);
Column repeat(const ColumnOrName& c, int n);
Column translate(const ColumnOrName& c, const std::string& matching, const std::string& replace);
// '#,###,###.##' with d decimal places, rounded HALF_EVEN; NULL for d < 0.
Column format_number(const ColumnOrName& c, int d);
// java.util.Formatter-style: %s %d %x %o %f %e %c %b %% %n with flags, widths and precisions.
Column format_string(const std::string& format, const std::vector<ColumnOrName>& cols);
Column printf(const std::string& format, const std::vector<ColumnOrName>& cols);
Column ascii(const ColumnOrName& c);
Column left(const ColumnOrName& str, const Column& len);
Column right(const ColumnOrName& str, const Column& len);
Column btrim(const ColumnOrName& str);
Column btrim(const ColumnOrName& str, const ColumnOrName& trim);

// Dates and times (patterns are Spark's datetime patterns; the session time zone applies).
Column to_timestamp(const ColumnOrName& c);
Column to_timestamp(const ColumnOrName& c, const std::string& format);
Column date_format(const ColumnOrName& c, const std::string& format);
// Seconds since the epoch: now (the query's start), or of a timestamp / date / string.
Column unix_timestamp();
Column unix_timestamp(const ColumnOrName& c, const std::string& format = "yyyy-MM-dd HH:mm:ss");
Column from_unixtime(const ColumnOrName& c, const std::string& format = "yyyy-MM-dd HH:mm:ss");
Column add_months(const ColumnOrName& c, int months);
Column add_months(const ColumnOrName& c, const Column& months);
Column months_between(const ColumnOrName& date1, const ColumnOrName& date2, bool round_off = true);
Column last_day(const ColumnOrName& c);
// The first date after c that falls on day_of_week ("Mon", "TU", "friday", ...).
Column next_day(const ColumnOrName& c, const std::string& day_of_week);
Column weekofyear(const ColumnOrName& c);
Column dayofyear(const ColumnOrName& c);
Column hour(const ColumnOrName& c);
Column minute(const ColumnOrName& c);
Column second(const ColumnOrName& c);

// Math.
Column pow(const ColumnOrName& base, const ColumnOrName& exponent);
Column power(const ColumnOrName& base, const ColumnOrName& exponent);
Column exp(const ColumnOrName& c);
Column log(const ColumnOrName& c);  // natural logarithm; NULL for x <= 0
Column log(double base, const ColumnOrName& c);
Column log10(const ColumnOrName& c);
Column log2(const ColumnOrName& c);
// The largest / smallest non-NULL argument (NULL when all are), at the arguments' common type.
Column greatest(const std::vector<ColumnOrName>& cols);
Column least(const std::vector<ColumnOrName>& cols);
// The positive remainder; a zero divisor is DIVIDE_BY_ZERO under ANSI, NULL otherwise.
Column pmod(const ColumnOrName& dividend, const ColumnOrName& divisor);
Column bround(const ColumnOrName& c, int scale = 0);  // HALF_EVEN
Column signum(const ColumnOrName& c);
Column sign(const ColumnOrName& c);

// Conditionals: nvl2 is b when a is not NULL, else c.
Column nvl2(const ColumnOrName& a, const ColumnOrName& b, const ColumnOrName& c);
Column ifnull(const ColumnOrName& a, const ColumnOrName& b);

}  // namespace ember::functions
