#pragma once
// Window functions (Spark's WindowExec): every row of the input gets one extra column per window
// function, computed over the row's window partition.
//
// Contract
//  - Input: every row of the task's partition, already sorted by (partition keys, order keys). The
//    physical planner puts a hash exchange on the partition keys (or a single partition when there
//    are none) and a sort below this operator. A window partition is a run of rows with equal
//    partition keys (nulls equal each other); peers are rows of one partition with equal order keys.
//    The operator checks that rows are sorted by the order keys within each partition and raises an
//    internal error if not; it cannot check that a partition's rows are contiguous.
//  - Output: the input columns followed by one column per function (spec.functions order, each of
//    its result_type), rows in input order, in batches of at most kBatchSize rows.
//  - Blocking: the first next() consumes and materialises the whole input (one concatenated
//    batch), computes every window column over whole vectors, then emits slices. Memory is the
//    input plus the output columns plus, while an aggregate is computed, O(rows) aggregate states;
//    nothing spills yet (a partition larger than memory needs the spill layer, still to come).
//  - Errors: a spec the operator cannot run (a RANGE frame with offsets over no or several order
//    keys or a non-numeric key, ntile(0), nth_value(x, 0), a frame whose lower bound is after its
//    upper bound) raises an analysis error naming the function; kernel errors (ANSI overflow) pass
//    through as they are.
//
// Semantics are Spark's:
//  - row_number; rank (with gaps); dense_rank; percent_rank = (rank - 1) / (rows - 1), 0 for a
//    one-row partition; cume_dist = rows up to and including the current row's peers / rows;
//    ntile(n): the first rows % n buckets hold one row more (Hive's and Spark's bucket sizes).
//    These ignore the frame.
//  - lag/lead(x, offset, default): x at offset rows before/after the current row in its partition;
//    outside the partition the default (evaluated on the current row, as Spark does) or null; a null
//    x at the target row stays null. With ignore_nulls, the offset-th non-null x strictly
//    before/after the current row. A negative offset turns lag into lead and back; 0 is the current
//    row. These ignore the frame.
//  - first_value/last_value/nth_value(x, n): the first, last or n-th row of the frame (with
//    ignore_nulls: non-null x only); null when there is no such row.
//  - kAggregate: any registered aggregate over the frame; an empty frame gives the aggregate's
//    empty result (null for sum/avg/min/max, 0 for count).
//  - Frames: ROWS with any offsets (N PRECEDING .. M FOLLOWING, unbounded either end); RANGE with
//    UNBOUNDED / CURRENT ROW (current row includes its peers; without order keys every row is a
//    peer) and with numeric offsets on a single numeric or date order key: the rows whose key lies
//    within [key + lower, key + upper] (for a descending key, [key - upper, key - lower] walking the
//    sort order), where rows with a null key form their own peer group, exactly as in Spark, and
//    key +/- offset is computed exactly (no overflow). The planner passes the frame; Spark's
//    defaults are RANGE UNBOUNDED PRECEDING .. CURRENT ROW with an ORDER BY and the whole partition
//    without (window_spec_from_exprs below applies them).
//
// How aggregates over frames are computed (exec/window/frame_aggregator.h): disjoint frames (whole
// partitions, peer groups) with one vectorised update, O(n); running frames (UNBOUNDED PRECEDING)
// incrementally with one state per partition, O(n); other frames with a segment tree of
// intermediate states, O(n log n); DISTINCT aggregates over sliding frames row by frame,
// O(sum of frame sizes). Ranking, lag/lead and first/last/nth_value are index arithmetic over
// the partition, peer and frame bounds plus one gather, O(n).
#include <cstdint>
#include <memory>
#include <vector>

#include "ember/exec/operator.h"
#include "ember/expr/evaluator.h"
#include "ember/expr/expression.h"

namespace ember {

// ROWS or RANGE BETWEEN lower AND upper. Offsets are relative to the current row (ROWS) or to its
// order key value (RANGE): negative = PRECEDING, positive = FOLLOWING.
struct WindowFrame {
  enum class Type { kRows, kRange };
  static constexpr int64_t kUnboundedPreceding = INT64_MIN;  // Spark's Window.unboundedPreceding
  static constexpr int64_t kUnboundedFollowing = INT64_MAX;  // Spark's Window.unboundedFollowing
  static constexpr int64_t kCurrentRow = 0;
  Type type = Type::kRange;
  int64_t lower = kUnboundedPreceding;
  int64_t upper = kCurrentRow;

  friend bool operator==(const WindowFrame&, const WindowFrame&) = default;
};

enum class WindowFunctionKind {
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,
  kLag,
  kLead,
  kFirstValue,
  kLastValue,
  kNthValue,
  kAggregate,
};

struct WindowFunctionSpec {
  WindowFunctionKind kind = WindowFunctionKind::kRowNumber;
  // Bound over the operator's input (BoundRef etc.). kAggregate: the aggregate's arguments.
  // lag/lead/first_value/last_value/nth_value: args[0] is the value; lag/lead may carry the
  // analyzer's full list (value, offset literal, default): args[2], when present, is the default
  // and takes precedence over default_value. Literal offsets in args are not read: see `offset`.
  std::vector<ExprPtr> args;
  std::shared_ptr<const BoundAggregate> aggregate;  // kAggregate: any registered aggregate
  // int for the ranking functions (int64 accepted too), double for percent_rank/cume_dist, the
  // value's type for lag/lead/first/last/nth, the aggregate's result type for kAggregate.
  DataType result_type;
  WindowFrame frame;          // read by first/last/nth_value and kAggregate only
  bool ignore_nulls = false;  // first_value/last_value/nth_value/lag/lead
  int64_t offset = 1;         // lag/lead offset, ntile buckets, nth_value n
  Value default_value;        // lag/lead default (null when not given)
};

struct WindowOperatorSpec {
  std::vector<ExprPtr> partition_keys;  // bound
  std::vector<ExprPtr> order_keys;      // bound kSortOrder expressions (a plain expression: ascending)
  std::vector<WindowFunctionSpec> functions;
};

// Builds the spec of a physical Window node from its bound window expressions: kWindow
// expressions, optionally under an Alias, which all share one PARTITION BY / ORDER BY (as the
// analyzer groups them). Applies Spark's default frame to FrameType::kDefault. Throws an analysis
// error for a function it does not know or an offset that is not an integer literal.
WindowOperatorSpec window_spec_from_exprs(const std::vector<ExprPtr>& window_exprs);

class WindowOperator final : public UnaryOperator {
 public:
  WindowOperator(OperatorPtr child, WindowOperatorSpec spec, const EvalContext& ctx);

 protected:
  bool produce(Batch& out) override;

 private:
  // Consumes the input and computes every window column into result_.
  void compute();

  WindowOperatorSpec spec_;
  ExpressionEvaluator evaluator_;
  bool computed_ = false;
  Batch result_;  // input columns + window columns, every row
  size_t emitted_ = 0;
};

}  // namespace ember
