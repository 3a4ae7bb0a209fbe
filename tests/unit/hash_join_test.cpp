// HashJoinOperator against the reference join in join_reference.h (row loops over Values),
// compared as sorted multisets: every join type x build side, both the shared-table (broadcast)
// and the self-building (shuffled) constructors, duplicate and null keys, multi-column keys of
// mixed types, residual conditions, empty sides, and outputs larger than a batch.
#include <map>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/exec/operators/hash_join_operator.h"

#include "join_reference.h"

namespace ember {
namespace {

using join_test::KeyPair;
using join_test::Row;
using join_test::RowCondition;
using join_test::Rows;

constexpr size_t kNoLimit = size_t{1} << 40;

struct Combo {
  JoinType type;
  BuildSide side;
};

std::string describe(const Combo& c, bool self_build) {
  return std::string(join_type_name(c.type)) + "/" + std::string(build_side_name(c.side)) +
         (self_build ? "/shuffled" : "/broadcast");
}

std::vector<Combo> all_combos() {
  std::vector<Combo> out;
  for (JoinType t : {JoinType::kInner, JoinType::kLeftOuter, JoinType::kRightOuter, JoinType::kFullOuter,
                     JoinType::kLeftSemi, JoinType::kLeftAnti, JoinType::kCross}) {
    for (BuildSide s : {BuildSide::kLeft, BuildSide::kRight}) out.push_back({t, s});
  }
  return out;
}

struct JoinInput {
  std::vector<DataType> left_types, right_types;
  Rows left, right;
  std::vector<KeyPair> keys;  // column pairs, `=` unless null_safe
  ExprPtr residual;           // over [left..., right...]
  RowCondition residual_ref;  // the same condition for the reference
  size_t left_batch = 1000, right_batch = 1000;
};

struct RunOptions {
  bool self_build = false;
  size_t* max_batch = nullptr;
  std::vector<OperatorStats>* stats = nullptr;
};

Rows run_hash_join(const Combo& c, const JoinInput& in, const RunOptions& opt = {}) {
  const bool build_right = c.side == BuildSide::kRight;
  const auto& probe_types = build_right ? in.left_types : in.right_types;
  const auto& build_types = build_right ? in.right_types : in.left_types;
  const Rows& probe_rows = build_right ? in.left : in.right;
  const Rows& build_rows = build_right ? in.right : in.left;
  std::vector<ExprPtr> probe_keys, build_keys;
  std::vector<bool> null_safe;
  for (const KeyPair& k : in.keys) {
    const size_t pk = build_right ? k.left : k.right;
    const size_t bk = build_right ? k.right : k.left;
    probe_keys.push_back(join_test::ref(static_cast<int>(pk), probe_types[pk]));
    build_keys.push_back(join_test::ref(static_cast<int>(bk), build_types[bk]));
    null_safe.push_back(k.null_safe);
  }
  HashJoinSpec spec{c.type, c.side, probe_keys, in.residual, probe_types};
  auto probe = join_test::source(probe_types, probe_rows, build_right ? in.left_batch : in.right_batch);
  auto build = join_test::source(build_types, build_rows, build_right ? in.right_batch : in.left_batch);
  std::unique_ptr<HashJoinOperator> op;
  if (opt.self_build) {
    HashJoinBuildSpec bs{build_types, build_keys, null_safe, kNoLimit};
    op = std::make_unique<HashJoinOperator>(std::move(probe), std::move(build), bs, spec, EvalContext{});
  } else {
    auto table = JoinHashTable::build(*build, build_types, build_keys, EvalContext{}, kNoLimit, null_safe);
    op = std::make_unique<HashJoinOperator>(std::move(probe), table, spec, EvalContext{});
  }
  const size_t width =
      in.left_types.size() + (join_outputs_right_columns(c.type) ? in.right_types.size() : 0);
  Rows rows = join_test::drain(*op, width, opt.max_batch);
  if (opt.stats != nullptr) op->collect_stats(*opt.stats);
  return rows;
}

Rows expected_rows(const Combo& c, const JoinInput& in) {
  JoinType t = c.type == JoinType::kCross ? JoinType::kInner : c.type;  // a keyed cross join is inner
  return join_test::reference_join(t, in.left, in.right, in.left_types, in.right_types, in.keys,
                                   in.residual_ref);
}

void check_all_combos(const JoinInput& in, const std::string& what) {
  std::map<JoinType, Rows> expected;  // the reference is slow: once per join type
  for (const Combo& c : all_combos()) {
    if (!expected.count(c.type)) expected[c.type] = expected_rows(c, in);
    for (bool self_build : {false, true}) {
      RunOptions opt;
      opt.self_build = self_build;
      join_test::expect_same_rows(run_hash_join(c, in, opt), expected[c.type],
                                  what + " " + describe(c, self_build));
    }
  }
}

// Left [a int, s string, d decimal(10,2), dt date, v bigint], right the same plus `extra`
// string; joined on (a, s, d, dt), a small domain so keys repeat on both sides.
JoinInput mixed_input(uint64_t seed, size_t left_rows, size_t right_rows, double null_rate) {
  std::mt19937_64 rng(seed);
  JoinInput in;
  in.left_types = {DataType::int32(), DataType::string(), DataType::decimal(10, 2), DataType::date(),
                   DataType::int64()};
  in.right_types = in.left_types;
  in.right_types.push_back(DataType::string());
  in.left = join_test::random_rows(rng, in.left_types, left_rows, 3, null_rate);
  in.right = join_test::random_rows(rng, in.right_types, right_rows, 3, null_rate);
  in.keys = {{0, 0}, {1, 1}, {2, 2}, {3, 3}};
  in.left_batch = 97;
  in.right_batch = 128;
  return in;
}

std::optional<bool> less_than(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  return a.as_int64() < b.as_int64();
}

TEST(HashJoinTest, MixedKeysWithDuplicatesAndNulls) {
  JoinInput in = mixed_input(1, 400, 300, 0.05);
  ASSERT_GT(expected_rows({JoinType::kInner, BuildSide::kRight}, in).size(), 500u);
  check_all_combos(in, "mixed keys");
}

TEST(HashJoinTest, ResidualAcrossSides) {
  JoinInput in = mixed_input(2, 350, 250, 0.08);
  // left.v < right.w; null when either is null (fails the pair).
  in.residual =
      join_test::call("<", {join_test::ref(4, DataType::int64()), join_test::ref(9, DataType::int64())});
  in.residual_ref = [](const Row& l, const Row& r) { return less_than(l[4], r[4]); };
  check_all_combos(in, "residual v < w");
}

TEST(HashJoinTest, ResidualOnOneSideOnly) {
  JoinInput in = mixed_input(3, 300, 300, 0.05);
  // right.extra > 'key-7': refers to the right side only; a literal in the condition.
  in.residual =
      join_test::call(">", {join_test::ref(10, DataType::string()), make_literal(Value::string("key-7"))});
  in.residual_ref = [](const Row&, const Row& r) -> std::optional<bool> {
    if (r[5].is_null()) return std::nullopt;
    return r[5].as_string() > "key-7";
  };
  check_all_combos(in, "residual on right");
}

TEST(HashJoinTest, ResidualFailingEveryCandidateEmitsOuterRowsOnce) {
  JoinInput in;
  in.left_types = {DataType::int32(), DataType::int64()};
  in.right_types = {DataType::int32(), DataType::int64()};
  for (int i = 0; i < 5; ++i) in.left.push_back({Value::int32(1), Value::int64(100 + i)});
  for (int i = 0; i < 7; ++i) in.right.push_back({Value::int32(1), Value::int64(i)});
  in.right.push_back({Value::int32(1), Value::null(DataType::int64())});
  in.keys = {{0, 0}};
  in.residual =
      join_test::call("<", {join_test::ref(1, DataType::int64()), join_test::ref(3, DataType::int64())});
  in.residual_ref = [](const Row& l, const Row& r) { return less_than(l[1], r[1]); };
  Rows left_outer = run_hash_join({JoinType::kLeftOuter, BuildSide::kRight}, in);
  EXPECT_EQ(left_outer.size(), 5u);  // each left row once, padded
  for (const Row& r : left_outer) EXPECT_TRUE(r[2].is_null());
  EXPECT_EQ(run_hash_join({JoinType::kLeftAnti, BuildSide::kRight}, in).size(), 5u);
  EXPECT_EQ(run_hash_join({JoinType::kLeftSemi, BuildSide::kRight}, in).size(), 0u);
  check_all_combos(in, "residual fails every candidate");
}

TEST(HashJoinTest, EmptySides) {
  JoinInput in = mixed_input(4, 50, 40, 0.1);
  JoinInput no_right = in, no_left = in, neither = in;
  no_right.right.clear();
  no_left.left.clear();
  neither.left.clear();
  neither.right.clear();
  check_all_combos(no_right, "empty right");
  check_all_combos(no_left, "empty left");
  check_all_combos(neither, "both empty");
}

TEST(HashJoinTest, OutputLargerThanABatch) {
  // 150 x 150 rows of one key: 22,500 output rows from a single probe batch.
  JoinInput in;
  in.left_types = {DataType::int64(), DataType::string()};
  in.right_types = {DataType::int64(), DataType::int32()};
  for (int i = 0; i < 150; ++i) in.left.push_back({Value::int64(42), Value::string("l" + std::to_string(i))});
  for (int i = 0; i < 150; ++i) in.right.push_back({Value::int64(42), Value::int32(i)});
  in.left.push_back({Value::int64(7), Value::string("lonely")});
  in.right.push_back({Value::int64(8), Value::int32(-1)});
  in.keys = {{0, 0}};
  in.left_batch = in.right_batch = 10000;
  for (const Combo& c : all_combos()) {
    size_t max_batch = 0;
    RunOptions opt;
    opt.self_build = !join_build_side_shareable(c.type, c.side);
    opt.max_batch = &max_batch;
    Rows got = run_hash_join(c, in, opt);
    join_test::expect_same_rows(got, expected_rows(c, in), "big output " + describe(c, opt.self_build));
    EXPECT_LE(max_batch, kBatchSize);
    if (c.type == JoinType::kInner) {
      EXPECT_EQ(got.size(), 22500u);
    }
  }
}

TEST(HashJoinTest, BigintKeyWithProbeBatchesLargerThanKBatchSize) {
  std::mt19937_64 rng(9);
  JoinInput in;
  in.left_types = {DataType::int64(), DataType::int32()};
  in.right_types = {DataType::int64(), DataType::string()};
  in.left = join_test::random_rows(rng, in.left_types, 9000, 2000, 0.02);
  in.right = join_test::random_rows(rng, in.right_types, 2500, 2000, 0.02);
  in.keys = {{0, 0}};
  in.left_batch = 9000;  // probe batches above kBatchSize: outputs must still be cut
  in.right_batch = 6000;
  check_all_combos(in, "bigint key");
}

TEST(HashJoinTest, ResidualWithProbeBatchesLargerThanKBatchSize) {
  // Semi/anti joins with a residual stop listing a probe row's pairs once one passed; that state
  // must survive batches that need several next() calls.
  std::mt19937_64 rng(10);
  JoinInput in;
  in.left_types = {DataType::int64(), DataType::int64()};
  in.right_types = {DataType::int64(), DataType::int64()};
  in.left = join_test::random_rows(rng, in.left_types, 6000, 300, 0.02);
  in.right = join_test::random_rows(rng, in.right_types, 1500, 300, 0.02);
  in.keys = {{0, 0}};
  in.left_batch = 6000;
  in.right_batch = 5000;
  in.residual =
      join_test::call("<", {join_test::ref(1, DataType::int64()), join_test::ref(3, DataType::int64())});
  in.residual_ref = [](const Row& l, const Row& r) { return less_than(l[1], r[1]); };
  check_all_combos(in, "residual, big batches");
}

TEST(HashJoinTest, EveryProbeRowMatchesOnce) {
  // Unique build keys covering every probe key: each probe batch's pairs are its rows in order,
  // and its columns pass through ungathered.
  JoinInput in;
  in.left_types = {DataType::int64(), DataType::string()};
  in.right_types = {DataType::int64(), DataType::int32()};
  for (int i = 0; i < 9000; ++i) {
    in.left.push_back({Value::int64(i % 4000), Value::string("p" + std::to_string(i))});
  }
  for (int i = 0; i < 4000; ++i) in.right.push_back({Value::int64(3999 - i), Value::int32(i)});
  in.keys = {{0, 0}};
  in.left_batch = 4096;
  in.right_batch = 4096;
  check_all_combos(in, "unique build keys");
}

TEST(HashJoinTest, NullSafeAndFloatKeys) {
  std::mt19937_64 rng(12);
  JoinInput in;
  in.left_types = {DataType::float64(), DataType::int32()};
  in.right_types = {DataType::float64(), DataType::int32(), DataType::boolean()};
  in.left = join_test::random_rows(rng, in.left_types, 200, 6, 0.15);
  in.right = join_test::random_rows(rng, in.right_types, 150, 6, 0.15);
  in.keys = {{0, 0}, {1, 1, /*null_safe=*/true}};
  check_all_combos(in, "float and null-safe keys");
}

TEST(HashJoinTest, StatsIncludeBothChildren) {
  JoinInput in = mixed_input(5, 20, 20, 0.0);
  std::vector<OperatorStats> stats;
  RunOptions opt;
  opt.self_build = true;
  opt.stats = &stats;
  Rows rows = run_hash_join({JoinType::kFullOuter, BuildSide::kLeft}, in, opt);
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].name, "HashJoin(FullOuter, BuildLeft)");
  EXPECT_EQ(stats[0].rows_out, static_cast<int64_t>(rows.size()));
  EXPECT_EQ(stats[1].rows_out, 20);  // probe (right) side
  EXPECT_EQ(stats[2].rows_out, 20);  // build (left) side
}

TEST(HashJoinTest, SelfBuildingJoinReportsTheMemoryLimit) {
  JoinInput in = mixed_input(6, 10, 5000, 0.0);
  HashJoinSpec spec{
      JoinType::kInner, BuildSide::kRight, {join_test::ref(0, DataType::int32())}, nullptr, in.left_types};
  HashJoinBuildSpec bs{in.right_types, {join_test::ref(0, DataType::int32())}, {}, 64 * 1024};
  HashJoinOperator op(join_test::source(in.left_types, in.left), join_test::source(in.right_types, in.right),
                      bs, spec, EvalContext{});
  Batch b;
  try {
    op.next(b);
    FAIL() << "expected EMBER_JOIN_BUILD_TOO_LARGE";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "EMBER_JOIN_BUILD_TOO_LARGE");
    EXPECT_NE(std::string(e.what()).find("spark.ember.join.maxBuildBytes"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("65536 bytes"), std::string::npos) << e.what();
  }
}

TEST(HashJoinTest, MismatchedKeyTypesAreAnInternalError) {
  std::vector<DataType> types = {DataType::int32()};
  auto build = join_test::source(types, {{Value::int32(1)}});
  auto table =
      JoinHashTable::build(*build, types, {join_test::ref(0, DataType::int32())}, EvalContext{}, kNoLimit);
  HashJoinSpec spec{JoinType::kInner,
                    BuildSide::kRight,
                    {join_test::ref(0, DataType::int64())},
                    nullptr,
                    {DataType::int64()}};
  HashJoinOperator op(join_test::source({DataType::int64()}, {{Value::int64(1)}}), table, spec,
                      EvalContext{});
  Batch b;
  try {
    op.next(b);
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
  }
}

}  // namespace
}  // namespace ember
