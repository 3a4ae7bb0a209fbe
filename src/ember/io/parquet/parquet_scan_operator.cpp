#include "ember/io/parquet/parquet_scan_operator.h"

#include "ember/common/error.h"
#include "ember/io/parquet/parquet_reader.h"

namespace ember {

ParquetScanOperator::ParquetScanOperator(std::vector<ParquetScanFile> files, Schema table_schema, int partition_columns,
                                         std::vector<int> read_columns, ParquetReadOptions options)
    : Operator("Scan parquet"),
      files_(std::move(files)),
      table_schema_(std::move(table_schema)),
      partition_columns_(partition_columns),
      read_columns_(std::move(read_columns)),
      options_(options) {}

ParquetScanOperator::~ParquetScanOperator() = default;

int64_t ParquetScanOperator::bytes_read() const {
  return bytes_read_closed_ + (reader_ ? reader_->bytes_read() : 0);
}

bool ParquetScanOperator::open_next_row_group() {
  const int data_columns = static_cast<int>(table_schema_.size()) - partition_columns_;
  while (file_ < files_.size()) {
    const ParquetScanFile& f = files_[file_];
    if (!reader_) {
      reader_ = ParquetFileReader::open(f.path, options_);
      row_group_ = 0;
      file_columns_.clear();
      for (int c : read_columns_) {
        if (c >= data_columns) {
          file_columns_.push_back(-1);
          continue;
        }
        const Field& want = table_schema_.field(static_cast<size_t>(c));
        int in_file = reader_->schema().index_of(want.name);
        if (in_file >= 0 && reader_->schema().field(static_cast<size_t>(in_file)).type != want.type) {
          throw_error(ErrorKind::kMalformedInput, "PARQUET_COLUMN_DATA_TYPE_MISMATCH",
                      "Parquet column cannot be converted in file " + f.path + ". Column: [" + want.name +
                          "], Expected: " + want.type.simple_string() +
                          ", Found: " + reader_->schema().field(static_cast<size_t>(in_file)).type.simple_string());
        }
        file_columns_.push_back(in_file);
      }
    }
    if (row_group_ < f.row_groups.size()) {
      std::vector<int> projection;
      for (int c : file_columns_) {
        if (c >= 0) projection.push_back(c);
      }
      const size_t k = row_group_++;
      if (k < f.row_ranges.size() && !f.row_ranges[k].empty()) {
        row_group_reader_ = reader_->row_group_reader(f.row_groups[k], projection, f.row_ranges[k]);
      } else {
        row_group_reader_ = reader_->row_group_reader(f.row_groups[k], projection);
      }
      return true;
    }
    row_group_reader_.reset();
    bytes_read_closed_ += reader_->bytes_read();
    reader_.reset();
    ++file_;
  }
  return false;
}

bool ParquetScanOperator::produce(Batch& out) {
  const int data_columns = static_cast<int>(table_schema_.size()) - partition_columns_;
  for (;;) {
    if (!row_group_reader_ && !open_next_row_group()) return false;
    Batch in;
    if (!row_group_reader_->next(in)) {
      row_group_reader_.reset();
      continue;
    }
    if (in.num_rows == 0) continue;
    out = Batch();
    out.num_rows = in.num_rows;
    size_t next_read = 0;
    for (size_t i = 0; i < read_columns_.size(); ++i) {
      const int c = read_columns_[i];
      const Field& field = table_schema_.field(static_cast<size_t>(c));
      if (c >= data_columns) {
        const Value& v = files_[file_].partition_values[static_cast<size_t>(c - data_columns)];
        out.columns.push_back(Vector::make_constant(v, in.num_rows));
      } else if (file_columns_[i] < 0) {
        out.columns.push_back(Vector::make_null(field.type, in.num_rows));
      } else {
        out.columns.push_back(in.columns[next_read++]);
      }
    }
    return true;
  }
}

}  // namespace ember
