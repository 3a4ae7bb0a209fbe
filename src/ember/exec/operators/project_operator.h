#pragma once
#include "ember/expr/evaluator.h"
#include "ember/exec/operator.h"

namespace ember {

// Computes bound expressions over each batch. Column references pass their vectors through
// without copying; constants are flattened so downstream operators see plain columns.
class ProjectOperator final : public UnaryOperator {
 public:
  ProjectOperator(OperatorPtr child, std::vector<ExprPtr> exprs, const EvalContext& ctx)
      : UnaryOperator("Project", std::move(child)), exprs_(std::move(exprs)), evaluator_(ctx) {}

 protected:
  bool produce(Batch& out) override {
    Batch in;
    if (!child_->next(in)) return false;
    out.columns.clear();
    out.num_rows = in.num_rows;
    for (const auto& e : exprs_) out.columns.push_back(flatten(evaluator_.eval(*e, in)));
    evaluator_.advance_rows(in.num_rows);
    return true;
  }

 private:
  std::vector<ExprPtr> exprs_;
  ExpressionEvaluator evaluator_;
};

}  // namespace ember
