// PropagateEmptyRelation (Spark's rule, together with the false-filter case of its PruneFilters):
// a subtree that provably returns no rows becomes an empty local relation with the same output
// attributes, and the emptiness travels up:
//
//   Filter(false) / Filter(null)                     -> empty
//   Project, Filter, Sort, Limit, Sample, Window, Generate, Repartition over empty -> empty
//   Aggregate with grouping keys over empty          -> empty (a global aggregate still returns
//                                                       its one row, so it stays)
//   Union                                            -> the empty branches go (all empty: empty)
//   Inner / cross / left semi join with an empty side, outer joins with an empty preserved side,
//   left anti join with an empty left side           -> empty
//
// A union branch is only dropped when another branch remains at position 0 or the output names
// stay those of the first branch (the union's attributes are the first branch's).
#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

bool is_empty(const PlanPtr& p) {
  return p->kind == PlanKind::kRelation && p->source && p->source->kind == SourceKind::kLocalRows &&
         p->source->batches.empty();
}

bool is_false_or_null(const ExprPtr& e) {
  if (!e || e->kind != ExprKind::kLiteral) return false;
  if (e->literal.is_null()) return true;
  return e->literal.type().id() == TypeId::kBoolean && !e->literal.as_bool();
}

// An empty relation producing exactly `plan`'s output attributes.
PlanPtr empty_like(const LogicalPlan& plan) {
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kLocalRows;
  std::vector<Field> fields;
  for (const auto& a : plan.output) fields.push_back(Field{a->name, a->type, a->nullable});
  src->schema = Schema(std::move(fields));
  auto rel = std::make_shared<LogicalPlan>();
  rel->kind = PlanKind::kRelation;
  rel->source = std::move(src);
  rel->output = plan.output;
  rel->resolved = true;
  return rel;
}

class PropagateEmptyRelation : public OptimizerRule {
 public:
  const char* name() const override { return "PropagateEmptyRelation"; }

  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override { return rewrite(plan); }

 private:
  static PlanPtr rewrite(const PlanPtr& plan) {
    if (plan->kind == PlanKind::kRelation) return plan;
    PlanPtr node = rewrite_children(plan, rewrite);
    switch (node->kind) {
      case PlanKind::kFilter:
        if (is_false_or_null(node->condition) || is_empty(node->child())) return empty_like(*node);
        return node;
      case PlanKind::kProject:
      case PlanKind::kSort:
      case PlanKind::kLimit:
      case PlanKind::kSample:
      case PlanKind::kWindow:
      case PlanKind::kGenerate:
      case PlanKind::kRepartition: return is_empty(node->child()) ? empty_like(*node) : node;
      case PlanKind::kAggregate:
        return !node->grouping.empty() && is_empty(node->child()) ? empty_like(*node) : node;
      case PlanKind::kUnion: {
        std::vector<PlanPtr> live;
        for (const auto& c : node->children) {
          if (!is_empty(c)) live.push_back(c);
        }
        if (live.size() == node->children.size()) return node;
        if (live.empty()) return empty_like(*node);
        // The union's attributes are its first branch's: keep an empty first branch so they
        // stay; drop the other empty branches.
        if (is_empty(node->children[0]) && live.front() != node->children[0])
          live.insert(live.begin(), node->children[0]);
        if (live.size() == node->children.size()) return node;
        if (live.size() == 1) return live[0];
        auto out = clone(*node);
        out->children = std::move(live);
        derive_output(*out);
        return out;
      }
      case PlanKind::kJoin: {
        const bool left = is_empty(node->children[0]), right = is_empty(node->children[1]);
        if (!left && !right) return node;
        switch (node->join_type) {
          case JoinType::kInner:
          case JoinType::kCross:
          case JoinType::kLeftSemi: return empty_like(*node);
          case JoinType::kLeftOuter:
          case JoinType::kLeftAnti: return left ? empty_like(*node) : node;
          case JoinType::kRightOuter: return right ? empty_like(*node) : node;
          case JoinType::kFullOuter: return left && right ? empty_like(*node) : node;
          default: return node;
        }
      }
      default: return node;
    }
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_propagate_empty_relation_rule() {
  return std::make_unique<PropagateEmptyRelation>();
}

}  // namespace ember
