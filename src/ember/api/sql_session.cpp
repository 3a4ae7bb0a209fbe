// The SQL entry points of the API: Session::sql, functions::expr, DataFrame::select_expr and temp
// views. The parser (sql/) builds plans; this file gives it the session's catalog and runs the
// commands that are not queries.
#include <algorithm>
#include <filesystem>

#include "ember/analyzer/analyzer.h"
#include "ember/api/analyze_table.h"
#include "ember/api/dataframe.h"
#include "ember/api/functions.h"
#include "ember/api/query_execution.h"
#include "ember/api/reader_writer.h"
#include "ember/api/session.h"
#include "ember/api/session_state.h"
#include "ember/api/table_catalog.h"
#include "ember/common/error.h"
#include "ember/sql/parser.h"

namespace ember {

namespace {

TableCatalog table_catalog(const SessionState& state) {
  return TableCatalog(state.setting("spark.sql.warehouse.dir", "spark-warehouse"));
}

// A data file of a table directory (Spark's writers leave _SUCCESS and .crc files beside them).
bool has_data_files(const std::string& dir) {
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file() && !name.empty() && name[0] != '_' && name[0] != '.') return true;
  }
  return false;
}

// A catalog table as a plan: its files read with the recorded format and options, columns in the
// table's order and types (partition columns last); an empty relation while no data was written.
PlanPtr read_table(const std::shared_ptr<SessionState>& state, const CatalogTable& t) {
  if (!has_data_files(t.location)) {
    auto src = std::make_shared<DataSource>();
    src->kind = SourceKind::kLocalRows;
    src->schema = t.schema;
    return DataFrame(state, make_relation(src)).analyzed();
  }
  DataFrameReader reader(state);
  reader.format(t.provider);
  for (const auto& [k, v] : t.options) reader.option(k, v);
  if (t.provider == "csv") {
    std::vector<Field> data;
    for (const auto& f : t.schema.fields()) {
      bool is_partition = false;
      for (const auto& p : t.partition_columns) is_partition |= equals_ignore_case(p, f.name);
      if (!is_partition) data.push_back(f);
    }
    reader.schema(Schema(data));
  }
  DataFrame df = reader.load(t.location);
  if (t.statistics) {
    // The scan carries what ANALYZE TABLE recorded, for the estimator (optimizer/cost/statistics.cpp).
    const PlanPtr& scan = df.analyzed();
    if (scan->kind == PlanKind::kRelation && scan->source) {
      auto src = std::make_shared<DataSource>(*scan->source);
      src->table_statistics = std::make_shared<const TableStatistics>(*t.statistics);
      auto node = std::make_shared<LogicalPlan>(*scan);
      node->source = std::move(src);
      df = DataFrame(state, node);
    }
  }
  const Schema read = df.schema();
  std::vector<ColumnOrName> cols;
  for (const auto& f : t.schema.fields()) {
    // No cast where the file already has the table's type: the estimator passes column statistics
    // through plain column references only.
    const int i = read.index_of(f.name);
    Column c = functions::col(f.name);
    const bool same = i >= 0 && read.field(static_cast<size_t>(i)).type == f.type;
    cols.emplace_back((same ? c : c.cast(f.type)).alias(f.name));
  }
  return df.select(cols).analyzed();
}

// Temp views, warehouse tables, files queried by path (parquet.`/data/x`), and the session's analyzer.
class SessionCatalog final : public sql::Catalog {
 public:
  explicit SessionCatalog(std::shared_ptr<SessionState> state) : state_(std::move(state)) {}

  PlanPtr relation(const std::vector<std::string>& name) const override {
    if (name.size() == 2) {
      const std::string format = to_lower(name[0]);
      if (format == "parquet" || format == "csv" || format == "json") {
        DataFrameReader reader(state_);
        DataFrame df = format == "parquet" ? reader.parquet(name[1]) : format == "json" ? reader.json(name[1]) : reader.csv(name[1]);
        return df.analyzed();
      }
    }
    std::string full;
    for (size_t i = 0; i < name.size(); ++i) full += (i ? "." : "") + name[i];
    std::vector<std::string> known;
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      if (name.size() == 1) {
        auto it = state_->temp_views.find(to_lower(name[0]));
        if (it != state_->temp_views.end()) return it->second.plan;
      }
      for (const auto& [key, view] : state_->temp_views) known.push_back(view.name);
    }
    if (name.size() == 1) {
      TableCatalog tables = table_catalog(*state_);
      if (std::optional<CatalogTable> t = tables.find(name[0])) return read_table(state_, *t);
      for (const auto& n : tables.table_names()) known.push_back(n);
    }
    std::vector<std::string> close = closest_names(full, known, 3);
    std::string msg = "The table or view `" + full + "` cannot be found.";
    if (!close.empty()) {
      msg += " Did you mean ";
      for (size_t i = 0; i < close.size(); ++i) msg += (i ? ", " : "") + ("`" + close[i] + "`");
      msg += "?";
    }
    msg += known.empty() ? " No tables or temporary views are defined." : "";
    throw_error(ErrorKind::kAnalysis, "TABLE_OR_VIEW_NOT_FOUND", msg);
  }

  PlanPtr analyze(const PlanPtr& plan) const override { return QueryExecution(state_, plan).analyzed(); }

  PlanPtr range(int64_t start, int64_t end, int64_t step, int partitions) const override {
    return make_range_plan(*state_, start, end, step, partitions);
  }

 private:
  std::shared_ptr<SessionState> state_;
};

void register_view(SessionState& state, const std::string& name, PlanPtr plan, bool replace) {
  std::lock_guard<std::mutex> lock(state.mu);
  const std::string key = to_lower(name);
  if (!replace && state.temp_views.count(key)) {
    throw_error(ErrorKind::kAnalysis, "TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                "Cannot create the temporary view `" + name +
                    "` because it already exists. Choose a different name, "
                    "drop or replace the existing view, or add the IF NOT EXISTS clause to tolerate "
                    "pre-existing views.");
  }
  state.temp_views[key] = SessionState::TempView{name, std::move(plan)};
}

// CREATE TABLE: a schema (column list) or a query's rows (AS), written with the table's format
// and partitioning before the catalog entry appears, so a failed write leaves no table behind.
DataFrame create_table(const Session& session, const sql::Statement& st) {
  const std::shared_ptr<SessionState>& state_ = session.state();
  TableCatalog tables = table_catalog(*state_);
  std::optional<CatalogTable> existing = tables.find(st.name);
  if (existing && st.if_exists) return session.create_data_frame({}, Schema(std::vector<Field>{}));
  if (existing && !st.replace) tables.create(*existing, false);  // throws TABLE_OR_VIEW_ALREADY_EXISTS
  if (st.format != "parquet" && st.format != "csv" && st.format != "json") {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_DATASOURCE",
                "CREATE TABLE " + st.name + " USING " + st.format + ": use parquet, csv or json");
  }
  CatalogTable t;
  t.name = st.name;
  t.provider = st.format;
  t.managed = st.location.empty();
  t.location = t.managed ? tables.default_location(st.name) : std::filesystem::absolute(st.location).string();
  for (const auto& [k, v] : st.options) {
    if (k != "__schema") t.options[k] = v;
  }
  Schema given = st.plan ? st.plan->schema() : parse_ddl_schema(st.options.at("__schema"));
  // Partition columns go last, in PARTITIONED BY order (Spark's table layout).
  std::vector<Field> data, parts;
  for (const auto& p : st.partition_columns) {
    int i = given.index_of(p);
    if (i < 0) {
      throw_error(ErrorKind::kAnalysis, "COLUMN_NOT_DEFINED_IN_TABLE",
                  "partition column `" + p + "` is not a column of table `" + st.name + "` (" + given.to_ddl() + ")");
    }
    parts.push_back(given.field(static_cast<size_t>(i)));
    t.partition_columns.push_back(parts.back().name);
  }
  for (const auto& f : given.fields()) {
    bool is_partition = false;
    for (const auto& p : parts) is_partition |= p.name == f.name;
    if (!is_partition) data.push_back(f);
  }
  for (const auto& p : parts) data.push_back(p);
  t.schema = Schema(data);
  if (existing) tables.drop(st.name);  // CREATE OR REPLACE
  if (st.plan) {
    std::vector<ColumnOrName> cols;
    for (const auto& f : t.schema.fields()) cols.emplace_back(functions::col(f.name));
    DataFrameWriter writer = DataFrame(state_, st.plan).select(cols).write();
    writer.format(t.provider).options(t.options).mode("errorifexists");
    if (!t.partition_columns.empty()) writer.partition_by(t.partition_columns);
    writer.save(t.location);
  }
  tables.create(t, st.replace);
  if (st.plan) update_statistics_after_write(*state_, tables, t.name);
  return session.create_data_frame({}, Schema(std::vector<Field>{}));
}

// DESCRIBE [EXTENDED] t col (Spark's DescribeColumnCommand): with EXTENDED, the statistics ANALYZE
// TABLE recorded for a catalog table's column.
DataFrame describe_column(const Session& session, const sql::Statement& st) {
  const std::shared_ptr<SessionState>& state = session.state();
  const Schema schema = st.plan->schema();
  const int index = schema.index_of(st.column);
  if (index < 0) {
    // Spark's DescribeColumnCommand: COLUMN_NOT_FOUND (ember adds the closest names).
    std::vector<std::string> close = closest_names(st.column, schema.names(), 3);
    std::string msg =
        "The column `" + st.column +
        "` cannot be found. Verify the spelling and correctness of the column name according to "
        "the SQL config \"spark.sql.caseSensitive\".";
    for (size_t i = 0; i < close.size(); ++i)
      msg += (i ? ", `" : " Did you mean one of the following? [`") + close[i] + "`";
    if (!close.empty()) msg += "].";
    throw_error(ErrorKind::kAnalysis, "COLUMN_NOT_FOUND", msg);
  }
  const Field& field = schema.field(static_cast<size_t>(index));
  // Only a catalog table's statistics show: Spark's command reads the catalog, so a temp view's
  // columns (even a cached one's, whose statistics steer the estimator) show NULL.
  bool is_view = false;
  {
    std::lock_guard<std::mutex> lock(state->mu);
    is_view = state->temp_views.count(to_lower(st.name)) > 0;
  }
  std::shared_ptr<const TableStatistics> stats;
  if (!is_view) {
    std::optional<CatalogTable> t = table_catalog(*state).find(st.name);
    if (t && t->statistics) stats = std::make_shared<const TableStatistics>(*t->statistics);
  }
  return session.create_data_frame(
      describe_column_rows(field, stats ? stats->column(field.name) : nullptr, st.extended),
      "info_name STRING, info_value STRING");
}

}  // namespace

Column functions::expr(const std::string& sql) {
  return Column(sql::Parser(sql, nullptr).parse_standalone_expression());
}

DataFrame DataFrame::select_expr(const std::vector<std::string>& exprs) const {
  std::vector<ColumnOrName> cols;
  for (const auto& e : exprs)
    cols.emplace_back(Column(sql::Parser(e, nullptr).parse_standalone_named_expression()));
  return select(cols);
}

void DataFrame::create_or_replace_temp_view(const std::string& name) const {
  register_view(*session_, name, analyzed(), true);
}

void DataFrame::create_temp_view(const std::string& name) const {
  register_view(*session_, name, analyzed(), false);
}

DataFrame Session::sql(const std::string& query) const {
  SessionCatalog catalog(state_);
  sql::Statement st = sql::Parser(query, &catalog).parse_standalone_statement();
  auto empty = [&] { return create_data_frame({}, Schema(std::vector<Field>{})); };
  switch (st.kind) {
    case sql::StatementKind::kQuery: return DataFrame(state_, st.plan);
    case sql::StatementKind::kCreateView: {
      if (st.if_exists) {
        std::lock_guard<std::mutex> lock(state_->mu);
        if (state_->temp_views.count(to_lower(st.name))) return empty();
      }
      register_view(*state_, st.name, st.plan, st.replace);
      return empty();
    }
    case sql::StatementKind::kCreateViewUsing: {
      auto path = st.options.find("path");
      if (path == st.options.end()) {
        throw_error(
            ErrorKind::kAnalysis, "INVALID_OPTION",
            "CREATE TEMPORARY VIEW " + st.name + " USING " + st.format + " needs OPTIONS (path '...')");
      }
      if (st.format != "parquet" && st.format != "csv" && st.format != "json") {
        throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_DATASOURCE",
                    "data source '" + st.format + "' is not supported; use parquet, csv or json");
      }
      DataFrameReader reader(state_);
      reader.format(st.format);
      for (const auto& [k, v] : st.options) {
        if (k == "__schema") {
          reader.schema(v);
        } else if (k != "path") {
          reader.option(k, v);
        }
      }
      DataFrame df = reader.load(path->second);
      register_view(*state_, st.name, df.analyzed(), st.replace || st.if_exists);
      return empty();
    }
    case sql::StatementKind::kDropView: {
      std::lock_guard<std::mutex> lock(state_->mu);
      if (state_->temp_views.erase(to_lower(st.name)) == 0 && !st.if_exists) {
        throw_error(ErrorKind::kAnalysis, "TABLE_OR_VIEW_NOT_FOUND",
                    "The view `" + st.name +
                        "` cannot be found. Use DROP VIEW IF EXISTS to tolerate a missing view.");
      }
      return empty();
    }
    case sql::StatementKind::kShowTables: {
      std::vector<std::vector<Value>> rows;
      for (const auto& name : table_catalog(*state_).table_names()) {
        rows.push_back({Value::string("default"), Value::string(name), Value::boolean(false)});
      }
      {
        std::lock_guard<std::mutex> lock(state_->mu);
        for (const auto& [key, view] : state_->temp_views) {
          rows.push_back({Value::string(""), Value::string(view.name), Value::boolean(true)});
        }
      }
      return create_data_frame(rows, "namespace STRING, tableName STRING, isTemporary BOOLEAN");
    }
    case sql::StatementKind::kDescribe: {
      std::vector<std::vector<Value>> rows;
      const Schema schema = st.plan->schema();
      if (!st.column.empty()) return describe_column(*this, st);
      for (const auto& f : schema.fields()) {
        rows.push_back(
            {Value::string(f.name), Value::string(f.type.simple_string()), Value::null(DataType::string())});
      }
      // A warehouse table adds Spark's sections: its partition columns, and with EXTENDED where
      // and how it is stored. (A temp view of the same name wins, as in lookups.)
      std::optional<CatalogTable> table;
      if (!st.name.empty()) {
        std::lock_guard<std::mutex> lock(state_->mu);
        if (!state_->temp_views.count(to_lower(st.name))) table = table_catalog(*state_).find(st.name);
      }
      auto section = [&](const std::string& a, const std::string& b) {
        rows.push_back({Value::string(a), Value::string(b), Value::string("")});
      };
      if (table && !table->partition_columns.empty()) {
        section("# Partition Information", "");
        rows.push_back({Value::string("# col_name"), Value::string("data_type"), Value::string("comment")});
        for (const auto& p : table->partition_columns) {
          const Field& f = table->schema.field(static_cast<size_t>(table->schema.index_of(p)));
          rows.push_back(
              {Value::string(f.name), Value::string(f.type.simple_string()), Value::null(DataType::string())});
        }
      }
      if (table && st.extended) {
        section("", "");
        section("# Detailed Table Information", "");
        section("Catalog", "spark_catalog");
        section("Database", "default");
        section("Table", table->name);
        section("Type", table->managed ? "MANAGED" : "EXTERNAL");
        section("Provider", table->provider);
        if (table->statistics) section("Statistics", table->statistics->simple_string());
        section("Location", "file:" + table->location);
      }
      return create_data_frame(rows, "col_name STRING, data_type STRING, comment STRING");
    }
    case sql::StatementKind::kExplain: {
      std::string text = DataFrame(state_, st.plan).explain_string(parse_explain_mode(st.explain_mode));
      return create_data_frame({{Value::string(text)}}, "plan STRING");
    }
    case sql::StatementKind::kSet: {
      RuntimeConfig config = conf();
      if (st.key.empty()) {
        std::vector<std::vector<Value>> rows;
        std::lock_guard<std::mutex> lock(state_->mu);
        for (const auto& [k, v] : state_->settings) rows.push_back({Value::string(k), Value::string(v)});
        return create_data_frame(rows, "key STRING, value STRING");
      }
      if (st.has_value) config.set(st.key, st.value);
      std::string value;
      {
        std::lock_guard<std::mutex> lock(state_->mu);
        value = state_->effective_setting(st.key).value_or("<undefined>");
      }
      return create_data_frame({{Value::string(st.key), Value::string(value)}}, "key STRING, value STRING");
    }
    case sql::StatementKind::kCacheTable: {
      // The view's plan becomes a scan of cached data; the data is computed now (CACHE TABLE is
      // eager in Spark) and UNCACHE TABLE restores the plan.
      DataFrame df(state_, st.plan);
      df.cache();
      std::shared_ptr<CachedData> data;
      {
        std::lock_guard<std::mutex> lock(state_->mu);
        data = state_->cache[df.analyzed().get()];
      }
      auto src = std::make_shared<DataSource>();
      src->kind = SourceKind::kCached;
      src->schema = df.analyzed()->schema();
      src->cached = data;
      auto rel = std::make_shared<LogicalPlan>();
      rel->kind = PlanKind::kRelation;
      rel->source = std::move(src);
      rel->output = df.analyzed()->output;
      rel->resolved = true;
      register_view(*state_, st.name, rel, true);
      DataFrame(state_, rel).count();
      return empty();
    }
    case sql::StatementKind::kUncacheTable: {
      std::lock_guard<std::mutex> lock(state_->mu);
      auto it = state_->temp_views.find(to_lower(st.name));
      if (it == state_->temp_views.end()) {
        if (st.if_exists) return empty();
        throw_error(ErrorKind::kAnalysis, "TABLE_OR_VIEW_NOT_FOUND",
                    "The table or view `" + st.name + "` cannot be found.");
      }
      const PlanPtr& plan = it->second.plan;
      if (plan->kind == PlanKind::kRelation && plan->source && plan->source->kind == SourceKind::kCached) {
        PlanPtr original = plan->source->cached->plan;
        state_->blocks->remove_rdd(plan->source->cached->rdd_id);
        state_->cache.erase(original.get());
        it->second.plan = original;
      }
      return empty();
    }
    case sql::StatementKind::kCreateTable: return create_table(*this, st);
    case sql::StatementKind::kAnalyzeTable:
    case sql::StatementKind::kAnalyzeTables: {
      run_analyze(
          state_, table_catalog(*state_), st,
          [&](const std::string& name) { return catalog.relation({name}); },
          [&](const CatalogTable& t) { return read_table(state_, t); });
      return empty();
    }
    case sql::StatementKind::kInsert: {
      std::optional<CatalogTable> t = table_catalog(*state_).find(st.name);
      if (!t) {
        throw_error(ErrorKind::kAnalysis, "TABLE_OR_VIEW_NOT_FOUND",
                    "INSERT: the table `" + st.name + "` cannot be found (CREATE TABLE first)");
      }
      // By position, cast to the table's types with the ANSI store-assignment rules (an overflow
      // is an error, not a silent null).
      if (st.plan->output.size() != t->schema.size()) {
        throw_error(ErrorKind::kAnalysis, "INSERT_COLUMN_ARITY_MISMATCH",
                    "Cannot write to `" + t->name + "`: the table has " + std::to_string(t->schema.size()) +
                        " columns (" + t->schema.to_ddl() + ") but the query produces " +
                        std::to_string(st.plan->output.size()));
      }
      std::vector<ColumnOrName> cols;
      for (size_t i = 0; i < t->schema.size(); ++i) {
        const Field& f = t->schema.field(i);
        cols.emplace_back(Column(st.plan->output[i]).cast(f.type).alias(f.name));
      }
      DataFrameWriter writer = DataFrame(state_, st.plan).select(cols).write();
      writer.format(t->provider).options(t->options).mode(st.overwrite ? "overwrite" : "append");
      if (!t->partition_columns.empty()) writer.partition_by(t->partition_columns);
      writer.save(t->location);
      update_statistics_after_write(*state_, table_catalog(*state_), t->name);
      return empty();
    }
    case sql::StatementKind::kDropTable: {
      if (!table_catalog(*state_).drop(st.name) && !st.if_exists) {
        throw_error(ErrorKind::kAnalysis, "TABLE_OR_VIEW_NOT_FOUND",
                    "The table `" + st.name + "` cannot be found. Use DROP TABLE IF EXISTS to tolerate a missing table.");
      }
      return empty();
    }
  }
  throw_internal(__FILE__, __LINE__, "unknown statement kind");
}

}  // namespace ember
