// NullPropagation (Spark's rule of that name): answers null tests that nullability already
// decides and folds null-intolerant operations on a null literal.
//
//   isnull(x)    -> false   when x can never be null
//   isnotnull(x) -> true    when x can never be null
//   f(..., NULL, ...) -> NULL  for null-intolerant f (comparisons except <=>, arithmetic, NOT,
//                              CAST), whatever the other arguments are
//   coalesce(..., NULL, ...)  -> the null literals dropped (one argument left: that argument)
//
// ConstantFolding already folds calls whose arguments are all literals; this rule also handles
// `a + NULL` and `x = NULL` over columns. The other arguments are not evaluated any more, which
// is safe: their value cannot change a null result, and null-intolerant arguments only fail
// (ANSI) on non-null input rows the result would ignore anyway.
#include "ember/optimizer/optimizer.h"
#include "ember/optimizer/rule_helpers.h"

namespace ember {

namespace {

ExprPtr literal_of(const Expr& like, Value v) {
  auto lit = std::make_shared<Expr>(*make_literal(std::move(v)));
  lit->type = like.type;
  lit->nullable = like.nullable || lit->literal.is_null();
  return lit;
}

bool is_null_literal(const ExprPtr& e) { return e->kind == ExprKind::kLiteral && e->literal.is_null(); }

ExprPtr propagate(const ExprPtr& e) {
  if (e->kind == ExprKind::kCall && e->children.size() == 1 && !e->children[0]->nullable) {
    if (e->name == "isnull") return literal_of(*e, Value::boolean(false));
    if (e->name == "isnotnull") return literal_of(*e, Value::boolean(true));
  }
  if (e->kind == ExprKind::kCall && e->name == "coalesce" && e->children.size() > 1) {
    std::vector<ExprPtr> kept;
    for (const auto& c : e->children) {
      if (!is_null_literal(c)) kept.push_back(c);
    }
    if (kept.size() == e->children.size()) return e;
    if (kept.empty()) return literal_of(*e, Value::null(e->type));
    if (kept.size() == 1 && kept[0]->type == e->type) return kept[0];
    return with_children(*e, std::move(kept));
  }
  if (is_null_intolerant_call(*e) && e->kind != ExprKind::kCast && !e->children.empty()) {
    for (const auto& c : e->children) {
      if (is_null_literal(c)) return literal_of(*e, Value::null(e->type));
    }
  }
  return e;
}

class NullPropagation : public OptimizerRule {
 public:
  const char* name() const override { return "NullPropagation"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override {
    return transform_plan_expressions(plan, propagate);
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_null_propagation_rule() { return std::make_unique<NullPropagation>(); }

}  // namespace ember
