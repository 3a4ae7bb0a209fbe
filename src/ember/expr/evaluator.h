#pragma once
// Evaluates bound expressions (BoundRef, Literal, Call, Cast, Case, And, Or, Not) over batches.
//
// Evaluation is vectorised and selection-aware: eval(expr, batch, sel) computes the expression for
// the rows sel[0..m) only and returns a vector of m rows. Conditional forms use this to evaluate a
// branch only on the rows that reach it, so that `when(b != 0, a / b)` never divides by zero under
// ANSI mode, and `x IS NOT NULL AND f(x)` never calls f on a null row — Spark's per-row semantics
// with whole-vector execution.
#include "ember/expr/expression.h"
#include "ember/functions/function.h"
#include "ember/vector/batch.h"

namespace ember {

class ExpressionEvaluator {
 public:
  explicit ExpressionEvaluator(const EvalContext& ctx) : ctx_(ctx) {}

  // All rows of `input`. The result may be a constant vector (literals) or share a column of
  // `input` (plain column references, which may be dictionary vectors when the operator asked for
  // them: see vector.h). Every kernel and every form inside the evaluator sees flat vectors.
  VectorPtr eval(const Expr& expr, const Batch& input);
  // Rows sel[0..m) of `input` only; the result has m rows.
  VectorPtr eval(const Expr& expr, const Batch& input, const SelectionVector& sel);

  // Rows of `input` for which `predicate` is true (not false, not null), in increasing order.
  // Conjunctions narrow the selection term by term.
  void select(const Expr& predicate, const Batch& input, SelectionVector& out);

  const EvalContext& context() const { return ctx_; }
  // Called by an operator after each input batch, so row-position functions
  // (monotonically_increasing_id) keep counting across batches.
  void advance_rows(size_t n) { ctx_.row_offset += static_cast<int64_t>(n); }

 private:
  VectorPtr eval_rows(const Expr& expr, const Batch& input, const SelectionVector* sel, size_t n);
  VectorPtr eval_call(const Expr& expr, const Batch& input, const SelectionVector* sel, size_t n);
  VectorPtr eval_logical(const Expr& expr, const Batch& input, const SelectionVector* sel, size_t n);
  VectorPtr eval_case(const Expr& expr, const Batch& input, const SelectionVector* sel, size_t n);
  void select_rows(const Expr& predicate, const Batch& input, SelectionVector& rows);
  // A per_value function whose one non-constant argument is a dictionary vector: computed once
  // per dictionary entry (cached while the dictionary stays the same, i.e. for a whole Parquet
  // column chunk) and looked up by each row's code. nullptr when the arguments do not qualify.
  VectorPtr eval_per_dictionary_entry(const Expr& expr, const std::vector<VectorPtr>& args, size_t n);

  // Per call site, the dictionary last seen and the function's value for each of its entries.
  struct DictionaryResult {
    const Expr* expr;
    VectorPtr dictionary;
    VectorPtr values;
  };
  std::vector<DictionaryResult> dictionary_results_;
  EvalContext ctx_;
};

// Evaluates a bound expression with no column references (constant folding, literals in plans).
Value evaluate_constant(const Expr& expr, const EvalContext& ctx);

}  // namespace ember
