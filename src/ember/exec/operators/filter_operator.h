#pragma once
#include "ember/expr/evaluator.h"
#include "ember/exec/operator.h"

namespace ember {

// Keeps the rows for which a bound predicate is true. The predicate narrows a selection vector
// conjunct by conjunct; surviving rows are gathered once (all rows kept: the batch passes as is).
// Dictionary-encoded strings stay encoded through it.
class FilterOperator final : public UnaryOperator {
 public:
  FilterOperator(OperatorPtr child, ExprPtr predicate, const EvalContext& ctx)
      : UnaryOperator("Filter", std::move(child)), predicate_(std::move(predicate)), evaluator_(ctx) {
    // The predicate runs once per dictionary entry where it can, and the surviving rows keep
    // their codes (gather); next() decodes them if the parent did not ask for dictionaries.
    child_->request_dictionaries();
  }

 protected:
  bool produce(Batch& out) override {
    Batch in;
    while (child_->next(in)) {
      evaluator_.select(*predicate_, in, selection_);
      evaluator_.advance_rows(in.num_rows);
      if (selection_.empty()) continue;
      out = selection_.size() == in.num_rows ? std::move(in) : in.select(selection_.data(), selection_.size());
      return true;
    }
    return false;
  }

 private:
  ExprPtr predicate_;
  ExpressionEvaluator evaluator_;
  SelectionVector selection_;
};

}  // namespace ember
