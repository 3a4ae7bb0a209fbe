#include "ember/functions/aggregate/spark_xxhash64.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "ember/common/error.h"

namespace ember::agg {

namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

inline uint64_t read64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
inline uint64_t read32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

inline uint64_t round(uint64_t acc, uint64_t input) {
  acc += input * kPrime2;
  acc = std::rotl(acc, 31);
  return acc * kPrime1;
}

inline uint64_t merge_round(uint64_t acc, uint64_t value) {
  acc ^= round(0, value);
  return acc * kPrime1 + kPrime4;
}

inline uint64_t avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= kPrime3;
  h ^= h >> 32;
  return h;
}

// Java's Float.floatToIntBits / Double.doubleToLongBits after Spark's normalisation of -0.0.
inline int32_t float_bits(float f) {
  if (f == 0.0f) return 0;
  if (std::isnan(f)) return 0x7fc00000;
  return std::bit_cast<int32_t>(f);
}
inline int64_t double_bits(double d) {
  if (d == 0.0) return 0;
  if (std::isnan(d)) return 0x7ff8000000000000LL;
  return std::bit_cast<int64_t>(d);
}

// java.math.BigInteger.toByteArray of x: big-endian two's complement, as few bytes as hold the
// value and its sign bit.
size_t big_integer_bytes(int128_t x, uint8_t out[16]) {
  auto u = static_cast<unsigned __int128>(x);
  unsigned __int128 magnitude_bits = x < 0 ? ~u : u;  // bitLength counts the bits of ~x for x < 0
  int bit_length = 0;
  while (magnitude_bits != 0) {
    ++bit_length;
    magnitude_bits >>= 1;
  }
  size_t len = static_cast<size_t>(bit_length / 8 + 1);
  for (size_t i = 0; i < len; ++i) out[len - 1 - i] = static_cast<uint8_t>(u >> (8 * i));
  return len;
}

template <class T, class Hash>
void hash_fixed(const Vector& v, size_t n, uint64_t* hashes, Hash&& hash) {
  const T* values = v.values<T>();
  if (v.is_constant()) {
    if (v.is_null(0)) return;
    uint64_t h = hash(values[0]);
    for (size_t i = 0; i < n; ++i) hashes[i] = h;
    return;
  }
  const uint8_t* valid = v.validity();
  for (size_t i = 0; i < n; ++i) {
    if (valid == nullptr || bit_is_set(valid, i)) hashes[i] = hash(values[i]);
  }
}

uint64_t hash_value(const Vector& v, size_t row, uint64_t seed);

// Spark's InterpretedHashFunction.hash for an array (a map's entries likewise, each entry's key
// then value) or a struct: the running hash is the seed of the next element or field, and a null
// element or field leaves it unchanged.
uint64_t hash_nested(const Vector& v, size_t i, uint64_t seed) {
  uint64_t h = seed;
  if (v.type().is_list_like()) {
    const Vector& child = *v.child();
    const size_t begin = v.array_offset(i), count = v.array_size(i);
    for (size_t e = begin; e < begin + count; ++e) {
      if (!child.is_null(e)) h = hash_value(child, e, h);
    }
    return h;
  }
  for (size_t k = 0; k < v.num_fields(); ++k) {
    const Vector& f = *v.field(k);
    if (!f.is_null(i)) h = hash_value(f, i, h);
  }
  return h;
}

// One non-null value of any type, seeded: the per-value form of spark_xxhash64_rows, which the
// elements and fields of nested values need (their seed is the hash so far).
uint64_t hash_value(const Vector& v, size_t row, uint64_t seed) {
  const size_t i = v.is_constant() ? 0 : row;
  const DataType& t = v.type();
  switch (t.id()) {
    case TypeId::kNull: return seed;
    case TypeId::kBoolean: return xxhash64_int(v.values<uint8_t>()[i] != 0 ? 1 : 0, seed);
    case TypeId::kByte: return xxhash64_int(v.values<int8_t>()[i], seed);
    case TypeId::kShort: return xxhash64_int(v.values<int16_t>()[i], seed);
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate: return xxhash64_int(v.values<int32_t>()[i], seed);
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp: return xxhash64_long(v.values<int64_t>()[i], seed);
    case TypeId::kFloat: return xxhash64_int(float_bits(v.values<float>()[i]), seed);
    case TypeId::kDouble: return xxhash64_long(double_bits(v.values<double>()[i]), seed);
    case TypeId::kDecimal: {
      const int128_t x = v.values<int128_t>()[i];
      if (t.precision() <= 18) return xxhash64_long(static_cast<int64_t>(x), seed);
      uint8_t bytes[16];
      const size_t len = big_integer_bytes(x, bytes);
      return xxhash64_bytes(bytes, len, seed);
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      const std::string_view s = v.string_at(i);
      return xxhash64_bytes(s.data(), s.size(), seed);
    }
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct: return hash_nested(v, i, seed);
  }
  return seed;
}

}  // namespace

uint64_t xxhash64_bytes(const void* data, size_t len, uint64_t seed) {
  const auto* p = static_cast<const uint8_t*>(data);
  const uint8_t* end = p + len;
  uint64_t h;
  if (len >= 32) {
    uint64_t v1 = seed + kPrime1 + kPrime2;
    uint64_t v2 = seed + kPrime2;
    uint64_t v3 = seed;
    uint64_t v4 = seed - kPrime1;
    const uint8_t* limit = end - 32;
    do {
      v1 = round(v1, read64(p));
      v2 = round(v2, read64(p + 8));
      v3 = round(v3, read64(p + 16));
      v4 = round(v4, read64(p + 24));
      p += 32;
    } while (p <= limit);
    h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
    h = merge_round(h, v1);
    h = merge_round(h, v2);
    h = merge_round(h, v3);
    h = merge_round(h, v4);
  } else {
    h = seed + kPrime5;
  }
  h += static_cast<uint64_t>(len);
  while (p + 8 <= end) {
    h ^= round(0, read64(p));
    h = std::rotl(h, 27) * kPrime1 + kPrime4;
    p += 8;
  }
  if (p + 4 <= end) {
    h ^= read32(p) * kPrime1;
    h = std::rotl(h, 23) * kPrime2 + kPrime3;
    p += 4;
  }
  while (p < end) {
    h ^= static_cast<uint64_t>(*p) * kPrime5;
    h = std::rotl(h, 11) * kPrime1;
    ++p;
  }
  return avalanche(h);
}

uint64_t xxhash64_int(int32_t value, uint64_t seed) {
  uint64_t h = seed + kPrime5 + 4;
  h ^= static_cast<uint64_t>(static_cast<uint32_t>(value)) * kPrime1;
  h = std::rotl(h, 23) * kPrime2 + kPrime3;
  return avalanche(h);
}

uint64_t xxhash64_long(int64_t value, uint64_t seed) {
  uint64_t h = seed + kPrime5 + 8;
  h ^= round(0, static_cast<uint64_t>(value));
  h = std::rotl(h, 27) * kPrime1 + kPrime4;
  return avalanche(h);
}

void spark_xxhash64_rows(const Vector& v, size_t n, uint64_t seed, uint64_t* hashes) {
  auto as_int = [seed](auto x) { return xxhash64_int(static_cast<int32_t>(x), seed); };
  auto as_long = [seed](int64_t x) { return xxhash64_long(x, seed); };
  const DataType& t = v.type();
  switch (t.id()) {
    case TypeId::kNull: return;
    case TypeId::kBoolean:
      hash_fixed<uint8_t>(v, n, hashes, [&](uint8_t b) { return as_int(b != 0 ? 1 : 0); });
      return;
    case TypeId::kByte: hash_fixed<int8_t>(v, n, hashes, as_int); return;
    case TypeId::kShort: hash_fixed<int16_t>(v, n, hashes, as_int); return;
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate: hash_fixed<int32_t>(v, n, hashes, as_int); return;
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp: hash_fixed<int64_t>(v, n, hashes, as_long); return;
    case TypeId::kFloat:
      hash_fixed<float>(v, n, hashes, [&](float f) { return as_int(float_bits(f)); });
      return;
    case TypeId::kDouble:
      hash_fixed<double>(v, n, hashes, [&](double d) { return as_long(double_bits(d)); });
      return;
    case TypeId::kDecimal:
      if (t.precision() <= 18) {
        hash_fixed<int128_t>(v, n, hashes, [&](int128_t x) { return as_long(static_cast<int64_t>(x)); });
      } else {
        hash_fixed<int128_t>(v, n, hashes, [&](int128_t x) {
          uint8_t bytes[16];
          size_t len = big_integer_bytes(x, bytes);
          return xxhash64_bytes(bytes, len, seed);
        });
      }
      return;
    case TypeId::kString:
    case TypeId::kBinary: {
      size_t rows = v.is_constant() ? std::min<size_t>(n, 1) : n;
      for (size_t i = 0; i < rows; ++i) {
        if (v.is_null(i)) continue;
        std::string_view s = v.string_at(i);
        hashes[i] = xxhash64_bytes(s.data(), s.size(), seed);
      }
      if (v.is_constant() && !v.is_null(0)) {
        for (size_t i = 1; i < n; ++i) hashes[i] = hashes[0];
      }
      return;
    }
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct:
      // Nested values hash element by element and field by field, one value at a time.
      for (size_t i = 0; i < n; ++i) {
        if (!v.is_null(i)) hashes[i] = hash_nested(v, i, seed);
      }
      return;
  }
}

}  // namespace ember::agg
