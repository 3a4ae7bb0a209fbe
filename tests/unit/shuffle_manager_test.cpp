#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>
#include <vector>

#include "ember/common/error.h"
#include "ember/runtime/shuffle/local_shuffle_manager.h"
#include "ember/vector/batch.h"

namespace ember {
namespace {

namespace fs = std::filesystem;

// (map, seq, reduce) packed into one int64 so the reader can check origin and order.
Batch tagged_batch(int map, int seq, int reduce, size_t rows) {
  auto v = Vector::make(DataType::int64(), rows);
  for (size_t i = 0; i < rows; ++i) v->values<int64_t>()[i] = map * 1000000 + seq * 1000 + reduce * 10 + 0;
  return Batch({v}, rows);
}

// A batch with every awkward case: nulls, empty strings, 16-byte decimals, doubles.
Batch mixed_batch(int seed, size_t rows) {
  auto ints = Vector::make(DataType::int32(), rows);
  auto dbl = Vector::make(DataType::float64(), rows);
  auto dec = Vector::make(DataType::decimal(38, 6), rows);
  auto str = Vector::make(DataType::string(), rows);
  for (size_t i = 0; i < rows; ++i) {
    int k = seed * 100 + static_cast<int>(i);
    ints->values<int32_t>()[i] = k;
    dbl->values<double>()[i] = k * 0.5 - 3.25;
    dec->values<int128_t>()[i] = (static_cast<int128_t>(k) * 1000000000000LL * 1000000000000LL) * (k % 2 ? -1 : 1);
    if (i % 4 == 1) {
      str->set_null_string(i);
      ints->set_null(i);
      dec->set_null(i);
    } else if (i % 4 == 2) {
      str->set_string(i, "");
    } else {
      str->set_string(i, "row-" + std::to_string(k) + std::string(i % 7, 'x'));
    }
  }
  return Batch({ints, dbl, dec, str}, rows);
}

void expect_same(const Batch& a, const Batch& b) {
  ASSERT_EQ(a.num_rows, b.num_rows);
  ASSERT_EQ(a.num_columns(), b.num_columns());
  for (size_t c = 0; c < a.num_columns(); ++c) {
    ASSERT_EQ(a.columns[c]->type(), b.columns[c]->type());
    for (size_t r = 0; r < a.num_rows; ++r) {
      EXPECT_EQ(a.columns[c]->value_at(r), b.columns[c]->value_at(r)) << "column " << c << " row " << r;
    }
  }
}

std::vector<int64_t> all_values(const std::vector<Batch>& batches) {
  std::vector<int64_t> out;
  for (const auto& b : batches) {
    for (size_t i = 0; i < b.num_rows; ++i) out.push_back(b.columns[0]->values<int64_t>()[i]);
  }
  return out;
}

size_t files_in(const fs::path& dir) {
  std::error_code ec;
  size_t n = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n;
}

TEST(ShuffleManagerTest, ConcurrentWritersAndDeterministicReadOrder) {
  for (int64_t limit : {int64_t{1} << 30, int64_t{20000}}) {  // all in memory; partly spilled
    LocalShuffleManager sm(limit);
    const int maps = 8, reduces = 4, seqs = 10;
    sm.register_shuffle(3, maps, reduces);
    std::vector<std::thread> writers;
    for (int m = 0; m < maps; ++m) {
      writers.emplace_back([&, m] {
        for (int s = 0; s < seqs; ++s) {
          for (int r = 0; r < reduces; ++r) sm.write(3, m, r, tagged_batch(m, s, r, 50));
        }
        sm.commit_map_output(3, m);
      });
    }
    for (auto& t : writers) t.join();
    for (int r = 0; r < reduces; ++r) {
      std::vector<Batch> got = sm.read(3, r);
      ASSERT_EQ(got.size(), static_cast<size_t>(maps * seqs));
      std::vector<int64_t> expected;
      for (int m = 0; m < maps; ++m) {
        for (int s = 0; s < seqs; ++s) expected.insert(expected.end(), 50, m * 1000000 + s * 1000 + r * 10);
      }
      EXPECT_EQ(all_values(got), expected) << "limit " << limit << " reduce " << r;
      EXPECT_EQ(all_values(sm.read(3, r)), expected) << "a second read sees the same";
    }
    if (limit < 100000) {
      EXPECT_GT(sm.bytes_spilled(), 0);
    } else {
      EXPECT_EQ(sm.bytes_spilled(), 0);
    }
  }
}

TEST(ShuffleManagerTest, OnlyCommittedOutputIsVisible) {
  LocalShuffleManager sm;
  sm.register_shuffle(0, 2, 1);
  sm.write(0, 0, 0, tagged_batch(0, 0, 0, 3));
  EXPECT_TRUE(sm.read(0, 0).empty());
  sm.commit_map_output(0, 0);
  EXPECT_EQ(sm.read(0, 0).size(), 1u);
  sm.write(0, 1, 0, tagged_batch(1, 0, 0, 3));
  EXPECT_EQ(sm.read(0, 0).size(), 1u);
}

TEST(ShuffleManagerTest, RetriedMapReplacesItsEarlierAttempt) {
  LocalShuffleManager sm;
  sm.register_shuffle(0, 1, 2);
  // Attempt 0 commits, then (say) the task fails afterwards and is rerun: attempt 1 replaces it.
  sm.write(0, 0, 0, tagged_batch(0, 1, 0, 2));
  sm.write(0, 0, 1, tagged_batch(0, 1, 1, 2));
  sm.commit_map_output(0, 0);
  sm.write(0, 0, 0, tagged_batch(0, 2, 0, 2));
  sm.commit_map_output(0, 0);
  EXPECT_EQ(all_values(sm.read(0, 0)), (std::vector<int64_t>{2000, 2000}));
  EXPECT_TRUE(sm.read(0, 1).empty()) << "the old attempt's block for reduce 1 must be gone too";

  // An aborted attempt's uncommitted blocks never show up.
  sm.write(0, 0, 0, tagged_batch(0, 3, 0, 5));
  sm.abort_map_output(0, 0);
  sm.write(0, 0, 0, tagged_batch(0, 4, 0, 1));
  sm.commit_map_output(0, 0);
  EXPECT_EQ(all_values(sm.read(0, 0)), (std::vector<int64_t>{4000}));
  // Memory accounting follows: only the committed block is held.
  EXPECT_EQ(sm.memory_bytes(), static_cast<int64_t>(tagged_batch(0, 4, 0, 1).byte_size()));
  sm.remove_shuffle(0);
  EXPECT_EQ(sm.memory_bytes(), 0);
}

TEST(ShuffleManagerTest, SpillRoundTripsEveryValueExactly) {
  LocalShuffleManager sm(0);  // everything spills
  sm.register_shuffle(1, 3, 2);
  std::vector<std::vector<Batch>> expected(2);
  for (int m = 0; m < 3; ++m) {
    for (int r = 0; r < 2; ++r) {
      Batch b = mixed_batch(m * 2 + r, 37 + static_cast<size_t>(m));
      expected[static_cast<size_t>(r)].push_back(b);
      sm.write(1, m, r, b);
    }
    sm.commit_map_output(1, m);
  }
  // A constant column is flattened by the spill.
  sm.register_shuffle(2, 1, 1);
  Batch constant({Vector::make_constant(Value::string("same"), 5), Vector::make_constant(Value::null(DataType::int64()), 5)}, 5);
  sm.write(2, 0, 0, constant);
  sm.commit_map_output(2, 0);

  EXPECT_GT(sm.bytes_spilled(), 0);
  EXPECT_EQ(sm.memory_bytes(), 0);
  EXPECT_GT(files_in(sm.spill_dir()), 0u);
  for (int r = 0; r < 2; ++r) {
    std::vector<Batch> got = sm.read(1, r);
    ASSERT_EQ(got.size(), 3u);
    for (size_t i = 0; i < 3; ++i) expect_same(got[i], expected[static_cast<size_t>(r)][i]);
  }
  std::vector<Batch> c = sm.read(2, 0);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_FALSE(c[0].columns[0]->is_constant());
  expect_same(c[0], constant);
}

TEST(ShuffleManagerTest, MemoryLimitSpillsOnlyWhatDoesNotFit) {
  Batch b = mixed_batch(1, 100);
  const auto size = static_cast<int64_t>(b.byte_size());
  LocalShuffleManager sm(size * 2);
  sm.register_shuffle(0, 1, 1);
  for (int i = 0; i < 5; ++i) sm.write(0, 0, 0, mixed_batch(i, 100));
  sm.commit_map_output(0, 0);
  EXPECT_GT(sm.memory_bytes(), 0);
  EXPECT_LE(sm.memory_bytes(), size * 2);
  EXPECT_GT(sm.bytes_spilled(), 0);
  std::vector<Batch> got = sm.read(0, 0);
  ASSERT_EQ(got.size(), 5u);
  for (int i = 0; i < 5; ++i) expect_same(got[static_cast<size_t>(i)], mixed_batch(i, 100));
}

TEST(ShuffleManagerTest, RemovalDeletesSpillFilesAndShutdownTheDirectory) {
  fs::path dir;
  {
    LocalShuffleManager sm(0);
    sm.register_shuffle(0, 2, 1);
    sm.register_shuffle(1, 1, 1);
    sm.write(0, 0, 0, mixed_batch(0, 10));
    sm.write(0, 1, 0, mixed_batch(1, 10));
    sm.commit_map_output(0, 0);  // map 1 stays uncommitted: its file must go as well
    sm.write(1, 0, 0, mixed_batch(2, 10));
    sm.commit_map_output(1, 0);
    dir = sm.spill_dir();
    EXPECT_EQ(files_in(dir), 3u);
    sm.remove_shuffle(0);
    EXPECT_EQ(files_in(dir), 1u);
    sm.remove_shuffle(0);  // unknown ids are ignored
    sm.abort_map_output(0, 0);
    // A retried map's replaced spill file is deleted at commit.
    sm.write(1, 0, 0, mixed_batch(3, 10));
    sm.commit_map_output(1, 0);
    EXPECT_EQ(files_in(dir), 1u);
    EXPECT_TRUE(fs::exists(dir));
  }
  EXPECT_FALSE(fs::exists(dir));
}

TEST(ShuffleManagerTest, SpillWriteErrorsNameTheFile) {
  // The spill root is a regular file, so the spill directory cannot be created.
  fs::path root = fs::temp_directory_path() / ("ember-shuffle-test-notadir-" + std::to_string(::getpid()));
  { std::ofstream(root) << "x"; }
  {
    LocalShuffleManager sm(0, root);
    sm.register_shuffle(0, 1, 1);
    try {
      sm.write(0, 0, 0, mixed_batch(0, 4));
      ADD_FAILURE() << "expected an I/O error";
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIo);
      EXPECT_NE(std::string(e.what()).find(root.string()), std::string::npos) << e.what();
    }
  }
  fs::remove(root);
}

TEST(ShuffleManagerTest, RejectsMisuse) {
  LocalShuffleManager sm;
  EXPECT_THROW(sm.write(9, 0, 0, tagged_batch(0, 0, 0, 1)), EmberError);
  EXPECT_THROW(sm.read(9, 0), EmberError);
  sm.register_shuffle(0, 1, 1);
  EXPECT_THROW(sm.register_shuffle(0, 1, 1), EmberError);
  EXPECT_THROW(sm.write(0, 1, 0, tagged_batch(0, 0, 0, 1)), EmberError);
  EXPECT_THROW(sm.write(0, 0, 1, tagged_batch(0, 0, 0, 1)), EmberError);
  sm.write(0, 0, 0, Batch({Vector::make(DataType::int64(), 0)}, 0));  // empty batches are dropped
  sm.commit_map_output(0, 0);
  EXPECT_TRUE(sm.read(0, 0).empty());
}

}  // namespace
}  // namespace ember
