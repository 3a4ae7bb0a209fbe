#include "ember/plan/logical_plan.h"

#include <cstdio>

#include "ember/common/error.h"

namespace ember {

namespace {

std::shared_ptr<LogicalPlan> node(PlanKind kind, std::vector<PlanPtr> children) {
  auto p = std::make_shared<LogicalPlan>();
  p->kind = kind;
  p->children = std::move(children);
  return p;
}

std::string expr_list(const std::vector<ExprPtr>& exprs) {
  std::string s;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i) s += ", ";
    s += exprs[i]->to_string();
  }
  return s;
}

void tree_lines(const PlanPtr& plan, const std::string& prefix, bool is_root, bool is_last, std::string& out,
                const PlanAnnotator* annotate = nullptr) {
  std::string line = plan_node_string(*plan) + (annotate ? (*annotate)(*plan) : std::string());
  if (is_root) {
    out += line + "\n";
  } else {
    out += prefix + (is_last ? "+- " : ":- ") + line + "\n";
  }
  std::string child_prefix = is_root ? "" : prefix + (is_last ? "   " : ":  ");
  for (size_t i = 0; i < plan->children.size(); ++i) {
    tree_lines(plan->children[i], child_prefix, false, i + 1 == plan->children.size(), out, annotate);
  }
}

}  // namespace

std::string DataSource::describe() const {
  switch (kind) {
    case SourceKind::kCsv: {
      std::string s = "csv [";
      for (size_t i = 0; i < paths.size(); ++i) s += (i ? ", " : "") + paths[i];
      return s + "]";
    }
    case SourceKind::kRange:
      return "Range (" + std::to_string(start) + ", " + std::to_string(end) + ", step=" + std::to_string(step) +
             ", splits=" + std::to_string(num_partitions) + ")";
    case SourceKind::kLocalRows: return "LocalRelation";
    case SourceKind::kCached: return "InMemoryRelation, " + cached->storage_level.to_string();
    case SourceKind::kJson: {
      std::string s = "json [";
      for (size_t i = 0; i < paths.size(); ++i) s += (i ? ", " : "") + paths[i];
      return s + "]";
    }
    case SourceKind::kParquet: {
      std::string s = "parquet [";
      for (size_t i = 0; i < paths.size(); ++i) s += (i ? ", " : "") + paths[i];
      return s + "]";
    }
  }
  return "?";
}

Schema LogicalPlan::schema() const {
  std::vector<Field> fields;
  fields.reserve(output.size());
  for (const auto& a : output) fields.push_back(Field{a->name, a->type, a->nullable});
  return Schema(std::move(fields));
}

PlanPtr make_relation(std::shared_ptr<const DataSource> source) {
  auto p = node(PlanKind::kRelation, {});
  for (const auto& f : source->schema.fields()) {
    p->output.push_back(make_attribute(f.name, f.type, f.nullable, next_attribute_id()));
  }
  p->source = std::move(source);
  p->resolved = true;
  return p;
}

PlanPtr make_project(PlanPtr child, std::vector<ExprPtr> exprs) {
  auto p = node(PlanKind::kProject, {std::move(child)});
  p->exprs = std::move(exprs);
  return p;
}

PlanPtr make_filter(PlanPtr child, ExprPtr condition) {
  auto p = node(PlanKind::kFilter, {std::move(child)});
  p->condition = std::move(condition);
  return p;
}

PlanPtr make_aggregate(PlanPtr child, std::vector<ExprPtr> grouping, std::vector<ExprPtr> exprs) {
  auto p = node(PlanKind::kAggregate, {std::move(child)});
  p->grouping = std::move(grouping);
  p->exprs = std::move(exprs);
  return p;
}

PlanPtr make_sort(PlanPtr child, std::vector<ExprPtr> orders, bool global) {
  auto p = node(PlanKind::kSort, {std::move(child)});
  p->exprs = std::move(orders);
  p->global_sort = global;
  return p;
}

PlanPtr make_limit(PlanPtr child, int64_t n) {
  auto p = node(PlanKind::kLimit, {std::move(child)});
  p->limit = n;
  return p;
}

PlanPtr make_union(std::vector<PlanPtr> children) { return node(PlanKind::kUnion, std::move(children)); }

PlanPtr make_union_by_name(PlanPtr a, PlanPtr b, bool allow_missing_columns) {
  auto p = node(PlanKind::kUnionByName, {std::move(a), std::move(b)});
  p->allow_missing_columns = allow_missing_columns;
  return p;
}

PlanPtr make_repartition(PlanPtr child, int num_partitions, std::vector<ExprPtr> keys, bool shuffle) {
  auto p = node(PlanKind::kRepartition, {std::move(child)});
  p->num_partitions = num_partitions;
  p->exprs = std::move(keys);
  p->shuffle = shuffle;
  return p;
}

PlanPtr make_with_columns(PlanPtr child, std::vector<std::string> names, std::vector<ExprPtr> exprs) {
  auto p = node(PlanKind::kWithColumns, {std::move(child)});
  p->names = std::move(names);
  p->exprs = std::move(exprs);
  return p;
}

PlanPtr make_with_column_renamed(PlanPtr child, std::string from, std::string to) {
  auto p = node(PlanKind::kWithColumnRenamed, {std::move(child)});
  p->names = {std::move(from), std::move(to)};
  return p;
}

PlanPtr make_drop(PlanPtr child, std::vector<std::string> names) {
  auto p = node(PlanKind::kDrop, {std::move(child)});
  p->names = std::move(names);
  return p;
}

PlanPtr make_distinct(PlanPtr child) { return node(PlanKind::kDistinct, {std::move(child)}); }

PlanPtr make_join(PlanPtr left, PlanPtr right, JoinType type, ExprPtr condition) {
  auto p = node(PlanKind::kJoin, {std::move(left), std::move(right)});
  p->join_type = type;
  p->condition = std::move(condition);
  return p;
}

PlanPtr make_join_using(PlanPtr left, PlanPtr right, JoinType type, std::vector<std::string> columns) {
  auto p = node(PlanKind::kJoinUsing, {std::move(left), std::move(right)});
  p->join_type = type;
  p->names = std::move(columns);
  return p;
}

PlanPtr make_sample(PlanPtr child, double fraction, bool with_replacement, int64_t seed) {
  auto p = node(PlanKind::kSample, {std::move(child)});
  p->fraction = fraction;
  p->with_replacement = with_replacement;
  p->seed = seed;
  return p;
}

PlanPtr make_broadcast_hint(PlanPtr child) { return node(PlanKind::kBroadcastHint, {std::move(child)}); }

PlanPtr make_subquery_alias(PlanPtr child, std::string alias) {
  auto p = node(PlanKind::kSubqueryAlias, {std::move(child)});
  p->names = {std::move(alias)};
  return p;
}

std::vector<ExprPtr> join_output(JoinType type, const std::vector<ExprPtr>& left, const std::vector<ExprPtr>& right) {
  auto nullable_copy = [](const std::vector<ExprPtr>& attrs) {
    std::vector<ExprPtr> out;
    for (const auto& a : attrs) {
      if (a->nullable) {
        out.push_back(a);
        continue;
      }
      // Keep the alias qualifier, so t.x still names the padded side's column.
      auto padded = std::make_shared<Expr>(*make_attribute(a->name, a->type, true, a->id));
      padded->qualifier = a->qualifier;
      out.push_back(padded);
    }
    return out;
  };
  if (type == JoinType::kLeftSemi || type == JoinType::kLeftAnti) return left;
  bool left_padded = type == JoinType::kRightOuter || type == JoinType::kFullOuter;
  bool right_padded = type == JoinType::kLeftOuter || type == JoinType::kFullOuter;
  std::vector<ExprPtr> out = left_padded ? nullable_copy(left) : left;
  std::vector<ExprPtr> r = right_padded ? nullable_copy(right) : right;
  out.insert(out.end(), r.begin(), r.end());
  return out;
}

PlanPtr with_children(const LogicalPlan& plan, std::vector<PlanPtr> children) {
  auto p = std::make_shared<LogicalPlan>(plan);
  p->children = std::move(children);
  return p;
}

std::shared_ptr<LogicalPlan> clone(const LogicalPlan& plan) { return std::make_shared<LogicalPlan>(plan); }

void derive_output(LogicalPlan& plan) {
  switch (plan.kind) {
    case PlanKind::kRelation: {
      if (plan.read_columns.empty()) break;
      // Output follows read_columns; attributes keep their ids.
      break;
    }
    case PlanKind::kProject:
    case PlanKind::kAggregate:
      plan.output.clear();
      for (const auto& e : plan.exprs) plan.output.push_back(to_attribute(e));
      break;
    case PlanKind::kUnion: {
      plan.output = plan.children[0]->output;
      // A union column is nullable if any branch's is.
      for (size_t i = 0; i < plan.output.size(); ++i) {
        bool nullable = false;
        for (const auto& c : plan.children) nullable |= c->output[i]->nullable;
        if (nullable != plan.output[i]->nullable) {
          const auto& a = plan.output[i];
          plan.output[i] = make_attribute(a->name, a->type, nullable, a->id);
        }
      }
      break;
    }
    case PlanKind::kGenerate:
      plan.output = plan.children[0]->output;
      plan.output.insert(plan.output.end(), plan.generated.begin(), plan.generated.end());
      break;
    case PlanKind::kWindow:
      plan.output = plan.children[0]->output;
      for (const auto& e : plan.exprs) plan.output.push_back(to_attribute(e));
      break;
    case PlanKind::kJoin:
      plan.output = join_output(plan.join_type, plan.children[0]->output, plan.children[1]->output);
      break;
    default: plan.output = plan.children[0]->output; break;
  }
}

std::string plan_node_string(const LogicalPlan& p) {
  const std::string mark = p.resolved ? "" : "'";
  switch (p.kind) {
    case PlanKind::kRelation: {
      std::string cols;
      for (size_t i = 0; i < p.output.size(); ++i) cols += (i ? "," : "") + p.output[i]->to_string();
      std::string s = "Relation [" + cols + "] " + p.source->describe();
      if (!p.pushed_filters.empty()) {
        s += ", PushedFilters: [" + expr_list(p.pushed_filters) + "]";
      }
      return s;
    }
    case PlanKind::kProject: return mark + "Project [" + expr_list(p.exprs) + "]";
    case PlanKind::kFilter: return mark + "Filter " + p.condition->to_string();
    case PlanKind::kAggregate:
      return mark + "Aggregate [" + expr_list(p.grouping) + "], [" + expr_list(p.exprs) + "]";
    case PlanKind::kSort:
      return mark + "Sort [" + expr_list(p.exprs) + "], " + (p.global_sort ? "true" : "false");
    case PlanKind::kLimit: return mark + "GlobalLimit " + std::to_string(p.limit);
    case PlanKind::kUnion: return mark + "Union";
    case PlanKind::kRepartition:
      if (!p.shuffle) return mark + "Repartition " + std::to_string(p.num_partitions) + ", false";
      if (p.exprs.empty()) return mark + "Repartition " + std::to_string(p.num_partitions) + ", true";
      return mark + "RepartitionByExpression [" + expr_list(p.exprs) + "], " + std::to_string(p.num_partitions);
    case PlanKind::kWithColumns: {
      std::string s = "'WithColumns [";
      for (size_t i = 0; i < p.names.size(); ++i) s += (i ? ", " : "") + p.exprs[i]->to_string() + " AS " + p.names[i];
      return s + "]";
    }
    case PlanKind::kWithColumnRenamed: return "'WithColumnRenamed " + p.names[0] + " -> " + p.names[1];
    case PlanKind::kDrop: {
      std::string s = "'Drop [";
      for (size_t i = 0; i < p.names.size(); ++i) s += (i ? ", " : "") + p.names[i];
      return s + "]";
    }
    case PlanKind::kDistinct: return "'Distinct";
    case PlanKind::kUnionByName:
      return std::string("'Union true, ") + (p.allow_missing_columns ? "true" : "false");
    case PlanKind::kJoin: {
      std::string s = mark + "Join " + std::string(join_type_name(p.join_type));
      if (p.condition) s += ", " + p.condition->to_string();
      if (p.broadcast_left || p.broadcast_right) {
        s += std::string(", ") + (p.broadcast_left ? "leftHint=(strategy=broadcast)" : "") +
             (p.broadcast_left && p.broadcast_right ? ", " : "") +
             (p.broadcast_right ? "rightHint=(strategy=broadcast)" : "");
      }
      return s;
    }
    case PlanKind::kJoinUsing: {
      std::string s = "'Join UsingJoin(" + std::string(join_type_name(p.join_type)) + ", [";
      for (size_t i = 0; i < p.names.size(); ++i) s += (i ? ", " : "") + p.names[i];
      return s + "])";
    }
    case PlanKind::kBroadcastHint: return "ResolvedHint (strategy=broadcast)";
    case PlanKind::kSample: {
      char buf[96];
      std::snprintf(buf, sizeof(buf), "Sample 0.0, %g, %s, %lld", p.fraction, p.with_replacement ? "true" : "false",
                    static_cast<long long>(p.seed));
      return mark + buf;
    }
    case PlanKind::kWindow: return "Window [" + expr_list(p.exprs) + "]";
    case PlanKind::kGenerate:
      return mark + "Generate " + (p.generated.size() == 2 ? "posexplode(" : "explode(") + expr_list(p.exprs) + "), " +
             (p.generator_outer ? "true" : "false") + ", [" + expr_list(p.generated) + "]";
    case PlanKind::kSubqueryAlias: return "SubqueryAlias " + p.names[0];
  }
  return "?";
}

std::string plan_tree_string(const PlanPtr& plan) {
  std::string out;
  tree_lines(plan, "", true, true, out);
  return out;
}

std::string plan_tree_string(const PlanPtr& plan, const PlanAnnotator& annotate) {
  std::string out;
  tree_lines(plan, "", true, true, out, &annotate);
  return out;
}

}  // namespace ember
