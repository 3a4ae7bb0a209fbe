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

bool is_null_intolerant(const ExprPtr& e) {
  switch (e->kind) {
    case ExprKind::kAttribute: return true;
    case ExprKind::kNot:
    case ExprKind::kCast: break;
    case ExprKind::kCall: {
      static const std::set<std::string> kNames = {
          "=", "==", "<>", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "negative", "abs"};
      if (!kNames.count(e->name)) return false;
      break;
    }
    default: return false;
  }
  for (const auto& c : e->children) {
    if (c->kind != ExprKind::kLiteral && !is_null_intolerant(c)) return false;
  }
  return true;
}

}  // namespace ember
