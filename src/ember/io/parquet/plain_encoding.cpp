#include "ember/io/parquet/plain_encoding.h"

#include <cstring>

#include "ember/common/error.h"
#include "ember/io/parquet/bit_packing.h"
#include "ember/io/parquet/rle_bit_packed_hybrid.h"

namespace ember::parquet {

namespace {

class PlainFixedDecoder final : public ValuesDecoder {
 public:
  PlainFixedDecoder(int width, const uint8_t* data, size_t size)
      : width_(width), pos_(data), end_(data + size) {}

  void decode_fixed(uint8_t* out, size_t n) override {
    size_t bytes = n * static_cast<size_t>(width_);
    if (bytes > static_cast<size_t>(end_ - pos_)) throw_values_exhausted("PLAIN");
    std::memcpy(out, pos_, bytes);
    pos_ += bytes;
  }

  // PLAIN values sit at fixed offsets: a skip is a pointer move.
  bool skip_fixed(size_t n) override {
    size_t bytes = n * static_cast<size_t>(width_);
    if (bytes > static_cast<size_t>(end_ - pos_)) throw_values_exhausted("PLAIN");
    pos_ += bytes;
    return true;
  }

 private:
  int width_;
  const uint8_t* pos_;
  const uint8_t* end_;
};

class PlainBooleanDecoder final : public ValuesDecoder {
 public:
  PlainBooleanDecoder(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  void decode_fixed(uint8_t* out, size_t n) override {
    if (bit_ + n > static_cast<uint64_t>(size_) * 8) throw_values_exhausted("PLAIN");
    unpack_bits<uint8_t>(data_, size_, 1, bit_, out, n);
    bit_ += n;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  uint64_t bit_ = 0;
};

class RleBooleanDecoder final : public ValuesDecoder {
 public:
  RleBooleanDecoder(const uint8_t* data, size_t size) {
    if (size < 4) throw_error(ErrorKind::kMalformedInput, "RLE boolean data lacks its 4-byte length");
    uint32_t len;
    std::memcpy(&len, data, 4);
    if (len > size - 4) {
      throw_error(ErrorKind::kMalformedInput, "RLE boolean length " + std::to_string(len) + " exceeds the " +
                                                  std::to_string(size - 4) + " bytes of the page");
    }
    decoder_ = RleBitPackedDecoder(data + 4, len, 1);
  }

  void decode_fixed(uint8_t* out, size_t n) override {
    if (decoder_.get_batch(out, n) != n) throw_values_exhausted("RLE");
  }

 private:
  RleBitPackedDecoder decoder_;
};

class PlainByteArrayDecoder final : public ValuesDecoder {
 public:
  PlainByteArrayDecoder(const uint8_t* data, size_t size) : pos_(data), end_(data + size) {}

  void decode_binary(ByteArrayView* out, size_t n) override {
    const uint8_t* p = pos_;
    for (size_t i = 0; i < n; ++i) {
      if (end_ - p < 4) throw_values_exhausted("PLAIN");
      uint32_t len;
      std::memcpy(&len, p, 4);
      p += 4;
      if (len > static_cast<size_t>(end_ - p)) {
        throw_error(ErrorKind::kMalformedInput,
                    "PLAIN byte array of " + std::to_string(len) + " bytes runs past the end of the page");
      }
      out[i] = ByteArrayView{p, len};
      p += len;
    }
    pos_ = p;
  }

 private:
  const uint8_t* pos_;
  const uint8_t* end_;
};

class PlainFixedLenByteArrayDecoder final : public ValuesDecoder {
 public:
  PlainFixedLenByteArrayDecoder(int length, const uint8_t* data, size_t size)
      : length_(static_cast<uint32_t>(length)), pos_(data), end_(data + size) {}

  void decode_binary(ByteArrayView* out, size_t n) override {
    if (n * length_ > static_cast<size_t>(end_ - pos_)) throw_values_exhausted("PLAIN");
    for (size_t i = 0; i < n; ++i) out[i] = ByteArrayView{pos_ + i * length_, length_};
    pos_ += n * length_;
  }

 private:
  uint32_t length_;
  const uint8_t* pos_;
  const uint8_t* end_;
};

}  // namespace

std::unique_ptr<ValuesDecoder> make_plain_decoder(PhysicalType type, int type_length, const uint8_t* data,
                                                  size_t size) {
  switch (type) {
    case PhysicalType::kBoolean: return std::make_unique<PlainBooleanDecoder>(data, size);
    case PhysicalType::kByteArray: return std::make_unique<PlainByteArrayDecoder>(data, size);
    case PhysicalType::kFixedLenByteArray:
      return std::make_unique<PlainFixedLenByteArrayDecoder>(type_length, data, size);
    default: return std::make_unique<PlainFixedDecoder>(fixed_width(type), data, size);
  }
}

std::unique_ptr<ValuesDecoder> make_rle_boolean_decoder(const uint8_t* data, size_t size) {
  return std::make_unique<RleBooleanDecoder>(data, size);
}

void plain_append_booleans(const uint8_t* values, size_t count, std::string& out) {
  size_t start = out.size();
  out.resize(start + (count + 7) / 8, '\0');
  auto* dst = reinterpret_cast<uint8_t*>(out.data() + start);
  for (size_t i = 0; i < count; ++i) dst[i >> 3] |= static_cast<uint8_t>((values[i] & 1) << (i & 7));
}

}  // namespace ember::parquet
