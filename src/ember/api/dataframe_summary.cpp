// DataFrame::describe and DataFrame::summary, built as Spark's StatFunctions.summary builds them:
// one global aggregation whose row holds, per column, an array of the statistics cast to string;
// a posexplode over the statistic names then turns that one row into one row per statistic. The
// result stays lazy and runs a single aggregation job, whatever the number of statistics.
#include <cmath>
#include <cstdlib>
#include <optional>

#include "ember/api/dataframe.h"
#include "ember/api/functions.h"
#include "ember/common/error.h"
#include "ember/vector/vector.h"

namespace ember {

namespace {

// "25%" -> 0.25, as Spark's `p.stripSuffix("%").toDouble / 100.0`.
double parse_percentile(const std::string& stat) {
  std::string number = stat.substr(0, stat.size() - 1);
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size()) {
    throw_error(ErrorKind::kIllegalArgument, "_LEGACY_ERROR_TEMP_2113",
                "Unable to parse " + stat + " as a percentile");
  }
  double p = value / 100.0;
  if (!(p >= 0 && p <= 1)) {
    throw_error(ErrorKind::kIllegalArgument, "requirement failed: Percentiles must be in the range [0, 1]");
  }
  return p;
}

std::string lower_ascii(std::string s) {
  for (char& ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return s;
}

}  // namespace

DataFrame DataFrame::describe(const std::vector<std::string>& cols) const {
  DataFrame selected = *this;
  if (!cols.empty()) {
    std::vector<ColumnOrName> picked;
    for (const auto& c : cols) picked.emplace_back(col(c));
    selected = select(picked);
  }
  return selected.summary({"count", "mean", "stddev", "min", "max"});
}

DataFrame DataFrame::summary(const std::vector<std::string>& statistics) const {
  namespace F = functions;
  static const std::vector<std::string> kDefault = {"count", "mean", "stddev", "min",
                                                    "25%",   "50%",  "75%",    "max"};
  const std::vector<std::string>& stats = statistics.empty() ? kDefault : statistics;

  std::vector<double> percentiles;
  for (const auto& s : stats) {
    if (!s.empty() && s.back() == '%') percentiles.push_back(parse_percentile(s));
  }

  // Spark summarises numeric and string columns only; strings are TRY_CAST to double for the
  // mean, stddev and percentiles, while count, min and max see the column as it is.
  std::vector<Column> per_column;
  std::vector<std::string> names;
  const Schema in_schema = schema();
  for (size_t f = 0; f < in_schema.size(); ++f) {
    const Field& field = in_schema.field(f);
    bool is_string = field.type.id() == TypeId::kString;
    if (!field.type.is_numeric() && !is_string) continue;
    Column column = col(field.name);
    Column casted = is_string ? column.try_cast("double") : column;
    std::optional<Column> percentile_col;
    if (!percentiles.empty()) percentile_col = F::percentile_approx(casted, percentiles, 10000);
    std::vector<ColumnOrName> values;
    int percentile_index = 0;
    for (const auto& s : stats) {
      std::string stat = lower_ascii(s);
      Column value = column;
      if (stat == "count") value = F::count(column);
      else if (stat == "count_distinct") value = F::count_distinct(column);
      else if (stat == "approx_count_distinct") value = F::approx_count_distinct(column);
      else if (stat == "mean") value = F::avg(casted);
      else if (stat == "stddev") value = F::stddev(casted);
      else if (stat == "min") value = F::min(column);
      else if (stat == "max") value = F::max(column);
      else if (!stat.empty() && stat.back() == '%')
        value = F::get(*percentile_col, F::lit(percentile_index++));
      else
        throw_error(ErrorKind::kIllegalArgument, "_LEGACY_ERROR_TEMP_2114",
                    s + " is not a recognised statistic");
      values.emplace_back(value.cast("string"));
    }
    per_column.push_back(F::array(values).alias("__summary_" + std::to_string(per_column.size())));
    names.push_back(field.name);
  }

  std::vector<Value> stat_values;
  for (const auto& s : stats) stat_values.push_back(Value::string(s));
  if (per_column.empty()) {
    auto src = std::make_shared<DataSource>();
    src->kind = SourceKind::kLocalRows;
    src->schema = Schema({Field{"summary", DataType::string(), true}});
    Batch b;
    b.num_rows = stat_values.size();
    b.columns.push_back(Vector::from_values(DataType::string(), stat_values));
    src->batches.push_back(std::move(b));
    return derive(make_relation(src));
  }

  DataFrame aggregated = agg(per_column);
  std::vector<ColumnOrName> exploded{F::posexplode(F::lit(Value::array(DataType::string(), stat_values)))};
  for (size_t i = 0; i < per_column.size(); ++i)
    exploded.emplace_back(F::col("__summary_" + std::to_string(i)));
  DataFrame rows = aggregated.select(exploded);
  std::vector<ColumnOrName> out{F::col("col").alias("summary")};
  for (size_t i = 0; i < names.size(); ++i) {
    out.emplace_back(F::get(F::col("__summary_" + std::to_string(i)), F::col("pos")).alias(names[i]));
  }
  return rows.select(out);
}

}  // namespace ember
