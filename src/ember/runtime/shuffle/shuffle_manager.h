#pragma once
// The shuffle service: the ONLY way data moves between tasks. A map task (a partition of a stage
// that ends in a shuffle) writes batches addressed to reduce partitions; reduce tasks of the next
// stage read every block addressed to them.
//
// Commit protocol (what makes task retries safe): write() stages blocks privately to the map;
// commit_map_output() publishes them atomically and REPLACES whatever an earlier attempt of the
// same map committed; abort_map_output() discards uncommitted blocks (the scheduler calls it when
// an attempt fails). A map therefore contributes exactly one attempt's output, never two. At most
// one attempt per map id writes at a time (the scheduler retries only after the failed attempt
// has returned).
//
// Threading: every method is thread-safe; many map tasks write concurrently. remove_shuffle must
// not race with writes or reads of the same shuffle.
#include <cstdint>
#include <vector>

#include "ember/vector/batch.h"

namespace ember {

// Sizes of a shuffle's committed map outputs, for adaptive query execution: bytes are the
// in-memory size of the batches written (whether or not they were spilled since).
struct MapOutputStatistics {
  std::vector<int64_t> bytes_by_partition;         // [reduce]
  std::vector<int64_t> rows_by_partition;          // [reduce]
  std::vector<std::vector<int64_t>> bytes_by_map;  // [map][reduce]
  int64_t total_bytes() const;
};

class ShuffleManager {
 public:
  virtual ~ShuffleManager();

  // Declares a shuffle before its map stage runs. Re-registering an id is an internal error.
  virtual void register_shuffle(int shuffle_id, int num_maps, int num_reduces) = 0;
  // Adds one block (batch) for reduce partition `reduce_id` to map `map_id`'s uncommitted output.
  // The batch's buffers are shared, not copied: the writer must not mutate them afterwards.
  // Empty batches (0 rows) are accepted and dropped.
  virtual void write(int shuffle_id, int map_id, int reduce_id, Batch batch) = 0;
  // Publishes map `map_id`'s uncommitted blocks, replacing any earlier committed attempt's.
  virtual void commit_map_output(int shuffle_id, int map_id) = 0;
  // Discards map `map_id`'s uncommitted blocks (a failed attempt); committed output stays. A no-op
  // for an unknown shuffle (it may already have been removed).
  virtual void abort_map_output(int shuffle_id, int map_id) = 0;
  // Every committed block for this reduce partition, ordered by map_id and then by write order
  // within a map, so reruns see the same row order. Spilled blocks are loaded transparently. The
  // output stays available (a retried reduce task may read it again) until remove_shuffle.
  // Returned batches may share buffers with the stored blocks: treat them as immutable.
  virtual std::vector<Batch> read(int shuffle_id, int reduce_id) = 0;
  // As read(), but only the blocks of maps [start_map, end_map) (a skewed partition split into
  // several reduce tasks by map ranges).
  virtual std::vector<Batch> read_maps(int shuffle_id, int reduce_id, int start_map, int end_map) = 0;
  // Sizes of the committed outputs (call after the map stage completed).
  virtual MapOutputStatistics map_output_statistics(int shuffle_id) = 0;
  // Forgets the shuffle and deletes its spill files. Unknown ids are ignored.
  virtual void remove_shuffle(int shuffle_id) = 0;
  // Total bytes written to spill files since construction.
  virtual int64_t bytes_spilled() const = 0;
};

}  // namespace ember
