#include "ember/optimizer/optimizer.h"

#include <cctype>
#include <chrono>

#include "ember/common/error.h"

namespace ember {

namespace {

// Spark's package for its optimizer rules; excludedRules values copied from Spark configs carry
// it, so we accept it in front of any of our short names.
constexpr std::string_view kSparkRulePrefix = "org.apache.spark.sql.catalyst.optimizer.";

// Spark's fixedPoint batch limit (spark.sql.optimizer.maxIterations). Reaching it is not an
// error: the plan is correct after every single rule application, just possibly less optimized.
constexpr int kMaxIterations = 100;

std::vector<std::unique_ptr<OptimizerRule>> all_rules() {
  std::vector<std::unique_ptr<OptimizerRule>> rules;
  // The order only affects how quickly the fixed point is reached (and which of several equivalent
  // plans it is), never the answer: every rule preserves the result on its own. Folding first lets
  // Filter(true) vanish before the filter rules look at it; pruning last sees the final shape.
  rules.push_back(make_constant_folding_rule());
  rules.push_back(make_null_propagation_rule());
  rules.push_back(make_optimize_in_rule());
  rules.push_back(make_like_simplification_rule());
  rules.push_back(make_simplify_conditionals_rule());
  rules.push_back(make_combine_filters_rule());
  rules.push_back(make_boolean_simplification_rule());
  rules.push_back(make_reorder_join_rule());
  rules.push_back(make_eliminate_outer_join_rule());
  rules.push_back(make_push_down_predicates_rule());
  rules.push_back(make_infer_filters_from_constraints_rule());
  rules.push_back(make_collapse_project_rule());
  rules.push_back(make_limit_push_down_rule());
  rules.push_back(make_column_pruning_rule());
  return rules;
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

Optimizer::Optimizer(const std::set<std::string>& excluded) {
  std::set<std::string> skip;
  for (const auto& name : excluded) skip.insert(canonical_rule_name(name));
  for (auto& rule : all_rules()) {
    if (skip.count(rule->name()) == 0) rules_.push_back(std::move(rule));
  }
}

std::vector<std::string> Optimizer::rule_names() {
  std::vector<std::string> names;
  for (const auto& rule : all_rules()) names.emplace_back(rule->name());
  return names;
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
  for (const auto& rule : rules_) last_run_.push_back(RuleRun{rule->name(), 0, 0});
  PlanPtr current = plan;
  for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
    bool changed = false;
    for (size_t i = 0; i < rules_.size(); ++i) {
      auto start = std::chrono::steady_clock::now();
      PlanPtr next = rules_[i]->apply(current, ctx);
      last_run_[i].nanos +=
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
              .count();
      // Rules return the very same pointer when they did nothing; any new root means a rewrite.
      if (next != current) {
        ++last_run_[i].times_changed;
        changed = true;
        current = std::move(next);
      }
    }
    if (!changed) break;
  }
  return current;
}

}  // namespace ember
