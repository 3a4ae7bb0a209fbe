#pragma once
// DELTA_LENGTH_BYTE_ARRAY: all lengths DELTA_BINARY_PACKED, then all bytes concatenated.
// DELTA_BYTE_ARRAY (incremental / front coding): prefix lengths DELTA_BINARY_PACKED, then the
// suffixes as DELTA_LENGTH_BYTE_ARRAY; value i is the first prefix[i] bytes of value i-1 followed
// by suffix i.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "ember/io/parquet/values_decoder.h"

namespace ember::parquet {

std::unique_ptr<ValuesDecoder> make_delta_length_byte_array_decoder(const uint8_t* data, size_t size,
                                                                    size_t max_values);
// `fixed_length` > 0 for FIXED_LEN_BYTE_ARRAY columns: every value must have that length.
std::unique_ptr<ValuesDecoder> make_delta_byte_array_decoder(const uint8_t* data, size_t size,
                                                             size_t max_values, int fixed_length);

}  // namespace ember::parquet
