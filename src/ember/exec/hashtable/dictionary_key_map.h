#pragma once
// Grouping by dictionary-encoded keys: when every group key of a batch is a dictionary vector
// (see vector.h), a row's group is decided by its codes alone. Each combination of codes is
// looked up in the GroupHashTable once, by one representative row, and every other row takes
// that group's payload from a table indexed by the combination: no hashing and no key compare per
// row. The table stays valid while the batches carry the same dictionaries (a whole Parquet
// column chunk), because the group hash table never moves a payload.
//
// Not thread-safe: one per aggregation operator, beside its GroupHashTable.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ember/exec/hashtable/group_hash_table.h"
#include "ember/vector/vector.h"

namespace ember {

class DictionaryKeyMap {
 public:
  // Largest product of dictionary sizes the map takes on (its table holds one pointer each).
  static constexpr size_t kMaxCombinations = size_t{1} << 16;

  // When every one of `keys` (at least one) is a dictionary vector and the product of their
  // dictionary sizes is at most kMaxCombinations: sets rows_out[i] to row i's group payload in
  // `table` (creating groups with `init`, as GroupHashTable::find_or_insert does) and returns
  // true. Otherwise returns false and does nothing. `table` must be the same table on every call.
  template <class Init>
  bool find_or_insert(GroupHashTable& table, const std::vector<VectorPtr>& keys, size_t n, uint8_t** rows_out,
                      Init&& init) {
    if (!prepare(keys, n)) return false;
    if (!representatives_.empty()) {
      const size_t r = representatives_.size();
      representative_keys_.clear();
      for (const auto& k : keys) {
        representative_keys_.push_back(decode_dictionary(gather(*k, representatives_.data(), r)));
      }
      representative_rows_.resize(r);
      table.find_or_insert(representative_keys_, r, representative_rows_.data(), init);
      for (size_t j = 0; j < r; ++j) payloads_[combination_[representatives_[j]]] = representative_rows_[j];
    }
    for (size_t i = 0; i < n; ++i) rows_out[i] = payloads_[combination_[i]];
    return true;
  }

 private:
  // Computes each row's code combination and the rows that stand for combinations not looked up
  // yet; resets the map when the dictionaries changed. False when the keys do not qualify.
  bool prepare(const std::vector<VectorPtr>& keys, size_t n);

  std::vector<VectorPtr> dictionaries_;  // of the keys the map was built for (kept alive)
  std::vector<uint8_t*> payloads_;       // per code combination; nullptr: not looked up yet
  std::vector<uint32_t> combination_;    // per row of the current batch
  std::vector<uint32_t> representatives_;
  std::vector<VectorPtr> representative_keys_;
  std::vector<uint8_t*> representative_rows_;
};

}  // namespace ember
