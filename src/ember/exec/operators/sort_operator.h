#pragma once
#include "ember/expr/evaluator.h"
#include "ember/exec/operator.h"

namespace ember {

// Sorts its whole input (one partition) by bound sort orders; with a limit, keeps only the first
// `limit` rows (top-N), which is what order_by(...).limit(n) and show() after order_by need.
// Equal keys keep their input order (deterministic output). Keys are normalized into
// memcmp-comparable byte strings and radix-sorted (exec/sort/normalized_sort_key.h); the payload is
// gathered once per output batch in sorted order.
class SortOperator final : public UnaryOperator {
 public:
  SortOperator(OperatorPtr child, std::vector<ExprPtr> orders, int64_t limit, const EvalContext& ctx);

 protected:
  bool produce(Batch& out) override;

 private:
  std::vector<ExprPtr> orders_;
  int64_t limit_;
  ExpressionEvaluator evaluator_;
  bool sorted_ = false;
  Batch all_;                    // the whole input
  std::vector<uint32_t> order_;  // its rows in sorted order (first `limit` of them for top-N)
  size_t emitted_ = 0;
};

}  // namespace ember
