#pragma once
// Which filter conjuncts a Parquet scan evaluates while it reads (late materialisation): the scan
// decodes the columns these conjuncts read first, narrows a selection vector conjunct by
// conjunct, and decodes its other columns only at the rows still selected (or skips them when
// none is). The FilterOperator above the scan keeps whatever the scan does not take.
//
// A conjunct qualifies when evaluating it on any row can neither fail nor depend on which rows
// were evaluated before it, so taking it out of the filter's order cannot change an answer or an
// error: comparisons (=, <=>, <, <=, >, >=) of a column with a literal of the same type, IN
// lists of such literals, IS [NOT] NULL, and AND / OR / NOT of those. The columns must be flat
// data columns of the files (not partition columns, which are constant per file and pruned
// before it is opened).
#include <functional>
#include <vector>

#include "ember/expr/expression.h"

namespace ember {

// `conjunct` is bound to the scan's output (BoundRefs); `flat_data_column(i)` says whether output
// column i may be filtered in the scan.
bool parquet_scan_can_evaluate(const Expr& conjunct, const std::function<bool(int)>& flat_data_column);

// The output columns a bound conjunct reads, ascending and distinct.
std::vector<int> referenced_columns(const Expr& conjunct);

}  // namespace ember
