#include "ember/plan/set_operation.h"

#include "ember/common/error.h"

namespace ember {

void require_no_map_in_set_operation(const std::string& column, const DataType& type) {
  if (!type_contains_map(type)) return;
  throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE",
              "The feature is not supported: Cannot have MAP type columns in DataFrame which calls set "
              "operations (INTERSECT, EXCEPT, etc.), but the type of column `" +
                  column + "` is \"" + type.sql_string() + "\".");
}

void require_no_map_in_set_operation(const std::vector<ExprPtr>& columns) {
  for (const auto& c : columns) require_no_map_in_set_operation(c->name, c->type);
}

PlanPtr make_set_operation(const PlanPtr& left, const PlanPtr& right, bool intersect, bool all,
                           const AnalyzePlan& analyze) {
  const char* name = intersect ? (all ? "INTERSECT ALL" : "INTERSECT") : (all ? "EXCEPT ALL" : "EXCEPT");
  if (left->output.size() != right->output.size()) {
    throw_error(
        ErrorKind::kAnalysis, "NUM_COLUMNS_MISMATCH",
        std::string(name) + " can only be performed on inputs with the same number of columns, but the " +
            "first input has " + std::to_string(left->output.size()) + " columns and the second input has " +
            std::to_string(right->output.size()) + " columns.");
  }
  require_no_map_in_set_operation(left->output);
  // The right side's columns under fresh, unique names, so the condition is never ambiguous (not
  // even for a plan intersected with itself).
  std::vector<ExprPtr> renamed;
  for (size_t i = 0; i < right->output.size(); ++i) {
    renamed.push_back(make_alias(right->output[i], "__set_right_" + std::to_string(i)));
  }
  PlanPtr l = left;
  PlanPtr r = analyze(make_project(right, renamed));
  if (all) {
    auto numbered = [&](const PlanPtr& p, const std::vector<ExprPtr>& cols, const char* as) {
      std::vector<ExprPtr> orders;
      for (const auto& c : cols) orders.push_back(make_sort_order(c, true, true));
      ExprPtr rn = make_window(make_call("row_number", {}), cols, orders, FrameType::kDefault,
                               kUnboundedPreceding, kCurrentRow);
      return analyze(make_project(p, {make_star(), make_alias(rn, as)}));
    };
    l = numbered(l, left->output, "__set_occurrence");
    r = numbered(r, std::vector<ExprPtr>(r->output.begin(), r->output.end()), "__set_right_occurrence");
  }
  ExprPtr condition;
  for (size_t i = 0; i < left->output.size(); ++i) {
    ExprPtr eq = make_call("<=>", {l->output[i], make_column("__set_right_" + std::to_string(i))});
    condition = condition ? make_and(condition, eq) : eq;
  }
  if (all) {
    condition = make_and(
        condition, make_call("=", {make_column("__set_occurrence"), make_column("__set_right_occurrence")}));
  }
  PlanPtr joined = analyze(make_join(l, r, intersect ? JoinType::kLeftSemi : JoinType::kLeftAnti, condition));
  if (all) {
    std::vector<ExprPtr> keep(joined->output.begin(),
                              joined->output.begin() + static_cast<long>(left->output.size()));
    return analyze(make_project(joined, keep));
  }
  return analyze(make_distinct(joined));
}

}  // namespace ember
