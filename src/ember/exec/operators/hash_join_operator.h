#pragma once
// Hash join: streams the probe side through a JoinHashTable built from the other side.
//
// Layout. Output columns are [left columns..., right columns...] whichever side was built; left
// semi and left anti joins output the left columns only. Columns of the side an outer join pads
// are null vectors of that side's types (the planner marks them nullable).
//
// Valid (type, build side) combinations:
//  - inner (and cross, which runs as an inner join: with no keys every row matches every row):
//    either side;
//  - left outer, left semi, left anti built on the right; right outer built on the left:
//    these never emit unmatched BUILD rows, so the table may be shared read-only by every task of
//    the stage (broadcast join);
//  - full outer (either side), left outer built on the left, right outer built on the right, left
//    semi/anti built on the left: the operator records which build rows matched (in itself, not in
//    the table) and emits the build rows it owes after the probe side is exhausted. Only correct
//    when this operator sees every probe row that can match its table: a shuffled join, where each
//    task builds its own table from its partition of the build side. See
//    join_emits_build_rows_after_probe() in join_type.h.
//
// Semantics (Spark's):
//  - keys compare with `=` (null matches nothing) unless the table marks them null-safe (`<=>`);
//  - the residual condition is evaluated on each key-matching pair; a pair counts as a match only
//    when it is true (false and null both fail);
//  - outer: a row with no passing pair (no key match, or every candidate failed the residual)
//    comes out once, padded with nulls;
//  - semi: a left row with at least one passing pair, once; anti: a left row with none (a row
//    whose key is null is always kept by anti and never by semi).
//
// Batches. Output batches hold at most kBatchSize rows: a probe batch that explodes into many
// matches is emitted over several next() calls (the position inside it is kept). Pairs are
// emitted in probe order; unmatched probe rows of a probe batch follow that batch's pairs;
// unmatched (or, for semi/anti built on the left, matched) build rows come last.
#include <memory>
#include <vector>

#include "ember/exec/hashtable/join_hash_table.h"
#include "ember/exec/operator.h"
#include "ember/exec/operators/join_output.h"
#include "ember/exec/operators/join_type.h"
#include "ember/expr/evaluator.h"

namespace ember {

struct HashJoinSpec {
  JoinType type = JoinType::kInner;
  BuildSide build_side = BuildSide::kRight;  // which logical side the table was built from
  // Bound over the probe child's output; as many as the table's keys, with equal types (the
  // planner coerces both sides to a common type first).
  std::vector<ExprPtr> probe_keys;
  // Optional non-equi condition bound over [left columns..., right columns...] (for semi/anti
  // joins too); may be null.
  ExprPtr residual;
  // The probe child's output column types (needed to pad an outer join's probe side with nulls,
  // even when the probe side produced no batch).
  std::vector<DataType> probe_types;
};

// What a shuffled hash join needs to build its own table (see the second constructor).
struct HashJoinBuildSpec {
  std::vector<DataType> types;    // the build child's output column types
  std::vector<ExprPtr> keys;      // bound over the build child's output
  std::vector<bool> null_safe;    // empty, or one flag per key (`<=>`)
  size_t memory_limit_bytes = 0;  // spark.ember.join.maxBuildBytes
};

class HashJoinOperator final : public UnaryOperator {
 public:
  // Probes a table built elsewhere, possibly shared with other tasks (broadcast join). The table
  // must have been built from the build_side of the join.
  HashJoinOperator(OperatorPtr probe, std::shared_ptr<const JoinHashTable> table, HashJoinSpec spec,
                   const EvalContext& ctx);
  // Owns its build child and builds a table of its own from it on the first next(), before
  // pulling the probe side (shuffled hash join; any valid combination).
  HashJoinOperator(OperatorPtr probe, OperatorPtr build, HashJoinBuildSpec build_spec, HashJoinSpec spec,
                   const EvalContext& ctx);
  ~HashJoinOperator() override;

  void collect_stats(std::vector<OperatorStats>& out) const override;
  // The table (null before the first next() of a self-building join).
  const std::shared_ptr<const JoinHashTable>& table() const { return table_; }

 protected:
  bool produce(Batch& out) override;

 private:
  enum class Phase { kNextBatch, kPairs, kProbeRest, kBuildRest, kDone };

  void init();  // once the table exists
  bool next_probe_batch();
  // Lists the probe rows still owed for the current batch (outer: unmatched; semi: matched;
  // anti: unmatched) into rest_rows_.
  void collect_probe_rest();
  bool emit_probe_rest(Batch& out);
  bool emit_build_rest(Batch& out);
  // Semi/anti built on the left without a residual: marks every build row sharing a key with a
  // probe row of the current batch, walking each key's rows once.
  void mark_matched_chains();

  HashJoinSpec spec_;
  EvalContext ctx_;
  OperatorPtr build_child_;
  HashJoinBuildSpec build_spec_;
  std::shared_ptr<const JoinHashTable> table_;
  std::unique_ptr<JoinProbe> probe_;
  std::unique_ptr<JoinOutputBuilder> output_;
  ExpressionEvaluator evaluator_;
  JoinOutputBuilder::BuildGather gather_build_;

  // Roles, from (type, build side).
  bool probe_is_left_ = true;
  bool emit_pairs_ = false;   // inner/outer: matched pairs are output rows
  bool probe_outer_ = false;  // unmatched probe rows are output (null-padded)
  bool build_outer_ = false;  // unmatched build rows are output (null-padded)
  bool probe_semi_ = false;   // semi/anti on the probe side (probe is left)
  bool build_semi_ = false;   // semi/anti on the build side (build is left)
  bool anti_ = false;
  bool track_probe_ = false;  // probe_matched_ needed
  bool track_build_ = false;  // build_matched_ needed

  Phase phase_ = Phase::kNextBatch;
  bool initialised_ = false;
  Batch batch_;  // current probe batch
  std::vector<VectorPtr> keys_;
  std::vector<uint8_t> probe_matched_;  // per row of batch_
  std::vector<uint8_t> build_matched_;  // per build row
  std::vector<uint32_t> pair_probe_, pair_build_;
  std::vector<uint32_t> rest_rows_;
  size_t rest_pos_ = 0;
  size_t build_pos_ = 0;
};

}  // namespace ember
