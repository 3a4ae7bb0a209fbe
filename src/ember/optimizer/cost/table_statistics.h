#pragma once
// The statistics ANALYZE TABLE records for a catalog table (Spark's CatalogStatistics and
// CatalogColumnStat): the table's size in bytes, its row count, and per analyzed column the
// distinct count, bounds, null count and average / maximum length. The warehouse catalog
// (api/table_catalog.*) persists them with the table's metadata; a catalog table's scan carries
// them on its DataSource, and the estimator (statistics.cpp) prefers them over the figures of
// Parquet footers or CSV/JSON samples.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "ember/optimizer/cost/statistics.h"

namespace ember {

struct TableStatistics {
  int64_t size_in_bytes = 0;
  std::optional<int64_t> row_count;  // absent after ANALYZE ... NOSCAN
  // By lower-cased column name (lookups ignore case, as Spark's resolver does). Strings and
  // binaries have no min/max (Spark computes neither); every other field is set by ANALYZE.
  std::map<std::string, ColumnStat> columns;

  const ColumnStat* column(const std::string& name) const;
  // Spark's CatalogStatistics.simpleString, DESCRIBE EXTENDED's `Statistics` row:
  // "1024 bytes, 10 rows" (or "1024 bytes" without a row count).
  std::string simple_string() const;
};

// Can ANALYZE TABLE ... FOR COLUMNS compute statistics of a column of this type? (Spark's
// AnalyzeColumnCommand.supportsType: numbers, booleans, dates, timestamps, strings, binaries.)
bool analyzable_column_type(const DataType& type);

// Spark's DataType.defaultSize: the avg/max length ANALYZE records for fixed-width types, and for
// strings and binaries without a non-null value.
int64_t default_column_size(const DataType& type);

// A bound as Spark's CatalogColumnStat stores and DESCRIBE prints it: dates "2024-01-31",
// timestamps "2024-01-31 12:00:00.000000 +0000" (UTC), floating point as Java's toString,
// decimals plain.
std::string external_stat_value(const Value& v);

// A bound as the catalog file stores it (exactly: raw integers, doubles to 17 digits, decimals
// unscaled), and back as a value of `type` (nullopt when the text is not one).
std::string encode_stat_value(const Value& v);
std::optional<Value> decode_stat_value(const std::string& text, const DataType& type);

}  // namespace ember
