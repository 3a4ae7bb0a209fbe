#include "ember/optimizer/optimizer.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "ember/common/error.h"
#include "ember/optimizer/plan_validation.h"

namespace ember {

namespace {

// Spark's package for its optimizer rules; excludedRules values copied from Spark configs carry
// it, so we accept it in front of any of our short names.
constexpr std::string_view kSparkRulePrefix = "org.apache.spark.sql.catalyst.optimizer.";

// Spark's fixedPoint batch limit (spark.sql.optimizer.maxIterations). Reaching it is not an
// error: the plan is correct after every single rule application, just possibly less optimized.
constexpr int kMaxIterations = 100;

// The operator-optimization rules: everything that rewrites operators and expressions, run to a
// fixed point. The order only affects how quickly the fixed point is reached (and which of
// several equivalent plans it is), never the answer: every rule preserves the result on its own.
// Folding and the expression rules come first so literal conditions vanish before the filter
// rules look at them; EliminateOuterJoin before PushDownPredicates so a filter it makes pushable
// moves in the same iteration; pruning last sees the final shape.
std::vector<std::unique_ptr<OptimizerRule>> operator_optimization_rules() {
  std::vector<std::unique_ptr<OptimizerRule>> rules;
  rules.push_back(make_constant_folding_rule());
  rules.push_back(make_null_propagation_rule());
  rules.push_back(make_optimize_in_rule());
  rules.push_back(make_like_simplification_rule());
  rules.push_back(make_simplify_conditionals_rule());
  rules.push_back(make_propagate_empty_relation_rule());
  rules.push_back(make_combine_filters_rule());
  rules.push_back(make_boolean_simplification_rule());
  // The heuristic order (no cross product where a condition exists); the cost-based order is
  // chosen later, in its own batch, once every filter is where it will run.
  rules.push_back(make_reorder_join_rule());
  rules.push_back(make_eliminate_outer_join_rule());
  rules.push_back(make_push_down_predicates_rule());
  rules.push_back(make_eliminate_sorts_rule());
  rules.push_back(make_remove_redundant_aggregates_rule());
  rules.push_back(make_collapse_project_rule());
  rules.push_back(make_limit_push_down_rule());
  rules.push_back(make_column_pruning_rule());
  return rules;
}

struct BatchSpec {
  const char* name;
  bool fixed_point;
  std::vector<std::unique_ptr<OptimizerRule>> rules;
};

// What must follow the cost-based join order (and eager aggregation, which is decided on it):
// CostBasedJoinReorder leaves a group's single-input
// conjuncts as a filter over that input and a projection on top of the group, so filters are
// pushed and combined again (an input may be a projection or an outer join they can pass),
// projections collapse and columns are pruned over the new tree. Spark runs the same cleanup
// (PushPredicateThroughJoin, ColumnPruning, CollapseProject) in its batches after "Join Reorder".
std::vector<std::unique_ptr<OptimizerRule>> after_join_reorder_rules() {
  std::vector<std::unique_ptr<OptimizerRule>> rules;
  rules.push_back(make_combine_filters_rule());
  rules.push_back(make_push_down_predicates_rule());
  // Eager aggregation decides by estimated rows, so on the join tree the order was chosen for.
  rules.push_back(make_push_aggregate_through_join_rule());
  rules.push_back(make_collapse_project_rule());
  rules.push_back(make_column_pruning_rule());
  return rules;
}

// The batches in the order they run, named as Spark's Optimizer names them. Inferring filters is
// a once batch between two operator-optimization batches, as in Spark: the first batch puts
// filters where the inference sees them, the second pushes what it inferred down to the scans
// (inference and the extra join predicates read conditions that stay in place, so they would add
// their filters again in a fixed-point loop). Cost-based join reordering comes after all of that,
// as Spark's "Join Reorder" batch does: it estimates each input with every filter that will run
// on it (the inferred ones and the extra join predicates included), not with the filters still
// sitting above the joins.
std::vector<BatchSpec> all_batches() {
  std::vector<BatchSpec> batches;
  batches.push_back({"Operator Optimization before Inferring Filters", true, operator_optimization_rules()});
  std::vector<std::unique_ptr<OptimizerRule>> infer;
  infer.push_back(make_infer_filters_from_constraints_rule());
  infer.push_back(make_push_extra_predicate_through_join_rule());
  batches.push_back({"Infer Filters", false, std::move(infer)});
  batches.push_back({"Operator Optimization after Inferring Filters", true, operator_optimization_rules()});
  std::vector<std::unique_ptr<OptimizerRule>> reorder;
  reorder.push_back(make_cost_based_join_reorder_rule());
  batches.push_back({"Join Reorder", false, std::move(reorder)});
  batches.push_back({"Operator Optimization after Join Reorder", true, after_join_reorder_rules()});
  return batches;
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// The short rule name for `name` (short or Spark-qualified); throws for an unknown rule.
std::string canonical_rule_name(const std::string& raw) {
  std::string name = trim(raw);
  if (name.rfind(kSparkRulePrefix, 0) == 0) name = name.substr(kSparkRulePrefix.size());
  std::vector<std::string> known = Optimizer::rule_names();
  for (const auto& k : known) {
    if (k == name) return k;
  }
  std::string list;
  for (size_t i = 0; i < known.size(); ++i) list += (i ? ", " : "") + known[i];
  throw_error(
      ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
      "spark.sql.optimizer.excludedRules: unknown optimizer rule '" + trim(raw) + "'. Known rules: " + list);
}

}  // namespace

struct Optimizer::Batch {
  std::string name;
  bool fixed_point = false;
  std::vector<std::unique_ptr<OptimizerRule>> rules;
};

Optimizer::Optimizer(const std::set<std::string>& excluded, OptimizerOptions options)
    : options_(std::move(options)) {
  std::set<std::string> skip;
  for (const auto& name : excluded) skip.insert(canonical_rule_name(name));
  for (auto& spec : all_batches()) {
    Batch batch{spec.name, spec.fixed_point, {}};
    for (auto& rule : spec.rules) {
      if (skip.count(rule->name()) == 0) batch.rules.push_back(std::move(rule));
    }
    batches_.push_back(std::move(batch));
  }
}

Optimizer::~Optimizer() = default;

OptimizerOptions Optimizer::default_options() {
  OptimizerOptions options;
#ifndef NDEBUG
  options.validate = true;
#endif
  return options;
}

std::vector<std::string> Optimizer::rule_names() {
  std::vector<std::string> names;
  for (const auto& batch : all_batches()) {
    for (const auto& rule : batch.rules) {
      if (std::find(names.begin(), names.end(), rule->name()) == names.end())
        names.emplace_back(rule->name());
    }
  }
  return names;
}

std::vector<std::string> Optimizer::batch_descriptions() {
  std::vector<std::string> out;
  for (const auto& batch : all_batches()) {
    std::string line = std::string(batch.name) + (batch.fixed_point ? " (fixed point): " : " (once): ");
    for (size_t i = 0; i < batch.rules.size(); ++i)
      line += (i ? ", " : "") + std::string(batch.rules[i]->name());
    out.push_back(line);
  }
  return out;
}

std::set<std::string> Optimizer::parse_excluded(const std::string& value) {
  std::set<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    std::string item = trim(value.substr(start, comma - start));
    // Empty items ("a,,b", a trailing comma, the empty default) are ignored, as Spark does.
    if (!item.empty()) out.insert(canonical_rule_name(item));
    start = comma + 1;
  }
  return out;
}

PlanPtr Optimizer::optimize(const PlanPtr& plan, const OptimizerContext& ctx) const {
  last_run_.clear();
  last_batches_.clear();
  last_changes_.clear();
  PlanPtr current = plan;
  for (const auto& batch : batches_) {
    const size_t first_run = last_run_.size();
    for (const auto& rule : batch.rules) last_run_.push_back(RuleRun{rule->name(), 0, 0, batch.name, 0});
    BatchRun batch_run{batch.name, batch.fixed_point, 0, 0};
    const auto batch_start = std::chrono::steady_clock::now();
    const int max_iterations = batch.fixed_point ? kMaxIterations : 1;
    for (int iteration = 0; iteration < max_iterations; ++iteration) {
      ++batch_run.iterations;
      bool changed = false;
      for (size_t i = 0; i < batch.rules.size(); ++i) {
        RuleRun& run = last_run_[first_run + i];
        auto start = std::chrono::steady_clock::now();
        PlanPtr next = batch.rules[i]->apply(current, ctx);
        run.nanos +=
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
                .count();
        ++run.runs;
        // Rules return the very same pointer when they did nothing; any new root means a rewrite.
        if (next == current) continue;
        ++run.times_changed;
        changed = true;
        if (options_.validate) {
          std::string problem = plan_validation_error(next);
          if (!problem.empty()) {
            throw_error(ErrorKind::kInternal, "PLAN_VALIDATION_FAILED",
                        "optimizer rule " + run.rule + " (batch '" + batch.name +
                            "') produced an invalid plan: " + problem + "\nplan before the rule:\n" +
                            plan_tree_string(current) + "plan after the rule:\n" + plan_tree_string(next));
          }
        }
        if (options_.log_changes && (options_.log_rules.empty() || options_.log_rules.count(run.rule)) &&
            (options_.log_batches.empty() || options_.log_batches.count(batch.name))) {
          last_changes_.push_back(
              PlanChange{batch.name, run.rule, plan_tree_string(current), plan_tree_string(next)});
        }
        current = std::move(next);
      }
      if (!changed) break;
    }
    batch_run.nanos =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - batch_start)
            .count();
    last_batches_.push_back(batch_run);
  }
  return current;
}

namespace {

std::string millis(int64_t nanos) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f ms", static_cast<double>(nanos) / 1e6);
  return buf;
}

}  // namespace

std::string Optimizer::rule_report(const std::vector<BatchRun>& batches, const std::vector<RuleRun>& runs,
                                   bool with_times) {
  std::string out;
  int64_t total = 0;
  for (const auto& b : batches) {
    total += b.nanos;
    out += "Batch '" + b.batch + "' (" + (b.fixed_point ? "fixed point" : "once") +
           "): " + std::to_string(b.iterations) + (b.iterations == 1 ? " iteration" : " iterations") +
           (with_times ? ", " + millis(b.nanos) : "") + "\n";
    for (const auto& r : runs) {
      if (r.batch != b.batch || r.times_changed == 0) continue;
      out += "  " + r.rule + ": changed the plan " + std::to_string(r.times_changed) +
             (r.times_changed == 1 ? " time in " : " times in ") + std::to_string(r.runs) +
             (r.runs == 1 ? " run" : " runs") + (with_times ? ", " + millis(r.nanos) : "") + "\n";
    }
  }
  if (with_times) out += "Total: " + millis(total) + "\n";
  return out;
}

std::string Optimizer::change_log(const std::vector<PlanChange>& changes) {
  std::string out;
  for (const auto& c : changes) {
    out += "=== Applying Rule " + c.rule + " (batch '" + c.batch + "') ===\n" + c.before + "=== Result of " +
           c.rule + " ===\n" + c.after + "\n";
  }
  return out;
}

}  // namespace ember
