// End-to-end joins: DataFrame joins of every type over generated CSV data (duplicate and null
// keys on both sides), each compared with sqlite3 running the equivalent SQL; plus the physical
// strategy ember picks (broadcast, shuffled hash, nested loop) and the analyzer's join errors.
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

class JoinVsSqliteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("ember_join_e2e_" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    customers_ = new std::vector<std::vector<Value>>();
    orders_ = new std::vector<std::vector<Value>>();
    testing::TestRandom next(11);
    const char* segments[] = {"retail", "wholesale", "online"};
    // Customers 1..300, some ids twice (duplicate build keys), a few null ids.
    std::ofstream c(*dir_ / "customers.csv");
    c << "cid,name,segment,credit\n";
    for (int i = 1; i <= 330; ++i) {
      Value id = i > 320 ? Value::null(DataType::int32()) : Value::int32(i > 300 ? i - 300 : i);
      Value name = Value::string("c" + std::to_string(i));
      Value segment = next() % 11 == 0 ? Value::null(DataType::string()) : Value::string(segments[next() % 3]);
      Value credit = Value::int32(static_cast<int32_t>(next() % 1000));
      customers_->push_back({id, name, segment, credit});
      auto text = [](const Value& v) { return v.is_null() ? std::string() : v.to_string(); };
      c << text(id) << "," << text(name) << "," << text(segment) << "," << text(credit) << "\n";
    }
    // Orders referencing customers 1..400 (some without a customer), some null customer ids.
    std::ofstream o(*dir_ / "orders.csv");
    o << "oid,cid,amount\n";
    for (int i = 1; i <= 4000; ++i) {
      Value cid = next() % 29 == 0 ? Value::null(DataType::int32()) : Value::int32(static_cast<int32_t>(next() % 400) + 1);
      Value amount = Value::int32(static_cast<int32_t>(next() % 1000));
      orders_->push_back({Value::int32(i), cid, amount});
      o << i << "," << (cid.is_null() ? std::string() : cid.to_string()) << "," << amount.to_string() << "\n";
    }
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete customers_;
    delete orders_;
  }

  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "10485760");
    db_.load("customers", "cid INTEGER, name TEXT, segment TEXT, credit INTEGER", *customers_);
    db_.load("orders", "oid INTEGER, cid INTEGER, amount INTEGER", *orders_);
  }

  DataFrame customers() const {
    return spark_->read().option("header", "true").schema("cid INT, name STRING, segment STRING, credit INT")
        .csv((*dir_ / "customers.csv").string());
  }
  DataFrame orders() const {
    return spark_->read().option("header", "true").schema("oid INT, cid INT, amount INT").csv((*dir_ / "orders.csv").string());
  }

  void check(const DataFrame& df, const std::string& sql) { expect_same_rows(to_table(df.collect()), db_.query(sql), false); }

  // Runs `body` with broadcast joins on (the default for these small tables) and off, so both
  // the broadcast and the shuffled hash join produce the checked answer.
  template <class Body>
  void both_strategies(Body&& body) {
    {
      SCOPED_TRACE("broadcast hash join");
      spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "10485760");
      body();
    }
    {
      SCOPED_TRACE("shuffled hash join");
      spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
      body();
    }
  }

  static std::filesystem::path* dir_;
  static std::vector<std::vector<Value>>* customers_;
  static std::vector<std::vector<Value>>* orders_;
  std::unique_ptr<Session> spark_;
  SqliteReference db_;
};

std::filesystem::path* JoinVsSqliteTest::dir_ = nullptr;
std::vector<std::vector<Value>>* JoinVsSqliteTest::customers_ = nullptr;
std::vector<std::vector<Value>>* JoinVsSqliteTest::orders_ = nullptr;

TEST_F(JoinVsSqliteTest, InnerJoinOnColumnNameMergesTheKey) {
  both_strategies([&] {
    auto df = orders().join(customers(), "cid");
    EXPECT_EQ(df.columns(), (std::vector<std::string>{"cid", "oid", "amount", "name", "segment", "credit"}));
    check(df, "SELECT o.cid, oid, amount, name, segment, credit FROM orders o JOIN customers c ON o.cid = c.cid");
  });
}

TEST_F(JoinVsSqliteTest, LeftOuterJoin) {
  both_strategies([&] {
    check(orders().join(customers(), "cid", "left"),
          "SELECT o.cid, oid, amount, name, segment, credit FROM orders o LEFT JOIN customers c ON o.cid = c.cid");
  });
}

TEST_F(JoinVsSqliteTest, RightOuterJoinKeepsTheRightKey) {
  both_strategies([&] {
    check(orders().join(customers(), "cid", "right"),
          "SELECT c.cid, oid, amount, name, segment, credit FROM orders o RIGHT JOIN customers c ON o.cid = c.cid");
  });
}

TEST_F(JoinVsSqliteTest, FullOuterJoinCoalescesTheKey) {
  both_strategies([&] {
    check(orders().join(customers(), "cid", "full_outer"),
          "SELECT coalesce(o.cid, c.cid), oid, amount, name, segment, credit FROM orders o FULL JOIN customers c "
          "ON o.cid = c.cid");
  });
}

TEST_F(JoinVsSqliteTest, LeftSemiAndAntiJoins) {
  both_strategies([&] {
    // As in Spark, a USING semi/anti join outputs the key first, then the other left columns.
    auto semi = orders().join(customers(), "cid", "left_semi");
    EXPECT_EQ(semi.columns(), (std::vector<std::string>{"cid", "oid", "amount"}));
    check(semi, "SELECT cid, oid, amount FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.cid = o.cid)");
    // Null keys never match, so orders with a null cid are kept by the anti join.
    check(orders().join(customers(), "cid", "anti"),
          "SELECT cid, oid, amount FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.cid = o.cid)");
  });
}

TEST_F(JoinVsSqliteTest, JoinOnExpressionKeepsBothKeyColumns) {
  both_strategies([&] {
    auto o = orders();
    auto c = customers();
    auto df = o.join(c, o["cid"] == c["cid"], "inner");
    EXPECT_EQ(df.columns(), (std::vector<std::string>{"oid", "cid", "amount", "cid", "name", "segment", "credit"}));
    check(df, "SELECT o.*, c.* FROM orders o JOIN customers c ON o.cid = c.cid");
  });
}

TEST_F(JoinVsSqliteTest, EquiJoinWithExtraNonEquiCondition) {
  both_strategies([&] {
    auto o = orders().alias("o");
    auto c = customers().alias("c");
    for (const char* how : {"inner", "left", "right", "full", "semi", "anti"}) {
      SCOPED_TRACE(how);
      auto df = o.join(c, (col("o.cid") == col("c.cid")) && (col("o.amount") > col("c.credit")), how);
      std::string cols = std::string(how) == "semi" || std::string(how) == "anti" ? "o.*" : "o.*, c.*";
      std::string sql;
      if (std::string(how) == "semi") {
        sql = "SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE o.cid = c.cid AND o.amount > c.credit)";
      } else if (std::string(how) == "anti") {
        sql = "SELECT * FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE o.cid = c.cid AND o.amount > "
              "c.credit)";
      } else {
        std::string kind = std::string(how) == "inner" ? "JOIN" : std::string(how) == "left" ? "LEFT JOIN"
                           : std::string(how) == "right"                                 ? "RIGHT JOIN"
                                                                                         : "FULL JOIN";
        sql = "SELECT " + cols + " FROM orders o " + kind + " customers c ON o.cid = c.cid AND o.amount > c.credit";
      }
      check(df, sql);
    }
  });
}

TEST_F(JoinVsSqliteTest, NonEquiJoinUsesANestedLoop) {
  auto c = customers().filter(col("cid") <= 20).alias("a");
  auto d = customers().filter(col("cid") <= 25).select(col("cid").alias("cid2"), col("credit").alias("credit2"));
  for (const char* how : {"inner", "left", "right", "full", "semi", "anti"}) {
    SCOPED_TRACE(how);
    auto df = c.join(d, col("credit") < col("credit2"), how);
    EXPECT_NE(df.explain_string().find("BroadcastNestedLoopJoin"), std::string::npos) << df.explain_string();
    std::string h = how;
    std::string base = "(SELECT * FROM customers WHERE cid <= 20)";
    std::string other = "(SELECT cid AS cid2, credit AS credit2 FROM customers WHERE cid <= 25)";
    std::string sql;
    if (h == "semi") sql = "SELECT * FROM " + base + " a WHERE EXISTS (SELECT 1 FROM " + other + " d WHERE a.credit < d.credit2)";
    else if (h == "anti") sql = "SELECT * FROM " + base + " a WHERE NOT EXISTS (SELECT 1 FROM " + other + " d WHERE a.credit < d.credit2)";
    else {
      std::string kind = h == "inner" ? "JOIN" : h == "left" ? "LEFT JOIN" : h == "right" ? "RIGHT JOIN" : "FULL JOIN";
      sql = "SELECT * FROM " + base + " a " + kind + " " + other + " d ON a.credit < d.credit2";
    }
    check(df, sql);
  }
}

TEST_F(JoinVsSqliteTest, CrossJoin) {
  auto a = customers().filter(col("cid") <= 7).select("cid", "name");
  auto b = orders().filter(col("oid") <= 9).select("oid");
  check(a.cross_join(b), "SELECT c.cid, name, oid FROM customers c, orders o WHERE c.cid <= 7 AND oid <= 9");
  check(a.join(b), "SELECT c.cid, name, oid FROM customers c, orders o WHERE c.cid <= 7 AND oid <= 9");
}

TEST_F(JoinVsSqliteTest, JoinThenAggregate) {
  both_strategies([&] {
    auto df = orders()
                  .join(customers(), "cid")
                  .group_by("segment")
                  .agg(sum("amount").alias("revenue"), count("*").alias("n"), count_distinct(col("cid")).alias("customers"));
    check(df,
          "SELECT segment, sum(amount), count(*), count(DISTINCT o.cid) FROM orders o JOIN customers c ON o.cid = c.cid "
          "GROUP BY segment");
  });
}

TEST_F(JoinVsSqliteTest, SelfJoinGetsFreshAttributes) {
  auto c = customers().filter(col("cid") <= 50);
  auto renamed = c.select(col("cid"), col("credit").alias("other_credit"));
  auto df = c.join(renamed, "cid");
  check(df,
        "SELECT a.cid, a.name, a.segment, a.credit, b.credit FROM customers a JOIN customers b ON a.cid = b.cid "
        "WHERE a.cid <= 50 AND b.cid <= 50");
  // The same DataFrame on both sides.
  auto same = c.select("cid", "credit");
  check(same.alias("x").join(same.alias("y"), col("x.cid") == col("y.cid")).select(col("x.cid"), col("y.credit")),
        "SELECT a.cid, b.credit FROM customers a JOIN customers b ON a.cid = b.cid WHERE a.cid <= 50 AND b.cid <= 50");
}

TEST_F(JoinVsSqliteTest, StrategiesShowInExplain) {
  auto small = customers();
  auto big = orders();
  spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "10485760");
  std::string plan = big.join(small, "cid").explain_string();
  EXPECT_NE(plan.find("BroadcastHashJoin [cid#"), std::string::npos) << plan;
  EXPECT_NE(plan.find("BroadcastExchange"), std::string::npos) << plan;
  spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
  plan = big.join(small, "cid").explain_string();
  EXPECT_NE(plan.find("ShuffledHashJoin"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("BroadcastExchange"), std::string::npos) << plan;
  // broadcast() forces it whatever the threshold says.
  auto hinted = big.join(broadcast(small), "cid");
  plan = hinted.explain_string();
  EXPECT_NE(plan.find("BroadcastHashJoin"), std::string::npos) << plan;
  check(hinted, "SELECT o.cid, oid, amount, name, segment, credit FROM orders o JOIN customers c ON o.cid = c.cid");
}

TEST_F(JoinVsSqliteTest, FilterAboveJoinIsPushedIntoTheSides) {
  auto df = orders().join(customers(), "cid").filter(col("amount") > 900 && col("segment") == "retail");
  std::string plan = df.explain_string(true);
  std::string optimized = plan.substr(plan.find("== Optimized Logical Plan =="));
  optimized = optimized.substr(0, optimized.find("== Physical Plan =="));
  // Both conjuncts sit below the join now.
  size_t join_at = optimized.find("Join Inner");
  ASSERT_NE(join_at, std::string::npos) << optimized;
  EXPECT_GT(optimized.find("(amount#"), join_at) << optimized;
  EXPECT_GT(optimized.find("(segment#"), join_at) << optimized;
  check(df,
        "SELECT o.cid, oid, amount, name, segment, credit FROM orders o JOIN customers c ON o.cid = c.cid "
        "WHERE amount > 900 AND segment = 'retail'");
}

TEST_F(JoinVsSqliteTest, SetOperationsTreatNullsAsEqual) {
  // Segments and credit bands of two overlapping customer ranges, with duplicates and nulls.
  auto a = customers().filter(col("cid") <= 200 || col("cid").is_null()).select(col("segment"), (col("credit") % 3).alias("band"));
  auto b = customers().filter(col("cid") >= 150 || col("cid").is_null()).select(col("segment"), (col("credit") % 3).alias("band"));
  const std::string sa = "SELECT segment, credit % 3 AS band FROM customers WHERE cid <= 200 OR cid IS NULL";
  const std::string sb = "SELECT segment, credit % 3 AS band FROM customers WHERE cid >= 150 OR cid IS NULL";
  both_strategies([&] {
    check(a.intersect(b), sa + " INTERSECT " + sb);
    check(a.subtract(b), sa + " EXCEPT " + sb);
    check(a.intersect(a), sa + " INTERSECT " + sa);
  });
  // sqlite has no INTERSECT ALL / EXCEPT ALL: the multiplicities are counted per distinct row.
  const std::string counts =
      "WITH ca AS (SELECT segment, band, count(*) AS n FROM (" + sa + ") GROUP BY 1, 2), "
      "cb AS (SELECT segment, band, count(*) AS n FROM (" + sb + ") GROUP BY 1, 2) ";
  auto expand = [&](const std::string& n_expr) {
    return counts +
           ", pairs AS (SELECT ca.segment, ca.band, " + n_expr + " AS k FROM ca LEFT JOIN cb ON ca.segment IS cb.segment "
           "AND ca.band IS cb.band), nums(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM nums WHERE i < 400) "
           "SELECT segment, band FROM pairs JOIN nums ON nums.i <= pairs.k";
  };
  check(a.intersect_all(b), expand("min(ca.n, coalesce(cb.n, 0))"));
  check(a.except_all(b), expand("max(ca.n - coalesce(cb.n, 0), 0)"));
}

TEST_F(JoinVsSqliteTest, UnknownUsingColumnNamesTheSide) {
  try {
    orders().join(customers(), "oid").collect();
    FAIL() << "expected an analysis error";
  } catch (const EmberError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("oid"), std::string::npos) << msg;
    EXPECT_NE(msg.find("right side"), std::string::npos) << msg;
  }
}

TEST_F(JoinVsSqliteTest, AmbiguousColumnAfterJoinIsReported) {
  auto o = orders();
  auto c = customers();
  try {
    o.join(c, o["cid"] == c["cid"]).select("cid").collect();
    FAIL() << "expected an ambiguity error";
  } catch (const EmberError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("AMBIGUOUS_REFERENCE"), std::string::npos) << msg;
    EXPECT_NE(msg.find("cid"), std::string::npos) << msg;
  }
}

TEST_F(JoinVsSqliteTest, UnknownJoinTypeIsRejected) {
  try {
    orders().join(customers(), "cid", "sideways");
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_NE(std::string(e.what()).find("sideways"), std::string::npos) << e.what();
  }
}

TEST_F(JoinVsSqliteTest, BuildSideOverTheMemoryLimitNamesTheSetting) {
  // The session is shared with the other suites of this process: restore the limit however the
  // test ends.
  struct RestoreLimit {
    Session& spark;
    ~RestoreLimit() { spark.conf().unset("spark.ember.join.maxBuildBytes"); }
  } restore{*spark_};
  spark_->conf().set("spark.ember.join.maxBuildBytes", "1024");
  try {
    orders().join(customers(), "cid").collect();
    FAIL() << "expected a memory error";
  } catch (const EmberError& e) {
    EXPECT_NE(std::string(e.what()).find("spark.ember.join.maxBuildBytes"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ember
