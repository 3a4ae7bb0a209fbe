#pragma once
// The row ranges the window operator works with, as indices into its materialised input (rows
// sorted by partition keys, then order keys):
//  - partitions: runs of rows with equal partition keys (nulls equal each other);
//  - peer groups: runs of rows of one partition with equal order keys (all of it without keys);
//  - frames: for every row, the half-open range [begin, end) of rows its frame covers.
// Ranges are computed once per operator (partitions, peers) or once per distinct frame, in O(n).
#include <cstdint>
#include <vector>

#include "ember/exec/sort/row_comparator.h"
#include "ember/vector/vector.h"

namespace ember {

struct WindowFrame;

struct WindowRows {
  size_t num_rows = 0;
  std::vector<uint32_t> partition_begin;  // per row: first row of its partition
  std::vector<uint32_t> partition_end;    // per row: one past the last row of its partition
  std::vector<uint32_t> peer_begin;       // per row: first row of its peer group
  std::vector<uint32_t> peer_end;         // per row: one past the last row of its peer group
};

// Finds partitions and peer groups. Throws an internal error when the rows of a partition are not
// sorted by the order keys (the planner's sort is missing or wrong).
WindowRows find_partitions_and_peers(const std::vector<VectorPtr>& partition_keys,
                                     const std::vector<VectorPtr>& order_keys,
                                     const std::vector<SortKeySpec>& order_specs, size_t num_rows);

struct FrameBounds {
  std::vector<uint32_t> begin;
  std::vector<uint32_t> end;  // end >= begin; begin == end is an empty frame
};

// The frame of every row. `order_key` (with `order_spec`) is the single order key a RANGE frame
// with offsets measures; it may be null otherwise. Both bounds are nondecreasing over the rows
// (frames only move forward), which the frame aggregator relies on.
FrameBounds compute_frame_bounds(const WindowFrame& frame, const WindowRows& rows, const Vector* order_key,
                                 const SortKeySpec& order_spec);

// Whether RANGE offsets can be measured on a key of this type (numeric or date).
bool range_offsets_supported(const DataType& type);

}  // namespace ember
