#pragma once
// The analyzer turns an unresolved logical plan into a resolved one: column names become
// attributes, function names become bound functions, implicit casts are inserted, API-shaped nodes
// (WithColumns, Drop, Distinct, ...) become core nodes, and a plan that cannot run is rejected with
// an error a user can act on (the unknown name, close matches, the available columns).
#include "ember/plan/logical_plan.h"

namespace ember {

struct AnalyzerOptions {
  bool ansi = true;
  bool case_sensitive = false;  // spark.sql.caseSensitive
};

class Analyzer {
 public:
  explicit Analyzer(AnalyzerOptions options) : options_(options) {}
  PlanPtr analyze(const PlanPtr& plan) const;

  // Resolves one expression against input attributes (also used by the API for sort orders and
  // by tests). Aggregates are allowed only when `allow_aggregates`.
  ExprPtr resolve_expression(const ExprPtr& expr, const std::vector<ExprPtr>& input, bool allow_aggregates) const;

 private:
  PlanPtr resolve_node(const PlanPtr& plan) const;
  PlanPtr resolve_project(const PlanPtr& child, const std::vector<ExprPtr>& exprs) const;
  PlanPtr resolve_aggregate(const PlanPtr& child, const std::vector<ExprPtr>& grouping,
                            const std::vector<ExprPtr>& exprs) const;
  PlanPtr resolve_union(const std::vector<PlanPtr>& children) const;
  PlanPtr resolve_union_by_name(const PlanPtr& a, const PlanPtr& b, bool allow_missing) const;
  PlanPtr resolve_join(const LogicalPlan& join, PlanPtr left, PlanPtr right) const;
  PlanPtr extract_windows(const PlanPtr& child, std::vector<ExprPtr> list) const;
  PlanPtr resolve_generator(const PlanPtr& child, const std::vector<ExprPtr>& exprs, size_t at) const;
  ExprPtr resolve_window(const Expr& window, const std::vector<ExprPtr>& input) const;
  ExprPtr resolve_column(const Expr& column, const std::vector<ExprPtr>& input) const;
  // "s.a.b" as column s (or t.s) and its nested fields a, b; nullptr when no column starts it.
  ExprPtr resolve_nested_field(const Expr& column, const std::vector<ExprPtr>& input) const;
  // The column name Spark gives an unaliased expression holding `x[key]` extractions.
  std::string name_with_extracts(const ExprPtr& e, const std::vector<ExprPtr>& input) const;
  ExprPtr bind_call(const Expr& call, std::vector<ExprPtr> args) const;
  ExprPtr bind_aggregate(const Expr& call, std::vector<ExprPtr> args) const;
  ExprPtr resolve_case(const Expr& e, std::vector<ExprPtr> children) const;
  std::vector<ExprPtr> expand_projection(const std::vector<ExprPtr>& exprs, const std::vector<ExprPtr>& input,
                                         bool allow_aggregates) const;

  AnalyzerOptions options_;
};

// Names a user probably meant: up to `limit` of `candidates` closest to `name` by edit distance.
std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       size_t limit);

// Casts `e` to `to` unless it already has that type (literals are cast eagerly at fold time).
ExprPtr cast_if_needed(const ExprPtr& e, const DataType& to);

}  // namespace ember
