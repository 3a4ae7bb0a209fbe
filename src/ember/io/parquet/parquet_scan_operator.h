#pragma once
// The scan of one task over Parquet files: reads the chosen row groups of each file and produces
// the requested columns, with partition columns (from key=value directories) as constant
// vectors. Columns are matched to each file by name, so files whose schemas differ (mergeSchema,
// or an explicit schema) read a column they lack as nulls; a column whose type in a file differs
// from the table's is an error naming the file and the column.
#include <memory>
#include <string>
#include <vector>

#include "ember/exec/operator.h"
#include "ember/io/parquet/parquet_options.h"
#include "ember/io/parquet/parquet_reader.h"
#include "ember/types/data_type.h"
#include "ember/types/value.h"

namespace ember {

class ParquetFileReader;
class ParquetRowGroupReader;

struct ParquetScanFile {
  std::string path;
  std::vector<int> row_groups;          // in file order
  // Per row group, the rows to read (page-level pruning); empty, or an empty entry: all rows.
  std::vector<std::vector<ParquetRowRange>> row_ranges;
  std::vector<Value> partition_values;  // one per partition column of the table
};

class ParquetScanOperator final : public Operator {
 public:
  // table_schema: data columns then `partition_columns` partition columns (DataSource::schema);
  // read_columns: indices into table_schema, in output order.
  ParquetScanOperator(std::vector<ParquetScanFile> files, Schema table_schema, int partition_columns,
                      std::vector<int> read_columns, ParquetReadOptions options);
  ~ParquetScanOperator() override;
  // Bytes read from the files so far (footers, page indexes, column chunks).
  int64_t bytes_read() const;

 protected:
  bool produce(Batch& out) override;

 private:
  bool open_next_row_group();

  std::vector<ParquetScanFile> files_;
  Schema table_schema_;
  int partition_columns_;
  std::vector<int> read_columns_;
  ParquetReadOptions options_;
  size_t file_ = 0;
  size_t row_group_ = 0;
  std::unique_ptr<ParquetFileReader> reader_;
  std::unique_ptr<ParquetRowGroupReader> row_group_reader_;
  int64_t bytes_read_closed_ = 0;  // by the files already closed
  // For the open file: per output column, the file column it reads (-1: a partition column or a
  // column the file lacks).
  std::vector<int> file_columns_;
};

}  // namespace ember
