// Late materialisation: a Parquet scan evaluates the simple conjuncts of the filter above it while
// it reads, and decodes its other columns only at the rows that survive. The answers must be the
// rows sqlite3 selects from the same data, and the rows with the scan filter switched off
// (spark.ember.parquet.lateMaterialization=false); the scan's counters must match what the data
// implies. The file has pages of 100 rows, so filters cut pages, select nothing inside a page,
// or select rows at page boundaries.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "ember/ember.h"
#include "ember/types/temporal.h"

#include "e2e/sqlite_reference.h"

namespace ember {
namespace {

using namespace ember::functions;
using testing::expect_same_rows;
using testing::SqliteReference;
using testing::to_table;
namespace fs = std::filesystem;

constexpr int kRows = 5000;

class ParquetLateMaterializationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ember_latemat_e2e_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    // get_or_create may hand back a session an earlier test configured.
    spark_->conf().set("spark.ember.parquet.lateMaterialization", "true");
    // tags a, c, e only: `tag = 'b'` lies inside every page's [min, max] but matches nothing.
    const char* tags[] = {"a", "c", "e"};
    testing::TestRandom next(11);
    std::ofstream csv(dir_ / "t.csv");
    csv << "id,k,price,tag,day\n";
    for (int i = 0; i < kRows; ++i) {
      Value k = next() % 13 == 0 ? Value::null(DataType::int32())
                                 : Value::int32(static_cast<int32_t>(next() % 100));
      Value price = next() % 17 == 0 ? Value::null(DataType::float64())
                                     : Value::float64(static_cast<double>(next() % 40000) / 4);
      Value tag = next() % 11 == 0 ? Value::null(DataType::string()) : Value::string(tags[next() % 3]);
      Value day = Value::date(days_from_civil(2020, 1, 1) + static_cast<int32_t>(next() % 1000));
      rows_.push_back({Value::int32(i), k, price, tag, day});
      auto text = [](const Value& v) { return v.is_null() ? std::string() : v.to_string(); };
      csv << i << "," << text(k) << "," << text(price) << "," << text(tag) << "," << text(day) << "\n";
    }
    csv.close();
    db_.load("t", "id INTEGER, k INTEGER, price REAL, tag TEXT, day TEXT", rows_);
    // One file, one task, rows in id order, pages of 100 rows.
    spark_->read()
        .option("header", "true")
        .schema("id INT, k INT, price DOUBLE, tag STRING, day DATE")
        .csv((dir_ / "t.csv").string())
        .coalesce(1)
        .write()
        .option("parquet.page.row.count.limit", "100")
        .parquet((dir_ / "t").string());
    spark_->read().parquet((dir_ / "t").string()).create_or_replace_temp_view("t");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The query's rows equal sqlite's (for `sqlite_sql`, when its dialect differs), with and
  // without the scan filter.
  void check(const std::string& sql, const std::string& sqlite_sql = "") {
    SCOPED_TRACE(sql);
    auto reference = db_.query(sqlite_sql.empty() ? sql : sqlite_sql);
    spark_->conf().set("spark.ember.parquet.lateMaterialization", "true");
    expect_same_rows(to_table(spark_->sql(sql).collect()), reference, false);
    spark_->conf().set("spark.ember.parquet.lateMaterialization", "false");
    expect_same_rows(to_table(spark_->sql(sql).collect()), reference, false);
    spark_->conf().set("spark.ember.parquet.lateMaterialization", "true");
  }
  int64_t reference_count(const std::string& where) {
    auto rows = db_.query("SELECT count(*) FROM t WHERE " + where);
    return rows.at(0).at(0).i;
  }

  fs::path dir_;
  std::unique_ptr<Session> spark_;
  std::vector<std::vector<Value>> rows_;
  SqliteReference db_;
};

TEST_F(ParquetLateMaterializationTest, SameRowsAsSqliteWithAndWithoutTheScanFilter) {
  // The filter column projected, and not.
  check("SELECT id, k, price FROM t WHERE k < 10");
  check("SELECT id, price, tag FROM t WHERE k < 10");
  // Rows at the page boundaries 1100 and 1200 (pages of 100 rows).
  check("SELECT id, price, tag FROM t WHERE id >= 1099 AND id <= 1101");
  check("SELECT id, tag FROM t WHERE id IN (99, 100, 1199, 1200, 4999)");
  // Nothing: statistics cannot rule the value out ('b' lies between 'a' and 'e').
  check("SELECT id, price FROM t WHERE tag = 'b'");
  check("SELECT id, price FROM t WHERE k = 50 AND price = 0.125");
  // Everything.
  check("SELECT id, k, price, tag FROM t WHERE id >= 0");
  // Strings, doubles and nulls; conjuncts reordered (numbers first) must not change the rows.
  check("SELECT id, k FROM t WHERE tag = 'c' AND price > 5000");
  check("SELECT id, price FROM t WHERE tag IS NULL AND k IS NOT NULL");
  check("SELECT id, tag FROM t WHERE price IS NULL OR price < 100");
  check("SELECT id FROM t WHERE k IN (1, 2, 3) AND NOT (tag = 'a')");
  check("SELECT id, day FROM t WHERE day >= DATE '2021-06-01' AND day < DATE '2021-07-01' AND k < 50",
        "SELECT id, day FROM t WHERE day >= '2021-06-01' AND day < '2021-07-01' AND k < 50");
  // A conjunct the scan does not take stays in the filter above it.
  check("SELECT id, price FROM t WHERE k < 50 AND id % 7 = 0");
  check("SELECT tag, count(*), sum(k) FROM t WHERE k > 90 GROUP BY tag");
}

TEST_F(ParquetLateMaterializationTest, PartitionColumnsAndColumnsAFileLacks) {
  const fs::path out = dir_ / "parts";
  auto t = spark_->read().parquet((dir_ / "t").string());
  t.filter(col("id") < 2500).select("id", "k", "price").write().parquet((out / "part=1").string());
  t.filter(col("id") >= 2500).select("id", "tag", "price").write().parquet((out / "part=2").string());
  spark_->read().option("mergeSchema", "true").parquet(out.string()).create_or_replace_temp_view("p");
  // k exists only in part=1's file and tag only in part=2's: elsewhere the filter column reads as
  // nulls. The partition column is a constant beside the filtered rows.
  check("SELECT id, price, part FROM p WHERE k < 10",
        "SELECT id, price, 1 FROM t WHERE k < 10 AND id < 2500");
  check("SELECT id, part FROM p WHERE k IS NULL AND price > 9000",
        "SELECT id, CASE WHEN id < 2500 THEN 1 ELSE 2 END FROM t WHERE (id >= 2500 OR k IS NULL) AND price > "
        "9000");
  check("SELECT id, k, part FROM p WHERE tag = 'c' AND part = 2",
        "SELECT id, NULL, 2 FROM t WHERE tag = 'c' AND id >= 2500");
  check("SELECT id, tag FROM p WHERE price < 500 AND part = 1",
        "SELECT id, NULL FROM t WHERE price < 500 AND id < 2500");
  const std::string plan = spark_->sql("SELECT id, part FROM p WHERE k < 10 AND part = 1").explain_string();
  EXPECT_NE(plan.find("ScanFilters: [(k#"), std::string::npos) << plan;
  EXPECT_NE(plan.find("PartitionFilters: [(part#"), std::string::npos) << plan;
}

TEST_F(ParquetLateMaterializationTest, ExplainShowsWhereTheFilterRuns) {
  std::string plan = spark_->sql("SELECT id, price FROM t WHERE k < 10").explain_string();
  EXPECT_NE(plan.find("ScanFilters: [(k#"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Filter ("), std::string::npos) << plan;
  plan = spark_->sql("SELECT id, price FROM t WHERE k < 50 AND id % 7 = 0").explain_string();
  EXPECT_NE(plan.find("ScanFilters: [(k#"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Filter ((id#"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Filter ((k#"), std::string::npos) << plan;
  spark_->conf().set("spark.ember.parquet.lateMaterialization", "false");
  plan = spark_->sql("SELECT id, price FROM t WHERE k < 10").explain_string();
  EXPECT_EQ(plan.find("ScanFilters"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Filter (k#"), std::string::npos) << plan;
  spark_->conf().set("spark.ember.parquet.lateMaterialization", "true");
}

TEST_F(ParquetLateMaterializationTest, CountersMatchTheData) {
  // k is read whole; id and price are read only at the rows where k < 10, so each dropped row
  // leaves two values undecoded.
  auto df = spark_->sql("SELECT id, price FROM t WHERE k < 10");
  const auto rows = static_cast<int64_t>(df.collect().size());
  const int64_t matching = reference_count("k < 10");
  ASSERT_EQ(rows, matching);
  const QueryMetrics& m = df.last_metrics();
  EXPECT_EQ(m.scan_filter_rows_filtered, kRows - matching);
  EXPECT_EQ(m.scan_filter_values_skipped, 2 * (kRows - matching));
  EXPECT_NE(m.to_string().find("scan filters dropped " + std::to_string(kRows - matching) + " rows"),
            std::string::npos)
      << m.to_string();

  // Two stages: k (whole), then price at the rows k < 10 kept; id at the final selection.
  auto two = spark_->sql("SELECT id FROM t WHERE k < 10 AND price > 5000");
  const auto two_rows = static_cast<int64_t>(two.collect().size());
  ASSERT_EQ(two_rows, reference_count("k < 10 AND price > 5000"));
  EXPECT_EQ(two.last_metrics().scan_filter_rows_filtered, kRows - two_rows);
  EXPECT_EQ(two.last_metrics().scan_filter_values_skipped, (kRows - matching) + (kRows - two_rows));

  // Nothing selected: every value of id and price is skipped.
  auto none = spark_->sql("SELECT id, price FROM t WHERE tag = 'b'");
  EXPECT_EQ(none.collect().size(), 0u);
  EXPECT_EQ(none.last_metrics().scan_filter_rows_filtered, kRows);
  EXPECT_EQ(none.last_metrics().scan_filter_values_skipped, 2 * kRows);
}

}  // namespace
}  // namespace ember
