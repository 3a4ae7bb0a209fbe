// approx_count_distinct (Spark's HyperLogLog++) and percentile_approx (Spark's
// ApproximatePercentile over QuantileSummaries). The expected numbers marked "Spark 4.0.1" were
// produced by Spark itself (local[1], one partition, so rows reach the aggregate in order) over
// the same generated inputs; ember must give exactly the same answers, not merely close ones.
#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/functions/aggregate/quantile_summary.h"
#include "ember/functions/aggregate/spark_xxhash64.h"

#include "unit/aggregate_kernel_harness.h"

namespace ember {
namespace {

using aggtest::bind_aggregate;
using aggtest::Input;
using aggtest::one_group;
using aggtest::run_partitioned;
using aggtest::run_single;

// A flat vector of n rows, row i = f(i).
template <class T, class F>
VectorPtr generate(const DataType& type, size_t n, F&& f) {
  auto v = Vector::make(type, n);
  for (size_t i = 0; i < n; ++i) v->values<T>()[i] = static_cast<T>(f(static_cast<int64_t>(i)));
  return v;
}

template <class F>
VectorPtr generate_strings(const DataType& type, size_t n, F&& f) {
  auto v = Vector::make(type, n);
  for (size_t i = 0; i < n; ++i) v->set_string(i, f(static_cast<int64_t>(i)));
  return v;
}

// ------------------------------------------------------------------------------------ xxhash64

int64_t spark_hash(const Value& v) {
  auto vec = Vector::from_values(v.type(), {v});
  uint64_t h = 0;
  agg::spark_xxhash64_rows(*vec, 1, 42, &h);
  return static_cast<int64_t>(h);
}

TEST(SparkXxHash64Test, MatchesSparkForEveryType) {
  // Spark 4.0.1: SELECT xxhash64(...) (seed 42).
  EXPECT_EQ(spark_hash(Value::int32(1)), -6698625589789238999);
  EXPECT_EQ(spark_hash(Value::boolean(true)), -6698625589789238999);
  EXPECT_EQ(spark_hash(Value::int64(1)), -7001672635703045582);
  EXPECT_EQ(spark_hash(Value::byte(-1)), 2017008487422258757);
  EXPECT_EQ(spark_hash(Value::short_(-300)), 2895908635257747121);
  EXPECT_EQ(spark_hash(Value::date(19782)), 4183429117450946631);  // 2024-02-29
  EXPECT_EQ(spark_hash(Value::timestamp(1234567890123)), 1687537368341330389);
  EXPECT_EQ(spark_hash(Value::float64(1.5)), 7738255526519901366);
  EXPECT_EQ(spark_hash(Value::float64(0.0)), -5252525462095825812);
  EXPECT_EQ(spark_hash(Value::float64(-0.0)), -5252525462095825812);
  EXPECT_EQ(spark_hash(Value::float64(std::nan(""))), -3127944061524951246);
  EXPECT_EQ(spark_hash(Value::float64(-std::nan(""))), -3127944061524951246);
  EXPECT_EQ(spark_hash(Value::float32(1.5f)), 6163473420726370430);
  EXPECT_EQ(spark_hash(Value::string("abc")), 1423657621850124518);
  EXPECT_EQ(spark_hash(Value::string("")), -7444071767201028348);
  EXPECT_EQ(spark_hash(Value::string("0123456789abcdefghijklmnopqrstu")), 928681653134301561);  // 31 bytes
  std::string abc20;
  for (int i = 0; i < 20; ++i) abc20 += "abc";
  EXPECT_EQ(spark_hash(Value::string(abc20)), 5681147544786563119);  // 60 bytes: the 32-byte stripes
  EXPECT_EQ(spark_hash(Value::binary(std::string("\x00\xFF\x10", 3))), 5415089035989094387);
  EXPECT_EQ(spark_hash(Value::decimal(125, 10, 2)), 2287599437899865974);  // precision <= 18: the long
  // precision > 18: BigInteger.toByteArray of the unscaled value.
  int128_t big = static_cast<int128_t>(1234567890123456789LL) * 10000 + 123;  // 12345678901234567890123
  EXPECT_EQ(spark_hash(Value::decimal(big, 30, 0)), 1409737168217643118);
  EXPECT_EQ(spark_hash(Value::decimal(-big, 30, 0)), 93767350383175058);
  EXPECT_EQ(spark_hash(Value::decimal(-1, 20, 0)), -4006032525457443936);
  EXPECT_EQ(spark_hash(Value::decimal(0, 20, 0)), -8959994473701255385);
  EXPECT_EQ(spark_hash(Value::decimal(12800, 25, 2)), 6807730576143829574);
}

// --------------------------------------------------------------------- approx_count_distinct

int64_t approx_distinct(const VectorPtr& values, std::optional<double> rsd = std::nullopt) {
  if (!rsd) {
    auto b = bind_aggregate("approx_count_distinct", {values->type()});
    return run_single(b, one_group({values}), {}, 4096)[0].as_int64();
  }
  auto b = bind_aggregate("approx_count_distinct", {values->type(), DataType::float64()},
                          {std::nullopt, Value::float64(*rsd)});
  return run_single(b, one_group({values, Vector::make_constant(Value::float64(*rsd), values->size())}), {},
                    4096)[0]
      .as_int64();
}

VectorPtr ints(size_t n) {
  return generate<int32_t>(DataType::int32(), n, [](int64_t i) { return i; });
}

TEST(ApproxCountDistinctTest, IntegersMatchSpark) {
  // Spark 4.0.1: spark.range(n).select(col("id").cast("int")).agg(approx_count_distinct(...)).
  const std::pair<size_t, int64_t> cases[] = {{1, 1},        {10, 10},        {100, 99},        {1000, 1026},
                                              {10000, 9823}, {100000, 94954}, {1000000, 943039}};
  for (auto [n, want] : cases) EXPECT_EQ(approx_distinct(ints(n)), want) << n;
  auto longs = [](size_t n, int64_t mul) {
    return generate<int64_t>(DataType::int64(), n, [mul](int64_t i) { return i * mul; });
  };
  EXPECT_EQ(approx_distinct(longs(1000, 1)), 1026);
  EXPECT_EQ(approx_distinct(longs(100000, 1)), 95546);
  EXPECT_EQ(approx_distinct(longs(1000000, 1)), 925738);
  EXPECT_EQ(approx_distinct(longs(1000, 2654435761)), 1065);
  EXPECT_EQ(approx_distinct(longs(100000, 2654435761)), 99204);
  EXPECT_EQ(approx_distinct(longs(1000000, 2654435761)), 998535);
}

TEST(ApproxCountDistinctTest, RelativeStandardDeviationsMatchSpark) {
  // Spark 4.0.1: approx_count_distinct(cast(id as int), rsd) over spark.range(n).
  struct Case {
    double rsd;
    size_t n;
    int64_t want;
  };
  const Case cases[] = {{0.3, 100, 67},          {0.3, 5000, 5955},       {0.3, 100000, 56350},
                        {0.1, 100, 104},         {0.1, 5000, 5347},       {0.1, 100000, 92868},
                        {0.02, 100, 100},        {0.02, 5000, 5101},      {0.02, 100000, 102050},
                        {0.01, 100, 100},        {0.01, 5000, 5003},      {0.01, 100000, 101521},
                        {0.003, 100, 100},       {0.003, 5000, 4996},     {0.003, 100000, 99979},
                        {0.002, 100000, 100223}, {0.0015, 100000, 100159}};
  for (const Case& c : cases) EXPECT_EQ(approx_distinct(ints(c.n), c.rsd), c.want) << c.rsd << " " << c.n;
}

TEST(ApproxCountDistinctTest, EveryTypeHashesAsSparkDoes) {
  // Spark 4.0.1 over spark.range(n) and the expressions in the comments.
  // cast(id % 256 - 128 as tinyint), n = 1000
  EXPECT_EQ(
      approx_distinct(generate<int8_t>(DataType::byte(), 1000, [](int64_t i) { return i % 256 - 128; })),
      257);
  // cast(id - 30000 as smallint), n = 50000
  EXPECT_EQ(
      approx_distinct(generate<int16_t>(DataType::short_(), 50000, [](int64_t i) { return i - 30000; })),
      48014);
  // id % 2 = 0, n = 100
  EXPECT_EQ(
      approx_distinct(generate<uint8_t>(DataType::boolean(), 100, [](int64_t i) { return i % 2 == 0; })), 2);
  // concat('s', id), n = 100000
  EXPECT_EQ(approx_distinct(generate_strings(DataType::string(), 100000,
                                             [](int64_t i) { return "s" + std::to_string(i); })),
            100349);
  // case when id % 2 = 0 then '' else 'x' end, n = 100
  EXPECT_EQ(approx_distinct(generate_strings(DataType::string(), 100,
                                             [](int64_t i) { return std::string(i % 2 == 0 ? "" : "x"); })),
            2);
  // repeat(concat('abc', id), 7), n = 20000
  EXPECT_EQ(approx_distinct(generate_strings(DataType::string(), 20000,
                                             [](int64_t i) {
                                               std::string s;
                                               for (int k = 0; k < 7; ++k) s += "abc" + std::to_string(i);
                                               return s;
                                             })),
            20334);
  // cast(concat('b', id) as binary), n = 20000
  EXPECT_EQ(approx_distinct(generate_strings(DataType::binary(), 20000,
                                             [](int64_t i) { return "b" + std::to_string(i); })),
            19883);
  // cast(id as double) * 0.5 - 1000, n = 100000
  EXPECT_EQ(approx_distinct(generate<double>(DataType::float64(), 100000,
                                             [](int64_t i) { return static_cast<double>(i) * 0.5 - 1000; })),
            100492);
  // cast(id as float) * cast(0.25 as float), n = 100000
  EXPECT_EQ(approx_distinct(generate<float>(DataType::float32(), 100000,
                                            [](int64_t i) { return static_cast<float>(i) * 0.25f; })),
            107536);
  // cast(id as float) * 0.25 (a double: float times decimal widens to double), n = 100000
  EXPECT_EQ(approx_distinct(generate<double>(DataType::float64(), 100000,
                                             [](int64_t i) { return static_cast<double>(i) * 0.25; })),
            90759);
  // date_add(date'1970-01-01', id - 5000), n = 20000
  EXPECT_EQ(approx_distinct(generate<int32_t>(DataType::date(), 20000, [](int64_t i) { return i - 5000; })),
            19598);
  // timestamp_micros(id * 1000003 - 7), n = 100000
  EXPECT_EQ(approx_distinct(
                generate<int64_t>(DataType::timestamp(), 100000, [](int64_t i) { return i * 1000003 - 7; })),
            101131);
  // cast(id as decimal(10,2)) / 100: decimal(14,6), unscaled id * 10^4, n = 100000
  EXPECT_EQ(approx_distinct(generate<int128_t>(DataType::decimal(14, 6), 100000,
                                               [](int64_t i) { return static_cast<int128_t>(i) * 10000; })),
            107578);
  // cast(id as decimal(30,0)) * 10^20 - 5: decimal(38,0), n = 100000
  int128_t e20 = static_cast<int128_t>(10000000000LL) * 10000000000LL;
  EXPECT_EQ(
      approx_distinct(generate<int128_t>(DataType::decimal(38, 0), 100000,
                                         [&](int64_t i) { return static_cast<int128_t>(i) * e20 - 5; })),
      102764);
}

TEST(ApproxCountDistinctTest, FloatingPointValuesAreNormalised) {
  // Spark 4.0.1: approx_count_distinct over NaN, -0.0, 0.0, NaN -> 2.
  auto v = Vector::from_values(DataType::float64(), {Value::float64(std::nan("")), Value::float64(-0.0),
                                                     Value::float64(0.0), Value::float64(-std::nan(""))});
  EXPECT_EQ(approx_distinct(v), 2);
}

TEST(ApproxCountDistinctTest, ExactForSmallCountsAndWithinTheErrorBoundForLargeOnes) {
  // Linear counting is exact until two values share a register: a handful of values at the
  // default 512 registers, a few dozen at rsd 0.01 (16384 registers). Repeats never count.
  std::mt19937_64 rng(99);
  for (size_t n : {0u, 1u, 2u, 3u, 5u, 8u}) {
    auto v = generate<int64_t>(DataType::int64(), 3 * n,
                               [&, n](int64_t i) { return static_cast<int64_t>(i % (n ? n : 1)) * 7777; });
    EXPECT_EQ(approx_distinct(v), static_cast<int64_t>(n));
  }
  for (size_t n : {13u, 21u, 34u, 55u}) {
    auto v = generate<int64_t>(DataType::int64(), n, [&](int64_t i) { return i * 1000003; });
    EXPECT_EQ(approx_distinct(v, 0.01), static_cast<int64_t>(n));
  }
  // Spark documents rsd as the relative standard deviation; HLL++ at p bits guarantees
  // 1.04 / sqrt(2^p). Allow four standard deviations.
  for (double rsd : {0.05, 0.02, 0.01}) {
    int p = static_cast<int>(std::ceil(2.0 * std::log2(1.106 / rsd)));
    double sigma = 1.04 / std::sqrt(static_cast<double>(int64_t{1} << p));
    for (size_t n : {1000u, 10000u, 100000u, 1000000u}) {
      auto v = generate<int64_t>(DataType::int64(), n, [&](int64_t) { return static_cast<int64_t>(rng()); });
      double got = static_cast<double>(approx_distinct(v, rsd));
      EXPECT_LE(std::fabs(got - static_cast<double>(n)) / static_cast<double>(n), 4 * sigma)
          << "rsd " << rsd << " n " << n << " got " << got;
    }
  }
}

TEST(ApproxCountDistinctTest, PartialStatesMergeToTheSinglePassAnswer) {
  std::mt19937 rng(3);
  Input in;
  in.num_groups = 12;  // group 11 gets no rows, group 10 only nulls
  std::vector<Value> values;
  for (size_t i = 0; i < 60000; ++i) {
    auto g = static_cast<int64_t>(rng() % 11);
    in.group.push_back(g);
    values.push_back(g == 10 || rng() % 13 == 0
                         ? Value::null(DataType::string())
                         : Value::string("v" + std::to_string(rng() % (2000 * (g + 1)))));
  }
  in.args = {Vector::from_values(DataType::string(), values)};
  auto b = bind_aggregate("approx_count_distinct", {DataType::string()});
  EXPECT_EQ(b.result_type, DataType::int64());
  EXPECT_FALSE(b.nullable);
  EXPECT_EQ(b.kernel->intermediate_types(), std::vector<DataType>{DataType::binary()});
  std::vector<Value> single = run_single(b, in);
  EXPECT_EQ(single[10], Value::int64(0));
  EXPECT_EQ(single[11], Value::int64(0));
  for (uint32_t seed : {1u, 2u, 3u}) {
    for (size_t parts : {2u, 5u, 16u}) EXPECT_EQ(run_partitioned(b, in, parts, seed), single);
  }
}

std::string bind_error_class(const std::string& fn, std::vector<DataType> types,
                             std::vector<std::optional<Value>> literals) {
  try {
    bind_aggregate(fn, std::move(types), std::move(literals));
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis) << e.what();
    return e.error_class();
  }
  return "accepted";
}

TEST(SparkXxHash64Test, NestedValuesHashElementByElementAsSparkDoes) {
  // Spark's documented example: SELECT xxhash64('Spark', array(123), 2) = 5602566077635097486;
  // each column's hash seeds the next, an array's elements seed each other.
  auto chained = [](const std::vector<Value>& values) {
    uint64_t h = 42;
    for (const Value& v : values) {
      auto vec = Vector::from_values(v.type(), {v});
      agg::spark_xxhash64_rows(*vec, 1, h, &h);
    }
    return static_cast<int64_t>(h);
  };
  EXPECT_EQ(chained({Value::string("Spark"), Value::array(DataType::int32(), {Value::int32(123)}),
                     Value::int32(2)}),
            5602566077635097486);
  // An array hashes as its elements in turn: array(1) as the int 1; a null element is skipped,
  // so [] and [NULL] both hash to the seed, and struct fields likewise.
  const Value one = Value::array(DataType::int32(), {Value::int32(1)});
  EXPECT_EQ(spark_hash(one), spark_hash(Value::int32(1)));
  EXPECT_EQ(spark_hash(Value::array(DataType::int32(), {})), 42);
  EXPECT_EQ(spark_hash(Value::array(DataType::int32(), {Value::null(DataType::int32())})), 42);
  const DataType st =
      DataType::struct_({Field{"a", DataType::int32(), true}, Field{"b", DataType::string(), true}});
  EXPECT_EQ(chained({Value::struct_(st, {Value::int32(1), Value::string("abc")})}),
            chained({Value::int32(1), Value::string("abc")}));
  // -0.0 and NaN inside are normalised as at the top.
  EXPECT_EQ(spark_hash(Value::array(DataType::float64(), {Value::float64(-0.0)})),
            spark_hash(Value::float64(0.0)));
}

TEST(ApproxCountDistinctTest, NestedValuesCountAsSparkHashesThem) {
  // [1, 2] twice, [2, 1], [1]: 3 distinct; [] and [NULL] hash alike in Spark (both the seed), so
  // together they add 1, not 2 (Spark's answer, hand-derived from its hash).
  const DataType ints = DataType::array(DataType::int32());
  auto arr = [&](std::vector<Value> v) { return Value::array(DataType::int32(), std::move(v)); };
  std::vector<Value> xs{arr({Value::int32(1), Value::int32(2)}),
                        arr({Value::int32(1), Value::int32(2)}),
                        arr({Value::int32(2), Value::int32(1)}),
                        arr({Value::int32(1)}),
                        arr({}),
                        arr({Value::null(DataType::int32())}),
                        Value::null(ints)};
  EXPECT_EQ(approx_distinct(Vector::from_values(ints, xs)), 4);
}

TEST(ApproxCountDistinctTest, RelativeSdMustBeADoubleLiteralInRange) {
  const DataType i64 = DataType::int64();
  // Spark 4.0.1: an int, float, string, null or column rsd: "The second argument should be a
  // double literal."; 0.5 (p < 4): FAILED_FUNCTION_CALL. A decimal literal is fine (SQL's 0.39).
  EXPECT_EQ(
      bind_error_class("approx_count_distinct", {i64, DataType::int32()}, {std::nullopt, Value::int32(1)}),
      "_LEGACY_ERROR_TEMP_1104");
  EXPECT_EQ(bind_error_class("approx_count_distinct", {i64, DataType::float32()},
                             {std::nullopt, Value::float32(0.1f)}),
            "_LEGACY_ERROR_TEMP_1104");
  EXPECT_EQ(
      bind_error_class("approx_count_distinct", {i64, DataType::float64()}, {std::nullopt, std::nullopt}),
      "_LEGACY_ERROR_TEMP_1104");
  EXPECT_EQ(bind_error_class("approx_count_distinct", {i64, DataType::float64()},
                             {std::nullopt, Value::null(DataType::float64())}),
            "_LEGACY_ERROR_TEMP_1104");
  EXPECT_EQ(bind_error_class("approx_count_distinct", {i64, DataType::float64()},
                             {std::nullopt, Value::float64(0.5)}),
            "FAILED_FUNCTION_CALL");
  EXPECT_EQ(bind_error_class("approx_count_distinct", {i64, DataType::float64()},
                             {std::nullopt, Value::float64(-1)}),
            "FAILED_FUNCTION_CALL");
  EXPECT_EQ(bind_error_class("approx_count_distinct", {i64, DataType::float64()},
                             {std::nullopt, Value::float64(0.001)}),
            "FAILED_FUNCTION_CALL");
  EXPECT_EQ(bind_error_class("approx_count_distinct", {i64, DataType::decimal(2, 2)},
                             {std::nullopt, Value::decimal(39, 2, 2)}),
            "accepted");
  EXPECT_EQ(approx_distinct(ints(10), 0.39), 13);  // Spark 4.0.1: approx_count_distinct(id, 0.39) of 10 ids
}

// -------------------------------------------------------------------------- percentile_approx

const std::vector<double> kPercentages{0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0};

Value percentage_array(const std::vector<double>& ps) {
  std::vector<Value> values;
  for (double p : ps) values.push_back(Value::float64(p));
  return Value::array(DataType::float64(), values);
}

BoundAggregate bind_percentile(const DataType& t, const Value& percentage, int64_t accuracy) {
  return bind_aggregate("percentile_approx", {t, percentage.type(), DataType::int64()},
                        {std::nullopt, percentage, Value::int64(accuracy)});
}

// One group of `values` (a flat vector) through percentile_approx.
Value percentile(const VectorPtr& values, const Value& percentage, int64_t accuracy = 10000,
                 size_t parts = 1) {
  auto b = bind_percentile(values->type(), percentage, accuracy);
  Input in = one_group({values, Vector::make_constant(percentage, values->size()),
                        Vector::make_constant(Value::int64(accuracy), values->size())});
  if (parts <= 1) return run_single(b, in, {}, 4096)[0];
  return run_partitioned(b, in, parts, 7)[0];
}

std::vector<int64_t> longs_of(const Value& array) {
  std::vector<int64_t> out;
  for (const Value& v : array.as_array()) out.push_back(v.as_int64());
  return out;
}
std::vector<double> doubles_of(const Value& array) {
  std::vector<double> out;
  for (const Value& v : array.as_array()) out.push_back(v.as_double());
  return out;
}

TEST(PercentileApproxTest, LargeInputsMatchSparkExactly) {
  // Spark 4.0.1 over spark.range(n), local[1]: percentile_approx(v, array(kPercentages), acc),
  // percentile_approx(v, 0.5, acc), percentile_approx(v, 0.37, acc).
  auto perm = generate<int64_t>(DataType::int64(), 100000, [](int64_t i) { return (i * 7919) % 100003; });
  struct LongCase {
    int64_t accuracy;
    std::vector<int64_t> all;
    int64_t median;
    int64_t p37;
  };
  const LongCase perm_cases[] = {
      {10, {0, 0, 0, 0, 28352, 40291, 65447, 100002, 100002, 100002, 100002}, 40291, 28352},
      {100, {0, 0, 0, 9272, 24070, 49874, 74917, 89481, 100002, 100002, 100002}, 49874, 36457},
      {1000, {0, 0, 1021, 10027, 25045, 49971, 74936, 89977, 98998, 100002, 100002}, 49971, 36928},
      {10000, {0, 89, 1006, 9991, 24998, 49996, 74997, 89996, 99000, 99898, 100002}, 49996, 36992},
  };
  for (const LongCase& c : perm_cases) {
    EXPECT_EQ(longs_of(percentile(perm, percentage_array(kPercentages), c.accuracy)), c.all) << c.accuracy;
    EXPECT_EQ(percentile(perm, Value::float64(0.5), c.accuracy), Value::int64(c.median)) << c.accuracy;
    EXPECT_EQ(percentile(perm, Value::float64(0.37), c.accuracy), Value::int64(c.p37)) << c.accuracy;
  }
  auto mod37 = generate<int64_t>(DataType::int64(), 100000, [](int64_t i) { return i % 37; });
  EXPECT_EQ(longs_of(percentile(mod37, percentage_array(kPercentages), 100)),
            (std::vector<int64_t>{0, 0, 0, 3, 9, 18, 27, 33, 36, 36, 36}));
  EXPECT_EQ(percentile(mod37, Value::float64(0.37), 100), Value::int64(13));
  auto desc = generate<int64_t>(DataType::int64(), 200000, [](int64_t i) { return 200000 - i; });
  EXPECT_EQ(longs_of(percentile(desc, percentage_array(kPercentages), 1000)),
            (std::vector<int64_t>{1, 1, 1871, 19810, 49800, 99819, 150118, 179832, 197978, 200000, 200000}));
  EXPECT_EQ(percentile(desc, Value::float64(0.5), 1000), Value::int64(99819));
  EXPECT_EQ(percentile(desc, Value::float64(0.37), 1000), Value::int64(73874));

  // 130000 doubles: the head buffer fills twice (50000 values) before the end.
  auto permdiv7 = generate<double>(DataType::float64(), 130000,
                                   [](int64_t i) { return static_cast<double>((i * 7919) % 100003) / 7.0; });
  struct DoubleCase {
    int64_t accuracy;
    std::vector<double> all;
    double median;
    double p37;
  };
  const DoubleCase div_cases[] = {
      {100,
       {0.0, 0.0, 0.0, 1324.5714285714287, 3438.5714285714284, 7124.857142857143, 10702.42857142857, 12783.0,
        14286.0, 14286.0, 14286.0},
       7124.857142857143,
       5208.142857142857},
      {5000,
       {0.0, 16.428571428571427, 141.14285714285714, 1426.2857142857142, 3572.714285714286, 7142.571428571428,
        10711.857142857143, 12854.857142857143, 14142.57142857143, 14271.42857142857, 14286.0},
       7142.571428571428,
       5286.0},
      {10000,
       {0.0, 15.142857142857142, 143.71428571428572, 1427.2857142857142, 3571.1428571428573,
        7142.285714285715, 10713.857142857143, 12856.57142857143, 14142.857142857143, 14271.142857142857,
        14286.0},
       7142.285714285715,
       5284.571428571428},
  };
  for (const DoubleCase& c : div_cases) {
    EXPECT_EQ(doubles_of(percentile(permdiv7, percentage_array(kPercentages), c.accuracy)), c.all)
        << c.accuracy;
    EXPECT_EQ(percentile(permdiv7, Value::float64(0.5), c.accuracy), Value::float64(c.median)) << c.accuracy;
    EXPECT_EQ(percentile(permdiv7, Value::float64(0.37), c.accuracy), Value::float64(c.p37)) << c.accuracy;
  }
}

// The exact answer for count <= accuracy: the smallest value whose rank reaches ceil(p * n)
// (p <= 1/accuracy: the minimum). This is also DuckDB's quantile_disc(x, p), which agreed with it
// on 300 random inputs when these tests were written.
double exact_percentile(std::vector<double> xs, double p, int64_t accuracy) {
  std::sort(xs.begin(), xs.end());
  if (p <= 1.0 / static_cast<double>(accuracy)) return xs.front();
  if (p >= 1.0 - 1.0 / static_cast<double>(accuracy)) return xs.back();
  auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(xs.size())));
  return xs[std::max<size_t>(rank, 1) - 1];
}

TEST(PercentileApproxTest, ExactForSmallInputs) {
  // Hand-checked: 1..10 at 0.5 -> 5 (rank ceil(5) = 5), 0.51 -> 6, 0.1 -> 1, 0.11 -> 2, 1 -> 10.
  auto one_to_ten = generate<int32_t>(DataType::int32(), 10, [](int64_t i) { return i + 1; });
  EXPECT_EQ(percentile(one_to_ten, Value::float64(0.5)), Value::int32(5));
  EXPECT_EQ(percentile(one_to_ten, Value::float64(0.51)), Value::int32(6));
  EXPECT_EQ(percentile(one_to_ten, Value::float64(0.1)), Value::int32(1));
  EXPECT_EQ(percentile(one_to_ten, Value::float64(0.11)), Value::int32(2));
  EXPECT_EQ(percentile(one_to_ten, Value::float64(1.0)), Value::int32(10));
  EXPECT_EQ(percentile(one_to_ten, Value::float64(0.0)), Value::int32(1));
  // Spark 4.0.1 doc examples: (0), (6), (7), (9), (10) at 0.5, accuracy 100 -> 7;
  // (0), (1), (2), (10) at array(0.5, 0.4, 0.1), accuracy 100 -> [1, 1, 0].
  auto five = Vector::from_values(DataType::int32(), {Value::int32(0), Value::int32(6), Value::int32(7),
                                                      Value::int32(9), Value::int32(10)});
  EXPECT_EQ(percentile(five, Value::float64(0.5), 100), Value::int32(7));
  auto four = Vector::from_values(DataType::int32(),
                                  {Value::int32(0), Value::int32(1), Value::int32(2), Value::int32(10)});
  Value arr = percentile(four, percentage_array({0.5, 0.4, 0.1}), 100);
  EXPECT_EQ(arr, Value::array(DataType::int32(), {Value::int32(1), Value::int32(1), Value::int32(0)}));
  // Random small inputs against the sorted answer, one pass and merged from partitions.
  std::mt19937 rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    size_t n = 1 + rng() % 3000;
    std::vector<double> xs;
    std::vector<Value> values;
    for (size_t i = 0; i < n; ++i) {
      double x = static_cast<double>(static_cast<int>(rng() % 2001) - 1000) / 4.0;
      xs.push_back(x);
      values.push_back(Value::float64(x));
    }
    auto v = Vector::from_values(DataType::float64(), values);
    std::vector<double> ps{0.0, 0.05, 0.25, 0.333, 0.5, 0.9, 0.999, 1.0};
    Value got = percentile(v, percentage_array(ps), 10000);
    Value merged = percentile(v, percentage_array(ps), 10000, 1 + trial % 6);
    for (size_t k = 0; k < ps.size(); ++k) {
      double want = exact_percentile(xs, ps[k], 10000);
      EXPECT_EQ(got.as_array()[k].as_double(), want) << "n " << n << " p " << ps[k];
      EXPECT_EQ(merged.as_array()[k].as_double(), want) << "merged, n " << n << " p " << ps[k];
    }
  }
}

TEST(PercentileApproxTest, ApproximateAnswersStayWithinTheRankError) {
  // GK's guarantee: the answer's rank is within eps * n of the target rank, merged or not.
  std::mt19937 rng(23);
  const size_t n = 150000;
  std::vector<double> xs(n);
  for (double& x : xs) x = static_cast<double>(rng() % 1000000);
  auto v = generate<double>(DataType::float64(), n, [&](int64_t i) { return xs[static_cast<size_t>(i)]; });
  std::vector<double> sorted = xs;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> ps{0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99};
  for (int64_t accuracy : {50, 500, 5000}) {
    double eps = 1.0 / static_cast<double>(accuracy);
    for (size_t parts : {1u, 4u}) {
      Value got = percentile(v, percentage_array(ps), accuracy, parts);
      for (size_t k = 0; k < ps.size(); ++k) {
        double value = got.as_array()[k].as_double();
        auto lo = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin());
        auto hi = static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), value) - sorted.begin());
        double target = ps[k] * static_cast<double>(n);
        // Some rank of `value` (lo + 1 .. hi) lies within the error of the target rank.
        double distance = target < lo + 1 ? lo + 1 - target : target > hi ? target - hi : 0.0;
        EXPECT_LE(distance, 2 * eps * static_cast<double>(n) + 1)
            << "accuracy " << accuracy << " parts " << parts << " p " << ps[k];
      }
    }
  }
}

TEST(PercentileApproxTest, ResultKeepsTheColumnType) {
  // Spark 4.0.1: a float column answers a float, a decimal one its decimal, a date a date.
  auto floats =
      generate<float>(DataType::float32(), 10, [](int64_t i) { return static_cast<float>(i) + 0.1f; });
  EXPECT_EQ(percentile(floats, Value::float64(0.5)), Value::float32(4.1f));
  auto decimals = generate<int128_t>(DataType::decimal(13, 6), 10, [](int64_t i) { return i * 333333; });
  EXPECT_EQ(percentile(decimals, Value::float64(0.5)), Value::decimal(1333332, 13, 6));
  auto dates =
      generate<int32_t>(DataType::date(), 10, [](int64_t i) { return 18262 + i; });  // 2020-01-01 + i
  EXPECT_EQ(percentile(dates, Value::float64(0.3)), Value::date(18264));
  auto stamps = generate<int64_t>(DataType::timestamp(), 5, [](int64_t i) { return i * 1000000; });
  EXPECT_EQ(percentile(stamps, Value::float64(0.5)), Value::timestamp(2000000));
  auto bytes = generate<int8_t>(DataType::byte(), 5, [](int64_t i) { return -i; });
  EXPECT_EQ(percentile(bytes, Value::float64(0.2)), Value::byte(-4));
  // Spark 4.0.1: 1.005 as decimal(38,10) answers 1.0050000000; 1e300 and -1e300 at 0.5: -1e300.
  auto precise = generate<int128_t>(DataType::decimal(38, 10), 1, [](int64_t) { return 10050000000; });
  EXPECT_EQ(percentile(precise, Value::float64(0.5)), Value::decimal(10050000000, 38, 10));
  auto extremes = Vector::from_values(DataType::float64(), {Value::float64(1e300), Value::float64(-1e300)});
  EXPECT_EQ(percentile(extremes, Value::float64(0.5)), Value::float64(-1e300));
  // Array percentages: array<column type>.
  auto b = bind_percentile(DataType::int32(), percentage_array({0.5}), 100);
  EXPECT_EQ(b.result_type, DataType::array(DataType::int32()));
  EXPECT_FALSE(b.result_type.contains_null());
  // Strings and NULL are summarised as doubles.
  EXPECT_EQ(bind_percentile(DataType::string(), Value::float64(0.5), 100).result_type, DataType::float64());
}

TEST(PercentileApproxTest, NullsEmptyGroupsAndPartialMerges) {
  std::mt19937 rng(8);
  Input in;
  in.num_groups = 22;  // group 21: no rows; group 20: nulls only
  std::vector<Value> values;
  for (size_t i = 0; i < 80000; ++i) {
    auto g = static_cast<int64_t>(rng() % 21);
    in.group.push_back(g);
    values.push_back(g == 20 || rng() % 10 == 0 ? Value::null(DataType::int64())
                                                : Value::int64(static_cast<int64_t>(rng() % 100000)));
  }
  Value ps = percentage_array({0.1, 0.5, 0.9});
  in.args = {Vector::from_values(DataType::int64(), values), Vector::make_constant(ps, values.size()),
             Vector::make_constant(Value::int64(10000), values.size())};
  auto b = bind_percentile(DataType::int64(), ps, 10000);
  std::vector<Value> single = run_single(b, in);
  EXPECT_TRUE(single[20].is_null());
  EXPECT_TRUE(single[21].is_null());
  // Every group has under 10000 values: exact, so merging in any split gives the same answer.
  for (size_t g = 0; g < 20; ++g) {
    std::vector<double> xs;
    for (size_t i = 0; i < values.size(); ++i) {
      if (in.group[i] == static_cast<int64_t>(g) && !values[i].is_null()) {
        xs.push_back(static_cast<double>(values[i].as_int64()));
      }
    }
    std::vector<int64_t> want;
    for (double p : {0.1, 0.5, 0.9}) want.push_back(static_cast<int64_t>(exact_percentile(xs, p, 10000)));
    EXPECT_EQ(longs_of(single[g]), want) << g;
  }
  for (size_t parts : {2u, 9u}) EXPECT_EQ(run_partitioned(b, in, parts, 4), single);
}

TEST(PercentileApproxTest, FinalizeCompressesInPlaceLikeSparkAndStaysUsable) {
  // A running window frame: finalize after every batch, keep updating. Each answer must equal a
  // fresh aggregate over the same prefix when the prefix is small enough to be exact.
  auto b = bind_percentile(DataType::int64(), Value::float64(0.5), 10000);
  const AggregateKernel& k = *b.kernel;
  aggtest::StateTable t(k);
  auto ids = aggtest::id_vector(std::vector<int64_t>(100, 0), 0, 100);
  std::vector<double> seen;
  std::mt19937 rng(2);
  for (int batch = 0; batch < 50; ++batch) {
    std::vector<Value> vals;
    for (int i = 0; i < 100; ++i) {
      auto x = static_cast<int64_t>(rng() % 1000);
      vals.push_back(Value::int64(x));
      seen.push_back(static_cast<double>(x));
    }
    std::vector<uint8_t*> rows = t.rows(ids);
    std::vector<VectorPtr> args{Vector::from_values(DataType::int64(), vals),
                                Vector::make_constant(Value::float64(0.5), 100),
                                Vector::make_constant(Value::int64(10000), 100)};
    k.update(rows.data(), aggtest::state_offset(k), args, 100, EvalContext{});
    auto out = Vector::make(b.result_type, 1);
    k.finalize(rows.data(), aggtest::state_offset(k), 1, *out, EvalContext{});
    EXPECT_EQ(out->value_at(0), Value::int64(static_cast<int64_t>(exact_percentile(seen, 0.5, 10000))));
  }
}

TEST(PercentileApproxTest, ArgumentChecksFollowSpark) {
  const DataType i64 = DataType::int64();
  const DataType f64 = DataType::float64();
  auto check = [](std::vector<DataType> types, std::vector<std::optional<Value>> literals) {
    return bind_error_class("percentile_approx", std::move(types), std::move(literals));
  };
  // Spark 4.0.1 error classes for the same calls.
  EXPECT_EQ(check({i64, f64}, {std::nullopt, Value::float64(1.5)}), "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE");
  EXPECT_EQ(check({i64, f64}, {std::nullopt, Value::float64(-0.1)}), "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE");
  EXPECT_EQ(check({i64, f64, DataType::int32()}, {std::nullopt, Value::float64(0.5), Value::int32(0)}),
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE");
  EXPECT_EQ(check({i64, f64, i64}, {std::nullopt, Value::float64(0.5), Value::int64(10000000000)}),
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE");
  EXPECT_EQ(check({i64, DataType::null()}, {std::nullopt, Value()}), "DATATYPE_MISMATCH.UNEXPECTED_NULL");
  EXPECT_EQ(check({i64, f64}, {std::nullopt, std::nullopt}), "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT");
  EXPECT_EQ(check({i64, f64, i64}, {std::nullopt, Value::float64(0.5), std::nullopt}),
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT");
  EXPECT_EQ(check({i64, f64, DataType::decimal(2, 1)},
                  {std::nullopt, Value::float64(0.5), Value::decimal(15, 2, 1)}),
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
  EXPECT_EQ(check({DataType::boolean(), f64}, {std::nullopt, Value::float64(0.5)}),
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
  EXPECT_EQ(check({DataType::binary(), f64}, {std::nullopt, Value::float64(0.5)}),
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
  EXPECT_EQ(
      check({i64, DataType::array(f64)}, {std::nullopt, Value::array(f64, {Value::float64(0.2), Value()})}),
      "DATATYPE_MISMATCH.UNEXPECTED_NULL");
  // Accepted as Spark accepts them: int, float, decimal and string percentages; any integral
  // accuracy.
  EXPECT_EQ(check({i64, DataType::int32()}, {std::nullopt, Value::int32(1)}), "accepted");
  EXPECT_EQ(check({i64, DataType::float32()}, {std::nullopt, Value::float32(0.5f)}), "accepted");
  EXPECT_EQ(check({i64, DataType::decimal(1, 1)}, {std::nullopt, Value::decimal(5, 1, 1)}), "accepted");
  EXPECT_EQ(check({i64, DataType::string()}, {std::nullopt, Value::string("0.5")}), "accepted");
  EXPECT_EQ(check({i64, f64, DataType::byte()}, {std::nullopt, Value::float64(0.5), Value::byte(5)}),
            "accepted");
  EXPECT_EQ(bind_percentile(i64, percentage_array({0.5}), 1).arg_types[1], DataType::array(f64));
}

TEST(PercentileApproxTest, DistinctSummarisesEachValueOnce) {
  // Spark 4.0.1: percentile_approx(DISTINCT x, p, 100) over 1, 1, 1, 2 -> 1 at 0.5 and 2 at 0.75;
  // without DISTINCT 1 and 1.
  auto v = Vector::from_values(DataType::int32(),
                               {Value::int32(1), Value::int32(1), Value::int32(1), Value::int32(2)});
  for (auto [p, with, without] : {std::tuple{0.5, 1, 1}, std::tuple{0.75, 2, 1}}) {
    Value percentage = Value::float64(p);
    auto b = aggtest::bind_aggregate("percentile_approx",
                                     {DataType::int32(), DataType::float64(), DataType::int64()},
                                     {std::nullopt, percentage, Value::int64(100)}, /*distinct=*/true);
    EXPECT_FALSE(b.supports_partial);
    Input in =
        one_group({v, Vector::make_constant(percentage, 4), Vector::make_constant(Value::int64(100), 4)});
    EXPECT_EQ(run_single(b, in)[0], Value::int32(with)) << p;
    EXPECT_EQ(percentile(v, percentage, 100), Value::int32(without)) << p;
  }
}

TEST(PercentileApproxTest, EmptyPercentageArrayGivesNull) {
  // Spark 4.0.1: percentile_approx(x, array()) -> NULL.
  auto v = generate<int32_t>(DataType::int32(), 3, [](int64_t i) { return i; });
  EXPECT_TRUE(percentile(v, Value::array(DataType::float64(), {}), 100).is_null());
}

TEST(QuantileSummaryTest, SerializationRoundTrips) {
  agg::QuantileSummary s(0.01);
  for (int i = 0; i < 70000; ++i) s.insert(static_cast<double>((i * 31) % 1009));
  s.compress();
  std::string bytes;
  s.serialize(bytes);
  agg::QuantileSummary back = agg::QuantileSummary::deserialize(bytes);
  EXPECT_EQ(back.count(), s.count());
  EXPECT_EQ(back.relative_error(), s.relative_error());
  ASSERT_EQ(back.samples().size(), s.samples().size());
  std::vector<double> a, b;
  s.query({0.1, 0.5, 0.9}, a);
  back.query({0.1, 0.5, 0.9}, b);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace ember
