#pragma once
// A tree of inner joins and the filters over it, as `FROM a, b, c WHERE ...` builds it, seen as
// what it is: a set of inputs and a set of conjuncts (Spark's ExtractFiltersAndInnerJoins). The
// join reordering rules (ReorderJoin, CostBasedJoinReorder) flatten a tree into a group, choose an
// order, and build the joins again with these helpers.
#include <vector>

#include "ember/plan/logical_plan.h"

namespace ember {

struct InnerJoinGroup {
  std::vector<PlanPtr> inputs;     // the non-join leaves of the tree, in written order
  std::vector<ExprPtr> conjuncts;  // of every join condition and filter in the tree
};

// Cross joins (df.cross_join, FROM a CROSS JOIN b) are inner joins without a condition.
bool is_inner_join(const LogicalPlan& p);

// Whether `p` roots a group the reordering rules may take apart: an inner join, or a filter over
// one, not already placed by cost-based reordering.
bool is_join_group_root(const LogicalPlan& p);

// Flattens the tree under `p`. False when it cannot be reordered: a broadcast() hint (it belongs
// to the join it was written on) or a non-deterministic condition inside it. A join already placed
// by cost-based reordering is an input, not taken apart.
bool flatten_inner_join_group(const PlanPtr& p, InnerJoinGroup& out);

// Resolved nodes for rebuilding a group.
PlanPtr make_resolved_inner_join(PlanPtr left, PlanPtr right, const std::vector<ExprPtr>& conjuncts,
                                 bool reordered);
PlanPtr make_resolved_filter(PlanPtr child, const std::vector<ExprPtr>& conjuncts);
// A projection of `columns` (attributes of `child`), or `child` itself when it outputs exactly them.
PlanPtr make_resolved_projection(PlanPtr child, const std::vector<ExprPtr>& columns);

}  // namespace ember
