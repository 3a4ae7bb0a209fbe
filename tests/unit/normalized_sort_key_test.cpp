// Normalized sort keys and the radix sort: for every sortable type, with nulls, NaN, -0.0,
// extreme values and long strings sharing prefixes, under ASC/DESC x NULLS FIRST/LAST and several
// keys, the normalized order must be RowComparator's order (the independent reference), ties by
// row index; top-N too; arrays keep their error.
#include "ember/exec/sort/normalized_sort_key.h"

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/exec/sort/radix_sort.h"

namespace ember {
namespace {

using Gen = std::function<Value(std::mt19937_64&)>;

struct TypeCase {
  std::string name;
  DataType type;
  Gen gen;  // a non-null value
};

template <class T>
T pick(std::mt19937_64& rng, const std::vector<T>& pool) {
  return pool[rng() % pool.size()];
}

template <class I>
I random_int(std::mt19937_64& rng) {
  static_assert(sizeof(I) <= 8);
  const I lo = std::numeric_limits<I>::min(), hi = std::numeric_limits<I>::max();
  switch (rng() % 4) {
    case 0: return pick<I>(rng, {lo, hi, I(0), I(-1), I(1), I(lo + 1), I(hi - 1)});
    case 1: return static_cast<I>(static_cast<int64_t>(rng() % 21) - 10);
    default: return static_cast<I>(rng());
  }
}

template <class F>
F random_floating(std::mt19937_64& rng) {
  using L = std::numeric_limits<F>;
  switch (rng() % 4) {
    case 0:
      return pick<F>(rng, {L::quiet_NaN(), -L::quiet_NaN(), static_cast<F>(std::nan("7")), L::infinity(),
                           -L::infinity(), F(0.0), F(-0.0), L::max(), L::lowest(), L::min(), -L::min(),
                           L::denorm_min(), -L::denorm_min(), F(1), F(-1)});
    case 1: return static_cast<F>(static_cast<int>(rng() % 7) - 3) / F(2);
    default: {
      std::uniform_real_distribution<double> d(-1e6, 1e6);
      return static_cast<F>(d(rng));
    }
  }
}

int128_t random_decimal(std::mt19937_64& rng) {
  int128_t max38 = 1;
  for (int i = 0; i < 38; ++i) max38 *= 10;
  max38 -= 1;
  switch (rng() % 4) {
    case 0: return pick<int128_t>(rng, {max38, -max38, 0, 1, -1, int128_t{std::numeric_limits<int64_t>::min()}});
    case 1: return static_cast<int128_t>(static_cast<int64_t>(rng() % 21) - 10);
    default: {
      int128_t v = (static_cast<int128_t>(rng()) << 64 | static_cast<int128_t>(rng())) % max38;
      return v;
    }
  }
}

std::string random_bytes(std::mt19937_64& rng) {
  // Shared prefixes around the normalized prefix length (8-12 bytes), embedded zero and 0xff bytes.
  static const std::vector<std::string> stems = {"", "a", "abcdefgh", "abcdefghij", "abcdefghijkl", "abcdefghijklmnop",
                                                 std::string("ab\0cd", 5), "\xff\xff\xff\xff\xff\xff\xff\xff\xff"};
  std::string s = pick(rng, stems);
  size_t extra = rng() % 4 == 0 ? rng() % 20 : rng() % 3;
  static const char alphabet[] = {'\0', 'a', 'b', 'z', '\x7f', '\x80', '\xff'};
  for (size_t i = 0; i < extra; ++i) s.push_back(alphabet[rng() % sizeof(alphabet)]);
  return s;
}

std::vector<TypeCase> type_cases() {
  return {
      {"boolean", DataType::boolean(), [](std::mt19937_64& r) { return Value::boolean(r() & 1); }},
      {"byte", DataType::byte(), [](std::mt19937_64& r) { return Value::byte(random_int<int8_t>(r)); }},
      {"short", DataType::short_(), [](std::mt19937_64& r) { return Value::short_(random_int<int16_t>(r)); }},
      {"int", DataType::int32(), [](std::mt19937_64& r) { return Value::int32(random_int<int32_t>(r)); }},
      {"long", DataType::int64(), [](std::mt19937_64& r) { return Value::int64(random_int<int64_t>(r)); }},
      {"float", DataType::float32(), [](std::mt19937_64& r) { return Value::float32(random_floating<float>(r)); }},
      {"double", DataType::float64(), [](std::mt19937_64& r) { return Value::float64(random_floating<double>(r)); }},
      {"decimal", DataType::decimal(38, 2), [](std::mt19937_64& r) { return Value::decimal(random_decimal(r), 38, 2); }},
      {"decimal_small", DataType::decimal(9, 0),
       [](std::mt19937_64& r) { return Value::decimal(static_cast<int128_t>(random_int<int32_t>(r) % 1000000000), 9, 0); }},
      {"string", DataType::string(), [](std::mt19937_64& r) { return Value::string(random_bytes(r)); }},
      {"binary", DataType::binary(), [](std::mt19937_64& r) { return Value::binary(random_bytes(r)); }},
      {"date", DataType::date(), [](std::mt19937_64& r) { return Value::date(random_int<int32_t>(r)); }},
      {"timestamp", DataType::timestamp(), [](std::mt19937_64& r) { return Value::timestamp(random_int<int64_t>(r)); }},
  };
}

// A column of n values; with `pool` > 0 values repeat from that many distinct ones (ties).
VectorPtr make_column(const TypeCase& tc, size_t n, double null_rate, size_t pool, std::mt19937_64& rng) {
  std::vector<Value> distinct;
  for (size_t i = 0; i < pool; ++i) distinct.push_back(tc.gen(rng));
  std::vector<Value> values;
  std::bernoulli_distribution is_null(null_rate);
  for (size_t i = 0; i < n; ++i) {
    if (is_null(rng)) {
      values.push_back(Value::null(tc.type));
    } else {
      values.push_back(pool ? distinct[rng() % pool] : tc.gen(rng));
    }
  }
  return Vector::from_values(tc.type, values);
}

const SortKeySpec kSpecs[] = {{true, true}, {true, false}, {false, true}, {false, false}};

std::string describe(const std::vector<SortKeySpec>& specs) {
  std::string s;
  for (auto sp : specs) s += std::string(sp.ascending ? " ASC" : " DESC") + (sp.nulls_first ? " NF" : " NL");
  return s;
}

// Pairwise: the encoded words order rows as RowComparator does (ties resolved by tie_break).
void expect_pairwise(const std::vector<VectorPtr>& keys, const std::vector<SortKeySpec>& specs, std::mt19937_64& rng,
                     const std::string& what) {
  NormalizedSortKeys nk(keys, specs);
  RowComparator ref(keys, specs);
  const size_t n = nk.num_rows(), w = nk.words();
  if (n == 0) return;
  std::vector<uint64_t> words(n * w);
  std::vector<uint8_t> truncated(n);
  nk.encode(words.data(), truncated.data());
  for (size_t t = 0; t < 4 * n; ++t) {
    size_t a = rng() % n, b = rng() % n;
    const uint64_t* x = &words[a * w];
    const uint64_t* y = &words[b * w];
    ASSERT_EQ(static_cast<uint32_t>(x[w - 1]), a);
    int c = 0;
    for (size_t i = 0; i < w && c == 0; ++i) {
      uint64_t xi = i + 1 < w ? x[i] : x[i] >> 32, yi = i + 1 < w ? y[i] : y[i] >> 32;
      c = xi == yi ? 0 : (xi < yi ? -1 : 1);
    }
    if (c == 0 && truncated[a]) c = nk.tie_break(a, b);
    int r = ref.compare(a, b);
    ASSERT_EQ(c < 0, r < 0) << what << " rows " << a << ", " << b << ": " << keys[0]->value_at(a).to_string() << " vs "
                            << keys[0]->value_at(b).to_string();
    ASSERT_EQ(c > 0, r > 0) << what << " rows " << a << ", " << b;
  }
}

void expect_same_order(const std::vector<VectorPtr>& keys, const std::vector<SortKeySpec>& specs, const std::string& what) {
  const size_t n = keys[0]->size();
  EXPECT_EQ(sort_rows(keys, specs), sort_rows_with_comparator(keys, specs)) << what;
  for (int64_t limit : {int64_t{0}, int64_t{1}, int64_t{7}, static_cast<int64_t>(n / 2), static_cast<int64_t>(n)}) {
    EXPECT_EQ(sort_rows(keys, specs, limit), sort_rows_with_comparator(keys, specs, limit)) << what << " limit " << limit;
  }
}

TEST(NormalizedSortKey, EveryTypeEveryDirectionMatchesRowComparator) {
  std::mt19937_64 rng(42);
  for (const auto& tc : type_cases()) {
    for (SortKeySpec spec : kSpecs) {
      // Small inputs take std::sort, large ones the radix sort; pools make many ties.
      for (size_t n : {size_t{1}, size_t{2}, size_t{50}, size_t{200}, size_t{3000}}) {
        for (size_t pool : {size_t{0}, size_t{5}}) {
          std::vector<VectorPtr> keys = {make_column(tc, n, 0.2, pool, rng)};
          std::string what = tc.name + describe({spec}) + " n=" + std::to_string(n) + " pool=" + std::to_string(pool);
          expect_pairwise(keys, {spec}, rng, what);
          expect_same_order(keys, {spec}, what);
        }
      }
    }
  }
}

TEST(NormalizedSortKey, NullTypeAndConstantKeys) {
  std::mt19937_64 rng(7);
  auto nulls = Vector::make_null(DataType::null(), 500);
  auto constant = Vector::make_constant(Value::int64(3), 500);
  auto longs = make_column(type_cases()[4], 500, 0.1, 10, rng);
  for (SortKeySpec s1 : kSpecs) {
    for (SortKeySpec s2 : kSpecs) {
      expect_same_order({nulls, longs}, {s1, s2}, "null type" + describe({s1, s2}));
      expect_same_order({constant, longs}, {s1, s2}, "constant" + describe({s1, s2}));
    }
  }
}

TEST(NormalizedSortKey, MultiKeyRandomTypesAndDirections) {
  std::mt19937_64 rng(2024);
  auto cases = type_cases();
  for (int iter = 0; iter < 300; ++iter) {
    size_t nkeys = 1 + rng() % 4;
    size_t n = iter % 3 == 0 ? 40 + rng() % 200 : 300 + rng() % 3000;
    std::vector<VectorPtr> keys;
    std::vector<SortKeySpec> specs;
    std::string what = "iter " + std::to_string(iter) + ":";
    for (size_t k = 0; k < nkeys; ++k) {
      const auto& tc = cases[rng() % cases.size()];
      size_t pool = k + 1 < nkeys ? 1 + rng() % 6 : (rng() % 2 ? 0 : 20);  // ties on the leading keys
      keys.push_back(make_column(tc, n, rng() % 3 == 0 ? 0.0 : 0.25, pool, rng));
      specs.push_back(kSpecs[rng() % 4]);
      what += " " + tc.name;
    }
    what += describe(specs);
    expect_pairwise(keys, specs, rng, what);
    expect_same_order(keys, specs, what);
  }
}

TEST(NormalizedSortKey, WideKeysFallBackToComparator) {
  // Nine decimals need more than 8 words: the comparator path must give the same answer.
  std::mt19937_64 rng(5);
  std::vector<VectorPtr> keys;
  std::vector<SortKeySpec> specs;
  for (int k = 0; k < 9; ++k) {
    keys.push_back(make_column(type_cases()[7], 1000, 0.2, 3, rng));
    specs.push_back(kSpecs[k % 4]);
  }
  EXPECT_GT(NormalizedSortKeys(keys, specs).words(), 8u);
  expect_same_order(keys, specs, "wide");
}

TEST(NormalizedSortKey, LongStringsSharingPrefixesAcrossTheRadixPath) {
  // Long strings equal in their first 16 bytes, then a second key that must not decide before the
  // full strings do.
  std::mt19937_64 rng(11);
  const size_t n = 5000;
  std::vector<Value> s, x;
  for (size_t i = 0; i < n; ++i) {
    std::string v = "prefix-shared-by-all-";
    size_t tail = rng() % 3;
    for (size_t j = 0; j < tail; ++j) v.push_back(static_cast<char>('a' + rng() % 3));
    s.push_back(rng() % 10 == 0 ? Value::null(DataType::string()) : Value::string(v));
    x.push_back(Value::int32(static_cast<int32_t>(rng() % 1000) - 500));
  }
  std::vector<VectorPtr> keys = {Vector::from_values(DataType::string(), s), Vector::from_values(DataType::int32(), x)};
  for (SortKeySpec s1 : kSpecs) {
    for (SortKeySpec s2 : kSpecs) expect_same_order(keys, {s1, s2}, "shared prefixes" + describe({s1, s2}));
  }
}

TEST(NormalizedSortKey, ArraysSortByComparisonAndMapsKeepTheirError) {
  // Spark's order: [] < [1, NULL] < [1, 2] < [2] (a null element before any value, then length).
  const DataType ints = DataType::array(DataType::int32());
  auto arr = Vector::from_values(
      ints, {Value::array(DataType::int32(), {Value::int32(2)}), Value::array(DataType::int32(), {}),
             Value::array(DataType::int32(), {Value::int32(1), Value::int32(2)}),
             Value::array(DataType::int32(), {Value::int32(1), Value::null(DataType::int32())})});
  EXPECT_EQ(sort_rows({arr}, {SortKeySpec{}}), (std::vector<uint32_t>{1, 3, 2, 0}));
  EXPECT_EQ(sort_rows({arr}, {SortKeySpec{false, false}}), (std::vector<uint32_t>{0, 2, 3, 1}));
  EXPECT_EQ(sort_rows({arr}, {SortKeySpec{}}, 2), (std::vector<uint32_t>{1, 3}));
  const DataType map = DataType::map(DataType::string(), DataType::int32());
  auto maps = Vector::make_null(map, 2);
  std::string expected, actual;
  try {
    RowComparator cmp({maps}, {SortKeySpec{}});
  } catch (const EmberError& e) {
    expected = e.what();
  }
  try {
    sort_rows({maps}, {SortKeySpec{}});
  } catch (const EmberError& e) {
    actual = e.what();
  }
  EXPECT_NE(expected.find("INVALID_ORDERING_TYPE"), std::string::npos) << expected;
  EXPECT_EQ(actual, expected);
}

TEST(NormalizedSortKey, LargeInputsTakeTheMsdPasses) {
  std::mt19937_64 rng(99);
  auto cases = type_cases();
  const size_t n = 150000;
  for (size_t c : {size_t{3}, size_t{9}}) {  // int, string leading keys
    std::vector<VectorPtr> keys = {make_column(cases[c], n, 0.1, 300, rng), make_column(cases[4], n, 0.1, 0, rng)};
    std::vector<SortKeySpec> specs = {kSpecs[c % 4], kSpecs[(c + 1) % 4]};
    EXPECT_EQ(sort_rows(keys, specs), sort_rows_with_comparator(keys, specs)) << cases[c].name;
  }
}

TEST(NormalizedSortKey, RadixSortIsStableAndSkipsConstantBytes) {
  // 200k records take the MSD passes (skewed buckets: some split again, some go to LSD), 1000 only LSD.
  for (size_t n : {size_t{1000}, size_t{200000}}) {
    std::vector<radix::Record<2>> recs(n);
    std::mt19937_64 rng(3);
    for (size_t i = 0; i < n; ++i) {
      uint64_t hi = rng() % 8 == 0 ? rng() % 3 : 7;
      recs[i].w[0] = 0x0100000000000000ull | (hi << 40) | (rng() % 50000);
      recs[i].w[1] = (static_cast<uint64_t>(rng() % 4) << 56) | i;
    }
    auto expected = recs;
    std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) { return radix::less(a, b); });
    radix::radix_sort(recs, 12);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(recs[i].w[0], expected[i].w[0]) << n << " " << i;
      ASSERT_EQ(recs[i].w[1], expected[i].w[1]) << n << " " << i;
    }
  }
}

}  // namespace
}  // namespace ember
