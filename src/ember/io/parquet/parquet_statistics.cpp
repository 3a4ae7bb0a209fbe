#include "ember/io/parquet/parquet_statistics.h"

#include <cmath>

#include "ember/io/parquet/value_conversion.h"

namespace ember::parquet {

namespace {

bool is_nan(const Value& v) {
  if (v.type().id() == TypeId::kFloat || v.type().id() == TypeId::kDouble) return std::isnan(v.as_double());
  return false;
}

}  // namespace

ParquetColumnStatistics decode_column_statistics(const ColumnDescriptor& column, const ColumnMetaData& meta,
                                                 std::optional<ColumnOrder> order) {
  ParquetColumnStatistics out;
  out.num_values = meta.num_values;
  if (!meta.statistics) return out;
  const Statistics& s = *meta.statistics;
  out.null_count = s.null_count;
  out.distinct_count = s.distinct_count;
  if (column.sort_order == SortOrder::kUnknown) return out;

  const std::string* min = nullptr;
  const std::string* max = nullptr;
  bool type_order = !order || *order == ColumnOrder::kTypeDefined;
  if (s.min_value && s.max_value && type_order) {
    min = &*s.min_value;
    max = &*s.max_value;
    out.min_exact = s.is_min_value_exact.value_or(false);
    out.max_exact = s.is_max_value_exact.value_or(false);
  } else if (s.min && s.max && column.sort_order == SortOrder::kSigned &&
             !is_binary_physical(column.physical)) {
    // The deprecated fields were always computed with signed comparison: right for these columns.
    min = &*s.min;
    max = &*s.max;
  }
  if (min == nullptr) return out;
  std::optional<Value> lo = physical_to_value(column, *min);
  std::optional<Value> hi = physical_to_value(column, *max);
  if (!lo || !hi || is_nan(*lo) || is_nan(*hi)) return out;
  out.min = std::move(lo);
  out.max = std::move(hi);
  return out;
}

}  // namespace ember::parquet
