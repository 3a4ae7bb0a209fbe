// The pieces of ANALYZE TABLE that need no session: how bounds print (Spark's
// CatalogColumnStat.toExternalString: dates ISO, timestamps "yyyy-MM-dd HH:mm:ss.SSSSSS Z" in UTC
// (Spark 4.0.1 prints "... +0000"), floating point as Java's toString, decimals plain), how the catalog file
// stores them (exactly, round-tripping), Spark's default sizes and supported types, and the ANALYZE
// statement's grammar.
#include "ember/optimizer/cost/table_statistics.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/sql/parser.h"

namespace ember {
namespace {

TEST(TableStatisticsTest, BoundsPrintAsSparkStoresThem) {
  // Hand-checked against java.time / java.lang: 2024-03-17 is day 19799 since 1970-01-01.
  EXPECT_EQ(external_stat_value(Value::date(19799)), "2024-03-17");
  EXPECT_EQ(external_stat_value(Value::date(-1)), "1969-12-31");
  // 2024-01-01 10:00:00.5 UTC = 1704103200.5 s; before the epoch the fraction counts forward.
  EXPECT_EQ(external_stat_value(Value::timestamp(1704103200500000)), "2024-01-01 10:00:00.500000 +0000");
  EXPECT_EQ(external_stat_value(Value::timestamp(-1)), "1969-12-31 23:59:59.999999 +0000");
  EXPECT_EQ(external_stat_value(Value::float64(2.375)), "2.375");
  EXPECT_EQ(external_stat_value(Value::float64(1e7)), "1.0E7");
  EXPECT_EQ(external_stat_value(Value::float64(0.0)), "0.0");
  EXPECT_EQ(external_stat_value(Value::float32(0.1f)), "0.1");
  EXPECT_EQ(external_stat_value(Value::decimal(475, 10, 2)), "4.75");
  EXPECT_EQ(external_stat_value(Value::decimal(-5, 10, 3)), "-0.005");
  EXPECT_EQ(external_stat_value(Value::boolean(false)), "false");
  EXPECT_EQ(external_stat_value(Value::int64(-42)), "-42");
}

TEST(TableStatisticsTest, StoredBoundsRoundTripExactly) {
  const __int128 big = static_cast<__int128>(1) << 120;  // needs DECIMAL(38)
  const std::vector<Value> values = {Value::boolean(true),
                                     Value::byte(-128),
                                     Value::short_(32767),
                                     Value::int32(-2147483647 - 1),
                                     Value::int64(std::numeric_limits<int64_t>::max()),
                                     Value::float32(0.1f),
                                     Value::float64(0.1),
                                     Value::float64(-1e-300),
                                     Value::float64(std::numeric_limits<double>::infinity()),
                                     Value::decimal(big, 38, 5),
                                     Value::decimal(-12345, 7, 2),
                                     Value::date(-719162),
                                     Value::timestamp(-62135596800000000)};
  for (const Value& v : values) {
    SCOPED_TRACE(v.type().simple_string() + " " + v.to_string());
    std::optional<Value> back = decode_stat_value(encode_stat_value(v), v.type());
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->type(), v.type());
    EXPECT_EQ(*back, v);
  }
  std::optional<Value> nan =
      decode_stat_value(encode_stat_value(Value::float64(std::nan(""))), DataType::float64());
  ASSERT_TRUE(nan.has_value());
  EXPECT_TRUE(std::isnan(nan->as_double()));
  // Text that is not a value of the type is no bound (the catalog entry still loads).
  EXPECT_FALSE(decode_stat_value("12x", DataType::int32()).has_value());
  EXPECT_FALSE(decode_stat_value("", DataType::float64()).has_value());
  EXPECT_FALSE(decode_stat_value("yes", DataType::boolean()).has_value());
  EXPECT_FALSE(decode_stat_value("1000", DataType::decimal(3, 0)).has_value());
}

TEST(TableStatisticsTest, SparkDefaultSizesAndSupportedTypes) {
  // Spark's DataType.defaultSize.
  EXPECT_EQ(default_column_size(DataType::boolean()), 1);
  EXPECT_EQ(default_column_size(DataType::short_()), 2);
  EXPECT_EQ(default_column_size(DataType::int32()), 4);
  EXPECT_EQ(default_column_size(DataType::date()), 4);
  EXPECT_EQ(default_column_size(DataType::int64()), 8);
  EXPECT_EQ(default_column_size(DataType::timestamp()), 8);
  EXPECT_EQ(default_column_size(DataType::decimal(18, 2)), 8);
  EXPECT_EQ(default_column_size(DataType::decimal(19, 2)), 16);
  EXPECT_EQ(default_column_size(DataType::string()), 20);
  EXPECT_EQ(default_column_size(DataType::binary()), 100);
  EXPECT_TRUE(analyzable_column_type(DataType::binary()));
  EXPECT_TRUE(analyzable_column_type(DataType::timestamp()));
  EXPECT_FALSE(analyzable_column_type(DataType::array(DataType::int32())));
  EXPECT_FALSE(analyzable_column_type(DataType::year_month_interval()));
  EXPECT_FALSE(analyzable_column_type(DataType()));

  TableStatistics s;
  s.size_in_bytes = 1024;
  EXPECT_EQ(s.simple_string(), "1024 bytes");
  s.row_count = 10;
  EXPECT_EQ(s.simple_string(), "1024 bytes, 10 rows");
}

sql::Statement parse(const std::string& text) {
  return sql::Parser(text, nullptr).parse_standalone_statement();
}

TEST(TableStatisticsTest, AnalyzeGrammar) {
  sql::Statement s = parse("ANALYZE TABLE t COMPUTE STATISTICS");
  EXPECT_EQ(s.kind, sql::StatementKind::kAnalyzeTable);
  EXPECT_EQ(s.name, "t");
  EXPECT_FALSE(s.noscan);
  EXPECT_TRUE(s.columns.empty());
  EXPECT_FALSE(s.all_columns);
  EXPECT_TRUE(parse("analyze table t compute statistics noscan;").noscan);
  s = parse("ANALYZE TABLE `my t` COMPUTE STATISTICS FOR COLUMNS a, `b c`");
  EXPECT_EQ(s.name, "my t");
  EXPECT_EQ(s.columns, (std::vector<std::string>{"a", "b c"}));
  EXPECT_TRUE(parse("ANALYZE TABLE t COMPUTE STATISTICS FOR ALL COLUMNS").all_columns);
  s = parse("ANALYZE TABLES IN default COMPUTE STATISTICS NOSCAN");
  EXPECT_EQ(s.kind, sql::StatementKind::kAnalyzeTables);
  EXPECT_EQ(s.name, "default");
  EXPECT_TRUE(s.noscan);
  EXPECT_EQ(parse("ANALYZE TABLES FROM db COMPUTE STATISTICS").name, "db");
  for (const char* bad :
       {"ANALYZE t COMPUTE STATISTICS", "ANALYZE TABLE t COMPUTE", "ANALYZE TABLE t COMPUTE STATISTICS FOR",
        "ANALYZE TABLE t COMPUTE STATISTICS FOR COLUMNS",
        "ANALYZE TABLES COMPUTE STATISTICS FOR ALL COLUMNS"}) {
    SCOPED_TRACE(bad);
    try {
      parse(bad);
      ADD_FAILURE() << "parsed";
    } catch (const EmberError& e) {
      EXPECT_EQ(e.error_class(), "PARSE_SYNTAX_ERROR");
    }
  }
}

}  // namespace
}  // namespace ember
