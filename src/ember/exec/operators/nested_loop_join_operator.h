#pragma once
// Nested-loop join: for joins without equi keys (and cross joins). Every probe row meets every
// build row; the condition is evaluated vectorised on blocks of up to kBatchSize (probe row,
// build row) pairs, gathering only the columns it reads.
//
// Ownership. The build side is materialised once (collect_build) into an immutable vector of
// batches behind shared_ptr<const>, which any number of tasks may share read-only, as a broadcast
// hash table is shared. The operator owns its probe child; which build rows matched (for joins
// that owe unmatched build rows) is recorded in the operator.
//
// Layout and semantics are the hash join's (see hash_join_operator.h): output
// [left columns..., right columns...] (left only for semi/anti); the condition is bound over
// [left..., right...]; a pair matches when the condition is true (no condition: every pair);
// outer sides are padded with nulls; output batches hold at most kBatchSize rows.
//
// Valid combinations, as for the hash join: inner/cross built on either side; left outer, semi
// and anti built on the right and right outer built on the left may share the build side across
// tasks. Full outer, left outer built on the left, right outer built on the right and semi/anti
// built on the left emit the build rows they owe after the probe side is exhausted, so they are
// only correct when one operator sees the whole probe side (e.g. the probe side coalesced into a
// single partition); see join_emits_build_rows_after_probe() in join_type.h.
#include <memory>
#include <vector>

#include "ember/exec/operator.h"
#include "ember/exec/operators/join_output.h"
#include "ember/exec/operators/join_type.h"
#include "ember/expr/evaluator.h"

namespace ember {

struct NestedLoopJoinSpec {
  JoinType type = JoinType::kCross;
  BuildSide build_side = BuildSide::kRight;
  ExprPtr condition;                  // bound over [left..., right...]; null: every pair matches
  std::vector<DataType> probe_types;  // the probe child's output column types
  std::vector<DataType> build_types;  // the build side's column types
};

class NestedLoopJoinOperator final : public UnaryOperator {
 public:
  // Reads every batch of `build` into flat batches of about kBatchSize rows (small ones merged).
  // Throws EMBER_JOIN_BUILD_TOO_LARGE (see join_hash_table.h) once they pass memory_limit_bytes.
  static std::shared_ptr<const std::vector<Batch>> collect_build(Operator& build, size_t memory_limit_bytes);

  NestedLoopJoinOperator(OperatorPtr probe, std::shared_ptr<const std::vector<Batch>> build_batches,
                         NestedLoopJoinSpec spec, const EvalContext& ctx);

 protected:
  bool produce(Batch& out) override;

 private:
  enum class Phase { kNextBatch, kPairs, kProbeRest, kBuildRest, kDone };

  bool next_probe_batch();
  // Fills pair_probe_/pair_build_ with the next block of pairs of build batch build_batch_;
  // returns how many (0: this probe batch is done with every build batch).
  size_t next_block();
  void collect_probe_rest();
  bool emit_probe_rest(Batch& out);
  bool emit_build_rest(Batch& out);

  NestedLoopJoinSpec spec_;
  std::shared_ptr<const std::vector<Batch>> build_;
  size_t build_rows_ = 0;
  JoinOutputBuilder output_;

  bool emit_pairs_ = false;
  bool probe_outer_ = false;
  bool build_outer_ = false;
  bool probe_semi_ = false;
  bool build_semi_ = false;
  bool anti_ = false;
  bool track_build_ = false;

  Phase phase_ = Phase::kNextBatch;
  Batch batch_;
  std::vector<uint8_t> probe_matched_;
  std::vector<std::vector<uint8_t>> build_matched_;  // per build batch, per row
  // Block cursor within the current probe batch: build batch, probe row, build row.
  size_t build_batch_ = 0;
  size_t probe_row_ = 0;
  size_t build_row_ = 0;
  size_t block_batch_ = 0;  // the build batch the last block came from
  std::vector<uint32_t> pair_probe_, pair_build_;
  std::vector<uint32_t> rest_rows_;
  size_t rest_pos_ = 0;
  size_t rest_batch_ = 0;  // build-rest cursor: batch and row
  size_t rest_row_ = 0;
};

}  // namespace ember
