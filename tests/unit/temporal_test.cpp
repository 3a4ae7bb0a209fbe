#include "ember/types/temporal.h"

#include <climits>

#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/types/time_zone.h"

namespace ember {
namespace {

const TimeZone& utc() { return *TimeZone::utc(); }
const TimeZone& zone(const char* id) { return *TimeZone::find(id); }

// 2024-01-01 is day 19723 (hand-checked: 54 years of 365 days plus 13 leap days).
constexpr int32_t k2024Jan1 = 19723;
constexpr int64_t kSecondsPerDay = 86'400;

TEST(CivilCalendar, KnownDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 1, 1), 10957);
  EXPECT_EQ(days_from_civil(2024, 1, 1), k2024Jan1);
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
  EXPECT_EQ(days_from_civil(1900, 1, 1), -25567);
  EXPECT_EQ(days_from_civil(1, 1, 1), -719162);
  EXPECT_EQ(days_from_civil(0, 3, 1), -719468);
}

TEST(CivilCalendar, RoundTripsEveryDayAcrossEras) {
  // Covers negative years, the 1582 cutover (proleptic: no gap) and leap centuries.
  int32_t previous = days_from_civil(-401, 12, 31);
  for (int32_t days = previous + 1; days < days_from_civil(2401, 1, 1); days += 1) {
    CivilDate d = civil_from_days(days);
    ASSERT_TRUE(is_valid_civil(d.year, d.month, d.day)) << days;
    ASSERT_EQ(days_from_civil(d.year, d.month, d.day), days);
  }
  CivilDate d = civil_from_days(19782);
  EXPECT_EQ(d.year, 2024);
  EXPECT_EQ(d.month, 2);
  EXPECT_EQ(d.day, 29);
  d = civil_from_days(-1);
  EXPECT_EQ(d.year, 1969);
  EXPECT_EQ(d.month, 12);
  EXPECT_EQ(d.day, 31);
  // 1582-10-10 exists in the proleptic Gregorian calendar.
  EXPECT_TRUE(is_valid_civil(1582, 10, 10));
  EXPECT_EQ(days_from_civil(1582, 10, 15) - days_from_civil(1582, 10, 4), 11);
}

TEST(CivilCalendar, MonthLengthsAndValidity) {
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2023, 2), 28);
  EXPECT_EQ(days_in_month(1900, 2), 28);
  EXPECT_EQ(days_in_month(2000, 2), 29);
  EXPECT_EQ(days_in_month(2024, 4), 30);
  EXPECT_FALSE(is_valid_civil(2023, 2, 29));
  EXPECT_FALSE(is_valid_civil(2024, 13, 1));
  EXPECT_FALSE(is_valid_civil(2024, 1, 0));
  EXPECT_EQ(day_of_week(0), 3);          // 1970-01-01, Thursday
  EXPECT_EQ(day_of_week(k2024Jan1), 0);  // Monday
  EXPECT_EQ(day_of_week(-1), 2);         // Wednesday
}

TEST(MicrosConversion, FloorsBeforeTheEpoch) {
  EXPECT_EQ(micros_to_days(0, utc()), 0);
  EXPECT_EQ(micros_to_days(-1, utc()), -1);
  EXPECT_EQ(micros_to_days(-kMicrosPerDay, utc()), -1);
  EXPECT_EQ(micros_to_days(-kMicrosPerDay - 1, utc()), -2);
  CivilDateTime t = micros_to_civil(-1, utc());
  EXPECT_EQ(t.date.year, 1969);
  EXPECT_EQ(t.hour, 23);
  EXPECT_EQ(t.minute, 59);
  EXPECT_EQ(t.second, 59);
  EXPECT_EQ(t.micros, 999999);
  EXPECT_EQ(civil_to_micros(t, utc()), -1);
}

TEST(MicrosConversion, AppliesZoneOffsets) {
  // 2024-01-01 23:30 UTC is already 2024-01-02 in Tokyo (+09:00).
  int64_t micros = (k2024Jan1 * kSecondsPerDay + 23 * 3600 + 1800) * kMicrosPerSecond;
  EXPECT_EQ(micros_to_days(micros, zone("Asia/Tokyo")), k2024Jan1 + 1);
  EXPECT_EQ(micros_to_days(micros, zone("America/New_York")), k2024Jan1);
  EXPECT_EQ(days_to_micros(k2024Jan1, zone("+08:00")),
            (k2024Jan1 * kSecondsPerDay - 8 * 3600) * kMicrosPerSecond);
  CivilDateTime local{{2024, 7, 1}, 12, 0, 0, 250};
  EXPECT_EQ(micros_to_civil(civil_to_micros(local, zone("Europe/Paris")), zone("Europe/Paris")).hour, 12);
}

TEST(MicrosConversion, StartOfDayInsideAGap) {
  // America/Sao_Paulo skipped midnight: 2018-11-04 00:00 became 01:00 (-03:00 -> -02:00).
  int32_t day = days_from_civil(2018, 11, 4);
  int64_t start = days_to_micros(day, zone("America/Sao_Paulo"));
  EXPECT_EQ(format_timestamp(start, zone("America/Sao_Paulo")), "2018-11-04 01:00:00");
  EXPECT_EQ(format_timestamp(start, utc()), "2018-11-04 03:00:00");
}

TEST(CastStringToDate, AcceptsSparkForms) {
  EXPECT_EQ(parse_date("2024-01-31"), k2024Jan1 + 30);
  EXPECT_EQ(parse_date("2024-1-5"), k2024Jan1 + 4);
  EXPECT_EQ(parse_date("  2024-01-31 \t"), k2024Jan1 + 30);
  EXPECT_EQ(parse_date("2024-01-31T12:00:00"), k2024Jan1 + 30);
  EXPECT_EQ(parse_date("2024-01-31 anything"), k2024Jan1 + 30);
  EXPECT_EQ(parse_date("2024"), k2024Jan1);
  EXPECT_EQ(parse_date("2024-02"), k2024Jan1 + 31);
  EXPECT_EQ(parse_date("+2024-01-01"), k2024Jan1);
  EXPECT_EQ(parse_date("-0001-01-01"), days_from_civil(-1, 1, 1));
  EXPECT_EQ(parse_date("12345-01-01"), days_from_civil(12345, 1, 1));
  EXPECT_EQ(parse_date("1969-12-31"), -1);
}

TEST(CastStringToDate, RejectsInvalid) {
  for (const char* bad : {"", "   ", "24-01-01", "2024-13-01", "2024-02-30", "2023-02-29", "2024-01-01X",
                          "2024-001-01", "2024-01 x", "2024/01/01", "abc", "2024-01-", "99999999-01-01"}) {
    EXPECT_EQ(parse_date(bad), std::nullopt) << bad;
  }
}

TEST(CastStringToTimestamp, AcceptsSparkForms) {
  const int64_t jan31 = (k2024Jan1 + 30) * kSecondsPerDay * kMicrosPerSecond;
  const int64_t hour = 3600 * kMicrosPerSecond;
  EXPECT_EQ(parse_timestamp("2024-01-31", utc()), jan31);
  EXPECT_EQ(parse_timestamp("2024-01-31 12:30", utc()), jan31 + 12 * hour + 30 * 60 * kMicrosPerSecond);
  EXPECT_EQ(parse_timestamp("2024-01-31T12:00:00.5", utc()), jan31 + 12 * hour + 500000);
  EXPECT_EQ(parse_timestamp("2024-01-31 12:00:00.1234567", utc()), jan31 + 12 * hour + 123456);
  EXPECT_EQ(parse_timestamp("2024-01-31 12:00:00Z", zone("Asia/Tokyo")), jan31 + 12 * hour);
  EXPECT_EQ(parse_timestamp("2024-01-31 12:00:00+08:00", utc()), jan31 + 4 * hour);
  EXPECT_EQ(parse_timestamp("2024-01-31 12:00:00 Europe/Paris", utc()), jan31 + 11 * hour);
  EXPECT_EQ(parse_timestamp("2024-01-31 12:00:00UTC+1", utc()), jan31 + 11 * hour);
  EXPECT_EQ(parse_timestamp("2024-01-31 12:00:00-5:00", utc()), jan31 + 17 * hour);
  // No zone in the text: the session zone applies.
  EXPECT_EQ(parse_timestamp("2024-01-31 12:00:00", zone("America/New_York")), jan31 + 17 * hour);
  EXPECT_EQ(parse_timestamp("1969-12-31 23:59:59.999999", utc()), -1);
}

TEST(CastStringToTimestamp, TimeAloneUsesToday) {
  auto t = parse_timestamp("12:34:56", utc());
  ASSERT_TRUE(t.has_value());
  CivilDateTime c = micros_to_civil(*t, utc());
  EXPECT_EQ(c.hour, 12);
  EXPECT_EQ(c.minute, 34);
  EXPECT_EQ(c.second, 56);
  auto with_t = parse_timestamp("T01:02:03", utc());
  ASSERT_TRUE(with_t.has_value());
  EXPECT_EQ(micros_to_civil(*with_t, utc()).second, 3);
}

TEST(CastStringToTimestamp, RejectsInvalid) {
  for (const char* bad :
       {"", "2024-01-31 25:00:00", "2024-01-31 12:60:00", "2024-01-31T", "2024-01-31 12:00:00 Nowhere/Zone",
        "2024-02-30 00:00:00", "2024-01-31 12:00:00.5.5", "2024-01-31 12Z", "1234567-01-01", "x2024-01-01"}) {
    EXPECT_EQ(parse_timestamp(bad, utc()), std::nullopt) << bad;
  }
}

TEST(CastDatetimeToString, FormatsLikeSpark) {
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_date(19782), "2024-02-29");
  EXPECT_EQ(format_date(-25567), "1900-01-01");
  EXPECT_EQ(format_date(days_from_civil(10000, 1, 1)), "+10000-01-01");
  EXPECT_EQ(format_date(days_from_civil(-1, 1, 1)), "-0001-01-01");
  EXPECT_EQ(format_date(days_from_civil(33, 3, 4)), "0033-03-04");
  EXPECT_EQ(format_timestamp(0, utc()), "1970-01-01 00:00:00");
  EXPECT_EQ(format_timestamp(-1, utc()), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(format_timestamp(1'500'000, utc()), "1970-01-01 00:00:01.5");
  EXPECT_EQ(format_timestamp(1'120'000, utc()), "1970-01-01 00:00:01.12");
  EXPECT_EQ(format_timestamp(0, zone("America/Los_Angeles")), "1969-12-31 16:00:00");
  std::string out = "ts=";
  append_timestamp(out, 0, zone("+05:30"));
  EXPECT_EQ(out, "ts=1970-01-01 05:30:00");
  std::string date_out;
  append_date(date_out, -1);
  EXPECT_EQ(date_out, "1969-12-31");
}

TEST(CastDatetimeToString, ExtremesMatchJavaTime) {
  // Expected strings from java.time (Instant at UTC, LocalDate.ofEpochDay).
  EXPECT_EQ(format_timestamp(INT64_MIN, utc()), "-290308-12-21 19:59:05.224192");
  EXPECT_EQ(format_timestamp(INT64_MAX, utc()), "+294247-01-10 04:00:54.775807");
  EXPECT_EQ(format_date(INT32_MIN), "-5877641-06-23");
  EXPECT_EQ(format_date(INT32_MAX), "+5881580-07-11");
  EXPECT_EQ(parse_timestamp("294247-01-10 04:00:54.775807", utc()), INT64_MAX);
  EXPECT_EQ(parse_timestamp("294247-01-10 04:00:54.775808", utc()), std::nullopt);
}

TEST(DateTimePattern, FormatsTimestamps) {
  // 2024-07-04 15:06:07.089 UTC
  int64_t micros =
      ((days_from_civil(2024, 7, 4) * kSecondsPerDay) + 15 * 3600 + 6 * 60 + 7) * kMicrosPerSecond + 89'000;
  auto fmt = [&](const char* p, const TimeZone& tz) {
    return DateTimePattern::compile(p).format_timestamp(micros, tz);
  };
  EXPECT_EQ(fmt("yyyy-MM-dd HH:mm:ss.SSS", utc()), "2024-07-04 15:06:07.089");
  EXPECT_EQ(fmt("dd/MM/yy h:m:s a", utc()), "04/07/24 3:6:7 PM");
  EXPECT_EQ(fmt("MMM d, yyyy", utc()), "Jul 4, 2024");
  EXPECT_EQ(fmt("EEEE, MMMM d", utc()), "Thursday, July 4");
  EXPECT_EQ(fmt("EEE D", utc()), "Thu 186");
  EXPECT_EQ(fmt("'Day' d 'of' M, ''yy", utc()), "Day 4 of 7, '24");
  EXPECT_EQ(fmt("HH:mm XXX", zone("Asia/Kolkata")), "20:36 +05:30");
  EXPECT_EQ(fmt("HH:mm X", zone("Asia/Kolkata")), "20:36 +0530");
  EXPECT_EQ(fmt("HH:mm Z", zone("America/New_York")), "11:06 -0400");
  EXPECT_EQ(fmt("HH:mm x", utc()), "15:06 +00");
  EXPECT_EQ(fmt("HH:mm X", utc()), "15:06 Z");
  EXPECT_EQ(fmt("HH:mm z", zone("Europe/Paris")), "17:06 CEST");
  EXPECT_EQ(fmt("VV", zone("Europe/Paris")), "Europe/Paris");
  EXPECT_EQ(fmt("SSSSSS kk KK", utc()), "089000 15 03");
  EXPECT_EQ(DateTimePattern::compile("yyyy-MM-dd").format_date(19782), "2024-02-29");
  EXPECT_EQ(DateTimePattern::compile("hh a").format_timestamp(0, utc()), "12 AM");
}

TEST(DateTimePattern, ParsesDatesAndTimestamps) {
  EXPECT_EQ(DateTimePattern::compile("dd/MM/yyyy").parse_date("31/01/2024"), k2024Jan1 + 30);
  EXPECT_EQ(DateTimePattern::compile("MMM d, yyyy").parse_date("Jan 5, 2024"), k2024Jan1 + 4);
  EXPECT_EQ(DateTimePattern::compile("MMMM d yyyy").parse_date("february 29 2024"), 19782);
  EXPECT_EQ(DateTimePattern::compile("yyyyMMdd").parse_date("20240131"), k2024Jan1 + 30);
  EXPECT_EQ(DateTimePattern::compile("yyyy-D").parse_date("2024-60"), 19782);
  EXPECT_EQ(DateTimePattern::compile("yyyy").parse_date("2024"), k2024Jan1);
  EXPECT_EQ(DateTimePattern::compile("MM-dd").parse_date("01-02"), 1);  // year defaults to 1970
  EXPECT_EQ(DateTimePattern::compile("yy-M-d").parse_date("24-1-1"), k2024Jan1);

  const int64_t jan1 = k2024Jan1 * kSecondsPerDay * kMicrosPerSecond;
  const int64_t hour = 3600 * kMicrosPerSecond;
  auto ts = [](const char* p, const char* s, const TimeZone& tz) {
    return DateTimePattern::compile(p).parse_timestamp(s, tz);
  };
  EXPECT_EQ(ts("yyyy-MM-dd HH:mm:ss.SSS", "2024-01-01 13:00:00.250", utc()), jan1 + 13 * hour + 250000);
  EXPECT_EQ(ts("yyyy-MM-dd hh:mm a", "2024-01-01 01:30 PM", utc()),
            jan1 + 13 * hour + 1800 * kMicrosPerSecond);
  EXPECT_EQ(ts("yyyy-MM-dd hh:mm a", "2024-01-01 12:00 am", utc()), jan1);
  EXPECT_EQ(ts("yyyy-MM-dd hh", "2024-01-01 11", utc()), jan1 + 11 * hour);  // AM assumed
  EXPECT_EQ(ts("yyyy-MM-dd HH:mmXXX", "2024-01-01 08:00+08:00", utc()), jan1);
  EXPECT_EQ(ts("yyyy-MM-dd HH:mmX", "2024-01-01 08:00Z", utc()), jan1 + 8 * hour);
  EXPECT_EQ(ts("yyyy-MM-dd HH:mm VV", "2024-01-01 01:00 Europe/Paris", utc()), jan1);
  EXPECT_EQ(ts("yyyy-MM-dd HH", "2024-01-01 09", zone("Asia/Tokyo")), jan1);
}

TEST(DateTimePattern, RejectsNonMatchingInput) {
  auto date = [](const char* p, const char* s) { return DateTimePattern::compile(p).parse_date(s); };
  EXPECT_EQ(date("yyyy-MM-dd", "2024-02-30"), std::nullopt);
  EXPECT_EQ(date("yyyy-MM-dd", "2024-01-01 extra"), std::nullopt);
  EXPECT_EQ(date("yyyy-MM-dd", "2024-1-01"), std::nullopt);  // MM needs two digits
  EXPECT_EQ(date("dd/MM/yyyy", "31-01-2024"), std::nullopt);
  EXPECT_EQ(date("yyyy-D", "2023-366"), std::nullopt);
  EXPECT_EQ(date("EEE yyyy-MM-dd", "Tue 2024-01-01"), std::nullopt);  // it was a Monday
  EXPECT_EQ(date("EEE yyyy-MM-dd", "Mon 2024-01-01"), k2024Jan1);
  EXPECT_EQ(DateTimePattern::compile("HH:mm").parse_timestamp("24:00", utc()), std::nullopt);
}

TEST(DateTimePattern, RejectsBadPatterns) {
  for (const char* bad : {"YYYY-MM-dd", "yyyy-ww", "'unterminated", "yyyy-MMMMM", "[yyyy]", "V"}) {
    try {
      DateTimePattern::compile(bad);
      ADD_FAILURE() << bad;
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIllegalArgument);
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
  DateTimePattern p = DateTimePattern::compile("yyyy");
  DateTimePattern copy = p;
  EXPECT_EQ(copy.pattern(), "yyyy");
  EXPECT_EQ(copy.format_date(0), "1970");
}

}  // namespace
}  // namespace ember
