// ReorderJoin (Spark's rule of that name, the heuristic one that runs without statistics): a tree
// of inner joins and the filters over them, as `FROM a, b, c WHERE ...` builds it, is flattened
// into its inputs and its conjuncts and joined again so that every join has a condition when one
// exists. The inputs are taken greedily in their written order: the next one is the first that a
// conjunct connects to what is joined so far, else (a real cross product) the first left.
//
//   FROM part, supplier, partsupp WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey
//     written:   (part x supplier) JOIN partsupp ON both keys       -- a cross product first
//     reordered: (part JOIN partsupp ON p_partkey) JOIN supplier ON s_suppkey
//
// Each conjunct is placed on the lowest join that sees all of its columns (the rest, those
// without columns, stay in a filter on top); a Project restores the written column order. Only
// deterministic conjuncts move, and a tree with a broadcast() hint is left alone (the hint belongs
// to the join it was written on). CostBasedJoinReorder runs later, in its own batch, and orders
// again by cost every group it has statistics for (see cost_based_join_reorder.cpp); the order
// this rule chose stays where it cannot.
#include <set>

#include "ember/optimizer/inner_join_group.h"
#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

struct JoinInput {
  PlanPtr plan;
  std::set<int64_t> ids;  // output attribute ids
};

std::set<int64_t> ids_of(const ExprPtr& e) {
  std::vector<int64_t> ids;
  collect_attribute_ids(e, ids);
  return {ids.begin(), ids.end()};
}

bool subset(const std::set<int64_t>& a, const std::set<int64_t>& b) {
  for (int64_t x : a) {
    if (!b.count(x)) return false;
  }
  return true;
}

bool intersects(const std::set<int64_t>& a, const std::set<int64_t>& b) {
  for (int64_t x : a) {
    if (b.count(x)) return true;
  }
  return false;
}

class ReorderJoin : public OptimizerRule {
 public:
  const char* name() const override { return "ReorderJoin"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext& ctx) const override {
    if (is_join_group_root(*plan)) {
      if (PlanPtr reordered = reorder(plan, ctx)) return reordered;
    }
    return rewrite_children(plan, [&](const PlanPtr& c) { return apply(c, ctx); });
  }

 private:
  // The reordered tree, or null when the written order already joins on a condition each time.
  PlanPtr reorder(const PlanPtr& plan, const OptimizerContext& ctx) const {
    InnerJoinGroup group;
    if (!flatten_inner_join_group(plan, group) || group.inputs.size() < 3 || group.conjuncts.empty())
      return nullptr;
    const std::vector<PlanPtr>& plans = group.inputs;
    const std::vector<ExprPtr>& conjuncts = group.conjuncts;
    std::vector<JoinInput> inputs;
    for (const auto& p : plans) {
      JoinInput in{p, {}};
      for (const auto& a : p->output) in.ids.insert(a->id);
      inputs.push_back(std::move(in));
    }
    std::vector<std::set<int64_t>> refs;
    for (const auto& c : conjuncts) refs.push_back(ids_of(c));

    // Greedy order.
    std::vector<size_t> order = {0};
    std::set<int64_t> joined = inputs[0].ids;
    std::vector<bool> used(inputs.size(), false);
    used[0] = true;
    while (order.size() < inputs.size()) {
      size_t pick = inputs.size();
      for (size_t i = 0; i < inputs.size() && pick == inputs.size(); ++i) {
        if (used[i]) continue;
        for (const auto& r : refs) {
          if (intersects(r, joined) && intersects(r, inputs[i].ids) && subset(r, combined(joined, inputs[i].ids))) {
            pick = i;
            break;
          }
        }
      }
      if (pick == inputs.size()) {
        for (size_t i = 0; i < inputs.size(); ++i) {
          if (!used[i]) {
            pick = i;
            break;
          }
        }
      }
      used[pick] = true;
      order.push_back(pick);
      joined.insert(inputs[pick].ids.begin(), inputs[pick].ids.end());
    }
    bool identity = true;
    for (size_t i = 0; i < order.size(); ++i) identity &= order[i] == i;
    if (identity) return nullptr;

    // Rebuild, each conjunct on the lowest join that sees all its columns; inputs recurse (a
    // derived table may hold its own join tree).
    std::vector<bool> placed(conjuncts.size(), false);
    PlanPtr left = apply(inputs[order[0]].plan, ctx);
    std::set<int64_t> seen = inputs[order[0]].ids;
    for (size_t k = 1; k < order.size(); ++k) {
      const JoinInput& right = inputs[order[k]];
      seen.insert(right.ids.begin(), right.ids.end());
      std::vector<ExprPtr> here;
      for (size_t c = 0; c < conjuncts.size(); ++c) {
        if (!placed[c] && !refs[c].empty() && subset(refs[c], seen)) {
          here.push_back(conjuncts[c]);
          placed[c] = true;
        }
      }
      left = make_resolved_inner_join(left, apply(right.plan, ctx), here, false);
    }
    std::vector<ExprPtr> rest;
    for (size_t c = 0; c < conjuncts.size(); ++c) {
      if (!placed[c]) rest.push_back(conjuncts[c]);
    }
    // The written column order restored on top.
    return make_resolved_projection(make_resolved_filter(left, rest), plan->output);
  }

  static std::set<int64_t> combined(const std::set<int64_t>& a, const std::set<int64_t>& b) {
    std::set<int64_t> out = a;
    out.insert(b.begin(), b.end());
    return out;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_reorder_join_rule() { return std::make_unique<ReorderJoin>(); }

}  // namespace ember
