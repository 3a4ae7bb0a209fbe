#include "ember/exec/operators/hash_aggregate_operator.h"

#include <algorithm>

#include "ember/common/error.h"

namespace ember {

HashAggregateOperator::HashAggregateOperator(OperatorPtr child, Spec spec, const EvalContext& ctx)
    : UnaryOperator(spec.mode == AggregateMode::kPartial   ? "HashAggregate(partial)"
                    : spec.mode == AggregateMode::kFinal ? "HashAggregate(final)"
                                                         : "HashAggregate",
                    std::move(child)),
      spec_(std::move(spec)), ctx_(ctx), evaluator_(ctx) {
  size_t offset = 0;
  size_t align = 8;
  for (const auto& a : spec_.aggregates) {
    const AggregateKernel* k = a->aggregate->kernel.get();
    kernels_.push_back(k);
    size_t al = k->state_align();
    offset = (offset + al - 1) / al * al;
    state_offsets_.push_back(offset);
    offset += k->state_size();
    align = std::max(align, al);
  }
  std::vector<DataType> key_types;
  for (const auto& k : spec_.group_keys) key_types.push_back(k->type);
  table_ = std::make_unique<GroupHashTable>(std::move(key_types), std::max<size_t>(offset, 1), align);
  child_->request_dictionaries();
}

HashAggregateOperator::~HashAggregateOperator() {
  bool any_destroy = std::any_of(kernels_.begin(), kernels_.end(), [](const AggregateKernel* k) { return k->needs_destroy(); });
  if (!any_destroy) return;
  for (size_t g = 0; g < table_->size(); ++g) {
    for (size_t a = 0; a < kernels_.size(); ++a) {
      if (kernels_[a]->needs_destroy()) kernels_[a]->destroy(table_->payload(g) + state_offsets_[a]);
    }
  }
}

void HashAggregateOperator::ensure_global_group() {
  if (!spec_.group_keys.empty() || table_->size() > 0) return;
  uint8_t* row = nullptr;
  table_->find_or_insert({}, 1, &row, [&](uint8_t* payload) {
    for (size_t a = 0; a < kernels_.size(); ++a) kernels_[a]->init(payload + state_offsets_[a]);
  });
}

void HashAggregateOperator::consume_all() {
  ensure_global_group();
  auto init = [&](uint8_t* payload) {
    for (size_t a = 0; a < kernels_.size(); ++a) kernels_[a]->init(payload + state_offsets_[a]);
  };
  Batch in;
  std::vector<VectorPtr> keys;
  std::vector<VectorPtr> args;
  while (child_->next(in)) {
    const size_t n = in.num_rows;
    keys.clear();
    for (const auto& k : spec_.group_keys) keys.push_back(evaluator_.eval(*k, in));
    rows_.resize(n);
    if (!dictionary_keys_.find_or_insert(*table_, keys, n, rows_.data(), init)) {
      for (auto& k : keys) k = decode_dictionary(k);
      table_->find_or_insert(keys, n, rows_.data(), init);
    }
    for (size_t a = 0; a < kernels_.size(); ++a) {
      if (spec_.mode == AggregateMode::kFinal) {
        size_t types = kernels_[a]->intermediate_types().size();
        auto first = in.columns.begin() + spec_.intermediate_offsets[a];
        std::vector<VectorPtr> states(first, first + static_cast<std::ptrdiff_t>(types));
        kernels_[a]->merge_intermediate(rows_.data(), state_offsets_[a], states, n, ctx_);
      } else {
        const Expr& call = *spec_.aggregates[a];
        args.clear();
        if (!call.has_filter) {
          for (const auto& arg : call.children) args.push_back(flatten(evaluator_.eval(*arg, in)));
          kernels_[a]->update(rows_.data(), state_offsets_[a], args, n, ctx_);
          continue;
        }
        // FILTER (WHERE c): the kernel sees only the rows where c is true — arguments evaluated
        // for those rows and their state rows compacted alongside.
        evaluator_.select(*call.children.back(), in, filter_selection_);
        const size_t m = filter_selection_.size();
        if (m == 0) continue;
        for (size_t i = 0; i + 1 < call.children.size(); ++i) {
          args.push_back(flatten(evaluator_.eval(*call.children[i], in, filter_selection_)));
        }
        filtered_rows_.resize(m);
        for (size_t i = 0; i < m; ++i) filtered_rows_[i] = rows_[filter_selection_[i]];
        kernels_[a]->update(filtered_rows_.data(), state_offsets_[a], args, m, ctx_);
      }
    }
  }
}

bool HashAggregateOperator::produce(Batch& out) {
  if (!consumed_) {
    consume_all();
    consumed_ = true;
  }
  const size_t total = table_->size();
  if (emitted_groups_ >= total) return false;
  const size_t n = std::min(kBatchSize, total - emitted_groups_);
  std::vector<VectorPtr> keys;
  rows_.resize(n);
  table_->read_groups(emitted_groups_, n, keys, rows_.data());
  emitted_groups_ += n;
  Batch groups;
  groups.num_rows = n;
  groups.columns = keys;
  if (spec_.mode == AggregateMode::kPartial) {
    for (size_t a = 0; a < kernels_.size(); ++a) {
      std::vector<VectorPtr> states;
      for (const auto& t : kernels_[a]->intermediate_types()) states.push_back(Vector::make(t, n));
      kernels_[a]->write_intermediate(rows_.data(), state_offsets_[a], n, states);
      groups.columns.insert(groups.columns.end(), states.begin(), states.end());
    }
    out = std::move(groups);
    return true;
  }
  for (size_t a = 0; a < kernels_.size(); ++a) {
    auto values = Vector::make(spec_.aggregates[a]->type, n);
    kernels_[a]->finalize(rows_.data(), state_offsets_[a], n, *values, ctx_);
    groups.columns.push_back(values);
  }
  out.num_rows = n;
  out.columns.clear();
  for (const auto& e : spec_.result_exprs) out.columns.push_back(flatten(evaluator_.eval(*e, groups)));
  return true;
}

}  // namespace ember
