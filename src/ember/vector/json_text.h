#pragma once
// Spark's JSON text of a value (JacksonGenerator, as to_json and the JSON writer print it):
// structs as objects with fields in order and null fields left out (Spark's default
// spark.sql.jsonGenerator.ignoreNullFields=true), maps as objects whose keys are the keys' string
// forms and whose null values are written as null, arrays with null elements as null; numbers as
// Java prints them (NaN and infinities quoted, as Jackson quotes non-numeric numbers), strings
// JSON-escaped, dates as "yyyy-MM-dd", timestamps as "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" in the session
// time zone, binary as base64.
#include <string>

#include "ember/types/json_text.h"  // append_json_string: strings are escaped there
#include "ember/vector/vector.h"

namespace ember {

class TimeZone;

// Appends row `row` of `v` (flat, or constant) to `out`. A null row appends "null".
void append_json_value(std::string& out, const Vector& v, size_t row, const TimeZone& tz);

}  // namespace ember
