#pragma once
// BYTE_STREAM_SPLIT: for N values of K bytes, K streams of N bytes — stream b holds byte b of
// every value — concatenated. Valid for FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "ember/io/parquet/values_decoder.h"

namespace ember::parquet {

// `width` is the value size in bytes (the FIXED_LEN_BYTE_ARRAY length for that type). The section
// size must be a multiple of it; the number of values is size / width.
std::unique_ptr<ValuesDecoder> make_byte_stream_split_decoder(const uint8_t* data, size_t size, int width,
                                                              bool fixed_len_byte_array);

// Appends the BYTE_STREAM_SPLIT form of `count` values of `width` bytes.
void encode_byte_stream_split(const uint8_t* values, size_t count, int width, std::string& out);

}  // namespace ember::parquet
