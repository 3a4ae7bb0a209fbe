#include "ember/io/parquet/parquet_scan_operator.h"

#include "ember/common/error.h"
#include "ember/io/parquet/parquet_reader.h"
#include "ember/io/parquet/row_group_pruning.h"

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

void ParquetScanOperator::add_runtime_ranges(const std::vector<ParquetRuntimeRange>& ranges) {
  for (const auto& r : ranges) {
    const size_t c = static_cast<size_t>(r.column);
    if (c >= read_columns_.size()) continue;
    const Field& field = table_schema_.field(static_cast<size_t>(read_columns_[c]));
    if (field.type != r.min.type() || field.type != r.max.type()) continue;
    ExprPtr attr = make_attribute(field.name, field.type, true, r.column);
    runtime_conjuncts_.emplace_back(r.column, make_and(make_call(">=", {attr, make_literal(r.min)}),
                                                       make_call("<=", {attr, make_literal(r.max)})));
  }
}

std::vector<ParquetRowRange> ParquetScanOperator::runtime_prune(int rg, std::vector<ParquetRowRange> ranges) {
  if (runtime_conjuncts_.empty()) return ranges;
  const int64_t rows = reader_->row_group(rg).num_rows;
  if (ranges.empty()) ranges.push_back(ParquetRowRange{0, rows});
  for (const auto& [column, conjunct] : runtime_conjuncts_) {
    const int in_file = file_columns_[static_cast<size_t>(column)];
    if (in_file < 0) continue;  // a partition column or one the file lacks
    const ParquetColumnStatistics stats = reader_->column_statistics(rg, in_file);
    const int64_t id = column;
    const bool may = row_group_may_match(conjunct, [&](int64_t attr) -> const ParquetColumnStatistics* {
      return attr == id ? &stats : nullptr;
    });
    if (!may) return {};
    // Pages can only be ruled out when the range cuts into the row group's own [min, max]; then
    // the page index is worth reading.
    const Expr& lo = *conjunct->children[0]->children[1];
    const Expr& hi = *conjunct->children[1]->children[1];
    const bool inside = stats.min && stats.max && stats.min->type() == lo.literal.type() &&
                        stats.min->as_int64() >= lo.literal.as_int64() &&
                        stats.max->as_int64() <= hi.literal.as_int64();
    if (inside) continue;
    if (auto pages = reader_->page_statistics(rg, in_file)) {
      ranges = intersect_row_ranges(ranges, page_rows_may_match(conjunct, id, *pages));
      if (ranges.empty()) return {};
    }
  }
  return ranges;
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
      std::vector<ParquetRowRange> planned =
          k < f.row_ranges.size() ? f.row_ranges[k] : std::vector<ParquetRowRange>{};
      std::vector<ParquetRowRange> ranges = runtime_prune(f.row_groups[k], planned);
      if (!runtime_conjuncts_.empty() && ranges.empty()) {
        ++row_groups_skipped_;
        continue;
      }
      if (!ranges.empty()) {
        row_group_reader_ = reader_->row_group_reader(f.row_groups[k], projection, std::move(ranges));
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
