#include "ember/optimizer/inner_join_group.h"

namespace ember {

namespace {

bool all_deterministic(const ExprPtr& cond) {
  std::vector<ExprPtr> parts;
  split_conjuncts(cond, parts);
  for (const auto& c : parts) {
    if (!is_deterministic(c)) return false;
  }
  return true;
}

bool open_inner_join(const LogicalPlan& p) { return is_inner_join(p) && !p.join_reordered; }

}  // namespace

bool is_inner_join(const LogicalPlan& p) {
  return p.kind == PlanKind::kJoin && (p.join_type == JoinType::kInner || p.join_type == JoinType::kCross);
}

bool is_join_group_root(const LogicalPlan& p) {
  return open_inner_join(p) || (p.kind == PlanKind::kFilter && open_inner_join(*p.child()));
}

bool flatten_inner_join_group(const PlanPtr& p, InnerJoinGroup& out) {
  if (open_inner_join(*p)) {
    if (p->broadcast_left || p->broadcast_right) return false;
    if (p->condition && !all_deterministic(p->condition)) return false;
    if (!flatten_inner_join_group(p->children[0], out) || !flatten_inner_join_group(p->children[1], out))
      return false;
    if (p->condition) split_conjuncts(p->condition, out.conjuncts);
    return true;
  }
  if (p->kind == PlanKind::kFilter && open_inner_join(*p->child()) && all_deterministic(p->condition)) {
    if (!flatten_inner_join_group(p->child(), out)) return false;
    split_conjuncts(p->condition, out.conjuncts);
    return true;
  }
  out.inputs.push_back(p);
  return true;
}

PlanPtr make_resolved_inner_join(PlanPtr left, PlanPtr right, const std::vector<ExprPtr>& conjuncts,
                                 bool reordered) {
  auto j = std::const_pointer_cast<LogicalPlan>(
      make_join(std::move(left), std::move(right), JoinType::kInner,
                conjuncts.empty() ? nullptr : join_conjuncts(conjuncts)));
  j->resolved = true;
  j->join_reordered = reordered;
  derive_output(*j);
  return j;
}

PlanPtr make_resolved_filter(PlanPtr child, const std::vector<ExprPtr>& conjuncts) {
  if (conjuncts.empty()) return child;
  auto f = std::const_pointer_cast<LogicalPlan>(make_filter(std::move(child), join_conjuncts(conjuncts)));
  f->resolved = true;
  derive_output(*f);
  return f;
}

PlanPtr make_resolved_projection(PlanPtr child, const std::vector<ExprPtr>& columns) {
  bool same = child->output.size() == columns.size();
  for (size_t i = 0; same && i < columns.size(); ++i) same = child->output[i]->id == columns[i]->id;
  if (same) return child;
  // Attributes keep their ids, so the parents of the rebuilt tree still resolve.
  auto project = std::const_pointer_cast<LogicalPlan>(make_project(std::move(child), columns));
  project->resolved = true;
  derive_output(*project);
  return project;
}

}  // namespace ember
