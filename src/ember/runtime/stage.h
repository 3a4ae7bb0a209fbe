#pragma once
// A stage as the scheduler sees it: a number of partitions, the stages it waits for, and a
// callable that computes one partition. Stages are split at shuffles by the physical planner; the
// runtime never looks inside run_task.
#include <functional>
#include <string>
#include <vector>

#include "ember/runtime/task_context.h"

namespace ember {

struct StageSpec {
  int stage_id = 0;  // unique within one run_job call; shown in the progress bar
  std::string name;  // for humans: "csv at sales.csv", "hash aggregate"
  int num_partitions = 0;  // one task per partition; 0 is allowed (the stage completes at once)
  // When not empty, only these partitions (distinct, each in [0, num_partitions)) run, one task
  // each: recomputing the lost blocks of a cached relation needs only those. Task metrics and
  // StageResult::num_tasks then follow this list's order and size.
  std::vector<int> partitions;
  // Stages that must have completed (every task succeeded and on_stage_complete returned) before
  // any task of this stage starts. Must name stages of the same run_job call; no cycles.
  std::vector<int> parent_stage_ids;
  // Computes one partition: reads its inputs, writes shuffle blocks / results / files. Called on
  // an executor thread, possibly concurrently for different partitions (and, after a failure, again
  // for the same partition with a higher attempt number), so it must be thread-safe across
  // partitions and idempotent per partition. Errors are thrown (EmberError or any exception).
  std::function<void(TaskContext&)> run_task;
  // Optional driver-side hook, run on the run_job calling thread after the last task of this
  // stage succeeded and before any child stage starts (e.g. compute range-partition bounds from
  // the samples the tasks collected). If it throws, the job fails with that error.
  std::function<void()> on_stage_complete;
  // The shuffle this stage's tasks write as map outputs (map_id = partition), or -1. When set,
  // the scheduler discards a failed attempt's uncommitted blocks (ShuffleManager::
  // abort_map_output) so a retry cannot duplicate rows. Tasks still call commit_map_output
  // themselves when they have written everything.
  int shuffle_write_id = -1;
};

// How many tasks the stage runs: partitions.size() when a subset is given, else num_partitions.
inline int stage_task_count(const StageSpec& spec) {
  return spec.partitions.empty() ? spec.num_partitions : static_cast<int>(spec.partitions.size());
}

}  // namespace ember
