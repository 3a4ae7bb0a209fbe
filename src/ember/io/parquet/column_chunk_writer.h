#pragma once
// Encodes one column of a row group: data pages v1 with RLE definition levels, values dictionary-
// encoded (RLE_DICTIONARY indices, PLAIN dictionary page) until the dictionary outgrows its size
// limit and PLAIN from then on, each page compressed with the file's codec; plus the chunk's
// statistics (min/max in the column's sort order, null count) and page locations.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/io/parquet/parquet_metadata.h"
#include "ember/io/parquet/parquet_options.h"
#include "ember/io/parquet/parquet_schema.h"
#include "ember/types/data_type.h"
#include "ember/vector/vector.h"

namespace ember::parquet {

// A finished column chunk: write dictionary_page then data_pages; offsets in `meta` and `pages`
// are relative to the start of the chunk (the file writer adds the chunk's file offset).
struct EncodedColumnChunk {
  std::string dictionary_page;  // header and body; empty when no page was dictionary-encoded
  std::string data_pages;
  ColumnMetaData meta;
  std::vector<PageLocation> pages;  // offsets relative to the chunk start
  ColumnIndex column_index;         // per-page min/max/null counts, parallel to `pages`
  bool column_index_valid = false;  // false when some page's bounds are unknown (e.g. all NaN)
};

class ColumnChunkWriter {
 public:
  virtual ~ColumnChunkWriter() = default;
  // Appends rows [offset, offset + count) of `v`, a flat vector of the field's type. Throws
  // EmberError(kIllegalArgument) when a non-nullable field receives a null.
  virtual void write(const Vector& v, size_t offset, size_t count) = 0;
  // A leaf of a nested column: n level entries (rep[i], def[i]); `values` holds, in order, the
  // value of every entry whose definition level is the leaf's maximum (a flat vector without
  // nulls). Pages start at rows (rep == 0), so the page index stays row-aligned.
  virtual void write_entries(const Vector& values, const uint8_t* rep, const uint8_t* def, size_t n) = 0;
  // Bytes buffered for the current chunk: finished pages plus an estimate of the open page.
  virtual size_t buffered_size() const = 0;
  // Finishes the chunk and resets the writer for the next row group.
  virtual EncodedColumnChunk finish() = 0;
};

// `element` is the field's leaf in parquet_schema_for(schema).
std::unique_ptr<ColumnChunkWriter> make_column_chunk_writer(const Field& field, const SchemaElement& element,
                                                            const ParquetWriteOptions& options);

// A writer for one leaf of a nested column: `leaf` from map_parquet_schema of the written schema
// (type and levels), `path` its path_in_schema.
std::unique_ptr<ColumnChunkWriter> make_nested_leaf_writer(const ColumnDescriptor& leaf,
                                                           std::vector<std::string> path,
                                                           const SchemaElement& element,
                                                           const ParquetWriteOptions& options);

}  // namespace ember::parquet
