#pragma once
// Spark's ANSI interval values: INTERVAL YEAR TO MONTH (int32 months) and INTERVAL DAY TO SECOND
// (int64 microseconds), and the text Spark prints for them (its ANSI interval style, used by
// show(), CAST(... AS STRING) and literals in explain).
#include <cstdint>
#include <string>

#include "ember/types/data_type.h"

namespace ember {

// Interval fields, as DataType::start_field() / end_field() hold them.
inline constexpr int kIntervalYear = 0, kIntervalMonth = 1;
inline constexpr int kIntervalDay = 0, kIntervalHour = 1, kIntervalMinute = 2, kIntervalSecond = 3;

// "INTERVAL '1-2' YEAR TO MONTH", "INTERVAL '1' YEAR", "INTERVAL '14' MONTH".
void append_year_month_interval(std::string& out, int32_t months, int start_field, int end_field);
// "INTERVAL '1 02:03:04.5' DAY TO SECOND", "INTERVAL '90' MINUTE", "INTERVAL '-0 01' DAY TO HOUR".
void append_day_time_interval(std::string& out, int64_t micros, int start_field, int end_field);
// Either form, by `type` (an interval type); `value` is the months or the microseconds.
std::string format_interval(const DataType& type, int64_t value);

}  // namespace ember
