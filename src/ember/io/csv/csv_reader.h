#pragma once
// Spark's CSV data source, read side: split planning and schema discovery on the driver, and a
// split reader that produces typed, column-pruned batches on the workers.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/io/csv/csv_options.h"
#include "ember/io/csv/csv_schema_inference.h"
#include "ember/io/fs/local_file_system.h"
#include "ember/types/data_type.h"
#include "ember/types/time_zone.h"
#include "ember/vector/batch.h"

namespace ember {

struct CsvSplit {
  std::string path;
  int64_t start = 0;
  int64_t length = 0;
  int64_t file_size = 0;
};

// One split per file, or byte ranges of about max_split_bytes for larger files unless multiLine
// is set (a record may then span any number of lines, so only whole files can be split safely).
// Empty files produce no split.
std::vector<CsvSplit> plan_csv_splits(const std::vector<FileInfo>& files, const CsvOptions& options,
                                      int64_t max_split_bytes);

class CsvSplitReader {
 public:
  // `projection` lists indices into file_schema; output batches hold exactly those columns, in
  // that order. Columns outside the projection are tokenized (to find the separators) but never
  // converted or copied.
  // When file_schema holds a string column named options.column_name_of_corrupt_record, that column
  // is not read from the file: it carries the raw text of malformed records (PERMISSIVE) and null
  // otherwise. `bad_records_dir` (see bad_records_directory in io/bad_records.h) receives the
  // rejected records when options.bad_records_path is set.
  CsvSplitReader(CsvSplit split, Schema file_schema, std::vector<int> projection, CsvOptions options,
                 const TimeZone& tz, std::string bad_records_dir = {});
  ~CsvSplitReader();
  CsvSplitReader(const CsvSplitReader&) = delete;
  CsvSplitReader& operator=(const CsvSplitReader&) = delete;

  // Fills `out` with the next batch (about kBatchSize rows); false at the end of the split.
  // Malformed records are handled per options.mode (FAILFAST throws kMalformedInput).
  bool next(Batch& out);

  // The first owned record starts at record_start(); the last consumed one ended at record_end(),
  // which may lie past the split end. For consecutive splits of a file, split k's record_start
  // must equal split k-1's record_end; otherwise a quoted newline straddles the boundary (see
  // check_csv_split_continuity).
  int64_t record_start() const;
  int64_t record_end() const;
  int64_t rows_read() const;
  int64_t bytes_read() const;
  // Malformed records met so far (kept as nulls, dropped, or written to badRecordsPath).
  int64_t bad_records() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Throws INVALID_CORRUPT_RECORD_TYPE when the schema holds the corrupt-record column with a type
// other than STRING.
void check_corrupt_record_column(const Schema& schema, const CsvOptions& options);

// Driver-side check after all splits of a file were read: throws kMalformedInput suggesting
// multiLine=true when split k did not start where split k-1 stopped.
void check_csv_split_continuity(const std::string& path, int64_t previous_record_end,
                                int64_t next_record_start);

}  // namespace ember
