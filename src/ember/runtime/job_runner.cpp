#include "ember/runtime/job_runner.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "ember/common/error.h"
#include "ember/exec/hashtable/join_hash_table.h"
#include "ember/exec/hashtable/vector_hash.h"
#include "ember/exec/operators/batch_source_operator.h"
#include "ember/exec/operators/filter_operator.h"
#include "ember/exec/operators/generate_operator.h"
#include "ember/exec/operators/hash_aggregate_operator.h"
#include "ember/exec/operators/hash_join_operator.h"
#include "ember/exec/operators/limit_operator.h"
#include "ember/exec/operators/nested_loop_join_operator.h"
#include "ember/exec/operators/project_operator.h"
#include "ember/exec/operators/range_scan_operator.h"
#include "ember/exec/operators/sample_operator.h"
#include "ember/exec/operators/sort_operator.h"
#include "ember/exec/operators/window_operator.h"
#include "ember/exec/sort/row_comparator.h"
#include "ember/io/bad_records.h"
#include "ember/io/csv/csv_options.h"
#include "ember/io/csv/csv_reader.h"
#include "ember/io/json/json_reader.h"
#include "ember/io/parquet/parquet_scan_operator.h"
#include "ember/runtime/block_manager.h"
#include "ember/runtime/runtime_filter_slots.h"
#include "ember/runtime/scheduler.h"
#include "ember/runtime/shuffle/shuffle_manager.h"
#include "ember/types/time_zone.h"

namespace ember {

namespace {

// Shared state of one range exchange: key samples from the map side, split points for the
// reduce side. Samples are every kSampleStride-th row, so the bounds (and with them every row's
// partition) are the same however often a task is recomputed.
struct RangeExchangeState {
  static constexpr size_t kSampleStride = 16;
  std::mutex mu;
  std::vector<std::pair<int, Batch>> samples;  // (map partition, sampled keys)
  Batch bounds;                                // num_partitions - 1 rows of key columns
  std::vector<SortKeySpec> specs;
};

// The build side of one broadcast exchange, prepared once per job by the first task that needs it
// and then shared read-only by every task of the consuming stage.
struct BroadcastState {
  std::mutex mu;
  std::shared_ptr<const JoinHashTable> table;          // hash join
  std::shared_ptr<const std::vector<Batch>> batches;   // nested-loop join
};

// Exchange state shared by the tasks of one job, by shuffle id, and where its cached relations'
// partitions are (JobEnvironment::blocks and unstored).
struct JobExchanges {
  std::map<int, std::shared_ptr<RangeExchangeState>> ranges;
  std::map<int, std::shared_ptr<BroadcastState>> broadcasts;
  BlockManager* blocks = nullptr;
  const UnstoredPartitions* unstored = nullptr;
  RuntimeFilterSlots runtime_filters;  // by filter id
};

std::vector<DataType> types_of(const std::vector<ExprPtr>& attrs) {
  std::vector<DataType> types;
  types.reserve(attrs.size());
  for (const auto& a : attrs) types.push_back(a->type);
  return types;
}

// Which input columns a projection reads (its outputs and its shared subexpressions); a shared
// subexpression's own columns (past the input width) are not input columns.
std::vector<uint8_t> columns_read(const PhysicalPlan& project) {
  std::vector<uint8_t> read(project.children[0]->output.size(), 0);
  auto mark = [&](const ExprPtr& e) {
    if (e->kind == ExprKind::kBoundRef && e->index >= 0 && static_cast<size_t>(e->index) < read.size())
      read[static_cast<size_t>(e->index)] = 1;
  };
  for (const auto& e : project.exprs) visit(e, mark);
  for (const auto& e : project.shared_exprs) visit(e, mark);
  return read;
}

bool is_broadcast(const PhysPtr& node) {
  return (node->kind == PhysKind::kExchange && node->partitioning.kind == PartitioningKind::kBroadcast) ||
         (node->kind == PhysKind::kShuffleRead && node->broadcast_read);
}

// The shuffle a broadcast build side reads: its broadcast exchange's, or (adaptive execution
// switched a shuffled join) the hash exchange's whose whole output it reads.
int broadcast_shuffle_id(const PhysicalPlan& node) {
  return node.kind == PhysKind::kShuffleRead ? node.children[0]->shuffle_id : node.shuffle_id;
}

std::vector<Batch> read_broadcast_rows(ShuffleManager& shuffle, const PhysicalPlan& node) {
  if (node.kind != PhysKind::kShuffleRead) return shuffle.read(node.shuffle_id, 0);
  const PhysicalPlan& exchange = *node.children[0];
  std::vector<Batch> rows;
  for (int r = 0; r < exchange.partitioning.num_partitions; ++r) {
    for (Batch& b : shuffle.read(exchange.shuffle_id, r)) rows.push_back(std::move(b));
  }
  return rows;
}

// Stage-level record of CSV split boundaries, to catch a quoted line break that crosses a split.
struct CsvBoundaryCheck {
  struct Entry {
    const void* scan_node;  // the same file may be scanned twice in one stage (a self-union)
    std::string path;
    int64_t start;
    int64_t record_start;
    int64_t record_end;
  };
  std::mutex mu;
  std::vector<Entry> entries;
};

std::vector<SortKeySpec> specs_of(const std::vector<ExprPtr>& orders) {
  std::vector<SortKeySpec> specs;
  for (const auto& o : orders) specs.push_back(SortKeySpec{o->ascending, o->nulls_first});
  return specs;
}

std::vector<VectorPtr> eval_keys(ExpressionEvaluator& ev, const std::vector<ExprPtr>& orders, const Batch& b) {
  std::vector<VectorPtr> keys;
  for (const auto& o : orders) keys.push_back(flatten(ev.eval(*o->children[0], b)));
  return keys;
}

class CsvScanWithCheck;
class JsonScanOperator;

struct TaskBuildState {
  std::vector<CsvScanWithCheck*> csv_scans;
  std::vector<JsonScanOperator*> json_scans;  // for their malformed-record counts
  std::vector<ParquetScanOperator*> parquet_scans;
  std::vector<const RuntimeFilterOperator*> runtime_filters;
};

// A CSV scan that remembers whether it reached the end of its split (only then are its record
// boundaries meaningful for the crossing check).
class CsvScanWithCheck final : public Operator {
 public:
  CsvScanWithCheck(const void* scan_node, CsvSplit split, Schema schema, std::vector<int> projection,
                   CsvOptions options, const TimeZone& tz, std::string bad_records_dir)
      : Operator("Scan csv"), scan_node_(scan_node), path_(split.path), start_(split.start),
        reader_(std::move(split), std::move(schema), std::move(projection), std::move(options), tz,
                std::move(bad_records_dir)) {}
  bool finished() const { return finished_; }
  int64_t bad_records() const { return reader_.bad_records(); }
  CsvBoundaryCheck::Entry entry() const {
    return CsvBoundaryCheck::Entry{scan_node_, path_, start_, reader_.record_start(), reader_.record_end()};
  }

 protected:
  bool produce(Batch& out) override {
    if (finished_) return false;
    bool more = reader_.next(out);
    finished_ = !more;
    return more;
  }

 private:
  const void* scan_node_;
  std::string path_;
  int64_t start_;
  CsvSplitReader reader_;
  bool finished_ = false;
};

// A JSON scan of one split (io/json/json_reader.h). The source's last `partition_values.size()`
// columns come from the file's key=value directories: constant columns, not read from records.
class JsonScanOperator final : public Operator {
 public:
  JsonScanOperator(CsvSplit split, const Schema& schema, const std::vector<int>& projection,
                   std::vector<Value> partition_values, JsonOptions options, const TimeZone& tz,
                   std::string bad_records_dir)
      : Operator("Scan json"), projection_(projection), partition_values_(std::move(partition_values)),
        data_columns_(static_cast<int>(schema.size() - partition_values_.size())),
        reader_(std::move(split), data_schema(schema, data_columns_), data_projection(projection, data_columns_),
                std::move(options), tz, std::move(bad_records_dir)) {}
  int64_t bad_records() const { return reader_.bad_records(); }

 protected:
  bool produce(Batch& out) override {
    if (partition_values_.empty()) return reader_.next(out);
    Batch data;
    if (!reader_.next(data)) return false;
    out.num_rows = data.num_rows;
    out.columns.clear();
    size_t next_data = 0;
    for (int c : projection_) {
      if (c < data_columns_) out.columns.push_back(data.columns[next_data++]);
      else out.columns.push_back(Vector::make_constant(partition_values_[static_cast<size_t>(c - data_columns_)], data.num_rows));
    }
    return true;
  }

 private:
  static Schema data_schema(const Schema& schema, int data_columns) {
    return Schema(std::vector<Field>(schema.fields().begin(), schema.fields().begin() + data_columns));
  }
  static std::vector<int> data_projection(const std::vector<int>& projection, int data_columns) {
    std::vector<int> out;
    for (int c : projection) {
      if (c < data_columns) out.push_back(c);
    }
    return out;
  }
  std::vector<int> projection_;
  std::vector<Value> partition_values_;
  int data_columns_;
  JsonSplitReader reader_;
};

}  // namespace

int JobRunner::build_stage(const PhysPtr& root, const PhysPtr& exchange) {
  std::vector<int> parents;
  std::vector<PhysicalPlan*> members;
  std::function<void(const PhysPtr&)> walk = [&](const PhysPtr& node) {
    members.push_back(node.get());
    if (node->kind == PhysKind::kExchange) {
      if (node->shuffle_id < 0) node->shuffle_id = (*env_.next_shuffle_id)++;
      parents.push_back(build_stage(node->children[0], node));
      return;
    }
    for (const auto& c : node->children) walk(c);
  };
  walk(root);
  int id = (*env_.next_stage_id)++;
  for (PhysicalPlan* m : members) m->stage_id = id;
  stages_.push_back(StagePlan{id, root, exchange, parents});
  return id;
}

void JobRunner::assign_stages(const PhysPtr& root) {
  stages_.clear();
  build_stage(root, nullptr);
}

namespace {

struct StageRuntime {
  std::shared_ptr<RangeExchangeState> range;  // when this stage feeds a range exchange
  std::shared_ptr<CsvBoundaryCheck> csv_check = std::make_shared<CsvBoundaryCheck>();
};

// Wraps a scan so that the task checks its job's cancellation flag once per input batch: blocking
// operators above it (an aggregation, a sort, a join build) then stop within one batch of a failed
// sibling or of cancel_all_jobs, instead of consuming their whole input first. Invisible in the
// operator stats.
class CancellationPoint final : public Operator {
 public:
  CancellationPoint(OperatorPtr child, const TaskContext& task)
      : Operator("CancellationPoint"), child_(std::move(child)), task_(task) {}
  void collect_stats(std::vector<OperatorStats>& out) const override { child_->collect_stats(out); }

 protected:
  bool produce(Batch& out) override {
    task_.check_cancelled();
    return child_->next(out);
  }
  // Passes batches through as they are, so a request for dictionary vectors goes to the scan.
  void on_dictionaries_requested() override { child_->request_dictionaries(); }

 private:
  OperatorPtr child_;
  const TaskContext& task_;
};

class PipelineBuilder {
 public:
  PipelineBuilder(TaskContext& task, const EvalContext& eval, const JobExchanges& exchanges,
                  TaskBuildState& state)
      : task_(task),
        eval_(eval),
        ranges_(exchanges.ranges),
        broadcasts_(exchanges.broadcasts),
        blocks_(exchanges.blocks),
        unstored_(exchanges.unstored),
        runtime_filters_(exchanges.runtime_filters),
        state_(state) {
    eval_.partition_index = task.partition;
  }

  OperatorPtr build(const PhysPtr& node, int partition) {
    switch (node->kind) {
      case PhysKind::kScan: {
        OperatorPtr scan = build_scan(*node, partition);
        if (!node->runtime_filters.empty() && node->source->kind == SourceKind::kParquet) {
          prune_by_runtime_filters(*state_.parquet_scans.back(), *node, runtime_filters_);
        }
        return std::make_unique<CancellationPoint>(std::move(scan), task_);
      }
      case PhysKind::kRuntimeFilter: {
        OperatorPtr child = build(node->children[0], partition);
        auto filters = published_runtime_filters(*node, runtime_filters_);
        if (filters.empty()) return child;
        auto op = std::make_unique<RuntimeFilterOperator>(std::move(child), std::move(filters));
        state_.runtime_filters.push_back(op.get());
        return op;
      }
      case PhysKind::kExchange: return build_shuffle_read(*node, partition);
      case PhysKind::kFilter:
        return std::make_unique<FilterOperator>(build(node->children[0], partition), node->predicate, eval_);
      case PhysKind::kProject: {
        OperatorPtr child = build(node->children[0], partition);
        if (auto* filter = dynamic_cast<FilterOperator*>(child.get())) filter->read_only(columns_read(*node));
        return std::make_unique<ProjectOperator>(std::move(child), node->exprs, eval_, node->shared_exprs,
                                                 static_cast<int>(node->children[0]->output.size()));
      }
      case PhysKind::kHashAggregate: {
        HashAggregateOperator::Spec spec{node->mode, node->group_keys, node->aggregates, node->intermediate_offsets,
                                         node->result_exprs};
        return std::make_unique<HashAggregateOperator>(build(node->children[0], partition), std::move(spec), eval_);
      }
      case PhysKind::kSort:
        return std::make_unique<SortOperator>(build(node->children[0], partition), node->orders, node->limit, eval_);
      case PhysKind::kLimit: return std::make_unique<LimitOperator>(build(node->children[0], partition), node->limit);
      case PhysKind::kUnion: {
        int p = partition;
        for (const auto& c : node->children) {
          if (p < c->num_partitions) return build(c, p);
          p -= c->num_partitions;
        }
        throw_internal(__FILE__, __LINE__, "union partition out of range");
      }
      case PhysKind::kCoalesce: {
        const PhysPtr& child = node->children[0];
        int64_t m = child->num_partitions, n = node->num_partitions;
        int first = static_cast<int>(partition * m / n), last = static_cast<int>((partition + 1) * m / n);
        std::vector<ConcatOperator::Factory> parts;
        for (int cp = first; cp < last; ++cp) parts.push_back([this, child, cp] { return build(child, cp); });
        return std::make_unique<ConcatOperator>(std::move(parts));
      }
      case PhysKind::kHashJoin: return build_hash_join(*node, partition);
      case PhysKind::kNestedLoopJoin: return build_nested_loop_join(*node, partition);
      case PhysKind::kGenerate:
        return std::make_unique<GenerateOperator>(build(node->children[0], partition),
                                                  GenerateSpec{node->exprs[0], node->with_position, node->generator_outer},
                                                  eval_);
      case PhysKind::kSample:
        return std::make_unique<SampleOperator>(build(node->children[0], partition), node->fraction, node->with_replacement,
                                                node->seed, partition);
      case PhysKind::kWindow:
        return std::make_unique<WindowOperator>(build(node->children[0], partition), window_spec_from_exprs(node->exprs),
                                                eval_);
      case PhysKind::kShuffleRead: return build_adaptive_read(*node, partition);
    }
    throw_internal(__FILE__, __LINE__, "cannot build operator for " + node->label);
  }

 private:
  OperatorPtr build_scan(const PhysicalPlan& node, int partition) {
    const DataSource& src = *node.source;
    switch (src.kind) {
      case SourceKind::kCsv: {
        const CsvScanSplit& s = node.csv_splits.at(static_cast<size_t>(partition));
        CsvOptions options = CsvOptions::parse(src.options);
        // Every task of the query writes its rejected records under one directory named by the
        // query's start time.
        std::string bad_records_dir;
        if (!options.bad_records_path.empty()) {
          bad_records_dir = bad_records_directory(options.bad_records_path, eval_.current_timestamp);
        }
        auto op = std::make_unique<CsvScanWithCheck>(&node, CsvSplit{s.path, s.start, s.length, s.file_size}, src.schema,
                                                     node.read_columns, options,
                                                     eval_.time_zone ? *eval_.time_zone : *TimeZone::utc(),
                                                     std::move(bad_records_dir));
        state_.csv_scans.push_back(op.get());
        return op;
      }
      case SourceKind::kJson: {
        const CsvScanSplit& s = node.csv_splits.at(static_cast<size_t>(partition));
        std::vector<Value> partition_values;
        for (size_t f = 0; f < src.files.size() && f < src.file_partition_values.size(); ++f) {
          if (src.files[f].first == s.path) partition_values = src.file_partition_values[f];
        }
        JsonOptions options = JsonOptions::parse(src.options);
        // Every task of the query writes its rejected records under one directory, as for CSV.
        std::string bad_records_dir;
        if (!options.bad_records_path.empty()) {
          bad_records_dir = bad_records_directory(options.bad_records_path, eval_.current_timestamp);
        }
        auto op = std::make_unique<JsonScanOperator>(CsvSplit{s.path, s.start, s.length, s.file_size}, src.schema,
                                                     node.read_columns, std::move(partition_values), std::move(options),
                                                     eval_.time_zone ? *eval_.time_zone : *TimeZone::utc(),
                                                     std::move(bad_records_dir));
        state_.json_scans.push_back(op.get());
        return op;
      }
      case SourceKind::kRange: {
        int64_t n = range_length(src.start, src.end, src.step);
        int64_t parts = node.num_partitions;
        auto first = static_cast<int64_t>(static_cast<__int128>(n) * partition / parts);
        auto last = static_cast<int64_t>(static_cast<__int128>(n) * (partition + 1) / parts);
        return std::make_unique<RangeScanOperator>(src.start, src.step, first, last);
      }
      case SourceKind::kParquet: {
        std::vector<ParquetScanFile> files;
        for (const auto& split : node.parquet_splits.at(static_cast<size_t>(partition))) {
          ParquetScanFile f;
          f.path = src.files[split.file_index].first;
          f.row_groups = split.row_groups;
          f.row_ranges = split.row_ranges;
          if (split.file_index < src.file_partition_values.size()) f.partition_values = src.file_partition_values[split.file_index];
          files.push_back(std::move(f));
        }
        auto op =
            std::make_unique<ParquetScanOperator>(std::move(files), src.schema, src.partition_columns,
                                                  node.read_columns, ParquetReadOptions::parse(src.options));
        op->set_filters(node.scan_filters, eval_);
        op->set_interrupt_check([&task = task_] { task.check_cancelled(); });
        state_.parquet_scans.push_back(op.get());
        return op;
      }
      case SourceKind::kLocalRows: {
        std::vector<Batch> mine;
        for (size_t i = static_cast<size_t>(partition); i < src.batches.size(); i += static_cast<size_t>(node.num_partitions)) {
          mine.push_back(src.batches[i]);
        }
        return std::make_unique<BatchSourceOperator>("LocalTableScan", std::move(mine), node.read_columns);
      }
      case SourceKind::kCached: {
        // QueryExecution computed every block this query lacked just before it ran, and pinned
        // the memory ones; what is neither here nor in the block manager now was lost meanwhile.
        int cached_partitions = 0;
        {
          std::lock_guard<std::mutex> lock(src.cached->mu);
          cached_partitions = src.cached->num_partitions;
        }
        EMBER_CHECK(cached_partitions >= 0 && blocks_ != nullptr,
                    "a cached relation is scanned before it was materialised");
        std::vector<Batch> mine;
        for (int i = partition; i < cached_partitions; i += node.num_partitions) {
          const BlockId id{src.cached->rdd_id, i};
          if (const std::vector<Batch>* computed = unstored_ != nullptr ? unstored_->find(id) : nullptr) {
            mine.insert(mine.end(), computed->begin(), computed->end());
          } else if (std::optional<std::vector<Batch>> block = blocks_->get(id)) {
            mine.insert(mine.end(), block->begin(), block->end());
          } else {
            throw_error(ErrorKind::kIo,
                        "cached block " + id.name() +
                            " was lost while the query ran (its disk copy was removed or damaged, or "
                            "the DataFrame was unpersisted); run the action again to recompute it");
          }
        }
        return std::make_unique<BatchSourceOperator>("InMemoryTableScan", std::move(mine), node.read_columns);
      }
    }
    throw_internal(__FILE__, __LINE__, "unknown source");
  }

  OperatorPtr build_hash_join(const PhysicalPlan& join, int partition) {
    const bool build_right = join.build_side == BuildSide::kRight;
    const PhysPtr& build_node = join.children[build_right ? 1 : 0];
    const PhysPtr& probe_node = join.children[build_right ? 0 : 1];
    const std::vector<ExprPtr>& build_keys = build_right ? join.right_keys : join.left_keys;
    HashJoinSpec spec;
    spec.type = join.join_type;
    spec.build_side = join.build_side;
    spec.probe_keys = build_right ? join.left_keys : join.right_keys;
    spec.residual = join.join_condition;
    spec.probe_types = types_of(probe_node->output);
    const auto limit = static_cast<size_t>(std::max<int64_t>(join.join_max_build_bytes, 0));
    if (is_broadcast(build_node)) {
      std::shared_ptr<const JoinHashTable> table;
      {
        BroadcastState& state = *broadcasts_.at(broadcast_shuffle_id(*build_node));
        std::lock_guard<std::mutex> lock(state.mu);
        if (!state.table) {
          BatchSourceOperator rows("BroadcastRead", read_broadcast_rows(*task_.shuffle, *build_node));
          state.table =
              JoinHashTable::build(rows, types_of(build_node->output), build_keys, eval_, limit, join.null_safe_keys);
        }
        table = state.table;
      }
      return std::make_unique<HashJoinOperator>(build(probe_node, partition), std::move(table), std::move(spec), eval_);
    }
    HashJoinBuildSpec build_spec;
    build_spec.types = types_of(build_node->output);
    build_spec.keys = build_keys;
    build_spec.memory_limit_bytes = limit;
    build_spec.null_safe = join.null_safe_keys;
    OperatorPtr build_side = build(build_node, partition);
    return std::make_unique<HashJoinOperator>(build(probe_node, partition), std::move(build_side),
                                              std::move(build_spec), std::move(spec), eval_);
  }

  OperatorPtr build_nested_loop_join(const PhysicalPlan& join, int partition) {
    const bool build_right = join.build_side == BuildSide::kRight;
    const PhysPtr& build_node = join.children[build_right ? 1 : 0];
    const PhysPtr& probe_node = join.children[build_right ? 0 : 1];
    EMBER_CHECK(is_broadcast(build_node), "nested-loop join without a broadcast build side");
    NestedLoopJoinSpec spec;
    spec.type = join.join_type;
    spec.build_side = join.build_side;
    spec.condition = join.join_condition;
    spec.probe_types = types_of(probe_node->output);
    spec.build_types = types_of(build_node->output);
    std::shared_ptr<const std::vector<Batch>> batches;
    {
      BroadcastState& state = *broadcasts_.at(build_node->shuffle_id);
      std::lock_guard<std::mutex> lock(state.mu);
      if (!state.batches) {
        BatchSourceOperator rows("BroadcastRead", task_.shuffle->read(build_node->shuffle_id, 0));
        state.batches = NestedLoopJoinOperator::collect_build(
            rows, static_cast<size_t>(std::max<int64_t>(join.join_max_build_bytes, 0)));
      }
      batches = state.batches;
    }
    return std::make_unique<NestedLoopJoinOperator>(build(probe_node, partition), std::move(batches), std::move(spec),
                                                    eval_);
  }

  // Adaptive execution's read of one task's share of a materialized shuffle.
  OperatorPtr build_adaptive_read(const PhysicalPlan& read, int partition) {
    const int shuffle_id = read.children[0]->shuffle_id;
    const ShufflePartitionSpec& spec = read.read_specs.at(static_cast<size_t>(partition));
    std::vector<Batch> rows;
    if (spec.end_map >= 0) {
      rows = task_.shuffle->read_maps(shuffle_id, spec.start_reduce, spec.start_map, spec.end_map);
    } else {
      for (int r = spec.start_reduce; r < spec.end_reduce; ++r) {
        for (Batch& b : task_.shuffle->read(shuffle_id, r)) rows.push_back(std::move(b));
      }
    }
    return std::make_unique<BatchSourceOperator>("ShuffleRead", std::move(rows));
  }

  OperatorPtr build_shuffle_read(const PhysicalPlan& exchange, int partition) {
    if (exchange.partitioning.kind != PartitioningKind::kRange) {
      return std::make_unique<BatchSourceOperator>("ShuffleRead", task_.shuffle->read(exchange.shuffle_id, partition));
    }
    // Range exchange: every map output sits in block 0; keep the rows whose key falls in this
    // partition's range of the bounds.
    auto state = ranges_.at(exchange.shuffle_id);
    ExpressionEvaluator ev(eval_);
    std::vector<Batch> mine;
    std::vector<VectorPtr> bound_cols = state->bounds.columns;
    RowComparator bounds(bound_cols, state->specs);
    const size_t num_bounds = state->bounds.num_rows;
    for (Batch& b : task_.shuffle->read(exchange.shuffle_id, 0)) {
      RowComparator keys(eval_keys(ev, exchange.partitioning.keys, b), state->specs);
      SelectionVector sel;
      for (size_t r = 0; r < b.num_rows; ++r) {
        // Partition = number of bounds strictly below the row (binary search).
        size_t lo = 0, hi = num_bounds;
        while (lo < hi) {
          size_t mid = (lo + hi) / 2;
          if (bounds.compare_with(mid, keys, r) < 0) lo = mid + 1;
          else hi = mid;
        }
        if (static_cast<int>(lo) == partition) sel.push_back(static_cast<uint32_t>(r));
      }
      if (!sel.empty()) mine.push_back(b.select(sel.data(), sel.size()));
    }
    return std::make_unique<BatchSourceOperator>("ShuffleRead(range)", std::move(mine));
  }

  TaskContext& task_;
  EvalContext eval_;  // the job's context with this task's partition index
  const std::map<int, std::shared_ptr<RangeExchangeState>>& ranges_;
  const std::map<int, std::shared_ptr<BroadcastState>>& broadcasts_;
  BlockManager* blocks_;
  const UnstoredPartitions* unstored_;
  const RuntimeFilterSlots& runtime_filters_;
  TaskBuildState& state_;
};

void record_metrics(TaskContext& task, const Operator& root) {
  std::vector<OperatorStats> stats;
  root.collect_stats(stats);
  for (const auto& s : stats) {
    OperatorMetrics m;
    m.name = s.name;
    m.rows_out = s.rows_out;
    m.batches_out = s.batches_out;
    m.nanos = s.nanos;
    task.metrics.operators.push_back(std::move(m));
  }
}

void record_csv_boundaries(TaskContext& task, const TaskBuildState& state, CsvBoundaryCheck& check) {
  for (const auto* scan : state.csv_scans) task.metrics.bad_records += scan->bad_records();
  for (const auto* scan : state.json_scans) task.metrics.bad_records += scan->bad_records();
  for (const auto* scan : state.parquet_scans) {
    task.metrics.bytes_read += scan->bytes_read();
    task.metrics.runtime_filter_row_groups_skipped += scan->row_groups_skipped();
    task.metrics.scan_filter_rows_filtered += scan->rows_filtered();
    task.metrics.scan_filter_values_skipped += scan->values_skipped();
  }
  for (const auto* f : state.runtime_filters) task.metrics.runtime_filter_rows_filtered += f->rows_filtered();
  std::lock_guard<std::mutex> lock(check.mu);
  for (const auto* scan : state.csv_scans) {
    if (scan->finished()) check.entries.push_back(scan->entry());
  }
}

// After a stage: split k of a file must start where split k-1 ended; otherwise a quoted field
// with a line break straddles the split boundary and both tasks misread it.
void verify_csv_boundaries(CsvBoundaryCheck& check) {
  std::map<std::pair<const void*, std::string>, std::vector<CsvBoundaryCheck::Entry>> by_file;
  for (const auto& e : check.entries) by_file[{e.scan_node, e.path}].push_back(e);
  for (auto& [key, entries] : by_file) {
    const std::string& path = key.second;
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    for (size_t i = 1; i < entries.size(); ++i) {
      check_csv_split_continuity(path, entries[i - 1].record_end, entries[i].record_start);
    }
  }
}

}  // namespace

namespace {

// The runtime filters the nodes of one stage (from its root down to its input exchanges) apply.
std::vector<int> runtime_filters_applied_in(const PhysPtr& stage_root) {
  std::vector<int> ids;
  std::vector<const PhysicalPlan*> todo{stage_root.get()};
  while (!todo.empty()) {
    const PhysicalPlan* node = todo.back();
    todo.pop_back();
    if (node != stage_root.get() && (node->kind == PhysKind::kExchange || node->kind == PhysKind::kShuffleRead)) {
      continue;  // another stage's
    }
    for (const auto& c : node->children) todo.push_back(c.get());
    for (const auto& target : node->runtime_filters) ids.push_back(target.filter_id);
  }
  return ids;
}

// Adaptive execution's waves: a ready stage that applies a runtime filter whose creation stage
// has not run yet waits for a later wave (the stage-dependency rule of run(), by waves). When
// every ready stage would wait, they all run (their filters are then skipped), so nothing hangs.
void defer_until_runtime_filters_built(const PhysPtr& plan, const std::map<int, MapOutputStatistics>& materialized,
                                       std::vector<std::pair<PhysPtr, PhysPtr>>& ready) {
  std::map<int, int> shuffle_of_filter;  // filter id -> the shuffle whose map stage builds it
  std::vector<const PhysicalPlan*> todo{plan.get()};
  while (!todo.empty()) {
    const PhysicalPlan* node = todo.back();
    todo.pop_back();
    for (const auto& c : node->children) todo.push_back(c.get());
    for (const auto& source : node->runtime_filter_sources) shuffle_of_filter[source.filter_id] = node->shuffle_id;
  }
  std::vector<std::pair<PhysPtr, PhysPtr>> now;
  for (const auto& stage : ready) {
    bool wait = false;
    for (int filter : runtime_filters_applied_in(stage.first)) {
      auto it = shuffle_of_filter.find(filter);
      wait |= it != shuffle_of_filter.end() && !materialized.count(it->second);
    }
    if (!wait) now.push_back(stage);
  }
  if (!now.empty()) ready = std::move(now);
}

// Shared exchange state (range bounds, broadcast tables) for the exchange a stage feeds.
void prepare_exchange_state(const PhysPtr& exchange, JobExchanges& exchanges) {
  if (!exchange) return;
  if (exchange->partitioning.kind == PartitioningKind::kRange &&
      !exchanges.ranges.count(exchange->shuffle_id)) {
    auto st = std::make_shared<RangeExchangeState>();
    st->specs = specs_of(exchange->partitioning.keys);
    exchanges.ranges[exchange->shuffle_id] = st;
  }
  if (exchange->partitioning.kind == PartitioningKind::kBroadcast &&
      !exchanges.broadcasts.count(exchange->shuffle_id)) {
    exchanges.broadcasts[exchange->shuffle_id] = std::make_shared<BroadcastState>();
  }
  for (const auto& source : exchange->runtime_filter_sources) {
    if (!exchanges.runtime_filters.count(source.filter_id)) add_runtime_filter_slots(*exchange, exchanges.runtime_filters);
  }
}

// The scheduler's view of one stage: its tasks build the pipeline of `stage_root` and drain it
// into the shuffle `exchange` feeds (registered here), or into `sink` for the final stage.
StageSpec make_stage_spec(int stage_id, const PhysPtr& stage_root, const PhysPtr& exchange,
                          std::vector<int> parents, JobExchanges& exchanges, const ResultSink& sink,
                          const EvalContext& eval, ShuffleManager& shuffle) {
  prepare_exchange_state(exchange, exchanges);
  auto& ranges = exchanges.ranges;
  StageSpec spec;
  spec.stage_id = stage_id;
  spec.parent_stage_ids = std::move(parents);
  spec.num_partitions = stage_root->num_partitions;
  spec.name = stage_root->label.substr(0, stage_root->label.find(' '));
  auto check = std::make_shared<CsvBoundaryCheck>();
  if (exchange) {
    const Partitioning part = exchange->partitioning;
    const int shuffle_id = exchange->shuffle_id;
    const int reduces = part.kind == PartitioningKind::kRange ? 1 : part.num_partitions;
    spec.shuffle_write_id = shuffle_id;
    shuffle.register_shuffle(shuffle_id, spec.num_partitions, reduces);
    std::shared_ptr<RangeExchangeState> range =
        part.kind == PartitioningKind::kRange ? ranges[shuffle_id] : nullptr;
    spec.run_task = [stage_root, exchange, part, shuffle_id, range, check, &exchanges, eval](TaskContext& task) {
      TaskBuildState state;
      PipelineBuilder builder(task, eval, exchanges, state);
      OperatorPtr pipeline = builder.build(stage_root, task.partition);
      ExpressionEvaluator ev(eval);
      RuntimeFilterCollector filters(*exchange, exchanges.runtime_filters, eval);
      Batch b;
      std::vector<uint64_t> hashes;
      int64_t round_robin = task.partition;
      std::vector<std::pair<int, Batch>> samples;
      std::vector<SelectionVector> targets;  // reused across batches
      // With many reduce partitions each batch splits into small pieces; buffered per partition
      // and written as one block of at least kMinBlockRows, the reducers get batches of a useful
      // size (and the shuffle manager far fewer blocks). Big pieces go out at once, uncopied.
      constexpr size_t kMinBlockRows = 1024;
      std::vector<std::vector<Batch>> pending;
      std::vector<size_t> pending_rows;
      auto flush = [&](uint32_t t) {
        if (pending[t].empty()) return;
        Batch block = pending[t].size() == 1 ? std::move(pending[t][0]) : concat_batches(pending[t]);
        pending[t].clear();
        pending_rows[t] = 0;
        task.shuffle->write(shuffle_id, task.partition, static_cast<int>(t), std::move(block));
      };
      while (pipeline->next(b)) {
        task.check_cancelled();
        b = flatten_batch(std::move(b));
        if (!filters.empty()) filters.add(b);
        switch (part.kind) {
          case PartitioningKind::kSingle:
          case PartitioningKind::kBroadcast: task.shuffle->write(shuffle_id, task.partition, 0, b); break;
          case PartitioningKind::kRange: {
            SelectionVector sel;
            for (size_t r = 0; r < b.num_rows; r += RangeExchangeState::kSampleStride)
              sel.push_back(static_cast<uint32_t>(r));
            Batch keys(eval_keys(ev, part.keys, b), b.num_rows);
            samples.emplace_back(task.partition, keys.select(sel.data(), sel.size()));
            task.shuffle->write(shuffle_id, task.partition, 0, b);
            break;
          }
          case PartitioningKind::kHash:
          case PartitioningKind::kRoundRobin: {
            const auto n = static_cast<uint32_t>(part.num_partitions);
            targets.resize(n);
            for (auto& t : targets) t.clear();
            if (pending.size() != n) {
              pending.resize(n);
              pending_rows.assign(n, 0);
            }
            if (part.kind == PartitioningKind::kHash) {
              std::vector<VectorPtr> keys;
              for (const auto& k : part.keys) keys.push_back(ev.eval(*k, b));
              hashes.resize(b.num_rows);
              hash_columns(keys, b.num_rows, hashes.data());
              for (size_t r = 0; r < b.num_rows; ++r)
                targets[partition_for_hash(hashes[r], n)].push_back(static_cast<uint32_t>(r));
            } else {
              for (size_t r = 0; r < b.num_rows; ++r)
                targets[static_cast<uint32_t>(round_robin++ % n)].push_back(static_cast<uint32_t>(r));
            }
            for (uint32_t t = 0; t < n; ++t) {
              if (targets[t].empty()) continue;
              Batch part_rows =
                  targets[t].size() == b.num_rows ? b : b.select(targets[t].data(), targets[t].size());
              if (pending[t].empty() && part_rows.num_rows >= kMinBlockRows) {
                task.shuffle->write(shuffle_id, task.partition, static_cast<int>(t), std::move(part_rows));
                continue;
              }
              pending_rows[t] += part_rows.num_rows;
              pending[t].push_back(std::move(part_rows));
              if (pending_rows[t] >= kMinBlockRows) flush(t);
            }
            break;
          }
        }
      }
      for (uint32_t t = 0; t < pending.size(); ++t) flush(t);
      task.shuffle->commit_map_output(shuffle_id, task.partition);
      filters.commit(task.partition);
      if (range) {
        std::lock_guard<std::mutex> lock(range->mu);
        // A retried task replaces its earlier samples.
        range->samples.erase(std::remove_if(range->samples.begin(), range->samples.end(),
                                            [&](const auto& s2) { return s2.first == task.partition; }),
                             range->samples.end());
        for (auto& s2 : samples) range->samples.push_back(std::move(s2));
      }
      record_csv_boundaries(task, state, *check);
      record_metrics(task, *pipeline);
    };
    const int num_reduce = part.num_partitions;
    spec.on_stage_complete = [range, check, num_reduce, exchange, &exchanges] {
      verify_csv_boundaries(*check);
      publish_runtime_filters(*exchange, exchanges.runtime_filters);
      if (!range) return;
      std::sort(range->samples.begin(), range->samples.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<Batch> parts;
      for (auto& s2 : range->samples) {
        if (s2.second.num_rows > 0) parts.push_back(s2.second);
      }
      if (parts.empty()) {
        range->bounds = Batch();
        return;
      }
      Batch all = concat_batches(parts);
      RowComparator cmp(all.columns, range->specs);
      std::vector<uint32_t> order(all.num_rows);
      std::iota(order.begin(), order.end(), 0u);
      std::stable_sort(order.begin(), order.end(),
                       [&](uint32_t a, uint32_t b) { return cmp.compare(a, b) < 0; });
      SelectionVector picks;
      for (int i = 1; i < num_reduce; ++i)
        picks.push_back(order[static_cast<size_t>(i) * order.size() / static_cast<size_t>(num_reduce)]);
      range->bounds = all.select(picks.data(), picks.size());
    };
  } else {
    spec.run_task = [stage_root, check, &exchanges, eval, &sink](TaskContext& task) {
      TaskBuildState state;
      PipelineBuilder builder(task, eval, exchanges, state);
      OperatorPtr pipeline = builder.build(stage_root, task.partition);
      sink(task, *pipeline);
      record_csv_boundaries(task, state, *check);
      record_metrics(task, *pipeline);
    };
    spec.on_stage_complete = [check] { verify_csv_boundaries(*check); };
  }
  return spec;
}

// Every exchange of the job's part that has not run (below the root, not below a materialized
// exchange): the stages adaptive execution can still run or re-plan.
void collect_ready_stages(const PhysPtr& stage_root, const PhysPtr& exchange,
                          const std::map<int, MapOutputStatistics>& done,
                          std::vector<std::pair<PhysPtr, PhysPtr>>& ready) {
  bool inputs_done = true;
  // The stage's nodes down to its inputs (the root itself may be one: a plan ending in a
  // repartition).
  std::function<void(const PhysPtr&)> walk = [&](const PhysPtr& node) {
    const PhysPtr* ex = nullptr;
    if (node->kind == PhysKind::kExchange) ex = &node;
    else if (node->kind == PhysKind::kShuffleRead) ex = &node->children[0];
    if (ex == nullptr) {
      for (const auto& c : node->children) walk(c);
      return;
    }
    if (done.count((*ex)->shuffle_id)) return;
    inputs_done = false;
    collect_ready_stages((*ex)->children[0], *ex, done, ready);
  };
  walk(stage_root);
  if (inputs_done && exchange) ready.emplace_back(stage_root, exchange);
}

void add_broadcast_reads(const PhysPtr& node, JobExchanges& exchanges) {
  if (node->kind == PhysKind::kShuffleRead && node->broadcast_read) {
    const int id = node->children[0]->shuffle_id;
    if (!exchanges.broadcasts.count(id)) exchanges.broadcasts[id] = std::make_shared<BroadcastState>();
  }
  for (const auto& c : node->children) add_broadcast_reads(c, exchanges);
}

}  // namespace

// A stage whose scans apply runtime filters waits for the stages that build them. A dependency
// that would close a cycle is left out (the filter is then skipped); the planner's one
// direction per join should make that impossible.
std::map<int, std::vector<int>> JobRunner::runtime_filter_dependencies() const {
  std::map<int, int> stage_of_filter;  // filter id -> the stage whose exchange builds it
  std::map<int, std::vector<int>> parents;
  for (const auto& s : stages_) {
    if (s.exchange) {
      for (const auto& source : s.exchange->runtime_filter_sources) stage_of_filter[source.filter_id] = s.stage_id;
    }
    parents[s.stage_id] = s.parents;
  }
  auto depends_on = [&](int from, int target) {
    std::vector<int> todo{from};
    std::vector<int> seen;
    while (!todo.empty()) {
      int id = todo.back();
      todo.pop_back();
      if (id == target) return true;
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
      seen.push_back(id);
      for (int p : parents[id]) todo.push_back(p);
    }
    return false;
  };
  std::map<int, std::vector<int>> added;
  for (const auto& s : stages_) {
    for (int filter : runtime_filters_applied_in(s.root)) {
      auto it = stage_of_filter.find(filter);
      if (it == stage_of_filter.end() || it->second == s.stage_id || depends_on(s.stage_id, it->second)) continue;
      if (depends_on(it->second, s.stage_id)) continue;
      parents[s.stage_id].push_back(it->second);
      added[s.stage_id].push_back(it->second);
    }
  }
  return added;
}

JobSummary JobRunner::run(const PhysPtr& root, const ResultSink& sink,
                          const std::vector<int>& final_partitions) {
  if (stages_.empty() || stages_.back().root != root) assign_stages(root);
  final_plan_.reset();
  // Recomputing some partitions of a cached plan needs the partitioning it was cached with.
  if (env_.adaptive.enabled && stages_.size() > 1 && final_partitions.empty()) return run_adaptive(root, sink);
  JobExchanges exchanges;
  exchanges.blocks = env_.blocks;
  exchanges.unstored = env_.unstored.get();
  const std::map<int, std::vector<int>> filter_parents = runtime_filter_dependencies();
  std::vector<StageSpec> specs;
  for (const auto& s : stages_) {
    std::vector<int> parents = s.parents;
    if (auto it = filter_parents.find(s.stage_id); it != filter_parents.end()) {
      parents.insert(parents.end(), it->second.begin(), it->second.end());
    }
    specs.push_back(make_stage_spec(s.stage_id, s.root, s.exchange, std::move(parents), exchanges, sink, env_.eval,
                                    *env_.shuffle));
    if (!s.exchange) specs.back().partitions = final_partitions;
  }
  JobSummary summary;
  summary.num_stages = static_cast<int>(specs.size());
  for (const auto& s : specs) summary.num_tasks += stage_task_count(s);
  std::vector<int> shuffle_ids;
  for (const auto& s : stages_) {
    if (s.exchange) shuffle_ids.push_back(s.exchange->shuffle_id);
  }
  try {
    JobResult result = env_.scheduler->run_job(std::move(specs), env_.job_id);
    summary.tasks = std::move(result.task_metrics);
    for (const auto& t : summary.tasks) summary.add_counters(t);
  } catch (...) {
    for (int id : shuffle_ids) env_.shuffle->remove_shuffle(id);
    throw;
  }
  for (int id : shuffle_ids) env_.shuffle->remove_shuffle(id);
  return summary;
}

JobSummary JobRunner::run_adaptive(const PhysPtr& root, const ResultSink& sink) {
  // A private copy: the rewrites below must not leak into a later run of the same plan.
  PhysPtr plan = clone_physical_plan(root);
  JobExchanges exchanges;
  exchanges.blocks = env_.blocks;
  exchanges.unstored = env_.unstored.get();
  std::map<int, MapOutputStatistics> materialized;
  std::vector<int> shuffle_ids;
  JobSummary summary;
  int next_query_stage = 0;
  auto run_wave = [&](std::vector<StageSpec> specs) {
    summary.num_stages += static_cast<int>(specs.size());
    for (const auto& s : specs) summary.num_tasks += stage_task_count(s);
    JobResult result = env_.scheduler->run_job(std::move(specs), env_.job_id);
    for (auto& t : result.task_metrics) {
      summary.add_counters(t);
      summary.tasks.push_back(std::move(t));
    }
  };
  try {
    while (true) {
      // Every stage whose inputs are materialized runs now (independent ones concurrently); then
      // the rest of the plan is re-planned with the sizes their shuffles wrote.
      std::vector<std::pair<PhysPtr, PhysPtr>> ready;
      collect_ready_stages(plan, nullptr, materialized, ready);
      if (ready.empty()) break;
      defer_until_runtime_filters_built(plan, materialized, ready);
      std::vector<StageSpec> specs;
      for (const auto& [stage_root, exchange] : ready) {
        shuffle_ids.push_back(exchange->shuffle_id);
        specs.push_back(make_stage_spec(stage_root->stage_id, stage_root, exchange, {}, exchanges, sink,
                                        env_.eval, *env_.shuffle));
      }
      run_wave(std::move(specs));
      for (const auto& [stage_root, exchange] : ready) {
        materialized[exchange->shuffle_id] = env_.shuffle->map_output_statistics(exchange->shuffle_id);
        exchange->query_stage = next_query_stage++;
      }
      reoptimize_adaptive(plan, materialized, env_.adaptive);
      add_broadcast_reads(plan, exchanges);
    }
    std::vector<StageSpec> last;
    last.push_back(
        make_stage_spec(plan->stage_id, plan, nullptr, {}, exchanges, sink, env_.eval, *env_.shuffle));
    run_wave(std::move(last));
  } catch (...) {
    for (int id : shuffle_ids) env_.shuffle->remove_shuffle(id);
    throw;
  }
  for (int id : shuffle_ids) env_.shuffle->remove_shuffle(id);
  final_plan_ = plan;
  return summary;
}

std::vector<Batch> JobRunner::collect(const PhysPtr& root, JobSummary* summary) {
  // Adaptive execution may change the final stage's partition count: grow as tasks report.
  std::vector<std::vector<Batch>> per_partition(static_cast<size_t>(std::max(root->num_partitions, 0)));
  std::mutex mu;
  JobSummary s = run(root, [&](TaskContext& task, Operator& pipeline) {
    std::vector<Batch> mine;
    Batch b;
    while (pipeline.next(b)) {
      task.check_cancelled();
      mine.push_back(flatten_batch(std::move(b)));
    }
    std::lock_guard<std::mutex> lock(mu);
    if (per_partition.size() <= static_cast<size_t>(task.partition))
      per_partition.resize(static_cast<size_t>(task.partition) + 1);
    per_partition[static_cast<size_t>(task.partition)] = std::move(mine);
  });
  if (summary) *summary = std::move(s);
  std::vector<Batch> out;
  for (auto& p : per_partition) {
    for (auto& b : p) out.push_back(std::move(b));
  }
  return out;
}

}  // namespace ember
