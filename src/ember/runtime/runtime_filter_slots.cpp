#include "ember/runtime/runtime_filter_slots.h"

#include "ember/io/parquet/parquet_scan_operator.h"

namespace ember {

namespace {

std::vector<DataType> key_types(const RuntimeFilterSource& source) {
  std::vector<DataType> types;
  for (const auto& k : source.keys) types.push_back(k->type);
  return types;
}

}  // namespace

RuntimeFilterSlot::RuntimeFilterSlot(const RuntimeFilterSource& source)
    : builder(key_types(source), source.max_items, source.fpp,
              static_cast<size_t>(std::max<int64_t>(source.max_bytes, 0))) {}

void add_runtime_filter_slots(const PhysicalPlan& exchange, RuntimeFilterSlots& slots) {
  for (const auto& source : exchange.runtime_filter_sources) {
    slots[source.filter_id] = std::make_shared<RuntimeFilterSlot>(source);
  }
}

RuntimeFilterCollector::RuntimeFilterCollector(const PhysicalPlan& exchange, const RuntimeFilterSlots& slots,
                                               const EvalContext& eval)
    : evaluator_(eval) {
  for (const auto& source : exchange.runtime_filter_sources) {
    auto it = slots.find(source.filter_id);
    if (it == slots.end()) continue;
    entries_.push_back(Entry{&source, it->second, it->second->builder.new_partial()});
  }
}

void RuntimeFilterCollector::add(const Batch& batch) {
  for (Entry& e : entries_) {
    std::vector<VectorPtr> keys;
    keys.reserve(e.source->keys.size());
    for (const auto& k : e.source->keys) keys.push_back(evaluator_.eval(*k, batch));
    e.slot->builder.add(e.partial, keys, batch.num_rows);
  }
}

void RuntimeFilterCollector::commit(int partition) {
  for (Entry& e : entries_) e.slot->builder.commit(partition, std::move(e.partial));
}

void publish_runtime_filters(const PhysicalPlan& exchange, const RuntimeFilterSlots& slots) {
  for (const auto& source : exchange.runtime_filter_sources) {
    auto it = slots.find(source.filter_id);
    if (it == slots.end()) continue;
    auto filter = it->second->builder.finish();
    std::lock_guard<std::mutex> lock(it->second->mu);
    it->second->filter = std::move(filter);
  }
}

std::vector<AppliedRuntimeFilter> published_runtime_filters(const PhysicalPlan& node,
                                                            const RuntimeFilterSlots& slots) {
  std::vector<AppliedRuntimeFilter> filters;
  for (const auto& target : node.runtime_filters) {
    auto it = slots.find(target.filter_id);
    if (it == slots.end()) continue;
    std::shared_ptr<const RuntimeFilter> filter;
    {
      std::lock_guard<std::mutex> lock(it->second->mu);
      filter = it->second->filter;
    }
    // Not published: the node's stage did not wait for the creation stage (a dependency the job
    // runner could not add); the filter is an optimisation, so the rows pass untested.
    if (filter) filters.push_back(AppliedRuntimeFilter{std::move(filter), target.columns});
  }
  return filters;
}

void prune_by_runtime_filters(ParquetScanOperator& scan, const PhysicalPlan& scan_node,
                              const RuntimeFilterSlots& slots) {
  std::vector<ParquetRuntimeRange> ranges;
  for (const auto& f : published_runtime_filters(scan_node, slots)) {
    for (size_t k = 0; k < f.columns.size(); ++k) {
      if (auto range = f.filter->range_values(k))
        ranges.push_back(ParquetRuntimeRange{f.columns[k], range->first, range->second});
    }
  }
  scan.add_runtime_ranges(ranges);
}

}  // namespace ember
