#pragma once
// Statistics of a file source, read from the data once and kept for as long as the source lives
// (a DataFrame read once and queried many times pays once):
//  - Parquet: the footers' row counts and each column chunk's min/max/null count (and distinct
//    count when a writer recorded one), merged over row groups and files;
//  - CSV and JSON lines: the row count extrapolated from the bytes per line of the first 64 KiB of
//    the first file (the whole file when it is smaller), the header line discounted.
// Partition columns get their distinct count and bounds from the directory values.
#include <memory>
#include <optional>
#include <vector>

#include "ember/optimizer/cost/statistics.h"

namespace ember {

struct SourceStatistics {
  std::optional<double> row_count;
  std::vector<ColumnStat> columns;  // one per field of the source's schema
};

// Never throws for unreadable data: what cannot be read is simply unknown (the scan reports the
// problem when the query runs).
std::shared_ptr<const SourceStatistics> file_source_statistics(
    const std::shared_ptr<const DataSource>& source);

}  // namespace ember
