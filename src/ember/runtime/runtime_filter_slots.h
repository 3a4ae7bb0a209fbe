#pragma once
// The job runner's side of runtime filters (exec/runtime_filter.h, physical/runtime_filter_planner.cpp):
// one slot per filter of a job; the creation side's map tasks fill its builder while they write
// their exchange, the stage-completion hook publishes the filter, and the application scans of
// later stages wrap themselves in a RuntimeFilterOperator over it.
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "ember/exec/operators/runtime_filter_operator.h"
#include "ember/exec/runtime_filter.h"
#include "ember/expr/evaluator.h"
#include "ember/physical/physical_plan.h"

namespace ember {

class ParquetScanOperator;

struct RuntimeFilterSlot {
  explicit RuntimeFilterSlot(const RuntimeFilterSource& source);
  RuntimeFilterBuilder builder;
  std::mutex mu;
  std::shared_ptr<const RuntimeFilter> filter;  // set when the creation stage completed
};

using RuntimeFilterSlots = std::map<int, std::shared_ptr<RuntimeFilterSlot>>;

// Adds a slot for every runtime filter `exchange` creates.
void add_runtime_filter_slots(const PhysicalPlan& exchange, RuntimeFilterSlots& slots);

// Collects the runtime filters of one creation exchange in one map task.
class RuntimeFilterCollector {
 public:
  RuntimeFilterCollector(const PhysicalPlan& exchange, const RuntimeFilterSlots& slots,
                         const EvalContext& eval);
  bool empty() const { return entries_.empty(); }
  void add(const Batch& batch);
  // After the task wrote everything: hands the task's partial filters to the slots.
  void commit(int partition);

 private:
  struct Entry {
    const RuntimeFilterSource* source;
    std::shared_ptr<RuntimeFilterSlot> slot;
    RuntimeFilterBuilder::Partial partial;
  };
  std::vector<Entry> entries_;
  ExpressionEvaluator evaluator_;
};

// Stage-completion hook of a creation stage: publishes its filters.
void publish_runtime_filters(const PhysicalPlan& exchange, const RuntimeFilterSlots& slots);

// The filters published for a kRuntimeFilter node (or a scan), in its target order; a filter
// not published yet is left out.
std::vector<AppliedRuntimeFilter> published_runtime_filters(const PhysicalPlan& node,
                                                            const RuntimeFilterSlots& slots);

// Lets a Parquet scan skip row groups and pages by the ranges of the filters published for it.
void prune_by_runtime_filters(ParquetScanOperator& scan, const PhysicalPlan& scan_node,
                              const RuntimeFilterSlots& slots);

}  // namespace ember
