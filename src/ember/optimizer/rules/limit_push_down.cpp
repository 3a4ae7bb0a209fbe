// LimitPushDown: moves limits towards the data so fewer rows are computed below them.
//
//   Limit over Project -> Project over Limit (a projection maps rows one to one; only when every
//                         projected expression is deterministic). This also puts Limit directly on
//                         a Sort, which the physical planner turns into a top-N.
//   Limit over Union   -> Limit over Union of Limits: no branch can contribute more than n rows.
//                         A branch that provably returns at most n rows already is left alone,
//                         which keeps the rule idempotent (Spark checks maxRows the same way).
//   Limit over Limit   -> one Limit of the smaller count (Spark's CombineLimits).
//
// Not done: Sort+Limit stays as it is for the physical planner (TopN); limits are never pushed
// below a Filter, Aggregate, Sort or Repartition, which would change which rows are returned.
#include <algorithm>
#include <cstdint>
#include <optional>

#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

PlanPtr rebuild(const LogicalPlan& plan, std::vector<PlanPtr> kids) {
  auto out = clone(plan);
  out->children = std::move(kids);
  if (out->kind != PlanKind::kRelation) derive_output(*out);
  return out;
}

PlanPtr make_limit_over(const PlanPtr& child, int64_t n) {
  auto l = std::make_shared<LogicalPlan>();
  l->kind = PlanKind::kLimit;
  l->children = {child};
  l->limit = n;
  l->resolved = true;
  derive_output(*l);
  return l;
}

// An upper bound of the rows `plan` returns, when one is known cheaply.
std::optional<int64_t> max_rows(const LogicalPlan& plan) {
  switch (plan.kind) {
    case PlanKind::kLimit: {
      auto below = max_rows(*plan.child());
      return below ? std::min(*below, plan.limit) : plan.limit;
    }
    case PlanKind::kProject:
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kRepartition: return max_rows(*plan.child());
    case PlanKind::kAggregate:
      if (plan.grouping.empty()) return 1;  // a global aggregate returns exactly one row
      return max_rows(*plan.child());
    case PlanKind::kUnion: {
      int64_t total = 0;
      for (const auto& c : plan.children) {
        auto n = max_rows(*c);
        if (!n || *n > INT64_MAX - total) return std::nullopt;
        total += *n;
      }
      return total;
    }
    default: return std::nullopt;
  }
}

class LimitPushDown : public OptimizerRule {
 public:
  const char* name() const override { return "LimitPushDown"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override { return rewrite(plan); }

 private:
  // Top-down, so a limit moved below a node is visited again and keeps moving.
  static PlanPtr rewrite(const PlanPtr& plan) {
    PlanPtr node = plan;
    if (node->kind == PlanKind::kLimit) node = push(node);
    std::vector<PlanPtr> kids;
    bool kids_changed = false;
    for (const auto& c : node->children) {
      kids.push_back(rewrite(c));
      kids_changed |= kids.back() != c;
    }
    return kids_changed ? rebuild(*node, std::move(kids)) : node;
  }

  // Applies the rewrites at one Limit until none applies; returns the new subtree root.
  static PlanPtr push(const PlanPtr& limit) {
    const int64_t n = limit->limit;
    const PlanPtr& child = limit->child();
    switch (child->kind) {
      case PlanKind::kLimit: return push(make_limit_over(child->child(), std::min(n, child->limit)));
      case PlanKind::kProject: {
        for (const auto& e : child->exprs) {
          if (!is_deterministic(e)) return limit;
        }
        return rebuild(*child, {push(make_limit_over(child->child(), n))});
      }
      case PlanKind::kUnion: {
        std::vector<PlanPtr> branches;
        bool changed = false;
        for (const auto& b : child->children) {
          auto rows = max_rows(*b);
          if (rows && *rows <= n) {
            branches.push_back(b);
          } else {
            branches.push_back(make_limit_over(b, n));
            changed = true;
          }
        }
        if (!changed) return limit;
        return rebuild(*limit, {rebuild(*child, std::move(branches))});
      }
      default: return limit;
    }
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_limit_push_down_rule() { return std::make_unique<LimitPushDown>(); }

}  // namespace ember
