// Arrays through the DataFrame API: split and the array functions in select/filter, show() and
// printSchema text as Spark 4 prints it, collect() rows, arrays crossing a shuffle, arrays as
// grouping, DISTINCT, join and partitioning keys, and the CSV writer rejecting arrays cleanly
// (leaving its target untouched).
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;
namespace fs = std::filesystem;

class ArrayE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ember_arrays_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
  }
  void TearDown() override { fs::remove_all(dir_); }

  DataFrame sentences() const {
    return spark_->create_data_frame({{Value::int32(1), Value::string("oneAtwoBthreeC")},
                                      {Value::int32(2), Value::string("a")},
                                      {Value::int32(3), Value::string("")},
                                      {Value::int32(4), Value::null(DataType::string())}},
                                     "id INT, s STRING");
  }

  static std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> files;
    if (!fs::exists(root)) return files;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      files[fs::relative(e.path(), root).string()] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    return files;
  }

  static std::string error_of(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const EmberError& e) {
      return e.what();
    }
    return "<no error>";
  }

  fs::path dir_;
  std::unique_ptr<Session> spark_;
};

TEST_F(ArrayE2ETest, SplitShowsAndPrintsSchemaAsSpark) {
  DataFrame parts = sentences().select(col("id"), split(col("s"), "[ABC]").alias("parts"));
  EXPECT_EQ(parts.schema_tree_string(),
            "root\n"
            " |-- id: integer (nullable = true)\n"
            " |-- parts: array (nullable = true)\n"
            " |    |-- element: string (containsNull = false)\n");
  EXPECT_EQ(parts.show_string(),
            "+---+-------------------+\n"
            "| id|              parts|\n"
            "+---+-------------------+\n"
            "|  1|[one, two, three, ]|\n"
            "|  2|                [a]|\n"
            "|  3|                 []|\n"
            "|  4|               NULL|\n"
            "+---+-------------------+\n");
  auto dtypes = parts.dtypes();
  EXPECT_EQ(dtypes[1].second, "array<string>");
}

TEST_F(ArrayE2ETest, CollectReturnsArrayValues) {
  auto rows = sentences().select(split(col("s"), "[ABC]", 2).alias("parts")).collect();
  ASSERT_EQ(rows.size(), 4u);
  const Value& first = rows[0]["parts"];
  ASSERT_EQ(first.type(), DataType::array(DataType::string()));
  ASSERT_EQ(first.as_array().size(), 2u);
  EXPECT_EQ(first.as_array()[0].as_string(), "one");
  EXPECT_EQ(first.as_array()[1].as_string(), "twoBthreeC");
  EXPECT_EQ(rows[2][0].as_array().size(), 1u);
  EXPECT_EQ(rows[2][0].as_array()[0].as_string(), "");
  EXPECT_TRUE(rows[3][0].is_null());
}

TEST_F(ArrayE2ETest, ArraysCrossAShuffle) {
  // Arrays built from range(), spread over 3 partitions and back: the exchange serialises them.
  DataFrame df =
      spark_->range(0, 200, 1, 4)
          .select(col("id"),
                  split(concat({col("id").cast("string"), lit(",x,"), col("id").cast("string")}), ",")
                      .alias("parts"))
          .repartition(3)
          .filter(element_at(col("parts"), 2) == lit("x"))
          .select(col("id"), col("parts"), size(col("parts")).alias("n"));
  auto rows = df.collect();
  ASSERT_EQ(rows.size(), 200u);
  int64_t sum = 0;
  for (const Row& r : rows) {
    const auto& parts = r["parts"].as_array();
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0].as_string(), std::to_string(r["id"].as_int64()));
    EXPECT_EQ(parts[2].as_string(), parts[0].as_string());
    EXPECT_EQ(r["n"].as_int64(), 3);
    sum += r["id"].as_int64();
  }
  EXPECT_EQ(sum, 199 * 200 / 2);
  // Through a sort (range partitioning on a flat key) with the array riding along.
  auto sorted = df.order_by(col("id").desc()).limit(2).collect();
  ASSERT_EQ(sorted.size(), 2u);
  EXPECT_EQ(sorted[0]["parts"].to_string(), "[199, x, 199]");
}

TEST_F(ArrayE2ETest, CsvInSplitOutThroughShuffle) {
  fs::path in = dir_ / "in.csv";
  std::ofstream(in) << "name,tags\nann,red|green\nbob,\ncy,blue\n";
  DataFrame df = spark_->read().option("header", "true").csv(in.string());
  DataFrame tags =
      df.select(col("name"), split(col("tags"), "\\|").alias("tags")).repartition(2).order_by("name");
  EXPECT_EQ(tags.show_string(),
            "+----+------------+\n"
            "|name|        tags|\n"
            "+----+------------+\n"
            "| ann|[red, green]|\n"
            "| bob|        NULL|\n"
            "|  cy|      [blue]|\n"
            "+----+------------+\n");
}

TEST_F(ArrayE2ETest, ArrayFunctionsInSelectAndFilter) {
  DataFrame df = spark_->create_data_frame(
      {{Value::string("a b c")}, {Value::string("b")}, {Value::string("")}}, "s STRING");
  DataFrame out =
      df.select(col("s"), split(col("s"), " ").alias("w"))
          .select(col("s"), col("w"), size(col("w")).alias("n"), element_at(col("w"), -1).alias("last"),
                  col("w").get_item(1), array_contains(col("w"), lit("b")).alias("has_b"),
                  array({col("s"), lit("z")}).alias("arr"));
  EXPECT_EQ(out.columns(), (std::vector<std::string>{"s", "w", "n", "last", "w[1]", "has_b", "arr"}));
  // get_item under ANSI: "b" and "" have no element 1.
  std::string msg = error_of([&] { out.collect(); });
  EXPECT_NE(msg.find("[INVALID_ARRAY_INDEX] The index 1 is out of bounds. The array has 1 elements."),
            std::string::npos)
      << msg;
  DataFrame safe =
      df.select(col("s"), split(col("s"), " ").alias("w"))
          .select(col("s"), size(col("w")).alias("n"), element_at(col("w"), -1).alias("last"),
                  get(col("w"), lit(1)).alias("second"), array_contains(col("w"), lit("b")).alias("has_b"),
                  array({col("s"), lit("z")}).alias("arr"));
  EXPECT_EQ(safe.show_string(),
            "+-----+---+----+------+-----+----------+\n"
            "|    s|  n|last|second|has_b|       arr|\n"
            "+-----+---+----+------+-----+----------+\n"
            "|a b c|  3|   c|     b| true|[a b c, z]|\n"
            "|    b|  1|   b|  NULL| true|    [b, z]|\n"
            "|     |  1|    |  NULL|false|     [, z]|\n"
            "+-----+---+----+------+-----+----------+\n");
  auto with_b = df.filter(array_contains(split(col("s"), " "), lit("b"))).count();
  EXPECT_EQ(with_b, 2);
  // Nulls inside arrays print as NULL in show() (Spark 4's ToPrettyString).
  DataFrame nulls = spark_->range(1).select(
      array({lit("a"), lit(Value::null(DataType::string())), lit("c")}).alias("a"), array({}).alias("empty"));
  EXPECT_EQ(nulls.show_string(),
            "+------------+-----+\n"
            "|           a|empty|\n"
            "+------------+-----+\n"
            "|[a, NULL, c]|   []|\n"
            "+------------+-----+\n");
}

TEST_F(ArrayE2ETest, AnsiOffMakesOutOfRangeNullAndSizeOfNullMinusOne) {
  // get_or_create() hands every test the same session: set the key for this test only.
  spark_->conf().set("spark.sql.ansi.enabled", "false");
  DataFrame df =
      spark_->create_data_frame({{Value::string("a,b")}, {Value::null(DataType::string())}}, "s STRING")
          .select(split(col("s"), ",").alias("w"));
  std::vector<Row> rows;
  std::string msg;
  try {
    rows = df.select(size(col("w")).alias("n"), element_at(col("w"), 5).alias("e"), col("w").get_item(7))
               .collect();
    msg = error_of([&] { df.select(element_at(col("w"), 0)).collect(); });
  } catch (...) {
    spark_->conf().unset("spark.sql.ansi.enabled");
    throw;
  }
  spark_->conf().unset("spark.sql.ansi.enabled");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["n"].as_int64(), 2);
  EXPECT_EQ(rows[1]["n"].as_int64(), -1);
  EXPECT_TRUE(rows[0]["e"].is_null());
  EXPECT_TRUE(rows[0][2].is_null());
  EXPECT_NE(msg.find("[INVALID_INDEX_OF_ZERO]"), std::string::npos) << msg;
}

TEST_F(ArrayE2ETest, CaseAndCoalesceCarryArrays) {
  DataFrame df = sentences().select(
      col("id"),
      when(col("id") > lit(2), split(col("s"), "[ABC]")).otherwise(array({lit("small")})).alias("c"),
      coalesce({split(col("s"), "[ABC]"), array({lit("none")})}).alias("k"));
  auto rows = df.order_by("id").collect();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0]["c"].to_string(), "[small]");
  EXPECT_EQ(rows[2]["c"].to_string(), "[]");
  EXPECT_TRUE(rows[3]["c"].is_null());
  EXPECT_EQ(rows[0]["k"].to_string(), "[one, two, three, ]");
  EXPECT_EQ(rows[3]["k"].to_string(), "[none]");
}

TEST_F(ArrayE2ETest, SortGroupDistinctAndHashPartitionByArrays) {
  DataFrame df = sentences().select(col("id"), split(col("s"), "[ABC]").alias("parts"));
  // Sorting and comparing arrays work (Spark's ordering: element by element, nulls first):
  // NULL, [""], ["a"], ["one", "two", "three", ""].
  std::vector<std::string> ids;
  for (const auto& r : df.order_by("parts").collect()) ids.push_back(r["id"].to_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"4", "3", "2", "1"}));
  EXPECT_EQ(df.filter(col("parts") == col("parts")).count(), 3);
  // Grouping, distinct and hash partitioning by an array: the four arrays are distinct (NULL
  // among them), so twice the rows give four groups of two.
  DataFrame twice = df.select(col("parts")).union_(df.select(col("parts")));
  auto groups = twice.group_by("parts").count().order_by("parts").collect();
  ASSERT_EQ(groups.size(), 4u);
  for (const auto& r : groups) EXPECT_EQ(r["count"].to_string(), "2");
  EXPECT_TRUE(groups[0]["parts"].is_null());
  EXPECT_EQ(groups[1]["parts"].as_array().size(), 1u);  // [""]
  EXPECT_EQ(groups[3]["parts"].as_array().size(), 4u);  // ["one", "two", "three", ""]
  EXPECT_EQ(twice.distinct().count(), 4);
  EXPECT_EQ(twice.repartition(2, {col("parts")}).distinct().count(), 4);
}

TEST_F(ArrayE2ETest, CollectListDistinctExplodeAndStructJoinsAgreeAcrossPartitionCounts) {
  // Groups 1 and 2 collect [5, 5], groups 3 and 4 [7], group 5 [1, 2, 3] (in some order, but no
  // other group has those values), group 6 only a NULL: []. Hand-derived answers follow.
  const Value null_int = Value::null(DataType::int32());
  std::vector<std::vector<Value>> rows;
  for (auto [g, v] : std::vector<std::pair<int, int>>{
           {1, 5}, {1, 5}, {2, 5}, {2, 5}, {3, 7}, {4, 7}, {5, 1}, {5, 2}, {5, 3}}) {
    rows.push_back({Value::int32(g), Value::int32(v)});
  }
  rows.push_back({Value::int32(6), null_int});
  DataFrame src = spark_->create_data_frame(rows, "g INT, v INT");
  for (int partitions : {1, 2, 7}) {
    SCOPED_TRACE(partitions);
    spark_->conf().set("spark.sql.shuffle.partitions", std::to_string(partitions));
    DataFrame lists = src.repartition(partitions, {col("g")}).group_by("g").agg(collect_list("v").alias("l"));
    DataFrame uniq = lists.select(col("l")).drop_duplicates();
    EXPECT_EQ(uniq.count(), 4);  // [5, 5], [7], [1, 2, 3], []
    auto exploded = uniq.select(explode(col("l")).alias("e")).agg(count("*"), sum("e")).collect();
    ASSERT_EQ(exploded.size(), 1u);
    EXPECT_EQ(exploded[0][0], Value::int64(6));
    EXPECT_EQ(exploded[0][1], Value::int64(23));
    EXPECT_EQ(lists.drop_duplicates({"l"}).count(), 4);
    // A join on a struct of the list, both sides hash-partitioned by it: groups 1 and 2 meet
    // each other and themselves (4 pairs), 3 and 4 likewise (4), 5 and 6 themselves (2).
    DataFrame keyed =
        lists.select(struct_({col("l")}).alias("k"), col("g")).repartition(partitions, {col("k")});
    DataFrame other = keyed.select(col("k").alias("k2"), col("g").alias("g2"));
    EXPECT_EQ(keyed.join(other, keyed["k"] == other["k2"]).count(), 10);
  }
}

TEST_F(ArrayE2ETest, CsvWriteRejectsArraysAndLeavesTheTargetUntouched) {
  DataFrame df = sentences().select(col("id"), split(col("s"), "[ABC]").alias("parts"));
  const std::string expected =
      "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The CSV datasource doesn't support the column `parts` of the "
      "type "
      "\"ARRAY<STRING>\".";
  // A new target is not created.
  fs::path fresh = dir_ / "fresh";
  EXPECT_EQ(error_of([&] { df.write().csv(fresh.string()); }), expected);
  EXPECT_FALSE(fs::exists(fresh));
  // An existing target keeps its files, even with mode overwrite.
  fs::path out = dir_ / "out";
  spark_->range(3).write().csv(out.string());
  auto before = snapshot(out);
  auto parent_before = snapshot(dir_);
  EXPECT_EQ(error_of([&] { df.write().mode("overwrite").csv(out.string()); }), expected);
  EXPECT_EQ(snapshot(out), before);
  EXPECT_EQ(snapshot(dir_), parent_before);
  // A CSV read schema cannot hold an array either.
  std::string read =
      error_of([&] { spark_->read().schema("id INT, parts ARRAY<STRING>").csv(out.string()); });
  EXPECT_NE(read.find("doesn't support the column `parts` of the type \"ARRAY<STRING>\""), std::string::npos)
      << read;
}

}  // namespace
}  // namespace ember
