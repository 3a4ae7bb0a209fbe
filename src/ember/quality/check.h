#pragma once
// Declarative data-quality checks (issue 7), in the shape of Deequ's Check:
//
//   Check(CheckLevel::kError, "orders").is_complete("id").is_unique("id").is_non_negative("amount")
//
// A Check is a list of constraints, each an assertion on one metric of the data (completeness of
// a column, uniqueness of a key, a mean, ...). verify() (quality/verification.h) computes every
// metric of a suite in as few passes as possible and reports each constraint; validate()
// (quality/validation.h) splits the rows into valid and invalid ones by the row-level
// constraints. Constraints are plain data, so a suite can also come from YAML (quality/yaml_suite.h)
// and every result names its constraint the same way.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/api/column.h"
#include "ember/api/dataframe.h"
#include "ember/types/value.h"

namespace ember::quality {

// warning: a failed check is reported; error: it also fails the job (ember check exits 1).
enum class CheckLevel { kWarning, kError };
const char* check_level_name(CheckLevel level);  // "warning" / "error"

// A bound on an observed metric: "== 1", ">= 0.95", "between 0 and 10" (inclusive).
struct Assertion {
  enum class Op { kEq, kGe, kGt, kLe, kLt, kBetween };
  Op op = Op::kEq;
  double a = 1;
  double b = 0;  // upper bound of kBetween
  bool holds(double x) const;
  std::string to_string() const;
};
Assertion eq(double x);
Assertion ge(double x);
Assertion gt(double x);
Assertion le(double x);
Assertion lt(double x);
Assertion between(double lo, double hi);

enum class ConstraintKind {
  kCompleteness,   // fraction of non-null values of a column
  kUniqueness,     // fraction of rows (with a non-null key) whose key occurs once
  kPrimaryKey,     // the key columns are complete and unique (metric: uniqueness)
  kDistinctCount,  // number of distinct non-null values (COUNT(DISTINCT ...))
  kContainedIn,    // fraction of rows whose value is null or one of `values`
  kNonNegative,    // fraction of rows whose value is null or >= 0
  kBetween,        // fraction of rows whose value is null or within [low, high]
  kMin,            // min of a numeric column
  kMax,            // max of a numeric column
  kPattern,        // fraction of rows whose value is null or matches `pattern` (RE2)
  kCastable,       // fraction of rows whose string value is null or casts to `type_name`
  kSize,           // number of rows
  kMean,
  kStddev,  // population standard deviation, as Deequ
  kSum,
  kQuantile,     // approximate quantile (percentile_approx) at `quantile`
  kReferential,  // fraction of non-null values found in a column of another DataFrame
  kFreshness,    // age in seconds of the newest timestamp of a column
  kSatisfies,    // fraction of rows for which `predicate` is true
  kAnomaly,      // the `inner` metric compared with its history in a metrics repository
  kAggregate,    // the value of an arbitrary aggregate expression (`predicate`)
};

// How an anomaly check judges today's metric against the history of earlier runs.
struct AnomalyStrategy {
  enum class Kind {
    kRelativeChange,  // against the previous run: value / previous within [1 - max_decrease, 1 +
                      // max_increase]
    kStdDev,          // within mean ± k * stddev (sample) of the last `last_runs` runs
  };
  Kind kind = Kind::kStdDev;
  double max_decrease = 0.5;
  double max_increase = 0.5;
  double k = 3;
  int last_runs = 10;
  std::string to_string() const;
};
AnomalyStrategy relative_change(double max_decrease, double max_increase);
AnomalyStrategy stddev_band(double k, int last_runs);

struct Constraint {
  ConstraintKind kind = ConstraintKind::kSize;
  std::vector<std::string> columns;
  Assertion assertion;
  std::vector<Value> values;        // kContainedIn
  double low = 0, high = 0;         // kBetween
  std::string pattern;              // kPattern: the RE2 pattern
  std::string pattern_name;         // kPattern: "email", "url", "phone" or empty
  std::string type_name;            // kCastable: "int", "bigint", "double", "date", ...
  double quantile = 0.5;            // kQuantile
  std::string name;                 // kSatisfies: how reports name the predicate
  std::optional<Column> predicate;  // kSatisfies: a row predicate; kAggregate: an aggregate
  std::string sql;                  // kSatisfies / kAggregate given as SQL: the text
  // where(): the constraint applies to the rows where `filter` is true (null counts as false).
  std::optional<Column> filter;
  std::string filter_text;  // as labels show it: the SQL text, or the Column's expression
  bool filter_is_sql = false;
  std::shared_ptr<DataFrame> reference;     // kReferential
  std::string reference_column;             // kReferential
  std::shared_ptr<const Constraint> inner;  // kAnomaly: the metric watched
  std::string repository;                   // kAnomaly: the metrics repository (Parquet dataset)
  AnomalyStrategy strategy;                 // kAnomaly

  // True when each row passes or fails on its own (validate() uses exactly these).
  bool row_level() const;
  // The metric it observes, Deequ's naming: "Completeness", "Uniqueness", "Size", ...
  std::string metric_name() const;
  // What the metric is computed on: a column, "a,b" for several, "*" for the dataset.
  std::string instance() const;
  // True when where() narrowed the constraint to some rows.
  bool filtered() const { return filter.has_value(); }
  // The rows the constraint applies to (lit(true) without where()); never null.
  Column applies() const;
  // The metric with what it is computed on, e.g. "Completeness(email)" or
  // "ContainedIn(status IN (new, paid))"; invalid rows list these.
  std::string label() const;
  // The constraint as reports show it, e.g. "Completeness(email) >= 0.95".
  std::string description() const;
  // When a row passes (row-level constraints only); never null.
  Column row_passes() const;
};

// The built-in shapes for has_pattern: RE2 patterns for an e-mail address, an http(s)/ftp URL and
// a phone number (digits with optional +, spaces, dots, dashes and parentheses).
const std::string& email_pattern();
const std::string& url_pattern();
const std::string& phone_pattern();

class Check;

// Throws a kAnalysis error naming the check and the constraint when a constraint names a column
// the data does not have (UNRESOLVED_COLUMN) or one of a type its metric cannot use
// (DATATYPE_MISMATCH: min/max/mean/sum/stddev/quantile/non-negative/between need numbers,
// freshness a timestamp, date or string). verify() and validate() call it before planning.
void check_columns(const Schema& schema, const std::vector<Check>& checks);

class Check {
 public:
  Check(CheckLevel level, std::string description) : level_(level), description_(std::move(description)) {}

  CheckLevel level() const { return level_; }
  const std::string& description() const { return description_; }
  const std::vector<Constraint>& constraints() const { return constraints_; }

  Check& is_complete(const std::string& column);
  Check& has_completeness(const std::string& column, Assertion assertion);
  Check& is_unique(const std::string& column);
  Check& has_uniqueness(const std::vector<std::string>& columns, Assertion assertion);
  // Complete and unique key, one column or several (composite).
  Check& is_primary_key(const std::vector<std::string>& columns);
  Check& has_distinct_count(const std::string& column, Assertion assertion);
  Check& is_contained_in(const std::string& column, const std::vector<Value>& values);
  Check& is_contained_in(const std::string& column, const std::vector<std::string>& values);
  Check& is_non_negative(const std::string& column);
  Check& is_between(const std::string& column, double low, double high);
  Check& has_min(const std::string& column, Assertion assertion);
  Check& has_max(const std::string& column, Assertion assertion);
  // `pattern` is an RE2 regular expression; the rows that match must satisfy `assertion`.
  Check& has_pattern(const std::string& column, const std::string& pattern, Assertion assertion = eq(1));
  Check& contains_email(const std::string& column, Assertion assertion = eq(1));
  Check& contains_url(const std::string& column, Assertion assertion = eq(1));
  Check& contains_phone(const std::string& column, Assertion assertion = eq(1));
  // Type conformance of a string column: its non-null values cast to `type_name` ("int", "date").
  Check& is_castable_to(const std::string& column, const std::string& type_name, Assertion assertion = eq(1));
  Check& has_size(Assertion assertion);
  Check& has_mean(const std::string& column, Assertion assertion);
  Check& has_stddev(const std::string& column, Assertion assertion);
  Check& has_sum(const std::string& column, Assertion assertion);
  Check& has_approx_quantile(const std::string& column, double quantile, Assertion assertion);
  // Every non-null value of `column` occurs in `reference_column` of `reference` (no orphans).
  Check& is_contained_in_reference(const std::string& column, const DataFrame& reference,
                                   const std::string& reference_column, Assertion assertion = eq(1));
  // The newest value of the timestamp (or date) column is at most `max_age_seconds` old.
  Check& is_fresh(const std::string& column, double max_age_seconds);
  // Row-level predicate: the fraction of rows where it is true must satisfy `assertion`.
  Check& satisfies(const Column& predicate, const std::string& name, Assertion assertion = eq(1));
  // Any aggregate expression over the data, e.g. sum(col("refund")) / sum(col("amount")), computed
  // in the same aggregation as every other metric; its value (a boolean reads as 1 or 0) must
  // satisfy `assertion`. Reports call it Metric(name).
  Check& has_metric(const Column& aggregate, const std::string& name, Assertion assertion);
  // The SQL forms (parsed by functions::expr): satisfies("amount >= 0 OR status = 'refund'") names
  // the constraint by its text; has_metric("sum(refund) / sum(amount)", "refund share", lt(0.1)).
  // YAML suites write them as `satisfies:` and `has_metric:`.
  Check& satisfies(const std::string& sql_predicate, Assertion assertion = eq(1),
                   const std::string& name = "");
  Check& has_metric(const std::string& sql_aggregate, const std::string& name, Assertion assertion);
  Check& satisfies(const char* sql_predicate, Assertion assertion = eq(1), const std::string& name = "") {
    return satisfies(std::string(sql_predicate), assertion, name);
  }
  Check& has_metric(const char* sql_aggregate, const std::string& name, Assertion assertion) {
    return has_metric(std::string(sql_aggregate), name, assertion);
  }
  // Anomaly detection: `metric` ("Size", "Completeness", "Mean", "Sum", "Minimum", "Maximum",
  // "StandardDeviation", "CountDistinct", "Uniqueness") of `column` (empty for Size) must not
  // depart from its history in `repository` (runs appended with append_metrics) per `strategy`.
  // With too little history the constraint passes and says so.
  Check& is_not_anomalous(const std::string& metric, const std::string& column, const std::string& repository,
                          AnomalyStrategy strategy);

  // Narrows the constraint added last to the rows where `filter` holds, as Deequ's where():
  //   check.has_completeness("email", ge(0.99)).where("status = 'paid'")
  // Its metric, its row-level verdict (validate) and its label ("Completeness(email WHERE
  // status = 'paid')") all follow. Not for has_metric (filter inside the aggregate) or anomaly
  // checks.
  Check& where(const Column& filter);
  Check& where(const std::string& sql_filter);
  // A string literal is SQL text here, not a literal Column.
  Check& where(const char* sql_filter) { return where(std::string(sql_filter)); }

  Check& add(Constraint c);

 private:
  CheckLevel level_;
  std::string description_;
  std::vector<Constraint> constraints_;
};

}  // namespace ember::quality
