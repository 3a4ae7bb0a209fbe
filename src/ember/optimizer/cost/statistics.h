#pragma once
// Statistics of logical plans and the cardinality estimator that derives them, after Spark's
// `Statistics` / `ColumnStat` and its BasicStatsPlanVisitor (FilterEstimation, JoinEstimation,
// AggregateEstimation, ProjectEstimation).
//
// Leaves get their numbers from the data (source_statistics.h): Parquet footers, a sample of a
// CSV or JSON file, the rows of in-memory and range relations, a materialized cache, statistics
// ANALYZE TABLE stored for a catalog table. Every other node derives its row count and column
// statistics from its children's; its size is always rows × estimated row width, so a filter or
// an aggregate shrinks the size the physical planner compares with
// spark.sql.autoBroadcastJoinThreshold, and cost-based join reordering compares the sizes of
// intermediate results.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ember/plan/logical_plan.h"

namespace ember {

// What is known of one column (Spark's ColumnStat). Every field may be unknown.
struct ColumnStat {
  std::optional<double> distinct_count;
  std::optional<Value> min;  // of the column's type; never null
  std::optional<Value> max;
  std::optional<double> null_count;
  std::optional<double> avg_len;  // bytes per value (strings and binaries)
  std::optional<double> max_len;
};

struct PlanStatistics {
  double size_in_bytes = 0;
  std::optional<double> row_count;
  std::unordered_map<int64_t, ColumnStat> columns;  // by attribute id

  const ColumnStat* column(int64_t id) const {
    auto it = columns.find(id);
    return it == columns.end() ? nullptr : &it->second;
  }
  // Spark's Statistics.simpleString: "Statistics(sizeInBytes=1.5 KiB, rowCount=100)".
  std::string to_string() const;
};

// Spark's Utils.bytesToString: "512.0 B", "2.0 KiB", "1.5 MiB", ...
std::string bytes_to_string(double bytes);
// The row count as EXPLAIN COST prints it: Spark rounds to three significant digits ("6.00E+6").
std::string row_count_to_string(double rows);

// Spark's defaultSize of each attribute's type plus 8 bytes of row overhead; a column's avg_len
// replaces the default for strings and binaries when known.
double estimated_row_width(const std::vector<ExprPtr>& attributes, const PlanStatistics* stats = nullptr);

// Default selectivities where statistics cannot tell (Spark gives up and keeps every row; ember
// guesses, so that a filter without statistics still makes its input smaller than an unfiltered
// one). See docs/deviations.md.
inline constexpr double kDefaultEqualitySelectivity = 0.1;
inline constexpr double kDefaultRangeSelectivity = 1.0 / 3.0;
inline constexpr double kDefaultIsNullSelectivity = 0.1;

// Derives statistics bottom-up, remembering each node's so the join reordering can ask about
// many candidate joins over the same inputs cheaply. Not thread-safe; one per planning pass.
class StatisticsEstimator {
 public:
  const PlanStatistics& estimate(const PlanPtr& plan);
  // The fraction of `input`'s rows that `condition` keeps (FilterEstimation), with the column
  // statistics of the kept rows in *out when given.
  double filter_selectivity(const ExprPtr& condition, const PlanStatistics& input,
                            PlanStatistics* out = nullptr);

 private:
  PlanStatistics compute(const LogicalPlan& p);
  PlanStatistics relation(const LogicalPlan& p);
  PlanStatistics filter(const LogicalPlan& p);
  PlanStatistics join(const LogicalPlan& p);
  PlanStatistics aggregate(const LogicalPlan& p);
  PlanStatistics project(const LogicalPlan& p);

  // Plans are kept alive with their statistics so a pointer is never reused for another node.
  std::unordered_map<const LogicalPlan*, std::pair<PlanPtr, PlanStatistics>> memo_;
};

// The statistics of one plan (a fresh estimator).
PlanStatistics estimate_statistics(const PlanPtr& plan);

// EXPLAIN COST: the optimized plan's tree with each node's statistics after it, as Spark prints
// it ("Filter (a#1 > 1), Statistics(sizeInBytes=120.0 B, rowCount=5)").
std::string plan_tree_string_with_statistics(const PlanPtr& plan);

}  // namespace ember
