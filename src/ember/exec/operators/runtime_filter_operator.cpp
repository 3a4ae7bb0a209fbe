#include "ember/exec/operators/runtime_filter_operator.h"

namespace ember {

RuntimeFilterOperator::RuntimeFilterOperator(OperatorPtr child, std::vector<AppliedRuntimeFilter> filters)
    : UnaryOperator("RuntimeFilter", std::move(child)) {
  for (auto& f : filters) filters_.push_back(State{std::move(f), 0, 0});
}

bool RuntimeFilterOperator::produce(Batch& out) {
  Batch in;
  while (child_->next(in)) {
    const size_t n = in.num_rows;
    rows_in_ += static_cast<int64_t>(n);
    // Each filter narrows the rows the previous ones kept.
    bool first = true;
    for (State& f : filters_) {
      keys_.clear();
      for (int c : f.applied.columns) keys_.push_back(in.columns[static_cast<size_t>(c)]);
      const bool bloom = f.applied.filter->bloom &&
                         !(f.tested >= kProbationRows &&
                           static_cast<double>(f.passed) > kUselessPassRate * static_cast<double>(f.tested));
      f.applied.filter->apply(keys_, n, bloom, narrowed_, hashes_);
      if (bloom) {
        f.tested += static_cast<int64_t>(n);
        f.passed += static_cast<int64_t>(narrowed_.size());
      }
      if (first) {
        sel_.swap(narrowed_);
        first = false;
      } else {
        // Both lists are ascending: keep the rows in both.
        size_t kept = 0, j = 0;
        for (uint32_t row : sel_) {
          while (j < narrowed_.size() && narrowed_[j] < row) ++j;
          if (j < narrowed_.size() && narrowed_[j] == row) sel_[kept++] = row;
        }
        sel_.resize(kept);
      }
      if (sel_.empty()) break;
    }
    if (first) sel_.resize(n);  // no filters: unreachable in practice, keeps every row
    rows_kept_ += static_cast<int64_t>(sel_.size());
    if (sel_.empty()) continue;
    out = sel_.size() == n ? std::move(in) : in.select(sel_.data(), sel_.size());
    return true;
  }
  return false;
}

}  // namespace ember
