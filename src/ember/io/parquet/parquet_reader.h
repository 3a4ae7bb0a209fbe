#pragma once
// ember's Parquet reader: opens a file (magic, footer, schema), exposes row-group metadata and
// statistics for pruning, and reads the requested columns of a row group into Batches.
//
//   auto reader = ParquetFileReader::open("part-0.parquet");
//   const Schema& schema = reader->schema();
//   for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
//     ParquetRowGroupInfo info = reader->row_group(rg);       // num_rows, per-column statistics
//     if (can_skip(info.columns[2])) continue;
//     auto rows = reader->row_group_reader(rg, {0, 2});        // only columns 0 and 2 are read
//     Batch batch;
//     while (rows->next(batch)) consume(batch);
//   }
//
// Column pruning is physical: the column chunks of columns outside the projection are never read
// from disk. A ParquetFileReader is immutable once open; row-group readers share its open file and
// may run on different threads at once (each reader itself is single-threaded).
//
// Supported: flat schemas (required and optional columns); every physical type; the logical and
// converted types Spark reads (see parquet_schema.h); data page v1 and v2; PLAIN, dictionary,
// RLE, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT; the
// UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW and LZ4 codecs. Nested columns, encrypted files and
// BROTLI/LZO raise EmberError(kUnsupported). A corrupt or truncated file raises
// EmberError(kMalformedInput) naming the file, and the column and row group when the damage is in
// the data.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/io/parquet/parquet_metadata.h"
#include "ember/io/parquet/parquet_options.h"
#include "ember/io/parquet/parquet_statistics.h"
#include "ember/types/data_type.h"
#include "ember/vector/batch.h"

namespace ember {

namespace parquet {
class InputFile;
class ColumnReader;
struct MappedSchema;
struct ColumnDescriptor;
}  // namespace parquet

// One data page of a column chunk, from the page index (OffsetIndex + ColumnIndex).
struct ParquetPageStatistics {
  int64_t first_row = 0;  // within the row group
  int64_t num_rows = 0;
  std::optional<Value> min;  // absent for all-null pages and when the bounds cannot be trusted
  std::optional<Value> max;
  std::optional<int64_t> null_count;
  bool all_null = false;
};

// A half-open range of rows [begin, end) within a row group.
struct ParquetRowRange {
  int64_t begin = 0;
  int64_t end = 0;
};

// What the planner needs to decide whether a row group can be skipped.
struct ParquetRowGroupInfo {
  int64_t num_rows = 0;
  int64_t total_byte_size = 0;                   // uncompressed
  int64_t compressed_size = 0;                   // sum of the column chunks' compressed sizes
  std::vector<ParquetColumnStatistics> columns;  // one per schema field

  const ParquetColumnStatistics& stats(size_t column) const { return columns.at(column); }
};

// Reads the projected columns of one row group, a batch at a time.
class ParquetRowGroupReader {
 public:
  ~ParquetRowGroupReader();
  ParquetRowGroupReader(const ParquetRowGroupReader&) = delete;
  ParquetRowGroupReader& operator=(const ParquetRowGroupReader&) = delete;

  // Fills `out` with the next batch of up to options.batch_size rows, one column per projected
  // field in projection order; false when the row group is exhausted. With an empty projection
  // the batches carry row counts only (for count(*)). A batch never spans two row ranges.
  bool next(Batch& out);
  // Selected rows not yet returned.
  int64_t rows_left() const { return rows_left_; }

  // Column by column, for a scan that filters while it reads (late materialisation):
  // start_batch() gives the next batch's row count (0: the row group is exhausted), then each
  // projected column is read once — whole, only some rows, or skipped — and finish_batch() ends
  // the batch. next() is these steps for every column whole.
  size_t start_batch();
  VectorPtr read_column(size_t column, size_t n);
  // Rows sel[0..count) of the batch (ascending, count > 0), decoding as little else as it can.
  VectorPtr read_column_selected(size_t column, size_t n, const uint32_t* sel, size_t count);
  void skip_column(size_t column, size_t n);
  void finish_batch(size_t n);
  // Values of this reader's columns passed over without being materialised.
  int64_t values_skipped() const;

 private:
  friend class ParquetFileReader;
  ParquetRowGroupReader(std::vector<std::unique_ptr<parquet::ColumnReader>> columns,
                        std::vector<ParquetRowRange> ranges, size_t batch_size);
  std::vector<std::unique_ptr<parquet::ColumnReader>> columns_;
  std::vector<ParquetRowRange> ranges_;
  size_t range_ = 0;      // current range
  int64_t position_ = 0;  // next row of the row group the column readers stand at
  int64_t rows_left_ = 0;
  size_t batch_size_;
};

class ParquetFileReader {
 public:
  // Opens and validates the file: magic bytes, footer, schema mapping, row-group layout. Throws
  // EmberError(kIo, PATH_NOT_FOUND) for a missing file, kMalformedInput naming the file when it is
  // not Parquet or its footer is corrupt, kUnsupported for files ember cannot read.
  static std::unique_ptr<ParquetFileReader> open(const std::string& path, ParquetReadOptions options = {});
  ~ParquetFileReader();
  ParquetFileReader(const ParquetFileReader&) = delete;
  ParquetFileReader& operator=(const ParquetFileReader&) = delete;

  const std::string& path() const;
  // The file's columns as ember fields. Nullability follows the file (REQUIRED → not nullable);
  // Spark's file sources then mark every field nullable, which is the caller's choice.
  const Schema& schema() const;
  int64_t num_rows() const;
  int num_row_groups() const;
  int64_t file_size() const;
  // Bytes read from the file so far by this reader and its row-group readers (footer, page
  // indexes, column chunks).
  int64_t bytes_read() const;

  // Row count, sizes and per-column statistics of row group i (decoded on each call).
  ParquetRowGroupInfo row_group(int i) const;
  // Statistics of one column chunk.
  ParquetColumnStatistics column_statistics(int row_group, int column) const;

  // The footer's key-value metadata entry, e.g. "org.apache.spark.sql.parquet.row.metadata".
  std::optional<std::string> key_value(const std::string& key) const;
  std::string created_by() const;
  // The raw footer, for tools and tests.
  const parquet::FileMetaData& metadata() const { return *metadata_; }

  // The page index of one column chunk: per data page, its rows and (when the file has a column
  // index) its bounds and null count, for page-level pruning. nullopt when the file has no offset
  // index for the chunk. Throws kMalformedInput naming the file for a corrupt index.
  std::optional<std::vector<ParquetPageStatistics>> page_statistics(int row_group, int column) const;

  // A reader of row group i producing the given columns (indices into schema(), any order,
  // repetitions allowed). Throws kIllegalArgument for an index out of range.
  std::unique_ptr<ParquetRowGroupReader> row_group_reader(int i, const std::vector<int>& projection) const;
  // The same, producing only the rows in `ranges` (sorted, non-overlapping, within the row group;
  // e.g. the pages page_statistics() could not rule out). Data pages holding no selected row are
  // not decompressed or decoded, and not read from disk when the chunk has an offset index.
  // Throws kIllegalArgument for invalid ranges.
  std::unique_ptr<ParquetRowGroupReader> row_group_reader(int i, const std::vector<int>& projection,
                                                          std::vector<ParquetRowRange> ranges) const;
  // Reads row group i through `sink`, one batch at a time.
  void read_row_group(int i, const std::vector<int>& projection,
                      const std::function<void(Batch&)>& sink) const;

 private:
  ParquetFileReader() = default;
  void check_row_group(int i) const;
  // The offset index of a flat column's chunk, nullopt when the file has none.
  std::optional<parquet::OffsetIndex> read_offset_index(int row_group,
                                                        const parquet::ColumnDescriptor& desc) const;

  std::shared_ptr<const parquet::InputFile> file_;
  ParquetReadOptions options_;
  std::unique_ptr<parquet::FileMetaData> metadata_;
  std::unique_ptr<parquet::MappedSchema> mapped_;
};

}  // namespace ember
