// PushExtraPredicateThroughJoin (Spark's rule of that name): a join condition conjunct that is a
// disjunction, (A1 AND B1) OR (A2 AND B2) OR ..., where every disjunct has conjuncts on one side
// (Ai over the left, say), implies (A1 OR A2 OR ...) for that side's rows: no row failing it can
// satisfy any disjunct. That implied predicate is pushed below the join as an extra filter; the
// original condition stays in the join, which still needs it for the pairs.
//
// TPC-H Q19 is the case: its condition ORs three groups, each with part-only and lineitem-only
// conjuncts, so without this every lineitem row reaches the join; with it both scans drop the rows
// no group can match. Only sides whose rows the join may drop for failing its condition get the
// filter (both for inner and left semi joins, the right side of left outer and left anti joins,
// the left side of right outer joins). Non-deterministic disjunctions are left alone.
//
// It runs in a once batch (after the first operator-optimization batch has put filters into join
// conditions), because the condition it reads stays in place and would be extracted again.
#include "ember/optimizer/optimizer.h"
#include "ember/optimizer/rule_helpers.h"

namespace ember {

namespace {

void split_disjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kOr) {
    split_disjuncts(e->children[0], out);
    split_disjuncts(e->children[1], out);
  } else {
    out.push_back(e);
  }
}

// OR over the disjuncts of AND over each disjunct's conjuncts on `side`; null when a disjunct
// has none (then nothing is implied for that side).
ExprPtr implied_for_side(const std::vector<ExprPtr>& disjuncts, const std::set<int64_t>& side) {
  ExprPtr any;
  for (const auto& d : disjuncts) {
    std::vector<ExprPtr> conjuncts, mine;
    split_conjuncts(d, conjuncts);
    for (const auto& c : conjuncts) {
      if (references_only_ids(c, side)) mine.push_back(c);
    }
    if (mine.empty()) return nullptr;
    ExprPtr term = join_conjuncts(mine);
    any = any ? make_or(any, term) : term;
  }
  return any;
}

class PushExtraPredicateThroughJoin : public OptimizerRule {
 public:
  const char* name() const override { return "PushExtraPredicateThroughJoin"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override { return rewrite(plan); }

 private:
  static PlanPtr rewrite(const PlanPtr& plan) {
    PlanPtr node = rewrite_children(plan, rewrite);
    if (node->kind != PlanKind::kJoin || !node->condition) return node;
    const JoinType t = node->join_type;
    const bool inner = t == JoinType::kInner || t == JoinType::kCross;
    const bool into_left = inner || t == JoinType::kRightOuter || t == JoinType::kLeftSemi;
    const bool into_right =
        inner || t == JoinType::kLeftOuter || t == JoinType::kLeftSemi || t == JoinType::kLeftAnti;
    const std::set<int64_t> left = output_ids(*node->children[0]), right = output_ids(*node->children[1]);
    std::vector<ExprPtr> conjuncts, to_left, to_right;
    split_conjuncts(node->condition, conjuncts);
    for (const auto& c : conjuncts) {
      if (c->kind != ExprKind::kOr || !is_deterministic(c)) continue;
      std::vector<ExprPtr> disjuncts;
      split_disjuncts(c, disjuncts);
      if (into_left) {
        if (ExprPtr p = implied_for_side(disjuncts, left)) to_left.push_back(p);
      }
      if (into_right) {
        if (ExprPtr p = implied_for_side(disjuncts, right)) to_right.push_back(p);
      }
    }
    if (to_left.empty() && to_right.empty()) return node;
    auto out = clone(*node);
    if (!to_left.empty()) out->children[0] = filter_over(node->children[0], to_left);
    if (!to_right.empty()) out->children[1] = filter_over(node->children[1], to_right);
    derive_output(*out);
    return out;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_push_extra_predicate_through_join_rule() {
  return std::make_unique<PushExtraPredicateThroughJoin>();
}

}  // namespace ember
