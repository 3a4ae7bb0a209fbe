// CollapseProject (Spark's CollapseProject, plus the Project case of RemoveNoopOperators):
// Project(upper, Project(inner, x)) becomes one Project over x, the inner aliases substituted
// into the upper expressions; and a Project that only repeats its child's output is removed.
// Chains of with_column() calls build exactly these stacks.
//
// Not collapsed: when an inner expression is non-deterministic (substituting it would evaluate it
// a different number of times), or when an expensive inner alias (anything but an attribute, a
// literal or a cast of an attribute) is referenced more than once above (collapsing would compute
// it more than once per row). Project over Aggregate is not merged into the Aggregate yet.
//
// The collapsed Project outputs exactly the upper one's attributes: same ids, names, types and
// nullability, so nothing above needs rewriting.
#include <map>

#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

bool is_cheap(const ExprPtr& e) {
  if (e->kind == ExprKind::kAttribute || e->kind == ExprKind::kLiteral) return true;
  return e->kind == ExprKind::kCast && e->children[0]->kind == ExprKind::kAttribute;
}

// An alias producing exactly attribute `attr` (id, name, type, nullability) from `value`.
ExprPtr alias_as(const ExprPtr& value, const Expr& attr) {
  auto a = std::make_shared<Expr>(*make_alias(value, attr.name, attr.id));
  a->type = attr.type;
  a->nullable = attr.nullable;
  return a;
}

// Does `plan` (a Project) output exactly its child's attributes, in order?
bool is_noop_project(const LogicalPlan& plan) {
  const auto& in = plan.child()->output;
  if (plan.exprs.size() != in.size()) return false;
  for (size_t i = 0; i < in.size(); ++i) {
    const Expr& e = *plan.exprs[i];
    if (e.kind != ExprKind::kAttribute || e.id != in[i]->id || e.name != in[i]->name) return false;
  }
  return true;
}

class CollapseProject : public OptimizerRule {
 public:
  const char* name() const override { return "CollapseProject"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override { return rewrite(plan); }

 private:
  static PlanPtr rewrite(const PlanPtr& plan) {
    PlanPtr node = rewrite_children(plan, rewrite);
    if (node->kind != PlanKind::kProject) return node;
    // Children were collapsed first, so one merge per level finishes a whole chain.
    if (node->child()->kind == PlanKind::kProject) {
      if (PlanPtr merged = merge(*node, *node->child())) node = merged;
    }
    if (is_noop_project(*node)) return node->child();
    return node;
  }

  // The merged Project, or null when merging is not safe or not cheap.
  static PlanPtr merge(const LogicalPlan& upper, const LogicalPlan& inner) {
    std::map<int64_t, ExprPtr> inner_alias;  // id -> aliased expression
    for (const auto& e : inner.exprs) {
      if (!is_deterministic(e)) return nullptr;
      if (e->kind == ExprKind::kAlias) inner_alias[e->id] = e->children[0];
    }
    std::map<int64_t, int> uses;
    for (const auto& e : upper.exprs) {
      std::vector<int64_t> ids;
      collect_attribute_ids(e, ids);
      for (int64_t id : ids) ++uses[id];
    }
    for (const auto& [id, n] : uses) {
      auto it = inner_alias.find(id);
      if (it != inner_alias.end() && n > 1 && !is_cheap(it->second)) return nullptr;
    }
    auto substitute = [&](const ExprPtr& e) {
      return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
        if (x->kind != ExprKind::kAttribute) return x;
        auto it = inner_alias.find(x->id);
        return it == inner_alias.end() ? x : it->second;
      });
    };
    std::vector<ExprPtr> list;
    for (const auto& e : upper.exprs) {
      if (e->kind == ExprKind::kAttribute) {
        auto it = inner_alias.find(e->id);
        // An inner alias passed through: keep the upper attribute's identity on its value.
        list.push_back(it == inner_alias.end() ? e : alias_as(it->second, *e));
      } else if (e->kind == ExprKind::kAlias) {
        // An upper alias keeps its own id, name, type and nullability; only its value changes.
        list.push_back(with_children(*e, {substitute(e->children[0])}));
      } else {
        return nullptr;  // not a resolved projection list; leave it alone
      }
    }
    auto out = clone(upper);
    out->children = {inner.child()};
    out->exprs = std::move(list);
    derive_output(*out);
    return out;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_collapse_project_rule() { return std::make_unique<CollapseProject>(); }

}  // namespace ember
