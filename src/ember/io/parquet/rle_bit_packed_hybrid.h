#pragma once
// The RLE / bit-packing hybrid encoding (Parquet's Encodings.md, "RLE"): a sequence of runs, each
// introduced by a ULEB128 header whose low bit says what follows —
//   header & 1 == 0: an RLE run of (header >> 1) copies of one value stored in ceil(width/8) bytes
//                    (little-endian);
//   header & 1 == 1: a bit-packed run of (header >> 1) groups of 8 values, width bits each, LSB first.
// It carries definition/repetition levels, dictionary indices and RLE-encoded booleans. The
// 4-byte length prefix that data page v1 levels and RLE booleans carry is handled by the callers.
//
// Also here: the deprecated BIT_PACKED level encoding (MSB first, no runs), which old writers used
// for data page v1 levels.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ember::parquet {

class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  // `bit_width` must be 0..32. The data is not copied and must outlive the decoder.
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width);

  // Decodes up to n values into out and returns how many it decoded: fewer than n only when the
  // data ends. A run header or RLE value that is truncated, or an RLE value wider than the bit
  // width, throws EmberError(kMalformedInput).
  template <class T>
  size_t get_batch(T* out, size_t n);
  // Passes over up to n values without unpacking them (a scan skipping rows nothing selected);
  // returns how many it passed over, fewer than n only when the data ends.
  size_t skip(size_t n);
  // Of the next n values, decodes only those at `positions` (count of them, ascending, each < n)
  // into out[0..count) and passes over the rest: sparse selections read a value's bits directly
  // instead of unpacking every value. Returns the values passed over (n unless the data ends
  // first, in which case out is not complete).
  size_t get_selected(const uint32_t* positions, size_t count, size_t n, uint32_t* out);

  // Bytes consumed so far (whole runs read).
  size_t bytes_consumed() const { return static_cast<size_t>(pos_ - begin_); }

 private:
  bool next_run();

  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  int bit_width_ = 0;
  uint64_t rle_left_ = 0;
  uint32_t rle_value_ = 0;
  uint64_t packed_left_ = 0;  // values left in the current bit-packed run
  const uint8_t* packed_data_ = nullptr;
  size_t packed_size_ = 0;   // bytes of the current bit-packed run that are present
  uint64_t packed_bit_ = 0;  // next bit to read in the current bit-packed run
};

extern template size_t RleBitPackedDecoder::get_batch<uint8_t>(uint8_t*, size_t);
extern template size_t RleBitPackedDecoder::get_batch<uint16_t>(uint16_t*, size_t);
extern template size_t RleBitPackedDecoder::get_batch<uint32_t>(uint32_t*, size_t);

// Encodes values with the hybrid: runs of 8 or more equal values become RLE runs, everything else
// goes into bit-packed runs of groups of 8 (the last group zero-padded).
class RleBitPackedEncoder {
 public:
  explicit RleBitPackedEncoder(int bit_width) : bit_width_(bit_width) {}

  void put(uint32_t value);
  // Puts n copies of value (fast for long runs such as all-valid definition levels).
  void put_repeated(uint32_t value, size_t n);
  // Finishes the last run and appends the encoded bytes to out; the encoder is then empty again.
  void flush(std::string& out);
  // Upper bound of the encoded size so far (for page-size decisions).
  size_t estimated_size() const { return out_.size() + literal_.size() + 8 + 5; }
  size_t count() const { return count_; }

 private:
  void write_rle_run();
  void write_literal_group();
  void end_literal_run();

  int bit_width_;
  std::string out_;      // finished runs
  std::string literal_;  // packed groups of the open bit-packed run
  uint64_t literal_groups_ = 0;
  uint32_t buffered_[8] = {};
  int num_buffered_ = 0;
  uint32_t previous_ = 0;
  uint64_t repeat_count_ = 0;
  size_t count_ = 0;
};

// Decodes `count` levels of the deprecated BIT_PACKED encoding (MSB first) of `bit_width` bits.
// Returns the number of bytes the levels occupy; throws kMalformedInput if `size` is too small.
size_t decode_legacy_bit_packed(const uint8_t* data, size_t size, int bit_width, uint8_t* out, size_t count);

// ULEB128 helpers shared by the encodings.
void append_uleb128(uint64_t v, std::string& out);
// Reads a ULEB128 at *pos (advancing it); throws kMalformedInput naming `what` when truncated.
uint64_t read_uleb128(const uint8_t*& pos, const uint8_t* end, const char* what);
inline int64_t zigzag_decode(uint64_t u) { return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1)); }
inline uint64_t zigzag_encode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

}  // namespace ember::parquet
