#pragma once
// The physical plan as `explain(mode="formatted")` prints it: an overview tree naming each operator
// with a number, then one section per operator listing its inputs, outputs and arguments.
#include <string>

#include "ember/physical/physical_plan.h"

namespace ember {

// Spark's formatted explain: operators are numbered in post-order (children first, left to right),
// as Spark's ExplainUtils numbers them; each section is "(id) Name [stage N]" followed by lines such
// as "Input [2]: [a#1, b#2]", "Condition : (a#1 > 1)", "Keys [1]: [a#1]". Expressions are printed over
// attributes (name#id), never over input positions.
std::string physical_formatted_string(const PhysPtr& plan);

}  // namespace ember
