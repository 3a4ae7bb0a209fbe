// CostBasedJoinReorder (Spark's rule of that name, with its JoinReorderDP): a group of inner
// joins (inner_join_group.h) is joined again in the order whose intermediate results are
// smallest, by the cardinality estimator (cost/statistics.h).
//
// The cost of a plan is Spark's: the rows and bytes of every intermediate join result (inputs
// and the final result are the same for every order, so they do not count), compared as
// weight·rows + (1 − weight)·bytes relative to the other plan (spark.sql.cbo.joinReorder.card.weight).
// Up to spark.sql.cbo.joinReorder.dpThreshold inputs (12) every connected split of every subset
// is tried, bottom up (dynamic programming: the best plan of a subset is part of the best plan of
// any superset that contains it); past that, a greedy order starts from the smallest join of two
// inputs and adds the input that keeps the result smallest. Only subsets a conjunct connects are
// joined, so the result never has a cross product; a group whose inputs no conjuncts connect is
// left to ReorderJoin. Of the two sides of each join, the one with more inputs (else more rows) is
// written on the left, the probe side; the physical planner builds the hash table on the side
// it estimates smaller.
//
// Conjuncts over one input become a filter on that input, so estimates see them; the others
// go on the lowest join that sees all their columns. The joins are marked, so no later rule
// reorders them again. It runs in its own "Join Reorder" batch after the operator optimizations,
// as in Spark, so the inputs it estimates already carry every filter that will run on them (the
// inferred ones and the extra join predicates too); the heuristic ReorderJoin ran before it, in
// those batches, and its order stays for groups this rule cannot order. Switched by
// spark.sql.cbo.enabled and spark.sql.cbo.joinReorder.enabled (both on by default in ember) or
// by excluding the rule. Needs every input's row count: sources always give one, so in practice
// only an unknown-size input (compressed CSV) sends a group to the heuristic ReorderJoin.
#include <bit>
#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>

#include "ember/optimizer/cost/statistics.h"
#include "ember/optimizer/inner_join_group.h"
#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

using Mask = uint64_t;

// One way of joining a subset of the inputs.
struct JoinPlan {
  PlanPtr plan;
  Mask items = 0;
  double rows = 0, bytes = 0;            // of this plan's result
  double cost_rows = 0, cost_bytes = 0;  // of its intermediate results (Spark's planCost)
};

class CostBasedJoinReorder : public OptimizerRule {
 public:
  const char* name() const override { return "CostBasedJoinReorder"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext& ctx) const override {
    if (!ctx.cbo.join_reorder) return plan;
    if (is_join_group_root(*plan)) {
      if (PlanPtr reordered = reorder(plan, ctx)) return reordered;
    }
    return rewrite_children(plan, [&](const PlanPtr& c) { return apply(c, ctx); });
  }

 private:
  struct Search {
    std::vector<Mask> conjunct_items;  // per multi-input conjunct: the inputs it reads
    std::vector<ExprPtr> conjuncts;
    StatisticsEstimator estimator;
    double card_weight = 0.7;
  };

  PlanPtr reorder(const PlanPtr& plan, const OptimizerContext& ctx) const {
    InnerJoinGroup group;
    if (!flatten_inner_join_group(plan, group) || group.inputs.size() < 3 || group.inputs.size() > 64)
      return nullptr;
    const size_t n = group.inputs.size();
    // Which input produces each attribute.
    std::unordered_map<int64_t, size_t> owner;
    for (size_t i = 0; i < n; ++i) {
      for (const auto& a : group.inputs[i]->output) owner[a->id] = i;
    }
    Search search;
    search.card_weight = ctx.cbo.card_weight;
    std::vector<std::vector<ExprPtr>> local(n);  // conjuncts over one input
    std::vector<ExprPtr> constant;               // conjuncts over no input
    for (const auto& c : group.conjuncts) {
      std::vector<int64_t> ids;
      collect_attribute_ids(c, ids);
      Mask m = 0;
      for (int64_t id : ids) {
        auto it = owner.find(id);
        if (it == owner.end()) return nullptr;  // an outer reference: not ours to move
        m |= Mask{1} << it->second;
      }
      if (m == 0) constant.push_back(c);
      else if (std::popcount(m) == 1) local[static_cast<size_t>(std::countr_zero(m))].push_back(c);
      else {
        search.conjunct_items.push_back(m);
        search.conjuncts.push_back(c);
      }
    }
    if (!connected(search.conjunct_items, n)) return nullptr;

    std::vector<JoinPlan> leaves(n);
    for (size_t i = 0; i < n; ++i) {
      PlanPtr leaf = make_resolved_filter(apply(group.inputs[i], ctx), local[i]);
      const PlanStatistics& s = search.estimator.estimate(leaf);
      if (!s.row_count) return nullptr;  // no row count: ReorderJoin's order stays
      leaves[i] = JoinPlan{leaf, Mask{1} << i, *s.row_count, s.size_in_bytes, 0, 0};
    }
    std::optional<JoinPlan> best = static_cast<int>(n) <= ctx.cbo.dp_threshold
                                       ? dynamic_programming(search, leaves)
                                       : greedy(search, leaves);
    if (!best) return nullptr;
    return make_resolved_projection(make_resolved_filter(best->plan, constant), plan->output);
  }

  // Whether the conjuncts connect all n inputs.
  static bool connected(const std::vector<Mask>& edges, size_t n) {
    Mask reached = 1;
    for (bool grew = true; grew;) {
      grew = false;
      for (Mask e : edges) {
        if ((e & reached) && (e & ~reached)) {
          reached |= e;
          grew = true;
        }
      }
    }
    return reached == (n == 64 ? ~Mask{0} : (Mask{1} << n) - 1);
  }

  // The join of a and b on the conjuncts that become decidable there, or nullopt when no
  // conjunct connects them (a cross product).
  static std::optional<JoinPlan> join(Search& search, const JoinPlan& a, const JoinPlan& b) {
    const Mask both = a.items | b.items;
    std::vector<ExprPtr> conds;
    for (size_t c = 0; c < search.conjuncts.size(); ++c) {
      const Mask m = search.conjunct_items[c];
      if ((m & ~both) == 0 && (m & a.items) && (m & b.items)) conds.push_back(search.conjuncts[c]);
    }
    if (conds.empty()) return std::nullopt;
    // The side with more inputs (else more rows) on the left: left-deep trees probe with the
    // growing intermediate result.
    const bool a_left = std::popcount(a.items) != std::popcount(b.items)
                            ? std::popcount(a.items) > std::popcount(b.items)
                            : a.rows >= b.rows;
    const JoinPlan& l = a_left ? a : b;
    const JoinPlan& r = a_left ? b : a;
    JoinPlan out;
    out.plan = make_resolved_inner_join(l.plan, r.plan, conds, true);
    out.items = both;
    const PlanStatistics& s = search.estimator.estimate(out.plan);
    out.rows = s.row_count.value_or(l.rows * r.rows);
    out.bytes = s.size_in_bytes;
    // Spark's planCost: the children's costs plus the children's own results unless a leaf.
    out.cost_rows = a.cost_rows + b.cost_rows;
    out.cost_bytes = a.cost_bytes + b.cost_bytes;
    for (const JoinPlan* side : {&a, &b}) {
      if (std::popcount(side->items) > 1) {
        out.cost_rows += side->rows;
        out.cost_bytes += side->bytes;
      }
    }
    return out;
  }

  // Spark's JoinPlan.betterThan: relative rows and bytes, weighted.
  static bool better(const Search& search, const JoinPlan& x, const JoinPlan& y) {
    if (y.cost_rows <= 0 || y.cost_bytes <= 0)
      return x.cost_rows < y.cost_rows || x.cost_bytes < y.cost_bytes;
    const double relative = search.card_weight * x.cost_rows / y.cost_rows +
                            (1 - search.card_weight) * x.cost_bytes / y.cost_bytes;
    return relative < 1;
  }

  static std::optional<JoinPlan> dynamic_programming(Search& search, const std::vector<JoinPlan>& leaves) {
    const size_t n = leaves.size();
    const Mask full = (Mask{1} << n) - 1;
    std::unordered_map<Mask, JoinPlan> best;
    for (const auto& leaf : leaves) best[leaf.items] = leaf;
    // Every proper subset of a mask is numerically smaller, so ascending masks see each subset's
    // best plan before any superset needs it.
    for (Mask mask = 1; mask <= full; ++mask) {
      if (std::popcount(mask) < 2) continue;
      std::optional<JoinPlan> chosen;
      for (Mask s = (mask - 1) & mask; s > 0; s = (s - 1) & mask) {
        const Mask t = mask ^ s;
        if (s < t) continue;  // each split once
        auto a = best.find(s), b = best.find(t);
        if (a == best.end() || b == best.end()) continue;
        std::optional<JoinPlan> candidate = join(search, a->second, b->second);
        if (candidate && (!chosen || better(search, *candidate, *chosen))) chosen = std::move(candidate);
      }
      if (chosen) best[mask] = std::move(*chosen);
    }
    auto it = best.find(full);
    if (it == best.end()) return std::nullopt;
    return it->second;
  }

  static std::optional<JoinPlan> greedy(Search& search, const std::vector<JoinPlan>& leaves) {
    // The smallest join of two inputs first, then the input that keeps the result smallest.
    std::optional<JoinPlan> current;
    for (size_t i = 0; i < leaves.size(); ++i) {
      for (size_t j = i + 1; j < leaves.size(); ++j) {
        auto c = join(search, leaves[i], leaves[j]);
        if (c && (!current || c->rows < current->rows)) current = std::move(c);
      }
    }
    if (!current) return std::nullopt;
    while (std::popcount(current->items) < static_cast<int>(leaves.size())) {
      std::optional<JoinPlan> next;
      for (const auto& leaf : leaves) {
        if (leaf.items & current->items) continue;
        auto c = join(search, *current, leaf);
        if (c && (!next || c->rows < next->rows)) next = std::move(c);
      }
      if (!next) return std::nullopt;
      current = std::move(next);
    }
    return current;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_cost_based_join_reorder_rule() {
  return std::make_unique<CostBasedJoinReorder>();
}

}  // namespace ember
