#include "ember/types/value_format.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"
#include "ember/types/value.h"

namespace ember {
namespace {

TEST(FormatDouble, MatchesJavaDoubleToString) {
  EXPECT_EQ(format_double(1.0), "1.0");
  EXPECT_EQ(format_double(100.0), "100.0");
  EXPECT_EQ(format_double(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_double(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(format_double(0.001), "0.001");
  EXPECT_EQ(format_double(0.0001), "1.0E-4");
  EXPECT_EQ(format_double(1.234e-5), "1.234E-5");
  EXPECT_EQ(format_double(9999999.0), "9999999.0");
  EXPECT_EQ(format_double(1e7), "1.0E7");
  EXPECT_EQ(format_double(123456789.0), "1.23456789E8");
  EXPECT_EQ(format_double(12345.678), "12345.678");
  EXPECT_EQ(format_double(-2.5), "-2.5");
  EXPECT_EQ(format_double(0.0), "0.0");
  EXPECT_EQ(format_double(-0.0), "-0.0");
  EXPECT_EQ(format_double(std::nan("")), "NaN");
  EXPECT_EQ(format_double(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(format_double(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(format_double(std::numeric_limits<double>::max()), "1.7976931348623157E308");
  EXPECT_EQ(format_double(std::numeric_limits<double>::denorm_min()), "4.9E-324");
  EXPECT_EQ(format_double(std::numeric_limits<double>::min()), "2.2250738585072014E-308");
  EXPECT_EQ(format_double(1e21), "1.0E21");
  EXPECT_EQ(format_double(-1.5e-7), "-1.5E-7");
  EXPECT_EQ(format_double(1e23), "1.0E23");
  std::string out = "v=";
  append_double(out, 42.0);
  EXPECT_EQ(out, "v=42.0");
}

TEST(FormatFloat, MatchesJavaFloatToString) {
  EXPECT_EQ(format_float(0.1f), "0.1");
  EXPECT_EQ(format_float(1.0f / 3), "0.33333334");
  EXPECT_EQ(format_float(1e10f), "1.0E10");
  EXPECT_EQ(format_float(3.14f), "3.14");
  EXPECT_EQ(format_float(100.0f), "100.0");
  EXPECT_EQ(format_float(std::numeric_limits<float>::max()), "3.4028235E38");
  EXPECT_EQ(format_float(std::numeric_limits<float>::denorm_min()), "1.4E-45");
  EXPECT_EQ(format_float(-0.0f), "-0.0");
  EXPECT_EQ(format_float(std::nanf("")), "NaN");
  EXPECT_EQ(format_float(1.0e-3f), "0.001");
}

TEST(ValueToString, MatchesSparkShow) {
  EXPECT_EQ(Value().to_string(), "NULL");
  EXPECT_EQ(Value::null(DataType::int32()).to_string(), "NULL");
  EXPECT_EQ(Value::boolean(true).to_string(), "true");
  EXPECT_EQ(Value::boolean(false).to_string(), "false");
  EXPECT_EQ(Value::byte(-8).to_string(), "-8");
  EXPECT_EQ(Value::int64(9'000'000'000LL).to_string(), "9000000000");
  EXPECT_EQ(Value::float64(1e7).to_string(), "1.0E7");
  EXPECT_EQ(Value::float32(0.1f).to_string(), "0.1");  // not 0.10000000149011612
  EXPECT_EQ(Value::decimal(150, 10, 2).to_string(), "1.50");
  EXPECT_EQ(Value::decimal(-5, 10, 3).to_string(), "-0.005");
  EXPECT_EQ(Value::string("it's").to_string(), "it's");
  EXPECT_EQ(Value::binary(std::string("\x01\x02\xff", 3)).to_string(), "[01 02 FF]");
  EXPECT_EQ(Value::binary("").to_string(), "[]");
  EXPECT_EQ(Value::date(19782).to_string(), "2024-02-29");
  EXPECT_EQ(Value::date(-1).to_string(), "1969-12-31");
  EXPECT_EQ(Value::timestamp(1'500'000).to_string(), "1970-01-01 00:00:01.5");
  EXPECT_EQ(Value::timestamp(0).to_string(*TimeZone::find("Asia/Tokyo")), "1970-01-01 09:00:00");
}

TEST(ValueToSqlLiteral, MatchesSparkLiteralToString) {
  EXPECT_EQ(Value::null(DataType::string()).to_sql_literal(), "null");
  EXPECT_EQ(Value::int64(100).to_sql_literal(), "100");
  EXPECT_EQ(Value::int32(-3).to_sql_literal(), "-3");
  EXPECT_EQ(Value::string("Alice").to_sql_literal(), "Alice");
  EXPECT_EQ(Value::float64(0.5).to_sql_literal(), "0.5");
  EXPECT_EQ(Value::decimal(150, 10, 2).to_sql_literal(), "1.50");
  EXPECT_EQ(Value::decimal(0, 20, 10).to_sql_literal(), "0E-10");  // BigDecimal.toString
  EXPECT_EQ(Value::decimal(15, 20, 9).to_sql_literal(), "1.5E-8");
  EXPECT_EQ(Value::decimal(15, 20, 7).to_sql_literal(), "0.0000015");
  EXPECT_EQ(Value::binary(std::string("\x01\xff", 2)).to_sql_literal(), "0x01FF");
  EXPECT_EQ(Value::date(0).to_sql_literal(), "1970-01-01");
  EXPECT_EQ(Value::timestamp(0).to_sql_literal(*TimeZone::find("-05:00")), "1969-12-31 19:00:00");
  EXPECT_EQ(Value::boolean(true).to_sql_literal(), "true");
}

}  // namespace
}  // namespace ember
