#include "ember/io/parquet/parquet_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "ember/common/error.h"
#include "ember/io/parquet/column_chunk_reader.h"
#include "ember/io/parquet/input_file.h"
#include "ember/io/parquet/nested_column_reader.h"
#include "ember/io/parquet/parquet_schema.h"
#include "ember/io/parquet/value_conversion.h"

namespace ember {

using parquet::ColumnChunk;
using parquet::FileMetaData;

namespace {

constexpr char kMagic[] = "PAR1";
constexpr char kEncryptedMagic[] = "PARE";
// Spark's error class for a file whose footer cannot be read.
constexpr const char* kFooterErrorClass = "FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER";

[[noreturn]] void footer_error(const std::string& path, const std::string& what) {
  throw_error(ErrorKind::kMalformedInput, kFooterErrorClass, "Malformed Parquet file " + path + ": " + what);
}

[[noreturn]] void unsupported_file(const std::string& path, const std::string& what) {
  throw_error(ErrorKind::kUnsupported, "cannot read Parquet file " + path + ": " + what);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ParquetRowGroupReader

ParquetRowGroupReader::ParquetRowGroupReader(std::vector<std::unique_ptr<parquet::ColumnReader>> columns,
                                             std::vector<ParquetRowRange> ranges, size_t batch_size)
    : columns_(std::move(columns)),
      ranges_(std::move(ranges)),
      batch_size_(batch_size == 0 ? kBatchSize : batch_size) {
  for (const ParquetRowRange& r : ranges_) rows_left_ += r.end - r.begin;
}

ParquetRowGroupReader::~ParquetRowGroupReader() = default;

size_t ParquetRowGroupReader::start_batch() {
  for (;;) {
    while (range_ < ranges_.size() && position_ >= ranges_[range_].end) ++range_;
    if (range_ >= ranges_.size()) return 0;
    const ParquetRowRange& r = ranges_[range_];
    if (position_ < r.begin) {
      for (auto& c : columns_) c->skip(static_cast<size_t>(r.begin - position_));
      position_ = r.begin;
    }
    // An empty range only moves the columns to its place.
    const int64_t n = std::min<int64_t>(r.end - position_, static_cast<int64_t>(batch_size_));
    if (n > 0) return static_cast<size_t>(n);
  }
}

VectorPtr ParquetRowGroupReader::read_column(size_t column, size_t n) { return columns_[column]->read(n); }

VectorPtr ParquetRowGroupReader::read_column_selected(size_t column, size_t n, const uint32_t* sel,
                                                      size_t count) {
  return columns_[column]->read_selected(n, sel, count);
}

void ParquetRowGroupReader::skip_column(size_t column, size_t n) { columns_[column]->skip_unselected(n); }

void ParquetRowGroupReader::finish_batch(size_t n) {
  position_ += static_cast<int64_t>(n);
  rows_left_ -= static_cast<int64_t>(n);
}

int64_t ParquetRowGroupReader::values_skipped() const {
  int64_t n = 0;
  for (const auto& c : columns_) n += c->values_skipped();
  return n;
}

bool ParquetRowGroupReader::next(Batch& out) {
  const size_t n = start_batch();
  if (n == 0) return false;
  out.columns.clear();
  out.columns.reserve(columns_.size());
  for (auto& c : columns_) out.columns.push_back(c->read(n));
  out.num_rows = n;
  finish_batch(n);
  return true;
}

// ---------------------------------------------------------------------------------------------
// ParquetFileReader

ParquetFileReader::~ParquetFileReader() = default;

std::unique_ptr<ParquetFileReader> ParquetFileReader::open(const std::string& path,
                                                           ParquetReadOptions options) {
  std::unique_ptr<ParquetFileReader> r(new ParquetFileReader());
  r->options_ = options;
  std::shared_ptr<parquet::InputFile> file = parquet::InputFile::open(path);
  r->file_ = file;
  int64_t size = file->size();
  if (size < 12) {
    footer_error(path, "it is not a Parquet file (only " + std::to_string(size) +
                           " bytes; a Parquet file starts and ends with the magic bytes PAR1)");
  }
  uint8_t tail[8];
  file->read_at(size - 8, 8, tail);
  if (std::memcmp(tail + 4, kEncryptedMagic, 4) == 0) {
    unsupported_file(path, "it is encrypted (encrypted footer), which ember does not support");
  }
  if (std::memcmp(tail + 4, kMagic, 4) != 0) {
    footer_error(path, "it is not a Parquet file (expected the magic bytes PAR1 at its end)");
  }
  uint8_t head[4];
  file->read_at(0, 4, head);
  if (std::memcmp(head, kMagic, 4) != 0) {
    footer_error(path, "it is not a Parquet file (expected the magic bytes PAR1 at its start)");
  }
  uint32_t footer_length;
  std::memcpy(&footer_length, tail, 4);
  if (footer_length == 0 || footer_length > static_cast<uint64_t>(size - 12)) {
    footer_error(path, "the footer length " + std::to_string(footer_length) +
                           " does not fit in the file of " + std::to_string(size) +
                           " bytes (is the file truncated?)");
  }
  Buffer footer;
  file->read_at(size - 8 - footer_length, footer_length, footer);
  try {
    r->metadata_ =
        std::make_unique<FileMetaData>(parquet::decode_file_metadata(footer.data(), footer.size()));
  } catch (const EmberError& e) {
    if (e.kind() != ErrorKind::kMalformedInput) throw;
    footer_error(path, std::string("the footer is corrupt: ") + e.what());
  }
  const FileMetaData& m = *r->metadata_;
  if (m.encrypted) unsupported_file(path, "its columns are encrypted, which ember does not support");
  try {
    r->mapped_ = std::make_unique<parquet::MappedSchema>(parquet::map_parquet_schema(m.schema, options));
  } catch (const EmberError& e) {
    if (e.kind() == ErrorKind::kUnsupported) unsupported_file(path, e.what());
    if (e.kind() == ErrorKind::kMalformedInput) footer_error(path, e.what());
    throw;
  }
  const auto& columns = r->mapped_->leaves;
  if (m.num_rows < 0) footer_error(path, "negative row count");
  for (size_t g = 0; g < m.row_groups.size(); ++g) {
    const parquet::RowGroup& rg = m.row_groups[g];
    std::string where = "row group " + std::to_string(g);
    if (rg.num_rows < 0) footer_error(path, where + " has a negative row count");
    if (rg.columns.size() != columns.size()) {
      footer_error(path, where + " has " + std::to_string(rg.columns.size()) +
                             " column chunks but the schema has " + std::to_string(columns.size()) +
                             " columns");
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      const ColumnChunk& chunk = rg.columns[c];
      std::string col = where + ", column '" + columns[c].name + "'";
      if (chunk.encrypted) unsupported_file(path, col + " is encrypted, which ember does not support");
      if (chunk.file_path)
        unsupported_file(path, col + " is stored in another file (" + *chunk.file_path + ")");
      if (!chunk.meta_data) footer_error(path, col + " lacks its column metadata");
      if (chunk.meta_data->type != columns[c].physical) {
        footer_error(path, col + " has physical type " + parquet::physical_type_name(chunk.meta_data->type) +
                               " but the schema says " + parquet::physical_type_name(columns[c].physical));
      }
      // A flat column holds one value (null or not) per row; a nested leaf at least one per row.
      if (columns[c].max_repetition_level == 0 ? chunk.meta_data->num_values != rg.num_rows
                                               : chunk.meta_data->num_values < rg.num_rows) {
        footer_error(path, col + " holds " + std::to_string(chunk.meta_data->num_values) +
                               " values but the row group has " + std::to_string(rg.num_rows) + " rows");
      }
    }
  }
  return r;
}

const std::string& ParquetFileReader::path() const { return file_->path(); }
const Schema& ParquetFileReader::schema() const { return mapped_->schema; }
int64_t ParquetFileReader::num_rows() const { return metadata_->num_rows; }
int ParquetFileReader::num_row_groups() const { return static_cast<int>(metadata_->row_groups.size()); }
int64_t ParquetFileReader::file_size() const { return file_->size(); }
int64_t ParquetFileReader::bytes_read() const { return file_->bytes_read(); }

void ParquetFileReader::check_row_group(int i) const {
  if (i < 0 || i >= num_row_groups()) {
    throw_error(ErrorKind::kIllegalArgument, "row group " + std::to_string(i) + " does not exist in " +
                                                 path() + ", which has " + std::to_string(num_row_groups()));
  }
}

ParquetColumnStatistics ParquetFileReader::column_statistics(int row_group, int column) const {
  check_row_group(row_group);
  if (column < 0 || static_cast<size_t>(column) >= mapped_->columns.size()) {
    throw_error(ErrorKind::kIllegalArgument,
                "column " + std::to_string(column) + " does not exist in " + path());
  }
  const parquet::ColumnDescriptor& desc = mapped_->columns[static_cast<size_t>(column)];
  // Nested columns have no statistics a filter could use.
  if (desc.nested) return ParquetColumnStatistics{};
  const auto leaf = static_cast<size_t>(desc.leaf_index);
  std::optional<parquet::ColumnOrder> order;
  if (metadata_->column_orders && leaf < metadata_->column_orders->size()) {
    order = (*metadata_->column_orders)[leaf];
  }
  const auto& chunk = metadata_->row_groups[static_cast<size_t>(row_group)].columns[leaf];
  return parquet::decode_column_statistics(mapped_->columns[static_cast<size_t>(column)], *chunk.meta_data,
                                           order);
}

ParquetRowGroupInfo ParquetFileReader::row_group(int i) const {
  check_row_group(i);
  const parquet::RowGroup& rg = metadata_->row_groups[static_cast<size_t>(i)];
  ParquetRowGroupInfo info;
  info.num_rows = rg.num_rows;
  info.total_byte_size = rg.total_byte_size;
  for (const ColumnChunk& c : rg.columns) info.compressed_size += c.meta_data->total_compressed_size;
  for (size_t c = 0; c < mapped_->columns.size(); ++c)
    info.columns.push_back(column_statistics(i, static_cast<int>(c)));
  return info;
}

std::optional<std::string> ParquetFileReader::key_value(const std::string& key) const {
  for (const parquet::KeyValue& kv : metadata_->key_value_metadata) {
    if (kv.key == key) return kv.value.value_or("");
  }
  return std::nullopt;
}

std::string ParquetFileReader::created_by() const { return metadata_->created_by.value_or(""); }

std::unique_ptr<ParquetRowGroupReader> ParquetFileReader::row_group_reader(
    int i, const std::vector<int>& projection) const {
  check_row_group(i);
  return row_group_reader(i, projection,
                          {ParquetRowRange{0, metadata_->row_groups[static_cast<size_t>(i)].num_rows}});
}

std::unique_ptr<ParquetRowGroupReader> ParquetFileReader::row_group_reader(
    int i, const std::vector<int>& projection, std::vector<ParquetRowRange> ranges) const {
  check_row_group(i);
  const parquet::RowGroup& rg = metadata_->row_groups[static_cast<size_t>(i)];
  int64_t previous_end = 0;
  for (const ParquetRowRange& r : ranges) {
    if (r.begin < previous_end || r.end < r.begin || r.end > rg.num_rows) {
      throw_error(ErrorKind::kIllegalArgument,
                  "row ranges for row group " + std::to_string(i) + " of " + path() +
                      " must be sorted, non-overlapping and within its " + std::to_string(rg.num_rows) +
                      " rows; got [" + std::to_string(r.begin) + ", " + std::to_string(r.end) + ")");
    }
    previous_end = r.end;
  }
  int64_t selected = 0;
  for (const ParquetRowRange& r : ranges) selected += r.end - r.begin;
  const bool selects_part = selected < rg.num_rows;
  std::vector<std::unique_ptr<parquet::ColumnReader>> readers;
  readers.reserve(projection.size());
  for (int c : projection) {
    if (c < 0 || static_cast<size_t>(c) >= mapped_->columns.size()) {
      throw_error(ErrorKind::kIllegalArgument, "column " + std::to_string(c) + " does not exist in " +
                                                   path() + ", which has " +
                                                   std::to_string(mapped_->columns.size()));
    }
    const parquet::ColumnDescriptor& desc = mapped_->columns[static_cast<size_t>(c)];
    if (desc.nested) {
      std::vector<std::unique_ptr<parquet::ColumnChunkReader>> leaves;
      for (int k = 0; k < desc.num_leaves; ++k) {
        leaves.push_back(std::make_unique<parquet::ColumnChunkReader>(
            file_, desc.nested->leaves[static_cast<size_t>(k)],
            *rg.columns[static_cast<size_t>(desc.leaf_index + k)].meta_data, rg.num_rows, i));
      }
      readers.push_back(std::make_unique<parquet::NestedColumnReader>(desc.nested, std::move(leaves),
                                                                      rg.num_rows, path(), i));
      continue;
    }
    auto reader = std::make_unique<parquet::ColumnChunkReader>(
        file_, desc, *rg.columns[static_cast<size_t>(desc.leaf_index)].meta_data, rg.num_rows, i);
    reader->set_dictionary_output(options_.dictionary_output);
    // When rows are left out, read only the pages holding selected rows (the offset index says
    // where they are).
    if (selects_part) {
      if (auto offsets = read_offset_index(i, desc))
        reader->set_page_locations(std::move(offsets->page_locations));
    }
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<ParquetRowGroupReader>(
      new ParquetRowGroupReader(std::move(readers), std::move(ranges), options_.batch_size));
}

std::optional<parquet::OffsetIndex> ParquetFileReader::read_offset_index(
    int row_group, const parquet::ColumnDescriptor& desc) const {
  const ColumnChunk& chunk =
      metadata_->row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(desc.leaf_index)];
  if (!chunk.offset_index_offset || !chunk.offset_index_length) return std::nullopt;
  const std::string where =
      "the page index of column '" + desc.name + "' in row group " + std::to_string(row_group);
  const int64_t offset = *chunk.offset_index_offset;
  const int32_t length = *chunk.offset_index_length;
  if (offset < 4 || length <= 0 || offset > file_->size() || length > file_->size() - offset) {
    footer_error(path(), where + " lies outside the file");
  }
  Buffer bytes;
  file_->read_at(offset, static_cast<size_t>(length), bytes);
  try {
    return parquet::decode_offset_index(bytes.data(), bytes.size());
  } catch (const EmberError& e) {
    if (e.kind() != ErrorKind::kMalformedInput) throw;
    footer_error(path(), where + " is corrupt: " + e.what());
  }
}

std::optional<std::vector<ParquetPageStatistics>> ParquetFileReader::page_statistics(int row_group,
                                                                                     int column) const {
  check_row_group(row_group);
  if (column < 0 || static_cast<size_t>(column) >= mapped_->columns.size()) {
    throw_error(ErrorKind::kIllegalArgument,
                "column " + std::to_string(column) + " does not exist in " + path());
  }
  const parquet::RowGroup& rg = metadata_->row_groups[static_cast<size_t>(row_group)];
  const parquet::ColumnDescriptor& desc = mapped_->columns[static_cast<size_t>(column)];
  if (desc.nested) return std::nullopt;  // page pruning reads flat columns only
  const ColumnChunk& chunk = rg.columns[static_cast<size_t>(desc.leaf_index)];
  std::optional<parquet::OffsetIndex> offset_index = read_offset_index(row_group, desc);
  if (!offset_index) return std::nullopt;
  const parquet::OffsetIndex& offsets = *offset_index;
  std::string where =
      "the page index of column '" + desc.name + "' in row group " + std::to_string(row_group);
  auto read_index = [&](int64_t offset, int32_t length, Buffer& out) {
    if (offset < 4 || length <= 0 || offset > file_->size() || length > file_->size() - offset) {
      footer_error(path(), where + " lies outside the file");
    }
    file_->read_at(offset, static_cast<size_t>(length), out);
  };
  Buffer bytes;
  std::vector<ParquetPageStatistics> pages(offsets.page_locations.size());
  for (size_t p = 0; p < pages.size(); ++p) {
    int64_t first = offsets.page_locations[p].first_row_index;
    int64_t next = p + 1 < pages.size() ? offsets.page_locations[p + 1].first_row_index : rg.num_rows;
    if (first < 0 || next < first || next > rg.num_rows || (p == 0 && first != 0)) {
      footer_error(path(), where + " has inconsistent page row numbers");
    }
    pages[p].first_row = first;
    pages[p].num_rows = next - first;
  }
  if (!chunk.column_index_offset || !chunk.column_index_length) return pages;
  read_index(*chunk.column_index_offset, *chunk.column_index_length, bytes);
  parquet::ColumnIndex index;
  try {
    index = parquet::decode_column_index(bytes.data(), bytes.size());
  } catch (const EmberError& e) {
    if (e.kind() != ErrorKind::kMalformedInput) throw;
    footer_error(path(), where + " is corrupt: " + e.what());
  }
  size_t n = pages.size();
  if (index.null_pages.size() != n || index.min_values.size() != n || index.max_values.size() != n ||
      (!index.null_counts.empty() && index.null_counts.size() != n)) {
    footer_error(path(),
                 where + " has a column index that does not match its " + std::to_string(n) + " pages");
  }
  // Page bounds follow the same trust rules as the chunk statistics.
  bool type_order = true;
  if (metadata_->column_orders && static_cast<size_t>(column) < metadata_->column_orders->size()) {
    type_order =
        (*metadata_->column_orders)[static_cast<size_t>(column)] == parquet::ColumnOrder::kTypeDefined;
  }
  bool usable = type_order && desc.sort_order != parquet::SortOrder::kUnknown;
  auto is_nan = [](const std::optional<Value>& v) {
    return v && v->type().is_floating() && std::isnan(v->as_double());
  };
  for (size_t p = 0; p < n; ++p) {
    if (!index.null_counts.empty()) pages[p].null_count = index.null_counts[p];
    pages[p].all_null = index.null_pages[p];
    if (pages[p].all_null || !usable) continue;
    std::optional<Value> lo = parquet::physical_to_value(desc, index.min_values[p]);
    std::optional<Value> hi = parquet::physical_to_value(desc, index.max_values[p]);
    if (!lo || !hi || is_nan(lo) || is_nan(hi)) continue;
    pages[p].min = std::move(lo);
    pages[p].max = std::move(hi);
  }
  return pages;
}

void ParquetFileReader::read_row_group(int i, const std::vector<int>& projection,
                                       const std::function<void(Batch&)>& sink) const {
  auto reader = row_group_reader(i, projection);
  Batch batch;
  while (reader->next(batch)) sink(batch);
}

}  // namespace ember
