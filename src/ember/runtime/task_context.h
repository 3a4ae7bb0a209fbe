#pragma once
// What a running task sees of the runtime: its identity, the shuffle service, the job's
// cancellation flag, and the metrics it fills in. The runtime knows nothing about operators; the
// physical layer builds a StageSpec::run_task closure that receives one of these.
//
// Threading: a TaskContext belongs to exactly one task attempt and is used only by the worker
// thread running that attempt; the scheduler creates it before the attempt and reads `metrics`
// after the attempt has returned. `shuffle` and `cancelled` are shared and thread-safe.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace ember {

class ShuffleManager;

// One operator's counters within one task; the physical layer appends these (one per operator
// instance, in plan order) and the driver sums them across tasks for explain/metrics.
struct OperatorMetrics {
  std::string name;           // operator display name, e.g. "HashAggregate"
  int64_t rows_in = 0;        // rows consumed from children
  int64_t rows_out = 0;       // rows produced
  int64_t batches_out = 0;    // batches produced
  int64_t nanos = 0;          // wall time spent inside the operator (inclusive of nothing else)
  int64_t bytes_spilled = 0;  // bytes this operator wrote to disk
};

struct TaskMetrics {
  std::vector<OperatorMetrics> operators;
  int64_t run_nanos = 0;  // wall time of the successful attempt's run_task; set by the scheduler
  int64_t bad_records = 0;  // malformed input records the task's scans met (CSV mode/badRecordsPath)
  int64_t bytes_read = 0;   // bytes the task's Parquet scans read from their files
  int64_t runtime_filter_rows_filtered = 0;       // scan rows the task's runtime filters dropped
  int64_t runtime_filter_row_groups_skipped = 0;  // Parquet row groups their ranges ruled out
  int64_t scan_filter_rows_filtered = 0;          // rows Parquet scans' own filters dropped
  int64_t scan_filter_values_skipped = 0;         // column values those scans never decoded
};

struct TaskContext {
  int job_id = 0;
  int stage_id = 0;
  int partition = 0;       // which partition of the stage this task computes (0-based)
  int num_partitions = 0;  // the stage's partition count
  int attempt = 0;         // 0 for the first attempt, 1 for the first retry, ...
  // The shuffle service (never null when run by the Scheduler); not owned.
  ShuffleManager* shuffle = nullptr;
  // Set by the scheduler when a sibling task failed; not owned, outlives the task. May be null
  // in tests that build a context by hand (then the task is never cancelled).
  const std::atomic<bool>* cancelled = nullptr;
  // Filled by the task; handed back to the driver in JobResult when the attempt succeeds.
  TaskMetrics metrics;

  // "attempt_<job>_<stage>_<partition>_<attempt>": unique per attempt within a process run; the
  // output committer uses it to name a task attempt's private directory. The task id (the same
  // for every attempt of one partition) is everything before the last '_'.
  std::string attempt_id() const;

  bool is_cancelled() const { return cancelled != nullptr && cancelled->load(std::memory_order_relaxed); }
  // Throws EmberError(kCancelled) when the job has been cancelled. Tasks call this between
  // batches so a failed job stops promptly instead of finishing every sibling's work.
  void check_cancelled() const;
};

}  // namespace ember
