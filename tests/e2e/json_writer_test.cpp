// df.write.json against Spark's documented JSON text (JacksonGenerator: fields in order, null fields
// left out, decimals as numbers, dates yyyy-MM-dd, timestamps yyyy-MM-dd'T'HH:mm:ss.SSSXXX in the
// session time zone), the output layout and commit (part-*.json, _SUCCESS, partition_by
// directories), and a round trip through spark.read.json.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;
namespace fs = std::filesystem;

class JsonWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    spark_->conf().set("spark.sql.session.timeZone", "UTC");
    dir_ = fs::temp_directory_path() / ("ember_jsonw_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override {
    fs::remove_all(dir_);
    spark_->conf().unset("spark.sql.session.timeZone");
  }

  // Every line of every part file under `dir`, sorted.
  static std::vector<std::string> lines_under(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file() || e.path().extension() != ".json") continue;
      std::ifstream in(e.path());
      for (std::string line; std::getline(in, line);) out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  DataFrame sample() const {
    const DataType tags = DataType::array(DataType::string());
    const DataType m = DataType::map(DataType::string(), DataType::int32());
    const DataType s =
        DataType::struct_({Field{"a", DataType::int32(), true}, Field{"b", DataType::string(), true}});
    Schema schema({Field{"id", DataType::int32(), true}, Field{"name", DataType::string(), true},
                   Field{"price", DataType::decimal(10, 2), true}, Field{"day", DataType::date(), true},
                   Field{"ts", DataType::timestamp(), true}, Field{"tags", tags, true}, Field{"m", m, true},
                   Field{"s", s, true}, Field{"flag", DataType::boolean(), true},
                   Field{"d", DataType::float64(), true}, Field{"p", DataType::string(), true}});
    std::vector<std::vector<Value>> rows = {
        {Value::int32(1), Value::string("a\"b\n"), Value::decimal(1250, 10, 2), Value::date(19782),
         Value::timestamp(1'709'200'800'000'000),
         Value::array(DataType::string(), {Value::string("x"), Value::null(DataType::string())}),
         Value::map(m, {Value::string("k")}, {Value::int32(1)}),
         Value::struct_(s, {Value::int32(1), Value::null(DataType::string())}), Value::boolean(true),
         Value::float64(1.5), Value::string("x")},
        {Value::int32(2), Value::null(DataType::string()), Value::decimal(-5, 10, 2),
         Value::null(DataType::date()), Value::timestamp(123'000), Value::null(tags), Value::null(m),
         Value::null(s), Value::boolean(false), Value::float64(std::numeric_limits<double>::infinity()),
         Value::null(DataType::string())}};
    return spark_->create_data_frame(rows, schema);
  }

  std::unique_ptr<Session> spark_;
  fs::path dir_;
};

TEST_F(JsonWriterTest, WritesSparksJsonText) {
  sample().write().json(dir_.string());
  EXPECT_TRUE(fs::exists(dir_ / "_SUCCESS"));
  EXPECT_EQ(lines_under(dir_),
            (std::vector<std::string>{
                "{\"id\":1,\"name\":\"a\\\"b\\n\",\"price\":12.50,\"day\":\"2024-02-29\",\"ts\":\"2024-02-"
                "29T10:00:00.000Z\","
                "\"tags\":[\"x\",null],\"m\":{\"k\":1},\"s\":{\"a\":1},\"flag\":true,\"d\":1.5,\"p\":\"x\"}",
                "{\"id\":2,\"price\":-0.05,\"ts\":\"1970-01-01T00:00:00.123Z\",\"flag\":false,\"d\":"
                "\"Infinity\"}"}));
}

TEST_F(JsonWriterTest, RefusesFormatOptionsItWouldIgnore) {
  try {
    sample().write().option("timestampFormat", "yyyy").json(dir_.string());
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "UNSUPPORTED_FEATURE");
    EXPECT_NE(std::string(e.what()).find("timestampformat"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir_));  // checked before the target is touched
}

TEST_F(JsonWriterTest, TimestampsInTheSessionTimeZone) {
  spark_->conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
  sample().select("id", "ts").write().json(dir_.string());
  EXPECT_EQ(lines_under(dir_),
            (std::vector<std::string>{"{\"id\":1,\"ts\":\"2024-02-29T02:00:00.000-08:00\"}",
                                      "{\"id\":2,\"ts\":\"1969-12-31T16:00:00.123-08:00\"}"}));
}

TEST_F(JsonWriterTest, PartitionByAndRoundTrip) {
  DataFrame df = sample();
  df.write().partition_by("p").json(dir_.string());
  EXPECT_TRUE(fs::exists(dir_ / "p=x"));
  EXPECT_TRUE(fs::exists(dir_ / "p=__HIVE_DEFAULT_PARTITION__"));
  for (const auto& line : lines_under(dir_)) EXPECT_EQ(line.find("\"p\""), std::string::npos) << line;
  // Reading the directory discovers p again (a string column, last; null from the default
  // partition), as Spark's partition discovery does.
  DataFrame parts = spark_->read().json(dir_.string());
  EXPECT_EQ(parts.schema().fields().back().name, "p");
  auto rows = parts.select("id", "p").order_by(col("id")).collect();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], Value::string("x"));
  EXPECT_TRUE(rows[1][1].is_null());
  EXPECT_EQ(parts.filter(col("p") == lit("x")).count(), 1);
  // Read back with the written schema (minus the partition column): the same rows.
  fs::path out2 = dir_.string() + "_flat";
  df.write().mode("overwrite").json(out2.string());
  Schema schema = df.schema();
  DataFrame back = spark_->read().schema(schema).json(out2.string());
  EXPECT_EQ(back.order_by(col("id")).collect(), df.order_by(col("id")).collect());
  fs::remove_all(out2);
}

}  // namespace
}  // namespace ember
