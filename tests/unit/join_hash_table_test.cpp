// JoinHashTable and JoinProbe: every (probe row, build row) pair they list is checked against a
// row-by-row comparison of Values (join_reference.h), for single and multi-column keys of mixed
// types, duplicates, nulls, float normalisation, null-safe keys, chunk boundaries and the memory
// limit.
#include "ember/exec/hashtable/join_hash_table.h"

#include <thread>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/exec/operators/range_scan_operator.h"
#include "ember/expr/evaluator.h"

#include "join_reference.h"

namespace ember {
namespace {

using join_test::Row;
using join_test::Rows;

constexpr size_t kNoLimit = size_t{1} << 40;

struct Pair {
  uint32_t probe;
  uint32_t build;
  bool operator==(const Pair& o) const { return probe == o.probe && build == o.build; }
};

std::shared_ptr<const JoinHashTable> build_table(const std::vector<DataType>& types, const Rows& rows,
                                                 const std::vector<ExprPtr>& keys, size_t batch_rows = 1000,
                                                 std::vector<bool> null_safe = {}) {
  auto op = join_test::source(types, rows, batch_rows);
  return JoinHashTable::build(*op, types, keys, EvalContext{}, kNoLimit, std::move(null_safe));
}

// Every pair from probing `probe_rows` (in batches) with next_pairs of the given capacity.
std::vector<Pair> probe_pairs(const std::shared_ptr<const JoinHashTable>& table,
                              const std::vector<DataType>& types, const Rows& probe_rows,
                              const std::vector<ExprPtr>& keys, size_t batch_rows, size_t capacity) {
  JoinProbe probe(table);
  ExpressionEvaluator eval{EvalContext{}};
  std::vector<Pair> out;
  std::vector<uint32_t> p(capacity), b(capacity);
  uint32_t base = 0;
  for (const Batch& batch : join_test::to_batches(types, probe_rows, batch_rows)) {
    std::vector<VectorPtr> kv;
    for (const auto& k : keys) kv.push_back(eval.eval(*k, batch));
    probe.find(kv, batch.num_rows);
    size_t n;
    while ((n = probe.next_pairs(p.data(), b.data(), capacity)) > 0) {
      EXPECT_LE(n, capacity);
      for (size_t i = 0; i < n; ++i) {
        EXPECT_EQ(probe.has_match(p[i]), true);
        out.push_back({base + p[i], b[i]});
      }
    }
    EXPECT_TRUE(probe.pairs_done());
    base += static_cast<uint32_t>(batch.num_rows);
  }
  return out;
}

// The reference: all (i, j) with equal keys, in probe order then ascending build row.
std::vector<Pair> reference_pairs(const Rows& probe, const Rows& build,
                                  const std::vector<join_test::KeyPair>& keys) {
  std::vector<Pair> out;
  for (size_t i = 0; i < probe.size(); ++i) {
    for (size_t j = 0; j < build.size(); ++j) {
      bool eq = true;
      for (const auto& k : keys)
        eq = eq && join_test::key_equal(probe[i][k.left], build[j][k.right], k.null_safe);
      if (eq) out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
    }
  }
  return out;
}

void check_pairs(const std::vector<Pair>& actual, const std::vector<Pair>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    ASSERT_TRUE(actual[i] == expected[i])
        << "pair " << i << ": (" << actual[i].probe << ", " << actual[i].build << ") expected ("
        << expected[i].probe << ", " << expected[i].build << ")";
  }
}

TEST(JoinHashTableTest, SingleIntKeyWithDuplicatesAndNulls) {
  std::mt19937_64 rng(1);
  std::vector<DataType> types = {DataType::int32(), DataType::string()};
  Rows build = join_test::random_rows(rng, types, 3000, 500, 0.1);
  Rows probe = join_test::random_rows(rng, types, 2500, 700, 0.1);
  std::vector<ExprPtr> keys = {join_test::ref(0, DataType::int32())};
  auto table = build_table(types, build, keys, 333);
  EXPECT_EQ(table->num_rows(), 3000u);
  EXPECT_GT(table->num_distinct_keys(), 300u);
  EXPECT_LE(table->num_distinct_keys(), 500u);
  auto expected = reference_pairs(probe, build, {{0, 0}});
  check_pairs(probe_pairs(table, types, probe, keys, 1000, 4096), expected);
  // Chunked enumeration resumes exactly where it stopped, even inside one row's duplicates.
  check_pairs(probe_pairs(table, types, probe, keys, 1000, 7), expected);
  check_pairs(probe_pairs(table, types, probe, keys, 1000, 1), expected);
}

TEST(JoinHashTableTest, BigintKeyFastPathAcrossChunks) {
  // More rows than a payload chunk, a directory big enough to take the prefetching path.
  const size_t n = 3 * JoinHashTable::kChunkRows + 123;
  std::vector<DataType> types = {DataType::int64(), DataType::int64()};
  Rows build, probe;
  for (size_t i = 0; i < n; ++i) {
    build.push_back({Value::int64(static_cast<int64_t>(i * 3)), Value::int64(static_cast<int64_t>(i))});
  }
  for (size_t i = 0; i < 2 * n; ++i)
    probe.push_back({Value::int64(static_cast<int64_t>(i)), Value::int64(0)});
  std::vector<ExprPtr> keys = {join_test::ref(0, DataType::int64())};
  auto table = build_table(types, build, keys, 4096);
  EXPECT_EQ(table->num_distinct_keys(), n);
  JoinProbe jp(table);
  size_t matched = 0;
  for (const Batch& b : join_test::to_batches(types, probe, 5000)) {
    jp.find({b.columns[0]}, b.num_rows);
    std::vector<uint32_t> p(kBatchSize), r(kBatchSize);
    size_t k;
    while ((k = jp.next_pairs(p.data(), r.data(), kBatchSize)) > 0) {
      // Payload gather: build row r holds (3r, r).
      auto v0 = table->gather(0, r.data(), k);
      auto v1 = table->gather(1, r.data(), k);
      for (size_t i = 0; i < k; ++i) {
        ASSERT_EQ(v0->values<int64_t>()[i], b.columns[0]->values<int64_t>()[p[i]]);
        ASSERT_EQ(v1->values<int64_t>()[i], static_cast<int64_t>(r[i]));
        ASSERT_EQ(v0->values<int64_t>()[i] % 3, 0);
      }
      matched += k;
    }
  }
  EXPECT_EQ(matched, (2 * n + 2) / 3);
}

TEST(JoinHashTableTest, MultiColumnMixedTypes) {
  std::mt19937_64 rng(7);
  std::vector<DataType> types = {DataType::int32(), DataType::string(), DataType::decimal(10, 2),
                                 DataType::date(), DataType::int64()};
  Rows build = join_test::random_rows(rng, types, 2000, 4, 0.05);
  Rows probe = join_test::random_rows(rng, types, 1500, 4, 0.05);
  std::vector<ExprPtr> keys = {join_test::ref(0, types[0]), join_test::ref(1, types[1]),
                               join_test::ref(2, types[2]), join_test::ref(3, types[3])};
  auto table = build_table(types, build, keys, 100);
  auto expected = reference_pairs(probe, build, {{0, 0}, {1, 1}, {2, 2}, {3, 3}});
  ASSERT_GT(expected.size(), 100u);
  check_pairs(probe_pairs(table, types, probe, keys, 512, 4096), expected);
  check_pairs(probe_pairs(table, types, probe, keys, 512, 3), expected);
}

TEST(JoinHashTableTest, StringKeysAcrossChunksAndComputedKeys) {
  // String keys straddling payload chunks; one key a plain column (its bytes shared with the
  // payload), one computed (stored in a chunked column of its own).
  std::mt19937_64 rng(11);
  std::vector<DataType> types = {DataType::string(), DataType::int32()};
  Rows build = join_test::random_rows(rng, types, JoinHashTable::kChunkRows + 5000, 20000, 0.02);
  Rows probe = join_test::random_rows(rng, types, 3000, 20000, 0.02);
  std::vector<ExprPtr> plain = {join_test::ref(0, DataType::string())};
  auto table = build_table(types, build, plain, 3000);
  check_pairs(probe_pairs(table, types, probe, plain, 1000, 4096), reference_pairs(probe, build, {{0, 0}}));

  std::vector<ExprPtr> upper = {join_test::call("upper", {join_test::ref(0, DataType::string())})};
  auto table2 = build_table(types, build, upper, 3000);
  // upper() of "key-N" is "KEY-N": matches the same rows as the plain key.
  check_pairs(probe_pairs(table2, types, probe, upper, 1000, 4096), reference_pairs(probe, build, {{0, 0}}));
  // Payload strings read back exactly, including rows of the second chunk.
  std::vector<uint32_t> rows = {0, 1, static_cast<uint32_t>(JoinHashTable::kChunkRows - 1),
                                static_cast<uint32_t>(JoinHashTable::kChunkRows),
                                static_cast<uint32_t>(build.size() - 1)};
  auto v = table2->gather(0, rows.data(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(v->value_at(i), build[rows[i]][0]) << i;
}

TEST(JoinHashTableTest, FloatKeysNormalised) {
  std::vector<DataType> types = {DataType::float64()};
  const double nan = std::nan(""), other_nan = -std::nan("1");
  Rows build = {{Value::float64(0.0)},
                {Value::float64(-0.0)},
                {Value::float64(nan)},
                {Value::float64(1.5)},
                {Value::null(DataType::float64())}};
  Rows probe = {{Value::float64(-0.0)},
                {Value::float64(other_nan)},
                {Value::float64(1.5)},
                {Value::float64(2.0)},
                {Value::null(DataType::float64())}};
  std::vector<ExprPtr> keys = {join_test::ref(0, DataType::float64())};
  auto table = build_table(types, build, keys);
  auto pairs = probe_pairs(table, types, probe, keys, 10, 100);
  std::vector<Pair> expected = {{0, 0}, {0, 1}, {1, 2}, {2, 3}};
  check_pairs(pairs, expected);
  check_pairs(pairs, reference_pairs(probe, build, {{0, 0}}));
}

TEST(JoinHashTableTest, NullKeysNeverMatchButRowsAreKept) {
  std::vector<DataType> types = {DataType::int32(), DataType::string()};
  Rows build = {{Value::null(DataType::int32()), Value::string("a")},
                {Value::int32(1), Value::null(DataType::string())},
                {Value::int32(1), Value::string("b")}};
  std::vector<ExprPtr> keys = {join_test::ref(0, types[0]), join_test::ref(1, types[1])};
  auto table = build_table(types, build, keys);
  EXPECT_EQ(table->num_rows(), 3u);  // every row kept as payload
  EXPECT_EQ(table->num_distinct_keys(), 1u);
  Rows probe = {{Value::null(DataType::int32()), Value::string("a")},
                {Value::int32(1), Value::null(DataType::string())},
                {Value::int32(1), Value::string("b")}};
  check_pairs(probe_pairs(table, types, probe, keys, 10, 10), {{2, 2}});
  std::vector<uint32_t> all = {0, 1, 2};
  auto c1 = table->gather(1, all.data(), 3);
  EXPECT_EQ(c1->value_at(0), Value::string("a"));
  EXPECT_TRUE(c1->is_null(1));
}

TEST(JoinHashTableTest, NullSafeKeysMatchNulls) {
  std::mt19937_64 rng(5);
  std::vector<DataType> types = {DataType::int32(), DataType::string()};
  Rows build = join_test::random_rows(rng, types, 800, 6, 0.25);
  Rows probe = join_test::random_rows(rng, types, 600, 6, 0.25);
  std::vector<ExprPtr> keys = {join_test::ref(0, types[0]), join_test::ref(1, types[1])};
  for (std::vector<bool> flags : {std::vector<bool>{true, true}, std::vector<bool>{true, false}}) {
    auto table = build_table(types, build, keys, 100, flags);
    EXPECT_TRUE(table->key_null_safe(0));
    check_pairs(probe_pairs(table, types, probe, keys, 128, 999),
                reference_pairs(probe, build, {{0, 0, flags[0]}, {1, 1, flags[1]}}));
  }
  // A single null-safe int key (not the fused path).
  std::vector<ExprPtr> one = {join_test::ref(0, types[0])};
  auto table = build_table(types, build, one, 100, {true});
  check_pairs(probe_pairs(table, types, probe, one, 128, 999), reference_pairs(probe, build, {{0, 0, true}}));
}

TEST(JoinHashTableTest, EmptyBuildAndEmptyProbe) {
  std::vector<DataType> types = {DataType::int64(), DataType::string()};
  std::vector<ExprPtr> keys = {join_test::ref(0, types[0])};
  auto empty = build_table(types, {}, keys);
  EXPECT_EQ(empty->num_rows(), 0u);
  EXPECT_EQ(empty->types(), types);
  Rows probe = {{Value::int64(1), Value::string("x")}};
  EXPECT_TRUE(probe_pairs(empty, types, probe, keys, 10, 10).empty());
  auto table = build_table(types, probe, keys);
  JoinProbe jp(table);
  jp.find({Vector::make(DataType::int64(), 0)}, 0);
  uint32_t p[4], b[4];
  EXPECT_EQ(jp.next_pairs(p, b, 4), 0u);
  EXPECT_TRUE(jp.pairs_done());
}

TEST(JoinHashTableTest, ConstantProbeKeysAndNoKeys) {
  std::vector<DataType> types = {DataType::int32()};
  Rows build = {{Value::int32(4)}, {Value::int32(5)}, {Value::int32(4)}};
  auto table = build_table(types, build, {join_test::ref(0, types[0])});
  JoinProbe jp(table);
  jp.find({Vector::make_constant(Value::int32(4), 3)}, 3);
  uint32_t p[16], b[16];
  ASSERT_EQ(jp.next_pairs(p, b, 16), 6u);
  EXPECT_EQ(b[0], 0u);
  EXPECT_EQ(b[1], 2u);
  EXPECT_EQ(table->next_duplicate(0), 2u);
  EXPECT_EQ(table->next_duplicate(2), JoinHashTable::kNoRow);
  // No keys: every probe row matches every build row.
  auto all = build_table(types, build, {});
  JoinProbe jq(all);
  jq.find({}, 2);
  ASSERT_EQ(jq.next_pairs(p, b, 16), 6u);
}

TEST(JoinHashTableTest, SharedByConcurrentProbes) {
  std::mt19937_64 rng(3);
  std::vector<DataType> types = {DataType::int64(), DataType::string()};
  Rows build = join_test::random_rows(rng, types, 20000, 5000, 0.05);
  Rows probe = join_test::random_rows(rng, types, 20000, 8000, 0.05);
  std::vector<ExprPtr> keys = {join_test::ref(0, types[0])};
  auto table = build_table(types, build, keys, 4096);
  auto expected = probe_pairs(table, types, probe, keys, 4096, 4096);
  std::vector<std::vector<Pair>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back(
        [&, t] { got[t] = probe_pairs(table, types, probe, keys, 1000 + t * 300, 100 + t); });
  }
  for (auto& th : threads) th.join();
  for (const auto& g : got) check_pairs(g, expected);
}

TEST(JoinHashTableTest, MemoryLimitNamesTheSetting) {
  // An endless build side: the limit must stop it early, not after draining it.
  RangeScanOperator range(0, 1, 0, int64_t{1} << 40);
  std::vector<ExprPtr> keys = {join_test::ref(0, DataType::int64())};
  try {
    JoinHashTable::build(range, {DataType::int64()}, keys, EvalContext{}, 1 << 20);
    FAIL() << "expected EMBER_JOIN_BUILD_TOO_LARGE";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "EMBER_JOIN_BUILD_TOO_LARGE");
    EXPECT_TRUE(e.is_user_error());
    std::string msg = e.what();
    EXPECT_NE(msg.find("[EMBER_JOIN_BUILD_TOO_LARGE]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("spark.ember.join.maxBuildBytes"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1048576 bytes"), std::string::npos) << msg;  // the limit
    EXPECT_NE(msg.find("rows"), std::string::npos) << msg;
  }
  EXPECT_LT(range.stats().rows_out, 1'000'000);
}

TEST(JoinHashTableTest, UnsupportedKeyTypeIsAUserError) {
  // Build keys of a type the table cannot compare must fail cleanly, never crash. Every atomic
  // type is supported; this checks the type guard with a key whose evaluation type is void.
  std::vector<DataType> types = {DataType::null()};
  Rows build = {{Value::null(DataType::null())}};
  auto table = build_table(types, build, {join_test::ref(0, DataType::null())});
  EXPECT_EQ(table->num_rows(), 1u);
  EXPECT_EQ(table->num_distinct_keys(), 0u);  // a void `=` key is always null: matches nothing
  auto safe = build_table(types, build, {join_test::ref(0, DataType::null())}, 10, {true});
  EXPECT_EQ(safe->num_distinct_keys(), 1u);  // `<=>`: null matches null
}

}  // namespace
}  // namespace ember
