#pragma once
// Spark's CSV data source, write side: one output file in the format univocity's CsvWriter
// produces with Spark's settings.
#include <memory>
#include <string>

#include "ember/io/csv/csv_options.h"
#include "ember/types/data_type.h"
#include "ember/types/time_zone.h"
#include "ember/vector/batch.h"

namespace ember {

class CsvWriter {
 public:
  // Creates (truncates) the file and writes the header line if options.header. Throws kIo naming
  // the path when the file cannot be created, and verify_schema's error (before creating
  // anything) for a column CSV cannot hold.
  CsvWriter(std::string path, Schema schema, CsvOptions options, const TimeZone& tz);

  // Spark's CSVFileFormat.supportDataType: CSV holds atomic values only. Throws kAnalysis
  // UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE naming the first column it cannot hold (e.g. an array).
  // The DataFrameWriter calls this before it touches the target directory.
  static void verify_schema(const Schema& schema);
  ~CsvWriter();  // closes without throwing if close() was not called (the output is then suspect)
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  void write(const Batch& batch);
  // Flushes and closes; throws kIo naming the path on any write error (e.g. ENOSPC).
  void close();

  int64_t rows_written() const { return rows_; }
  int64_t bytes_written() const { return bytes_; }

 private:
  void append_field(std::string_view value);
  void append_value(const Vector& v, size_t row);
  void flush_buffer();

  std::string path_;
  Schema schema_;
  CsvOptions options_;
  const TimeZone* tz_;
  int fd_ = -1;
  std::string buf_;
  std::string scratch_;
  std::string line_sep_;
  std::string empty_value_;
  struct Patterns;
  std::unique_ptr<Patterns> patterns_;
  int64_t rows_ = 0;
  int64_t bytes_ = 0;
  bool first_column_ = true;
};

}  // namespace ember
