#pragma once
// Internal: what a Session owns. Not part of the public API.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "ember/functions/function.h"
#include "ember/optimizer/optimizer_rule.h"
#include "ember/physical/physical_plan.h"
#include "ember/runtime/adaptive_planner.h"
#include "ember/runtime/block_manager.h"
#include "ember/runtime/executor_backend.h"
#include "ember/runtime/scheduler.h"
#include "ember/runtime/shuffle/local_shuffle_manager.h"

namespace ember {

class TimeZone;

struct SessionState {
  std::mutex mu;  // guards settings and counters; jobs run one at a time (job_mu)
  std::mutex job_mu;
  std::map<std::string, std::string> settings;  // keys as given, looked up case-sensitively like Spark
  std::string master = "local[*]";
  std::string app_name = "ember";
  std::unique_ptr<LocalExecutorBackend> backend;
  std::unique_ptr<LocalShuffleManager> shuffle;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<BlockManager> blocks;  // cached DataFrames' partitions
  int next_job_id = 0;
  int next_stage_id = 0;
  int next_shuffle_id = 0;
  bool stopped = false;
  // cache()/persist(): the cached analyzed plans (by identity: DataFrames derived from a cached
  // one share its plan object) and their data. Guarded by mu.
  std::map<const LogicalPlan*, std::shared_ptr<CachedData>> cache;
  // Temporary views (create_or_replace_temp_view, CREATE TEMP VIEW): lower-cased name -> the
  // view's analyzed plan, and the name as the user wrote it. Guarded by mu.
  struct TempView {
    std::string name;
    PlanPtr plan;
  };
  std::map<std::string, TempView> temp_views;

  std::string setting(const std::string& key, const std::string& fallback) const;
  // The value the engine uses: the set value, else the default (Spark's SET key shows it), else
  // nothing for a key ember does not know. Caller holds mu.
  std::optional<std::string> effective_setting(const std::string& key) const;
  bool ansi() const;
  const TimeZone& time_zone() const;
  int shuffle_partitions() const;
  PhysicalPlannerOptions planner_options() const;
  // The block manager's settings as they are now: spark.ember.storage.memoryLimitBytes and
  // spark.rdd.compress (applied before each action that reads cached data).
  int64_t storage_memory_limit() const;
  bool rdd_compress() const;
  AdaptiveOptions adaptive_options() const;  // spark.sql.adaptive.*
  CboOptions cbo_options() const;            // spark.sql.cbo.*
  // spark.sql.statistics.*, read by ANALYZE TABLE and table writes (api/analyze_table.cpp).
  struct StatisticsOptions {
    double ndv_max_error = 0.05;    // spark.sql.statistics.ndv.maxError: HyperLogLog++'s relative error
    bool size_auto_update = false;  // spark.sql.statistics.size.autoUpdate.enabled
  };
  StatisticsOptions statistics_options() const;
  // The evaluation context of a new query: ANSI flag, time zone, and the query's start instant
  // (current_date() and current_timestamp() return the same value for every row of a query).
  EvalContext new_eval_context() const;
  void ensure_running() const;
  // Parses every setting the engine reads (through the accessors above and the optimizer's), so a
  // value it cannot use fails where it is set (as Spark's SET does) rather than in every later query.
  void check_settings() const;
};

// Spark's defaults for the settings ember reads.
const std::map<std::string, std::string>& default_settings();

// The plan of range(start, end, step) in column `id` (Session::range and SQL's FROM range(...));
// num_partitions <= 0 means the session's default parallelism. A step of 0 is an error.
PlanPtr make_range_plan(const SessionState& state, int64_t start, int64_t end, int64_t step, int num_partitions);

}  // namespace ember
