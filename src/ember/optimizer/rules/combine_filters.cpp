// CombineFilters (Spark's rule of that name): Filter(Filter(x, inner), outer) becomes
// Filter(x, inner AND outer). One filter means one pass over the rows, and a single conjunction
// is what PushDownPredicates and the scan's pushed filters work with.
//
// The inner conjuncts come first: the evaluator narrows the selection conjunct by conjunct, so
// `b <> 0` from the inner filter still guards `a / b > 1` from the outer one under ANSI mode.
// Conjuncts of the outer filter that repeat an inner one are dropped. Non-deterministic filters
// are never merged (merging would change the rows a rand() is evaluated on).
#include <set>

#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

class CombineFilters : public OptimizerRule {
 public:
  const char* name() const override { return "CombineFilters"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override { return rewrite(plan); }

 private:
  static PlanPtr rewrite(const PlanPtr& plan) {
    std::vector<PlanPtr> kids;
    bool changed = false;
    for (const auto& c : plan->children) {
      kids.push_back(rewrite(c));
      changed |= kids.back() != c;
    }
    // Children first, so a chain of three filters collapses in one pass.
    if (plan->kind == PlanKind::kFilter && kids[0]->kind == PlanKind::kFilter &&
        is_deterministic(plan->condition) && is_deterministic(kids[0]->condition)) {
      const LogicalPlan& inner = *kids[0];
      std::vector<ExprPtr> conjuncts;
      split_conjuncts(inner.condition, conjuncts);
      std::set<std::string> seen;
      for (const auto& c : conjuncts) seen.insert(c->to_string());
      std::vector<ExprPtr> outer;
      split_conjuncts(plan->condition, outer);
      for (const auto& c : outer) {
        if (seen.insert(c->to_string()).second) conjuncts.push_back(c);
      }
      auto out = clone(inner);
      out->condition = join_conjuncts(conjuncts);
      derive_output(*out);
      return out;
    }
    if (!changed) return plan;
    auto out = clone(*plan);
    out->children = std::move(kids);
    derive_output(*out);
    return out;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_combine_filters_rule() { return std::make_unique<CombineFilters>(); }

}  // namespace ember
