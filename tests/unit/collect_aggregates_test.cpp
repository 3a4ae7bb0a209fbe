// collect_list / array_agg / collect_set through their kernels: order, nulls, empty groups,
// Spark's equality for collect_set, every flat element type, partial + final merges, DISTINCT,
// and a state that stays usable after finalize (running window frames).
#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "ember/common/error.h"

#include "unit/aggregate_kernel_harness.h"

namespace ember {
namespace {

using aggtest::bind_aggregate;
using aggtest::Input;
using aggtest::one_group;
using aggtest::run_partitioned;
using aggtest::run_single;

Value collect(const std::string& fn, const DataType& t, const std::vector<Value>& values,
              bool distinct = false) {
  auto b = bind_aggregate(fn, {t}, {}, distinct);
  return run_single(b, one_group({Vector::from_values(t, values)}))[0];
}

Value array_of(const DataType& t, std::vector<Value> values) { return Value::array(t, std::move(values)); }

TEST(CollectAggregatesTest, ResultTypeIsANonNullArrayOfTheInput) {
  for (const char* fn : {"collect_list", "array_agg", "collect_set"}) {
    auto b = bind_aggregate(fn, {DataType::decimal(12, 3)});
    EXPECT_EQ(b.result_type, DataType::array(DataType::decimal(12, 3)));
    EXPECT_FALSE(b.result_type.contains_null());
    EXPECT_FALSE(b.nullable);
    EXPECT_TRUE(b.supports_partial);
    EXPECT_EQ(b.kernel->intermediate_types(), std::vector<DataType>{b.result_type});
  }
}

TEST(CollectAggregatesTest, ListKeepsOrderAndSkipsNulls) {
  const DataType i32 = DataType::int32();
  std::vector<Value> xs{Value::int32(3), Value::null(i32), Value::int32(1), Value::int32(3), Value::int32(2)};
  Value want = array_of(i32, {Value::int32(3), Value::int32(1), Value::int32(3), Value::int32(2)});
  EXPECT_EQ(collect("collect_list", i32, xs), want);
  EXPECT_EQ(collect("array_agg", i32, xs), want);
  // Spark: [] (not NULL) for no rows and for only nulls.
  EXPECT_EQ(collect("collect_list", i32, {}), array_of(i32, {}));
  EXPECT_EQ(collect("collect_list", i32, {Value::null(i32), Value::null(i32)}), array_of(i32, {}));
  EXPECT_EQ(collect("collect_set", i32, {}), array_of(i32, {}));
}

TEST(CollectAggregatesTest, SetDropsDuplicatesKeepingFirstSeenOrder) {
  const DataType s = DataType::string();
  // Spark 4.0.1: collect_set over 'a', 'b', 'a', NULL -> [a, b].
  EXPECT_EQ(
      collect("collect_set", s, {Value::string("a"), Value::string("b"), Value::string("a"), Value::null(s)}),
      array_of(s, {Value::string("a"), Value::string("b")}));
  // Empty strings are values like any other.
  EXPECT_EQ(collect("collect_set", s, {Value::string(""), Value::string("x"), Value::string("")}),
            array_of(s, {Value::string(""), Value::string("x")}));
}

TEST(CollectAggregatesTest, SetUsesSparksEqualityForFloatingPoint) {
  // Spark 4.0.1 over 0.0, -0.0, NaN, NaN, NULL: collect_set -> [0.0, NaN, NaN] (0.0 == -0.0 and
  // NaN != NaN, as Scala's == compares boxed numbers); collect_list keeps all four.
  const DataType d = DataType::float64();
  double nan = std::nan("");
  Value set = collect(
      "collect_set", d,
      {Value::float64(0.0), Value::float64(-0.0), Value::float64(nan), Value::float64(nan), Value::null(d)});
  ASSERT_EQ(set.as_array().size(), 3u);
  EXPECT_EQ(set.as_array()[0].as_double(), 0.0);
  EXPECT_FALSE(std::signbit(set.as_array()[0].as_double()));
  EXPECT_TRUE(std::isnan(set.as_array()[1].as_double()));
  EXPECT_TRUE(std::isnan(set.as_array()[2].as_double()));
  Value list = collect(
      "collect_list", d,
      {Value::float64(0.0), Value::float64(-0.0), Value::float64(nan), Value::float64(nan), Value::null(d)});
  ASSERT_EQ(list.as_array().size(), 4u);
  EXPECT_TRUE(std::signbit(list.as_array()[1].as_double()));
  // Spark 4.0.1: collect_set(cast(x as float)) over 0.0, -0.0 -> [0.0].
  EXPECT_EQ(collect("collect_set", DataType::float32(), {Value::float32(0.0f), Value::float32(-0.0f)})
                .as_array()
                .size(),
            1u);
}

TEST(CollectAggregatesTest, EveryFlatElementType) {
  std::vector<std::pair<DataType, std::vector<Value>>> cases{
      {DataType::boolean(), {Value::boolean(true), Value::boolean(false), Value::boolean(true)}},
      {DataType::byte(), {Value::byte(-1), Value::byte(7), Value::byte(-1)}},
      {DataType::short_(), {Value::short_(300), Value::short_(-2), Value::short_(300)}},
      {DataType::int64(), {Value::int64(1LL << 40), Value::int64(-5), Value::int64(1LL << 40)}},
      {DataType::float32(), {Value::float32(1.5f), Value::float32(-2.25f), Value::float32(1.5f)}},
      {DataType::decimal(30, 4),
       {Value::decimal(static_cast<int128_t>(1) << 80, 30, 4), Value::decimal(-7, 30, 4),
        Value::decimal(static_cast<int128_t>(1) << 80, 30, 4)}},
      {DataType::binary(),
       {Value::binary(std::string("\0\1", 2)), Value::binary("zz"), Value::binary(std::string("\0\1", 2))}},
      {DataType::date(), {Value::date(19000), Value::date(-3), Value::date(19000)}},
      {DataType::timestamp(),
       {Value::timestamp(1700000000000000), Value::timestamp(0), Value::timestamp(1700000000000000)}},
  };
  for (const auto& [type, values] : cases) {
    EXPECT_EQ(collect("collect_list", type, values), array_of(type, values)) << type.simple_string();
    EXPECT_EQ(collect("collect_set", type, values), array_of(type, {values[0], values[1]}))
        << type.simple_string();
  }
}

TEST(CollectAggregatesTest, NullTypeCollectsNothing) {
  // Spark: collect_list(NULL) is [] of array<void>.
  auto b = bind_aggregate("collect_list", {DataType::null()});
  Input in;
  in.group.assign(4, 0);
  in.args = {Vector::make_null(DataType::null(), 4)};
  EXPECT_EQ(run_single(b, in)[0], array_of(DataType::null(), {}));
}

TEST(CollectAggregatesTest, PartialStatesMergeInPartitionOrder) {
  std::mt19937 rng(31);
  Input in;
  in.num_groups = 27;  // group 26: no rows, group 25: only nulls
  std::vector<Value> values;
  std::vector<std::vector<Value>> want_list(in.num_groups);
  std::vector<std::vector<Value>> want_set(in.num_groups);
  std::vector<std::set<std::string>> seen(in.num_groups);
  for (size_t i = 0; i < 40000; ++i) {
    auto g = static_cast<size_t>(rng() % 26);
    in.group.push_back(static_cast<int64_t>(g));
    if (g == 25 || rng() % 8 == 0) {
      values.push_back(Value::null(DataType::string()));
      continue;
    }
    std::string s = "k" + std::to_string(rng() % (50 * (g + 1)));
    values.push_back(Value::string(s));
    want_list[g].push_back(Value::string(s));
    if (seen[g].insert(s).second) want_set[g].push_back(Value::string(s));
  }
  in.args = {Vector::from_values(DataType::string(), values)};
  auto list = bind_aggregate("collect_list", {DataType::string()});
  auto set = bind_aggregate("collect_set", {DataType::string()});
  std::vector<Value> single_list = run_single(list, in);
  std::vector<Value> single_set = run_single(set, in);
  for (size_t g = 0; g < in.num_groups; ++g) {
    EXPECT_EQ(single_list[g], array_of(DataType::string(), want_list[g])) << g;
    EXPECT_EQ(single_set[g], array_of(DataType::string(), want_set[g])) << g;
  }
  // Contiguous chunks merged in order: the same lists, the same sets in the same order.
  for (size_t parts : {2u, 5u, 13u}) {
    EXPECT_EQ(run_partitioned(list, in, parts, static_cast<uint32_t>(parts)), single_list);
    EXPECT_EQ(run_partitioned(set, in, parts, static_cast<uint32_t>(parts)), single_set);
  }
}

TEST(CollectAggregatesTest, LargeGroupsGrowAmortised) {
  const size_t n = 200000;
  auto v = Vector::make(DataType::int64(), n);
  for (size_t i = 0; i < n; ++i) v->values<int64_t>()[i] = static_cast<int64_t>((i * 7919) % 50000);
  auto list = run_single(bind_aggregate("collect_list", {DataType::int64()}), one_group({v}))[0];
  ASSERT_EQ(list.as_array().size(), n);
  for (size_t i = 0; i < n; i += 9973)
    EXPECT_EQ(list.as_array()[i], Value::int64(static_cast<int64_t>((i * 7919) % 50000)));
  auto set = run_single(bind_aggregate("collect_set", {DataType::int64()}), one_group({v}))[0];
  ASSERT_EQ(set.as_array().size(), 50000u);
  std::set<int64_t> distinct;
  for (const Value& x : set.as_array()) distinct.insert(x.as_int64());
  EXPECT_EQ(distinct.size(), 50000u);
}

TEST(CollectAggregatesTest, DistinctKeepsEachValueOnce) {
  // Spark 4.0.1: collect_list(DISTINCT x) over 1, 1, 2 -> [1, 2] (order unspecified).
  const DataType i32 = DataType::int32();
  auto b = bind_aggregate("collect_list", {i32}, {}, /*distinct=*/true);
  EXPECT_FALSE(b.supports_partial);
  Value got = run_single(
      b, one_group({Vector::from_values(i32, {Value::int32(1), Value::int32(1), Value::int32(2)})}))[0];
  std::vector<int64_t> xs;
  for (const Value& x : got.as_array()) xs.push_back(x.as_int64());
  std::sort(xs.begin(), xs.end());
  EXPECT_EQ(xs, (std::vector<int64_t>{1, 2}));
}

TEST(CollectAggregatesTest, FinalizeLeavesTheStateUsable) {
  for (const char* fn : {"collect_list", "collect_set"}) {
    auto b = bind_aggregate(fn, {DataType::int32()});
    const AggregateKernel& k = *b.kernel;
    aggtest::StateTable t(k);
    auto ids = aggtest::id_vector({0}, 0, 1);
    std::vector<Value> prefix;
    for (int x : {4, 2, 4, 9}) {
      std::vector<uint8_t*> rows = t.rows(ids);
      k.update(rows.data(), aggtest::state_offset(k),
               {Vector::from_values(DataType::int32(), {Value::int32(x)})}, 1, EvalContext{});
      auto out = Vector::make(b.result_type, 1);
      k.finalize(rows.data(), aggtest::state_offset(k), 1, *out, EvalContext{});
      prefix.push_back(Value::int32(x));
      EXPECT_EQ(out->value_at(0), collect(fn, DataType::int32(), prefix)) << fn;
    }
  }
}

TEST(CollectAggregatesTest, ListAndSetCollectNestedValues) {
  // Arrays, maps and structs (nested in each other, with nulls at every level) collect as they
  // are, whole partitions or split into partial states that are merged.
  const DataType ab =
      DataType::struct_({Field{"a", DataType::array(DataType::int32()), true},
                         Field{"m", DataType::map(DataType::string(), DataType::int64()), true}});
  auto s = [&](Value a, Value m) { return Value::struct_(ab, {std::move(a), std::move(m)}); };
  auto ints = [](std::vector<Value> v) { return Value::array(DataType::int32(), std::move(v)); };
  auto m = [&](std::string k, Value v) {
    return Value::map(DataType::map(DataType::string(), DataType::int64()), {Value::string(k)}, {v});
  };
  std::vector<Value> xs{
      s(ints({Value::int32(1), Value::null(DataType::int32())}), m("k", Value::int64(5))), Value::null(ab),
      s(Value::null(DataType::array(DataType::int32())), m("z", Value::null(DataType::int64()))),
      s(ints({}), Value::null(DataType::map(DataType::string(), DataType::int64())))};
  Value want = array_of(ab, {xs[0], xs[2], xs[3]});
  EXPECT_EQ(collect("collect_list", ab, xs), want);
  auto b = bind_aggregate("collect_list", {ab});
  EXPECT_EQ(run_partitioned(b, one_group({Vector::from_values(ab, xs)}), 3, 7)[0], want);
  EXPECT_EQ(want.to_string(), "[{[1, NULL], {k -> 5}}, {NULL, {z -> NULL}}, {[], NULL}]");
  // collect_set keeps the first of equal arrays: [1, NULL] and [1, NULL] are one value, [] and
  // [NULL] two, [-0.0] equals [0.0] and [NaN] equals [NaN] (grouping's equality).
  const DataType int_array = DataType::array(DataType::int32());
  const Value n = Value::null(DataType::int32());
  std::vector<Value> as{ints({Value::int32(1), n}), ints({}), ints({Value::int32(1), n}), ints({n}), ints({}),
                        Value::null(int_array)};
  Value set_want = array_of(int_array, {as[0], as[1], as[3]});
  EXPECT_EQ(collect("collect_set", int_array, as), set_want);
  auto bs = bind_aggregate("collect_set", {int_array});
  EXPECT_EQ(run_partitioned(bs, one_group({Vector::from_values(int_array, as)}), 3, 7)[0].as_array().size(),
            3u);
  const DataType dbl = DataType::array(DataType::float64());
  auto darr = [](double d) { return Value::array(DataType::float64(), {Value::float64(d)}); };
  EXPECT_EQ(collect("collect_set", dbl, {darr(0.0), darr(-0.0), darr(std::nan("")), darr(-std::nan(""))})
                .as_array()
                .size(),
            2u);
  // Maps (even inside a struct) have no equality: Spark rejects collect_set of them at analysis.
  try {
    bind_aggregate("collect_set", {ab});
    ADD_FAILURE() << "collect_set of a struct holding a map was accepted";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
    EXPECT_EQ(e.error_class(), "DATATYPE_MISMATCH.UNSUPPORTED_INPUT_TYPE");
  }
}

}  // namespace
}  // namespace ember
