// WindowOperator: every window function kind, ROWS and RANGE frames, peers, nulls, descending
// keys, partitions across batch boundaries. sqlite3 is the independent reference wherever it has
// the feature (it agrees with Spark on these for ordinary data); IGNORE NULLS, DISTINCT, dates and
// errors are checked by hand or against a brute-force loop.
#include "ember/exec/operators/window_operator.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/exec/operators/batch_source_operator.h"
#include "ember/exec/operators/sort_operator.h"
#include "ember/functions/registry.h"

#include "e2e/sqlite_reference.h"

namespace ember {
namespace {

using testing::Cell;
using testing::Table;

using Kind = WindowFunctionKind;
using FrameType_ = WindowFrame::Type;
constexpr int64_t kUnbP = WindowFrame::kUnboundedPreceding;
constexpr int64_t kUnbF = WindowFrame::kUnboundedFollowing;

WindowFrame rows_frame(int64_t lower, int64_t upper) { return {FrameType_::kRows, lower, upper}; }
WindowFrame range_frame(int64_t lower, int64_t upper) { return {FrameType_::kRange, lower, upper}; }

std::string bound_sql(int64_t v) {
  if (v == kUnbP) return "UNBOUNDED PRECEDING";
  if (v == kUnbF) return "UNBOUNDED FOLLOWING";
  if (v == 0) return "CURRENT ROW";
  return v < 0 ? std::to_string(-v) + " PRECEDING" : std::to_string(v) + " FOLLOWING";
}

std::string frame_sql(const WindowFrame& f) {
  return std::string(f.type == FrameType_::kRows ? "ROWS" : "RANGE") + " BETWEEN " + bound_sql(f.lower) +
         " AND " + bound_sql(f.upper);
}

std::shared_ptr<const BoundAggregate> bind_aggregate(const std::string& name, std::vector<DataType> types,
                                                     bool distinct = false) {
  const AggregateDef* def = FunctionRegistry::instance().find_aggregate(name);
  EXPECT_NE(def, nullptr) << name;
  BindContext ctx;
  ctx.literals.resize(types.size());
  return std::make_shared<BoundAggregate>(def->bind(types, distinct, ctx));
}

WindowFunctionSpec ranking(Kind kind, int64_t offset = 1) {
  WindowFunctionSpec f;
  f.kind = kind;
  f.offset = offset;
  f.result_type =
      kind == Kind::kPercentRank || kind == Kind::kCumeDist ? DataType::float64() : DataType::int32();
  return f;
}

WindowFunctionSpec value_fn(Kind kind, const ExprPtr& arg, WindowFrame frame = rows_frame(kUnbP, kUnbF),
                            int64_t offset = 1, bool ignore_nulls = false) {
  WindowFunctionSpec f;
  f.kind = kind;
  f.args = {arg};
  f.result_type = arg->type;
  f.frame = frame;
  f.offset = offset;
  f.ignore_nulls = ignore_nulls;
  return f;
}

WindowFunctionSpec aggregate(const std::string& name, const std::vector<ExprPtr>& args, WindowFrame frame,
                             bool distinct = false) {
  std::vector<DataType> types;
  for (const auto& a : args) types.push_back(a->type);
  WindowFunctionSpec f;
  f.kind = Kind::kAggregate;
  f.aggregate = bind_aggregate(name, types, distinct);
  f.args = args;
  f.result_type = f.aggregate->result_type;
  f.frame = frame;
  return f;
}

// A table of rows: column types, and for the reference its sqlite declaration.
struct TestTable {
  std::vector<std::string> names;
  std::vector<DataType> types;
  std::vector<std::string> sqlite_types;
  std::vector<std::vector<Value>> rows;

  ExprPtr col(const std::string& name) const {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return make_bound_ref(static_cast<int>(i), types[i], true, name);
    }
    ADD_FAILURE() << "no column " << name;
    return nullptr;
  }
  std::string ddl() const {
    std::string s;
    for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i] + " " + sqlite_types[i];
    return s;
  }
};

// id (unique, bigint), p (string partition key with nulls), o (int order key with duplicates and
// nulls), x (int with nulls), d (double with ties and nulls), s (string with nulls).
TestTable random_table(size_t n, uint32_t seed, int partitions = 4) {
  TestTable t;
  t.names = {"id", "p", "o", "x", "d", "s"};
  t.types = {DataType::int64(), DataType::string(),  DataType::int32(),
             DataType::int32(), DataType::float64(), DataType::string()};
  t.sqlite_types = {"INTEGER", "TEXT", "INTEGER", "INTEGER", "REAL", "TEXT"};
  std::mt19937 rng(seed);
  auto pick = [&](int n_values) { return static_cast<int>(rng() % static_cast<uint32_t>(n_values)); };
  for (size_t i = 0; i < n; ++i) {
    std::vector<Value> r;
    r.push_back(Value::int64(static_cast<int64_t>(i)));
    int p = pick(partitions + 1);
    r.push_back(p == partitions ? Value::null(DataType::string()) : Value::string("p" + std::to_string(p)));
    r.push_back(pick(8) == 0 ? Value::null(DataType::int32()) : Value::int32(pick(12) - 3));
    r.push_back(pick(5) == 0 ? Value::null(DataType::int32()) : Value::int32(pick(101) - 50));
    r.push_back(pick(6) == 0 ? Value::null(DataType::float64()) : Value::float64(pick(20) * 0.5 - 2.0));
    r.push_back(pick(4) == 0 ? Value::null(DataType::string())
                             : Value::string(std::string(1, static_cast<char>('a' + pick(6))) +
                                             std::to_string(pick(3))));
    t.rows.push_back(std::move(r));
  }
  return t;
}

// The rows as one batch.
Batch to_batch(const TestTable& t, const std::vector<std::vector<Value>>& rows) {
  Batch b;
  b.num_rows = rows.size();
  for (size_t c = 0; c < t.types.size(); ++c) {
    std::vector<Value> col;
    for (const auto& r : rows) col.push_back(r[c]);
    b.columns.push_back(Vector::from_values(t.types[c], col));
  }
  return b;
}

// The table's rows sorted by `orders` (through ember's SortOperator, as the planner does), cut
// into batches of `batch_rows`, so window partitions straddle batch boundaries.
std::vector<Batch> sorted_batches(const TestTable& t, std::vector<ExprPtr> orders, size_t batch_rows) {
  EvalContext ctx;
  std::vector<Batch> in{to_batch(t, t.rows)};
  SortOperator sort(std::make_unique<BatchSourceOperator>("rows", std::move(in)), std::move(orders), -1, ctx);
  std::vector<Batch> sorted;
  Batch b;
  while (sort.next(b)) sorted.push_back(b);
  if (sorted.empty()) return {};
  Batch all = concat_batches(sorted);
  std::vector<Batch> out;
  for (size_t from = 0; from < all.num_rows; from += batch_rows) {
    size_t n = std::min(batch_rows, all.num_rows - from);
    SelectionVector sel(n);
    std::iota(sel.begin(), sel.end(), static_cast<uint32_t>(from));
    out.push_back(all.select(sel.data(), n));
  }
  return out;
}

// Runs the window operator over batches; returns its output batches.
std::vector<Batch> run_window(std::vector<Batch> input, WindowOperatorSpec spec, EvalContext ctx = {}) {
  WindowOperator w(std::make_unique<BatchSourceOperator>("sorted", std::move(input)), std::move(spec), ctx);
  std::vector<Batch> out;
  Batch b;
  while (w.next(b)) out.push_back(b);
  return out;
}

// Output rows as [column `key`, window columns...], sorted by key.
Table window_columns(const std::vector<Batch>& out, size_t input_columns, size_t key = 0) {
  Table t;
  for (const auto& b : out) {
    for (size_t r = 0; r < b.num_rows; ++r) {
      std::vector<Cell> row{testing::to_cell(b.columns[key]->value_at(r))};
      for (size_t c = input_columns; c < b.num_columns(); ++c)
        row.push_back(testing::to_cell(b.columns[c]->value_at(r)));
      t.push_back(std::move(row));
    }
  }
  std::sort(t.begin(), t.end(), [](const auto& a, const auto& b) { return a[0].i < b[0].i; });
  return t;
}

struct Case {
  WindowFunctionSpec fn;
  std::string sql;  // the same function in sqlite's dialect, over the named window w
};

// Compares two tables cell by cell and reports only the first difference (with the rows around
// it), so a broken operator fails fast instead of printing thousands of table dumps.
void expect_same_table(const Table& ember_rows, const Table& reference) {
  ASSERT_EQ(ember_rows.size(), reference.size());
  for (size_t r = 0; r < ember_rows.size(); ++r) {
    ASSERT_EQ(ember_rows[r].size(), reference[r].size()) << "row " << r;
    for (size_t c = 0; c < ember_rows[r].size(); ++c) {
      if (testing::cells_equal(ember_rows[r][c], reference[r][c])) continue;
      size_t from = r >= 3 ? r - 3 : 0, to = std::min(ember_rows.size(), r + 4);
      Table a(ember_rows.begin() + static_cast<long>(from), ember_rows.begin() + static_cast<long>(to));
      Table b(reference.begin() + static_cast<long>(from), reference.begin() + static_cast<long>(to));
      ADD_FAILURE() << "row " << r << " column " << c << ": ember " << ember_rows[r][c].to_string()
                    << " vs sqlite " << reference[r][c].to_string() << "\nember rows " << from << "..:\n"
                    << testing::table_string(a) << "sqlite:\n"
                    << testing::table_string(b);
      return;
    }
  }
}

// Sorts the table for the window, runs the operator over batches of `batch_rows`, and compares
// every window column with sqlite's for the same rows and window.
void expect_matches_sqlite(const TestTable& t, const std::vector<std::string>& partition_by,
                           const std::vector<std::pair<std::string, bool>>& order_by,
                           const std::vector<Case>& cases, size_t batch_rows,
                           bool nulls_first_when_desc = false) {
  WindowOperatorSpec spec;
  std::vector<ExprPtr> sort_keys;
  std::string window_sql = "PARTITION BY ";
  for (size_t i = 0; i < partition_by.size(); ++i) {
    spec.partition_keys.push_back(t.col(partition_by[i]));
    sort_keys.push_back(make_sort_order(t.col(partition_by[i]), true, true));
    window_sql += (i ? ", " : "") + partition_by[i];
  }
  if (partition_by.empty()) window_sql.clear();
  if (!order_by.empty()) window_sql += " ORDER BY ";
  for (size_t i = 0; i < order_by.size(); ++i) {
    const auto& [name, asc] = order_by[i];
    bool nulls_first = asc || nulls_first_when_desc;
    auto key = make_sort_order(t.col(name), asc, nulls_first);
    spec.order_keys.push_back(key);
    sort_keys.push_back(key);
    window_sql +=
        (i ? ", " : "") + name + (asc ? " ASC" : " DESC") + (nulls_first ? " NULLS FIRST" : " NULLS LAST");
  }
  // Peers keep a deterministic order for the row-sensitive functions.
  sort_keys.push_back(make_sort_order(t.col("id"), true, true));
  std::string select = "SELECT id";
  for (const auto& c : cases) {
    spec.functions.push_back(c.fn);
    select += ", " + c.sql;
  }
  select += " FROM t WINDOW w AS (" + window_sql + ") ORDER BY id";

  auto out = run_window(sorted_batches(t, sort_keys, batch_rows), spec);
  size_t total = 0;
  for (const auto& b : out) {
    EXPECT_LE(b.num_rows, kBatchSize);
    EXPECT_EQ(b.num_columns(), t.names.size() + cases.size());
    total += b.num_rows;
  }
  EXPECT_EQ(total, t.rows.size());

  testing::SqliteReference sqlite;
  sqlite.load("t", t.ddl(), t.rows);
  SCOPED_TRACE(select);
  expect_same_table(window_columns(out, t.names.size()), sqlite.query(select));
}

// --------------------------------------------------------------------------------------------
// Ranking functions

TEST(WindowOperatorTest, RankingFunctionsMatchSqlite) {
  TestTable t = random_table(300, 1);
  // Peers in ORDER BY o share rank, dense_rank, percent_rank and cume_dist whatever their order.
  expect_matches_sqlite(t, {"p"}, {{"o", true}},
                        {{ranking(Kind::kRank), "rank() OVER w"},
                         {ranking(Kind::kDenseRank), "dense_rank() OVER w"},
                         {ranking(Kind::kPercentRank), "percent_rank() OVER w"},
                         {ranking(Kind::kCumeDist), "cume_dist() OVER w"}},
                        7);
  // row_number and ntile depend on the order of peers: order by (o, id).
  expect_matches_sqlite(t, {"p"}, {{"o", true}, {"id", true}},
                        {{ranking(Kind::kRowNumber), "row_number() OVER w"},
                         {ranking(Kind::kNtile, 3), "ntile(3) OVER w"},
                         {ranking(Kind::kNtile, 7), "ntile(7) OVER w"},
                         {ranking(Kind::kNtile, 1000), "ntile(1000) OVER w"},
                         {ranking(Kind::kRank), "rank() OVER w"}},
                        5);
}

TEST(WindowOperatorTest, RankingDescendingAndMultiplePartitionKeys) {
  TestTable t = random_table(250, 2);
  expect_matches_sqlite(t, {"p", "s"}, {{"o", false}},
                        {{ranking(Kind::kRank), "rank() OVER w"},
                         {ranking(Kind::kDenseRank), "dense_rank() OVER w"},
                         {ranking(Kind::kPercentRank), "percent_rank() OVER w"},
                         {ranking(Kind::kCumeDist), "cume_dist() OVER w"}},
                        3);
  // No partition keys: the whole input is one partition.
  expect_matches_sqlite(
      t, {}, {{"o", false}, {"id", true}},
      {{ranking(Kind::kRowNumber), "row_number() OVER w"}, {ranking(Kind::kNtile, 4), "ntile(4) OVER w"}},
      64);
}

TEST(WindowOperatorTest, RankingByHand) {
  // One partition: o = 1, 1, 2, 3, 3, 3 (peers share rank); a second with a single row.
  TestTable t;
  t.names = {"id", "p", "o"};
  t.types = {DataType::int64(), DataType::string(), DataType::int32()};
  t.sqlite_types = {"INTEGER", "TEXT", "INTEGER"};
  int o[] = {1, 1, 2, 3, 3, 3};
  for (int i = 0; i < 6; ++i) t.rows.push_back({Value::int64(i), Value::string("a"), Value::int32(o[i])});
  t.rows.push_back({Value::int64(6), Value::string("b"), Value::int32(5)});
  WindowOperatorSpec spec;
  spec.partition_keys = {t.col("p")};
  spec.order_keys = {make_sort_order(t.col("o"), true, true)};
  spec.functions = {ranking(Kind::kRowNumber),   ranking(Kind::kRank),     ranking(Kind::kDenseRank),
                    ranking(Kind::kPercentRank), ranking(Kind::kCumeDist), ranking(Kind::kNtile, 4)};
  auto out = run_window({to_batch(t, t.rows)}, spec);
  ASSERT_EQ(out.size(), 1u);
  const Batch& b = out[0];
  std::vector<int32_t> row_number = {1, 2, 3, 4, 5, 6, 1}, rank = {1, 1, 3, 4, 4, 4, 1},
                       dense = {1, 1, 2, 3, 3, 3, 1}, ntile = {1, 1, 2, 2, 3, 4, 1};
  std::vector<double> percent = {0, 0, 0.4, 0.6, 0.6, 0.6, 0}, cume = {2 / 6.0, 2 / 6.0, 0.5, 1, 1, 1, 1};
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(b.columns[3]->values<int32_t>()[i], row_number[i]) << i;
    EXPECT_EQ(b.columns[4]->values<int32_t>()[i], rank[i]) << i;
    EXPECT_EQ(b.columns[5]->values<int32_t>()[i], dense[i]) << i;
    EXPECT_DOUBLE_EQ(b.columns[6]->values<double>()[i], percent[i]) << i;
    EXPECT_DOUBLE_EQ(b.columns[7]->values<double>()[i], cume[i]) << i;
    EXPECT_EQ(b.columns[8]->values<int32_t>()[i], ntile[i]) << i;
  }
}

// --------------------------------------------------------------------------------------------
// lag / lead

TEST(WindowOperatorTest, LagLeadMatchSqlite) {
  TestTable t = random_table(300, 3);
  auto x = t.col("x");
  auto s = t.col("s");
  auto with_default = [&](Kind kind, const ExprPtr& arg, int64_t offset, Value def) {
    WindowFunctionSpec f = value_fn(kind, arg, {}, offset);
    f.default_value = std::move(def);
    return f;
  };
  // A default given as an expression evaluated on the current row (Spark's semantics).
  WindowFunctionSpec lead_expr_default = value_fn(Kind::kLead, x, {}, 2);
  lead_expr_default.args = {x, make_literal(Value::int32(2)), t.col("o")};
  expect_matches_sqlite(t, {"p"}, {{"o", true}, {"id", true}},
                        {{value_fn(Kind::kLag, x), "lag(x) OVER w"},
                         {value_fn(Kind::kLead, x), "lead(x) OVER w"},
                         {with_default(Kind::kLag, x, 2, Value::int32(-1)), "lag(x, 2, -1) OVER w"},
                         {with_default(Kind::kLead, x, 3, Value::int32(0)), "lead(x, 3, 0) OVER w"},
                         {value_fn(Kind::kLag, x, {}, 0), "lag(x, 0) OVER w"},
                         {value_fn(Kind::kLead, s, {}, 1), "lead(s, 1) OVER w"},
                         {with_default(Kind::kLag, s, 1, Value::string("none")), "lag(s, 1, 'none') OVER w"},
                         {value_fn(Kind::kLag, x, {}, 1000), "lag(x, 1000) OVER w"},
                         {lead_expr_default, "lead(x, 2, o) OVER w"}},
                        6);
}

TEST(WindowOperatorTest, LagLeadNegativeOffsetsAndCastDefault) {
  TestTable t = random_table(120, 4);
  auto x = t.col("x");
  // lag(x, -1) is lead(x, 1); a bigint default for an int column is cast.
  WindowFunctionSpec lag_neg = value_fn(Kind::kLag, x, {}, -1);
  WindowFunctionSpec lead_neg = value_fn(Kind::kLead, x, {}, -2);
  lead_neg.default_value = Value::int64(99);
  expect_matches_sqlite(t, {"p"}, {{"o", true}, {"id", true}},
                        {{lag_neg, "lead(x, 1) OVER w"}, {lead_neg, "lag(x, 2, 99) OVER w"}}, 9);
}

// Spark's own example (FrameLessOffsetWindowFunctionFrame): null, x, null, null, y, null, z, v, null.
TestTable ignore_nulls_table() {
  TestTable t;
  t.names = {"id", "v"};
  t.types = {DataType::int64(), DataType::string()};
  t.sqlite_types = {"INTEGER", "TEXT"};
  const char* v[] = {nullptr, "x", nullptr, nullptr, "y", nullptr, "z", "v", nullptr};
  for (int i = 0; i < 9; ++i) {
    t.rows.push_back({Value::int64(i), v[i] ? Value::string(v[i]) : Value::null(DataType::string())});
  }
  return t;
}

std::vector<std::string> strings_of(const std::vector<Batch>& out, size_t column) {
  std::vector<std::string> s;
  for (const auto& b : out) {
    for (size_t r = 0; r < b.num_rows; ++r) {
      s.push_back(b.columns[column]->is_null(r) ? "NULL" : std::string(b.columns[column]->string_at(r)));
    }
  }
  return s;
}

TEST(WindowOperatorTest, LagLeadIgnoreNulls) {
  TestTable t = ignore_nulls_table();
  auto v = t.col("v");
  WindowOperatorSpec spec;
  spec.order_keys = {make_sort_order(t.col("id"), true, true)};
  WindowFunctionSpec lead2 = value_fn(Kind::kLead, v, {}, 2, true);
  WindowFunctionSpec lag1 = value_fn(Kind::kLag, v, {}, 1, true);
  WindowFunctionSpec lag2_default = value_fn(Kind::kLag, v, {}, 2, true);
  lag2_default.default_value = Value::string("d");
  WindowFunctionSpec lag_neg = value_fn(Kind::kLag, v, {}, -1, true);  // lead(v, 1) ignoring nulls
  spec.functions = {lead2, lag1, lag2_default, lag_neg};
  // Batches of 2 rows: the non-null rows sought lie in other batches.
  std::vector<Batch> in;
  for (size_t i = 0; i < t.rows.size(); i += 2) {
    in.push_back(to_batch(t, {t.rows.begin() + static_cast<long>(i),
                              t.rows.begin() + static_cast<long>(std::min(i + 2, t.rows.size()))}));
  }
  auto out = run_window(std::move(in), spec);
  EXPECT_EQ(strings_of(out, 2),
            (std::vector<std::string>{"y", "z", "z", "z", "v", "v", "NULL", "NULL", "NULL"}));
  EXPECT_EQ(strings_of(out, 3),
            (std::vector<std::string>{"NULL", "NULL", "x", "x", "x", "y", "y", "z", "v"}));
  EXPECT_EQ(strings_of(out, 4), (std::vector<std::string>{"d", "d", "d", "d", "d", "x", "x", "y", "z"}));
  EXPECT_EQ(strings_of(out, 5),
            (std::vector<std::string>{"x", "y", "y", "y", "z", "z", "v", "NULL", "NULL"}));
}

// --------------------------------------------------------------------------------------------
// first_value / last_value / nth_value

TEST(WindowOperatorTest, FrameValuesMatchSqlite) {
  TestTable t = random_table(300, 5);
  auto x = t.col("x");
  auto s = t.col("s");
  std::vector<Case> cases;
  for (WindowFrame f : {rows_frame(kUnbP, 0), rows_frame(kUnbP, kUnbF), rows_frame(-2, 1), rows_frame(1, 3),
                        rows_frame(-3, -1), rows_frame(0, kUnbF), rows_frame(4, 6)}) {
    std::string fr = " OVER (w " + frame_sql(f) + ")";
    cases.push_back({value_fn(Kind::kFirstValue, x, f), "first_value(x)" + fr});
    cases.push_back({value_fn(Kind::kLastValue, s, f), "last_value(s)" + fr});
    cases.push_back({value_fn(Kind::kNthValue, x, f, 2), "nth_value(x, 2)" + fr});
  }
  expect_matches_sqlite(t, {"p"}, {{"o", true}, {"id", true}}, cases, 11);
}

TEST(WindowOperatorTest, FrameValuesOverRangeFramesMatchSqlite) {
  TestTable t = random_table(300, 6);
  // The value is the order key itself: peers share it, so the answer does not depend on how
  // either engine orders peers.
  auto o = t.col("o");
  std::vector<Case> cases;
  for (WindowFrame f : {range_frame(kUnbP, 0), range_frame(0, 0), range_frame(0, kUnbF), range_frame(-2, 1),
                        range_frame(1, 3)}) {
    std::string fr = " OVER (w " + frame_sql(f) + ")";
    cases.push_back({value_fn(Kind::kFirstValue, o, f), "first_value(o)" + fr});
    cases.push_back({value_fn(Kind::kLastValue, o, f), "last_value(o)" + fr});
    cases.push_back({value_fn(Kind::kNthValue, o, f, 3), "nth_value(o, 3)" + fr});
  }
  expect_matches_sqlite(t, {"p"}, {{"o", true}}, cases, 8);
}

TEST(WindowOperatorTest, FrameValuesIgnoreNulls) {
  TestTable t = ignore_nulls_table();  // null, x, null, null, y, null, z, v, null
  auto v = t.col("v");
  WindowOperatorSpec spec;
  spec.order_keys = {make_sort_order(t.col("id"), true, true)};
  spec.functions = {value_fn(Kind::kFirstValue, v, rows_frame(-1, 1), 1, true),
                    value_fn(Kind::kLastValue, v, rows_frame(kUnbP, 0), 1, true),
                    value_fn(Kind::kNthValue, v, rows_frame(kUnbP, kUnbF), 3, true),
                    value_fn(Kind::kNthValue, v, rows_frame(-2, 2), 2, true),
                    value_fn(Kind::kFirstValue, v, rows_frame(-1, 1), 1, false)};
  auto out = run_window({to_batch(t, t.rows)}, spec);
  EXPECT_EQ(strings_of(out, 2), (std::vector<std::string>{"x", "x", "x", "y", "y", "y", "z", "z", "v"}));
  EXPECT_EQ(strings_of(out, 3), (std::vector<std::string>{"NULL", "x", "x", "x", "y", "y", "z", "v", "v"}));
  EXPECT_EQ(strings_of(out, 4), (std::vector<std::string>(9, "z")));
  EXPECT_EQ(strings_of(out, 5),
            (std::vector<std::string>{"NULL", "NULL", "y", "y", "z", "z", "z", "v", "v"}));
  EXPECT_EQ(strings_of(out, 6),
            (std::vector<std::string>{"NULL", "NULL", "x", "NULL", "NULL", "y", "NULL", "z", "v"}));
}

// --------------------------------------------------------------------------------------------
// Aggregates over frames

std::vector<Case> aggregate_cases(const TestTable& t, const std::vector<WindowFrame>& frames) {
  auto x = t.col("x");
  auto d = t.col("d");
  auto s = t.col("s");
  auto one = make_literal(Value::int32(1));
  std::vector<Case> cases;
  for (const WindowFrame& f : frames) {
    std::string fr = " OVER (w " + frame_sql(f) + ")";
    cases.push_back({aggregate("sum", {x}, f), "sum(x)" + fr});
    cases.push_back({aggregate("count", {x}, f), "count(x)" + fr});
    cases.push_back({aggregate("count", {one}, f), "count(*)" + fr});
    cases.push_back({aggregate("avg", {d}, f), "avg(d)" + fr});
    cases.push_back({aggregate("min", {x}, f), "min(x)" + fr});
    cases.push_back({aggregate("max", {s}, f), "max(s)" + fr});
    cases.push_back({aggregate("sum", {d}, f), "sum(d)" + fr});
  }
  return cases;
}

TEST(WindowOperatorTest, RowsFrameAggregatesMatchSqlite) {
  TestTable t = random_table(400, 7);
  std::vector<WindowFrame> frames = {rows_frame(kUnbP, 0), rows_frame(kUnbP, kUnbF), rows_frame(0, kUnbF),
                                     rows_frame(0, 0),     rows_frame(-2, 1),        rows_frame(1, 3),
                                     rows_frame(-3, -1),   rows_frame(-40, 25),      rows_frame(kUnbP, -2),
                                     rows_frame(3, kUnbF), rows_frame(200, 300),     rows_frame(-7, -7),
                                     rows_frame(kUnbP, 3), rows_frame(kUnbP, 1000)};
  expect_matches_sqlite(t, {"p"}, {{"o", true}, {"id", true}}, aggregate_cases(t, frames), 13);
}

TEST(WindowOperatorTest, RangeFrameAggregatesMatchSqlite) {
  TestTable t = random_table(400, 8);
  std::vector<WindowFrame> frames = {range_frame(kUnbP, 0), range_frame(kUnbP, kUnbF), range_frame(0, kUnbF),
                                     range_frame(0, 0),     range_frame(-2, 1),        range_frame(1, 3),
                                     range_frame(-3, -1),   range_frame(kUnbP, -2),    range_frame(2, kUnbF),
                                     range_frame(100, 200), range_frame(kUnbP, 2)};
  // Ascending with nulls first, and descending with nulls last (Spark's defaults), then first.
  expect_matches_sqlite(t, {"p"}, {{"o", true}}, aggregate_cases(t, frames), 10);
  expect_matches_sqlite(t, {"p"}, {{"o", false}}, aggregate_cases(t, frames), 17);
  expect_matches_sqlite(t, {"p"}, {{"o", false}}, aggregate_cases(t, frames), 17,
                        /*nulls_first_when_desc=*/true);
}

TEST(WindowOperatorTest, RangeOffsetsOnDoubleKeyMatchSqlite) {
  TestTable t = random_table(300, 9);
  auto x = t.col("x");
  std::vector<Case> cases;
  for (WindowFrame f : {range_frame(-1, 1), range_frame(-3, 0), range_frame(1, 2), range_frame(kUnbP, -1)}) {
    std::string fr = " OVER (w " + frame_sql(f) + ")";
    cases.push_back({aggregate("sum", {x}, f), "sum(x)" + fr});
    cases.push_back({aggregate("count", {x}, f), "count(x)" + fr});
  }
  expect_matches_sqlite(t, {"p"}, {{"d", true}}, cases, 16);
  expect_matches_sqlite(t, {"p"}, {{"d", false}}, cases, 16);
}

TEST(WindowOperatorTest, WholePartitionWithoutOrderKeys) {
  TestTable t = random_table(200, 10);
  // Without ORDER BY, RANGE CURRENT ROW covers the whole partition: every row is a peer.
  std::vector<WindowFrame> frames = {rows_frame(kUnbP, kUnbF), range_frame(kUnbP, 0), range_frame(0, 0)};
  std::vector<Case> cases;
  for (const WindowFrame& f : frames) {
    cases.push_back({aggregate("sum", {t.col("x")}, f), "sum(x) OVER w"});
    cases.push_back({aggregate("max", {t.col("s")}, f), "max(s) OVER w"});
  }
  expect_matches_sqlite(t, {"p"}, {}, cases, 9);
}

TEST(WindowOperatorTest, FirstLastAggregatesKeepRowOrderInSlidingFrames) {
  // first/last are order-sensitive: the segment tree must merge left to right.
  TestTable t = random_table(300, 11);
  auto x = t.col("x");
  std::vector<Case> cases;
  for (WindowFrame f : {rows_frame(-5, 3), rows_frame(kUnbP, 0), rows_frame(2, 9), rows_frame(-9, -2)}) {
    std::string fr = " OVER (w " + frame_sql(f) + ")";
    cases.push_back({aggregate("first", {x}, f), "first_value(x)" + fr});
    cases.push_back({aggregate("last", {x}, f), "last_value(x)" + fr});
  }
  expect_matches_sqlite(t, {"p"}, {{"o", true}, {"id", true}}, cases, 10);
}

TEST(WindowOperatorTest, DistinctAggregateOverSlidingFrames) {
  // count(DISTINCT x) cannot merge partial states: each frame's rows are aggregated directly.
  TestTable t = random_table(200, 12);
  std::vector<WindowFrame> frames = {rows_frame(-3, 2), rows_frame(kUnbP, 0), range_frame(-2, 2)};
  WindowOperatorSpec spec;
  spec.partition_keys = {t.col("p")};
  spec.order_keys = {make_sort_order(t.col("o"), true, true)};
  for (const auto& f : frames) {
    spec.functions.push_back(aggregate("count", {t.col("x")}, f, /*distinct=*/true));
    spec.functions.push_back(aggregate("sum", {t.col("x")}, f, /*distinct=*/true));
  }
  auto input =
      sorted_batches(t,
                     {make_sort_order(t.col("p"), true, true), make_sort_order(t.col("o"), true, true),
                      make_sort_order(t.col("id"), true, true)},
                     7);
  Batch all = concat_batches(input);
  auto out = run_window(input, spec);
  Batch res = concat_batches(out);
  ASSERT_EQ(res.num_rows, all.num_rows);
  // Brute force over the sorted rows.
  const size_t n = all.num_rows;
  auto p = [&](size_t i) { return all.columns[1]->value_at(i).to_string(); };
  auto o = [&](size_t i) { return all.columns[2]->value_at(i); };
  for (size_t i = 0; i < n; ++i) {
    for (size_t fi = 0; fi < frames.size(); ++fi) {
      std::set<int32_t> seen;
      for (size_t j = 0; j < n; ++j) {
        if (p(j) != p(i) || all.columns[3]->is_null(j)) continue;
        bool in = false;
        const WindowFrame& f = frames[fi];
        if (f.type == FrameType_::kRows) {
          int64_t lo = f.lower == kUnbP ? INT64_MIN : static_cast<int64_t>(i) + f.lower;
          int64_t hi = static_cast<int64_t>(i) + f.upper;
          in = static_cast<int64_t>(j) >= lo && static_cast<int64_t>(j) <= hi;
        } else if (o(i).is_null() || o(j).is_null()) {
          in = o(i).is_null() && o(j).is_null();
        } else {
          in = o(j).as_int64() >= o(i).as_int64() + f.lower && o(j).as_int64() <= o(i).as_int64() + f.upper;
        }
        if (in) seen.insert(all.columns[3]->values<int32_t>()[j]);
      }
      const Vector& count = *res.columns[6 + 2 * fi];
      const Vector& sum = *res.columns[7 + 2 * fi];
      EXPECT_EQ(count.values<int64_t>()[i], static_cast<int64_t>(seen.size()))
          << "row " << i << " frame " << fi;
      if (seen.empty()) {
        EXPECT_TRUE(sum.is_null(i)) << "row " << i << " frame " << fi;
      } else {
        EXPECT_EQ(sum.values<int64_t>()[i], std::accumulate(seen.begin(), seen.end(), int64_t{0}))
            << "row " << i << " frame " << fi;
      }
    }
  }
}

TEST(WindowOperatorTest, RangeOffsetsOnDateAndDecimalKeys) {
  TestTable t;
  t.names = {"id", "day", "price", "x"};
  t.types = {DataType::int64(), DataType::date(), DataType::decimal(10, 2), DataType::int64()};
  t.sqlite_types = {"INTEGER", "TEXT", "REAL", "INTEGER"};
  // days 0, 1, 1, 3, 7, null; prices 1.00, 1.50, 2.00, 2.99, 4.00, null
  int days[] = {0, 1, 1, 3, 7};
  int64_t cents[] = {100, 150, 200, 299, 400};
  for (int i = 0; i < 5; ++i) {
    t.rows.push_back(
        {Value::int64(i), Value::date(days[i]), Value::decimal(cents[i], 10, 2), Value::int64(1 << i)});
  }
  t.rows.push_back({Value::int64(5), Value::null(DataType::date()), Value::null(DataType::decimal(10, 2)),
                    Value::int64(32)});
  auto sum_over = [&](const std::string& key, WindowFrame f, bool asc) {
    WindowOperatorSpec spec;
    spec.order_keys = {make_sort_order(t.col(key), asc, asc)};
    spec.functions = {aggregate("sum", {t.col("x")}, f)};
    auto out = run_window(
        sorted_batches(t, {spec.order_keys[0], make_sort_order(t.col("id"), true, true)}, 4), spec);
    std::vector<std::pair<int64_t, std::string>> r;
    for (const auto& b : out) {
      for (size_t i = 0; i < b.num_rows; ++i) {
        r.emplace_back(b.columns[0]->values<int64_t>()[i], b.columns[4]->value_at(i).to_string());
      }
    }
    std::sort(r.begin(), r.end());
    std::vector<std::string> sums;
    for (auto& [id, v] : r) sums.push_back(v);
    return sums;
  };
  // Dates: RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING days. Null dates are their own peer group.
  EXPECT_EQ(sum_over("day", range_frame(-1, 2), true),
            (std::vector<std::string>{"7", "15", "15", "8", "16", "32"}));
  // Descending: 1 PRECEDING means one day later.
  EXPECT_EQ(sum_over("day", range_frame(-1, 0), false),
            (std::vector<std::string>{"7", "6", "6", "8", "16", "32"}));
  // Decimals: offsets are whole units (1 = 1.00).
  EXPECT_EQ(sum_over("price", range_frame(-1, 0), true),
            (std::vector<std::string>{"1", "3", "7", "12", "16", "32"}));
  EXPECT_EQ(sum_over("price", range_frame(0, 1), true),
            (std::vector<std::string>{"7", "6", "12", "8", "16", "32"}));
}

TEST(WindowOperatorTest, LargeOutputSpansManyBatches) {
  // 10,000 rows, a few big partitions and many small ones, batches of 1000 in, at most 4096 out.
  TestTable t = random_table(10000, 13, 3);
  for (size_t i = 0; i < t.rows.size(); i += 7) t.rows[i][1] = Value::string("solo" + std::to_string(i));
  expect_matches_sqlite(t, {"p"}, {{"o", true}, {"id", true}},
                        {{ranking(Kind::kRowNumber), "row_number() OVER w"},
                         {aggregate("sum", {t.col("x")}, range_frame(kUnbP, 0)), "sum(x) OVER w"},
                         {aggregate("min", {t.col("x")}, rows_frame(-100, 50)),
                          "min(x) OVER (w ROWS BETWEEN 100 PRECEDING AND 50 FOLLOWING)"},
                         {value_fn(Kind::kLag, t.col("x"), {}, 3), "lag(x, 3) OVER w"}},
                        1000);
}

TEST(WindowOperatorTest, EmptyInputProducesNothing) {
  TestTable t = random_table(0, 14);
  WindowOperatorSpec spec;
  spec.partition_keys = {t.col("p")};
  spec.functions = {ranking(Kind::kRowNumber), aggregate("sum", {t.col("x")}, rows_frame(-1, 1))};
  spec.order_keys = {make_sort_order(t.col("o"), true, true)};
  EXPECT_TRUE(run_window({}, spec).empty());
}

TEST(WindowOperatorTest, NullPartitionKeysFormOnePartition) {
  TestTable t;
  t.names = {"id", "p", "x"};
  t.types = {DataType::int64(), DataType::int32(), DataType::int32()};
  t.sqlite_types = {"INTEGER", "INTEGER", "INTEGER"};
  // Partitions: null (ids 0, 1, 2), 1 (ids 3, 4).
  int x[] = {1, 2, 3, 4, 5};
  for (int i = 0; i < 5; ++i) {
    t.rows.push_back(
        {Value::int64(i), i < 3 ? Value::null(DataType::int32()) : Value::int32(1), Value::int32(x[i])});
  }
  WindowOperatorSpec spec;
  spec.partition_keys = {t.col("p")};
  spec.order_keys = {make_sort_order(t.col("id"), true, true)};
  spec.functions = {ranking(Kind::kRowNumber), aggregate("sum", {t.col("x")}, rows_frame(kUnbP, kUnbF))};
  // One row per batch: partitions span batch boundaries.
  std::vector<Batch> in;
  for (const auto& r : t.rows) in.push_back(to_batch(t, {r}));
  Batch out = concat_batches(run_window(std::move(in), spec));
  ASSERT_EQ(out.num_rows, 5u);
  std::vector<int32_t> rn = {1, 2, 3, 1, 2};
  std::vector<int64_t> sums = {6, 6, 6, 9, 9};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(out.columns[3]->values<int32_t>()[i], rn[i]);
    EXPECT_EQ(out.columns[4]->values<int64_t>()[i], sums[i]);
  }
}

// --------------------------------------------------------------------------------------------
// ANSI overflow and errors

TEST(WindowOperatorTest, AnsiOverflowOnlyForFramesThatOverflow) {
  TestTable t;
  t.names = {"id", "x"};
  t.types = {DataType::int64(), DataType::int64()};
  t.sqlite_types = {"INTEGER", "INTEGER"};
  const int64_t big = INT64_MAX / 2 + 1;
  for (int i = 0; i < 4; ++i) t.rows.push_back({Value::int64(i), Value::int64(big)});
  WindowOperatorSpec spec;
  spec.order_keys = {make_sort_order(t.col("id"), true, true)};
  // Each frame holds one row: no frame overflows although the partition's total would.
  spec.functions = {aggregate("sum", {t.col("x")}, rows_frame(0, 0)),
                    aggregate("sum", {t.col("x")}, rows_frame(1, 1))};
  auto out = concat_batches(run_window({to_batch(t, t.rows)}, spec));
  EXPECT_EQ(out.columns[2]->values<int64_t>()[3], big);
  EXPECT_TRUE(out.columns[3]->is_null(3));
  // A running sum overflows at the second row.
  spec.functions = {aggregate("sum", {t.col("x")}, rows_frame(kUnbP, 0))};
  try {
    run_window({to_batch(t, t.rows)}, spec);
    ADD_FAILURE() << "expected an overflow";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "ARITHMETIC_OVERFLOW");
  }
  // Without ANSI the sum wraps, like Spark's.
  EvalContext legacy;
  legacy.ansi = false;
  auto wrapped = concat_batches(run_window({to_batch(t, t.rows)}, spec, legacy));
  EXPECT_EQ(wrapped.columns[2]->values<int64_t>()[1], INT64_MIN);
}

TEST(WindowOperatorTest, RejectsSpecsItCannotRun) {
  TestTable t = random_table(10, 15);
  auto expect_analysis_error = [&](WindowOperatorSpec spec, const std::string& fragment) {
    try {
      WindowOperator w(std::make_unique<BatchSourceOperator>("rows", std::vector<Batch>{}), std::move(spec),
                       {});
      ADD_FAILURE() << "expected an error mentioning " << fragment;
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  WindowOperatorSpec base;
  base.partition_keys = {t.col("p")};
  base.order_keys = {make_sort_order(t.col("o"), true, true)};

  WindowOperatorSpec ntile = base;
  ntile.functions = {ranking(Kind::kNtile, 0)};
  expect_analysis_error(ntile, "ntile");

  WindowOperatorSpec nth = base;
  nth.functions = {value_fn(Kind::kNthValue, t.col("x"), rows_frame(kUnbP, 0), 0)};
  expect_analysis_error(nth, "nth_value");

  WindowOperatorSpec two_keys = base;
  two_keys.order_keys.push_back(make_sort_order(t.col("id"), true, true));
  two_keys.functions = {aggregate("sum", {t.col("x")}, range_frame(-1, 1))};
  expect_analysis_error(two_keys, "exactly one ORDER BY key");

  WindowOperatorSpec string_key = base;
  string_key.order_keys = {make_sort_order(t.col("s"), true, true)};
  string_key.functions = {aggregate("sum", {t.col("x")}, range_frame(-1, 1))};
  expect_analysis_error(string_key, "numeric or date");

  WindowOperatorSpec backwards = base;
  backwards.functions = {aggregate("sum", {t.col("x")}, rows_frame(2, 1))};
  expect_analysis_error(backwards, "lower bound");
}

TEST(WindowOperatorTest, UnsortedInputIsAnInternalError) {
  TestTable t = random_table(20, 16);
  WindowOperatorSpec spec;
  spec.order_keys = {make_sort_order(t.col("id"), false, false)};  // the rows come ascending
  spec.functions = {ranking(Kind::kRank)};
  try {
    run_window({to_batch(t, t.rows)}, spec);
    ADD_FAILURE() << "expected an internal error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
    EXPECT_NE(std::string(e.what()).find("not sorted"), std::string::npos) << e.what();
  }
}

// --------------------------------------------------------------------------------------------
// Building the spec from the analyzer's window expressions

TEST(WindowOperatorTest, SpecFromWindowExpressions) {
  TestTable t = random_table(50, 17);
  auto p = t.col("p");
  auto o = make_sort_order(t.col("o"), true, true);
  auto call = [&](const std::string& name, std::vector<ExprPtr> args, DataType type) {
    auto e = std::make_shared<Expr>(*make_call(name, std::move(args)));
    e->type = type;
    return e;
  };
  auto sum = std::make_shared<Expr>(*make_aggregate("sum", {t.col("x")}));
  sum->aggregate = bind_aggregate("sum", {DataType::int32()});
  sum->type = DataType::int64();
  std::vector<ExprPtr> exprs = {
      make_alias(make_window(call("row_number", {}, DataType::int32()), {p}, {o}, FrameType::kRows, kUnbP, 0),
                 "rn"),
      make_window(call("lag", {t.col("x"), make_literal(Value::int32(2)), make_literal(Value::int32(-1))},
                       DataType::int32()),
                  {p}, {o}, FrameType::kRows, kUnbP, 0),
      make_window(call("ntile", {make_literal(Value::int32(3))}, DataType::int32()), {p}, {o},
                  FrameType::kRows, kUnbP, 0),
      make_window(sum, {p}, {o}, FrameType::kDefault, kUnbP, 0),
      make_window(sum, {p}, {o}, FrameType::kRows, -2, 3),
  };
  WindowOperatorSpec spec = window_spec_from_exprs(exprs);
  ASSERT_EQ(spec.partition_keys.size(), 1u);
  ASSERT_EQ(spec.order_keys.size(), 1u);
  ASSERT_EQ(spec.functions.size(), 5u);
  EXPECT_EQ(spec.functions[0].kind, Kind::kRowNumber);
  EXPECT_EQ(spec.functions[1].kind, Kind::kLag);
  EXPECT_EQ(spec.functions[1].offset, 2);
  EXPECT_EQ(spec.functions[2].kind, Kind::kNtile);
  EXPECT_EQ(spec.functions[2].offset, 3);
  EXPECT_EQ(spec.functions[3].kind, Kind::kAggregate);
  EXPECT_EQ(spec.functions[3].frame, range_frame(kUnbP, 0));  // Spark's default with ORDER BY
  EXPECT_EQ(spec.functions[4].frame, rows_frame(-2, 3));

  // The spec runs and agrees with sqlite.
  auto out = run_window(
      sorted_batches(t, {make_sort_order(p, true, true), o, make_sort_order(t.col("id"), true, true)}, 8),
      spec);
  testing::SqliteReference sqlite;
  sqlite.load("t", t.ddl(), t.rows);
  expect_same_table(window_columns(out, t.names.size()),
                    sqlite.query("SELECT id, row_number() OVER w, lag(x, 2, -1) OVER w, ntile(3) OVER w, "
                                 "sum(x) OVER (PARTITION BY p ORDER BY o NULLS FIRST), "
                                 "sum(x) OVER (w ROWS BETWEEN 2 PRECEDING AND 3 FOLLOWING) FROM t "
                                 "WINDOW w AS (PARTITION BY p ORDER BY o NULLS FIRST, id) ORDER BY id"));
}

}  // namespace
}  // namespace ember
