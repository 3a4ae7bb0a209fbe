#include "ember/io/parquet/delta_byte_array.h"

#include <cstring>
#include <vector>

#include "ember/common/error.h"
#include "ember/io/parquet/delta_binary_packed.h"

namespace ember::parquet {

namespace {

// Values are materialised per page; a page that expands beyond what one string vector can hold
// is rejected rather than allocated.
constexpr uint64_t kMaxExpandedBytes = INT32_MAX;

std::vector<int32_t> decode_lengths(const uint8_t* data, size_t size, size_t max_values, const char* encoding,
                                    const uint8_t** after) {
  DeltaBinaryPackedDecoder lengths(data, size, max_values);
  std::vector<int32_t> out(lengths.total_values());
  lengths.decode<int32_t>(out.data(), out.size());
  *after = lengths.skip_to_end();
  for (int32_t len : out) {
    if (len < 0) {
      throw_error(ErrorKind::kMalformedInput,
                  std::string(encoding) + ": negative length " + std::to_string(len));
    }
  }
  return out;
}

class DeltaLengthByteArrayDecoder final : public ValuesDecoder {
 public:
  DeltaLengthByteArrayDecoder(const uint8_t* data, size_t size, size_t max_values) {
    const uint8_t* bytes = nullptr;
    lengths_ = decode_lengths(data, size, max_values, "DELTA_LENGTH_BYTE_ARRAY", &bytes);
    pos_ = bytes;
    end_ = data + size;
    uint64_t total = 0;
    for (int32_t len : lengths_) total += static_cast<uint64_t>(len);
    if (total > static_cast<uint64_t>(end_ - pos_)) {
      throw_error(ErrorKind::kMalformedInput, "DELTA_LENGTH_BYTE_ARRAY: lengths add up to " +
                                                  std::to_string(total) + " bytes but only " +
                                                  std::to_string(end_ - pos_) + " follow");
    }
  }

  void decode_binary(ByteArrayView* out, size_t n) override {
    if (n > lengths_.size() - next_) throw_values_exhausted("DELTA_LENGTH_BYTE_ARRAY");
    for (size_t i = 0; i < n; ++i) {
      auto len = static_cast<uint32_t>(lengths_[next_ + i]);
      out[i] = ByteArrayView{pos_, len};
      pos_ += len;  // within bounds: the constructor checked the total
    }
    next_ += n;
  }

 private:
  std::vector<int32_t> lengths_;
  size_t next_ = 0;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
};

class DeltaByteArrayDecoder final : public ValuesDecoder {
 public:
  DeltaByteArrayDecoder(const uint8_t* data, size_t size, size_t max_values, int fixed_length) {
    const uint8_t* suffix_start = nullptr;
    std::vector<int32_t> prefixes = decode_lengths(data, size, max_values, "DELTA_BYTE_ARRAY", &suffix_start);
    const uint8_t* bytes = nullptr;
    std::vector<int32_t> suffixes =
        decode_lengths(suffix_start, static_cast<size_t>(data + size - suffix_start), max_values,
                       "DELTA_BYTE_ARRAY", &bytes);
    if (prefixes.size() != suffixes.size()) {
      throw_error(ErrorKind::kMalformedInput, "DELTA_BYTE_ARRAY: " + std::to_string(prefixes.size()) +
                                                  " prefix lengths but " + std::to_string(suffixes.size()) +
                                                  " suffixes");
    }
    const uint8_t* end = data + size;
    uint64_t expanded = 0, suffix_bytes = 0;
    uint64_t previous = 0;
    for (size_t i = 0; i < prefixes.size(); ++i) {
      auto prefix = static_cast<uint64_t>(prefixes[i]);
      if (prefix > previous) {
        throw_error(ErrorKind::kMalformedInput, "DELTA_BYTE_ARRAY: prefix length " + std::to_string(prefix) +
                                                    " exceeds the previous value's length " +
                                                    std::to_string(previous));
      }
      previous = prefix + static_cast<uint64_t>(suffixes[i]);
      if (fixed_length > 0 && previous != static_cast<uint64_t>(fixed_length)) {
        throw_error(ErrorKind::kMalformedInput, "DELTA_BYTE_ARRAY: a value of " + std::to_string(previous) +
                                                    " bytes in a FIXED_LEN_BYTE_ARRAY(" +
                                                    std::to_string(fixed_length) + ") column");
      }
      expanded += previous;
      suffix_bytes += static_cast<uint64_t>(suffixes[i]);
      if (expanded > kMaxExpandedBytes) {
        throw_error(ErrorKind::kMalformedInput, "DELTA_BYTE_ARRAY: a page expands to more than 2 GiB");
      }
    }
    if (suffix_bytes > static_cast<uint64_t>(end - bytes)) {
      throw_error(ErrorKind::kMalformedInput, "DELTA_BYTE_ARRAY: suffixes run past the end of the page");
    }
    storage_.resize(static_cast<size_t>(expanded));
    offsets_.resize(prefixes.size() + 1);
    size_t pos = 0;
    size_t previous_start = 0;
    for (size_t i = 0; i < prefixes.size(); ++i) {
      auto prefix = static_cast<size_t>(prefixes[i]);
      auto suffix = static_cast<size_t>(suffixes[i]);
      offsets_[i] = pos;
      if (prefix > 0) std::memmove(storage_.data() + pos, storage_.data() + previous_start, prefix);
      if (suffix > 0) std::memcpy(storage_.data() + pos + prefix, bytes, suffix);
      bytes += suffix;
      previous_start = pos;
      pos += prefix + suffix;
    }
    offsets_[prefixes.size()] = pos;
  }

  void decode_binary(ByteArrayView* out, size_t n) override {
    size_t count = offsets_.size() - 1;
    if (n > count - next_) throw_values_exhausted("DELTA_BYTE_ARRAY");
    for (size_t i = 0; i < n; ++i) {
      size_t k = next_ + i;
      out[i] =
          ByteArrayView{storage_.data() + offsets_[k], static_cast<uint32_t>(offsets_[k + 1] - offsets_[k])};
    }
    next_ += n;
  }

 private:
  std::vector<uint8_t> storage_;
  std::vector<size_t> offsets_;
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<ValuesDecoder> make_delta_length_byte_array_decoder(const uint8_t* data, size_t size,
                                                                    size_t max_values) {
  return std::make_unique<DeltaLengthByteArrayDecoder>(data, size, max_values);
}

std::unique_ptr<ValuesDecoder> make_delta_byte_array_decoder(const uint8_t* data, size_t size,
                                                             size_t max_values, int fixed_length) {
  return std::make_unique<DeltaByteArrayDecoder>(data, size, max_values, fixed_length);
}

}  // namespace ember::parquet
