// End-to-end Parquet datasets through the DataFrame API: partitioned writes in Spark's layout,
// reads with partition discovery, partition and row-group pruning (checked in explain and in the
// answers, which sqlite3 computes independently from the same rows), modes, codecs, mergeSchema.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "e2e/sqlite_reference.h"
#include "ember/ember.h"
#include "ember/types/temporal.h"

namespace ember {
namespace {

using namespace ember::functions;
using testing::expect_same_rows;
using testing::SqliteReference;
using testing::to_table;
namespace fs = std::filesystem;

class ParquetDatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ember_parquet_e2e_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    const char* regions[] = {"EU", "US", "APAC"};
    testing::TestRandom next(3);
    std::ofstream csv(dir_ / "sales.csv");
    csv << "id,year,region,amount,day\n";
    for (int i = 0; i < 3000; ++i) {
      Value year = Value::int32(2022 + static_cast<int32_t>(next() % 3));
      Value region = next() % 41 == 0 ? Value::null(DataType::string()) : Value::string(regions[next() % 3]);
      Value amount = next() % 19 == 0 ? Value::null(DataType::float64()) : Value::float64(static_cast<double>(next() % 10000) / 4);
      Value day = Value::date(days_from_civil(2022, 1, 1) + static_cast<int32_t>(next() % 900));
      rows_.push_back({Value::int32(i), year, region, amount, day});
      auto text = [](const Value& v) { return v.is_null() ? std::string() : v.to_string(); };
      csv << i << "," << text(year) << "," << text(region) << "," << text(amount) << "," << text(day) << "\n";
    }
    csv.close();
    db_.load("sales", "id INTEGER, year INTEGER, region TEXT, amount REAL, day TEXT", rows_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  DataFrame sales() const {
    return spark_->read().option("header", "true").schema("id INT, year INT, region STRING, amount DOUBLE, day DATE")
        .csv((dir_ / "sales.csv").string());
  }
  void check(const DataFrame& df, const std::string& sql) { expect_same_rows(to_table(df.collect()), db_.query(sql), false); }

  static std::vector<std::string> files_under(const fs::path& root, const std::string& suffix) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      std::string name = e.path().filename().string();
      if (e.is_regular_file() && name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        out.push_back(fs::relative(e.path(), root).string());
      }
    }
    return out;
  }

  fs::path dir_;
  std::vector<std::vector<Value>> rows_;
  std::unique_ptr<Session> spark_;
  SqliteReference db_;
};

TEST_F(ParquetDatasetTest, RoundTripKeepsEveryRowAndType) {
  const std::string out = (dir_ / "plain").string();
  sales().write().parquet(out);
  EXPECT_TRUE(fs::exists(fs::path(out) / "_SUCCESS"));
  auto parts = files_under(out, ".snappy.parquet");
  ASSERT_FALSE(parts.empty());
  EXPECT_EQ(parts[0].rfind("part-", 0), 0u) << parts[0];
  auto back = spark_->read().parquet(out);
  EXPECT_EQ(back.schema().to_ddl(), "id int, year int, region string, amount double, day date");
  check(back, "SELECT * FROM sales");
}

TEST_F(ParquetDatasetTest, PartitionedWriteDiscoversAndPrunesPartitions) {
  const std::string out = (dir_ / "by_year_region").string();
  sales().write().partition_by("year", "region").parquet(out);
  EXPECT_TRUE(fs::is_directory(fs::path(out) / "year=2023" / "region=EU"));
  // A null partition value goes to Spark's default partition directory.
  EXPECT_TRUE(fs::is_directory(fs::path(out) / "year=2023" / "region=__HIVE_DEFAULT_PARTITION__"));
  auto back = spark_->read().parquet(out);
  // Partition columns come last, with inferred types.
  EXPECT_EQ(back.schema().to_ddl(), "id int, amount double, day date, year int, region string");
  check(back.select("id", "year", "region", "amount", "day"), "SELECT * FROM sales");

  auto pruned = back.filter(col("year") == 2024 && col("region") == "EU");
  std::string plan = pruned.explain_string();
  EXPECT_NE(plan.find("PartitionFilters: ["), std::string::npos) << plan;
  EXPECT_EQ(plan.find("PartitionFilters: []"), std::string::npos) << plan;
  // 3 years x 4 region directories (EU, US, APAC, null): one is read.
  size_t files = files_under(out, ".parquet").size();
  EXPECT_NE(plan.find("SelectedFiles: 1 of " + std::to_string(files)), std::string::npos) << plan;
  check(pruned.select("id", "amount"), "SELECT id, amount FROM sales WHERE year = 2024 AND region = 'EU'");
  check(back.filter(col("region").is_null()).select("id"), "SELECT id FROM sales WHERE region IS NULL");
}

TEST_F(ParquetDatasetTest, RowGroupStatisticsSkipRowGroups) {
  const std::string out = (dir_ / "small_groups").string();
  // One task, rows in id order, 100 rows per row group: 30 row groups with disjoint id ranges.
  sales().coalesce(1).write().option("rowGroupMaxRows", "100").parquet(out);
  auto back = spark_->read().parquet(out);
  auto df = back.filter(col("id") >= 250 && col("id") < 420);
  std::string plan = df.explain_string();
  // ids 250..419 lie in the row groups of 200-299, 300-399 and 400-499.
  EXPECT_NE(plan.find("SelectedRowGroups: 3 of 30"), std::string::npos) << plan;
  check(df, "SELECT * FROM sales WHERE id >= 250 AND id < 420");
  auto in_list = back.filter(col("id").isin({lit(5), lit(2999)}));
  EXPECT_NE(in_list.explain_string().find("SelectedRowGroups: 2 of 30"), std::string::npos) << in_list.explain_string();
  check(in_list, "SELECT * FROM sales WHERE id IN (5, 2999)");
}

TEST_F(ParquetDatasetTest, PageIndexSkipsPagesOfASortedColumn) {
  const std::string out = (dir_ / "small_pages").string();
  // One task, rows in id order: one row group of 3000 rows in pages of 100 rows, with the page
  // index (column and offset index) the writer always adds.
  sales().coalesce(1).write().option("parquet.page.row.count.limit", "100").parquet(out);
  auto back = spark_->read().parquet(out);

  // A filter the statistics cannot narrow reads every page of every column.
  auto everything = back.filter(col("amount").is_null() || col("amount") >= 0);
  check(everything, "SELECT * FROM sales WHERE amount IS NULL OR amount >= 0");
  const int64_t all_bytes = everything.last_metrics().bytes_read;

  auto df = back.filter(col("id") >= 250 && col("id") < 420);
  std::string plan = df.explain_string();
  // ids 250..419 lie in the pages of rows 200-299, 300-399 and 400-499.
  EXPECT_NE(plan.find("SelectedRowGroups: 1 of 1, PageIndexSelectedRows: 300 of 3000 in 1 row groups"),
            std::string::npos)
      << plan;
  check(df, "SELECT * FROM sales WHERE id >= 250 AND id < 420");
  const int64_t pruned_bytes = df.last_metrics().bytes_read;
  // 3 of 30 pages of each column (plus the footer and dictionaries): far less than a tenth of
  // the column bytes would be exact; a third leaves room for the footer of this small file.
  EXPECT_GT(pruned_bytes, 0);
  EXPECT_LT(pruned_bytes * 3, all_bytes) << pruned_bytes << " of " << all_bytes;

  // Pages ruled out by two conjuncts on different columns intersect; rows past the last page
  // that may match are never read.
  auto both = back.filter(col("id") < 150 && col("id").isin({lit(5), lit(120), lit(2999)}));
  check(both, "SELECT * FROM sales WHERE id < 150 AND id IN (5, 120, 2999)");
  auto none = back.filter(col("id") > 5000);
  EXPECT_NE(none.explain_string().find("SelectedRowGroups: 0 of 1"), std::string::npos)
      << none.explain_string();
  EXPECT_EQ(none.count(), 0);
}

TEST_F(ParquetDatasetTest, ModesAndCodecs) {
  const std::string out = (dir_ / "modes").string();
  sales().filter(col("year") == 2022).write().option("compression", "gzip").parquet(out);
  EXPECT_FALSE(files_under(out, ".gz.parquet").empty());
  // error (default) refuses an existing target and leaves it as it was.
  EXPECT_THROW(sales().write().parquet(out), EmberError);
  check(spark_->read().parquet(out), "SELECT * FROM sales WHERE year = 2022");
  sales().filter(col("year") == 2023).write().mode("append").option("compression", "zstd").parquet(out);
  check(spark_->read().parquet(out), "SELECT * FROM sales WHERE year IN (2022, 2023)");
  sales().filter(col("year") == 2024).write().mode("overwrite").option("compression", "none").parquet(out);
  check(spark_->read().parquet(out), "SELECT * FROM sales WHERE year = 2024");
  EXPECT_THROW(sales().write().option("compression", "brotli-ish").parquet((dir_ / "bad").string()), EmberError);
  EXPECT_FALSE(fs::exists(dir_ / "bad"));
}

TEST_F(ParquetDatasetTest, MergeSchemaUnionsColumnsAndMissingColumnsReadAsNull) {
  const std::string out = (dir_ / "evolving").string();
  sales().filter(col("id") < 10).select("id", "amount").write().parquet((fs::path(out) / "part=1").string());
  sales().filter(col("id") >= 10 && col("id") < 20).select("id", "region").write().parquet((fs::path(out) / "part=2").string());
  auto merged = spark_->read().option("mergeSchema", "true").parquet(out);
  EXPECT_EQ(merged.schema().to_ddl(), "id int, amount double, region string, part int");
  check(merged.select("id", "amount", "region", "part"),
        "SELECT id, CASE WHEN id < 10 THEN amount END, CASE WHEN id >= 10 THEN region END, "
        "CASE WHEN id < 10 THEN 1 ELSE 2 END FROM sales WHERE id < 20");
}

TEST_F(ParquetDatasetTest, ConflictingColumnTypesNameTheFiles) {
  const std::string out = (dir_ / "conflict").string();
  sales().select("id").write().parquet((fs::path(out) / "a").string());
  sales().select(col("id").cast("string").alias("id")).write().parquet((fs::path(out) / "b").string());
  try {
    spark_->read().option("mergeSchema", "true").parquet(out);
    FAIL() << "expected a schema conflict";
  } catch (const EmberError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("'id'"), std::string::npos) << msg;
    EXPECT_NE(msg.find(".parquet"), std::string::npos) << msg;
  }
}

TEST_F(ParquetDatasetTest, MaxRecordsPerFileSplitsFiles) {
  const std::string out = (dir_ / "capped").string();
  sales().coalesce(1).write().option("maxRecordsPerFile", "700").parquet(out);
  auto parts = files_under(out, ".parquet");
  std::sort(parts.begin(), parts.end());
  // 3000 rows in one task: c000..c004, the last with 200 rows.
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_NE(parts[0].find("-c000.snappy.parquet"), std::string::npos) << parts[0];
  EXPECT_NE(parts[4].find("-c004.snappy.parquet"), std::string::npos) << parts[4];
  for (const auto& p : parts) {
    int64_t n = spark_->read().parquet((fs::path(out) / p).string()).count();
    EXPECT_LE(n, 700) << p;
  }
  check(spark_->read().parquet(out), "SELECT * FROM sales");
}

TEST_F(ParquetDatasetTest, DynamicPartitionOverwriteReplacesOnlyNewPartitions) {
  const std::string out = (dir_ / "dynamic").string();
  sales().write().partition_by("year").parquet(out);
  // New data for 2024 only: static overwrite would drop 2022 and 2023.
  auto update = sales().filter(col("year") == 2024 && col("id") < 100);
  update.write().mode("overwrite").option("partitionOverwriteMode", "dynamic").partition_by("year").parquet(out);
  check(spark_->read().parquet(out).select("id", "year"),
        "SELECT id, year FROM sales WHERE year <> 2024 OR id < 100");
  EXPECT_TRUE(fs::exists(fs::path(out) / "_SUCCESS"));
  // The session setting works too, and static (the default) replaces everything.
  spark_->conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
  sales().filter(col("year") == 2022 && col("id") < 50).write().mode("overwrite").partition_by("year").parquet(out);
  check(spark_->read().parquet(out).select("id", "year"),
        "SELECT id, year FROM sales WHERE (year = 2022 AND id < 50) OR (year = 2023) OR (year = 2024 AND id < 100)");
  spark_->conf().set("spark.sql.sources.partitionOverwriteMode", "static");
  sales().filter(col("year") == 2023 && col("id") < 10).write().mode("overwrite").partition_by("year").parquet(out);
  check(spark_->read().parquet(out).select("id", "year"), "SELECT id, year FROM sales WHERE year = 2023 AND id < 10");
}

TEST_F(ParquetDatasetTest, ReadingAMissingPathFails) {
  EXPECT_THROW(spark_->read().parquet((dir_ / "nope").string()), EmberError);
  fs::create_directories(dir_ / "empty");
  EXPECT_THROW(spark_->read().parquet((dir_ / "empty").string()), EmberError);
}

}  // namespace
}  // namespace ember
