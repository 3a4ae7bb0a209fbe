// explain(mode) and SQL EXPLAIN [EXTENDED|CODEGEN|COST|FORMATTED] print what Spark's modes print:
// the expected shapes come from Spark's documentation of EXPLAIN (sql-ref-syntax-qry-explain) and
// its Utils.bytesToString, checked by hand.
#include <regex>

#include <gtest/gtest.h>

#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;

class ExplainModesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spark_ = new Session(Session::builder().master("local[2]").get_or_create());
  }
  static void TearDownTestSuite() {
    delete spark_;
    spark_ = nullptr;
  }
  static std::string sql_explain(const std::string& statement) {
    std::vector<Row> rows = spark_->sql(statement).collect();
    EXPECT_EQ(rows.size(), 1u);
    return rows.at(0)[0].as_string();
  }
  static Session* spark_;
};
Session* ExplainModesTest::spark_ = nullptr;

// Stage ids count up per session, so plans of two explain calls differ only in them.
// Also drops the times of EXPLAIN EXTENDED's optimizer-rule footer, which differ run to run.
std::string without_stage_ids(const std::string& text) {
  std::string out = std::regex_replace(text, std::regex(R"(\[stage \d+( -> \d+)?\])"), "[stage]");
  return std::regex_replace(out, std::regex(R"(\d+\.\d+ ms)"), "_ ms");
}

int count_of(const std::string& text, const std::string& piece) {
  int n = 0;
  for (size_t at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) ++n;
  return n;
}

TEST_F(ExplainModesTest, SimpleAndExtendedKeepTheirBoolForms) {
  DataFrame df = spark_->range(10).filter(col("id") > lit(3));
  EXPECT_EQ(without_stage_ids(df.explain_string(ExplainMode::kSimple)),
            without_stage_ids(df.explain_string(false)));
  EXPECT_EQ(without_stage_ids(df.explain_string("extended")), without_stage_ids(df.explain_string(true)));
  EXPECT_EQ(df.explain_string("SIMPLE").rfind("== Physical Plan ==\n", 0), 0u);
  std::string extended = df.explain_string(ExplainMode::kExtended);
  for (const char* header : {"== Parsed Logical Plan ==", "== Analyzed Logical Plan ==",
                             "== Optimized Logical Plan ==", "== Physical Plan =="}) {
    EXPECT_NE(extended.find(header), std::string::npos) << header;
  }
}

TEST_F(ExplainModesTest, FormattedNumbersOperatorsChildrenFirstWithOneSectionEach) {
  DataFrame df = spark_->range(100)
                     .filter(col("id") > lit(10))
                     .select((col("id") % lit(3)).alias("k"), col("id"))
                     .group_by("k")
                     .agg(sum(col("id")).alias("total"));
  std::string text = without_stage_ids(df.explain_string(ExplainMode::kFormatted));
  ASSERT_EQ(text.rfind("== Physical Plan ==\n", 0), 0u) << text;
  // Overview: the root has the highest number, the leaf scan is (1), as Spark numbers them.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(^== Physical Plan ==\nHashAggregate \((\d+)\)\n)")))
      << text;
  const int n = std::stoi(m[1]);
  EXPECT_EQ(n, 6) << text;  // Range, Filter, Project, partial HashAggregate, Exchange, final HashAggregate
  EXPECT_NE(text.find("+- Range (1)\n"), std::string::npos) << text;
  // One "(id) Name" section per operator, in id order, separated by blank lines.
  for (int id = 1; id <= n; ++id) {
    EXPECT_EQ(count_of(text, "\n(" + std::to_string(id) + ") "), 1) << id << "\n" << text;
  }
  EXPECT_LT(text.find("\n(1) Range"), text.find("\n(2) Filter")) << text;
  EXPECT_NE(text.find("\n(2) Filter [stage]\nInput [1]: [id#"), std::string::npos) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(Condition : \(id#\d+L > 10\)\n)"))) << text;
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex(
          R"(\(3\) Project \[stage\]\nOutput \[2\]: \[\(id#\d+L % 3\) AS k#\d+, id#\d+L\]\nInput \[1\]: \[id#\d+L\]\n)")))
      << text;
  EXPECT_TRUE(std::regex_search(
      text, std::regex(R"(Keys \[1\]: \[k#\d+L?\]\nFunctions \[1\]: \[partial_sum\(id#\d+L\)\]\n)")))
      << text;
  EXPECT_TRUE(std::regex_search(
      text, std::regex(R"(\(5\) Exchange \[stage\]\nInput \[2\]: .*\nArguments: hashpartitioning\()")))
      << text;
  // Bound positions never leak into the text.
  EXPECT_EQ(text.find("input["), std::string::npos) << text;
}

TEST_F(ExplainModesTest, FormattedJoinShowsKeysTypeAndCondition) {
  DataFrame left = spark_->range(20).select(col("id").alias("a"), (col("id") * lit(2)).alias("b"));
  DataFrame right = spark_->range(5).select(col("id").alias("c"));
  DataFrame df = left.join(right, left["a"] == right["c"] && left["b"] > right["c"], "left");
  std::string text = df.explain_string("formatted");
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex(
          R"(Left keys \[1\]: \[a#\d+L\]\nRight keys \[1\]: \[c#\d+L\]\nJoin type: LeftOuter\nJoin condition: \(b#\d+L > c#\d+L\)\n)")))
      << text;
}

TEST_F(ExplainModesTest, CostPrintsTheOptimizedPlanWithStatistics) {
  std::string text = spark_->range(1000).explain_string(ExplainMode::kCost);
  ASSERT_EQ(text.rfind("== Optimized Logical Plan ==\n", 0), 0u) << text;
  // Spark's Utils.bytesToString: one decimal and a binary unit (B below 2 KiB).
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex(
          R"(^Relation \[id#\d+L\] Range .*, Statistics\(sizeInBytes=\d+\.\d (B|KiB), rowCount=\S+\)\n)",
          std::regex::multiline)))
      << text;
  EXPECT_NE(text.find("\n== Physical Plan ==\n"), std::string::npos) << text;
  EXPECT_TRUE(std::regex_search(spark_->range(3).explain_string("cost"),
                                std::regex(R"(sizeInBytes=\d+\.0 B, rowCount=3\))")));
}

TEST_F(ExplainModesTest, CodegenSaysThereIsNoGeneratedCodeAndShowsThePlan) {
  std::string text = spark_->range(3).explain_string(ExplainMode::kCodegen);
  EXPECT_EQ(text.rfind("Found 0 WholeStageCodegen subtrees.\n", 0), 0u) << text;
  EXPECT_NE(text.find("== Physical Plan ==\nRange"), std::string::npos) << text;
}

TEST_F(ExplainModesTest, SqlExplainKeywordsMapToTheModes) {
  spark_->range(10).create_or_replace_temp_view("explain_t");
  const std::string q = " SELECT id FROM explain_t WHERE id > 2";
  EXPECT_EQ(sql_explain("EXPLAIN" + q).rfind("== Physical Plan ==\n", 0), 0u);
  EXPECT_EQ(sql_explain("EXPLAIN EXTENDED" + q).rfind("== Parsed Logical Plan ==\n", 0), 0u);
  EXPECT_EQ(sql_explain("EXPLAIN COST" + q).rfind("== Optimized Logical Plan ==\n", 0), 0u);
  EXPECT_EQ(sql_explain("EXPLAIN CODEGEN" + q).rfind("Found 0 WholeStageCodegen subtrees.", 0), 0u);
  std::string formatted = sql_explain("explain formatted" + q);
  EXPECT_NE(formatted.find("\n(1) Range"), std::string::npos) << formatted;
  EXPECT_NE(formatted.find("Condition : "), std::string::npos) << formatted;
}

TEST_F(ExplainModesTest, UnknownModeIsAnIllegalArgumentListingTheModes) {
  try {
    (void)spark_->range(3).explain_string("verbose");
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIllegalArgument);
    EXPECT_NE(
        std::string(e.what()).find("Unknown explain mode: verbose. Accepted explain modes are 'simple', "
                                   "'extended', 'codegen', 'cost', 'formatted'."),
        std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace ember
