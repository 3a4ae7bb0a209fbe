// End-to-end: DataFrame programs over generated CSV data, each compared with sqlite3 running the
// equivalent SQL over the same rows.
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

constexpr const char* kSchema = "id INT, region STRING, product STRING, amount DOUBLE, qty INT, day DATE";

class DataFrameVsSqliteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() / ("ember_e2e_" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    rows_ = new std::vector<std::vector<Value>>();
    const char* regions[] = {"North", "South", "East", "West", "Central"};
    const char* products[] = {"apple", "banana", "cherry", "date fruit", "elderberry", "fig"};
    testing::TestRandom next(7);
    std::ofstream csv(*dir_ / "orders.csv");
    csv << "id,region,product,amount,qty,day\n";
    for (int i = 1; i <= 5000; ++i) {
      Value region = next() % 17 == 0 ? Value::null(DataType::string()) : Value::string(regions[next() % 5]);
      Value product = Value::string(products[next() % 6]);
      Value amount = next() % 23 == 0 ? Value::null(DataType::float64())
                                      : Value::float64(static_cast<double>(next() % 100000) / 100.0);
      Value qty = Value::int32(static_cast<int32_t>(next() % 9) + 1);
      Value day = Value::date(days_from_civil(2022, 1, 1) + static_cast<int32_t>(next() % 1000));
      rows_->push_back({Value::int32(i), region, product, amount, qty, day});
      auto text = [](const Value& v) { return v.is_null() ? std::string() : v.to_string(); };
      char amount_text[32] = "";
      if (!amount.is_null()) std::snprintf(amount_text, sizeof(amount_text), "%.2f", amount.as_double());
      csv << i << "," << text(region) << "," << text(product) << "," << amount_text << "," << text(qty) << ","
          << text(day) << "\n";
    }
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete rows_;
  }

  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    db_.load("orders", "id INTEGER, region TEXT, product TEXT, amount REAL, qty INTEGER, day TEXT", *rows_);
  }

  DataFrame orders() const {
    return spark_->read().option("header", "true").schema(kSchema).csv((*dir_ / "orders.csv").string());
  }

  void check(const DataFrame& df, const std::string& sql, bool ordered = false) {
    expect_same_rows(to_table(df.collect()), db_.query(sql), ordered);
  }

  static std::filesystem::path* dir_;
  static std::vector<std::vector<Value>>* rows_;
  std::unique_ptr<Session> spark_;
  SqliteReference db_;
};

std::filesystem::path* DataFrameVsSqliteTest::dir_ = nullptr;
std::vector<std::vector<Value>>* DataFrameVsSqliteTest::rows_ = nullptr;

TEST_F(DataFrameVsSqliteTest, ScanAllRows) { check(orders(), "SELECT * FROM orders"); }

TEST_F(DataFrameVsSqliteTest, FilterAndProject) {
  check(orders()
            .filter(col("amount") > 100 && col("region") != "West")
            .select(col("id"), col("region"), (col("amount") * 2).alias("twice"), col("qty") + 1),
        "SELECT id, region, amount * 2, qty + 1 FROM orders WHERE amount > 100 AND region <> 'West'");
}

TEST_F(DataFrameVsSqliteTest, GroupByWithEveryBasicAggregate) {
  check(orders().group_by("region").agg(sum("amount"), count("*"), count("amount"), avg("amount"), min("amount"),
                                         max("amount"), sum("qty"), min("product"), max("day")),
        "SELECT region, sum(amount), count(*), count(amount), avg(amount), min(amount), max(amount), sum(qty), "
        "min(product), max(day) FROM orders GROUP BY region");
}

TEST_F(DataFrameVsSqliteTest, GroupByTwoKeysAfterFilter) {
  check(orders().filter(col("qty") >= 3).group_by("region", "product").agg(sum("qty").alias("units")),
        "SELECT region, product, sum(qty) FROM orders WHERE qty >= 3 GROUP BY region, product");
}

TEST_F(DataFrameVsSqliteTest, GroupByExpression) {
  check(orders().group_by(year(col("day")).alias("y")).agg(count("*"), sum("amount")),
        "SELECT CAST(strftime('%Y', day) AS INTEGER), count(*), sum(amount) FROM orders GROUP BY 1");
}

TEST_F(DataFrameVsSqliteTest, CountDistinct) {
  check(orders().group_by("region").agg(count_distinct("product"), count_distinct("qty")),
        "SELECT region, count(DISTINCT product), count(DISTINCT qty) FROM orders GROUP BY region");
}

TEST_F(DataFrameVsSqliteTest, GlobalAggregateOverNoRows) {
  check(orders().filter(col("qty") > 100).agg(count("*"), sum("amount"), max("id")),
        "SELECT count(*), sum(amount), max(id) FROM orders WHERE qty > 100");
}

TEST_F(DataFrameVsSqliteTest, OrderByManyKeysWithNulls) {
  check(orders().order_by(col("region").asc(), col("amount").desc(), col("id")).select("region", "amount", "id"),
        "SELECT region, amount, id FROM orders ORDER BY region ASC, amount DESC, id", true);
}

TEST_F(DataFrameVsSqliteTest, OrderByNullsLastAndLimit) {
  check(orders().order_by(col("amount").asc_nulls_last(), col("id").desc()).limit(37).select("id", "amount"),
        "SELECT id, amount FROM orders ORDER BY amount IS NULL, amount ASC, id DESC LIMIT 37", true);
}

TEST_F(DataFrameVsSqliteTest, TopRegionsByRevenue) {
  check(orders()
            .group_by("region")
            .agg(sum("amount").alias("revenue"))
            .order_by(col("revenue").desc())
            .limit(3),
        "SELECT region, sum(amount) AS revenue FROM orders GROUP BY region ORDER BY revenue DESC LIMIT 3", true);
}

TEST_F(DataFrameVsSqliteTest, DistinctAndUnionAll) {
  check(orders().select("region", "product").distinct(), "SELECT DISTINCT region, product FROM orders");
  auto a = orders().filter(col("qty") == 1).select("id", "product");
  auto b = orders().filter(col("qty") == 2).select("id", "product");
  check(a.union_all(b), "SELECT id, product FROM orders WHERE qty = 1 UNION ALL SELECT id, product FROM orders WHERE qty = 2");
}

TEST_F(DataFrameVsSqliteTest, CaseWhenCoalesceAndNullTests) {
  check(orders().select(col("id"),
                        when(col("amount") > 500, "big").when(col("amount") > 100, "medium").otherwise("small"),
                        coalesce({col("region"), lit("unknown")}), col("amount").is_null(), isnotnull(col("region"))),
        "SELECT id, CASE WHEN amount > 500 THEN 'big' WHEN amount > 100 THEN 'medium' ELSE 'small' END, "
        "coalesce(region, 'unknown'), amount IS NULL, region IS NOT NULL FROM orders");
}

TEST_F(DataFrameVsSqliteTest, StringFunctions) {
  check(orders().select(col("id"), upper(col("product")), lower(col("region")), substring(col("product"), 2, 3),
                        length(col("product")), concat({col("region"), lit("-"), col("product")}), trim(lit("  x  "))),
        "SELECT id, upper(product), lower(region), substr(product, 2, 3), length(product), region || '-' || product, "
        "trim('  x  ') FROM orders");
}

TEST_F(DataFrameVsSqliteTest, DateFunctions) {
  check(orders().select(col("id"), year(col("day")), month(col("day")), dayofmonth(col("day")),
                        date_add(col("day"), lit(30)), datediff(col("day"), lit("2022-01-01").cast("date"))),
        "SELECT id, CAST(strftime('%Y', day) AS INTEGER), CAST(strftime('%m', day) AS INTEGER), "
        "CAST(strftime('%d', day) AS INTEGER), date(day, '+30 days'), "
        "CAST(julianday(day) - julianday('2022-01-01') AS INTEGER) FROM orders");
}

TEST_F(DataFrameVsSqliteTest, BetweenIsinLike) {
  check(orders()
            .filter(col("amount").between(100, 200) && col("region").isin({"North", "East"}) && col("product").like("%an%"))
            .select("id"),
        "SELECT id FROM orders WHERE amount BETWEEN 100 AND 200 AND region IN ('North', 'East') AND product GLOB '*an*'");
}

TEST_F(DataFrameVsSqliteTest, ArithmeticAndCasts) {
  check(orders().filter(col("amount").is_not_null()).select(col("id"), col("qty") * col("qty") - col("id") % 7,
                                                            (col("amount") / col("qty")), col("amount").cast("int")),
        "SELECT id, qty * qty - id % 7, amount / qty, CAST(amount AS INTEGER) FROM orders WHERE amount IS NOT NULL");
}

TEST_F(DataFrameVsSqliteTest, RepartitionAndCoalesceKeepEveryRow) {
  check(orders().repartition(5, {col("region")}).group_by("region").agg(count("*")),
        "SELECT region, count(*) FROM orders GROUP BY region");
  check(orders().repartition(4).coalesce(3).select("id"), "SELECT id FROM orders");
}

TEST_F(DataFrameVsSqliteTest, SmallSplitsGiveTheSameAnswer) {
  spark_->conf().set("spark.sql.files.maxPartitionBytes", "4096");
  auto df = orders();
  check(df.group_by("product").agg(sum("amount"), count("*")),
        "SELECT product, sum(amount), count(*) FROM orders GROUP BY product");
  check(df.select("id"), "SELECT id FROM orders");
  spark_->conf().unset("spark.sql.files.maxPartitionBytes");
}

TEST_F(DataFrameVsSqliteTest, InferredSchemaMatchesDeclared) {
  auto inferred = spark_->read().option("header", "true").option("inferSchema", "true").csv((*dir_ / "orders.csv").string());
  EXPECT_EQ(inferred.schema().to_ddl(), "id int, region string, product string, amount double, qty int, day date");
  check(inferred.group_by("qty").agg(sum("amount")), "SELECT qty, sum(amount) FROM orders GROUP BY qty");
}

TEST_F(DataFrameVsSqliteTest, WithColumnRenameDrop) {
  check(orders()
            .with_column("total", col("amount") * col("qty"))
            .with_column_renamed("product", "item")
            .drop("day", "region")
            .filter(col("total") > 1000)
            .select("id", "item", "total"),
        "SELECT id, product, amount * qty FROM orders WHERE amount * qty > 1000");
}

TEST_F(DataFrameVsSqliteTest, CountTakeFirst) {
  auto df = orders().filter(col("qty") == 5);
  EXPECT_EQ(df.count(), db_.query("SELECT count(*) FROM orders WHERE qty = 5")[0][0].i);
  auto rows = orders().order_by("id").take(3);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2]["id"].as_int64(), 3);
  EXPECT_EQ(orders().order_by(col("id").desc()).first()["id"].as_int64(), 5000);
}

TEST_F(DataFrameVsSqliteTest, CacheKeepsTheAnswer) {
  auto cached = orders().filter(col("qty") > 4).cache();
  check(cached.group_by("region").agg(count("*")), "SELECT region, count(*) FROM orders WHERE qty > 4 GROUP BY region");
}

TEST_F(DataFrameVsSqliteTest, PartitionedCsvWriteReadsBack) {
  auto out = (*dir_ / "by_region").string();
  orders().write().mode("overwrite").partition_by("region").option("header", "true").csv(out);
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / "_SUCCESS"));
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / "region=North"));
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / "region=__HIVE_DEFAULT_PARTITION__"));
  // Read one partition back: its rows equal the source rows of that region (without the column).
  auto north = spark_->read().option("header", "true").schema("id INT, product STRING, amount DOUBLE, qty INT, day DATE")
                   .csv(out + "/region=North");
  check(north, "SELECT id, product, amount, qty, day FROM orders WHERE region = 'North'");
}

}  // namespace
}  // namespace ember

namespace ember {
namespace {

TEST_F(DataFrameVsSqliteTest, DropDuplicatesOnASubsetKeepsOneRealRowPerKey) {
  auto dedup = orders().drop_duplicates({"region", "product"});
  EXPECT_EQ(dedup.columns(), orders().columns());
  check(dedup.select("region", "product"), "SELECT DISTINCT region, product FROM orders");
  // Every kept row is a row of the input.
  EXPECT_EQ(dedup.subtract(orders()).count(), 0);
}

TEST_F(DataFrameVsSqliteTest, NaFillDropReplace) {
  check(orders().na().fill(0), "SELECT id, region, product, coalesce(amount, 0.0), qty, day FROM orders");
  check(orders().na().fill("unknown", {"region"}),
        "SELECT id, coalesce(region, 'unknown'), product, amount, qty, day FROM orders");
  check(orders().na().fill(std::map<std::string, Value>{{"region", Value::string("?")}, {"amount", Value::float64(-1)}}),
        "SELECT id, coalesce(region, '?'), product, coalesce(amount, -1.0), qty, day FROM orders");
  check(orders().na().drop(), "SELECT * FROM orders WHERE region IS NOT NULL AND amount IS NOT NULL");
  check(orders().na().drop("all", -1, {"region", "amount"}),
        "SELECT * FROM orders WHERE region IS NOT NULL OR amount IS NOT NULL");
  check(orders().na().drop("any", 5), "SELECT * FROM orders WHERE (region IS NOT NULL) + (amount IS NOT NULL) >= 1");
  check(orders().na().replace(Value::string("North"), Value::string("N"), {"region"}),
        "SELECT id, CASE WHEN region = 'North' THEN 'N' ELSE region END, product, amount, qty, day FROM orders");
  EXPECT_THROW(orders().na().fill(0, {"nope"}), EmberError);
}

}  // namespace
}  // namespace ember

namespace ember {
namespace {

TEST_F(DataFrameVsSqliteTest, RollupAndCube) {
  check(orders().rollup({"region", "product"}).agg(sum("qty").alias("units"), count("*").alias("n")),
        "SELECT region, product, sum(qty), count(*) FROM orders GROUP BY region, product "
        "UNION ALL SELECT region, NULL, sum(qty), count(*) FROM orders GROUP BY region "
        "UNION ALL SELECT NULL, NULL, sum(qty), count(*) FROM orders");
  check(orders().cube({"region", "qty"}).agg(max("amount").alias("top")),
        "SELECT region, qty, max(amount) FROM orders GROUP BY region, qty "
        "UNION ALL SELECT region, NULL, max(amount) FROM orders GROUP BY region "
        "UNION ALL SELECT NULL, qty, max(amount) FROM orders GROUP BY qty "
        "UNION ALL SELECT NULL, NULL, max(amount) FROM orders");
}

TEST_F(DataFrameVsSqliteTest, PivotWithAndWithoutValues) {
  auto explicit_values = orders().group_by("region").pivot("qty", {Value::int32(1), Value::int32(2)}).agg(sum("amount"));
  EXPECT_EQ(explicit_values.columns(), (std::vector<std::string>{"region", "1", "2"}));
  check(explicit_values,
        "SELECT region, sum(CASE WHEN qty = 1 THEN amount END), sum(CASE WHEN qty = 2 THEN amount END) "
        "FROM orders GROUP BY region");
  // Values found by a job, sorted; two aggregates name columns value_aggregate.
  auto found = orders().group_by("product").pivot("region").agg(count("*").alias("n"), min("qty").alias("lo"));
  EXPECT_EQ(found.columns()[1], "null_n");
  EXPECT_EQ(found.columns()[3], "Central_n");
  std::string sql = "SELECT product, count(CASE WHEN region IS NULL THEN 1 END), min(CASE WHEN region IS NULL THEN qty END)";
  for (const char* r : {"Central", "East", "North", "South", "West"}) {
    sql += std::string(", count(CASE WHEN region = '") + r + "' THEN 1 END), min(CASE WHEN region = '" + r + "' THEN qty END)";
  }
  check(found, sql + " FROM orders GROUP BY product");
}

}  // namespace
}  // namespace ember

namespace ember {
namespace {

TEST_F(DataFrameVsSqliteTest, SampleIsSeededAndASubset) {
  auto a = orders().sample(0.1, 42).collect();
  auto b = orders().sample(0.1, 42).collect();
  auto c = orders().sample(0.1, 7).collect();
  // Same seed, same rows; another seed, another subset; about 10% of 5000 rows (binomial sd ~21).
  EXPECT_EQ(to_table(a).size(), to_table(b).size());
  expect_same_rows(to_table(a), to_table(b), false);
  EXPECT_NE(testing::table_string(to_table(a)), testing::table_string(to_table(c)));
  EXPECT_GT(a.size(), 400u);
  EXPECT_LT(a.size(), 600u);
  EXPECT_EQ(orders().sample(0.1, 42).subtract(orders()).count(), 0);
  EXPECT_EQ(orders().sample(0.0, 1).count(), 0);
  EXPECT_EQ(orders().sample(1.0, 1).count(), 5000);
  // With replacement: Poisson(2) copies per row, about 10000 rows.
  int64_t n = orders().sample(2.0, 3, true).count();
  EXPECT_GT(n, 9000);
  EXPECT_LT(n, 11000);
  EXPECT_THROW(orders().sample(1.5, 1), EmberError);
}

}  // namespace
}  // namespace ember

namespace ember {
namespace {

TEST_F(DataFrameVsSqliteTest, ExplodeAndPosexplode) {
  const std::string first_word = "CASE WHEN instr(product, ' ') > 0 THEN substr(product, 1, instr(product, ' ') - 1) ELSE product END";
  const std::string second_word = "substr(product, instr(product, ' ') + 1)";
  auto words = orders().select(col("id"), split(col("product"), " ").alias("words"));
  auto exploded = words.select(col("id"), explode(col("words")).alias("word"));
  EXPECT_EQ(exploded.columns(), (std::vector<std::string>{"id", "word"}));
  check(exploded, "SELECT id, " + first_word + " FROM orders UNION ALL SELECT id, " + second_word +
                      " FROM orders WHERE instr(product, ' ') > 0");
  auto positioned = words.select(col("id"), posexplode(col("words")));
  EXPECT_EQ(positioned.columns(), (std::vector<std::string>{"id", "pos", "col"}));
  check(positioned, "SELECT id, 0, " + first_word + " FROM orders UNION ALL SELECT id, 1, " + second_word +
                        " FROM orders WHERE instr(product, ' ') > 0");
  // Null arrays: no row from explode, one row of nulls from explode_outer.
  auto some = orders().select(col("id"), when(col("qty") > 7, split(col("product"), " ")).alias("words"));
  check(some.select(col("id"), explode(col("words"))),
        "SELECT id, " + first_word + " FROM orders WHERE qty > 7 UNION ALL SELECT id, " + second_word +
            " FROM orders WHERE qty > 7 AND instr(product, ' ') > 0");
  check(some.select(col("id"), explode_outer(col("words"))),
        "SELECT id, CASE WHEN qty > 7 THEN " + first_word + " END FROM orders UNION ALL SELECT id, " + second_word +
            " FROM orders WHERE qty > 7 AND instr(product, ' ') > 0");
  EXPECT_THROW(orders().select(explode(col("product"))).collect(), EmberError);
  EXPECT_THROW(words.select(explode(col("words")), explode(col("words"))).collect(), EmberError);
}

}  // namespace
}  // namespace ember

namespace ember {
namespace {

TEST_F(DataFrameVsSqliteTest, CacheIsLazyAndLaterActionsReadTheCachedData) {
  // A copy of the input that this test may change.
  const auto path = *dir_ / "orders_for_cache.csv";
  std::filesystem::copy_file(*dir_ / "orders.csv", path, std::filesystem::copy_options::overwrite_existing);
  auto read = [&] { return spark_->read().option("header", "true").schema(kSchema).csv(path.string()); };
  auto big = read().filter(col("qty") > 4);
  big.cache();
  EXPECT_TRUE(big.is_cached());
  std::string plan = big.group_by("region").agg(count("*")).explain_string(true);
  EXPECT_NE(plan.find("InMemoryRelation"), std::string::npos) << plan;
  EXPECT_NE(plan.find("InMemoryTableScan"), std::string::npos) << plan;
  // The first action computes and keeps the partitions...
  check(big.group_by("region").agg(count("*")), "SELECT region, count(*) FROM orders WHERE qty > 4 GROUP BY region");
  // ...so later actions, of this DataFrame and of those derived from it, no longer read the file:
  // replace its rows and the cached answer stays.
  {
    std::ofstream truncate(path);
    truncate << "id,region,product,amount,qty,day\n1,Nowhere,x,1.0,9,2024-01-01\n";
  }
  check(big.select("id", "region"), "SELECT id, region FROM orders WHERE qty > 4");
  check(big.filter(col("region") == "North").agg(sum("amount")),
        "SELECT sum(amount) FROM orders WHERE qty > 4 AND region = 'North'");
  // unpersist: the plan is computed again, from the new file.
  big.unpersist();
  EXPECT_FALSE(big.is_cached());
  EXPECT_EQ(big.count(), 1);
  EXPECT_EQ(big.explain_string().find("InMemoryTableScan"), std::string::npos);
}

}  // namespace
}  // namespace ember
