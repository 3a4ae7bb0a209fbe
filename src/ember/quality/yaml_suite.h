#pragma once
// Check suites in YAML, for `ember check spec.yaml` and for suites kept beside a pipeline:
//
//   dataset:
//     path: data/orders.csv
//     format: csv                      # csv (default) or parquet
//     options: {header: true, inferSchema: true}
//     schema: "id INT, amount DOUBLE"  # optional
//   references:                        # other datasets, for is_contained_in_reference
//     customers: {path: data/customers.csv, options: {header: true, inferSchema: true}}
//   reports: {json: out/dq/report.json, html: out/dq/report.html}
//   metrics_repository: out/dq/metrics # optional: append this run's metrics (Parquet)
//   tags: {pipeline: nightly}
//   checks:
//     - description: orders
//       level: error                   # error (default) or warning
//       constraints:
//         - is_complete: id
//         - is_primary_key: [id, day]
//         - has_completeness: {column: email, ge: 0.95}
//         - is_contained_in: {column: status, values: [new, paid]}
//         - is_between: {column: amount, min: 0, max: 1000}
//         - has_mean: {column: amount, between: [10, 20]}
//         - is_contained_in_reference: {column: customer_id, reference: customers, reference_column: id}
//         - is_fresh: {column: updated_at, max_age: 24h}
//
// Every Check method has a YAML form named after it; an assertion is one of eq, ge, gt, le, lt or
// between: [lo, hi]. Errors name the file, the line and the offending key.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ember/api/dataframe.h"
#include "ember/api/session.h"
#include "ember/quality/check.h"

namespace ember::quality {

struct DatasetSpec {
  std::string path;
  std::string format = "csv";
  std::map<std::string, std::string> options;
  std::string schema;  // DDL; empty: the source's own or inferred schema
};

struct CheckSuite {
  DatasetSpec dataset;
  std::map<std::string, DatasetSpec> references;
  std::string json_report, html_report;
  std::string metrics_repository;
  std::map<std::string, std::string> tags;
  std::vector<Check> checks;
};

// Reads a suite; DataFrames of the references are opened with `session` (the checks hold them).
CheckSuite load_check_suite(const std::string& yaml_path, const Session& session);
CheckSuite parse_check_suite(const std::string& yaml_text, const Session& session,
                             const std::string& origin = "<yaml>");

DataFrame read_dataset(const Session& session, const DatasetSpec& spec);

// A suite as YAML (the dataset section when `dataset.path` is set, then the checks), in the form
// load_check_suite reads. Constraints built from C++ predicates (satisfies) are written as a
// comment, since a Column has no text form to read back.
std::string check_suite_yaml(const DatasetSpec& dataset, const std::vector<Check>& checks);

}  // namespace ember::quality
