#include "ember/types/temporal.h"

#include <array>
#include <chrono>
#include <climits>

#include "ember/common/error.h"
#include "ember/types/time_zone.h"

namespace ember {

namespace {

constexpr int64_t kSecondsPerDay = 86'400;

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return q - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Computed from the remainder, not from floor_div, which would overflow near INT64_MIN.
int64_t floor_mod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

// Days since 1970-01-01 of a proleptic Gregorian date, in 64 bits so that callers can detect
// years whose day count does not fit an int32. The year is shifted to start in March, which puts
// the leap day last and makes month lengths a linear function (153 days per 5 months); 400-year
// eras of 146097 days then make everything non-negative and branch-free.
int64_t days_from_civil_wide(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t year_of_era = year - era * 400;                                          // [0, 399]
  int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;  // [0, 365]
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

bool is_leap_year(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Spark trims with UTF8String.isWhitespaceOrISOControl: ASCII controls, DEL and the space.
bool is_trimmed(char c) {
  auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7F;
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_trimmed(s[b])) ++b;
  while (e > b && is_trimmed(s[e - 1])) --e;
  return s.substr(b, e - b);
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool starts_with_ignore_case(std::string_view s, size_t pos, std::string_view prefix) {
  if (pos + prefix.size() > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (ascii_lower(s[pos + i]) != ascii_lower(prefix[i])) return false;
  }
  return true;
}

// Local wall-clock fields to UTC micros; nullopt when the instant overflows int64 micros.
std::optional<int64_t> checked_local_to_micros(int64_t year, int32_t month, int32_t day,
                                               int64_t second_of_day, int64_t micros, const TimeZone& tz) {
  // Beyond +-300000 years the seconds below could overflow before the micros check.
  if (year < -300000 || year > 300000) return std::nullopt;
  int64_t local = days_from_civil_wide(year, month, day) * kSecondsPerDay + second_of_day;
  int64_t utc_seconds = tz.local_to_utc(local);
  int64_t result;
  if (__builtin_mul_overflow(utc_seconds, kMicrosPerSecond, &result) ||
      __builtin_add_overflow(result, micros, &result)) {
    return std::nullopt;
  }
  return result;
}

void append_padded(std::string& out, int64_t value, int width) {
  char buf[24];
  int n = 0;
  uint64_t v = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  if (value < 0) out += '-';
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += buf[--n];
}

// java.time's "uuuu" (SignStyle.EXCEEDS_PAD): at least `min_width` digits, '-' for negative
// years and '+' for positive years with more digits than the width.
void append_year(std::string& out, int64_t year, int min_width) {
  int digits = 1;
  for (int64_t v = year; v >= 10; v /= 10) ++digits;
  if (year > 0 && digits > min_width) out += '+';
  append_padded(out, year, min_width);
}

int64_t today_in(const TimeZone& tz) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  return micros_to_days(micros, tz);
}

constexpr std::array<const char*, 12> kMonthNames = {"January",   "February", "March",    "April",
                                                     "May",       "June",     "July",     "August",
                                                     "September", "October",  "November", "December"};
constexpr std::array<const char*, 7> kDayNames = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};

}  // namespace

int32_t days_from_civil(int32_t year, int32_t month, int32_t day) {
  return static_cast<int32_t>(days_from_civil_wide(year, month, day));
}

CivilDate civil_from_days(int32_t days) {
  int64_t z = int64_t{days} + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t day_of_era = z - era * 146097;  // [0, 146096]
  int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t shifted_month = (5 * day_of_year + 2) / 153;  // 0 = March
  int64_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  int64_t year = year_of_era + era * 400 + (month <= 2);
  return {static_cast<int32_t>(year), static_cast<int32_t>(month), static_cast<int32_t>(day)};
}

int32_t days_in_month(int32_t year, int32_t month) {
  static constexpr int8_t kLengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return kLengths[month - 1] + (month == 2 && is_leap_year(year));
}

bool is_valid_civil(int32_t year, int32_t month, int32_t day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

int32_t day_of_week(int32_t days) {
  // 1970-01-01 was a Thursday, which is 3 counting from Monday = 0.
  return static_cast<int32_t>(floor_mod(int64_t{days} + 3, 7));
}

int32_t micros_to_days(int64_t micros, const TimeZone& tz) {
  int64_t seconds = floor_div(micros, kMicrosPerSecond);
  int64_t local = seconds + tz.offset_at_utc(seconds);
  return static_cast<int32_t>(floor_div(local, kSecondsPerDay));
}

CivilDateTime micros_to_civil(int64_t micros, const TimeZone& tz) {
  int64_t seconds = floor_div(micros, kMicrosPerSecond);
  int64_t local = seconds + tz.offset_at_utc(seconds);
  int64_t days = floor_div(local, kSecondsPerDay);
  int64_t second_of_day = local - days * kSecondsPerDay;
  CivilDateTime t;
  t.date = civil_from_days(static_cast<int32_t>(days));
  t.hour = static_cast<int32_t>(second_of_day / 3600);
  t.minute = static_cast<int32_t>(second_of_day / 60 % 60);
  t.second = static_cast<int32_t>(second_of_day % 60);
  t.micros = static_cast<int32_t>(floor_mod(micros, kMicrosPerSecond));
  return t;
}

int64_t civil_to_micros(const CivilDateTime& t, const TimeZone& tz) {
  int64_t local = days_from_civil_wide(t.date.year, t.date.month, t.date.day) * kSecondsPerDay +
                  t.hour * 3600 + t.minute * 60 + t.second;
  return tz.local_to_utc(local) * kMicrosPerSecond + t.micros;
}

int64_t days_to_micros(int32_t days, const TimeZone& tz) {
  int64_t midnight = int64_t{days} * kSecondsPerDay;
  int64_t utc = tz.local_to_utc(midnight);
  if (utc + tz.offset_at_utc(utc) != midnight) {
    // Midnight was skipped by a DST gap; the day starts at the transition, the first instant whose
    // local date is `days`. It lies within the gap, so a short binary search finds it.
    int64_t lo = utc - 2 * kSecondsPerDay, hi = utc;
    while (lo + 1 < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      if (floor_div(mid + tz.offset_at_utc(mid), kSecondsPerDay) >= days) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    utc = hi;
  }
  return utc * kMicrosPerSecond;
}

// ---- CAST(string AS DATE / TIMESTAMP) ----

std::optional<int32_t> parse_date(std::string_view input) {
  std::string_view s = trim(input);
  if (s.empty()) return std::nullopt;
  // Segment lengths follow Spark's stringToDate: a 4..7 digit year, then 1..2 digit month and day.
  auto valid_digits = [](int segment, int digits) {
    return segment == 0 ? digits >= 4 && digits <= 7 : digits > 0 && digits <= 2;
  };
  int64_t segments[3] = {1, 1, 1};
  int64_t sign = 1;
  size_t j = 0;
  if (s[0] == '-' || s[0] == '+') {
    sign = s[0] == '-' ? -1 : 1;
    ++j;
  }
  int i = 0, digits = 0;
  int64_t value = 0;
  for (; j < s.size() && i < 3 && s[j] != ' ' && s[j] != 'T'; ++j) {
    char c = s[j];
    if (i < 2 && c == '-') {
      if (!valid_digits(i, digits)) return std::nullopt;
      segments[i++] = value;
      value = 0;
      digits = 0;
    } else if (is_digit(c)) {
      value = value * 10 + (c - '0');
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (!valid_digits(i, digits)) return std::nullopt;
  // "yyyy" and "yyyy-[m]m" must be the whole input; a full date may be followed by a time.
  if (i < 2 && j < s.size()) return std::nullopt;
  segments[i] = value;
  int64_t year = sign * segments[0];
  if (segments[1] < 1 || segments[1] > 12 || segments[2] < 1 ||
      segments[2] > days_in_month(static_cast<int32_t>(year), static_cast<int32_t>(segments[1]))) {
    return std::nullopt;
  }
  int64_t days = days_from_civil_wide(year, segments[1], segments[2]);
  if (days < INT32_MIN || days > INT32_MAX) return std::nullopt;
  return static_cast<int32_t>(days);
}

std::optional<int64_t> parse_timestamp(std::string_view input, const TimeZone& tz) {
  // A transcription of the state machine in Spark's parseTimestampString: segments are year,
  // month, day, hour, minute, second, fraction, then an optional zone suffix.
  size_t begin = 0;
  while (begin < input.size() && is_trimmed(input[begin])) ++begin;
  size_t end = input.size();
  while (end > begin && is_trimmed(input[end - 1])) --end;
  if (begin == end) return std::nullopt;

  auto valid_digits = [](int segment, int digits) {
    if (segment == 6) return true;  // fraction: beyond six digits is truncated
    if (segment == 0) return digits >= 4 && digits <= 6;
    if (segment == 7) return digits <= 2;
    return digits > 0 && digits <= 2;
  };
  int64_t segments[9] = {1, 1, 1, 0, 0, 0, 0, 0, 0};
  int i = 0, digits = 0, fraction_digits = 0;
  int64_t value = 0;
  bool just_time = false;
  int year_sign = 0;
  std::string_view zone;
  size_t j = begin;
  if (input[j] == '-' || input[j] == '+') {
    year_sign = input[j] == '-' ? -1 : 1;
    ++j;
  }
  auto close_segment = [&](int segment) {
    if (!valid_digits(segment, digits)) return false;
    segments[segment] = value;
    value = 0;
    digits = 0;
    return true;
  };
  for (; j < end; ++j) {
    char c = input[j];
    if (is_digit(c)) {
      if (i == 6) ++fraction_digits;
      if (i != 6 || digits < 6) value = value * 10 + (c - '0');
      ++digits;
      continue;
    }
    if (j == 0 && c == 'T') {  // Spark checks the untrimmed index, so only a leading 'T'
      just_time = true;
      i += 3;
    } else if (i < 2) {
      if (c == '-') {
        if (!close_segment(i)) return std::nullopt;
        ++i;
      } else if (i == 0 && c == ':' && year_sign == 0) {
        just_time = true;
        if (!close_segment(3)) return std::nullopt;
        i = 4;
      } else {
        return std::nullopt;
      }
    } else if (i == 2) {
      if (c != ' ' && c != 'T') return std::nullopt;
      if (!close_segment(i)) return std::nullopt;
      ++i;
    } else if (i == 3 || i == 4) {
      if (c != ':') return std::nullopt;
      if (!close_segment(i)) return std::nullopt;
      ++i;
    } else if (i == 5 || i == 6) {
      if (c == '.' && i == 5) {
        if (!close_segment(i)) return std::nullopt;
        ++i;
      } else {
        if (!close_segment(i)) return std::nullopt;
        ++i;
        zone = input.substr(j, end - j);
        j = end - 1;
        if (i == 6) ++i;
      }
    } else {
      if (i >= 9 || (c != ':' && c != ' ')) return std::nullopt;
      if (!close_segment(i)) return std::nullopt;
      ++i;
    }
  }
  if (i >= 9 || !close_segment(i)) return std::nullopt;
  for (; fraction_digits < 6; ++fraction_digits) segments[6] *= 10;

  const TimeZone* zone_tz = &tz;
  if (!zone.empty()) {
    try {
      zone_tz = TimeZone::find(std::string(trim(zone)));
    } catch (const EmberError&) {
      return std::nullopt;
    }
  }
  if (segments[3] > 23 || segments[4] > 59 || segments[5] > 59) return std::nullopt;
  int64_t second_of_day = segments[3] * 3600 + segments[4] * 60 + segments[5];
  int64_t year, month, day;
  if (just_time) {
    CivilDate today = civil_from_days(static_cast<int32_t>(today_in(*zone_tz)));
    year = today.year;
    month = today.month;
    day = today.day;
  } else {
    year = segments[0] * (year_sign == 0 ? 1 : year_sign);
    month = segments[1];
    day = segments[2];
    if (month < 1 || month > 12 || day < 1 ||
        day > days_in_month(static_cast<int32_t>(year), static_cast<int32_t>(month))) {
      return std::nullopt;
    }
  }
  return checked_local_to_micros(year, static_cast<int32_t>(month), static_cast<int32_t>(day), second_of_day,
                                 segments[6], *zone_tz);
}

// ---- CAST(date / timestamp AS STRING) ----

void append_date(std::string& out, int32_t days) {
  CivilDate d = civil_from_days(days);
  append_year(out, d.year, 4);
  out += '-';
  append_padded(out, d.month, 2);
  out += '-';
  append_padded(out, d.day, 2);
}

std::string format_date(int32_t days) {
  std::string out;
  append_date(out, days);
  return out;
}

void append_timestamp(std::string& out, int64_t micros, const TimeZone& tz) {
  CivilDateTime t = micros_to_civil(micros, tz);
  append_year(out, t.date.year, 4);
  out += '-';
  append_padded(out, t.date.month, 2);
  out += '-';
  append_padded(out, t.date.day, 2);
  out += ' ';
  append_padded(out, t.hour, 2);
  out += ':';
  append_padded(out, t.minute, 2);
  out += ':';
  append_padded(out, t.second, 2);
  if (t.micros != 0) {
    // Spark's fraction formatter prints up to six digits and drops trailing zeros.
    int32_t fraction = t.micros;
    int width = 6;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --width;
    }
    out += '.';
    append_padded(out, fraction, width);
  }
}

std::string format_timestamp(int64_t micros, const TimeZone& tz) {
  std::string out;
  append_timestamp(out, micros, tz);
  return out;
}

// ---- DateTimePattern ----

struct DateTimePattern::Token {
  enum class Kind : uint8_t {
    kLiteral,
    kYear,             // y, u: proleptic year (Spark rewrites 'y' to 'u' when there is no era)
    kMonth,            // M, L
    kDay,              // d
    kDayOfYear,        // D
    kHourOfDay,        // H: 0..23
    kClockHourOfDay,   // k: 1..24
    kHourOfAmPm,       // K: 0..11
    kClockHourOfAmPm,  // h: 1..12
    kMinute,           // m
    kSecond,           // s
    kFraction,         // S
    kAmPm,             // a
    kDayOfWeek,        // E
    kZoneName,         // z
    kZoneId,           // VV
    kOffsetX,          // X: 'Z' for zero
    kOffsetLowerX,     // x
    kOffsetZ,          // Z
  };
  Kind kind = Kind::kLiteral;
  int count = 0;
  std::string literal;
  // Digits the directly following fixed-width numeric fields need, so that an adjacent
  // variable-width field ("yyyyMMdd" with a 'y' run) leaves them their share (java.time's
  // adjacent value parsing).
  int reserved_after = 0;
};

namespace {

using Token = DateTimePattern::Token;
using Kind = Token::Kind;

bool is_numeric_kind(Kind k) {
  switch (k) {
    case Kind::kYear:
    case Kind::kDay:
    case Kind::kDayOfYear:
    case Kind::kHourOfDay:
    case Kind::kClockHourOfDay:
    case Kind::kHourOfAmPm:
    case Kind::kClockHourOfAmPm:
    case Kind::kMinute:
    case Kind::kSecond:
    case Kind::kFraction: return true;
    default: return false;
  }
}

bool is_numeric_token(const Token& t) {
  return is_numeric_kind(t.kind) || (t.kind == Kind::kMonth && t.count <= 2);
}

// Width of a fixed-width numeric field when parsing, or 0 when it is variable.
int fixed_width(const Token& t) {
  if (!is_numeric_token(t)) return 0;
  if (t.kind == Kind::kFraction) return t.count;
  if (t.kind == Kind::kYear) return t.count == 2 ? 2 : 0;
  return t.count >= 2 ? t.count : 0;
}

[[noreturn]] void bad_pattern(std::string_view pattern, const std::string& why) {
  throw_error(ErrorKind::kIllegalArgument, "INVALID_DATETIME_PATTERN",
              "Invalid datetime pattern '" + std::string(pattern) + "': " + why);
}

}  // namespace

DateTimePattern DateTimePattern::compile(std::string_view pattern) {
  auto tokens = std::make_shared<std::vector<Token>>();
  auto add_literal = [&](std::string_view text) {
    if (!tokens->empty() && tokens->back().kind == Kind::kLiteral) {
      tokens->back().literal += text;
    } else {
      Token t;
      t.literal = std::string(text);
      tokens->push_back(std::move(t));
    }
  };
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '\'') {
      size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '\'') {  // '' is a quote
        add_literal("'");
        i = j + 1;
        continue;
      }
      std::string text;
      for (;; ++j) {
        if (j >= pattern.size()) bad_pattern(pattern, "unterminated quote");
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            text += '\'';
            ++j;
            continue;
          }
          break;
        }
        text += pattern[j];
      }
      add_literal(text);
      i = j + 1;
      continue;
    }
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter) {
      if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#') {
        bad_pattern(pattern, std::string("'") + c + "' is reserved or not supported");
      }
      add_literal(std::string_view(&pattern[i], 1));
      ++i;
      continue;
    }
    size_t j = i;
    while (j < pattern.size() && pattern[j] == c) ++j;
    int count = static_cast<int>(j - i);
    Token t;
    t.count = count;
    auto at_most = [&](int max) {
      if (count > max) {
        bad_pattern(pattern, "too many pattern letters '" + std::string(1, c) + "' (at most " +
                                 std::to_string(max) + ")");
      }
    };
    switch (c) {
      case 'y':
      case 'u':
        at_most(6);
        t.kind = Kind::kYear;
        break;
      case 'M':
      case 'L':
        at_most(4);
        t.kind = Kind::kMonth;
        break;
      case 'd':
        at_most(2);
        t.kind = Kind::kDay;
        break;
      case 'D':
        at_most(3);
        t.kind = Kind::kDayOfYear;
        break;
      case 'H':
        at_most(2);
        t.kind = Kind::kHourOfDay;
        break;
      case 'k':
        at_most(2);
        t.kind = Kind::kClockHourOfDay;
        break;
      case 'K':
        at_most(2);
        t.kind = Kind::kHourOfAmPm;
        break;
      case 'h':
        at_most(2);
        t.kind = Kind::kClockHourOfAmPm;
        break;
      case 'm':
        at_most(2);
        t.kind = Kind::kMinute;
        break;
      case 's':
        at_most(2);
        t.kind = Kind::kSecond;
        break;
      case 'S':
        at_most(9);
        t.kind = Kind::kFraction;
        break;
      case 'a':
        at_most(1);
        t.kind = Kind::kAmPm;
        break;
      case 'E':
        at_most(4);
        t.kind = Kind::kDayOfWeek;
        break;
      case 'z':
        at_most(4);
        t.kind = Kind::kZoneName;
        break;
      case 'V':
        if (count != 2) bad_pattern(pattern, "pattern letter 'V' must be 'VV'");
        t.kind = Kind::kZoneId;
        break;
      case 'X':
        at_most(5);
        t.kind = Kind::kOffsetX;
        break;
      case 'x':
        at_most(5);
        t.kind = Kind::kOffsetLowerX;
        break;
      case 'Z':
        at_most(5);
        t.kind = Kind::kOffsetZ;
        break;
      default:
        // Spark 3+ rejects the week-based letters (Y, w, W, u as day-number, e, c) and ember does
        // not implement the rarer ones (G, Q, q, F, O, n, N, A, B).
        bad_pattern(pattern, "unsupported pattern letter '" + std::string(1, c) + "'");
    }
    tokens->push_back(std::move(t));
    i = j;
  }
  // Reserve digits for runs of adjacent fixed-width numeric fields, scanning right to left.
  int reserved = 0;
  for (size_t k = tokens->size(); k-- > 0;) {
    Token& t = (*tokens)[k];
    t.reserved_after = reserved;
    int width = fixed_width(t);
    reserved = width > 0 ? reserved + width : 0;
  }
  DateTimePattern result;
  result.pattern_ = std::string(pattern);
  result.tokens_ = std::move(tokens);
  return result;
}

namespace {

void append_offset(std::string& out, int32_t offset, bool colons, bool minutes_always, bool seconds_allowed) {
  out += offset < 0 ? '-' : '+';
  int32_t a = offset < 0 ? -offset : offset;
  append_padded(out, a / 3600, 2);
  int32_t minutes = a / 60 % 60, seconds = a % 60;
  if (minutes_always || minutes != 0 || (seconds_allowed && seconds != 0)) {
    if (colons) out += ':';
    append_padded(out, minutes, 2);
  }
  if (seconds_allowed && seconds != 0) {
    if (colons) out += ':';
    append_padded(out, seconds, 2);
  }
}

// The X/x/Z letters, as java.time's DateTimeFormatterBuilder maps them to offset patterns.
void format_offset(std::string& out, const Token& t, int32_t offset) {
  int n = t.count;
  if (t.kind == Kind::kOffsetZ) {
    if (n <= 3) return append_offset(out, offset, false, true, false);
    if (n == 4) {  // localized: "GMT+08:00", "GMT" for zero
      out += "GMT";
      if (offset != 0) append_offset(out, offset, true, true, true);
      return;
    }
    if (offset == 0) {
      out += 'Z';
      return;
    }
    return append_offset(out, offset, true, true, true);
  }
  if (t.kind == Kind::kOffsetX && offset == 0) {
    out += 'Z';
    return;
  }
  switch (n) {
    case 1: return append_offset(out, offset, false, false, false);  // +HHmm, minutes if nonzero
    case 2: return append_offset(out, offset, false, true, false);   // +HHMM
    case 3: return append_offset(out, offset, true, true, false);    // +HH:MM
    case 4: return append_offset(out, offset, false, true, true);    // +HHMMss
    default: return append_offset(out, offset, true, true, true);    // +HH:MM:ss
  }
}

struct Fields {
  CivilDate date;
  int32_t day_of_year, hour, minute, second, nanos;
  int32_t offset;
  const TimeZone* tz;
  int64_t utc_seconds;
};

void format_fields(std::string& out, const std::vector<Token>& tokens, const Fields& f) {
  for (const Token& t : tokens) {
    switch (t.kind) {
      case Kind::kLiteral: out += t.literal; break;
      case Kind::kYear:
        if (t.count == 2) {
          append_padded(out, ((f.date.year % 100) + 100) % 100, 2);
        } else if (t.count == 1 || t.count == 3) {
          append_padded(out, f.date.year, t.count);
        } else {
          append_year(out, f.date.year, t.count);
        }
        break;
      case Kind::kMonth:
        if (t.count >= 4) {
          out += kMonthNames[f.date.month - 1];
        } else if (t.count == 3) {
          out.append(kMonthNames[f.date.month - 1], 3);
        } else {
          append_padded(out, f.date.month, t.count);
        }
        break;
      case Kind::kDay: append_padded(out, f.date.day, t.count); break;
      case Kind::kDayOfYear: append_padded(out, f.day_of_year, t.count); break;
      case Kind::kHourOfDay: append_padded(out, f.hour, t.count); break;
      case Kind::kClockHourOfDay: append_padded(out, f.hour == 0 ? 24 : f.hour, t.count); break;
      case Kind::kHourOfAmPm: append_padded(out, f.hour % 12, t.count); break;
      case Kind::kClockHourOfAmPm: append_padded(out, f.hour % 12 == 0 ? 12 : f.hour % 12, t.count); break;
      case Kind::kMinute: append_padded(out, f.minute, t.count); break;
      case Kind::kSecond: append_padded(out, f.second, t.count); break;
      case Kind::kFraction: {
        int32_t v = f.nanos;
        for (int k = t.count; k < 9; ++k) v /= 10;
        append_padded(out, v, t.count);
        break;
      }
      case Kind::kAmPm: out += f.hour < 12 ? "AM" : "PM"; break;
      case Kind::kDayOfWeek: {
        const char* name = kDayNames[day_of_week(days_from_civil(f.date.year, f.date.month, f.date.day))];
        if (t.count >= 4) {
          out += name;
        } else {
          out.append(name, 3);
        }
        break;
      }
      case Kind::kZoneName:
        out += t.count >= 4 ? f.tz->id() : f.tz->abbreviation_at_utc(f.utc_seconds);
        break;
      case Kind::kZoneId: out += f.tz->id(); break;
      case Kind::kOffsetX:
      case Kind::kOffsetLowerX:
      case Kind::kOffsetZ: format_offset(out, t, f.offset); break;
    }
  }
}

// What a parse collected; -1 marks a field the input did not give.
struct Parsed {
  int64_t year = -1;
  bool has_year = false;
  int32_t month = -1, day = -1, day_of_year = -1;
  int32_t hour_of_day = -1, hour_of_ampm = -1, am_pm = -1;
  int32_t minute = -1, second = -1, nanos = -1;
  int32_t day_of_week = -1;
  std::optional<int32_t> offset;
  const TimeZone* zone = nullptr;
};

class PatternParser {
 public:
  PatternParser(const std::vector<Token>& tokens, std::string_view s) : tokens_(tokens), s_(s) {}

  bool run(Parsed& p) {
    for (const Token& t : tokens_) {
      if (!token(t, p)) return false;
    }
    return pos_ == s_.size();
  }

 private:
  size_t digits_available() const {
    size_t n = 0;
    while (pos_ + n < s_.size() && is_digit(s_[pos_ + n])) ++n;
    return n;
  }

  // Reads between min and max digits (fewer if the following fixed fields need them).
  std::optional<int64_t> number(int min_digits, int max_digits, int reserved) {
    int available = static_cast<int>(digits_available());
    int take = std::min(max_digits, available - reserved);
    if (take < min_digits) return std::nullopt;
    int64_t v = 0;
    for (int k = 0; k < take; ++k) v = v * 10 + (s_[pos_++] - '0');
    return v;
  }

  // Variable-width fields take one or two digits unless the pattern letter is repeated.
  std::optional<int32_t> small_number(const Token& t, int max_single) {
    auto v = t.count >= 2 ? number(t.count, t.count, 0) : number(1, max_single, t.reserved_after);
    if (!v) return std::nullopt;
    return static_cast<int32_t>(*v);
  }

  std::optional<int> match_name(const std::array<const char*, 12>& names, int n, bool full) {
    for (int k = 0; k < n; ++k) {
      std::string_view name = names[static_cast<size_t>(k)];
      if (!full) name = name.substr(0, 3);
      if (starts_with_ignore_case(s_, pos_, name)) {
        pos_ += name.size();
        return k;
      }
    }
    return std::nullopt;
  }

  std::optional<int32_t> offset(const Token& t) {
    if (pos_ >= s_.size()) return std::nullopt;
    bool z_allowed = t.kind == Kind::kOffsetX || (t.kind == Kind::kOffsetZ && t.count == 5);
    if (z_allowed && (s_[pos_] == 'Z' || s_[pos_] == 'z')) {
      ++pos_;
      return 0;
    }
    if (t.kind == Kind::kOffsetZ && t.count == 4) {
      if (!starts_with_ignore_case(s_, pos_, "GMT")) return std::nullopt;
      pos_ += 3;
      if (pos_ >= s_.size() || (s_[pos_] != '+' && s_[pos_] != '-')) return 0;
    }
    if (s_[pos_] != '+' && s_[pos_] != '-') return std::nullopt;
    int sign = s_[pos_++] == '-' ? -1 : 1;
    auto hours = number(2, 2, 0);
    if (!hours || *hours > 18) return std::nullopt;
    int32_t total = static_cast<int32_t>(*hours) * 3600;
    for (int32_t unit : {60, 1}) {
      size_t save = pos_;
      if (pos_ < s_.size() && s_[pos_] == ':') ++pos_;
      auto part = number(2, 2, 0);
      if (!part || *part > 59) {
        pos_ = save;
        break;
      }
      total += static_cast<int32_t>(*part) * unit;
    }
    return sign * total;
  }

  const TimeZone* zone() {
    size_t start = pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '/' || c == '_' ||
                c == '+' || c == '-' || c == ':' || c == '~' || c == '.';
      if (!ok) break;
      ++pos_;
    }
    if (pos_ == start) return nullptr;
    try {
      return TimeZone::find(std::string(s_.substr(start, pos_ - start)));
    } catch (const EmberError&) {
      return nullptr;
    }
  }

  bool token(const Token& t, Parsed& p) {
    switch (t.kind) {
      case Kind::kLiteral:
        if (!starts_with_ignore_case(s_, pos_, t.literal)) return false;
        pos_ += t.literal.size();
        return true;
      case Kind::kYear: {
        std::optional<int64_t> v;
        if (t.count == 2) {
          v = number(2, 2, 0);
          if (v) *v += 2000;  // java.time's reduced two-digit year, base 2000
        } else {
          int sign = 1;
          if (t.count != 1 && pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) {
            sign = s_[pos_++] == '-' ? -1 : 1;
          }
          v = number(t.count == 1 ? 1 : t.count, 6, t.reserved_after);
          if (v) *v *= sign;
        }
        if (!v) return false;
        p.year = *v;
        p.has_year = true;
        return true;
      }
      case Kind::kMonth: {
        std::optional<int32_t> v;
        if (t.count >= 3) {
          auto k = match_name(kMonthNames, 12, t.count >= 4);
          if (k) v = *k + 1;
        } else {
          v = small_number(t, 2);
        }
        if (!v) return false;
        p.month = *v;
        return true;
      }
      case Kind::kDay: return assign(small_number(t, 2), p.day);
      case Kind::kDayOfYear: return assign(small_number(t, 3), p.day_of_year);
      case Kind::kHourOfDay: return assign(small_number(t, 2), p.hour_of_day);
      case Kind::kClockHourOfDay: {
        auto v = small_number(t, 2);
        if (!v || *v < 1 || *v > 24) return false;
        p.hour_of_day = *v % 24;
        return true;
      }
      case Kind::kHourOfAmPm: return assign(small_number(t, 2), p.hour_of_ampm);
      case Kind::kClockHourOfAmPm: {
        auto v = small_number(t, 2);
        if (!v || *v < 1 || *v > 12) return false;
        p.hour_of_ampm = *v % 12;
        return true;
      }
      case Kind::kMinute: return assign(small_number(t, 2), p.minute);
      case Kind::kSecond: return assign(small_number(t, 2), p.second);
      case Kind::kFraction: {
        auto v = number(t.count, t.count, 0);
        if (!v) return false;
        int64_t nanos = *v;
        for (int k = t.count; k < 9; ++k) nanos *= 10;
        p.nanos = static_cast<int32_t>(nanos);
        return true;
      }
      case Kind::kAmPm:
        if (starts_with_ignore_case(s_, pos_, "AM")) {
          p.am_pm = 0;
        } else if (starts_with_ignore_case(s_, pos_, "PM")) {
          p.am_pm = 1;
        } else {
          return false;
        }
        pos_ += 2;
        return true;
      case Kind::kDayOfWeek: {
        for (int k = 0; k < 7; ++k) {
          std::string_view name = kDayNames[static_cast<size_t>(k)];
          if (t.count < 4) name = name.substr(0, 3);
          if (starts_with_ignore_case(s_, pos_, name)) {
            pos_ += name.size();
            p.day_of_week = k;
            return true;
          }
        }
        return false;
      }
      case Kind::kZoneName:
      case Kind::kZoneId: p.zone = zone(); return p.zone != nullptr;
      case Kind::kOffsetX:
      case Kind::kOffsetLowerX:
      case Kind::kOffsetZ: p.offset = offset(t); return p.offset.has_value();
    }
    return false;
  }

  static bool assign(std::optional<int32_t> v, int32_t& field) {
    if (!v) return false;
    field = *v;
    return true;
  }

  const std::vector<Token>& tokens_;
  std::string_view s_;
  size_t pos_ = 0;
};

// Resolves parsed fields to a date, strictly (as Spark's ResolverStyle.STRICT): an invalid or
// inconsistent date is no date.
std::optional<int64_t> resolve_date(const Parsed& p) {
  int64_t year = p.has_year ? p.year : 1970;
  int64_t days;
  if (p.day_of_year >= 0) {
    int32_t length = is_leap_year(year) ? 366 : 365;
    if (p.day_of_year < 1 || p.day_of_year > length) return std::nullopt;
    days = days_from_civil_wide(year, 1, 1) + p.day_of_year - 1;
    CivilDate d = civil_from_days(static_cast<int32_t>(days));
    if ((p.month >= 0 && p.month != d.month) || (p.day >= 0 && p.day != d.day)) return std::nullopt;
  } else {
    int32_t month = p.month >= 0 ? p.month : 1;
    int32_t day = p.day >= 0 ? p.day : 1;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(static_cast<int32_t>(year), month)) {
      return std::nullopt;
    }
    days = days_from_civil_wide(year, month, day);
  }
  if (p.day_of_week >= 0 && day_of_week(static_cast<int32_t>(days)) != p.day_of_week) {
    return std::nullopt;
  }
  return days;
}

}  // namespace

std::optional<int32_t> DateTimePattern::parse_date(std::string_view s) const {
  Parsed p;
  if (!PatternParser(*tokens_, s).run(p)) return std::nullopt;
  if (p.has_year && (p.year < -290000 || p.year > 290000)) return std::nullopt;
  auto days = resolve_date(p);
  if (!days) return std::nullopt;
  return static_cast<int32_t>(*days);
}

std::optional<int64_t> DateTimePattern::parse_timestamp(std::string_view s, const TimeZone& tz) const {
  Parsed p;
  if (!PatternParser(*tokens_, s).run(p)) return std::nullopt;
  if (p.has_year && (p.year < -290000 || p.year > 290000)) return std::nullopt;
  auto days = resolve_date(p);
  if (!days) return std::nullopt;
  int32_t hour = 0;
  if (p.hour_of_day >= 0) {
    hour = p.hour_of_day;
    if (p.am_pm >= 0 && (hour >= 12) != (p.am_pm == 1)) return std::nullopt;
  } else if (p.hour_of_ampm >= 0) {
    // Spark assumes AM when a 12-hour clock field comes without 'a'.
    hour = p.hour_of_ampm + (p.am_pm == 1 ? 12 : 0);
  }
  int32_t minute = p.minute >= 0 ? p.minute : 0;
  int32_t second = p.second >= 0 ? p.second : 0;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  int64_t second_of_day = int64_t{hour} * 3600 + minute * 60 + second;
  int64_t micros = p.nanos >= 0 ? p.nanos / 1000 : 0;
  CivilDate d = civil_from_days(static_cast<int32_t>(*days));
  if (p.offset) {
    TimeZone fixed("", *p.offset);
    return checked_local_to_micros(d.year, d.month, d.day, second_of_day, micros, fixed);
  }
  return checked_local_to_micros(d.year, d.month, d.day, second_of_day, micros,
                                 p.zone != nullptr ? *p.zone : tz);
}

std::string DateTimePattern::format_date(int32_t days) const {
  Fields f{};
  f.date = civil_from_days(days);
  f.day_of_year = days - days_from_civil(f.date.year, 1, 1) + 1;
  f.tz = TimeZone::utc();
  f.utc_seconds = int64_t{days} * kSecondsPerDay;
  std::string out;
  format_fields(out, *tokens_, f);
  return out;
}

std::string DateTimePattern::format_timestamp(int64_t micros, const TimeZone& tz) const {
  CivilDateTime t = micros_to_civil(micros, tz);
  Fields f{};
  f.date = t.date;
  f.day_of_year =
      days_from_civil(t.date.year, t.date.month, t.date.day) - days_from_civil(t.date.year, 1, 1) + 1;
  f.hour = t.hour;
  f.minute = t.minute;
  f.second = t.second;
  f.nanos = t.micros * 1000;
  f.utc_seconds = floor_div(micros, kMicrosPerSecond);
  f.offset = tz.offset_at_utc(f.utc_seconds);
  f.tz = &tz;
  std::string out;
  format_fields(out, *tokens_, f);
  return out;
}

}  // namespace ember
