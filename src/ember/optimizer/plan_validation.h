#pragma once
// Structural checks of a resolved logical plan, run by the optimizer driver after every rule that
// changed the plan (debug builds, or spark.sql.planChangeValidation=true as in Spark): a rule
// that breaks the plan is named at once instead of surfacing as a wrong answer or a planner
// crash later.
#include <string>

#include "ember/plan/logical_plan.h"

namespace ember {

// Empty when `plan` is well-formed; otherwise what is wrong and where ("Filter (a#3 > 1):
// references a#3, which its children do not output"). Checked on every node:
// every attribute its expressions read is output by its children (a relation's pushed filters:
// by itself); its output is what its children and expressions derive (same ids and types).
// (Resolution itself is the analyzer's promise and is not re-checked: hand-built test plans
// reach the optimizer with unresolved calls on purpose.)
std::string plan_validation_error(const PlanPtr& plan);

}  // namespace ember
