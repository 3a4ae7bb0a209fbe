#include "ember/io/parquet/byte_stream_split.h"

#include <vector>

#include "ember/common/error.h"

namespace ember::parquet {

namespace {

class ByteStreamSplitDecoder final : public ValuesDecoder {
 public:
  ByteStreamSplitDecoder(const uint8_t* data, size_t size, int width, bool flba)
      : data_(data),
        width_(static_cast<size_t>(width)),
        count_(size / static_cast<size_t>(width)),
        flba_(flba) {
    if (size % width_ != 0) {
      throw_error(ErrorKind::kMalformedInput, "BYTE_STREAM_SPLIT: " + std::to_string(size) +
                                                  " bytes are not a whole number of " +
                                                  std::to_string(width) + "-byte values");
    }
  }

  void decode_fixed(uint8_t* out, size_t n) override {
    if (flba_) return ValuesDecoder::decode_fixed(out, n);  // throws: FLBA decodes through views
    gather(out, n);
  }

  void decode_binary(ByteArrayView* out, size_t n) override {
    if (!flba_) return ValuesDecoder::decode_binary(out, n);  // throws: numbers decode as fixed
    // Views must stay valid until the decoder goes away, so each run gets its own storage.
    auto& run = runs_.emplace_back(n * width_);
    gather(run.data(), n);
    for (size_t i = 0; i < n; ++i)
      out[i] = ByteArrayView{run.data() + i * width_, static_cast<uint32_t>(width_)};
  }

 private:
  void gather(uint8_t* out, size_t n) {
    if (n > count_ - next_) throw_values_exhausted("BYTE_STREAM_SPLIT");
    for (size_t b = 0; b < width_; ++b) {
      const uint8_t* stream = data_ + b * count_ + next_;
      for (size_t i = 0; i < n; ++i) out[i * width_ + b] = stream[i];
    }
    next_ += n;
  }

  const uint8_t* data_;
  size_t width_;
  size_t count_;
  bool flba_;
  size_t next_ = 0;
  std::vector<std::vector<uint8_t>> runs_;
};

}  // namespace

std::unique_ptr<ValuesDecoder> make_byte_stream_split_decoder(const uint8_t* data, size_t size, int width,
                                                              bool fixed_len_byte_array) {
  if (width <= 0) throw_error(ErrorKind::kMalformedInput, "BYTE_STREAM_SPLIT: invalid value width");
  return std::make_unique<ByteStreamSplitDecoder>(data, size, width, fixed_len_byte_array);
}

void encode_byte_stream_split(const uint8_t* values, size_t count, int width, std::string& out) {
  size_t start = out.size();
  auto w = static_cast<size_t>(width);
  out.resize(start + count * w);
  char* dst = out.data() + start;
  for (size_t b = 0; b < w; ++b) {
    for (size_t i = 0; i < count; ++i) dst[b * count + i] = static_cast<char>(values[i * w + b]);
  }
}

}  // namespace ember::parquet
