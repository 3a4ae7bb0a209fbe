#pragma once
// Internal to the join operators (HashJoinOperator, NestedLoopJoinOperator): evaluates a join's
// condition on blocks of (probe row, build row) pairs and assembles output batches in the join's
// layout, whichever side was built:
//  - pairs:              [left columns..., right columns...]
//  - unmatched rows:     one side's columns with the other side's as null vectors (outer joins)
//  - semi/anti results:  the left side's columns only
// The condition is bound over [left columns..., right columns...] for every join type (semi and
// anti joins included). Only the columns it references are gathered to evaluate it; those are
// kept for the output batch that usually follows.
#include <cstdint>
#include <functional>
#include <vector>

#include "ember/exec/operators/join_type.h"
#include "ember/expr/evaluator.h"
#include "ember/vector/batch.h"

namespace ember {

class JoinOutputBuilder {
 public:
  // Build column `column` at build rows rows[0..n), as a vector of n rows.
  using BuildGather = std::function<VectorPtr(size_t column, const uint32_t* rows, size_t n)>;

  JoinOutputBuilder(BuildSide build_side, std::vector<DataType> probe_types,
                    std::vector<DataType> build_types, ExprPtr condition, const EvalContext& ctx);

  bool has_condition() const { return condition_ != nullptr; }
  bool probe_is_left() const { return build_side_ == BuildSide::kRight; }

  // Keeps the pairs k < n for which the condition is true (not false, not null), compacting
  // probe_rows/build_rows in place; returns how many remain. Without a condition keeps all.
  size_t filter(const Batch& probe, const BuildGather& build, uint32_t* probe_rows, uint32_t* build_rows,
                size_t n);
  // The output batch [left..., right...] of n pairs. Reuses the columns filter() gathered when
  // called with the arrays filter() just compacted.
  Batch pairs(const Batch& probe, const BuildGather& build, const uint32_t* probe_rows,
              const uint32_t* build_rows, size_t n);
  // Probe rows rows[0..n): with `pad`, in the full layout with the build side null; without, the
  // probe columns alone (semi/anti joins whose probe side is the left).
  Batch probe_rows(const Batch& probe, const uint32_t* rows, size_t n, bool pad);
  // Build rows rows[0..n): with `pad`, in the full layout with the probe side null; without, the
  // build columns alone (semi/anti joins built on the left).
  Batch build_rows(const BuildGather& build, const uint32_t* rows, size_t n, bool pad);

 private:
  // Appends the columns of one side in output order.
  Batch layout(std::vector<VectorPtr> probe_cols, std::vector<VectorPtr> build_cols, size_t n) const;

  BuildSide build_side_;
  std::vector<DataType> probe_types_;
  std::vector<DataType> build_types_;
  ExprPtr condition_;
  ExpressionEvaluator evaluator_;
  std::vector<uint8_t> referenced_;  // per output-layout column: read by the condition
  SelectionVector selection_;
  // What filter() gathered for the pairs it kept (output-layout positions; null where not gathered).
  std::vector<VectorPtr> kept_;
  size_t kept_rows_ = 0;
  bool kept_valid_ = false;
};

}  // namespace ember
