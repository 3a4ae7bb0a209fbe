// End-to-end: the statistical, approximate and collecting aggregates through Session and
// DataFrames — group_by().agg(), global agg(), partial aggregation in several map tasks with a
// shuffle before the final one, and window frames — compared with answers computed independently
// here (two-pass loops in long double, exact sorted percentiles, exact distinct counts) and with
// sqlite3 running the textbook SQL formulas.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/ember.h"
#include "ember/functions/aggregate/hyperloglog_plus_plus.h"
#include "ember/functions/aggregate/spark_xxhash64.h"

#include "e2e/sqlite_reference.h"

namespace ember {
namespace {

using namespace ember::functions;

struct Rec {
  int64_t id;
  int32_t g;  // group key, 0 .. kGroups - 1 (group kGroups - 1 has one row)
  std::optional<double> x;
  std::string k;  // for approx_count_distinct / collect_set
  std::optional<bool> flag;
};

constexpr int kGroups = 9;

class StatisticalAggregatesE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    recs_ = new std::vector<Rec>();
    testing::TestRandom next(12345);
    for (int64_t id = 0; id < 30000; ++id) {
      Rec r;
      r.id = id;
      r.g = id == 0 ? kGroups - 1 : static_cast<int32_t>(next() % (kGroups - 1));
      // Two decimals, a group-dependent offset (large for some groups, to test stability).
      double offset = r.g == 3 ? 1e7 : r.g * 10.0;
      r.x = next() % 17 == 0 ? std::nullopt
                             : std::optional<double>(offset + static_cast<double>(next() % 100000) / 100.0);
      r.k = "key" + std::to_string(next() % (200 * (r.g + 1)));
      uint64_t f = next() % 5;
      r.flag = f == 0 ? std::nullopt : std::optional<bool>(f % 2 == 0);
      recs_->push_back(r);
    }
  }
  static void TearDownTestSuite() { delete recs_; }

  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    spark_->conf().set("spark.sql.shuffle.partitions", "3");
  }

  // The rows in `partitions` partitions (round robin), so partial aggregation runs in several
  // map tasks and the final one after a shuffle.
  DataFrame data(int partitions = 4) const {
    std::vector<std::vector<Value>> rows;
    for (const Rec& r : *recs_) {
      rows.push_back({Value::int64(r.id), Value::int32(r.g),
                      r.x ? Value::float64(*r.x) : Value::null(DataType::float64()), Value::string(r.k),
                      r.flag ? Value::boolean(*r.flag) : Value::null(DataType::boolean())});
    }
    return spark_->create_data_frame(rows, "id BIGINT, g INT, x DOUBLE, k STRING, flag BOOLEAN")
        .repartition(partitions);
  }

  // Rows of `df` keyed by their first column (an int group key).
  static std::map<int64_t, Row> by_key(const DataFrame& df) {
    std::map<int64_t, Row> out;
    for (const Row& r : df.collect()) out.emplace(r[0].as_int64(), r);
    return out;
  }

  static std::vector<double> xs_of(int g) {
    std::vector<double> xs;
    for (const Rec& r : *recs_) {
      if ((g < 0 || r.g == g) && r.x) xs.push_back(*r.x);
    }
    return xs;
  }

  static std::vector<Rec>* recs_;
  std::unique_ptr<Session> spark_;
};

std::vector<Rec>* StatisticalAggregatesE2eTest::recs_ = nullptr;

// Central moments of xs, two passes in long double; names as the functions.
std::map<std::string, std::optional<double>> reference_moments(const std::vector<double>& xs) {
  std::map<std::string, std::optional<double>> out;
  const char* all[] = {"stddev", "stddev_pop", "variance", "var_pop", "skewness", "kurtosis"};
  for (const char* fn : all) out[fn] = std::nullopt;
  if (xs.empty()) return out;
  long double n = static_cast<long double>(xs.size()), sum = 0, m2 = 0, m3 = 0, m4 = 0;
  for (double x : xs) sum += x;
  long double mean = sum / n;
  for (double x : xs) {
    long double d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  out["var_pop"] = static_cast<double>(m2 / n);
  out["stddev_pop"] = static_cast<double>(std::sqrt(m2 / n));
  if (xs.size() > 1) {
    out["variance"] = static_cast<double>(m2 / (n - 1));
    out["stddev"] = static_cast<double>(std::sqrt(m2 / (n - 1)));
  }
  if (m2 != 0) {
    out["skewness"] = static_cast<double>(std::sqrt(n) * m3 / std::pow(m2, 1.5L));
    out["kurtosis"] = static_cast<double>(n * m4 / (m2 * m2) - 3);
  }
  return out;
}

void expect_close(const Value& got, const std::optional<double>& want, const std::string& what) {
  if (!want) {
    EXPECT_TRUE(got.is_null()) << what << ": " << got.to_string();
    return;
  }
  ASSERT_FALSE(got.is_null()) << what;
  EXPECT_NEAR(got.as_double(), *want, 1e-8 * std::max(1.0, std::fabs(*want))) << what;
}

// The smallest value whose rank reaches ceil(p * n): Spark's answer when n <= accuracy.
double exact_percentile(std::vector<double> xs, double p) {
  std::sort(xs.begin(), xs.end());
  auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(xs.size())));
  return xs[std::max<size_t>(rank, 1) - 1];
}

TEST_F(StatisticalAggregatesE2eTest, GroupByMomentsMatchTwoPassReference) {
  auto rows = by_key(data().group_by("g").agg(stddev("x"), stddev_pop("x"), variance("x"), var_pop("x"),
                                              skewness("x"), kurtosis("x"), std("x"), stddev_samp("x"),
                                              var_samp("x")));
  ASSERT_EQ(rows.size(), static_cast<size_t>(kGroups));
  const char* names[] = {"stddev", "stddev_pop", "variance", "var_pop", "skewness", "kurtosis"};
  for (auto& [g, row] : rows) {
    auto want = reference_moments(xs_of(static_cast<int>(g)));
    for (size_t c = 0; c < 6; ++c)
      expect_close(row[c + 1], want[names[c]], std::string(names[c]) + " of group " + std::to_string(g));
    EXPECT_EQ(row[7], row[1]);  // std = stddev
    EXPECT_EQ(row[8], row[1]);  // stddev_samp = stddev
    EXPECT_EQ(row[9], row[3]);  // var_samp = variance
  }
  // The one-row group: the sample forms and skewness/kurtosis are NULL, the population forms 0.
  const Row& single = rows.at(kGroups - 1);
  EXPECT_TRUE(single[1].is_null());
  EXPECT_EQ(single[2], Value::float64(0.0));
  EXPECT_TRUE(single[5].is_null());
}

TEST_F(StatisticalAggregatesE2eTest, GlobalAggregateAndPartitionCountsAgree) {
  auto want = reference_moments(xs_of(-1));
  for (int partitions : {1, 2, 7}) {
    std::vector<Row> rows =
        data(partitions).agg(stddev("x"), var_pop("x"), kurtosis("x"), count_if(col("flag"))).collect();
    ASSERT_EQ(rows.size(), 1u);
    expect_close(rows[0][0], want["stddev"], "stddev");
    expect_close(rows[0][1], want["var_pop"], "var_pop");
    expect_close(rows[0][2], want["kurtosis"], "kurtosis");
    int64_t trues = 0;
    for (const Rec& r : *recs_) trues += r.flag.value_or(false);
    EXPECT_EQ(rows[0][3], Value::int64(trues));
  }
  // No rows at all: NULL statistics, count_if 0.
  std::vector<Row> none = data().filter(col("id") < 0).agg(stddev("x"), count_if(col("flag"))).collect();
  ASSERT_EQ(none.size(), 1u);
  EXPECT_TRUE(none[0][0].is_null());
  EXPECT_EQ(none[0][1], Value::int64(0));
}

TEST_F(StatisticalAggregatesE2eTest, VarianceAndCountIfMatchSqliteFormulas) {
  // sqlite has no variance: the textbook formulas, over groups whose values are small enough
  // for them to be accurate (group 3 sits on a 1e7 offset and is left out).
  testing::SqliteReference db;
  std::vector<std::vector<Value>> rows;
  for (const Rec& r : *recs_) {
    rows.push_back({Value::int32(r.g), r.x ? Value::float64(*r.x) : Value::null(DataType::float64()),
                    r.flag ? Value::int32(*r.flag ? 1 : 0) : Value::null(DataType::int32())});
  }
  db.load("t", "g INTEGER, x REAL, flag INTEGER", rows);
  DataFrame df =
      data()
          .filter(col("g") != 3)
          .group_by("g")
          .agg(var_samp("x"), var_pop("x"), count_if(col("flag")), count_if(col("x") > 500), count("x"));
  testing::expect_same_rows(
      testing::to_table(df.collect()),
      db.query(
          "SELECT g, CASE WHEN count(x) > 1 THEN (sum(x*x) - sum(x)*sum(x)/count(x)) / (count(x)-1) END, "
          "(sum(x*x) - sum(x)*sum(x)/count(x)) / count(x), "
          "sum(CASE WHEN flag = 1 THEN 1 ELSE 0 END), sum(CASE WHEN x > 500 THEN 1 ELSE 0 END), count(x) "
          "FROM t WHERE g <> 3 GROUP BY g"),
      false);
}

TEST_F(StatisticalAggregatesE2eTest, ApproxCountDistinctIsPartitionIndependentAndAccurate) {
  std::map<int64_t, std::set<std::string>> exact;
  for (const Rec& r : *recs_) exact[r.g].insert(r.k);
  std::map<int64_t, Row> one =
      by_key(data(1).group_by("g").agg(approx_count_distinct("k"), approx_count_distinct("k", 0.01)));
  for (int partitions : {3, 8}) {
    std::map<int64_t, Row> many = by_key(
        data(partitions).group_by("g").agg(approx_count_distinct("k"), approx_count_distinct("k", 0.01)));
    ASSERT_EQ(many.size(), one.size());
    for (auto& [g, row] : many) {
      // Register-wise max merges exactly: the same estimate however the rows were split.
      EXPECT_EQ(row[1], one.at(g)[1]) << g;
      EXPECT_EQ(row[2], one.at(g)[2]) << g;
    }
  }
  for (auto& [g, row] : one) {
    auto n = static_cast<double>(exact[g].size());
    EXPECT_LE(std::fabs(static_cast<double>(row[1].as_int64()) - n), 4 * 0.046 * n + 1) << g;   // p = 9
    EXPECT_LE(std::fabs(static_cast<double>(row[2].as_int64()) - n), 4 * 0.0082 * n + 1) << g;  // p = 14
  }
  // The one-row group is exact.
  EXPECT_EQ(one.at(kGroups - 1)[1], Value::int64(1));
}

TEST_F(StatisticalAggregatesE2eTest, PercentileApproxIsExactForSmallGroups) {
  // Every group has fewer than 10000 values, so Spark's answer is the exact one, however the
  // partial summaries were split and merged.
  std::vector<double> ps{0.0, 0.1, 0.25, 0.5, 0.9, 1.0};
  for (int partitions : {1, 5}) {
    auto rows = by_key(data(partitions)
                           .group_by("g")
                           .agg(percentile_approx("x", 0.5), percentile_approx("x", ps),
                                approx_percentile("x", 0.37, 100000)));
    for (auto& [g, row] : rows) {
      std::vector<double> xs = xs_of(static_cast<int>(g));
      EXPECT_EQ(row[1], Value::float64(exact_percentile(xs, 0.5))) << g;
      ASSERT_EQ(row[2].as_array().size(), ps.size());
      for (size_t k = 0; k < ps.size(); ++k) {
        double want = ps[k] <= 1e-4 ? *std::min_element(xs.begin(), xs.end()) : exact_percentile(xs, ps[k]);
        EXPECT_EQ(row[2].as_array()[k], Value::float64(want)) << g << " p " << ps[k];
      }
      EXPECT_EQ(row[3], Value::float64(exact_percentile(xs, 0.37))) << g;
    }
  }
  // On an integer column the answer is an integer of the column's type.
  std::vector<Row> r =
      data()
          .agg(percentile_approx("id", 0.5, 100000), percentile_approx(col("g"), std::vector<double>{0.5}))
          .collect();
  EXPECT_EQ(r[0][0], Value::int64(14999));
  EXPECT_EQ(r[0][1].type(), DataType::array(DataType::int32()));
}

TEST_F(StatisticalAggregatesE2eTest, CollectListAndSetPerGroup) {
  auto rows = by_key(data(5).group_by("g").agg(collect_list("x"), collect_set("k"), array_agg("k")));
  for (auto& [g, row] : rows) {
    std::vector<double> want_x = xs_of(static_cast<int>(g));
    std::vector<double> got_x;
    for (const Value& v : row[1].as_array()) got_x.push_back(v.as_double());
    std::sort(want_x.begin(), want_x.end());
    std::sort(got_x.begin(), got_x.end());
    EXPECT_EQ(got_x, want_x) << g;
    std::set<std::string> want_k;
    size_t all_k = 0;
    for (const Rec& r : *recs_) {
      if (r.g == g) {
        want_k.insert(r.k);
        ++all_k;
      }
    }
    std::set<std::string> got_k;
    for (const Value& v : row[2].as_array()) got_k.insert(v.as_string());
    EXPECT_EQ(got_k, want_k) << g;
    EXPECT_EQ(row[2].as_array().size(), want_k.size()) << g;
    EXPECT_EQ(row[3].as_array().size(), all_k) << g;
  }
  // A group whose values are all null collects [], not NULL.
  std::vector<Row> empty = data().filter(col("x").is_null()).group_by("g").agg(collect_list("x")).collect();
  ASSERT_FALSE(empty.empty());
  for (const Row& r : empty) EXPECT_EQ(r[1], Value::array(DataType::float64(), {}));
}

TEST_F(StatisticalAggregatesE2eTest, AggregatesOverWindowFrames) {
  // Per group, ordered by id: a running frame (incremental states, finalized after every row)
  // and a sliding one (segment tree of merged intermediate states).
  auto running =
      Window::partition_by("g").order_by("id").rows_between(Window::unbounded_preceding, Window::current_row);
  auto sliding = Window::partition_by("g").order_by("id").rows_between(-3, 2);
  DataFrame df =
      data()
          .filter(col("id") < 3000)
          .select(col("id"), col("g"), col("x"), col("k"), col("flag"),
                  stddev("x").over(running).alias("run_sd"), var_pop("x").over(sliding).alias("slide_var"),
                  count_if(col("flag")).over(sliding).alias("slide_cnt"),
                  percentile_approx("x", 0.5).over(running).alias("run_median"),
                  approx_count_distinct("k").over(sliding).alias("slide_acd"),
                  collect_list("k").over(sliding).alias("slide_keys"),
                  skewness("x").over(Window::partition_by("g")).alias("part_skew"));
  std::map<int32_t, std::vector<const Rec*>> parts;
  for (const Rec& r : *recs_) {
    if (r.id < 3000) parts[r.g].push_back(&r);
  }
  std::map<int64_t, Row> got;
  for (const Row& r : df.collect()) got.emplace(r[0].as_int64(), r);
  ASSERT_EQ(got.size(), 3000u);
  const agg::HyperLogLogPlusPlus hll(9);  // approx_count_distinct's default rsd 0.05
  for (auto& [g, recs] : parts) {
    std::vector<double> all;
    for (const Rec* r : recs) {
      if (r->x) all.push_back(*r->x);
    }
    for (size_t i = 0; i < recs.size(); ++i) {
      const Row& row = got.at(recs[i]->id);
      std::vector<double> prefix;
      for (size_t j = 0; j <= i; ++j) {
        if (recs[j]->x) prefix.push_back(*recs[j]->x);
      }
      size_t lo = i >= 3 ? i - 3 : 0;
      size_t hi = std::min(recs.size() - 1, i + 2);
      std::vector<double> frame;
      std::vector<Value> keys;
      std::set<std::string> distinct_keys;
      int64_t trues = 0;
      for (size_t j = lo; j <= hi; ++j) {
        if (recs[j]->x) frame.push_back(*recs[j]->x);
        keys.push_back(Value::string(recs[j]->k));
        distinct_keys.insert(recs[j]->k);
        trues += recs[j]->flag.value_or(false);
      }
      std::string where = "group " + std::to_string(g) + " row " + std::to_string(i);
      expect_close(row[5], reference_moments(prefix)["stddev"], "running stddev, " + where);
      expect_close(row[6], reference_moments(frame)["var_pop"], "sliding var_pop, " + where);
      EXPECT_EQ(row[7], Value::int64(trues)) << where;
      if (prefix.empty()) {
        EXPECT_TRUE(row[8].is_null()) << where;
      } else {
        EXPECT_EQ(row[8], Value::float64(exact_percentile(prefix, 0.5))) << "running median, " << where;
      }
      // A few values in 512 registers are counted exactly unless two share a register: the
      // reference is the same sketch built directly from the frame's keys.
      std::vector<uint8_t> registers(hll.num_registers(), 0);
      for (const std::string& key : distinct_keys)
        hll.add(registers.data(), agg::xxhash64_bytes(key.data(), key.size(), 42));
      EXPECT_EQ(row[9], Value::int64(hll.estimate(registers.data()))) << where;
      EXPECT_LE(std::abs(row[9].as_int64() - static_cast<int64_t>(distinct_keys.size())), 2) << where;
      EXPECT_EQ(row[10], Value::array(DataType::string(), keys)) << where;
      expect_close(row[11], reference_moments(all)["skewness"], "partition skewness, " + where);
    }
  }
}

TEST_F(StatisticalAggregatesE2eTest, ColumnNamesFollowSpark) {
  DataFrame df =
      data().agg(stddev("x"), variance("x"), std("x"), count_if(col("x") > 1), approx_count_distinct("k"),
                 percentile_approx("x", 0.5), collect_list("x"), array_agg("x"), collect_set("k"));
  // Spark 4.0.1 names these columns the same way.
  EXPECT_EQ(df.columns(),
            (std::vector<std::string>{"stddev(x)", "variance(x)", "std(x)", "count_if((x > 1))",
                                      "approx_count_distinct(k)", "percentile_approx(x, 0.5, 10000)",
                                      "collect_list(x)", "collect_list(x)", "collect_set(k)"}));
  // Deviations (docs/deviations.md): Spark leaves an explicit rsd out of the name and prints
  // the percentage list as array(0.1, 0.9).
  DataFrame more = data().agg(approx_count_distinct("k", 0.01),
                              percentile_approx("x", std::vector<double>{0.1, 0.9}, 100));
  EXPECT_EQ(more.columns(), (std::vector<std::string>{"approx_count_distinct(k, 0.01)",
                                                      "percentile_approx(x, [0.1, 0.9], 100)"}));
}

std::string error_class_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const EmberError& e) {
    return e.error_class();
  }
  return "no error";
}

TEST_F(StatisticalAggregatesE2eTest, ArgumentErrorsAreSparksAnalysisErrors) {
  DataFrame df = data();
  EXPECT_EQ(error_class_of([&] { df.agg(count_if(col("x"))).collect(); }),
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
  EXPECT_EQ(error_class_of([&] { df.agg(stddev("flag")).collect(); }),
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
  EXPECT_EQ(error_class_of([&] { df.agg(percentile_approx("x", 1.5)).collect(); }),
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE");
  EXPECT_EQ(error_class_of([&] { df.agg(percentile_approx("x", 0.5, 0)).collect(); }),
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE");
  EXPECT_EQ(error_class_of([&] { df.agg(percentile_approx("k", 0.5)).collect(); }), "CAST_INVALID_INPUT");
  EXPECT_EQ(error_class_of([&] { df.agg(approx_count_distinct("k", 0.5)).collect(); }),
            "FAILED_FUNCTION_CALL");
  EXPECT_EQ(error_class_of([&] {
              df.agg(call_function("approx_count_distinct", {col("k"), col("x")})).collect();
            }),
            "_LEGACY_ERROR_TEMP_1104");
}

}  // namespace
}  // namespace ember
