#pragma once
// Reads one column chunk (one column of one row group) into ember vectors. The chunk's bytes are
// read with one positioned read when the first rows are asked for, then decoded page by page:
// dictionary page, data pages v1 and v2, definition levels for nulls, any supported values
// encoding and codec. Pages are decoded in runs straight into the output vector: values densely,
// then spread over the null positions; dictionary pages are converted to an ember vector once and
// data pages gather from it.
//
// Every length read from the file is checked against the bytes present; a corrupt or truncated
// chunk raises EmberError(kMalformedInput) naming the file, the column, the row group and what is
// wrong.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ember/common/error.h"
#include "ember/io/parquet/input_file.h"
#include "ember/io/parquet/parquet_metadata.h"
#include "ember/io/parquet/parquet_schema.h"
#include "ember/io/parquet/rle_bit_packed_hybrid.h"
#include "ember/io/parquet/values_decoder.h"
#include "ember/vector/vector.h"

namespace ember::parquet {

// Reads one column of a row group in row order, a batch at a time.
class ColumnReader {
 public:
  virtual ~ColumnReader() = default;
  // The next n rows as a new vector of the column's type.
  virtual VectorPtr read(size_t n) = 0;
  // Passes over the next n rows.
  virtual void skip(size_t n) = 0;
  // Of the next n rows, only rows sel[0..count) (ascending, each < n) as a new vector of count
  // rows: how a scan that filtered the batch on other columns reads the rest (late
  // materialisation). count > 0 (a batch with nothing selected skips). This default decodes all n
  // rows and gathers.
  virtual VectorPtr read_selected(size_t n, const uint32_t* sel, size_t count);
  // skip(n) for rows a scan's filter dropped (counted in values_skipped()).
  void skip_unselected(size_t n) {
    skip(n);
    values_skipped_ += static_cast<int64_t>(n);
  }
  // Values passed over without being materialised into a vector (by skip_unselected or not
  // selected by read_selected).
  int64_t values_skipped() const { return values_skipped_; }

 protected:
  int64_t values_skipped_ = 0;
};

// Every level entry of a nested leaf's column chunk: repetition and definition levels, and one
// value slot per entry (null unless the entry's definition level is the leaf's maximum).
struct LeafEntries {
  std::vector<uint8_t> rep;
  std::vector<uint8_t> def;
  VectorPtr values;
};

class ColumnChunkReader final : public ColumnReader {
 public:
  // `meta` is the chunk's ColumnMetaData; `num_rows` the row group's row count.
  ColumnChunkReader(std::shared_ptr<const InputFile> file, ColumnDescriptor column,
                    const ColumnMetaData& meta, int64_t num_rows, int row_group);

  // The next n rows (n <= rows_left()) as a new vector of the column's type.
  VectorPtr read(size_t n) override;
  // Passes over the next n rows (n <= rows_left()): data pages entirely inside them are neither
  // decompressed nor decoded; partly covered pages are decoded and the values dropped.
  void skip(size_t n) override;
  // Fixed-width flat columns decode the selected rows alone: dictionary indices are read only
  // at the selected positions when the selection is sparse and runs without a selected row are
  // passed over (pages wholly between selected rows are not decompressed). Strings and nested
  // leaves decode and gather.
  VectorPtr read_selected(size_t n, const uint32_t* sel, size_t count) override;
  int64_t rows_left() const { return num_rows_ - rows_read_; }
  // The chunk's data pages from its offset index. With them, the chunk is read page by page as
  // rows are asked for, so pages that skip() passes over entirely are never read from disk (the
  // page-level pruning of a scan). Locations that do not tile the chunk's byte range are ignored
  // and the chunk is read whole. Call before the first read or skip.
  void set_page_locations(std::vector<PageLocation> locations);
  // String columns: read() returns rows of dictionary-encoded pages as a dictionary vector (see
  // vector.h) over the chunk's dictionary plus one null entry, instead of copying each row's
  // bytes. A batch that reaches a page written without the dictionary (a writer's fallback to
  // PLAIN) comes back flat. Call before the first read.
  void set_dictionary_output(bool on) { dictionary_output_ = on; }
  // A leaf of a nested column: the whole chunk's level entries at once (see LeafEntries). Not to
  // be mixed with read/skip.
  LeafEntries read_all_entries();

 private:
  [[noreturn]] void corrupt(const std::string& what) const;
  [[noreturn]] void rethrow_with_context(const EmberError& e) const;
  void load_chunk();
  // With page locations: makes sure the bytes of the page starting at pos_ are in chunk_, or
  // passes over the whole page when it fits in `skip_left` rows (returns the rows passed over,
  // 0 when the page is to be decoded).
  int64_t load_or_pass_page(int64_t skip_left);
  // Moves to the next data page with rows, loading a dictionary page on the way. Data pages of at
  // most `skip_budget` rows in total are passed over without decoding; returns how many rows were
  // passed over (stopping, without starting a page, once the budget is used up).
  int64_t next_page(int64_t skip_budget);
  const uint8_t* page_data(const uint8_t* body, size_t body_size, int64_t uncompressed_size, Buffer& buffer,
                           size_t* size);
  void load_dictionary(const PageHeader& h, const uint8_t* body, size_t size);
  // INT32/INT64/FLOAT/DOUBLE dictionaries are kept as their PLAIN bytes until a read needs the
  // converted vector (ensure_dictionary); a sparse read_selected converts only what it picks.
  bool has_raw_dictionary_layout() const;
  void ensure_dictionary();
  void start_data_page_v1(const PageHeader& h, const uint8_t* body, size_t size);
  void start_data_page_v2(const PageHeader& h, const uint8_t* body, size_t size);
  void start_values(Encoding encoding, const uint8_t* data, size_t size, size_t num_values);
  void read_levels(uint8_t* out, size_t n);
  void read_run(Vector& out, size_t row, size_t k);
  // read() of a dictionary-output string column: codes while the pages are dictionary-encoded.
  VectorPtr read_dictionary_codes(size_t n);
  // Codes of rows [row, row + k) of the current (dictionary-encoded) page; null rows get the null
  // entry's code, and their validity bit is cleared (allocating the bitmap on the first null).
  void read_codes_run(int32_t* codes, BufferPtr& validity, size_t row, size_t k, size_t n);
  void skip_run(size_t k);
  // Rows sel[i] - base (i < count; each below k) of the next k rows of the current page, into
  // out's rows [at, at + count).
  void read_selected_run(Vector& out, size_t at, size_t k, const uint32_t* sel, size_t count, uint32_t base);
  // Decodes m values densely into out's rows [row, row + m): fixed-width outputs only.
  void decode_dense_fixed(ValuesDecoder& decoder, Vector& out, size_t row, size_t m);
  void decode_dense_fixed_from_dictionary(Vector& out, size_t row, size_t m);
  void read_indices(size_t m);
  void append_strings(Vector& out, size_t row, size_t k, size_t m, const uint8_t* levels);

  std::shared_ptr<const InputFile> file_;
  ColumnDescriptor column_;
  CompressionCodec codec_;
  int64_t chunk_offset_ = 0;
  int64_t chunk_length_ = 0;
  int64_t num_rows_;
  int64_t num_values_ = 0;  // level entries in the chunk (== rows for a flat column)
  int64_t rows_read_ = 0;
  int row_group_;

  Buffer chunk_;
  bool loaded_ = false;
  // Page-wise reading (set_page_locations): chunk_ is sized for the whole chunk but only the
  // dictionary prefix and the pages read so far hold bytes.
  std::vector<PageLocation> pages_;
  size_t next_location_ = 0;  // first entry of pages_ at or after pos_
  int64_t indexed_page_rows_ = -1;  // rows the offset index gives the page just read, -1: none
  size_t pos_ = 0;            // next page header in chunk_
  size_t page_offset_ = 0;    // start of the current page (for messages)
  Buffer page_buffer_;        // decompressed data page
  Buffer dictionary_buffer_;  // decompressed dictionary page

  // current data page
  int64_t page_left_ = 0;  // level entries (rows) not yet read
  bool legacy_levels_ = false;
  std::vector<uint8_t> legacy_level_values_;
  size_t legacy_level_pos_ = 0;
  RleBitPackedDecoder def_decoder_;
  RleBitPackedDecoder rep_decoder_;
  bool dictionary_encoded_ = false;
  RleBitPackedDecoder index_decoder_;
  std::unique_ptr<ValuesDecoder> values_;
  VectorPtr dictionary_;             // null while only dictionary_raw_ is loaded
  const uint8_t* dictionary_raw_ = nullptr;
  size_t dictionary_size_ = 0;       // values in the current dictionary page
  bool dictionary_output_ = false;
  VectorPtr coded_dictionary_;  // dictionary_ plus a trailing null entry, made on first use

  // scratch, reused across runs
  std::vector<uint8_t> levels_;
  std::vector<uint32_t> indices_;
  std::vector<uint32_t> run_sel_;    // read_selected_run: the selected rows, relative to the run
  std::vector<uint32_t> local_sel_;  // read_selected_run: their value positions (with nulls)
  std::vector<uint32_t> identity_;   // 0, 1, 2, ...: a decoded run indexed by row
  std::vector<ByteArrayView> views_;
  Buffer physical_;
};

}  // namespace ember::parquet
