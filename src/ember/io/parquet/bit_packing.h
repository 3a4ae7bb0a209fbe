#pragma once
// Parquet's bit packing: values of a fixed bit width laid end to end, least significant bit first
// (the order the RLE/bit-packed hybrid and DELTA_BINARY_PACKED use). These loops are the hot core
// of level, dictionary-index and delta decoding, so they work on whole runs with 64-bit loads and
// never read outside the given buffer.
#include <cstddef>
#include <cstdint>
#include <string>

namespace ember::parquet {

// Unpacks `count` values of `width` bits (0..64) starting `first_bit` bits into `in`. The caller
// guarantees first_bit + count * width <= in_size * 8. T is an unsigned type wide enough for the
// width (values are truncated to T otherwise).
template <class T>
void unpack_bits(const uint8_t* in, size_t in_size, int width, uint64_t first_bit, T* out, size_t count);

extern template void unpack_bits<uint8_t>(const uint8_t*, size_t, int, uint64_t, uint8_t*, size_t);
extern template void unpack_bits<uint16_t>(const uint8_t*, size_t, int, uint64_t, uint16_t*, size_t);
extern template void unpack_bits<uint32_t>(const uint8_t*, size_t, int, uint64_t, uint32_t*, size_t);
extern template void unpack_bits<uint64_t>(const uint8_t*, size_t, int, uint64_t, uint64_t*, size_t);

// Appends `count` values (each < 2^width) packed LSB-first to `out`, padding the last byte with zeros.
void pack_bits(const uint64_t* values, size_t count, int width, std::string& out);
void pack_bits(const uint32_t* values, size_t count, int width, std::string& out);

// Bits needed to represent `max_value` (0 for 0).
inline int bit_width_of(uint64_t max_value) { return max_value == 0 ? 0 : 64 - __builtin_clzll(max_value); }

}  // namespace ember::parquet
