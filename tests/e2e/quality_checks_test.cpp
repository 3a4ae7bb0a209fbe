// Data-quality checks on generated data with known defects (nulls, duplicates, out-of-range and
// unknown values, malformed e-mails and codes, orphans): every observed metric equals the value
// sqlite3 computes from the same rows, and the quarantine holds exactly the defective rows.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "ember/ember.h"
#include "ember/quality/check.h"
#include "ember/quality/report.h"
#include "ember/quality/validation.h"
#include "ember/quality/verification.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

#include "e2e/sqlite_reference.h"

namespace ember {
namespace {

using namespace ember::quality;
using ember::testing::SqliteReference;
namespace f = ember::functions;

constexpr int kRows = 3000;
constexpr int kCustomers = 400;
// 2024-06-01 12:00:00 UTC; the newest order is 90 minutes and 250 ms older than "now" below.
constexpr int64_t kNow = 1717243200LL * 1000000;

class QualityChecksTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spark_ = new Session(Session::builder().master("local[2]").get_or_create());
    std::mt19937 rng(7);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const std::vector<std::string> statuses = {"new", "paid", "shipped", "refund", "lost"};
    for (int i = 0; i < kRows; ++i) {
      std::vector<Value> r;
      r.push_back(Value::int32(i));  // rid
      r.push_back(pick(50) == 0 ? Value::null(DataType::int32())
                                : Value::int32(pick(10) == 0 ? i / 2 : 100000 + i));
      r.push_back(pick(40) == 0 ? Value::null(DataType::int32()) : Value::int32(1 + pick(kCustomers + 20)));
      r.push_back(pick(30) == 0 ? Value::null(DataType::float64())
                                : Value::float64((pick(25) == 0 ? -1 : 1) * (pick(120000) / 100.0)));
      r.push_back(pick(60) == 0 ? Value::null(DataType::string())
                                : Value::string(statuses[static_cast<size_t>(pick(5))]));
      std::string user = "user" + std::to_string(pick(1000));
      switch (pick(20)) {
        case 0: r.push_back(Value::string(user + ".example.com")); break;  // no @
        case 1: r.push_back(Value::string(user + "@localhost")); break;    // no domain suffix
        case 2: r.push_back(Value::null(DataType::string())); break;
        default: r.push_back(Value::string(user + "@mail.example.com"));
      }
      r.push_back(pick(15) == 0 ? Value::string("X" + std::to_string(pick(99)))
                                : Value::string(std::to_string(pick(99999))));
      r.push_back(Value::date(days_from_civil(2024, 5, 1) + pick(31)));
      int64_t newest = kNow - (90 * 60 + 0) * 1000000LL - 250000;
      r.push_back(
          Value::timestamp(i == 1234 ? newest : newest - static_cast<int64_t>(1 + pick(86400)) * 1000000));
      rows_.push_back(r);
    }
    for (int c = 1; c <= kCustomers; ++c) customers_.push_back({Value::int32(c)});
    sqlite_ = new SqliteReference();
    // Timestamps go to sqlite as text, which its date functions read.
    std::vector<std::vector<Value>> sq = rows_;
    for (auto& r : sq) r[8] = Value::string(format_timestamp(r[8].as_int64(), *TimeZone::utc()));
    sqlite_->load("t",
                  "rid INT, id INT, customer_id INT, amount REAL, status TEXT, email TEXT, code TEXT, day "
                  "TEXT, ts TEXT",
                  sq);
    sqlite_->load("c", "id INT", customers_);
  }
  static void TearDownTestSuite() {
    delete sqlite_;
    delete spark_;
  }

  static DataFrame orders() {
    return spark_
        ->create_data_frame(rows_,
                            "rid INT, id INT, customer_id INT, amount DOUBLE, status STRING, email STRING, "
                            "code STRING, day DATE, ts TIMESTAMP")
        .repartition(3);
  }
  static DataFrame customers() { return spark_->create_data_frame(customers_, "id INT"); }

  static double sql(const std::string& query) {
    auto t = sqlite_->query(query);
    EXPECT_EQ(t.size(), 1u) << query;
    const auto& c = t.at(0).at(0);
    return c.kind == ember::testing::Cell::kInt ? static_cast<double>(c.i) : c.d;
  }

  static std::set<int64_t> sql_set(const std::string& query) {
    std::set<int64_t> s;
    for (const auto& r : sqlite_->query(query)) s.insert(r.at(0).i);
    return s;
  }

  static inline Session* spark_ = nullptr;
  static inline SqliteReference* sqlite_ = nullptr;
  static inline std::vector<std::vector<Value>> rows_;
  static inline std::vector<std::vector<Value>> customers_;
};

const ConstraintResult& find(const VerificationResult& r, const std::string& constraint) {
  for (const auto& c : r.checks) {
    for (const auto& k : c.constraints) {
      if (k.constraint == constraint) return k;
    }
  }
  ADD_FAILURE() << "no constraint " << constraint;
  static ConstraintResult none;
  return none;
}

TEST_F(QualityChecksTest, EveryMetricEqualsSqlite) {
  Check check(CheckLevel::kError, "orders");
  check.is_complete("id")
      .has_completeness("email", ge(0.9))
      .is_unique("id")
      .is_primary_key({"id", "day"})
      .has_distinct_count("status", eq(5))
      .is_contained_in("status", std::vector<std::string>{"new", "paid", "shipped", "refund"})
      .is_non_negative("amount")
      .is_between("amount", 0, 1000)
      .has_min("amount", ge(0))
      .has_max("amount", le(1200))
      .has_mean("amount", between(0, 1000))
      .has_stddev("amount", lt(1000))
      .has_sum("amount", gt(0))
      .has_approx_quantile("amount", 0.5, between(0, 1000))
      .contains_email("email")
      .is_castable_to("code", "int")
      .has_size(eq(kRows))
      .is_contained_in_reference("customer_id", customers(), "id")
      .is_fresh("ts", 3600)
      .satisfies(f::col("amount") >= f::lit(0) || f::col("status") == f::lit("refund"),
                 "amount >= 0 OR refund")
      .has_metric(
          f::sum(f::when(f::col("status") == f::lit("refund"), f::col("amount"))) / f::sum(f::col("amount")),
          "refund share", lt(0.5));
  VerificationResult r = verify(orders(), {check}, VerifyOptions{kNow, "orders"});
  auto value = [&](const std::string& constraint) {
    const auto& k = find(r, constraint);
    EXPECT_TRUE(k.value.has_value()) << constraint;
    return k.value.value_or(NAN);
  };
  auto near = [](double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); };

  EXPECT_PRED2(near, value("Completeness(id) == 1"), sql("SELECT AVG(id IS NOT NULL) FROM t"));
  EXPECT_PRED2(near, value("Completeness(email) >= 0.9"), sql("SELECT AVG(email IS NOT NULL) FROM t"));
  EXPECT_PRED2(near, value("Uniqueness(id) == 1"),
               sql("SELECT CAST(SUM(n = 1) AS REAL) / SUM(n) FROM (SELECT COUNT(*) n FROM t WHERE id IS NOT "
                   "NULL GROUP BY id)"));
  EXPECT_PRED2(near, value("PrimaryKey(id,day) == 1"),
               sql("SELECT CAST(SUM(n = 1) AS REAL) / SUM(n) FROM (SELECT COUNT(*) n FROM t "
                   "WHERE id IS NOT NULL OR day IS NOT NULL GROUP BY id, day)"));
  EXPECT_PRED2(near, value("CountDistinct(status) == 5"), sql("SELECT COUNT(DISTINCT status) FROM t"));
  EXPECT_PRED2(near, value("ContainedIn(status IN (new, paid, shipped, refund)) == 1"),
               sql("SELECT AVG(status IS NULL OR status IN ('new', 'paid', 'shipped', 'refund')) FROM t"));
  EXPECT_PRED2(near, value("NonNegative(amount) == 1"),
               sql("SELECT AVG(amount IS NULL OR amount >= 0) FROM t"));
  EXPECT_PRED2(near, value("Between(amount IN [0, 1000]) == 1"),
               sql("SELECT AVG(amount IS NULL OR (amount >= 0 AND amount <= 1000)) FROM t"));
  EXPECT_PRED2(near, value("Minimum(amount) >= 0"), sql("SELECT MIN(amount) FROM t"));
  EXPECT_PRED2(near, value("Maximum(amount) <= 1200"), sql("SELECT MAX(amount) FROM t"));
  EXPECT_PRED2(near, value("Mean(amount) between 0 and 1000"), sql("SELECT AVG(amount) FROM t"));
  EXPECT_PRED2(near, value("Sum(amount) > 0"), sql("SELECT SUM(amount) FROM t"));
  double var = sql(
      "SELECT AVG((amount - (SELECT AVG(amount) FROM t)) * (amount - (SELECT AVG(amount) FROM t))) FROM t");
  EXPECT_NEAR(value("StandardDeviation(amount) < 1000"), std::sqrt(var), 1e-9 * std::sqrt(var));
  // percentile_approx is exact here (3000 values, accuracy 10000): the smallest value with at
  // least half of the values at or below it.
  double n_amount = sql("SELECT COUNT(amount) FROM t");
  EXPECT_EQ(value("ApproxQuantile(amount, 0.5) between 0 and 1000"),
            sql("SELECT amount FROM t WHERE amount IS NOT NULL ORDER BY amount LIMIT 1 OFFSET " +
                std::to_string(static_cast<int64_t>(std::ceil(0.5 * n_amount)) - 1)));
  // The generated e-mails are either user@mail.example.com, user.example.com or user@localhost:
  // LIKE separates them as the e-mail pattern does.
  EXPECT_PRED2(near, value("PatternMatch(email ~ email) == 1"),
               sql("SELECT AVG(email IS NULL OR email LIKE '%_@_%._%') FROM t"));
  EXPECT_PRED2(near, value("Castable(code AS int) == 1"),
               sql("SELECT AVG(code IS NULL OR code NOT GLOB '*[^0-9]*') FROM t"));
  EXPECT_PRED2(near, value("Size(*) == 3000"), sql("SELECT COUNT(*) FROM t"));
  EXPECT_PRED2(near, value("ReferentialIntegrity(customer_id -> reference.id) == 1"),
               sql("SELECT AVG(customer_id IN (SELECT id FROM c)) FROM t WHERE customer_id IS NOT NULL"));
  EXPECT_NEAR(value("FreshnessSeconds(ts) <= 3600"),
              sql("SELECT (julianday('2024-06-01 12:00:00') - julianday(MAX(ts))) * 86400 FROM t"), 1e-3);
  EXPECT_PRED2(near, value("Compliance(amount >= 0 OR refund) == 1"),
               sql("SELECT AVG(COALESCE(amount >= 0 OR status = 'refund', 0)) FROM t"));

  EXPECT_PRED2(near, value("Metric(refund share) < 0.5"),
               sql("SELECT SUM(CASE WHEN status = 'refund' THEN amount END) / SUM(amount) FROM t"));

  // Pass/fail follows the assertions; the suite fails because an error-level check failed.
  EXPECT_FALSE(find(r, "Completeness(id) == 1").passed);
  EXPECT_TRUE(find(r, "Completeness(email) >= 0.9").passed);
  EXPECT_TRUE(find(r, "Size(*) == 3000").passed);
  EXPECT_FALSE(find(r, "FreshnessSeconds(ts) <= 3600").passed);
  EXPECT_EQ(r.status, VerificationStatus::kError);
  // One aggregation for all row metrics, one per key set (id; id,day; status), one anti-join.
  EXPECT_EQ(r.passes, 5);
}

TEST_F(QualityChecksTest, UnknownColumnsAndWrongTypesNameTheConstraint) {
  auto error_of = [&](const Check& check) {
    try {
      verify(orders(), {check});
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  EXPECT_NE(error_of(Check(CheckLevel::kError, "c").is_complete("emial"))
                .find("check 'c', Completeness(emial): column 'emial' does not exist. Available: rid, id"),
            std::string::npos);
  EXPECT_NE(error_of(Check(CheckLevel::kError, "c").has_min("status", ge(0)))
                .find("Minimum(status): column 'status' is STRING, but Minimum needs a numeric column"),
            std::string::npos);
  EXPECT_NE(
      error_of(Check(CheckLevel::kError, "c").is_fresh("amount", 60)).find("freshness needs a TIMESTAMP"),
      std::string::npos);
  EXPECT_NE(
      error_of(Check(CheckLevel::kError, "c").is_contained_in_reference("customer_id", customers(), "cid"))
          .find("the reference has no column 'cid'. Available: id"),
      std::string::npos);
}

TEST_F(QualityChecksTest, WhereNarrowsMetricsAndQuarantine) {
  Check check(CheckLevel::kError, "filtered");
  check.has_completeness("email", ge(0.9))
      .where("status = 'paid'")
      .is_unique("id")
      .where(f::col("status") == f::lit("new"))
      .has_mean("amount", gt(0))
      .where("status = 'refund'")
      .has_size(ge(1))
      .where("amount < 0")
      .is_non_negative("amount")
      .where("status <> 'refund'")
      .is_contained_in_reference("customer_id", customers(), "id")
      .where("amount >= 500");
  VerificationResult r = verify(orders(), {check});
  ASSERT_EQ(r.checks[0].constraints.size(), 6u);
  const auto& c = r.checks[0].constraints;
  auto near = [](double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); };
  EXPECT_EQ(c[0].constraint, "Completeness(email WHERE status = 'paid') >= 0.9");
  EXPECT_PRED2(near, *c[0].value, sql("SELECT AVG(email IS NOT NULL) FROM t WHERE status = 'paid'"));
  EXPECT_EQ(c[1].constraint.rfind("Uniqueness(id WHERE ", 0), 0u) << c[1].constraint;
  EXPECT_PRED2(near, *c[1].value,
               sql("SELECT CAST(SUM(n = 1) AS REAL) / SUM(n) FROM (SELECT COUNT(*) n FROM t "
                   "WHERE status = 'new' AND id IS NOT NULL GROUP BY id)"));
  EXPECT_PRED2(near, *c[2].value, sql("SELECT AVG(amount) FROM t WHERE status = 'refund'"));
  EXPECT_PRED2(near, *c[3].value, sql("SELECT COUNT(*) FROM t WHERE amount < 0"));
  EXPECT_PRED2(near, *c[4].value,
               sql("SELECT AVG(amount IS NULL OR amount >= 0) FROM t WHERE status <> 'refund'"));
  EXPECT_PRED2(near, *c[5].value,
               sql("SELECT AVG(customer_id IN (SELECT id FROM c)) FROM t WHERE amount >= 500 AND customer_id "
                   "IS NOT NULL"));
  EXPECT_EQ(c[5].instance, "customer_id WHERE amount >= 500");

  // Quarantine: a row fails a filtered rule only where the rule applies.
  ValidationResult v = validate(orders(), {check});
  std::map<std::string, std::set<int64_t>> got;
  for (const Row& row : v.invalid.collect()) {
    for (const Value& label : row[9].as_array()) got[label.as_string()].insert(row[0].as_int64());
  }
  EXPECT_EQ(got["Completeness(email WHERE status = 'paid')"],
            sql_set("SELECT rid FROM t WHERE status = 'paid' AND email IS NULL"));
  EXPECT_EQ(got["NonNegative(amount WHERE status <> 'refund')"],
            sql_set("SELECT rid FROM t WHERE status <> 'refund' AND amount < 0"));
  EXPECT_EQ(got["ReferentialIntegrity(customer_id -> reference.id WHERE amount >= 500)"],
            sql_set("SELECT rid FROM t WHERE amount >= 500 AND customer_id NOT IN (SELECT id FROM c)"));
  std::set<int64_t> dup_new;
  for (const auto& [label, rids] : got) {
    if (label.rfind("Uniqueness(id WHERE ", 0) == 0) dup_new = rids;
  }
  EXPECT_EQ(dup_new, sql_set("SELECT rid FROM t WHERE status = 'new' AND id IN "
                             "(SELECT id FROM t WHERE status = 'new' GROUP BY id HAVING COUNT(*) > 1)"));
  EXPECT_THROW(Check(CheckLevel::kError, "x").where("a > 1"), EmberError);
}

TEST_F(QualityChecksTest, TwentyConstraintsReadTheDataOnce) {
  Check check(CheckLevel::kError, "one pass");
  check.is_complete("id")
      .is_complete("rid")
      .has_completeness("email", ge(0.9))
      .has_completeness("amount", ge(0.9))
      .is_non_negative("amount")
      .is_between("amount", 0, 1000)
      .is_contained_in("status", std::vector<std::string>{"new", "paid"})
      .contains_email("email")
      .is_castable_to("code", "int")
      .has_min("amount", ge(0))
      .has_max("amount", le(1000))
      .has_mean("amount", gt(0))
      .has_stddev("amount", gt(0))
      .has_sum("amount", gt(0))
      .has_approx_quantile("amount", 0.9, le(1000))
      .has_size(ge(1))
      .has_min("customer_id", ge(0))
      .is_fresh("ts", 86400)
      .satisfies(f::col("amount") >= f::lit(0), "non-negative")
      .has_metric(f::max(f::col("rid")) - f::min(f::col("rid")), "rid span", eq(kRows - 1));
  ASSERT_EQ(check.constraints().size(), 20u);
  VerifyOptions options;
  options.explain = true;
  VerificationResult r = verify(orders(), {check}, options);
  ASSERT_EQ(r.passes, 1);
  ASSERT_EQ(r.plans.size(), 1u);
  // One scan of the data in the one job's physical plan.
  size_t scans = 0;
  for (size_t at = r.plans[0].find("LocalTableScan"); at != std::string::npos;
       at = r.plans[0].find("LocalTableScan", at + 1)) {
    ++scans;
  }
  EXPECT_EQ(scans, 1u) << r.plans[0];
}

TEST_F(QualityChecksTest, WarningLevelDoesNotFailTheRun) {
  VerificationResult r =
      verify(orders(), {Check(CheckLevel::kWarning, "soft").is_non_negative("amount"),
                        Check(CheckLevel::kError, "hard").has_size(ge(1)).is_complete("rid")});
  EXPECT_EQ(r.status, VerificationStatus::kWarning);
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(r.passes, 1);
}

TEST_F(QualityChecksTest, QuarantineHoldsExactlyTheDefectiveRows) {
  Check check(CheckLevel::kError, "rows");
  check.is_complete("id")
      .is_unique("id")
      .is_contained_in("status", std::vector<std::string>{"new", "paid", "shipped", "refund"})
      .is_non_negative("amount")
      .contains_email("email")
      .is_castable_to("code", "int")
      .is_contained_in_reference("customer_id", customers(), "id")
      .has_size(ge(1));  // not row-level: ignored by validate
  ValidationResult v = validate(orders(), {check});
  std::vector<Row> valid = v.valid.collect();
  std::vector<Row> invalid = v.invalid.collect();
  EXPECT_EQ(v.valid.columns().size(), 9u);
  EXPECT_EQ(v.invalid.columns().back(), kFailedChecksColumn);
  ASSERT_EQ(valid.size() + invalid.size(), static_cast<size_t>(kRows));

  // Per failed check, the rows sqlite finds failing it.
  std::map<std::string, std::set<int64_t>> expected = {
      {"Completeness(id)", sql_set("SELECT rid FROM t WHERE id IS NULL")},
      {"Uniqueness(id)",
       sql_set("SELECT rid FROM t WHERE id IN (SELECT id FROM t GROUP BY id HAVING COUNT(*) > 1)")},
      {"ContainedIn(status IN (new, paid, shipped, refund))",
       sql_set("SELECT rid FROM t WHERE status NOT IN ('new', 'paid', 'shipped', 'refund')")},
      {"NonNegative(amount)", sql_set("SELECT rid FROM t WHERE amount < 0")},
      {"PatternMatch(email ~ email)", sql_set("SELECT rid FROM t WHERE email NOT LIKE '%_@_%._%'")},
      {"Castable(code AS int)", sql_set("SELECT rid FROM t WHERE code GLOB '*[^0-9]*'")},
      {"ReferentialIntegrity(customer_id -> reference.id)",
       sql_set("SELECT rid FROM t WHERE customer_id NOT IN (SELECT id FROM c)")},
  };
  std::set<int64_t> all_bad;
  for (const auto& [label, rids] : expected) {
    EXPECT_FALSE(rids.empty()) << label;  // the generator planted every defect
    all_bad.insert(rids.begin(), rids.end());
  }
  std::map<std::string, std::set<int64_t>> got;
  std::set<int64_t> invalid_rids;
  for (const Row& r : invalid) {
    invalid_rids.insert(r[0].as_int64());
    for (const Value& label : r[9].as_array()) got[label.as_string()].insert(r[0].as_int64());
  }
  EXPECT_EQ(invalid_rids, all_bad);
  for (const auto& [label, rids] : expected) EXPECT_EQ(got[label], rids) << label;
  EXPECT_EQ(got.size(), expected.size());
  for (const Row& r : valid) EXPECT_EQ(all_bad.count(r[0].as_int64()), 0u);

  // The quarantine form holds the same rows, the labels joined by "; "; a rule repeated in a
  // second check (is_complete vs has_completeness) is listed once.
  std::map<int64_t, std::string> joined;
  for (const Row& r : invalid) {
    std::string s;
    for (const Value& label : r[9].as_array()) s += (s.empty() ? "" : "; ") + label.as_string();
    joined[r[0].as_int64()] = s;
  }
  Check again(CheckLevel::kWarning, "again");
  again.has_completeness("id", ge(0.5));
  ValidationResult twice = validate(orders(), {check, again});
  std::map<int64_t, std::string> quarantined;
  for (const Row& r : twice.quarantine.collect()) quarantined[r[0].as_int64()] = r[9].as_string();
  EXPECT_EQ(quarantined, joined);
}

TEST_F(QualityChecksTest, PrimaryKeyQuarantinesNullAndDuplicateKeys) {
  ValidationResult v = validate(orders(), {Check(CheckLevel::kError, "pk").is_primary_key({"id", "day"})});
  std::set<int64_t> rids;
  for (const Row& r : v.invalid.collect()) rids.insert(r[0].as_int64());
  EXPECT_EQ(rids,
            sql_set("SELECT rid FROM t WHERE id IS NULL OR (id, day) IN "
                    "(SELECT id, day FROM t WHERE id IS NOT NULL GROUP BY id, day HAVING COUNT(*) > 1)"));
}

TEST_F(QualityChecksTest, ReportsAsJsonHtmlAndDataFrame) {
  Check check(CheckLevel::kError, "orders <core>");
  check.is_complete("id").has_size(eq(kRows)).has_mean("amount", gt(1e9));
  VerificationResult r = verify(orders(), {check, Check(CheckLevel::kWarning, "soft").is_complete("rid")},
                                VerifyOptions{kNow, "orders.csv"});

  // JSON: python's json module reads it back to the same statuses and values.
  auto dir = std::filesystem::temp_directory_path() / ("ember_dq_report_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  write_text_file((dir / "r.json").string(), to_json(r));
  std::string cmd =
      "python3 -c \"import json,sys; d=json.load(open(sys.argv[1])); "
      "print(d['status'], len(d['checks']), [c['status'] for c in d['checks'][0]['constraints']], "
      "d['checks'][0]['constraints'][1]['value'])\" " +
      (dir / "r.json").string();
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512] = {0};
  std::string out;
  while (std::fgets(buf, sizeof(buf), p)) out += buf;
  ::pclose(p);
  EXPECT_EQ(out, "Error 2 ['Failure', 'Success', 'Failure'] 3000\n");

  // HTML: one self-contained page naming every failing constraint, with the text escaped.
  std::string html = to_html(r);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("Failing constraints"), std::string::npos);
  EXPECT_NE(html.find("Completeness(id) == 1"), std::string::npos);
  EXPECT_NE(html.find("Mean(amount) &gt; 1000000000"), std::string::npos);
  EXPECT_NE(html.find("orders &lt;core&gt;"), std::string::npos);
  for (const char* external : {"<script", "<link", "src=", "url(", "@import"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }

  DataFrame df = to_data_frame(*spark_, r);
  EXPECT_EQ(df.count(), 4);
  EXPECT_EQ(df.filter(f::col("constraint_status") == f::lit("Failure")).count(), 2);
  std::string text = summary_text(r);
  EXPECT_NE(text.find("Error: 1 of 2 checks passed, 2 of 4 constraints failed"), std::string::npos) << text;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ember
