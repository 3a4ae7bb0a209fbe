// ColumnPruning (Spark's ColumnPruning, simplified): works out, top down, which attributes each
// node needs from its child, then
//   - narrows Project lists to the attributes used above,
//   - narrows each Relation to the columns used above (`read_columns`, indices into the source
//     schema in schema order, and `output`, with the attributes' ids kept), so a CSV scan
//     materialises only those columns,
//   - narrows a Union to the positions used above, in every branch.
// Filter, Sort, Limit and Repartition output their child's attributes, so they narrow with it.
// Aggregate outputs are kept as they are (only its input is pruned to what it reads).
//
// Choice: no Project is inserted to cut columns that a Filter or Sort reads but nothing above
// needs (Spark would add one below an Aggregate/Sort/Repartition); pruning at the scan and in
// existing Projects removes the bulk, and fewer nodes keep plans readable. Two exceptions:
//   - a Union branch that cannot narrow to the union's kept positions by itself (an Aggregate or
//     a Filter reading extra columns) gets a Project, since every branch must have the same width;
//   - a join input that still outputs columns neither the join nor anything above it reads (the
//     comment column a `NOT LIKE` filter read, a key a lower join used) gets a Project, as Spark's
//     ColumnPruning gives every join side one: the join would otherwise shuffle those columns,
//     store them in its hash table and copy them into every output row. Not over a tree of inner
//     joins the reordering rules will still take apart (inner_join_group.h): a Project would
//     split the group; once CostBasedJoinReorder has placed the joins, they get one too.
//
// When nothing at all is needed (count(*)), one column is kept: rows must still be counted.
#include <set>

#include "ember/optimizer/inner_join_group.h"
#include "ember/optimizer/optimizer.h"

namespace ember {

namespace {

using IdSet = std::set<int64_t>;

void add_refs(const ExprPtr& e, IdSet& out) {
  std::vector<int64_t> ids;
  collect_attribute_ids(e, ids);
  out.insert(ids.begin(), ids.end());
}

void add_refs(const std::vector<ExprPtr>& list, IdSet& out) {
  for (const auto& e : list) add_refs(e, out);
}

IdSet all_ids(const std::vector<ExprPtr>& attrs) {
  IdSet ids;
  for (const auto& a : attrs) ids.insert(a->id);
  return ids;
}

bool same_ids(const std::vector<ExprPtr>& a, const std::vector<ExprPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i]->id != b[i]->id) return false;
  }
  return true;
}

PlanPtr make_project_over(const PlanPtr& child, std::vector<ExprPtr> attrs) {
  auto p = std::make_shared<LogicalPlan>();
  p->kind = PlanKind::kProject;
  p->children = {child};
  p->exprs = std::move(attrs);
  p->resolved = true;
  derive_output(*p);
  return p;
}

class ColumnPruning : public OptimizerRule {
 public:
  const char* name() const override { return "ColumnPruning"; }

  // The root keeps its whole output: that is the query's result schema.
  PlanPtr apply(const PlanPtr& plan, const OptimizerContext&) const override {
    return prune(plan, all_ids(plan->output));
  }

 private:
  // `plan` narrowed so that it still outputs every attribute of `required` it outputs now.
  static PlanPtr prune(const PlanPtr& plan, const IdSet& required) {
    switch (plan->kind) {
      case PlanKind::kRelation: return prune_relation(plan, required);
      case PlanKind::kProject: return prune_project(plan, required);
      case PlanKind::kUnion: return prune_union(plan, required);
      case PlanKind::kFilter: {
        IdSet need = required;
        add_refs(plan->condition, need);
        return with_child(plan, prune(plan->child(), need));
      }
      case PlanKind::kSort:
      case PlanKind::kRepartition: {
        IdSet need = required;
        add_refs(plan->exprs, need);
        return with_child(plan, prune(plan->child(), need));
      }
      case PlanKind::kLimit:
      case PlanKind::kBroadcastHint: return with_child(plan, prune(plan->child(), required));
      case PlanKind::kJoin: {
        // Each side keeps what the parent needs from it plus the join condition's columns.
        IdSet need = required;
        if (plan->condition) add_refs(plan->condition, need);
        PlanPtr left = narrow_join_input(prune(plan->children[0], need), need);
        PlanPtr right = narrow_join_input(prune(plan->children[1], need), need);
        if (left == plan->children[0] && right == plan->children[1]) return plan;
        auto out = clone(*plan);
        out->children = {std::move(left), std::move(right)};
        derive_output(*out);
        return out;
      }
      case PlanKind::kAggregate: {
        IdSet need;
        add_refs(plan->grouping, need);
        add_refs(plan->exprs, need);
        return with_child(plan, prune(plan->child(), need));
      }
      default: {
        // A node this rule does not know: its children keep everything they output.
        return rewrite_children(plan, [](const PlanPtr& c) { return prune(c, all_ids(c->output)); });
      }
    }
  }

  // `input` under a Project of the attributes in `need` when it outputs others too.
  static PlanPtr narrow_join_input(const PlanPtr& input, const IdSet& need) {
    if (is_join_group_root(*input)) return input;
    std::vector<ExprPtr> kept;
    for (const auto& a : input->output) {
      if (need.count(a->id)) kept.push_back(a);
    }
    // Nothing needed (a join read only for its row count, as under count(*)): one column stays.
    if (kept.empty() && !input->output.empty()) kept.push_back(input->output[0]);
    if (kept.size() == input->output.size()) return input;
    if (input->kind == PlanKind::kProject) return input;  // prune_project already narrowed it
    return make_project_over(input, std::move(kept));
  }

  static PlanPtr with_child(const PlanPtr& plan, PlanPtr child) {
    if (child == plan->child()) return plan;
    auto out = clone(*plan);
    out->children = {std::move(child)};
    derive_output(*out);
    return out;
  }

  static PlanPtr prune_relation(const PlanPtr& plan, const IdSet& required) {
    IdSet need = required;
    add_refs(plan->pushed_filters, need);  // a reader evaluates them on the columns it reads
    const auto& out = plan->output;
    std::vector<size_t> keep;
    for (size_t k = 0; k < out.size(); ++k) {
      if (need.count(out[k]->id)) keep.push_back(k);
    }
    if (keep.empty() && !out.empty()) keep.push_back(0);
    if (keep.size() == out.size()) return plan;
    auto narrowed = clone(*plan);
    narrowed->output.clear();
    narrowed->read_columns.clear();
    for (size_t k : keep) {
      // Before pruning, output[k] is schema column k; afterwards read_columns says which one.
      int source_index = plan->read_columns.empty() ? static_cast<int>(k) : plan->read_columns[k];
      narrowed->read_columns.push_back(source_index);
      narrowed->output.push_back(out[k]);
    }
    return narrowed;
  }

  static PlanPtr prune_project(const PlanPtr& plan, const IdSet& required) {
    std::vector<ExprPtr> kept;
    for (const auto& e : plan->exprs) {
      if (required.count(e->id)) kept.push_back(e);
    }
    if (kept.empty() && !plan->exprs.empty()) {
      // Keep one column so rows still exist; a plain attribute costs nothing to compute.
      ExprPtr pick = plan->exprs[0];
      for (const auto& e : plan->exprs) {
        if (e->kind == ExprKind::kAttribute) {
          pick = e;
          break;
        }
      }
      kept.push_back(pick);
    }
    IdSet need;
    add_refs(kept, need);
    PlanPtr child = prune(plan->child(), need);
    if (kept.size() == plan->exprs.size() && child == plan->child()) return plan;
    auto out = clone(*plan);
    out->children = {std::move(child)};
    out->exprs = std::move(kept);
    derive_output(*out);
    return out;
  }

  static PlanPtr prune_union(const PlanPtr& plan, const IdSet& required) {
    std::vector<size_t> positions;
    for (size_t j = 0; j < plan->output.size(); ++j) {
      if (required.count(plan->output[j]->id)) positions.push_back(j);
    }
    if (positions.empty() && !plan->output.empty()) positions.push_back(0);
    std::vector<PlanPtr> kids;
    bool changed = false;
    for (const auto& branch : plan->children) {
      IdSet need;
      std::vector<ExprPtr> wanted;
      for (size_t j : positions) {
        need.insert(branch->output[j]->id);
        wanted.push_back(branch->output[j]);
      }
      PlanPtr pruned = prune(branch, need);
      if (!same_ids(pruned->output, wanted)) {
        // Take the attributes from the pruned branch itself (its nullability is the current one).
        std::vector<ExprPtr> list;
        for (const auto& w : wanted) {
          for (const auto& a : pruned->output) {
            if (a->id == w->id) {
              list.push_back(a);
              break;
            }
          }
        }
        pruned = make_project_over(pruned, std::move(list));
      }
      changed |= pruned != branch;
      kids.push_back(std::move(pruned));
    }
    if (!changed) return plan;
    auto out = clone(*plan);
    out->children = std::move(kids);
    derive_output(*out);
    return out;
  }
};

}  // namespace

std::unique_ptr<OptimizerRule> make_column_pruning_rule() { return std::make_unique<ColumnPruning>(); }

}  // namespace ember
