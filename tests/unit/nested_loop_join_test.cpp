// NestedLoopJoinOperator against the reference join in join_reference.h, compared as sorted
// multisets: every join type x build side, with and without a condition (cross joins), conditions
// with nulls, empty sides, outputs larger than a batch, build materialisation and its limit.
#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/exec/operators/nested_loop_join_operator.h"
#include "ember/exec/operators/range_scan_operator.h"

#include "join_reference.h"

namespace ember {
namespace {

using join_test::Row;
using join_test::RowCondition;
using join_test::Rows;

constexpr size_t kNoLimit = size_t{1} << 40;

struct Combo {
  JoinType type;
  BuildSide side;
};

std::vector<Combo> all_combos() {
  std::vector<Combo> out;
  for (JoinType t : {JoinType::kInner, JoinType::kLeftOuter, JoinType::kRightOuter, JoinType::kFullOuter,
                     JoinType::kLeftSemi, JoinType::kLeftAnti, JoinType::kCross}) {
    for (BuildSide s : {BuildSide::kLeft, BuildSide::kRight}) out.push_back({t, s});
  }
  return out;
}

struct Input {
  std::vector<DataType> left_types, right_types;
  Rows left, right;
  ExprPtr condition;
  RowCondition condition_ref;
  size_t left_batch = 100, right_batch = 100;
};

Rows run_nlj(const Combo& c, const Input& in, size_t* max_batch = nullptr) {
  const bool build_right = c.side == BuildSide::kRight;
  const auto& probe_types = build_right ? in.left_types : in.right_types;
  const auto& build_types = build_right ? in.right_types : in.left_types;
  auto build_op = join_test::source(build_types, build_right ? in.right : in.left,
                                    build_right ? in.right_batch : in.left_batch);
  auto build = NestedLoopJoinOperator::collect_build(*build_op, kNoLimit);
  NestedLoopJoinSpec spec{c.type, c.side, in.condition, probe_types, build_types};
  NestedLoopJoinOperator op(join_test::source(probe_types, build_right ? in.left : in.right,
                                              build_right ? in.left_batch : in.right_batch),
                            build, spec, EvalContext{});
  const size_t width =
      in.left_types.size() + (join_outputs_right_columns(c.type) ? in.right_types.size() : 0);
  return join_test::drain(op, width, max_batch);
}

Rows expected(const Combo& c, const Input& in) {
  JoinType t = c.type == JoinType::kCross ? JoinType::kInner : c.type;
  return join_test::reference_join(t, in.left, in.right, in.left_types, in.right_types, {}, in.condition_ref);
}

void check_all(const Input& in, const std::string& what) {
  for (const Combo& c : all_combos()) {
    join_test::expect_same_rows(
        run_nlj(c, in), expected(c, in),
        what + " " + std::string(join_type_name(c.type)) + "/" + std::string(build_side_name(c.side)));
  }
}

Input make_input(uint64_t seed, size_t left_rows, size_t right_rows) {
  std::mt19937_64 rng(seed);
  Input in;
  in.left_types = {DataType::int64(), DataType::string()};
  in.right_types = {DataType::int64(), DataType::string(), DataType::date()};
  in.left = join_test::random_rows(rng, in.left_types, left_rows, 8, 0.1);
  in.right = join_test::random_rows(rng, in.right_types, right_rows, 8, 0.1);
  in.left_batch = 33;
  in.right_batch = 50;
  return in;
}

std::optional<bool> less_than(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  return a.as_int64() < b.as_int64();
}

TEST(NestedLoopJoinTest, NonEquiConditionWithNulls) {
  Input in = make_input(1, 120, 90);
  in.condition =
      join_test::call("<", {join_test::ref(0, DataType::int64()), join_test::ref(2, DataType::int64())});
  in.condition_ref = [](const Row& l, const Row& r) { return less_than(l[0], r[0]); };
  check_all(in, "l.a < r.a");
}

TEST(NestedLoopJoinTest, EquiConditionOnStringsAndOr) {
  Input in = make_input(2, 100, 100);
  // l.s = r.s OR l.a > r.a
  in.condition = make_or(
      join_test::call("=", {join_test::ref(1, DataType::string()), join_test::ref(3, DataType::string())}),
      join_test::call(">", {join_test::ref(0, DataType::int64()), join_test::ref(2, DataType::int64())}));
  in.condition_ref = [](const Row& l, const Row& r) -> std::optional<bool> {
    std::optional<bool> eq, gt;
    if (!l[1].is_null() && !r[1].is_null()) eq = l[1].as_string() == r[1].as_string();
    if (!l[0].is_null() && !r[0].is_null()) gt = l[0].as_int64() > r[0].as_int64();
    if ((eq && *eq) || (gt && *gt)) return true;
    if (!eq || !gt) return std::nullopt;
    return false;
  };
  check_all(in, "l.s = r.s or l.a > r.a");
}

TEST(NestedLoopJoinTest, CrossJoinWithoutCondition) {
  Input in = make_input(3, 70, 60);
  check_all(in, "no condition");
}

TEST(NestedLoopJoinTest, ConditionNeverTrue) {
  Input in = make_input(4, 40, 30);
  in.condition = make_literal(Value::boolean(false));
  in.condition_ref = [](const Row&, const Row&) -> std::optional<bool> { return false; };
  check_all(in, "false");
  in.condition = make_literal(Value::null(DataType::boolean()));
  in.condition_ref = [](const Row&, const Row&) -> std::optional<bool> { return std::nullopt; };
  check_all(in, "null");
}

TEST(NestedLoopJoinTest, EmptySides) {
  Input in = make_input(5, 30, 20);
  in.condition =
      join_test::call("<", {join_test::ref(0, DataType::int64()), join_test::ref(2, DataType::int64())});
  in.condition_ref = [](const Row& l, const Row& r) { return less_than(l[0], r[0]); };
  Input no_left = in, no_right = in, neither = in;
  no_left.left.clear();
  no_right.right.clear();
  neither.left.clear();
  neither.right.clear();
  check_all(no_left, "empty left");
  check_all(no_right, "empty right");
  check_all(neither, "both empty");
  no_right.condition = nullptr;
  no_right.condition_ref = nullptr;
  check_all(no_right, "empty right, no condition");
}

TEST(NestedLoopJoinTest, OutputLargerThanABatch) {
  Input in = make_input(6, 210, 100);
  in.left_batch = 5000;
  in.right_batch = 7;  // small build batches are merged by collect_build
  for (const Combo& c : all_combos()) {
    size_t max_batch = 0;
    Rows got = run_nlj(c, in, &max_batch);
    join_test::expect_same_rows(got, expected(c, in), "big cross " + std::string(join_type_name(c.type)));
    EXPECT_LE(max_batch, kBatchSize);
    if (c.type == JoinType::kCross) {
      EXPECT_EQ(got.size(), 21000u);
    }
  }
}

TEST(NestedLoopJoinTest, CollectBuildMergesSmallBatches) {
  std::vector<DataType> types = {DataType::int64()};
  Rows rows;
  for (int i = 0; i < 10000; ++i) rows.push_back({Value::int64(i)});
  auto op = join_test::source(types, rows, 10);
  auto batches = NestedLoopJoinOperator::collect_build(*op, kNoLimit);
  size_t total = 0;
  for (size_t i = 0; i < batches->size(); ++i) {
    total += (*batches)[i].num_rows;
    // 1000 batches of 10 rows become a few of at least kBatchSize (but the last).
    if (i + 1 < batches->size()) {
      EXPECT_GE((*batches)[i].num_rows, kBatchSize);
    }
  }
  EXPECT_EQ(total, 10000u);
  EXPECT_LE(batches->size(), 3u);
}

TEST(NestedLoopJoinTest, BuildLimitNamesTheSetting) {
  RangeScanOperator range(0, 1, 0, int64_t{1} << 40);
  try {
    NestedLoopJoinOperator::collect_build(range, 1 << 20);
    FAIL() << "expected EMBER_JOIN_BUILD_TOO_LARGE";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "EMBER_JOIN_BUILD_TOO_LARGE");
    EXPECT_NE(std::string(e.what()).find("spark.ember.join.maxBuildBytes"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("nested-loop join"), std::string::npos) << e.what();
  }
  EXPECT_LT(range.stats().rows_out, 1'000'000);
}

TEST(NestedLoopJoinTest, SharedBuildAcrossOperators) {
  Input in = make_input(7, 50, 40);
  in.condition =
      join_test::call("<", {join_test::ref(0, DataType::int64()), join_test::ref(2, DataType::int64())});
  in.condition_ref = [](const Row& l, const Row& r) { return less_than(l[0], r[0]); };
  auto build_op = join_test::source(in.right_types, in.right, 13);
  auto build = NestedLoopJoinOperator::collect_build(*build_op, kNoLimit);
  // Two "tasks" probe halves of the left side against one build: their union is the join.
  Rows first(in.left.begin(), in.left.begin() + 25), second(in.left.begin() + 25, in.left.end());
  Rows got;
  for (const Rows* part : {&first, &second}) {
    NestedLoopJoinSpec spec{JoinType::kLeftOuter, BuildSide::kRight, in.condition, in.left_types,
                            in.right_types};
    NestedLoopJoinOperator op(join_test::source(in.left_types, *part, 10), build, spec, EvalContext{});
    Rows rows = join_test::drain(op, 5);
    got.insert(got.end(), rows.begin(), rows.end());
  }
  join_test::expect_same_rows(got, expected({JoinType::kLeftOuter, BuildSide::kRight}, in), "shared build");
}

}  // namespace
}  // namespace ember
