#include "ember/io/parquet/parquet_writer.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "ember/common/error.h"
#include "ember/io/parquet/column_chunk_writer.h"
#include "ember/io/parquet/nested_shredder.h"
#include "ember/io/parquet/parquet_schema.h"

namespace ember {

namespace {

constexpr char kMagic[] = "PAR1";
constexpr const char* kSparkSchemaKey = "org.apache.spark.sql.parquet.row.metadata";
// Spark reads this key to decide how to interpret dates and timestamps: a file written by Spark
// 3.0 or later (and no org.apache.spark.legacyDateTime key) holds proleptic Gregorian values and
// is never rebased — exactly what ember writes.
constexpr const char* kSparkVersionKey = "org.apache.spark.version";
constexpr const char* kSparkVersion = "4.0.0";

}  // namespace

ParquetFileWriter::ParquetFileWriter(std::string path, Schema schema, ParquetWriteOptions options)
    : path_(std::move(path)), schema_(std::move(schema)), options_(std::move(options)) {
  elements_ = parquet::parquet_schema_for(schema_);
  // The written schema read back gives every leaf its levels and every nested field its shape:
  // one mapping for both directions.
  parquet::MappedSchema mapped = parquet::map_parquet_schema(elements_, ParquetReadOptions{});
  for (size_t i = 0; i < schema_.size(); ++i) {
    const parquet::ColumnDescriptor& c = mapped.columns[i];
    first_writer_.push_back(columns_.size());
    nested_.push_back(c.nested);
    if (!c.nested) {
      columns_.push_back(parquet::make_column_chunk_writer(
          schema_.field(i), elements_[static_cast<size_t>(c.schema_element)], options_));
      continue;
    }
    for (const parquet::ColumnDescriptor& leaf : c.nested->leaves) {
      columns_.push_back(
          parquet::make_nested_leaf_writer(leaf, parquet::schema_path(elements_, leaf.schema_element),
                                           elements_[static_cast<size_t>(leaf.schema_element)], options_));
    }
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw_error(ErrorKind::kIo, "cannot create Parquet output file " + path_ + ": " + std::strerror(errno));
  }
  write_bytes(kMagic, 4);
}

ParquetFileWriter::~ParquetFileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void ParquetFileWriter::fail(const std::string& what, int err) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  throw_error(ErrorKind::kIo, "cannot " + what + " Parquet output file " + path_ + ": " + std::strerror(err));
}

void ParquetFileWriter::write_bytes(const char* data, size_t size) {
  if (fd_ < 0) throw_error(ErrorKind::kIo, "cannot write Parquet output file " + path_ + ": it is closed");
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write", errno);
    }
    data += n;
    size -= static_cast<size_t>(n);
    offset_ += n;
  }
}

void ParquetFileWriter::write(const Batch& batch) {
  if (closed_) throw_error(ErrorKind::kInternal, "write to a closed Parquet writer for " + path_);
  if (batch.num_columns() != schema_.size()) {
    throw_error(ErrorKind::kIllegalArgument, "a batch of " + std::to_string(batch.num_columns()) +
                                                 " columns cannot be written to " + path_ +
                                                 ", whose schema has " + std::to_string(schema_.size()));
  }
  std::vector<VectorPtr> flat(batch.num_columns());
  for (size_t c = 0; c < batch.num_columns(); ++c) {
    const Field& f = schema_.field(c);
    if (batch.column(c)->type() != f.type) {
      throw_error(ErrorKind::kIllegalArgument, "column '" + f.name + "' of " + path_ + " is " +
                                                   f.type.simple_string() + " but the batch holds " +
                                                   batch.column(c)->type().simple_string());
    }
    flat[c] = flatten(batch.column(c));
  }
  size_t done = 0;
  while (done < batch.num_rows) {
    size_t n = batch.num_rows - done;
    if (options_.row_group_max_rows > 0) {
      n = std::min<size_t>(n, static_cast<size_t>(options_.row_group_max_rows - group_rows_));
    }
    for (size_t c = 0; c < flat.size(); ++c) {
      if (!nested_[c]) {
        columns_[first_writer_[c]]->write(*flat[c], done, n);
        continue;
      }
      parquet::shred(*nested_[c], *flat[c], done, n, schema_.field(c).name, shredded_);
      for (size_t k = 0; k < shredded_.size(); ++k) {
        const parquet::ShreddedLeaf& l = shredded_[k];
        const DataType& type = nested_[c]->leaves[k].type;
        VectorPtr values = l.source ? gather(*l.source, l.rows.data(), l.rows.size()) : Vector::make(type, 0);
        columns_[first_writer_[c] + k]->write_entries(*values, l.rep.data(), l.def.data(), l.rep.size());
      }
    }
    done += n;
    group_rows_ += static_cast<int64_t>(n);
    rows_written_ += static_cast<int64_t>(n);
    size_t buffered = 0;
    for (const auto& col : columns_) buffered += col->buffered_size();
    bool full_rows = options_.row_group_max_rows > 0 && group_rows_ >= options_.row_group_max_rows;
    if (full_rows || buffered >= static_cast<size_t>(options_.row_group_size)) flush_row_group();
  }
}

void ParquetFileWriter::flush_row_group() {
  if (group_rows_ == 0) return;
  parquet::RowGroup rg;
  rg.num_rows = group_rows_;
  rg.file_offset = offset_;
  int64_t compressed = 0;
  std::vector<ChunkIndex> indexes;
  for (auto& col : columns_) {
    parquet::EncodedColumnChunk chunk = col->finish();
    int64_t base = offset_;
    write_bytes(chunk.dictionary_page);
    write_bytes(chunk.data_pages);
    parquet::ColumnChunk cc;
    cc.file_offset = base;
    cc.meta_data = std::move(chunk.meta);
    parquet::ColumnMetaData& m = *cc.meta_data;
    m.data_page_offset += base;
    if (m.dictionary_page_offset) *m.dictionary_page_offset += base;
    rg.total_byte_size += m.total_uncompressed_size;
    compressed += m.total_compressed_size;
    ChunkIndex index;
    for (parquet::PageLocation& p : chunk.pages) p.offset += base;
    index.offset_index.page_locations = std::move(chunk.pages);
    index.column_index = std::move(chunk.column_index);
    index.has_column_index = chunk.column_index_valid;
    indexes.push_back(std::move(index));
    rg.columns.push_back(std::move(cc));
  }
  rg.total_compressed_size = compressed;
  rg.ordinal = static_cast<int16_t>(row_groups_.size());
  row_groups_.push_back(std::move(rg));
  page_indexes_.push_back(std::move(indexes));
  group_rows_ = 0;
}

void ParquetFileWriter::close() {
  if (closed_) return;
  flush_row_group();
  // Page index: all column indexes, then all offset indexes (as parquet-mr and Arrow lay them out),
  // each located from its column chunk's metadata.
  std::string buf;
  for (size_t g = 0; g < row_groups_.size(); ++g) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      const ChunkIndex& index = page_indexes_[g][c];
      if (!index.has_column_index) continue;
      buf.clear();
      parquet::encode_column_index(index.column_index, buf);
      parquet::ColumnChunk& cc = row_groups_[g].columns[c];
      cc.column_index_offset = offset_;
      cc.column_index_length = static_cast<int32_t>(buf.size());
      write_bytes(buf);
    }
  }
  for (size_t g = 0; g < row_groups_.size(); ++g) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      buf.clear();
      parquet::encode_offset_index(page_indexes_[g][c].offset_index, buf);
      parquet::ColumnChunk& cc = row_groups_[g].columns[c];
      cc.offset_index_offset = offset_;
      cc.offset_index_length = static_cast<int32_t>(buf.size());
      write_bytes(buf);
    }
  }
  parquet::FileMetaData m;
  m.version = 1;
  m.schema = elements_;
  m.num_rows = rows_written_;
  m.row_groups = row_groups_;
  m.key_value_metadata.push_back({kSparkVersionKey, std::string(kSparkVersion)});
  m.key_value_metadata.push_back({kSparkSchemaKey, parquet::spark_schema_json(schema_)});
  for (const auto& [k, v] : options_.key_value_metadata) m.key_value_metadata.push_back({k, v});
  m.created_by = options_.created_by;
  m.column_orders = std::vector<parquet::ColumnOrder>(columns_.size(), parquet::ColumnOrder::kTypeDefined);
  std::string footer;
  parquet::encode_file_metadata(m, footer);
  auto len = static_cast<uint32_t>(footer.size());
  char tail[8];
  std::memcpy(tail, &len, 4);
  std::memcpy(tail + 4, kMagic, 4);
  footer.append(tail, 8);
  write_bytes(footer);
  closed_ = true;
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    int err = errno;
    throw_error(ErrorKind::kIo, "cannot close Parquet output file " + path_ + ": " + std::strerror(err));
  }
}

}  // namespace ember
