#pragma once
// Column profiles and suggested checks.
//
// profile(df) reads the data once for the statistics of every column (completeness, approximate
// distinct count, min/max, mean/stddev of numbers, and for strings the fraction that casts to int,
// double and date), then, only when some column has at most kHistogramMaxDistinct distinct
// values, once more for the histograms of all such columns together (one explode + group-by).
// suggest_checks(profile) proposes a check suite from it, printable as YAML (quality/yaml_suite.h).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ember/api/dataframe.h"
#include "ember/quality/check.h"

namespace ember::quality {

inline constexpr int64_t kHistogramMaxDistinct = 20;

struct ColumnProfile {
  std::string name;
  std::string type;  // Spark's simple string: "int", "string", ...
  int64_t non_null = 0;
  double completeness = 0;
  int64_t approx_distinct = 0;
  std::optional<std::string> min, max;  // as show() prints them; absent for types without order
  std::optional<double> mean, stddev;   // numbers only (population stddev)
  // Strings only: fraction of non-null values that cast to int / double / date.
  std::optional<double> castable_int, castable_double, castable_date;
  // Low-cardinality columns: every value (null shown as "NULL") with its count, most frequent first.
  std::vector<std::pair<std::string, int64_t>> histogram;
};

struct DataProfile {
  int64_t rows = 0;
  int passes = 0;
  std::vector<ColumnProfile> columns;
};

DataProfile profile(const DataFrame& df);

// A readable multi-line rendering of a profile.
std::string profile_text(const DataProfile& p);

// Checks a profile supports: completeness (is_complete when no nulls, else has_completeness at the
// observed fraction rounded down to a percent), uniqueness when every value looks distinct,
// non-negativity and the observed range of numbers, is_contained_in for low-cardinality strings,
// castability of strings that all cast, and the row count as a lower bound.
Check suggest_checks(const DataProfile& p, const std::string& description = "suggested");

}  // namespace ember::quality
