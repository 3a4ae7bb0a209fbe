#pragma once
// Column chunk statistics decoded to ember Values, for row-group pruning. Only bounds the format
// lets a reader trust are returned: min_value/max_value when the column order is TYPE_ORDER (or
// not recorded), the deprecated min/max only for signed-order columns that are not byte arrays,
// never NaN bounds for floating point and never INT96 bounds.
#include <cstdint>
#include <optional>

#include "ember/io/parquet/parquet_metadata.h"
#include "ember/io/parquet/parquet_schema.h"
#include "ember/types/value.h"

namespace ember {

struct ParquetColumnStatistics {
  std::optional<Value> min;  // of the column's ember type; absent when unknown or untrusted
  std::optional<Value> max;
  std::optional<int64_t> null_count;  // absent when the writer did not record it
  std::optional<int64_t> distinct_count;
  int64_t num_values = 0;  // values in the chunk, nulls included
  // True when the bounds are the actual extreme values (not truncated); unknown counts as false.
  bool min_exact = false;
  bool max_exact = false;
};

namespace parquet {

// `order` is the column's entry of FileMetaData::column_orders, nullopt when the file has none.
ParquetColumnStatistics decode_column_statistics(const ColumnDescriptor& column, const ColumnMetaData& meta,
                                                 std::optional<ColumnOrder> order);

}  // namespace parquet
}  // namespace ember
