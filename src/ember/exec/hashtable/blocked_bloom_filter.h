#pragma once
// A blocked (cache-line) bloom filter over 64-bit key hashes: the membership test of a runtime
// filter (exec/runtime_filter.h).
//
// Layout. The filter is an array of 64-byte blocks (one cache line each, eight 64-bit words). A
// hash picks one block from its high 32 bits (multiply-shift range reduction, as
// partition_for_hash does) and one bit in each of the block's eight words from its low 32 bits
// multiplied by eight odd constants. An insert sets those eight bits; a lookup tests them, so
// every lookup touches one cache line whatever the filter's size. Blocking costs a little
// precision against a classic bloom filter of the same size (blocks fill unevenly), which the
// sizing rule pays for with about 20% more bits.
//
// Guarantees: no false negatives (a hash that was inserted is always found). The false-positive
// rate for n inserted distinct hashes is near the `fpp` the filter was sized for with n
// (see tests/unit/blocked_bloom_filter_test.cpp for measured rates).
//
// Hashes are what hash_columns (vector_hash.h) computes, so the creation and application sides of
// a runtime filter agree whenever their key types are equal.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ember {

class BlockedBloomFilter {
 public:
  static constexpr size_t kBlockBytes = 64;

  // Sized for `expected_items` distinct hashes at false-positive rate `fpp` (0 < fpp < 1), with
  // at most `max_bytes` bytes (0: no cap; a capped filter has a higher rate). Never empty.
  BlockedBloomFilter(size_t expected_items, double fpp, size_t max_bytes = 0);

  void insert(uint64_t hash) {
    uint64_t* block = block_of(hash);
    const auto lo = static_cast<uint32_t>(hash);
    for (int i = 0; i < 8; ++i) block[i] |= uint64_t{1} << bit_of(lo, i);
  }
  void insert(const uint64_t* hashes, size_t n) {
    for (size_t i = 0; i < n; ++i) insert(hashes[i]);
  }

  bool may_contain(uint64_t hash) const {
    const uint64_t* block = block_of(hash);
    const auto lo = static_cast<uint32_t>(hash);
    // All eight words are tested without an early exit: one cache line, no branch per word.
    uint64_t missing = 0;
    for (int i = 0; i < 8; ++i) missing |= ~block[i] & (uint64_t{1} << bit_of(lo, i));
    return missing == 0;
  }

  // Keeps the selected rows whose hash may be in the filter: reads hashes[sel[k]] for k < n and
  // writes the surviving row numbers to out (which may alias sel); returns how many survive.
  size_t filter(const uint64_t* hashes, const uint32_t* sel, size_t n, uint32_t* out) const;

  size_t num_blocks() const { return num_blocks_; }
  size_t memory_bytes() const { return num_blocks_ * kBlockBytes; }

 private:
  static uint32_t bit_of(uint32_t lo, int i) {
    // Eight odd multipliers (from the split-block bloom filter of the Parquet specification):
    // each gives an independent 6-bit position from the top of the product.
    static constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                                          0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};
    return (lo * kSalt[i]) >> 26;
  }
  uint64_t* block_of(uint64_t hash) {
    return words_.data() + 8 * static_cast<size_t>(((hash >> 32) * num_blocks_) >> 32);
  }
  const uint64_t* block_of(uint64_t hash) const {
    return words_.data() + 8 * static_cast<size_t>(((hash >> 32) * num_blocks_) >> 32);
  }

  size_t num_blocks_ = 1;
  std::vector<uint64_t> words_;  // 8 per block
};

}  // namespace ember
