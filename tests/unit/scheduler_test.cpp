#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ember/common/error.h"
#include "ember/runtime/executor_backend.h"
#include "ember/runtime/scheduler.h"
#include "ember/runtime/shuffle/local_shuffle_manager.h"

namespace ember {
namespace {

// A rendezvous for `n` parties that gives up after a generous timeout instead of hanging, so a
// scheduler that fails to run tasks concurrently makes the test fail, not wedge. The timeout is a
// hang guard only; no assertion depends on how long anything takes.
class Rendezvous {
 public:
  explicit Rendezvous(int n) : n_(n) {}
  bool arrive_and_wait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (++arrived_ >= n_) cv_.notify_all();
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return arrived_ >= n_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int n_;
  int arrived_ = 0;
};

// Waits (bounded) until the job is cancelled; returns whether it was.
bool wait_for_cancel(const TaskContext& ctx) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!ctx.is_cancelled()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

int thread_count() {
  std::error_code ec;
  int n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/task", ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n;
}

StageSpec make_stage(int id, int partitions, std::vector<int> parents, std::function<void(TaskContext&)> fn) {
  StageSpec s;
  s.stage_id = id;
  s.name = "stage " + std::to_string(id);
  s.num_partitions = partitions;
  s.parent_stage_ids = std::move(parents);
  s.run_task = std::move(fn);
  return s;
}

struct Fixture {
  explicit Fixture(int threads, SchedulerOptions opts = {})
      : backend(threads), scheduler(backend, shuffle, std::move(opts)) {}
  LocalExecutorBackend backend;
  LocalShuffleManager shuffle;
  Scheduler scheduler;
};

TEST(SchedulerTest, DiamondDependenciesRunInOrder) {
  Fixture f(4);
  std::mutex mu;
  std::vector<std::pair<int, int>> log;  // (event kind: 0 task / 1 stage complete, stage id)
  auto task = [&](TaskContext& ctx) {
    std::lock_guard<std::mutex> lock(mu);
    log.emplace_back(0, ctx.stage_id);
  };
  std::vector<StageSpec> stages;
  // Given in an order that is not topological, to show the scheduler sorts it out.
  stages.push_back(make_stage(3, 3, {1, 2}, task));
  stages.push_back(make_stage(1, 3, {0}, task));
  stages.push_back(make_stage(0, 3, {}, task));
  stages.push_back(make_stage(2, 3, {0}, task));
  for (auto& s : stages) {
    int id = s.stage_id;
    s.on_stage_complete = [&, id] {
      std::lock_guard<std::mutex> lock(mu);
      log.emplace_back(1, id);
    };
  }
  JobResult r = f.scheduler.run_job(std::move(stages), 7);

  ASSERT_EQ(log.size(), 16u);
  auto pos_complete = [&](int id) {
    return std::find(log.begin(), log.end(), std::make_pair(1, id)) - log.begin();
  };
  auto first_task = [&](int id) {
    return std::find(log.begin(), log.end(), std::make_pair(0, id)) - log.begin();
  };
  auto last_task = [&](int id) {
    return log.rend() - std::find(log.rbegin(), log.rend(), std::make_pair(0, id)) - 1;
  };
  for (int id = 0; id < 4; ++id) EXPECT_LT(last_task(id), pos_complete(id)) << id;
  EXPECT_LT(pos_complete(0), first_task(1));
  EXPECT_LT(pos_complete(0), first_task(2));
  EXPECT_LT(pos_complete(1), first_task(3));
  EXPECT_LT(pos_complete(2), first_task(3));

  ASSERT_EQ(r.stages.size(), 4u);
  ASSERT_EQ(r.task_metrics.size(), 12u);
  EXPECT_EQ(r.stages[0].stage_id, 3);
  EXPECT_EQ(r.stage(0)->num_tasks, 3);
  EXPECT_EQ(r.stage(42), nullptr);
  EXPECT_GE(r.wall_nanos, 0);
}

TEST(SchedulerTest, AStageCanRunASubsetOfItsPartitions) {
  // Recomputing lost cached blocks runs only those partitions of the final stage; the tasks see
  // the real partition numbers and the stage's full partition count, and a retried task keeps
  // its partition.
  SchedulerOptions opts;
  opts.max_task_attempts = 2;
  Fixture f(2, opts);
  std::mutex mu;
  std::multiset<int> seen;
  std::atomic<bool> failed_once{false};
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 3, {}, [](TaskContext&) {}));
  stages.push_back(make_stage(1, 8, {0}, [&](TaskContext& ctx) {
    EXPECT_EQ(ctx.num_partitions, 8);
    if (ctx.partition == 6 && !failed_once.exchange(true)) throw_error(ErrorKind::kIo, "transient");
    std::lock_guard<std::mutex> lock(mu);
    seen.insert(ctx.partition);
  }));
  stages.back().partitions = {6, 2};
  JobResult r = f.scheduler.run_job(std::move(stages), 9);
  EXPECT_EQ(seen, (std::multiset<int>{2, 6}));
  EXPECT_EQ(r.stage(0)->num_tasks, 3);
  EXPECT_EQ(r.stage(1)->num_tasks, 2);
  EXPECT_EQ(r.stage(1)->failed_attempts, 1);
  EXPECT_EQ(r.task_metrics.size(), 5u);
  // A partition outside the stage is a bug in the caller.
  std::vector<StageSpec> bad;
  bad.push_back(make_stage(0, 2, {}, [](TaskContext&) {}));
  bad.back().partitions = {2};
  EXPECT_THROW(f.scheduler.run_job(std::move(bad), 10), EmberError);
}

TEST(SchedulerTest, TasksOfAStageRunConcurrently) {
  Fixture f(4);
  Rendezvous all(4);
  std::atomic<int> met{0};
  std::set<std::thread::id> threads;
  std::mutex mu;
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 4, {}, [&](TaskContext&) {
    if (all.arrive_and_wait()) ++met;
    std::lock_guard<std::mutex> lock(mu);
    threads.insert(std::this_thread::get_id());
  }));
  f.scheduler.run_job(std::move(stages), 1);
  EXPECT_EQ(met.load(), 4) << "the four tasks never ran at the same time";
  EXPECT_EQ(threads.size(), 4u);
  EXPECT_EQ(f.backend.parallelism(), 4);
}

TEST(SchedulerTest, IndependentStagesRunConcurrently) {
  Fixture f(2);
  Rendezvous both(2);
  std::atomic<int> met{0};
  auto task = [&](TaskContext&) {
    if (both.arrive_and_wait()) ++met;
  };
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 1, {}, task));
  stages.push_back(make_stage(1, 1, {}, task));
  stages.push_back(make_stage(2, 1, {0, 1}, [](TaskContext&) {}));
  f.scheduler.run_job(std::move(stages), 1);
  EXPECT_EQ(met.load(), 2);
}

TEST(SchedulerTest, FirstFailureCancelsSiblingsAndRethrowsTheOriginalError) {
  const int before = thread_count();
  {
    Fixture f(2);
    std::atomic<int> started{0};
    std::atomic<bool> sibling_saw_cancel{false};
    std::atomic<bool> child_ran{false};
    Rendezvous both(2);
    std::vector<StageSpec> stages;
    stages.push_back(make_stage(0, 50, {}, [&](TaskContext& ctx) {
      ++started;
      if (ctx.partition == 0) {
        both.arrive_and_wait();
        throw EmberError(ErrorKind::kArithmetic, "DIVIDE_BY_ZERO", "[DIVIDE_BY_ZERO] Division by zero.");
      }
      if (ctx.partition == 1) {
        both.arrive_and_wait();
        sibling_saw_cancel = wait_for_cancel(ctx);
        ctx.check_cancelled();  // throws kCancelled, which must not replace the original error
      }
    }));
    stages.push_back(make_stage(1, 2, {0}, [&](TaskContext&) { child_ran = true; }));
    try {
      f.scheduler.run_job(std::move(stages), 3);
      FAIL() << "expected the job to fail";
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kArithmetic);
      EXPECT_EQ(e.error_class(), "DIVIDE_BY_ZERO");
      EXPECT_STREQ(e.what(), "[DIVIDE_BY_ZERO] Division by zero.");
    }
    EXPECT_TRUE(sibling_saw_cancel.load());
    EXPECT_FALSE(child_ran.load());
    EXPECT_LT(started.load(), 50) << "queued tasks should be skipped after the failure";

    // The scheduler is reusable after a failed job.
    std::atomic<int> ran{0};
    std::vector<StageSpec> again;
    again.push_back(make_stage(0, 5, {}, [&](TaskContext&) { ++ran; }));
    f.scheduler.run_job(std::move(again), 4);
    EXPECT_EQ(ran.load(), 5);
  }
  // Backend threads are joined with the backend; nothing else lingers.
  if (before > 0) {
    EXPECT_EQ(thread_count(), before);
  }
}

TEST(SchedulerTest, NonEmberExceptionsAreRethrownAsIs) {
  Fixture f(2);
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 4, {}, [](TaskContext& ctx) {
    if (ctx.partition == 2) throw std::out_of_range("boom");
  }));
  EXPECT_THROW(f.scheduler.run_job(std::move(stages), 1), std::out_of_range);
}

TEST(SchedulerTest, TransientFailureIsRetriedUntilItSucceeds) {
  SchedulerOptions opts;
  opts.max_task_attempts = 3;
  Fixture f(2, opts);
  std::mutex mu;
  std::vector<int> attempts_of_p1;
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 3, {}, [&](TaskContext& ctx) {
    if (ctx.partition != 1) return;
    {
      std::lock_guard<std::mutex> lock(mu);
      attempts_of_p1.push_back(ctx.attempt);
    }
    if (ctx.attempt == 0) throw EmberError(ErrorKind::kIo, "transient read failure");
    if (ctx.attempt == 1) throw std::runtime_error("some library hiccup");
    ctx.metrics.operators.push_back(OperatorMetrics{"Probe", 1, 2, 3, 4, 5});
  }));
  JobResult r = f.scheduler.run_job(std::move(stages), 9);
  EXPECT_EQ(attempts_of_p1, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(r.stages[0].failed_attempts, 2);
  ASSERT_EQ(r.task(0, 1).operators.size(), 1u);
  EXPECT_EQ(r.task(0, 1).operators[0].name, "Probe");
  EXPECT_EQ(r.task(0, 1).operators[0].rows_out, 2);
}

TEST(SchedulerTest, UserErrorsAreNotRetried) {
  SchedulerOptions opts;
  opts.max_task_attempts = 4;
  Fixture f(2, opts);
  std::atomic<int> attempts{0};
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 1, {}, [&](TaskContext&) {
    ++attempts;
    throw EmberError(ErrorKind::kMalformedInput, "malformed CSV record");
  }));
  try {
    f.scheduler.run_job(std::move(stages), 1);
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput);
  }
  EXPECT_EQ(attempts.load(), 1);
}

TEST(SchedulerTest, RetriesAreBoundedByMaxAttempts) {
  SchedulerOptions opts;
  opts.max_task_attempts = 2;
  Fixture f(1, opts);
  std::atomic<int> attempts{0};
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 1, {}, [&](TaskContext& ctx) {
    ++attempts;
    throw EmberError(ErrorKind::kIo, "disk on fire (attempt " + std::to_string(ctx.attempt) + ")");
  }));
  try {
    f.scheduler.run_job(std::move(stages), 1);
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_STREQ(e.what(), "disk on fire (attempt 1)");  // the last attempt's error
  }
  EXPECT_EQ(attempts.load(), 2);
}

TEST(SchedulerTest, LocalModeDoesNotRetryByDefault) {
  Fixture f(2);
  std::atomic<int> attempts{0};
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 1, {}, [&](TaskContext&) {
    ++attempts;
    throw EmberError(ErrorKind::kIo, "io");
  }));
  EXPECT_THROW(f.scheduler.run_job(std::move(stages), 1), EmberError);
  EXPECT_EQ(attempts.load(), 1);
}

TEST(SchedulerTest, FailingStageHookFailsTheJob) {
  Fixture f(2);
  std::atomic<bool> child_ran{false};
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 3, {}, [](TaskContext&) {}));
  stages[0].on_stage_complete = [] { throw EmberError(ErrorKind::kInternal, "bounds failed"); };
  stages.push_back(make_stage(1, 3, {0}, [&](TaskContext&) { child_ran = true; }));
  EXPECT_THROW(f.scheduler.run_job(std::move(stages), 1), EmberError);
  EXPECT_FALSE(child_ran.load());
}

TEST(SchedulerTest, EmptyJobsAndStagesWithoutPartitions) {
  Fixture f(2);
  EXPECT_TRUE(f.scheduler.run_job({}, 1).stages.empty());
  std::atomic<int> ran{0};
  std::atomic<bool> hook{false};
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 0, {}, nullptr));
  stages[0].on_stage_complete = [&] { hook = true; };
  stages.push_back(make_stage(1, 2, {0}, [&](TaskContext&) { ++ran; }));
  f.scheduler.run_job(std::move(stages), 2);
  EXPECT_TRUE(hook.load());
  EXPECT_EQ(ran.load(), 2);
}

TEST(SchedulerTest, RejectsMalformedStageGraphs) {
  Fixture f(1);
  auto noop = [](TaskContext&) {};
  auto expect_internal = [&](std::vector<StageSpec> stages) {
    try {
      f.scheduler.run_job(std::move(stages), 1);
      ADD_FAILURE() << "expected an internal error";
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInternal);
    }
  };
  expect_internal({make_stage(0, 1, {1}, noop), make_stage(1, 1, {0}, noop)});  // cycle
  expect_internal({make_stage(0, 1, {5}, noop)});                                // unknown parent
  expect_internal({make_stage(0, 1, {}, noop), make_stage(0, 1, {}, noop)});     // duplicate id
}

TEST(SchedulerTest, TaskContextIdentifiesTheAttempt) {
  Fixture f(1);
  std::string id;
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(4, 3, {}, [&](TaskContext& ctx) {
    if (ctx.partition == 2) id = ctx.attempt_id();
    EXPECT_EQ(ctx.num_partitions, 3);
    EXPECT_EQ(ctx.job_id, 12);
    EXPECT_NE(ctx.shuffle, nullptr);
    EXPECT_NO_THROW(ctx.check_cancelled());
  }));
  f.scheduler.run_job(std::move(stages), 12);
  EXPECT_EQ(id, "attempt_12_4_2_0");
}

Batch int_batch(std::vector<int64_t> values) {
  auto v = Vector::make(DataType::int64(), values.size());
  for (size_t i = 0; i < values.size(); ++i) v->values<int64_t>()[i] = values[i];
  return Batch({v}, values.size());
}

TEST(SchedulerTest, RetriedMapTaskDoesNotDuplicateShuffleRows) {
  SchedulerOptions opts;
  opts.max_task_attempts = 2;
  Fixture f(2, opts);
  f.shuffle.register_shuffle(0, 2, 1);
  std::vector<int64_t> reduced;
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 2, {}, [&](TaskContext& ctx) {
    ctx.shuffle->write(0, ctx.partition, 0, int_batch({ctx.partition * 10 + 1}));
    // The first attempt of map 1 dies after writing part of its output, before committing.
    if (ctx.partition == 1 && ctx.attempt == 0) throw EmberError(ErrorKind::kIo, "lost executor");
    ctx.shuffle->write(0, ctx.partition, 0, int_batch({ctx.partition * 10 + 2}));
    ctx.shuffle->commit_map_output(0, ctx.partition);
  }));
  stages[0].shuffle_write_id = 0;
  stages.push_back(make_stage(1, 1, {0}, [&](TaskContext& ctx) {
    for (const Batch& b : ctx.shuffle->read(0, 0)) {
      for (size_t i = 0; i < b.num_rows; ++i) reduced.push_back(b.columns[0]->values<int64_t>()[i]);
    }
  }));
  f.scheduler.run_job(std::move(stages), 1);
  EXPECT_EQ(reduced, (std::vector<int64_t>{1, 2, 11, 12}));
}

TEST(SchedulerTest, ManyJobsInARowLeakNothing) {
  Fixture f(3);
  const int threads = thread_count();
  for (int job = 0; job < 50; ++job) {
    std::vector<StageSpec> stages;
    stages.push_back(make_stage(0, 6, {}, [job](TaskContext& ctx) {
      if (job % 2 == 1 && ctx.partition == 3) throw EmberError(ErrorKind::kCast, "bad cast");
    }));
    stages.push_back(make_stage(1, 2, {0}, [](TaskContext&) {}));
    if (job % 2 == 1) {
      EXPECT_THROW(f.scheduler.run_job(std::move(stages), job), EmberError);
    } else {
      EXPECT_EQ(f.scheduler.run_job(std::move(stages), job).task_metrics.size(), 8u);
    }
  }
  if (threads > 0) {
    EXPECT_EQ(thread_count(), threads);
  }
}

TEST(ExecutorBackendTest, DestructorRunsQueuedTasks) {
  std::atomic<int> ran{0};
  {
    LocalExecutorBackend backend(1);
    for (int i = 0; i < 100; ++i) backend.launch([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 100);
  EXPECT_THROW(LocalExecutorBackend(0), EmberError);
}

TEST(ExecutorBackendTest, ParsesLocalMasterUrls) {
  EXPECT_EQ(parse_local_master("local"), 1);
  EXPECT_EQ(parse_local_master("local[4]"), 4);
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_EQ(parse_local_master("local[*]"), cores);
  LocalMaster m = parse_local_master_spec("local[3,5]");
  EXPECT_EQ(m.threads, 3);
  EXPECT_EQ(m.max_failures, 5);
  EXPECT_EQ(parse_local_master_spec("local[*,2]").max_failures, 2);
  EXPECT_EQ(parse_local_master_spec("local[2]").max_failures, 1);
  for (const char* bad : {"", "yarn", "local[]", "local[0]", "local[-1]", "local[x]", "local[4", "local[4,]",
                          "local[4,0]", "spark://host:7077", "local[ 4]", "LOCAL"}) {
    try {
      parse_local_master(bad);
      ADD_FAILURE() << bad;
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIllegalArgument) << bad;
    }
  }
}

TEST(SchedulerTest, RetryPolicy) {
  EXPECT_TRUE(is_retryable_task_error(std::make_exception_ptr(EmberError(ErrorKind::kIo, "x"))));
  EXPECT_TRUE(is_retryable_task_error(std::make_exception_ptr(EmberError(ErrorKind::kInternal, "x"))));
  EXPECT_TRUE(is_retryable_task_error(std::make_exception_ptr(std::bad_alloc())));
  EXPECT_FALSE(is_retryable_task_error(std::make_exception_ptr(EmberError(ErrorKind::kArithmetic, "x"))));
  EXPECT_FALSE(is_retryable_task_error(std::make_exception_ptr(EmberError(ErrorKind::kAnalysis, "x"))));
  EXPECT_FALSE(is_retryable_task_error(std::make_exception_ptr(EmberError(ErrorKind::kCancelled, "x"))));
}

}  // namespace
}  // namespace ember

namespace ember {
namespace {

// cancel_all_jobs (the SQL shell's Ctrl-C): running tasks see the flag, queued tasks never start,
// the next stage never runs, run_job throws SPARK_JOB_CANCELLED, and the scheduler stays usable.
TEST(SchedulerTest, CancelAllJobsStopsTheRunningJob) {
  Fixture f(2);
  Rendezvous both_running(3);  // two tasks + the test thread
  std::atomic<int> started{0};
  std::atomic<bool> second_stage_ran{false};
  std::vector<StageSpec> stages;
  stages.push_back(make_stage(0, 6, {}, [&](TaskContext& ctx) {
    if (started.fetch_add(1) < 2) both_running.arrive_and_wait();
    ASSERT_TRUE(wait_for_cancel(ctx));
    ctx.check_cancelled();
  }));
  stages.push_back(make_stage(1, 2, {0}, [&](TaskContext&) { second_stage_ran = true; }));

  std::exception_ptr error;
  std::thread driver([&] {
    try {
      f.scheduler.run_job(std::move(stages), 3);
    } catch (...) {
      error = std::current_exception();
    }
  });
  ASSERT_TRUE(both_running.arrive_and_wait());
  EXPECT_EQ(f.scheduler.cancel_all_jobs(), 1);
  driver.join();

  ASSERT_TRUE(error);
  try {
    std::rethrow_exception(error);
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kCancelled);
    EXPECT_EQ(e.error_class(), "SPARK_JOB_CANCELLED");
    EXPECT_NE(std::string(e.what()).find("Job 3 cancelled"), std::string::npos) << e.what();
  }
  EXPECT_EQ(started.load(), 2);  // the four queued tasks were skipped
  EXPECT_FALSE(second_stage_ran.load());

  // No job is running now: nothing to cancel, and the next job runs normally.
  EXPECT_EQ(f.scheduler.cancel_all_jobs(), 0);
  std::atomic<int> ran{0};
  std::vector<StageSpec> next;
  next.push_back(make_stage(0, 4, {}, [&](TaskContext&) { ++ran; }));
  f.scheduler.run_job(std::move(next), 4);
  EXPECT_EQ(ran.load(), 4);
}

}  // namespace
}  // namespace ember
