#pragma once
// Logical plans: what a query computes, not how. Immutable trees shared by DataFrames; every
// transformation returns a new root over the old one.
//
// The front ends build plans with unresolved expressions and a few API-shaped nodes
// (WithColumns, Drop, WithColumnRenamed, Distinct, union by name) that the analyzer rewrites into
// the core nodes. After analysis every node's `output` lists its attributes, and the optimizer
// and physical planner only ever see core nodes.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ember/exec/operators/join_type.h"
#include "ember/expr/expression.h"
#include "ember/plan/storage_level.h"
#include "ember/types/data_type.h"
#include "ember/vector/batch.h"

namespace ember {

enum class PlanKind {
  kRelation,           // a data source (files, range, local rows)
  kProject,            // exprs: named expressions
  kFilter,             // condition
  kAggregate,          // grouping, exprs (output: grouping columns and aggregate results)
  kSort,               // exprs: sort orders; global_sort: whole result ordered (order_by) or per partition
  kLimit,              // limit rows
  kUnion,              // children, by position (UNION ALL)
  kRepartition,        // num_partitions, exprs (hash keys; empty: round robin), shuffle=false: coalesce
  kJoin,               // children {left, right}; join_type; condition (may be null); broadcast hints
  kSample,            // fraction, with_replacement, seed (a random subset of the child's rows)
  kGenerate,           // exprs[0]: an array; output: the child's columns then `generated`
                       // ([pos,] element): explode / posexplode (generator_outer: *_outer)
  kWindow,             // exprs: window expressions AS names, sharing one PARTITION BY / ORDER BY;
                       // output: the child's columns, then one per expression
  // API-shaped nodes, rewritten by the analyzer:
  kWithColumns,        // names + exprs: add or replace columns
  kWithColumnRenamed,  // names[0] -> names[1]
  kDrop,               // names (or exprs)
  kDistinct,           // all columns
  kUnionByName,        // children; allow_missing_columns
  kJoinUsing,          // children {left, right}; join_type; names: the shared key columns
  kBroadcastHint,      // functions::broadcast(df); folded into the join above it
  kSubqueryAlias,      // names[0]: the alias (DataFrame.alias) that qualifies the child's columns
};

enum class SourceKind { kCsv, kRange, kLocalRows, kParquet, kCached, kJson };

struct LogicalPlan;

struct TableStatistics;

// A cached DataFrame (cache() / persist()), Spark's CachedData: its partitions are blocks
// rdd_<rdd_id>_<p> of the session's block manager (runtime/block_manager.h), computed by the first
// action that reads it and read by every later action instead of recomputing `plan`; a block
// that is lost is recomputed from `plan` (QueryExecution::materialize_cached_data). Shared by the
// session's cache registry and every plan that scans it.
struct CachedData {
  std::shared_ptr<const LogicalPlan> plan;  // the analyzed plan that was cached
  StorageLevel storage_level = StorageLevel::memory_and_disk();
  int rdd_id = 0;
  std::mutex mu;
  // How many partitions `plan` had when it was first computed; -1 until then. Guarded by mu.
  int num_partitions = -1;
  // Rows of each computed partition (-1: not computed), for the cached relation's statistics
  // (optimizer/cost/statistics.cpp): its actual row count once computed. Guarded by mu.
  std::vector<int64_t> partition_rows;
  // Column statistics ANALYZE TABLE v COMPUTE STATISTICS FOR COLUMNS recorded for a cached temp
  // view (Spark keeps them with the cached relation); null until then. Guarded by mu.
  std::shared_ptr<const TableStatistics> analyzed_statistics;
};

// Where a Relation's rows come from. Resolved when the DataFrame is created (as Spark's reader
// lists files and infers the schema eagerly), so a missing file fails at read(), not at show().
struct DataSource {
  SourceKind kind = SourceKind::kLocalRows;
  Schema schema;  // full schema of the source
  // kCsv / kParquet / kJson
  std::vector<std::string> paths;
  std::map<std::string, std::string> options;  // as given (keys lower-cased)
  std::vector<std::pair<std::string, int64_t>> files;  // (path, size), listed at read time
  // kCsv / kParquet: the last `partition_columns` fields of `schema` come from key=value
  // directories (partition discovery); file_partition_values[f] holds file f's values.
  int partition_columns = 0;
  std::vector<std::vector<Value>> file_partition_values;
  // kRange
  int64_t start = 0, end = 0, step = 1;
  int num_partitions = 0;  // 0: default parallelism
  // kLocalRows
  std::vector<Batch> batches;
  // kCached
  std::shared_ptr<CachedData> cached;
  // A catalog table's scan: what ANALYZE TABLE recorded for it (optimizer/cost/table_statistics.h),
  // preferred by the estimator over footers and samples; null when never analyzed.
  std::shared_ptr<const TableStatistics> table_statistics;

  std::string describe() const;  // "csv [data/sales.csv]" for explain
};

// Only file sources are handed pushed filters (CSV reports them; Parquet will prune by them);
// in-memory and range sources have nothing to skip.
inline bool source_uses_pushed_filters(const DataSource& source) {
  return source.kind == SourceKind::kCsv || source.kind == SourceKind::kParquet;
}

using PlanPtr = std::shared_ptr<const LogicalPlan>;

struct LogicalPlan {
  PlanKind kind;
  std::vector<PlanPtr> children;
  std::vector<ExprPtr> exprs;     // project list, aggregate outputs, sort orders, partition keys
  std::vector<ExprPtr> grouping;  // aggregate grouping expressions
  ExprPtr condition;              // filter
  int64_t limit = 0;
  std::vector<ExprPtr> generated;  // generate: the attributes it adds
  bool generator_outer = false;     // generate
  double fraction = 0;            // sample
  bool with_replacement = false;  // sample
  int64_t seed = 0;               // sample
  int num_partitions = 0;
  bool shuffle = true;            // repartition (true) vs coalesce (false)
  bool global_sort = true;
  bool allow_missing_columns = false;
  std::vector<std::string> names;
  std::shared_ptr<const DataSource> source;
  // kJoin / kJoinUsing
  JoinType join_type = JoinType::kInner;
  bool broadcast_left = false;   // a broadcast() hint on a side (resolved from kBroadcastHint)
  bool broadcast_right = false;
  // kJoin: placed by cost-based join reordering; no reordering rule moves it again (the driver
  // runs rules to a fixed point, and the order was chosen with the whole join group in view).
  bool join_reordered = false;

  // Resolved plans: the attributes this node outputs, in order.
  std::vector<ExprPtr> output;
  bool resolved = false;
  // Relation only: source columns actually read (indices into source->schema; set by column
  // pruning, empty before = all) and filters pushed into the scan (shown by explain).
  std::vector<int> read_columns;
  std::vector<ExprPtr> pushed_filters;

  const PlanPtr& child() const { return children[0]; }
  Schema schema() const;  // from output
};

// Node constructors for the front ends (unresolved unless noted).
PlanPtr make_relation(std::shared_ptr<const DataSource> source);  // resolved: fresh attributes
PlanPtr make_project(PlanPtr child, std::vector<ExprPtr> exprs);
PlanPtr make_filter(PlanPtr child, ExprPtr condition);
PlanPtr make_aggregate(PlanPtr child, std::vector<ExprPtr> grouping, std::vector<ExprPtr> exprs);
PlanPtr make_sort(PlanPtr child, std::vector<ExprPtr> orders, bool global);
PlanPtr make_limit(PlanPtr child, int64_t n);
PlanPtr make_union(std::vector<PlanPtr> children);
PlanPtr make_union_by_name(PlanPtr a, PlanPtr b, bool allow_missing_columns);
PlanPtr make_repartition(PlanPtr child, int num_partitions, std::vector<ExprPtr> keys, bool shuffle);
PlanPtr make_with_columns(PlanPtr child, std::vector<std::string> names, std::vector<ExprPtr> exprs);
PlanPtr make_with_column_renamed(PlanPtr child, std::string from, std::string to);
PlanPtr make_drop(PlanPtr child, std::vector<std::string> names);
PlanPtr make_distinct(PlanPtr child);
// condition may be null (cross join, or a join whose condition comes later in a filter).
PlanPtr make_join(PlanPtr left, PlanPtr right, JoinType type, ExprPtr condition);
PlanPtr make_join_using(PlanPtr left, PlanPtr right, JoinType type, std::vector<std::string> columns);
PlanPtr make_broadcast_hint(PlanPtr child);
PlanPtr make_sample(PlanPtr child, double fraction, bool with_replacement, int64_t seed);
PlanPtr make_subquery_alias(PlanPtr child, std::string alias);

// Attributes a join outputs: left then right (left only for semi/anti joins); columns of the side
// that may be null-padded by an outer join become nullable.
std::vector<ExprPtr> join_output(JoinType type, const std::vector<ExprPtr>& left, const std::vector<ExprPtr>& right);

// A copy of `plan` with other children / a mutable copy for rules to edit.
PlanPtr with_children(const LogicalPlan& plan, std::vector<PlanPtr> children);
std::shared_ptr<LogicalPlan> clone(const LogicalPlan& plan);
// Recomputes `output` of a resolved node from its children and expressions.
void derive_output(LogicalPlan& plan);

// The bottom-up walk the optimizer rules share: `plan` with each child replaced by
// rewrite(child). The same node when no child changed (so a rule's fixed point is visible by
// identity), else a copy over the new children with its output derived again.
template <class Rewrite>
PlanPtr rewrite_children(const PlanPtr& plan, Rewrite&& rewrite) {
  std::vector<PlanPtr> kids;
  kids.reserve(plan->children.size());
  bool changed = false;
  for (const auto& c : plan->children) {
    kids.push_back(rewrite(c));
    changed |= kids.back() != c;
  }
  if (!changed) return plan;
  auto out = clone(*plan);
  out->children = std::move(kids);
  derive_output(*out);
  return out;
}

// Spark-style indented tree (explain): "Project [a#1, b#2]\n+- Filter (a#1 > 1)\n   +- ...".
std::string plan_tree_string(const PlanPtr& plan);
// The same tree with `annotate(node)` appended to each node's line (EXPLAIN COST's statistics).
using PlanAnnotator = std::function<std::string(const LogicalPlan&)>;
std::string plan_tree_string(const PlanPtr& plan, const PlanAnnotator& annotate);
// The one-line header of a node ("Filter (amount#3 > 100)").
std::string plan_node_string(const LogicalPlan& plan);

}  // namespace ember
