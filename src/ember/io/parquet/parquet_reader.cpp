#include "ember/io/parquet/parquet_reader.h"

#include <algorithm>
#include <cstring>

#include "ember/common/error.h"
#include "ember/io/parquet/column_chunk_reader.h"
#include "ember/io/parquet/input_file.h"
#include "ember/io/parquet/parquet_schema.h"

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

ParquetRowGroupReader::ParquetRowGroupReader(std::vector<std::unique_ptr<parquet::ColumnChunkReader>> columns,
                                             int64_t num_rows, size_t batch_size)
    : columns_(std::move(columns)),
      rows_left_(num_rows),
      batch_size_(batch_size == 0 ? kBatchSize : batch_size) {}

ParquetRowGroupReader::~ParquetRowGroupReader() = default;

bool ParquetRowGroupReader::next(Batch& out) {
  if (rows_left_ <= 0) return false;
  auto n = static_cast<size_t>(std::min<int64_t>(rows_left_, static_cast<int64_t>(batch_size_)));
  out.columns.clear();
  out.columns.reserve(columns_.size());
  for (auto& c : columns_) out.columns.push_back(c->read(n));
  out.num_rows = n;
  rows_left_ -= static_cast<int64_t>(n);
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
  const auto& columns = r->mapped_->columns;
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
      if (chunk.meta_data->num_values < 0) footer_error(path, col + " has a negative value count");
    }
  }
  return r;
}

const std::string& ParquetFileReader::path() const { return file_->path(); }
const Schema& ParquetFileReader::schema() const { return mapped_->schema; }
int64_t ParquetFileReader::num_rows() const { return metadata_->num_rows; }
int ParquetFileReader::num_row_groups() const { return static_cast<int>(metadata_->row_groups.size()); }
int64_t ParquetFileReader::file_size() const { return file_->size(); }

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
  std::optional<parquet::ColumnOrder> order;
  if (metadata_->column_orders && static_cast<size_t>(column) < metadata_->column_orders->size()) {
    order = (*metadata_->column_orders)[static_cast<size_t>(column)];
  }
  const auto& chunk =
      metadata_->row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(column)];
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
  const parquet::RowGroup& rg = metadata_->row_groups[static_cast<size_t>(i)];
  std::vector<std::unique_ptr<parquet::ColumnChunkReader>> readers;
  readers.reserve(projection.size());
  for (int c : projection) {
    if (c < 0 || static_cast<size_t>(c) >= mapped_->columns.size()) {
      throw_error(ErrorKind::kIllegalArgument, "column " + std::to_string(c) + " does not exist in " +
                                                   path() + ", which has " +
                                                   std::to_string(mapped_->columns.size()));
    }
    readers.push_back(std::make_unique<parquet::ColumnChunkReader>(
        file_, mapped_->columns[static_cast<size_t>(c)], *rg.columns[static_cast<size_t>(c)].meta_data,
        rg.num_rows, i));
  }
  return std::unique_ptr<ParquetRowGroupReader>(
      new ParquetRowGroupReader(std::move(readers), rg.num_rows, options_.batch_size));
}

void ParquetFileReader::read_row_group(int i, const std::vector<int>& projection,
                                       const std::function<void(Batch&)>& sink) const {
  auto reader = row_group_reader(i, projection);
  Batch batch;
  while (reader->next(batch)) sink(batch);
}

}  // namespace ember
