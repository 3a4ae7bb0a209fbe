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
//
// It also pushes NOT down to the leaves (Spark's BooleanSimplification does the same):
// NOT NOT x -> x; De Morgan, NOT (a AND b) -> NOT a OR NOT b and NOT (a OR b) -> NOT a AND NOT b;
// NOT of a comparison -> the complementary comparison (NOT a < b -> a >= b, NOT a = b -> a <> b);
// NOT isnull(x) -> isnotnull(x) and back. NOT pushdown applies to every expression of the plan,
// the factoring of disjunctions to filter and join conditions. Each is exact in three-valued logic (null
// stays null) and keeps evaluation order, so short-circuiting skips the same rows. The leaves it leaves
// behind are what PushDownPredicates, constraint inference and Parquet pruning understand.
#include <map>
#include <set>

#include "ember/optimizer/optimizer.h"
#include "ember/optimizer/rule_helpers.h"

namespace ember {

namespace {

ExprPtr negate(const ExprPtr& inner, bool ansi);

// NOT x with the NOT pushed into x as far as it goes.
ExprPtr negate_or_wrap(const ExprPtr& x, bool ansi) {
  ExprPtr pushed = negate(x, ansi);
  if (!pushed) return make_not(x);
  return pushed;
}

void split_disjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kOr) {
    split_disjuncts(e->children[0], out);
    split_disjuncts(e->children[1], out);
  } else {
    out.push_back(e);
  }
}

// NOT pushed one level into `inner` (the operand of a NOT), or nullptr when it cannot move.
ExprPtr negate(const ExprPtr& inner, bool ansi) {
  static const std::map<std::string, std::string> kComplement = {{"=", "<>"},
                                                                 {"==", "<>"},
                                                                 {"<>", "="},
                                                                 {"!=", "="},
                                                                 {"<", ">="},
                                                                 {">=", "<"},
                                                                 {">", "<="},
                                                                 {"<=", ">"},
                                                                 {"isnull", "isnotnull"},
                                                                 {"isnotnull", "isnull"}};
  switch (inner->kind) {
    case ExprKind::kNot: return inner->children[0];
    case ExprKind::kAnd:
      return make_or(negate_or_wrap(inner->children[0], ansi), negate_or_wrap(inner->children[1], ansi));
    case ExprKind::kOr:
      return make_and(negate_or_wrap(inner->children[0], ansi), negate_or_wrap(inner->children[1], ansi));
    case ExprKind::kCall: {
      auto it = kComplement.find(inner->name);
      if (it == kComplement.end()) return nullptr;
      ExprPtr out = resolved_call(it->second, inner->children, ansi);
      return out->type == inner->type ? out : nullptr;
    }
    default: return nullptr;
  }
}

ExprPtr push_not(const ExprPtr& e, bool ansi) {
  return transform_up(e, [ansi](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kNot) return x;
    ExprPtr pushed = negate(x->children[0], ansi);
    return pushed ? pushed : x;
  });
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

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext& ctx) const override {
    const bool ansi = ctx.eval.ansi;
    // NOT pushdown applies to every expression (projections and CASE conditions too); the
    // factoring below only to filter and join conditions.
    PlanPtr pushed = transform_plan_expressions(plan, [ansi](const ExprPtr& e) -> ExprPtr {
      if (e->kind != ExprKind::kNot || !is_deterministic(e)) return e;
      ExprPtr out = negate(e->children[0], ansi);
      return out ? out : e;
    });
    return rewrite(pushed, ansi);
  }

 private:
  static PlanPtr rewrite(const PlanPtr& plan, bool ansi) {
    std::vector<PlanPtr> kids;
    bool changed = false;
    for (const auto& c : plan->children) {
      kids.push_back(rewrite(c, ansi));
      changed |= kids.back() != c;
    }
    ExprPtr condition = plan->condition;
    if ((plan->kind == PlanKind::kFilter || plan->kind == PlanKind::kJoin) && condition &&
        is_deterministic(condition)) {
      ExprPtr factored = factor(push_not(condition, ansi));
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
