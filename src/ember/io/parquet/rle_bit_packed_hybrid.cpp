#include "ember/io/parquet/rle_bit_packed_hybrid.h"

#include <algorithm>
#include <cstring>

#include "ember/common/error.h"
#include "ember/io/parquet/bit_packing.h"

namespace ember::parquet {

void append_uleb128(uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t read_uleb128(const uint8_t*& pos, const uint8_t* end, const char* what) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= end) throw_error(ErrorKind::kMalformedInput, std::string("truncated ") + what);
    uint8_t b = *pos++;
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return result;
  }
  throw_error(ErrorKind::kMalformedInput, std::string("overlong varint in ") + what);
}

// ---------------------------------------------------------------------------------------------
// decoder

RleBitPackedDecoder::RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width)
    : begin_(data), pos_(data), end_(data + size), bit_width_(bit_width) {
  if (bit_width < 0 || bit_width > 32) {
    throw_error(ErrorKind::kMalformedInput,
                "RLE bit width " + std::to_string(bit_width) + " is out of range");
  }
}

bool RleBitPackedDecoder::next_run() {
  if (pos_ >= end_) return false;
  uint64_t header = read_uleb128(pos_, end_, "RLE run header");
  uint64_t n = header >> 1;
  if (header & 1) {
    // Bit-packed: n groups of 8 values. A final run may be cut short by the writer; only the
    // values whose bits are present are decoded.
    uint64_t bytes = n * static_cast<uint64_t>(bit_width_);
    auto avail = static_cast<uint64_t>(end_ - pos_);
    if (bytes > avail) bytes = avail;
    packed_data_ = pos_;
    packed_size_ = static_cast<size_t>(bytes);
    packed_bit_ = 0;
    packed_left_ =
        bit_width_ == 0 ? n * 8 : std::min<uint64_t>(n * 8, bytes * 8 / static_cast<uint64_t>(bit_width_));
    pos_ += bytes;
  } else {
    int value_bytes = (bit_width_ + 7) / 8;
    if (end_ - pos_ < value_bytes) throw_error(ErrorKind::kMalformedInput, "truncated RLE run value");
    uint32_t v = 0;
    for (int i = 0; i < value_bytes; ++i) v |= static_cast<uint32_t>(pos_[i]) << (8 * i);
    pos_ += value_bytes;
    if (bit_width_ < 32 && (v >> bit_width_) != 0) {
      throw_error(ErrorKind::kMalformedInput, "RLE run value " + std::to_string(v) + " does not fit in " +
                                                  std::to_string(bit_width_) + " bits");
    }
    rle_value_ = v;
    rle_left_ = n;
  }
  return true;
}

template <class T>
size_t RleBitPackedDecoder::get_batch(T* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    if (rle_left_ > 0) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(rle_left_, n - done));
      std::fill(out + done, out + done + k, static_cast<T>(rle_value_));
      rle_left_ -= k;
      done += k;
    } else if (packed_left_ > 0) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(packed_left_, n - done));
      unpack_bits<T>(packed_data_, packed_size_, bit_width_, packed_bit_, out + done, k);
      packed_bit_ += static_cast<uint64_t>(k) * static_cast<uint64_t>(bit_width_);
      packed_left_ -= k;
      done += k;
    } else if (!next_run()) {
      break;
    }
  }
  return done;
}

size_t RleBitPackedDecoder::skip(size_t n) {
  size_t done = 0;
  while (done < n) {
    if (rle_left_ > 0) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(rle_left_, n - done));
      rle_left_ -= k;
      done += k;
    } else if (packed_left_ > 0) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(packed_left_, n - done));
      packed_bit_ += static_cast<uint64_t>(k) * static_cast<uint64_t>(bit_width_);
      packed_left_ -= k;
      done += k;
    } else if (!next_run()) {
      break;
    }
  }
  return done;
}

size_t RleBitPackedDecoder::get_selected(const uint32_t* positions, size_t count, size_t n, uint32_t* out) {
  size_t done = 0;  // values passed so far
  size_t j = 0;     // next position to decode
  const uint64_t mask = bit_width_ >= 32 ? 0xffffffffULL : (uint64_t{1} << bit_width_) - 1;
  while (done < n) {
    if (rle_left_ > 0) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(rle_left_, n - done));
      for (; j < count && positions[j] < done + k; ++j) out[j] = rle_value_;
      rle_left_ -= k;
      done += k;
    } else if (packed_left_ > 0) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(packed_left_, n - done));
      const auto width = static_cast<uint64_t>(bit_width_);
      for (; j < count && positions[j] < done + k; ++j) {
        // A value of at most 32 bits starting anywhere in a byte lies within 8 bytes of it.
        const uint64_t bit = packed_bit_ + (positions[j] - done) * width;
        const auto byte = static_cast<size_t>(bit >> 3);
        if (byte + 8 <= packed_size_) {
          uint64_t word;
          std::memcpy(&word, packed_data_ + byte, sizeof word);
          out[j] = static_cast<uint32_t>((word >> (bit & 7)) & mask);
        } else {
          unpack_bits<uint32_t>(packed_data_, packed_size_, bit_width_, bit, out + j, 1);
        }
      }
      packed_bit_ += static_cast<uint64_t>(k) * width;
      packed_left_ -= k;
      done += k;
    } else if (!next_run()) {
      break;
    }
  }
  return done;
}

template size_t RleBitPackedDecoder::get_batch<uint8_t>(uint8_t*, size_t);
template size_t RleBitPackedDecoder::get_batch<uint16_t>(uint16_t*, size_t);
template size_t RleBitPackedDecoder::get_batch<uint32_t>(uint32_t*, size_t);

// ---------------------------------------------------------------------------------------------
// encoder

void RleBitPackedEncoder::put(uint32_t value) {
  ++count_;
  if (value == previous_ && count_ > 1) {
    ++repeat_count_;
    // Eight equal values or more will become an RLE run: count them without buffering.
    if (repeat_count_ >= 8) return;
  } else {
    if (repeat_count_ >= 8) write_rle_run();
    repeat_count_ = 1;
    previous_ = value;
  }
  buffered_[num_buffered_++] = value;
  if (num_buffered_ == 8) write_literal_group();
}

void RleBitPackedEncoder::put_repeated(uint32_t value, size_t n) {
  // Fill the current group one by one until the run is established, then count in bulk.
  while (n > 0 && !(repeat_count_ >= 8 && value == previous_)) {
    put(value);
    --n;
  }
  repeat_count_ += n;
  count_ += n;
}

void RleBitPackedEncoder::write_literal_group() {
  pack_bits(buffered_, 8, bit_width_, literal_);
  ++literal_groups_;
  num_buffered_ = 0;
  // Values just packed may have been counted as repeats; a run must start afresh.
  repeat_count_ = 0;
}

void RleBitPackedEncoder::end_literal_run() {
  if (literal_groups_ == 0) return;
  append_uleb128((literal_groups_ << 1) | 1, out_);
  out_ += literal_;
  literal_.clear();
  literal_groups_ = 0;
}

void RleBitPackedEncoder::write_rle_run() {
  end_literal_run();
  append_uleb128(repeat_count_ << 1, out_);
  int value_bytes = (bit_width_ + 7) / 8;
  for (int i = 0; i < value_bytes; ++i) out_.push_back(static_cast<char>((previous_ >> (8 * i)) & 0xff));
  repeat_count_ = 0;
  num_buffered_ = 0;
}

void RleBitPackedEncoder::flush(std::string& out) {
  if (repeat_count_ >= 8) {
    write_rle_run();
  } else if (num_buffered_ > 0) {
    for (int i = num_buffered_; i < 8; ++i) buffered_[i] = 0;
    write_literal_group();
  }
  end_literal_run();
  out += out_;
  out_.clear();
  num_buffered_ = 0;
  repeat_count_ = 0;
  previous_ = 0;
  count_ = 0;
}

// ---------------------------------------------------------------------------------------------
// legacy BIT_PACKED levels

size_t decode_legacy_bit_packed(const uint8_t* data, size_t size, int bit_width, uint8_t* out, size_t count) {
  size_t bytes = (count * static_cast<size_t>(bit_width) + 7) / 8;
  if (bytes > size) throw_error(ErrorKind::kMalformedInput, "truncated BIT_PACKED levels");
  uint64_t bit = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t v = 0;
    for (int b = 0; b < bit_width; ++b, ++bit) {
      v = (v << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
    }
    out[i] = static_cast<uint8_t>(v);
  }
  return bytes;
}

}  // namespace ember::parquet
