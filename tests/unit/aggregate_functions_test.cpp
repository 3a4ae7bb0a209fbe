#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <optional>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "ember/common/error.h"
#include "ember/exec/hashtable/group_hash_table.h"
#include "ember/functions/registry.h"

namespace ember {
namespace {

BoundAggregate bind(const std::string& name, std::vector<DataType> types, bool distinct = false,
                    std::vector<std::optional<Value>> literals = {}) {
  const AggregateDef* def = FunctionRegistry::instance().find_aggregate(name);
  EXPECT_NE(def, nullptr) << name;
  BindContext ctx;
  literals.resize(types.size());
  ctx.literals = literals;
  return def->bind(types, distinct, ctx);
}

// Rows of input: a group id per row and the argument columns as Values.
struct Input {
  std::vector<int64_t> group;
  std::vector<std::vector<Value>> args;  // args[c][row]
  size_t num_groups = 0;
};

// States live at a non-zero offset in each payload row, as they do beside other aggregates.
size_t state_offset(const AggregateKernel& k) { return std::max<size_t>(k.state_align(), 8); }
size_t payload_size(const AggregateKernel& k) { return state_offset(k) + k.state_size(); }
size_t payload_align(const AggregateKernel& k) { return std::max<size_t>(k.state_align(), 8); }

std::vector<VectorPtr> arg_vectors(const BoundAggregate& b, const Input& in, size_t from, size_t to) {
  std::vector<VectorPtr> cols;
  for (size_t c = 0; c < in.args.size(); ++c) {
    std::vector<Value> vals(in.args[c].begin() + static_cast<long>(from), in.args[c].begin() + static_cast<long>(to));
    cols.push_back(Vector::from_values(b.arg_types[c], vals));
  }
  return cols;
}

VectorPtr group_vector(const Input& in, size_t from, size_t to) {
  auto v = Vector::make(DataType::int64(), to - from);
  for (size_t i = from; i < to; ++i) v->values<int64_t>()[i - from] = in.group[i];
  return v;
}

std::vector<Value> finalize_all(const BoundAggregate& b, GroupHashTable& table, size_t num_groups,
                                const EvalContext& ctx) {
  const AggregateKernel& k = *b.kernel;
  // Look the groups up in id order (creating those no row reached) so results line up.
  auto ids = Vector::make(DataType::int64(), num_groups);
  for (size_t g = 0; g < num_groups; ++g) ids->values<int64_t>()[g] = static_cast<int64_t>(g);
  std::vector<uint8_t*> rows(num_groups);
  table.find_or_insert({ids}, num_groups, rows.data(), [&](uint8_t* p) { k.init(p + state_offset(k)); });
  Vector out(b.result_type, num_groups);
  k.finalize(rows.data(), state_offset(k), num_groups, out, ctx);
  std::vector<Value> result;
  for (size_t g = 0; g < num_groups; ++g) result.push_back(out.value_at(g));
  return result;
}

void destroy_all(const AggregateKernel& k, GroupHashTable& table) {
  if (!k.needs_destroy()) return;
  std::vector<VectorPtr> keys;
  std::vector<uint8_t*> rows(table.size());
  table.read_groups(0, table.size(), keys, rows.data());
  for (uint8_t* r : rows) k.destroy(r + state_offset(k));
}

// Single phase: every row updates its group's state directly.
std::vector<Value> run_single(const BoundAggregate& b, const Input& in, const EvalContext& ctx) {
  const AggregateKernel& k = *b.kernel;
  GroupHashTable table({DataType::int64()}, payload_size(k), payload_align(k));
  size_t n = in.group.size();
  std::vector<uint8_t*> rows(n);
  for (size_t from = 0; from < n; from += 997) {
    size_t to = std::min(n, from + 997);
    table.find_or_insert({group_vector(in, from, to)}, to - from, rows.data(),
                         [&](uint8_t* p) { k.init(p + state_offset(k)); });
    k.update(rows.data(), state_offset(k), arg_vectors(b, in, from, to), to - from, ctx);
  }
  auto result = finalize_all(b, table, in.num_groups, ctx);
  destroy_all(k, table);
  return result;
}

// Partial -> intermediate -> merge -> final: the input is cut into random chunks, each
// aggregated in its own table; their states are shipped as intermediate columns and merged in
// a final table.
std::vector<Value> run_two_phase(const BoundAggregate& b, const Input& in, const EvalContext& ctx, uint32_t seed) {
  const AggregateKernel& k = *b.kernel;
  std::mt19937 rng(seed);
  GroupHashTable final_table({DataType::int64()}, payload_size(k), payload_align(k));
  size_t n = in.group.size();
  size_t from = 0;
  while (from < n) {
    size_t to = std::min(n, from + 1 + rng() % 1500);
    GroupHashTable partial({DataType::int64()}, payload_size(k), payload_align(k));
    std::vector<uint8_t*> rows(to - from);
    partial.find_or_insert({group_vector(in, from, to)}, to - from, rows.data(),
                           [&](uint8_t* p) { k.init(p + state_offset(k)); });
    k.update(rows.data(), state_offset(k), arg_vectors(b, in, from, to), to - from, ctx);
    // Ship the partial states.
    std::vector<VectorPtr> keys;
    std::vector<uint8_t*> states(partial.size());
    partial.read_groups(0, partial.size(), keys, states.data());
    std::vector<VectorPtr> inter;
    k.write_intermediate(states.data(), state_offset(k), states.size(), inter);
    EXPECT_EQ(inter.size(), k.intermediate_types().size());
    for (size_t c = 0; c < inter.size(); ++c) EXPECT_EQ(inter[c]->type(), k.intermediate_types()[c]);
    destroy_all(k, partial);
    // Merge them into the final table.
    std::vector<uint8_t*> frows(keys[0]->size());
    final_table.find_or_insert(keys, keys[0]->size(), frows.data(), [&](uint8_t* p) { k.init(p + state_offset(k)); });
    k.merge_intermediate(frows.data(), state_offset(k), inter, frows.size(), ctx);
    from = to;
  }
  auto result = finalize_all(b, final_table, in.num_groups, ctx);
  destroy_all(k, final_table);
  return result;
}

bool same_value(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null() && a.type() == b.type();
  if (a.type().is_floating() && a.type() == b.type()) {
    double x = a.as_double(), y = b.as_double();
    if (x == y) return true;  // includes infinities
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
    return std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(y));
  }
  return a == b;
}

// Runs both ways, checks they agree, returns the single-phase answer.
std::vector<Value> run_both(const BoundAggregate& b, const Input& in, const EvalContext& ctx = EvalContext{}) {
  auto single = run_single(b, in, ctx);
  for (uint32_t seed : {1u, 2u, 3u}) {
    auto two = run_two_phase(b, in, ctx, seed);
    EXPECT_EQ(two.size(), single.size());
    for (size_t g = 0; g < single.size(); ++g) {
      EXPECT_TRUE(same_value(two[g], single[g]))
          << "group " << g << ": two-phase " << two[g].to_string() << " vs single " << single[g].to_string();
    }
  }
  return single;
}

void expect_values(const std::vector<Value>& got, const std::vector<Value>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t g = 0; g < got.size(); ++g) {
    EXPECT_TRUE(same_value(got[g], want[g])) << "group " << g << ": got " << got[g].to_string() << " ("
                                             << got[g].type().simple_string() << ") want " << want[g].to_string()
                                             << " (" << want[g].type().simple_string() << ")";
  }
}

// Random input: `groups` groups with rows, plus one group with only nulls and one with no rows.
Input random_input(size_t rows, size_t groups, const std::function<Value(std::mt19937&)>& gen, DataType t,
                   uint32_t seed, size_t num_args = 1) {
  std::mt19937 rng(seed);
  Input in;
  in.num_groups = groups + 2;
  in.args.resize(num_args);
  for (size_t i = 0; i < rows; ++i) {
    bool all_null_group = rng() % 20 == 0;
    in.group.push_back(all_null_group ? static_cast<int64_t>(groups) : static_cast<int64_t>(rng() % groups));
    for (size_t c = 0; c < num_args; ++c) {
      in.args[c].push_back(all_null_group || rng() % 7 == 0 ? Value::null(t) : gen(rng));
    }
  }
  return in;
}

// ------------------------------------------------------------------------------------------ count

TEST(AggregateFunctionsTest, CountCountsNonNullRows) {
  Input in = random_input(6000, 40, [](std::mt19937& r) { return Value::int32(static_cast<int32_t>(r() % 100)); },
                          DataType::int32(), 11, 2);
  auto b = bind("count", {DataType::int32()});
  EXPECT_EQ(b.result_type, DataType::int64());
  EXPECT_FALSE(b.nullable);
  Input one = in;
  one.args.resize(1);
  std::vector<Value> want(in.num_groups, Value::int64(0)), want2(in.num_groups, Value::int64(0));
  std::vector<int64_t> c1(in.num_groups), c2(in.num_groups);
  for (size_t i = 0; i < in.group.size(); ++i) {
    auto g = static_cast<size_t>(in.group[i]);
    c1[g] += !in.args[0][i].is_null();
    c2[g] += !in.args[0][i].is_null() && !in.args[1][i].is_null();
  }
  for (size_t g = 0; g < in.num_groups; ++g) {
    want[g] = Value::int64(c1[g]);
    want2[g] = Value::int64(c2[g]);
  }
  expect_values(run_both(b, one), want);
  // count(a, b): rows where both are non-null.
  expect_values(run_both(bind("count", {DataType::int32(), DataType::int32()}), in), want2);
}

TEST(AggregateFunctionsTest, CountStarIsCountOfALiteral) {
  // The analyzer turns count(*) into count(1); the literal may arrive as a constant vector.
  auto b = bind("count", {DataType::int32()});
  const AggregateKernel& k = *b.kernel;
  std::vector<uint8_t> state(k.state_size());
  k.init(state.data());
  std::vector<uint8_t*> rows(10, state.data());
  k.update(rows.data(), 0, {Vector::make_constant(Value::int32(1), 10)}, 10, EvalContext{});
  k.update(rows.data(), 0, {Vector::make_constant(Value::null(DataType::int32()), 10)}, 10, EvalContext{});
  Vector out(DataType::int64(), 1);
  k.finalize(rows.data(), 0, 1, out, EvalContext{});
  EXPECT_EQ(out.values<int64_t>()[0], 10);
}

// -------------------------------------------------------------------------------------- sum / avg

template <class F>
std::vector<Value> reference(const Input& in, DataType result, F&& fold) {
  std::vector<std::vector<Value>> per(in.num_groups);
  for (size_t i = 0; i < in.group.size(); ++i) per[static_cast<size_t>(in.group[i])].push_back(in.args[0][i]);
  std::vector<Value> out;
  for (auto& vals : per) {
    std::vector<Value> nn;
    for (auto& v : vals) {
      if (!v.is_null()) nn.push_back(v);
    }
    out.push_back(nn.empty() ? Value::null(result) : fold(nn));
  }
  return out;
}

TEST(AggregateFunctionsTest, SumAndAvgOfIntegers) {
  for (DataType t : {DataType::byte(), DataType::short_(), DataType::int32(), DataType::int64()}) {
    SCOPED_TRACE(t.simple_string());
    Input in = random_input(8000, 50, [](std::mt19937& r) { return Value::int64(static_cast<int64_t>(r() % 200) - 100); },
                            DataType::int64(), 5);
    for (auto& v : in.args[0]) {
      if (!v.is_null()) {
        int64_t x = v.as_int64();
        v = t == DataType::byte() ? Value::byte(static_cast<int8_t>(x)) : t == DataType::short_() ? Value::short_(static_cast<int16_t>(x))
            : t == DataType::int32() ? Value::int32(static_cast<int32_t>(x)) : Value::int64(x);
      } else {
        v = Value::null(t);
      }
    }
    auto sum = bind("sum", {t});
    EXPECT_EQ(sum.result_type, DataType::int64());
    expect_values(run_both(sum, in), reference(in, DataType::int64(), [](const std::vector<Value>& vs) {
                    int64_t s = 0;
                    for (auto& v : vs) s += v.as_int64();
                    return Value::int64(s);
                  }));
    auto avg = bind("avg", {t});
    EXPECT_EQ(avg.result_type, DataType::float64());
    expect_values(run_both(avg, in), reference(in, DataType::float64(), [](const std::vector<Value>& vs) {
                    double s = 0;
                    for (auto& v : vs) s += static_cast<double>(v.as_int64());
                    return Value::float64(s / static_cast<double>(vs.size()));
                  }));
    EXPECT_EQ(bind("mean", {t}).result_type, DataType::float64());
  }
}

TEST(AggregateFunctionsTest, SumAndAvgOfDoubles) {
  Input in = random_input(5000, 30, [](std::mt19937& r) { return Value::float64(static_cast<double>(r() % 1000) / 8.0); },
                          DataType::float64(), 9);
  auto sum = bind("sum", {DataType::float64()});
  EXPECT_EQ(sum.result_type, DataType::float64());
  expect_values(run_both(sum, in), reference(in, DataType::float64(), [](const std::vector<Value>& vs) {
                  double s = 0;
                  for (auto& v : vs) s += v.as_double();
                  return Value::float64(s);
                }));
  expect_values(run_both(bind("avg", {DataType::float64()}), in),
                reference(in, DataType::float64(), [](const std::vector<Value>& vs) {
                  double s = 0;
                  for (auto& v : vs) s += v.as_double();
                  return Value::float64(s / static_cast<double>(vs.size()));
                }));
  // float input sums to double.
  EXPECT_EQ(bind("sum", {DataType::float32()}).result_type, DataType::float64());
}

TEST(AggregateFunctionsTest, SumAndAvgOfDecimalsFollowSparkTypes) {
  DataType t = DataType::decimal(10, 2);
  auto sum = bind("sum", {t});
  EXPECT_EQ(sum.result_type, DataType::decimal(20, 2));
  auto avg = bind("avg", {t});
  EXPECT_EQ(avg.result_type, DataType::decimal(14, 6));
  EXPECT_EQ(bind("sum", {DataType::decimal(38, 10)}).result_type, DataType::decimal(38, 10));
  EXPECT_EQ(bind("avg", {DataType::decimal(36, 36)}).result_type, DataType::decimal(38, 38));
  Input in = random_input(6000, 25, [](std::mt19937& r) { return Value::decimal(static_cast<int128_t>(r() % 2000000) - 1000000, 10, 2); },
                          t, 21);
  expect_values(run_both(sum, in), reference(in, sum.result_type, [](const std::vector<Value>& vs) {
                  int128_t s = 0;
                  for (auto& v : vs) s += v.as_decimal();
                  return Value::decimal(s, 20, 2);
                }));
  expect_values(run_both(avg, in), reference(in, avg.result_type, [](const std::vector<Value>& vs) {
                  int128_t s = 0;
                  for (auto& v : vs) s += v.as_decimal();
                  // HALF_UP at scale 6: s has scale 2, so scale by 10^4 before dividing.
                  int128_t num = s * 10000 * 2;
                  auto cnt = static_cast<int128_t>(vs.size());
                  int128_t q = num >= 0 ? (num / cnt + 1) / 2 : -((-num / cnt + 1) / 2);
                  return Value::decimal(q, 14, 6);
                }));
}

TEST(AggregateFunctionsTest, AvgOfDecimalRoundsHalfUp) {
  DataType t = DataType::decimal(5, 0);
  auto avg = bind("avg", {t});
  Input in;
  in.num_groups = 2;
  in.group = {0, 0, 0, 1, 1, 1};
  // group 0: (1 + 2 + 2) / 3 = 1.6666666.. -> 1.6667; group 1: -(1+1+0)/3 = -0.666.. -> -0.6667
  in.args = {{Value::decimal(1, 5, 0), Value::decimal(2, 5, 0), Value::decimal(2, 5, 0), Value::decimal(-1, 5, 0),
              Value::decimal(-1, 5, 0), Value::decimal(0, 5, 0)}};
  expect_values(run_both(avg, in), {Value::decimal(16667, 9, 4), Value::decimal(-6667, 9, 4)});
}

TEST(AggregateFunctionsTest, SumOfBigintOverflowRaisesUnderAnsiAndWrapsOtherwise) {
  auto sum = bind("sum", {DataType::int64()});
  Input in;
  in.num_groups = 1;
  in.group = {0, 0};
  in.args = {{Value::int64(std::numeric_limits<int64_t>::max()), Value::int64(1)}};
  EvalContext ansi;
  try {
    run_single(sum, in, ansi);
    FAIL() << "expected an overflow error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kArithmetic);
    EXPECT_EQ(e.error_class(), "ARITHMETIC_OVERFLOW");
    EXPECT_NE(std::string(e.what()).find("long overflow"), std::string::npos);
  }
  // The overflow may only appear when partial sums are merged.
  Input split;
  split.num_groups = 1;
  split.group.assign(3000, 0);
  split.args.resize(1);
  for (int i = 0; i < 3000; ++i) split.args[0].push_back(Value::int64(std::numeric_limits<int64_t>::max() / 2000));
  EXPECT_THROW(run_two_phase(sum, split, ansi, 4), EmberError);
  EvalContext legacy;
  legacy.ansi = false;
  expect_values(run_both(sum, in, legacy), {Value::int64(std::numeric_limits<int64_t>::min())});
}

TEST(AggregateFunctionsTest, SumOfDecimalOverflowIsErrorOrNull) {
  DataType t = DataType::decimal(38, 0);
  auto sum = bind("sum", {t});
  int128_t big = 1;
  for (int i = 0; i < 37; ++i) big *= 10;
  big *= 9;  // 9e37: two of them exceed 38 digits
  Input in;
  in.num_groups = 2;
  in.group = {0, 0, 0, 1};
  in.args = {{Value::decimal(big, 38, 0), Value::decimal(big, 38, 0), Value::decimal(-big, 38, 0), Value::decimal(5, 38, 0)}};
  EvalContext legacy;
  legacy.ansi = false;
  // Spark's overflow is sticky: the third value would bring the sum back, but it stays null.
  expect_values(run_both(sum, in, legacy), {Value::null(DataType::decimal(38, 0)), Value::decimal(5, 38, 0)});
  try {
    run_single(sum, in, EvalContext{});
    FAIL() << "expected an overflow error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "ARITHMETIC_OVERFLOW");
  }
  EXPECT_THROW(run_two_phase(sum, in, EvalContext{}, 1), EmberError);
}

TEST(AggregateFunctionsTest, SumOfNullsAndStringsCoerceToDouble) {
  auto b = bind("sum", {DataType::null()});
  EXPECT_EQ(b.result_type, DataType::float64());
  EXPECT_EQ(b.arg_types[0], DataType::float64());
  EXPECT_EQ(bind("avg", {DataType::string()}).arg_types[0], DataType::float64());
  try {
    bind("sum", {DataType::boolean()});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
    EXPECT_EQ(e.error_class(), "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
  }
  EXPECT_THROW(bind("avg", {DataType::date()}), EmberError);
}

// ---------------------------------------------------------------------------------------- min/max

template <class Less>
std::pair<std::vector<Value>, std::vector<Value>> ref_min_max(const Input& in, DataType t, Less less) {
  auto mn = reference(in, t, [&](const std::vector<Value>& vs) {
    Value best = vs[0];
    for (auto& v : vs) if (less(v, best)) best = v;
    return best;
  });
  auto mx = reference(in, t, [&](const std::vector<Value>& vs) {
    Value best = vs[0];
    for (auto& v : vs) if (less(best, v)) best = v;
    return best;
  });
  return {mn, mx};
}

TEST(AggregateFunctionsTest, MinMaxOfNumbersDatesDecimalsBooleans) {
  struct Case {
    DataType t;
    std::function<Value(std::mt19937&)> gen;
  };
  std::vector<Case> cases = {
      {DataType::int32(), [](std::mt19937& r) { return Value::int32(static_cast<int32_t>(r()) / 2); }},
      {DataType::int64(), [](std::mt19937& r) { return Value::int64(static_cast<int64_t>(r()) - (1LL << 31)); }},
      {DataType::short_(), [](std::mt19937& r) { return Value::short_(static_cast<int16_t>(r())); }},
      {DataType::date(), [](std::mt19937& r) { return Value::date(static_cast<int32_t>(r() % 40000) - 20000); }},
      {DataType::timestamp(), [](std::mt19937& r) { return Value::timestamp(static_cast<int64_t>(r()) * 1000); }},
      {DataType::decimal(30, 4), [](std::mt19937& r) { return Value::decimal((static_cast<int128_t>(r()) << 40) - (static_cast<int128_t>(1) << 70), 30, 4); }},
      {DataType::boolean(), [](std::mt19937& r) { return Value::boolean(r() % 5 == 0); }},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.t.simple_string());
    Input in = random_input(4000, 30, c.gen, c.t, 17);
    auto less = [&](const Value& a, const Value& b) {
      switch (c.t.id()) {
        case TypeId::kDecimal: return a.as_decimal() < b.as_decimal();
        case TypeId::kBoolean: return a.as_bool() < b.as_bool();
        default: return a.as_int64() < b.as_int64();
      }
    };
    auto [mn, mx] = ref_min_max(in, c.t, less);
    auto bmin = bind("min", {c.t});
    EXPECT_EQ(bmin.result_type, c.t);
    expect_values(run_both(bmin, in), mn);
    expect_values(run_both(bind("max", {c.t}), in), mx);
  }
}

TEST(AggregateFunctionsTest, MinMaxOfDoublesPutNaNAboveEverything) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  Input in;
  in.num_groups = 3;
  in.group = {0, 0, 0, 1, 1, 2};
  in.args = {{Value::float64(1.0), Value::float64(nan), Value::float64(-5.0), Value::float64(nan),
              Value::float64(nan), Value::float64(std::numeric_limits<double>::infinity())}};
  expect_values(run_both(bind("max", {DataType::float64()}), in),
                {Value::float64(nan), Value::float64(nan), Value::float64(std::numeric_limits<double>::infinity())});
  expect_values(run_both(bind("min", {DataType::float64()}), in),
                {Value::float64(-5.0), Value::float64(nan), Value::float64(std::numeric_limits<double>::infinity())});
  Input f = in;
  for (auto& v : f.args[0]) v = Value::float32(static_cast<float>(v.as_double()));
  auto maxf = run_both(bind("max", {DataType::float32()}), f);
  EXPECT_TRUE(std::isnan(maxf[0].as_double()));
  EXPECT_EQ(run_both(bind("min", {DataType::float32()}), f)[0].as_double(), -5.0);
}

TEST(AggregateFunctionsTest, MinMaxOfStringsOwnTheirBytes) {
  Input in = random_input(5000, 40, [](std::mt19937& r) {
    // Lengths vary so a state must regrow its copy; bytes above 0x7f compare unsigned.
    std::string s(static_cast<size_t>(r() % 30), 'a');
    for (char& ch : s) ch = static_cast<char>(r() % 2 == 0 ? 'a' + r() % 26 : 0xc3);
    return Value::string(s);
  }, DataType::string(), 23);
  auto less = [](const Value& a, const Value& b) { return a.as_string() < b.as_string(); };
  // std::string compares char-wise with char_traits<char>::lt, which is unsigned like Spark.
  auto [mn, mx] = ref_min_max(in, DataType::string(), less);
  auto bmin = bind("min", {DataType::string()});
  EXPECT_TRUE(bmin.kernel->needs_destroy());
  EXPECT_EQ(bmin.kernel->intermediate_types(), std::vector<DataType>{DataType::string()});
  expect_values(run_both(bmin, in), mn);
  expect_values(run_both(bind("max", {DataType::string()}), in), mx);
}

TEST(AggregateFunctionsTest, MinMaxOfNullTypeIsNull) {
  Input in;
  in.num_groups = 1;
  in.group = {0, 0};
  in.args = {{Value::null(DataType::null()), Value::null(DataType::null())}};
  auto b = bind("max", {DataType::null()});
  EXPECT_EQ(b.result_type, DataType::null());
  auto r = run_both(b, in);
  EXPECT_TRUE(r[0].is_null());
}

// --------------------------------------------------------------------------------- first / last

TEST(AggregateFunctionsTest, FirstAndLastRespectIgnoreNulls) {
  DataType t = DataType::string();
  Input in;
  in.num_groups = 3;
  in.group = {0, 0, 0, 1, 1, 2};
  in.args = {{Value::null(t), Value::string("b"), Value::string("c"), Value::string("x"), Value::null(t), Value::null(t)}};
  // Single phase only for order-sensitive results (a two-phase merge of first() keeps the first
  // chunk's answer, which with these chunk cuts is the same, but tie it to one path here).
  EvalContext ctx;
  expect_values(run_single(bind("first", {t}), in, ctx), {Value::null(t), Value::string("x"), Value::null(t)});
  expect_values(run_single(bind("first", {t, DataType::boolean()}, false, {std::nullopt, Value::boolean(true)}), in, ctx),
                {Value::string("b"), Value::string("x"), Value::null(t)});
  expect_values(run_single(bind("last", {t}), in, ctx), {Value::string("c"), Value::null(t), Value::null(t)});
  expect_values(run_single(bind("last_value", {t, DataType::boolean()}, false, {std::nullopt, Value::boolean(true)}), in, ctx),
                {Value::string("c"), Value::string("x"), Value::null(t)});
  expect_values(run_single(bind("any_value", {t}), in, ctx), {Value::null(t), Value::string("x"), Value::null(t)});
  EXPECT_EQ(bind("first_value", {DataType::int32()}).result_type, DataType::int32());
}

TEST(AggregateFunctionsTest, FirstMergesInChunkOrder) {
  // Chunks are merged in input order, so two-phase first()/last() equal the single-phase ones.
  Input in = random_input(3000, 20, [](std::mt19937& r) { return Value::int64(static_cast<int64_t>(r() % 1000)); },
                          DataType::int64(), 31);
  run_both(bind("first", {DataType::int64()}), in);
  run_both(bind("last", {DataType::int64()}), in);
  run_both(bind("first", {DataType::int64(), DataType::boolean()}, false, {std::nullopt, Value::boolean(true)}), in);
  Input s = random_input(3000, 20, [](std::mt19937& r) { return Value::string(std::to_string(r() % 1000) + "-long-enough-to-allocate"); },
                         DataType::string(), 32);
  run_both(bind("last", {DataType::string(), DataType::boolean()}, false, {std::nullopt, Value::boolean(true)}), s);
}

TEST(AggregateFunctionsTest, FirstNeedsABooleanLiteral) {
  EXPECT_THROW(bind("first", {DataType::int32(), DataType::boolean()}), EmberError);  // not a literal
  EXPECT_THROW(bind("first", {DataType::int32(), DataType::int32()}, false, {std::nullopt, Value::int32(1)}), EmberError);
}

// -------------------------------------------------------------------------------------- DISTINCT

TEST(AggregateFunctionsTest, CountDistinctOverTuples) {
  Input in = random_input(5000, 25, [](std::mt19937& r) { return Value::int32(static_cast<int32_t>(r() % 15)); },
                          DataType::int32(), 41, 2);
  auto b = bind("count", {DataType::int32(), DataType::int32()}, true);
  EXPECT_FALSE(b.supports_partial);
  EXPECT_EQ(b.result_type, DataType::int64());
  std::vector<std::set<std::pair<int64_t, int64_t>>> seen(in.num_groups);
  std::vector<std::set<int64_t>> seen1(in.num_groups);
  for (size_t i = 0; i < in.group.size(); ++i) {
    auto g = static_cast<size_t>(in.group[i]);
    if (!in.args[0][i].is_null()) seen1[g].insert(in.args[0][i].as_int64());
    if (in.args[0][i].is_null() || in.args[1][i].is_null()) continue;
    seen[g].insert({in.args[0][i].as_int64(), in.args[1][i].as_int64()});
  }
  std::vector<Value> want, want1;
  for (size_t g = 0; g < in.num_groups; ++g) {
    want.push_back(Value::int64(static_cast<int64_t>(seen[g].size())));
    want1.push_back(Value::int64(static_cast<int64_t>(seen1[g].size())));
  }
  expect_values(run_single(b, in, EvalContext{}), want);
  Input one = in;
  one.args.resize(1);
  expect_values(run_single(bind("count", {DataType::int32()}, true), one, EvalContext{}), want1);
}

TEST(AggregateFunctionsTest, CountDistinctNormalisesFloatsAndHandlesStrings) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  Input in;
  in.num_groups = 1;
  in.group = {0, 0, 0, 0, 0};
  in.args = {{Value::float64(0.0), Value::float64(-0.0), Value::float64(nan), Value::float64(-nan), Value::float64(1.0)}};
  expect_values(run_single(bind("count", {DataType::float64()}, true), in, EvalContext{}), {Value::int64(3)});
  Input s;
  s.num_groups = 1;
  s.group = {0, 0, 0, 0};
  s.args = {{Value::string("a"), Value::string(""), Value::string("a"), Value::null(DataType::string())},
            {Value::string("bc"), Value::string("abc"), Value::string("bc"), Value::string("x")}};
  // ("a","bc") twice, ("","abc") once: the length prefix keeps ("a","bc") != ("ab","c").
  expect_values(run_single(bind("count", {DataType::string(), DataType::string()}, true), s, EvalContext{}),
                {Value::int64(2)});
}

TEST(AggregateFunctionsTest, SumAndAvgDistinct) {
  Input in;
  in.num_groups = 3;
  in.group = {0, 0, 0, 0, 1, 1, 2};
  in.args = {{Value::int64(5), Value::int64(5), Value::int64(3), Value::null(DataType::int64()), Value::int64(2),
              Value::int64(2), Value::null(DataType::int64())}};
  auto s = bind("sum", {DataType::int64()}, true);
  EXPECT_FALSE(s.supports_partial);
  expect_values(run_single(s, in, EvalContext{}), {Value::int64(8), Value::int64(2), Value::null(DataType::int64())});
  expect_values(run_single(bind("avg", {DataType::int64()}, true), in, EvalContext{}),
                {Value::float64(4.0), Value::float64(2.0), Value::null(DataType::float64())});
  Input d;
  d.num_groups = 1;
  d.group = {0, 0, 0};
  d.args = {{Value::decimal(150, 5, 2), Value::decimal(150, 5, 2), Value::decimal(250, 5, 2)}};
  expect_values(run_single(bind("sum", {DataType::decimal(5, 2)}, true), d, EvalContext{}),
                {Value::decimal(400, 15, 2)});
  // min/max(DISTINCT) is plain min/max.
  EXPECT_TRUE(bind("max", {DataType::int64()}, true).supports_partial);
}

}  // namespace
}  // namespace ember
