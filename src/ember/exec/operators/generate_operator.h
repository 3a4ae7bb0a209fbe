#pragma once
// explode / posexplode / explode_outer (Spark's GenerateExec over an array): every input row is
// repeated once per element of its array, with the element (and its 0-based position) appended
// as extra columns. A null or empty array yields no row, or with `outer` one row whose generated
// columns are null. Output batches hold at most about kBatchSize rows (a huge array is split).
#include <vector>

#include "ember/exec/operator.h"
#include "ember/expr/evaluator.h"

namespace ember {

struct GenerateSpec {
  ExprPtr array;            // bound over the input; an array-typed expression
  bool with_position = false;  // posexplode: a `pos` int column before the element
  bool outer = false;          // explode_outer / posexplode_outer
};

class GenerateOperator final : public UnaryOperator {
 public:
  GenerateOperator(OperatorPtr child, GenerateSpec spec, const EvalContext& ctx);

 protected:
  bool produce(Batch& out) override;

 private:
  GenerateSpec spec_;
  ExpressionEvaluator evaluator_;
  Batch input_;
  VectorPtr arrays_;        // the current input batch's arrays (flat)
  size_t next_row_ = 0;     // first input row not fully emitted
  size_t next_element_ = 0; // within next_row_'s array
  bool have_input_ = false;
};

}  // namespace ember
