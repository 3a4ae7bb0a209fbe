#pragma once
// The driver's DAG scheduler (Spark's DAGScheduler + TaskSetManager, reduced to local mode).
//
// run_job takes the stages of one job, starts every stage whose parents have completed, and
// launches one task per partition on the ExecutorBackend; independent stages run concurrently.
// Task outcomes come back to the calling (driver) thread through an event queue, so all
// bookkeeping, stage-completion hooks and retries happen on one thread.
//
// Failure policy:
//  - A user error (EmberError whose kind is neither kIo nor kInternal: bad data, ANSI overflow,
//    ...) is deterministic and would fail again, so it fails the job at once, without retry.
//  - Anything else (kIo, kInternal, a non-ember exception such as std::bad_alloc) is retried
//    until the task has failed max_task_attempts times (spark.task.maxFailures; 1 in local mode,
//    as in Spark, so by default nothing is retried).
//  - When the job fails, the cancelled flag is raised (queued tasks are skipped, running tasks
//    see it via TaskContext::check_cancelled), run_job waits until no task of the job is still
//    running, and then rethrows the ORIGINAL exception on the calling thread; the kCancelled
//    errors of siblings are swallowed. No task of the job runs after run_job returns or throws.
//  - cancel_all_jobs() (Spark's SparkContext.cancelAllJobs; the SQL shell's Ctrl-C) raises the
//    flag of every running job; each run_job then throws EmberError(kCancelled,
//    SPARK_JOB_CANCELLED) once its running tasks have stopped.
//
// Threading: run_job may be called from several threads at once (concurrent jobs share the
// backend and the progress bar); job ids should be distinct. The Scheduler must outlive every
// run_job call; the backend and shuffle manager must outlive the Scheduler.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ember/runtime/executor_backend.h"
#include "ember/runtime/progress_bar.h"
#include "ember/runtime/shuffle/shuffle_manager.h"
#include "ember/runtime/stage.h"

namespace ember {

struct JobShared;  // per-job state shared with the task closures (scheduler.cpp)

struct SchedulerOptions {
  // Attempts per task before the job fails (spark.task.maxFailures); >= 1. Spark's local mode
  // uses 1; "local[N,F]" asks for F.
  int max_task_attempts = 1;
  // spark.ui.showConsoleProgress: draw the console progress bar on stderr. Even when true the bar
  // is drawn only if stderr is a terminal.
  bool show_progress = false;
  // For tests: force a bar with these options regardless of isatty (sink, delays, width).
  // Ignored unless show_progress is true.
  bool progress_ignore_isatty = false;
  ConsoleProgressBar::Options progress_options;
};

struct StageResult {
  int stage_id = 0;
  std::string name;
  int num_tasks = 0;
  size_t first_task = 0;    // this stage's tasks are task_metrics[first_task .. first_task + num_tasks)
  int failed_attempts = 0;  // attempts that failed and were retried
  int64_t wall_nanos = 0;   // stage start to last task completion
};

struct JobResult {
  // The successful attempt's metrics of every task, by stage (in the order of the StageSpecs
  // passed to run_job), then by partition.
  std::vector<TaskMetrics> task_metrics;
  std::vector<StageResult> stages;  // same order as the StageSpecs passed to run_job
  int64_t wall_nanos = 0;

  // The stage with this id, or nullptr.
  const StageResult* stage(int stage_id) const;
  // Metrics of one task of a stage (stage must exist, partition in range).
  const TaskMetrics& task(int stage_id, int partition) const;
};

class Scheduler {
 public:
  Scheduler(ExecutorBackend& backend, ShuffleManager& shuffle, SchedulerOptions options = {});
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs the job to completion (see the file comment). Stage ids must be unique, parents must be
  // stages of this job and the graph acyclic, else EmberError(kInternal) before anything runs.
  JobResult run_job(std::vector<StageSpec> stages, int job_id);

  // Cancels every job running now (from any thread); jobs submitted later are unaffected. Returns
  // how many jobs were cancelled.
  int cancel_all_jobs();

  ExecutorBackend& backend() { return backend_; }
  const SchedulerOptions& options() const { return opts_; }

 private:
  ExecutorBackend& backend_;
  ShuffleManager& shuffle_;
  SchedulerOptions opts_;
  std::unique_ptr<ConsoleProgressBar> progress_;  // null when no bar is shown
  std::mutex active_mu_;
  std::vector<std::shared_ptr<JobShared>> active_jobs_;  // jobs inside run_job, for cancel_all_jobs
};

// The retry policy above: true for errors worth another attempt.
bool is_retryable_task_error(const std::exception_ptr& error);

}  // namespace ember
