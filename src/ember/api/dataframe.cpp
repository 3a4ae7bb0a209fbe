#include "ember/api/dataframe.h"

#include <cstdio>
#include <iostream>
#include <optional>

#include "ember/analyzer/analyzer.h"
#include "ember/api/functions.h"
#include "ember/api/query_execution.h"
#include "ember/api/reader_writer.h"
#include "ember/api/session_state.h"
#include "ember/api/show_format.h"
#include "ember/api/window.h"
#include "ember/common/error.h"
#include "ember/plan/set_operation.h"
#include "ember/types/time_zone.h"

namespace ember {

namespace {

std::vector<ExprPtr> to_exprs(const std::vector<ColumnOrName>& cols) {
  std::vector<ExprPtr> out;
  for (const auto& c : cols) out.push_back(c.expr());
  return out;
}

std::vector<Row> to_rows(const std::vector<Batch>& batches, const Schema& schema, int64_t limit = -1) {
  auto shared = std::make_shared<const Schema>(schema);
  std::vector<Row> rows;
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows; ++r) {
      if (limit >= 0 && static_cast<int64_t>(rows.size()) >= limit) return rows;
      std::vector<Value> values;
      values.reserve(b.num_columns());
      for (const auto& c : b.columns) values.push_back(c->value_at(r));
      rows.emplace_back(std::move(values), shared);
    }
  }
  return rows;
}

}  // namespace

const Value& Row::operator[](const std::string& name) const {
  int i = schema_ ? schema_->index_of(name) : -1;
  if (i < 0) {
    throw_error(ErrorKind::kIllegalArgument, "FIELD_NOT_FOUND",
                "no field '" + name + "' in row; fields: " + (schema_ ? schema_->to_ddl() : ""));
  }
  return values_[static_cast<size_t>(i)];
}

std::string Row::to_string() const {
  std::string s = "Row(";
  for (size_t i = 0; i < values_.size(); ++i) {
    if (i) s += ", ";
    if (schema_ && i < schema_->size()) s += schema_->field(i).name + "=";
    const Value& v = values_[i];
    if (v.is_null()) s += "None";
    else if (v.type().id() == TypeId::kString) s += "'" + v.as_string() + "'";
    else s += v.to_string();
  }
  return s + ")";
}

std::string QueryMetrics::to_string() const {
  std::string s = std::to_string(num_stages) + " stages, " + std::to_string(num_tasks) + " tasks";
  if (bad_records > 0) s += ", " + std::to_string(bad_records) + " bad records";
  if (runtime_filter_rows_filtered > 0 || runtime_filter_row_groups_skipped > 0) {
    s += ", runtime filters dropped " + std::to_string(runtime_filter_rows_filtered) + " rows and " +
         std::to_string(runtime_filter_row_groups_skipped) + " row groups";
  }
  if (scan_filter_rows_filtered > 0) {
    s += ", scan filters dropped " + std::to_string(scan_filter_rows_filtered) + " rows (" +
         std::to_string(scan_filter_values_skipped) + " values not decoded)";
  }
  s += "\n";
  for (const auto& op : operators) {
    char line[256];
    std::snprintf(line, sizeof(line), "  %-24s rows=%lld batches=%lld time=%.3f ms\n", op.name.c_str(),
                  static_cast<long long>(op.rows_out), static_cast<long long>(op.batches_out), op.nanos / 1e6);
    s += line;
  }
  return s;
}

DataFrame::DataFrame(std::shared_ptr<SessionState> session, PlanPtr plan)
    : session_(std::move(session)),
      plan_(std::move(plan)),
      metrics_(std::make_shared<QueryMetrics>()),
      analyzed_(std::make_shared<AnalyzedPlan>()) {}

DataFrame DataFrame::select(const std::vector<ColumnOrName>& cols) const { return derive(make_project(analyzed(), to_exprs(cols))); }
DataFrame DataFrame::filter(const Column& condition) const { return derive(make_filter(analyzed(), condition.expr())); }
DataFrame DataFrame::with_column(const std::string& name, const Column& value) const {
  return derive(make_with_columns(analyzed(), {name}, {value.expr()}));
}
DataFrame DataFrame::with_columns(const std::map<std::string, Column>& columns) const {
  std::vector<std::string> names;
  std::vector<ExprPtr> exprs;
  for (const auto& [n, c] : columns) {
    names.push_back(n);
    exprs.push_back(c.expr());
  }
  return derive(make_with_columns(analyzed(), std::move(names), std::move(exprs)));
}
DataFrame DataFrame::with_column_renamed(const std::string& existing, const std::string& new_name) const {
  return derive(make_with_column_renamed(analyzed(), existing, new_name));
}
DataFrame DataFrame::drop(const std::vector<std::string>& names) const { return derive(make_drop(analyzed(), names)); }
GroupedData DataFrame::group_by(const std::vector<ColumnOrName>& cols) const { return GroupedData(*this, to_exprs(cols)); }
GroupedData DataFrame::groupBy(const std::vector<ColumnOrName>& cols) const { return group_by(cols); }
DataFrame DataFrame::agg(const std::vector<Column>& aggregates) const { return GroupedData(*this, {}).agg(aggregates); }
GroupedData DataFrame::rollup(const std::vector<ColumnOrName>& cols) const {
  return GroupedData(*this, to_exprs(cols), GroupedData::Kind::kRollup);
}
GroupedData DataFrame::cube(const std::vector<ColumnOrName>& cols) const {
  return GroupedData(*this, to_exprs(cols), GroupedData::Kind::kCube);
}

DataFrame DataFrame::order_by(const std::vector<ColumnOrName>& cols) const {
  return derive(make_sort(analyzed(), to_exprs(cols), true));
}
DataFrame DataFrame::sort_within_partitions(const std::vector<ColumnOrName>& cols) const {
  return derive(make_sort(analyzed(), to_exprs(cols), false));
}
DataFrame DataFrame::limit(int64_t n) const {
  if (n < 0) throw_error(ErrorKind::kIllegalArgument, "limit() needs a non-negative number of rows, got " + std::to_string(n));
  return derive(make_limit(analyzed(), n));
}
DataFrame DataFrame::sample(double fraction, int64_t seed, bool with_replacement) const {
  if (!(fraction >= 0) || (!with_replacement && fraction > 1)) {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_SAMPLING_FRACTION",
                "Sampling fraction (" + std::to_string(fraction) + ") must be " +
                    (with_replacement ? "nonnegative" : "on interval [0, 1] without replacement"));
  }
  return derive(make_sample(analyzed(), fraction, with_replacement, seed));
}

DataFrame DataFrame::distinct() const { return derive(make_distinct(analyzed())); }
DataFrame DataFrame::union_all(const DataFrame& other) const { return derive(make_union({analyzed(), other.analyzed()})); }
DataFrame DataFrame::union_by_name(const DataFrame& other, bool allow_missing_columns) const {
  return derive(make_union_by_name(analyzed(), other.analyzed(), allow_missing_columns));
}
DataFrame DataFrame::repartition(int num_partitions, const std::vector<ColumnOrName>& cols) const {
  if (num_partitions < 1) {
    throw_error(ErrorKind::kIllegalArgument, "repartition() needs a positive number of partitions, got " +
                                                 std::to_string(num_partitions));
  }
  return derive(make_repartition(analyzed(), num_partitions, to_exprs(cols), true));
}
DataFrame DataFrame::repartition(const std::vector<ColumnOrName>& cols) const {
  return derive(make_repartition(analyzed(), 0, to_exprs(cols), true));
}
DataFrame DataFrame::coalesce(int num_partitions) const {
  if (num_partitions < 1) {
    throw_error(ErrorKind::kIllegalArgument, "coalesce() needs a positive number of partitions, got " +
                                                 std::to_string(num_partitions));
  }
  return derive(make_repartition(analyzed(), num_partitions, {}, false));
}

DataFrame DataFrame::persist(const std::string& storage_level) const {
  return persist(StorageLevel::parse(storage_level));
}

DataFrame DataFrame::persist(const StorageLevel& storage_level) const {
  const PlanPtr& plan = analyzed();
  std::lock_guard<std::mutex> lock(session_->mu);
  auto& entry = session_->cache[plan.get()];
  if (!entry) {
    entry = std::make_shared<CachedData>();
    entry->plan = plan;
    entry->storage_level = storage_level;
    entry->rdd_id = session_->blocks->new_rdd_id();
  }
  return *this;
}

DataFrame DataFrame::unpersist() const {
  const PlanPtr& plan = analyzed();
  std::lock_guard<std::mutex> lock(session_->mu);
  if (auto it = session_->cache.find(plan.get()); it != session_->cache.end()) {
    session_->blocks->remove_rdd(it->second->rdd_id);
    session_->cache.erase(it);
  }
  return *this;
}

bool DataFrame::is_cached() const {
  const PlanPtr& plan = analyzed();
  std::lock_guard<std::mutex> lock(session_->mu);
  return session_->cache.count(plan.get()) > 0;
}

StorageLevel DataFrame::storage_level() const {
  const PlanPtr& plan = analyzed();
  std::lock_guard<std::mutex> lock(session_->mu);
  auto it = session_->cache.find(plan.get());
  return it == session_->cache.end() ? StorageLevel::none() : it->second->storage_level;
}

DataFrame DataFrame::alias(const std::string& name) const { return derive(make_subquery_alias(analyzed(), name)); }

namespace {

JoinType parse_join_type(const std::string& how) {
  std::string h;
  for (char c : how) {
    if (c != '_') h += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (h == "inner") return JoinType::kInner;
  if (h == "cross") return JoinType::kCross;
  if (h == "outer" || h == "full" || h == "fullouter") return JoinType::kFullOuter;
  if (h == "left" || h == "leftouter") return JoinType::kLeftOuter;
  if (h == "right" || h == "rightouter") return JoinType::kRightOuter;
  if (h == "semi" || h == "leftsemi") return JoinType::kLeftSemi;
  if (h == "anti" || h == "leftanti") return JoinType::kLeftAnti;
  throw_error(ErrorKind::kIllegalArgument, "UNSUPPORTED_JOIN_TYPE",
              "Unsupported join type '" + how +
                  "'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', "
                  "'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', "
                  "'leftanti', 'left_anti', 'anti', 'cross'.");
}

}  // namespace

DataFrame DataFrame::join(const DataFrame& other, const JoinOn& on, const std::string& how) const {
  JoinType type = parse_join_type(how);
  if (on.condition()) return derive(make_join(analyzed(), other.analyzed(), type, on.condition()));
  if (type == JoinType::kCross) {
    throw_error(ErrorKind::kIllegalArgument, "UNSUPPORTED_JOIN_TYPE",
                "a cross join takes no join columns; use cross_join(other) or a condition");
  }
  return derive(make_join_using(analyzed(), other.analyzed(), type, on.columns()));
}

// INTERSECT / EXCEPT [ALL] as semi / anti joins (plan/set_operation.h, shared with SQL).
DataFrame DataFrame::set_operation(const DataFrame& other, const char* /*name*/, bool keep_matches, bool all) const {
  return derive(make_set_operation(analyzed(), other.analyzed(), keep_matches, all,
                                   [&](const PlanPtr& p) { return QueryExecution(session_, p).analyzed(); }));
}

DataFrame DataFrame::intersect(const DataFrame& other) const { return set_operation(other, "INTERSECT", true, false); }
DataFrame DataFrame::intersect_all(const DataFrame& other) const {
  return set_operation(other, "INTERSECT ALL", true, true);
}
DataFrame DataFrame::subtract(const DataFrame& other) const { return set_operation(other, "EXCEPT", false, false); }
DataFrame DataFrame::except_all(const DataFrame& other) const { return set_operation(other, "EXCEPT ALL", false, true); }

DataFrame DataFrame::drop_duplicates(const std::vector<std::string>& subset) const {
  if (subset.empty()) return distinct();
  const Schema s = schema();
  std::vector<ColumnOrName> keys;
  for (const auto& name : subset) keys.emplace_back(name);
  std::vector<Column> others;
  std::vector<ColumnOrName> order;
  for (const auto& f : s.fields()) {
    bool is_key = std::any_of(subset.begin(), subset.end(), [&](const std::string& k) { return equals_ignore_case(k, f.name); });
    if (is_key) require_no_map_in_set_operation(f.name, f.type);
    if (!is_key) others.push_back(Column(make_aggregate("first", {make_column(f.name)})).alias(f.name));
    order.emplace_back(f.name);
  }
  if (others.empty()) return select(keys).distinct().select(order);
  return group_by(keys).agg(others).select(order);
}

NaFunctions DataFrame::na() const { return NaFunctions(*this); }

namespace {

bool numeric_type(const DataType& t) { return t.is_numeric(); }
bool string_type(const DataType& t) { return t.id() == TypeId::kString; }
bool boolean_type(const DataType& t) { return t.id() == TypeId::kBoolean; }

// The columns of `df` named in `subset` (all when empty); an unknown name is an analysis error.
std::vector<Field> subset_fields(const DataFrame& df, const std::vector<std::string>& subset) {
  const Schema s = df.schema();
  if (subset.empty()) return s.fields();
  std::vector<Field> out;
  for (const auto& name : subset) {
    int i = s.index_of(name);
    if (i < 0) {
      throw_error(ErrorKind::kAnalysis, "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION",
                  "column '" + name + "' does not exist. Available: " + s.to_ddl());
    }
    out.push_back(s.field(static_cast<size_t>(i)));
  }
  return out;
}

}  // namespace

DataFrame NaFunctions::fill_where(const Value& value, bool (*applies)(const DataType&),
                                  const std::vector<std::string>& subset) const {
  const std::vector<Field> targets = subset_fields(df_, subset);
  std::vector<ColumnOrName> cols;
  const Schema schema = df_.schema();
  for (const auto& f : schema.fields()) {
    bool chosen = applies(f.type) && std::any_of(targets.begin(), targets.end(), [&](const Field& t) {
                    return equals_ignore_case(t.name, f.name);
                  });
    if (!chosen) {
      cols.emplace_back(functions::col(f.name));
      continue;
    }
    cols.emplace_back(functions::coalesce({functions::col(f.name), functions::lit(value).cast(f.type.simple_string())}).alias(f.name));
  }
  return df_.select(cols);
}

DataFrame NaFunctions::fill(double value, const std::vector<std::string>& subset) const {
  return fill_where(Value::float64(value), &numeric_type, subset);
}
DataFrame NaFunctions::fill(int64_t value, const std::vector<std::string>& subset) const {
  return fill_where(Value::int64(value), &numeric_type, subset);
}
DataFrame NaFunctions::fill(const std::string& value, const std::vector<std::string>& subset) const {
  return fill_where(Value::string(value), &string_type, subset);
}
DataFrame NaFunctions::fill(bool value, const std::vector<std::string>& subset) const {
  return fill_where(Value::boolean(value), &boolean_type, subset);
}

DataFrame NaFunctions::fill(const std::map<std::string, Value>& values) const {
  const Schema s = df_.schema();
  for (const auto& [name, v] : values) subset_fields(df_, {name});  // unknown names fail
  std::vector<ColumnOrName> cols;
  for (const auto& f : s.fields()) {
    auto it = std::find_if(values.begin(), values.end(), [&](const auto& kv) { return equals_ignore_case(kv.first, f.name); });
    if (it == values.end()) {
      cols.emplace_back(functions::col(f.name));
    } else {
      cols.emplace_back(functions::coalesce({functions::col(f.name), functions::lit(it->second).cast(f.type.simple_string())}).alias(f.name));
    }
  }
  return df_.select(cols);
}

DataFrame NaFunctions::drop(const std::string& how, int thresh, const std::vector<std::string>& subset) const {
  const std::vector<Field> targets = subset_fields(df_, subset);
  std::string h = to_lower(how);
  if (h != "any" && h != "all") {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_PARAMETER_VALUE", "na.drop how must be 'any' or 'all', got '" + how + "'");
  }
  int needed = thresh >= 0 ? thresh : (h == "any" ? static_cast<int>(targets.size()) : 1);
  if (targets.empty()) return df_;
  // Count the non-null values of the row among the targets and keep rows with enough.
  ExprPtr count;
  for (const auto& f : targets) {
    ExprPtr one = make_case({make_call("isnotnull", {make_column(f.name)}), make_literal(Value::int32(1)), make_literal(Value::int32(0))});
    count = count ? make_call("+", {count, one}) : one;
  }
  return df_.filter(Column(make_call(">=", {count, make_literal(Value::int32(needed))})));
}

DataFrame NaFunctions::replace(const Value& from, const Value& to, const std::vector<std::string>& subset) const {
  const std::vector<Field> targets = subset_fields(df_, subset);
  std::vector<ColumnOrName> cols;
  const Schema schema = df_.schema();
  for (const auto& f : schema.fields()) {
    bool chosen = std::any_of(targets.begin(), targets.end(), [&](const Field& t) { return equals_ignore_case(t.name, f.name); });
    bool same_family = (from.type().is_numeric() && f.type.is_numeric()) || from.type() == f.type;
    if (!chosen || !same_family || from.is_null()) {
      cols.emplace_back(functions::col(f.name));
      continue;
    }
    cols.emplace_back(functions::when(functions::col(f.name) == functions::lit(from), functions::lit(to).cast(f.type.simple_string()))
                          .otherwise(functions::col(f.name))
                          .alias(f.name));
  }
  return df_.select(cols);
}

DataFrame functions::broadcast(const DataFrame& df) {
  return DataFrame(df.session(), make_broadcast_hint(df.analyzed()));
}

DataFrame DataFrame::join(const DataFrame& other) const {
  return derive(make_join(analyzed(), other.analyzed(), JoinType::kInner, nullptr));
}

DataFrame DataFrame::cross_join(const DataFrame& other) const {
  return derive(make_join(analyzed(), other.analyzed(), JoinType::kCross, nullptr));
}

Column DataFrame::col(const std::string& name) const {
  if (name == "*") return functions::col(name);
  const PlanPtr& plan = analyzed();
  AnalyzerOptions options;
  options.ansi = session_->ansi();
  options.case_sensitive = to_lower(session_->setting("spark.sql.caseSensitive", "false")) == "true";
  return Column(Analyzer(options).resolve_expression(make_column(name), plan->output, false));
}

const PlanPtr& DataFrame::analyzed() const {
  std::lock_guard<std::mutex> lock(analyzed_->mu);
  if (!analyzed_->plan) analyzed_->plan = QueryExecution(session_, plan_).analyzed();
  return analyzed_->plan;
}
Schema DataFrame::schema() const { return analyzed()->schema(); }
std::vector<std::string> DataFrame::columns() const { return schema().names(); }
std::vector<std::pair<std::string, std::string>> DataFrame::dtypes() const {
  std::vector<std::pair<std::string, std::string>> out;
  const Schema s = schema();
  for (const auto& f : s.fields()) out.emplace_back(f.name, f.type.simple_string());
  return out;
}
std::string DataFrame::schema_tree_string() const { return schema().tree_string(); }
void DataFrame::print_schema() const { std::cout << schema_tree_string() << "\n" << std::flush; }

std::vector<Row> DataFrame::collect() const {
  QueryExecution qe(session_, analyzed());
  Schema schema = qe.analyzed()->schema();
  auto rows = to_rows(qe.collect(metrics_.get()), schema);
  std::string executed = qe.adaptive_plan_string();
  std::lock_guard<std::mutex> lock(analyzed_->mu);
  analyzed_->executed_plan = std::move(executed);
  return rows;
}

int64_t DataFrame::count() const {
  QueryExecution qe(session_, make_project(analyzed(), {functions::count("*").alias("count").expr()}));
  auto batches = qe.collect(metrics_.get());
  for (const auto& b : batches) {
    if (b.num_rows > 0) return b.columns[0]->value_at(0).as_int64();
  }
  return 0;
}

std::vector<Row> DataFrame::take(int64_t n) const { return limit(n).collect(); }

Row DataFrame::first() const {
  auto rows = take(1);
  if (rows.empty()) throw_error(ErrorKind::kIllegalArgument, "first() on an empty DataFrame");
  return rows[0];
}

bool DataFrame::is_empty() const { return take(1).empty(); }

std::string DataFrame::show_string(int num_rows, int truncate, bool vertical) const {
  num_rows = std::max(num_rows, 0);
  QueryExecution qe(session_, make_limit(analyzed(), static_cast<int64_t>(num_rows) + 1));
  Schema schema = qe.analyzed()->schema();
  auto batches = qe.collect(metrics_.get());
  const TimeZone& tz = session_->time_zone();
  std::vector<std::vector<std::string>> rows;
  bool has_more = false;
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows; ++r) {
      if (static_cast<int>(rows.size()) >= num_rows) {
        has_more = true;
        break;
      }
      std::vector<std::string> cells;
      for (const auto& c : b.columns) cells.push_back(c->value_at(r).to_string(tz));
      rows.push_back(std::move(cells));
    }
  }
  return format_show_table(schema.names(), rows, num_rows, truncate, vertical, has_more);
}

void DataFrame::show(int num_rows, int truncate, bool vertical) const {
  std::cout << show_string(num_rows, truncate, vertical) << std::flush;
}

std::string DataFrame::explain_string(bool extended) const {
  return explain_string(extended ? ExplainMode::kExtended : ExplainMode::kSimple);
}

std::string DataFrame::explain_string(ExplainMode mode) const {
  QueryExecution qe(session_, plan_);
  std::string text = qe.explain_string(mode);
  // Once collect() ran the query adaptively, explain shows the plan it finally ran (Spark's
  // QueryExecution keeps the executed AdaptiveSparkPlan).
  std::lock_guard<std::mutex> lock(analyzed_->mu);
  const size_t at = text.find("== Physical Plan ==\n");
  if (!analyzed_->executed_plan.empty() && at != std::string::npos && mode != ExplainMode::kFormatted) {
    // Only the physical section: sections after it (EXTENDED's rule report) stay.
    const size_t next = text.find("\n== ", at + 1);
    text = text.substr(0, at) + "== Physical Plan ==\n" + analyzed_->executed_plan +
           (next == std::string::npos ? std::string() : text.substr(next));
  }
  return text;
}

void DataFrame::explain(bool extended) const { std::cout << explain_string(extended) << "\n" << std::flush; }

void DataFrame::explain(ExplainMode mode) const { std::cout << explain_string(mode) << "\n" << std::flush; }

DataFrameWriter DataFrame::write() const { return DataFrameWriter(*this); }

GroupedData GroupedData::pivot(const std::string& column, const std::vector<Value>& values) const {
  GroupedData g = *this;
  g.pivoted_ = true;
  g.pivot_column_ = column;
  g.pivot_values_ = values;
  if (values.empty()) {
    // Spark runs a job for the distinct values, sorted, capped by spark.sql.pivotMaxValues.
    auto rows = df_.select(column).distinct().order_by(functions::col(column)).limit(10001).collect();
    if (rows.size() > 10000) {
      throw_error(ErrorKind::kAnalysis, "PIVOT_VALUE_LIMIT",
                  "The pivot column " + column + " has more than 10000 distinct values; give the values explicitly");
    }
    for (const auto& r : rows) g.pivot_values_.push_back(r[0]);
  }
  return g;
}

// Grouping sets as a union of one projection per set (keys outside the set become null, and a
// set id keeps a null key apart from a rolled-up one), aggregated on (keys, set id): the plan
// Spark's Expand produces, with each set reading the child once.
DataFrame GroupedData::grouping_sets_agg(const std::vector<Column>& aggregates) const {
  const size_t n = keys_.size();
  std::vector<std::vector<bool>> sets;  // sets[s][k]: key k grouped in set s
  if (kind_ == Kind::kRollup) {
    for (size_t keep = n + 1; keep-- > 0;) {
      std::vector<bool> set(n, false);
      for (size_t k = 0; k < keep; ++k) set[k] = true;
      sets.push_back(set);
    }
  } else {
    // Spark's cube order: the grouping id counts up, a set bit meaning "rolled up".
    for (size_t id = 0; id < (size_t{1} << n); ++id) {
      std::vector<bool> set(n);
      for (size_t k = 0; k < n; ++k) set[k] = ((id >> (n - 1 - k)) & 1) == 0;
      sets.push_back(set);
    }
  }
  const Schema key_schema = df_.select([&] {
    std::vector<ColumnOrName> cols;
    for (const auto& k : keys_) cols.emplace_back(Column(k));
    return cols;
  }()).schema();
  std::optional<DataFrame> all;
  for (size_t si = 0; si < sets.size(); ++si) {
    std::vector<ColumnOrName> cols = {functions::col("*")};
    for (size_t k = 0; k < n; ++k) {
      Column key = sets[si][k] ? Column(keys_[k]) : functions::lit(Value::null(key_schema.field(k).type));
      cols.emplace_back(key.cast(key_schema.field(k).type.simple_string()).alias("__grouping_key_" + std::to_string(k)));
    }
    cols.emplace_back(functions::lit(static_cast<int>(si)).alias("__grouping_set"));
    DataFrame branch = df_.select(cols);
    all = all ? all->union_all(branch) : branch;
  }
  std::vector<ColumnOrName> group_cols;
  for (size_t k = 0; k < n; ++k) group_cols.emplace_back("__grouping_key_" + std::to_string(k));
  group_cols.emplace_back("__grouping_set");
  DataFrame aggregated = GroupedData(*all, to_exprs(group_cols)).agg(aggregates);
  std::vector<ColumnOrName> out;
  for (size_t k = 0; k < n; ++k) out.emplace_back(functions::col("__grouping_key_" + std::to_string(k)).alias(key_schema.field(k).name));
  for (const auto& name : aggregated.columns()) {
    if (name.rfind("__grouping_", 0) != 0) out.emplace_back(functions::col(name));
  }
  return aggregated.select(out);
}

// Each aggregate once per pivot value, reading only that value's rows: its arguments become
// CASE WHEN pivot <=> value THEN arg END (count(*) counts the rows of the value).
DataFrame GroupedData::pivot_agg(const std::vector<Column>& aggregates) const {
  std::vector<Column> columns;
  const ExprPtr pivot = make_column(pivot_column_);
  for (const auto& value : pivot_values_) {
    const std::string value_name = value.is_null() ? "null" : value.to_string();
    for (const auto& a : aggregates) {
      ExprPtr e = a.expr();
      std::string agg_name;
      if (e->kind == ExprKind::kAlias) {
        agg_name = e->name;
        e = e->children[0];
      } else {
        agg_name = e->pretty_name();
      }
      ExprPtr filtered = transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
        if (x->kind != ExprKind::kAggregate) return x;
        std::vector<ExprPtr> args;
        for (const auto& arg : x->children) {
          ExprPtr matches = make_call("<=>", {pivot, make_literal(value)});
          args.push_back(make_case({matches, arg}));
        }
        if (args.empty()) args.push_back(make_case({make_call("<=>", {pivot, make_literal(value)}), make_literal(Value::int32(1))}));
        return with_children(*x, std::move(args));
      });
      std::string name = aggregates.size() == 1 ? value_name : value_name + "_" + agg_name;
      columns.push_back(Column(filtered).alias(name));
    }
  }
  GroupedData plain(df_, keys_, kind_);
  return plain.agg(columns);
}

DataFrame GroupedData::agg(const std::vector<Column>& aggregates) const {
  if (pivoted_) return pivot_agg(aggregates);
  if (kind_ != Kind::kGroupBy) return grouping_sets_agg(aggregates);
  std::vector<ExprPtr> exprs = keys_;
  for (const auto& a : aggregates) exprs.push_back(a.expr());
  return DataFrame(df_.session(), make_aggregate(df_.analyzed(), keys_, std::move(exprs)));
}

DataFrame GroupedData::agg(const std::map<std::string, std::string>& column_to_function) const {
  std::vector<Column> aggs;
  for (const auto& [column, function] : column_to_function) {
    std::string f = to_lower(function);
    if (f == "mean") f = "avg";
    if (column == "*" && f == "count") {
      aggs.push_back(functions::count("*"));
    } else {
      aggs.push_back(Column(make_aggregate(f, {make_column(column)})));
    }
  }
  return agg(aggs);
}

DataFrame GroupedData::count() const { return agg({functions::count("*").alias("count")}); }

DataFrame GroupedData::simple(const char* function, const std::vector<std::string>& cols) const {
  std::vector<std::string> names = cols;
  if (names.empty()) {
    // Spark applies sum()/avg()/... with no arguments to every numeric column.
    std::vector<std::string> keys;
    for (const auto& k : keys_) keys.push_back(k->name);
    const Schema schema = df_.schema();
    for (const auto& f : schema.fields()) {
      if (!f.type.is_numeric()) continue;
      bool is_key = false;
      for (const auto& k : keys) is_key |= equals_ignore_case(k, f.name);
      if (!is_key) names.push_back(f.name);
    }
  }
  std::vector<Column> aggs;
  for (const auto& n : names) aggs.push_back(Column(make_aggregate(function, {make_column(n)})));
  return agg(aggs);
}

DataFrame GroupedData::sum(const std::vector<std::string>& cols) const { return simple("sum", cols); }
DataFrame GroupedData::avg(const std::vector<std::string>& cols) const { return simple("avg", cols); }
DataFrame GroupedData::min(const std::vector<std::string>& cols) const { return simple("min", cols); }
DataFrame GroupedData::max(const std::vector<std::string>& cols) const { return simple("max", cols); }

}  // namespace ember
