#include "ember/exec/operators/sort_operator.h"

#include <algorithm>
#include <numeric>

#include "ember/exec/sort/row_comparator.h"

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
    Batch all = concat_batches(input);
    input.clear();
    std::vector<VectorPtr> keys;
    std::vector<SortKeySpec> specs;
    for (const auto& o : orders_) {
      keys.push_back(evaluator_.eval(*o->children[0], all));
      specs.push_back(SortKeySpec{o->ascending, o->nulls_first});
    }
    RowComparator cmp(std::move(keys), std::move(specs));
    std::vector<uint32_t> order(all.num_rows);
    std::iota(order.begin(), order.end(), 0u);
    auto less = [&](uint32_t a, uint32_t b2) {
      int c = cmp.compare(a, b2);
      return c != 0 ? c < 0 : a < b2;  // ties keep input order
    };
    if (limit_ >= 0 && static_cast<size_t>(limit_) < order.size()) {
      std::partial_sort(order.begin(), order.begin() + limit_, order.end(), less);
      order.resize(static_cast<size_t>(limit_));
    } else {
      std::sort(order.begin(), order.end(), less);
    }
    result_ = all.select(order.data(), order.size());
  }
  if (emitted_ >= result_.num_rows) return false;
  size_t n = std::min(kBatchSize, result_.num_rows - emitted_);
  if (emitted_ == 0 && n == result_.num_rows) {
    out = result_;
  } else {
    SelectionVector sel(n);
    std::iota(sel.begin(), sel.end(), static_cast<uint32_t>(emitted_));
    out = result_.select(sel.data(), n);
  }
  emitted_ += n;
  return true;
}

}  // namespace ember
