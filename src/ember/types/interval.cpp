#include "ember/types/interval.h"

#include <cstdio>

#include "ember/types/temporal.h"

namespace ember {

void append_year_month_interval(std::string& out, int32_t months, int start_field, int end_field) {
  // Spark's IntervalUtils.toYearMonthIntervalString (ANSI style).
  const int64_t abs_months = months < 0 ? -int64_t{months} : int64_t{months};
  const std::string year = (months < 0 ? "-" : "") + std::to_string(abs_months / 12);
  out += "INTERVAL '";
  if (start_field == end_field) {
    if (start_field == kIntervalYear) {
      out += year + "' YEAR";
    } else {
      out += std::to_string(months) + "' MONTH";
    }
  } else {
    out += year + "-" + std::to_string(abs_months % 12) + "' YEAR TO MONTH";
  }
}

namespace {

// Seconds with their fraction and no trailing zeros ("4", "4.5", "0.000001"), two digits before
// the point as Spark pads them ("04.5"): BigDecimal.valueOf(micros, 6).stripTrailingZeros.
void append_seconds(std::string& out, uint64_t micros) {
  const uint64_t whole = micros / 1'000'000, frac = micros % 1'000'000;
  if (micros < 10'000'000) out += '0';
  out += std::to_string(whole);
  if (frac != 0) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%06llu", static_cast<unsigned long long>(frac));
    std::string digits(buf);
    digits.erase(digits.find_last_not_of('0') + 1);
    out += "." + digits;
  }
}

void append_two_digits(std::string& out, uint64_t v) {
  if (v < 10) out += '0';
  out += std::to_string(v);
}

}  // namespace

void append_day_time_interval(std::string& out, int64_t micros, int start_field, int end_field) {
  // Spark's IntervalUtils.toDayTimeIntervalString (ANSI style). The magnitude is unsigned so the
  // smallest int64 prints without overflow.
  static const char* const kNames[] = {"DAY", "HOUR", "MINUTE", "SECOND"};
  constexpr uint64_t kHour = 3600ULL * 1'000'000, kMinute = 60ULL * 1'000'000;
  uint64_t rest = micros < 0 ? uint64_t{0} - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  out += "INTERVAL '";
  if (micros < 0) out += '-';
  switch (start_field) {
    case kIntervalDay:
      out += std::to_string(rest / static_cast<uint64_t>(kMicrosPerDay));
      rest %= static_cast<uint64_t>(kMicrosPerDay);
      break;
    case kIntervalHour:
      append_two_digits(out, rest / kHour);
      rest %= kHour;
      break;
    case kIntervalMinute:
      append_two_digits(out, rest / kMinute);
      rest %= kMinute;
      break;
    default: append_seconds(out, rest); break;
  }
  if (start_field < kIntervalHour && kIntervalHour <= end_field) {
    out += ' ';
    append_two_digits(out, rest / kHour);
    rest %= kHour;
  }
  if (start_field < kIntervalMinute && kIntervalMinute <= end_field) {
    out += ':';
    append_two_digits(out, rest / kMinute);
    rest %= kMinute;
  }
  if (start_field < kIntervalSecond && kIntervalSecond <= end_field) {
    out += ':';
    append_seconds(out, rest);
  }
  out += "' ";
  out += kNames[start_field];
  if (end_field != start_field) out += std::string(" TO ") + kNames[end_field];
}

std::string format_interval(const DataType& type, int64_t value) {
  std::string out;
  if (type.id() == TypeId::kYearMonthInterval) {
    append_year_month_interval(out, static_cast<int32_t>(value), type.start_field(), type.end_field());
  } else {
    append_day_time_interval(out, value, type.start_field(), type.end_field());
  }
  return out;
}

}  // namespace ember
