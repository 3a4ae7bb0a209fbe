#pragma once
// Spark's CSV data source options (DataFrameReader/Writer .option(...)), parsed once per scan or
// write. Keys are case-insensitive, unknown keys are ignored, as in Spark.
#include <map>
#include <string>

#include "ember/io/source_options.h"

namespace ember {

struct CsvOptions {
  using Mode = ReadMode;

  bool header = false;
  char sep = ',';
  char quote = '"';    // '\0': quoting disabled (option quote="")
  char escape = '\\';  // escapes the quote inside a quoted field; '\0': none
  // Escapes the escape character itself; '\0' when the user did not set it (univocity then uses
  // `escape` when it differs from `quote`).
  char char_to_escape_quote_escaping = '\0';
  char comment = '\0';  // '\0': comment lines are not recognised
  std::string null_value;
  // Spark reads an empty quoted field ("") as emptyValue (default "") and writes an empty string
  // as emptyValue (default `""`); the defaults differ, so remember whether the user set it.
  std::string empty_value;
  bool empty_value_set = false;
  std::string nan_value = "NaN";
  std::string positive_inf = "Inf";
  std::string negative_inf = "-Inf";
  std::string date_format = "yyyy-MM-dd";
  bool date_format_set = false;  // unset: reading falls back to Spark's lenient CAST rules
  std::string timestamp_format;  // empty: reading uses CAST rules, writing Spark's ISO default
  bool infer_schema = false;
  bool prefer_date = true;
  bool multi_line = false;
  // ember's default is FAILFAST, deliberately unlike Spark's PERMISSIVE: never silently wrong data.
  Mode mode = Mode::kFailFast;
  // PERMISSIVE puts the raw text of a malformed record into this string column when the schema
  // has it (the column is not read from the file; it is null for well-formed records).
  std::string column_name_of_corrupt_record = "_corrupt_record";
  // When set (Databricks' option), every malformed record is written as a JSON line with its file,
  // line and reason under <badRecordsPath>/<query start, UTC yyyyMMddTHHmmss>/bad_records/ and
  // left out of the result, whatever the mode.
  std::string bad_records_path;
  // Spark trims nothing when reading and trims both ends when writing, unless told otherwise.
  bool ignore_leading_white_space = false;
  bool ignore_trailing_white_space = false;
  bool ignore_leading_white_space_in_write = true;
  bool ignore_trailing_white_space_in_write = true;
  std::string line_sep;  // empty: \n, \r\n and \r when reading, \n when writing
  double sampling_ratio = 1.0;
  bool quote_all = false;
  bool escape_quotes = true;
  std::string time_zone;  // empty: the session time zone
  std::string encoding = "UTF-8";

  const std::string& empty_value_in_read() const { return empty_value; }
  std::string empty_value_in_write() const { return empty_value_set ? empty_value : "\"\""; }
  // The escape-of-escape character univocity applies (CsvFormat.getCharToEscapeQuoteEscaping).
  char effective_escape_escape() const {
    if (char_to_escape_quote_escaping != '\0') return char_to_escape_quote_escaping;
    return quote == escape ? '\0' : escape;
  }
  static const char* mode_name(Mode mode);

  // Throws EmberError(kIllegalArgument) naming the option when a value cannot be accepted.
  static CsvOptions parse(const std::map<std::string, std::string>& options);
};

}  // namespace ember
