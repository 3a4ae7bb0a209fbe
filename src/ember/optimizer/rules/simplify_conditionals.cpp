// SimplifyConditionals (Spark's rule of that name, for CASE WHEN): folds what the branches'
// conditions already decide at plan time.
//
//   - a branch whose condition is the literal false or null can never be taken: dropped;
//   - a branch whose condition is the literal true is taken by every row that reaches it: it
//     becomes the ELSE and the branches after it are dropped (a leading true branch is the result);
//   - no branch left: the ELSE value (or a null of the CASE's type);
//   - every THEN value and the ELSE are the same expression and every condition is
//     deterministic: that value (which branch matched does not matter).
//
// Values keep the CASE's type (the analyzer already cast every THEN/ELSE to it).
#include "ember/optimizer/optimizer.h"
#include "ember/optimizer/rule_helpers.h"

namespace ember {

namespace {

bool is_bool_literal(const ExprPtr& e, bool value) {
  return e->kind == ExprKind::kLiteral && !e->literal.is_null() &&
         e->literal.type().id() == TypeId::kBoolean && e->literal.as_bool() == value;
}

bool is_null_literal(const ExprPtr& e) { return e->kind == ExprKind::kLiteral && e->literal.is_null(); }

ExprPtr null_of(const Expr& like) {
  auto lit = std::make_shared<Expr>(*make_literal(Value::null(like.type)));
  lit->type = like.type;
  lit->nullable = true;
  return lit;
}

ExprPtr simplify_case(const ExprPtr& e) {
  if (e->kind != ExprKind::kCase) return e;
  const size_t num_when = e->children.size() / 2;
  const bool has_else = e->children.size() % 2 == 1;
  std::vector<ExprPtr> kept;  // cond, value pairs
  ExprPtr else_value = has_else ? e->children.back() : nullptr;
  bool changed = false;
  for (size_t w = 0; w < num_when; ++w) {
    const ExprPtr& cond = e->children[2 * w];
    const ExprPtr& value = e->children[2 * w + 1];
    if (is_bool_literal(cond, false) || is_null_literal(cond)) {
      changed = true;
      continue;
    }
    if (is_bool_literal(cond, true)) {
      else_value = value;
      changed = true;
      break;
    }
    kept.push_back(cond);
    kept.push_back(value);
  }
  if (kept.empty()) return else_value ? else_value : null_of(*e);
  // All results the same expression: the conditions only choose among equal values.
  if (else_value) {
    const std::string v = else_value->to_string();
    bool all_same = true;
    for (size_t i = 0; i < kept.size() && all_same; i += 2) {
      all_same = is_deterministic(kept[i]) && kept[i + 1]->to_string() == v;
    }
    if (all_same) return else_value;
  }
  if (!changed) return e;
  if (else_value) kept.push_back(else_value);
  return with_children(*e, std::move(kept));
}

class SimplifyConditionals : public OptimizerRule {
 public:
  const char* name() const override { return "SimplifyConditionals"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override {
    return transform_plan_expressions(plan, simplify_case);
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_simplify_conditionals_rule() {
  return std::make_unique<SimplifyConditionals>();
}

}  // namespace ember
