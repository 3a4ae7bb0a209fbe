#pragma once
// A parsed SQL statement: what Session::sql runs. Queries are already logical plans (the parser
// resolves table names through the catalog as it goes); commands carry their arguments.
#include <map>
#include <string>
#include <vector>

#include "ember/plan/logical_plan.h"

namespace ember::sql {

enum class StatementKind {
  kQuery,            // SELECT / VALUES / WITH ...: `plan`
  kCreateView,       // CREATE [OR REPLACE] TEMP VIEW name AS query: `name`, `plan`, `replace`
  kCreateViewUsing,  // CREATE [OR REPLACE] TEMP VIEW name USING fmt OPTIONS (...): `format`, `options`
  kDropView,         // DROP VIEW [IF EXISTS] name
  kShowTables,       // SHOW TABLES
  kDescribe,         // DESCRIBE [TABLE] name | DESCRIBE query: `plan`
  kExplain,          // EXPLAIN [EXTENDED|CODEGEN|COST|FORMATTED] query: `plan`, `explain_mode`
  kSet,              // SET key=value (`key`, `value`); SET key (`value` empty, `has_value` false); SET (list)
  kCacheTable,       // CACHE TABLE name [AS query]
  kUncacheTable,     // UNCACHE TABLE [IF EXISTS] name
  kCreateTable,      // CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name [(cols)] [USING fmt] [OPTIONS (...)]
                     // [PARTITIONED BY (cols)] [LOCATION 'dir'] [AS query]: `format` (default parquet),
                     // `options` ("__schema" for the column list), `partition_columns`, `location`, `plan`
  kInsert,           // INSERT INTO|OVERWRITE [TABLE] name query: `name`, `plan`, `overwrite`
  kDropTable,        // DROP TABLE [IF EXISTS] name
  kAnalyzeTable,     // ANALYZE TABLE name COMPUTE STATISTICS [NOSCAN | FOR COLUMNS a, b | FOR ALL COLUMNS]:
                     // `name`, `noscan`, `columns`, `all_columns`
  kAnalyzeTables,  // ANALYZE TABLES [IN|FROM db] COMPUTE STATISTICS [NOSCAN]: `name` (the database), `noscan`
};

struct Statement {
  StatementKind kind = StatementKind::kQuery;
  PlanPtr plan;
  std::string name;
  bool replace = false;
  bool if_exists = false;
  bool extended = false;
  std::string explain_mode = "simple";  // kExplain: the mode keyword, lower case
  std::string format;
  std::map<std::string, std::string> options;  // keys lower-cased; "__schema": a DDL schema given as
                                               // CREATE TEMP VIEW v (a INT, ...) USING ...
  std::string key;
  std::string value;
  bool has_value = false;
  std::vector<std::string> partition_columns;
  std::string location;
  bool overwrite = false;
  bool noscan = false;               // kAnalyzeTable(s)
  bool all_columns = false;          // kAnalyzeTable: FOR ALL COLUMNS
  std::vector<std::string> columns;  // kAnalyzeTable: FOR COLUMNS ...
  std::string column;                // kDescribe: DESCRIBE t col (the column's name parts joined by '.')
};

}  // namespace ember::sql
