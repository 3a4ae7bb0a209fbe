#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <set>

#include "ember/exec/hashtable/vector_hash.h"

namespace ember {
namespace {

std::vector<uint64_t> hashes_of(const std::vector<VectorPtr>& cols, size_t n) {
  std::vector<uint64_t> h(n);
  hash_columns(cols, n, h.data());
  return h;
}

TEST(VectorHashTest, EqualValuesHashEquallyFlatOrConstant) {
  auto flat = Vector::from_values(DataType::int64(), {Value::int64(7), Value::int64(8), Value::int64(7)});
  auto h = hashes_of({flat}, 3);
  EXPECT_EQ(h[0], h[2]);
  EXPECT_NE(h[0], h[1]);
  auto c = hashes_of({Vector::make_constant(Value::int64(7), 3)}, 3);
  EXPECT_EQ(c[0], h[0]);
  EXPECT_EQ(c[2], h[0]);
}

TEST(VectorHashTest, NullsHashToOneValueWhateverTheBytesUnderneath) {
  auto v = Vector::make(DataType::int32(), 3);
  v->values<int32_t>()[0] = 123;
  v->values<int32_t>()[1] = 456;
  v->values<int32_t>()[2] = 1;
  v->set_null(0);
  v->set_null(1);
  auto h = hashes_of({v}, 3);
  EXPECT_EQ(h[0], h[1]);
  EXPECT_EQ(h[0], kNullHash);
  EXPECT_NE(h[2], kNullHash);
  auto s = Vector::from_values(DataType::string(), {Value::null(DataType::string()), Value::string("")});
  auto hs = hashes_of({s}, 2);
  EXPECT_EQ(hs[0], kNullHash);
  EXPECT_NE(hs[1], kNullHash);  // the empty string is not null
  auto all_null = hashes_of({Vector::make_null(DataType::null(), 2)}, 2);
  EXPECT_EQ(all_null[0], kNullHash);
}

TEST(VectorHashTest, FloatingPointIsNormalisedLikeSpark) {
  double nan1 = std::numeric_limits<double>::quiet_NaN();
  double nan2 = -std::numeric_limits<double>::quiet_NaN();
  double nan3 = std::bit_cast<double>(0x7ff0000000000123ULL);  // a signalling-pattern NaN
  ASSERT_TRUE(std::isnan(nan3));
  auto d = Vector::from_values(DataType::float64(), {Value::float64(0.0), Value::float64(-0.0), Value::float64(nan1),
                                                     Value::float64(nan2), Value::float64(nan3), Value::float64(1.5)});
  auto h = hashes_of({d}, 6);
  EXPECT_EQ(h[0], h[1]);
  EXPECT_EQ(h[2], h[3]);
  EXPECT_EQ(h[2], h[4]);
  EXPECT_NE(h[0], h[2]);
  EXPECT_NE(h[0], h[5]);
  auto f = Vector::from_values(DataType::float32(), {Value::float32(0.0f), Value::float32(-0.0f),
                                                     Value::float32(std::nanf("")), Value::float32(-std::nanf(""))});
  auto hf = hashes_of({f}, 4);
  EXPECT_EQ(hf[0], hf[1]);
  EXPECT_EQ(hf[2], hf[3]);
}

TEST(VectorHashTest, StringsHashByBytesNotPosition) {
  auto a = Vector::from_values(DataType::string(), {Value::string("x"), Value::string("hello world, long enough"),
                                                    Value::string("abc")});
  auto b = Vector::from_values(DataType::string(), {Value::string("hello world, long enough"), Value::string("abc"),
                                                    Value::string("abcd")});
  auto ha = hashes_of({a}, 3);
  auto hb = hashes_of({b}, 3);
  EXPECT_EQ(ha[1], hb[0]);
  EXPECT_EQ(ha[2], hb[1]);
  EXPECT_NE(hb[1], hb[2]);
  // Strings that differ only past the first 8-byte word, or only in length (trailing zero bytes).
  EXPECT_NE(hash_bytes("abcdefgh1", 9), hash_bytes("abcdefgh2", 9));
  EXPECT_NE(hash_bytes("ab\0", 3), hash_bytes("ab", 2));
}

TEST(VectorHashTest, DecimalsAndDatesAndBooleans) {
  int128_t big = static_cast<int128_t>(1) << 100;
  auto dec = Vector::from_values(DataType::decimal(38, 2), {Value::decimal(big, 38, 2), Value::decimal(big + 1, 38, 2),
                                                            Value::decimal(big, 38, 2)});
  auto h = hashes_of({dec}, 3);
  EXPECT_EQ(h[0], h[2]);
  EXPECT_NE(h[0], h[1]);
  auto dates = Vector::from_values(DataType::date(), {Value::date(19000), Value::date(19001)});
  auto hd = hashes_of({dates}, 2);
  EXPECT_NE(hd[0], hd[1]);
  auto bools = Vector::from_values(DataType::boolean(), {Value::boolean(true), Value::boolean(false)});
  auto hbool = hashes_of({bools}, 2);
  EXPECT_NE(hbool[0], hbool[1]);
}

TEST(VectorHashTest, MultiColumnCombinationIsOrderSensitive) {
  auto x = Vector::from_values(DataType::int32(), {Value::int32(1), Value::int32(2)});
  auto y = Vector::from_values(DataType::int32(), {Value::int32(2), Value::int32(1)});
  auto h = hashes_of({x, y}, 2);
  EXPECT_NE(h[0], h[1]);  // (1,2) vs (2,1)
  auto h2 = hashes_of({x, y}, 2);
  EXPECT_EQ(h, h2);
  // A null in the second column changes the hash.
  auto yn = Vector::from_values(DataType::int32(), {Value::int32(2), Value::null(DataType::int32())});
  auto h3 = hashes_of({x, yn}, 2);
  EXPECT_EQ(h3[0], h[0]);
  EXPECT_NE(h3[1], h[1]);
}

TEST(VectorHashTest, SequentialKeysSpreadOverLowAndHighBits) {
  const size_t n = 1 << 16;
  auto v = Vector::make(DataType::int64(), n);
  for (size_t i = 0; i < n; ++i) v->values<int64_t>()[i] = static_cast<int64_t>(i);
  auto h = hashes_of({v}, n);
  std::set<uint64_t> distinct(h.begin(), h.end());
  EXPECT_EQ(distinct.size(), n);
  // Low 10 bits (a 1024-slot table) and partition_for_hash over 64 partitions: no bucket far
  // from the mean.
  std::vector<int> low(1024), parts(64);
  for (uint64_t x : h) {
    ++low[x & 1023];
    ++parts[partition_for_hash(x, 64)];
  }
  for (int c : low) EXPECT_LT(std::abs(c - 64), 40);
  for (int c : parts) EXPECT_LT(std::abs(c - 1024), 200);
}

TEST(VectorHashTest, PartitionForHashIsInRangeAndDeterministic) {
  uint64_t s = 1;
  for (int i = 0; i < 10000; ++i) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    for (uint32_t p : {1u, 2u, 7u, 200u, 65536u}) {
      uint32_t part = partition_for_hash(s, p);
      EXPECT_LT(part, p);
      EXPECT_EQ(part, partition_for_hash(s, p));
    }
  }
  EXPECT_EQ(partition_for_hash(~uint64_t{0}, 10), 9u);
  EXPECT_EQ(partition_for_hash(0, 10), 0u);
}

TEST(VectorHashTest, NoColumnsIsOneGroup) {
  std::vector<uint64_t> h(3);
  hash_columns({}, 3, h.data());
  EXPECT_EQ(h[0], h[1]);
  EXPECT_EQ(h[1], h[2]);
}

}  // namespace
}  // namespace ember
