#pragma once
// The optimizer driver: runs the rules in order, repeatedly, until the plan stops changing (or an
// iteration cap is hit), skipping rules the user excluded, and records what each rule did.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ember/optimizer/optimizer_rule.h"

namespace ember {

struct RuleRun {
  std::string rule;
  int times_changed = 0;
  int64_t nanos = 0;
};

class Optimizer {
 public:
  // `excluded` holds rule names as given in spark.sql.optimizer.excludedRules.
  explicit Optimizer(const std::set<std::string>& excluded = {});
  PlanPtr optimize(const PlanPtr& plan, const OptimizerContext& ctx) const;
  const std::vector<RuleRun>& last_run() const { return last_run_; }
  // Names of every rule, in the order they run.
  static std::vector<std::string> rule_names();
  // Parses a comma-separated excludedRules value; unknown names throw kIllegalArgument listing
  // the known rules.
  static std::set<std::string> parse_excluded(const std::string& value);

 private:
  std::vector<std::unique_ptr<OptimizerRule>> rules_;
  mutable std::vector<RuleRun> last_run_;
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

}  // namespace ember
