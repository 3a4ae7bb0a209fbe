#pragma once
// The optimizer driver: runs the rules in batches, in a fixed order (as Spark's RuleExecutor):
// a fixed-point batch repeats its rules until the plan stops changing (or an iteration cap is
// hit), a once batch runs them one time. Rules the user excluded are skipped. It records what
// each rule did and how long it took, can check the plan after every change, and can keep each
// change's before/after plans (spark.sql.planChangeLog.*).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ember/optimizer/optimizer_rule.h"

namespace ember {

// One rule within one batch (a rule in two batches has two entries).
struct RuleRun {
  std::string rule;
  int times_changed = 0;  // applications that changed the plan
  int64_t nanos = 0;      // total time in the rule
  std::string batch;
  int runs = 0;  // applications
};

struct BatchRun {
  std::string batch;
  bool fixed_point = false;
  int iterations = 0;
  int64_t nanos = 0;
};

// One effective rule application, kept when the plan change log is on.
struct PlanChange {
  std::string batch;
  std::string rule;
  std::string before;  // plan_tree_string of the plan before and after the rule
  std::string after;
};

struct OptimizerOptions {
  // Check the plan after every change (plan_validation.h); a broken plan throws kInternal naming
  // the rule. On in debug builds; spark.sql.planChangeValidation=true turns it on anywhere.
  bool validate = false;
  // Keep before/after plans of each change (spark.sql.planChangeLog.level set), limited to these
  // rules / batches when not empty (spark.sql.planChangeLog.rules / .batches).
  bool log_changes = false;
  std::set<std::string> log_rules;
  std::set<std::string> log_batches;
};

class Optimizer {
 public:
  // `excluded` holds rule names as given in spark.sql.optimizer.excludedRules.
  explicit Optimizer(const std::set<std::string>& excluded = {},
                     OptimizerOptions options = default_options());
  ~Optimizer();
  PlanPtr optimize(const PlanPtr& plan, const OptimizerContext& ctx) const;
  const std::vector<RuleRun>& last_run() const { return last_run_; }
  const std::vector<BatchRun>& last_batches() const { return last_batches_; }
  const std::vector<PlanChange>& last_changes() const { return last_changes_; }
  // Names of every rule, in the order they first run.
  static std::vector<std::string> rule_names();
  // "Batch name (fixed point|once): rule, rule, ..." per batch, in order.
  static std::vector<std::string> batch_descriptions();
  // Parses a comma-separated excludedRules value; unknown names throw kIllegalArgument listing
  // the known rules.
  static std::set<std::string> parse_excluded(const std::string& value);
  // Validation on in debug builds, off in release builds; no change log.
  static OptimizerOptions default_options();

  // EXPLAIN EXTENDED's "== Optimizer Rules ==" section: per batch, its iterations, and every
  // rule that changed the plan with its count; `with_times` adds each one's time (left out by
  // default so that EXPLAIN's text is the same from run to run).
  static std::string rule_report(const std::vector<BatchRun>& batches, const std::vector<RuleRun>& runs,
                                 bool with_times);
  // The plan change log as Spark prints it ("=== Applying Rule X ===" with old and new plans).
  static std::string change_log(const std::vector<PlanChange>& changes);

 private:
  struct Batch;
  std::vector<Batch> batches_;
  OptimizerOptions options_;
  mutable std::vector<RuleRun> last_run_;
  mutable std::vector<BatchRun> last_batches_;
  mutable std::vector<PlanChange> last_changes_;
};

// Factories, one per rule file in optimizer/rules/.
std::unique_ptr<OptimizerRule> make_constant_folding_rule();
std::unique_ptr<OptimizerRule> make_combine_filters_rule();
std::unique_ptr<OptimizerRule> make_boolean_simplification_rule();
std::unique_ptr<OptimizerRule> make_collapse_project_rule();
std::unique_ptr<OptimizerRule> make_push_down_predicates_rule();
std::unique_ptr<OptimizerRule> make_column_pruning_rule();
std::unique_ptr<OptimizerRule> make_limit_push_down_rule();
std::unique_ptr<OptimizerRule> make_reorder_join_rule();
std::unique_ptr<OptimizerRule> make_infer_filters_from_constraints_rule();
std::unique_ptr<OptimizerRule> make_eliminate_outer_join_rule();
std::unique_ptr<OptimizerRule> make_null_propagation_rule();
std::unique_ptr<OptimizerRule> make_optimize_in_rule();
std::unique_ptr<OptimizerRule> make_like_simplification_rule();
std::unique_ptr<OptimizerRule> make_simplify_conditionals_rule();
std::unique_ptr<OptimizerRule> make_eliminate_sorts_rule();
std::unique_ptr<OptimizerRule> make_remove_redundant_aggregates_rule();
std::unique_ptr<OptimizerRule> make_push_aggregate_through_join_rule();
std::unique_ptr<OptimizerRule> make_push_extra_predicate_through_join_rule();
std::unique_ptr<OptimizerRule> make_propagate_empty_relation_rule();
std::unique_ptr<OptimizerRule> make_cost_based_join_reorder_rule();

}  // namespace ember
