// EliminateSorts (Spark's rule of that name): removes sorts whose order nobody can observe.
//
//   Sort with no order or only literal orders        -> its child
//   global Sort over [Project/Filter over] Sort      -> the inner sort goes: the outer sort puts
//                                                       every row in place again
//   Aggregate over [Project/Filter over] Sort        -> the sort goes when every aggregate is
//                                                       order-insensitive (count, sum, min, ...)
//   hash Repartition over [Project/Filter over] Sort -> the sort goes: the shuffle does not keep
//                                                       input order
//
// Only deterministic projections and filters are looked through (they map rows one by one, so
// the order under them is what they output). Sorts under a Limit are never removed: which rows
// the limit keeps depends on them. First/last/collect_list and friends see rows in order, so an
// aggregate using them keeps its sort.
#include <set>

#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

bool order_insensitive(const LogicalPlan& aggregate) {
  static const std::set<std::string> kInsensitive = {
      "count",    "sum",      "avg",         "mean",
      "min",      "max",      "count_if",    "approx_count_distinct",
      "stddev",   "std",      "stddev_samp", "stddev_pop",
      "variance", "var_samp", "var_pop",     "skewness",
      "kurtosis"};
  bool ok = true;
  for (const auto& e : aggregate.exprs) {
    visit(e, [&](const ExprPtr& x) {
      if (x->kind == ExprKind::kAggregate && !kInsensitive.count(x->name)) ok = false;
    });
  }
  return ok;
}

bool is_literal_order(const ExprPtr& order) {
  const ExprPtr& key = order->kind == ExprKind::kSortOrder ? order->children[0] : order;
  return key->kind == ExprKind::kLiteral;
}

// `plan` with the sorts directly under it (through deterministic projections and filters)
// removed; the same pointer when there were none.
PlanPtr remove_sorts_below(const PlanPtr& plan) {
  switch (plan->kind) {
    case PlanKind::kSort: return remove_sorts_below(plan->child());
    case PlanKind::kProject:
    case PlanKind::kFilter: {
      bool deterministic = plan->condition ? is_deterministic(plan->condition) : true;
      for (const auto& e : plan->exprs) deterministic = deterministic && is_deterministic(e);
      if (!deterministic) return plan;
      PlanPtr child = remove_sorts_below(plan->child());
      return child == plan->child() ? plan : with_children(*plan, {child});
    }
    default: return plan;
  }
}

class EliminateSorts : public OptimizerRule {
 public:
  const char* name() const override { return "EliminateSorts"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override { return rewrite(plan); }

 private:
  static PlanPtr rewrite(const PlanPtr& plan) {
    PlanPtr node = rewrite_children(plan, rewrite);
    switch (node->kind) {
      case PlanKind::kSort: {
        bool all_literal = true;
        for (const auto& o : node->exprs) all_literal = all_literal && is_literal_order(o);
        if (all_literal) return node->child();
        if (!node->global_sort) return node;
        PlanPtr child = remove_sorts_below(node->child());
        return child == node->child() ? node : with_children(*node, {child});
      }
      case PlanKind::kAggregate: {
        if (!order_insensitive(*node)) return node;
        PlanPtr child = remove_sorts_below(node->child());
        return child == node->child() ? node : with_children(*node, {child});
      }
      case PlanKind::kRepartition: {
        if (!node->shuffle || node->exprs.empty()) return node;
        PlanPtr child = remove_sorts_below(node->child());
        return child == node->child() ? node : with_children(*node, {child});
      }
      default: return node;
    }
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_eliminate_sorts_rule() { return std::make_unique<EliminateSorts>(); }

}  // namespace ember
