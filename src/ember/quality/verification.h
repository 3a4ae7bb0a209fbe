#pragma once
// Runs a suite of checks over a DataFrame and reports every constraint: its metric, the observed
// value, the assertion and whether it held.
//
// Passes over the data: every metric that is an aggregate of single rows (completeness, pattern
// and range compliance, castability, size, min/max/mean/stddev/sum, quantiles, freshness,
// predicates) is computed by ONE global aggregation, whatever the number of checks. Metrics that
// need rows grouped by a key cost one grouped aggregation per distinct key (uniqueness, primary
// keys and distinct counts of the same columns share it), and referential integrity one anti-join
// per (column, reference) pair. VerificationResult::passes counts the jobs run.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ember/api/dataframe.h"
#include "ember/quality/check.h"

namespace ember::quality {

struct ConstraintResult {
  std::string constraint;  // Constraint::description()
  std::string metric;      // Constraint::metric_name()
  std::string instance;    // Constraint::instance()
  std::optional<double> value;
  std::string assertion;  // Assertion::to_string()
  bool passed = false;
  std::string message;  // why it failed; empty when it passed
  // The metric in earlier runs, oldest first (attach_history, metrics_repository.h); reports draw it.
  std::vector<double> history;
};

struct CheckResult {
  std::string description;
  CheckLevel level = CheckLevel::kError;
  bool passed = true;
  std::vector<ConstraintResult> constraints;
};

enum class VerificationStatus { kSuccess, kWarning, kError };
const char* verification_status_name(VerificationStatus status);  // "Success", "Warning", "Error"

struct VerificationResult {
  VerificationStatus status = VerificationStatus::kSuccess;
  std::vector<CheckResult> checks;
  int64_t run_time_micros = 0;  // when the run started (UTC)
  int passes = 0;               // jobs run over the data
  // Malformed input records the first pass met while reading (CSV PERMISSIVE, DROPMALFORMED,
  // badRecordsPath): rows that never reached the checks, so reports show them.
  int64_t bad_records = 0;
  std::vector<std::string> plans;           // each job's physical plan, when VerifyOptions::explain is set
  std::string dataset;                      // what was checked (a path), for reports; may be empty
  std::map<std::string, std::string> tags;  // recorded with the metrics (metrics_repository.h)

  // True when an error-level check failed: the job should fail (after writing the report).
  bool failed() const { return status == VerificationStatus::kError; }
};

struct VerifyOptions {
  // "Now" for freshness, in UTC microseconds; 0 takes the system clock.
  int64_t now_micros = 0;
  std::string dataset;
  // Tags of this run: anomaly checks compare with earlier runs of the same tags.
  std::map<std::string, std::string> tags;
  // Keep every job's physical plan in VerificationResult::plans (to count the scans, or to read).
  bool explain = false;
};

VerificationResult verify(const DataFrame& df, const std::vector<Check>& checks,
                          const VerifyOptions& options = {});

}  // namespace ember::quality
