// Plans one SELECT block over its FROM plan, the way Spark's analyzer rewrites a parsed SELECT:
// aggregates and grouping keys are computed by an Aggregate node and everything above it (the
// select list, HAVING, QUALIFY, ORDER BY, window functions) reads their results by name; window
// functions are left to the analyzer's window extraction; ORDER BY and QUALIFY may read columns
// the select list drops (they are carried as hidden columns and projected away at the end).
#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

#include "ember/common/error.h"
#include "ember/sql/parser.h"

namespace ember::sql {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool same_name(const std::string& a, const std::string& b) { return equals_ignore_case(a, b); }

// Structural equality of unresolved expressions; column names and function names compare
// case-insensitively and a missing qualifier matches any (GROUP BY k matches SELECT t.k).
bool same_unresolved(const ExprPtr& a, const ExprPtr& b) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case ExprKind::kColumn:
      return same_name(a->name, b->name) &&
             (a->qualifier.empty() || b->qualifier.empty() || same_name(a->qualifier, b->qualifier));
    case ExprKind::kAttribute: return a->id == b->id;
    case ExprKind::kLiteral: return a->literal == b->literal && a->literal.type() == b->literal.type();
    case ExprKind::kCast:
      if (a->type != b->type || a->try_cast != b->try_cast) return false;
      break;
    case ExprKind::kSortOrder:
      if (a->ascending != b->ascending || a->nulls_first != b->nulls_first) return false;
      break;
    case ExprKind::kAggregate:
      if (a->distinct != b->distinct || a->has_filter != b->has_filter) return false;
      [[fallthrough]];
    case ExprKind::kCall:
    case ExprKind::kAlias:
      if (!same_name(a->name, b->name) || a->ignore_nulls != b->ignore_nulls) return false;
      break;
    case ExprKind::kWindow:
      if (a->window_partitions != b->window_partitions || a->frame_type != b->frame_type ||
          a->frame_lower != b->frame_lower || a->frame_upper != b->frame_upper) {
        return false;
      }
      break;
    default: break;
  }
  if (a->children.size() != b->children.size()) return false;
  for (size_t i = 0; i < a->children.size(); ++i) {
    if (!same_unresolved(a->children[i], b->children[i])) return false;
  }
  return true;
}

ExprPtr strip_alias(const ExprPtr& e) { return e->kind == ExprKind::kAlias ? e->children[0] : e; }

bool has_marker(const ExprPtr& e);
ExprPtr with_subquery_names(const ExprPtr& e, const Subqueries& subs);

// The column name Spark gives a select item.
std::string item_name(const ExprPtr& item, const Subqueries* subs = nullptr) {
  if (item->kind == ExprKind::kAlias) return item->name;
  if (subs && has_marker(item)) return with_subquery_names(item, *subs)->pretty_name();
  if (item->kind == ExprKind::kColumn) return item->name;
  if (item->kind == ExprKind::kCast && item->children[0]->kind == ExprKind::kColumn)
    return item->children[0]->name;
  return item->pretty_name();
}

// Whether `value` (a scalar subquery's select item over aggregates) is NULL when the subquery has
// no rows, judged from its shape as Spark's evalAggregateOnZeroTups does by evaluating it: an
// aggregate that is NULL over no rows (everything but the counts and collections), or a
// null-intolerant operator (is_null_intolerant_call: arithmetic, comparisons, casts) over one.
// Then a group missing from the decorrelating join needs no separate "empty" value: its NULL is
// already right.
bool null_on_empty_input(const ExprPtr& value) {
  if (value->kind != ExprKind::kAggregate) {
    return is_null_intolerant_call(*value) &&
           std::any_of(value->children.begin(), value->children.end(), null_on_empty_input);
  }
  // clang-format off
  static const std::set<std::string> kNullOnEmpty = {
      "sum", "avg", "mean", "min", "max", "first", "last", "any_value", "first_value", "last_value",
      "stddev", "stddev_samp", "stddev_pop", "std", "variance", "var_samp", "var_pop",
      "percentile_approx", "approx_percentile", "median", "bool_and", "bool_or", "every", "some",
      "max_by", "min_by"};
  // clang-format on
  return kNullOnEmpty.count(to_lower(value->name)) > 0;
}

// Aggregates computed by the Aggregate node: every aggregate call except a window's own
// function (sum(sum(x)) OVER (...) aggregates sum(x) per group, then sums over the window).
void collect_aggregates(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kAggregate) {
    if (std::none_of(out.begin(), out.end(), [&](const ExprPtr& x) { return same_unresolved(x, e); }))
      out.push_back(e);
    return;
  }
  if (e->kind == ExprKind::kWindow) {
    for (const auto& arg : e->children[0]->children) collect_aggregates(arg, out);
    for (size_t i = 1; i < e->children.size(); ++i) collect_aggregates(e->children[i], out);
    return;
  }
  for (const auto& c : e->children) collect_aggregates(c, out);
}

// Replaces OVER w by the definition of w from the WINDOW clause (a reference may add its own
// ORDER BY or frame, as OVER (w ORDER BY x)).
ExprPtr resolve_named_windows(const ExprPtr& e, const std::map<std::string, ExprPtr>& windows) {
  return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kWindow || x->name.empty()) return x;
    auto it = windows.find(lower(x->name));
    if (it == windows.end()) {
      throw_error(ErrorKind::kAnalysis, "MISSING_WINDOW_SPECIFICATION",
                  "Window specification " + x->name + " is not defined in the WINDOW clause");
    }
    const Expr& def = *it->second;
    auto out = std::make_shared<Expr>(*x);
    out->name.clear();
    out->children = {x->children[0]};
    const size_t own_orders = x->children.size() - 1 - static_cast<size_t>(x->window_partitions);
    for (int i = 0; i < def.window_partitions; ++i)
      out->children.push_back(def.children[1 + static_cast<size_t>(i)]);
    out->window_partitions = def.window_partitions;
    if (own_orders > 0) {
      for (size_t i = 1 + static_cast<size_t>(x->window_partitions); i < x->children.size(); ++i)
        out->children.push_back(x->children[i]);
    } else {
      for (size_t i = 1 + static_cast<size_t>(def.window_partitions); i < def.children.size(); ++i)
        out->children.push_back(def.children[i]);
    }
    if (x->frame_type == FrameType::kDefault) {
      out->frame_type = def.frame_type;
      out->frame_lower = def.frame_lower;
      out->frame_upper = def.frame_upper;
    }
    return out;
  });
}

[[noreturn]] void missing_aggregation(const Expr& column) {
  throw_error(
      ErrorKind::kAnalysis, "MISSING_AGGREGATION",
      "The non-aggregating expression \"" + column.pretty_name() +
          "\" is based on columns which are not participating in the GROUP BY clause. Add the columns or the "
          "expression to the GROUP BY, aggregate the expression, or use \"any_value(" +
          column.pretty_name() + ")\" if you do not care which of the values within a group is returned.");
}

bool is_marker(const ExprPtr& e) { return e->kind == ExprKind::kCall && e->name == kSubqueryMarker; }

bool has_marker(const ExprPtr& e) {
  bool found = false;
  visit(e, [&](const ExprPtr& x) { found |= is_marker(x); });
  return found;
}

// `e` with each subquery marker replaced by the name Spark's column names give it
// (scalarsubquery(), exists(listquery()), (x IN (listquery()))).
size_t marker_index(const ExprPtr& marker);
std::vector<ExprPtr> in_values(const ExprPtr& marker);

ExprPtr with_subquery_names(const ExprPtr& e, const Subqueries& subs) {
  return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    if (!is_marker(x)) return x;
    const Subquery::Kind kind = subs[marker_index(x)].kind;
    if (kind == Subquery::Kind::kScalar) return make_column("scalarsubquery()");
    if (kind == Subquery::Kind::kExists) return make_column("exists(listquery())");
    const std::vector<ExprPtr> values = in_values(x);
    std::string tested;
    for (size_t i = 0; i < values.size(); ++i) tested += (i ? ", " : "") + values[i]->pretty_name();
    if (values.size() > 1) tested = "(" + tested + ")";
    return make_column("(" + tested + " IN (listquery()))");
  });
}

size_t marker_index(const ExprPtr& marker) {
  return static_cast<size_t>(marker->children.back()->literal.as_int64());
}

void reject_markers(const ExprPtr& e) {
  if (e && has_marker(e)) {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                "subqueries are supported in WHERE, HAVING and the select list (inside any expression); "
                "this one is in ORDER BY, QUALIFY or a GROUP BY key");
  }
}

// Does every column `e` reads come from `inner` (the subquery's own FROM)?
bool reads_only(const ExprPtr& e, const std::vector<ExprPtr>& inner) {
  bool ok = true;
  visit(e, [&](const ExprPtr& x) {
    if (x->kind != ExprKind::kColumn) return;
    ok &= std::any_of(inner.begin(), inner.end(), [&](const ExprPtr& a) {
      return same_name(a->name, x->name) && (x->qualifier.empty() || same_name(a->qualifier, x->qualifier));
    });
  });
  return ok;
}

// The subquery's WHERE split into conditions on its own columns and correlated ones (reading the
// enclosing query's columns), which become the join condition.
void split_correlated(const SelectParts& sub, std::vector<ExprPtr>& local, std::vector<ExprPtr>& correlated) {
  if (!sub.where) return;
  std::vector<ExprPtr> all;
  split_conjuncts(sub.where, all);
  for (const auto& c : all) (reads_only(c, sub.from->output) ? local : correlated).push_back(c);
}

bool is_aggregating(const SelectParts& p) {
  std::vector<ExprPtr> aggs;
  for (const auto& e : p.items) collect_aggregates(e, aggs);
  return p.grouped || p.having || !aggs.empty();
}

PlanPtr single_column(const PlanPtr& plan, const std::string& name, const Catalog& catalog) {
  if (plan->output.size() != 1) {
    throw_error(ErrorKind::kAnalysis,
                "INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN",
                "The subquery must return one column, but it returns " + std::to_string(plan->output.size()));
  }
  return catalog.analyze(make_project(plan, {make_alias(plan->output[0], name)}));
}

// The values an IN subquery tests: `x` of `x IN (...)`, or a, b of `(a, b) IN (SELECT x, y ...)`
// (the parser reads `(a, b)` as Spark does, as struct(a, b)).
std::vector<ExprPtr> in_values(const ExprPtr& marker) {
  std::vector<ExprPtr> values(marker->children.begin(), marker->children.end() - 1);
  if (values.size() == 1 && values[0]->kind == ExprKind::kCall && values[0]->name == "struct" &&
      values[0]->children.size() > 1) {
    return values[0]->children;
  }
  return values;
}

[[noreturn]] void in_length_mismatch(const std::vector<ExprPtr>& values,
                                     const std::vector<std::string>& columns) {
  std::string left, right;
  for (const auto& v : values) left += (left.empty() ? "" : ", ") + v->pretty_name();
  for (const auto& c : columns) right += (right.empty() ? "" : ", ") + c;
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH",
              "The number of columns in the left hand side of an IN subquery does not match the number of "
              "columns in the output of subquery. Left hand side columns(length: " +
                  std::to_string(values.size()) + "): [" + left + "], right hand side columns(length: " +
                  std::to_string(columns.size()) + "): [" + right + "].");
}

// The right side of an IN / EXISTS subquery: its rows (for IN, with the selected values named
// `value_names`) and the correlated conjuncts of its WHERE, which read the enclosing query.
struct PredicateSide {
  PlanPtr plan;
  std::vector<std::string> value_names;
  std::vector<ExprPtr> correlated;
};

PredicateSide predicate_side(const Subquery& sq, size_t idx, const std::vector<ExprPtr>& values,
                             const Catalog& catalog) {
  const bool in = sq.kind == Subquery::Kind::kIn;
  const size_t num_values = values.size();
  PredicateSide side;
  if (in) {
    for (size_t i = 0; i < num_values; ++i) {
      side.value_names.push_back("__sql_in_value_" + std::to_string(idx) +
                                 (i ? "_" + std::to_string(i) : ""));
    }
  }
  std::vector<ExprPtr> local;
  if (sq.parts) split_correlated(*sq.parts, local, side.correlated);
  if (!sq.parts || side.correlated.empty()) {
    side.plan = sq.parts ? plan_select(*sq.parts, catalog) : sq.plan;
    if (in) {
      std::vector<std::string> names;
      for (const auto& a : side.plan->output) names.push_back(a->name);
      if (side.plan->output.size() != num_values) in_length_mismatch(values, names);
      std::vector<ExprPtr> list;
      for (size_t i = 0; i < num_values; ++i)
        list.push_back(make_alias(side.plan->output[i], side.value_names[i]));
      side.plan = catalog.analyze(make_project(side.plan, list));
    }
    return side;
  }
  if (is_aggregating(*sq.parts)) {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                "a correlated IN / EXISTS subquery with GROUP BY or aggregates is not supported yet");
  }
  SelectParts p = *sq.parts;
  p.where = local.empty() ? nullptr : join_conjuncts(local);
  p.order_by.clear();
  p.distinct = false;
  if (in && p.items.size() != num_values) {
    std::vector<std::string> names;
    for (const auto& item : p.items) names.push_back(item_name(item));
    in_length_mismatch(values, names);
  }
  std::vector<ExprPtr> items{make_star()};
  for (size_t i = 0; in && i < num_values; ++i)
    items.push_back(make_alias(strip_alias(p.items[i]), side.value_names[i]));
  p.items = items;
  side.plan = plan_select(p, catalog);
  return side;
}

// `x = y` per tested value, ANDed; null-aware (`x = y OR isnull(x = y)` per value) for NOT IN,
// which excludes a row when the comparison is true or unknown.
ExprPtr in_condition(const std::vector<ExprPtr>& values, const std::vector<std::string>& names,
                     bool null_aware) {
  ExprPtr condition;
  for (size_t i = 0; i < values.size(); ++i) {
    ExprPtr eq = make_call("=", {values[i], make_column(names[i])});
    if (null_aware) eq = make_or(eq, make_call("isnull", {eq}));
    condition = condition ? make_and(condition, eq) : eq;
  }
  return condition;
}

// [NOT] EXISTS (...) / x [NOT] IN (...) as a left semi (anti) join of `outer` with the subquery.
PlanPtr join_predicate_subquery(const PlanPtr& outer, const ExprPtr& marker, bool negated,
                                const Subqueries& subs, const Catalog& catalog) {
  const size_t idx = marker_index(marker);
  const Subquery& sq = subs[idx];
  const bool in = sq.kind == Subquery::Kind::kIn;
  const std::vector<ExprPtr> values = in ? in_values(marker) : std::vector<ExprPtr>{};
  const PredicateSide side = predicate_side(sq, idx, values, catalog);
  ExprPtr condition = side.correlated.empty() ? nullptr : join_conjuncts(side.correlated);
  PlanPtr left = outer;
  if (in) {
    // The tested values are computed on the outer side first: a name in them may also be a
    // column of the subquery, which the join condition would find twice. The caller projects
    // the outer columns back.
    std::vector<ExprPtr> list{make_star()}, tested;
    for (size_t i = 0; i < values.size(); ++i) {
      const std::string n = "__sql_in_tested_" + std::to_string(idx) + "_" + std::to_string(i);
      list.push_back(make_alias(values[i], n));
      tested.push_back(make_column(n));
    }
    left = catalog.analyze(make_project(outer, list));
    // NOT IN is false when the value, or any subquery value, is NULL (unless the subquery is
    // empty): Spark's null-aware anti join.
    ExprPtr eq = in_condition(tested, side.value_names, negated);
    condition = condition ? make_and(eq, condition) : eq;
  }
  return catalog.analyze(
      make_join(left, side.plan, negated ? JoinType::kLeftAnti : JoinType::kLeftSemi, condition));
}

// Does `e` read no column of `inner` (only the enclosing query's)?
bool reads_none(const ExprPtr& e, const std::vector<ExprPtr>& inner) {
  bool none = true;
  visit(e, [&](const ExprPtr& x) {
    if (x->kind == ExprKind::kColumn && reads_only(x, inner)) none = false;
  });
  return none;
}

// The enclosing query's columns a correlated conjunct reads, added to `out` once each.
void collect_outer_columns(const ExprPtr& e, const std::vector<ExprPtr>& inner, std::vector<ExprPtr>& out) {
  visit(e, [&](const ExprPtr& x) {
    if (x->kind != ExprKind::kColumn || reads_only(x, inner)) return;
    if (std::none_of(out.begin(), out.end(), [&](const ExprPtr& o) { return same_unresolved(o, x); }))
      out.push_back(x);
  });
}

// Spark's domain join: the distinct values of the outer expressions a subquery depends on. The
// subquery is joined with them and aggregated per value, then joined back onto the enclosing rows
// (`<=>`, so NULL values find theirs): one evaluation per distinct value, never one per row, for
// correlations an equi-join cannot express (`m.salary > e.salary`).
struct Domain {
  PlanPtr plan;
  std::vector<ExprPtr> outer;      // the outer expressions, over the enclosing plan
  std::vector<std::string> names;  // their columns in `plan`
};

Domain make_domain(const PlanPtr& plan, const std::vector<ExprPtr>& outer, const std::string& prefix,
                   const Catalog& catalog) {
  Domain d;
  d.outer = outer;
  std::vector<ExprPtr> items;
  for (size_t i = 0; i < outer.size(); ++i) {
    d.names.push_back(prefix + "_d" + std::to_string(i));
    items.push_back(make_alias(outer[i], d.names.back()));
  }
  d.plan = catalog.analyze(make_distinct(catalog.analyze(make_project(plan, items))));
  return d;
}

// A correlated conjunct over the domain: each outer column replaced by its domain column.
ExprPtr over_domain(const ExprPtr& e, const std::vector<ExprPtr>& inner, const Domain& d) {
  return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    if (x->kind != ExprKind::kColumn || reads_only(x, inner)) return x;
    for (size_t i = 0; i < d.outer.size(); ++i) {
      if (same_unresolved(d.outer[i], x)) return make_column(d.names[i]);
    }
    return x;
  });
}

ExprPtr domain_match(const Domain& d) {
  ExprPtr condition;
  for (size_t i = 0; i < d.outer.size(); ++i) {
    ExprPtr eq = make_call("<=>", {d.outer[i], make_column(d.names[i])});
    condition = condition ? make_and(condition, eq) : eq;
  }
  return condition;
}

// [NOT] EXISTS / x [NOT] IN inside an expression (under OR, in the select list, in CASE, in
// HAVING): Spark's existence join. The subquery's answer per row becomes a boolean column of a
// left outer join onto `plan`, with SQL's three-valued IN: true when a subquery row equals the
// values, NULL when none does but a comparison is unknown (a NULL on either side), false otherwise
// (an empty subquery included); NOT applies to that value as written.
ExprPtr attach_existence_subquery(PlanPtr& plan, const ExprPtr& marker, const Subqueries& subs,
                                  const Catalog& catalog) {
  const size_t idx = marker_index(marker);
  const Subquery& sq = subs[idx];
  const bool in = sq.kind == Subquery::Kind::kIn;
  const std::string name = "__sql_exists_" + std::to_string(idx);
  const std::vector<ExprPtr> values = in ? in_values(marker) : std::vector<ExprPtr>{};
  const PredicateSide side = predicate_side(sq, idx, values, catalog);
  if (!in && side.correlated.empty()) {
    // An uncorrelated EXISTS has one answer for every row.
    ExprPtr any = make_call(
        ">", {make_aggregate("count", {make_literal(Value::int32(1))}), make_literal(Value::int64(0))});
    PlanPtr answer = catalog.analyze(make_aggregate(side.plan, {}, {make_alias(any, name)}));
    plan = catalog.analyze(make_join(plan, answer, JoinType::kLeftOuter, nullptr));
    return make_column(name);
  }
  static const std::vector<ExprPtr> kNone;
  const std::vector<ExprPtr>& inner = sq.parts ? sq.parts->from->output : kNone;
  std::vector<ExprPtr> outer = values;
  for (const auto& c : side.correlated) collect_outer_columns(c, inner, outer);
  const Domain d = make_domain(plan, outer, name, catalog);
  std::vector<ExprPtr> domain_values;
  for (size_t i = 0; i < values.size(); ++i) domain_values.push_back(make_column(d.names[i]));
  ExprPtr condition = in ? in_condition(domain_values, side.value_names, true) : nullptr;
  for (const auto& c : side.correlated) {
    ExprPtr over = over_domain(c, inner, d);
    condition = condition ? make_and(condition, over) : over;
  }
  PlanPtr joined = catalog.analyze(make_join(d.plan, side.plan, JoinType::kInner, condition));
  // Per domain value: 2 when some subquery row equals it, 1 when the only rows left compare as
  // unknown (the join keeps rows whose comparison is true or NULL).
  ExprPtr score = in ? make_case({in_condition(domain_values, side.value_names, false),
                                  make_literal(Value::int32(2)), make_literal(Value::int32(1))})
                     : make_literal(Value::int32(2));
  std::vector<ExprPtr> list;
  for (const auto& n : d.names) list.push_back(make_column(n));
  std::vector<ExprPtr> group = list;
  list.push_back(make_alias(make_aggregate("max", {score}), name));
  PlanPtr found = catalog.analyze(make_aggregate(joined, group, list));
  plan = catalog.analyze(make_join(plan, found, JoinType::kLeftOuter, domain_match(d)));
  ExprPtr s = make_column(name);
  if (!in) return make_call("isnotnull", {s});
  return make_case({make_call("=", {s, make_literal(Value::int32(2))}), make_literal(Value::boolean(true)),
                    make_call("=", {s, make_literal(Value::int32(1))}),
                    make_literal(Value::null(DataType::boolean())), make_literal(Value::boolean(false))});
}

// A scalar subquery as a column of a left outer join onto `plan`: an uncorrelated one joins its
// single row; a correlated one is aggregated by its correlation keys (inner = outer equalities)
// and joined on them, or, correlated otherwise, aggregated per value of a domain join. No subquery
// runs per row.
ExprPtr attach_scalar_subquery(PlanPtr& plan, const ExprPtr& marker, const Subqueries& subs,
                               const Catalog& catalog) {
  const size_t idx = marker_index(marker);
  const Subquery& sq = subs[idx];
  const std::string name = "__sql_scalar_" + std::to_string(idx);
  std::vector<ExprPtr> local, correlated;
  if (sq.parts) split_correlated(*sq.parts, local, correlated);
  if (!sq.parts || correlated.empty()) {
    PlanPtr right = single_column(sq.parts ? plan_select(*sq.parts, catalog) : sq.plan, name, catalog);
    // One row whatever the subquery returns: its value, NULL for no rows, and the error Spark
    // raises for more than one (never a silent duplication of the outer rows).
    ExprPtr too_many = make_call(
        ">", {make_aggregate("count", {make_literal(Value::int32(1))}), make_literal(Value::int64(1))});
    ExprPtr fail = make_call(
        "raise_error",
        {make_literal(Value::string("[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a "
                                    "subquery used as an expression."))});
    ExprPtr value = make_case({too_many, fail, make_aggregate("first", {make_column(name)})});
    right = catalog.analyze(make_aggregate(right, {}, {make_alias(value, name)}));
    plan = catalog.analyze(make_join(plan, right, JoinType::kLeftOuter, nullptr));
    return make_column(name);
  }
  SelectParts p = *sq.parts;
  const std::vector<ExprPtr>& inner = p.from->output;
  if (p.items.size() != 1) {
    throw_error(ErrorKind::kAnalysis,
                "INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN",
                "The subquery must return one column, but it returns " + std::to_string(p.items.size()));
  }
  const ExprPtr value = strip_alias(p.items[0]);
  std::vector<ExprPtr> value_aggregates;
  collect_aggregates(value, value_aggregates);
  if (value_aggregates.empty() && !p.grouped) {
    throw_error(ErrorKind::kAnalysis,
                "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.MUST_AGGREGATE_CORRELATED_SCALAR_SUBQUERY",
                "Correlated scalar subqueries must be aggregated to return at most one row: \"" +
                    value->pretty_name() + "\"");
  }
  // Inner = outer equalities make the subquery a grouping by its inner sides; any other
  // correlation needs the domain join.
  std::vector<std::pair<ExprPtr, ExprPtr>> keys;  // (inner side, outer side)
  bool equalities = true;
  for (const auto& c : correlated) {
    const bool eq = c->kind == ExprKind::kCall && c->name == "=" && c->children.size() == 2;
    if (eq && reads_only(c->children[0], inner) && reads_none(c->children[1], inner)) {
      keys.emplace_back(c->children[0], c->children[1]);
    } else if (eq && reads_only(c->children[1], inner) && reads_none(c->children[0], inner)) {
      keys.emplace_back(c->children[1], c->children[0]);
    } else {
      equalities = false;
    }
  }
  // GROUP BY may only name correlated columns (one group per outer row), as Spark requires.
  for (const auto& g : p.group_by) {
    if (std::none_of(keys.begin(), keys.end(), [&](const auto& k) { return same_unresolved(k.first, g); })) {
      throw_error(
          ErrorKind::kAnalysis, "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.NON_CORRELATED_COLUMNS_IN_GROUP_BY",
          "A GROUP BY clause in a scalar correlated subquery cannot contain non-correlated columns: " +
              g->pretty_name() + ".");
    }
  }
  p.where = local.empty() ? nullptr : join_conjuncts(local);
  p.grouped = true;
  p.group_by.clear();
  p.grouping_sets.clear();
  p.order_by.clear();
  std::vector<ExprPtr> items;
  ExprPtr condition;
  if (equalities) {
    for (size_t j = 0; j < keys.size(); ++j) {
      const std::string key = name + "_key" + std::to_string(j);
      p.group_by.push_back(keys[j].first);
      items.push_back(make_alias(keys[j].first, key));
      ExprPtr eq = make_call("=", {keys[j].second, make_column(key)});
      condition = condition ? make_and(condition, eq) : eq;
    }
  } else {
    std::vector<ExprPtr> outer;
    for (const auto& c : correlated) collect_outer_columns(c, inner, outer);
    const Domain d = make_domain(plan, outer, name, catalog);
    ExprPtr on;
    for (const auto& c : correlated) {
      ExprPtr over = over_domain(c, inner, d);
      on = on ? make_and(on, over) : over;
    }
    p.from = catalog.analyze(make_join(d.plan, p.from, JoinType::kInner, on));
    for (const auto& n : d.names) {
      p.group_by.push_back(make_column(n));
      items.push_back(make_column(n));
    }
    condition = domain_match(d);
  }
  items.push_back(make_alias(value, name));
  // A group missing from the join gives NULL, but the value over no rows may not be NULL
  // (count(*) is 0: the "count bug"). A bare count is coalesced to 0; any other expression over
  // aggregates is evaluated once over no rows and used where the join found no group.
  const bool bare = value->kind == ExprKind::kAggregate;
  const bool counts = bare && (value->name == "count" || value->name == "count_if");
  const bool needs_empty_value = !bare && !value_aggregates.empty() && !null_on_empty_input(value);
  const std::string matched = name + "_matched";
  if (needs_empty_value) items.push_back(make_alias(make_literal(Value::boolean(true)), matched));
  p.items = items;
  plan = catalog.analyze(make_join(plan, plan_select(p, catalog), JoinType::kLeftOuter, condition));
  if (counts) return make_call("coalesce", {make_column(name), make_literal(Value::int64(0))});
  if (!needs_empty_value) return make_column(name);
  SelectParts empty = *sq.parts;
  empty.where = make_literal(Value::boolean(false));
  empty.grouped = false;
  empty.group_by.clear();
  empty.grouping_sets.clear();
  empty.having = nullptr;
  empty.order_by.clear();
  empty.items = {make_alias(value, name + "_empty")};
  plan = catalog.analyze(make_join(plan, plan_select(empty, catalog), JoinType::kLeftOuter, nullptr));
  return make_case(
      {make_call("isnull", {make_column(matched)}), make_column(name + "_empty"), make_column(name)});
}

// Replaces each subquery of `e` with a column of a join onto `plan` (see the attach functions).
ExprPtr attach_subqueries(PlanPtr& plan, const ExprPtr& e, const Subqueries& subs, const Catalog& catalog) {
  if (!e || !has_marker(e)) return e;
  return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
    if (!is_marker(x)) return x;
    if (subs[marker_index(x)].kind == Subquery::Kind::kScalar)
      return attach_scalar_subquery(plan, x, subs, catalog);
    return attach_existence_subquery(plan, x, subs, catalog);
  });
}

}  // namespace

PlanPtr plan_select(const SelectParts& input, const Catalog& catalog) {
  SelectParts parts = input;
  // Named windows may refer to earlier ones (WINDOW w1 AS (...), w2 AS (w1 ORDER BY x)).
  {
    std::map<std::string, ExprPtr> windows;
    for (const auto& [name, def] : parts.windows) windows[name] = resolve_named_windows(def, parts.windows);
    for (auto& e : parts.items) e = resolve_named_windows(e, windows);
    if (parts.qualify) parts.qualify = resolve_named_windows(parts.qualify, windows);
    for (auto& e : parts.order_by) e = resolve_named_windows(e, windows);
  }
  PlanPtr plan = parts.from;
  static const Subqueries kNoSubqueries;
  const Subqueries& subs = parts.subqueries ? *parts.subqueries : kNoSubqueries;
  if (parts.where && has_marker(parts.where)) {
    // Subqueries in WHERE become joins; the columns they add are projected away after the filter.
    std::vector<ExprPtr> conjuncts, rest;
    split_conjuncts(parts.where, conjuncts);
    for (const auto& c : conjuncts) {
      const bool negated = c->kind == ExprKind::kNot;
      const ExprPtr& inner = negated ? c->children[0] : c;
      if (is_marker(inner) && subs[marker_index(inner)].kind != Subquery::Kind::kScalar) {
        plan = join_predicate_subquery(plan, inner, negated, subs, catalog);
      } else {
        rest.push_back(c);
      }
    }
    ExprPtr where = rest.empty() ? nullptr : attach_subqueries(plan, join_conjuncts(rest), subs, catalog);
    reject_markers(where);
    if (where) plan = catalog.analyze(make_filter(plan, where));
    plan = catalog.analyze(make_project(plan, parts.from->output));
  } else if (parts.where) {
    plan = catalog.analyze(make_filter(plan, parts.where));
  }

  std::vector<ExprPtr> aggregates;
  for (const auto& e : parts.items) collect_aggregates(e, aggregates);
  if (parts.having) collect_aggregates(parts.having, aggregates);
  if (parts.qualify) collect_aggregates(parts.qualify, aggregates);
  for (const auto& e : parts.order_by) collect_aggregates(e, aggregates);
  const bool aggregated = parts.grouped || parts.having || !aggregates.empty();

  std::vector<ExprPtr> items = parts.items;
  if (!aggregated &&
      std::any_of(items.begin(), items.end(), [](const ExprPtr& e) { return has_marker(e); })) {
    // `*` means the FROM columns, not the ones the subquery joins add.
    std::vector<ExprPtr> expanded;
    for (const auto& item : items) {
      if (item->kind == ExprKind::kStar && item->qualifier.empty()) {
        expanded.insert(expanded.end(), plan->output.begin(), plan->output.end());
      } else {
        expanded.push_back(item);
      }
    }
    items = std::move(expanded);
    for (auto& item : items) {
      if (item->kind != ExprKind::kAlias && has_marker(item)) item = make_alias(item, item_name(item, &subs));
      item = attach_subqueries(plan, item, subs, catalog);
    }
  }
  ExprPtr qualify = parts.qualify;
  std::vector<ExprPtr> order_by = parts.order_by;
  if (aggregated) {
    // GROUP BY 1 names the first select item; GROUP BY x may name a select alias that is not an
    // input column.
    std::vector<ExprPtr> keys;
    std::vector<ExprPtr> group_by = parts.group_by;
    if (parts.group_by_all) {
      for (const auto& item : items) {
        std::vector<ExprPtr> inner;
        collect_aggregates(item, inner);
        if (item->kind == ExprKind::kStar) {
          throw_error(ErrorKind::kAnalysis, "UNRESOLVED_ALL_IN_GROUP_BY",
                      "GROUP BY ALL cannot group by '*'; list the select items");
        }
        if (inner.empty() && !contains_window(item)) group_by.push_back(strip_alias(item));
      }
    }
    for (const auto& g : group_by) {
      ExprPtr key = g;
      if (g->kind == ExprKind::kLiteral && g->literal.type().is_integral() && !g->literal.is_null()) {
        int64_t ordinal = g->literal.as_int64();
        if (ordinal < 1 || ordinal > static_cast<int64_t>(items.size())) {
          throw_error(ErrorKind::kAnalysis, "GROUP_BY_POS_OUT_OF_RANGE",
                      "GROUP BY position " + std::to_string(ordinal) +
                          " is not in select list (valid range is [1, " + std::to_string(items.size()) +
                          "])");
        }
        key = strip_alias(items[static_cast<size_t>(ordinal - 1)]);
        std::vector<ExprPtr> inner_aggregates;
        collect_aggregates(key, inner_aggregates);
        if (key->kind == ExprKind::kStar || !inner_aggregates.empty()) {
          throw_error(ErrorKind::kAnalysis, "GROUP_BY_POS_AGGREGATE",
                      "GROUP BY " + std::to_string(ordinal) +
                          " refers to an expression that contains an aggregate "
                          "function or a star; aggregate functions are not allowed in GROUP BY");
        }
      } else if (g->kind == ExprKind::kColumn && g->qualifier.empty()) {
        bool is_input = std::any_of(plan->output.begin(), plan->output.end(),
                                    [&](const ExprPtr& a) { return same_name(a->name, g->name); });
        if (!is_input) {
          for (const auto& item : items) {
            if (item->kind == ExprKind::kAlias && same_name(item->name, g->name)) key = item->children[0];
          }
        }
      }
      keys.push_back(key);
    }
    const std::string gk = "__sql_group_key_";
    const std::string av = "__sql_aggregate_";
    std::vector<ExprPtr> grouping, agg_list;
    PlanPtr child = plan;
    if (!parts.grouping_sets.empty()) {
      // Grouping sets: one projection per set (keys outside the set null; a set id keeps a null
      // key apart from a rolled-up one), unioned and aggregated on (keys, set id) — the plan
      // Spark's Expand gives, as GroupedData::rollup/cube build it.
      std::vector<ExprPtr> key_items;
      for (size_t k = 0; k < keys.size(); ++k)
        key_items.push_back(make_alias(keys[k], gk + std::to_string(k)));
      PlanPtr typed = catalog.analyze(make_project(plan, key_items));
      std::vector<PlanPtr> branches;
      for (size_t s = 0; s < parts.grouping_sets.size(); ++s) {
        std::vector<ExprPtr> list{make_star()};
        for (size_t k = 0; k < keys.size(); ++k) {
          const auto& set = parts.grouping_sets[s];
          bool in_set = std::find(set.begin(), set.end(), k) != set.end();
          const DataType& type = typed->output[k]->type;
          ExprPtr value = in_set ? make_cast(keys[k], type) : make_literal(Value::null(type));
          list.push_back(make_alias(value, gk + std::to_string(k)));
        }
        list.push_back(make_alias(make_literal(Value::int32(static_cast<int32_t>(s))), "__sql_grouping_set"));
        // Spark's grouping id: one bit per key, most significant first, set when rolled up.
        int64_t gid = 0;
        for (size_t k = 0; k < keys.size(); ++k) {
          const auto& set = parts.grouping_sets[s];
          if (std::find(set.begin(), set.end(), k) == set.end()) gid |= int64_t{1} << (keys.size() - 1 - k);
        }
        list.push_back(make_alias(make_literal(Value::int64(gid)), "__sql_grouping_id"));
        branches.push_back(catalog.analyze(make_project(plan, list)));
      }
      child = catalog.analyze(branches.size() == 1 ? branches[0] : make_union(branches));
      for (size_t k = 0; k < keys.size(); ++k) {
        grouping.push_back(make_column(gk + std::to_string(k)));
        agg_list.push_back(make_column(gk + std::to_string(k)));
      }
      grouping.push_back(make_column("__sql_grouping_set"));
      grouping.push_back(make_column("__sql_grouping_id"));
      agg_list.push_back(make_column("__sql_grouping_id"));
    } else {
      for (size_t k = 0; k < keys.size(); ++k) {
        grouping.push_back(keys[k]);
        agg_list.push_back(make_alias(keys[k], gk + std::to_string(k)));
      }
    }
    for (size_t j = 0; j < aggregates.size(); ++j)
      agg_list.push_back(make_alias(aggregates[j], av + std::to_string(j)));
    plan = catalog.analyze(make_aggregate(child, grouping, agg_list));

    // Everything above the aggregate reads keys and aggregate values by name.
    std::function<ExprPtr(const ExprPtr&, bool, int)> post = [&](const ExprPtr& e, bool aliases,
                                                                 int depth) -> ExprPtr {
      for (size_t k = 0; k < keys.size(); ++k) {
        if (same_unresolved(e, keys[k])) return make_column(gk + std::to_string(k));
      }
      if (is_marker(e)) {
        // A subquery is joined after the aggregate; the values an IN tests read its results.
        if (e->children.size() == 1) return e;
        std::vector<ExprPtr> kids;
        for (size_t i = 0; i + 1 < e->children.size(); ++i)
          kids.push_back(post(e->children[i], aliases, depth));
        kids.push_back(e->children.back());
        return with_children(*e, std::move(kids));
      }
      if (e->kind == ExprKind::kCall && (e->name == "grouping" || e->name == "grouping_id")) {
        // grouping(k): 1 when k is rolled up in the row's grouping set (tinyint); grouping_id(k...):
        // those bits, most significant first (bigint; all keys without arguments).
        if (parts.grouping_sets.empty()) {
          throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_GROUPING_EXPRESSION",
                      "grouping()/grouping_id() can only be used with GroupingSets/Cube/Rollup");
        }
        ExprPtr gid = make_column("__sql_grouping_id");
        std::vector<size_t> which;
        for (const auto& arg : e->children) {
          size_t k = 0;
          while (k < keys.size() && !same_unresolved(arg, keys[k])) ++k;
          if (k == keys.size()) {
            throw_error(ErrorKind::kAnalysis, "GROUPING_COLUMN_MISMATCH",
                        "Column of grouping (" + arg->pretty_name() + ") can't be found in grouping columns");
          }
          which.push_back(k);
        }
        if (e->name == "grouping" && which.size() != 1) {
          throw_error(ErrorKind::kAnalysis, "WRONG_NUM_ARGS", "The function 'grouping' requires 1 argument");
        }
        if (e->name == "grouping_id" && which.empty()) return gid;
        ExprPtr out;
        for (size_t i = 0; i < which.size(); ++i) {
          int64_t key_bit = int64_t{1} << (keys.size() - 1 - which[i]);
          ExprPtr bit = make_call("%", {make_call("div", {gid, make_literal(Value::int64(key_bit))}),
                                        make_literal(Value::int64(2))});
          if (which.size() > 1)
            bit = make_call("*", {bit, make_literal(Value::int64(int64_t{1} << (which.size() - 1 - i)))});
          out = out ? make_call("+", {out, bit}) : bit;
        }
        return e->name == "grouping" ? make_cast(out, DataType::byte()) : out;
      }
      switch (e->kind) {
        case ExprKind::kAggregate:
          for (size_t j = 0; j < aggregates.size(); ++j) {
            if (same_unresolved(e, aggregates[j])) return make_column(av + std::to_string(j));
          }
          break;
        case ExprKind::kWindow: {
          std::vector<ExprPtr> fn_args;
          for (const auto& a : e->children[0]->children) fn_args.push_back(post(a, aliases, depth));
          std::vector<ExprPtr> kids{with_children(*e->children[0], std::move(fn_args))};
          for (size_t i = 1; i < e->children.size(); ++i)
            kids.push_back(post(e->children[i], aliases, depth));
          return with_children(*e, std::move(kids));
        }
        case ExprKind::kColumn:
          if (aliases && depth < 8) {
            for (const auto& item : items) {
              if (item->kind == ExprKind::kAlias && e->qualifier.empty() && same_name(item->name, e->name)) {
                return post(item->children[0], false, depth + 1);
              }
            }
          }
          missing_aggregation(*e);
        case ExprKind::kStar:
          throw_error(
              ErrorKind::kAnalysis, "MISSING_AGGREGATION",
              "SELECT * cannot be used with GROUP BY or aggregate functions; list the grouping columns");
        default: break;
      }
      if (e->children.empty()) return e;
      std::vector<ExprPtr> kids;
      for (const auto& c : e->children) kids.push_back(post(c, aliases, depth));
      return with_children(*e, std::move(kids));
    };
    std::vector<ExprPtr> new_items;
    for (const auto& item : items)
      new_items.push_back(make_alias(post(strip_alias(item), false, 0), item_name(item, &subs)));
    for (auto& item : new_items) item = attach_subqueries(plan, item, subs, catalog);
    if (parts.having) {
      ExprPtr having = attach_subqueries(plan, post(parts.having, true, 0), subs, catalog);
      reject_markers(having);
      plan = catalog.analyze(make_filter(plan, having));
    }
    if (qualify) qualify = post(qualify, true, 0);
    for (auto& o : order_by) {
      const ExprPtr& k = o->children[0];
      if (k->kind == ExprKind::kLiteral) continue;  // an ordinal
      // A select alias in ORDER BY stays a name: it is an output column.
      bool is_output = k->kind == ExprKind::kColumn && k->qualifier.empty() &&
                       std::any_of(new_items.begin(), new_items.end(),
                                   [&](const ExprPtr& i) { return same_name(i->name, k->name); });
      if (!is_output) o = with_children(*o, {post(k, true, 0)});
    }
    items = std::move(new_items);
  }

  for (const auto& item : items) reject_markers(item);
  reject_markers(qualify);
  for (const auto& o : order_by) reject_markers(o);
  // The projection, with hidden columns for what QUALIFY and ORDER BY read beyond it.
  const PlanPtr visible = catalog.analyze(make_project(plan, items));
  std::vector<std::string> names;
  for (const auto& a : visible->output) names.push_back(a->name);
  const bool has_star =
      std::any_of(items.begin(), items.end(), [](const ExprPtr& e) { return e->kind == ExprKind::kStar; });
  std::vector<ExprPtr> hidden;
  const std::string item_ref = "__sql_item_";
  std::function<ExprPtr(const ExprPtr&)> beyond = [&](const ExprPtr& e) -> ExprPtr {
    if (!has_star) {
      for (size_t i = 0; i < items.size(); ++i) {
        if (same_unresolved(strip_alias(items[i]), e)) return make_column(item_ref + std::to_string(i));
      }
    }
    if (e->kind == ExprKind::kColumn) {
      bool is_output =
          e->qualifier.empty() && std::any_of(names.begin(), names.end(),
                                              [&](const std::string& n) { return same_name(n, e->name); });
      if (is_output) return e;
    }
    if (e->kind == ExprKind::kColumn || e->kind == ExprKind::kWindow) {
      std::string name = "__sql_hidden_" + std::to_string(hidden.size());
      hidden.push_back(make_alias(e, name));
      return make_column(name);
    }
    if (e->children.empty()) return e;
    std::vector<ExprPtr> kids;
    for (const auto& c : e->children) kids.push_back(beyond(c));
    return with_children(*e, std::move(kids));
  };
  if (qualify) qualify = beyond(qualify);
  for (auto& o : order_by) {
    const ExprPtr& k = o->children[0];
    if (k->kind == ExprKind::kLiteral && k->literal.type().is_integral() && !k->literal.is_null()) {
      int64_t ordinal = k->literal.as_int64();
      if (ordinal < 1 || ordinal > static_cast<int64_t>(names.size())) {
        throw_error(ErrorKind::kAnalysis, "ORDER_BY_POS_OUT_OF_RANGE",
                    "ORDER BY position " + std::to_string(ordinal) +
                        " is not in select list (valid range is [1, " + std::to_string(names.size()) + "])");
      }
      o = with_children(*o, {visible->output[static_cast<size_t>(ordinal - 1)]});
      continue;
    }
    o = with_children(*o, {beyond(k)});
  }
  if (parts.distinct && !hidden.empty()) {
    throw_error(ErrorKind::kAnalysis, "MISSING_ATTRIBUTES.RESOLVED_ATTRIBUTE_APPEAR_IN_OPERATION",
                "with SELECT DISTINCT, ORDER BY and QUALIFY may only use columns of the select list");
  }
  PlanPtr projected = visible;
  if (!hidden.empty()) {
    std::vector<ExprPtr> list = items;
    list.insert(list.end(), hidden.begin(), hidden.end());
    projected = catalog.analyze(make_project(plan, list));
  }
  // Item references and ordinals bind to the projection's own attributes.
  auto bind_items = [&](const ExprPtr& e) {
    return transform_up(e, [&](const ExprPtr& x) -> ExprPtr {
      if (x->kind == ExprKind::kColumn && x->name.rfind(item_ref, 0) == 0) {
        return projected->output[std::stoul(x->name.substr(item_ref.size()))];
      }
      if (x->kind == ExprKind::kAttribute) {
        for (size_t i = 0; i < visible->output.size(); ++i) {
          if (visible->output[i]->id == x->id) return projected->output[i];
        }
      }
      return x;
    });
  };
  plan = projected;
  if (qualify) plan = catalog.analyze(make_filter(plan, bind_items(qualify)));
  if (parts.distinct) plan = catalog.analyze(make_distinct(plan));
  std::vector<ExprPtr> orders;
  for (const auto& o : order_by) orders.push_back(bind_items(o));
  if (parts.offset > 0) {
    // OFFSET n: number the rows in ORDER BY order and keep those past n.
    std::vector<ExprPtr> numbering = orders;
    if (numbering.empty()) numbering.push_back(make_sort_order(plan->output[0], true, true));
    ExprPtr rn = make_window(make_call("row_number", {}), {}, numbering, FrameType::kDefault,
                             kUnboundedPreceding, kCurrentRow);
    plan = catalog.analyze(make_project(plan, {make_star(), make_alias(rn, "__sql_row_number")}));
    plan = catalog.analyze(make_filter(
        plan, make_call(">", {make_column("__sql_row_number"), make_literal(Value::int64(parts.offset))})));
  }
  if (!orders.empty()) plan = catalog.analyze(make_sort(plan, orders, true));
  if (!hidden.empty() || parts.offset > 0) {
    std::vector<ExprPtr> keep(projected->output.begin(),
                              projected->output.begin() + static_cast<long>(visible->output.size()));
    plan = catalog.analyze(make_project(plan, keep));
  }
  return plan;
}

}  // namespace ember::sql
