#include "ember/quality/check.h"

#include <cmath>

#include "ember/api/functions.h"
#include "ember/common/error.h"
#include "ember/quality/metric_format.h"

namespace ember::quality {

namespace f = ember::functions;

const char* check_level_name(CheckLevel level) { return level == CheckLevel::kError ? "error" : "warning"; }

bool Assertion::holds(double x) const {
  if (std::isnan(x)) return false;
  switch (op) {
    case Op::kEq: return x == a;
    case Op::kGe: return x >= a;
    case Op::kGt: return x > a;
    case Op::kLe: return x <= a;
    case Op::kLt: return x < a;
    case Op::kBetween: return x >= a && x <= b;
  }
  return false;
}

std::string Assertion::to_string() const {
  switch (op) {
    case Op::kEq: return "== " + format_metric(a);
    case Op::kGe: return ">= " + format_metric(a);
    case Op::kGt: return "> " + format_metric(a);
    case Op::kLe: return "<= " + format_metric(a);
    case Op::kLt: return "< " + format_metric(a);
    case Op::kBetween: return "between " + format_metric(a) + " and " + format_metric(b);
  }
  return "?";
}

std::string AnomalyStrategy::to_string() const {
  if (kind == Kind::kRelativeChange) {
    return "change from previous run within -" + format_metric(max_decrease * 100) + "% .. +" +
           format_metric(max_increase * 100) + "%";
  }
  return "within mean +- " + format_metric(k) + " stddev of last " + std::to_string(last_runs) + " runs";
}

AnomalyStrategy relative_change(double max_decrease, double max_increase) {
  AnomalyStrategy s;
  s.kind = AnomalyStrategy::Kind::kRelativeChange;
  s.max_decrease = max_decrease;
  s.max_increase = max_increase;
  return s;
}

AnomalyStrategy stddev_band(double k, int last_runs) {
  AnomalyStrategy s;
  s.kind = AnomalyStrategy::Kind::kStdDev;
  s.k = k;
  s.last_runs = last_runs;
  return s;
}

Assertion eq(double x) { return Assertion{Assertion::Op::kEq, x, 0}; }
Assertion ge(double x) { return Assertion{Assertion::Op::kGe, x, 0}; }
Assertion gt(double x) { return Assertion{Assertion::Op::kGt, x, 0}; }
Assertion le(double x) { return Assertion{Assertion::Op::kLe, x, 0}; }
Assertion lt(double x) { return Assertion{Assertion::Op::kLt, x, 0}; }
Assertion between(double lo, double hi) { return Assertion{Assertion::Op::kBetween, lo, hi}; }

const std::string& email_pattern() {
  static const std::string p = R"(^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$)";
  return p;
}
const std::string& url_pattern() {
  static const std::string p = R"(^(https?|ftp)://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]+)?(/[^\s]*)?$)";
  return p;
}
const std::string& phone_pattern() {
  static const std::string p = R"(^\+?[0-9 ().-]{7,20}$)";
  return p;
}

bool Constraint::row_level() const {
  switch (kind) {
    case ConstraintKind::kCompleteness:
    case ConstraintKind::kUniqueness:
    case ConstraintKind::kPrimaryKey:
    case ConstraintKind::kContainedIn:
    case ConstraintKind::kNonNegative:
    case ConstraintKind::kBetween:
    case ConstraintKind::kPattern:
    case ConstraintKind::kCastable:
    case ConstraintKind::kReferential:
    case ConstraintKind::kSatisfies: return true;
    default: return false;
  }
}

std::string Constraint::metric_name() const {
  switch (kind) {
    case ConstraintKind::kCompleteness: return "Completeness";
    case ConstraintKind::kUniqueness: return "Uniqueness";
    case ConstraintKind::kPrimaryKey: return "PrimaryKey";
    case ConstraintKind::kDistinctCount: return "CountDistinct";
    case ConstraintKind::kContainedIn: return "ContainedIn";
    case ConstraintKind::kNonNegative: return "NonNegative";
    case ConstraintKind::kBetween: return "Between";
    case ConstraintKind::kMin: return "Minimum";
    case ConstraintKind::kMax: return "Maximum";
    case ConstraintKind::kPattern: return "PatternMatch";
    case ConstraintKind::kCastable: return "Castable";
    case ConstraintKind::kSize: return "Size";
    case ConstraintKind::kMean: return "Mean";
    case ConstraintKind::kStddev: return "StandardDeviation";
    case ConstraintKind::kSum: return "Sum";
    case ConstraintKind::kQuantile: return "ApproxQuantile";
    case ConstraintKind::kReferential: return "ReferentialIntegrity";
    case ConstraintKind::kFreshness: return "FreshnessSeconds";
    case ConstraintKind::kSatisfies: return "Compliance";
    case ConstraintKind::kAnomaly: return "Anomaly";
    case ConstraintKind::kAggregate: return "Metric";
  }
  return "?";
}

namespace {

// What a metric is computed on, without the where() filter.
std::string base_instance(const Constraint& c) {
  if (c.kind == ConstraintKind::kSize) return "*";
  if (c.kind == ConstraintKind::kSatisfies || c.kind == ConstraintKind::kAggregate) return c.name;
  if (c.kind == ConstraintKind::kAnomaly) return c.inner->label();
  std::string s;
  for (size_t i = 0; i < c.columns.size(); ++i) s += (i ? "," : "") + c.columns[i];
  return s;
}

std::string where_suffix(const Constraint& c) { return c.filtered() ? " WHERE " + c.filter_text : ""; }

}  // namespace

std::string Constraint::instance() const { return base_instance(*this) + where_suffix(*this); }

Column Constraint::applies() const { return filter ? f::coalesce({*filter, f::lit(false)}) : f::lit(true); }

std::string Constraint::label() const {
  std::string inner = base_instance(*this);
  switch (kind) {
    case ConstraintKind::kContainedIn: {
      inner += " IN (";
      for (size_t i = 0; i < values.size(); ++i) inner += (i ? ", " : "") + values[i].to_string();
      inner += ")";
      break;
    }
    case ConstraintKind::kBetween:
      inner += " IN [" + format_metric(low) + ", " + format_metric(high) + "]";
      break;
    case ConstraintKind::kPattern: inner += " ~ " + (pattern_name.empty() ? pattern : pattern_name); break;
    case ConstraintKind::kCastable: inner += " AS " + type_name; break;
    case ConstraintKind::kQuantile: inner += ", " + format_metric(quantile); break;
    case ConstraintKind::kReferential: inner += " -> reference." + reference_column; break;
    default: break;
  }
  return metric_name() + "(" + inner + where_suffix(*this) + ")";
}

std::string Constraint::description() const {
  if (kind == ConstraintKind::kAnomaly) return label() + " " + strategy.to_string();
  return label() + " " + assertion.to_string();
}

Column Constraint::row_passes() const {
  auto value = [this] { return f::col(columns.at(0)); };
  switch (kind) {
    case ConstraintKind::kCompleteness: return value().is_not_null();
    case ConstraintKind::kContainedIn: {
      std::vector<Column> lits;
      for (const auto& v : values) lits.push_back(f::lit(v));
      return value().is_null() || value().isin(lits);
    }
    case ConstraintKind::kNonNegative: return value().is_null() || value() >= f::lit(0);
    case ConstraintKind::kBetween:
      return value().is_null() || (value() >= f::lit(low) && value() <= f::lit(high));
    case ConstraintKind::kPattern: return value().is_null() || value().cast("string").rlike(pattern);
    case ConstraintKind::kCastable: return value().is_null() || value().try_cast(type_name).is_not_null();
    case ConstraintKind::kSatisfies: return f::coalesce({*predicate, f::lit(false)});
    default: break;
  }
  throw_error(ErrorKind::kInternal, "constraint " + label() + " has no row-level predicate");
}

namespace {

void check_constraint_columns(const Schema& schema, const Check& check, const Constraint& c) {
  if (c.kind == ConstraintKind::kAnomaly) {
    check_constraint_columns(schema, check, *c.inner);
    return;
  }
  const std::string where = "check '" + check.description() + "', " + c.label() + ": ";
  auto available = [](const Schema& s) {
    std::string names;
    for (const auto& n : s.names()) names += (names.empty() ? "" : ", ") + n;
    return names;
  };
  for (const auto& name : c.columns) {
    int i = schema.index_of(name);
    if (i < 0) {
      throw_error(ErrorKind::kAnalysis, "UNRESOLVED_COLUMN.WITH_SUGGESTION",
                  where + "column '" + name + "' does not exist. Available: " + available(schema));
    }
    const DataType& type = schema.field(static_cast<size_t>(i)).type;
    switch (c.kind) {
      case ConstraintKind::kMin:
      case ConstraintKind::kMax:
      case ConstraintKind::kMean:
      case ConstraintKind::kSum:
      case ConstraintKind::kStddev:
      case ConstraintKind::kQuantile:
      case ConstraintKind::kNonNegative:
      case ConstraintKind::kBetween:
        if (!type.is_numeric()) {
          throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                      where + "column '" + name + "' is " + type.sql_string() + ", but " + c.metric_name() +
                          " needs a numeric column");
        }
        break;
      case ConstraintKind::kFreshness:
        if (type.id() != TypeId::kTimestamp && type.id() != TypeId::kDate && type.id() != TypeId::kString) {
          throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                      where + "column '" + name + "' is " + type.sql_string() +
                          ", but freshness needs a TIMESTAMP, DATE or STRING column");
        }
        break;
      default: break;
    }
  }
  if (c.kind == ConstraintKind::kReferential) {
    Schema ref = c.reference->schema();
    if (ref.index_of(c.reference_column) < 0) {
      throw_error(
          ErrorKind::kAnalysis, "UNRESOLVED_COLUMN.WITH_SUGGESTION",
          where + "the reference has no column '" + c.reference_column + "'. Available: " + available(ref));
    }
  }
}

}  // namespace

void check_columns(const Schema& schema, const std::vector<Check>& checks) {
  for (const Check& check : checks) {
    for (const Constraint& c : check.constraints()) check_constraint_columns(schema, check, c);
  }
}

Check& Check::where(const Column& filter) {
  if (constraints_.empty()) {
    throw_error(ErrorKind::kIllegalArgument,
                "where() narrows the constraint added before it; the check has none");
  }
  Constraint& c = constraints_.back();
  if (c.kind == ConstraintKind::kAggregate || c.kind == ConstraintKind::kAnomaly) {
    throw_error(ErrorKind::kIllegalArgument,
                "where() does not apply to " + c.label() +
                    (c.kind == ConstraintKind::kAggregate ? ": filter inside the aggregate (e.g. CASE WHEN)"
                                                          : ": anomaly checks watch a whole-data metric"));
  }
  c.filter = filter;
  c.filter_text = filter.expr()->to_string();
  c.filter_is_sql = false;
  return *this;
}

Check& Check::where(const std::string& sql_filter) {
  where(f::expr(sql_filter));
  constraints_.back().filter_text = sql_filter;
  constraints_.back().filter_is_sql = true;
  return *this;
}

Check& Check::add(Constraint c) {
  constraints_.push_back(std::move(c));
  return *this;
}

namespace {

Constraint on(ConstraintKind kind, std::vector<std::string> columns, Assertion assertion) {
  Constraint c;
  c.kind = kind;
  c.columns = std::move(columns);
  c.assertion = assertion;
  return c;
}

}  // namespace

Check& Check::is_complete(const std::string& column) { return has_completeness(column, eq(1)); }
Check& Check::has_completeness(const std::string& column, Assertion assertion) {
  return add(on(ConstraintKind::kCompleteness, {column}, assertion));
}
Check& Check::is_unique(const std::string& column) { return has_uniqueness({column}, eq(1)); }
Check& Check::has_uniqueness(const std::vector<std::string>& columns, Assertion assertion) {
  return add(on(ConstraintKind::kUniqueness, columns, assertion));
}
Check& Check::is_primary_key(const std::vector<std::string>& columns) {
  return add(on(ConstraintKind::kPrimaryKey, columns, eq(1)));
}
Check& Check::has_distinct_count(const std::string& column, Assertion assertion) {
  return add(on(ConstraintKind::kDistinctCount, {column}, assertion));
}
Check& Check::is_contained_in(const std::string& column, const std::vector<Value>& values) {
  Constraint c = on(ConstraintKind::kContainedIn, {column}, eq(1));
  c.values = values;
  return add(std::move(c));
}
Check& Check::is_contained_in(const std::string& column, const std::vector<std::string>& values) {
  std::vector<Value> v;
  for (const auto& s : values) v.push_back(Value::string(s));
  return is_contained_in(column, v);
}
Check& Check::is_non_negative(const std::string& column) {
  return add(on(ConstraintKind::kNonNegative, {column}, eq(1)));
}
Check& Check::is_between(const std::string& column, double low, double high) {
  Constraint c = on(ConstraintKind::kBetween, {column}, eq(1));
  c.low = low;
  c.high = high;
  return add(std::move(c));
}
Check& Check::has_min(const std::string& column, Assertion assertion) {
  return add(on(ConstraintKind::kMin, {column}, assertion));
}
Check& Check::has_max(const std::string& column, Assertion assertion) {
  return add(on(ConstraintKind::kMax, {column}, assertion));
}
Check& Check::has_pattern(const std::string& column, const std::string& pattern, Assertion assertion) {
  Constraint c = on(ConstraintKind::kPattern, {column}, assertion);
  c.pattern = pattern;
  return add(std::move(c));
}
Check& Check::contains_email(const std::string& column, Assertion assertion) {
  has_pattern(column, email_pattern(), assertion);
  constraints_.back().pattern_name = "email";
  return *this;
}
Check& Check::contains_url(const std::string& column, Assertion assertion) {
  has_pattern(column, url_pattern(), assertion);
  constraints_.back().pattern_name = "url";
  return *this;
}
Check& Check::contains_phone(const std::string& column, Assertion assertion) {
  has_pattern(column, phone_pattern(), assertion);
  constraints_.back().pattern_name = "phone";
  return *this;
}
Check& Check::is_castable_to(const std::string& column, const std::string& type_name, Assertion assertion) {
  parse_data_type(type_name);  // an unknown type name fails here, naming it
  Constraint c = on(ConstraintKind::kCastable, {column}, assertion);
  c.type_name = type_name;
  return add(std::move(c));
}
Check& Check::has_size(Assertion assertion) { return add(on(ConstraintKind::kSize, {}, assertion)); }
Check& Check::has_mean(const std::string& column, Assertion assertion) {
  return add(on(ConstraintKind::kMean, {column}, assertion));
}
Check& Check::has_stddev(const std::string& column, Assertion assertion) {
  return add(on(ConstraintKind::kStddev, {column}, assertion));
}
Check& Check::has_sum(const std::string& column, Assertion assertion) {
  return add(on(ConstraintKind::kSum, {column}, assertion));
}
Check& Check::has_approx_quantile(const std::string& column, double quantile, Assertion assertion) {
  if (!(quantile >= 0 && quantile <= 1)) {
    throw_error(ErrorKind::kIllegalArgument,
                "has_approx_quantile: quantile must be in [0, 1], got " + format_metric(quantile));
  }
  Constraint c = on(ConstraintKind::kQuantile, {column}, assertion);
  c.quantile = quantile;
  return add(std::move(c));
}
Check& Check::is_contained_in_reference(const std::string& column, const DataFrame& reference,
                                        const std::string& reference_column, Assertion assertion) {
  Constraint c = on(ConstraintKind::kReferential, {column}, assertion);
  c.reference = std::make_shared<DataFrame>(reference);
  c.reference_column = reference_column;
  return add(std::move(c));
}
Check& Check::is_fresh(const std::string& column, double max_age_seconds) {
  return add(on(ConstraintKind::kFreshness, {column}, le(max_age_seconds)));
}
Check& Check::is_not_anomalous(const std::string& metric, const std::string& column,
                               const std::string& repository, AnomalyStrategy strategy) {
  auto inner = std::make_shared<Constraint>();
  inner->columns = {column};
  if (metric == "Size") {
    inner->kind = ConstraintKind::kSize;
    inner->columns.clear();
  } else if (metric == "Completeness") {
    inner->kind = ConstraintKind::kCompleteness;
  } else if (metric == "Mean") {
    inner->kind = ConstraintKind::kMean;
  } else if (metric == "Sum") {
    inner->kind = ConstraintKind::kSum;
  } else if (metric == "Minimum") {
    inner->kind = ConstraintKind::kMin;
  } else if (metric == "Maximum") {
    inner->kind = ConstraintKind::kMax;
  } else if (metric == "StandardDeviation") {
    inner->kind = ConstraintKind::kStddev;
  } else if (metric == "CountDistinct") {
    inner->kind = ConstraintKind::kDistinctCount;
  } else if (metric == "Uniqueness") {
    inner->kind = ConstraintKind::kUniqueness;
  } else {
    throw_error(ErrorKind::kIllegalArgument,
                "is_not_anomalous: unknown metric '" + metric +
                    "' (expected Size, Completeness, Mean, Sum, Minimum, Maximum, "
                    "StandardDeviation, CountDistinct or Uniqueness)");
  }
  if (strategy.kind == AnomalyStrategy::Kind::kStdDev && strategy.last_runs < 2) {
    throw_error(ErrorKind::kIllegalArgument, "is_not_anomalous: a stddev band needs last_runs >= 2");
  }
  Constraint c;
  c.kind = ConstraintKind::kAnomaly;
  c.inner = std::move(inner);
  c.repository = repository;
  c.strategy = strategy;
  return add(std::move(c));
}

Check& Check::has_metric(const Column& aggregate, const std::string& name, Assertion assertion) {
  Constraint c = on(ConstraintKind::kAggregate, {}, assertion);
  c.predicate = aggregate;
  c.name = name;
  return add(std::move(c));
}

Check& Check::satisfies(const std::string& sql_predicate, Assertion assertion, const std::string& name) {
  satisfies(f::expr(sql_predicate), name.empty() ? sql_predicate : name, assertion);
  constraints_.back().sql = sql_predicate;
  return *this;
}

Check& Check::has_metric(const std::string& sql_aggregate, const std::string& name, Assertion assertion) {
  has_metric(f::expr(sql_aggregate), name, assertion);
  constraints_.back().sql = sql_aggregate;
  return *this;
}

Check& Check::satisfies(const Column& predicate, const std::string& name, Assertion assertion) {
  Constraint c = on(ConstraintKind::kSatisfies, {}, assertion);
  c.predicate = predicate;
  c.name = name;
  return add(std::move(c));
}

}  // namespace ember::quality
