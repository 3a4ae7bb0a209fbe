#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "ember/common/error.h"
#include "ember/io/csv/csv_reader.h"
#include "ember/types/temporal.h"

namespace ember {
namespace {

using CsvRow = std::vector<Value>;

void check_split_reads(const std::string& path, const Schema& schema, const CsvOptions& o,
                       const std::vector<CsvRow>& expected, int seed, int trials) {
  std::mt19937 rng(static_cast<unsigned>(seed));
  int64_t size = static_cast<int64_t>(std::filesystem::file_size(path));
  for (int trial = 0; trial < trials; ++trial) {
    int64_t max_split = std::uniform_int_distribution<int64_t>(size / 300, size / 2)(rng);
    auto splits = plan_csv_splits({{path, size}}, o, max_split);
    std::vector<CsvRow> got;
    int64_t previous_end = -1;
    for (const auto& split : splits) {
      CsvSplitReader reader(split, schema, {0, 1, 2}, o, *TimeZone::utc());
      Batch batch;
      while (reader.next(batch)) {
        for (size_t r = 0; r < batch.num_rows; ++r) {
          got.push_back({batch.columns[0]->value_at(r), batch.columns[1]->value_at(r), batch.columns[2]->value_at(r)});
        }
      }
      if (previous_end >= 0) {
        EXPECT_EQ(reader.record_start(), previous_end);
      }
      previous_end = reader.record_end();
    }
    EXPECT_EQ(previous_end, size);
    ASSERT_EQ(got, expected) << "max_split=" << max_split;
  }
}

class CsvReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ember_csv_reader_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  static CsvSplit whole(const std::string& path) {
    auto size = static_cast<int64_t>(std::filesystem::file_size(path));
    return {path, 0, size, size};
  }

  // All rows of a split as Values, projected columns only.
  static std::vector<CsvRow> read_split(const CsvSplit& split, const Schema& schema, std::vector<int> projection,
                                     const CsvOptions& options) {
    CsvSplitReader reader(split, schema, std::move(projection), options, *TimeZone::utc());
    std::vector<CsvRow> rows;
    Batch batch;
    while (reader.next(batch)) {
      for (size_t r = 0; r < batch.num_rows; ++r) {
        CsvRow row;
        for (const auto& col : batch.columns) row.push_back(col->value_at(r));
        rows.push_back(std::move(row));
      }
    }
    return rows;
  }

  static std::vector<CsvRow> read_all(const std::string& path, const Schema& schema, const CsvOptions& options) {
    std::vector<int> projection;
    for (size_t i = 0; i < schema.size(); ++i) projection.push_back(static_cast<int>(i));
    return read_split(whole(path), schema, projection, options);
  }

  static CsvOptions opts(std::map<std::string, std::string> m = {}) { return CsvOptions::parse(m); }

  std::string dir_;
};

Value S(const char* s) { return Value::string(s); }
Value NS() { return Value::null(DataType::string()); }

TEST_F(CsvReaderTest, OptionsParseCaseInsensitivelyAndRejectBadValues) {
  CsvOptions o = CsvOptions::parse({{"HEADER", "True"}, {"Sep", ";"}, {"MODE", "dropMalformed"},
                                    {"nullValue", "NA"}, {"someUnknownOption", "x"}, {"delimiter", ";"}});
  EXPECT_TRUE(o.header);
  EXPECT_EQ(o.sep, ';');
  EXPECT_EQ(o.mode, CsvOptions::Mode::kDropMalformed);
  EXPECT_EQ(o.null_value, "NA");
  EXPECT_EQ(CsvOptions::parse({}).mode, CsvOptions::Mode::kFailFast);
  EXPECT_EQ(CsvOptions::parse({{"sep", "\\t"}}).sep, '\t');
  EXPECT_EQ(CsvOptions::parse({{"quote", ""}}).quote, '\0');
  EXPECT_FALSE(CsvOptions::parse({{"ignoreLeadingWhiteSpace", "false"}}).ignore_leading_white_space_in_write);
  EXPECT_TRUE(CsvOptions::parse({}).ignore_trailing_white_space_in_write);
  try {
    CsvOptions::parse({{"header", "yes"}});
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIllegalArgument);
    EXPECT_NE(std::string(e.what()).find("header"), std::string::npos);
  }
  EXPECT_THROW(CsvOptions::parse({{"mode", "lenient"}}), EmberError);
  EXPECT_THROW(CsvOptions::parse({{"sep", ";;"}}), EmberError);
  EXPECT_THROW(CsvOptions::parse({{"samplingRatio", "0"}}), EmberError);
}

TEST_F(CsvReaderTest, ReadsHeaderlessAndHeaderFiles) {
  Schema schema = parse_ddl_schema("a INT, b STRING");
  auto path = write("x.csv", "1,x\n2,y\n");
  EXPECT_EQ(read_all(path, schema, opts()), (std::vector<CsvRow>{{Value::int32(1), S("x")}, {Value::int32(2), S("y")}}));
  auto with_header = write("h.csv", "a,b\n1,x\n");
  EXPECT_EQ(read_all(with_header, schema, opts({{"header", "true"}})), (std::vector<CsvRow>{{Value::int32(1), S("x")}}));
  // No trailing newline at the end of the file.
  auto no_nl = write("n.csv", "1,x\n2,y");
  EXPECT_EQ(read_all(no_nl, schema, opts()).size(), 2u);
}

TEST_F(CsvReaderTest, SeparatorQuoteEscapeAndQuotedNewlines) {
  Schema schema = parse_ddl_schema("a STRING, b STRING");
  auto path = write("q.csv",
                    "\"x,1\",\"line1\nline2\"\n"
                    "\"say \"\"hi\"\"\",\"back\\\"slash\"\n"
                    "plain\"quote,\"a\\\\b\"\n"
                    "\"after\" ,\"x\"tail\n");
  auto rows = read_all(path, schema, opts());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (CsvRow{S("x,1"), S("line1\nline2")}));
  EXPECT_EQ(rows[1], (CsvRow{S("say \"hi\""), S("back\"slash")}));
  EXPECT_EQ(rows[2], (CsvRow{S("plain\"quote"), S("a\\b")}));
  EXPECT_EQ(rows[3], (CsvRow{S("after"), S("x\"tail")}));

  auto semi = write("s.csv", "'a;b';c\n");
  EXPECT_EQ(read_all(semi, schema, opts({{"sep", ";"}, {"quote", "'"}})), (std::vector<CsvRow>{{S("a;b"), S("c")}}));
  auto tabs = write("t.tsv", "a\tb\n");
  EXPECT_EQ(read_all(tabs, schema, opts({{"sep", "\t"}})), (std::vector<CsvRow>{{S("a"), S("b")}}));
}

TEST_F(CsvReaderTest, CrlfBomCommentsAndBlankLines) {
  Schema schema = parse_ddl_schema("a INT, b STRING");
  auto path = write("c.csv", "\xEF\xBB\xBF" "a,b\r\n1,x\r\n\r\n# note\r\n   \r\n2,\"y\r\nz\"\r\n");
  auto rows = read_all(path, schema, opts({{"header", "true"}, {"comment", "#"}}));
  EXPECT_EQ(rows, (std::vector<CsvRow>{{Value::int32(1), S("x")}, {Value::int32(2), S("y\r\nz")}}));
  // Without a header the BOM must not stick to the first value.
  auto bom = write("b.csv", "\xEF\xBB\xBF" "7,x\n");
  EXPECT_EQ(read_all(bom, schema, opts()), (std::vector<CsvRow>{{Value::int32(7), S("x")}}));
  // A lone \r also ends a record.
  auto cr = write("r.csv", "1,x\r2,y\r");
  EXPECT_EQ(read_all(cr, schema, opts()).size(), 2u);
}

TEST_F(CsvReaderTest, NullValueAndEmptyStrings) {
  Schema schema = parse_ddl_schema("a STRING, b INT, c STRING");
  auto path = write("n.csv", ",,\"\"\nNA,NA,\"NA\"\n");
  // Spark's defaults: nullValue "" and emptyValue "" make both empty and "" null.
  auto rows = read_all(path, schema, opts({{"mode", "PERMISSIVE"}}));
  EXPECT_EQ(rows[0], (CsvRow{NS(), Value::null(DataType::int32()), NS()}));
  EXPECT_EQ(rows[1][0], S("NA"));
  // nullValue NA: unquoted empty is still null, "" is the empty string, NA (quoted or not) is null.
  rows = read_all(path, schema, opts({{"nullValue", "NA"}}));
  EXPECT_EQ(rows[0], (CsvRow{NS(), Value::null(DataType::int32()), S("")}));
  EXPECT_EQ(rows[1], (CsvRow{NS(), Value::null(DataType::int32()), NS()}));
  // emptyValue replaces "" when it is not the null value.
  rows = read_all(path, schema, opts({{"nullValue", "NA"}, {"emptyValue", "<empty>"}}));
  EXPECT_EQ(rows[0][2], S("<empty>"));
}

TEST_F(CsvReaderTest, TypedConversion) {
  Schema schema = parse_ddl_schema(
      "t TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE, m DECIMAL(10,2), b BOOLEAN, dt DATE, ts TIMESTAMP");
  auto path = write("t.csv",
                    "-128,32767,-2147483648,9223372036854775807,1.5,-2.25e3,123.456,TRUE,2024-02-29,2024-01-31 13:45:00\n"
                    "+1,0,007,-1,NaN,Infinity,-0.5,false,2024-3-5,2024-01-31T13:45:00.123456Z\n"
                    "1,1,1,1,Inf,-Inf,1,False,2024,2024-01-31\n");
  auto rows = read_all(path, schema, opts());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], Value::byte(-128));
  EXPECT_EQ(rows[0][1], Value::short_(32767));
  EXPECT_EQ(rows[0][2], Value::int32(INT32_MIN));
  EXPECT_EQ(rows[0][3], Value::int64(INT64_MAX));
  EXPECT_EQ(rows[0][4], Value::float32(1.5f));
  EXPECT_EQ(rows[0][5], Value::float64(-2250.0));
  EXPECT_EQ(rows[0][6], Value::decimal(12346, 10, 2));  // HALF_UP
  EXPECT_EQ(rows[0][7], Value::boolean(true));
  EXPECT_EQ(rows[0][8], Value::date(days_from_civil(2024, 2, 29)));
  int64_t base = static_cast<int64_t>(days_from_civil(2024, 1, 31)) * kMicrosPerDay;
  EXPECT_EQ(rows[0][9], Value::timestamp(base + (13 * 3600 + 45 * 60) * kMicrosPerSecond));
  EXPECT_EQ(rows[1][0], Value::byte(1));
  EXPECT_EQ(rows[1][2], Value::int32(7));
  EXPECT_TRUE(std::isnan(rows[1][4].as_double()));
  EXPECT_EQ(rows[1][5], Value::float64(INFINITY));
  EXPECT_EQ(rows[1][7], Value::boolean(false));
  EXPECT_EQ(rows[1][8], Value::date(days_from_civil(2024, 3, 5)));  // lenient CAST rules when unset
  EXPECT_EQ(rows[1][9], Value::timestamp(base + (13 * 3600 + 45 * 60) * kMicrosPerSecond + 123456));
  EXPECT_EQ(rows[2][4], Value::float32(INFINITY));
  EXPECT_EQ(rows[2][5], Value::float64(-INFINITY));
  EXPECT_EQ(rows[2][8], Value::date(days_from_civil(2024, 1, 1)));
  EXPECT_EQ(rows[2][9], Value::timestamp(base));
}

TEST_F(CsvReaderTest, CustomDateAndTimestampFormatsAndTimeZone) {
  Schema schema = parse_ddl_schema("d DATE, ts TIMESTAMP");
  auto path = write("f.csv", "31/01/2024,31/01/2024 10:00\n2024-01-31,x\n");
  auto o = opts({{"dateFormat", "dd/MM/yyyy"}, {"timestampFormat", "dd/MM/yyyy HH:mm"}, {"mode", "PERMISSIVE"},
                 {"timeZone", "+02:00"}});
  auto rows = read_all(path, schema, o);
  EXPECT_EQ(rows[0][0], Value::date(days_from_civil(2024, 1, 31)));
  int64_t midnight = static_cast<int64_t>(days_from_civil(2024, 1, 31)) * kMicrosPerDay;
  EXPECT_EQ(rows[0][1], Value::timestamp(midnight + 8 * 3600 * kMicrosPerSecond));
  // With an explicit dateFormat there is no lenient fallback.
  EXPECT_TRUE(rows[1][0].is_null());
}

TEST_F(CsvReaderTest, IntegerOverflowAndGarbageAreMalformed) {
  Schema schema = parse_ddl_schema("i INT, b BOOLEAN");
  auto path = write("o.csv", "2147483648,yes\n 1,true\n");
  auto rows = read_all(path, schema, opts({{"mode", "PERMISSIVE"}}));
  EXPECT_EQ(rows, (std::vector<CsvRow>{{Value::null(DataType::int32()), Value::null(DataType::boolean())},
                                    {Value::null(DataType::int32()), Value::boolean(true)}}));
}

TEST_F(CsvReaderTest, FailFastNamesFileLineColumnAndValue) {
  Schema schema = parse_ddl_schema("id INT, amount INT");
  auto bad = write("bad.csv", "1,2\n\"a\nb\",3\n4,abc\n");
  try {
    read_all(bad, schema, opts({{"mode", "FAILFAST"}}));
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput);
    EXPECT_EQ(e.error_class(), "MALFORMED_RECORD_IN_PARSING");
    std::string msg = e.what();
    // CsvRow 2 ("a\nb") fails first, on column id at line 2.
    EXPECT_NE(msg.find(bad + ", line 2: cannot parse 'a\nb' as int for column 'id'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("mode=PERMISSIVE"), std::string::npos);
  }
  auto bad2 = write("bad2.csv", "1,2\n\"a\nb\",3\n4,abc\n");
  Schema strings = parse_ddl_schema("id STRING, amount INT");
  try {
    read_all(bad2, strings, opts());
    FAIL();
  } catch (const EmberError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("line 4: cannot parse 'abc' as int for column 'amount'"), std::string::npos) << msg;
  }
  auto short_row = write("short.csv", "1,2\n3\n");
  try {
    read_all(short_row, schema, opts());
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2: expected 2 fields but found 1"), std::string::npos) << e.what();
  }
  auto open_quote = write("open.csv", "1,2\n3,\"4\n");
  EXPECT_THROW(read_all(open_quote, schema, opts()), EmberError);
}

TEST_F(CsvReaderTest, PermissiveAndDropMalformed) {
  Schema schema = parse_ddl_schema("a INT, b INT");
  auto path = write("m.csv", "1,2\n3\n4,5,6\nx,7\n8,9\n");
  auto permissive = read_all(path, schema, opts({{"mode", "PERMISSIVE"}}));
  Value null_int = Value::null(DataType::int32());
  EXPECT_EQ(permissive, (std::vector<CsvRow>{{Value::int32(1), Value::int32(2)},
                                          {Value::int32(3), null_int},
                                          {Value::int32(4), Value::int32(5)},
                                          {null_int, Value::int32(7)},
                                          {Value::int32(8), Value::int32(9)}}));
  auto dropped = read_all(path, schema, opts({{"mode", "DROPMALFORMED"}}));
  EXPECT_EQ(dropped, (std::vector<CsvRow>{{Value::int32(1), Value::int32(2)}, {Value::int32(8), Value::int32(9)}}));
  // Only projected columns are checked for bad values (as with Spark's column pruning).
  auto only_b = read_split(whole(path), schema, {1}, opts({{"mode", "DROPMALFORMED"}}));
  EXPECT_EQ(only_b, (std::vector<CsvRow>{{Value::int32(2)}, {Value::int32(7)}, {Value::int32(9)}}));
}

TEST_F(CsvReaderTest, ProjectionReadsOnlyRequestedColumnsInRequestedOrder) {
  Schema schema = parse_ddl_schema("a INT, b STRING, c DOUBLE");
  auto path = write("p.csv", "1,\"x,y\",1.5\n2,z,2.5\n");
  auto rows = read_split(whole(path), schema, {2, 0}, opts());
  EXPECT_EQ(rows, (std::vector<CsvRow>{{Value::float64(1.5), Value::int32(1)}, {Value::float64(2.5), Value::int32(2)}}));
  CsvSplitReader reader(whole(path), schema, {}, opts(), *TimeZone::utc());
  Batch batch;
  ASSERT_TRUE(reader.next(batch));
  EXPECT_EQ(batch.num_columns(), 0u);
  EXPECT_EQ(batch.num_rows, 2u);
  EXPECT_FALSE(reader.next(batch));
  EXPECT_EQ(reader.rows_read(), 2);
}

TEST_F(CsvReaderTest, ManyBatchesAndWhitespaceOptions) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += std::to_string(i) + ", v" + std::to_string(i) + " \n";
  auto path = write("big.csv", text);
  Schema schema = parse_ddl_schema("a INT, b STRING");
  auto rows = read_all(path, schema, opts({{"ignoreLeadingWhiteSpace", "true"}, {"ignoreTrailingWhiteSpace", "true"}}));
  ASSERT_EQ(rows.size(), 10000u);
  EXPECT_EQ(rows[9999], (CsvRow{Value::int32(9999), S("v9999")}));
  auto untrimmed = read_all(path, schema, opts());
  EXPECT_EQ(untrimmed[5][1], S(" v5 "));
}

TEST_F(CsvReaderTest, SplitsReadExactlyTheRowsOfAWholeFileRead) {
  std::mt19937 rng(42);
  std::string text = "id,name,score\n";
  for (int i = 0; i < 3000; ++i) {
    std::string name = "n" + std::to_string(i);
    if (i % 7 == 0) name = "\"quoted, " + name + "\"";
    text += std::to_string(i) + "," + name + "," + std::to_string(i * 0.5) + (i % 5 == 0 ? "\r\n" : "\n");
  }
  auto path = write("split.csv", text);
  Schema schema = parse_ddl_schema("id INT, name STRING, score DOUBLE");
  CsvOptions o = opts({{"header", "true"}});
  auto expected = read_all(path, schema, o);
  ASSERT_EQ(expected.size(), 3000u);
  check_split_reads(path, schema, o, expected, 3, 60);
  // A small file cut into splits of every size from 1 byte up.
  std::string small = "id,name,score\n1,\"a\nb\",1.5\r\n2,x,2\r\n\r\n3,\"y,z\",3\n4,w,4";
  auto small_path = write("small.csv", small);
  CsvOptions po = opts({{"header", "true"}, {"mode", "PERMISSIVE"}});
  auto small_expected = read_all(small_path, schema, po);
  ASSERT_EQ(small_expected.size(), 4u);
  for (int64_t max_split = 1; max_split <= static_cast<int64_t>(small.size()); ++max_split) {
    auto splits = plan_csv_splits({{small_path, static_cast<int64_t>(small.size())}}, po, max_split);
    std::vector<CsvRow> got;
    int64_t previous_end = -1;
    bool continuous = true;
    for (const auto& split : splits) {
      CsvSplitReader reader(split, schema, {0, 1, 2}, po, *TimeZone::utc());
      Batch batch;
      while (reader.next(batch)) {
        for (size_t r = 0; r < batch.num_rows; ++r) {
          got.push_back({batch.columns[0]->value_at(r), batch.columns[1]->value_at(r), batch.columns[2]->value_at(r)});
        }
      }
      if (previous_end >= 0 && reader.record_start() != previous_end) continuous = false;
      previous_end = reader.record_end();
    }
    // Either the splits line up and the rows are exact, or the quoted newline was detected.
    if (continuous) {
      EXPECT_EQ(got, small_expected) << "max_split=" << max_split;
    }
  }
}

TEST_F(CsvReaderTest, PlanSplits) {
  CsvOptions o = opts();
  auto splits = plan_csv_splits({{"a", 250}, {"b", 0}, {"c", 10}}, o, 100);
  ASSERT_EQ(splits.size(), 4u);
  EXPECT_EQ(splits[0].start, 0);
  EXPECT_EQ(splits[1].start, 100);
  EXPECT_EQ(splits[2].start, 200);
  EXPECT_EQ(splits[2].length, 50);
  EXPECT_EQ(splits[3].path, "c");
  EXPECT_EQ(plan_csv_splits({{"a", 250}}, opts({{"multiLine", "true"}}), 100).size(), 1u);
  EXPECT_EQ(plan_csv_splits({{"a", 105}}, o, 100).size(), 1u);  // no sliver split
}

TEST_F(CsvReaderTest, DetectsQuotedNewlineStraddlingASplitBoundary) {
  std::string text = "1,\"first\nsecond\",x\n2,plain,y\n";
  auto path = write("straddle.csv", text);
  Schema schema = parse_ddl_schema("a STRING, b STRING, c STRING");
  int64_t size = static_cast<int64_t>(text.size());
  int64_t cut = static_cast<int64_t>(text.find("second"));  // inside the quoted field, after its newline
  CsvOptions o = opts({{"mode", "PERMISSIVE"}});
  CsvSplitReader first({path, 0, cut, size}, schema, {0, 1, 2}, o, *TimeZone::utc());
  Batch batch;
  int64_t rows = 0;
  while (first.next(batch)) rows += static_cast<int64_t>(batch.num_rows);
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(first.record_end(), static_cast<int64_t>(text.find("2,plain")));
  CsvSplitReader second({path, cut, size - cut, size}, schema, {0, 1, 2}, o, *TimeZone::utc());
  while (second.next(batch)) {
  }
  EXPECT_EQ(second.record_start(), cut);  // "second..." looks like a line start
  EXPECT_NE(second.record_start(), first.record_end());
  try {
    check_csv_split_continuity(path, first.record_end(), second.record_start());
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kMalformedInput);
    EXPECT_NE(std::string(e.what()).find("multiLine=true"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(check_csv_split_continuity(path, 10, 10));
}

TEST_F(CsvReaderTest, MissingFileIsAnIoError) {
  Schema schema = parse_ddl_schema("a STRING");
  try {
    CsvSplitReader reader({dir_ + "/nope.csv", 0, 10, 10}, schema, {0}, opts(), *TimeZone::utc());
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find("nope.csv"), std::string::npos);
  }
}

TEST_F(CsvReaderTest, CustomLineSeparator) {
  Schema schema = parse_ddl_schema("a STRING, b STRING");
  auto path = write("ls.csv", "a,b|c,\"d|e\"|");
  EXPECT_EQ(read_all(path, schema, opts({{"lineSep", "|"}})),
            (std::vector<CsvRow>{{S("a"), S("b")}, {S("c"), S("d|e")}}));
}

}  // namespace
}  // namespace ember

namespace ember {
namespace {

TEST(CsvDoubleParsing, FastPathMatchesCorrectRounding) {
  char tmpl[] = "/tmp/ember_csv_double_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/d.csv";
  std::ofstream(path) << "0.1\n-0\n123456789012345.6\n1234567890123456789\n5.\n.25\n+1.5\n1.5d\n 2 \n";
  auto size = static_cast<int64_t>(std::filesystem::file_size(path));
  CsvSplitReader reader({path, 0, size, size}, parse_ddl_schema("d DOUBLE"), {0}, CsvOptions(), *TimeZone::utc());
  Batch batch;
  ASSERT_TRUE(reader.next(batch));
  const double* d = batch.columns[0]->values<double>();
  EXPECT_EQ(d[0], 0.1);
  EXPECT_TRUE(std::signbit(d[1]));
  EXPECT_EQ(d[2], 123456789012345.6);
  EXPECT_EQ(d[3], 1234567890123456789.0);
  EXPECT_EQ(d[4], 5.0);
  EXPECT_EQ(d[5], 0.25);
  EXPECT_EQ(d[6], 1.5);
  EXPECT_EQ(d[7], 1.5);
  EXPECT_EQ(d[8], 2.0);  // Double.parseDouble trims
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace ember
