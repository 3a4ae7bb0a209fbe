// Bad input ends the job with an error naming the file, line, column or expression — and leaves
// the output directory exactly as it was.
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;
namespace fs = std::filesystem;

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ember_bad_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_file(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

  // Every file under `root` with its size and contents, to compare before and after a job.
  static std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> files;
    if (!fs::exists(root)) return files;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      files[fs::relative(e.path(), root).string()] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    return files;
  }

  static std::string error_of(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const EmberError& e) {
      return e.what();
    }
    return "<no error>";
  }

  fs::path dir_;
  std::unique_ptr<Session> spark_;
};

TEST_F(BadInputTest, UnknownColumnSuggestsTheCloseName) {
  auto df = spark_->create_data_frame({{Value::string("ann"), Value::int32(10)}}, "name STRING, salary INT");
  std::string msg = error_of([&] { df.select("salry").collect(); });
  EXPECT_NE(msg.find("column 'salry' does not exist; did you mean 'salary'?"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Available: name, salary"), std::string::npos) << msg;
}

TEST_F(BadInputTest, MissingFileIsNamed) {
  std::string msg = error_of([&] { spark_->read().csv((dir_ / "nope.csv").string()); });
  EXPECT_NE(msg.find("nope.csv"), std::string::npos) << msg;
}

TEST_F(BadInputTest, BadSchemaStringPointsAtTheProblem) {
  std::string msg = error_of([&] { spark_->read().schema("id INT, name STRNG"); });
  EXPECT_NE(msg.find("strng"), std::string::npos) << msg;
}

TEST_F(BadInputTest, UnknownFunctionIsNamed) {
  auto df = spark_->range(3);
  std::string msg = error_of([&] { df.select(call_function("uper", {col("id")})).collect(); });
  EXPECT_NE(msg.find("uper"), std::string::npos) << msg;
  EXPECT_NE(msg.find("upper"), std::string::npos) << msg;
}

TEST_F(BadInputTest, DivisionByZeroUnderAnsiNamesTheExpression) {
  auto df = spark_->range(10).select((lit(100) / (col("id") - 5)).alias("x"));
  std::string msg = error_of([&] { df.collect(); });
  EXPECT_NE(msg.find("DIVIDE_BY_ZERO"), std::string::npos) << msg;
  // The analyzed expression is named (Spark's `/` divides doubles, so the operands carry casts).
  EXPECT_NE(msg.find("/ CAST((id - 5) AS DOUBLE))"), std::string::npos) << msg;
}

TEST_F(BadInputTest, DivisionByZeroIsNullWithAnsiOff) {
  spark_->conf().set("spark.sql.ansi.enabled", "false");
  auto rows = spark_->range(10).select((lit(100) / (col("id") - 5)).alias("x")).collect();
  spark_->conf().unset("spark.sql.ansi.enabled");
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_TRUE(rows[5][0].is_null());
  EXPECT_DOUBLE_EQ(rows[6][0].as_double(), 100.0);
}

TEST_F(BadInputTest, MalformedCsvRowNamesFileLineAndColumn) {
  std::string path = write_file("bad.csv", "id,amount\n1,10\n2,20\n3,abc\n4,40\n");
  auto df = spark_->read().option("header", "true").schema("id INT, amount INT").csv(path);
  std::string msg = error_of([&] { df.collect(); });
  EXPECT_NE(msg.find("bad.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("amount"), std::string::npos) << msg;
}

TEST_F(BadInputTest, FailedJobLeavesOutputUntouchedAndNoTemporaryFiles) {
  fs::path out = dir_ / "out";
  // A first, successful write.
  spark_->range(100).write().mode("overwrite").option("header", "true").csv(out.string());
  auto before = snapshot(out);
  ASSERT_TRUE(before.count("_SUCCESS"));
  auto parent_before = snapshot(dir_);
  // A job that raises on row 5000 of 10000 (division by zero under ANSI), mid-write.
  auto failing = spark_->range(10000).select(col("id"), (lit(1) / (col("id") - 5000)).alias("x"));
  std::string msg = error_of([&] { failing.write().mode("overwrite").csv(out.string()); });
  EXPECT_NE(msg.find("DIVIDE_BY_ZERO"), std::string::npos) << msg;
  EXPECT_EQ(snapshot(out), before);
  EXPECT_EQ(snapshot(dir_), parent_before) << "temporary files were left behind";
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename(), "out") << "unexpected leftover " << e.path();
  }
}

TEST_F(BadInputTest, ErrorModeRefusesAnExistingTarget) {
  fs::path out = dir_ / "out";
  spark_->range(5).write().csv(out.string());
  auto before = snapshot(out);
  std::string msg = error_of([&] { spark_->range(5).write().csv(out.string()); });
  EXPECT_NE(msg.find("already exists"), std::string::npos) << msg;
  EXPECT_EQ(snapshot(out), before);
  spark_->range(5).write().mode("ignore").csv(out.string());
  EXPECT_EQ(snapshot(out), before);
  spark_->range(3).write().mode("append").csv(out.string());
  auto rows = spark_->read().schema("id BIGINT").csv(out.string()).count();
  EXPECT_EQ(rows, 8);
}

TEST_F(BadInputTest, TypeMismatchNamesTheExpression) {
  auto df = spark_->create_data_frame({{Value::string("x")}}, "s STRING");
  std::string msg = error_of([&] { df.filter(col("s")).collect(); });
  EXPECT_NE(msg.find("boolean"), std::string::npos) << msg;
}

}  // namespace
}  // namespace ember
