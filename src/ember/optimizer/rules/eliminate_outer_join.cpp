// EliminateOuterJoin (Spark's rule of that name): an outer join under a filter that rejects the
// null-padded rows of a side pads nothing that survives, so the join becomes a stricter one:
//
//   LEFT OUTER  + filter rejecting nulls of the right side           -> INNER
//   RIGHT OUTER + filter rejecting nulls of the left side            -> INNER
//   FULL OUTER  + rejecting both sides -> INNER; only the left side -> LEFT OUTER;
//                 only the right side -> RIGHT OUTER
//
// A conjunct rejects a side's nulls when it is deterministic, reads only that side's columns, and
// evaluates to null or false once every one of those columns is null (Spark's canFilterOutNull),
// e.g. `b.y > 3` or `isnotnull(b.y)`, but not `b.y IS NULL` or `coalesce(b.y, 0) = 0`.
// Why it matters: inner joins let PushDownPredicates move the filter into the formerly padded
// side, and let the join planner pick either build side.
#include <algorithm>
#include <exception>

#include "ember/expr/evaluator.h"
#include "ember/optimizer/optimizer.h"
#include "ember/optimizer/rule_helpers.h"

namespace ember {

namespace {

// Whether `e` is NULL whenever every attribute of `side` is, whatever the other attributes hold:
// an attribute of `side` reaches the root through operators that are NULL when that operand is
// (comparisons, arithmetic, casts, NOT). This covers conjuncts that read both sides, such as a
// decorrelated scalar subquery's `l_quantity < __sql_scalar_0` (Spark gets there by inferring
// isnotnull(__sql_scalar_0) from the filter first).
bool null_when_side_is_null(const ExprPtr& e, const std::set<int64_t>& side) {
  if (e->kind == ExprKind::kAttribute) return side.count(e->id) > 0;
  return is_null_intolerant_call(*e) &&
         std::any_of(e->children.begin(), e->children.end(),
                     [&](const ExprPtr& c) { return null_when_side_is_null(c, side); });
}

bool rejects_nulls(const ExprPtr& conjunct, const std::set<int64_t>& side, const OptimizerContext& ctx) {
  if (!is_deterministic(conjunct)) return false;
  if (null_when_side_is_null(conjunct, side)) return true;
  if (!references_only_ids(conjunct, side)) return false;
  ExprPtr nulled = transform_up(conjunct, [](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kAttribute) return x;
    auto lit = std::make_shared<Expr>(*make_literal(Value::null(x->type)));
    lit->type = x->type;
    lit->nullable = true;
    return lit;
  });
  try {
    Value v = evaluate_constant(*nulled, ctx.eval);
    return v.is_null() || (v.type().id() == TypeId::kBoolean && !v.as_bool());
  } catch (const std::exception&) {
    return false;  // cannot tell: keep the outer join
  }
}

class EliminateOuterJoin : public OptimizerRule {
 public:
  const char* name() const override { return "EliminateOuterJoin"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext& ctx) const override {
    return rewrite(plan, ctx);
  }

 private:
  static PlanPtr rewrite(const PlanPtr& plan, const OptimizerContext& ctx) {
    PlanPtr node = rewrite_children(plan, [&](const PlanPtr& c) { return rewrite(c, ctx); });
    if (node->kind != PlanKind::kFilter || node->child()->kind != PlanKind::kJoin) return node;
    const LogicalPlan& join = *node->child();
    const JoinType t = join.join_type;
    if (t != JoinType::kLeftOuter && t != JoinType::kRightOuter && t != JoinType::kFullOuter) return node;
    std::vector<ExprPtr> conjuncts;
    split_conjuncts(node->condition, conjuncts);
    const std::set<int64_t> left = output_ids(*join.children[0]), right = output_ids(*join.children[1]);
    bool left_rejected = false, right_rejected = false;
    for (const auto& c : conjuncts) {
      left_rejected = left_rejected || rejects_nulls(c, left, ctx);
      right_rejected = right_rejected || rejects_nulls(c, right, ctx);
    }
    JoinType next = t;
    if (t == JoinType::kLeftOuter && right_rejected) next = JoinType::kInner;
    if (t == JoinType::kRightOuter && left_rejected) next = JoinType::kInner;
    if (t == JoinType::kFullOuter) {
      next = left_rejected && right_rejected ? JoinType::kInner
             : left_rejected                 ? JoinType::kLeftOuter
             : right_rejected                ? JoinType::kRightOuter
                                             : t;
    }
    if (next == t) return node;
    auto new_join = clone(join);
    new_join->join_type = next;
    derive_output(*new_join);
    auto filter = clone(*node);
    filter->children = {new_join};
    derive_output(*filter);
    return filter;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_eliminate_outer_join_rule() {
  return std::make_unique<EliminateOuterJoin>();
}

}  // namespace ember
