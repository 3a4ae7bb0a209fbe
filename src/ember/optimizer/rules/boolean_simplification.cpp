// BooleanSimplification (the part of Spark's rule of that name that factors disjunctions):
// (a AND b) OR (a AND c) becomes a AND (b OR c), in filter and join conditions.
//
// Why: a condition such as TPC-H Q19's — three OR-ed groups that each repeat the join key
// `p_partkey = l_partkey` — hides its only equality from PushDownPredicates and the join planner,
// so the join runs as a nested loop over every pair of rows. Factored out, the equality becomes a
// hash-join key. The rewrite is exact in three-valued logic (AND distributes over OR for NULL
// too), and it keeps short-circuit order: the common conjuncts come first, so each remaining
// branch is still evaluated only on rows where they hold (ANSI errors cannot appear). When one
// branch has nothing left, the OR is true wherever the common part holds and disappears.
// Non-deterministic conditions are left alone.
#include <set>

#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

void split_disjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kOr) {
    split_disjuncts(e->children[0], out);
    split_disjuncts(e->children[1], out);
  } else {
    out.push_back(e);
  }
}

ExprPtr factor(const ExprPtr& e) {
  return transform_up(e, [](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kOr) return x;
    std::vector<ExprPtr> disjuncts;
    split_disjuncts(x, disjuncts);
    std::vector<std::vector<ExprPtr>> branches(disjuncts.size());
    for (size_t i = 0; i < disjuncts.size(); ++i) split_conjuncts(disjuncts[i], branches[i]);
    // Conjuncts of the first branch that every other branch has too, in the first branch's order.
    std::vector<ExprPtr> common;
    std::set<std::string> common_text;
    for (const auto& c : branches[0]) {
      const std::string t = c->to_string();
      bool everywhere = common_text.count(t) == 0;
      for (size_t i = 1; i < branches.size() && everywhere; ++i) {
        bool found = false;
        for (const auto& d : branches[i]) found |= d->to_string() == t;
        everywhere = found;
      }
      if (everywhere) {
        common.push_back(c);
        common_text.insert(t);
      }
    }
    if (common.empty()) return x;
    std::vector<ExprPtr> rests;
    bool some_branch_empty = false;
    for (const auto& branch : branches) {
      std::vector<ExprPtr> rest;
      for (const auto& c : branch) {
        if (!common_text.count(c->to_string())) rest.push_back(c);
      }
      if (rest.empty()) some_branch_empty = true;
      else rests.push_back(join_conjuncts(rest));
    }
    std::vector<ExprPtr> out = common;
    if (!some_branch_empty) {
      ExprPtr any = rests[0];
      for (size_t i = 1; i < rests.size(); ++i) any = make_or(any, rests[i]);
      out.push_back(any);
    }
    return join_conjuncts(out);
  });
}

class BooleanSimplification : public OptimizerRule {
 public:
  const char* name() const override { return "BooleanSimplification"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override { return rewrite(plan); }

 private:
  static PlanPtr rewrite(const PlanPtr& plan) {
    std::vector<PlanPtr> kids;
    bool changed = false;
    for (const auto& c : plan->children) {
      kids.push_back(rewrite(c));
      changed |= kids.back() != c;
    }
    ExprPtr condition = plan->condition;
    if ((plan->kind == PlanKind::kFilter || plan->kind == PlanKind::kJoin) && condition &&
        is_deterministic(condition)) {
      ExprPtr factored = factor(condition);
      // transform_up rebuilds nodes along changed paths only; compare text to see a real rewrite.
      if (factored != condition && factored->to_string() != condition->to_string()) {
        condition = factored;
        changed = true;
      }
    }
    if (!changed) return plan;
    auto out = clone(*plan);
    out->children = std::move(kids);
    out->condition = condition;
    derive_output(*out);
    return out;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_boolean_simplification_rule() {
  return std::make_unique<BooleanSimplification>();
}

}  // namespace ember
