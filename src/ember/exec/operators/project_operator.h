#pragma once
#include "ember/expr/evaluator.h"
#include "ember/exec/operator.h"

namespace ember {

// Computes bound expressions over each batch. Column references pass their vectors through
// without copying (dictionary vectors included, which next() decodes unless the parent asked for
// them); constants are flattened so downstream operators see plain columns.
// `shared` (common_subexpressions.h) are computed first, once per batch, as extra columns after
// the first `input_width` input columns; `exprs` read them as BoundRefs.
class ProjectOperator final : public UnaryOperator {
 public:
  ProjectOperator(OperatorPtr child, std::vector<ExprPtr> exprs, const EvalContext& ctx,
                  std::vector<ExprPtr> shared = {}, int input_width = 0)
      : UnaryOperator("Project", std::move(child)),
        exprs_(std::move(exprs)),
        shared_(std::move(shared)),
        input_width_(static_cast<size_t>(input_width)),
        evaluator_(ctx) {
    child_->request_dictionaries();
  }

 protected:
  bool produce(Batch& out) override {
    Batch in;
    if (!child_->next(in)) return false;
    out.columns.clear();
    out.num_rows = in.num_rows;
    if (!shared_.empty()) {
      // The input's columns (pointers, not copies) followed by each shared subexpression.
      in.columns.resize(input_width_);
      for (const auto& e : shared_) in.columns.push_back(evaluator_.eval(*e, in));
    }
    for (const auto& e : exprs_) {
      VectorPtr v = evaluator_.eval(*e, in);
      out.columns.push_back(v->is_constant() ? flatten(v) : std::move(v));
    }
    evaluator_.advance_rows(in.num_rows);
    return true;
  }

 private:
  std::vector<ExprPtr> exprs_;
  std::vector<ExprPtr> shared_;
  size_t input_width_;
  ExpressionEvaluator evaluator_;
};

}  // namespace ember
