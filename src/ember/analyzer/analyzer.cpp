#include "ember/analyzer/analyzer.h"

#include <algorithm>
#include <functional>
#include <unordered_set>

#include "ember/common/error.h"
#include "ember/expr/cast.h"
#include "ember/functions/registry.h"
#include "ember/types/coercion.h"

namespace ember {

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                          std::tolower(static_cast<unsigned char>(b[j - 1]))
                                      ? 0
                                      : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

std::vector<std::string> attribute_names(const std::vector<ExprPtr>& attrs) {
  std::vector<std::string> names;
  for (const auto& a : attrs) names.push_back(a->name);
  return names;
}

bool same_expression(const ExprPtr& a, const ExprPtr& b) { return a->to_string() == b->to_string(); }

[[noreturn]] void type_mismatch(const Expr& e, const std::string& what) {
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH",
              "Cannot resolve \"" + e.pretty_name() + "\" due to data type mismatch: " + what);
}

ExprPtr require_boolean(const ExprPtr& e, const Expr& context) {
  if (e->type.id() == TypeId::kBoolean) return e;
  if (e->type.id() == TypeId::kNull) return make_cast(e, DataType::boolean());
  type_mismatch(context, "\"" + e->pretty_name() + "\" has the type \"" + e->type.simple_string() +
                             "\", but a boolean is required.");
}

}  // namespace

std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       size_t limit) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& c : candidates) scored.emplace_back(edit_distance(name, c), c);
  std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  size_t max_distance = std::max<size_t>(2, name.size() / 2);
  for (const auto& [d, c] : scored) {
    if (out.size() >= limit || d > max_distance) break;
    out.push_back(c);
  }
  return out;
}

ExprPtr cast_if_needed(const ExprPtr& e, const DataType& to) {
  if (e->type == to) return e;
  return make_cast(e, to);
}

PlanPtr Analyzer::analyze(const PlanPtr& plan) const { return resolve_node(plan); }

ExprPtr Analyzer::resolve_column(const Expr& column, const std::vector<ExprPtr>& input) const {
  std::vector<ExprPtr> matches;
  for (const auto& a : input) {
    bool same = options_.case_sensitive ? a->name == column.name : equals_ignore_case(a->name, column.name);
    if (same) matches.push_back(a);
  }
  if (matches.size() == 1) return matches[0];
  if (matches.size() > 1) {
    // The same attribute reached twice (e.g. via a union of a frame with itself) is not ambiguous.
    bool all_same = std::all_of(matches.begin(), matches.end(), [&](const ExprPtr& m) { return m->id == matches[0]->id; });
    if (all_same) return matches[0];
    throw_error(ErrorKind::kAnalysis, "AMBIGUOUS_REFERENCE",
                "Reference '" + column.name + "' is ambiguous: " + std::to_string(matches.size()) +
                    " input columns have that name. Rename one side (with_column_renamed or alias) first.");
  }
  std::vector<std::string> names = attribute_names(input);
  std::vector<std::string> close = closest_names(column.name, names, 3);
  std::string msg = "column '" + column.name + "' does not exist";
  if (!close.empty()) {
    msg += "; did you mean ";
    for (size_t i = 0; i < close.size(); ++i) msg += (i ? (i + 1 == close.size() ? " or " : ", ") : "") + ("'" + close[i] + "'");
    msg += "?";
  }
  msg += " Available: " + quoted_list(names);
  throw_error(ErrorKind::kAnalysis, close.empty() ? "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION" : "UNRESOLVED_COLUMN.WITH_SUGGESTION",
              msg);
}

ExprPtr Analyzer::bind_call(const Expr& call, std::vector<ExprPtr> args) const {
  const FunctionRegistry& registry = FunctionRegistry::instance();
  const FunctionDef* def = registry.find_scalar(call.name);
  if (def == nullptr) {
    if (registry.is_aggregate(call.name)) {
      throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_CALL", "'" + call.name + "' is an aggregate function");
    }
    std::vector<std::string> close = closest_names(call.name, registry.names(), 3);
    throw_error(ErrorKind::kAnalysis, "UNRESOLVED_ROUTINE",
                "Cannot resolve function '" + call.name + "'" +
                    (close.empty() ? "" : "; did you mean " + quoted_list(close) + "?"));
  }
  int n = static_cast<int>(args.size());
  if (n < def->min_args || (def->max_args >= 0 && n > def->max_args)) {
    std::string expected = def->max_args < 0 ? "at least " + std::to_string(def->min_args)
                           : def->min_args == def->max_args ? std::to_string(def->min_args)
                           : std::to_string(def->min_args) + " to " + std::to_string(def->max_args);
    throw_error(ErrorKind::kAnalysis, "WRONG_NUM_ARGS",
                "The function '" + call.name + "' requires " + expected + " arguments, but " + std::to_string(n) +
                    " were given in \"" + call.pretty_name() + "\"");
  }
  std::vector<DataType> types;
  BindContext ctx;
  ctx.ansi = options_.ansi;
  for (const auto& a : args) {
    types.push_back(a->type);
    ctx.literals.push_back(a->kind == ExprKind::kLiteral ? std::optional<Value>(a->literal) : std::nullopt);
  }
  BoundFunction bound;
  try {
    bound = def->bind(types, ctx);
  } catch (const EmberError& e) {
    if (e.kind() != ErrorKind::kAnalysis) throw;
    std::string msg = e.what();
    throw EmberError(e.kind(), e.error_class(),
                     msg + (msg.find(call.pretty_name()) == std::string::npos ? " (in \"" + call.pretty_name() + "\")" : ""));
  }
  bool nullable = bound.nullable;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i < bound.arg_types.size()) args[i] = cast_if_needed(args[i], bound.arg_types[i]);
    nullable |= args[i]->nullable;
  }
  auto out = std::make_shared<Expr>(call);
  out->children = std::move(args);
  out->function = std::make_shared<BoundFunction>(std::move(bound));
  out->type = out->function->result_type;
  out->nullable = nullable;
  return out;
}

ExprPtr Analyzer::bind_aggregate(const Expr& call, std::vector<ExprPtr> args) const {
  const AggregateDef* def = FunctionRegistry::instance().find_aggregate(call.name);
  EMBER_CHECK(def != nullptr, "unknown aggregate " + call.name);
  int n = static_cast<int>(args.size());
  if (n < def->min_args || (def->max_args >= 0 && n > def->max_args)) {
    throw_error(ErrorKind::kAnalysis, "WRONG_NUM_ARGS",
                "The function '" + call.name + "' cannot take " + std::to_string(n) + " arguments");
  }
  for (const auto& a : args) {
    if (contains_aggregate(a)) {
      throw_error(ErrorKind::kAnalysis, "NESTED_AGGREGATE_FUNCTION",
                  "It is not allowed to use an aggregate function in the argument of another aggregate function: \"" +
                      call.pretty_name() + "\"");
    }
  }
  std::vector<DataType> types;
  BindContext ctx;
  ctx.ansi = options_.ansi;
  for (const auto& a : args) {
    types.push_back(a->type);
    ctx.literals.push_back(a->kind == ExprKind::kLiteral ? std::optional<Value>(a->literal) : std::nullopt);
  }
  BoundAggregate bound;
  try {
    bound = def->bind(types, call.distinct, ctx);
  } catch (const EmberError& e) {
    if (e.kind() != ErrorKind::kAnalysis) throw;
    throw EmberError(e.kind(), e.error_class(), std::string(e.what()) + " (in \"" + call.pretty_name() + "\")");
  }
  for (size_t i = 0; i < args.size() && i < bound.arg_types.size(); ++i) {
    args[i] = cast_if_needed(args[i], bound.arg_types[i]);
  }
  auto out = std::make_shared<Expr>(call);
  out->children = std::move(args);
  out->aggregate = std::make_shared<BoundAggregate>(std::move(bound));
  out->type = out->aggregate->result_type;
  out->nullable = out->aggregate->nullable;
  return out;
}

ExprPtr Analyzer::resolve_case(const Expr& e, std::vector<ExprPtr> kids) const {
  const size_t num_when = kids.size() / 2;
  const bool has_else = kids.size() % 2 == 1;
  DataType result = DataType::null();
  auto widen = [&](const ExprPtr& v) {
    auto w = wider_type(result, v->type, options_.ansi);
    if (!w) {
      type_mismatch(e, "the THEN/ELSE values must share a type, but \"" + v->pretty_name() + "\" has the type \"" +
                           v->type.simple_string() + "\" and earlier values have \"" + result.simple_string() + "\"");
    }
    result = *w;
  };
  for (size_t w = 0; w < num_when; ++w) {
    kids[2 * w] = require_boolean(kids[2 * w], e);
    widen(kids[2 * w + 1]);
  }
  if (has_else) widen(kids.back());
  bool nullable = !has_else;
  for (size_t w = 0; w < num_when; ++w) {
    kids[2 * w + 1] = cast_if_needed(kids[2 * w + 1], result);
    nullable |= kids[2 * w + 1]->nullable;
  }
  if (has_else) {
    kids.back() = cast_if_needed(kids.back(), result);
    nullable |= kids.back()->nullable;
  }
  auto out = std::make_shared<Expr>(e);
  out->children = std::move(kids);
  out->type = result;
  out->nullable = nullable;
  return out;
}

ExprPtr Analyzer::resolve_expression(const ExprPtr& expr, const std::vector<ExprPtr>& input,
                                     bool allow_aggregates) const {
  const Expr& e = *expr;
  switch (e.kind) {
    case ExprKind::kColumn: return resolve_column(e, input);
    case ExprKind::kAttribute:
    case ExprKind::kLiteral:
    case ExprKind::kBoundRef: return expr;
    case ExprKind::kStar:
      throw_error(ErrorKind::kAnalysis, "INVALID_USAGE_OF_STAR_OR_REGEX",
                  "'*' can only be used directly in select()");
    default: break;
  }
  std::vector<ExprPtr> kids;
  kids.reserve(e.children.size());
  bool child_allows_aggregates = allow_aggregates && e.kind != ExprKind::kAggregate;
  for (const auto& c : e.children) kids.push_back(resolve_expression(c, input, child_allows_aggregates));
  switch (e.kind) {
    case ExprKind::kAlias: {
      auto out = std::make_shared<Expr>(e);
      out->children = std::move(kids);
      out->type = out->children[0]->type;
      out->nullable = out->children[0]->nullable;
      if (out->id == 0) out->id = next_attribute_id();
      return out;
    }
    case ExprKind::kCall: {
      if (FunctionRegistry::instance().find_scalar(e.name) == nullptr &&
          FunctionRegistry::instance().is_aggregate(e.name)) {
        auto agg = make_aggregate(e.name, {}, false);
        return resolve_expression(with_children(*agg, e.children), input, allow_aggregates);
      }
      return bind_call(e, std::move(kids));
    }
    case ExprKind::kAggregate:
      if (!allow_aggregates) {
        throw_error(ErrorKind::kAnalysis, "INVALID_AGGREGATE_USAGE",
                    "aggregate function \"" + e.pretty_name() +
                        "\" is not allowed here; use it in agg() or select() over a group_by()");
      }
      return bind_aggregate(e, std::move(kids));
    case ExprKind::kCast: {
      const DataType& from = kids[0]->type;
      if (!can_cast(from, e.type)) {
        throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
                    "Cannot resolve \"" + e.pretty_name() + "\" due to data type mismatch: cannot cast \"" +
                        from.simple_string() + "\" to \"" + e.type.simple_string() + "\"");
      }
      auto out = std::make_shared<Expr>(e);
      out->nullable = kids[0]->nullable || e.try_cast || !options_.ansi;
      out->children = std::move(kids);
      return out;
    }
    case ExprKind::kCase: return resolve_case(e, std::move(kids));
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot: {
      for (auto& k : kids) k = require_boolean(k, e);
      auto out = std::make_shared<Expr>(e);
      out->nullable = std::any_of(kids.begin(), kids.end(), [](const ExprPtr& k) { return k->nullable; });
      out->children = std::move(kids);
      out->type = DataType::boolean();
      return out;
    }
    case ExprKind::kSortOrder: {
      auto out = std::make_shared<Expr>(e);
      out->type = kids[0]->type;
      out->nullable = kids[0]->nullable;
      out->children = std::move(kids);
      return out;
    }
    default: return with_children(e, std::move(kids));
  }
}

std::vector<ExprPtr> Analyzer::expand_projection(const std::vector<ExprPtr>& exprs, const std::vector<ExprPtr>& input,
                                                 bool allow_aggregates) const {
  std::vector<ExprPtr> out;
  for (const auto& e : exprs) {
    if (e->kind == ExprKind::kStar) {
      out.insert(out.end(), input.begin(), input.end());
      continue;
    }
    ExprPtr r = resolve_expression(e, input, allow_aggregates);
    if (r->kind != ExprKind::kAttribute && r->kind != ExprKind::kAlias) {
      // Spark names an unaliased expression after its SQL text; a cast of a column keeps the
      // column's name.
      std::string name = r->kind == ExprKind::kCast && r->children[0]->kind == ExprKind::kAttribute
                             ? r->children[0]->name
                             : e->pretty_name();
      r = make_alias(r, name, next_attribute_id());
    }
    out.push_back(r);
  }
  return out;
}

PlanPtr Analyzer::resolve_project(const PlanPtr& child, const std::vector<ExprPtr>& exprs) const {
  std::vector<ExprPtr> list = expand_projection(exprs, child->output, true);
  bool has_aggregate = std::any_of(list.begin(), list.end(), [](const ExprPtr& e) { return contains_aggregate(e); });
  if (has_aggregate) {
    // select(sum(x)) is a global aggregate, as in Spark.
    for (const auto& e : list) {
      if (!contains_aggregate(e)) {
        std::vector<int64_t> ids;
        collect_attribute_ids(e, ids);
        if (!ids.empty()) {
          throw_error(ErrorKind::kAnalysis, "MISSING_GROUP_BY",
                      "\"" + e->pretty_name() +
                          "\" is neither aggregated nor grouped; add a group_by() or wrap it in an aggregate "
                          "such as first() or any_value()");
        }
      }
    }
    auto agg = std::make_shared<LogicalPlan>();
    agg->kind = PlanKind::kAggregate;
    agg->children = {child};
    agg->exprs = std::move(list);
    agg->resolved = true;
    derive_output(*agg);
    return agg;
  }
  auto p = std::make_shared<LogicalPlan>();
  p->kind = PlanKind::kProject;
  p->children = {child};
  p->exprs = std::move(list);
  p->resolved = true;
  derive_output(*p);
  return p;
}

PlanPtr Analyzer::resolve_aggregate(const PlanPtr& child, const std::vector<ExprPtr>& grouping,
                                    const std::vector<ExprPtr>& exprs) const {
  std::vector<ExprPtr> keys;
  for (const auto& g : grouping) {
    ExprPtr r = resolve_expression(g, child->output, false);
    if (r->kind == ExprKind::kAlias) r = r->children[0];
    keys.push_back(r);
  }
  std::vector<ExprPtr> list = expand_projection(exprs, child->output, true);
  // Every column outside an aggregate must be a grouping expression (or inside one).
  for (const auto& e : list) {
    std::function<void(const ExprPtr&)> check = [&](const ExprPtr& x) {
      if (x->kind == ExprKind::kAggregate) return;
      for (const auto& k : keys) {
        if (same_expression(x, k)) return;
      }
      if (x->kind == ExprKind::kAttribute) {
        throw_error(ErrorKind::kAnalysis, "MISSING_AGGREGATION",
                    "The non-aggregating expression \"" + x->name +
                        "\" is based on columns which are not participating in the group_by. Add the column to "
                        "group_by(), aggregate it, or use any_value(" + x->name + ")");
      }
      for (const auto& c : x->children) check(c);
    };
    check(e->kind == ExprKind::kAlias ? e->children[0] : e);
  }
  auto p = std::make_shared<LogicalPlan>();
  p->kind = PlanKind::kAggregate;
  p->children = {child};
  p->grouping = std::move(keys);
  p->exprs = std::move(list);
  p->resolved = true;
  derive_output(*p);
  return p;
}

PlanPtr Analyzer::resolve_union(const std::vector<PlanPtr>& children) const {
  const size_t width = children[0]->output.size();
  for (size_t i = 1; i < children.size(); ++i) {
    if (children[i]->output.size() != width) {
      throw_error(ErrorKind::kAnalysis, "NUM_COLUMNS_MISMATCH",
                  "UNION can only be performed on inputs with the same number of columns, but the first input has " +
                      std::to_string(width) + " columns and input " + std::to_string(i + 1) + " has " +
                      std::to_string(children[i]->output.size()) + " columns");
    }
  }
  std::vector<DataType> types;
  for (size_t c = 0; c < width; ++c) {
    DataType t = children[0]->output[c]->type;
    for (size_t i = 1; i < children.size(); ++i) {
      auto w = wider_type(t, children[i]->output[c]->type, options_.ansi);
      if (!w) {
        throw_error(ErrorKind::kAnalysis, "INCOMPATIBLE_COLUMN_TYPE",
                    "UNION can only be performed on compatible column types: column " + std::to_string(c + 1) + " ('" +
                        children[0]->output[c]->name + "') is \"" + t.simple_string() + "\" in the first input and \"" +
                        children[i]->output[c]->type.simple_string() + "\" in input " + std::to_string(i + 1));
      }
      t = *w;
    }
    types.push_back(t);
  }
  std::vector<PlanPtr> kids;
  for (const auto& child : children) {
    bool needs_cast = false;
    for (size_t c = 0; c < width; ++c) needs_cast |= child->output[c]->type != types[c];
    if (!needs_cast) {
      kids.push_back(child);
      continue;
    }
    std::vector<ExprPtr> list;
    for (size_t c = 0; c < width; ++c) {
      const auto& a = child->output[c];
      list.push_back(a->type == types[c] ? a : make_alias(make_cast(a, types[c]), a->name, next_attribute_id()));
    }
    auto proj = std::make_shared<LogicalPlan>();
    proj->kind = PlanKind::kProject;
    proj->children = {child};
    proj->exprs = std::move(list);
    proj->resolved = true;
    derive_output(*proj);
    kids.push_back(proj);
  }
  auto u = std::make_shared<LogicalPlan>();
  u->kind = PlanKind::kUnion;
  u->children = std::move(kids);
  u->resolved = true;
  derive_output(*u);
  return u;
}

PlanPtr Analyzer::resolve_union_by_name(const PlanPtr& a, const PlanPtr& b, bool allow_missing) const {
  std::vector<ExprPtr> right_list;
  for (const auto& la : a->output) {
    ExprPtr match;
    for (const auto& rb : b->output) {
      if (equals_ignore_case(la->name, rb->name)) match = rb;
    }
    if (!match) {
      if (!allow_missing) {
        throw_error(ErrorKind::kAnalysis, "NUM_COLUMNS_MISMATCH",
                    "union_by_name: column '" + la->name + "' of the first input is missing from the second (" +
                        quoted_list(attribute_names(b->output)) + "); use allow_missing_columns=true to fill it with nulls");
      }
      match = make_alias(make_literal(Value::null(la->type)), la->name, next_attribute_id());
    }
    right_list.push_back(match);
  }
  std::vector<ExprPtr> left_list = a->output;
  for (const auto& rb : b->output) {
    bool present = std::any_of(a->output.begin(), a->output.end(),
                               [&](const ExprPtr& la) { return equals_ignore_case(la->name, rb->name); });
    if (present) continue;
    if (!allow_missing) {
      throw_error(ErrorKind::kAnalysis, "NUM_COLUMNS_MISMATCH",
                  "union_by_name: column '" + rb->name + "' of the second input is missing from the first (" +
                      quoted_list(attribute_names(a->output)) + "); use allow_missing_columns=true to fill it with nulls");
    }
    left_list.push_back(make_alias(make_literal(Value::null(rb->type)), rb->name, next_attribute_id()));
    right_list.push_back(rb);
  }
  PlanPtr left = left_list.size() == a->output.size() ? a : resolve_project(a, left_list);
  PlanPtr right = resolve_project(b, right_list);
  return resolve_union({left, right});
}

PlanPtr Analyzer::resolve_node(const PlanPtr& plan) const {
  if (plan->kind == PlanKind::kRelation) return plan;
  std::vector<PlanPtr> kids;
  for (const auto& c : plan->children) kids.push_back(resolve_node(c));
  const PlanPtr& child = kids.empty() ? plan : kids[0];
  switch (plan->kind) {
    case PlanKind::kProject: return resolve_project(child, plan->exprs);
    case PlanKind::kFilter: {
      ExprPtr cond = resolve_expression(plan->condition, child->output, false);
      if (cond->type.id() != TypeId::kBoolean) {
        throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
                    "Cannot resolve \"" + cond->pretty_name() + "\": a filter condition must be boolean, but it has the type \"" +
                        cond->type.simple_string() + "\"");
      }
      auto p = clone(*plan);
      p->children = {child};
      p->condition = cond;
      p->resolved = true;
      derive_output(*p);
      return p;
    }
    case PlanKind::kAggregate: return resolve_aggregate(child, plan->grouping, plan->exprs);
    case PlanKind::kSort: {
      auto p = clone(*plan);
      p->children = {child};
      p->exprs.clear();
      for (const auto& o : plan->exprs) {
        ExprPtr order = o->kind == ExprKind::kSortOrder ? o : make_sort_order(o, true, true);
        p->exprs.push_back(resolve_expression(order, child->output, false));
      }
      p->resolved = true;
      derive_output(*p);
      return p;
    }
    case PlanKind::kRepartition: {
      auto p = clone(*plan);
      p->children = {child};
      p->exprs.clear();
      for (const auto& k : plan->exprs) p->exprs.push_back(resolve_expression(k, child->output, false));
      p->resolved = true;
      derive_output(*p);
      return p;
    }
    case PlanKind::kLimit: {
      auto p = clone(*plan);
      p->children = {child};
      p->resolved = true;
      derive_output(*p);
      return p;
    }
    case PlanKind::kUnion: return resolve_union(kids);
    case PlanKind::kUnionByName: return resolve_union_by_name(kids[0], kids[1], plan->allow_missing_columns);
    case PlanKind::kDistinct: {
      std::vector<ExprPtr> all = child->output;
      return resolve_aggregate(child, all, all);
    }
    case PlanKind::kWithColumns: {
      // Replace same-named columns in place; append new ones (Spark's withColumns).
      std::vector<ExprPtr> list = child->output;
      for (size_t i = 0; i < plan->names.size(); ++i) {
        ExprPtr value = resolve_expression(plan->exprs[i], child->output, false);
        if (value->kind == ExprKind::kAlias) value = value->children[0];
        ExprPtr aliased = make_alias(value, plan->names[i], next_attribute_id());
        bool replaced = false;
        for (auto& existing : list) {
          if (equals_ignore_case(existing->name, plan->names[i])) {
            existing = aliased;
            replaced = true;
          }
        }
        if (!replaced) list.push_back(aliased);
      }
      return resolve_project(child, list);
    }
    case PlanKind::kWithColumnRenamed: {
      std::vector<ExprPtr> list;
      for (const auto& a : child->output) {
        list.push_back(equals_ignore_case(a->name, plan->names[0]) ? make_alias(a, plan->names[1], next_attribute_id()) : a);
      }
      return resolve_project(child, list);
    }
    case PlanKind::kDrop: {
      std::vector<ExprPtr> list;
      for (const auto& a : child->output) {
        bool dropped = std::any_of(plan->names.begin(), plan->names.end(),
                                   [&](const std::string& n) { return equals_ignore_case(a->name, n); });
        if (!dropped) list.push_back(a);
      }
      return resolve_project(child, list);
    }
    case PlanKind::kRelation: return plan;
  }
  throw_internal(__FILE__, __LINE__, "unknown plan node");
}

}  // namespace ember
