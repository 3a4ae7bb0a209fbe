// End-to-end window functions: DataFrame window columns over generated CSV data (ties, null
// partition keys, null order keys), each compared with sqlite3's window functions on the same rows.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "e2e/sqlite_reference.h"
#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;
using testing::expect_same_rows;
using testing::SqliteReference;
using testing::to_table;

class WindowVsSqliteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("ember_window_e2e_" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    rows_ = new std::vector<std::vector<Value>>();
    testing::TestRandom next(5);
    const char* depts[] = {"eng", "ops", "sales", "hr"};
    std::ofstream f(*dir_ / "staff.csv");
    f << "id,dept,salary,age\n";
    for (int i = 1; i <= 2000; ++i) {
      Value dept = next() % 31 == 0 ? Value::null(DataType::string()) : Value::string(depts[next() % 4]);
      // Few distinct salaries, so there are many ties (peers); some nulls.
      Value salary = next() % 37 == 0 ? Value::null(DataType::int32()) : Value::int32(static_cast<int32_t>(next() % 40) * 1000);
      Value age = Value::int32(static_cast<int32_t>(next() % 50) + 20);
      rows_->push_back({Value::int32(i), dept, salary, age});
      auto text = [](const Value& v) { return v.is_null() ? std::string() : v.to_string(); };
      f << i << "," << text(dept) << "," << text(salary) << "," << text(age) << "\n";
    }
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete rows_;
  }

  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    db_.load("staff", "id INTEGER, dept TEXT, salary INTEGER, age INTEGER", *rows_);
  }

  DataFrame staff() const {
    return spark_->read().option("header", "true").schema("id INT, dept STRING, salary INT, age INT")
        .csv((*dir_ / "staff.csv").string());
  }

  void check(const DataFrame& df, const std::string& sql) { expect_same_rows(to_table(df.collect()), db_.query(sql), false); }

  static std::filesystem::path* dir_;
  static std::vector<std::vector<Value>>* rows_;
  std::unique_ptr<Session> spark_;
  SqliteReference db_;
};

std::filesystem::path* WindowVsSqliteTest::dir_ = nullptr;
std::vector<std::vector<Value>>* WindowVsSqliteTest::rows_ = nullptr;

// Orders include id last so every row has a unique position: row_number and ROWS frames are then
// deterministic and comparable.
TEST_F(WindowVsSqliteTest, RankingFunctions) {
  auto w = Window::partition_by("dept").order_by(col("salary").desc(), col("id"));
  auto peers = Window::partition_by("dept").order_by(col("salary").desc());
  check(staff().select(col("id"), row_number().over(w), rank().over(peers), dense_rank().over(peers),
                       percent_rank().over(peers), cume_dist().over(peers), ntile(4).over(w)),
        "SELECT id, row_number() OVER (PARTITION BY dept ORDER BY salary DESC, id), "
        "rank() OVER (PARTITION BY dept ORDER BY salary DESC), dense_rank() OVER (PARTITION BY dept ORDER BY salary DESC), "
        "percent_rank() OVER (PARTITION BY dept ORDER BY salary DESC), cume_dist() OVER (PARTITION BY dept ORDER BY salary DESC), "
        "ntile(4) OVER (PARTITION BY dept ORDER BY salary DESC, id) FROM staff");
}

TEST_F(WindowVsSqliteTest, LagAndLead) {
  auto w = Window::partition_by("dept").order_by("id");
  check(staff().select(col("id"), lag("salary").over(w), lead("salary", 2).over(w), lag("age", 1, lit(-1)).over(w)),
        "SELECT id, lag(salary) OVER (PARTITION BY dept ORDER BY id), lead(salary, 2) OVER (PARTITION BY dept ORDER BY id), "
        "lag(age, 1, -1) OVER (PARTITION BY dept ORDER BY id) FROM staff");
}

TEST_F(WindowVsSqliteTest, RunningAggregatesUseTheDefaultRangeFrame) {
  // ORDER BY salary with ties: the default RANGE frame includes every peer of the current row.
  auto w = Window::partition_by("dept").order_by("salary");
  check(staff().select(col("id"), sum("age").over(w), count("*").over(w), max("age").over(w), avg("age").over(w)),
        "SELECT id, sum(age) OVER w, count(*) OVER w, max(age) OVER w, avg(age) OVER w FROM staff "
        "WINDOW w AS (PARTITION BY dept ORDER BY salary)");
}

TEST_F(WindowVsSqliteTest, WholePartitionWithoutOrder) {
  auto w = Window::partition_by("dept");
  check(staff().with_column("dept_total", sum("salary").over(w)).with_column("n", count("salary").over(w)),
        "SELECT *, sum(salary) OVER (PARTITION BY dept), count(salary) OVER (PARTITION BY dept) FROM staff");
}

TEST_F(WindowVsSqliteTest, SlidingRowFrames) {
  auto w = Window::partition_by("dept").order_by("id");
  check(staff().select(col("id"), sum("age").over(w.rows_between(-2, 0)), avg("age").over(w.rows_between(-1, 1)),
                       min("salary").over(w.rows_between(0, 3)), count("salary").over(w.rows_between(Window::unbounded_preceding, -1))),
        "SELECT id, sum(age) OVER (PARTITION BY dept ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), "
        "avg(age) OVER (PARTITION BY dept ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), "
        "min(salary) OVER (PARTITION BY dept ORDER BY id ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING), "
        "count(salary) OVER (PARTITION BY dept ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) FROM staff");
}

TEST_F(WindowVsSqliteTest, RangeFrameWithOffsets) {
  auto w = Window::partition_by("dept").order_by("age").range_between(-2, 2);
  check(staff().select(col("id"), count("*").over(w), sum("salary").over(w)),
        "SELECT id, count(*) OVER w, sum(salary) OVER w FROM staff "
        "WINDOW w AS (PARTITION BY dept ORDER BY age RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING)");
}

TEST_F(WindowVsSqliteTest, FirstLastAndNthValue) {
  auto w = Window::partition_by("dept").order_by("id").rows_between(Window::unbounded_preceding, Window::unbounded_following);
  check(staff().select(col("id"), first_value("salary").over(w), last_value("salary").over(w), nth_value("salary", 3).over(w)),
        "SELECT id, first_value(salary) OVER w, last_value(salary) OVER w, nth_value(salary, 3) OVER w FROM staff "
        "WINDOW w AS (PARTITION BY dept ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)");
}

TEST_F(WindowVsSqliteTest, TopNPerGroupPipeline) {
  // The workshop's "top 3 earners per department" pattern: rank, then filter on the rank column.
  auto w = Window::partition_by("dept").order_by(col("salary").desc_nulls_last(), col("id"));
  auto df = staff().with_column("rn", row_number().over(w)).filter(col("rn") <= 3).select("dept", "id", "salary", "rn");
  check(df,
        "SELECT dept, id, salary, rn FROM (SELECT *, row_number() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST, id) "
        "AS rn FROM staff) WHERE rn <= 3");
}

TEST_F(WindowVsSqliteTest, GlobalWindowWithoutPartition) {
  auto w = Window::order_by("id");
  check(staff().select(col("id"), sum("age").over(w), lag("id").over(w)),
        "SELECT id, sum(age) OVER (ORDER BY id), lag(id) OVER (ORDER BY id) FROM staff");
}

TEST_F(WindowVsSqliteTest, ColumnNameIsSparks) {
  auto w = Window::partition_by("dept").order_by("id");
  auto cols = staff().select(row_number().over(w)).columns();
  EXPECT_EQ(cols[0],
            "row_number() OVER (PARTITION BY dept ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");
}

TEST_F(WindowVsSqliteTest, Errors) {
  auto msg = [](auto&& fn) -> std::string {
    try {
      fn();
    } catch (const EmberError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(msg([&] { staff().select(row_number()).collect(); }).find("WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE"),
            std::string::npos);
  EXPECT_NE(msg([&] { staff().select(rank().over(Window::partition_by("dept"))).collect(); }).find("ORDER BY"),
            std::string::npos);
  EXPECT_NE(msg([&] { staff().filter(row_number().over(Window::order_by("id")) < 3).collect(); }).find("filter"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
