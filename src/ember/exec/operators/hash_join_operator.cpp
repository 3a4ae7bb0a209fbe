#include "ember/exec/operators/hash_join_operator.h"

#include <algorithm>

#include "ember/common/error.h"

namespace ember {

namespace {

std::string operator_name(const HashJoinSpec& spec) {
  return std::string("HashJoin(") + std::string(join_type_name(spec.type)) + ", " +
         std::string(build_side_name(spec.build_side)) + ")";
}

}  // namespace

HashJoinOperator::HashJoinOperator(OperatorPtr probe, std::shared_ptr<const JoinHashTable> table,
                                   HashJoinSpec spec, const EvalContext& ctx)
    : UnaryOperator(operator_name(spec), std::move(probe)),
      spec_(std::move(spec)),
      ctx_(ctx),
      table_(std::move(table)),
      evaluator_(ctx) {
  EMBER_CHECK(table_ != nullptr, "hash join without a table");
}

HashJoinOperator::HashJoinOperator(OperatorPtr probe, OperatorPtr build, HashJoinBuildSpec build_spec,
                                   HashJoinSpec spec, const EvalContext& ctx)
    : UnaryOperator(operator_name(spec), std::move(probe)),
      spec_(std::move(spec)),
      ctx_(ctx),
      build_child_(std::move(build)),
      build_spec_(std::move(build_spec)),
      evaluator_(ctx) {
  EMBER_CHECK(build_child_ != nullptr, "hash join without a build child");
}

HashJoinOperator::~HashJoinOperator() = default;

void HashJoinOperator::collect_stats(std::vector<OperatorStats>& out) const {
  UnaryOperator::collect_stats(out);
  if (build_child_) build_child_->collect_stats(out);
}

void HashJoinOperator::init() {
  const JoinHashTable& t = *table_;
  EMBER_CHECK(spec_.probe_keys.size() == t.key_types().size(),
              "hash join has " + std::to_string(spec_.probe_keys.size()) + " probe keys and " +
                  std::to_string(t.key_types().size()) + " build keys");
  for (size_t k = 0; k < spec_.probe_keys.size(); ++k) {
    EMBER_CHECK(spec_.probe_keys[k]->type == t.key_types()[k],
                "hash join key " + std::to_string(k) + " is " + spec_.probe_keys[k]->type.simple_string() +
                    " on the probe side and " + t.key_types()[k].simple_string() + " on the build side");
  }
  const JoinType type = spec_.type;
  probe_is_left_ = spec_.build_side == BuildSide::kRight;
  const bool semi_or_anti = type == JoinType::kLeftSemi || type == JoinType::kLeftAnti;
  anti_ = type == JoinType::kLeftAnti;
  emit_pairs_ = !semi_or_anti;
  probe_outer_ = type == JoinType::kFullOuter || (type == JoinType::kLeftOuter && probe_is_left_) ||
                 (type == JoinType::kRightOuter && !probe_is_left_);
  build_outer_ = type == JoinType::kFullOuter || (type == JoinType::kLeftOuter && !probe_is_left_) ||
                 (type == JoinType::kRightOuter && probe_is_left_);
  probe_semi_ = semi_or_anti && probe_is_left_;
  build_semi_ = semi_or_anti && !probe_is_left_;
  track_probe_ = probe_outer_ || (probe_semi_ && spec_.residual != nullptr);
  track_build_ = build_outer_ || build_semi_;
  if (track_build_) build_matched_.assign(t.num_rows(), 0);
  output_ = std::make_unique<JoinOutputBuilder>(spec_.build_side, spec_.probe_types, t.types(),
                                                spec_.residual, ctx_);
  probe_ = std::make_unique<JoinProbe>(table_);
  gather_build_ = [t = table_.get()](size_t c, const uint32_t* rows, size_t n) {
    return t->gather(c, rows, n);
  };
  pair_probe_.resize(kBatchSize);
  pair_build_.resize(kBatchSize);
  // With an empty build side only probe-side outer and anti joins produce anything; the rest
  // need not read the probe side at all.
  if (t.num_rows() == 0 && !probe_outer_ && !(probe_semi_ && anti_)) phase_ = Phase::kDone;
  initialised_ = true;
}

bool HashJoinOperator::next_probe_batch() {
  Batch in;
  if (!child_->next(in)) return false;
  EMBER_CHECK(in.num_columns() == spec_.probe_types.size(),
              "hash join probe batch has " + std::to_string(in.num_columns()) + " columns, expected " +
                  std::to_string(spec_.probe_types.size()));
  batch_ = std::move(in);
  const size_t n = batch_.num_rows;
  keys_.clear();
  for (const auto& k : spec_.probe_keys) keys_.push_back(evaluator_.eval(*k, batch_));
  probe_->find(keys_, n);
  if (track_probe_) probe_matched_.assign(n, 0);
  return true;
}

void HashJoinOperator::mark_matched_chains() {
  const JoinHashTable& t = *table_;
  for (size_t i = 0; i < probe_->num_rows(); ++i) {
    uint32_t r = probe_->first_match(i);
    // Without a residual a key's rows are marked all together, so a marked head means the
    // whole chain is done.
    if (r == JoinHashTable::kNoRow || build_matched_[r]) continue;
    for (; r != JoinHashTable::kNoRow; r = t.next_duplicate(r)) build_matched_[r] = 1;
  }
}

void HashJoinOperator::collect_probe_rest() {
  rest_rows_.clear();
  rest_pos_ = 0;
  const size_t n = batch_.num_rows;
  if (probe_outer_) {
    for (size_t i = 0; i < n; ++i) {
      if (!probe_matched_[i]) rest_rows_.push_back(static_cast<uint32_t>(i));
    }
  } else if (probe_semi_) {
    for (size_t i = 0; i < n; ++i) {
      const bool matched = spec_.residual != nullptr ? probe_matched_[i] != 0 : probe_->has_match(i);
      if (matched != anti_) rest_rows_.push_back(static_cast<uint32_t>(i));
    }
  }
}

bool HashJoinOperator::emit_probe_rest(Batch& out) {
  if (rest_pos_ >= rest_rows_.size()) return false;
  const size_t m = std::min(kBatchSize, rest_rows_.size() - rest_pos_);
  const uint32_t* rows = rest_rows_.data() + rest_pos_;
  rest_pos_ += m;
  if (!probe_outer_ && m == batch_.num_rows) {
    // Every row of the batch survives a semi/anti join: pass the batch through.
    out = batch_;
    return true;
  }
  out = output_->probe_rows(batch_, rows, m, /*pad=*/probe_outer_);
  return true;
}

bool HashJoinOperator::emit_build_rest(Batch& out) {
  const size_t total = table_->num_rows();
  // Outer and anti joins owe the build rows that matched nothing; semi joins those that did.
  const uint8_t wanted = build_semi_ && !anti_ ? 1 : 0;
  size_t m = 0;
  while (build_pos_ < total && m < kBatchSize) {
    if (build_matched_[build_pos_] == wanted) pair_build_[m++] = static_cast<uint32_t>(build_pos_);
    ++build_pos_;
  }
  if (m == 0) return false;
  out = output_->build_rows(gather_build_, pair_build_.data(), m, /*pad=*/build_outer_);
  return true;
}

bool HashJoinOperator::produce(Batch& out) {
  if (!initialised_) {
    if (!table_) {
      table_ = JoinHashTable::build(*build_child_, build_spec_.types, build_spec_.keys, ctx_,
                                    build_spec_.memory_limit_bytes, build_spec_.null_safe);
    }
    init();
  }
  for (;;) {
    switch (phase_) {
      case Phase::kNextBatch:
        if (!next_probe_batch()) {
          phase_ = track_build_ ? Phase::kBuildRest : Phase::kDone;
          continue;
        }
        if (build_semi_ && spec_.residual == nullptr) {
          mark_matched_chains();
          continue;  // nothing to emit until the probe side is exhausted
        }
        if (probe_semi_ && spec_.residual == nullptr) {
          collect_probe_rest();
          phase_ = Phase::kProbeRest;
          continue;
        }
        phase_ = Phase::kPairs;
        continue;

      case Phase::kPairs: {
        const uint8_t* skip = probe_semi_ ? probe_matched_.data() : nullptr;
        size_t n = probe_->next_pairs(pair_probe_.data(), pair_build_.data(), kBatchSize, skip);
        if (n == 0) {
          collect_probe_rest();
          phase_ = Phase::kProbeRest;
          continue;
        }
        if (build_semi_) {
          // A build row of a semi/anti join built on the left is settled by its first passing
          // pair: evaluate the residual only for pairs whose build row is still open.
          size_t open = 0;
          for (size_t k = 0; k < n; ++k) {
            if (build_matched_[pair_build_[k]]) continue;
            pair_probe_[open] = pair_probe_[k];
            pair_build_[open] = pair_build_[k];
            ++open;
          }
          n = open;
        }
        n = output_->filter(batch_, gather_build_, pair_probe_.data(), pair_build_.data(), n);
        if (track_probe_) {
          for (size_t k = 0; k < n; ++k) probe_matched_[pair_probe_[k]] = 1;
        }
        if (track_build_) {
          for (size_t k = 0; k < n; ++k) build_matched_[pair_build_[k]] = 1;
        }
        if (!emit_pairs_ || n == 0) continue;
        out = output_->pairs(batch_, gather_build_, pair_probe_.data(), pair_build_.data(), n);
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
