#include "ember/optimizer/rule_helpers.h"

#include "ember/analyzer/analyzer.h"

namespace ember {

ExprPtr resolved_call(const std::string& name, std::vector<ExprPtr> args, bool ansi) {
  AnalyzerOptions options;
  options.ansi = ansi;
  // resolve_expression keeps resolved attributes and literals as they are and binds the call.
  return Analyzer(options).resolve_expression(make_call(name, std::move(args)), {}, false);
}

PlanPtr filter_over(const PlanPtr& child, const std::vector<ExprPtr>& conjuncts) {
  auto f = std::make_shared<LogicalPlan>();
  f->kind = PlanKind::kFilter;
  f->children = {child};
  f->condition = join_conjuncts(conjuncts);
  f->resolved = true;
  derive_output(*f);
  return f;
}

std::set<int64_t> output_ids(const LogicalPlan& plan) {
  std::set<int64_t> ids;
  for (const auto& a : plan.output) ids.insert(a->id);
  return ids;
}

bool references_only_ids(const ExprPtr& e, const std::set<int64_t>& allowed) {
  std::vector<int64_t> ids;
  collect_attribute_ids(e, ids);
  if (ids.empty()) return false;
  for (int64_t id : ids) {
    if (!allowed.count(id)) return false;
  }
  return true;
}

bool is_comparison_call(const Expr& e, const char* op) {
  if (e.kind != ExprKind::kCall || e.children.size() != 2) return false;
  const std::string wanted = op;
  if (e.name == wanted) return true;
  return (wanted == "=" && e.name == "==") || (wanted == "<>" && e.name == "!=");
}

PlanPtr transform_plan_expressions(const PlanPtr& plan, const std::function<ExprPtr(const ExprPtr&)>& fn) {
  // A relation's expressions are its own attributes and pushed-filter notes: nothing to rewrite.
  if (plan->kind == PlanKind::kRelation) return plan;
  std::vector<PlanPtr> kids;
  bool changed = false;
  for (const auto& c : plan->children) {
    kids.push_back(transform_plan_expressions(c, fn));
    changed |= kids.back() != c;
  }
  auto rewrite_list = [&](std::vector<ExprPtr> list) {
    for (auto& e : list) {
      ExprPtr r = transform_up(e, fn);
      changed |= r != e;
      e = std::move(r);
    }
    return list;
  };
  std::vector<ExprPtr> exprs = rewrite_list(plan->exprs);
  std::vector<ExprPtr> grouping = rewrite_list(plan->grouping);
  ExprPtr condition = plan->condition ? transform_up(plan->condition, fn) : nullptr;
  changed |= condition != plan->condition;
  if (!changed) return plan;
  auto out = clone(*plan);
  out->children = std::move(kids);
  out->exprs = std::move(exprs);
  out->grouping = std::move(grouping);
  out->condition = std::move(condition);
  derive_output(*out);
  return out;
}

bool is_null_intolerant(const ExprPtr& e) {
  if (e->kind != ExprKind::kAttribute && !is_null_intolerant_call(*e)) return false;
  for (const auto& c : e->children) {
    if (c->kind != ExprKind::kLiteral && !is_null_intolerant(c)) return false;
  }
  return true;
}

}  // namespace ember
