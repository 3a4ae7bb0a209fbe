#pragma once
// Internal: ANALYZE TABLE, the statistics of catalog tables it records (optimizer/cost/
// table_statistics.h), DESCRIBE's views of them, and what a write into a table does to them —
// Spark's AnalyzeTableCommand, AnalyzeColumnCommand, CommandUtils and DescribeColumnCommand.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/api/table_catalog.h"
#include "ember/plan/logical_plan.h"
#include "ember/sql/statement.h"

namespace ember {

struct SessionState;

// Runs ANALYZE TABLE (kAnalyzeTable) or ANALYZE TABLES (kAnalyzeTables). `resolve` gives the plan
// of a name as a query sees it (a temp view before a table; TABLE_OR_VIEW_NOT_FOUND otherwise),
// `read` the plan of a catalog table's data.
//  - COMPUTE STATISTICS [NOSCAN]: the data files' size, and without NOSCAN the row count
//    (a count over the table); Spark's rule for keeping old figures applies (compareAndGetNewStats).
//  - FOR COLUMNS a, b / FOR ALL COLUMNS: size, row count and the columns' statistics, in one
//    aggregate job over the table (count(*), and per column min, max, non-null count,
//    approx_count_distinct and, for strings and binaries, avg/max length); earlier statistics of
//    other columns stay.
// On a temp view, only FOR COLUMNS of a cached one is possible (the statistics then live with the
// cached data, for this session only), as in Spark.
void run_analyze(const std::shared_ptr<SessionState>& state, const TableCatalog& tables,
                 const sql::Statement& st, const std::function<PlanPtr(const std::string&)>& resolve,
                 const std::function<PlanPtr(const CatalogTable&)>& read);

// The bytes of a table's data files under `location` (Spark's CommandUtils.calculateTotalSize:
// files and directories whose names start with '_' or '.' are not data).
int64_t table_data_size(const std::string& location);

// After INSERT INTO/OVERWRITE or CREATE TABLE ... AS wrote into `name` (Spark's
// CommandUtils.updateTableStats): with spark.sql.statistics.size.autoUpdate.enabled (default
// false) the size is measured again and, when it changed, it replaces the statistics; otherwise the
// statistics are dropped, since the row count and the column statistics are no longer true.
void update_statistics_after_write(const SessionState& state, const TableCatalog& tables,
                                   const std::string& name);

// DESCRIBE [EXTENDED] t col (Spark's DescribeColumnCommand): rows (info_name, info_value) — the
// column's name, type and comment, and with `extended` min, max, num_nulls, distinct_count,
// avg_col_len, max_col_len and histogram, "NULL" where nothing is known.
std::vector<std::vector<Value>> describe_column_rows(const Field& field, const ColumnStat* stat,
                                                     bool extended);

}  // namespace ember
