#pragma once
// A Batch is a set of equal-length columns: the unit operators pass to each other.
#include <cstdint>
#include <string>
#include <vector>

#include "ember/vector/vector.h"

namespace ember {

// Operators aim for batches of about this many rows.
constexpr size_t kBatchSize = 4096;

// Row indices selected from a batch (filters, hash partitioning, CASE branches).
using SelectionVector = std::vector<uint32_t>;

struct Batch {
  std::vector<VectorPtr> columns;
  size_t num_rows = 0;

  Batch() = default;
  Batch(std::vector<VectorPtr> cols, size_t rows) : columns(std::move(cols)), num_rows(rows) {}

  size_t num_columns() const { return columns.size(); }
  const VectorPtr& column(size_t i) const { return columns[i]; }
  // Rows sel[0..n) of every column, as a new batch of flat vectors.
  Batch select(const uint32_t* sel, size_t n) const;
  // Approximate bytes held (for shuffle spill accounting and metrics).
  size_t byte_size() const;
};

// Concatenates batches with the same column types.
Batch concat_batches(const std::vector<Batch>& batches);
// The same rows with every column flat (constant vectors expanded), for code that keeps batches.
Batch flatten_batch(Batch b);

}  // namespace ember
