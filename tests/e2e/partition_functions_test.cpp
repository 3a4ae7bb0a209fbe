// spark_partition_id() and monotonically_increasing_id() against Spark's documentation (two
// partitions of three rows give 0, 1, 2, 8589934592, 8589934593, 8589934594) and against the
// invariant that defines them: partition index << 33 | position within the partition. Also that
// the optimizer does not push a filter below a projection that computes them.
#include <map>

#include <gtest/gtest.h>

#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;

class PartitionFunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
  }
  std::unique_ptr<Session> spark_;
};

TEST_F(PartitionFunctionsTest, SparkDocumentationExample) {
  std::vector<Row> rows =
      spark_->range(0, 6, 1, 2)
          .select(col("id"), monotonically_increasing_id().alias("mid"), spark_partition_id().alias("p"))
          .collect();
  ASSERT_EQ(rows.size(), 6u);
  const int64_t expected[] = {0, 1, 2, 8589934592LL, 8589934593LL, 8589934594LL};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(rows[i]["id"].as_int64(), static_cast<int64_t>(i));
    EXPECT_EQ(rows[i]["mid"].as_int64(), expected[i]) << i;
    EXPECT_EQ(rows[i]["p"].as_int64(), i < 3 ? 0 : 1) << i;
  }
  DataFrame df = spark_->range(0, 6, 1, 2).select(monotonically_increasing_id(), spark_partition_id());
  EXPECT_EQ(df.columns(),
            (std::vector<std::string>{"monotonically_increasing_id()", "SPARK_PARTITION_ID()"}));
  EXPECT_EQ(df.schema().field(0).type.id(), TypeId::kLong);
  EXPECT_EQ(df.schema().field(1).type.id(), TypeId::kInt);
}

TEST_F(PartitionFunctionsTest, IdsCountAcrossBatchesWithinEachPartition) {
  // 50,000 rows in 3 partitions: several batches per partition.
  std::vector<Row> rows =
      spark_->range(0, 50000, 1, 3)
          .repartition(3)
          .select(monotonically_increasing_id().alias("mid"), spark_partition_id().alias("p"))
          .collect();
  ASSERT_EQ(rows.size(), 50000u);
  std::map<int64_t, int64_t> next_position;  // partition -> expected position of its next row
  for (const Row& r : rows) {
    int64_t mid = r["mid"].as_int64();
    int64_t p = r["p"].as_int64();
    EXPECT_EQ(mid >> 33, p);
    ASSERT_EQ(mid & ((int64_t{1} << 33) - 1), next_position[p]++);
  }
  EXPECT_EQ(next_position.size(), 3u);
}

TEST_F(PartitionFunctionsTest, FilterIsNotPushedBelowTheIds) {
  // Ids are given before the filter: rows 0, 2, 4 keep the ids they had among all six rows.
  std::vector<Row> rows = spark_->range(0, 6, 1, 2)
                              .with_column("mid", monotonically_increasing_id())
                              .filter(col("id") % lit(2) == lit(0))
                              .collect();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["mid"].as_int64(), 0);
  EXPECT_EQ(rows[1]["mid"].as_int64(), 2);
  EXPECT_EQ(rows[2]["mid"].as_int64(), 8589934593LL);
}

TEST_F(PartitionFunctionsTest, SqlNames) {
  std::vector<Row> rows = spark_->range(0, 4, 1, 2).select(call_function("spark_partition_id", {})).collect();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[3][0].as_int64(), 1);
}

}  // namespace
}  // namespace ember
