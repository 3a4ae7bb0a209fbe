// cache()/persist(): the block manager's storage levels, eviction and disk blocks, and the
// recomputation of lost blocks from lineage. Expected rows are computed here in plain C++ from the
// generating formula (and compared with the uncached DataFrame), never taken from a cached run.
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "ember/api/session_state.h"
#include "ember/common/error.h"
#include "ember/ember.h"
#include "ember/runtime/block_manager.h"
#include "ember/vector/vector.h"

namespace ember {
namespace {

using namespace ember::functions;
namespace fs = std::filesystem;

constexpr int64_t kRows = 40000;
constexpr int kPartitions = 4;

// Per k = id % 7 of the rows kept by the filter (id % 3 != 0): the row count and sum of id.
std::map<int64_t, std::pair<int64_t, int64_t>> expected_groups() {
  std::map<int64_t, std::pair<int64_t, int64_t>> out;
  for (int64_t id = 0; id < kRows; ++id) {
    if (id % 3 == 0) continue;
    auto& g = out[id % 7];
    ++g.first;
    g.second += id;
  }
  return out;
}

class CacheBlockManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
  }
  void TearDown() override {
    // Settings and cached data must not leak into other suites sharing the default session.
    spark_->stop();
  }

  // kPartitions partitions of kRows / kPartitions rows each, a string column to give the blocks
  // variable-width data too.
  DataFrame data() const {
    return spark_->range(0, kRows, 1, kPartitions)
        .filter(col("id") % 3 != 0)
        .select(col("id"), (col("id") % 7).alias("k"),
                concat({lit("row-"), (col("id") % 100).cast("string")}).alias("s"));
  }

  BlockManager& blocks() const { return *spark_->state()->blocks; }

  // The cached DataFrame's rdd id: the only rdd with blocks in the manager.
  int only_rdd() const {
    std::vector<BlockId> ids = blocks().block_ids();
    EXPECT_FALSE(ids.empty());
    for (const auto& id : ids) EXPECT_EQ(id.rdd_id, ids.front().rdd_id);
    return ids.empty() ? -1 : ids.front().rdd_id;
  }

  // The grouped answer of df, checked against expected_groups().
  static void expect_groups(const DataFrame& df) {
    auto rows = df.group_by("k").agg(count("*").alias("n"), sum("id").alias("total")).order_by("k").collect();
    auto want = expected_groups();
    ASSERT_EQ(rows.size(), want.size());
    for (const auto& r : rows) {
      const auto& g = want.at(r["k"].as_int64());
      EXPECT_EQ(r["n"].as_int64(), g.first) << r.to_string();
      EXPECT_EQ(r["total"].as_int64(), g.second) << r.to_string();
    }
  }

  // Runs a grouped action over df and returns its metrics.
  static QueryMetrics grouped_action(const DataFrame& df) {
    DataFrame grouped = df.group_by("k").agg(count("*").alias("n"), sum("id").alias("total"));
    grouped.collect();
    return grouped.last_metrics();
  }

  std::unique_ptr<Session> spark_;
};

TEST(StorageLevelTest, NamesFlagsAndTextAreSparks) {
  // Spark's StorageLevel object: (useDisk, useMemory, useOffHeap, deserialized, replication).
  EXPECT_EQ(StorageLevel::parse("MEMORY_ONLY"), (StorageLevel{false, true, false, true, 1}));
  EXPECT_EQ(StorageLevel::parse("memory_and_disk"), (StorageLevel{true, true, false, true, 1}));
  EXPECT_EQ(StorageLevel::parse("MEMORY_AND_DISK_SER_2"), (StorageLevel{true, true, false, false, 2}));
  EXPECT_EQ(StorageLevel::parse("DISK_ONLY_3"), (StorageLevel{true, false, false, false, 3}));
  EXPECT_EQ(StorageLevel::parse("OFF_HEAP"), (StorageLevel{true, true, true, false, 1}));
  EXPECT_EQ(StorageLevel::parse("NONE"), StorageLevel::none());
  // StorageLevel.toString (what explain prints) and .description.
  EXPECT_EQ(StorageLevel::memory_and_disk().to_string(),
            "StorageLevel(disk, memory, deserialized, 1 replicas)");
  EXPECT_EQ(StorageLevel::parse("DISK_ONLY").to_string(), "StorageLevel(disk, 1 replicas)");
  EXPECT_EQ(StorageLevel::parse("MEMORY_ONLY_SER_2").to_string(), "StorageLevel(memory, 2 replicas)");
  EXPECT_EQ(StorageLevel::memory_and_disk().description(), "Disk Memory Deserialized 1x Replicated");
  EXPECT_EQ(StorageLevel::parse("OFF_HEAP").description(), "Disk Memory (off heap) Serialized 1x Replicated");
  try {
    StorageLevel::parse("MEMORY_SOMETIMES");
    FAIL() << "no error";
  } catch (const EmberError& e) {
    EXPECT_NE(std::string(e.what()).find("Invalid StorageLevel: MEMORY_SOMETIMES"), std::string::npos)
        << e.what();
  }
}

// --- the block manager on its own ---

Batch int_batch(int64_t from, int64_t n) {
  auto v = Vector::make(DataType::int64(), static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v->values<int64_t>()[i] = from + i;
  return Batch({v}, static_cast<size_t>(n));
}

std::vector<int64_t> ints_of(const std::vector<Batch>& batches) {
  std::vector<int64_t> out;
  for (const auto& b : batches) {
    for (size_t i = 0; i < b.num_rows; ++i) out.push_back(b.columns[0]->values<int64_t>()[i]);
  }
  return out;
}

class BlockManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("ember_blocks_test_" + std::to_string(::getpid()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(BlockManagerTest, EveryLevelRoundTrips) {
  BlockManager bm(1 << 20, root_);
  bm.set_compress(true);
  const std::vector<Batch> rows = {int_batch(0, 1000), int_batch(5000, 10)};
  std::vector<int64_t> want = ints_of(rows);
  int p = 0;
  for (const char* name : {"MEMORY_ONLY", "MEMORY_ONLY_SER", "MEMORY_AND_DISK", "MEMORY_AND_DISK_SER",
                           "DISK_ONLY", "OFF_HEAP"}) {
    const StorageLevel level = StorageLevel::parse(name);
    const BlockId id{0, p++};
    ASSERT_TRUE(bm.put(id, rows, level)) << name;
    auto status = bm.status(id);
    ASSERT_TRUE(status) << name;
    EXPECT_EQ(status->in_memory, level.use_memory) << name;
    EXPECT_EQ(status->serialized, level.use_memory && !level.deserialized) << name;
    EXPECT_EQ(status->on_disk, !level.use_memory) << name;
    EXPECT_EQ(fs::exists(bm.block_file(id)), !level.use_memory) << name;
    EXPECT_TRUE(bm.contains(id)) << name;
    auto back = bm.get(id);
    ASSERT_TRUE(back) << name;
    EXPECT_EQ(ints_of(*back), want) << name;
  }
  // spark.rdd.compress: LZ4 makes repetitive serialized data far smaller.
  Batch repetitive = int_batch(0, 4000);
  for (size_t i = 0; i < 4000; ++i) repetitive.columns[0]->values<int64_t>()[i] = static_cast<int64_t>(i % 5);
  const StorageLevel ser = StorageLevel::parse("MEMORY_ONLY_SER");
  ASSERT_TRUE(bm.put(BlockId{1, 0}, {repetitive}, ser));
  bm.set_compress(false);
  ASSERT_TRUE(bm.put(BlockId{1, 1}, {repetitive}, ser));
  EXPECT_LT(bm.status(BlockId{1, 0})->memory_bytes * 4, bm.status(BlockId{1, 1})->memory_bytes);
  EXPECT_EQ(ints_of(*bm.get(BlockId{1, 0})), ints_of({repetitive}));
  // NONE stores nothing.
  EXPECT_FALSE(bm.put(BlockId{0, 99}, rows, StorageLevel::none()));
  EXPECT_FALSE(bm.get(BlockId{0, 99}));
}

TEST_F(BlockManagerTest, LeastRecentlyUsedBlocksOfOtherRddsAreEvicted) {
  const int64_t block = static_cast<int64_t>(int_batch(0, 1000).byte_size());
  BlockManager bm(3 * block, root_);
  const StorageLevel memory_only = StorageLevel::parse("MEMORY_ONLY");
  const StorageLevel memory_and_disk = StorageLevel::parse("MEMORY_AND_DISK");
  ASSERT_TRUE(bm.put(BlockId{0, 0}, {int_batch(0, 1000)}, memory_only));
  ASSERT_TRUE(bm.put(BlockId{0, 1}, {int_batch(1000, 1000)}, memory_and_disk));
  ASSERT_TRUE(bm.put(BlockId{0, 2}, {int_batch(2000, 1000)}, memory_only));
  // A fourth block of the same rdd never evicts its siblings (Spark's rule): MEMORY_ONLY keeps
  // nothing, MEMORY_AND_DISK goes to disk.
  EXPECT_FALSE(bm.put(BlockId{0, 3}, {int_batch(3000, 1000)}, memory_only));
  EXPECT_FALSE(bm.status(BlockId{0, 3}));
  ASSERT_TRUE(bm.put(BlockId{0, 4}, {int_batch(4000, 1000)}, memory_and_disk));
  EXPECT_TRUE(bm.status(BlockId{0, 4})->on_disk);
  EXPECT_EQ(bm.blocks_evicted(), 0);
  // Use block 0, so block 1 is the least recently used; another rdd's block evicts it, to disk.
  ASSERT_TRUE(bm.get(BlockId{0, 0}));
  ASSERT_TRUE(bm.put(BlockId{1, 0}, {int_batch(9000, 1000)}, memory_only));
  EXPECT_EQ(bm.blocks_evicted(), 1);
  auto moved = bm.status(BlockId{0, 1});
  ASSERT_TRUE(moved);
  EXPECT_FALSE(moved->in_memory);
  EXPECT_TRUE(moved->on_disk);
  EXPECT_EQ(ints_of(*bm.get(BlockId{0, 1})).front(), 1000);
  // Next in LRU order is block 2 (MEMORY_ONLY): evicted, it is gone.
  ASSERT_TRUE(bm.put(BlockId{2, 0}, {int_batch(0, 1000)}, memory_only));
  EXPECT_FALSE(bm.status(BlockId{0, 2}));
  EXPECT_LE(bm.memory_bytes(), 3 * block);
  // A pinned rdd is never evicted: with rdd 0 and 2 pinned, rdd 1's block goes (though rdd 0's
  // is older), then rdd 3's; once rdd 4 is pinned too, nothing fits.
  auto pin0 = bm.pin(0);
  auto pin2 = bm.pin(2);
  ASSERT_TRUE(bm.put(BlockId{3, 0}, {int_batch(0, 1000)}, memory_only));
  EXPECT_FALSE(bm.status(BlockId{1, 0}));
  ASSERT_TRUE(bm.put(BlockId{4, 0}, {int_batch(0, 1000)}, memory_only));
  EXPECT_FALSE(bm.status(BlockId{3, 0}));
  auto pin4 = bm.pin(4);
  EXPECT_FALSE(bm.put(BlockId{5, 0}, {int_batch(0, 1000)}, memory_only));
  EXPECT_TRUE(bm.status(BlockId{0, 0})->in_memory);
  EXPECT_TRUE(bm.status(BlockId{2, 0})->in_memory);
}

TEST_F(BlockManagerTest, DamagedOrMissingDiskBlocksAreLostAndUnpersistDeletesFiles) {
  BlockManager bm(0, root_);  // no memory: every MEMORY_AND_DISK block goes to disk
  const StorageLevel level = StorageLevel::parse("MEMORY_AND_DISK");
  for (int p = 0; p < 3; ++p) ASSERT_TRUE(bm.put(BlockId{7, p}, {int_batch(p * 100, 100)}, level));
  EXPECT_EQ(bm.memory_bytes(), 0);
  EXPECT_GT(bm.disk_bytes(), 0);
  {
    // Same size, one byte changed in the middle: only the checksum can tell.
    std::fstream f(bm.block_file(BlockId{7, 1}), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(bm.block_file(BlockId{7, 1})) / 2));
    f.put('\x5a');
  }
  fs::remove(bm.block_file(BlockId{7, 2}));
  EXPECT_TRUE(bm.contains(BlockId{7, 0}));
  EXPECT_FALSE(bm.contains(BlockId{7, 1}));
  EXPECT_FALSE(bm.get(BlockId{7, 2}));
  EXPECT_FALSE(bm.status(BlockId{7, 1}));
  EXPECT_FALSE(fs::exists(bm.block_file(BlockId{7, 1})));
  bm.remove_rdd(7);
  EXPECT_TRUE(bm.block_ids().empty());
  EXPECT_EQ(bm.disk_bytes(), 0);
  EXPECT_TRUE(fs::is_empty(bm.disk_dir()));
}

// --- through the DataFrame API ---

TEST_F(CacheBlockManagerTest, StorageLevelIsCachedAndExplain) {
  DataFrame df = data();
  EXPECT_FALSE(df.is_cached());
  EXPECT_EQ(df.storage_level(), StorageLevel::none());
  EXPECT_THROW(df.persist("MEMORY_PLEASE"), EmberError);
  df.persist("memory_only_ser");
  EXPECT_TRUE(df.is_cached());
  EXPECT_EQ(df.storage_level(), StorageLevel::parse("MEMORY_ONLY_SER"));
  // Persisting cached data again keeps its level, as Spark does.
  df.cache();
  EXPECT_EQ(df.storage_level(), StorageLevel::parse("MEMORY_ONLY_SER"));
  std::string plan = df.group_by("k").agg(count("*")).explain_string(true);
  EXPECT_NE(plan.find("InMemoryRelation, StorageLevel(memory, 1 replicas)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("InMemoryTableScan"), std::string::npos) << plan;
  df.unpersist();
  EXPECT_EQ(df.storage_level(), StorageLevel::none());
}

TEST_F(CacheBlockManagerTest, LaterActionsReadBlocksAndOneLostBlockIsRecomputedByOneTask) {
  for (const char* level : {"MEMORY_ONLY", "MEMORY_AND_DISK", "MEMORY_ONLY_SER", "DISK_ONLY"}) {
    SCOPED_TRACE(level);
    DataFrame df = data().persist(level);
    // The first action computes every partition, one task each.
    QueryMetrics first = grouped_action(df);
    EXPECT_EQ(first.cached_partitions_computed, kPartitions);
    EXPECT_EQ(first.cache_tasks, kPartitions);
    const int rdd = only_rdd();
    EXPECT_EQ(blocks().block_ids().size(), static_cast<size_t>(kPartitions));
    // The second computes nothing.
    QueryMetrics second = grouped_action(df);
    EXPECT_EQ(second.cached_partitions_computed, 0);
    EXPECT_EQ(second.cache_tasks, 0);
    // Lose one block: the next action runs exactly one task of the cached plan, and the answer is
    // the formula's and the uncached plan's.
    blocks().remove_block(BlockId{rdd, 2});
    QueryMetrics third = grouped_action(df);
    EXPECT_EQ(third.cached_partitions_computed, 1);
    EXPECT_EQ(third.cache_tasks, 1);
    EXPECT_TRUE(blocks().status(BlockId{rdd, 2}));
    expect_groups(df);
    EXPECT_EQ(df.count(), data().count());
    df.unpersist();
    EXPECT_TRUE(blocks().block_ids().empty());
  }
}

TEST_F(CacheBlockManagerTest, DamagedDiskBlockIsRecomputedAndMemoryAndDiskRoundTripsThroughDisk) {
  // No storage memory: MEMORY_AND_DISK keeps every block on disk and reads it back.
  spark_->conf().set("spark.ember.storage.memoryLimitBytes", "0");
  spark_->conf().set("spark.rdd.compress", "true");
  DataFrame df = data().persist("MEMORY_AND_DISK");
  expect_groups(df);
  const int rdd = only_rdd();
  for (int p = 0; p < kPartitions; ++p) {
    auto status = blocks().status(BlockId{rdd, p});
    ASSERT_TRUE(status);
    EXPECT_FALSE(status->in_memory);
    EXPECT_TRUE(status->on_disk);
    EXPECT_TRUE(fs::exists(blocks().block_file(BlockId{rdd, p})));
  }
  EXPECT_EQ(blocks().memory_bytes(), 0);
  // A second action reads the disk blocks (nothing recomputed) and gets the same answer.
  EXPECT_EQ(grouped_action(df).cached_partitions_computed, 0);
  expect_groups(df);
  // Damage one file: it is noticed and only that partition is recomputed.
  const fs::path file = blocks().block_file(BlockId{rdd, 1});
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) / 2));
    f.put('\x01');
    f.put('\x02');
  }
  QueryMetrics after = grouped_action(df);
  EXPECT_EQ(after.cached_partitions_computed, 1);
  EXPECT_EQ(after.cache_tasks, 1);
  expect_groups(df);
  // unpersist deletes the files.
  df.unpersist();
  EXPECT_EQ(blocks().disk_bytes(), 0);
  EXPECT_TRUE(fs::is_empty(blocks().disk_dir()));
}

TEST_F(CacheBlockManagerTest, MemoryBudgetSmallerThanTheDataEvictsAndAnswersStayRight) {
  // Measure one partition's block, then allow a bit more than two of them.
  int64_t block_bytes = 0;
  {
    DataFrame probe = data().persist("MEMORY_ONLY");
    probe.count();
    block_bytes = blocks().memory_bytes() / kPartitions;
    probe.unpersist();
  }
  ASSERT_GT(block_bytes, 0);
  spark_->conf().set("spark.ember.storage.memoryLimitBytes", std::to_string(block_bytes * 5 / 2));

  // A MEMORY_ONLY DataFrame larger than the budget: two blocks are kept, the other two are
  // computed again by every action (Spark's behaviour), and the answers do not change.
  DataFrame a = data().persist("MEMORY_ONLY");
  QueryMetrics first = grouped_action(a);
  EXPECT_EQ(first.cached_partitions_computed, kPartitions);
  EXPECT_EQ(blocks().block_ids().size(), 2u);
  EXPECT_LE(blocks().memory_bytes(), block_bytes * 5 / 2);
  QueryMetrics second = grouped_action(a);
  EXPECT_EQ(second.cached_partitions_computed, 2);
  expect_groups(a);

  // A second cached DataFrame evicts the first one's blocks (the least recently used first).
  DataFrame b = data().filter(col("k") < 3).persist("MEMORY_ONLY");
  const int64_t evicted_before = blocks().blocks_evicted();
  b.count();
  EXPECT_GT(blocks().blocks_evicted(), evicted_before);
  EXPECT_LE(blocks().memory_bytes(), block_bytes * 5 / 2);
  int64_t b_expected = 0;
  for (int64_t id = 0; id < kRows; ++id) b_expected += (id % 3 != 0 && id % 7 < 3) ? 1 : 0;
  EXPECT_EQ(b.count(), b_expected);
  // The first DataFrame recomputes what it lost and still answers right; joined with the second,
  // both are read in one query (each pinned while the other is stored).
  expect_groups(a);
  auto joined = a.join(b.select(col("id"), col("k").alias("k2")), "id")
                    .agg(count("*").alias("n"), sum("id").alias("t"));
  auto row = joined.collect().at(0);
  int64_t n = 0, t = 0;
  for (int64_t id = 0; id < kRows; ++id) {
    if (id % 3 != 0 && id % 7 < 3) {
      ++n;
      t += id;
    }
  }
  EXPECT_EQ(row["n"].as_int64(), n);
  EXPECT_EQ(row["t"].as_int64(), t);
  a.unpersist();
  b.unpersist();
  EXPECT_EQ(blocks().memory_bytes(), 0);
  EXPECT_TRUE(blocks().block_ids().empty());
}

TEST_F(CacheBlockManagerTest, CachedPlanWithAShuffleRecomputesOnlyTheLostPartition) {
  spark_->conf().set("spark.sql.shuffle.partitions", "3");
  DataFrame grouped =
      data().group_by("k").agg(count("*").alias("n"), sum("id").alias("total")).persist("MEMORY_ONLY");
  auto check = [&] {
    auto rows = grouped.order_by("k").collect();
    auto want = expected_groups();
    ASSERT_EQ(rows.size(), want.size());
    for (const auto& r : rows) {
      EXPECT_EQ(r["n"].as_int64(), want.at(r["k"].as_int64()).first);
      EXPECT_EQ(r["total"].as_int64(), want.at(r["k"].as_int64()).second);
    }
  };
  check();
  const int rdd = only_rdd();
  EXPECT_EQ(blocks().block_ids().size(), 3u);
  blocks().remove_block(BlockId{rdd, 0});
  DataFrame counted = grouped.agg(count("*").alias("c"));
  EXPECT_EQ(counted.collect().at(0)["c"].as_int64(), 7);
  // The map stage runs whole (shuffle output is not kept between jobs), the reduce stage only
  // for the lost partition.
  EXPECT_EQ(counted.last_metrics().cached_partitions_computed, 1);
  EXPECT_EQ(counted.last_metrics().cache_tasks, kPartitions + 1);
  check();
  // A different partition count leaves no way to complete the old blocks: all are recomputed.
  spark_->conf().set("spark.sql.shuffle.partitions", "2");
  blocks().remove_block(BlockId{rdd, 1});
  DataFrame again = grouped.agg(count("*").alias("c"));
  EXPECT_EQ(again.collect().at(0)["c"].as_int64(), 7);
  EXPECT_EQ(again.last_metrics().cached_partitions_computed, 2);
  check();
}

// Spark's CacheManager replaces any subtree equal to a cached plan, so a SQL query over a temp
// view of a cached DataFrame reads the blocks too — whether the view was created before or after
// cache(), as Spark users do with df.cache(); df.createOrReplaceTempView("v").
TEST_F(CacheBlockManagerTest, SqlOverATempViewOfACachedDataFrameReadsTheBlocks) {
  for (bool view_first : {false, true}) {
    SCOPED_TRACE(view_first ? "view created before cache()" : "view created after cache()");
    DataFrame df = data();
    if (view_first) df.create_or_replace_temp_view("cached_rows");
    df.cache();
    if (!view_first) df.create_or_replace_temp_view("cached_rows");
    const std::string query = "SELECT k, count(*) AS n, sum(id) AS s FROM cached_rows GROUP BY k";
    std::string plan = spark_->sql(query).explain_string(true);
    EXPECT_NE(plan.find("InMemoryTableScan"), std::string::npos) << plan;
    DataFrame first = spark_->sql(query);
    first.collect();
    EXPECT_EQ(first.last_metrics().cached_partitions_computed, kPartitions);
    DataFrame second = spark_->sql(query);
    std::vector<Row> rows = second.collect();
    EXPECT_EQ(second.last_metrics().cached_partitions_computed, 0);
    std::map<int64_t, std::pair<int64_t, int64_t>> got;
    for (const auto& r : rows) got[r["k"].as_int64()] = {r["n"].as_int64(), r["s"].as_int64()};
    EXPECT_EQ(got, expected_groups());
    df.unpersist();
  }
}

}  // namespace
}  // namespace ember
