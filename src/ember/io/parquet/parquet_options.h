#pragma once
// Options of ember's Parquet reader and writer. Keys follow Spark's DataFrameReader/Writer
// options and the parquet-mr Hadoop settings Spark passes through (case-insensitive; unknown keys
// are ignored, as in Spark).
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ember/io/parquet/parquet_metadata.h"
#include "ember/vector/batch.h"

namespace ember {

struct ParquetReadOptions {
  // spark.sql.parquet.binaryAsString: unannotated BYTE_ARRAY columns read as strings, for files
  // from writers that never annotate strings (old Impala, Hive).
  bool binary_as_string = false;
  // spark.sql.legacy.parquet.nanosAsLong: INT64 TIMESTAMP(NANOS) reads as bigint nanoseconds.
  // Without it ember reads such columns as timestamps truncated to microseconds, where Spark
  // refuses the file (see docs/parquet.md).
  bool nanos_as_long = false;
  // Rows per output batch.
  size_t batch_size = kBatchSize;
  // dictionaryVectors (ember's): string columns of dictionary-encoded chunks may travel as
  // dictionary vectors to the operators that understand them. Off: every string is copied per row
  // (the flat path; for comparisons and measurements).
  bool dictionary_vectors = true;
  // Not a user option: the reader returns dictionary vectors (ColumnChunkReader::
  // set_dictionary_output). The scan sets it when its consumer asked for dictionaries
  // (Operator::request_dictionaries) and dictionary_vectors allows it.
  bool dictionary_output = false;

  // Keys: binaryAsString, nanosAsLong (and their spark.sql.* names), batchSize, dictionaryVectors. Throws
  // EmberError(kIllegalArgument) naming the option for a value it cannot accept.
  static ParquetReadOptions parse(const std::map<std::string, std::string>& options);
};

struct ParquetWriteOptions {
  // compression / spark.sql.parquet.compression.codec: none|uncompressed, snappy (default), gzip,
  // zstd, lz4 (written as LZ4_RAW; see docs/parquet.md), lz4_raw.
  parquet::CompressionCodec compression = parquet::CompressionCodec::kSnappy;
  int compression_level = 0;  // 0: the codec's default (gzip 6, zstd 3)
  // parquet.block.size: a row group is closed once its encoded size reaches this many bytes.
  int64_t row_group_size = int64_t{128} << 20;
  // A row group is also closed at this many rows (ember's knob; 0 = no limit).
  int64_t row_group_max_rows = 0;
  // parquet.page.size: a data page is closed once its encoded values reach this many bytes.
  int64_t page_size = int64_t{1} << 20;
  // parquet.page.row.count.limit: ... or this many rows.
  int64_t page_row_limit = 20000;
  // parquet.enable.dictionary and parquet.dictionary.page.size: dictionary-encode each column
  // chunk until its dictionary grows past this many bytes, then fall back to PLAIN.
  bool enable_dictionary = true;
  int64_t dictionary_page_size = int64_t{1} << 20;
  // Written into the footer's created_by.
  std::string created_by = "ember version 0.1.0";
  // Extra key-value metadata for the footer (the Spark schema is added by the writer).
  std::vector<std::pair<std::string, std::string>> key_value_metadata;

  // Keys: compression (and spark.sql.parquet.compression.codec), compression.level,
  // parquet.block.size, parquet.page.size, parquet.page.row.count.limit, parquet.enable.dictionary,
  // parquet.dictionary.page.size, rowGroupMaxRows. Throws EmberError(kIllegalArgument) naming the
  // option for a value it cannot accept.
  static ParquetWriteOptions parse(const std::map<std::string, std::string>& options);
};

// Spark's codec names → Parquet codec; throws kIllegalArgument listing the accepted names.
parquet::CompressionCodec parse_parquet_compression(const std::string& name);

}  // namespace ember
