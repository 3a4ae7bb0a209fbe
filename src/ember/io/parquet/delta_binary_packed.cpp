#include "ember/io/parquet/delta_binary_packed.h"

#include <algorithm>

#include "ember/common/error.h"
#include "ember/io/parquet/bit_packing.h"
#include "ember/io/parquet/rle_bit_packed_hybrid.h"
#include "ember/io/parquet/values_decoder.h"

namespace ember::parquet {

namespace {

[[noreturn]] void bad(const std::string& what) {
  throw_error(ErrorKind::kMalformedInput, "DELTA_BINARY_PACKED: " + what);
}

// Larger blocks than any writer uses; the bound keeps the arithmetic below far from overflow.
constexpr uint64_t kMaxBlockSize = uint64_t{1} << 20;

}  // namespace

DeltaBinaryPackedDecoder::DeltaBinaryPackedDecoder(const uint8_t* data, size_t size, size_t max_values)
    : pos_(data), end_(data + size) {
  const char* what = "DELTA_BINARY_PACKED header";
  block_size_ = read_uleb128(pos_, end_, what);
  miniblocks_ = read_uleb128(pos_, end_, what);
  total_ = read_uleb128(pos_, end_, what);
  last_ = static_cast<uint64_t>(zigzag_decode(read_uleb128(pos_, end_, what)));
  if (block_size_ == 0 || block_size_ % 128 != 0 || block_size_ > kMaxBlockSize) {
    bad("block size " + std::to_string(block_size_) + " is not a positive multiple of 128");
  }
  if (miniblocks_ == 0 || block_size_ % miniblocks_ != 0 || (block_size_ / miniblocks_) % 32 != 0) {
    bad(std::to_string(miniblocks_) + " miniblocks do not divide a block of " + std::to_string(block_size_) +
        " into multiples of 32 values");
  }
  if (total_ > max_values) {
    bad("the header claims " + std::to_string(total_) + " values, more than the page's " +
        std::to_string(max_values));
  }
  // Each block takes at least a min-delta byte and one width byte per miniblock, so the bytes
  // present bound how many values can really follow; a larger claim is corrupt (and must not
  // drive an allocation in the byte-array decoders).
  uint64_t max_blocks = static_cast<uint64_t>(end_ - pos_) / (1 + miniblocks_) + 1;
  if (total_ > 1 && (total_ - 1) / block_size_ >= max_blocks) {
    bad("the header claims " + std::to_string(total_) + " values but only " + std::to_string(end_ - pos_) +
        " bytes follow");
  }
  values_per_miniblock_ = block_size_ / miniblocks_;
  left_ = total_;
  first_pending_ = total_ > 0;
  widths_.resize(static_cast<size_t>(miniblocks_));
  miniblock_index_ = miniblocks_;  // the first delta reads a block header
}

void DeltaBinaryPackedDecoder::next_miniblock() {
  if (miniblock_index_ >= miniblocks_) {
    min_delta_ = static_cast<uint64_t>(zigzag_decode(read_uleb128(pos_, end_, "DELTA_BINARY_PACKED block")));
    if (static_cast<uint64_t>(end_ - pos_) < miniblocks_) bad("truncated miniblock bit widths");
    std::copy(pos_, pos_ + miniblocks_, widths_.begin());
    pos_ += miniblocks_;
    miniblock_index_ = 0;
  }
  width_ = widths_[static_cast<size_t>(miniblock_index_)];
  if (width_ > 64) bad("miniblock bit width " + std::to_string(width_) + " exceeds 64");
  auto w = static_cast<uint64_t>(width_);
  uint64_t full_bytes = values_per_miniblock_ * w / 8;
  uint64_t real_values = std::min(values_per_miniblock_, left_);
  uint64_t need_bytes = (real_values * w + 7) / 8;
  auto avail = static_cast<uint64_t>(end_ - pos_);
  if (need_bytes > avail) bad("truncated miniblock");
  miniblock_data_ = pos_;
  miniblock_bytes_ = static_cast<size_t>(std::min(full_bytes, avail));
  pos_ += miniblock_bytes_;
  miniblock_left_ = values_per_miniblock_;
  ++miniblock_index_;
}

template <class T>
void DeltaBinaryPackedDecoder::decode(T* out, size_t n) {
  if (n > left_) throw_values_exhausted("DELTA_BINARY_PACKED");
  size_t i = 0;
  if (n > 0 && first_pending_) {
    out[0] = static_cast<T>(last_);
    first_pending_ = false;
    --left_;
    i = 1;
  }
  while (i < n) {
    if (miniblock_left_ == 0) next_miniblock();
    size_t k = static_cast<size_t>(std::min<uint64_t>({n - i, miniblock_left_, 256}));
    uint64_t first_bit = (values_per_miniblock_ - miniblock_left_) * static_cast<uint64_t>(width_);
    unpack_bits<uint64_t>(miniblock_data_, miniblock_bytes_, width_, first_bit, deltas_, k);
    uint64_t v = last_;
    const uint64_t min_delta = min_delta_;
    for (size_t j = 0; j < k; ++j) {
      v += min_delta + deltas_[j];
      out[i + j] = static_cast<T>(v);
    }
    last_ = v;
    i += k;
    miniblock_left_ -= k;
    left_ -= k;
  }
}

template void DeltaBinaryPackedDecoder::decode<int32_t>(int32_t*, size_t);
template void DeltaBinaryPackedDecoder::decode<int64_t>(int64_t*, size_t);

const uint8_t* DeltaBinaryPackedDecoder::skip_to_end() {
  int64_t scratch[256];
  while (left_ > 0) decode<int64_t>(scratch, static_cast<size_t>(std::min<uint64_t>(left_, 256)));
  return pos_;
}

void encode_delta_binary_packed(const int64_t* values, size_t count, int bits, std::string& out) {
  constexpr size_t kBlock = 128;
  constexpr size_t kMiniblocks = 4;
  constexpr size_t kPerMiniblock = kBlock / kMiniblocks;
  append_uleb128(kBlock, out);
  append_uleb128(kMiniblocks, out);
  append_uleb128(count, out);
  int64_t first = count > 0 ? values[0] : 0;
  append_uleb128(zigzag_encode(first), out);
  const uint64_t mask = bits == 32 ? 0xffffffffull : ~uint64_t{0};
  auto wrap = [&](uint64_t d) -> int64_t {
    return bits == 32 ? static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(d)))
                      : static_cast<int64_t>(d);
  };
  int64_t deltas[kBlock];
  uint64_t packed[kBlock];
  uint64_t prev = static_cast<uint64_t>(first);
  for (size_t i = 1; i < count; i += kBlock) {
    size_t n = std::min(kBlock, count - i);
    int64_t min_delta = INT64_MAX;
    for (size_t j = 0; j < n; ++j) {
      auto v = static_cast<uint64_t>(values[i + j]);
      deltas[j] = wrap(v - prev);
      prev = v;
      min_delta = std::min(min_delta, deltas[j]);
    }
    append_uleb128(zigzag_encode(min_delta), out);
    for (size_t j = 0; j < kBlock; ++j) {
      packed[j] = j < n ? (static_cast<uint64_t>(deltas[j]) - static_cast<uint64_t>(min_delta)) & mask : 0;
    }
    int widths[kMiniblocks];
    for (size_t m = 0; m < kMiniblocks; ++m) {
      uint64_t max = 0;
      for (size_t j = m * kPerMiniblock; j < (m + 1) * kPerMiniblock; ++j) max |= packed[j];
      widths[m] = m * kPerMiniblock < n ? bit_width_of(max) : 0;
      out.push_back(static_cast<char>(widths[m]));
    }
    for (size_t m = 0; m < kMiniblocks && m * kPerMiniblock < n; ++m) {
      pack_bits(packed + m * kPerMiniblock, kPerMiniblock, widths[m], out);
    }
  }
}

}  // namespace ember::parquet
