#pragma once
// ember's Parquet writer: one file from a Schema and a stream of Batches, in the layout Spark
// writes (SparkToParquetSchemaConverter, non-legacy format):
//
//   ParquetFileWriter writer("out/part-00000.snappy.parquet", schema, ParquetWriteOptions::parse(opts));
//   for (const Batch& b : batches) writer.write(b);
//   writer.close();
//
// Types: boolean → BOOLEAN; tinyint/smallint → INT32 INT(8/16); int → INT32; bigint → INT64;
// float → FLOAT; double → DOUBLE; string → BYTE_ARRAY STRING; binary → BYTE_ARRAY; date → INT32
// DATE; timestamp → INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true); decimal(p,s) → INT32 for p <= 9,
// INT64 for p <= 18, else FIXED_LEN_BYTE_ARRAY of the fewest bytes that hold p digits. Nullable
// fields are OPTIONAL, the others REQUIRED.
//
// Layout: row groups of about options.row_group_size bytes (buffered in memory, as parquet-mr
// does), data pages v1 of about options.page_size bytes, dictionary encoding with fallback to
// PLAIN, options.compression on every page, column chunk statistics (min/max in the column's
// order, null counts), a page index (ColumnIndex + OffsetIndex) after the row groups, and the
// footer's key-value metadata org.apache.spark.sql.parquet.row.metadata (the schema as Spark's
// JSON) and org.apache.spark.version, plus created_by.
//
// Errors: a file that cannot be created or written (missing directory, disk full) raises
// EmberError(kIo) naming the file; a batch that does not match the schema raises kIllegalArgument.
// After an error the file is incomplete and must be discarded (the output committer does that).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/io/parquet/parquet_metadata.h"
#include "ember/io/parquet/parquet_options.h"
#include "ember/types/data_type.h"
#include "ember/vector/batch.h"

namespace ember {

namespace parquet {
class ColumnChunkWriter;
struct NestedColumn;
struct ShreddedLeaf;
}  // namespace parquet

class ParquetFileWriter {
 public:
  // Creates (truncates) the file and writes the leading magic bytes. Throws kIo naming the path
  // when the file cannot be created, kUnsupported for a field type Parquet cannot hold here
  // (void, structs without fields).
  ParquetFileWriter(std::string path, Schema schema, ParquetWriteOptions options = {});
  // Closes the descriptor without finishing the file if close() was not called.
  ~ParquetFileWriter();
  ParquetFileWriter(const ParquetFileWriter&) = delete;
  ParquetFileWriter& operator=(const ParquetFileWriter&) = delete;

  // Appends the batch's rows; its columns must match the schema's types, in order.
  void write(const Batch& batch);
  // Flushes the last row group, writes the page index and footer, and closes the file. Throws kIo
  // naming the path on any write error (e.g. ENOSPC).
  void close();

  const std::string& path() const { return path_; }
  int64_t rows_written() const { return rows_written_; }
  int64_t bytes_written() const { return offset_; }
  int num_row_groups() const { return static_cast<int>(row_groups_.size()); }

 private:
  void flush_row_group();
  void write_bytes(const char* data, size_t size);
  void write_bytes(const std::string& s) { write_bytes(s.data(), s.size()); }
  void fail(const std::string& what, int err);

  std::string path_;
  Schema schema_;
  ParquetWriteOptions options_;
  std::vector<parquet::SchemaElement> elements_;
  std::vector<std::unique_ptr<parquet::ColumnChunkWriter>> columns_;  // one per leaf, in file order
  // Per schema field: its first leaf writer, and its shape when nested (shredded into leaves).
  std::vector<size_t> first_writer_;
  std::vector<std::shared_ptr<const parquet::NestedColumn>> nested_;
  std::vector<parquet::ShreddedLeaf> shredded_;  // scratch
  int fd_ = -1;
  int64_t offset_ = 0;
  int64_t rows_written_ = 0;
  int64_t group_rows_ = 0;
  std::vector<parquet::RowGroup> row_groups_;
  // Page indexes of every chunk, written after the last row group: [row group][column].
  struct ChunkIndex {
    parquet::OffsetIndex offset_index;
    parquet::ColumnIndex column_index;
    bool has_column_index = false;
  };
  std::vector<std::vector<ChunkIndex>> page_indexes_;
  bool closed_ = false;
};

}  // namespace ember
