// Adaptive query execution end to end: answers equal sqlite3's with AQE on and off across shuffle
// partition counts; the task counts show coalescing and skew splitting; a side that turns out
// small switches the join to a broadcast join; explain after collect() shows Spark's
// "AdaptiveSparkPlan isFinalPlan=true" text with the final and the initial plan.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "ember/ember.h"
#include "ember/runtime/adaptive_planner.h"

#include "e2e/sqlite_reference.h"

namespace ember {
namespace {

using namespace ember::functions;
using testing::expect_same_rows;
using testing::SqliteReference;
using testing::to_table;

class AdaptiveExecutionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("ember_aqe_e2e_" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    dims_ = new std::vector<std::vector<Value>>();
    facts_ = new std::vector<std::vector<Value>>();
    testing::TestRandom next(7);
    // Dimension: keys 1..200 (a few null), names.
    std::ofstream d(*dir_ / "dims.csv");
    d << "k,name\n";
    for (int i = 1; i <= 210; ++i) {
      Value k = i > 200 ? Value::null(DataType::int32()) : Value::int32(i);
      dims_->push_back({k, Value::string("n" + std::to_string(i))});
      d << (k.is_null() ? std::string() : k.to_string()) << ",n" << i << "\n";
    }
    // Facts: 20000 rows, half of them on key 7 (a skewed key), keys up to 250 (some without a
    // dimension row), a few null keys.
    std::ofstream f(*dir_ / "facts.csv");
    f << "id,k,v\n";
    for (int i = 1; i <= 20000; ++i) {
      Value k = next() % 97 == 0 ? Value::null(DataType::int32())
                                 : Value::int32(i % 2 == 0 ? 7 : static_cast<int32_t>(next() % 250) + 1);
      Value v = Value::int32(static_cast<int32_t>(next() % 1000));
      facts_->push_back({Value::int32(i), k, v});
      f << i << "," << (k.is_null() ? std::string() : k.to_string()) << "," << v.to_string() << "\n";
    }
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete dims_;
    delete facts_;
  }

  // The session is shared by every test of the binary: leave no setting behind.
  void reset_settings() {
    for (const char* key :
         {"spark.sql.adaptive.enabled", "spark.sql.shuffle.partitions",
          "spark.sql.adaptive.coalescePartitions.enabled",
          "spark.sql.adaptive.coalescePartitions.minPartitionNum",
          "spark.sql.adaptive.advisoryPartitionSizeInBytes", "spark.sql.adaptive.autoBroadcastJoinThreshold",
          "spark.sql.files.maxPartitionBytes", "spark.sql.adaptive.skewJoin.enabled",
          "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes",
          "spark.sql.adaptive.skewJoin.skewedPartitionFactor", "spark.sql.autoBroadcastJoinThreshold"}) {
      spark_->conf().unset(key);
    }
  }
  void TearDown() override { reset_settings(); }

  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    reset_settings();
    // Static planning never broadcasts here: the joins start as shuffled hash joins.
    spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    db_.load("dims", "k INTEGER, name TEXT", *dims_);
    db_.load("facts", "id INTEGER, k INTEGER, v INTEGER", *facts_);
  }

  DataFrame dims() const {
    return spark_->read()
        .option("header", "true")
        .schema("k INT, name STRING")
        .csv((*dir_ / "dims.csv").string());
  }
  DataFrame facts() const {
    return spark_->read()
        .option("header", "true")
        .schema("id INT, k INT, v INT")
        .csv((*dir_ / "facts.csv").string());
  }

  void check(const DataFrame& df, const std::string& sql) {
    expect_same_rows(to_table(df.collect()), db_.query(sql), false);
  }

  // Runs `body` with AQE off and on, at several shuffle partition counts.
  template <class Body>
  void across_settings(Body&& body) {
    for (const char* adaptive : {"false", "true"}) {
      for (const char* partitions : {"1", "3", "17", "200"}) {
        SCOPED_TRACE(std::string("adaptive=") + adaptive + " partitions=" + partitions);
        spark_->conf().set("spark.sql.adaptive.enabled", adaptive);
        spark_->conf().set("spark.sql.shuffle.partitions", partitions);
        body();
      }
    }
  }

  static std::filesystem::path* dir_;
  static std::vector<std::vector<Value>>* dims_;
  static std::vector<std::vector<Value>>* facts_;
  std::unique_ptr<Session> spark_;
  SqliteReference db_;
};

std::filesystem::path* AdaptiveExecutionTest::dir_ = nullptr;
std::vector<std::vector<Value>>* AdaptiveExecutionTest::dims_ = nullptr;
std::vector<std::vector<Value>>* AdaptiveExecutionTest::facts_ = nullptr;

TEST_F(AdaptiveExecutionTest, AggregateAnswersAreUnchanged) {
  across_settings([&] {
    check(facts().group_by("k").agg(sum(col("v")).alias("s"), count("*").alias("c")),
          "SELECT k, sum(v), count(*) FROM facts GROUP BY k");
  });
}

TEST_F(AdaptiveExecutionTest, JoinAnswersAreUnchanged) {
  across_settings([&] {
    check(facts().join(dims(), "k"), "SELECT f.k, id, v, name FROM facts f JOIN dims d ON f.k = d.k");
    check(facts().join(dims(), "k", "left"),
          "SELECT f.k, id, v, name FROM facts f LEFT JOIN dims d ON f.k = d.k");
    check(facts().join(dims(), "k", "right"),
          "SELECT d.k, id, v, name FROM facts f RIGHT JOIN dims d ON f.k = d.k");
    check(facts().join(dims(), "k", "left_anti"),
          "SELECT k, id, v FROM facts f WHERE NOT EXISTS (SELECT 1 FROM dims d WHERE d.k = f.k)");
  });
}

TEST_F(AdaptiveExecutionTest, JoinOfAggregatesAnswersAreUnchanged) {
  across_settings([&] {
    auto totals = facts().group_by("k").agg(sum(col("v")).alias("s"));
    check(totals.join(dims(), "k").group_by("name").agg(max(col("s")).alias("m")),
          "SELECT name, max(s) FROM (SELECT k, sum(v) AS s FROM facts GROUP BY k) t JOIN dims d ON t.k = d.k "
          "GROUP BY name");
  });
}

// 200 shuffle partitions of a few kilobytes each: AQE reads them as one coalesced partition
// (target size: max(total / 2 threads, min(1 MB, 64 MB / 5)) = 1 MB, more than the whole shuffle).
TEST_F(AdaptiveExecutionTest, CoalescingCutsTheReduceTasks) {
  spark_->conf().set("spark.sql.shuffle.partitions", "200");
  auto df = facts().group_by("k").agg(sum(col("v")).alias("s"));
  spark_->conf().set("spark.sql.adaptive.enabled", "false");
  df.collect();
  const QueryMetrics off = df.last_metrics();
  spark_->conf().set("spark.sql.adaptive.enabled", "true");
  df.collect();
  const QueryMetrics on = df.last_metrics();
  const int map_tasks = off.num_tasks - 200;
  ASSERT_GE(map_tasks, 1);
  EXPECT_EQ(on.num_tasks, map_tasks + 1);
  const std::string plan = df.explain_string(false);
  EXPECT_NE(plan.find("AdaptiveSparkPlan isFinalPlan=true"), std::string::npos) << plan;
  EXPECT_NE(plan.find("AQEShuffleRead coalesced"), std::string::npos) << plan;
  EXPECT_NE(plan.find("ShuffleQueryStage 0"), std::string::npos) << plan;
  EXPECT_NE(plan.find("== Initial Plan =="), std::string::npos) << plan;
  // With coalescing off, every partition is a task.
  spark_->conf().set("spark.sql.adaptive.coalescePartitions.enabled", "false");
  df.collect();
  EXPECT_EQ(df.last_metrics().num_tasks, off.num_tasks);
}

// An advisory size of a quarter of the shuffle gives about four coalesced partitions, each of
// contiguous reduce partitions (so more than one task, fewer than the 200 partitions).
TEST_F(AdaptiveExecutionTest, CoalescingFollowsTheAdvisorySize) {
  spark_->conf().set("spark.sql.shuffle.partitions", "200");
  spark_->conf().set("spark.sql.adaptive.coalescePartitions.minPartitionNum", "1");
  spark_->conf().set("spark.sql.adaptive.advisoryPartitionSizeInBytes", "20000");
  auto df = facts().repartition({col("id")}).select(col("id"), col("v"));
  spark_->conf().set("spark.sql.adaptive.enabled", "false");
  check(df, "SELECT id, v FROM facts");
  const int map_tasks = df.last_metrics().num_tasks - 200;
  spark_->conf().set("spark.sql.adaptive.enabled", "true");
  check(df, "SELECT id, v FROM facts");
  const int reduce_tasks = df.last_metrics().num_tasks - map_tasks;
  EXPECT_GE(reduce_tasks, 2);
  EXPECT_LE(reduce_tasks, 20) << df.explain_string(false);
}

TEST_F(AdaptiveExecutionTest, RepartitionWithANumberKeepsItsPartitions) {
  spark_->conf().set("spark.sql.shuffle.partitions", "200");
  auto df = facts().repartition(50, {col("k")});
  spark_->conf().set("spark.sql.adaptive.enabled", "false");
  df.collect();
  const int off = df.last_metrics().num_tasks;
  spark_->conf().set("spark.sql.adaptive.enabled", "true");
  df.collect();
  EXPECT_EQ(df.last_metrics().num_tasks, off);
}

// Static planning chose a shuffled hash join (broadcast threshold -1); at run time the dimension
// side's shuffle output is a few kilobytes, under the adaptive threshold, so the join becomes a
// broadcast join reading that output whole.
TEST_F(AdaptiveExecutionTest, SmallSideSwitchesToBroadcast) {
  spark_->conf().set("spark.sql.adaptive.autoBroadcastJoinThreshold", "10MB");
  auto df = facts().join(dims(), "k");
  check(df, "SELECT f.k, id, v, name FROM facts f JOIN dims d ON f.k = d.k");
  const std::string plan = df.explain_string(false);
  const size_t final_at = plan.find("== Final Plan ==");
  const size_t initial_at = plan.find("== Initial Plan ==");
  ASSERT_NE(final_at, std::string::npos) << plan;
  ASSERT_NE(initial_at, std::string::npos) << plan;
  const std::string final_plan = plan.substr(final_at, initial_at - final_at);
  const std::string initial_plan = plan.substr(initial_at);
  EXPECT_NE(final_plan.find("BroadcastHashJoin [k"), std::string::npos) << plan;
  EXPECT_NE(final_plan.find("BuildRight, false"), std::string::npos) << plan;
  EXPECT_NE(final_plan.find("AQEShuffleRead local"), std::string::npos) << plan;
  EXPECT_EQ(final_plan.find("ShuffledHashJoin"), std::string::npos) << plan;
  EXPECT_NE(initial_plan.find("ShuffledHashJoin"), std::string::npos) << plan;
  // A full outer join has no side it may broadcast: it stays a shuffled hash join.
  auto full = facts().join(dims(), "k", "full");
  check(full.select(col("k"), col("id"), col("v"), col("name")),
        "SELECT coalesce(f.k, d.k), id, v, name FROM facts f FULL JOIN dims d ON f.k = d.k");
  EXPECT_EQ(full.explain_string(false).find("BroadcastHashJoin"), std::string::npos);
}

// Half of the facts sit on one key. With small skew thresholds the reduce partition of that key
// is split by map ranges (the facts file is read in many splits, so there are many maps), each
// piece joined with the dimension partition: more tasks, same answer.
TEST_F(AdaptiveExecutionTest, SkewedPartitionIsSplit) {
  spark_->conf().set("spark.sql.files.maxPartitionBytes", "16384");
  spark_->conf().set("spark.sql.shuffle.partitions", "8");
  spark_->conf().set("spark.sql.adaptive.coalescePartitions.enabled", "false");
  spark_->conf().set("spark.sql.adaptive.autoBroadcastJoinThreshold", "-1");
  spark_->conf().set("spark.sql.adaptive.advisoryPartitionSizeInBytes", "20000");
  spark_->conf().set("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "10000");
  spark_->conf().set("spark.sql.adaptive.skewJoin.skewedPartitionFactor", "2");
  const std::string sql = "SELECT f.k, id, v, name FROM facts f JOIN dims d ON f.k = d.k";
  const std::string left_sql = "SELECT f.k, id, v, name FROM facts f LEFT JOIN dims d ON f.k = d.k";
  spark_->conf().set("spark.sql.adaptive.skewJoin.enabled", "false");
  auto plain = facts().join(dims(), "k");
  check(plain, sql);
  const int unsplit_tasks = plain.last_metrics().num_tasks;
  spark_->conf().set("spark.sql.adaptive.skewJoin.enabled", "true");
  auto split = facts().join(dims(), "k");
  check(split, sql);
  EXPECT_GT(split.last_metrics().num_tasks, unsplit_tasks);
  const std::string plan = split.explain_string(false);
  EXPECT_NE(plan.find("AQEShuffleRead skewed"), std::string::npos) << plan;
  // A left outer join may split its left side too; its answer still matches.
  auto left = facts().join(dims(), "k", "left");
  check(left, left_sql);
  EXPECT_GT(left.last_metrics().num_tasks, unsplit_tasks);
  // A right outer join must not split the left (streamed) side: the unmatched dimension rows
  // would come out once per piece.
  auto right = facts().join(dims(), "k", "right");
  check(right, "SELECT d.k, id, v, name FROM facts f RIGHT JOIN dims d ON f.k = d.k");
  EXPECT_EQ(right.last_metrics().num_tasks, unsplit_tasks);
}

TEST(AdaptivePartitionGroupingTest, GroupsContiguousPartitionsUpToTheTarget) {
  // Target 100: [10,20,30] = 60, adding 50 would pass 100 → new group; [50,40] = 90; [70] ...
  EXPECT_EQ(group_by_target_size({10, 20, 30, 50, 40, 70, 60}, 100),
            (std::vector<std::pair<int, int>>{{0, 3}, {3, 5}, {5, 6}, {6, 7}}));
  // A trailing group under 20% of the target joins its neighbour while that stays within 120%.
  EXPECT_EQ(group_by_target_size({90, 10, 5}, 100), (std::vector<std::pair<int, int>>{{0, 3}}));
  // Empty partitions all fall into one group.
  EXPECT_EQ(group_by_target_size({0, 0, 0, 0}, 100), (std::vector<std::pair<int, int>>{{0, 4}}));
  // A partition larger than the target stays a group of its own.
  EXPECT_EQ(group_by_target_size({500, 50, 60}, 100),
            (std::vector<std::pair<int, int>>{{0, 1}, {1, 2}, {2, 3}}));
}

}  // namespace
}  // namespace ember
