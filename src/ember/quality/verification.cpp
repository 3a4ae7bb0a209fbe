#include "ember/quality/verification.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>

#include "ember/api/functions.h"
#include "ember/api/row.h"
#include "ember/common/error.h"
#include "ember/quality/metric_format.h"
#include "ember/quality/metrics_repository.h"

namespace ember::quality {

namespace f = ember::functions;

const char* verification_status_name(VerificationStatus status) {
  switch (status) {
    case VerificationStatus::kSuccess: return "Success";
    case VerificationStatus::kWarning: return "Warning";
    case VerificationStatus::kError: return "Error";
  }
  return "?";
}

namespace {

std::string join_columns(const std::vector<std::string>& cols) {
  std::string s;
  for (const auto& c : cols) s += (s.empty() ? "" : ",") + c;
  return s;
}

Column any_not_null(const std::vector<std::string>& cols) {
  Column c = f::col(cols.at(0)).is_not_null();
  for (size_t i = 1; i < cols.size(); ++i) c = c || f::col(cols[i]).is_not_null();
  return c;
}

Column all_not_null(const std::vector<std::string>& cols) {
  Column c = f::col(cols.at(0)).is_not_null();
  for (size_t i = 1; i < cols.size(); ++i) c = c && f::col(cols[i]).is_not_null();
  return c;
}

// count_if is a native aggregate over the boolean vector: no CASE to evaluate per row.
Column count_where(const Column& condition) { return f::count_if(condition); }

// The single global aggregation: each distinct aggregate once, found again by its key.
class ScanAggregates {
 public:
  size_t add(const std::string& key, const Column& aggregate) {
    auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    size_t i = aggs_.size();
    aggs_.push_back(aggregate.alias("m" + std::to_string(i)));
    index_[key] = i;
    return i;
  }
  bool empty() const { return aggs_.empty(); }
  const std::vector<Column>& aggregates() const { return aggs_; }

 private:
  std::vector<Column> aggs_;
  std::map<std::string, size_t> index_;
};

struct GroupStats {
  std::optional<double> distinct;     // groups with a non-null key
  std::optional<double> unique_rows;  // rows whose key occurs once
  std::optional<double> keyed_rows;   // rows with a non-null key
};

struct Planned {
  size_t main = SIZE_MAX;   // the constraint's own aggregate
  size_t extra = SIZE_MAX;  // complete keys (primary key) / non-null values (referential)
  size_t rows = SIZE_MAX;   // the rows it applies to: count(*), or count_if(where filter)
};

// Keyed metrics are shared by constraints on the same columns under the same filter.
std::string group_key(const Constraint& c) { return join_columns(c.columns) + "|" + c.filter_text; }

struct GroupSpec {
  std::vector<std::string> columns;
  Column applies;
};
std::string reference_key(const Constraint& c) {
  return c.label() + "#" + std::to_string(reinterpret_cast<uintptr_t>(c.reference.get()));
}

// What one constraint observed: the value, a reason to fail whatever the value, and what a
// failure message adds.
struct Observation {
  std::optional<double> value;
  std::string why;
  std::string detail;
};

class Verifier {
 public:
  Verifier(const DataFrame& df, int64_t now) : df_(df), now_(now) {
    size_index_ = scan_.add("size", f::count("*"));
  }

  // Adds what `c` needs to the plan.
  Planned plan(const Constraint& c, const std::string& position) {
    if (c.kind == ConstraintKind::kAnomaly) return plan(*c.inner, position);
    Planned p;
    const std::string key = c.label();
    const bool filtered = c.filtered();
    const Column applies = c.applies();
    p.rows = filtered ? scan_.add("rows:" + c.filter_text, count_where(applies)) : size_index_;
    // A row-level verdict counts only where the constraint applies.
    auto passes = [&] { return filtered ? applies && c.row_passes() : c.row_passes(); };
    switch (c.kind) {
      case ConstraintKind::kCompleteness:
      case ConstraintKind::kContainedIn:
      case ConstraintKind::kNonNegative:
      case ConstraintKind::kBetween:
      case ConstraintKind::kPattern:
      case ConstraintKind::kCastable: p.main = scan_.add(key, count_where(passes())); break;
      case ConstraintKind::kSatisfies:
        // Two predicates may share a name; the key includes the constraint's position.
        p.main = scan_.add(key + "#" + position, count_where(passes()));
        break;
      case ConstraintKind::kAggregate: p.main = scan_.add(key + "#" + position, *c.predicate); break;
      case ConstraintKind::kMin: p.main = scan_.add(key, f::min(as_double(c))); break;
      case ConstraintKind::kMax: p.main = scan_.add(key, f::max(as_double(c))); break;
      case ConstraintKind::kMean: p.main = scan_.add(key, f::avg(as_double(c))); break;
      case ConstraintKind::kSum: p.main = scan_.add(key, f::sum(as_double(c))); break;
      case ConstraintKind::kStddev: p.main = scan_.add(key, f::stddev_pop(as_double(c))); break;
      case ConstraintKind::kQuantile:
        p.main = scan_.add(key, f::percentile_approx(as_double(c), c.quantile));
        break;
      case ConstraintKind::kFreshness:
        p.main = scan_.add(key, f::max(only_where(c, f::col(c.columns[0]).cast("timestamp"))));
        break;
      case ConstraintKind::kSize: break;
      case ConstraintKind::kPrimaryKey:
        p.extra = scan_.add("complete:" + group_key(c), count_where(applies && all_not_null(c.columns)));
        group_keys_.emplace(group_key(c), GroupSpec{c.columns, applies});
        break;
      case ConstraintKind::kUniqueness:
      case ConstraintKind::kDistinctCount:
        group_keys_.emplace(group_key(c), GroupSpec{c.columns, applies});
        break;
      case ConstraintKind::kReferential:
        p.extra = scan_.add("nonnull:" + c.columns[0] + "|" + c.filter_text,
                            f::count(only_where(c, f::col(c.columns[0]))));
        references_.emplace(reference_key(c), &c);
        break;
      case ConstraintKind::kAnomaly: break;
    }
    return p;
  }

  // Runs the planned jobs; returns how many ran.
  int run(std::vector<std::string>* plans) {
    int passes = 0;
    auto explain = [plans](const DataFrame& job) {
      if (plans) plans->push_back(job.explain_string());
    };
    DataFrame aggregation = df_.agg(scan_.aggregates());
    explain(aggregation);
    metrics_ = aggregation.collect().at(0).values();
    bad_records_ = aggregation.last_metrics().bad_records;
    ++passes;
    // One grouped aggregation per distinct key: frequencies, then their summary.
    for (const auto& [key, spec] : group_keys_) {
      std::vector<ColumnOrName> by(spec.columns.begin(), spec.columns.end());
      DataFrame freq = df_.filter(spec.applies && any_not_null(spec.columns))
                           .group_by(by)
                           .agg({f::count("*").alias("__dq_n")});
      DataFrame summary =
          freq.agg({f::count("*"), count_where(f::col("__dq_n") == f::lit(1)), f::sum(f::col("__dq_n"))});
      explain(summary);
      std::vector<Row> rows = summary.collect();
      ++passes;
      const auto& v = rows.at(0).values();
      groups_[key] = GroupStats{metric_value(v[0]), metric_value(v[1]), metric_value(v[2])};
    }
    // One anti-join per reference: non-null values missing from it.
    for (const auto& [key, c] : references_) {
      DataFrame values = df_.filter(c->applies())
                             .select({f::col(c->columns[0]).alias("__dq_v")})
                             .filter(f::col("__dq_v").is_not_null());
      DataFrame keys = c->reference->select({f::col(c->reference_column).alias("__dq_r")}).distinct();
      DataFrame missing = values.join(keys, f::col("__dq_v") == f::col("__dq_r"), "left_anti");
      explain(missing);
      orphans_[key] = static_cast<double>(missing.count());
      ++passes;
    }
    return passes;
  }

  // Malformed input records the main aggregation met while reading.
  int64_t bad_records() const { return bad_records_; }

  Observation observe(const Constraint& c, const Planned& p) const {
    Observation o;
    auto metric = [&](size_t i) { return i == SIZE_MAX ? std::nullopt : metric_value(metrics_.at(i)); };
    if (c.kind == ConstraintKind::kAnomaly) return observe(*c.inner, p);
    // The rows the constraint applies to: all of them, or those its where() filter selects.
    const std::optional<double> size = metric(p.rows);
    const char* no_rows = c.filtered() ? "no row matches the where() filter" : "the data has no rows";
    auto fraction = [&](std::optional<double> part, std::optional<double> whole, const char* none) {
      if (!part || !whole || *whole == 0) {
        o.why = none;
        return std::optional<double>();
      }
      return std::optional<double>(*part / *whole);
    };
    switch (c.kind) {
      case ConstraintKind::kCompleteness:
      case ConstraintKind::kContainedIn:
      case ConstraintKind::kNonNegative:
      case ConstraintKind::kBetween:
      case ConstraintKind::kPattern:
      case ConstraintKind::kCastable:
      case ConstraintKind::kSatisfies: o.value = fraction(metric(p.main), size, no_rows); break;
      case ConstraintKind::kSize: o.value = size; break;
      case ConstraintKind::kAggregate:
        o.value = metric(p.main);
        if (!o.value) o.why = "the aggregate is null";
        break;
      case ConstraintKind::kMin:
      case ConstraintKind::kMax:
      case ConstraintKind::kMean:
      case ConstraintKind::kSum:
      case ConstraintKind::kStddev:
      case ConstraintKind::kQuantile:
        o.value = metric(p.main);
        if (!o.value) o.why = "the column has no non-null values";
        break;
      case ConstraintKind::kFreshness: {
        std::optional<double> newest = metric(p.main);
        if (newest) o.value = (static_cast<double>(now_) - *newest) / 1e6;
        else o.why = "the column has no non-null values";
        break;
      }
      case ConstraintKind::kUniqueness:
      case ConstraintKind::kPrimaryKey: {
        const GroupStats& g = groups_.at(group_key(c));
        o.value = fraction(g.unique_rows, g.keyed_rows, "no row has a non-null key");
        std::optional<double> complete = metric(p.extra);
        if (c.kind == ConstraintKind::kPrimaryKey && o.value && size && complete && *complete != *size) {
          o.why = format_metric(*size - *complete) + " rows have a null key column";
        }
        break;
      }
      case ConstraintKind::kDistinctCount: o.value = groups_.at(group_key(c)).distinct; break;
      case ConstraintKind::kReferential: {
        std::optional<double> nonnull = metric(p.extra);
        std::optional<double> missing = orphans_.at(reference_key(c));
        if (nonnull && missing)
          o.value = fraction(*nonnull - *missing, nonnull, "the column has no non-null values");
        if (missing && *missing > 0)
          o.detail = format_metric(*missing) + " values are missing from the reference";
        break;
      }
      case ConstraintKind::kAnomaly: break;
    }
    return o;
  }

 private:
  // A column's values where the constraint applies, null elsewhere (aggregates skip nulls).
  static Column only_where(const Constraint& c, const Column& value) {
    return c.filtered() ? f::when(c.applies(), value) : value;
  }
  static Column as_double(const Constraint& c) {
    return only_where(c, f::col(c.columns.at(0)).cast("double"));
  }

  DataFrame df_;
  int64_t now_;
  ScanAggregates scan_;
  size_t size_index_ = 0;
  std::map<std::string, GroupSpec> group_keys_;
  std::map<std::string, const Constraint*> references_;
  std::vector<Value> metrics_;
  int64_t bad_records_ = 0;
  std::map<std::string, GroupStats> groups_;
  std::map<std::string, std::optional<double>> orphans_;
};

// Judges `value` against its history; empty when it is within the expected range.
std::string judge_anomaly(const AnomalyStrategy& s, double value, const std::vector<double>& history,
                          bool& passed) {
  passed = true;
  if (s.kind == AnomalyStrategy::Kind::kRelativeChange) {
    if (history.empty()) return "no earlier run to compare with";
    double previous = history.back();
    double lo = previous * (1 - s.max_decrease), hi = previous * (1 + s.max_increase);
    if (lo > hi) std::swap(lo, hi);
    passed = value >= lo && value <= hi;
    return passed ? ""
                  : "previous run " + format_readable(previous) + ", expected within [" +
                        format_readable(lo) + ", " + format_readable(hi) + "]";
  }
  size_t n = std::min(history.size(), static_cast<size_t>(s.last_runs));
  if (n < 2) return "fewer than 2 earlier runs to compare with";
  double mean = 0;
  for (size_t i = history.size() - n; i < history.size(); ++i) mean += history[i];
  mean /= static_cast<double>(n);
  double ss = 0;
  for (size_t i = history.size() - n; i < history.size(); ++i)
    ss += (history[i] - mean) * (history[i] - mean);
  double sd = std::sqrt(ss / static_cast<double>(n - 1));
  double lo = mean - s.k * sd, hi = mean + s.k * sd;
  passed = value >= lo && value <= hi;
  return passed ? ""
                : "last " + std::to_string(n) + " runs: mean " + format_readable(mean) + ", stddev " +
                      format_readable(sd) + ", expected within [" + format_readable(lo) + ", " +
                      format_readable(hi) + "]";
}

}  // namespace

VerificationResult verify(const DataFrame& df, const std::vector<Check>& checks,
                          const VerifyOptions& options) {
  VerificationResult result;
  result.dataset = options.dataset;
  result.tags = options.tags;
  int64_t now = options.now_micros;
  if (now == 0) {
    now = std::chrono::duration_cast<std::chrono::microseconds>(
              std::chrono::system_clock::now().time_since_epoch())
              .count();
  }
  result.run_time_micros = now;

  check_columns(df.schema(), checks);
  Verifier verifier(df, now);
  std::vector<std::vector<Planned>> planned(checks.size());
  for (size_t ci = 0; ci < checks.size(); ++ci) {
    const auto& constraints = checks[ci].constraints();
    for (size_t k = 0; k < constraints.size(); ++k) {
      planned[ci].push_back(verifier.plan(constraints[k], std::to_string(ci) + "." + std::to_string(k)));
    }
  }
  result.passes = verifier.run(options.explain ? &result.plans : nullptr);
  result.bad_records = verifier.bad_records();

  bool error_failed = false, warning_failed = false;
  for (size_t ci = 0; ci < checks.size(); ++ci) {
    CheckResult check;
    check.description = checks[ci].description();
    check.level = checks[ci].level();
    const auto& constraints = checks[ci].constraints();
    for (size_t k = 0; k < constraints.size(); ++k) {
      const Constraint& c = constraints[k];
      Observation o = verifier.observe(c, planned[ci][k]);
      ConstraintResult r;
      r.constraint = c.description();
      const Constraint& watched = c.kind == ConstraintKind::kAnomaly ? *c.inner : c;
      r.metric = watched.metric_name();
      r.instance = watched.instance();
      r.assertion = c.kind == ConstraintKind::kAnomaly ? c.strategy.to_string() : c.assertion.to_string();
      r.value = o.value;
      if (c.kind == ConstraintKind::kAnomaly) {
        bool passed = false;
        std::string note;
        if (o.value) {
          note = judge_anomaly(c.strategy, *o.value,
                               metric_history(df.session(), c.repository, r.metric, r.instance, options.tags),
                               passed);
        }
        r.passed = o.value.has_value() && passed && o.why.empty();
        if (r.passed) {
          r.message = note;  // e.g. "no earlier run to compare with": passed, but worth saying
        } else {
          r.message = o.value ? "observed " + format_readable(*o.value) + "; " + note : o.why;
        }
      } else {
        r.passed = o.value.has_value() && c.assertion.holds(*o.value) && o.why.empty();
        if (!r.passed) {
          std::string message = o.why;
          if (o.value) {
            message = "observed " + format_readable(*o.value) + ", expected " + r.assertion +
                      (o.why.empty() ? "" : "; " + o.why);
          }
          if (!o.detail.empty()) message += " (" + o.detail + ")";
          r.message = message;
        }
      }
      if (!r.passed) check.passed = false;
      check.constraints.push_back(std::move(r));
    }
    if (!check.passed) (check.level == CheckLevel::kError ? error_failed : warning_failed) = true;
    result.checks.push_back(std::move(check));
  }
  result.status = error_failed     ? VerificationStatus::kError
                  : warning_failed ? VerificationStatus::kWarning
                                   : VerificationStatus::kSuccess;
  return result;
}

}  // namespace ember::quality
