#pragma once
// Applies runtime filters (exec/runtime_filter.h): keeps the rows whose join keys may find a
// partner on the join's creation side. The planner puts it in the application side's pipeline,
// below any exchange or aggregation that would otherwise carry the dropped rows.
//
// A bloom filter that drops almost nothing costs a hash and a cache miss per row for no gain;
// after kProbationRows rows the operator stops testing a bloom filter that kept more than
// kUselessPassRate of them (ranges, which are nearly free, stay on). Rows it dropped are counted
// for the job metrics (rows_filtered()).
#include <memory>
#include <vector>

#include "ember/exec/operator.h"
#include "ember/exec/runtime_filter.h"

namespace ember {

struct AppliedRuntimeFilter {
  std::shared_ptr<const RuntimeFilter> filter;
  std::vector<int> columns;  // the child's output column of each key
};

class RuntimeFilterOperator final : public UnaryOperator {
 public:
  static constexpr int64_t kProbationRows = 64 * 1024;
  static constexpr double kUselessPassRate = 0.9;

  RuntimeFilterOperator(OperatorPtr child, std::vector<AppliedRuntimeFilter> filters);
  int64_t rows_filtered() const { return rows_in_ - rows_kept_; }

 protected:
  bool produce(Batch& out) override;
  // Rows pass through whole (only dropped ones vanish), so dictionary vectors can too: the key
  // columns are decoded only for the test, the batch keeps its codes (Batch::select gathers them).
  void on_dictionaries_requested() override { child_->request_dictionaries(); }

 private:
  struct State {
    AppliedRuntimeFilter applied;
    int64_t tested = 0, passed = 0;  // rows that reached this filter's bloom test, and kept
  };
  std::vector<State> filters_;
  std::vector<uint32_t> sel_, narrowed_;
  std::vector<uint64_t> hashes_;
  std::vector<VectorPtr> keys_;
  int64_t rows_in_ = 0, rows_kept_ = 0;
};

}  // namespace ember
