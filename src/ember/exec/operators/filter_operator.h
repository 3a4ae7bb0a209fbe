#pragma once
#include "ember/expr/evaluator.h"
#include "ember/exec/operator.h"

namespace ember {

// Keeps the rows for which a bound predicate is true. The predicate narrows a selection vector
// conjunct by conjunct; surviving rows are gathered once (all rows kept: the batch passes as is).
// Dictionary-encoded strings stay encoded through it.
//
// A parent that reads only some of the columns (a Project over the filter, which is how column
// pruning leaves a filter over a column nothing above needs: TPC-H Q13's o_comment) says which
// with read_only(); the others are not gathered but replaced by a one-value null placeholder that
// keeps the column positions, so the filter never copies strings nobody reads.
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
      if (selection_.size() == in.num_rows) {
        out = std::move(in);
      } else if (read_.empty()) {
        out = in.select(selection_.data(), selection_.size());
      } else {
        out.num_rows = selection_.size();
        out.columns.resize(in.columns.size());
        for (size_t c = 0; c < in.columns.size(); ++c) {
          const Vector& v = *in.columns[c];
          out.columns[c] = c < read_.size() && read_[c]
                               ? gather(v, selection_.data(), selection_.size())
                               : Vector::make_constant(Value::null(v.type()), out.num_rows);
        }
      }
      return true;
    }
    return false;
  }

 public:
  // Only the columns with read[c] set are read by the parent (see the class comment).
  void read_only(std::vector<uint8_t> read) { read_ = std::move(read); }

 private:
  std::vector<uint8_t> read_;
  ExprPtr predicate_;
  ExpressionEvaluator evaluator_;
  SelectionVector selection_;
};

}  // namespace ember
