#include "ember/api/query_execution.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>

#include "ember/analyzer/analyzer.h"
#include "ember/common/error.h"
#include "ember/optimizer/cost/statistics.h"
#include "ember/optimizer/optimizer.h"
#include "ember/physical/physical_explain.h"

namespace ember {

QueryExecution::QueryExecution(std::shared_ptr<SessionState> session, PlanPtr logical)
    : session_(std::move(session)), logical_(std::move(logical)) {
  eval_ = session_->new_eval_context();
}

const PlanPtr& QueryExecution::analyzed() {
  if (!analyzed_) {
    AnalyzerOptions options;
    options.ansi = session_->ansi();
    options.case_sensitive = to_lower(session_->setting("spark.sql.caseSensitive", "false")) == "true";
    analyzed_ = Analyzer(options).analyze(logical_);
  }
  return analyzed_;
}

namespace {

// Spark's CacheManager.useCachedData: every subtree that is a cached DataFrame's plan becomes an
// in-memory relation with the same output attributes, so the rest of the plan is unchanged.
// "Is" means the same node, or a copy of it: the analyzer copies a resolved plan when it puts a
// qualifier on its output (a SQL query over a temp view of a cached DataFrame), so subtrees are
// also matched by their tree string, which names every attribute by its unique id (Spark compares
// canonicalized plans with sameResult for the same reason).
class CachedDataMatcher {
 public:
  explicit CachedDataMatcher(const std::map<const LogicalPlan*, std::shared_ptr<CachedData>>& cache)
      : by_node_(cache) {
    for (const auto& [node, data] : cache) by_text_.emplace(plan_tree_string(data->plan), data);
  }

  PlanPtr apply(const PlanPtr& plan) const {
    if (by_node_.empty()) return plan;
    if (std::shared_ptr<CachedData> data = find(plan)) {
      auto src = std::make_shared<DataSource>();
      src->kind = SourceKind::kCached;
      src->schema = plan->schema();
      src->cached = std::move(data);
      auto rel = std::make_shared<LogicalPlan>();
      rel->kind = PlanKind::kRelation;
      rel->source = std::move(src);
      rel->output = plan->output;
      rel->resolved = true;
      return rel;
    }
    return rewrite_children(plan, [this](const PlanPtr& c) { return apply(c); });
  }

 private:
  std::shared_ptr<CachedData> find(const PlanPtr& plan) const {
    if (auto it = by_node_.find(plan.get()); it != by_node_.end()) return it->second;
    if (auto it = by_text_.find(plan_tree_string(plan)); it != by_text_.end()) return it->second;
    return nullptr;
  }

  const std::map<const LogicalPlan*, std::shared_ptr<CachedData>>& by_node_;
  std::map<std::string, std::shared_ptr<CachedData>> by_text_;
};

PlanPtr use_cached_data(const PlanPtr& plan,
                        const std::map<const LogicalPlan*, std::shared_ptr<CachedData>>& cache) {
  if (cache.empty()) return plan;
  return CachedDataMatcher(cache).apply(plan);
}

void collect_cached(const PlanPtr& plan, std::vector<std::shared_ptr<CachedData>>& out) {
  if (plan->kind == PlanKind::kRelation && plan->source && plan->source->kind == SourceKind::kCached) {
    out.push_back(plan->source->cached);
  }
  for (const auto& c : plan->children) collect_cached(c, out);
}

}  // namespace

// The driver's switches from the session: validation (debug builds, or Spark's
// spark.sql.planChangeValidation) and the plan change log (spark.sql.planChangeLog.level, with
// .rules and .batches narrowing it).
OptimizerOptions optimizer_options(const SessionState& session) {
  OptimizerOptions options = Optimizer::default_options();
  const std::string validate = to_lower(session.setting("spark.sql.planChangeValidation", ""));
  if (validate == "true") options.validate = true;
  else if (validate == "false") options.validate = false;
  else if (!validate.empty()) {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
                "The value '" + validate +
                    "' in the config \"spark.sql.planChangeValidation\" is invalid: expected true or false");
  }
  const std::string level = to_lower(session.setting("spark.sql.planChangeLog.level", ""));
  if (!level.empty()) {
    if (level != "trace" && level != "debug" && level != "info" && level != "warn" && level != "error") {
      throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
                  "The value '" + level +
                      "' in the config \"spark.sql.planChangeLog.level\" is invalid: expected one of "
                      "TRACE, DEBUG, INFO, WARN, ERROR");
    }
    options.log_changes = true;
    options.log_rules = Optimizer::parse_excluded(session.setting("spark.sql.planChangeLog.rules", ""));
    const std::string batches = session.setting("spark.sql.planChangeLog.batches", "");
    size_t start = 0;
    while (start <= batches.size()) {
      size_t comma = batches.find(',', start);
      if (comma == std::string::npos) comma = batches.size();
      std::string name = batches.substr(start, comma - start);
      while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) name.erase(0, 1);
      while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
      if (!name.empty()) options.log_batches.insert(name);
      start = comma + 1;
    }
  }
  return options;
}

const PlanPtr& QueryExecution::optimized() {
  if (!optimized_) {
    Optimizer optimizer(Optimizer::parse_excluded(session_->setting("spark.sql.optimizer.excludedRules", "")),
                        optimizer_options(*session_));
    OptimizerContext ctx{eval_, session_->cbo_options()};
    ctx.eager_aggregation =
        to_lower(session_->setting("spark.ember.optimizer.eagerAggregation", "true")) == "true";
    std::map<const LogicalPlan*, std::shared_ptr<CachedData>> cache;
    {
      std::lock_guard<std::mutex> lock(session_->mu);
      cache = session_->cache;
    }
    if (computing_cached_) cache.erase(computing_cached_);
    optimized_ = optimizer.optimize(use_cached_data(analyzed(), cache), ctx);
    rule_runs_ = optimizer.last_run();
    batch_runs_ = optimizer.last_batches();
    plan_changes_ = optimizer.last_changes();
    log_level_set_ = !session_->setting("spark.sql.planChangeLog.level", "").empty();
    // Spark writes the plan change log to its logger at the configured level; ember has no
    // logger, so a set level means "show it": on stderr here, and in EXPLAIN EXTENDED.
    if (!plan_changes_.empty()) std::cerr << Optimizer::change_log(plan_changes_) << std::flush;
  }
  return optimized_;
}

// Spark's CacheManager and BlockManager.getOrElseUpdate, one job per cached relation before this
// query runs: the first action over a cached DataFrame computes every partition and stores each
// as a block; later actions ask the block manager which blocks are gone (an evicted MEMORY_ONLY
// block, a disk file that was removed or damaged) and run the cached plan for those partitions
// only. Every cached relation the query reads is pinned first, so storing one cannot evict
// another the query is about to scan; what the block manager does not keep (a MEMORY_ONLY block
// that did not fit) stays with this query in unstored_.
void QueryExecution::materialize_cached_data() {
  std::vector<std::shared_ptr<CachedData>> cached;
  collect_cached(optimized(), cached);
  std::sort(cached.begin(), cached.end());
  cached.erase(std::unique(cached.begin(), cached.end()), cached.end());
  bad_records_while_caching_ = 0;
  cached_partitions_computed_ = 0;
  cache_tasks_ = 0;
  pins_.clear();
  unstored_->partitions.clear();
  if (cached.empty()) return;
  BlockManager& blocks = *session_->blocks;
  blocks.set_memory_limit(session_->storage_memory_limit());
  blocks.set_compress(session_->rdd_compress());
  for (const auto& data : cached) pins_.push_back(blocks.pin(data->rdd_id));
  for (const auto& data : cached) {
    int known = -1;
    {
      std::lock_guard<std::mutex> lock(data->mu);
      known = data->num_partitions;
    }
    std::vector<int> missing;
    for (int p = 0; p < known; ++p) {
      if (!blocks.contains(BlockId{data->rdd_id, p})) missing.push_back(p);
    }
    if (known >= 0 && missing.empty()) continue;
    QueryExecution inner(session_, data->plan);
    inner.computing_cached_ = data->plan.get();
    inner.materialize_cached_data();  // cached relations inside this one, before it is planned
    const int partitions = inner.physical()->num_partitions;
    if (known >= 0 && partitions != known) {
      // The plan no longer has the partitioning its blocks were cut by (a setting such as
      // spark.sql.shuffle.partitions changed): the surviving blocks cannot be completed, so
      // every partition is computed again.
      blocks.remove_rdd(data->rdd_id);
      missing.clear();
    }
    if (missing.empty()) {
      for (int p = 0; p < partitions; ++p) missing.push_back(p);
    }
    std::mutex unstored_mu;
    JobSummary summary = inner.run_job(
        [&](TaskContext& task, Operator& pipeline) {
          std::vector<Batch> mine;
          Batch b;
          while (pipeline.next(b)) {
            task.check_cancelled();
            mine.push_back(flatten_batch(std::move(b)));
          }
          const BlockId id{data->rdd_id, task.partition};
          int64_t rows = 0;
          for (const Batch& batch : mine) rows += static_cast<int64_t>(batch.num_rows);
          {
            std::lock_guard<std::mutex> lock(data->mu);
            if (data->partition_rows.size() != static_cast<size_t>(partitions)) {
              data->partition_rows.assign(static_cast<size_t>(partitions), -1);
            }
            data->partition_rows[static_cast<size_t>(task.partition)] = rows;
          }
          if (!blocks.put(id, mine, data->storage_level)) {
            std::lock_guard<std::mutex> lock(unstored_mu);
            unstored_->partitions[id.rdd_id][id.partition] = std::move(mine);
          }
        },
        missing);
    // Malformed records met while filling the cache count for the action that filled it: later
    // actions read the cached rows and never see them again.
    bad_records_while_caching_ += summary.bad_records + inner.bad_records_while_caching_;
    cached_partitions_computed_ += static_cast<int>(missing.size()) + inner.cached_partitions_computed_;
    cache_tasks_ += summary.num_tasks + inner.cache_tasks_;
    // The query keeps what inner computed for the relations inside this one but did not store.
    for (auto& [rdd, parts] : inner.unstored_->partitions) {
      for (auto& [p, batches] : parts) unstored_->partitions[rdd][p] = std::move(batches);
    }
    std::lock_guard<std::mutex> lock(data->mu);
    data->num_partitions = partitions;
  }
}

JobSummary QueryExecution::run_job(const ResultSink& sink, const std::vector<int>& final_partitions) {
  const PhysPtr& plan = physical();
  std::lock_guard<std::mutex> lock(session_->job_mu);
  return runner().run(plan, sink, final_partitions);
}

void QueryExecution::add_cache_metrics(QueryMetrics* metrics) const {
  if (metrics == nullptr) return;
  metrics->bad_records += bad_records_while_caching_;
  metrics->cached_partitions_computed = cached_partitions_computed_;
  metrics->cache_tasks = cache_tasks_;
}

JobRunner& QueryExecution::runner() {
  if (!runner_) {
    JobEnvironment env;
    env.scheduler = session_->scheduler.get();
    env.shuffle = session_->shuffle.get();
    env.eval = eval_;
    {
      std::lock_guard<std::mutex> lock(session_->mu);
      env.job_id = session_->next_job_id++;
    }
    env.next_stage_id = &session_->next_stage_id;
    env.next_shuffle_id = &session_->next_shuffle_id;
    env.blocks = session_->blocks.get();
    env.unstored = unstored_;
    env.adaptive = session_->adaptive_options();
    // A cached relation's blocks are cut by its planned partitions (and recomputed one partition
    // at a time), so the job computing them keeps that partitioning, as Spark does by default
    // (spark.sql.optimizer.canChangeCachedPlanOutputPartitioning=false).
    if (computing_cached_ != nullptr) env.adaptive.enabled = false;
    runner_ = std::make_unique<JobRunner>(env);
  }
  return *runner_;
}

const PhysPtr& QueryExecution::physical() {
  if (!physical_) {
    physical_ = plan_physical(optimized(), session_->planner_options());
    JobRunner& job = runner();
    std::lock_guard<std::mutex> lock(session_->mu);  // stage and shuffle ids are session-wide counters
    job.assign_stages(physical_);
  }
  return physical_;
}

void summarize_metrics(const JobSummary& summary, QueryMetrics* out) {
  if (out == nullptr) return;
  out->num_stages = summary.num_stages;
  out->num_tasks = summary.num_tasks;
  out->bad_records = summary.bad_records;
  out->bytes_read = summary.bytes_read;
  out->runtime_filter_rows_filtered = summary.runtime_filter_rows_filtered;
  out->runtime_filter_row_groups_skipped = summary.runtime_filter_row_groups_skipped;
  out->scan_filter_rows_filtered = summary.scan_filter_rows_filtered;
  out->scan_filter_values_skipped = summary.scan_filter_values_skipped;
  out->operators.clear();
  for (const auto& task : summary.tasks) {
    for (const auto& op : task.operators) {
      QueryMetrics::OperatorTotals* totals = nullptr;
      for (auto& t : out->operators) {
        if (t.name == op.name) totals = &t;
      }
      if (totals == nullptr) {
        out->operators.push_back(QueryMetrics::OperatorTotals{op.name, 0, 0, 0});
        totals = &out->operators.back();
      }
      totals->rows_out += op.rows_out;
      totals->batches_out += op.batches_out;
      totals->nanos += op.nanos;
    }
  }
}

void QueryExecution::run(const ResultSink& sink, QueryMetrics* metrics) {
  session_->ensure_running();
  materialize_cached_data();
  JobSummary summary = run_job(sink, {});
  summarize_metrics(summary, metrics);
  add_cache_metrics(metrics);
}

std::vector<Batch> QueryExecution::collect(QueryMetrics* metrics) {
  session_->ensure_running();
  materialize_cached_data();
  const PhysPtr& plan = physical();
  std::lock_guard<std::mutex> lock(session_->job_mu);
  JobSummary summary;
  std::vector<Batch> out = runner().collect(plan, &summary);
  summarize_metrics(summary, metrics);
  add_cache_metrics(metrics);
  return out;
}

std::string QueryExecution::adaptive_plan_string() {
  if (!runner_ || !runner_->final_plan()) return "";
  // Spark's AdaptiveSparkPlan text after execution: the final plan, then the initial one.
  auto indent = [](const std::string& tree) {
    std::string out;
    size_t at = 0;
    while (at < tree.size()) {
      size_t nl = tree.find('\n', at);
      if (nl == std::string::npos) nl = tree.size();
      out += "   " + tree.substr(at, nl - at) + "\n";
      at = nl + 1;
    }
    return out;
  };
  return "AdaptiveSparkPlan isFinalPlan=true\n+- == Final Plan ==\n" +
         indent(physical_tree_string(runner_->final_plan())) + "+- == Initial Plan ==\n" +
         indent(physical_tree_string(physical()));
}

// EXPLAIN COST: the optimized plan with each node's estimated statistics (rows and bytes), as
// Spark's `Statistics(sizeInBytes=..., rowCount=...)` suffix.
std::string cost_plan_string(const PlanPtr& optimized) { return plan_tree_string_with_statistics(optimized); }

ExplainMode parse_explain_mode(const std::string& mode) {
  std::string m;
  for (char c : mode) m += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (m == "simple") return ExplainMode::kSimple;
  if (m == "extended") return ExplainMode::kExtended;
  if (m == "codegen") return ExplainMode::kCodegen;
  if (m == "cost") return ExplainMode::kCost;
  if (m == "formatted") return ExplainMode::kFormatted;
  throw_error(ErrorKind::kIllegalArgument,
              "Unknown explain mode: " + mode +
                  ". Accepted explain modes are 'simple', 'extended', 'codegen', 'cost', 'formatted'.");
}

std::string QueryExecution::explain_string(ExplainMode mode) {
  std::string out;
  switch (mode) {
    case ExplainMode::kSimple: break;
    case ExplainMode::kExtended: {
      out += "== Parsed Logical Plan ==\n" + plan_tree_string(logical_);
      const PlanPtr& a = analyzed();
      out += "\n== Analyzed Logical Plan ==\n";
      std::string schema;
      for (const auto& attr : a->output)
        schema += (schema.empty() ? "" : ", ") + attr->name + ": " + attr->type.simple_string();
      out += schema + "\n" + plan_tree_string(a);
      out += "\n== Optimized Logical Plan ==\n" + plan_tree_string(optimized());
      out += "\n";
      break;
    }
    case ExplainMode::kCodegen:
      // Spark lists each WholeStageCodegen subtree's generated Java; ember runs every operator
      // vectorised over column batches and generates no code, so there is no subtree to list.
      out += "Found 0 WholeStageCodegen subtrees.\n";
      out += "(ember generates no code: operators run vectorised over column batches.)\n\n";
      break;
    case ExplainMode::kCost:
      out += "== Optimized Logical Plan ==\n" + cost_plan_string(optimized()) + "\n";
      break;
    case ExplainMode::kFormatted: return "== Physical Plan ==\n" + physical_formatted_string(physical());
  }
  const std::string adaptive = adaptive_plan_string();
  out += "== Physical Plan ==\n" + (adaptive.empty() ? physical_tree_string(physical()) : adaptive);
  if (mode == ExplainMode::kExtended) {
    // Not in Spark's output: what the optimizer's batches and rules did, and, with the plan
    // change log on, every rule's before/after plans.
    // Times only with the plan change log on: they differ from run to run.
    out += "\n== Optimizer Rules ==\n" +
           Optimizer::rule_report(batch_runs_, rule_runs_, !plan_changes_.empty() || log_level_set_);
    if (!plan_changes_.empty()) out += "\n== Plan Changes ==\n" + Optimizer::change_log(plan_changes_);
  }
  return out;
}

}  // namespace ember
