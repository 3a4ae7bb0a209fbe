#include "ember/exec/operators/sort_operator.h"

#include <algorithm>

#include "ember/exec/sort/normalized_sort_key.h"

namespace ember {

SortOperator::SortOperator(OperatorPtr child, std::vector<ExprPtr> orders, int64_t limit, const EvalContext& ctx)
    : UnaryOperator(limit >= 0 ? "TopN" : "Sort", std::move(child)), orders_(std::move(orders)), limit_(limit),
      evaluator_(ctx) {}

bool SortOperator::produce(Batch& out) {
  if (!sorted_) {
    sorted_ = true;
    std::vector<Batch> input;
    Batch b;
    while (child_->next(b)) input.push_back(std::move(b));
    if (input.empty()) return false;
    all_ = concat_batches(input);
    input.clear();
    std::vector<VectorPtr> keys;
    std::vector<SortKeySpec> specs;
    for (const auto& o : orders_) {
      keys.push_back(evaluator_.eval(*o->children[0], all_));
      specs.push_back(SortKeySpec{o->ascending, o->nulls_first});
    }
    order_ = sort_rows(keys, specs, limit_);
  }
  if (emitted_ >= order_.size()) return false;
  size_t n = std::min(kBatchSize, order_.size() - emitted_);
  out = all_.select(order_.data() + emitted_, n);
  emitted_ += n;
  return true;
}

}  // namespace ember
