#pragma once
// Row-level validation and quarantine: splits a DataFrame by the row-level constraints of the checks
// given (completeness, containment, ranges, patterns, castability, predicates, uniqueness and
// primary keys, referential integrity). Pass only the checks whose rules should quarantine a row;
// a rule repeated in two checks counts once. A row is invalid when it fails any of them, whatever the
// constraint's assertion on the whole data says; invalid rows carry the column `_failed_checks`
// (array<string>) listing the label of every constraint they failed, e.g.
// ["Completeness(id)", "Uniqueness(id)"].
//
// Plan: one projection computes every row-level verdict; a key constraint adds a left join with
// the keys that occur more than once, a reference constraint a left join with the reference's
// distinct values. valid and invalid are two DataFrames over that plan: each action on them reads
// the input again, so cache() the input when it is expensive to read twice.
#include <string>
#include <vector>

#include "ember/api/dataframe.h"
#include "ember/quality/check.h"

namespace ember::quality {

inline constexpr const char* kFailedChecksColumn = "_failed_checks";

struct ValidationResult {
  DataFrame valid;    // the input's columns, rows that pass every row-level constraint
  DataFrame invalid;  // the input's columns plus _failed_checks
  // `invalid` with _failed_checks as one STRING ("Completeness(id); Uniqueness(id)"), for a
  // quarantine kept as CSV, which has no array type (Parquet takes `invalid` as it is).
  DataFrame quarantine;
};

ValidationResult validate(const DataFrame& df, const std::vector<Check>& checks);

}  // namespace ember::quality
