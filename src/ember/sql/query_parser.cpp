// The query half of the Spark SQL parser: WITH, set operations, SELECT blocks, FROM with joins,
// derived tables, VALUES and LATERAL VIEW, ORDER BY / LIMIT / OFFSET.
#include <algorithm>
#include <cctype>

#include "ember/analyzer/analyzer.h"
#include "ember/common/error.h"
#include "ember/plan/set_operation.h"
#include "ember/sql/parser.h"

namespace ember::sql {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

PlanPtr project(PlanPtr child, std::vector<ExprPtr> exprs) {
  return make_project(std::move(child), std::move(exprs));
}

// Renames the columns of an analyzed plan in order (t(a, b), WITH c(a, b) AS ...).
PlanPtr rename_columns(const PlanPtr& plan, const std::vector<std::string>& names, const Token& at) {
  if (names.size() != plan->output.size()) {
    throw_error(ErrorKind::kAnalysis, "ASSIGNMENT_ARITY_MISMATCH",
                "The number of column aliases (" + std::to_string(names.size()) +
                    ") does not match the number of "
                    "columns (" +
                    std::to_string(plan->output.size()) + ") at line " + std::to_string(at.line) +
                    ", column " + std::to_string(at.column));
  }
  std::vector<ExprPtr> list;
  for (size_t i = 0; i < names.size(); ++i) list.push_back(make_alias(plan->output[i], names[i]));
  return project(plan, std::move(list));
}

}  // namespace

const Catalog& Parser::catalog() const {
  EMBER_CHECK(catalog_ != nullptr, "a query was parsed without a catalog");
  return *catalog_;
}

PlanPtr Parser::analyzed(const PlanPtr& plan) const { return catalog().analyze(plan); }

PlanPtr Parser::one_row() const { return catalog().range(0, 1, 1, 1); }

bool Parser::at_select() const { return is_keyword("SELECT"); }

int64_t Parser::parse_row_count(const char* clause) {
  const Token t = peek();
  if (t.kind != TokenKind::kInteger) fail(std::string("expected a number of rows after ") + clause);
  next();
  try {
    return std::stoll(t.text);
  } catch (const std::exception&) {
    throw_syntax_error(t.line, t.column, "the number of rows is too large", t.raw);
  }
}

// query := [WITH cte, ...] term {set-op term} [ORDER BY ...] [LIMIT n] [OFFSET n]
PlanPtr Parser::parse_query() {
  bool scoped = false;
  if (accept_keyword("WITH")) {
    accept_keyword("RECURSIVE");
    ctes_.emplace_back();
    scoped = true;
    do {
      const Token name_token = peek();
      std::string name = parse_identifier("a common table expression name");
      std::vector<std::string> columns;
      if (accept_op("(")) {
        do {
          columns.push_back(parse_identifier("a column name"));
        } while (accept_op(","));
        expect_op(")");
      }
      expect_keyword("AS");
      expect_op("(");
      PlanPtr body = analyzed(parse_query());
      expect_op(")");
      if (!columns.empty()) body = analyzed(rename_columns(body, columns, name_token));
      // Later CTEs (and the query) see this one.
      ctes_.back()[lower(name)] = body;
    } while (accept_op(","));
  }
  PlanPtr plan;
  if (at_select()) {
    SelectParts parts = parse_select_block();
    if (is_keyword("UNION") || is_keyword("EXCEPT") || is_keyword("MINUS") || is_keyword("INTERSECT")) {
      plan = parse_set_rest(analyzed(plan_select(parts, catalog())));
    } else {
      // One SELECT: its ORDER BY may read columns the select list drops, so it plans with it.
      int64_t limit = -1;
      if (accept_keyword("ORDER") || accept_keyword("SORT")) {
        expect_keyword("BY");
        parts.order_by = parse_sort_items();
      }
      if (accept_keyword("LIMIT")) limit = accept_keyword("ALL") ? -1 : parse_row_count("LIMIT");
      if (accept_keyword("OFFSET")) parts.offset = parse_row_count("OFFSET");
      plan = plan_select(parts, catalog());
      if (limit >= 0) plan = make_limit(plan, limit);
      if (scoped) ctes_.pop_back();
      return analyzed(plan);
    }
  } else {
    plan = parse_set_rest(parse_query_primary());
  }
  std::vector<ExprPtr> order_by;
  int64_t limit = -1, offset = 0;
  if (accept_keyword("ORDER") || accept_keyword("SORT")) {
    expect_keyword("BY");
    order_by = parse_sort_items();
  }
  if (accept_keyword("LIMIT")) limit = accept_keyword("ALL") ? -1 : parse_row_count("LIMIT");
  if (accept_keyword("OFFSET")) offset = parse_row_count("OFFSET");
  if (!order_by.empty() || offset > 0) {
    SelectParts outer;
    outer.from = analyzed(plan);
    outer.items = {make_star()};
    outer.order_by = std::move(order_by);
    outer.offset = offset;
    plan = plan_select(outer, catalog());
  }
  if (limit >= 0) plan = make_limit(plan, limit);
  if (scoped) ctes_.pop_back();
  return analyzed(plan);
}

// UNION / EXCEPT / MINUS, left-associative, over INTERSECT (which binds tighter, as in Spark).
PlanPtr Parser::parse_set_rest(PlanPtr left) {
  left = parse_intersect_rest(std::move(left));
  for (;;) {
    bool is_union = is_keyword("UNION");
    if (!is_union && !is_keyword("EXCEPT") && !is_keyword("MINUS")) return left;
    next();
    bool all = accept_keyword("ALL");
    if (!all) accept_keyword("DISTINCT");
    PlanPtr right = parse_intersect_rest(parse_query_primary());
    if (is_union) {
      PlanPtr u = analyzed(make_union({analyzed(left), analyzed(right)}));
      left = all ? u : analyzed(make_distinct(u));
    } else {
      left = make_set_operation(analyzed(left), analyzed(right), false, all,
                                [&](const PlanPtr& p) { return analyzed(p); });
    }
  }
}

PlanPtr Parser::parse_intersect_rest(PlanPtr left) {
  while (accept_keyword("INTERSECT")) {
    bool all = accept_keyword("ALL");
    if (!all) accept_keyword("DISTINCT");
    PlanPtr right = parse_query_primary();
    left = make_set_operation(analyzed(left), analyzed(right), true, all,
                              [&](const PlanPtr& p) { return analyzed(p); });
  }
  return left;
}

// SELECT block | VALUES | TABLE name | ( query )
PlanPtr Parser::parse_query_primary() {
  if (at_select()) return analyzed(plan_select(parse_select_block(), catalog()));
  if (is_keyword("VALUES")) return parse_values();
  if (accept_keyword("TABLE")) {
    std::vector<std::string> name{parse_identifier("a table name")};
    return catalog().relation(name);
  }
  if (accept_op("(")) {
    PlanPtr q = parse_query();
    expect_op(")");
    return q;
  }
  fail("expected SELECT, VALUES, WITH or '('");
}

SelectParts Parser::parse_select_block() {
  expect_keyword("SELECT");
  SelectParts parts;
  if (accept_keyword("DISTINCT")) {
    parts.distinct = true;
  } else {
    accept_keyword("ALL");
  }
  do {
    parts.items.push_back(parse_named_expression());
  } while (accept_op(","));
  parts.subqueries = subqueries_;
  // Subqueries of inner join conditions in this block's FROM join its WHERE (nested blocks keep
  // their own).
  std::vector<ExprPtr> outer_join_filters = std::move(join_subquery_filters_);
  join_subquery_filters_.clear();
  parts.from = accept_keyword("FROM") ? parse_from() : one_row();
  while (is_keyword("LATERAL") && is_keyword("VIEW", 1)) parts.from = parse_lateral_view(parts.from);
  parts.from = analyzed(parts.from);
  if (accept_keyword("WHERE")) parts.where = parse_expression();
  for (const auto& c : join_subquery_filters_) parts.where = parts.where ? make_and(c, parts.where) : c;
  join_subquery_filters_ = std::move(outer_join_filters);
  if (accept_keyword("GROUP")) {
    expect_keyword("BY");
    parts.grouped = true;
    // GROUP BY a, b | ROLLUP(a, b) | CUBE(a, b) | GROUPING SETS ((a, b), (a), ()) | a, b WITH ROLLUP
    auto expression_index = [&](const ExprPtr& e) {
      std::string text = e->to_string();
      for (size_t i = 0; i < parts.group_by.size(); ++i) {
        if (parts.group_by[i]->to_string() == text) return i;
      }
      parts.group_by.push_back(e);
      return parts.group_by.size() - 1;
    };
    auto parse_list = [&](std::vector<size_t>& into) {
      expect_op("(");
      if (!is_op(")")) {
        do {
          into.push_back(expression_index(parse_expression()));
        } while (accept_op(","));
      }
      expect_op(")");
    };
    if (is_keyword("ALL") && !is_op("(", 1)) {
      next();
      parts.group_by_all = true;
    } else if ((is_keyword("ROLLUP") || is_keyword("CUBE")) && is_op("(", 1)) {
      bool rollup = is_keyword("ROLLUP");
      next();
      std::vector<size_t> keys;
      parse_list(keys);
      const size_t n = keys.size();
      if (rollup) {
        for (size_t keep = n + 1; keep-- > 0;)
          parts.grouping_sets.emplace_back(keys.begin(), keys.begin() + static_cast<long>(keep));
      } else {
        // Spark's cube order: the grouping id counts up, a set bit meaning "rolled up".
        for (size_t id = 0; id < (size_t{1} << n); ++id) {
          std::vector<size_t> set;
          for (size_t k = 0; k < n; ++k) {
            if (((id >> (n - 1 - k)) & 1) == 0) set.push_back(keys[k]);
          }
          parts.grouping_sets.push_back(set);
        }
      }
    } else if (is_keyword("GROUPING") && is_keyword("SETS", 1)) {
      next();
      next();
      expect_op("(");
      do {
        std::vector<size_t> set;
        if (is_op("(")) {
          parse_list(set);
        } else {
          set.push_back(expression_index(parse_expression()));
        }
        parts.grouping_sets.push_back(set);
      } while (accept_op(","));
      expect_op(")");
    } else {
      do {
        expression_index(parse_expression());
      } while (accept_op(","));
      if (is_keyword("WITH") && (is_keyword("ROLLUP", 1) || is_keyword("CUBE", 1))) {
        throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                    "GROUP BY ... WITH ROLLUP/CUBE; write ROLLUP(...) or CUBE(...)");
      }
    }
  }
  if (accept_keyword("HAVING")) parts.having = parse_expression();
  for (;;) {
    if (accept_keyword("WINDOW")) {
      do {
        std::string name = lower(parse_identifier("a window name"));
        expect_keyword("AS");
        expect_op("(");
        auto w = std::make_shared<Expr>(*make_window(make_literal(Value()), {}, {}, FrameType::kDefault,
                                                     kUnboundedPreceding, kCurrentRow));
        parse_window_spec(*w);
        expect_op(")");
        parts.windows[name] = w;
      } while (accept_op(","));
    } else if (accept_keyword("QUALIFY")) {
      parts.qualify = parse_expression();
    } else {
      break;
    }
  }
  return parts;
}

// FROM a, b JOIN c ON ... : a comma is a cross join (an inner join without a condition).
PlanPtr Parser::parse_from() {
  PlanPtr plan = parse_relation_with_joins();
  while (accept_op(",")) plan = make_join(plan, parse_relation_with_joins(), JoinType::kInner, nullptr);
  return plan;
}

PlanPtr Parser::parse_relation_with_joins() {
  PlanPtr left = parse_relation_primary();
  for (;;) {
    const size_t start = pos_;
    bool natural = accept_keyword("NATURAL");
    JoinType type = JoinType::kInner;
    bool cross = false;
    if (accept_keyword("INNER")) {
    } else if (accept_keyword("CROSS")) {
      cross = true;
      type = JoinType::kCross;
    } else if (accept_keyword("LEFT")) {
      if (accept_keyword("SEMI")) {
        type = JoinType::kLeftSemi;
      } else if (accept_keyword("ANTI")) {
        type = JoinType::kLeftAnti;
      } else {
        accept_keyword("OUTER");
        type = JoinType::kLeftOuter;
      }
    } else if (accept_keyword("RIGHT")) {
      accept_keyword("OUTER");
      type = JoinType::kRightOuter;
    } else if (accept_keyword("FULL")) {
      accept_keyword("OUTER");
      type = JoinType::kFullOuter;
    } else if (accept_keyword("SEMI")) {
      type = JoinType::kLeftSemi;
    } else if (accept_keyword("ANTI")) {
      type = JoinType::kLeftAnti;
    }
    if (!accept_keyword("JOIN")) {
      if (pos_ != start || natural) fail("expected JOIN");
      return left;
    }
    PlanPtr right = parse_relation_primary();
    if (natural) {
      // NATURAL JOIN: USING every column name both sides share, in the left side's order.
      PlanPtr l = analyzed(left), r = analyzed(right);
      std::vector<std::string> shared;
      for (const auto& a : l->output) {
        bool in_right = std::any_of(r->output.begin(), r->output.end(),
                                    [&](const ExprPtr& b) { return equals_ignore_case(a->name, b->name); });
        bool seen = std::any_of(shared.begin(), shared.end(),
                                [&](const std::string& s) { return equals_ignore_case(s, a->name); });
        if (in_right && !seen) shared.push_back(a->name);
      }
      left = shared.empty() ? make_join(l, r, type == JoinType::kCross ? JoinType::kInner : type, nullptr)
                            : make_join_using(l, r, type, shared);
      continue;
    }
    if (accept_keyword("ON")) {
      if (cross) fail("expected a relation: CROSS JOIN takes no ON condition");
      const Token on_token = peek();
      ExprPtr condition = parse_expression();
      // A subquery in an inner join's condition filters the joined rows, exactly as the same
      // conjunct in WHERE: it is moved there and decorrelated with the block's other subqueries.
      std::vector<ExprPtr> conjuncts, kept;
      split_conjuncts(condition, conjuncts);
      for (const auto& c : conjuncts) {
        bool has_subquery = false;
        visit(c, [&](const ExprPtr& x) {
          has_subquery |= x->kind == ExprKind::kCall && x->name == kSubqueryMarker;
        });
        if (!has_subquery) {
          kept.push_back(c);
        } else if (type == JoinType::kInner) {
          join_subquery_filters_.push_back(c);
        } else {
          throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                      "a subquery in the ON condition (line " + std::to_string(on_token.line) + ", column " +
                          std::to_string(on_token.column) + ") of a " + std::string(join_type_name(type)) +
                          " join; use an inner join, or filter one side in a derived table");
        }
      }
      left = make_join(left, right, type, kept.empty() ? nullptr : join_conjuncts(kept));
    } else if (accept_keyword("USING")) {
      expect_op("(");
      std::vector<std::string> columns;
      do {
        columns.push_back(parse_identifier("a column name"));
      } while (accept_op(","));
      expect_op(")");
      left = make_join_using(left, right, type == JoinType::kCross ? JoinType::kInner : type, columns);
    } else {
      // No condition: every pair (an outer join keeps unmatched rows too), as Spark allows.
      left = make_join(left, right, type, nullptr);
    }
  }
}

// [AS] alias [(c1, c2, ...)] after a relation; without one, a table is qualified by its own name.
PlanPtr Parser::apply_alias(PlanPtr plan, const std::string& default_alias) {
  bool explicit_as = accept_keyword("AS");
  const Token& t = peek();
  bool has_alias =
      t.kind == TokenKind::kQuotedIdentifier || (t.kind == TokenKind::kIdentifier && !at_reserved_word());
  if (explicit_as && !has_alias) fail("expected an alias");
  if (!has_alias) return default_alias.empty() ? plan : make_subquery_alias(plan, default_alias);
  const Token at = peek();
  std::string alias = next().text;
  if (accept_op("(")) {
    std::vector<std::string> columns;
    do {
      columns.push_back(parse_identifier("a column name"));
    } while (accept_op(","));
    expect_op(")");
    plan = analyzed(rename_columns(analyzed(plan), columns, at));
  }
  return make_subquery_alias(plan, alias);
}

PlanPtr Parser::parse_relation_primary() {
  if (accept_op("(")) {
    if (at_select() || is_keyword("WITH") || is_keyword("VALUES") || is_op("(")) {
      // ( query ) or a parenthesised join: try a query first, as Spark's grammar does.
      PlanPtr q = is_op("(") ? parse_relation_with_joins() : parse_query();
      expect_op(")");
      return apply_alias(q, "");
    }
    PlanPtr inner = parse_relation_with_joins();
    expect_op(")");
    return apply_alias(inner, "");
  }
  if (is_keyword("VALUES")) return apply_alias(parse_values(), "");
  const Token name_token = peek();
  if (name_token.kind != TokenKind::kIdentifier && name_token.kind != TokenKind::kQuotedIdentifier) {
    fail("expected a table name or '('");
  }
  if (name_token.kind == TokenKind::kIdentifier && at_reserved_word()) fail("expected a table name");
  next();
  // Table-valued function range(end) / range(start, end[, step[, partitions]]).
  if (name_token.kind == TokenKind::kIdentifier && lower(name_token.text) == "range" && is_op("(")) {
    next();
    std::vector<int64_t> args;
    do {
      bool negative = accept_op("-");
      const Token n = peek();
      if (n.kind != TokenKind::kInteger) fail("expected an integer argument of range()");
      next();
      args.push_back((negative ? -1 : 1) * std::stoll(n.text));
    } while (accept_op(","));
    expect_op(")");
    if (args.size() > 4) fail("range() takes at most 4 arguments");
    int64_t start = args.size() == 1 ? 0 : args[0];
    int64_t end = args.size() == 1 ? args[0] : args[1];
    int64_t step = args.size() >= 3 ? args[2] : 1;
    if (step == 0) throw_error(ErrorKind::kIllegalArgument, "range(): step cannot be 0");
    int partitions = args.size() == 4 ? static_cast<int>(args[3]) : 0;
    return apply_alias(catalog().range(start, end, step, partitions), "");
  }
  std::vector<std::string> name{name_token.text};
  while (accept_op(".")) {
    const Token& part = peek();
    if (part.kind != TokenKind::kIdentifier && part.kind != TokenKind::kQuotedIdentifier)
      fail("expected a name after '.'");
    name.push_back(next().text);
  }
  PlanPtr plan;
  if (name.size() == 1) {
    for (auto scope = ctes_.rbegin(); scope != ctes_.rend() && !plan; ++scope) {
      auto it = scope->find(lower(name[0]));
      if (it != scope->end()) plan = it->second;
    }
  }
  if (!plan) plan = catalog().relation(name);
  return apply_alias(plan, name.size() == 1 ? name[0] : "");
}

// VALUES (1, 'a'), (2, 'b'): one projection of a single row per tuple, unioned (the union widens
// the column types as Spark's inline tables do); columns are named col1, col2, ...
PlanPtr Parser::parse_values() {
  expect_keyword("VALUES");
  std::vector<PlanPtr> rows;
  size_t width = 0;
  do {
    const Token at = peek();
    std::vector<ExprPtr> values;
    if (accept_op("(")) {
      do {
        values.push_back(parse_expression());
      } while (accept_op(","));
      expect_op(")");
    } else {
      values.push_back(parse_expression());
    }
    if (rows.empty()) width = values.size();
    if (values.size() != width) {
      throw_error(ErrorKind::kAnalysis, "INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH",
                  "Inline table expected " + std::to_string(width) + " columns but found " +
                      std::to_string(values.size()) + " columns in the row at line " +
                      std::to_string(at.line) + ", column " + std::to_string(at.column));
    }
    std::vector<ExprPtr> list;
    for (size_t i = 0; i < values.size(); ++i)
      list.push_back(make_alias(values[i], "col" + std::to_string(i + 1)));
    rows.push_back(analyzed(project(one_row(), std::move(list))));
  } while (accept_op(","));
  return rows.size() == 1 ? rows[0] : analyzed(make_union(std::move(rows)));
}

// LATERAL VIEW [OUTER] explode(x) t AS c | posexplode(x) t AS p, c: the generator in a projection
// beside every input column (the analyzer turns it into a Generate node).
PlanPtr Parser::parse_lateral_view(PlanPtr child) {
  expect_keyword("LATERAL");
  expect_keyword("VIEW");
  bool outer = accept_keyword("OUTER");
  const Token fn_token = peek();
  std::string fn = lower(parse_identifier("a generator function"));
  if (fn != "explode" && fn != "posexplode") {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_GENERATOR",
                "LATERAL VIEW supports explode and posexplode, not " + fn + " (line " +
                    std::to_string(fn_token.line) + ", column " + std::to_string(fn_token.column) + ")");
  }
  if (!is_op("(")) fail("expected '('");
  ExprPtr generator = parse_function_call(fn);
  if (outer) {
    auto g = std::make_shared<Expr>(*generator);
    g->name += "_outer";
    generator = g;
  }
  std::string table;
  if (peek().kind == TokenKind::kIdentifier && !is_keyword("AS")) table = parse_identifier("a table alias");
  std::vector<std::string> names;
  if (accept_keyword("AS") || (peek().kind == TokenKind::kIdentifier && !at_reserved_word())) {
    do {
      names.push_back(parse_identifier("a column alias"));
    } while (accept_op(","));
  }
  const bool pos = fn == "posexplode";
  if (!names.empty() && names.size() != (pos ? 2u : 1u)) {
    throw_error(
        ErrorKind::kAnalysis, "UDTF_ALIAS_NUMBER_MISMATCH",
        "The number of aliases supplied in the AS clause does not match the number of columns output by the "
        "UDTF: expected " +
            std::to_string(pos ? 2 : 1) + " aliases but got " + std::to_string(names.size()));
  }
  PlanPtr in = analyzed(child);
  ExprPtr item = names.empty() ? generator : make_alias(generator, names.back());
  PlanPtr out = analyzed(project(in, {make_star(), item}));
  if (pos && !names.empty()) {
    // The position column comes out as `pos`; rename it to the first alias.
    std::vector<ExprPtr> list = out->output;
    list[in->output.size()] = make_alias(list[in->output.size()], names[0]);
    out = analyzed(project(out, list));
  }
  return out;
}

}  // namespace ember::sql
