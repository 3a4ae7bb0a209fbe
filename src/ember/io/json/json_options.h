#pragma once
// Spark's JSON data source options (DataFrameReader .option(...)), parsed once per scan. Keys are
// case-insensitive, unknown keys are ignored, as in Spark.
#include <map>
#include <string>

#include "ember/io/csv/csv_options.h"

namespace ember {

struct JsonOptions {
  // The malformed-record modes are the CSV reader's (one concept): PERMISSIVE, DROPMALFORMED,
  // FAILFAST.
  using Mode = CsvOptions::Mode;

  // false: JSON lines, one record per line, files split at line starts. true: each file is one
  // JSON value (an object is one row, an array of objects one row per element).
  bool multi_line = false;
  // ember's default is FAILFAST, as for CSV (docs/deviations.md): never silently wrong data.
  Mode mode = Mode::kFailFast;
  std::string column_name_of_corrupt_record = "_corrupt_record";
  // When set (Databricks' option, as for CSV), every malformed record is written as a JSON line
  // with its file, line and reason under <badRecordsPath>/<query start>/bad_records/ and left out
  // of the result, whatever the mode (io/bad_records.h).
  std::string bad_records_path;
  // Empty: dates and timestamps are read with Spark's CAST rules (ISO 8601 forms).
  std::string date_format;
  std::string timestamp_format;
  // Inference: every primitive becomes a string (primitivesAsString).
  bool primitives_as_string = false;
  std::string time_zone;  // empty: the session time zone

  // Throws EmberError(kIllegalArgument) naming the option when a value cannot be accepted.
  static JsonOptions parse(const std::map<std::string, std::string>& options);
};

}  // namespace ember
