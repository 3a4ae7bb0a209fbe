// The runtime filter's pieces: the blocked bloom filter (no false negatives; measured
// false-positive rate near the target it was sized for) and RuntimeFilter's build and test of
// key ranges, null keys and bloom membership, checked against sets computed here by hand.
#include "ember/exec/hashtable/blocked_bloom_filter.h"

#include <set>

#include <gtest/gtest.h>

#include "ember/exec/hashtable/vector_hash.h"
#include "ember/exec/runtime_filter.h"

namespace ember {
namespace {

// Distinct, well-mixed 64-bit hashes (hash_mix64 is a bijection).
uint64_t key_hash(uint64_t i) { return hash_mix64(i * 0x9e3779b97f4a7c15ULL + 1); }

TEST(BlockedBloomFilterTest, NeverLosesAnInsertedHash) {
  for (size_t n : {size_t{1}, size_t{100}, size_t{100000}}) {
    BlockedBloomFilter f(n, 0.03);
    for (uint64_t i = 0; i < n; ++i) f.insert(key_hash(i));
    for (uint64_t i = 0; i < n; ++i) ASSERT_TRUE(f.may_contain(key_hash(i))) << "n=" << n << " i=" << i;
  }
  // Overfilled (sized for 10, given 50,000) and capped filters still have no false negatives.
  BlockedBloomFilter small(10, 0.01);
  BlockedBloomFilter capped(1000000, 0.01, 4096);
  EXPECT_EQ(capped.memory_bytes(), 4096u);
  for (uint64_t i = 0; i < 50000; ++i) {
    small.insert(key_hash(i));
    capped.insert(key_hash(i));
  }
  for (uint64_t i = 0; i < 50000; ++i) {
    ASSERT_TRUE(small.may_contain(key_hash(i)));
    ASSERT_TRUE(capped.may_contain(key_hash(i)));
  }
}

TEST(BlockedBloomFilterTest, MeasuredFalsePositiveRateIsNearTheTarget) {
  const size_t n = 200000, probes = 1000000;
  for (double target : {0.01, 0.03, 0.1}) {
    BlockedBloomFilter f(n, target);
    for (uint64_t i = 0; i < n; ++i) f.insert(key_hash(i));
    size_t false_positives = 0;
    for (uint64_t i = n; i < n + probes; ++i) false_positives += f.may_contain(key_hash(i)) ? 1 : 0;
    const double measured = static_cast<double>(false_positives) / probes;
    std::printf("target fpp %.3f: measured %.4f with %.1f bits per key\n", target, measured,
                8.0 * static_cast<double>(f.memory_bytes()) / n);
    EXPECT_LE(measured, target * 1.25) << "target " << target;
    EXPECT_GE(measured, target * 0.25)
        << "target " << target << " (the filter is larger than it needs to be)";
  }
}

TEST(BlockedBloomFilterTest, FilterKeepsTheSelectedRowsThatMayMatch) {
  BlockedBloomFilter f(1000, 0.001);
  for (uint64_t i = 0; i < 1000; i += 2) f.insert(key_hash(i));
  std::vector<uint64_t> hashes;
  for (uint64_t i = 0; i < 1000; ++i) hashes.push_back(key_hash(i));
  std::vector<uint32_t> sel;
  for (uint32_t r = 0; r < 1000; r += 3) sel.push_back(r);  // every third row
  const size_t kept = f.filter(hashes.data(), sel.data(), sel.size(), sel.data());
  sel.resize(kept);
  size_t evens = 0;
  for (uint32_t r = 0; r < 1000; r += 3) evens += r % 2 == 0 ? 1 : 0;
  size_t evens_kept = 0;
  for (uint32_t r : sel) {
    ASSERT_EQ(r % 3, 0u);
    evens_kept += r % 2 == 0 ? 1 : 0;
  }
  EXPECT_EQ(evens_kept, evens);      // no false negatives among the selected rows
  EXPECT_LE(kept - evens_kept, 5u);  // few odd rows slip through at 0.1%
}

VectorPtr longs(const std::vector<std::optional<int64_t>>& values) {
  std::vector<Value> v;
  for (const auto& x : values) v.push_back(x ? Value::int64(*x) : Value::null(DataType::int64()));
  return Vector::from_values(DataType::int64(), v);
}

TEST(RuntimeFilterTest, KeepsRowsWhoseKeysMayHaveAPartner) {
  RuntimeFilterBuilder builder({DataType::int64()}, 1000, 0.01, 0);
  // Two creation tasks; task 1 is committed twice (a retry replaces the first attempt's keys).
  auto p0 = builder.new_partial();
  builder.add(p0, {longs({10, 20, std::nullopt, 30})}, 4);
  builder.commit(0, std::move(p0));
  auto stale = builder.new_partial();
  builder.add(stale, {longs({1000})}, 1);
  builder.commit(1, std::move(stale));
  auto p1 = builder.new_partial();
  builder.add(p1, {longs({40, 20})}, 2);
  builder.commit(1, std::move(p1));
  auto filter = builder.finish();
  EXPECT_EQ(filter->creation_rows, 5);  // the null key is no creation row
  ASSERT_TRUE(filter->bloom.has_value());
  auto range = filter->range_values(0);
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->first.as_int64(), 10);
  EXPECT_EQ(range->second.as_int64(), 40);  // 1000 came from the replaced attempt

  std::vector<std::optional<int64_t>> probe;
  std::set<int64_t> creation{10, 20, 30, 40};
  for (int64_t v = -5; v < 60; ++v) probe.push_back(v);
  probe.push_back(std::nullopt);
  probe.push_back(1000);
  std::vector<uint32_t> sel;
  std::vector<uint64_t> scratch;
  filter->apply({longs(probe)}, probe.size(), true, sel, scratch);
  std::set<int64_t> kept;
  for (uint32_t r : sel) {
    ASSERT_TRUE(probe[r].has_value()) << "a null key passed";
    kept.insert(*probe[r]);
  }
  for (int64_t v : creation) EXPECT_TRUE(kept.count(v)) << v;  // no false negatives
  for (int64_t v : kept) {
    EXPECT_GE(v, 10);
    EXPECT_LE(v, 40);  // the range drops 1000 and everything outside [10, 40]
  }
  EXPECT_LE(kept.size(), creation.size() + 2);  // at 1%, at most a stray value or two
}

TEST(RuntimeFilterTest, TooManyCreationRowsKeepsOnlyTheRanges) {
  RuntimeFilterBuilder builder({DataType::int64(), DataType::string()}, 3, 0.01, 0);
  auto p = builder.new_partial();
  std::vector<Value> names{Value::string("a"), Value::string("b"), Value::string("c"), Value::string("d")};
  builder.add(p, {longs({5, 6, 7, 8}), Vector::from_values(DataType::string(), names)}, 4);
  builder.commit(0, std::move(p));
  auto filter = builder.finish();
  EXPECT_FALSE(filter->bloom.has_value());
  EXPECT_FALSE(filter->range_values(1).has_value());  // strings get no range
  std::vector<uint32_t> sel;
  std::vector<uint64_t> scratch;
  std::vector<Value> probe_names{Value::string("zz"), Value::string("a"), Value::null(DataType::string())};
  filter->apply({longs({5, 9, 6}), Vector::from_values(DataType::string(), probe_names)}, 3, true, sel,
                scratch);
  EXPECT_EQ(sel, (std::vector<uint32_t>{0}));  // 9 is out of range, row 2 has a null key
}

TEST(RuntimeFilterTest, NoCreationRowsLetsNothingPass) {
  RuntimeFilterBuilder builder({DataType::int64()}, 100, 0.01, 0);
  auto p = builder.new_partial();
  builder.add(p, {longs({std::nullopt})}, 1);
  builder.commit(0, std::move(p));
  auto filter = builder.finish();
  std::vector<uint32_t> sel;
  std::vector<uint64_t> scratch;
  filter->apply({longs({1, 2})}, 2, true, sel, scratch);
  EXPECT_TRUE(sel.empty());
}

}  // namespace
}  // namespace ember
