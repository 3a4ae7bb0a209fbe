#pragma once
// The Spark SQL parser: a hand-written recursive-descent parser over the lexer's tokens, with
// Spark's operator precedence (lowest first: OR, AND, NOT, predicates [comparison, BETWEEN, IN,
// LIKE, IS], || + -, * / % DIV, unary - + ~, postfix :: [] .).
//
// It produces exactly what the DataFrame API produces: unresolved `Expr` trees (expr/expression.h)
// and logical plans (plan/logical_plan.h), so one analyzer and one optimizer serve both front
// ends. Table names are looked up in a `Catalog` while parsing (temp views, CTEs, files), the way
// Spark's DataFrame API builds each node over its parent's analyzed plan.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ember/plan/logical_plan.h"
#include "ember/sql/lexer.h"
#include "ember/sql/statement.h"

namespace ember::sql {

// What a query needs from the session.
class Catalog {
 public:
  virtual ~Catalog() = default;
  // The plan of the table or view `name` (one part, or two for `parquet.`path``); throws
  // TABLE_OR_VIEW_NOT_FOUND listing close matches.
  virtual PlanPtr relation(const std::vector<std::string>& name) const = 0;
  // The analyzed form of a plan (the session's analyzer options apply).
  virtual PlanPtr analyze(const PlanPtr& plan) const = 0;
  // The rows start, start + step, ... below end in column `id` (FROM range(...)); partitions <= 0:
  // the session's default parallelism.
  virtual PlanPtr range(int64_t start, int64_t end, int64_t step, int partitions) const = 0;
};

struct SelectParts;

// A subquery in an expression. The expression holds a marker call naming it by index
// (kSubqueryMarker with an int literal; for IN, the tested value first); plan_select decorrelates
// it into a join: EXISTS / IN into a left semi join, NOT EXISTS / NOT IN into a left anti join
// (NOT IN null-aware: x = y OR isnull(x = y)), a scalar subquery into a left outer join with the
// subquery aggregated by its correlation keys. Conjuncts of the subquery's WHERE that read outer
// columns become the join condition.
struct Subquery {
  enum class Kind { kScalar, kExists, kIn };
  Kind kind = Kind::kScalar;
  std::shared_ptr<SelectParts> parts;  // a single SELECT block (correlation is allowed)
  PlanPtr plan;                        // anything else (set operations, VALUES): uncorrelated
};
using Subqueries = std::vector<Subquery>;
inline constexpr const char* kSubqueryMarker = "__sql_subquery";

// Plans one SELECT block (select_planner.cpp): FROM (already a plan), WHERE, GROUP BY (with
// grouping sets), HAVING, window functions and named windows, QUALIFY, the select list,
// DISTINCT, and an ORDER BY that may read input columns the select list does not return.
struct SelectParts {
  bool distinct = false;
  std::vector<ExprPtr> items;  // named expressions; kStar with `qualifier` for t.*
  PlanPtr from;                // analyzed
  ExprPtr where;
  bool grouped = false;
  bool group_by_all = false;      // GROUP BY ALL: every select item without an aggregate // GROUP BY present
  std::vector<ExprPtr> group_by;  // the grouping expressions
  std::vector<std::vector<size_t>> grouping_sets;  // empty: one set of every expression
  ExprPtr having;
  ExprPtr qualify;
  std::map<std::string, ExprPtr> windows;  // WINDOW w AS (...): kWindow nodes without a function
  std::vector<ExprPtr> order_by;           // sort orders (an integer literal is an ordinal)
  int64_t offset = 0;                      // OFFSET n: rows skipped after ORDER BY
  std::shared_ptr<Subqueries> subqueries;  // what subquery markers in the expressions name
};
PlanPtr plan_select(const SelectParts& parts, const Catalog& catalog);

class Parser {
 public:
  // `catalog` may be null when only expressions are parsed (expr(), select_expr()).
  Parser(std::string_view text, const Catalog* catalog);

  // The whole text is one expression: functions::expr("a + 1").
  ExprPtr parse_standalone_expression();
  // expression [[AS] alias]: DataFrame::select_expr("a + 1 AS b").
  ExprPtr parse_standalone_named_expression();
  // One statement, optionally ended by ';'.
  Statement parse_standalone_statement();

 private:
  // --- tokens ---
  const Token& peek(size_t ahead = 0) const;
  const Token& next();
  bool is_keyword(const char* kw, size_t ahead = 0) const;
  bool accept_keyword(const char* kw);
  void expect_keyword(const char* kw);
  bool is_op(const char* op, size_t ahead = 0) const;
  bool accept_op(const char* op);
  void expect_op(const char* op);
  [[noreturn]] void fail(const std::string& expected) const;
  std::string parse_identifier(const char* what);
  bool at_reserved_word(size_t ahead = 0) const;
  void expect_end();
  // OPTIONS (key 'value', ...) into `options`, keys lower-cased.
  void parse_options(std::map<std::string, std::string>& options);
  // What follows CREATE [OR REPLACE] TABLE (statement_parser.cpp).
  Statement parse_create_table(Statement s);
  // What follows ANALYZE (statement_parser.cpp).
  Statement parse_analyze(Statement s);

  // --- expressions (expression_parser.cpp) ---
  ExprPtr parse_expression();
  ExprPtr parse_or();
  ExprPtr parse_and();
  ExprPtr parse_not();
  ExprPtr parse_predicate();
  ExprPtr parse_comparison();
  ExprPtr parse_additive();
  ExprPtr parse_multiplicative();
  ExprPtr parse_unary();
  ExprPtr parse_postfix();
  ExprPtr parse_primary();
  ExprPtr parse_number(const Token& t, bool negative);
  ExprPtr parse_case();
  ExprPtr parse_cast(bool try_cast);
  ExprPtr parse_extract();
  ExprPtr parse_interval();
  ExprPtr parse_function_call(const std::string& name);
  ExprPtr parse_over(ExprPtr function);
  void parse_window_spec(Expr& window);
  int64_t parse_frame_bound(bool& is_following);
  DataType parse_type();
  std::string type_text();
  ExprPtr parse_named_expression();
  std::vector<ExprPtr> parse_sort_items();

  // --- queries (query_parser.cpp) ---
  PlanPtr parse_query();
  PlanPtr parse_set_rest(PlanPtr left);
  PlanPtr parse_intersect_rest(PlanPtr left);
  PlanPtr parse_query_primary();
  bool at_select() const;
  SelectParts parse_select_block();
  PlanPtr parse_from();
  PlanPtr parse_relation_with_joins();
  PlanPtr parse_relation_primary();
  PlanPtr parse_values();
  PlanPtr parse_lateral_view(PlanPtr child);
  PlanPtr apply_alias(PlanPtr plan, const std::string& default_alias);
  PlanPtr one_row() const;
  int64_t parse_row_count(const char* clause);
  PlanPtr analyzed(const PlanPtr& plan) const;
  const Catalog& catalog() const;

  // --- statements (statement_parser.cpp) ---
  Statement parse_statement();

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const Catalog* catalog_;
  // WITH name AS (...): visible to the rest of the statement, innermost first.
  std::vector<std::map<std::string, PlanPtr>> ctes_;
  // Subqueries met in expressions, named by index from their marker calls.
  std::shared_ptr<Subqueries> subqueries_ = std::make_shared<Subqueries>();
  // Conjuncts of inner join ON conditions that hold subqueries, for the enclosing block's WHERE.
  std::vector<ExprPtr> join_subquery_filters_;
  ExprPtr parse_subquery(Subquery::Kind kind, ExprPtr tested);
};

}  // namespace ember::sql
