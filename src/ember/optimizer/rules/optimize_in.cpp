// OptimizeIn (Spark's rule of that name, without its set-based InSet form): `x IN (...)` lists
// drop repeated literal values (the answer is the same: a repeat matches exactly when the first
// one does), and a one-element list becomes `x = v` — the same three-valued answer, and an
// equality other rules understand (join keys, constraint inference, Parquet pruning).
#include <set>

#include "ember/optimizer/optimizer.h"
#include "ember/optimizer/rule_helpers.h"

namespace ember {

namespace {

ExprPtr optimize_in(const ExprPtr& e, bool ansi) {
  if (e->kind != ExprKind::kCall || e->name != "in" || e->children.size() < 2) return e;
  std::vector<ExprPtr> kids{e->children[0]};
  std::set<std::string> seen;
  for (size_t i = 1; i < e->children.size(); ++i) {
    const ExprPtr& v = e->children[i];
    // Literals print with their type, so only values equal as the list's type collapse.
    if (v->kind == ExprKind::kLiteral && !seen.insert(v->to_string()).second) continue;
    kids.push_back(v);
  }
  if (kids.size() == 2 && is_deterministic(kids[1])) {
    ExprPtr eq = resolved_call("=", {kids[0], kids[1]}, ansi);
    // IN's arguments were coerced to one type, so `=` binds without casts and to the same type.
    if (eq->type == e->type) return eq;
  }
  if (kids.size() == e->children.size()) return e;
  return with_children(*e, std::move(kids));
}

class OptimizeIn : public OptimizerRule {
 public:
  const char* name() const override { return "OptimizeIn"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext& ctx) const override {
    const bool ansi = ctx.eval.ansi;
    return transform_plan_expressions(plan, [ansi](const ExprPtr& e) { return optimize_in(e, ansi); });
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_optimize_in_rule() { return std::make_unique<OptimizeIn>(); }

}  // namespace ember
