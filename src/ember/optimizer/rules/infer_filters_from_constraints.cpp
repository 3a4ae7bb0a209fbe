// InferFiltersFromConstraints (Spark's rule of that name): derives filters a join implies and
// adds them to the join's inputs, so each side drops rows before the join (and PushDownPredicates
// can take them on to the scan).
//
//   - For an equi-join key a = b (both plain attributes of the same type), a deterministic
//     conjunct known to hold on one side that reads only the key (a > 5, a IN (1, 2)) holds for
//     the other key too: `b > 5` is added to the other side. Chained joins make it transitive.
//   - Both keys of an equality are not null in every joined row (= is null-intolerant), so an
//     inner or semi join adds isnotnull(a) / isnotnull(b) to its sides when the key is nullable
//     and no null-intolerant constraint on it (k > 5) already rejects nulls.
//
// Which side may receive a filter: only a side whose unmatched rows the join drops. Inner and
// left semi joins: both; left outer: the right side; right outer: the left side; full outer
// and anti joins: neither (a filter there would drop rows the join keeps or null-pads).
//
// "Known to hold" is computed bottom-up like Spark's QueryPlan.constraints: filter and join
// conditions, carried through projections and aggregates (renamed through aliases), sorts,
// limits, repartitions, windows, and unions (what every branch guarantees). A conjunct already known on
// the receiving side is never added again, which makes the rule reach a fixed point.
#include <algorithm>
#include <map>

#include "ember/optimizer/optimizer.h"
#include "ember/optimizer/rule_helpers.h"

namespace ember {

namespace {

using Constraints = std::vector<ExprPtr>;

void add_unique(Constraints& out, const ExprPtr& c, std::set<std::string>& seen) {
  if (seen.insert(c->to_string()).second) out.push_back(c);
}

void add_conjuncts(Constraints& out, const ExprPtr& cond, std::set<std::string>& seen) {
  if (!cond) return;
  std::vector<ExprPtr> parts;
  split_conjuncts(cond, parts);
  for (const auto& p : parts) {
    if (is_deterministic(p)) add_unique(out, p, seen);
  }
}

// Conjuncts known to hold on every row `plan` outputs, over its output attributes only.
Constraints constraints_of(const PlanPtr& plan) {
  Constraints out;
  std::set<std::string> seen;
  switch (plan->kind) {
    case PlanKind::kFilter:
      out = constraints_of(plan->child());
      for (const auto& c : out) seen.insert(c->to_string());
      add_conjuncts(out, plan->condition, seen);
      break;
    case PlanKind::kSort:
    case PlanKind::kLimit:
    case PlanKind::kRepartition:
    case PlanKind::kSample: out = constraints_of(plan->child()); break;
    case PlanKind::kWindow:
    case PlanKind::kGenerate: out = constraints_of(plan->child()); break;
    case PlanKind::kProject:
    case PlanKind::kAggregate: {
      // A constraint over the child is rewritten in terms of the node's outputs: a
      // subexpression the node aliases becomes the alias's attribute (so a filter pushed
      // below `CAST(id AS INT) AS a` still constrains `a` above it).
      std::map<std::string, ExprPtr> aliased;
      for (const auto& e : plan->exprs) {
        if (e->kind == ExprKind::kAlias && e->children[0]->kind != ExprKind::kLiteral &&
            is_deterministic(e->children[0]) && !contains_aggregate(e)) {
          aliased.emplace(e->children[0]->to_string(), to_attribute(e));
        }
      }
      for (const auto& c : constraints_of(plan->child())) {
        ExprPtr mapped = aliased.empty() ? c : transform_up(c, [&](const ExprPtr& x) -> ExprPtr {
          auto it = aliased.find(x->to_string());
          return it == aliased.end() ? x : it->second;
        });
        add_unique(out, mapped, seen);
      }
      break;
    }
    case PlanKind::kUnion: {
      // What every branch guarantees, renamed to the union's attributes by position.
      std::map<std::string, int> count;
      std::map<std::string, ExprPtr> first;
      for (const auto& branch : plan->children) {
        std::map<int64_t, ExprPtr> by_position;
        for (size_t i = 0; i < plan->output.size() && i < branch->output.size(); ++i)
          by_position[branch->output[i]->id] = plan->output[i];
        std::set<std::string> in_branch;
        for (const auto& c : constraints_of(branch)) {
          ExprPtr mapped = transform_up(c, [&](const ExprPtr& x) -> ExprPtr {
            if (x->kind != ExprKind::kAttribute) return x;
            auto it = by_position.find(x->id);
            return it == by_position.end() ? x : it->second;
          });
          const std::string text = mapped->to_string();
          if (in_branch.insert(text).second && ++count[text] == 1) first.emplace(text, mapped);
        }
      }
      for (const auto& [text, n] : count) {
        if (n == static_cast<int>(plan->children.size())) add_unique(out, first[text], seen);
      }
      break;
    }
    case PlanKind::kJoin: {
      const JoinType t = plan->join_type;
      const bool inner = t == JoinType::kInner || t == JoinType::kCross;
      if (inner || t == JoinType::kLeftOuter || t == JoinType::kLeftSemi || t == JoinType::kLeftAnti) {
        for (const auto& c : constraints_of(plan->children[0])) add_unique(out, c, seen);
      }
      if (inner || t == JoinType::kRightOuter) {
        for (const auto& c : constraints_of(plan->children[1])) add_unique(out, c, seen);
      }
      if (inner || t == JoinType::kLeftSemi) add_conjuncts(out, plan->condition, seen);
      break;
    }
    default: return out;
  }
  // Keep only what the node's output can express.
  const std::set<int64_t> ids = output_ids(*plan);
  Constraints kept;
  for (const auto& c : out) {
    if (references_only_ids(c, ids)) kept.push_back(c);
  }
  return kept;
}

ExprPtr replace_attribute(const ExprPtr& e, int64_t from, const ExprPtr& to) {
  return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    return x->kind == ExprKind::kAttribute && x->id == from ? to : x;
  });
}

class InferFiltersFromConstraints : public OptimizerRule {
 public:
  const char* name() const override { return "InferFiltersFromConstraints"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext& ctx) const override {
    return rewrite(plan, ctx.eval.ansi);
  }

 private:
  static PlanPtr rewrite(const PlanPtr& plan, bool ansi) {
    PlanPtr node = rewrite_children(plan, [&](const PlanPtr& c) { return rewrite(c, ansi); });
    if (node->kind == PlanKind::kJoin && node->condition) {
      if (PlanPtr inferred = infer(*node, ansi)) return inferred;
    }
    return node;
  }

  static PlanPtr infer(const LogicalPlan& join, bool ansi) {
    const JoinType t = join.join_type;
    const bool inner = t == JoinType::kInner || t == JoinType::kCross;
    const bool into_left = inner || t == JoinType::kLeftSemi || t == JoinType::kRightOuter;
    const bool into_right = inner || t == JoinType::kLeftSemi || t == JoinType::kLeftOuter;
    if (!into_left && !into_right) return nullptr;
    const PlanPtr& left = join.children[0];
    const PlanPtr& right = join.children[1];
    const std::set<int64_t> left_ids = output_ids(*left), right_ids = output_ids(*right);

    // Equi-join keys (left attribute, right attribute) of the same type.
    std::vector<std::pair<ExprPtr, ExprPtr>> keys;
    std::vector<ExprPtr> conjuncts;
    split_conjuncts(join.condition, conjuncts);
    for (const auto& c : conjuncts) {
      if (!is_comparison_call(*c, "=")) continue;
      ExprPtr a = c->children[0], b = c->children[1];
      if (a->kind != ExprKind::kAttribute || b->kind != ExprKind::kAttribute || a->type != b->type) continue;
      if (left_ids.count(b->id) && right_ids.count(a->id)) std::swap(a, b);
      if (left_ids.count(a->id) && right_ids.count(b->id)) keys.emplace_back(a, b);
    }
    if (keys.empty()) return nullptr;

    const Constraints left_known = constraints_of(left), right_known = constraints_of(right);
    std::set<std::string> left_text, right_text;
    for (const auto& c : left_known) left_text.insert(c->to_string());
    for (const auto& c : right_known) right_text.insert(c->to_string());
    std::vector<ExprPtr> to_left, to_right;
    auto add = [](std::vector<ExprPtr>& to, std::set<std::string>& known, const ExprPtr& c) {
      if (known.insert(c->to_string()).second) to.push_back(c);
    };
    for (const auto& [a, b] : keys) {
      // Constraints over one key alone carry over to the other key.
      if (into_right) {
        for (const auto& c : left_known) {
          if (references_only_ids(c, {a->id})) add(to_right, right_text, replace_attribute(c, a->id, b));
        }
      }
      if (into_left) {
        for (const auto& c : right_known) {
          if (references_only_ids(c, {b->id})) add(to_left, left_text, replace_attribute(c, b->id, a));
        }
      }
    }
    // Inner and semi joins never output a row whose key is null. A side that already rejects
    // null keys (a null-intolerant constraint on the key, such as k > 5) needs no isnotnull.
    if (inner || t == JoinType::kLeftSemi) {
      auto rejects_nulls = [](const Constraints& known, const std::vector<ExprPtr>& added, int64_t id) {
        for (const auto* list : {&known, &added}) {
          for (const auto& c : *list) {
            std::vector<int64_t> ids;
            collect_attribute_ids(c, ids);
            if (std::find(ids.begin(), ids.end(), id) != ids.end() && is_null_intolerant(c)) return true;
          }
        }
        return false;
      };
      for (const auto& [a, b] : keys) {
        if (into_left && a->nullable && !rejects_nulls(left_known, to_left, a->id))
          add(to_left, left_text, resolved_call("isnotnull", {a}, ansi));
        if (into_right && b->nullable && !rejects_nulls(right_known, to_right, b->id))
          add(to_right, right_text, resolved_call("isnotnull", {b}, ansi));
      }
    }
    if (to_left.empty() && to_right.empty()) return nullptr;
    auto out = clone(join);
    if (!to_left.empty()) out->children[0] = filter_over(left, to_left);
    if (!to_right.empty()) out->children[1] = filter_over(right, to_right);
    derive_output(*out);
    return out;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_infer_filters_from_constraints_rule() {
  return std::make_unique<InferFiltersFromConstraints>();
}

}  // namespace ember
