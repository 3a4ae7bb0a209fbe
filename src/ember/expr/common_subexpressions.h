#pragma once
// Common-subexpression elimination for a projection (Spark's subexpression elimination,
// spark.sql.subexpressionElimination.enabled): a subexpression that occurs more than once in a
// list of bound expressions is computed once per batch, as an extra column after the input's,
// and every occurrence reads that column.
//
// Only subexpressions evaluated for every row are shared: the right side of AND/OR and the
// branches of CASE (all but its first condition) run on some rows only, so that `b <> 0 AND
// a / b > 1` never divides by zero; an expression that also occurs there is shared when it
// occurs once outside them too (its value per row is the same wherever it is read).
// Non-deterministic expressions are never shared.
#include <vector>

#include "ember/expr/expression.h"

namespace ember {

struct SharedSubexpressions {
  // Computed in this order over the input batch extended by the ones before; the i-th becomes
  // input column `input_width + i`.
  std::vector<ExprPtr> shared;
  // The original list with every shared occurrence replaced by a BoundRef to its column.
  std::vector<ExprPtr> exprs;
};

// `exprs` are bound to an input of `input_width` columns (BoundRefs below input_width).
SharedSubexpressions share_common_subexpressions(const std::vector<ExprPtr>& exprs, int input_width);

}  // namespace ember
