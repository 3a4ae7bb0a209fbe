#pragma once
// One optimizer rule: a named rewrite of a resolved logical plan that preserves its result.
// Each rule lives in its own file under optimizer/rules/ and can be switched off with
// spark.sql.optimizer.excludedRules (Spark's key; short names such as "PushDownPredicates" or
// Spark's fully qualified names are both accepted).
#include <string>

#include "ember/functions/function.h"
#include "ember/plan/logical_plan.h"

namespace ember {

// Spark's cost-based optimizer switches (spark.sql.cbo.*).
struct CboOptions {
  bool enabled = true;       // spark.sql.cbo.enabled (ember: on by default)
  bool join_reorder = true;  // spark.sql.cbo.joinReorder.enabled (ember: on by default)
  int dp_threshold = 12;     // spark.sql.cbo.joinReorder.dpThreshold: more inputs go greedy
  double card_weight = 0.7;  // spark.sql.cbo.joinReorder.card.weight: rows vs bytes in the cost
};

struct OptimizerContext {
  EvalContext eval;  // for constant folding (ANSI flag, time zone, current date)
  CboOptions cbo;
  // spark.ember.optimizer.eagerAggregation: PushAggregateThroughJoin (which pre-aggregates a join
  // side only where the estimates say it shrinks) runs unless switched off.
  bool eager_aggregation = true;
};

class OptimizerRule {
 public:
  virtual ~OptimizerRule() = default;
  virtual const char* name() const = 0;
  // Returns the rewritten plan, or the same pointer when nothing changed (the driver uses pointer
  // identity to detect a fixed point).
  virtual PlanPtr apply(const PlanPtr& plan, const OptimizerContext& ctx) const = 0;
};

}  // namespace ember
