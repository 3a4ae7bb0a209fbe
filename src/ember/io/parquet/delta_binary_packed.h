#pragma once
// DELTA_BINARY_PACKED (Parquet's Encodings.md): a header
//   <block size in values> <miniblocks per block> <total value count> <first value (zigzag)>
// (all ULEB128), then blocks of
//   <min delta (zigzag ULEB128)> <one bit-width byte per miniblock> <miniblocks, bit-packed LSB first>
// where each value is the previous one plus min delta plus the packed delta, with wrap-around
// arithmetic in the column's width. The last block's unused miniblocks have a width byte but no
// body; the last used miniblock is padded to full length.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ember::parquet {

class DeltaBinaryPackedDecoder {
 public:
  // Parses the header. `max_values` bounds the total count the header may claim.
  DeltaBinaryPackedDecoder(const uint8_t* data, size_t size, size_t max_values);

  size_t total_values() const { return static_cast<size_t>(total_); }
  size_t values_left() const { return static_cast<size_t>(left_); }

  // Decodes the next n values (n <= values_left()), truncated to T (int32_t or int64_t).
  template <class T>
  void decode(T* out, size_t n);

  // Decodes every remaining value and returns the position just past the encoded data (where
  // DELTA_LENGTH_BYTE_ARRAY's bytes begin).
  const uint8_t* skip_to_end();

 private:
  void next_miniblock();

  const uint8_t* pos_;  // next unread byte (after the current miniblock)
  const uint8_t* end_;
  uint64_t block_size_ = 0;
  uint64_t miniblocks_ = 0;
  uint64_t values_per_miniblock_ = 0;
  uint64_t total_ = 0;
  uint64_t left_ = 0;  // values not yet returned
  bool first_pending_ = true;
  uint64_t last_ = 0;  // last value, as unsigned for wrap-around arithmetic
  uint64_t min_delta_ = 0;
  std::vector<uint8_t> widths_;
  uint64_t miniblock_index_ = 0;
  const uint8_t* miniblock_data_ = nullptr;
  size_t miniblock_bytes_ = 0;   // bytes of the current miniblock present in the buffer
  uint64_t miniblock_left_ = 0;  // deltas left in the current miniblock
  int width_ = 0;
  uint64_t deltas_[256];
};

extern template void DeltaBinaryPackedDecoder::decode<int32_t>(int32_t*, size_t);
extern template void DeltaBinaryPackedDecoder::decode<int64_t>(int64_t*, size_t);

// Encodes values with blocks of 128 values in 4 miniblocks (parquet-mr's and Arrow's layout),
// appending to out. Deltas wrap in `bits` (32 or 64), as readers compute in the column's width.
void encode_delta_binary_packed(const int64_t* values, size_t count, int bits, std::string& out);

}  // namespace ember::parquet
