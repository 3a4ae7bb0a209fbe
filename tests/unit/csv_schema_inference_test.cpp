#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "ember/common/error.h"
#include "ember/io/csv/csv_reader.h"

namespace ember {
namespace {

class CsvInferenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ember_csv_infer_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  FileInfo write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return {path, static_cast<int64_t>(text.size())};
  }

  Schema infer(const std::vector<FileInfo>& files, std::map<std::string, std::string> options) {
    return infer_csv_schema(files, CsvOptions::parse(options), *TimeZone::utc());
  }

  std::string dir_;
};

TEST_F(CsvInferenceTest, NamesFromHeaderOrGenerated) {
  auto f = write("a.csv", "id,Name,,name,x\n1,2,3,4,5\n");
  EXPECT_EQ(infer({f}, {{"header", "true"}}).to_ddl(),
            parse_ddl_schema("id STRING, Name1 STRING, _c2 STRING, name3 STRING, x STRING").to_ddl());
  EXPECT_EQ(infer({f}, {}).names(), (std::vector<std::string>{"_c0", "_c1", "_c2", "_c3", "_c4"}));
}

TEST_F(CsvInferenceTest, TypeLattice) {
  auto f = write("t.csv",
                 "i,l,dec,d,dt,ts,b,s,mix,empty,intdouble,datets\n"
                 "1,1,1,1.5,2024-01-31,2024-01-31 10:00:00,true,abc,1,,1,2024-01-31\n"
                 "2,3000000000,12345678901234567890,NaN,2024-02-01,2024-02-01T10:00:00Z,FALSE,x,true,,2.5,2024-02-01 10:00:00\n"
                 ",,,,,,,,,,,\n");
  Schema s = infer({f}, {{"header", "true"}, {"inferSchema", "true"}});
  std::vector<std::string> types;
  for (const auto& field : s.fields()) types.push_back(field.type.simple_string());
  EXPECT_EQ(types, (std::vector<std::string>{"int", "bigint", "decimal(20,0)", "double", "date", "timestamp",
                                             "boolean", "string", "string", "string", "double", "timestamp"}));
}

TEST_F(CsvInferenceTest, NullValueSamplingAndEveryFileHeader) {
  auto a = write("a.csv", "x,y\nNA,1\n");
  auto b = write("b.csv", "x,y\n2,NA\n");
  Schema s = infer({a, b}, {{"header", "true"}, {"inferSchema", "true"}, {"nullValue", "NA"}});
  EXPECT_EQ(s.to_ddl(), parse_ddl_schema("x INT, y INT").to_ddl());
  Schema sampled = infer({a, b}, {{"header", "true"}, {"inferSchema", "true"}, {"nullValue", "NA"},
                                  {"samplingRatio", "0.5"}});
  EXPECT_EQ(sampled.size(), 2u);
}

TEST_F(CsvInferenceTest, MergeRules) {
  CsvOptions o;
  EXPECT_EQ(csv_merge_inferred_types(DataType::int32(), DataType::int64(), o), DataType::int64());
  EXPECT_EQ(csv_merge_inferred_types(DataType::int64(), DataType::float64(), o), DataType::float64());
  EXPECT_EQ(csv_merge_inferred_types(DataType::int64(), DataType::decimal(5, 0), o), DataType::decimal(20, 0));
  EXPECT_EQ(csv_merge_inferred_types(DataType::decimal(38, 0), DataType::decimal(10, 5), o), DataType::float64());
  EXPECT_EQ(csv_merge_inferred_types(DataType::decimal(20, 0), DataType::float64(), o), DataType::float64());
  EXPECT_EQ(csv_merge_inferred_types(DataType::date(), DataType::timestamp(), o), DataType::timestamp());
  EXPECT_EQ(csv_merge_inferred_types(DataType::boolean(), DataType::int32(), o), DataType::string());
  CsvOptions custom = CsvOptions::parse({{"timestampFormat", "yyyy/MM/dd HH:mm"}});
  EXPECT_EQ(csv_merge_inferred_types(DataType::date(), DataType::timestamp(), custom), DataType::string());
}

TEST_F(CsvInferenceTest, NoDataIsAnAnalysisError) {
  auto empty = write("e.csv", "");
  try {
    infer({empty}, {});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
  }
}

}  // namespace
}  // namespace ember
