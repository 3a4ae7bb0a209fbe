#pragma once
// Adaptive query execution (Spark's AdaptiveSparkPlanExec, reduced to physical-plan rewrites).
//
// The job runner runs a query's map stages in waves: every stage whose input exchanges are all
// materialized runs, then the shuffle manager's map-output statistics (bytes per reduce partition
// and per map) feed `reoptimize_adaptive`, which rewrites the part of the plan that has not run
// yet before the next wave starts:
//  - a shuffled hash join whose build side (or the other side, where the join type allows
//    building it) turned out at most spark.sql.adaptive.autoBroadcastJoinThreshold bytes becomes
//    a broadcast hash join reading that side's already written shuffle output whole;
//  - a stage about to run whose inputs are hash exchanges of one partition count reads them
//    through a kShuffleRead node (Spark's AQEShuffleRead) whose specs coalesce contiguous small
//    partitions to about the advisory size — the same specs for every input, so co-partitioned
//    join sides stay aligned;
//  - in such a stage that is one shuffled hash join, a partition of a side larger than
//    skewedPartitionFactor x the median and skewedPartitionThresholdInBytes is split by map
//    ranges into several tasks, each joined with a copy of the other side's partition (only the
//    sides whose unmatched rows are emitted once per row however the partition is split).
// Exchanges the user sized (repartition(n)), range, round-robin and single exchanges keep their
// partitions. The plan is a private copy (clone_physical_plan), so a rerun starts afresh.
#include <cstdint>
#include <map>

#include "ember/physical/physical_plan.h"
#include "ember/runtime/shuffle/shuffle_manager.h"

namespace ember {

struct AdaptiveOptions {
  bool enabled = true;                            // spark.sql.adaptive.enabled
  bool coalesce_partitions = true;                // spark.sql.adaptive.coalescePartitions.enabled
  int64_t advisory_partition_bytes = 64LL << 20;  // spark.sql.adaptive.advisoryPartitionSizeInBytes
  int64_t min_partition_bytes = 1LL << 20;        // spark.sql.adaptive.coalescePartitions.minPartitionSize
  int min_partition_num = 2;  // coalescePartitions.minPartitionNum (default: the default parallelism)
  bool skew_join = true;      // spark.sql.adaptive.skewJoin.enabled
  double skewed_partition_factor = 5;  // spark.sql.adaptive.skewJoin.skewedPartitionFactor
  int64_t skewed_partition_threshold_bytes = 256LL << 20;  // ...skewedPartitionThresholdInBytes
  int64_t broadcast_threshold = 10LL << 20;  // spark.sql.adaptive.autoBroadcastJoinThreshold; -1: never
};

// A copy of every node of the tree (expressions and sources are shared, being immutable).
PhysPtr clone_physical_plan(const PhysPtr& plan);

// Rewrites the not yet run part of `plan` (everything not below a materialized exchange) with
// the statistics of the materialized shuffles, by shuffle id (see the file comment). The root
// itself is replaced when it is an exchange whose reads change.
void reoptimize_adaptive(PhysPtr& plan, const std::map<int, MapOutputStatistics>& materialized,
                         const AdaptiveOptions& options);

// Spark's ShufflePartitionsUtil: contiguous groups [start, end) of `sizes` of about `target`
// bytes each; a group under 20% of the target is merged into a neighbour when the result stays
// within 120% of it. Never returns an empty list for non-empty `sizes`.
std::vector<std::pair<int, int>> group_by_target_size(const std::vector<int64_t>& sizes, int64_t target);

}  // namespace ember
