#pragma once
// The decoders of a data page's values section, one per encoding, behind one small interface. A
// page's decoder is made once per page and asked for values in runs (a batch's worth at a time),
// so the virtual call is per run, never per value.
//
//   encoding                  physical types
//   PLAIN                     all
//   RLE                       BOOLEAN
//   DELTA_BINARY_PACKED       INT32, INT64
//   DELTA_LENGTH_BYTE_ARRAY   BYTE_ARRAY
//   DELTA_BYTE_ARRAY          BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY
//   BYTE_STREAM_SPLIT         FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY
//
// Dictionary-encoded pages (PLAIN_DICTIONARY, RLE_DICTIONARY) carry indices, which the column
// reader decodes with RleBitPackedDecoder and resolves against the dictionary page's values (the
// dictionary page itself is PLAIN and decoded with this interface).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "ember/io/parquet/parquet_metadata.h"

namespace ember::parquet {

// A byte-array value: points into the page buffer (or the decoder's own storage) and stays valid
// until the decoder is destroyed.
struct ByteArrayView {
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  std::string_view view() const { return {reinterpret_cast<const char*>(data), size}; }
};

class ValuesDecoder {
 public:
  virtual ~ValuesDecoder() = default;
  // Fixed-width physical types: writes the next n values to out, fixed_width(type) bytes each, in
  // PLAIN's little-endian layout. BOOLEAN values come out as one byte each (0 or 1).
  virtual void decode_fixed(uint8_t* out, size_t n);
  // BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY: the next n values as views.
  virtual void decode_binary(ByteArrayView* out, size_t n);
  // Fixed-width types: passes over the next n values without decoding them and returns true, or
  // returns false (having consumed nothing) when the encoding can only skip by decoding.
  virtual bool skip_fixed(size_t n) { return false; }
};

// Bytes per value of a fixed-width physical type as decode_fixed writes it (BOOLEAN: 1, INT96: 12);
// 0 for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY, which decode through views.
int fixed_width(PhysicalType type);

// Makes the decoder for a values section of `size` bytes holding at most `max_values` values.
// Throws kUnsupported for an encoding ember does not know and kMalformedInput for a combination
// the format does not allow or a malformed section header. Reading past the values present
// throws kMalformedInput.
std::unique_ptr<ValuesDecoder> make_values_decoder(Encoding encoding, PhysicalType type, int type_length,
                                                   const uint8_t* data, size_t size, size_t max_values);

// The error every decoder raises when a page holds fewer values than it claims.
[[noreturn]] void throw_values_exhausted(const char* encoding);

}  // namespace ember::parquet
