// End-to-end: Spark SQL text run by Session::sql and the same text (or its sqlite spelling) run by
// sqlite3 over the same rows, compared cell by cell.
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

class SqlVsSqliteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rows_ = new std::vector<std::vector<Value>>();
    const char* regions[] = {"North", "South", "East", "West", "Central"};
    const char* products[] = {"apple", "banana", "cherry", "date fruit", "elderberry", "fig"};
    testing::TestRandom next(11);
    for (int i = 1; i <= 3000; ++i) {
      Value region = next() % 17 == 0 ? Value::null(DataType::string()) : Value::string(regions[next() % 5]);
      Value product = Value::string(products[next() % 6]);
      Value amount = next() % 23 == 0 ? Value::null(DataType::float64())
                                      : Value::float64(static_cast<double>(next() % 100000) / 100.0);
      Value qty = Value::int32(static_cast<int32_t>(next() % 9) + 1);
      rows_->push_back({Value::int32(i), region, product, amount, qty});
    }
  }
  static void TearDownTestSuite() { delete rows_; }

  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    spark_->create_data_frame(*rows_, "id INT, region STRING, product STRING, amount DOUBLE, qty INT")
        .create_or_replace_temp_view("orders");
    db_.load("orders", "id INTEGER, region TEXT, product TEXT, amount REAL, qty INTEGER", *rows_);
    std::vector<std::vector<Value>> regions = {
        {Value::string("North"), Value::string("Oslo"), Value::int32(1)},
        {Value::string("South"), Value::string("Rome"), Value::int32(2)},
        {Value::string("East"), Value::string("Riga"), Value::int32(1)},
        {Value::string("Polar"), Value::string("Longyearbyen"), Value::null(DataType::int32())}};
    spark_->create_data_frame(regions, "region STRING, city STRING, zone INT")
        .create_or_replace_temp_view("regions");
    db_.load("regions", "region TEXT, city TEXT, zone INTEGER", regions);
  }

  // The same SQL text in both engines.
  void same(const std::string& sql, bool ordered = false) { check(sql, sql, ordered); }
  void check(const std::string& ember_sql, const std::string& sqlite_sql, bool ordered = false) {
    SCOPED_TRACE(ember_sql);
    expect_same_rows(to_table(spark_->sql(ember_sql).collect()), db_.query(sqlite_sql), ordered);
  }

  static std::vector<std::vector<Value>>* rows_;
  std::unique_ptr<Session> spark_;
  SqliteReference db_;
};

std::vector<std::vector<Value>>* SqlVsSqliteTest::rows_ = nullptr;

TEST_F(SqlVsSqliteTest, ProjectionsAndFilters) {
  same("SELECT * FROM orders");
  same("SELECT id, amount * 2 AS twice, qty + 1 FROM orders WHERE amount > 100 AND region <> 'West'");
  same(
      "SELECT o.id, o.product FROM orders AS o WHERE o.qty BETWEEN 3 AND 5 OR o.product IN ('fig', 'apple')");
  same("SELECT id FROM orders WHERE region IS NULL OR amount IS NULL");
  same("SELECT id, CASE WHEN qty > 6 THEN 'big' WHEN qty > 3 THEN 'mid' ELSE 'small' END FROM orders");
  same("SELECT id, CASE qty WHEN 1 THEN 'one' WHEN 2 THEN 'two' END FROM orders");
  same("SELECT id FROM orders WHERE product LIKE '%rr%' AND NOT product LIKE 'c%'");
  same("SELECT id, region || '-' || product FROM orders WHERE id < 50");
  check("SELECT id FROM orders WHERE region IS DISTINCT FROM 'North'",
        "SELECT id FROM orders WHERE region IS NOT 'North'");
  check("SELECT id FROM orders WHERE region IS NOT DISTINCT FROM NULL",
        "SELECT id FROM orders WHERE region IS NULL");
  same("SELECT id, -qty, qty % 4, CAST(amount AS INT) FROM orders WHERE amount < 500");
  same("SELECT DISTINCT region, product FROM orders");
}

TEST_F(SqlVsSqliteTest, Aggregation) {
  same(
      "SELECT region, sum(amount), count(*), count(amount), avg(amount), min(qty), max(product) FROM orders "
      "GROUP BY region");
  same("SELECT count(*), sum(qty), count(DISTINCT product) FROM orders");
  same("SELECT region, product, sum(qty) AS units FROM orders GROUP BY 1, 2 HAVING sum(qty) > 50");
  same("SELECT region, count(*) AS n FROM orders GROUP BY region HAVING n > 500");
  same("SELECT qty % 3 AS bucket, count(*) FROM orders GROUP BY qty % 3");
  same("SELECT region FROM orders GROUP BY region HAVING max(amount) > 990");
  same("SELECT region, sum(qty) * 2 + count(*) FROM orders GROUP BY region");
  // FILTER is sqlite's aggregate FILTER clause too.
  same(
      "SELECT region, count(*) FILTER (WHERE qty > 5), sum(amount) FILTER (WHERE product = 'fig') FROM "
      "orders GROUP BY region");
  same("SELECT count(*) FILTER (WHERE amount IS NULL), min(id) FILTER (WHERE qty = 9) FROM orders");
}

TEST_F(SqlVsSqliteTest, OrderByLimitOffset) {
  same("SELECT id, amount FROM orders WHERE amount IS NOT NULL ORDER BY amount DESC, id LIMIT 10", true);
  same("SELECT id, region FROM orders ORDER BY region NULLS FIRST, id DESC LIMIT 30", true);
  same("SELECT id, region FROM orders ORDER BY region DESC NULLS LAST, id LIMIT 30", true);
  same("SELECT id FROM orders ORDER BY qty, id LIMIT 5 OFFSET 10", true);
  same("SELECT region, sum(qty) AS s FROM orders GROUP BY region ORDER BY s DESC", true);
  same("SELECT region FROM orders GROUP BY region ORDER BY count(*), region", true);
  same("SELECT id, product FROM orders ORDER BY 2, 1 LIMIT 20", true);
}

TEST_F(SqlVsSqliteTest, Joins) {
  same("SELECT o.id, r.city FROM orders o JOIN regions r ON o.region = r.region");
  same("SELECT o.id, r.city FROM orders o LEFT JOIN regions r ON o.region = r.region");
  same(
      "SELECT r.region, count(o.id) FROM regions r LEFT OUTER JOIN orders o ON o.region = r.region GROUP BY "
      "r.region");
  check("SELECT id, city FROM orders JOIN regions USING (region)",
        "SELECT id, city FROM orders JOIN regions USING (region)");
  check("SELECT id, city FROM orders NATURAL JOIN regions",
        "SELECT id, city FROM orders NATURAL JOIN regions");
  check("SELECT r.city FROM regions r LEFT SEMI JOIN orders o ON o.region = r.region",
        "SELECT r.city FROM regions r WHERE EXISTS (SELECT 1 FROM orders o WHERE o.region = r.region)");
  check("SELECT r.city FROM regions r LEFT ANTI JOIN orders o ON o.region = r.region",
        "SELECT r.city FROM regions r WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.region = r.region)");
  same("SELECT a.city, b.city FROM regions a CROSS JOIN regions b");
  same("SELECT a.city, b.city FROM regions a, regions b WHERE a.zone = b.zone AND a.city < b.city");
  check("SELECT r.city, o.id FROM orders o RIGHT JOIN regions r ON o.region = r.region AND o.qty = 9",
        "SELECT r.city, o.id FROM regions r LEFT JOIN orders o ON o.region = r.region AND o.qty = 9");
  check(
      "SELECT o.id, r.city FROM (SELECT * FROM orders WHERE id < 100) o FULL OUTER JOIN regions r ON "
      "o.region = r.region",
      "SELECT o.id, r.city FROM (SELECT * FROM orders WHERE id < 100) o LEFT JOIN regions r ON o.region = "
      "r.region "
      "UNION ALL SELECT NULL, r.city FROM regions r WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE id < 100 "
      "AND "
      "o.region = r.region)");
}

// TPC-H Q19's shape: the join key repeated in every OR-ed branch. BooleanSimplification factors
// it out, so the join is a hash join on it instead of a nested loop over every pair.
TEST_F(SqlVsSqliteTest, JoinKeyRepeatedInEveryDisjunctBecomesAHashJoinKey) {
  const std::string sql =
      "SELECT o.id, r.city FROM orders o, regions r WHERE (o.region = r.region AND o.qty > 7) OR "
      "(o.region = r.region AND r.zone = 2 AND o.qty < 2)";
  same(sql);
  std::string plan = spark_->sql(sql).explain_string(false);
  EXPECT_NE(plan.find("HashJoin"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("NestedLoopJoin"), std::string::npos) << plan;
}

TEST_F(SqlVsSqliteTest, SetOperationsCtesAndDerivedTables) {
  same("SELECT region FROM orders WHERE qty = 1 UNION SELECT region FROM regions");
  same("SELECT region FROM regions UNION ALL SELECT region FROM regions");
  same("SELECT region FROM orders INTERSECT SELECT region FROM regions");
  same("SELECT region FROM regions EXCEPT SELECT region FROM orders");
  same(
      "WITH big AS (SELECT * FROM orders WHERE amount > 900), per AS (SELECT region, count(*) AS n FROM big "
      "GROUP BY "
      "region) SELECT region, n FROM per WHERE n > 10");
  same(
      "SELECT t.region, t.total FROM (SELECT region, sum(qty) AS total FROM orders GROUP BY region) t WHERE "
      "t.total > 100");
  check("SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) AS v(x, y) WHERE x > 1",
        "SELECT column1, column2 FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) WHERE column1 > 1");
  same("SELECT 1 + 2, 'x' || 'y', 7 / 2.0");
}

TEST_F(SqlVsSqliteTest, WindowFunctions) {
  same("SELECT id, region, row_number() OVER (PARTITION BY region ORDER BY id) FROM orders");
  same(
      "SELECT id, sum(qty) OVER (PARTITION BY product ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) "
      "FROM orders");
  same(
      "SELECT id, rank() OVER w, dense_rank() OVER w FROM orders WINDOW w AS (PARTITION BY region ORDER BY "
      "qty)");
  same("SELECT region, sum(qty), sum(sum(qty)) OVER () FROM orders GROUP BY region");
  check("SELECT id, region FROM orders QUALIFY row_number() OVER (PARTITION BY region ORDER BY id DESC) <= 2",
        "SELECT id, region FROM (SELECT id, region, row_number() OVER (PARTITION BY region ORDER BY id DESC) "
        "AS rn "
        "FROM orders) WHERE rn <= 2");
}

TEST_F(SqlVsSqliteTest, GroupingSets) {
  check("SELECT region, product, sum(qty) FROM orders GROUP BY ROLLUP(region, product)",
        "SELECT region, product, sum(qty) FROM orders GROUP BY region, product UNION ALL "
        "SELECT region, NULL, sum(qty) FROM orders GROUP BY region UNION ALL SELECT NULL, NULL, sum(qty) "
        "FROM orders");
  check("SELECT region, product, count(*) FROM orders GROUP BY CUBE(region, product)",
        "SELECT region, product, count(*) FROM orders GROUP BY region, product UNION ALL "
        "SELECT region, NULL, count(*) FROM orders GROUP BY region UNION ALL "
        "SELECT NULL, product, count(*) FROM orders GROUP BY product UNION ALL SELECT NULL, NULL, count(*) "
        "FROM orders");
  check("SELECT region, qty, max(amount) FROM orders GROUP BY GROUPING SETS ((region), (qty))",
        "SELECT region, NULL, max(amount) FROM orders GROUP BY region UNION ALL "
        "SELECT NULL, qty, max(amount) FROM orders GROUP BY qty");
}

TEST_F(SqlVsSqliteTest, ExprAndSelectExpr) {
  DataFrame orders = spark_->sql("SELECT * FROM orders");
  expect_same_rows(to_table(orders.select_expr("id", "amount * qty AS value", "upper(product) p").collect()),
                   db_.query("SELECT id, amount * qty, upper(product) FROM orders"), false);
  expect_same_rows(
      to_table(orders.filter(expr("qty > 4 AND region IN ('North', 'East')")).select(col("id")).collect()),
      db_.query("SELECT id FROM orders WHERE qty > 4 AND region IN ('North', 'East')"), false);
  expect_same_rows(
      to_table(orders.group_by("region")
                   .agg(expr("sum(amount) FILTER (WHERE qty > 4)"), expr("count(*)"))
                   .collect()),
      db_.query("SELECT region, sum(amount) FILTER (WHERE qty > 4), count(*) FROM orders GROUP BY region"),
      false);
}

}  // namespace
}  // namespace ember
