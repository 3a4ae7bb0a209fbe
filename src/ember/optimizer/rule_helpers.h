#pragma once
// Small plan and expression builders shared by the optimizer rules that add new nodes or calls
// (inferred filters, simplified expressions). Rules only ever build resolved trees.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "ember/plan/logical_plan.h"

namespace ember {

// A resolved call of the registered scalar function `name` on resolved `args`, bound exactly as
// the analyzer binds it (same kernel, result type and nullability).
ExprPtr resolved_call(const std::string& name, std::vector<ExprPtr> args, bool ansi);

// A resolved Filter(AND of conjuncts) over `child`.
PlanPtr filter_over(const PlanPtr& child, const std::vector<ExprPtr>& conjuncts);

// Ids of the attributes `plan` outputs.
std::set<int64_t> output_ids(const LogicalPlan& plan);

// Does `e` reference at least one attribute, and only attributes in `allowed`?
bool references_only_ids(const ExprPtr& e, const std::set<int64_t>& allowed);

// A call of one of the comparison functions (=, <>, <, <=, >, >=), by the name it is bound under.
bool is_comparison_call(const Expr& e, const char* op);

// Applies `fn` bottom-up (transform_up) to every expression of every node: projections,
// aggregate outputs and grouping keys (rewritten by the same function, so they stay equal),
// filter and join conditions, sort orders, window and generator expressions. Nodes whose
// expressions did not change keep their identity, so the driver sees a fixed point. `fn` must
// keep each expression's type (its nullability may only get looser or stay).
PlanPtr transform_plan_expressions(const PlanPtr& plan, const std::function<ExprPtr(const ExprPtr&)>& fn);

// Null-intolerant: the result is null whenever any input is null (Spark's NullIntolerant). True
// for attributes, comparisons (not <=>), arithmetic, NOT and casts built only of those.
bool is_null_intolerant(const ExprPtr& e);

}  // namespace ember
