// DataFrame::describe and DataFrame::summary against the outputs printed in PySpark's
// documentation for DataFrame.describe / DataFrame.summary (the people table below), plus values
// worked out by hand for string columns holding numbers and for empty input.
#include <map>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;

class DescribeSummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
  }
  DataFrame people() const {
    return spark_
        ->create_data_frame(
            {{Value::string("Bob"), Value::int64(13), Value::float64(40.3), Value::float64(150.5)},
             {Value::string("Alice"), Value::int64(12), Value::float64(37.8), Value::float64(142.3)},
             {Value::string("Tom"), Value::int64(11), Value::float64(44.1), Value::float64(142.2)}},
            "name STRING, age BIGINT, weight DOUBLE, height DOUBLE")
        // One row per partition, as PySpark's documentation example runs (local[*] on many cores):
        // the partial stddev states then merge in the order that gives the digits it prints.
        .repartition(3);
  }
  std::unique_ptr<Session> spark_;
};

// The weight column's mean and stddev end in digits that depend on the order in which partial
// aggregates merge (Spark's own output varies with the layout), so they are checked numerically:
// mean = 122.2 / 3; stddev = sqrt(((-0.4333..)^2 + (-2.9333..)^2 + 3.3666..^2) / 2).
void expect_weight_column(const DataFrame& d) {
  std::vector<Row> rows = d.select("summary", "weight").collect();
  std::map<std::string, std::string> by_stat;
  for (const Row& r : rows) by_stat[r[0].as_string()] = r[1].as_string();
  EXPECT_EQ(by_stat["count"], "3");
  EXPECT_NEAR(std::stod(by_stat["mean"]), 40.733333333333334, 1e-13);
  EXPECT_NEAR(std::stod(by_stat["stddev"]), 3.1722757341273704, 1e-13);
  EXPECT_EQ(by_stat["min"], "37.8");
  EXPECT_EQ(by_stat["max"], "44.1");
}

TEST_F(DescribeSummaryTest, DescribeOneColumnMatchesSparkDocs) {
  EXPECT_EQ(people().describe({"age"}).show_string(),
            "+-------+----+\n"
            "|summary| age|\n"
            "+-------+----+\n"
            "|  count|   3|\n"
            "|   mean|12.0|\n"
            "| stddev| 1.0|\n"
            "|    min|  11|\n"
            "|    max|  13|\n"
            "+-------+----+\n");
}

TEST_F(DescribeSummaryTest, DescribeAllColumnsMatchesSparkDocs) {
  DataFrame d = people().describe();
  EXPECT_EQ(d.columns(), (std::vector<std::string>{"summary", "name", "age", "weight", "height"}));
  EXPECT_EQ(d.select("summary", "name", "age", "height").show_string(),
            "+-------+-----+----+-----------------+\n"
            "|summary| name| age|           height|\n"
            "+-------+-----+----+-----------------+\n"
            "|  count|    3|   3|                3|\n"
            "|   mean| NULL|12.0|            145.0|\n"
            "| stddev| NULL| 1.0|4.763402145525822|\n"
            "|    min|Alice|  11|            142.2|\n"
            "|    max|  Tom|  13|            150.5|\n"
            "+-------+-----+----+-----------------+\n");
  expect_weight_column(d);
  // Every column is a string, as in Spark.
  Schema out_schema = d.schema();
  for (const auto& f : out_schema.fields()) EXPECT_EQ(f.type.id(), TypeId::kString) << f.name;
  // One aggregation job: the shuffle of repartition(3), then one global aggregate (partial,
  // exchange, final) — not one job per statistic.
  EXPECT_EQ(d.collect().size(), 5u);
  EXPECT_LE(d.last_metrics().num_stages, 3);
}

TEST_F(DescribeSummaryTest, SummaryDefaultMatchesSparkDocs) {
  DataFrame d = people().summary();
  EXPECT_EQ(d.select("summary", "name", "age", "height").show_string(),
            "+-------+-----+----+-----------------+\n"
            "|summary| name| age|           height|\n"
            "+-------+-----+----+-----------------+\n"
            "|  count|    3|   3|                3|\n"
            "|   mean| NULL|12.0|            145.0|\n"
            "| stddev| NULL| 1.0|4.763402145525822|\n"
            "|    min|Alice|  11|            142.2|\n"
            "|    25%| NULL|  11|            142.2|\n"
            "|    50%| NULL|  12|            142.3|\n"
            "|    75%| NULL|  13|            150.5|\n"
            "|    max|  Tom|  13|            150.5|\n"
            "+-------+-----+----+-----------------+\n");
  expect_weight_column(d);
  std::vector<Row> weights = d.select("weight").collect();
  EXPECT_EQ(weights[4][0].as_string(), "37.8");  // 25%
  EXPECT_EQ(weights[5][0].as_string(), "40.3");  // 50%
  EXPECT_EQ(weights[6][0].as_string(), "44.1");  // 75%
}

TEST_F(DescribeSummaryTest, SummaryChosenStatistics) {
  EXPECT_EQ(
      people().select("age", "weight", "height").summary({"count", "min", "25%", "75%", "max"}).show_string(),
      "+-------+---+------+------+\n"
      "|summary|age|weight|height|\n"
      "+-------+---+------+------+\n"
      "|  count|  3|     3|     3|\n"
      "|    min| 11|  37.8| 142.2|\n"
      "|    25%| 11|  37.8| 142.2|\n"
      "|    75%| 13|  44.1| 150.5|\n"
      "|    max| 13|  44.1| 150.5|\n"
      "+-------+---+------+------+\n");
  std::vector<Row> rows = people().summary({"count_distinct", "approx_count_distinct"}).collect();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["summary"].as_string(), "count_distinct");
  EXPECT_EQ(rows[0]["name"].as_string(), "3");
  EXPECT_EQ(rows[1]["age"].as_string(), "3");
}

TEST_F(DescribeSummaryTest, StringsAreTryCastToDoubleForMoments) {
  // "x" is not a number: TRY_CAST makes it null, so mean/stddev/percentiles see 1, 2, 6; count,
  // min and max see the strings themselves (lexicographic min "1", max "x").
  DataFrame df = spark_->create_data_frame({{Value::string("2")},
                                            {Value::string("x")},
                                            {Value::string("1")},
                                            {Value::string("6")},
                                            {Value::null(DataType::string())}},
                                           "s STRING");
  std::vector<Row> rows = df.summary().collect();
  ASSERT_EQ(rows.size(), 8u);
  std::vector<std::string> expected = {"4", "3.0", "2.6457513110645907", "1", "1.0", "2.0", "6.0", "x"};
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i]["s"].to_string(), expected[i]) << i;
}

TEST_F(DescribeSummaryTest, EmptyInputAndNoSummarisableColumns) {
  DataFrame empty = people().filter(col("age") > 100).describe({"age"});
  std::vector<Row> rows = empty.collect();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0]["age"].as_string(), "0");
  for (size_t i = 1; i < 5; ++i) EXPECT_TRUE(rows[i]["age"].is_null()) << i;

  DataFrame flags = spark_->create_data_frame({{Value::boolean(true)}}, "b BOOLEAN").describe();
  EXPECT_EQ(flags.columns(), std::vector<std::string>{"summary"});
  EXPECT_EQ(flags.collect().size(), 5u);
}

TEST_F(DescribeSummaryTest, BadStatisticIsAClearError) {
  EXPECT_THROW(people().summary({"median"}), EmberError);
  EXPECT_THROW(people().summary({"abc%"}), EmberError);
  EXPECT_THROW(people().summary({"150%"}), EmberError);
}

}  // namespace
}  // namespace ember
