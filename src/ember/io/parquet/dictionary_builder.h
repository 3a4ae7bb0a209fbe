#pragma once
// The writer's dictionaries: each distinct value of a column chunk gets the next index, looked up
// through an open-addressing hash table. Fixed-width values are keyed by their bits (so -0.0 and
// 0.0, or two NaN payloads, are distinct entries, which keeps the encoding lossless); byte arrays
// are stored back to back in one arena.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ember::parquet {

// K: uint8_t, uint32_t, uint64_t or unsigned __int128 (the value's bit pattern).
template <class K>
class FixedDictionary {
 public:
  FixedDictionary() { slots_.assign(kInitialSlots, 0); }
  // The value's index, inserting it when new.
  uint32_t get_or_insert(K key);
  size_t size() const { return values_.size(); }
  const std::vector<K>& values() const { return values_; }
  void clear();

 private:
  static constexpr size_t kInitialSlots = 1024;
  void grow();
  std::vector<uint32_t> slots_;  // index + 1; 0 = empty
  std::vector<K> values_;
};

class BinaryDictionary {
 public:
  BinaryDictionary() { slots_.assign(1024, Slot{}); }
  uint32_t get_or_insert(std::string_view v);
  size_t size() const { return offsets_.size(); }
  std::string_view value(size_t i) const { return {arena_.data() + offsets_[i], lengths_[i]}; }
  // Bytes of the PLAIN-encoded dictionary page (4-byte length per value plus the bytes).
  size_t plain_size() const { return arena_.size() + 4 * offsets_.size(); }
  void clear();

 private:
  struct Slot {
    uint32_t hash = 0;
    uint32_t index_plus_one = 0;
  };
  void grow();
  std::vector<Slot> slots_;
  std::string arena_;
  std::vector<size_t> offsets_;
  std::vector<uint32_t> lengths_;
};

extern template class FixedDictionary<uint32_t>;
extern template class FixedDictionary<uint64_t>;
extern template class FixedDictionary<unsigned __int128>;

}  // namespace ember::parquet
