#pragma once
// Rejected input records (Databricks' badRecordsPath option), one home for the CSV and JSON
// readers: each malformed record becomes a JSON line {"path", "line", "record", "reason"} under
// <badRecordsPath>/<query start, UTC yyyyMMddTHHmmss>/bad_records/, one file per input split.
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

namespace ember {

// The directory one query writes its rejected records to: <base>/<yyyyMMddTHHmmss of the query
// start, UTC>/bad_records, Databricks' layout for badRecordsPath.
std::string bad_records_directory(const std::string& base, int64_t query_start_micros);

// The rejected records of one split. The file is named by the input file and the split start, so
// every attempt of a split writes the same file and a retry replaces a failed attempt's lines
// instead of adding to them; it is created (or truncated) by the first flush with records.
class BadRecordsWriter {
 public:
  // `option_value`: the badRecordsPath the user gave, quoted in errors.
  BadRecordsWriter(std::string dir, std::string split_path, int64_t split_start, std::string option_value);
  ~BadRecordsWriter();

  // Buffers one rejected record; `line` is its 1-based line in split_path.
  void add(int64_t line, std::string_view record, std::string_view reason);
  // Writes the buffered records; throws kIo naming the file when it cannot.
  void flush();

 private:
  std::string dir_, split_path_, option_value_;
  int64_t split_start_;
  std::string pending_;
  std::unique_ptr<std::ofstream> out_;
};

}  // namespace ember
