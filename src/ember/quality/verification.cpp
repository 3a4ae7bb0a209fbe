#include "ember/quality/verification.h"

#include <chrono>
#include <cstdlib>
#include <map>

#include "ember/api/functions.h"
#include "ember/api/row.h"
#include "ember/common/error.h"
#include "ember/quality/metric_format.h"

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

std::optional<double> to_double(const Value& v) {
  if (v.is_null()) return std::nullopt;
  const DataType& t = v.type();
  if (t.is_floating()) return v.as_double();
  if (t.is_integral() || t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp) {
    return static_cast<double>(v.as_int64());
  }
  if (t.id() == TypeId::kBoolean) return v.as_bool() ? 1.0 : 0.0;
  if (t.id() == TypeId::kDecimal) return std::strtod(v.to_string().c_str(), nullptr);
  return std::nullopt;
}

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

Column count_where(const Column& condition) {
  return f::sum(f::when(condition, f::lit(1)).otherwise(f::lit(0)));
}

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
  size_t size = 0;          // count(*)
  size_t main = SIZE_MAX;   // the constraint's own aggregate
  size_t extra = SIZE_MAX;  // complete keys (primary key) / non-null values (referential)
};

}  // namespace

VerificationResult verify(const DataFrame& df, const std::vector<Check>& checks,
                          const VerifyOptions& options) {
  VerificationResult result;
  result.dataset = options.dataset;
  int64_t now = options.now_micros;
  if (now == 0) {
    now = std::chrono::duration_cast<std::chrono::microseconds>(
              std::chrono::system_clock::now().time_since_epoch())
              .count();
  }
  result.run_time_micros = now;

  // Plan every metric: row aggregates into one aggregation, keyed metrics per key.
  ScanAggregates scan;
  const size_t size_index = scan.add("size", f::count("*"));
  std::vector<std::vector<Planned>> planned(checks.size());
  std::map<std::string, std::vector<std::string>> group_keys;  // key string -> columns
  std::map<std::string, GroupStats> groups;
  std::map<std::string, std::optional<double>> orphans;  // referential key -> orphan count
  for (size_t ci = 0; ci < checks.size(); ++ci) {
    for (const Constraint& c : checks[ci].constraints()) {
      Planned p;
      p.size = size_index;
      const std::string key = c.label();
      switch (c.kind) {
        case ConstraintKind::kCompleteness:
        case ConstraintKind::kContainedIn:
        case ConstraintKind::kNonNegative:
        case ConstraintKind::kBetween:
        case ConstraintKind::kPattern:
        case ConstraintKind::kCastable: p.main = scan.add(key, count_where(c.row_passes())); break;
        case ConstraintKind::kSatisfies:
          // Two predicates may share a name; the key includes the checks' positions.
          p.main = scan.add(key + "#" + std::to_string(ci) + "." + std::to_string(planned[ci].size()),
                            count_where(c.row_passes()));
          break;
        case ConstraintKind::kMin: p.main = scan.add(key, f::min(f::col(c.columns[0]).cast("double"))); break;
        case ConstraintKind::kMax: p.main = scan.add(key, f::max(f::col(c.columns[0]).cast("double"))); break;
        case ConstraintKind::kMean:
          p.main = scan.add(key, f::avg(f::col(c.columns[0]).cast("double")));
          break;
        case ConstraintKind::kSum: p.main = scan.add(key, f::sum(f::col(c.columns[0]).cast("double"))); break;
        case ConstraintKind::kStddev:
          p.main = scan.add(key, f::stddev_pop(f::col(c.columns[0]).cast("double")));
          break;
        case ConstraintKind::kQuantile:
          p.main = scan.add(key, f::percentile_approx(f::col(c.columns[0]).cast("double"), c.quantile));
          break;
        case ConstraintKind::kFreshness:
          p.main = scan.add(key, f::max(f::col(c.columns[0]).cast("timestamp")));
          break;
        case ConstraintKind::kSize: break;
        case ConstraintKind::kPrimaryKey:
          p.extra = scan.add("complete:" + join_columns(c.columns), count_where(all_not_null(c.columns)));
          [[fallthrough]];
        case ConstraintKind::kUniqueness:
        case ConstraintKind::kDistinctCount: group_keys[join_columns(c.columns)] = c.columns; break;
        case ConstraintKind::kReferential:
          p.extra = scan.add("nonnull:" + c.columns[0], f::count(f::col(c.columns[0])));
          break;
      }
      planned[ci].push_back(p);
    }
  }

  // Pass 1: the single aggregation over the rows.
  std::vector<Value> metrics;
  {
    DataFrame agg = df.agg(scan.aggregates());
    std::vector<Row> rows = agg.collect();
    ++result.passes;
    metrics = rows.at(0).values();
  }
  auto metric = [&](size_t i) { return i == SIZE_MAX ? std::nullopt : to_double(metrics.at(i)); };

  // One grouped aggregation per distinct key: frequencies, then their summary.
  for (const auto& [key, cols] : group_keys) {
    std::vector<ColumnOrName> by(cols.begin(), cols.end());
    DataFrame freq = df.filter(any_not_null(cols)).group_by(by).agg({f::count("*").alias("__dq_n")});
    std::vector<Row> rows =
        freq.agg({f::count("*"), count_where(f::col("__dq_n") == f::lit(1)), f::sum(f::col("__dq_n"))})
            .collect();
    ++result.passes;
    const auto& v = rows.at(0).values();
    groups[key] = GroupStats{to_double(v[0]), to_double(v[1]), to_double(v[2])};
  }

  // One anti-join per referential constraint: non-null values missing from the reference.
  for (size_t ci = 0; ci < checks.size(); ++ci) {
    for (const Constraint& c : checks[ci].constraints()) {
      if (c.kind != ConstraintKind::kReferential) continue;
      const std::string key =
          c.label() + "#" + std::to_string(reinterpret_cast<uintptr_t>(c.reference.get()));
      if (orphans.count(key)) continue;
      DataFrame values =
          df.select({f::col(c.columns[0]).alias("__dq_v")}).filter(f::col("__dq_v").is_not_null());
      DataFrame keys = c.reference->select({f::col(c.reference_column).alias("__dq_r")}).distinct();
      orphans[key] =
          static_cast<double>(values.join(keys, f::col("__dq_v") == f::col("__dq_r"), "left_anti").count());
      ++result.passes;
    }
  }

  // Evaluate every constraint.
  const std::optional<double> size = metric(size_index);
  bool error_failed = false, warning_failed = false;
  for (size_t ci = 0; ci < checks.size(); ++ci) {
    CheckResult check;
    check.description = checks[ci].description();
    check.level = checks[ci].level();
    const auto& constraints = checks[ci].constraints();
    for (size_t k = 0; k < constraints.size(); ++k) {
      const Constraint& c = constraints[k];
      const Planned& p = planned[ci][k];
      ConstraintResult r;
      r.constraint = c.description();
      r.metric = c.metric_name();
      r.instance = c.instance();
      r.assertion = c.assertion.to_string();
      std::optional<double> value;
      std::string why;     // a reason to fail whatever the value
      std::string detail;  // what a failure message adds
      auto fraction = [&](std::optional<double> part, std::optional<double> whole, const char* none) {
        if (!part || !whole || *whole == 0) {
          why = none;
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
        case ConstraintKind::kSatisfies:
          value = fraction(metric(p.main), size, "the data has no rows");
          break;
        case ConstraintKind::kSize: value = size; break;
        case ConstraintKind::kMin:
        case ConstraintKind::kMax:
        case ConstraintKind::kMean:
        case ConstraintKind::kSum:
        case ConstraintKind::kStddev:
        case ConstraintKind::kQuantile:
          value = metric(p.main);
          if (!value) why = "the column has no non-null values";
          break;
        case ConstraintKind::kFreshness: {
          std::optional<double> newest = metric(p.main);
          if (newest) value = (static_cast<double>(now) - *newest) / 1e6;
          else why = "the column has no non-null values";
          break;
        }
        case ConstraintKind::kUniqueness:
        case ConstraintKind::kPrimaryKey: {
          const GroupStats& g = groups.at(join_columns(c.columns));
          value = fraction(g.unique_rows, g.keyed_rows, "no row has a non-null key");
          if (c.kind == ConstraintKind::kPrimaryKey && value && size && metric(p.extra) &&
              *metric(p.extra) != *size) {
            why = format_metric(*size - *metric(p.extra)) + " rows have a null key column";
          }
          break;
        }
        case ConstraintKind::kDistinctCount: value = groups.at(join_columns(c.columns)).distinct; break;
        case ConstraintKind::kReferential: {
          const std::string key =
              c.label() + "#" + std::to_string(reinterpret_cast<uintptr_t>(c.reference.get()));
          std::optional<double> nonnull = metric(p.extra);
          std::optional<double> missing = orphans.at(key);
          if (nonnull && missing)
            value = fraction(*nonnull - *missing, nonnull, "the column has no non-null values");
          if (missing && *missing > 0)
            detail = format_metric(*missing) + " values are missing from the reference";
          break;
        }
      }
      r.value = value;
      r.passed = value.has_value() && c.assertion.holds(*value) && why.empty();
      if (!r.passed) {
        std::string message = why;
        if (value) {
          message = "observed " + format_metric(*value) + ", expected " + r.assertion +
                    (why.empty() ? "" : "; " + why);
        }
        if (!detail.empty()) message += " (" + detail + ")";
        r.message = message;
        check.passed = false;
      }
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
