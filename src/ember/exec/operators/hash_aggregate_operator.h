#pragma once
#include "ember/exec/hashtable/dictionary_key_map.h"
#include "ember/exec/hashtable/group_hash_table.h"
#include "ember/exec/operator.h"
#include "ember/expr/evaluator.h"
#include "ember/physical/physical_plan.h"

namespace ember {

// Hash aggregation in one of three modes:
//  - partial: groups its input and emits [keys..., intermediate states...] per group, to be
//    shuffled by key;
//  - final: merges those intermediate states and emits the result expressions;
//  - complete: both in one (used when an aggregate cannot ship partial states, e.g. DISTINCT).
// With no grouping keys there is exactly one group, which exists even for empty input, so
// count() of nothing is 0 and sum() of nothing is null, as in Spark.
// Blocking: consumes all input on the first next(); then emits groups in insertion order.
// Group keys that arrive dictionary-encoded (all of them) are grouped by their codes
// (DictionaryKeyMap); any other key mix is decoded and hashed row by row.
class HashAggregateOperator final : public UnaryOperator {
 public:
  struct Spec {
    AggregateMode mode;
    std::vector<ExprPtr> group_keys;        // bound to the input
    std::vector<ExprPtr> aggregates;        // kAggregate exprs (args and FILTER bound to the input)
    std::vector<int> intermediate_offsets;  // final mode: first input column of each state
    std::vector<ExprPtr> result_exprs;      // bound over [keys..., values...]; unused in partial
  };
  HashAggregateOperator(OperatorPtr child, Spec spec, const EvalContext& ctx);
  ~HashAggregateOperator() override;

 protected:
  bool produce(Batch& out) override;

 private:
  void consume_all();
  void ensure_global_group();

  Spec spec_;
  EvalContext ctx_;
  ExpressionEvaluator evaluator_;
  std::vector<const AggregateKernel*> kernels_;
  std::vector<size_t> state_offsets_;
  std::unique_ptr<GroupHashTable> table_;
  DictionaryKeyMap dictionary_keys_;
  bool consumed_ = false;
  size_t emitted_groups_ = 0;
  std::vector<uint8_t*> rows_;
  // FILTER (WHERE ...) aggregates: the qualifying rows of the batch and their state rows.
  SelectionVector filter_selection_;
  std::vector<uint8_t*> filtered_rows_;
};

}  // namespace ember
