#pragma once
// PLAIN: fixed-width values little-endian back to back, booleans bit-packed LSB first, byte arrays
// as a 4-byte little-endian length followed by the bytes, fixed-length byte arrays as the bytes.
// Also RLE-encoded booleans (a 4-byte length then the RLE/bit-packed hybrid at width 1), which
// Arrow writes into data page v2.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ember/io/parquet/values_decoder.h"

namespace ember::parquet {

std::unique_ptr<ValuesDecoder> make_plain_decoder(PhysicalType type, int type_length, const uint8_t* data,
                                                  size_t size);
std::unique_ptr<ValuesDecoder> make_rle_boolean_decoder(const uint8_t* data, size_t size);

// Writer side: appends PLAIN bytes.
inline void plain_append_fixed(const void* values, size_t bytes, std::string& out) {
  out.append(static_cast<const char*>(values), bytes);
}
inline void plain_append_byte_array(std::string_view v, std::string& out) {
  auto n = static_cast<uint32_t>(v.size());
  char len[4] = {static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
                 static_cast<char>((n >> 16) & 0xff), static_cast<char>((n >> 24) & 0xff)};
  out.append(len, 4);
  out.append(v);
}
// Booleans (one byte each, 0 or 1) bit-packed LSB first.
void plain_append_booleans(const uint8_t* values, size_t count, std::string& out);

}  // namespace ember::parquet
