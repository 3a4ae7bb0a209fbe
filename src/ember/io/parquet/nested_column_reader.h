#pragma once
// Reads a nested top-level column (struct, LIST, MAP, repeated field) of one row group: every
// leaf's column chunk is read whole (levels and values), the column is assembled from the levels
// into ember's Arrow-layout vectors once, and batches are sliced from it. Assembly follows the
// Dremel rules (see NestedNode): a node's slots in any leaf below it are the entries with
// rep <= rep_limit and def >= def_slot, so each node is built from the first leaf below it, a list
// counts its elements' slots between its own, and a struct's fields are built each from its own
// leaf with the same slots.
#include <memory>
#include <vector>

#include "ember/io/parquet/column_chunk_reader.h"

namespace ember::parquet {

class NestedColumnReader final : public ColumnReader {
 public:
  // `leaves` read the column's leaf chunks, in the order of NestedColumn::leaves.
  NestedColumnReader(std::shared_ptr<const NestedColumn> column,
                     std::vector<std::unique_ptr<ColumnChunkReader>> leaves, int64_t num_rows,
                     std::string file, int row_group);

  VectorPtr read(size_t n) override;
  void skip(size_t n) override { position_ += n; }

 private:
  void assemble();

  std::shared_ptr<const NestedColumn> column_;
  std::vector<std::unique_ptr<ColumnChunkReader>> leaf_readers_;
  int64_t num_rows_;
  std::string file_;
  int row_group_;
  VectorPtr assembled_;  // the whole row group's column
  size_t position_ = 0;
};

}  // namespace ember::parquet
