// LikeSimplification (Spark's rule of that name): a LIKE pattern whose only wildcards are a
// leading and/or trailing '%' needs no pattern matcher:
//
//   x LIKE 'abc'    -> x = 'abc'
//   x LIKE 'abc%'   -> startswith(x, 'abc')
//   x LIKE '%abc'   -> endswith(x, 'abc')
//   x LIKE '%abc%'  -> contains(x, 'abc')
//
// Patterns with '_', a '%' in the middle, the escape character '\' or an explicit ESCAPE clause
// are left to the LIKE kernel, as in Spark. Null-ness is unchanged: each form is null exactly
// when x is.
#include "ember/optimizer/optimizer.h"
#include "ember/optimizer/rule_helpers.h"

namespace ember {

namespace {

ExprPtr simplify_like(const ExprPtr& e, bool ansi) {
  if (e->kind != ExprKind::kCall || e->name != "like" || e->children.size() != 2) return e;
  const ExprPtr& pattern = e->children[1];
  if (pattern->kind != ExprKind::kLiteral || pattern->literal.is_null() ||
      pattern->literal.type().id() != TypeId::kString || e->children[0]->type.id() != TypeId::kString) {
    return e;
  }
  const std::string p = pattern->literal.as_string();
  if (p.find('_') != std::string::npos || p.find('\\') != std::string::npos) return e;
  const bool leading = !p.empty() && p.front() == '%';
  const bool trailing = p.size() > (leading ? 1u : 0u) && p.back() == '%';
  const std::string core = p.substr(leading ? 1 : 0, p.size() - (leading ? 1 : 0) - (trailing ? 1 : 0));
  if (core.find('%') != std::string::npos) return e;
  const char* fn = leading && trailing ? "contains" : leading ? "endswith" : trailing ? "startswith" : "=";
  // p == "%": leading only, core empty: endswith(x, '') is true for every non-null x, as LIKE '%'.
  ExprPtr out = resolved_call(fn, {e->children[0], make_literal(Value::string(core))}, ansi);
  return out->type == e->type ? out : e;
}

class LikeSimplification : public OptimizerRule {
 public:
  const char* name() const override { return "LikeSimplification"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext& ctx) const override {
    const bool ansi = ctx.eval.ansi;
    return transform_plan_expressions(plan, [ansi](const ExprPtr& e) { return simplify_like(e, ansi); });
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_like_simplification_rule() {
  return std::make_unique<LikeSimplification>();
}

}  // namespace ember
