// Warehouse tables through SQL: CREATE TABLE [AS], INSERT INTO/OVERWRITE, DROP TABLE, SHOW TABLES,
// against a scratch spark.sql.warehouse.dir. Expected values are hand-computed from the inserted
// rows; the file layout is Spark's (partition directories, _SUCCESS).
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "ember/ember.h"

namespace ember {
namespace {

namespace fs = std::filesystem;

class SqlTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ = fs::temp_directory_path() / ("ember_wh_" + std::to_string(::getpid()) + "_" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(warehouse_);
    // A session of its own: no temp views or settings left by other tests in this process.
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create().new_session());
    spark_->conf().set("spark.sql.warehouse.dir", warehouse_.string());
  }
  void TearDown() override {
    spark_->conf().unset("spark.sql.warehouse.dir");
    spark_->conf().unset("spark.sql.sources.partitionOverwriteMode");
    fs::remove_all(warehouse_);
  }

  std::vector<std::string> rows(const std::string& query) const {
    std::vector<std::string> out;
    for (const Row& r : spark_->sql(query).collect()) out.push_back(r.to_string());
    return out;
  }

  std::string error_of(const std::string& statement) const {
    try {
      spark_->sql(statement).collect();
    } catch (const EmberError& e) {
      return e.error_class() + ": " + e.what();
    }
    return "no error";
  }

  fs::path warehouse_;
  std::unique_ptr<Session> spark_;
};

TEST_F(SqlTablesTest, CreateTableAsSelectPartitionedThenInsert) {
  spark_->sql(
      "CREATE TABLE sales USING parquet PARTITIONED BY (region) AS "
      "SELECT id, CAST(id * 10 AS DECIMAL(10,2)) AS amount, CASE WHEN id % 2 = 0 THEN 'EU' ELSE 'US' END AS region FROM range(6)");
  // Spark's layout: one directory per partition value under <warehouse>/sales, and _SUCCESS.
  EXPECT_TRUE(fs::exists(warehouse_ / "sales" / "_SUCCESS"));
  EXPECT_TRUE(fs::is_directory(warehouse_ / "sales" / "region=EU"));
  EXPECT_TRUE(fs::is_directory(warehouse_ / "sales" / "region=US"));

  // By position, cast to the table's types: 5.5 becomes DECIMAL(10,2), 100 a BIGINT.
  spark_->sql("INSERT INTO sales VALUES (100, 5.5, 'APAC')");
  spark_->sql("INSERT INTO TABLE sales SELECT 101, 1, 'EU'");
  EXPECT_EQ(rows("SELECT region, count(*) AS n, sum(amount) AS total FROM sales GROUP BY region ORDER BY region"),
            (std::vector<std::string>{"Row(region='APAC', n=1, total=5.50)", "Row(region='EU', n=4, total=61.00)",
                                      "Row(region='US', n=3, total=90.00)"}));
  EXPECT_EQ(rows("DESCRIBE sales"),
            (std::vector<std::string>{"Row(col_name='id', data_type='bigint', comment=None)",
                                      "Row(col_name='amount', data_type='decimal(10,2)', comment=None)",
                                      "Row(col_name='region', data_type='string', comment=None)",
                                      "Row(col_name='# Partition Information', data_type='', comment='')",
                                      "Row(col_name='# col_name', data_type='data_type', comment='comment')",
                                      "Row(col_name='region', data_type='string', comment=None)"}));
}

TEST_F(SqlTablesTest, DescribeShowsPartitionsAndExtendedDetails) {
  spark_->sql("CREATE TABLE d (v INT, k STRING) USING parquet PARTITIONED BY (k)");
  // Spark's DESCRIBE layout for a partitioned table, then EXTENDED's detail section.
  std::vector<std::string> expected = {
      "Row(col_name='v', data_type='int', comment=None)",
      "Row(col_name='k', data_type='string', comment=None)",
      "Row(col_name='# Partition Information', data_type='', comment='')",
      "Row(col_name='# col_name', data_type='data_type', comment='comment')",
      "Row(col_name='k', data_type='string', comment=None)"};
  EXPECT_EQ(rows("DESCRIBE d"), expected);
  std::vector<std::string> extended = rows("DESCRIBE EXTENDED d");
  ASSERT_EQ(extended.size(), expected.size() + 8);
  EXPECT_EQ(extended[expected.size() + 1], "Row(col_name='# Detailed Table Information', data_type='', comment='')");
  EXPECT_EQ(extended[expected.size() + 5], "Row(col_name='Type', data_type='MANAGED', comment='')");
  EXPECT_EQ(extended[expected.size() + 6], "Row(col_name='Provider', data_type='parquet', comment='')");
  EXPECT_EQ(extended[expected.size() + 7],
            "Row(col_name='Location', data_type='file:" + (warehouse_ / "d").string() + "', comment='')");
}

TEST_F(SqlTablesTest, ColumnListTableStartsEmptyAndOverwriteReplaces) {
  spark_->sql("CREATE TABLE t (a INT, b STRING) USING csv OPTIONS (header 'true')");
  EXPECT_EQ(rows("SELECT count(*) AS n FROM t"), (std::vector<std::string>{"Row(n=0)"}));
  spark_->sql("INSERT INTO t VALUES (1, 'x'), (2, NULL)");
  EXPECT_EQ(rows("SELECT a, b FROM t ORDER BY a"),
            (std::vector<std::string>{"Row(a=1, b='x')", "Row(a=2, b=None)"}));
  spark_->sql("INSERT OVERWRITE t SELECT 3, 'y'");
  EXPECT_EQ(rows("SELECT a, b FROM t"), (std::vector<std::string>{"Row(a=3, b='y')"}));
}

TEST_F(SqlTablesTest, DynamicPartitionOverwriteKeepsOtherPartitions) {
  spark_->sql("CREATE TABLE p (v INT, k STRING) USING parquet PARTITIONED BY (k)");
  spark_->sql("INSERT INTO p VALUES (1, 'a'), (2, 'b')");
  spark_->conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
  spark_->sql("INSERT OVERWRITE p VALUES (3, 'b')");
  EXPECT_EQ(rows("SELECT k, v FROM p ORDER BY k"), (std::vector<std::string>{"Row(k='a', v=1)", "Row(k='b', v=3)"}));
}

TEST_F(SqlTablesTest, TablesOutliveTheSessionAndShowWithViews) {
  spark_->sql("CREATE TABLE kept AS SELECT 7 AS x");
  spark_->sql("CREATE OR REPLACE TEMP VIEW v AS SELECT 1 AS y");
  // A session of its own on the same warehouse reads the table from the catalog files.
  Session other = spark_->new_session();
  other.conf().set("spark.sql.warehouse.dir", warehouse_.string());
  std::vector<Row> r = other.sql("SELECT x FROM kept").collect();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].to_string(), "Row(x=7)");
  EXPECT_EQ(rows("SHOW TABLES"),
            (std::vector<std::string>{"Row(namespace='default', tableName='kept', isTemporary=false)",
                                      "Row(namespace='', tableName='v', isTemporary=true)"}));
  spark_->sql("DROP VIEW v");
}

TEST_F(SqlTablesTest, DropTableDeletesManagedDataButNotAnExternalLocation) {
  const fs::path external = warehouse_.string() + "_external";
  spark_->sql("CREATE TABLE m AS SELECT 1 AS x");
  spark_->sql("CREATE TABLE e USING parquet LOCATION '" + external.string() + "' AS SELECT 2 AS x");
  EXPECT_EQ(rows("SELECT x FROM e"), (std::vector<std::string>{"Row(x=2)"}));
  spark_->sql("DROP TABLE m");
  spark_->sql("DROP TABLE e");
  EXPECT_FALSE(fs::exists(warehouse_ / "m"));
  EXPECT_TRUE(fs::exists(external / "_SUCCESS"));
  EXPECT_EQ(rows("SHOW TABLES"), std::vector<std::string>{});
  spark_->sql("DROP TABLE IF EXISTS m");
  fs::remove_all(external);
}

TEST_F(SqlTablesTest, ErrorsNameTheTableAndTheProblem) {
  spark_->sql("CREATE TABLE t (a TINYINT, b STRING) USING parquet");
  EXPECT_NE(error_of("CREATE TABLE t (a INT) USING parquet").find("TABLE_OR_VIEW_ALREADY_EXISTS"), std::string::npos);
  spark_->sql("CREATE TABLE IF NOT EXISTS t (a INT) USING parquet");  // tolerated
  EXPECT_NE(error_of("INSERT INTO t SELECT 1").find("INSERT_COLUMN_ARITY_MISMATCH"), std::string::npos);
  EXPECT_NE(error_of("INSERT INTO nope SELECT 1").find("TABLE_OR_VIEW_NOT_FOUND"), std::string::npos);
  EXPECT_NE(error_of("DROP TABLE nope").find("TABLE_OR_VIEW_NOT_FOUND"), std::string::npos);
  EXPECT_NE(error_of("CREATE TABLE q (a INT) USING parquet PARTITIONED BY (zz)").find("COLUMN_NOT_DEFINED_IN_TABLE"),
            std::string::npos);
  // 300 does not fit a TINYINT: ANSI store assignment fails instead of writing NULL, and nothing is written.
  std::string overflow = error_of("INSERT INTO t VALUES (300, 'x')");
  EXPECT_NE(overflow.find("CAST_OVERFLOW"), std::string::npos) << overflow;
  EXPECT_EQ(rows("SELECT count(*) AS n FROM t"), (std::vector<std::string>{"Row(n=0)"}));
  EXPECT_NE(error_of("SELECT * FROM tt").find("Did you mean `t`"), std::string::npos);
}

}  // namespace
}  // namespace ember
