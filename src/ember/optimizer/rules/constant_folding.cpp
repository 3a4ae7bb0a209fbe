// ConstantFolding (Spark's ConstantFolding plus the literal cases of BooleanSimplification):
// evaluates, once at plan time, every deterministic expression whose inputs are all literals, and
// simplifies AND / OR around boolean literals. A filter whose condition becomes `true` disappears.
//
// What it does not do: fold expressions whose evaluation fails (1/0 under ANSI stays, so the
// error surfaces at run time naming its expression, and only if a row actually reaches it);
// replace Filter(false) by an empty relation; simplify CASE branches with literal conditions.
#include <exception>

#include "ember/expr/evaluator.h"
#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

bool is_bool_literal(const ExprPtr& e, bool value) {
  return e->kind == ExprKind::kLiteral && e->literal.type().id() == TypeId::kBoolean &&
         !e->literal.is_null() && e->literal.as_bool() == value;
}

// Only these kinds compute a value from their children; aliases and sort orders wrap a value and
// aggregates need rows, so none of those is ever replaced by a literal itself.
bool is_foldable_kind(ExprKind kind) {
  switch (kind) {
    case ExprKind::kCall:
    case ExprKind::kCast:
    case ExprKind::kCase:
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot: return true;
    default: return false;
  }
}

bool mentions_timestamp(const ExprPtr& e) {
  bool found = false;
  visit(e, [&](const ExprPtr& x) { found |= x->type.id() == TypeId::kTimestamp; });
  return found;
}

class ConstantFolding : public OptimizerRule {
 public:
  const char* name() const override { return "ConstantFolding"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext& ctx) const override {
    return rewrite(plan, ctx);
  }

 private:
  // A literal standing in for `original`: same type and a nullability no tighter than the
  // original's, so every attribute derived from it keeps exactly its analyzed schema.
  static ExprPtr literal_for(const ExprPtr& original, Value v) {
    auto lit = std::make_shared<Expr>(*make_literal(std::move(v)));
    lit->type = original->type;
    lit->nullable = original->nullable || lit->literal.is_null();
    return lit;
  }

  static ExprPtr fold_node(const ExprPtr& e, const OptimizerContext& ctx) {
    // Boolean simplification first: it also applies when only one side is a literal.
    if (e->kind == ExprKind::kAnd) {
      const ExprPtr& a = e->children[0];
      const ExprPtr& b = e->children[1];
      // false AND x is false whatever x is (even null); true AND x is x.
      if (is_bool_literal(a, false)) return literal_for(e, Value::boolean(false));
      if (is_bool_literal(b, false)) return literal_for(e, Value::boolean(false));
      if (is_bool_literal(a, true)) return b;
      if (is_bool_literal(b, true)) return a;
    } else if (e->kind == ExprKind::kOr) {
      const ExprPtr& a = e->children[0];
      const ExprPtr& b = e->children[1];
      if (is_bool_literal(a, true)) return literal_for(e, Value::boolean(true));
      if (is_bool_literal(b, true)) return literal_for(e, Value::boolean(true));
      if (is_bool_literal(a, false)) return b;
      if (is_bool_literal(b, false)) return a;
    }
    if (!is_foldable_kind(e->kind)) return e;
    // Window functions (row_number(), ...) have no kernel: the window operator computes them.
    if (e->kind == ExprKind::kCall && (e->function == nullptr || e->function->kernel == nullptr)) return e;
    for (const auto& c : e->children) {
      if (c->kind != ExprKind::kLiteral) return e;
    }
    if (!is_deterministic(e)) return e;
    // Timestamp kernels read the session time zone; without one (a bare context in tests or
    // tools) leave them to run time, where the context always has it.
    if (ctx.eval.time_zone == nullptr && mentions_timestamp(e)) return e;
    Value v;
    try {
      v = evaluate_constant(*e, ctx.eval);
    } catch (const std::exception&) {
      // ANSI errors (1/0, invalid casts) must surface when a row reaches them, with the
      // expression named; folding would raise them at plan time or for no rows at all.
      return e;
    }
    if (!v.is_null() && v.type() != e->type) return e;  // never change a type silently
    if (v.is_null()) v = Value::null(e->type);
    return literal_for(e, std::move(v));
  }

  static ExprPtr fold(const ExprPtr& e, const OptimizerContext& ctx) {
    if (!e) return e;
    return transform_up(e, [&](const ExprPtr& x) { return fold_node(x, ctx); });
  }

  static bool fold_list(std::vector<ExprPtr>& list, const OptimizerContext& ctx) {
    bool changed = false;
    for (auto& e : list) {
      ExprPtr f = fold(e, ctx);
      changed |= f != e;
      e = std::move(f);
    }
    return changed;
  }

  static PlanPtr rewrite(const PlanPtr& plan, const OptimizerContext& ctx) {
    std::vector<PlanPtr> kids;
    bool changed = false;
    for (const auto& c : plan->children) {
      kids.push_back(rewrite(c, ctx));
      changed |= kids.back() != c;
    }
    // Grouping keys and the aggregate outputs that repeat them are folded by the same pure
    // function, so they stay structurally equal and the planner still matches them.
    std::vector<ExprPtr> exprs = plan->exprs;
    std::vector<ExprPtr> grouping = plan->grouping;
    ExprPtr condition = fold(plan->condition, ctx);
    bool exprs_changed = plan->kind != PlanKind::kRelation && fold_list(exprs, ctx);
    bool grouping_changed = fold_list(grouping, ctx);
    bool condition_changed = condition != plan->condition;

    if (plan->kind == PlanKind::kFilter && is_bool_literal(condition, true)) return kids[0];
    if (!changed && !exprs_changed && !grouping_changed && !condition_changed) return plan;

    auto out = clone(*plan);
    out->children = std::move(kids);
    out->exprs = std::move(exprs);
    out->grouping = std::move(grouping);
    out->condition = std::move(condition);
    if (out->kind != PlanKind::kRelation) derive_output(*out);
    return out;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_constant_folding_rule() { return std::make_unique<ConstantFolding>(); }

}  // namespace ember
