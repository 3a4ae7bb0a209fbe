// RemoveRedundantAggregates (named after Spark's rule; this is the distinct-on-unique-keys case):
// an aggregate that only groups (a DISTINCT, or GROUP BY without aggregate functions) over an
// input already unique on some of its grouping columns has one row per group already, so it is
// a projection.
//
// Where uniqueness comes from: an Aggregate's grouping columns are unique in its output (a
// global aggregate's single row is unique on anything); projections pass it on when they keep
// those columns (renamed through aliases), and filters, sorts and limits keep it.
//
//   SELECT DISTINCT k, total FROM (SELECT k, sum(v) AS total FROM t GROUP BY k)
//   -> Project [k, total] over the inner aggregate (one shuffle instead of two)
#include <map>
#include <optional>
#include <set>

#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

// Ids of output columns `plan` is known to be unique on, or nullopt when unknown.
std::optional<std::set<int64_t>> unique_keys(const PlanPtr& plan) {
  switch (plan->kind) {
    case PlanKind::kAggregate: {
      std::set<int64_t> grouping_ids;
      for (const auto& g : plan->grouping) {
        if (g->kind != ExprKind::kAttribute) return std::nullopt;
        grouping_ids.insert(g->id);
      }
      // The output attributes that carry the grouping columns (the column itself or an alias).
      std::set<int64_t> keys;
      for (const auto& e : plan->exprs) {
        const ExprPtr& value = e->kind == ExprKind::kAlias ? e->children[0] : e;
        if (value->kind == ExprKind::kAttribute && grouping_ids.count(value->id)) {
          keys.insert(e->id);
          grouping_ids.erase(value->id);
        }
      }
      if (!grouping_ids.empty()) return std::nullopt;  // a grouping column is not in the output
      return keys;
    }
    case PlanKind::kProject: {
      auto below = unique_keys(plan->child());
      if (!below) return std::nullopt;
      std::set<int64_t> keys;
      for (int64_t id : *below) {
        bool kept = false;
        for (const auto& e : plan->exprs) {
          const ExprPtr& value = e->kind == ExprKind::kAlias ? e->children[0] : e;
          if (value->kind == ExprKind::kAttribute && value->id == id) {
            keys.insert(e->id);
            kept = true;
            break;
          }
        }
        if (!kept) return std::nullopt;
      }
      return keys;
    }
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kLimit: return unique_keys(plan->child());
    default: return std::nullopt;
  }
}

class RemoveRedundantAggregates : public OptimizerRule {
 public:
  const char* name() const override { return "RemoveRedundantAggregates"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override { return rewrite(plan); }

 private:
  static PlanPtr rewrite(const PlanPtr& plan) {
    PlanPtr node = rewrite_children(plan, rewrite);
    if (node->kind != PlanKind::kAggregate || node->grouping.empty()) return node;
    std::set<int64_t> grouping_ids;
    for (const auto& g : node->grouping) {
      if (g->kind != ExprKind::kAttribute) return node;
      grouping_ids.insert(g->id);
    }
    // Only grouping: every output is a grouping column, maybe renamed.
    for (const auto& e : node->exprs) {
      const ExprPtr& value = e->kind == ExprKind::kAlias ? e->children[0] : e;
      if (value->kind != ExprKind::kAttribute || !grouping_ids.count(value->id)) return node;
    }
    auto keys = unique_keys(node->child());
    if (!keys) return node;
    for (int64_t id : *keys) {
      if (!grouping_ids.count(id)) return node;
    }
    auto project = std::make_shared<LogicalPlan>();
    project->kind = PlanKind::kProject;
    project->children = {node->child()};
    project->exprs = node->exprs;
    project->resolved = true;
    derive_output(*project);
    return project;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_remove_redundant_aggregates_rule() {
  return std::make_unique<RemoveRedundantAggregates>();
}

}  // namespace ember
