// The text of ANSI interval values, as Spark's IntervalUtils.toYearMonthIntervalString /
// toDayTimeIntervalString print them (ANSI style); expected strings worked out by hand from those
// rules and Spark's documented examples (INTERVAL '1 02:03:04' DAY TO SECOND, INTERVAL '1-2' YEAR
// TO MONTH).
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "ember/types/interval.h"
#include "ember/types/temporal.h"

namespace ember {
namespace {

std::string day_time(int64_t micros, int from, int to) {
  return format_interval(DataType::day_time_interval(from, to), micros);
}
std::string year_month(int32_t months, int from, int to) {
  return format_interval(DataType::year_month_interval(from, to), months);
}

constexpr int64_t kHour = 3600 * kMicrosPerSecond;

TEST(IntervalFormatTest, YearMonth) {
  EXPECT_EQ(year_month(14, kIntervalYear, kIntervalMonth), "INTERVAL '1-2' YEAR TO MONTH");
  EXPECT_EQ(year_month(-14, kIntervalYear, kIntervalMonth), "INTERVAL '-1-2' YEAR TO MONTH");
  EXPECT_EQ(year_month(36, kIntervalYear, kIntervalYear), "INTERVAL '3' YEAR");
  EXPECT_EQ(year_month(14, kIntervalMonth, kIntervalMonth), "INTERVAL '14' MONTH");
  EXPECT_EQ(year_month(0, kIntervalYear, kIntervalMonth), "INTERVAL '0-0' YEAR TO MONTH");
  EXPECT_EQ(year_month(std::numeric_limits<int32_t>::min(), kIntervalYear, kIntervalMonth),
            "INTERVAL '-178956970-8' YEAR TO MONTH");
}

TEST(IntervalFormatTest, DayTime) {
  const int64_t v = kMicrosPerDay + 2 * kHour + 3 * 60 * kMicrosPerSecond + 4 * kMicrosPerSecond;
  EXPECT_EQ(day_time(v, kIntervalDay, kIntervalSecond), "INTERVAL '1 02:03:04' DAY TO SECOND");
  EXPECT_EQ(day_time(-v, kIntervalDay, kIntervalSecond), "INTERVAL '-1 02:03:04' DAY TO SECOND");
  EXPECT_EQ(day_time(v + 500'000, kIntervalDay, kIntervalSecond), "INTERVAL '1 02:03:04.5' DAY TO SECOND");
  EXPECT_EQ(day_time(v, kIntervalDay, kIntervalMinute), "INTERVAL '1 02:03' DAY TO MINUTE");
  EXPECT_EQ(day_time(v, kIntervalDay, kIntervalHour), "INTERVAL '1 02' DAY TO HOUR");
  EXPECT_EQ(day_time(30 * kMicrosPerDay, kIntervalDay, kIntervalDay), "INTERVAL '30' DAY");
  EXPECT_EQ(day_time(2 * kHour, kIntervalHour, kIntervalHour), "INTERVAL '02' HOUR");
  // The leading field is not limited to its usual range.
  EXPECT_EQ(day_time(90 * 60 * kMicrosPerSecond, kIntervalMinute, kIntervalMinute), "INTERVAL '90' MINUTE");
  EXPECT_EQ(day_time(26 * kHour + 60 * kMicrosPerSecond, kIntervalHour, kIntervalMinute),
            "INTERVAL '26:01' HOUR TO MINUTE");
  EXPECT_EQ(day_time(1'500'000, kIntervalSecond, kIntervalSecond), "INTERVAL '01.5' SECOND");
  EXPECT_EQ(day_time(75 * kMicrosPerSecond + 1, kIntervalSecond, kIntervalSecond),
            "INTERVAL '75.000001' SECOND");
  EXPECT_EQ(day_time(0, kIntervalDay, kIntervalSecond), "INTERVAL '0 00:00:00' DAY TO SECOND");
  // The smallest value prints without overflow: 106751991 days 04:00:54.775808.
  EXPECT_EQ(day_time(std::numeric_limits<int64_t>::min(), kIntervalDay, kIntervalSecond),
            "INTERVAL '-106751991 04:00:54.775808' DAY TO SECOND");
}

TEST(IntervalFormatTest, TypeNames) {
  EXPECT_EQ(DataType::day_time_interval().simple_string(), "interval day to second");
  EXPECT_EQ(DataType::day_time_interval(kIntervalHour, kIntervalHour).sql_string(), "INTERVAL HOUR");
  EXPECT_EQ(DataType::year_month_interval().simple_string(), "interval year to month");
  EXPECT_EQ(parse_data_type("interval minute to second"),
            DataType::day_time_interval(kIntervalMinute, kIntervalSecond));
  EXPECT_EQ(parse_data_type("INTERVAL YEAR"), DataType::year_month_interval(kIntervalYear, kIntervalYear));
  EXPECT_NE(DataType::day_time_interval(kIntervalDay, kIntervalDay), DataType::day_time_interval());
}

}  // namespace
}  // namespace ember
