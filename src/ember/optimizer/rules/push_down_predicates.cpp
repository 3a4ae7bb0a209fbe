// PushDownPredicates (Spark's PushPredicateThroughNonJoin, the non-join half of
// PushDownPredicates): moves filter conjuncts towards the scan so fewer rows flow through
// projections, sorts, shuffles and aggregations.
//
//   Filter over Project      -> Project over Filter, aliases replaced by their expressions
//                               (only when every projected expression is deterministic)
//   Filter over Sort         -> Sort over Filter
//   Filter over Repartition  -> Repartition over Filter (shuffling repartitions only, as asked of
//                               this rule; a coalesce keeps its filter above)
//   Filter over Union        -> Union of Filters, the condition rewritten per branch by position
//   Filter over Aggregate    -> the conjuncts that only read grouping columns go below
//   Filter over Window       -> the conjuncts that only read partition keys go below
//   Filter over Join / a join's own condition -> into the side(s) where that keeps the answer
//                               (see push_into_join; Spark's PushPredicateThroughJoin)
//   Filter over Relation     -> stays (a CSV scan cannot skip rows), but the Relation records the
//                               conjuncts in `pushed_filters` for explain and future readers
//
// Never below a Limit (that changes which rows are kept). Only the deterministic prefix of a
// condition moves: a deterministic conjunct after a rand() would otherwise change the rows rand()
// is evaluated on. Filter over Filter is CombineFilters' job; the driver's fixed point lets the
// two rules take a filter all the way down.
#include <map>
#include <set>

#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

using AttrMap = std::map<int64_t, ExprPtr>;

PlanPtr rebuild(const LogicalPlan& plan, std::vector<PlanPtr> kids) {
  auto out = clone(plan);
  out->children = std::move(kids);
  if (out->kind != PlanKind::kRelation) derive_output(*out);
  return out;
}

PlanPtr make_filter_over(const PlanPtr& child, const std::vector<ExprPtr>& conjuncts) {
  auto f = std::make_shared<LogicalPlan>();
  f->kind = PlanKind::kFilter;
  f->children = {child};
  f->condition = join_conjuncts(conjuncts);
  f->resolved = true;
  derive_output(*f);
  return f;
}

ExprPtr substitute(const ExprPtr& e, const AttrMap& map) {
  return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kAttribute) return x;
    auto it = map.find(x->id);
    return it == map.end() ? x : it->second;
  });
}

bool references_only(const ExprPtr& e, const std::set<int64_t>& allowed, bool require_some) {
  std::vector<int64_t> ids;
  collect_attribute_ids(e, ids);
  if (require_some && ids.empty()) return false;
  for (int64_t id : ids) {
    if (!allowed.count(id)) return false;
  }
  return true;
}

// The conjuncts of `cond` up to the first non-deterministic one (`movable`) and the rest.
void split_movable(const ExprPtr& cond, std::vector<ExprPtr>& movable, std::vector<ExprPtr>& rest) {
  std::vector<ExprPtr> all;
  split_conjuncts(cond, all);
  bool stop = false;
  for (const auto& c : all) {
    stop |= !is_deterministic(c);
    (stop ? rest : movable).push_back(c);
  }
}

// `below` with the conjuncts that could not move kept in a filter above it.
PlanPtr with_rest(const PlanPtr& below, const std::vector<ExprPtr>& rest) {
  return rest.empty() ? below : make_filter_over(below, rest);
}

class PushDownPredicates : public OptimizerRule {
 public:
  const char* name() const override { return "PushDownPredicates"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override { return rewrite(plan); }

 private:
  // Top-down: a filter moved below a node is visited again as that node's child, so it sinks as
  // far as it can in one pass.
  static PlanPtr rewrite(const PlanPtr& plan) {
    PlanPtr node = plan;
    if (node->kind == PlanKind::kFilter) node = push(node);
    if (node->kind == PlanKind::kJoin && node->condition) {
      if (PlanPtr pushed = push_into_join(*node, {})) node = pushed;
    }
    if (node->kind == PlanKind::kRelation) {
      // A relation no longer directly under a filter must not claim pushed filters: a reader
      // that skips rows by them would then lose rows nothing else filters out.
      if (node->pushed_filters.empty()) return node;
      auto out = clone(*node);
      out->pushed_filters.clear();
      return out;
    }
    std::vector<PlanPtr> kids;
    bool kids_changed = false;
    for (const auto& c : node->children) {
      if (node->kind == PlanKind::kFilter && c->kind == PlanKind::kRelation && source_uses_pushed_filters(*c->source)) {
        kids.push_back(record_pushed(*node, c));
      } else {
        kids.push_back(rewrite(c));
      }
      kids_changed |= kids.back() != c;
    }
    return kids_changed ? rebuild(*node, std::move(kids)) : node;
  }

  // Filter(cond) directly over a relation: remember the conjuncts a scan could evaluate itself.
  static PlanPtr record_pushed(const LogicalPlan& filter, const PlanPtr& relation) {
    std::vector<ExprPtr> movable, rest;
    split_movable(filter.condition, movable, rest);
    std::set<int64_t> cols;
    for (const auto& a : relation->output) cols.insert(a->id);
    std::vector<ExprPtr> pushed;
    for (const auto& c : movable) {
      if (references_only(c, cols, true)) pushed.push_back(c);
    }
    bool same = pushed.size() == relation->pushed_filters.size();
    for (size_t i = 0; same && i < pushed.size(); ++i) {
      same = pushed[i]->to_string() == relation->pushed_filters[i]->to_string();
    }
    if (same) return relation;
    auto out = clone(*relation);
    out->pushed_filters = std::move(pushed);
    return out;
  }

  // One step: the filter moved below its child, or the filter itself when nothing can move.
  static PlanPtr push(const PlanPtr& filter) {
    const PlanPtr& child = filter->child();
    std::vector<ExprPtr> movable, rest;
    split_movable(filter->condition, movable, rest);
    if (movable.empty()) return filter;
    switch (child->kind) {
      case PlanKind::kProject: {
        for (const auto& e : child->exprs) {
          if (!is_deterministic(e) || contains_aggregate(e)) return filter;
        }
        AttrMap aliases;
        for (const auto& e : child->exprs) {
          if (e->kind == ExprKind::kAlias) aliases[e->id] = e->children[0];
        }
        std::vector<ExprPtr> pushed;
        pushed.reserve(movable.size());
        for (const auto& c : movable) pushed.push_back(substitute(c, aliases));
        return with_rest(rebuild(*child, {make_filter_over(child->child(), pushed)}), rest);
      }
      case PlanKind::kSort:
        return with_rest(rebuild(*child, {make_filter_over(child->child(), movable)}), rest);
      case PlanKind::kRepartition:
        if (!child->shuffle) return filter;
        return with_rest(rebuild(*child, {make_filter_over(child->child(), movable)}), rest);
      case PlanKind::kUnion: {
        std::vector<PlanPtr> branches;
        for (const auto& branch : child->children) {
          AttrMap by_position;
          for (size_t i = 0; i < child->output.size(); ++i) {
            by_position[child->output[i]->id] = branch->output[i];
          }
          std::vector<ExprPtr> mapped;
          mapped.reserve(movable.size());
          for (const auto& c : movable) mapped.push_back(substitute(c, by_position));
          branches.push_back(make_filter_over(branch, mapped));
        }
        return with_rest(rebuild(*child, std::move(branches)), rest);
      }
      case PlanKind::kAggregate: {
        // Grouping columns that are plain child attributes, by the id the aggregate outputs them
        // under (the attribute itself, or an alias of it).
        std::set<int64_t> grouping_attrs;
        for (const auto& g : child->grouping) {
          if (g->kind == ExprKind::kAttribute) grouping_attrs.insert(g->id);
        }
        AttrMap outputs;
        std::set<int64_t> pushable_ids;
        for (const auto& e : child->exprs) {
          const ExprPtr& value = e->kind == ExprKind::kAlias ? e->children[0] : e;
          if (value->kind == ExprKind::kAttribute && grouping_attrs.count(value->id)) {
            outputs[e->id] = value;
            pushable_ids.insert(e->id);
          }
        }
        // A conjunct without columns (e.g. `false`) must stay above: over a global aggregate it
        // decides whether the one result row exists, which filtering the input cannot express.
        std::vector<ExprPtr> pushed, kept;
        for (const auto& c : movable) {
          if (references_only(c, pushable_ids, true)) pushed.push_back(substitute(c, outputs));
          else kept.push_back(c);
        }
        if (pushed.empty()) return filter;
        kept.insert(kept.end(), rest.begin(), rest.end());
        return with_rest(rebuild(*child, {make_filter_over(child->child(), pushed)}), kept);
      }
      case PlanKind::kWindow: {
        // Rows of one window partition are computed together and only from each other, so a
        // conjunct over partition keys alone keeps or drops whole partitions: filtering before
        // the window gives every kept row the same value (Spark's PushPredicateThroughNonJoin
        // for Window). Any other conjunct (on an ORDER BY column or a window result) stays.
        std::set<int64_t> keys;
        bool first = true;
        for (const auto& e : child->exprs) {
          const ExprPtr& w = e->kind == ExprKind::kAlias ? e->children[0] : e;
          if (w->kind != ExprKind::kWindow) return filter;
          std::set<int64_t> mine;
          for (int p = 1; p <= w->window_partitions; ++p) {
            if (w->children[static_cast<size_t>(p)]->kind == ExprKind::kAttribute)
              mine.insert(w->children[static_cast<size_t>(p)]->id);
          }
          if (first) keys = std::move(mine);
          else {
            std::set<int64_t> both;
            for (int64_t id : keys) {
              if (mine.count(id)) both.insert(id);
            }
            keys = std::move(both);
          }
          first = false;
        }
        std::vector<ExprPtr> pushed, kept;
        for (const auto& c : movable) (references_only(c, keys, true) ? pushed : kept).push_back(c);
        if (pushed.empty()) return filter;
        kept.insert(kept.end(), rest.begin(), rest.end());
        return with_rest(rebuild(*child, {make_filter_over(child->child(), pushed)}), kept);
      }
      case PlanKind::kJoin: {
        PlanPtr joined = push_into_join(*child, movable);
        return joined ? with_rest(joined, rest) : filter;
      }
      default: return filter;  // Relation (handled by record_pushed), Limit, Filter
    }
  }

  // Spark's PushPredicateThroughJoin. `above` are the conjuncts of a filter over the join (all of
  // them deterministic); the join's own condition is considered too. A conjunct over one side
  // goes into that side when the join cannot null-pad it (a filter above) or cannot drop its rows
  // for failing it (the join condition); a conjunct over both sides of an inner join becomes
  // part of the join condition. Returns `join` itself when nothing moved; otherwise the new join
  // with any conjuncts of `above` that could not move in a filter over it.
  static PlanPtr push_into_join(const LogicalPlan& join, const std::vector<ExprPtr>& above) {
    std::set<int64_t> left_ids, right_ids;
    for (const auto& a : join.children[0]->output) left_ids.insert(a->id);
    for (const auto& a : join.children[1]->output) right_ids.insert(a->id);
    const JoinType type = join.join_type;
    const bool inner = type == JoinType::kInner || type == JoinType::kCross;
    // From a filter above: may a left-only / right-only conjunct move into that side?
    const bool above_left = inner || type == JoinType::kLeftOuter || type == JoinType::kLeftSemi ||
                            type == JoinType::kLeftAnti;
    const bool above_right = inner || type == JoinType::kRightOuter;
    // From the join condition: the side whose rows are not preserved by the join.
    const bool cond_left = inner || type == JoinType::kRightOuter || type == JoinType::kLeftSemi;
    const bool cond_right = inner || type == JoinType::kLeftOuter || type == JoinType::kLeftSemi ||
                            type == JoinType::kLeftAnti;

    std::vector<ExprPtr> to_left, to_right, condition, kept;
    bool moved = false;
    for (const auto& c : above) {
      if (above_left && references_only(c, left_ids, true)) {
        to_left.push_back(c);
      } else if (above_right && references_only(c, right_ids, true)) {
        to_right.push_back(c);
      } else if (inner) {
        condition.push_back(c);
      } else {
        kept.push_back(c);
        continue;
      }
      moved = true;
    }
    if (join.condition) {
      std::vector<ExprPtr> own;
      split_conjuncts(join.condition, own);
      for (const auto& c : own) {
        if (is_deterministic(c) && cond_left && references_only(c, left_ids, true)) {
          to_left.push_back(c);
          moved = true;
        } else if (is_deterministic(c) && cond_right && references_only(c, right_ids, true)) {
          to_right.push_back(c);
          moved = true;
        } else {
          condition.push_back(c);
        }
      }
    }
    if (!moved) return nullptr;
    auto out = clone(join);
    if (!to_left.empty()) out->children[0] = make_filter_over(join.children[0], to_left);
    if (!to_right.empty()) out->children[1] = make_filter_over(join.children[1], to_right);
    out->condition = condition.empty() ? nullptr : join_conjuncts(condition);
    if (type == JoinType::kCross && out->condition) out->join_type = JoinType::kInner;
    derive_output(*out);
    return with_rest(out, kept);
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_push_down_predicates_rule() {
  return std::make_unique<PushDownPredicates>();
}

}  // namespace ember
