// ANALYZE TABLE against an independent answer: the column statistics it records for a warehouse
// table (read back through DESCRIBE EXTENDED t col) are compared with sqlite3's exact figures over
// the same rows (min, max, null count, average and maximum length; the distinct count within the
// HyperLogLog++ error of sqlite's count(DISTINCT)), the recorded size with the data files' bytes on
// disk, and the statistics' life: kept by a new session on the same warehouse, dropped by a write.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ember/ember.h"

#include "sqlite_reference.h"

namespace ember {
namespace {

namespace fs = std::filesystem;

class AnalyzeTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ =
        fs::temp_directory_path() / ("ember_analyze_" + std::to_string(::getpid()) + "_" +
                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(warehouse_);
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create().new_session());
    spark_->conf().set("spark.sql.warehouse.dir", warehouse_.string());
  }
  void TearDown() override { fs::remove_all(warehouse_); }

  // DESCRIBE EXTENDED t col as info_name -> info_value.
  std::map<std::string, std::string> column_stats(const Session& s, const std::string& table,
                                                  const std::string& col) {
    std::map<std::string, std::string> out;
    for (const Row& r : s.sql("DESCRIBE EXTENDED " + table + " " + col).collect()) {
      out[r[0].as_string()] = r[1].as_string();
    }
    return out;
  }

  // DESCRIBE EXTENDED t's Statistics row ("" when there is none).
  std::string statistics_row(const Session& s, const std::string& table) {
    for (const Row& r : s.sql("DESCRIBE EXTENDED " + table).collect()) {
      if (!r[0].is_null() && r[0].as_string() == "Statistics") return r[1].as_string();
    }
    return "";
  }

  fs::path warehouse_;
  std::unique_ptr<Session> spark_;
};

// Deterministic pseudo-random rows: ints with nulls, doubles, strings of 0..12 characters (some
// two-byte UTF-8, counted as one character by Spark's length and sqlite's), dates and booleans.
std::vector<std::vector<Value>> generated_rows(int n) {
  std::vector<std::vector<Value>> rows;
  uint64_t x = 88172645463325252ULL;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int r = 0; r < n; ++r) {
    const uint64_t a = next(), b = next(), c = next();
    Value i = a % 10 == 0 ? Value::null(DataType::int32())
                          : Value::int32(static_cast<int32_t>(a % 2000001) - 1000000);
    Value d = b % 7 == 0 ? Value::null(DataType::float64())
                         : Value::float64(static_cast<double>(b % 100000) / 64.0 - 500);
    Value s = Value::null(DataType::string());
    if (c % 9 != 0) {
      std::string text;
      const int len = static_cast<int>(c % 13);
      for (int k = 0; k < len; ++k)
        text += (c >> (k + 8)) % 5 == 0 ? "\xC3\xA9"
                                        : std::string(1, static_cast<char>('a' + (c >> (k * 2)) % 26));
      s = Value::string(text);
    }
    Value dt = Value::date(static_cast<int32_t>(18000 + a % 3000));
    Value flag = c % 11 == 0 ? Value::null(DataType::boolean()) : Value::boolean((b >> 3) % 2 == 0);
    rows.push_back({i, d, s, dt, flag});
  }
  return rows;
}

TEST_F(AnalyzeTableTest, ColumnStatisticsMatchSqlite) {
  const auto rows = generated_rows(20000);
  const std::string ddl = "i INT, d DOUBLE, s STRING, dt DATE, flag BOOLEAN";
  spark_->create_data_frame(rows, ddl).create_or_replace_temp_view("src");
  spark_->sql("CREATE TABLE gen USING parquet AS SELECT * FROM src");
  spark_->sql("ANALYZE TABLE gen COMPUTE STATISTICS FOR ALL COLUMNS");

  testing::SqliteReference ref;
  // Booleans as 0/1 (sqlite has no boolean); dates as ISO text, which orders as the dates do.
  std::vector<std::vector<Value>> sqlite_rows;
  for (const auto& r : rows) {
    auto copy = r;
    if (!copy[4].is_null()) copy[4] = Value::int32(copy[4].as_bool() ? 1 : 0);
    sqlite_rows.push_back(copy);
  }
  ref.load("gen", "i INTEGER, d REAL, s TEXT, dt TEXT, flag INTEGER", sqlite_rows);
  auto scalar = [&](const std::string& sql) { return ref.query(sql).at(0).at(0); };

  EXPECT_EQ(statistics_row(*spark_, "gen").find(", 20000 rows") != std::string::npos, true)
      << statistics_row(*spark_, "gen");

  for (const std::string col : {"i", "d", "s", "dt", "flag"}) {
    SCOPED_TRACE(col);
    auto st = column_stats(*spark_, "gen", col);
    EXPECT_EQ(st["num_nulls"], std::to_string(scalar("SELECT count(*) - count(" + col + ") FROM gen").i));
    const double exact = static_cast<double>(scalar("SELECT count(DISTINCT " + col + ") FROM gen").i);
    const double ndv = std::stod(st["distinct_count"]);
    // spark.sql.statistics.ndv.maxError = 0.05 is HLL++'s relative standard deviation: three of
    // them bound the error of any one estimate in practice.
    EXPECT_LE(std::fabs(ndv - exact), std::max(1.0, 3 * 0.05 * exact))
        << "exact " << exact << ", hll " << ndv;
    EXPECT_EQ(st["histogram"], "NULL");
  }

  // Bounds: exact, printed as Spark's CatalogColumnStat prints them.
  auto i = column_stats(*spark_, "gen", "i");
  EXPECT_EQ(i["min"], std::to_string(scalar("SELECT min(i) FROM gen").i));
  EXPECT_EQ(i["max"], std::to_string(scalar("SELECT max(i) FROM gen").i));
  EXPECT_EQ(i["avg_col_len"], "4");
  EXPECT_EQ(i["max_col_len"], "4");
  auto d = column_stats(*spark_, "gen", "d");
  EXPECT_EQ(std::stod(d["min"]), scalar("SELECT min(d) FROM gen").d);
  EXPECT_EQ(std::stod(d["max"]), scalar("SELECT max(d) FROM gen").d);
  EXPECT_EQ(d["avg_col_len"], "8");
  auto dt = column_stats(*spark_, "gen", "dt");
  EXPECT_EQ(dt["min"], scalar("SELECT min(dt) FROM gen").s);
  EXPECT_EQ(dt["max"], scalar("SELECT max(dt) FROM gen").s);
  auto flag = column_stats(*spark_, "gen", "flag");
  EXPECT_EQ(flag["min"], scalar("SELECT min(flag) FROM gen").i == 0 ? "false" : "true");
  EXPECT_EQ(flag["max"], scalar("SELECT max(flag) FROM gen").i == 0 ? "false" : "true");
  EXPECT_EQ(flag["avg_col_len"], "1");
  // Strings: no bounds; lengths in characters, the average rounded up.
  auto s = column_stats(*spark_, "gen", "s");
  EXPECT_EQ(s["min"], "NULL");
  EXPECT_EQ(s["max"], "NULL");
  EXPECT_EQ(s["avg_col_len"],
            std::to_string(static_cast<int64_t>(std::ceil(scalar("SELECT avg(length(s)) FROM gen").d))));
  EXPECT_EQ(s["max_col_len"], std::to_string(scalar("SELECT max(length(s)) FROM gen").i));
}

TEST_F(AnalyzeTableTest, SizeIsTheDataFilesBytesAndSurvivesANewSession) {
  spark_->sql("CREATE TABLE t USING parquet PARTITIONED BY (p) AS SELECT id, id % 3 AS p FROM range(1000)");
  spark_->sql("ANALYZE TABLE t COMPUTE STATISTICS FOR COLUMNS id");
  // The bytes of the data files (not _SUCCESS or checksums), summed over the partition directories.
  int64_t bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(warehouse_ / "t")) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name[0] != '_' && name[0] != '.') bytes += static_cast<int64_t>(e.file_size());
  }
  ASSERT_GT(bytes, 0);
  EXPECT_EQ(statistics_row(*spark_, "t"), std::to_string(bytes) + " bytes, 1000 rows");

  // Another session on the same warehouse reads them from the catalog, and its estimator uses them:
  // 1000 rows; id = 5 is one row of 1000 distinct.
  Session other = spark_->new_session();
  other.conf().set("spark.sql.warehouse.dir", warehouse_.string());
  EXPECT_EQ(statistics_row(other, "t"), std::to_string(bytes) + " bytes, 1000 rows");
  EXPECT_EQ(column_stats(other, "t", "id")["max"], "999");
  const std::string cost =
      other.sql("EXPLAIN COST SELECT id FROM t WHERE id = 5").collect()[0][0].as_string();
  EXPECT_NE(cost.find("rowCount=1)"), std::string::npos) << cost;
  EXPECT_NE(cost.find("rowCount=1.00E+3)"), std::string::npos) << cost;

  // INSERT OVERWRITE makes them untrue: dropped (Spark's default, autoUpdate off).
  other.sql("INSERT OVERWRITE t SELECT id, 0 FROM range(5)");
  EXPECT_EQ(statistics_row(*spark_, "t"), "");
  EXPECT_EQ(column_stats(*spark_, "t", "id")["max"], "NULL");
}

TEST_F(AnalyzeTableTest, NoscanKeepsOrDropsAsSparkDoes) {
  spark_->sql("CREATE TABLE n USING parquet AS SELECT id FROM range(100)");
  spark_->sql("ANALYZE TABLE n COMPUTE STATISTICS FOR COLUMNS id");
  const std::string full = statistics_row(*spark_, "n");
  // Same files: NOSCAN and a plain ANALYZE find nothing new, so the column statistics stay.
  spark_->sql("ANALYZE TABLE n COMPUTE STATISTICS NOSCAN");
  spark_->sql("ANALYZE TABLE n COMPUTE STATISTICS");
  EXPECT_EQ(statistics_row(*spark_, "n"), full);
  EXPECT_EQ(column_stats(*spark_, "n", "id")["distinct_count"], "100");
  // New files (written behind the catalog's back, as another engine would): a new size starts the
  // statistics over, without the row count NOSCAN cannot know.
  spark_->range(50).write().mode("append").parquet((warehouse_ / "n").string());
  spark_->sql("ANALYZE TABLE n COMPUTE STATISTICS NOSCAN");
  const std::string size_only = statistics_row(*spark_, "n");
  EXPECT_EQ(size_only.find("rows"), std::string::npos) << size_only;
  EXPECT_NE(size_only, full);
  EXPECT_EQ(column_stats(*spark_, "n", "id")["distinct_count"], "NULL");
  spark_->sql("ANALYZE TABLE n COMPUTE STATISTICS");
  EXPECT_EQ(statistics_row(*spark_, "n"), size_only + ", 150 rows");
}

TEST_F(AnalyzeTableTest, CatalogEntryWithStatisticsOfADroppedColumnStillLoads) {
  spark_->sql("CREATE TABLE c (a INT, b STRING) USING parquet");
  spark_->sql("INSERT INTO c VALUES (1, 'x'), (2, NULL)");
  spark_->sql("ANALYZE TABLE c COMPUTE STATISTICS FOR ALL COLUMNS");
  // Edit the entry by hand: a statistics line for a column the schema does not have, and one that
  // does not parse. Statistics only steer planning, so both are ignored rather than fatal.
  const fs::path entry = warehouse_ / ".ember_catalog" / "c.table";
  {
    std::ofstream out(entry, std::ios::app);
    out << "stats.col.gone.min\t7\nstats.col.a.max\tnot-a-number\n";
  }
  EXPECT_EQ(column_stats(*spark_, "c", "a")["max"], "NULL");
  EXPECT_EQ(column_stats(*spark_, "c", "a")["min"], "1");
  EXPECT_EQ(column_stats(*spark_, "c", "b")["num_nulls"], "1");
  EXPECT_EQ(column_stats(*spark_, "c", "b")["max_col_len"], "1");
}

TEST_F(AnalyzeTableTest, CachedTempViewKeepsColumnStatisticsForTheSession) {
  // A DataFrame cached through the API, then named: ANALYZE finds its cached data, and the
  // DataFrame's own plans (which read the cache) see them. k = id % 10 over 0..999 lies in [0, 9].
  DataFrame df = spark_->sql("SELECT id % 10 AS k FROM range(1000)");
  df.cache();
  df.create_or_replace_temp_view("cv");
  auto df_cost = [&] { return df.filter(functions::col("k") == 20).explain_string("cost"); };
  EXPECT_NE(df_cost().find("rowCount=100)"), std::string::npos) << df_cost();
  spark_->sql("ANALYZE TABLE cv COMPUTE STATISTICS FOR COLUMNS k");
  EXPECT_NE(df_cost().find("rowCount=0)"), std::string::npos) << df_cost();
  // DESCRIBE reads the catalog only, as Spark's does: a temp view's column shows no statistics.
  EXPECT_EQ(column_stats(*spark_, "cv", "k")["distinct_count"], "NULL");

  // CACHE TABLE's view: the estimator reads the statistics from the cached relation.
  spark_->sql("CREATE TEMP VIEW tv AS SELECT id % 10 AS k FROM range(1000)");
  spark_->sql("CACHE TABLE tv");
  // Before: k is computed, so nothing bounds it and k = 20 keeps the default tenth of 1000 rows.
  auto cost = [&] {
    return spark_->sql("EXPLAIN COST SELECT k FROM tv WHERE k = 20").collect()[0][0].as_string();
  };
  EXPECT_NE(cost().find("rowCount=100)"), std::string::npos) << cost();
  spark_->sql("ANALYZE TABLE tv COMPUTE STATISTICS FOR COLUMNS k");
  // After: 20 lies outside [0, 9].
  EXPECT_NE(cost().find("rowCount=0)"), std::string::npos) << cost();
  EXPECT_EQ(spark_->sql("SELECT count(*) FROM tv WHERE k = 20").collect()[0][0].as_int64(), 0);
}

}  // namespace
}  // namespace ember
