#pragma once
// Runs a physical plan as a job: cuts it into stages at exchanges, turns each stage into tasks
// (one per partition) that build the stage's operator pipeline and drain it into a sink (shuffle
// write, result collection, or file write), and hands the stages to the scheduler.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ember/exec/operator.h"
#include "ember/functions/function.h"
#include "ember/physical/physical_plan.h"
#include "ember/runtime/adaptive_planner.h"
#include "ember/runtime/task_context.h"

namespace ember {

class BlockManager;
class Scheduler;
class ShuffleManager;
struct UnstoredPartitions;

struct JobEnvironment {
  Scheduler* scheduler = nullptr;
  ShuffleManager* shuffle = nullptr;
  EvalContext eval;             // ANSI flag, time zone, query start date/time
  int job_id = 0;
  int* next_stage_id = nullptr;    // session-wide counters (Spark numbers stages across jobs)
  int* next_shuffle_id = nullptr;
  // Where scans of cached relations read their partitions: the query's own unstored ones first,
  // then the block manager. Both may be null for a plan without cached relations.
  BlockManager* blocks = nullptr;
  std::shared_ptr<const UnstoredPartitions> unstored;
  // Adaptive execution (runtime/adaptive_planner.h). Off unless the session turns it on
  // (spark.sql.adaptive.enabled), so a bare JobRunner runs its plan exactly as given.
  AdaptiveOptions adaptive = AdaptiveOptions{.enabled = false};
};

// Per-task output sink for the final stage: receives the task's pipeline root to drain.
using ResultSink = std::function<void(TaskContext& task, Operator& pipeline)>;

struct JobSummary {
  std::vector<TaskMetrics> tasks;  // every successful task, in stage order
  int num_stages = 0;
  int num_tasks = 0;
  int64_t bad_records = 0;  // malformed input records, summed over `tasks`
  int64_t bytes_read = 0;   // bytes the file scans read, summed over `tasks`
  int64_t runtime_filter_rows_filtered = 0;       // scan rows runtime filters dropped
  int64_t runtime_filter_row_groups_skipped = 0;  // Parquet row groups their ranges ruled out
  int64_t scan_filter_rows_filtered = 0;          // rows Parquet scans' own filters dropped
  int64_t scan_filter_values_skipped = 0;         // column values those scans never decoded

  // Adds a finished task's counters to the sums above (the task itself goes into `tasks`).
  void add_counters(const TaskMetrics& t) {
    bad_records += t.bad_records;
    bytes_read += t.bytes_read;
    runtime_filter_rows_filtered += t.runtime_filter_rows_filtered;
    runtime_filter_row_groups_skipped += t.runtime_filter_row_groups_skipped;
    scan_filter_rows_filtered += t.scan_filter_rows_filtered;
    scan_filter_values_skipped += t.scan_filter_values_skipped;
  }
};

class JobRunner {
 public:
  explicit JobRunner(JobEnvironment env) : env_(std::move(env)) {}

  // Assigns stage ids to every node and shuffle ids to exchanges (explain shows them). Idempotent
  // per plan; call once before explain or run.
  void assign_stages(const PhysPtr& root);

  // Runs the job; `sink` consumes each final-stage task's pipeline. `final_partitions`, when not
  // empty, limits the final stage to those partitions (recomputing lost cached blocks); earlier
  // stages always run whole, as their shuffle output is not kept between jobs.
  JobSummary run(const PhysPtr& root, const ResultSink& sink, const std::vector<int>& final_partitions = {});

  // Convenience: runs the job and returns all result batches, in partition order.
  std::vector<Batch> collect(const PhysPtr& root, JobSummary* summary = nullptr);

  // The plan the last run() executed after adaptive re-planning (query stages numbered, shuffle
  // reads inserted, joins switched), or null when that run was not adaptive.
  const PhysPtr& final_plan() const { return final_plan_; }

 private:
  struct StagePlan {
    int stage_id;
    PhysPtr root;               // the subtree this stage runs
    PhysPtr exchange;           // the exchange this stage feeds (null for the final stage)
    std::vector<int> parents;
  };
  int build_stage(const PhysPtr& root, const PhysPtr& exchange);
  // run() with adaptive execution: map stages in waves, the rest re-planned after each wave.
  JobSummary run_adaptive(const PhysPtr& root, const ResultSink& sink);
  // Extra parents (by stage id) of stages whose scans apply runtime filters built by other stages.
  std::map<int, std::vector<int>> runtime_filter_dependencies() const;

  JobEnvironment env_;
  std::vector<StagePlan> stages_;
  PhysPtr final_plan_;
};

}  // namespace ember
