// spark.read.json against Spark's documented behaviour (JsonInferSchema / JacksonParser, the JSON
// data source options), with hand-checked rows: schema inference (bigint, double, widening, string
// on conflict, null-only fields, arrays, nested objects as structs, fields sorted by name), an
// explicit schema, multiLine, the three parse modes with the corrupt-record column, date and
// timestamp formats, directories and files split for parallel reading, and errors that name the
// file and line.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ember/ember.h"

namespace ember {
namespace {

using namespace ember::functions;
namespace fs = std::filesystem;

class JsonReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spark_ = std::make_unique<Session>(Session::builder().master("local[2]").get_or_create());
    dir_ = fs::temp_directory_path() / ("ember_json_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  static std::vector<std::string> rendered(const DataFrame& df) {
    std::vector<std::string> out;
    for (const Row& r : df.collect()) {
      std::string line;
      for (size_t i = 0; i < r.size(); ++i) line += (i ? " | " : "") + r[i].to_string();
      out.push_back(line);
    }
    return out;
  }

  std::unique_ptr<Session> spark_;
  fs::path dir_;
};

TEST_F(JsonReaderTest, InfersSchemaAsSpark) {
  std::string path =
      write("a.json",
            "{\"name\": \"x\", \"n\": 1, \"tags\": [\"a\"], \"pt\": {\"y\": true, \"x\": 1}}\n"
            "{\"n\": 2.5, \"nothing\": null, \"tags\": [], \"mixed\": 1}\n"
            "\n"
            "{\"mixed\": \"s\", \"big\": 12345678901234567890, \"pt\": {\"x\": 2.0}, \"empty\": []}\n");
  DataFrame df = spark_->read().json(path);
  // Sorted by name; n: bigint + double = double; mixed: bigint vs string = string; nothing: null
  // only = string; big: past bigint = decimal(20,0); empty: array<null> = array<string>.
  EXPECT_EQ(df.schema().to_ddl(),
            "big decimal(20,0), empty array<string>, mixed string, n double, name string, nothing string, "
            "pt struct<x:double,y:boolean>, tags array<string>");
  EXPECT_EQ(rendered(df.select("name", "n", "mixed", "pt", "tags", "big")),
            (std::vector<std::string>{"x | 1.0 | NULL | {1.0, true} | [a] | NULL",
                                      "NULL | 2.5 | 1 | NULL | [] | NULL",
                                      "NULL | NULL | s | {2.0, NULL} | NULL | 12345678901234567890"}));
}

TEST_F(JsonReaderTest, ExplicitSchemaAndTypes) {
  std::string path = write(
      "t.json",
      "{\"i\": 7, \"d\": 1.25, \"dec\": 12.345, \"day\": \"2024-02-29\", \"ts\": \"2024-02-29T10:00:00Z\", "
      "\"m\": {\"k\": 1}, \"s\": {\"raw\": [1, 2]}, \"f\": \"NaN\"}\n"
      "{\"i\": null, \"ts\": 86400}\n");
  DataFrame df = spark_->read()
                     .schema(
                         "i INT, d DOUBLE, dec DECIMAL(10,2), day DATE, ts TIMESTAMP, m MAP<STRING,INT>, s "
                         "STRING, f DOUBLE")
                     .json(path);
  EXPECT_EQ(rendered(df),
            (std::vector<std::string>{
                "7 | 1.25 | 12.35 | 2024-02-29 | 2024-02-29 10:00:00 | {k -> 1} | {\"raw\":[1,2]} | NaN",
                "NULL | NULL | NULL | NULL | 1970-01-02 00:00:00 | NULL | NULL | NULL"}));
}

TEST_F(JsonReaderTest, ParseModesAndCorruptRecord) {
  std::string path = write("bad.json", "{\"a\": 1}\n{\"a\": \n{\"a\": \"x\"}\n[1]\n");
  auto permissive =
      spark_->read().option("mode", "PERMISSIVE").schema("a INT, _corrupt_record STRING").json(path);
  EXPECT_EQ(rendered(permissive),
            (std::vector<std::string>{"1 | NULL", "NULL | {\"a\": ", "NULL | {\"a\": \"x\"}", "NULL | [1]"}));
  // Inference with PERMISSIVE adds the corrupt-record column (sorted among the fields).
  auto inferred = spark_->read().option("mode", "PERMISSIVE").json(path);
  EXPECT_EQ(inferred.schema().to_ddl(), "_corrupt_record string, a string");
  auto dropped = spark_->read().option("mode", "DROPMALFORMED").schema("a INT").json(path);
  EXPECT_EQ(rendered(dropped), (std::vector<std::string>{"1"}));
  EXPECT_EQ(dropped.last_metrics().bad_records, 3);  // counted in the job summary, as for CSV
  try {
    spark_->read().schema("a INT").json(write("types.json", "{\"a\": 1}\n{\"a\": 1.5}\n")).collect();
    FAIL() << "expected FAILFAST to throw";
  } catch (const EmberError& e) {
    EXPECT_NE(std::string(e.what()).find("types.json, line 2: field 'a' cannot be read as INT from 1.5"), std::string::npos)
        << e.what();
  }
  try {
    spark_->read().schema("a INT").json(path).collect();  // FAILFAST, ember's default
    FAIL() << "expected FAILFAST to throw";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "MALFORMED_RECORD_IN_PARSING");
    EXPECT_NE(std::string(e.what()).find(path + ", line 2"), std::string::npos) << e.what();
  }
}

TEST_F(JsonReaderTest, BadRecordsPathRejectsRecordsWithFileLineAndReason) {
  // Bad records on lines 3 and 6 (line 4 is blank), among good ones, read in several splits.
  std::string text = "{\"a\": 1}\n{\"a\": 2}\n{\"a\": \n\n{\"a\": 4}\n{\"a\": \"five\"}\n";
  for (int i = 0; i < 3000; ++i) text += "{\"a\": " + std::to_string(10 + i) + "}\n";
  std::string path = write("some_bad.json", text);
  spark_->conf().set("spark.sql.files.maxPartitionBytes", "4096");
  fs::path bad_dir = dir_ / "rejected";
  DataFrame df = spark_->read().schema("a INT").option("badRecordsPath", bad_dir.string()).json(path);
  DataFrame totals = df.agg(count("*"), sum(col("a")));
  auto row = totals.collect()[0];
  spark_->conf().unset("spark.sql.files.maxPartitionBytes");
  int64_t expected_sum = 1 + 2 + 4;
  for (int i = 0; i < 3000; ++i) expected_sum += 10 + i;
  EXPECT_EQ(row[0], Value::int64(3003));
  EXPECT_EQ(row[1], Value::int64(expected_sum));
  EXPECT_EQ(totals.last_metrics().bad_records, 2);
  // <badRecordsPath>/<query start>/bad_records/*.json: one JSON object per rejected record.
  std::vector<std::string> lines;
  for (const auto& e : fs::recursive_directory_iterator(bad_dir)) {
    if (!e.is_regular_file()) continue;
    EXPECT_EQ(e.path().parent_path().filename(), "bad_records");
    std::ifstream in(e.path());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("\"line\":3,\"record\":\"{\\\"a\\\": \",\"reason\":\"malformed JSON"), std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("\"line\":6,\"record\":\"{\\\"a\\\": \\\"five\\\"}\",\"reason\":\"field 'a' cannot be read as INT"),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[0].find("\"path\":\"" + path + "\""), std::string::npos) << lines[0];
}

TEST_F(JsonReaderTest, InferenceInParallelSeesEverySplit) {
  // 8 MB: inference reads it in two splits; the types that widen are on the last line only, and
  // a bad line near the end must name its own line number.
  std::string text;
  for (int i = 0; i < 500000; ++i) text += "{\"a\": 1234567}\n";
  std::string good = write("wide.json", text + "{\"a\": \"x\", \"b\": true}\n");
  EXPECT_EQ(spark_->read().json(good).schema().to_ddl(), "a string, b boolean");
  std::string bad = write("late_bad.json", text + "{\"a\": \n");
  try {
    spark_->read().json(bad);
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_NE(std::string(e.what()).find("late_bad.json, line 500001"), std::string::npos) << e.what();
  }
}

TEST_F(JsonReaderTest, MultiLineAndTopLevelArrays) {
  std::string path = write("pretty.json", "[\n  {\"a\": 1,\n   \"b\": \"x\"},\n  {\"a\": 2}\n]\n");
  auto df = spark_->read().option("multiLine", true).json(path);
  EXPECT_EQ(df.schema().to_ddl(), "a bigint, b string");
  EXPECT_EQ(rendered(df), (std::vector<std::string>{"1 | x", "2 | NULL"}));
  std::string lines = write("arr.json", "[{\"a\": 1}, {\"a\": 2}]\n{\"a\": 3}\n");
  EXPECT_EQ(spark_->read().json(lines).count(), 3);
}

TEST_F(JsonReaderTest, DirectoriesGlobsAndSplitFiles) {
  std::string big;
  int64_t expected_sum = 0;
  for (int i = 0; i < 20000; ++i) {
    big += "{\"id\": " + std::to_string(i) + ", \"s\": \"" + std::string(static_cast<size_t>(i % 13), 'x') +
           "\"}\n";
    expected_sum += i;
  }
  write("dir/part-0.json", big);
  write("dir/part-1.json", "{\"id\": 100000}\n");
  spark_->conf().set("spark.sql.files.maxPartitionBytes", "65536");  // many splits of part-0
  auto df = spark_->read().json((dir_ / "dir").string());
  auto row = df.agg(count("*"), sum(col("id")), sum(length(col("s")))).collect()[0];
  int64_t expected_chars = 0;
  for (int i = 0; i < 20000; ++i) expected_chars += i % 13;
  EXPECT_EQ(row[0], Value::int64(20001));
  EXPECT_EQ(row[1], Value::int64(expected_sum + 100000));
  EXPECT_EQ(row[2], Value::int64(expected_chars));
  EXPECT_EQ(spark_->read().format("json").load((dir_ / "dir" / "part-1*").string()).count(), 1);
  spark_->conf().unset("spark.sql.files.maxPartitionBytes");
}

TEST_F(JsonReaderTest, DateAndTimestampFormats) {
  std::string path = write("f.json", "{\"d\": \"29/02/2024\", \"t\": \"2024-02-29 10:30\"}\n");
  auto df = spark_->read()
                .schema("d DATE, t TIMESTAMP")
                .option("dateFormat", "dd/MM/yyyy")
                .option("timestampFormat", "yyyy-MM-dd HH:mm")
                .json(path);
  EXPECT_EQ(rendered(df), (std::vector<std::string>{"2024-02-29 | 2024-02-29 10:30:00"}));
}

TEST_F(JsonReaderTest, NotJsonNamesFileAndLine) {
  std::string path = write("notjson.json", "{\"a\": 1}\nthis is not json\n");
  try {
    spark_->read().json(path);  // inference reads every record
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput);
    EXPECT_NE(std::string(e.what()).find(path + ", line 2"), std::string::npos) << e.what();
  }
  try {
    spark_->read().json((dir_ / "missing.json").string());
    FAIL() << "expected an error";
  } catch (const EmberError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.json"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ember
