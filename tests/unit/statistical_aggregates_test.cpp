// stddev / variance / skewness / kurtosis (Spark's CentralMomentAgg) and count_if, driven through
// their kernels: hand-checked values and Spark 4.0.1's own answers, NULL and empty groups,
// partial + final merges, numerical stability and argument type checks.
#include <cmath>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "ember/common/error.h"

#include "unit/aggregate_kernel_harness.h"

namespace ember {
namespace {

using aggtest::bind_aggregate;
using aggtest::close;
using aggtest::identical;
using aggtest::Input;
using aggtest::one_group;
using aggtest::run_partitioned;
using aggtest::run_single;

const char* const kMomentFunctions[] = {"stddev",   "std",     "stddev_samp", "stddev_pop", "variance",
                                        "var_samp", "var_pop", "skewness",    "kurtosis"};

VectorPtr doubles(const std::vector<std::optional<double>>& xs) {
  std::vector<Value> values;
  for (const auto& x : xs) values.push_back(x ? Value::float64(*x) : Value::null(DataType::float64()));
  return Vector::from_values(DataType::float64(), values);
}

Value moment(const std::string& fn, const std::vector<std::optional<double>>& xs) {
  auto b = bind_aggregate(fn, {DataType::float64()});
  return run_single(b, one_group({doubles(xs)}))[0];
}

double moment_value(const std::string& fn, const std::vector<std::optional<double>>& xs) {
  Value v = moment(fn, xs);
  EXPECT_FALSE(v.is_null()) << fn;
  return v.is_null() ? NAN : v.as_double();
}

TEST(StatisticalAggregatesTest, ResultTypeIsNullableDouble) {
  for (const char* fn : kMomentFunctions) {
    for (const DataType& t : {DataType::int32(), DataType::int64(), DataType::float32(),
                              DataType::decimal(10, 2), DataType::string(), DataType::null()}) {
      auto b = bind_aggregate(fn, {t});
      EXPECT_EQ(b.result_type, DataType::float64()) << fn;
      EXPECT_EQ(b.arg_types[0], DataType::float64()) << fn << " over " << t.simple_string();
      EXPECT_TRUE(b.nullable);
      EXPECT_TRUE(b.supports_partial);
    }
  }
}

TEST(StatisticalAggregatesTest, HandCheckedValuesMatchSpark) {
  // Spark 4.0.1 over VALUES (1), (2), (3).
  std::vector<std::optional<double>> xs{1.0, 2.0, 3.0};
  EXPECT_EQ(moment_value("stddev", xs), 1.0);
  EXPECT_EQ(moment_value("stddev_samp", xs), 1.0);
  EXPECT_EQ(moment_value("std", xs), 1.0);
  EXPECT_EQ(moment_value("stddev_pop", xs), 0.816496580927726);
  EXPECT_EQ(moment_value("variance", xs), 1.0);
  EXPECT_EQ(moment_value("var_samp", xs), 1.0);
  EXPECT_EQ(moment_value("var_pop", xs), 0.6666666666666666);
  EXPECT_EQ(moment_value("skewness", xs), 0.0);
  EXPECT_EQ(moment_value("kurtosis", xs), -1.5);
  // Spark 4.0.1: SELECT kurtosis(x), skewness(x) FROM VALUES (-10), (-20), (100), (1000).
  std::vector<std::optional<double>> ys{-10.0, -20.0, 100.0, 1000.0};
  EXPECT_EQ(moment_value("kurtosis", ys), -0.7014368047529609);
  EXPECT_EQ(moment_value("skewness", ys), 1.1135657469022011);
  // Running stddev of 1, 2, 4 (Spark's window answers 0.7071067811865476 then 1.5275252316519465).
  EXPECT_EQ(moment_value("stddev", {1.0, 2.0}), 0.7071067811865476);
  EXPECT_EQ(moment_value("stddev", {1.0, 2.0, 4.0}), 1.5275252316519465);
  // Nulls are skipped.
  EXPECT_EQ(moment_value("var_pop", {1.0, std::nullopt, 2.0, std::nullopt, 3.0}), 0.6666666666666666);
}

TEST(StatisticalAggregatesTest, NoRowsOneRowAndConstantRows) {
  for (const char* fn : kMomentFunctions) {
    EXPECT_TRUE(moment(fn, {}).is_null()) << fn;
    EXPECT_TRUE(moment(fn, {std::nullopt, std::nullopt}).is_null()) << fn;
  }
  // One row: Spark 4 (spark.sql.legacy.statisticalAggregate=false) gives NULL for the sample
  // forms and 0 for the population ones; skewness and kurtosis divide by m2 = 0: NULL.
  for (const char* fn : {"stddev", "std", "stddev_samp", "variance", "var_samp", "skewness", "kurtosis"}) {
    EXPECT_TRUE(moment(fn, {5.0}).is_null()) << fn;
  }
  EXPECT_EQ(moment_value("stddev_pop", {5.0}), 0.0);
  EXPECT_EQ(moment_value("var_pop", {5.0}), 0.0);
  // Equal values: the sample forms are 0, skewness and kurtosis NULL.
  EXPECT_EQ(moment_value("stddev", {7.0, 7.0, 7.0}), 0.0);
  EXPECT_EQ(moment_value("variance", {7.0, 7.0, 7.0}), 0.0);
  EXPECT_TRUE(moment("skewness", {7.0, 7.0, 7.0}).is_null());
  EXPECT_TRUE(moment("kurtosis", {7.0, 7.0, 7.0}).is_null());
}

TEST(StatisticalAggregatesTest, NaNAndInfinityPropagate) {
  EXPECT_TRUE(std::isnan(moment_value("variance", {1.0, NAN, 3.0})));
  EXPECT_TRUE(std::isnan(moment_value("stddev_pop", {1.0, INFINITY})));
}

TEST(StatisticalAggregatesTest, StableForLargeOffsets) {
  // 1e9 + {4, 7, 13, 16}: deviations -6, -3, 3, 6, so m2 = 90. The textbook
  // (sum(x^2) - sum(x)^2 / n) formula loses every digit here; Welford's does not.
  std::vector<std::optional<double>> xs{1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
  EXPECT_NEAR(moment_value("var_samp", xs), 30.0, 1e-6);
  EXPECT_NEAR(moment_value("var_pop", xs), 22.5, 1e-6);
  EXPECT_NEAR(moment_value("stddev", xs), std::sqrt(30.0), 1e-7);
  EXPECT_NEAR(moment_value("skewness", xs), 0.0, 1e-6);
  // Small steps on a huge offset, and merged from several partitions.
  std::vector<std::optional<double>> ys;
  for (int i = 0; i < 1000; ++i) ys.push_back(1e9 + (i % 10) * 0.001);
  // (i % 10) * 0.001 has population variance 8.25e-6.
  EXPECT_NEAR(moment_value("var_pop", ys), 8.25e-6, 1e-9);
  auto b = bind_aggregate("var_pop", {DataType::float64()});
  for (uint32_t seed : {1u, 2u, 3u}) {
    Value v = run_partitioned(b, one_group({doubles(ys)}), 5, seed)[0];
    EXPECT_NEAR(v.as_double(), 8.25e-6, 1e-9);
  }
}

// Random groups with nulls, one all-null group and one group without rows, compared with a
// two-pass long double reference and across partial/final splits.
TEST(StatisticalAggregatesTest, MergedPartialsAgreeWithSinglePassAndTwoPassReference) {
  std::mt19937 rng(17);
  const size_t groups = 30;
  Input in;
  in.num_groups = groups + 2;
  std::vector<std::optional<double>> xs;
  std::normal_distribution<double> dist(50.0, 20.0);
  for (size_t i = 0; i < 20000; ++i) {
    size_t g = rng() % 25 == 0 ? groups : rng() % groups;
    in.group.push_back(static_cast<int64_t>(g));
    bool null = g == groups || rng() % 9 == 0;
    // Skewed values (squares) so skewness and kurtosis are far from 0.
    double x = dist(rng);
    xs.push_back(null ? std::nullopt : std::optional<double>(x * std::fabs(x) / 10.0 + 1e6));
  }
  in.args = {doubles(xs)};
  // Reference: exact-ish central moments per group in long double, two passes.
  std::vector<long double> n(in.num_groups), sum(in.num_groups), m2(in.num_groups), m3(in.num_groups),
      m4(in.num_groups);
  for (size_t i = 0; i < xs.size(); ++i) {
    if (xs[i]) {
      n[in.group[i]] += 1;
      sum[in.group[i]] += *xs[i];
    }
  }
  for (size_t i = 0; i < xs.size(); ++i) {
    if (!xs[i]) continue;
    auto g = static_cast<size_t>(in.group[i]);
    long double d = *xs[i] - sum[g] / n[g];
    m2[g] += d * d;
    m3[g] += d * d * d;
    m4[g] += d * d * d * d;
  }
  auto reference = [&](const std::string& fn, size_t g) -> std::optional<double> {
    if (n[g] == 0) return std::nullopt;
    if (fn == "var_pop") return static_cast<double>(m2[g] / n[g]);
    if (fn == "stddev_pop") return static_cast<double>(std::sqrt(m2[g] / n[g]));
    if (n[g] == 1) return std::nullopt;
    if (fn == "variance" || fn == "var_samp") return static_cast<double>(m2[g] / (n[g] - 1));
    if (fn == "stddev" || fn == "std" || fn == "stddev_samp")
      return static_cast<double>(std::sqrt(m2[g] / (n[g] - 1)));
    if (fn == "skewness") return static_cast<double>(std::sqrt(n[g]) * m3[g] / std::pow(m2[g], 1.5L));
    return static_cast<double>(n[g] * m4[g] / (m2[g] * m2[g]) - 3);
  };
  for (const char* fn : kMomentFunctions) {
    auto b = bind_aggregate(fn, {DataType::float64()});
    std::vector<Value> single = run_single(b, in);
    ASSERT_EQ(single.size(), in.num_groups);
    for (size_t g = 0; g < in.num_groups; ++g) {
      std::optional<double> want = reference(fn, g);
      if (!want) {
        EXPECT_TRUE(single[g].is_null()) << fn << " group " << g;
        continue;
      }
      ASSERT_FALSE(single[g].is_null()) << fn << " group " << g;
      EXPECT_NEAR(single[g].as_double(), *want, 1e-8 * std::max(1.0, std::fabs(*want)))
          << fn << " group " << g;
    }
    for (size_t parts : {2u, 7u}) {
      std::vector<Value> merged = run_partitioned(b, in, parts, static_cast<uint32_t>(parts * 31));
      for (size_t g = 0; g < in.num_groups; ++g) {
        EXPECT_TRUE(close(merged[g], single[g], 1e-9))
            << fn << " group " << g << ": " << merged[g].to_string() << " vs " << single[g].to_string();
      }
    }
  }
}

TEST(StatisticalAggregatesTest, FinalizeLeavesTheStateUsable) {
  // The window operator finalizes a running frame's state and keeps updating it.
  for (const char* fn : kMomentFunctions) {
    auto b = bind_aggregate(fn, {DataType::float64()});
    const AggregateKernel& k = *b.kernel;
    aggtest::StateTable t(k);
    auto ids = aggtest::id_vector({0}, 0, 1);
    std::vector<std::optional<double>> all{3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0};
    for (size_t i = 0; i < all.size(); ++i) {
      std::vector<uint8_t*> rows = t.rows(ids);
      k.update(rows.data(), aggtest::state_offset(k), {doubles({all[i]})}, 1, EvalContext{});
      auto out = Vector::make(b.result_type, 1);
      k.finalize(rows.data(), aggtest::state_offset(k), 1, *out, EvalContext{});
      std::vector<std::optional<double>> prefix(all.begin(), all.begin() + static_cast<long>(i) + 1);
      EXPECT_TRUE(identical(out->value_at(0), moment(fn, prefix))) << fn << " after " << i + 1 << " rows";
    }
  }
}

TEST(StatisticalAggregatesTest, DistinctSeesEachValueOnce) {
  // Spark 4.0.1: SELECT stddev(DISTINCT x) FROM VALUES (1), (1), (1), (2) -> 0.7071067811865476.
  auto b = bind_aggregate("stddev", {DataType::int32()}, {}, /*distinct=*/true);
  EXPECT_FALSE(b.supports_partial);
  auto v = Vector::from_values(DataType::float64(),
                               {Value::float64(1), Value::float64(1), Value::float64(1), Value::float64(2)});
  EXPECT_EQ(run_single(b, one_group({v}))[0].as_double(), 0.7071067811865476);
}

void expect_type_mismatch(const std::string& fn, const DataType& t, const std::string& required) {
  try {
    bind_aggregate(fn, {t});
    ADD_FAILURE() << fn << " accepted " << t.simple_string();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
    EXPECT_EQ(e.error_class(), "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
    EXPECT_NE(std::string(e.what()).find("\"" + required + "\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(fn), std::string::npos) << e.what();
  }
}

TEST(StatisticalAggregatesTest, RejectsNonNumericArguments) {
  for (const char* fn : kMomentFunctions) {
    expect_type_mismatch(fn, DataType::boolean(), "DOUBLE");
    expect_type_mismatch(fn, DataType::date(), "DOUBLE");
    expect_type_mismatch(fn, DataType::timestamp(), "DOUBLE");
    expect_type_mismatch(fn, DataType::binary(), "DOUBLE");
    expect_type_mismatch(fn, DataType::array(DataType::float64()), "DOUBLE");
  }
}

// ------------------------------------------------------------------------------------ count_if

VectorPtr booleans(const std::vector<std::optional<bool>>& xs) {
  std::vector<Value> values;
  for (const auto& x : xs) values.push_back(x ? Value::boolean(*x) : Value::null(DataType::boolean()));
  return Vector::from_values(DataType::boolean(), values);
}

TEST(CountIfTest, CountsTrueRowsOnly) {
  auto b = bind_aggregate("count_if", {DataType::boolean()});
  EXPECT_EQ(b.result_type, DataType::int64());
  EXPECT_FALSE(b.nullable);
  EXPECT_EQ(run_single(b, one_group({booleans({true, false, std::nullopt, true, true})}))[0],
            Value::int64(3));
  EXPECT_EQ(run_single(b, one_group({booleans({})}))[0], Value::int64(0));
  EXPECT_EQ(run_single(b, one_group({booleans({false, std::nullopt})}))[0], Value::int64(0));
  // A constant condition (count_if(lit(true))).
  Input in;
  in.group.assign(5, 0);
  in.args = {Vector::make_constant(Value::boolean(true), 5)};
  EXPECT_EQ(run_single(b, in)[0], Value::int64(5));
}

TEST(CountIfTest, GroupsAndPartialMergesAgreeWithACountingLoop) {
  std::mt19937 rng(5);
  Input in;
  in.num_groups = 42;  // group 41 gets no rows
  std::vector<std::optional<bool>> xs;
  std::vector<int64_t> want(in.num_groups);
  for (size_t i = 0; i < 30000; ++i) {
    auto g = static_cast<int64_t>(rng() % 41);
    in.group.push_back(g);
    uint32_t r = rng() % 3;
    xs.push_back(r == 0 ? std::nullopt : std::optional<bool>(r == 1));
    want[static_cast<size_t>(g)] += r == 1;
  }
  in.args = {booleans(xs)};
  auto b = bind_aggregate("count_if", {DataType::boolean()});
  std::vector<Value> single = run_single(b, in);
  for (size_t g = 0; g < in.num_groups; ++g) EXPECT_EQ(single[g], Value::int64(want[g])) << g;
  for (uint32_t seed : {1u, 2u}) EXPECT_EQ(run_partitioned(b, in, 6, seed), single);
}

TEST(CountIfTest, ArgumentTypes) {
  // Strings are cast to boolean, NULL counts nothing, numbers are Spark's type error.
  EXPECT_EQ(bind_aggregate("count_if", {DataType::string()}).arg_types[0], DataType::boolean());
  auto null_arg = bind_aggregate("count_if", {DataType::null()});
  Input in;
  in.group.assign(3, 0);
  in.args = {Vector::make_null(DataType::null(), 3)};
  EXPECT_EQ(run_single(null_arg, in)[0], Value::int64(0));
  expect_type_mismatch("count_if", DataType::int32(), "BOOLEAN");
  expect_type_mismatch("count_if", DataType::float64(), "BOOLEAN");
  expect_type_mismatch("count_if", DataType::date(), "BOOLEAN");
}

TEST(CountIfTest, DistinctCountsOneForAnyTrue) {
  // Spark 4.0.1: SELECT count_if(DISTINCT x > 1) FROM VALUES (1), (1), (1), (2), (3) -> 1.
  auto b = bind_aggregate("count_if", {DataType::boolean()}, {}, /*distinct=*/true);
  EXPECT_EQ(run_single(b, one_group({booleans({false, false, false, true, true})}))[0], Value::int64(1));
  EXPECT_EQ(run_single(b, one_group({booleans({false, std::nullopt})}))[0], Value::int64(0));
}

}  // namespace
}  // namespace ember
