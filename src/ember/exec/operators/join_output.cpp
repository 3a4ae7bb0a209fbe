#include "ember/exec/operators/join_output.h"

#include "ember/common/error.h"

namespace ember {

JoinOutputBuilder::JoinOutputBuilder(BuildSide build_side, std::vector<DataType> probe_types,
                                     std::vector<DataType> build_types, ExprPtr condition,
                                     const EvalContext& ctx)
    : build_side_(build_side),
      probe_types_(std::move(probe_types)),
      build_types_(std::move(build_types)),
      condition_(std::move(condition)),
      evaluator_(ctx) {
  const size_t width = probe_types_.size() + build_types_.size();
  referenced_.assign(width, 0);
  if (condition_ != nullptr) {
    EMBER_CHECK(condition_->type.id() == TypeId::kBoolean || condition_->type.id() == TypeId::kNull,
                "join condition " + condition_->to_string() + " is not boolean");
    visit(condition_, [&](const ExprPtr& e) {
      if (e->kind != ExprKind::kBoundRef) return;
      EMBER_CHECK(e->index >= 0 && static_cast<size_t>(e->index) < width,
                  "join condition column " + std::to_string(e->index) + " out of range");
      referenced_[static_cast<size_t>(e->index)] = 1;
    });
  }
}

Batch JoinOutputBuilder::layout(std::vector<VectorPtr> probe_cols, std::vector<VectorPtr> build_cols,
                                size_t n) const {
  Batch out;
  out.num_rows = n;
  auto& left = probe_is_left() ? probe_cols : build_cols;
  auto& right = probe_is_left() ? build_cols : probe_cols;
  out.columns = std::move(left);
  out.columns.insert(out.columns.end(), std::make_move_iterator(right.begin()),
                     std::make_move_iterator(right.end()));
  return out;
}

size_t JoinOutputBuilder::filter(const Batch& probe, const BuildGather& build, uint32_t* probe_rows,
                                 uint32_t* build_rows, size_t n) {
  kept_valid_ = false;
  if (condition_ == nullptr || n == 0) return n;
  const size_t np = probe_types_.size();
  const size_t nb = build_types_.size();
  const size_t left_width = probe_is_left() ? np : nb;
  Batch eval;
  eval.num_rows = n;
  eval.columns.resize(np + nb);
  for (size_t pos = 0; pos < np + nb; ++pos) {
    const bool left = pos < left_width;
    const bool is_probe = left == probe_is_left();
    const size_t c = left ? pos : pos - left_width;
    if (!referenced_[pos]) {
      // Never read: a one-value placeholder keeps column positions right.
      eval.columns[pos] = Vector::make_constant(Value::null(is_probe ? probe_types_[c] : build_types_[c]), n);
    } else if (is_probe) {
      eval.columns[pos] = gather(*probe.columns[c], probe_rows, n);
    } else {
      eval.columns[pos] = build(c, build_rows, n);
    }
  }
  evaluator_.select(*condition_, eval, selection_);
  const size_t m = selection_.size();
  kept_.assign(np + nb, nullptr);
  for (size_t pos = 0; pos < np + nb; ++pos) {
    if (!referenced_[pos]) continue;
    kept_[pos] = m == n ? eval.columns[pos] : gather(*eval.columns[pos], selection_.data(), m);
  }
  if (m < n) {
    for (size_t k = 0; k < m; ++k) {
      const uint32_t s = selection_[k];
      probe_rows[k] = probe_rows[s];
      build_rows[k] = build_rows[s];
    }
  }
  kept_rows_ = m;
  kept_valid_ = true;
  return m;
}

Batch JoinOutputBuilder::pairs(const Batch& probe, const BuildGather& build, const uint32_t* probe_rows,
                               const uint32_t* build_rows, size_t n) {
  const bool reuse = kept_valid_ && kept_rows_ == n;
  kept_valid_ = false;
  const size_t np = probe_types_.size();
  const size_t nb = build_types_.size();
  const size_t probe_base = probe_is_left() ? 0 : nb;
  const size_t build_base = probe_is_left() ? np : 0;
  std::vector<VectorPtr> probe_cols(np), build_cols(nb);
  // Every probe row of the batch matched exactly once, in order (a key join onto unique keys):
  // the probe columns pass through as they are.
  bool identity = n == probe.num_rows;
  for (size_t k = 0; identity && k < n; ++k) identity = probe_rows[k] == k;
  for (size_t c = 0; c < np; ++c) {
    const VectorPtr* kept = reuse ? &kept_[probe_base + c] : nullptr;
    if (kept != nullptr && *kept != nullptr) probe_cols[c] = *kept;
    else if (identity) probe_cols[c] = probe.columns[c];
    else probe_cols[c] = gather(*probe.columns[c], probe_rows, n);
  }
  for (size_t c = 0; c < nb; ++c) {
    const VectorPtr* kept = reuse ? &kept_[build_base + c] : nullptr;
    build_cols[c] = kept != nullptr && *kept != nullptr ? *kept : build(c, build_rows, n);
  }
  return layout(std::move(probe_cols), std::move(build_cols), n);
}

Batch JoinOutputBuilder::probe_rows(const Batch& probe, const uint32_t* rows, size_t n, bool pad) {
  std::vector<VectorPtr> probe_cols(probe_types_.size());
  for (size_t c = 0; c < probe_cols.size(); ++c) probe_cols[c] = gather(*probe.columns[c], rows, n);
  if (!pad) return Batch(std::move(probe_cols), n);
  std::vector<VectorPtr> build_cols(build_types_.size());
  for (size_t c = 0; c < build_cols.size(); ++c) build_cols[c] = Vector::make_null(build_types_[c], n);
  return layout(std::move(probe_cols), std::move(build_cols), n);
}

Batch JoinOutputBuilder::build_rows(const BuildGather& build, const uint32_t* rows, size_t n, bool pad) {
  std::vector<VectorPtr> build_cols(build_types_.size());
  for (size_t c = 0; c < build_cols.size(); ++c) build_cols[c] = build(c, rows, n);
  if (!pad) return Batch(std::move(build_cols), n);
  std::vector<VectorPtr> probe_cols(probe_types_.size());
  for (size_t c = 0; c < probe_cols.size(); ++c) probe_cols[c] = Vector::make_null(probe_types_[c], n);
  return layout(std::move(probe_cols), std::move(build_cols), n);
}

}  // namespace ember
