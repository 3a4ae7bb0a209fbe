#pragma once
// Runtime filters: what one side of a hash join (the creation side) learns about its join keys
// while its rows are written to the join's exchange, handed to a scan on the other side (the
// application side) so rows that cannot find a partner are dropped before they are shuffled,
// aggregated or joined. See docs/architecture.md ("Runtime filters") for which joins get one.
//
// A filter holds, over the creation rows whose keys are all non-null:
//  - a blocked bloom filter of the combined key hash (hash_columns), unless there were more rows
//    than the builder's max_items (then only the ranges remain);
//  - per key column of an integer-like type (byte, short, int, long, date, timestamp), the
//    minimum and maximum value.
// A row passes when none of its keys is null, each ranged key lies in [min, max], and the bloom
// filter may contain its hash. No creation row at all: nothing passes. Only ever applied where
// dropping application rows without a partner is correct (`=` keys, a side the join does not
// preserve), so null keys are dropped too.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "ember/exec/hashtable/blocked_bloom_filter.h"
#include "ember/types/data_type.h"
#include "ember/types/value.h"
#include "ember/vector/vector.h"

namespace ember {

struct RuntimeFilter {
  struct KeyRange {
    bool ranged = false;  // an integer-like key: lo/hi hold its bounds
    int64_t lo = 0, hi = 0;
  };
  std::vector<DataType> key_types;
  std::vector<KeyRange> ranges;  // one per key
  std::optional<BlockedBloomFilter> bloom;
  int64_t creation_rows = 0;  // creation rows with non-null keys (0: nothing can pass)

  // Whether a key of this type gets a [min, max] range.
  static bool rangeable(const DataType& type);
  // The range of key k as Values of its type (for Parquet statistics); nullopt when not ranged.
  std::optional<std::pair<Value, Value>> range_values(size_t k) const;

  // Narrows `sel` (row numbers of the batch whose key columns are `keys`, each with at least n
  // rows) to the rows that pass. `use_bloom` false skips the bloom test; `hashes` is scratch of at
  // least n entries. Allocates nothing per row.
  void apply(const std::vector<VectorPtr>& keys, size_t n, bool use_bloom, std::vector<uint32_t>& sel,
             std::vector<uint64_t>& hashes) const;
};

// Collects a filter from the creation side's map tasks; thread-safe. Each task fills a Partial
// from its batches and commits it at the end of a successful attempt (a retried partition
// replaces its earlier commit); finish() builds the filter once every task committed.
class RuntimeFilterBuilder {
 public:
  struct Partial {
    std::vector<uint64_t> hashes;  // key hashes of the rows with non-null keys (until overflow)
    std::vector<RuntimeFilter::KeyRange> ranges;
    int64_t rows = 0;
    bool overflow = false;  // more than max_items rows: no bloom filter
  };

  // max_items: the most creation rows a bloom filter is built for (spark.sql.optimizer.runtime.
  // bloomFilter.maxNumItems); fpp: its target false-positive rate; max_bytes: its size cap
  // (maxNumBits / 8).
  RuntimeFilterBuilder(std::vector<DataType> key_types, int64_t max_items, double fpp, size_t max_bytes);

  Partial new_partial() const;
  // Adds the n rows of one batch, given its evaluated (flat or constant) key columns.
  void add(Partial& partial, const std::vector<VectorPtr>& keys, size_t n) const;
  void commit(int partition, Partial partial);
  std::shared_ptr<const RuntimeFilter> finish();

 private:
  std::vector<DataType> key_types_;
  int64_t max_items_;
  double fpp_;
  size_t max_bytes_;
  std::mutex mu_;
  std::map<int, Partial> committed_;
};

}  // namespace ember
