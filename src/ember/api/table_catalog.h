#pragma once
// The session's table catalog: Spark's `CREATE TABLE ... USING`, `INSERT INTO/OVERWRITE` and
// `DROP TABLE` against a warehouse directory (spark.sql.warehouse.dir, default ./spark-warehouse,
// as in Spark without Hive). A table is its data files (a managed table's under
// <warehouse>/<name>/, an external one's at its LOCATION) plus a small metadata file
// <warehouse>/.ember_catalog/<name>.table that names the format, location, schema and partition
// columns — so tables outlive the process, and another session on the same warehouse sees them.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ember/optimizer/cost/table_statistics.h"
#include "ember/types/data_type.h"

namespace ember {

struct CatalogTable {
  std::string name;      // as created (lookups ignore case)
  std::string provider;  // "parquet" or "csv"
  std::string location;  // absolute directory of the data
  bool managed = true;   // false for CREATE TABLE ... LOCATION: DROP TABLE keeps the files
  Schema schema;         // data columns, then partition columns (Spark's table order)
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> options;  // reader/writer options (csv header, ...)
  // What ANALYZE TABLE recorded (stats.* lines of the metadata file); absent when never analyzed
  // or when a write made them untrue.
  std::optional<TableStatistics> statistics;
};

class TableCatalog {
 public:
  explicit TableCatalog(std::string warehouse_dir);

  std::optional<CatalogTable> find(const std::string& name) const;
  std::vector<std::string> table_names() const;  // sorted
  // <warehouse>/<name lower-cased>, the location of a managed table.
  std::string default_location(const std::string& name) const;
  // Records the table; TABLE_OR_VIEW_ALREADY_EXISTS when it exists and `replace` is false.
  void create(const CatalogTable& table, bool replace) const;
  // Forgets the table and, for a managed table, deletes its data. False when there was no table.
  bool drop(const std::string& name) const;
  // Records (or, with nullopt, forgets) the table's statistics; the rest of the entry stays.
  void set_statistics(const std::string& name, std::optional<TableStatistics> statistics) const;

 private:
  std::string metadata_path(const std::string& name) const;
  std::string warehouse_;
};

}  // namespace ember
