#pragma once
// Dates (int32 days since 1970-01-01) and timestamps (int64 microseconds since the epoch, UTC):
// calendar arithmetic, Spark's cast-to/from-string rules, and Spark datetime patterns.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember {

class TimeZone;

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400LL * kMicrosPerSecond;

struct CivilDate {
  int32_t year;
  int32_t month;  // 1..12
  int32_t day;    // 1..31
};

struct CivilDateTime {
  CivilDate date;
  int32_t hour, minute, second;
  int32_t micros;  // 0..999999
};

// Proleptic Gregorian calendar, as Spark 3+ uses.
int32_t days_from_civil(int32_t year, int32_t month, int32_t day);
CivilDate civil_from_days(int32_t days);
bool is_valid_civil(int32_t year, int32_t month, int32_t day);
int32_t days_in_month(int32_t year, int32_t month);
// Floor division of micros into days, and the UTC->local wall clock split.
int32_t micros_to_days(int64_t micros, const TimeZone& tz);
CivilDateTime micros_to_civil(int64_t micros, const TimeZone& tz);
int64_t civil_to_micros(const CivilDateTime& t, const TimeZone& tz);
// Midnight at the start of `days` in tz, as UTC micros; when midnight falls in a DST gap, the
// first instant of the day (java.time's LocalDate.atStartOfDay).
int64_t days_to_micros(int32_t days, const TimeZone& tz);
// 0 = Monday .. 6 = Sunday (ISO order, as java.time's DayOfWeek).
int32_t day_of_week(int32_t days);

// Spark's CAST(string AS DATE): "yyyy", "yyyy-[m]m", "yyyy-[m]m-[d]d", optionally followed by
// 'T' or ' ' and anything; surrounding whitespace trimmed. nullopt when invalid.
std::optional<int32_t> parse_date(std::string_view s);
// Spark's CAST(string AS TIMESTAMP): date, optional time "[h]h:[m]m:[s]s.[ms][us]", optional
// zone ("Z", "+08:00", "UTC", region id); wall clock interpreted in `tz` when no zone is given.
// A time alone ("12:30:00", "T12:30") takes today's date in the zone, as Spark does.
std::optional<int64_t> parse_timestamp(std::string_view s, const TimeZone& tz);

// Spark's CAST(date AS STRING): "2024-01-31" (years beyond 9999 get a '+' sign).
std::string format_date(int32_t days);
// Spark's CAST(timestamp AS STRING): "2024-01-31 13:45:00" plus ".123" / ".123456" with trailing
// zeros of the fraction removed.
std::string format_timestamp(int64_t micros, const TimeZone& tz);
// Appends instead of returning (hot paths: CSV writer, cast kernels).
void append_date(std::string& out, int32_t days);
void append_timestamp(std::string& out, int64_t micros, const TimeZone& tz);

// A compiled Spark datetime pattern ("yyyy-MM-dd HH:mm:ss.SSS", "dd/MM/yyyy", "MMM d, yyyy"):
// the letters of Spark's "Datetime Patterns for Formatting and Parsing" page (y, M, d, H, h, m,
// s, S, a, E, z, X, x, Z, D, 'literal'). Compile once, then parse/format many values.
class DateTimePattern {
 public:
  // Throws EmberError(kIllegalArgument) naming the pattern and the bad letter.
  static DateTimePattern compile(std::string_view pattern);
  const std::string& pattern() const { return pattern_; }

  // The whole string must match; nullopt otherwise. Missing fields default as in Spark
  // (year 1970, month 1, day 1, time 00:00:00).
  std::optional<int32_t> parse_date(std::string_view s) const;
  std::optional<int64_t> parse_timestamp(std::string_view s, const TimeZone& tz) const;
  std::string format_date(int32_t days) const;
  std::string format_timestamp(int64_t micros, const TimeZone& tz) const;

  struct Token;  // defined in temporal.cpp

 private:
  std::string pattern_;
  // Immutable once compiled, so copies of a pattern share one token list across threads.
  std::shared_ptr<const std::vector<Token>> tokens_;
};

}  // namespace ember
