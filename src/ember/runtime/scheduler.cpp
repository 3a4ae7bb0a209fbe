#include "ember/runtime/scheduler.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "ember/common/error.h"

namespace ember {

namespace {

using Clock = std::chrono::steady_clock;

int64_t nanos_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
}

struct TaskEvent {
  enum class Kind { kSucceeded, kFailed, kSkipped };
  Kind kind = Kind::kSkipped;
  size_t stage_index = 0;
  int slot = 0;       // the task's index within its stage (StageSpec::partitions)
  int partition = 0;  // the partition it computed
  int attempt = 0;
  TaskMetrics metrics;
  std::exception_ptr error;
};

bool is_cancellation(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const EmberError& e) {
    return e.kind() == ErrorKind::kCancelled;
  } catch (...) {
    return false;
  }
}

}  // namespace

// State shared between the driver thread and the task closures. Held by shared_ptr so that a
// closure finishing on a worker thread never touches run_job's stack frame, even in the window
// between posting its event and returning to the pool.
struct JobShared {
  std::vector<StageSpec> stages;  // immutable once tasks run
  std::atomic<bool> cancelled{false};
  std::atomic<bool> cancelled_by_user{false};  // cancel_all_jobs, as opposed to a failed task
  std::mutex mu;
  std::condition_variable cv;
  std::deque<TaskEvent> events;
};

bool is_retryable_task_error(const std::exception_ptr& error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const EmberError& e) {
    // I/O can be transient (a full disk freed, an NFS hiccup) and internal errors may be races;
    // every other kind is a property of the data or the plan and would recur.
    return e.kind() == ErrorKind::kIo || e.kind() == ErrorKind::kInternal;
  } catch (...) {
    return true;
  }
}

const StageResult* JobResult::stage(int stage_id) const {
  for (const auto& s : stages) {
    if (s.stage_id == stage_id) return &s;
  }
  return nullptr;
}

const TaskMetrics& JobResult::task(int stage_id, int partition) const {
  const StageResult* s = stage(stage_id);
  EMBER_CHECK(s != nullptr && partition >= 0 && partition < s->num_tasks,
              "no task " + std::to_string(partition) + " of stage " + std::to_string(stage_id));
  return task_metrics[s->first_task + static_cast<size_t>(partition)];
}

Scheduler::Scheduler(ExecutorBackend& backend, ShuffleManager& shuffle, SchedulerOptions options)
    : backend_(backend), shuffle_(shuffle), opts_(std::move(options)) {
  if (opts_.max_task_attempts < 1) {
    throw_error(ErrorKind::kIllegalArgument,
                "spark.task.maxFailures must be at least 1, got " + std::to_string(opts_.max_task_attempts));
  }
  if (opts_.show_progress && (opts_.progress_ignore_isatty || ::isatty(STDERR_FILENO) == 1)) {
    progress_ = std::make_unique<ConsoleProgressBar>(opts_.progress_options);
  }
}

Scheduler::~Scheduler() = default;

int Scheduler::cancel_all_jobs() {
  std::lock_guard<std::mutex> lock(active_mu_);
  for (const auto& job : active_jobs_) {
    job->cancelled_by_user.store(true);
    job->cancelled.store(true);
  }
  return static_cast<int>(active_jobs_.size());
}

JobResult Scheduler::run_job(std::vector<StageSpec> stage_specs, int job_id) {
  const Clock::time_point job_start = Clock::now();
  auto shared = std::make_shared<JobShared>();
  shared->stages = std::move(stage_specs);
  const std::vector<StageSpec>& stages = shared->stages;
  const size_t n = stages.size();

  // --- validate the DAG before launching anything ---
  std::unordered_map<int, size_t> index_of;
  for (size_t i = 0; i < n; ++i) {
    EMBER_CHECK(index_of.emplace(stages[i].stage_id, i).second,
                "duplicate stage id " + std::to_string(stages[i].stage_id) + " in job " + std::to_string(job_id));
    EMBER_CHECK(stages[i].num_partitions >= 0, "negative partition count");
    EMBER_CHECK(stages[i].num_partitions == 0 || stages[i].run_task, "stage without a task function");
    for (int p : stages[i].partitions) {
      EMBER_CHECK(p >= 0 && p < stages[i].num_partitions, "stage partition out of range");
    }
  }
  std::vector<std::vector<size_t>> children(n);
  std::vector<int> pending_parents(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (int parent : stages[i].parent_stage_ids) {
      auto it = index_of.find(parent);
      EMBER_CHECK(it != index_of.end(), "stage " + std::to_string(stages[i].stage_id) +
                                            " depends on unknown stage " + std::to_string(parent));
      children[it->second].push_back(i);
      ++pending_parents[i];
    }
  }
  {
    // Kahn's algorithm: a cycle would leave stages that never become ready, i.e. a hang.
    std::vector<int> indegree = pending_parents;
    std::vector<size_t> queue;
    for (size_t i = 0; i < n; ++i) if (indegree[i] == 0) queue.push_back(i);
    size_t seen = 0;
    while (!queue.empty()) {
      size_t s = queue.back();
      queue.pop_back();
      ++seen;
      for (size_t c : children[s]) if (--indegree[c] == 0) queue.push_back(c);
    }
    EMBER_CHECK(seen == n, "the stages of job " + std::to_string(job_id) + " form a cycle");
  }

  JobResult result;
  result.stages.resize(n);
  std::vector<int> completed(n, 0);
  std::vector<std::vector<int>> failures(n);
  std::vector<Clock::time_point> stage_start(n);
  size_t total_tasks = 0;
  for (size_t i = 0; i < n; ++i) {
    result.stages[i].stage_id = stages[i].stage_id;
    result.stages[i].name = stages[i].name;
    result.stages[i].num_tasks = stage_task_count(stages[i]);
    result.stages[i].first_task = total_tasks;
    total_tasks += static_cast<size_t>(stage_task_count(stages[i]));
    failures[i].assign(static_cast<size_t>(stage_task_count(stages[i])), 0);
  }
  result.task_metrics.resize(total_tasks);

  ConsoleProgressBar* progress = progress_.get();
  ShuffleManager* shuffle = &shuffle_;
  int running = 0;  // launched attempts that have not reported back yet
  size_t stages_done = 0;
  std::exception_ptr failure;

  auto launch = [&](size_t stage_index, int slot, int attempt) {
    const int max_attempts = opts_.max_task_attempts;
    backend_.launch([shared, stage_index, slot, attempt, job_id, shuffle, progress, max_attempts] {
      const StageSpec& spec = shared->stages[stage_index];
      const int partition = spec.partitions.empty() ? slot : spec.partitions[static_cast<size_t>(slot)];
      TaskEvent ev;
      ev.stage_index = stage_index;
      ev.slot = slot;
      ev.partition = partition;
      ev.attempt = attempt;
      // A task queued behind the failure is skipped outright: no point starting work whose result
      // will be thrown away.
      if (!shared->cancelled.load()) {
        if (progress) progress->task_started(job_id, spec.stage_id);
        TaskContext ctx;
        ctx.job_id = job_id;
        ctx.stage_id = spec.stage_id;
        ctx.partition = partition;
        ctx.num_partitions = spec.num_partitions;
        ctx.attempt = attempt;
        ctx.shuffle = shuffle;
        ctx.cancelled = &shared->cancelled;
        Clock::time_point t0 = Clock::now();
        try {
          spec.run_task(ctx);
          ctx.metrics.run_nanos = nanos_since(t0);
          ev.metrics = std::move(ctx.metrics);
          ev.kind = TaskEvent::Kind::kSucceeded;
        } catch (...) {
          ev.kind = TaskEvent::Kind::kFailed;
          ev.error = std::current_exception();
          // When this failure is certain to fail the job (the driver applies the same rule),
          // cancel right here rather than after the driver wakes up: otherwise this very worker
          // would go on to start queued siblings whose work is already lost.
          if (!is_retryable_task_error(ev.error) || attempt + 1 >= max_attempts)
            shared->cancelled.store(true);
        }
        if (progress) progress->task_ended(job_id, spec.stage_id, ev.kind == TaskEvent::Kind::kSucceeded);
      }
      std::lock_guard<std::mutex> lock(shared->mu);
      shared->events.push_back(std::move(ev));
      shared->cv.notify_one();
    });
    ++running;  // after launch: if launch throws, nothing was queued and nothing will report
  };

  auto fail = [&](std::exception_ptr e) {
    if (failure) return;  // only the first error is reported
    failure = std::move(e);
    shared->cancelled.store(true);
  };

  // Stages become ready when their last parent completes; a stage with no partitions completes
  // immediately, which may in turn make its children ready, hence the worklist.
  std::vector<size_t> ready;
  auto drain_ready = [&] {
    while (!ready.empty() && !failure) {
      size_t s = ready.back();
      ready.pop_back();
      stage_start[s] = Clock::now();
      const int tasks = stage_task_count(stages[s]);
      if (progress) progress->stage_submitted(job_id, stages[s].stage_id, tasks);
      if (tasks > 0) {
        for (int slot = 0; slot < tasks; ++slot) launch(s, slot, 0);
        continue;
      }
      if (stages[s].on_stage_complete) stages[s].on_stage_complete();
      if (progress) progress->stage_completed(job_id, stages[s].stage_id);
      ++stages_done;
      for (size_t c : children[s]) if (--pending_parents[c] == 0) ready.push_back(c);
    }
  };

  auto complete_stage = [&](size_t s) {
    result.stages[s].wall_nanos = nanos_since(stage_start[s]);
    if (stages[s].on_stage_complete) stages[s].on_stage_complete();
    if (progress) progress->stage_completed(job_id, stages[s].stage_id);
    ++stages_done;
    for (size_t c : children[s]) if (--pending_parents[c] == 0) ready.push_back(c);
    drain_ready();
  };

  auto handle = [&](TaskEvent& ev) {
    --running;
    size_t s = ev.stage_index;
    const StageSpec& spec = stages[s];
    switch (ev.kind) {
      case TaskEvent::Kind::kSkipped: return;
      case TaskEvent::Kind::kSucceeded:
        if (failure) return;
        result.task_metrics[result.stages[s].first_task + static_cast<size_t>(ev.slot)] =
            std::move(ev.metrics);
        if (++completed[s] == stage_task_count(spec)) complete_stage(s);
        return;
      case TaskEvent::Kind::kFailed: {
        // The attempt is over; its uncommitted shuffle blocks must not leak into a retry.
        if (spec.shuffle_write_id >= 0) shuffle->abort_map_output(spec.shuffle_write_id, ev.partition);
        if (failure) return;  // a sibling's cancellation (or second error) after the first failure
        // A cancellation caused by a failure whose event is still in flight (the failing worker
        // raises the flag before it reports): not the error to report; the original follows.
        if (shared->cancelled.load() && is_cancellation(ev.error)) return;
        int& failed = failures[s][static_cast<size_t>(ev.slot)];
        ++failed;
        if (is_retryable_task_error(ev.error) && failed < opts_.max_task_attempts) {
          ++result.stages[s].failed_attempts;
          launch(s, ev.slot, ev.attempt + 1);
          return;
        }
        fail(ev.error);
        return;
      }
    }
  };

  {
    std::lock_guard<std::mutex> lock(active_mu_);
    active_jobs_.push_back(shared);
  }
  struct ActiveJobGuard {
    Scheduler* scheduler;
    const JobShared* job;
    ~ActiveJobGuard() {
      std::lock_guard<std::mutex> lock(scheduler->active_mu_);
      auto& jobs = scheduler->active_jobs_;
      for (auto it = jobs.begin(); it != jobs.end(); ++it) {
        if (it->get() == job) {
          jobs.erase(it);
          break;
        }
      }
    }
  } active_guard{this, shared.get()};

  if (progress) progress->job_started(job_id);
  struct ProgressJobGuard {
    ConsoleProgressBar* bar;
    int job;
    ~ProgressJobGuard() {
      if (bar) bar->job_ended(job);
    }
  } progress_guard{progress, job_id};

  try {
    for (size_t i = 0; i < n; ++i) if (pending_parents[i] == 0) ready.push_back(i);
    drain_ready();
  } catch (...) {
    fail(std::current_exception());
  }

  for (;;) {
    // Running tasks notice the flag within a batch and report; queued ones report as skipped.
    if (!failure && shared->cancelled_by_user.load()) {
      fail(std::make_exception_ptr(EmberError(ErrorKind::kCancelled, "SPARK_JOB_CANCELLED",
                                              "[SPARK_JOB_CANCELLED] Job " + std::to_string(job_id) +
                                                  " cancelled: all running jobs were cancelled")));
    }
    if (running == 0) {
      if (failure || stages_done == n) break;
      // Unreachable for a validated DAG; failing loudly beats waiting forever.
      fail(std::make_exception_ptr(EmberError(ErrorKind::kInternal, "INTERNAL_ERROR",
                                              "[INTERNAL_ERROR] job " + std::to_string(job_id) +
                                                  " has no runnable tasks but unfinished stages")));
      break;
    }
    std::deque<TaskEvent> batch;
    {
      std::unique_lock<std::mutex> lock(shared->mu);
      shared->cv.wait(lock, [&] { return !shared->events.empty(); });
      batch.swap(shared->events);
    }
    for (auto& ev : batch) {
      try {
        handle(ev);
      } catch (...) {
        // on_stage_complete or launching threw: the job fails with that error.
        fail(std::current_exception());
      }
    }
  }

  // Every task has reported, and a worker touches no StageSpec after reporting: destroy the task
  // closures (and whatever they captured) here on the caller's thread, not on a worker that
  // happens to drop the last reference to `shared` after run_job returned.
  { std::vector<StageSpec> release = std::move(shared->stages); }
  if (failure) std::rethrow_exception(failure);
  result.wall_nanos = nanos_since(job_start);
  return result;
}

}  // namespace ember
