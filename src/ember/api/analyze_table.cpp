#include "ember/api/analyze_table.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "ember/analyzer/analyzer.h"
#include "ember/api/dataframe.h"
#include "ember/api/functions.h"
#include "ember/api/session_state.h"
#include "ember/common/error.h"

namespace ember {

namespace {

namespace fs = std::filesystem;

bool is_data_name(const std::string& name) { return !name.empty() && name[0] != '_' && name[0] != '.'; }

// Spark's name of a catalog table in messages (toSQLId of its three-part identifier).
std::string table_sql_id(const std::string& name) { return "`spark_catalog`.`default`.`" + name + "`"; }

bool is_analyze_columns(const sql::Statement& st) { return st.all_columns || !st.columns.empty(); }

// The attributes FOR COLUMNS / FOR ALL COLUMNS names, checked as Spark's
// AnalyzeColumnCommand.getColumnsToAnalyze checks them.
std::vector<ExprPtr> columns_to_analyze(const PlanPtr& plan, const sql::Statement& st,
                                        const std::string& table_id) {
  std::vector<ExprPtr> out;
  if (st.all_columns) {
    out = plan->output;
  } else {
    for (const auto& name : st.columns) {
      ExprPtr found;
      for (const auto& a : plan->output) {
        if (equals_ignore_case(a->name, name)) found = a;
      }
      if (!found) {
        std::vector<std::string> names;
        for (const auto& a : plan->output) names.push_back(a->name);
        std::string msg =
            "The column `" + name +
            "` cannot be found. Verify the spelling and correctness of the column name according to "
            "the SQL config \"spark.sql.caseSensitive\".";
        std::vector<std::string> close = closest_names(name, names, 3);
        for (size_t i = 0; i < close.size(); ++i) {
          msg += (i ? ", `" : " Did you mean one of the following? [`") + close[i] + "`";
        }
        if (!close.empty()) msg += "].";
        throw_error(ErrorKind::kAnalysis, "COLUMN_NOT_FOUND", msg);
      }
      bool seen = false;
      for (const auto& a : out) seen |= a->id == found->id;
      if (!seen) out.push_back(found);
    }
  }
  for (const auto& a : out) {
    if (!analyzable_column_type(a->type)) {
      throw_error(
          ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE.ANALYZE_UNSUPPORTED_COLUMN_TYPE",
          "The feature is not supported: The ANALYZE TABLE FOR COLUMNS command does not support the type \"" +
              a->type.sql_string() + "\" of the column `" + a->name + "` in the table " + table_id + ".");
    }
  }
  return out;
}

struct ComputedStatistics {
  int64_t rows = 0;
  std::map<std::string, ColumnStat> columns;  // by lower-cased name
};

// One aggregate job over `plan` (Spark's CommandUtils.computeColumnStats): count(*), and per
// column the non-null count, approx_count_distinct (the HyperLogLog++ of functions/aggregate, with
// spark.sql.statistics.ndv.maxError) and min/max, or for strings and binaries avg/max length.
// The distinct count is capped by the non-null count, as Spark's least(ndv, count(col)).
ComputedStatistics compute_statistics(const std::shared_ptr<SessionState>& state, const PlanPtr& plan,
                                      const std::vector<ExprPtr>& columns) {
  namespace F = functions;
  const double rsd = state->statistics_options().ndv_max_error;
  std::vector<Column> aggs;
  auto add = [&](const Column& c) {
    aggs.push_back(c.alias("stat" + std::to_string(aggs.size())));
    return aggs.size() - 1;
  };
  add(F::count("*"));
  struct Slots {
    size_t non_null = 0, distinct = 0, min = 0, max = 0;
  };
  std::vector<Slots> slots;
  for (const auto& a : columns) {
    Column c(a);
    Slots s;
    s.non_null = add(F::count(c));
    s.distinct = add(F::approx_count_distinct(c, rsd));
    const bool variable = a->type.id() == TypeId::kString || a->type.id() == TypeId::kBinary;
    s.min = add(variable ? F::avg(F::length(c)) : F::min(c));
    s.max = add(variable ? F::max(F::length(c)) : F::max(c));
    slots.push_back(s);
  }
  std::vector<Row> result = DataFrame(state, plan).agg(aggs).collect();
  const std::vector<Value>& v = result.at(0).values();
  ComputedStatistics out;
  out.rows = v[0].as_int64();
  for (size_t k = 0; k < columns.size(); ++k) {
    const ExprPtr& a = columns[k];
    const Slots& s = slots[k];
    ColumnStat c;
    const int64_t non_null = v[s.non_null].as_int64();
    c.distinct_count = static_cast<double>(std::min(v[s.distinct].as_int64(), non_null));
    c.null_count = static_cast<double>(out.rows - non_null);
    const double fallback = static_cast<double>(default_column_size(a->type));
    if (a->type.id() == TypeId::kString || a->type.id() == TypeId::kBinary) {
      // Spark: ceil(avg(length)) and max(length), the type's default size when no value is set.
      c.avg_len = v[s.min].is_null() ? fallback : std::ceil(v[s.min].as_double());
      c.max_len = v[s.max].is_null() ? fallback : static_cast<double>(v[s.max].as_int64());
    } else {
      c.avg_len = c.max_len = fallback;
      if (!v[s.min].is_null()) c.min = v[s.min];
      if (!v[s.max].is_null()) c.max = v[s.max];
    }
    out.columns[to_lower(a->name)] = std::move(c);
  }
  return out;
}

// Spark's CommandUtils.compareAndGetNewStats: nullopt when nothing changed (the old statistics,
// column statistics included, stay). A new size starts over with the size alone, since the old row
// count and column statistics described other data; a new row count alone keeps the rest.
std::optional<TableStatistics> compare_and_get_new(const std::optional<TableStatistics>& old, int64_t size,
                                                   std::optional<int64_t> rows) {
  const int64_t old_size = old ? old->size_in_bytes : -1;
  const int64_t old_rows = old && old->row_count ? *old->row_count : -1;
  std::optional<TableStatistics> out;
  if (size >= 0 && size != old_size) {
    out = TableStatistics();
    out->size_in_bytes = size;
  }
  if (rows && *rows >= 0 && *rows != old_rows) {
    if (out) {
      out->row_count = rows;
    } else if (old) {
      out = *old;
      out->row_count = rows;
    }
  }
  return out;
}

void analyze_catalog_table(const std::shared_ptr<SessionState>& state, const TableCatalog& tables,
                           const CatalogTable& t, const sql::Statement& st, const PlanPtr& plan) {
  const int64_t size = table_data_size(t.location);
  if (is_analyze_columns(st)) {
    std::vector<ExprPtr> columns = columns_to_analyze(plan, st, table_sql_id(t.name));
    ComputedStatistics computed = compute_statistics(state, plan, columns);
    TableStatistics s;
    s.size_in_bytes = size;
    s.row_count = computed.rows;
    if (t.statistics) s.columns = t.statistics->columns;
    for (auto& [name, c] : computed.columns) s.columns[name] = std::move(c);
    tables.set_statistics(t.name, std::move(s));
    return;
  }
  std::optional<int64_t> rows;
  if (!st.noscan) rows = compute_statistics(state, plan, {}).rows;
  if (std::optional<TableStatistics> s = compare_and_get_new(t.statistics, size, rows)) {
    tables.set_statistics(t.name, std::move(s));
  }
}

// The cached data a temp view's plan reads (CACHE TABLE's relation, or a cache()d DataFrame's
// plan); null when the view is not cached.
std::shared_ptr<CachedData> cached_data_of(SessionState& state, const PlanPtr& plan) {
  if (plan->kind == PlanKind::kRelation && plan->source && plan->source->kind == SourceKind::kCached) {
    return plan->source->cached;
  }
  std::lock_guard<std::mutex> lock(state.mu);
  auto it = state.cache.find(plan.get());
  return it == state.cache.end() ? nullptr : it->second;
}

// A temp view: FOR COLUMNS of a cached view only (Spark keeps the statistics with the cached
// relation, for the session's lifetime).
void analyze_temp_view(const std::shared_ptr<SessionState>& state, const sql::Statement& st,
                       const PlanPtr& plan) {
  if (!is_analyze_columns(st)) {
    throw_error(ErrorKind::kAnalysis, "EXPECT_PERMANENT_VIEW_NOT_TEMP",
                "'ANALYZE TABLE' expects a permanent view but `" + st.name + "` is a temp view.");
  }
  std::shared_ptr<CachedData> cached = cached_data_of(*state, plan);
  if (!cached) {
    throw_error(
        ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE.ANALYZE_UNCACHED_TEMP_VIEW",
        "The feature is not supported: The ANALYZE TABLE FOR COLUMNS command can operate on temporary views "
        "that have been cached already. Consider to cache the view `" +
            st.name + "`.");
  }
  std::vector<ExprPtr> columns = columns_to_analyze(plan, st, "`" + st.name + "`");
  ComputedStatistics computed = compute_statistics(state, plan, columns);
  std::lock_guard<std::mutex> lock(cached->mu);
  auto s = std::make_shared<TableStatistics>();
  if (cached->analyzed_statistics) *s = *cached->analyzed_statistics;
  s->row_count = computed.rows;
  for (auto& [name, c] : computed.columns) s->columns[name] = std::move(c);
  cached->analyzed_statistics = std::move(s);
}

std::string null_or(const std::optional<double>& x) {
  return x ? std::to_string(static_cast<int64_t>(*x)) : "NULL";
}

}  // namespace

int64_t table_data_size(const std::string& location) {
  int64_t total = 0;
  std::error_code ec;
  fs::recursive_directory_iterator it(location, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (!is_data_name(it->path().filename().string())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) total += static_cast<int64_t>(it->file_size(ec));
  }
  return total;
}

void run_analyze(const std::shared_ptr<SessionState>& state, const TableCatalog& tables,
                 const sql::Statement& st, const std::function<PlanPtr(const std::string&)>& resolve,
                 const std::function<PlanPtr(const CatalogTable&)>& read) {
  if (st.kind == sql::StatementKind::kAnalyzeTables) {
    if (!st.name.empty() && !equals_ignore_case(st.name, "default")) {
      throw_error(
          ErrorKind::kAnalysis, "SCHEMA_NOT_FOUND",
          "The schema `spark_catalog`.`" + st.name +
              "` cannot be found. Verify the spelling and correctness of the schema and catalog. ember's "
              "warehouse has the one schema `default`.");
    }
    // Every table of the warehouse, by its own plan (a temp view of the same name does not hide
    // it here: ANALYZE TABLES lists the catalog's tables).
    for (const auto& name : tables.table_names()) {
      std::optional<CatalogTable> t = tables.find(name);
      if (!t) continue;
      sql::Statement one = st;
      one.kind = sql::StatementKind::kAnalyzeTable;
      one.name = name;
      analyze_catalog_table(state, tables, *t, one, read(*t));
    }
    return;
  }
  PlanPtr plan = resolve(st.name);  // TABLE_OR_VIEW_NOT_FOUND, with suggestions, for an unknown name
  bool is_view = false;
  {
    std::lock_guard<std::mutex> lock(state->mu);
    is_view = state->temp_views.count(to_lower(st.name)) > 0;
  }
  if (is_view) {
    analyze_temp_view(state, st, plan);
    return;
  }
  std::optional<CatalogTable> t = tables.find(st.name);
  if (!t)
    throw_internal(__FILE__, __LINE__, "ANALYZE: `" + st.name + "` resolved but is neither view nor table");
  analyze_catalog_table(state, tables, *t, st, plan);
}

void update_statistics_after_write(const SessionState& state, const TableCatalog& tables,
                                   const std::string& name) {
  std::optional<CatalogTable> t = tables.find(name);
  if (!t) return;
  if (state.statistics_options().size_auto_update) {
    const int64_t size = table_data_size(t->location);
    if (!t->statistics || t->statistics->size_in_bytes != size) {
      TableStatistics s;
      s.size_in_bytes = size;
      tables.set_statistics(t->name, std::move(s));
    }
  } else if (t->statistics) {
    tables.set_statistics(t->name, std::nullopt);
  }
}

std::vector<std::vector<Value>> describe_column_rows(const Field& field, const ColumnStat* stat,
                                                     bool extended) {
  std::vector<std::vector<Value>> rows;
  auto row = [&](const char* name, const std::string& value) {
    rows.push_back({Value::string(name), Value::string(value)});
  };
  row("col_name", field.name);
  row("data_type", field.type.simple_string());
  row("comment", "NULL");
  if (!extended) return rows;
  row("min", stat && stat->min ? external_stat_value(*stat->min) : "NULL");
  row("max", stat && stat->max ? external_stat_value(*stat->max) : "NULL");
  row("num_nulls", stat ? null_or(stat->null_count) : "NULL");
  row("distinct_count", stat ? null_or(stat->distinct_count) : "NULL");
  row("avg_col_len", stat ? null_or(stat->avg_len) : "NULL");
  row("max_col_len", stat ? null_or(stat->max_len) : "NULL");
  row("histogram", "NULL");
  return rows;
}

}  // namespace ember
