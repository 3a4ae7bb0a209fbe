#pragma once
// INTERSECT / EXCEPT [ALL] as plans of other operators, as Spark's optimizer rewrites them
// (ReplaceIntersectWithSemiJoin, ReplaceExceptWithAntiJoin): a left semi (anti) join on every
// column with `<=>` (nulls match, as set operations compare), then a distinct. The ALL forms keep
// multiplicity instead: each row is numbered within its group of equal rows on both sides and the
// number joins too, so the k-th copy of a row meets only the k-th copy on the other side.
// The one home of this composition: DataFrame::intersect/subtract/*_all and SQL's set operations.
#include <functional>
#include <string>
#include <vector>

#include "ember/plan/logical_plan.h"

namespace ember {

// Turns a plan into its analyzed form (the caller's analyzer and session options).
using AnalyzePlan = std::function<PlanPtr(const PlanPtr&)>;

// `left` and `right` are analyzed; throws NUM_COLUMNS_MISMATCH when their widths differ.
// Also throws UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE when a column is or holds a map.
PlanPtr make_set_operation(const PlanPtr& left, const PlanPtr& right, bool intersect, bool all,
                           const AnalyzePlan& analyze);

// Spark's check for INTERSECT, EXCEPT and DISTINCT: no column may be or hold a map (maps have no
// equality); throws UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE naming the first such column.
void require_no_map_in_set_operation(const std::vector<ExprPtr>& columns);
// The same for one column (drop_duplicates' subset keys, as Spark's Deduplicate).
void require_no_map_in_set_operation(const std::string& column, const DataType& type);

}  // namespace ember
