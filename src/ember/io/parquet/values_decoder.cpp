#include "ember/io/parquet/values_decoder.h"

#include "ember/common/error.h"
#include "ember/io/parquet/byte_stream_split.h"
#include "ember/io/parquet/delta_binary_packed.h"
#include "ember/io/parquet/delta_byte_array.h"
#include "ember/io/parquet/plain_encoding.h"

namespace ember::parquet {

namespace {

class DeltaBinaryPackedValuesDecoder final : public ValuesDecoder {
 public:
  DeltaBinaryPackedValuesDecoder(const uint8_t* data, size_t size, size_t max_values, bool is_int64)
      : decoder_(data, size, max_values), is_int64_(is_int64) {}

  void decode_fixed(uint8_t* out, size_t n) override {
    // The output buffers come from Buffer/std::vector allocations, aligned for any integer type.
    if (is_int64_) decoder_.decode<int64_t>(reinterpret_cast<int64_t*>(out), n);
    else decoder_.decode<int32_t>(reinterpret_cast<int32_t*>(out), n);
  }

 private:
  DeltaBinaryPackedDecoder decoder_;
  bool is_int64_;
};

[[noreturn]] void invalid_combination(Encoding encoding, PhysicalType type) {
  throw_error(ErrorKind::kMalformedInput, std::string("encoding ") + encoding_name(encoding) +
                                              " is not valid for physical type " + physical_type_name(type));
}

}  // namespace

void ValuesDecoder::decode_fixed(uint8_t*, size_t) {
  throw_error(ErrorKind::kInternal, "fixed-width decode requested from a byte-array decoder");
}

void ValuesDecoder::decode_binary(ByteArrayView*, size_t) {
  throw_error(ErrorKind::kInternal, "byte-array decode requested from a fixed-width decoder");
}

void throw_values_exhausted(const char* encoding) {
  throw_error(ErrorKind::kMalformedInput,
              std::string(encoding) + " data ends before the number of values the page header gives");
}

int fixed_width(PhysicalType type) {
  switch (type) {
    case PhysicalType::kBoolean: return 1;
    case PhysicalType::kInt32:
    case PhysicalType::kFloat: return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kInt96: return 12;
    default: return 0;
  }
}

std::unique_ptr<ValuesDecoder> make_values_decoder(Encoding encoding, PhysicalType type, int type_length,
                                                   const uint8_t* data, size_t size, size_t max_values) {
  switch (encoding) {
    case Encoding::kPlain: return make_plain_decoder(type, type_length, data, size);
    case Encoding::kRle:
      if (type != PhysicalType::kBoolean) invalid_combination(encoding, type);
      return make_rle_boolean_decoder(data, size);
    case Encoding::kDeltaBinaryPacked:
      if (type != PhysicalType::kInt32 && type != PhysicalType::kInt64) invalid_combination(encoding, type);
      return std::make_unique<DeltaBinaryPackedValuesDecoder>(data, size, max_values,
                                                              type == PhysicalType::kInt64);
    case Encoding::kDeltaLengthByteArray:
      if (type != PhysicalType::kByteArray) invalid_combination(encoding, type);
      return make_delta_length_byte_array_decoder(data, size, max_values);
    case Encoding::kDeltaByteArray:
      if (type != PhysicalType::kByteArray && type != PhysicalType::kFixedLenByteArray) {
        invalid_combination(encoding, type);
      }
      return make_delta_byte_array_decoder(data, size, max_values,
                                           type == PhysicalType::kFixedLenByteArray ? type_length : 0);
    case Encoding::kByteStreamSplit:
      switch (type) {
        case PhysicalType::kFloat:
        case PhysicalType::kDouble:
        case PhysicalType::kInt32:
        case PhysicalType::kInt64:
          return make_byte_stream_split_decoder(data, size, fixed_width(type), false);
        case PhysicalType::kFixedLenByteArray:
          return make_byte_stream_split_decoder(data, size, type_length, true);
        default: invalid_combination(encoding, type);
      }
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary:
      throw_error(ErrorKind::kInternal, "dictionary-encoded values are decoded by the column reader");
    case Encoding::kBitPacked: invalid_combination(encoding, type);
  }
  throw_error(ErrorKind::kUnsupported,
              "Parquet encoding " + std::to_string(static_cast<int>(encoding)) + " is not supported");
}

}  // namespace ember::parquet
