#include "ember/quality/yaml_suite.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "ember/api/reader_writer.h"
#include "ember/common/error.h"
#include "ember/quality/metric_format.h"

namespace ember::quality {

namespace {

// Parses and checks one YAML document, naming the origin and line of whatever is wrong.
class SuiteParser {
 public:
  SuiteParser(const Session& session, std::string origin) : session_(session), origin_(std::move(origin)) {}

  CheckSuite parse(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      throw_error(ErrorKind::kParse, origin_ + ", line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (!root.IsMap()) fail(root, "a check suite is a mapping with 'dataset' and 'checks'");
    CheckSuite suite;
    for (const auto& kv : root) {
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      if (key == "dataset") {
        suite.dataset = dataset(v);
      } else if (key == "references") {
        if (!v.IsMap()) fail(v, "'references' maps names to datasets");
        for (const auto& r : v) suite.references[r.first.as<std::string>()] = dataset(r.second);
      } else if (key == "reports") {
        if (!v.IsMap()) fail(v, "'reports' has 'json' and/or 'html' paths");
        for (const auto& r : v) {
          const std::string kind = r.first.as<std::string>();
          if (kind == "json") suite.json_report = scalar(r.second, "reports.json");
          else if (kind == "html") suite.html_report = scalar(r.second, "reports.html");
          else fail(r.first, "unknown report '" + kind + "' (expected json or html)");
        }
      } else if (key == "metrics_repository") {
        suite.metrics_repository = scalar(v, key);
      } else if (key == "tags") {
        suite.tags = string_map(v, key);
      } else if (key != "checks") {
        fail(kv.first, "unknown key '" + key +
                           "' (expected dataset, references, reports, metrics_repository, tags, checks)");
      }
    }
    for (const auto& [name, spec] : suite.references) references_.emplace(name, read_dataset(session_, spec));
    metrics_repository_ = suite.metrics_repository;
    const YAML::Node checks = root["checks"];
    if (!checks || !checks.IsSequence()) fail(root, "'checks' must be a list of checks");
    for (const auto& c : checks) suite.checks.push_back(check(c));
    return suite;
  }

 private:
  [[noreturn]] void fail(const YAML::Node& at, const std::string& why) const {
    std::string where = origin_;
    if (at.Mark().line >= 0) where += ", line " + std::to_string(at.Mark().line + 1);
    throw_error(ErrorKind::kIllegalArgument, "INVALID_CHECK_SUITE", where + ": " + why);
  }

  std::string scalar(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) fail(n, "'" + what + "' must be a single value");
    return n.as<std::string>();
  }

  double number(const YAML::Node& n, const std::string& what) const {
    std::string s = scalar(n, what);
    char* end = nullptr;
    double x = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0') fail(n, "'" + what + "' must be a number, got '" + s + "'");
    return x;
  }

  std::map<std::string, std::string> string_map(const YAML::Node& n, const std::string& what) const {
    if (!n.IsMap()) fail(n, "'" + what + "' must be a mapping");
    std::map<std::string, std::string> m;
    for (const auto& kv : n)
      m[kv.first.as<std::string>()] = scalar(kv.second, what + "." + kv.first.as<std::string>());
    return m;
  }

  DatasetSpec dataset(const YAML::Node& n) const {
    if (n.IsScalar()) return DatasetSpec{n.as<std::string>(), "csv", {}, ""};
    if (!n.IsMap()) fail(n, "a dataset is a path or a mapping with 'path'");
    DatasetSpec d;
    for (const auto& kv : n) {
      const std::string key = kv.first.as<std::string>();
      if (key == "path") d.path = scalar(kv.second, key);
      else if (key == "format") d.format = scalar(kv.second, key);
      else if (key == "options") d.options = string_map(kv.second, key);
      else if (key == "schema") d.schema = scalar(kv.second, key);
      else fail(kv.first, "unknown dataset key '" + key + "' (expected path, format, options, schema)");
    }
    if (d.path.empty()) fail(n, "a dataset needs a 'path'");
    if (d.format != "csv" && d.format != "parquet")
      fail(n, "format '" + d.format + "' (expected csv or parquet)");
    return d;
  }

  std::vector<std::string> columns(const YAML::Node& n, const std::string& what) const {
    std::vector<std::string> cols;
    if (n.IsScalar()) return {n.as<std::string>()};
    if (!n.IsSequence()) fail(n, "'" + what + "' takes a column or a list of columns");
    for (const auto& c : n) cols.push_back(scalar(c, what));
    return cols;
  }

  // The assertion keys of a constraint mapping; `fallback` when there is none.
  std::optional<Assertion> assertion(const YAML::Node& n) const {
    if (!n.IsMap()) return std::nullopt;
    std::optional<Assertion> a;
    for (const auto& kv : n) {
      const std::string key = kv.first.as<std::string>();
      std::optional<Assertion> one;
      if (key == "eq") one = eq(number(kv.second, key));
      else if (key == "ge") one = ge(number(kv.second, key));
      else if (key == "gt") one = gt(number(kv.second, key));
      else if (key == "le") one = le(number(kv.second, key));
      else if (key == "lt") one = lt(number(kv.second, key));
      else if (key == "between") {
        if (!kv.second.IsSequence() || kv.second.size() != 2) fail(kv.second, "'between' takes [low, high]");
        one = between(number(kv.second[0], key), number(kv.second[1], key));
      }
      if (one) {
        if (a) fail(kv.first, "a constraint takes one assertion (eq, ge, gt, le, lt or between)");
        a = one;
      }
    }
    return a;
  }

  // Seconds from "90", "90s", "15m", "24h" or "7d".
  double duration(const YAML::Node& n) const {
    std::string s = scalar(n, "max_age");
    double unit = 1;
    if (!s.empty()) {
      switch (s.back()) {
        case 's':
          unit = 1;
          s.pop_back();
          break;
        case 'm':
          unit = 60;
          s.pop_back();
          break;
        case 'h':
          unit = 3600;
          s.pop_back();
          break;
        case 'd':
          unit = 86400;
          s.pop_back();
          break;
        default: break;
      }
    }
    char* end = nullptr;
    double x = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || x < 0)
      fail(n, "'max_age' must be a duration such as 3600, 90s, 15m, 24h or 7d");
    return x * unit;
  }

  Check check(const YAML::Node& n) {
    if (!n.IsMap()) fail(n, "a check is a mapping with 'description', 'level' and 'constraints'");
    std::string description = n["description"] ? scalar(n["description"], "description") : "checks";
    CheckLevel level = CheckLevel::kError;
    if (n["level"]) {
      std::string l = scalar(n["level"], "level");
      if (l == "error") level = CheckLevel::kError;
      else if (l == "warning") level = CheckLevel::kWarning;
      else fail(n["level"], "level '" + l + "' (expected error or warning)");
    }
    for (const auto& kv : n) {
      const std::string key = kv.first.as<std::string>();
      if (key != "description" && key != "level" && key != "constraints") {
        fail(kv.first, "unknown check key '" + key + "' (expected description, level, constraints)");
      }
    }
    Check check(level, description);
    const YAML::Node constraints = n["constraints"];
    if (!constraints || !constraints.IsSequence())
      fail(n, "check '" + description + "' needs a list of 'constraints'");
    for (const auto& c : constraints) constraint(check, c);
    return check;
  }

  void constraint(Check& check, const YAML::Node& n) {
    if (!n.IsMap() || n.size() != 1)
      fail(n, "a constraint is one 'name: arguments' pair, e.g. 'is_complete: id'");
    const std::string name = n.begin()->first.as<std::string>();
    const YAML::Node& args = n.begin()->second;
    auto column = [&]() -> std::string {
      if (args.IsScalar()) return args.as<std::string>();
      if (args.IsMap() && args["column"]) return scalar(args["column"], "column");
      fail(args, "'" + name + "' needs a column ('" + name + ": col' or '{column: col, ...}')");
    };
    auto required = [&]() {
      std::optional<Assertion> a = assertion(args);
      if (!a) fail(args, "'" + name + "' needs an assertion: eq, ge, gt, le, lt or between");
      return *a;
    };
    auto optional_assertion = [&]() { return assertion(args).value_or(eq(1)); };
    auto arg = [&](const char* key) {
      if (!args.IsMap() || !args[key]) fail(args, "'" + name + "' needs '" + key + "'");
      return args[key];
    };
    // A key: `name: col`, `name: [a, b]`, or a mapping with `column:` or `columns:`.
    auto key_columns = [&]() {
      if (!args.IsMap()) return columns(args, name);
      return args["columns"] ? columns(args["columns"], name) : std::vector<std::string>{column()};
    };
    try {
      if (name == "is_complete") check.is_complete(column());
      else if (name == "has_completeness") check.has_completeness(column(), required());
      else if (name == "is_unique") check.has_uniqueness(key_columns(), eq(1));
      else if (name == "has_uniqueness") check.has_uniqueness(key_columns(), required());
      else if (name == "is_primary_key") check.is_primary_key(key_columns());
      else if (name == "has_distinct_count") check.has_distinct_count(column(), required());
      else if (name == "is_contained_in") {
        std::vector<std::string> values = columns(arg("values"), "values");
        check.is_contained_in(column(), values);
      } else if (name == "is_non_negative") check.is_non_negative(column());
      else if (name == "is_between")
        check.is_between(column(), number(arg("min"), "min"), number(arg("max"), "max"));
      else if (name == "has_min") check.has_min(column(), required());
      else if (name == "has_max") check.has_max(column(), required());
      else if (name == "has_mean") check.has_mean(column(), required());
      else if (name == "has_stddev") check.has_stddev(column(), required());
      else if (name == "has_sum") check.has_sum(column(), required());
      else if (name == "has_approx_quantile") {
        check.has_approx_quantile(column(), number(arg("quantile"), "quantile"), required());
      } else if (name == "has_pattern")
        check.has_pattern(column(), scalar(arg("pattern"), "pattern"), optional_assertion());
      else if (name == "contains_email") check.contains_email(column(), optional_assertion());
      else if (name == "contains_url") check.contains_url(column(), optional_assertion());
      else if (name == "contains_phone") check.contains_phone(column(), optional_assertion());
      else if (name == "is_castable_to")
        check.is_castable_to(column(), scalar(arg("type"), "type"), optional_assertion());
      else if (name == "has_size") check.has_size(required());
      else if (name == "is_contained_in_reference") {
        std::string ref = scalar(arg("reference"), "reference");
        auto it = references_.find(ref);
        if (it == references_.end())
          fail(args, "unknown reference '" + ref + "' (declare it under 'references')");
        check.is_contained_in_reference(
            column(), it->second, scalar(arg("reference_column"), "reference_column"), optional_assertion());
      } else if (name == "is_fresh") {
        check.is_fresh(column(), duration(arg("max_age")));
      } else if (name == "is_not_anomalous") {
        if (metrics_repository_.empty())
          fail(n, "'is_not_anomalous' needs a 'metrics_repository' in the suite");
        std::string metric = scalar(arg("metric"), "metric");
        std::string col = args["column"] ? scalar(args["column"], "column") : "";
        std::string kind = args["strategy"] ? scalar(args["strategy"], "strategy") : "stddev";
        AnomalyStrategy strategy;
        if (kind == "relative_change") {
          strategy =
              relative_change(args["max_decrease"] ? number(args["max_decrease"], "max_decrease") : 0.5,
                              args["max_increase"] ? number(args["max_increase"], "max_increase") : 0.5);
        } else if (kind == "stddev") {
          strategy =
              stddev_band(args["k"] ? number(args["k"], "k") : 3,
                          args["last_runs"] ? static_cast<int>(number(args["last_runs"], "last_runs")) : 10);
        } else {
          fail(args["strategy"], "strategy '" + kind + "' (expected relative_change or stddev)");
        }
        check.is_not_anomalous(metric, col, metrics_repository_, strategy);
      } else if (name == "satisfies") {
        if (args.IsScalar()) {
          check.satisfies(args.as<std::string>());
        } else {
          check.satisfies(scalar(arg("predicate"), "predicate"), optional_assertion(),
                          args["name"] ? scalar(args["name"], "name") : "");
        }
      } else if (name == "has_metric") {
        std::string sql = scalar(arg("expression"), "expression");
        check.has_metric(sql, args["name"] ? scalar(args["name"], "name") : sql, required());
      } else {
        fail(n, "unknown constraint '" + name + "'");
      }
      if (args.IsMap() && args["where"]) check.where(scalar(args["where"], "where"));
    } catch (const EmberError& e) {
      if (e.error_class() == "INVALID_CHECK_SUITE") throw;
      fail(n, "'" + name + "': " + e.what());
    }
  }

  const Session& session_;
  std::string origin_;
  std::map<std::string, DataFrame> references_;
  std::string metrics_repository_;
};

void emit_assertion(YAML::Emitter& out, const Assertion& a) {
  switch (a.op) {
    case Assertion::Op::kEq: out << YAML::Key << "eq" << YAML::Value << format_metric(a.a); break;
    case Assertion::Op::kGe: out << YAML::Key << "ge" << YAML::Value << format_metric(a.a); break;
    case Assertion::Op::kGt: out << YAML::Key << "gt" << YAML::Value << format_metric(a.a); break;
    case Assertion::Op::kLe: out << YAML::Key << "le" << YAML::Value << format_metric(a.a); break;
    case Assertion::Op::kLt: out << YAML::Key << "lt" << YAML::Value << format_metric(a.a); break;
    case Assertion::Op::kBetween:
      out << YAML::Key << "between" << YAML::Value << YAML::Flow << YAML::BeginSeq << format_metric(a.a)
          << format_metric(a.b) << YAML::EndSeq;
      break;
  }
}

bool is_eq_one(const Assertion& a) { return a.op == Assertion::Op::kEq && a.a == 1; }

void emit_constraint(YAML::Emitter& out, const Constraint& c) {
  auto with = [&](const char* name, auto&& extra, bool assertion) {
    out << YAML::BeginMap << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap;
    if (!c.columns.empty()) {
      if (c.columns.size() == 1) out << YAML::Key << "column" << YAML::Value << c.columns[0];
      else out << YAML::Key << "columns" << YAML::Value << YAML::Flow << c.columns;
    }
    extra();
    if (assertion) emit_assertion(out, c.assertion);
    if (c.filter_is_sql) out << YAML::Key << "where" << YAML::Value << c.filter_text;
    out << YAML::EndMap << YAML::EndMap;
  };
  auto none = [] {};
  // The short form `name: column`, unless a where() filter needs the mapping.
  auto simple = [&](const char* name) {
    if (c.filtered()) {
      with(name, none, false);
      return;
    }
    out << YAML::BeginMap << YAML::Key << name << YAML::Value << c.columns.at(0) << YAML::EndMap;
  };
  switch (c.kind) {
    case ConstraintKind::kCompleteness:
      if (is_eq_one(c.assertion)) simple("is_complete");
      else with("has_completeness", none, true);
      break;
    case ConstraintKind::kUniqueness:
      if (is_eq_one(c.assertion) && !c.filtered()) {
        out << YAML::BeginMap << YAML::Key << "is_unique" << YAML::Value;
        if (c.columns.size() == 1) out << c.columns[0];
        else out << YAML::Flow << c.columns;
        out << YAML::EndMap;
      } else {
        with("has_uniqueness", none, true);
      }
      break;
    case ConstraintKind::kPrimaryKey:
      if (c.filtered()) {
        with("is_primary_key", none, false);
        break;
      }
      out << YAML::BeginMap << YAML::Key << "is_primary_key" << YAML::Value << YAML::Flow << c.columns
          << YAML::EndMap;
      break;
    case ConstraintKind::kDistinctCount: with("has_distinct_count", none, true); break;
    case ConstraintKind::kContainedIn:
      with(
          "is_contained_in",
          [&] {
            std::vector<std::string> values;
            for (const auto& v : c.values) values.push_back(v.to_string());
            out << YAML::Key << "values" << YAML::Value << YAML::Flow << values;
          },
          false);
      break;
    case ConstraintKind::kNonNegative: simple("is_non_negative"); break;
    case ConstraintKind::kBetween:
      with(
          "is_between",
          [&] {
            out << YAML::Key << "min" << YAML::Value << format_metric(c.low) << YAML::Key << "max"
                << YAML::Value << format_metric(c.high);
          },
          false);
      break;
    case ConstraintKind::kMin: with("has_min", none, true); break;
    case ConstraintKind::kMax: with("has_max", none, true); break;
    case ConstraintKind::kMean: with("has_mean", none, true); break;
    case ConstraintKind::kStddev: with("has_stddev", none, true); break;
    case ConstraintKind::kSum: with("has_sum", none, true); break;
    case ConstraintKind::kQuantile:
      with(
          "has_approx_quantile",
          [&] { out << YAML::Key << "quantile" << YAML::Value << format_metric(c.quantile); }, true);
      break;
    case ConstraintKind::kPattern:
      if (!c.pattern_name.empty()) {
        std::string name = "contains_" + c.pattern_name;
        if (is_eq_one(c.assertion)) simple(name.c_str());
        else with(name.c_str(), none, true);
      } else {
        with(
            "has_pattern", [&] { out << YAML::Key << "pattern" << YAML::Value << c.pattern; },
            !is_eq_one(c.assertion));
      }
      break;
    case ConstraintKind::kCastable:
      with(
          "is_castable_to", [&] { out << YAML::Key << "type" << YAML::Value << c.type_name; },
          !is_eq_one(c.assertion));
      break;
    case ConstraintKind::kSize: with("has_size", none, true); break;
    case ConstraintKind::kReferential:
      with(
          "is_contained_in_reference",
          [&] {
            out << YAML::Key << "reference" << YAML::Value << "REFERENCE" << YAML::Key << "reference_column"
                << YAML::Value << c.reference_column;
          },
          !is_eq_one(c.assertion));
      break;
    case ConstraintKind::kFreshness:
      with(
          "is_fresh", [&] { out << YAML::Key << "max_age" << YAML::Value << format_metric(c.assertion.a); },
          false);
      break;
    case ConstraintKind::kAnomaly: {
      out << YAML::BeginMap << YAML::Key << "is_not_anomalous" << YAML::Value << YAML::Flow << YAML::BeginMap;
      out << YAML::Key << "metric" << YAML::Value << c.inner->metric_name();
      if (!c.inner->columns.empty()) out << YAML::Key << "column" << YAML::Value << c.inner->columns[0];
      if (c.strategy.kind == AnomalyStrategy::Kind::kRelativeChange) {
        out << YAML::Key << "strategy" << YAML::Value << "relative_change" << YAML::Key << "max_decrease"
            << YAML::Value << format_metric(c.strategy.max_decrease) << YAML::Key << "max_increase"
            << YAML::Value << format_metric(c.strategy.max_increase);
      } else {
        out << YAML::Key << "strategy" << YAML::Value << "stddev" << YAML::Key << "k" << YAML::Value
            << format_metric(c.strategy.k) << YAML::Key << "last_runs" << YAML::Value << c.strategy.last_runs;
      }
      out << YAML::EndMap << YAML::EndMap;
      break;
    }
    case ConstraintKind::kSatisfies:
      if (c.name == c.sql && is_eq_one(c.assertion)) {
        out << YAML::BeginMap << YAML::Key << "satisfies" << YAML::Value << c.sql << YAML::EndMap;
      } else {
        with(
            "satisfies",
            [&] {
              out << YAML::Key << "predicate" << YAML::Value << c.sql << YAML::Key << "name" << YAML::Value
                  << c.name;
            },
            true);
      }
      break;
    case ConstraintKind::kAggregate:
      with(
          "has_metric",
          [&] {
            out << YAML::Key << "expression" << YAML::Value << c.sql << YAML::Key << "name" << YAML::Value
                << c.name;
          },
          true);
      break;
  }
}

}  // namespace

DataFrame read_dataset(const Session& session, const DatasetSpec& spec) {
  DataFrameReader reader = session.read();
  reader.options(spec.options);
  if (!spec.schema.empty()) reader.schema(spec.schema);
  return spec.format == "parquet" ? reader.parquet(spec.path) : reader.csv(spec.path);
}

CheckSuite parse_check_suite(const std::string& yaml_text, const Session& session,
                             const std::string& origin) {
  return SuiteParser(session, origin).parse(yaml_text);
}

CheckSuite load_check_suite(const std::string& yaml_path, const Session& session) {
  std::ifstream in(yaml_path, std::ios::binary);
  if (!in) throw_error(ErrorKind::kIo, "PATH_NOT_FOUND", "cannot read check suite " + yaml_path);
  std::stringstream text;
  text << in.rdbuf();
  return parse_check_suite(text.str(), session, yaml_path);
}

std::string check_suite_yaml(const DatasetSpec& dataset, const std::vector<Check>& checks) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  if (!dataset.path.empty()) {
    out << YAML::Key << "dataset" << YAML::Value << YAML::BeginMap << YAML::Key << "path" << YAML::Value
        << dataset.path << YAML::Key << "format" << YAML::Value << dataset.format;
    if (!dataset.options.empty())
      out << YAML::Key << "options" << YAML::Value << YAML::Flow << dataset.options;
    if (!dataset.schema.empty()) out << YAML::Key << "schema" << YAML::Value << dataset.schema;
    out << YAML::EndMap;
  }
  out << YAML::Key << "checks" << YAML::Value << YAML::BeginSeq;
  for (const Check& check : checks) {
    out << YAML::BeginMap << YAML::Key << "description" << YAML::Value << check.description() << YAML::Key
        << "level" << YAML::Value << check_level_name(check.level()) << YAML::Key << "constraints"
        << YAML::Value << YAML::BeginSeq;
    for (const Constraint& c : check.constraints()) {
      if (((c.kind == ConstraintKind::kSatisfies || c.kind == ConstraintKind::kAggregate) && c.sql.empty()) ||
          (c.filtered() && !c.filter_is_sql)) {
        out << YAML::Comment(c.label() + ": a C++ Column expression, not expressible in YAML");
        continue;
      }
      emit_constraint(out, c);
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace ember::quality
