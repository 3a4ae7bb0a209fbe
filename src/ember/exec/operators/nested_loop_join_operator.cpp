#include "ember/exec/operators/nested_loop_join_operator.h"

#include <algorithm>

#include "ember/common/error.h"
#include "ember/exec/hashtable/join_hash_table.h"

namespace ember {

namespace {

std::string operator_name(const NestedLoopJoinSpec& spec) {
  return std::string("NestedLoopJoin(") + std::string(join_type_name(spec.type)) + ", " +
         std::string(build_side_name(spec.build_side)) + ")";
}

}  // namespace

std::shared_ptr<const std::vector<Batch>> NestedLoopJoinOperator::collect_build(Operator& build,
                                                                                size_t memory_limit_bytes) {
  auto batches = std::make_shared<std::vector<Batch>>();
  std::vector<Batch> small;  // consecutive batches of fewer than kBatchSize rows, merged when enough
  size_t small_rows = 0;
  size_t bytes = 0;
  size_t rows = 0;
  auto merge_small = [&] {
    if (small.empty()) return;
    batches->push_back(flatten_batch(concat_batches(small)));
    small.clear();
    small_rows = 0;
  };
  Batch b;
  while (build.next(b)) {
    if (b.num_rows == 0) continue;
    bytes += b.byte_size();
    rows += b.num_rows;
    if (bytes > memory_limit_bytes)
      throw_join_build_too_large("nested-loop join", bytes, rows, memory_limit_bytes);
    if (b.num_rows >= kBatchSize) {
      merge_small();
      batches->push_back(flatten_batch(std::move(b)));
    } else {
      small_rows += b.num_rows;
      small.push_back(std::move(b));
      if (small_rows >= kBatchSize) merge_small();
    }
    b = Batch();
  }
  merge_small();
  return batches;
}

NestedLoopJoinOperator::NestedLoopJoinOperator(OperatorPtr probe,
                                               std::shared_ptr<const std::vector<Batch>> build_batches,
                                               NestedLoopJoinSpec spec, const EvalContext& ctx)
    : UnaryOperator(operator_name(spec), std::move(probe)),
      spec_(std::move(spec)),
      build_(std::move(build_batches)),
      output_(spec_.build_side, spec_.probe_types, spec_.build_types, spec_.condition, ctx) {
  EMBER_CHECK(build_ != nullptr, "nested-loop join without a build side");
  for (const Batch& b : *build_) {
    EMBER_CHECK(b.num_columns() == spec_.build_types.size(),
                "nested-loop join build batch has " + std::to_string(b.num_columns()) +
                    " columns, expected " + std::to_string(spec_.build_types.size()));
    build_rows_ += b.num_rows;
  }
  const JoinType type = spec_.type;
  const bool probe_is_left = spec_.build_side == BuildSide::kRight;
  const bool semi_or_anti = type == JoinType::kLeftSemi || type == JoinType::kLeftAnti;
  anti_ = type == JoinType::kLeftAnti;
  emit_pairs_ = !semi_or_anti;
  probe_outer_ = type == JoinType::kFullOuter || (type == JoinType::kLeftOuter && probe_is_left) ||
                 (type == JoinType::kRightOuter && !probe_is_left);
  build_outer_ = type == JoinType::kFullOuter || (type == JoinType::kLeftOuter && !probe_is_left) ||
                 (type == JoinType::kRightOuter && probe_is_left);
  probe_semi_ = semi_or_anti && probe_is_left;
  build_semi_ = semi_or_anti && !probe_is_left;
  track_build_ = build_outer_ || build_semi_;
  if (track_build_) {
    for (const Batch& b : *build_) build_matched_.emplace_back(b.num_rows, 0);
  }
  pair_probe_.resize(kBatchSize);
  pair_build_.resize(kBatchSize);
  if (build_rows_ == 0 && !probe_outer_ && !(probe_semi_ && anti_)) phase_ = Phase::kDone;
}

bool NestedLoopJoinOperator::next_probe_batch() {
  Batch in;
  if (!child_->next(in)) return false;
  EMBER_CHECK(in.num_columns() == spec_.probe_types.size(),
              "nested-loop join probe batch has " + std::to_string(in.num_columns()) + " columns, expected " +
                  std::to_string(spec_.probe_types.size()));
  batch_ = std::move(in);
  probe_matched_.assign(batch_.num_rows, 0);
  build_batch_ = probe_row_ = build_row_ = 0;
  return true;
}

size_t NestedLoopJoinOperator::next_block() {
  const std::vector<Batch>& build = *build_;
  const size_t n = batch_.num_rows;
  // Semi/anti joins need one passing pair per probe row: rows already matched are skipped.
  const bool skip_matched = probe_semi_;
  while (build_batch_ < build.size()) {
    const size_t b = build[build_batch_].num_rows;
    size_t k = 0;
    while (k < kBatchSize && probe_row_ < n) {
      if (skip_matched && probe_matched_[probe_row_]) {
        ++probe_row_;
        build_row_ = 0;
        continue;
      }
      const size_t take = std::min(kBatchSize - k, b - build_row_);
      for (size_t t = 0; t < take; ++t) {
        pair_probe_[k + t] = static_cast<uint32_t>(probe_row_);
        pair_build_[k + t] = static_cast<uint32_t>(build_row_ + t);
      }
      k += take;
      build_row_ += take;
      if (build_row_ == b) {
        build_row_ = 0;
        ++probe_row_;
      }
    }
    block_batch_ = build_batch_;
    if (probe_row_ >= n) {
      ++build_batch_;
      probe_row_ = 0;
      build_row_ = 0;
    }
    if (k > 0) return k;
  }
  return 0;
}

void NestedLoopJoinOperator::collect_probe_rest() {
  rest_rows_.clear();
  rest_pos_ = 0;
  for (size_t i = 0; i < batch_.num_rows; ++i) {
    const bool matched = probe_matched_[i] != 0;
    if (probe_outer_ ? !matched : probe_semi_ && matched != anti_)
      rest_rows_.push_back(static_cast<uint32_t>(i));
  }
}

bool NestedLoopJoinOperator::emit_probe_rest(Batch& out) {
  if (rest_pos_ >= rest_rows_.size()) return false;
  const size_t m = std::min(kBatchSize, rest_rows_.size() - rest_pos_);
  const uint32_t* rows = rest_rows_.data() + rest_pos_;
  rest_pos_ += m;
  if (!probe_outer_ && m == batch_.num_rows) {
    out = batch_;
    return true;
  }
  out = output_.probe_rows(batch_, rows, m, /*pad=*/probe_outer_);
  return true;
}

bool NestedLoopJoinOperator::emit_build_rest(Batch& out) {
  const std::vector<Batch>& build = *build_;
  // Outer and anti joins owe the build rows that matched nothing; semi joins those that did.
  const uint8_t wanted = build_semi_ && !anti_ ? 1 : 0;
  while (rest_batch_ < build.size()) {
    const Batch& b = build[rest_batch_];
    const std::vector<uint8_t>& matched = build_matched_[rest_batch_];
    size_t m = 0;
    while (rest_row_ < b.num_rows && m < kBatchSize) {
      if (matched[rest_row_] == wanted) pair_build_[m++] = static_cast<uint32_t>(rest_row_);
      ++rest_row_;
    }
    if (rest_row_ >= b.num_rows) {
      ++rest_batch_;
      rest_row_ = 0;
    }
    if (m == 0) continue;
    auto gather_build = [&b](size_t c, const uint32_t* rows, size_t n) {
      return gather(*b.columns[c], rows, n);
    };
    out = output_.build_rows(gather_build, pair_build_.data(), m, /*pad=*/build_outer_);
    return true;
  }
  return false;
}

bool NestedLoopJoinOperator::produce(Batch& out) {
  for (;;) {
    switch (phase_) {
      case Phase::kNextBatch:
        if (!next_probe_batch()) {
          phase_ = track_build_ ? Phase::kBuildRest : Phase::kDone;
          continue;
        }
        if (!output_.has_condition() && !emit_pairs_) {
          // Semi/anti without a condition: a row matches iff the other side has any row.
          if (probe_semi_ && build_rows_ > 0) std::fill(probe_matched_.begin(), probe_matched_.end(), 1);
          if (build_semi_ && batch_.num_rows > 0) {
            for (auto& m : build_matched_) std::fill(m.begin(), m.end(), 1);
          }
          collect_probe_rest();
          phase_ = Phase::kProbeRest;
          continue;
        }
        phase_ = Phase::kPairs;
        continue;

      case Phase::kPairs: {
        size_t n = next_block();
        if (n == 0) {
          collect_probe_rest();
          phase_ = Phase::kProbeRest;
          continue;
        }
        const Batch& b = (*build_)[block_batch_];
        auto gather_build = [&b](size_t c, const uint32_t* rows, size_t m) {
          return gather(*b.columns[c], rows, m);
        };
        if (build_semi_) {
          // A build row of a semi/anti join built on the left is settled by its first passing pair.
          const std::vector<uint8_t>& matched = build_matched_[block_batch_];
          size_t open = 0;
          for (size_t k = 0; k < n; ++k) {
            if (matched[pair_build_[k]]) continue;
            pair_probe_[open] = pair_probe_[k];
            pair_build_[open] = pair_build_[k];
            ++open;
          }
          n = open;
        }
        n = output_.filter(batch_, gather_build, pair_probe_.data(), pair_build_.data(), n);
        for (size_t k = 0; k < n; ++k) probe_matched_[pair_probe_[k]] = 1;
        if (track_build_) {
          std::vector<uint8_t>& matched = build_matched_[block_batch_];
          for (size_t k = 0; k < n; ++k) matched[pair_build_[k]] = 1;
        }
        if (!emit_pairs_ || n == 0) continue;
        out = output_.pairs(batch_, gather_build, pair_probe_.data(), pair_build_.data(), n);
        return true;
      }

      case Phase::kProbeRest:
        if (emit_probe_rest(out)) return true;
        phase_ = Phase::kNextBatch;
        continue;

      case Phase::kBuildRest:
        if (emit_build_rest(out)) return true;
        phase_ = Phase::kDone;
        continue;

      case Phase::kDone: return false;
    }
  }
}

}  // namespace ember
