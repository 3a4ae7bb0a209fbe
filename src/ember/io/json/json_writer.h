#pragma once
// Spark's JSON data source, write side: one JSON object per line (JSON lines), each row's fields
// in schema order with null fields left out, values in Spark's JSON text (vector/json_text.h, the
// one formatter to_json uses too: timestamps in the session time zone as
// yyyy-MM-dd'T'HH:mm:ss.SSSXXX, dates as yyyy-MM-dd, decimals as numbers).
#include <cstdio>
#include <string>

#include "ember/types/data_type.h"
#include "ember/types/time_zone.h"
#include "ember/vector/batch.h"

namespace ember {

class JsonWriter {
 public:
  // Creates (truncates) the file; throws kIo naming the path.
  JsonWriter(std::string path, Schema schema, const TimeZone& tz);
  ~JsonWriter();  // closes without throwing if close() was not called (the output is then suspect)
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void write(const Batch& batch);
  // Flushes and closes; throws kIo naming the path on any write error (e.g. ENOSPC).
  void close();

 private:
  void flush();
  std::string path_;
  DataType row_type_;  // struct<schema's fields>
  const TimeZone* tz_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

}  // namespace ember
