#pragma once
// Spark's JSON data source, read side (JSON lines, or one JSON value per file with multiLine):
// schema inference on the driver as Spark's JsonInferSchema does it, and a split reader that
// turns records into typed, column-pruned batches on the workers. Parsing is simdjson's (DOM).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/io/csv/csv_reader.h"
#include "ember/io/fs/local_file_system.h"
#include "ember/io/json/json_options.h"
#include "ember/types/data_type.h"
#include "ember/types/time_zone.h"
#include "ember/vector/batch.h"

namespace ember {

// The CSV reader's split rule (one concept): byte ranges of about max_split_bytes cut at line
// starts, whole files with multiLine.
std::vector<CsvSplit> plan_json_splits(const std::vector<FileInfo>& files, const JsonOptions& options,
                                       int64_t max_split_bytes);

// Spark's inference over every record of `files`: objects become structs with their fields sorted
// by name, integers bigint (decimal(20,0) past bigint), other numbers double, mixed numbers widen,
// any other conflict is string, and null-only fields string. With PERMISSIVE a malformed record
// adds the corrupt-record column; FAILFAST throws naming the file and line. The files are read in
// splits by `threads` threads.
Schema infer_json_schema(const std::vector<FileInfo>& files, const JsonOptions& options, int threads = 1);

// Throws when `schema` holds a type the JSON reader cannot produce (binary, maps with non-string
// keys) or a corrupt-record column that is not a string.
void check_json_read_schema(const Schema& schema, const JsonOptions& options);

class JsonSplitReader {
 public:
  // `projection` lists indices into file_schema; output batches hold exactly those columns. A
  // string column named options.column_name_of_corrupt_record is not read from the records: it
  // holds the raw text of malformed records (PERMISSIVE) and null otherwise. With
  // options.bad_records_path, malformed records go to `bad_records_dir` (bad_records_directory of
  // io/bad_records.h) instead of the result.
  JsonSplitReader(CsvSplit split, Schema file_schema, std::vector<int> projection, JsonOptions options,
                  const TimeZone& tz, std::string bad_records_dir = {});
  ~JsonSplitReader();
  JsonSplitReader(const JsonSplitReader&) = delete;
  JsonSplitReader& operator=(const JsonSplitReader&) = delete;

  // Fills `out` with the next batch (about kBatchSize rows); false at the end of the split.
  bool next(Batch& out);
  int64_t bad_records() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember
