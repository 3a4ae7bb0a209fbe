#pragma once
// The scan of one task over Parquet files: reads the chosen row groups of each file and produces
// the requested columns, with partition columns (from key=value directories) as constant
// vectors. Columns are matched to each file by name, so files whose schemas differ (mergeSchema,
// or an explicit schema) read a column they lack as nulls; a column whose type in a file differs
// from the table's is an error naming the file and the column.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ember/exec/operator.h"
#include "ember/expr/evaluator.h"
#include "ember/expr/expression.h"
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

// The [min, max] a runtime filter learned for one integer-like output column
// (exec/runtime_filter.h): row groups and pages whose statistics exclude it are not read.
struct ParquetRuntimeRange {
  int column = 0;  // index into the scan's output columns
  Value min, max;
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
  // Adds runtime-filter ranges; call before the first next().
  void add_runtime_ranges(const std::vector<ParquetRuntimeRange>& ranges);
  // Row groups the runtime ranges ruled out (wholly, by row-group or page statistics).
  int64_t row_groups_skipped() const { return row_groups_skipped_; }

  // Late materialisation: conjuncts bound to the output columns (parquet_scan_filter.h says
  // which qualify) that the scan evaluates while it reads. Per batch it reads the columns of the
  // first conjunct, narrows the selection, reads the next conjunct's columns at the selected rows
  // only, and so on; the other columns are read at the final selection, and a batch nothing
  // survives is skipped in every column not yet read. Simple comparisons of fixed-width columns go
  // first, then those of strings, then AND/OR/NOT forms, then IS NOT NULL (see set_filters). Call
  // before the first next().
  void set_filters(const std::vector<ExprPtr>& conjuncts, const EvalContext& ctx);
  // Called once per batch the filters dropped whole, so a task that keeps finding nothing still
  // notices cancellation.
  void set_interrupt_check(std::function<void()> check) { interrupt_check_ = std::move(check); }
  // Rows the filters dropped.
  int64_t rows_filtered() const { return rows_filtered_; }
  // Column values passed over without being decoded into a vector (rows dropped before the
  // column was read).
  int64_t values_skipped() const;

 protected:
  bool produce(Batch& out) override;
  void on_dictionaries_requested() override { options_.dictionary_output = options_.dictionary_vectors; }

 private:
  bool open_next_row_group();
  bool produce_filtered(Batch& out);
  void close_row_group();
  // Output column `i` of the current batch of n rows, at rows sel[0..count) (all rows when
  // count == n).
  VectorPtr read_output_column(size_t i, size_t n, const uint32_t* sel, size_t count);
  // The rows of row group `rg` of the open file the runtime ranges cannot rule out, starting from
  // `ranges` (empty: all rows); empty result: none.
  std::vector<ParquetRowRange> runtime_prune(int rg, std::vector<ParquetRowRange> ranges);

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
  // Runtime-filter ranges, as `column >= min AND column <= max` over an attribute whose id is the
  // output column index (the form row_group_may_match reads).
  std::vector<std::pair<int, ExprPtr>> runtime_conjuncts_;
  int64_t row_groups_skipped_ = 0;

  // Late materialisation (set_filters): stages of output columns to read and the conjuncts that
  // can run once they are read (as one AND).
  struct FilterStage {
    std::vector<int> columns;
    ExprPtr predicate;
  };
  std::vector<FilterStage> stages_;
  std::unique_ptr<ExpressionEvaluator> evaluator_;
  std::function<void()> interrupt_check_;
  // For the open file: per output column, its position in the row-group reader's projection
  // (-1: not read from the file).
  std::vector<int> reader_columns_;
  SelectionVector selected_;  // rows of the batch still selected
  SelectionVector narrowed_;  // positions within selected_ a stage keeps
  int64_t rows_filtered_ = 0;
  int64_t values_skipped_closed_ = 0;  // by row-group readers already closed
};

}  // namespace ember
