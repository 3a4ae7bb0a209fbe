#pragma once
// DataFrame: a lazy, immutable query, as in PySpark. Transformations return new DataFrames over a
// bigger logical plan; actions (show, collect, count, take, first, write) analyse, optimise, plan
// and run it.
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ember/api/column.h"
#include "ember/api/row.h"
#include "ember/plan/logical_plan.h"

namespace ember {

struct SessionState;
class DataFrameWriter;
class GroupedData;

// Per-operator metrics of the last job a DataFrame ran (summed over tasks).
struct QueryMetrics {
  int num_stages = 0;
  int num_tasks = 0;
  // Malformed input records the job's scans met (CSV PERMISSIVE/DROPMALFORMED/badRecordsPath).
  int64_t bad_records = 0;
  // Bytes the job's Parquet scans read from their files (what row-group and page pruning save).
  int64_t bytes_read = 0;
  // Cached relations the action read: partitions it had to compute (first use, or blocks that
  // were evicted or lost) and the tasks of the jobs that computed them.
  int cached_partitions_computed = 0;
  int cache_tasks = 0;
  // Scan rows dropped by runtime filters, and Parquet row groups their ranges ruled out.
  int64_t runtime_filter_rows_filtered = 0;
  int64_t runtime_filter_row_groups_skipped = 0;
  // Rows Parquet scans dropped with the filter conjuncts they evaluate while reading, and the
  // column values they therefore never decoded (late materialisation).
  int64_t scan_filter_rows_filtered = 0;
  int64_t scan_filter_values_skipped = 0;
  struct OperatorTotals {
    std::string name;
    int64_t rows_out = 0;
    int64_t batches_out = 0;
    int64_t nanos = 0;
  };
  std::vector<OperatorTotals> operators;
  std::string to_string() const;
};

// What explain() prints, as Spark's `df.explain(mode=...)`: simple (the physical plan), extended
// (parsed, analyzed, optimized and physical plans), codegen (the physical plan; ember generates no
// code), cost (the optimized logical plan with each node's statistics, then the physical plan),
// formatted (an overview of the physical plan with numbered operators, then one section each).
enum class ExplainMode { kSimple, kExtended, kCodegen, kCost, kFormatted };
// "simple", "extended", "codegen", "cost" or "formatted" (any case); anything else is
// kIllegalArgument naming the accepted modes.
ExplainMode parse_explain_mode(const std::string& mode);

// The `on` argument of DataFrame::join: column names or a join condition.
class JoinOn {
 public:
  JoinOn(const char* column) : columns_{column} {}                           // NOLINT
  JoinOn(const std::string& column) : columns_{column} {}                    // NOLINT
  JoinOn(std::initializer_list<std::string> columns) : columns_(columns) {}  // NOLINT
  JoinOn(const std::vector<std::string>& columns) : columns_(columns) {}     // NOLINT
  JoinOn(const Column& condition) : condition_(condition.expr()) {}          // NOLINT
  const std::vector<std::string>& columns() const { return columns_; }
  const ExprPtr& condition() const { return condition_; }

 private:
  std::vector<std::string> columns_;
  ExprPtr condition_;
};

class DataFrame {
 public:
  DataFrame(std::shared_ptr<SessionState> session, PlanPtr plan);

  // --- transformations ---
  DataFrame select(const std::vector<ColumnOrName>& cols) const;
  template <class... Cs>
  DataFrame select(const Cs&... cols) const {
    return select(std::vector<ColumnOrName>{ColumnOrName(cols)...});
  }
  // Spark SQL expressions, each optionally aliased: select_expr("a + 1 AS b", "upper(name)").
  DataFrame select_expr(const std::vector<std::string>& exprs) const;
  template <class... Ss>
  DataFrame select_expr(const std::string& first, const Ss&... more) const {
    return select_expr(std::vector<std::string>{first, std::string(more)...});
  }
  // Names this DataFrame for Session::sql (a session-scoped temporary view).
  void create_or_replace_temp_view(const std::string& name) const;
  // As above, but fails with TEMP_TABLE_OR_VIEW_ALREADY_EXISTS when the name is taken.
  void create_temp_view(const std::string& name) const;
  DataFrame filter(const Column& condition) const;
  DataFrame where(const Column& condition) const { return filter(condition); }
  DataFrame with_column(const std::string& name, const Column& value) const;
  DataFrame with_columns(const std::map<std::string, Column>& columns) const;
  DataFrame with_column_renamed(const std::string& existing, const std::string& new_name) const;
  DataFrame drop(const std::vector<std::string>& names) const;
  template <class... Ns>
  DataFrame drop(const std::string& name, const Ns&... more) const {
    return drop(std::vector<std::string>{name, std::string(more)...});
  }
  GroupedData group_by(const std::vector<ColumnOrName>& cols) const;
  template <class... Cs>
  GroupedData group_by(const Cs&... cols) const;
  GroupedData groupBy(const std::vector<ColumnOrName>& cols) const;
  GroupedData rollup(const std::vector<ColumnOrName>& cols) const;
  GroupedData cube(const std::vector<ColumnOrName>& cols) const;
  // Global aggregation: df.agg(sum("x")).
  DataFrame agg(const std::vector<Column>& aggregates) const;
  template <class... Cs>
  DataFrame agg(const Column& first, const Cs&... more) const {
    return agg(std::vector<Column>{first, Column(more)...});
  }
  DataFrame order_by(const std::vector<ColumnOrName>& cols) const;
  template <class... Cs>
  DataFrame order_by(const Cs&... cols) const {
    return order_by(std::vector<ColumnOrName>{ColumnOrName(cols)...});
  }
  template <class... Cs>
  DataFrame sort(const Cs&... cols) const {
    return order_by(std::vector<ColumnOrName>{ColumnOrName(cols)...});
  }
  DataFrame sort_within_partitions(const std::vector<ColumnOrName>& cols) const;
  DataFrame limit(int64_t n) const;
  // A random subset: each row kept with probability `fraction` (with_replacement: each row
  // repeated Poisson(fraction) times). The same seed on the same input gives the same rows.
  DataFrame sample(double fraction, int64_t seed = 0, bool with_replacement = false) const;
  DataFrame distinct() const;
  DataFrame drop_duplicates() const { return distinct(); }
  // One row per distinct value of `subset` (the first row met for each, as Spark keeps an
  // arbitrary one); the other columns come from that row.
  DataFrame drop_duplicates(const std::vector<std::string>& subset) const;
  // df.na: fill, drop and replace nulls and values (PySpark's DataFrameNaFunctions).
  class NaFunctions na() const;
  DataFrame union_all(const DataFrame& other) const;
  DataFrame union_(const DataFrame& other) const { return union_all(other); }  // Spark's union is UNION ALL
  DataFrame union_by_name(const DataFrame& other, bool allow_missing_columns = false) const;
  // Set operations by position (nulls compare equal, as in SQL set operations): rows in both
  // (intersect: distinct; intersect_all: with multiplicity), rows of this one not in `other`
  // (subtract, PySpark's subtract/EXCEPT DISTINCT; except_all: with multiplicity).
  DataFrame intersect(const DataFrame& other) const;
  DataFrame intersect_all(const DataFrame& other) const;
  DataFrame subtract(const DataFrame& other) const;
  DataFrame except_all(const DataFrame& other) const;
  DataFrame repartition(int num_partitions, const std::vector<ColumnOrName>& cols = {}) const;
  DataFrame repartition(const std::vector<ColumnOrName>& cols) const;
  DataFrame coalesce(int num_partitions) const;
  // Marks this DataFrame's plan as cached: the next action that reads it computes its partitions
  // and stores them as blocks in the session's block manager at `storage_level` (Spark's names:
  // MEMORY_ONLY, MEMORY_AND_DISK, DISK_ONLY, the _SER and _2 forms, OFF_HEAP; an unknown name is
  // "Invalid StorageLevel"); later actions (of this DataFrame or any derived from it) read them
  // instead of recomputing, and recompute from the plan only the partitions whose blocks were
  // evicted or lost. explain() shows InMemoryRelation / InMemoryTableScan. Returns this DataFrame,
  // as Spark does; persisting cached data again keeps its first level, as Spark does.
  DataFrame cache() const { return persist(StorageLevel::memory_and_disk()); }
  DataFrame persist(const std::string& storage_level = "MEMORY_AND_DISK") const;
  DataFrame persist(const StorageLevel& storage_level) const;
  // Drops the cached data and frees its blocks (memory and files); later actions recompute.
  DataFrame unpersist() const;
  bool is_cached() const;
  // Spark's Dataset.storageLevel: the level this DataFrame is cached at, NONE when it is not.
  StorageLevel storage_level() const;
  // Spark's describe/summary: a DataFrame of strings with a `summary` column naming the statistic
  // and one column per numeric or string column (other types are left out, as in Spark).
  // describe: count, mean, stddev, min, max of `cols` (all columns when empty). summary: the given
  // statistics (count, count_distinct, approx_count_distinct, mean, stddev, min, max and
  // percentiles such as "25%", computed with percentile_approx), by default count, mean, stddev,
  // min, 25%, 50%, 75%, max. Strings are TRY_CAST to double for mean, stddev and percentiles. The
  // statistics come from one aggregation job.
  DataFrame describe(const std::vector<std::string>& cols = {}) const;
  DataFrame summary(const std::vector<std::string>& statistics = {}) const;
  // Names this DataFrame so its columns can be referred to as "name.column" (e.g. after a join).
  DataFrame alias(const std::string& name) const;

  // --- joins (PySpark's join(other, on, how)) ---
  // `on`: a column name, a list of names (a USING join: each key appears once in the output), or
  // a boolean Column over both sides. `how`: inner, cross, outer/full/fullouter/full_outer,
  // left/leftouter/left_outer, right/rightouter/right_outer, semi/leftsemi/left_semi,
  // anti/leftanti/left_anti.
  DataFrame join(const DataFrame& other, const JoinOn& on, const std::string& how = "inner") const;
  // No condition: every pair of rows (Spark's inner join without a condition).
  DataFrame join(const DataFrame& other) const;
  DataFrame cross_join(const DataFrame& other) const;
  // This DataFrame's column `name`, bound to it (PySpark's df["x"] / df.x): unambiguous in a
  // join condition even when both sides have a column of that name.
  Column col(const std::string& name) const;
  Column operator[](const std::string& name) const { return col(name); }

  // --- schema ---
  Schema schema() const;
  std::vector<std::string> columns() const;
  std::vector<std::pair<std::string, std::string>> dtypes() const;
  void print_schema() const;
  std::string schema_tree_string() const;

  // --- actions ---
  std::vector<Row> collect() const;
  int64_t count() const;
  std::vector<Row> take(int64_t n) const;
  std::vector<Row> head(int64_t n) const { return take(n); }
  // The first row; throws kIllegalArgument when the DataFrame is empty (as Spark's first()).
  Row first() const;
  bool is_empty() const;
  void show(int num_rows = 20, int truncate = 20, bool vertical = false) const;
  void show(int num_rows, bool truncate, bool vertical = false) const { show(num_rows, truncate ? 20 : 0, vertical); }
  // What show() prints, as a string.
  std::string show_string(int num_rows = 20, int truncate = 20, bool vertical = false) const;
  // explain(): physical plan; explain(true): parsed, analyzed, optimized and physical plans.
  void explain(bool extended = false) const;
  std::string explain_string(bool extended = false) const;
  // explain("formatted") / explain(ExplainMode::kFormatted), as PySpark's explain(mode=...).
  void explain(ExplainMode mode) const;
  void explain(const std::string& mode) const { explain(parse_explain_mode(mode)); }
  void explain(const char* mode) const { explain(parse_explain_mode(mode)); }
  std::string explain_string(ExplainMode mode) const;
  std::string explain_string(const std::string& mode) const {
    return explain_string(parse_explain_mode(mode));
  }
  std::string explain_string(const char* mode) const { return explain_string(parse_explain_mode(mode)); }
  DataFrameWriter write() const;

  // Metrics of the most recent action run through this DataFrame.
  const QueryMetrics& last_metrics() const { return *metrics_; }
  QueryMetrics* metrics_ptr() const { return metrics_.get(); }

  const PlanPtr& logical_plan() const { return plan_; }
  const std::shared_ptr<SessionState>& session() const { return session_; }
  // The analyzed plan, computed once per DataFrame (copies share it) so attribute ids are stable:
  // transformations build on it, as Spark builds a Dataset on its parent's analyzed plan, and a
  // column taken with col() stays valid in every DataFrame derived from this one.
  const PlanPtr& analyzed() const;

 private:
  struct AnalyzedPlan {
    std::mutex mu;
    PlanPtr plan;
    std::string executed_plan;  // adaptive final plan text of the last collect(), for explain
  };
  DataFrame derive(PlanPtr plan) const { return DataFrame(session_, std::move(plan)); }
  DataFrame set_operation(const DataFrame& other, const char* name, bool keep_matches, bool all) const;

  std::shared_ptr<SessionState> session_;
  PlanPtr plan_;
  std::shared_ptr<QueryMetrics> metrics_;
  std::shared_ptr<AnalyzedPlan> analyzed_;
};

// df.na(): PySpark's DataFrameNaFunctions. `subset` empty = every applicable column.
class NaFunctions {
 public:
  explicit NaFunctions(DataFrame df) : df_(std::move(df)) {}
  // Replaces nulls with `value` in the columns of a matching type: a number fills numeric columns
  // (cast to each column's type), a string fills string columns, a bool fills boolean columns.
  DataFrame fill(double value, const std::vector<std::string>& subset = {}) const;
  DataFrame fill(int64_t value, const std::vector<std::string>& subset = {}) const;
  DataFrame fill(int value, const std::vector<std::string>& subset = {}) const { return fill(int64_t{value}, subset); }
  DataFrame fill(const std::string& value, const std::vector<std::string>& subset = {}) const;
  DataFrame fill(const char* value, const std::vector<std::string>& subset = {}) const { return fill(std::string(value), subset); }
  DataFrame fill(bool value, const std::vector<std::string>& subset = {}) const;
  // Per column: {"age", 0}, {"name", "unknown"} (values as Value, matching the column's type).
  DataFrame fill(const std::map<std::string, Value>& values) const;
  // how = "any": drop rows with a null in any of the columns; "all": only rows null in all of
  // them; thresh >= 0 overrides how: keep rows with at least thresh non-null values.
  DataFrame drop(const std::string& how = "any", int thresh = -1, const std::vector<std::string>& subset = {}) const;
  // Replaces values equal to `from` with `to` in the columns of from's type.
  DataFrame replace(const Value& from, const Value& to, const std::vector<std::string>& subset = {}) const;

 private:
  DataFrame fill_where(const Value& value, bool (*applies)(const DataType&), const std::vector<std::string>& subset) const;
  DataFrame df_;
};

namespace functions {
// Marks a DataFrame as small enough to copy to every task: a join with it becomes a broadcast
// hash join whatever spark.sql.autoBroadcastJoinThreshold says (PySpark's functions.broadcast).
DataFrame broadcast(const DataFrame& df);
}  // namespace functions

// df.group_by(...): aggregate methods, as PySpark's GroupedData.
class GroupedData {
 public:
  // kGroupBy: one grouping; kRollup: (k1..kn), (k1..kn-1), ..., (); kCube: every subset of the
  // keys. Rolled-up keys are null in the result rows of the coarser groupings, as in Spark.
  enum class Kind { kGroupBy, kRollup, kCube };
  GroupedData(DataFrame df, std::vector<ExprPtr> keys, Kind kind = Kind::kGroupBy)
      : df_(std::move(df)), keys_(std::move(keys)), kind_(kind) {}
  // Pivots `column`: one result column per value (per value and aggregate when there are
  // several aggregates: "<value>_<aggregate>"). Without values, the distinct values are computed
  // first (a job) and sorted, as Spark does; at most spark.sql.pivotMaxValues (10000).
  GroupedData pivot(const std::string& column, const std::vector<Value>& values = {}) const;
  DataFrame agg(const std::vector<Column>& aggregates) const;
  template <class... Cs>
  DataFrame agg(const Column& first, const Cs&... more) const {
    return agg(std::vector<Column>{first, Column(more)...});
  }
  // agg({"amount": "sum", "id": "count"}) as PySpark's dict form.
  DataFrame agg(const std::map<std::string, std::string>& column_to_function) const;
  DataFrame count() const;
  DataFrame sum(const std::vector<std::string>& cols = {}) const;
  DataFrame avg(const std::vector<std::string>& cols = {}) const;
  DataFrame mean(const std::vector<std::string>& cols = {}) const { return avg(cols); }
  DataFrame min(const std::vector<std::string>& cols = {}) const;
  DataFrame max(const std::vector<std::string>& cols = {}) const;

 private:
  DataFrame simple(const char* function, const std::vector<std::string>& cols) const;
  DataFrame grouping_sets_agg(const std::vector<Column>& aggregates) const;
  DataFrame pivot_agg(const std::vector<Column>& aggregates) const;
  DataFrame df_;
  std::vector<ExprPtr> keys_;
  Kind kind_ = Kind::kGroupBy;
  std::string pivot_column_;
  std::vector<Value> pivot_values_;
  bool pivoted_ = false;
};

template <class... Cs>
GroupedData DataFrame::group_by(const Cs&... cols) const {
  return group_by(std::vector<ColumnOrName>{ColumnOrName(cols)...});
}

}  // namespace ember
