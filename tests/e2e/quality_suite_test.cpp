// Profiles against sqlite, YAML check suites (round trip and errors), and the metrics repository
// with anomaly checks over several runs.
#include <cmath>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "ember/ember.h"
#include "ember/quality/metrics_repository.h"
#include "ember/quality/profile.h"
#include "ember/quality/quality.h"
#include "ember/quality/yaml_suite.h"

#include "e2e/sqlite_reference.h"

namespace ember {
namespace {

using namespace ember::quality;
using ember::testing::SqliteReference;
namespace f = ember::functions;
namespace fs = std::filesystem;

class QualitySuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    dir_ = fs::temp_directory_path() / ("ember_dq_suite_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::mt19937 rng(3);
    const char* statuses[] = {"new", "paid", "shipped"};
    for (int i = 0; i < 1000; ++i) {
      rows_.push_back(
          {Value::int32(i),
           rng() % 20 == 0 ? Value::null(DataType::float64()) : Value::float64((rng() % 100000) / 100.0),
           rng() % 25 == 0 ? Value::null(DataType::string()) : Value::string(statuses[rng() % 3]),
           Value::string(rng() % 10 == 0 ? "x" + std::to_string(i) : std::to_string(rng() % 1000))});
    }
    sqlite_.load("t", "id INT, amount REAL, status TEXT, code TEXT", rows_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  DataFrame data(size_t n = 1000) const {
    std::vector<std::vector<Value>> rows(rows_.begin(), rows_.begin() + static_cast<long>(n));
    return spark_->create_data_frame(rows, "id INT, amount DOUBLE, status STRING, code STRING");
  }
  double sql(const std::string& q) {
    auto t = sqlite_.query(q);
    const auto& c = t.at(0).at(0);
    return c.kind == ember::testing::Cell::kInt ? static_cast<double>(c.i) : c.d;
  }

  std::unique_ptr<Session> spark_;
  fs::path dir_;
  std::vector<std::vector<Value>> rows_;
  SqliteReference sqlite_;
};

TEST_F(QualitySuiteTest, ProfileMatchesSqlite) {
  DataProfile p = profile(data());
  EXPECT_EQ(p.rows, 1000);
  EXPECT_EQ(p.passes, 2);  // statistics, then the histograms of the low-cardinality columns
  ASSERT_EQ(p.columns.size(), 4u);
  const ColumnProfile& amount = p.columns[1];
  EXPECT_EQ(amount.non_null, static_cast<int64_t>(sql("SELECT COUNT(amount) FROM t")));
  EXPECT_DOUBLE_EQ(amount.completeness, sql("SELECT AVG(amount IS NOT NULL) FROM t"));
  EXPECT_NEAR(*amount.mean, sql("SELECT AVG(amount) FROM t"), 1e-9);
  double var = sql(
      "SELECT AVG((amount - (SELECT AVG(amount) FROM t)) * (amount - (SELECT AVG(amount) FROM t))) FROM t");
  EXPECT_NEAR(*amount.stddev, std::sqrt(var), 1e-9);
  EXPECT_DOUBLE_EQ(std::stod(*amount.min), sql("SELECT MIN(amount) FROM t"));
  EXPECT_DOUBLE_EQ(std::stod(*amount.max), sql("SELECT MAX(amount) FROM t"));
  const ColumnProfile& status = p.columns[2];
  ASSERT_EQ(status.histogram.size(), 4u);  // three values and NULL
  for (const auto& [value, n] : status.histogram) {
    std::string where = value == "NULL" ? "status IS NULL" : "status = '" + value + "'";
    EXPECT_EQ(n, static_cast<int64_t>(sql("SELECT COUNT(*) FROM t WHERE " + where))) << value;
  }
  const ColumnProfile& code = p.columns[3];
  EXPECT_DOUBLE_EQ(*code.castable_int, sql("SELECT AVG(code NOT GLOB '*[^0-9]*') FROM t"));
  // The id column is unique; every suggested check holds on the data it came from.
  Check suggested = suggest_checks(p);
  VerificationResult r = verify(data(), {suggested});
  EXPECT_EQ(r.status, VerificationStatus::kSuccess) << summary_text(r);
  bool unique_suggested = false;
  for (const auto& c : suggested.constraints()) unique_suggested |= c.description() == "Uniqueness(id) == 1";
  EXPECT_TRUE(unique_suggested);
}

TEST_F(QualitySuiteTest, YamlRoundTripGivesTheSameVerdicts) {
  Check check(CheckLevel::kError, "orders");
  check.is_complete("id")
      .is_primary_key({"id", "status"})
      .has_completeness("amount", ge(0.9))
      .is_contained_in("status", std::vector<std::string>{"new", "paid"})
      .is_between("amount", 0, 900)
      .has_mean("amount", between(400, 600))
      .has_approx_quantile("amount", 0.9, le(950))
      .has_pattern("code", "^[0-9]+$", ge(0.8))
      .is_castable_to("code", "int")
      .has_size(eq(1000))
      .has_distinct_count("status", le(3))
      .is_complete("status")
      .where("amount > 100")
      .is_unique("id")
      .where("status = 'new'");
  std::string yaml = check_suite_yaml(DatasetSpec{}, {check});
  CheckSuite suite = parse_check_suite(yaml, *spark_);
  ASSERT_EQ(suite.checks.size(), 1u);
  ASSERT_EQ(suite.checks[0].constraints().size(), check.constraints().size()) << yaml;
  for (size_t i = 0; i < check.constraints().size(); ++i) {
    EXPECT_EQ(suite.checks[0].constraints()[i].description(), check.constraints()[i].description()) << yaml;
  }
  VerificationResult a = verify(data(), {check}), b = verify(data(), suite.checks);
  EXPECT_EQ(to_json(a).substr(to_json(a).find("\"checks\"")),
            to_json(b).substr(to_json(b).find("\"checks\"")));
}

TEST_F(QualitySuiteTest, SqlPredicatesAndMetrics) {
  CheckSuite suite = parse_check_suite(
      "checks:\n"
      "  - description: sql\n"
      "    constraints:\n"
      "      - satisfies: \"amount >= 100 OR status = 'new'\"\n"
      "      - satisfies: {predicate: \"code NOT LIKE 'x%'\", name: numeric code, ge: 0.5}\n"
      "      - has_metric: {expression: \"sum(CASE WHEN status = 'paid' THEN amount END) / sum(amount)\", "
      "name: paid share, lt: 1}\n",
      *spark_);
  VerificationResult r = verify(data(), suite.checks);
  ASSERT_EQ(r.checks.at(0).constraints.size(), 3u);
  const auto& c = r.checks[0].constraints;
  EXPECT_EQ(c[0].constraint, "Compliance(amount >= 100 OR status = 'new') == 1");
  EXPECT_NEAR(*c[0].value, sql("SELECT AVG(COALESCE(amount >= 100 OR status = 'new', 0)) FROM t"), 1e-12);
  EXPECT_EQ(c[1].constraint, "Compliance(numeric code) >= 0.5");
  EXPECT_NEAR(*c[1].value, sql("SELECT AVG(COALESCE(code NOT GLOB 'x*', 0)) FROM t"), 1e-12);
  EXPECT_EQ(c[2].constraint, "Metric(paid share) < 1");
  EXPECT_NEAR(*c[2].value, sql("SELECT SUM(CASE WHEN status = 'paid' THEN amount END) / SUM(amount) FROM t"),
              1e-9);
  // The SQL forms survive a round trip through YAML.
  CheckSuite again = parse_check_suite(check_suite_yaml(DatasetSpec{}, suite.checks), *spark_);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(again.checks[0].constraints()[i].description(), suite.checks[0].constraints()[i].description());
  }
  // Row-level SQL predicates quarantine like any other rule.
  ValidationResult v = validate(data(), {suite.checks[0]});
  EXPECT_EQ(v.invalid.count(),
            static_cast<int64_t>(
                sql("SELECT COUNT(*) FROM t WHERE NOT COALESCE(amount >= 100 OR status = 'new', 0) "
                    "OR code GLOB 'x*'")));  // fails the second rule
}

TEST_F(QualitySuiteTest, YamlErrorsNameTheLine) {
  auto error_of = [&](const std::string& yaml) {
    try {
      parse_check_suite(yaml, *spark_, "suite.yaml");
    } catch (const EmberError& e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  EXPECT_NE(error_of("checks:\n  - description: x\n    constraints:\n      - has_completeness: id\n")
                .find("suite.yaml, line 4: 'has_completeness' needs an assertion"),
            std::string::npos);
  EXPECT_NE(error_of("checks:\n  - level: fatal\n    constraints: []\n").find("line 2: level 'fatal'"),
            std::string::npos);
  EXPECT_NE(
      error_of("checks:\n  - constraints:\n      - is_fresh: {column: ts, max_age: soon}\n").find("line 3"),
      std::string::npos);
  EXPECT_NE(error_of("checks: [\n").find("suite.yaml, line"), std::string::npos);
  EXPECT_NE(error_of("checks:\n  - constraints:\n      - satisfies: \"amount >>= 0\"\n")
                .find("suite.yaml, line 3: 'satisfies'"),
            std::string::npos);
  EXPECT_NE(
      error_of("checks:\n  - constraints:\n      - is_castable_to: {column: c, type: intt}\n").find("line 3"),
      std::string::npos);
}

TEST_F(QualitySuiteTest, MetricsRepositoryAndAnomalyChecks) {
  const std::string repo = (dir_ / "metrics").string();
  const std::map<std::string, std::string> tags{{"job", "orders"}};
  auto run = [&](size_t rows, int64_t day, AnomalyStrategy strategy) {
    Check check(CheckLevel::kError, "volume");
    check.is_not_anomalous("Size", "", repo, strategy).is_not_anomalous("Mean", "amount", repo, strategy);
    VerifyOptions options;
    options.now_micros = (1717200000LL + day * 86400) * 1000000;
    options.tags = tags;
    VerificationResult r = verify(data(rows), {check}, options);
    append_metrics(*spark_, repo, r);
    return r;
  };
  // Relative change: each run against the previous one.
  VerificationResult first = run(1000, 0, relative_change(0.2, 0.2));
  EXPECT_EQ(first.status, VerificationStatus::kSuccess);
  EXPECT_EQ(first.checks[0].constraints[0].message, "no earlier run to compare with");
  EXPECT_EQ(run(900, 1, relative_change(0.2, 0.2)).checks[0].constraints[0].passed, true);  // -10%
  VerificationResult drop = run(500, 2, relative_change(0.2, 0.2));                         // -44%
  EXPECT_FALSE(drop.checks[0].constraints[0].passed);
  EXPECT_NE(drop.checks[0].constraints[0].message.find("previous run 900"), std::string::npos)
      << drop.checks[0].constraints[0].message;
  EXPECT_EQ(drop.status, VerificationStatus::kError);

  // The repository holds one Size row per run, oldest first, under the run's tags only.
  EXPECT_EQ(metric_history(spark_->state(), repo, "Size", "*", tags), (std::vector<double>{1000, 900, 500}));
  EXPECT_TRUE(metric_history(spark_->state(), repo, "Size", "*", {{"job", "other"}}).empty());

  // Reports draw a metric's history: earlier runs only, oldest first.
  VerificationResult latest = verify(data(700), {Check(CheckLevel::kError, "size").has_size(ge(1))},
                                     VerifyOptions{(1717200000LL + 10 * 86400) * 1000000, "", tags, false});
  attach_history(spark_->state(), repo, latest);
  EXPECT_EQ(latest.checks[0].constraints[0].history, (std::vector<double>{1000, 900, 500}));
  EXPECT_NE(to_html(latest).find("<svg"), std::string::npos);
  EXPECT_NE(to_json(latest).find("\"history\":[1000,900,500]"), std::string::npos);

  // mean ± 3 stddev of {1000, 900, 500} (sample stddev 264.6): [-6.2, 1593.7].
  EXPECT_TRUE(run(1000, 3, stddev_band(3, 10)).checks[0].constraints[0].passed);
  // Last 2 runs {500, 1000}: mean 750, stddev 353.6, k = 0.5 -> [573.2, 926.8]; 990 is out.
  VerificationResult band = run(990, 4, stddev_band(0.5, 2));
  EXPECT_FALSE(band.checks[0].constraints[0].passed);
  EXPECT_NE(band.checks[0].constraints[0].message.find("last 2 runs: mean 750"), std::string::npos)
      << band.checks[0].constraints[0].message;
}

}  // namespace
}  // namespace ember
