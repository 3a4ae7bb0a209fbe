#pragma once
// CAST between ember's types, with Spark 4's semantics: under ANSI mode an invalid or
// overflowing value raises CAST_INVALID_INPUT / CAST_OVERFLOW / NUMERIC_VALUE_OUT_OF_RANGE;
// otherwise (and for try_cast, which evaluates with ansi = false) it becomes NULL.
#include <string>

#include "ember/functions/function.h"
#include "ember/types/data_type.h"
#include "ember/vector/vector.h"

namespace ember {

// Casts every row of `in` (flat or constant; a constant stays constant) to `to`. `expr_sql` is
// the CAST expression's text; the evaluator appends it to errors, so it is used only when a
// message must name the expression itself.
VectorPtr cast_vector(const VectorPtr& in, const DataType& to, const EvalContext& ctx,
                      const std::string& expr_sql);

// Is an explicit CAST from `from` to `to` allowed? With ansi, Spark's Cast.canAnsiCast;
// without, Cast.canCast (a superset: e.g. date -> int, boolean -> timestamp, int -> binary).
// The two-argument form answers for the permissive rules; every pair it accepts casts at run
// time in either mode.
bool can_cast(const DataType& from, const DataType& to, bool ansi);
bool can_cast(const DataType& from, const DataType& to);

}  // namespace ember
