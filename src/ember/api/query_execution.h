#pragma once
// Internal: one query's journey from a DataFrame's logical plan to results, as Spark's
// QueryExecution: analyzed -> optimized -> physical (with stages) -> run.
#include <memory>
#include <vector>

#include "ember/api/dataframe.h"
#include "ember/api/session_state.h"
#include "ember/optimizer/optimizer.h"
#include "ember/runtime/job_runner.h"

namespace ember {

// The optimizer driver's switches from the session's settings (spark.sql.planChangeValidation,
// spark.sql.planChangeLog.*); throws INVALID_CONF_VALUE for a value it cannot use.
OptimizerOptions optimizer_options(const SessionState& session);

class QueryExecution {
 public:
  QueryExecution(std::shared_ptr<SessionState> session, PlanPtr logical);

  const PlanPtr& logical() const { return logical_; }
  const PlanPtr& analyzed();
  const PlanPtr& optimized();
  const PhysPtr& physical();  // stage ids assigned
  const EvalContext& eval() const { return eval_; }

  std::vector<Batch> collect(QueryMetrics* metrics);
  // Runs the plan, giving each final-stage task's pipeline to `sink`.
  void run(const ResultSink& sink, QueryMetrics* metrics);
  // After an adaptive run, the physical part reads "AdaptiveSparkPlan isFinalPlan=true" with the
  // final and the initial plan, as Spark's explain of an executed query.
  std::string explain_string(ExplainMode mode);
  // That adaptive text alone, or "" when the query has not run adaptively.
  std::string adaptive_plan_string();

 private:
  JobRunner& runner();
  void materialize_cached_data();
  // Runs the planned job (cached data already materialised); see JobRunner::run.
  JobSummary run_job(const ResultSink& sink, const std::vector<int>& final_partitions);
  // The cached plan this execution computes (materialize_cached_data), which must not be
  // replaced by its own, not yet computed, cache entry.
  const LogicalPlan* computing_cached_ = nullptr;
  int64_t bad_records_while_caching_ = 0;  // malformed input records met by materialize_cached_data
  int cached_partitions_computed_ = 0;     // partitions materialize_cached_data computed
  int cache_tasks_ = 0;                    // tasks of the jobs that computed them
  // Computed partitions the block manager did not keep, read by this query's scans (shared with
  // the job runner's environment).
  std::shared_ptr<UnstoredPartitions> unstored_ = std::make_shared<UnstoredPartitions>();
  // The cached relations this query reads stay in memory until it ends (BlockManager::Pin).
  std::vector<BlockManager::Pin> pins_;
  void add_cache_metrics(QueryMetrics* metrics) const;
  std::shared_ptr<SessionState> session_;
  PlanPtr logical_;
  PlanPtr analyzed_;
  PlanPtr optimized_;
  PhysPtr physical_;
  EvalContext eval_;
  std::unique_ptr<JobRunner> runner_;
  // What the optimizer did for optimized_ (EXPLAIN EXTENDED's footer).
  std::vector<RuleRun> rule_runs_;
  std::vector<BatchRun> batch_runs_;
  std::vector<PlanChange> plan_changes_;
  bool log_level_set_ = false;  // spark.sql.planChangeLog.level was set: EXPLAIN shows rule times
};

void summarize_metrics(const JobSummary& summary, QueryMetrics* out);

// EXPLAIN COST's logical part: the optimized plan with each node's `Statistics(...)`.
std::string cost_plan_string(const PlanPtr& optimized);

}  // namespace ember
