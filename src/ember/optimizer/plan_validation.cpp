#include "ember/optimizer/plan_validation.h"

#include <set>

namespace ember {

namespace {

std::string check_node(const LogicalPlan& node) {
  const std::string where = plan_node_string(node);
  for (const auto& c : node.children) {
    if (!c) return where + ": a child is missing";
  }
  std::set<int64_t> available;
  if (node.kind == PlanKind::kRelation) {
    for (const auto& a : node.output) available.insert(a->id);
  }
  for (const auto& c : node.children) {
    for (const auto& a : c->output) available.insert(a->id);
  }
  auto check_refs = [&](const ExprPtr& e) -> std::string {
    if (!e) return "";
    std::vector<int64_t> ids;
    collect_attribute_ids(e, ids);
    for (int64_t id : ids) {
      if (!available.count(id)) {
        std::string name;
        visit(e, [&](const ExprPtr& x) {
          if (x->kind == ExprKind::kAttribute && x->id == id && name.empty()) name = x->to_string();
        });
        return where + ": references " + name + ", which its children do not output";
      }
    }
    return "";
  };
  for (const auto* list : {&node.exprs, &node.grouping, &node.pushed_filters}) {
    if (node.kind == PlanKind::kRelation && list == &node.exprs) continue;
    for (const auto& e : *list) {
      if (std::string problem = check_refs(e); !problem.empty()) return problem;
    }
  }
  if (std::string problem = check_refs(node.condition); !problem.empty()) return problem;
  for (const auto& a : node.output) {
    if (!a || a->kind != ExprKind::kAttribute) return where + ": an output column is not an attribute";
  }
  if (node.kind != PlanKind::kRelation) {
    auto derived = clone(node);
    derive_output(*derived);
    bool same = derived->output.size() == node.output.size();
    for (size_t i = 0; same && i < node.output.size(); ++i) {
      same = derived->output[i]->id == node.output[i]->id && derived->output[i]->type == node.output[i]->type;
    }
    if (!same) return where + ": its output does not match what its children and expressions produce";
  }
  return "";
}

std::string validate(const PlanPtr& plan) {
  if (!plan) return "a plan node is missing";
  for (const auto& c : plan->children) {
    if (std::string problem = validate(c); !problem.empty()) return problem;
  }
  return check_node(*plan);
}

}  // namespace

std::string plan_validation_error(const PlanPtr& plan) { return validate(plan); }

}  // namespace ember
