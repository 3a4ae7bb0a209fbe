// Statistics, cardinality estimation (EXPLAIN COST), cost-based join reordering and broadcast
// choice from estimates. Expected row counts are computed by hand from Spark's estimation
// formulas over inputs whose statistics are exact (ranges, files of known contents); every plan
// change is checked to leave the answer unchanged, against a hand-computed count.
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ember/ember.h"
#include "ember/optimizer/cost/statistics.h"

namespace ember {
namespace {

using namespace ember::functions;

class CostBasedOptimizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    dir_ = std::filesystem::temp_directory_path() / ("ember_cbo_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    spark_->range(0, 100).create_or_replace_temp_view("t100");
    spark_->range(0, 1000).create_or_replace_temp_view("t1000");
    spark_->range(0, 100000).create_or_replace_temp_view("fact");
    spark_->range(0, 10).create_or_replace_temp_view("tiny");
  }
  void TearDown() override {
    for (const char* key : {"spark.sql.cbo.enabled", "spark.sql.cbo.joinReorder.enabled",
                            "spark.sql.cbo.joinReorder.dpThreshold", "spark.sql.optimizer.excludedRules",
                            "spark.sql.autoBroadcastJoinThreshold"}) {
      spark_->conf().unset(key);
    }
    std::filesystem::remove_all(dir_);
  }

  std::string explain_cost(const std::string& query) {
    return spark_->sql("EXPLAIN COST " + query).collect()[0][0].as_string();
  }

  // The first line of `text` that contains `what`.
  static std::string line_with(const std::string& text, const std::string& what) {
    size_t at = text.find(what);
    if (at == std::string::npos) return "";
    size_t begin = text.rfind('\n', at);
    begin = begin == std::string::npos ? 0 : begin + 1;
    return text.substr(begin, text.find('\n', at) - begin);
  }

  // "Statistics(sizeInBytes=..., rowCount=...)" of that line, as printed.
  static std::string stats_of(const std::string& line) {
    size_t at = line.find("Statistics(");
    return at == std::string::npos ? "" : line.substr(at);
  }

  int64_t count(const std::string& query) { return spark_->sql(query).collect()[0][0].as_int64(); }

  std::unique_ptr<Session> spark_;
  std::filesystem::path dir_;
};

// --- estimation ------------------------------------------------------------------------------

TEST_F(CostBasedOptimizerTest, RangeRelationIsExact) {
  // 100 rows of one bigint: 100 × (8 + 8) bytes.
  std::string plan = explain_cost("SELECT id FROM t100");
  EXPECT_EQ(stats_of(line_with(plan, "Range (0, 100")), "Statistics(sizeInBytes=1600.0 B, rowCount=100)")
      << plan;
  EXPECT_NE(plan.find("== Physical Plan =="), std::string::npos) << plan;
}

TEST_F(CostBasedOptimizerTest, FilterSelectivityFromRanges) {
  // id in [0, 99]: id < 25 keeps (25 - 0) / (99 - 0) of 100 rows = 25.25 → 25, 404 bytes.
  std::string plan = explain_cost("SELECT id FROM t100 WHERE id < 25");
  EXPECT_EQ(stats_of(line_with(plan, "Filter")), "Statistics(sizeInBytes=404.0 B, rowCount=25)") << plan;
  // id >= 90: (99 - 90) / 99 of 100 = 9.09 → 9.
  plan = explain_cost("SELECT id FROM t100 WHERE id >= 90");
  EXPECT_NE(stats_of(line_with(plan, "Filter")).find("rowCount=9)"), std::string::npos) << plan;
  // A bound outside [min, max] keeps everything or nothing.
  plan = explain_cost("SELECT id FROM t100 WHERE id < 1000");
  EXPECT_NE(stats_of(line_with(plan, "Filter")).find("rowCount=100)"), std::string::npos) << plan;
}

TEST_F(CostBasedOptimizerTest, FilterSelectivityFromDistinctCounts) {
  // id = 5: 1 / ndv(100) of 100 rows = 1.
  std::string plan = explain_cost("SELECT id FROM t100 WHERE id = 5");
  EXPECT_EQ(stats_of(line_with(plan, "Filter")), "Statistics(sizeInBytes=16.0 B, rowCount=1)") << plan;
  // Outside [0, 99]: no rows (Spark still counts one byte).
  plan = explain_cost("SELECT id FROM t100 WHERE id = 500");
  EXPECT_EQ(stats_of(line_with(plan, "Filter")), "Statistics(sizeInBytes=1.0 B, rowCount=0)") << plan;
  // IN: the two values inside the range, 2 / 100 of 100 rows.
  plan = explain_cost("SELECT id FROM t100 WHERE id IN (1, 2, 500)");
  EXPECT_NE(stats_of(line_with(plan, "Filter")).find("rowCount=2)"), std::string::npos) << plan;
  // AND multiplies, OR adds minus the overlap: (id < 50 AND id > 24) ≈ 50/99 · 75/99 · 100 = 38.3;
  // (id = 1 OR id = 2) = 0.01 + 0.01 − 0.0001 → 1.99 → 2.
  plan = explain_cost("SELECT id FROM t100 WHERE id = 1 OR id = 2");
  EXPECT_NE(stats_of(line_with(plan, "Filter")).find("rowCount=2)"), std::string::npos) << plan;
  plan = explain_cost("SELECT id FROM t100 WHERE NOT (id = 1)");
  EXPECT_NE(stats_of(line_with(plan, "Filter")).find("rowCount=99)"), std::string::npos) << plan;
}

TEST_F(CostBasedOptimizerTest, JoinCardinalityFromKeyDistinctCounts) {
  // |a|·|b| / max(ndv(a.id), ndv(b.id)) = 100 · 1000 / 1000 = 100.
  std::string plan = explain_cost("SELECT * FROM t100 a JOIN t1000 b ON a.id = b.id");
  EXPECT_NE(stats_of(line_with(plan, "Join Inner")).find("rowCount=100)"), std::string::npos) << plan;
  EXPECT_EQ(count("SELECT count(*) FROM t100 a JOIN t1000 b ON a.id = b.id"), 100);
  // Key ranges that do not overlap: no rows.
  plan = explain_cost("SELECT * FROM t100 a JOIN (SELECT id FROM t1000 WHERE id >= 500) b ON a.id = b.id");
  EXPECT_NE(stats_of(line_with(plan, "Join Inner")).find("rowCount=0)"), std::string::npos) << plan;
  // A left outer join keeps at least every left row: max(100, 100) with 1000 on the left: 1000.
  plan = explain_cost("SELECT * FROM t1000 a LEFT JOIN t100 b ON a.id = b.id");
  EXPECT_NE(stats_of(line_with(plan, "Join LeftOuter")).find("rowCount=1.00E+3)"), std::string::npos) << plan;
}

TEST_F(CostBasedOptimizerTest, AggregateCardinality) {
  // Grouped by a column with 100 distinct values: 100 groups; a global aggregate: one row.
  std::string plan = explain_cost("SELECT id, count(*) FROM t100 GROUP BY id");
  EXPECT_NE(stats_of(line_with(plan, "Aggregate")).find("rowCount=100)"), std::string::npos) << plan;
  plan = explain_cost("SELECT count(*) FROM t100");
  EXPECT_NE(stats_of(line_with(plan, "Aggregate")).find("rowCount=1)"), std::string::npos) << plan;
  // After id < 10 the group column has ceil(100 · 10/99) = 11 distinct values left.
  plan = explain_cost("SELECT id, count(*) FROM t100 WHERE id < 10 GROUP BY id");
  EXPECT_NE(stats_of(line_with(plan, "Aggregate")).find("rowCount=10)"), std::string::npos) << plan;
}

TEST_F(CostBasedOptimizerTest, ParquetFooterStatistics) {
  // x = id % 10 over 1000 rows: the footer gives 1000 rows and x in [0, 9], so 10 distinct
  // values and x = 3 keeps 100 rows; y (a string) has no distinct count: the default 1/10.
  spark_->range(0, 1000)
      .select(col("id"), (col("id") % lit(10)).alias("x"), col("id").cast(DataType::string()).alias("y"))
      .write()
      .parquet((dir_ / "p").string());
  spark_->read().parquet((dir_ / "p").string()).create_or_replace_temp_view("p");
  std::string plan = explain_cost("SELECT id FROM p WHERE x = 3");
  EXPECT_NE(stats_of(line_with(plan, "Relation")).find("rowCount=1.00E+3)"), std::string::npos) << plan;
  EXPECT_NE(stats_of(line_with(plan, "Filter")).find("rowCount=100)"), std::string::npos) << plan;
  EXPECT_EQ(count("SELECT count(*) FROM p WHERE x = 3"), 100);
  plan = explain_cost("SELECT id FROM p WHERE y = '7'");
  EXPECT_NE(stats_of(line_with(plan, "Filter")).find("rowCount=100)"), std::string::npos) << plan;
}

TEST_F(CostBasedOptimizerTest, CsvRowCountFromASample) {
  // A file smaller than the sample: every line counted, the header discounted.
  std::ofstream out(dir_ / "c.csv");
  out << "a,b\n";
  for (int i = 0; i < 300; ++i) out << i << ",row" << i << "\n";
  out.close();
  spark_->read()
      .option("header", "true")
      .schema("a INT, b STRING")
      .csv((dir_ / "c.csv").string())
      .create_or_replace_temp_view("c");
  std::string plan = explain_cost("SELECT * FROM c");
  EXPECT_NE(stats_of(line_with(plan, "Relation")).find("rowCount=300)"), std::string::npos) << plan;
}

TEST_F(CostBasedOptimizerTest, CachedRelationUsesTheActualCount) {
  // Before it is computed, `(id % 3) = 0` is an equality without statistics: 1/10 of 1000.
  spark_->range(0, 1000).filter(col("id") % lit(3) == lit(0)).create_or_replace_temp_view("thirds");
  EXPECT_NE(stats_of(line_with(explain_cost("SELECT * FROM thirds"), "Filter")).find("rowCount=100)"),
            std::string::npos);
  spark_->sql("CACHE TABLE thirds");  // eager: computes the 334 rows now
  std::string plan = explain_cost("SELECT * FROM thirds");
  EXPECT_NE(stats_of(line_with(plan, "InMemoryRelation")).find("rowCount=334)"), std::string::npos) << plan;
}

// --- cost-based join reordering ----------------------------------------------------------------

constexpr const char* kStarQuery =
    "SELECT count(*) FROM fact f, t1000 d1, tiny d2 WHERE f.id = d1.id AND f.id = d2.id";

// The tables under the lowest join of the plan, in the order printed.
std::string first_join_tables(const std::string& plan) {
  // The deepest "Join" line is the last one printed in pre-order for a left-deep tree.
  size_t at = plan.rfind("Join Inner");
  std::string rest = plan.substr(at);
  std::string tables;
  std::regex range(R"(Range \(0, (\d+))");
  // Its two inputs are the next two relations printed.
  int seen = 0;
  for (std::sregex_iterator it(rest.begin(), rest.end(), range), end; it != end && seen < 2; ++it, ++seen) {
    tables += (tables.empty() ? "" : ",") + (*it)[1].str();
  }
  return tables;
}

TEST_F(CostBasedOptimizerTest, JoinReorderStartsWithTheMostSelectiveJoin) {
  // Written: (fact ⋈ d1) ⋈ d2. fact ⋈ d1 estimates 100000 · 1000 / 100000 = 1000 rows, fact ⋈ d2
  // 10 rows, so (fact ⋈ d2) ⋈ d1 costs 10 intermediate rows instead of 1000.
  std::string with_rule = explain_cost(kStarQuery);
  EXPECT_EQ(first_join_tables(with_rule), "100000,10") << with_rule;
  spark_->conf().set("spark.sql.cbo.joinReorder.enabled", "false");
  std::string without = explain_cost(kStarQuery);
  EXPECT_EQ(first_join_tables(without), "100000,1000") << without;
  EXPECT_EQ(count(kStarQuery), 10);
  spark_->conf().unset("spark.sql.cbo.joinReorder.enabled");
  EXPECT_EQ(count(kStarQuery), 10);
  // Excluding the rule by name does the same as switching it off.
  spark_->conf().set("spark.sql.optimizer.excludedRules", "CostBasedJoinReorder");
  EXPECT_EQ(first_join_tables(explain_cost(kStarQuery)), "100000,1000");
}

TEST_F(CostBasedOptimizerTest, JoinReorderSeesInferredFilters) {
  // b: 100000 rows, k null in 9 of 10 (the footer says 90000 nulls; the other 10000 are 0..9999,
  // so ndv 10000), j = id % 1000. a: 1000 ids; c: 50 ids. Joins a.id = b.k and b.j = c.id.
  spark_->sql("SELECT CASE WHEN id % 10 = 0 THEN id DIV 10 END AS k, id % 1000 AS j FROM range(0, 100000)")
      .write()
      .parquet((dir_ / "b").string());
  spark_->read().parquet((dir_ / "b").string()).create_or_replace_temp_view("b");
  spark_->range(0, 50).create_or_replace_temp_view("t50");
  const std::string q = "SELECT count(*) FROM b, t1000 a, t50 c WHERE a.id = b.k AND b.j = c.id";
  // Without the inferred isnotnull(b.k): a ⋈ b = 1000 · 100000 / 10000 = 10000 rows, b ⋈ c =
  // 100000 · 50 / 1000 = 5000, so b ⋈ c goes first.
  spark_->conf().set("spark.sql.optimizer.excludedRules", "InferFiltersFromConstraints");
  // The lowest join is printed last; its condition says which two inputs it joins.
  auto lowest_join = [](const std::string& plan) {
    return line_with(plan.substr(plan.rfind("Join Inner")), "Join");
  };
  std::string plan = explain_cost(q);
  EXPECT_NE(lowest_join(plan).find("(j#"), std::string::npos) << plan;
  EXPECT_EQ(count(q), 50);
  // With it, b keeps its 10000 non-null keys (ndv(j) scales to 100): a ⋈ b = 1000 · 10000 / 10000
  // = 1000 rows, b ⋈ c still 10000 · 50 / 100 = 5000, so a ⋈ b goes first. The join order is
  // chosen after inference (Spark's "Join Reorder" batch), so it sees the filter.
  spark_->conf().unset("spark.sql.optimizer.excludedRules");
  plan = explain_cost(q);
  EXPECT_NE(lowest_join(plan).find(" = k#"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Filter (isnotnull(k#"), std::string::npos) << plan;
  // Hand-checked: b's non-null k < 1000 are ids 0, 10, ..., 9990, whose j = (10·k) % 1000 is in
  // 0..49 for k % 100 in 0..4: 5 residues × 10 values of k below 1000.
  EXPECT_EQ(count(q), 50);
}

TEST_F(CostBasedOptimizerTest, GreedyOrderBeyondTheThreshold) {
  spark_->conf().set("spark.sql.cbo.joinReorder.dpThreshold", "2");
  std::string plan = explain_cost(kStarQuery);
  EXPECT_EQ(first_join_tables(plan), "100000,10") << plan;
  EXPECT_EQ(count(kStarQuery), 10);
}

TEST_F(CostBasedOptimizerTest, NeverACrossProductWhenTheInputsConnect) {
  // Written with the two dimensions first: they share no condition, so no order may join them
  // directly although both are small.
  const std::string q = "SELECT count(*) FROM t1000 d1, tiny d2, fact f WHERE f.id = d1.id AND f.id = d2.id";
  std::string plan = explain_cost(q);
  EXPECT_EQ(plan.find("Join Cross"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("NestedLoopJoin"), std::string::npos) << plan;
  EXPECT_EQ(count(q), 10);
}

TEST_F(CostBasedOptimizerTest, BadThresholdIsRejected) {
  // Rejected where it is set (SET checks values), so later queries keep the valid default.
  try {
    spark_->conf().set("spark.sql.cbo.joinReorder.dpThreshold", "0");
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_NE(std::string(e.what()).find("spark.sql.cbo.joinReorder.dpThreshold"), std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(explain_cost(kStarQuery));
}

// --- broadcast from estimates -------------------------------------------------------------------

TEST_F(CostBasedOptimizerTest, BroadcastChosenFromTheFilteredSize) {
  // 2M rows are 32 MB unfiltered, over the 10 MB threshold; `id < 100` leaves ~100 rows, so the
  // estimator's size lets the filtered side be broadcast. Spark's size-only estimate (cbo off)
  // keeps the file size and shuffles both sides.
  spark_->range(0, 2000000).create_or_replace_temp_view("big");
  const std::string q =
      "SELECT count(*) FROM big a JOIN (SELECT id FROM big WHERE id < 100) b ON a.id = b.id";
  std::string plan = explain_cost(q);
  EXPECT_NE(plan.find("BroadcastHashJoin"), std::string::npos) << plan;
  EXPECT_EQ(count(q), 100);
  spark_->conf().set("spark.sql.cbo.enabled", "false");
  plan = explain_cost(q);
  EXPECT_EQ(plan.find("BroadcastHashJoin"), std::string::npos) << plan;
  EXPECT_NE(plan.find("ShuffledHashJoin"), std::string::npos) << plan;
  EXPECT_EQ(count(q), 100);
}

TEST_F(CostBasedOptimizerTest, ShuffledJoinBuildsTheSmallerEstimatedSide) {
  spark_->conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
  // Written with the small side on the left: it is built.
  const std::string q =
      "SELECT count(*) FROM t1000 s JOIN (SELECT id FROM fact WHERE id % 2 = 0) b ON s.id = b.id";
  std::string plan = explain_cost(q);
  EXPECT_NE(plan.find("ShuffledHashJoin"), std::string::npos) << plan;
  EXPECT_NE(line_with(plan, "ShuffledHashJoin").find("BuildLeft"), std::string::npos) << plan;
  EXPECT_EQ(count(q), 500);
  spark_->conf().unset("spark.sql.autoBroadcastJoinThreshold");
}

// --- formatting -----------------------------------------------------------------------------------

TEST(StatisticsFormat, SizesAndRowCountsAsSparkPrintsThem) {
  EXPECT_EQ(bytes_to_string(1500), "1500.0 B");
  EXPECT_EQ(bytes_to_string(2048), "2.0 KiB");
  EXPECT_EQ(bytes_to_string(3.5 * 1024 * 1024), "3.5 MiB");
  EXPECT_EQ(row_count_to_string(150), "150");
  EXPECT_EQ(row_count_to_string(6001215), "6.00E+6");
  EXPECT_EQ(row_count_to_string(1999), "2.00E+3");
  EXPECT_EQ(row_count_to_string(123456), "1.23E+5");
}

}  // namespace
}  // namespace ember
