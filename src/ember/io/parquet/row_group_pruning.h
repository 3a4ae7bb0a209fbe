#pragma once
// Row-group pruning: whether a pushed-down filter conjunct can be true for any row of a row
// group, judged from the column chunks' min/max statistics and null counts. Understands
// comparisons of a column with a literal (=, <=>, <, <=, >, >=, either side), IN lists,
// IS [NOT] NULL, AND and OR; anything else may match. Never prunes a row group that holds a
// matching row: unknown or inexact statistics count as "may match".
#include <cstdint>
#include <functional>
#include <vector>

#include "ember/expr/expression.h"
#include "ember/io/parquet/parquet_reader.h"
#include "ember/io/parquet/parquet_statistics.h"

namespace ember {

// `stats_of(attribute id)`: the statistics of that column in the row group, or null when the
// column is not a data column of the file (e.g. a partition column).
using ColumnStatsLookup = std::function<const ParquetColumnStatistics*(int64_t attribute_id)>;

bool row_group_may_match(const ExprPtr& conjunct, const ColumnStatsLookup& stats_of);

// Page-level pruning: the rows of a row group that may satisfy `conjunct`, judged page by page
// from the page index of the one column it reads (`attribute_id`, whose pages are `pages`): the
// pages that may match, adjacent ones merged into one range.
std::vector<ParquetRowRange> page_rows_may_match(const ExprPtr& conjunct, int64_t attribute_id,
                                                 const std::vector<ParquetPageStatistics>& pages);
// The rows in both a and b (each sorted and non-overlapping).
std::vector<ParquetRowRange> intersect_row_ranges(const std::vector<ParquetRowRange>& a,
                                                  const std::vector<ParquetRowRange>& b);

}  // namespace ember
