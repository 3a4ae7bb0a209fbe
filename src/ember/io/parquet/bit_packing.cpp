#include "ember/io/parquet/bit_packing.h"

#include <cstring>
#include <utility>

namespace ember::parquet {

namespace {

inline uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);  // little-endian hosts only (x86-64, aarch64), as the rest of ember
  return v;
}

// One value read byte by byte: for the tail of the buffer and for widths above 56 bits, where a
// value can straddle nine bytes.
inline uint64_t read_slow(const uint8_t* in, size_t in_size, uint64_t bit, int width) {
  uint64_t value = 0;
  int got = 0;
  size_t byte = static_cast<size_t>(bit >> 3);
  int shift = static_cast<int>(bit & 7);
  while (got < width && byte < in_size) {
    uint64_t b = in[byte] >> shift;
    int take = 8 - shift;
    value |= b << got;
    got += take;
    shift = 0;
    ++byte;
  }
  return width == 64 ? value : value & ((uint64_t{1} << width) - 1);
}

// Eight values of kWidth bits fill exactly kWidth bytes, so inside a byte-aligned group of eight
// each value's byte offset and shift are constants: one load, one shift and one mask per value.
template <int kWidth, class T, int... kJ>
inline void unpack_group_of_8(const uint8_t* p, T* out, std::integer_sequence<int, kJ...>) {
  constexpr uint64_t kMask = (uint64_t{1} << kWidth) - 1;
  ((out[kJ] = static_cast<T>((load64(p + (kJ * kWidth) / 8) >> ((kJ * kWidth) % 8)) & kMask)), ...);
}

// The fast loop with the width as a compile-time constant, so shifts and masks are immediates and
// the compiler can unroll. Runs start byte-aligned (the hybrid's bit-packed runs, delta
// miniblocks), so whole groups of eight take the constant-offset path; reads stay where the
// value-by-value loop would read (every value < n_fast loads at its own byte).
template <int kWidth, class T>
void unpack_fixed_width(const uint8_t* in, size_t n_fast, uint64_t bit, T* out) {
  constexpr uint64_t kMask = (uint64_t{1} << kWidth) - 1;
  size_t i = 0;
  if ((bit & 7) == 0) {
    const uint8_t* p = in + (bit >> 3);
    for (; i + 8 <= n_fast; i += 8, p += kWidth)
      unpack_group_of_8<kWidth>(p, out + i, std::make_integer_sequence<int, 8>());
    bit += static_cast<uint64_t>(i) * kWidth;
  }
  for (; i < n_fast; ++i, bit += kWidth) {
    out[i] = static_cast<T>((load64(in + (bit >> 3)) >> (bit & 7)) & kMask);
  }
}

template <class T>
void unpack_runtime_width(const uint8_t* in, size_t n_fast, uint64_t bit, int width, T* out) {
  const uint64_t mask = (uint64_t{1} << width) - 1;
  for (size_t i = 0; i < n_fast; ++i, bit += static_cast<uint64_t>(width)) {
    out[i] = static_cast<T>((load64(in + (bit >> 3)) >> (bit & 7)) & mask);
  }
}

template <class T, int... kWidths>
bool dispatch_constant_width(int width, const uint8_t* in, size_t n_fast, uint64_t bit, T* out,
                             std::integer_sequence<int, kWidths...>) {
  bool done = false;
  ((width == kWidths + 1 ? (unpack_fixed_width<kWidths + 1>(in, n_fast, bit, out), done = true) : false),
   ...);
  return done;
}

}  // namespace

template <class T>
void unpack_bits(const uint8_t* in, size_t in_size, int width, uint64_t first_bit, T* out, size_t count) {
  if (count == 0) return;
  if (width == 0) {
    std::memset(out, 0, count * sizeof(T));
    return;
  }
  const auto w = static_cast<uint64_t>(width);
  size_t n_fast = 0;
  if (width <= 56 && in_size >= 8) {
    // Value i is read with one 8-byte load at byte (first_bit + i*w) / 8; it is safe while that
    // byte is at most in_size - 8.
    uint64_t last_safe_bit = (static_cast<uint64_t>(in_size) - 8) * 8 + 7;
    if (first_bit <= last_safe_bit) {
      n_fast = static_cast<size_t>((last_safe_bit - first_bit) / w + 1);
      if (n_fast > count) n_fast = count;
    }
  }
  if (n_fast > 0) {
    // Narrow widths (levels, dictionary indices, small deltas) get specialised loops.
    if (!dispatch_constant_width(width, in, n_fast, first_bit, out, std::make_integer_sequence<int, 32>())) {
      unpack_runtime_width(in, n_fast, first_bit, width, out);
    }
  }
  uint64_t bit = first_bit + n_fast * w;
  for (size_t i = n_fast; i < count; ++i, bit += w)
    out[i] = static_cast<T>(read_slow(in, in_size, bit, width));
}

template void unpack_bits<uint8_t>(const uint8_t*, size_t, int, uint64_t, uint8_t*, size_t);
template void unpack_bits<uint16_t>(const uint8_t*, size_t, int, uint64_t, uint16_t*, size_t);
template void unpack_bits<uint32_t>(const uint8_t*, size_t, int, uint64_t, uint32_t*, size_t);
template void unpack_bits<uint64_t>(const uint8_t*, size_t, int, uint64_t, uint64_t*, size_t);

namespace {

template <class T>
void pack_impl(const T* values, size_t count, int width, std::string& out) {
  if (width == 0 || count == 0) return;
  size_t start = out.size();
  size_t bytes = (count * static_cast<size_t>(width) + 7) / 8;
  out.resize(start + bytes, '\0');
  auto* dst = reinterpret_cast<uint8_t*>(out.data() + start);
  unsigned __int128 acc = 0;  // up to 64 pending bits plus a 64-bit value
  int acc_bits = 0;
  size_t pos = 0;
  for (size_t i = 0; i < count; ++i) {
    acc |= static_cast<unsigned __int128>(static_cast<uint64_t>(values[i])) << acc_bits;
    acc_bits += width;
    while (acc_bits >= 8) {
      dst[pos++] = static_cast<uint8_t>(acc);
      acc >>= 8;
      acc_bits -= 8;
    }
  }
  if (acc_bits > 0) dst[pos++] = static_cast<uint8_t>(acc);
}

}  // namespace

void pack_bits(const uint64_t* values, size_t count, int width, std::string& out) {
  pack_impl(values, count, width, out);
}
void pack_bits(const uint32_t* values, size_t count, int width, std::string& out) {
  pack_impl(values, count, width, out);
}

}  // namespace ember::parquet
