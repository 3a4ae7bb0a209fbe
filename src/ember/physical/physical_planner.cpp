#include <algorithm>
#include <map>

#include "ember/common/error.h"
#include "ember/io/csv/csv_options.h"
#include "ember/io/csv/csv_reader.h"
#include "ember/physical/physical_plan.h"

namespace ember {

namespace {

std::string expr_list(const std::vector<ExprPtr>& exprs) {
  std::string s;
  for (size_t i = 0; i < exprs.size(); ++i) s += (i ? ", " : "") + exprs[i]->to_string();
  return s;
}

PhysPtr make_node(PhysKind kind, std::vector<PhysPtr> children) {
  auto p = std::make_shared<PhysicalPlan>();
  p->kind = kind;
  p->children = std::move(children);
  if (!p->children.empty()) {
    p->output = p->children[0]->output;
    p->num_partitions = p->children[0]->num_partitions;
  }
  return p;
}

PhysPtr make_exchange(PhysPtr child, Partitioning partitioning, std::vector<ExprPtr> attribute_keys) {
  auto ex = make_node(PhysKind::kExchange, {std::move(child)});
  ex->num_partitions = partitioning.num_partitions;
  ex->partitioning = std::move(partitioning);
  ex->partitioning.keys.clear();
  for (const auto& k : attribute_keys) ex->partitioning.keys.push_back(bind_to_input(k, ex->children[0]->output));
  ex->orders = std::move(attribute_keys);  // unbound form, for explain
  std::string kind;
  switch (ex->partitioning.kind) {
    case PartitioningKind::kHash: kind = "hashpartitioning(" + expr_list(ex->orders) + ", "; break;
    case PartitioningKind::kRange: kind = "rangepartitioning(" + expr_list(ex->orders) + ", "; break;
    case PartitioningKind::kRoundRobin: kind = "RoundRobinPartitioning("; break;
    case PartitioningKind::kSingle: kind = "SinglePartition"; break;
  }
  ex->label = "Exchange " + kind +
              (ex->partitioning.kind == PartitioningKind::kSingle ? "" : std::to_string(ex->num_partitions) + ")");
  return ex;
}

// Replaces, bottom-up, every subexpression of `e` equal to one of `targets` by the matching
// replacement attribute (used to express aggregate results over [keys, aggregate values]).
ExprPtr substitute(const ExprPtr& e, const std::vector<ExprPtr>& targets, const std::vector<ExprPtr>& replacements) {
  std::string text = e->to_string();
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i]->to_string() == text) return replacements[i];
  }
  if (e->children.empty()) return e;
  std::vector<ExprPtr> kids;
  bool changed = false;
  for (const auto& c : e->children) {
    kids.push_back(substitute(c, targets, replacements));
    changed |= kids.back() != c;
  }
  return changed ? with_children(*e, std::move(kids)) : e;
}

class Planner {
 public:
  explicit Planner(const PhysicalPlannerOptions& options) : options_(options) {}

  PhysPtr plan(const PlanPtr& p) {
    switch (p->kind) {
      case PlanKind::kRelation: return plan_scan(*p);
      case PlanKind::kFilter: {
        PhysPtr child = plan(p->child());
        auto f = make_node(PhysKind::kFilter, {child});
        f->predicate = bind_to_input(p->condition, child->output);
        f->label = "Filter " + p->condition->to_string();
        return f;
      }
      case PlanKind::kProject: {
        PhysPtr child = plan(p->child());
        auto pr = make_node(PhysKind::kProject, {child});
        for (const auto& e : p->exprs) pr->exprs.push_back(bind_to_input(e, child->output));
        pr->output = p->output;
        pr->label = "Project [" + expr_list(p->exprs) + "]";
        return pr;
      }
      case PlanKind::kAggregate: return plan_aggregate(*p);
      case PlanKind::kSort: {
        PhysPtr child = plan(p->child());
        if (p->global_sort && child->num_partitions > 1) {
          Partitioning part{PartitioningKind::kRange, options_.shuffle_partitions, {}};
          child = make_exchange(child, part, p->exprs);
        }
        return make_sort(child, p->exprs, -1, p->global_sort);
      }
      case PlanKind::kLimit: {
        const PlanPtr& c = p->child();
        if (c->kind == PlanKind::kSort && c->global_sort) {
          // Top-N: each partition keeps its first n rows in order, one task merges them.
          PhysPtr input = plan(c->child());
          PhysPtr local = make_sort(input, c->exprs, p->limit, false);
          PhysPtr single = local->num_partitions > 1
                               ? make_exchange(local, Partitioning{PartitioningKind::kSingle, 1, {}}, {})
                               : local;
          return make_sort(single, c->exprs, p->limit, true);
        }
        PhysPtr child = plan(c);
        PhysPtr local = make_limit(child, p->limit, false);
        if (local->num_partitions == 1) return local;
        PhysPtr single = make_exchange(local, Partitioning{PartitioningKind::kSingle, 1, {}}, {});
        return make_limit(single, p->limit, true);
      }
      case PlanKind::kUnion: {
        std::vector<PhysPtr> kids;
        int parts = 0;
        for (const auto& c : p->children) {
          kids.push_back(plan(c));
          parts += kids.back()->num_partitions;
        }
        auto u = make_node(PhysKind::kUnion, kids);
        u->output = p->output;
        u->num_partitions = parts;
        u->label = "Union";
        return u;
      }
      case PlanKind::kRepartition: {
        PhysPtr child = plan(p->child());
        int n = p->num_partitions > 0 ? p->num_partitions : options_.shuffle_partitions;
        if (!p->shuffle) {
          if (n >= child->num_partitions) return child;
          auto c = make_node(PhysKind::kCoalesce, {child});
          c->num_partitions = n;
          c->label = "Coalesce " + std::to_string(n);
          return c;
        }
        Partitioning part{p->exprs.empty() ? PartitioningKind::kRoundRobin : PartitioningKind::kHash, n, {}};
        return make_exchange(child, part, p->exprs);
      }
      default: throw_internal(__FILE__, __LINE__, "cannot plan node " + plan_node_string(*p));
    }
  }

 private:
  PhysPtr make_sort(PhysPtr child, const std::vector<ExprPtr>& orders, int64_t limit, bool global) {
    auto s = make_node(PhysKind::kSort, {std::move(child)});
    for (const auto& o : orders) s->orders.push_back(bind_to_input(o, s->children[0]->output));
    s->limit = limit;
    s->label = (limit >= 0 ? "TakeOrdered(limit=" + std::to_string(limit) + ") " : std::string()) + "Sort [" +
               expr_list(orders) + "], " + (global ? "true" : "false");
    return s;
  }

  PhysPtr make_limit(PhysPtr child, int64_t n, bool global) {
    auto l = make_node(PhysKind::kLimit, {std::move(child)});
    l->limit = n;
    l->label = std::string(global ? "GlobalLimit " : "LocalLimit ") + std::to_string(n);
    return l;
  }

  PhysPtr plan_scan(const LogicalPlan& p) {
    auto s = make_node(PhysKind::kScan, {});
    s->source = p.source;
    s->output = p.output;
    s->pushed_filters = p.pushed_filters;
    const Schema& schema = p.source->schema;
    if (p.read_columns.empty()) {
      for (const auto& a : p.output) s->read_columns.push_back(schema.index_of(a->name));
    } else {
      s->read_columns = p.read_columns;
    }
    std::string cols;
    for (size_t i = 0; i < p.output.size(); ++i) cols += (i ? "," : "") + p.output[i]->to_string();
    switch (p.source->kind) {
      case SourceKind::kCsv: {
        CsvOptions options = CsvOptions::parse(p.source->options);
        std::vector<FileInfo> files;
        for (const auto& [path, size] : p.source->files) files.push_back(FileInfo{path, size});
        for (const auto& split : plan_csv_splits(files, options, options_.max_partition_bytes)) {
          s->csv_splits.push_back(CsvScanSplit{split.path, split.start, split.length, split.file_size});
        }
        s->num_partitions = std::max<int>(1, static_cast<int>(s->csv_splits.size()));
        std::string read_schema;
        for (size_t i = 0; i < p.output.size(); ++i) {
          read_schema += (i ? "," : "") + p.output[i]->name + ":" + p.output[i]->type.simple_string();
        }
        s->label = "FileScan csv [" + cols + "] Format: CSV, Location: " + std::to_string(p.source->paths.size()) +
                   " paths, " + std::to_string(files.size()) + " files, PushedFilters: [" +
                   expr_list(p.pushed_filters) + "], ReadSchema: struct<" + read_schema + ">";
        break;
      }
      case SourceKind::kRange:
        s->num_partitions = p.source->num_partitions > 0 ? p.source->num_partitions : options_.default_parallelism;
        s->label = p.source->describe();
        break;
      case SourceKind::kLocalRows:
        s->num_partitions = std::max<int>(
            1, std::min<int>(options_.default_parallelism, static_cast<int>(p.source->batches.size())));
        s->label = "LocalTableScan [" + cols + "]";
        break;
    }
    return s;
  }

  PhysPtr plan_aggregate(const LogicalPlan& p) {
    PhysPtr child = plan(p.child());
    // The aggregate calls of the output list, deduplicated by text.
    std::vector<ExprPtr> calls;
    for (const auto& e : p.exprs) {
      visit(e, [&](const ExprPtr& x) {
        if (x->kind != ExprKind::kAggregate) return;
        std::string t = x->to_string();
        if (std::none_of(calls.begin(), calls.end(), [&](const ExprPtr& c) { return c->to_string() == t; })) {
          calls.push_back(x);
        }
      });
    }
    bool partial_ok = std::all_of(calls.begin(), calls.end(), [](const ExprPtr& c) { return c->aggregate->supports_partial; });
    // Attributes standing for keys and aggregate values in the result expressions.
    std::vector<ExprPtr> key_attrs, value_attrs;
    for (const auto& k : p.grouping) {
      key_attrs.push_back(k->kind == ExprKind::kAttribute ? k : make_attribute(k->pretty_name(), k->type, k->nullable, next_attribute_id()));
    }
    for (const auto& c : calls) value_attrs.push_back(make_attribute(c->pretty_name(), c->type, c->nullable, next_attribute_id()));
    std::vector<ExprPtr> targets = p.grouping, repl = key_attrs;
    targets.insert(targets.end(), calls.begin(), calls.end());
    repl.insert(repl.end(), value_attrs.begin(), value_attrs.end());
    std::vector<ExprPtr> result_input = key_attrs;
    result_input.insert(result_input.end(), value_attrs.begin(), value_attrs.end());
    std::vector<ExprPtr> results;
    for (const auto& e : p.exprs) results.push_back(bind_to_input(substitute(e, targets, repl), result_input));

    auto bind_calls = [&](const std::vector<ExprPtr>& input) {
      std::vector<ExprPtr> out;
      for (const auto& c : calls) out.push_back(bind_to_input(c, input));
      return out;
    };
    auto functions = [&](const char* prefix) {
      std::string s;
      for (size_t i = 0; i < calls.size(); ++i) s += (i ? ", " : "") + std::string(prefix) + calls[i]->to_string();
      return s;
    };
    auto keys_text = expr_list(p.grouping);
    Partitioning part = p.grouping.empty() ? Partitioning{PartitioningKind::kSingle, 1, {}}
                                           : Partitioning{PartitioningKind::kHash, options_.shuffle_partitions, {}};
    if (!partial_ok) {
      PhysPtr input = child->num_partitions == 1 && p.grouping.empty() ? child : make_exchange(child, part, p.grouping);
      auto agg = make_node(PhysKind::kHashAggregate, {input});
      agg->mode = AggregateMode::kComplete;
      for (const auto& k : p.grouping) agg->group_keys.push_back(bind_to_input(k, input->output));
      agg->aggregates = bind_calls(input->output);
      agg->result_exprs = results;
      agg->output = p.output;
      agg->label = "HashAggregate(keys=[" + keys_text + "], functions=[" + functions("") + "])";
      return agg;
    }
    // Partial aggregation in each input partition, then an exchange on the keys, then final.
    auto partial = make_node(PhysKind::kHashAggregate, {child});
    partial->mode = AggregateMode::kPartial;
    for (const auto& k : p.grouping) partial->group_keys.push_back(bind_to_input(k, child->output));
    partial->aggregates = bind_calls(child->output);
    partial->output = key_attrs;
    for (size_t i = 0; i < calls.size(); ++i) {
      auto types = calls[i]->aggregate->kernel->intermediate_types();
      for (size_t j = 0; j < types.size(); ++j) {
        partial->output.push_back(make_attribute(calls[i]->pretty_name() + "_state" + std::to_string(j), types[j], true,
                                                 next_attribute_id()));
      }
    }
    partial->label = "HashAggregate(keys=[" + keys_text + "], functions=[" + functions("partial_") + "])";
    PhysPtr exchanged = make_exchange(partial, part, key_attrs);
    auto final_agg = make_node(PhysKind::kHashAggregate, {exchanged});
    final_agg->mode = AggregateMode::kFinal;
    for (size_t i = 0; i < key_attrs.size(); ++i) {
      final_agg->group_keys.push_back(make_bound_ref(static_cast<int>(i), key_attrs[i]->type, key_attrs[i]->nullable, key_attrs[i]->name));
    }
    int offset = static_cast<int>(key_attrs.size());
    for (const auto& c : calls) {
      final_agg->intermediate_offsets.push_back(offset);
      offset += static_cast<int>(c->aggregate->kernel->intermediate_types().size());
    }
    final_agg->aggregates = calls;  // arguments are not evaluated in the final phase
    final_agg->result_exprs = results;
    final_agg->output = p.output;
    final_agg->label = "HashAggregate(keys=[" + keys_text + "], functions=[" + functions("") + "])";
    return final_agg;
  }

  PhysicalPlannerOptions options_;
};

void physical_lines(const PhysPtr& p, const std::string& prefix, bool is_root, bool is_last, std::string& out) {
  std::string stage = p->kind == PhysKind::kExchange
                          ? "  [stage " + std::to_string(p->children[0]->stage_id) + " -> " + std::to_string(p->stage_id) + "]"
                          : "  [stage " + std::to_string(p->stage_id) + "]";
  out += (is_root ? "" : prefix + (is_last ? "+- " : ":- ")) + p->label + stage + "\n";
  std::string child_prefix = is_root ? "" : prefix + (is_last ? "   " : ":  ");
  for (size_t i = 0; i < p->children.size(); ++i) {
    physical_lines(p->children[i], child_prefix, false, i + 1 == p->children.size(), out);
  }
}

}  // namespace

std::string Partitioning::to_string() const {
  switch (kind) {
    case PartitioningKind::kHash: return "hash(" + std::to_string(num_partitions) + ")";
    case PartitioningKind::kRange: return "range(" + std::to_string(num_partitions) + ")";
    case PartitioningKind::kRoundRobin: return "roundrobin(" + std::to_string(num_partitions) + ")";
    case PartitioningKind::kSingle: return "single";
  }
  return "?";
}

ExprPtr bind_to_input(const ExprPtr& e, const std::vector<ExprPtr>& input) {
  return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kAttribute) return x;
    for (size_t i = 0; i < input.size(); ++i) {
      if (input[i]->id == x->id) return make_bound_ref(static_cast<int>(i), x->type, x->nullable, x->name);
    }
    throw_internal(__FILE__, __LINE__, "attribute " + x->to_string() + " is not produced by the input");
  });
}

PhysPtr plan_physical(const PlanPtr& optimized, const PhysicalPlannerOptions& options) {
  Planner planner(options);
  return planner.plan(optimized);
}

std::string physical_tree_string(const PhysPtr& plan) {
  std::string out;
  physical_lines(plan, "", true, true, out);
  return out;
}

}  // namespace ember
