#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ember/common/error.h"
#include "ember/io/csv/csv_reader.h"
#include "ember/io/csv/csv_writer.h"
#include "ember/types/temporal.h"

namespace ember {
namespace {

class CsvWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ember_csv_writer_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string write_batch(const Schema& schema, const std::vector<VectorPtr>& cols, size_t rows,
                          std::map<std::string, std::string> options, const TimeZone& tz = *TimeZone::utc()) {
    std::string path = dir_ + "/out" + std::to_string(counter_++) + ".csv";
    CsvWriter writer(path, schema, CsvOptions::parse(options), tz);
    writer.write(Batch(cols, rows));
    writer.close();
    return slurp(path);
  }

  std::string dir_;
  int counter_ = 0;
};

TEST_F(CsvWriterTest, QuotingNullsAndEmptyStrings) {
  Schema schema = parse_ddl_schema("s STRING, i INT");
  auto s = Vector::from_values(DataType::string(), {Value::string("plain"), Value::string("a,b"),
                                                    Value::string("say \"hi\""), Value::string("two\nlines"),
                                                    Value::string(""), Value::null(DataType::string()),
                                                    Value::string("  padded  "), Value::string("back\\slash"),
                                                    Value::string("\"starts"), Value::string("#hash")});
  auto i = Vector::from_values(DataType::int32(), {Value::int32(1), Value::int32(-2), Value::null(DataType::int32()),
                                                   Value::int32(4), Value::int32(5), Value::int32(6), Value::int32(7),
                                                   Value::int32(8), Value::int32(9), Value::int32(10)});
  std::string out = write_batch(schema, {s, i}, 10, {{"header", "true"}});
  EXPECT_EQ(out,
            "s,i\n"
            "plain,1\n"
            "\"a,b\",-2\n"
            "\"say \\\"hi\\\"\",\n"
            "\"two\nlines\",4\n"
            "\"\",5\n"
            ",6\n"
            "padded,7\n"
            "back\\slash,8\n"
            "\"\\\"starts\",9\n"
            "\"#hash\",10\n");
}

TEST_F(CsvWriterTest, OptionsChangeTheOutput) {
  Schema schema = parse_ddl_schema("s STRING, i INT");
  auto s = Vector::from_values(DataType::string(), {Value::string(" x "), Value::null(DataType::string())});
  auto i = Vector::from_values(DataType::int32(), {Value::int32(1), Value::int32(2)});
  EXPECT_EQ(write_batch(schema, {s, i}, 2, {{"quoteAll", "true"}}), "\"x\",\"1\"\n\"\",\"2\"\n");
  EXPECT_EQ(write_batch(schema, {s, i}, 2,
                        {{"sep", ";"}, {"nullValue", "NULL"}, {"ignoreLeadingWhiteSpace", "false"},
                         {"ignoreTrailingWhiteSpace", "false"}, {"lineSep", "\r\n"}}),
            " x ;1\r\nNULL;2\r\n");
  auto q = Vector::from_values(DataType::string(), {Value::string("a\"b"), Value::string("")});
  EXPECT_EQ(write_batch(schema, {q, i}, 2, {{"escapeQuotes", "false"}, {"emptyValue", "EMPTY"}}), "a\"b,1\nEMPTY,2\n");
}

TEST_F(CsvWriterTest, NumbersDatesAndTimestamps) {
  Schema schema = parse_ddl_schema("d DOUBLE, m DECIMAL(10,2), b BOOLEAN, dt DATE, ts TIMESTAMP, l BIGINT");
  int32_t day = days_from_civil(2024, 1, 31);
  int64_t ts = static_cast<int64_t>(day) * kMicrosPerDay + (13 * 3600 + 45 * 60) * kMicrosPerSecond + 123000;
  auto d = Vector::from_values(DataType::float64(), {Value::float64(1.0), Value::float64(1e7)});
  auto m = Vector::from_values(DataType::decimal(10, 2), {Value::decimal(-12345, 10, 2), Value::decimal(5, 10, 2)});
  auto b = Vector::from_values(DataType::boolean(), {Value::boolean(true), Value::boolean(false)});
  auto dt = Vector::from_values(DataType::date(), {Value::date(day), Value::null(DataType::date())});
  auto t = Vector::from_values(DataType::timestamp(), {Value::timestamp(ts), Value::timestamp(0)});
  auto l = Vector::from_values(DataType::int64(), {Value::int64(INT64_MIN), Value::int64(0)});
  EXPECT_EQ(write_batch(schema, {d, m, b, dt, t, l}, 2, {}),
            "1.0,-123.45,true,2024-01-31,2024-01-31T13:45:00.123Z,-9223372036854775808\n"
            "1.0E7,0.05,false,,1970-01-01T00:00:00.000Z,0\n");
  EXPECT_EQ(write_batch(schema, {d, m, b, dt, t, l}, 1,
                        {{"dateFormat", "dd/MM/yyyy"}, {"timestampFormat", "yyyy-MM-dd HH:mm:ss"}},
                        *TimeZone::find("+08:00")),
            "1.0,-123.45,true,31/01/2024,2024-01-31 21:45:00,-9223372036854775808\n");
}

TEST_F(CsvWriterTest, WrittenFileReadsBack) {
  Schema schema = parse_ddl_schema("s STRING, i INT");
  auto s = Vector::from_values(DataType::string(), {Value::string("a,\"b\"\nc"), Value::string("x\\y"),
                                                    Value::null(DataType::string())});
  auto i = Vector::from_values(DataType::int32(), {Value::int32(1), Value::null(DataType::int32()), Value::int32(3)});
  std::string path = dir_ + "/rt.csv";
  CsvOptions o = CsvOptions::parse({{"header", "true"}});
  CsvWriter writer(path, schema, o, *TimeZone::utc());
  writer.write(Batch({s, i}, 3));
  writer.close();
  int64_t size = static_cast<int64_t>(std::filesystem::file_size(path));
  CsvSplitReader reader({path, 0, size, size}, schema, {0, 1}, o, *TimeZone::utc());
  Batch batch;
  ASSERT_TRUE(reader.next(batch));
  ASSERT_EQ(batch.num_rows, 3u);
  EXPECT_EQ(batch.columns[0]->value_at(0), Value::string("a,\"b\"\nc"));
  EXPECT_EQ(batch.columns[0]->value_at(1), Value::string("x\\y"));
  EXPECT_TRUE(batch.columns[0]->value_at(2).is_null());
  EXPECT_TRUE(batch.columns[1]->value_at(1).is_null());
}

TEST_F(CsvWriterTest, UnwritablePathIsAnIoErrorNamingThePath) {
  Schema schema = parse_ddl_schema("s STRING");
  std::string path = dir_ + "/missing_dir/out.csv";
  try {
    CsvWriter writer(path, schema, CsvOptions::parse({}), *TimeZone::utc());
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
  if (std::filesystem::exists("/dev/full")) {
    CsvWriter writer("/dev/full", schema, CsvOptions::parse({}), *TimeZone::utc());
    auto s = Vector::from_values(DataType::string(), {Value::string("x")});
    writer.write(Batch({s}, 1));
    try {
      writer.close();
      FAIL();
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIo);
      EXPECT_NE(std::string(e.what()).find("/dev/full"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace ember
