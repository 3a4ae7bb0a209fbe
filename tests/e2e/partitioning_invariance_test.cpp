// Differential tests: random tables with nulls, duplicate keys, a skewed key and (after a
// repartition into more partitions than rows of some keys) empty partitions; joins, aggregates,
// windows, set operations and arrays or structs as keys must give sqlite3's answer for every
// partitioning: 1, 2 and 7 shuffle partitions, 1 and 2 executor threads, and input split into
// many small tasks.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "e2e/sqlite_reference.h"
#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;
using testing::expect_same_rows;
using testing::SqliteReference;
using testing::to_table;
namespace fs = std::filesystem;

struct Partitioning {
  int threads;
  int shuffle_partitions;
  bool small_splits;  // input split into ~1 KB tasks
};

class PartitioningInvarianceTest : public ::testing::TestWithParam<Partitioning> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("ember_invariance_" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    a_ = new std::vector<std::vector<Value>>();
    b_ = new std::vector<std::vector<Value>>();
    testing::TestRandom next(99);
    auto text = [](const Value& v) { return v.is_null() ? std::string() : v.to_string(); };
    // a(k, g, v): k skewed (a third of the rows have k = 0), some null keys and values.
    std::ofstream fa(*dir_ / "a.csv");
    fa << "k,g,v\n";
    for (int i = 0; i < 1500; ++i) {
      Value k = next() % 13 == 0 ? Value::null(DataType::int32())
                : next() % 3 == 0 ? Value::int32(0)
                                  : Value::int32(static_cast<int32_t>(next() % 60));
      Value g = Value::string(std::string(1, static_cast<char>('a' + next() % 5)));
      Value v = next() % 11 == 0 ? Value::null(DataType::int32()) : Value::int32(static_cast<int32_t>(next() % 100));
      a_->push_back({k, g, v});
      fa << text(k) << "," << text(g) << "," << text(v) << "\n";
    }
    // b(k, w): keys 0..79 (some absent from a, some duplicated), a few null keys.
    std::ofstream fb(*dir_ / "b.csv");
    fb << "k,w\n";
    for (int i = 0; i < 120; ++i) {
      Value k = next() % 17 == 0 ? Value::null(DataType::int32()) : Value::int32(static_cast<int32_t>(next() % 80));
      Value w = Value::int32(static_cast<int32_t>(next() % 1000));
      b_->push_back({k, w});
      fb << text(k) << "," << text(w) << "\n";
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete a_;
    delete b_;
  }

  void SetUp() override {
    const Partitioning& p = GetParam();
    // get_or_create() keeps an existing session's thread count: stop it to get p.threads.
    Session::builder().get_or_create().stop();
    spark_ = std::make_unique<Session>(Session::builder().master("local[" + std::to_string(p.threads) + "]").get_or_create());
    spark_->conf().set("spark.sql.shuffle.partitions", std::to_string(p.shuffle_partitions));
    spark_->conf().set("spark.sql.files.maxPartitionBytes", p.small_splits ? "1024" : "134217728");
    db_.load("a", "k INTEGER, g TEXT, v INTEGER", *a_);
    db_.load("b", "k INTEGER, w INTEGER", *b_);
  }
  void TearDown() override {
    spark_->conf().set("spark.sql.shuffle.partitions", "2");
    spark_->conf().set("spark.sql.files.maxPartitionBytes", "134217728");
    spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "10485760");
  }

  DataFrame a() const {
    return spark_->read().option("header", "true").schema("k INT, g STRING, v INT").csv((*dir_ / "a.csv").string());
  }
  DataFrame b() const {
    return spark_->read().option("header", "true").schema("k INT, w INT").csv((*dir_ / "b.csv").string());
  }
  void check(const DataFrame& df, const std::string& sql) { expect_same_rows(to_table(df.collect()), db_.query(sql), false); }

  static fs::path* dir_;
  static std::vector<std::vector<Value>>* a_;
  static std::vector<std::vector<Value>>* b_;
  std::unique_ptr<Session> spark_;
  SqliteReference db_;
};

fs::path* PartitioningInvarianceTest::dir_ = nullptr;
std::vector<std::vector<Value>>* PartitioningInvarianceTest::a_ = nullptr;
std::vector<std::vector<Value>>* PartitioningInvarianceTest::b_ = nullptr;

TEST_P(PartitioningInvarianceTest, Joins) {
  for (const char* threshold : {"10485760", "-1"}) {  // broadcast, then shuffled hash joins
    SCOPED_TRACE(threshold);
    spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
    check(a().join(b(), "k"), "SELECT a.k, g, v, w FROM a JOIN b ON a.k = b.k");
    check(a().join(b(), "k", "left"), "SELECT a.k, g, v, w FROM a LEFT JOIN b ON a.k = b.k");
    check(a().join(b(), "k", "full"), "SELECT coalesce(a.k, b.k), g, v, w FROM a FULL JOIN b ON a.k = b.k");
    check(a().join(b(), "k", "anti"), "SELECT k, g, v FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = a.k)");
    // Repartitioned past the number of distinct keys of b: many empty partitions.
    check(b().repartition(7, {"k"}).join(a().repartition(7), "k", "right"),
          "SELECT a.k, w, g, v FROM a LEFT JOIN b ON a.k = b.k");
  }
}

TEST_P(PartitioningInvarianceTest, Aggregates) {
  check(a().group_by("k").agg(count("*"), sum("v"), min("g"), max("v"), avg("v"), count_distinct(col("g"))),
        "SELECT k, count(*), sum(v), min(g), max(v), avg(v), count(DISTINCT g) FROM a GROUP BY k");
  check(a().agg(count("v"), sum("v")), "SELECT count(v), sum(v) FROM a");
  check(a().filter(col("v") > 1000).group_by("g").agg(count("*")), "SELECT g, count(*) FROM a WHERE v > 1000 GROUP BY g");
  check(a().select("g", "k").distinct(), "SELECT DISTINCT g, k FROM a");
}

TEST_P(PartitioningInvarianceTest, Windows) {
  auto w = Window::partition_by("g").order_by(col("v"), col("k"));
  check(a().select(col("g"), col("k"), col("v"), rank().over(w), sum("v").over(Window::partition_by("g")),
                   lag("v").over(Window::partition_by("k").order_by(col("g"), col("v")))),
        "SELECT g, k, v, rank() OVER (PARTITION BY g ORDER BY v, k), sum(v) OVER (PARTITION BY g), "
        "lag(v) OVER (PARTITION BY k ORDER BY g, v) FROM a");
}

TEST_P(PartitioningInvarianceTest, SetOperationsAndSort) {
  check(a().select("k").intersect(b().select("k")), "SELECT k FROM a INTERSECT SELECT k FROM b");
  check(a().select("k").subtract(b().select("k")), "SELECT k FROM a EXCEPT SELECT k FROM b");
  check(a().select("k").union_all(b().select("k")), "SELECT k FROM a UNION ALL SELECT k FROM b");
  // A global order: compared in order (ties broken by every column).
  expect_same_rows(to_table(a().order_by(col("v").desc_nulls_last(), col("k"), col("g")).collect()),
                   db_.query("SELECT * FROM a ORDER BY v DESC NULLS LAST, k, g"), true);
}

TEST_P(PartitioningInvarianceTest, NestedKeys) {
  // Arrays and structs as keys, against sqlite3 grouping and joining by their parts: a struct or
  // array of columns is one key exactly when the columns are (NULL parts equal each other, so
  // a join on struct(k) is sqlite's `a.k IS b.k`).
  DataFrame sg =
      a().group_by(struct_({col("k"), col("g")}).alias("s")).agg(count("*").alias("n"), sum("v").alias("t"));
  check(sg.select(col("s.k"), col("s.g"), col("n"), col("t")),
        "SELECT k, g, count(*), sum(v) FROM a GROUP BY k, g");
  check(a().group_by(array({col("k"), col("v")}).alias("x"))
            .agg(count("*").alias("n"), sum("v").alias("t"))
            .select("n", "t"),
        "SELECT count(*), sum(v) FROM a GROUP BY k, v");
  check(a().select(array({col("k"), col("v")}).alias("x")).distinct().agg(count("*")),
        "SELECT count(*) FROM (SELECT DISTINCT k, v FROM a)");
  check(a().agg(count_distinct(struct_({col("k"), col("g")}))),
        "SELECT count(*) FROM (SELECT DISTINCT k, g FROM a)");
  for (const char* threshold : {"10485760", "-1"}) {  // broadcast, then shuffled hash joins
    SCOPED_TRACE(threshold);
    spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
    DataFrame l = a().select(struct_({col("k")}).alias("s"), col("v"));
    DataFrame r = b().select(struct_({col("k")}).alias("s2"), col("w"));
    check(l.join(r, l["s"] == r["s2"]).select("v", "w"), "SELECT v, w FROM a JOIN b ON a.k IS b.k");
    check(l.join(r, l["s"] == r["s2"], "left_anti").select("v"),
          "SELECT v FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k IS a.k)");
  }
}

INSTANTIATE_TEST_SUITE_P(Partitionings, PartitioningInvarianceTest,
                         ::testing::Values(Partitioning{1, 1, false}, Partitioning{2, 2, false}, Partitioning{2, 7, true},
                                           Partitioning{1, 7, true}),
                         [](const ::testing::TestParamInfo<Partitioning>& info) {
                           return "threads" + std::to_string(info.param.threads) + "_shuffle" +
                                  std::to_string(info.param.shuffle_partitions) +
                                  (info.param.small_splits ? "_small_splits" : "");
                         });

}  // namespace
}  // namespace ember
