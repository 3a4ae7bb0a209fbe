// Runtime filters end to end: joins over Parquet files whose creation side is filtered, run with
// runtime filters on and off, each answer compared with sqlite3 running the same SQL; plus what
// the filters save (rows dropped before the exchange, row groups skipped, Parquet bytes read)
// and how explain shows them.
#include <filesystem>
#include <optional>

#include <gtest/gtest.h>

#include "ember/ember.h"

#include "e2e/sqlite_reference.h"

namespace ember {
namespace {

using testing::expect_same_rows;
using testing::SqliteReference;
using testing::Table;
using testing::to_table;

constexpr const char* kEnabled = "spark.sql.optimizer.runtime.bloomFilter.enabled";

class RuntimeFilterE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("ember_runtime_filter_" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    fact_ = new std::vector<std::vector<Value>>();
    dim_ = new std::vector<std::vector<Value>>();
    // fact(id, k, v): 60,000 rows, k = id / 10 ascending (so row groups hold narrow key ranges),
    // every 500th key null. dim(k, grp, name, sub): keys 0..6,009, ten of them without a fact row;
    // sub = k / 100. The queries filter dim on grp and sub, never on k itself: a literal range on
    // the key would reach the fact scan through InferFiltersFromConstraints already.
    for (int64_t id = 1; id <= 60000; ++id) {
      Value k = id % 500 == 0 ? Value::null(DataType::int64()) : Value::int64(id / 10);
      fact_->push_back({Value::int64(id), k, Value::int32(static_cast<int32_t>(id % 97))});
    }
    for (int64_t k = 0; k < 6010; ++k) {
      dim_->push_back({Value::int64(k), Value::int32(static_cast<int32_t>(k % 7)),
                       Value::string("n" + std::to_string(k)), Value::int32(static_cast<int32_t>(k / 100))});
    }
    Session spark = Session::builder().master("local[2]").get_or_create();
    spark.create_data_frame(*fact_, "id BIGINT, k BIGINT, v INT")
        .write()
        .mode("overwrite")
        .option("rowGroupMaxRows", "2000")
        .parquet((*dir_ / "fact").string());
    spark.create_data_frame(*dim_, "k BIGINT, grp INT, name STRING, sub INT")
        .write()
        .mode("overwrite")
        .parquet((*dir_ / "dim").string());
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete fact_;
    delete dim_;
  }

  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    spark_->conf().set("spark.sql.optimizer.runtime.bloomFilter.applicationSideScanSizeThreshold", "0");
    spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    spark_->read().parquet((*dir_ / "fact").string()).create_or_replace_temp_view("fact");
    spark_->read().parquet((*dir_ / "dim").string()).create_or_replace_temp_view("dim");
    db_.load("fact", "id INTEGER, k INTEGER, v INTEGER", *fact_);
    db_.load("dim", "k INTEGER, grp INTEGER, name TEXT, sub INTEGER", *dim_);
    // sqlite's outer joins loop over every pair without an index.
    db_.exec("CREATE INDEX fact_k ON fact(k)");
    db_.exec("CREATE INDEX dim_k ON dim(k)");
  }
  void TearDown() override {
    spark_->conf().unset(kEnabled);
    spark_->conf().unset("spark.sql.autoBroadcastJoinThreshold");
    spark_->conf().unset("spark.sql.optimizer.runtime.bloomFilter.applicationSideScanSizeThreshold");
  }

  struct Run {
    std::string explain;
    QueryMetrics metrics;
  };

  // Runs `sql` with runtime filters on and off; both answers must be sqlite's.
  std::pair<Run, Run> check(const std::string& sql) {
    Run on, off;
    const Table reference = db_.query(sql);
    for (bool enabled : {true, false}) {
      SCOPED_TRACE(enabled ? "runtime filters on" : "runtime filters off");
      spark_->conf().set(kEnabled, enabled ? "true" : "false");
      DataFrame df = spark_->sql(sql);
      Run& run = enabled ? on : off;
      run.explain = df.explain_string();
      expect_same_rows(to_table(df.collect()), reference, false);
      run.metrics = df.last_metrics();
    }
    EXPECT_EQ(off.explain.find("RuntimeFilter"), std::string::npos) << off.explain;
    EXPECT_EQ(off.metrics.runtime_filter_rows_filtered, 0);
    return {on, off};
  }

  static std::filesystem::path* dir_;
  static std::vector<std::vector<Value>>* fact_;
  static std::vector<std::vector<Value>>* dim_;
  std::unique_ptr<Session> spark_;
  SqliteReference db_;
};

std::filesystem::path* RuntimeFilterE2ETest::dir_ = nullptr;
std::vector<std::vector<Value>>* RuntimeFilterE2ETest::fact_ = nullptr;
std::vector<std::vector<Value>>* RuntimeFilterE2ETest::dim_ = nullptr;

int64_t operator_rows(const QueryMetrics& m, const std::string& name) {
  int64_t rows = 0;
  for (const auto& op : m.operators) {
    if (op.name == name) rows += op.rows_out;
  }
  return rows;
}

TEST_F(RuntimeFilterE2ETest, ShuffledJoinDropsProbeRowsBeforeTheExchange) {
  auto [on, off] = check(
      "SELECT d.grp, count(*) AS n, sum(f.v) AS s FROM fact f JOIN dim d ON f.k = d.k "
      "WHERE d.grp = 3 AND d.sub BETWEEN 10 AND 29 GROUP BY d.grp");
  EXPECT_NE(on.explain.find("RuntimeFilter [might_contain(bloom_filter_agg(k#"), std::string::npos)
      << on.explain;
  EXPECT_NE(on.explain.find("RuntimeFilters: [k#"), std::string::npos) << on.explain;
  // Fact keys 1000..2999 with grp 3: 286 keys, 10 rows each (less the null keys); everything else
  // is dropped by the ranges (whole row groups) or the bloom filter before the shuffle, but for
  // the bloom filter's false positives (3% of the 17,140 other rows in the range, at most 5%).
  EXPECT_GT(on.metrics.runtime_filter_row_groups_skipped, 0);
  EXPECT_GT(on.metrics.runtime_filter_rows_filtered, 0);
  EXPECT_LT(on.metrics.bytes_read, off.metrics.bytes_read);
  EXPECT_LE(operator_rows(on.metrics, "RuntimeFilter"), 2860 + 17140 / 20);
  EXPECT_LT(operator_rows(on.metrics, "ShuffleRead"), operator_rows(off.metrics, "ShuffleRead") / 5);
}

TEST_F(RuntimeFilterE2ETest, BroadcastJoinPrunesTheProbeScansRowGroupsByTheKeyRange) {
  spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "10485760");
  auto [on, off] = check(
      "SELECT f.id, f.v, d.name FROM fact f JOIN dim d ON f.k = d.k WHERE d.sub = 40 AND "
      "d.grp <> 1");
  EXPECT_NE(on.explain.find("BroadcastHashJoin"), std::string::npos) << on.explain;
  // The probe scan is right below the join: no bloom test, only the ranges for pruning.
  EXPECT_EQ(on.explain.find("RuntimeFilter ["), std::string::npos) << on.explain;
  EXPECT_NE(on.explain.find("BETWEEN min(k#"), std::string::npos) << on.explain;
  EXPECT_GT(on.metrics.runtime_filter_row_groups_skipped, 0);
  EXPECT_LT(on.metrics.bytes_read, off.metrics.bytes_read / 4);
}

TEST_F(RuntimeFilterE2ETest, LeftOuterJoinFiltersTheAggregatedRightSideByTheLeftKeys) {
  // TPC-H Q17's shape: the preserved left side's keys filter the right side's scan below its
  // aggregation.
  auto [on, off] = check(
      "SELECT d.k, d.name, s.total FROM dim d LEFT JOIN (SELECT k, sum(v) AS total, count(*) AS c FROM fact "
      "GROUP BY k) s "
      "ON d.k = s.k WHERE d.grp = 5 AND d.sub = 59");
  EXPECT_NE(on.explain.find("RuntimeFilter [might_contain"), std::string::npos) << on.explain;
  // Keys 5900..5999 live in the last row groups; the others are skipped whole, and the rest of
  // the rows (14 keys of grp 5, 10 rows each, and false positives) reach the aggregation.
  EXPECT_GT(on.metrics.runtime_filter_row_groups_skipped, 20);
  EXPECT_GT(on.metrics.runtime_filter_rows_filtered, 0);
  EXPECT_LT(operator_rows(on.metrics, "RuntimeFilter"), 400);
}

TEST_F(RuntimeFilterE2ETest, SemiAndAntiJoins) {
  auto [semi_on, semi_off] = check(
      "SELECT count(*) AS n, sum(v) AS s FROM fact WHERE k IN (SELECT k FROM dim WHERE grp = 2 AND sub < "
      "30)");
  EXPECT_GT(semi_on.metrics.runtime_filter_rows_filtered, 0);
  // Anti join: the right side may be filtered by the (filtered) left side's keys; the left side,
  // whose unmatched rows are the answer, never is.
  auto [anti_on, anti_off] = check(
      "SELECT count(*) AS n, sum(f.v) AS s FROM fact f WHERE f.v < 5 AND NOT EXISTS "
      "(SELECT 1 FROM dim d WHERE d.k = f.k AND d.grp = 4)");
  (void)anti_off;
  // Only dim rows (6,010) ever pass through a runtime filter here, never the 60,000 fact rows.
  EXPECT_LE(operator_rows(anti_on.metrics, "RuntimeFilter") + anti_on.metrics.runtime_filter_rows_filtered,
            6010);
}

TEST_F(RuntimeFilterE2ETest, OuterJoinsNeverFilterThePreservedSide) {
  // fact is preserved: every fact row comes out, matched or not.
  auto [left_on, left_off] = check(
      "SELECT count(*) AS n, count(d.name) AS named FROM fact f LEFT JOIN (SELECT * FROM dim WHERE grp = 1) "
      "d ON f.k = d.k");
  EXPECT_EQ(left_on.metrics.runtime_filter_rows_filtered, 0);
  auto [full_on, full_off] = check(
      "SELECT count(*) AS n, count(f.id) AS fact_rows FROM (SELECT * FROM fact WHERE id <= 3000) f "
      "FULL OUTER JOIN (SELECT * FROM dim WHERE grp = 1 AND k < 500) d ON f.k = d.k");
  EXPECT_EQ(full_on.explain.find("RuntimeFilter"), std::string::npos) << full_on.explain;
}

TEST_F(RuntimeFilterE2ETest, SmallApplicationScansAreLeftAlone) {
  spark_->conf().set("spark.sql.optimizer.runtime.bloomFilter.applicationSideScanSizeThreshold", "1g");
  auto [on, off] = check("SELECT count(*) AS n FROM fact f JOIN dim d ON f.k = d.k WHERE d.grp = 3");
  EXPECT_EQ(on.explain.find("RuntimeFilter"), std::string::npos) << on.explain;
}

}  // namespace
}  // namespace ember
