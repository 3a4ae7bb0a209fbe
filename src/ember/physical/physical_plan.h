#pragma once
// Physical plans: how a query runs. Every node knows its output attributes, the number of
// partitions it produces, and (for expressions) their form bound to its input's column positions.
// Exchanges are explicit nodes; the stage builder cuts the tree at them.
#include <memory>
#include <string>
#include <vector>

#include "ember/expr/expression.h"
#include "ember/io/parquet/parquet_reader.h"
#include "ember/plan/logical_plan.h"

namespace ember {

enum class PhysKind {
  kScan,         // a DataSource (CSV splits, range slices, local batches)
  kShuffleRead,  // adaptive execution's read of a materialized exchange (its only child) by
                 // `read_specs` (Spark's AQEShuffleRead): coalesced or map-split partitions,
                 // or every partition at once as a broadcast join's build side
  kFilter,
  kProject,
  kHashAggregate,
  kSort,            // per-partition sort, optionally keeping only the first `limit` rows (top-N)
  kLimit,           // per-partition limit (the planner makes a global limit of local + single + local)
  kUnion,           // partitions of all children, in order
  kCoalesce,        // merges child partitions without a shuffle
  kExchange,        // repartitions its child's rows: hash, range, round robin, single or broadcast
  kHashJoin,        // children {left, right}; one side is the build side (a broadcast exchange, or
                    // co-partitioned with the probe side by hash exchanges on the keys)
  kNestedLoopJoin,  // children {left, right}; the build side is a broadcast exchange
  kSample,          // per-partition random sample (fraction, with_replacement, seed)
  kGenerate,        // exprs[0]: the array (bound); explode / posexplode (with_position, generator_outer)
  kWindow,          // exprs: window expressions AS names, bound to the child; the child is sorted
                    // by (partition keys, order keys) within partitions hashed on the partition keys
  kRuntimeFilter,   // keeps the child's rows whose keys pass runtime_filters (a join's bloom filter
                    // and key ranges, built by another stage); see runtime_filter_planner.cpp
};

// kBroadcast: every row to one block that every task of the consuming stage reads whole (the
// build side of a broadcast join, hashed once per job and shared by the tasks).
enum class PartitioningKind { kHash, kRange, kRoundRobin, kSingle, kBroadcast };

struct Partitioning {
  PartitioningKind kind = PartitioningKind::kSingle;
  int num_partitions = 1;
  std::vector<ExprPtr> keys;  // bound to the exchange's input: hash keys, or sort orders for range
  std::string to_string() const;
};

// One reduce task's share of a materialized shuffle: reduce partitions [start_reduce,
// end_reduce) from every map, or (a split skewed partition, end_reduce = start_reduce + 1) only
// the blocks of maps [start_map, end_map).
struct ShufflePartitionSpec {
  int start_reduce = 0;
  int end_reduce = 1;
  int start_map = 0;
  int end_map = -1;  // -1: every map
  bool operator==(const ShufflePartitionSpec&) const = default;
};

enum class AggregateMode { kPartial, kFinal, kComplete };

struct PhysicalPlan;
using PhysPtr = std::shared_ptr<PhysicalPlan>;

struct CsvScanSplit {
  std::string path;
  int64_t start = 0, length = 0, file_size = 0;
};

// Row groups of one Parquet file that one scan task reads.
struct ParquetFileSplit {
  size_t file_index = 0;  // into DataSource::files
  std::vector<int> row_groups;
  // Per row group, the rows the page index could not rule out (page-level pruning); empty: all.
  std::vector<std::vector<ParquetRowRange>> row_ranges;
};

// Runtime filters (docs/architecture.md, "Runtime filters"; runtime_filter_planner.cpp). The
// creation side's exchange carries a source: its map tasks collect the keys' bloom filter and
// ranges while they write. A kRuntimeFilter node on the join's other side carries a target (its
// stage waits for the source's stage) and tests its child's rows; a Parquet scan below it carries
// the same target to skip row groups and pages by the ranges.
struct RuntimeFilterSource {
  int filter_id = 0;
  std::vector<ExprPtr> keys;  // bound to the exchange's input (= its output)
  int64_t max_items = 0;      // more creation rows than this: ranges only, no bloom filter
  int64_t max_bytes = 0;      // the bloom filter's size cap
  double fpp = 0.03;          // the bloom filter's target false-positive rate
};
struct RuntimeFilterTarget {
  int filter_id = 0;         // built by the exchange whose RuntimeFilterSource has this id
  std::vector<int> columns;  // the node's (kRuntimeFilter: its child's) output column of each key
  std::string text;          // for explain
};

struct PhysicalPlan {
  PhysKind kind;
  std::vector<PhysPtr> children;
  std::vector<ExprPtr> output;  // attributes, in column order
  int num_partitions = 1;

  // kScan
  std::shared_ptr<const DataSource> source;
  std::vector<int> read_columns;         // indices into source->schema, in output order
  std::vector<CsvScanSplit> csv_splits;  // one per partition for CSV sources
  std::vector<std::vector<ParquetFileSplit>> parquet_splits;  // one list per partition for Parquet
  std::vector<ExprPtr> pushed_filters;   // attributes form, for explain only
  // Parquet: conjuncts of the filter above, bound to the scan's output, that the scan evaluates
  // while it reads (late materialisation; parquet_scan_filter.h). The filter keeps the rest.
  std::vector<ExprPtr> scan_filters;
  std::vector<RuntimeFilterTarget> runtime_filters;  // also on kRuntimeFilter

  // kFilter: predicate; kProject: exprs. Both bound to the child's output.
  ExprPtr predicate;
  std::vector<ExprPtr> exprs;
  // kProject: common subexpressions computed once per batch (common_subexpressions.h); exprs
  // read them as columns after the child's.
  std::vector<ExprPtr> shared_exprs;

  // kHashAggregate
  AggregateMode mode = AggregateMode::kComplete;
  std::vector<ExprPtr> group_keys;    // bound to input (final: refs to the key columns)
  std::vector<ExprPtr> aggregates;    // kAggregate exprs with bound args (final: args unused)
  std::vector<int> intermediate_offsets;  // final: first input column of each aggregate's state
  std::vector<ExprPtr> result_exprs;  // bound over [keys..., aggregate values...]; empty for partial

  // kGenerate
  bool with_position = false;
  bool generator_outer = false;
  // kSample
  double fraction = 0;
  bool with_replacement = false;
  int64_t seed = 0;

  // kSort / kLimit
  std::vector<ExprPtr> orders;  // bound kSortOrder exprs
  int64_t limit = -1;           // -1: none

  // kHashJoin / kNestedLoopJoin
  JoinType join_type = JoinType::kInner;
  BuildSide build_side = BuildSide::kRight;
  std::vector<ExprPtr> left_keys;   // bound to the left child's output
  std::vector<ExprPtr> right_keys;  // bound to the right child's output
  std::vector<bool> null_safe_keys; // per key: `<=>` (null matches null) rather than `=`
  ExprPtr join_condition;           // non-equi part (or the whole condition of a nested-loop
                                    // join), bound over [left output..., right output...]; may be null
  int64_t join_max_build_bytes = 0;

  // kExchange / kShuffleRead
  Partitioning partitioning;
  int shuffle_id = -1;
  bool user_partitions = false;  // kExchange: repartition(n) — adaptive execution keeps n
  int query_stage = -1;          // kExchange: adaptive execution's query stage id once materialized
  // kShuffleRead: one spec per task; empty with broadcast_read (the build side reads everything)
  std::vector<ShufflePartitionSpec> read_specs;
  bool broadcast_read = false;
  std::vector<RuntimeFilterSource> runtime_filter_sources;  // kExchange of a join's creation side
  int stage_id = -1;  // the stage that runs this node (set by the stage builder, for explain)

  // What this node's output already satisfies, so the planner can skip an exchange or a sort
  // (Spark's outputPartitioning / outputOrdering): rows with equal values of these attributes are
  // in the same partition (empty: unknown), and each partition is sorted by these orders
  // (attribute form).
  std::vector<int64_t> clustered_on;
  std::vector<ExprPtr> sorted_by;

  // Explain labels
  std::string label;  // e.g. "HashAggregate(keys=[...], functions=[partial_sum(...)])"
};

struct PhysicalPlannerOptions {
  int default_parallelism = 2;      // local[N]
  int shuffle_partitions = 2;       // spark.sql.shuffle.partitions
  int64_t max_partition_bytes = 128LL << 20;  // spark.sql.files.maxPartitionBytes
  bool ansi = true;
  int64_t auto_broadcast_threshold = 10LL << 20;  // spark.sql.autoBroadcastJoinThreshold; -1: never
  int64_t join_max_build_bytes = 4LL << 30;       // spark.ember.join.maxBuildBytes
  bool subexpression_elimination = true;          // spark.sql.subexpressionElimination.enabled
  // Runtime filters (runtime_filter_planner.cpp); the keys are Spark's
  // spark.sql.optimizer.runtime.bloomFilter.*.
  bool runtime_filter_enabled = true;                         // .enabled
  int64_t runtime_filter_application_side_bytes = 8LL << 20;  // .applicationSideScanSizeThreshold
  int64_t runtime_filter_max_items = 1000000;                 // .maxNumItems
  int64_t runtime_filter_max_bits = 67108864;                 // .maxNumBits
  double runtime_filter_fpp = 0.03;                           // .expectedFpp (Spark: 0.03)
  bool cbo_enabled = true;  // spark.sql.cbo.enabled: join sides sized by the cardinality estimator
  // spark.ember.parquet.lateMaterialization: Parquet scans evaluate the simple conjuncts of the
  // filter above them while reading (parquet_scan_filter.h).
  bool parquet_late_materialization = true;
};

// Adds runtime filters to the hash joins of a physical plan where they are allowed and may pay
// (see the file comment of runtime_filter_planner.cpp). Called by plan_physical.
void plan_runtime_filters(const PhysPtr& root, const PhysicalPlannerOptions& options);

// Spark's sizeInBytes estimate of a logical plan (no column statistics): file sizes for scans,
// scaled by row width through projections; used to pick broadcast joins.
int64_t estimate_size_in_bytes(const PlanPtr& plan);

// Builds the physical plan of an optimized logical plan, inserting exchanges where an operator
// needs its input distributed (grouped by key, globally ordered, or in one partition).
PhysPtr plan_physical(const PlanPtr& optimized, const PhysicalPlannerOptions& options);

// Spark-style tree text with stage ids after each node.
std::string physical_tree_string(const PhysPtr& plan);

// Binds attribute references in `e` to positions in `input` (BoundRefs).
ExprPtr bind_to_input(const ExprPtr& e, const std::vector<ExprPtr>& input);

}  // namespace ember
