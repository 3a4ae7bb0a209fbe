#include "ember/exec/hashtable/vector_hash.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "ember/common/error.h"
#include "ember/vector/nested_key_encoding.h"

namespace ember {

namespace {

constexpr uint64_t kMulA = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kMulB = 0xc2b2ae3d27d4eb4fULL;

// Mixes a further column's hash into the running one. `b` is already avalanched, so a rotate and
// multiply of `a` (to make the combination order-sensitive: (x, y) != (y, x)) and an xor suffice.
inline uint64_t combine(uint64_t a, uint64_t b) { return (std::rotl(a, 25) * kMulA) ^ b; }

// Spark groups -0.0 with 0.0 and every NaN together; hashing the normalised bit pattern keeps
// equal-as-grouped values on equal hashes.
inline uint64_t double_bits(double d) {
  if (d == 0.0) return 0;  // +0.0 and -0.0
  if (std::isnan(d)) return 0x7ff8000000000000ULL;
  return std::bit_cast<uint64_t>(d);
}

template <class T>
inline uint64_t value_hash(T v) {
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    // Floats hash through double so a float key and the same value widened agree (harmless,
    // and keeps one normalisation routine).
    return hash_mix64(double_bits(static_cast<double>(v)));
  } else if constexpr (std::is_same_v<T, int128_t>) {
    auto u = static_cast<unsigned __int128>(v);
    uint64_t lo = static_cast<uint64_t>(u);
    uint64_t hi = static_cast<uint64_t>(u >> 64);
    return hash_mix64(lo ^ hash_mix64(hi + kMulB));
  } else {
    // Sign-extend to 64 bits so that -1 as int8 and as int64 hash alike.
    return hash_mix64(static_cast<uint64_t>(static_cast<int64_t>(v)));
  }
}

template <bool kCombine>
inline void put(uint64_t* out, size_t i, uint64_t h) {
  if constexpr (kCombine) out[i] = combine(out[i], h);
  else out[i] = h;
}

template <class T, bool kCombine>
void hash_fixed(const Vector& col, size_t n, uint64_t* out) {
  const T* vals = col.values<T>();
  const uint8_t* valid = col.validity();
  if (col.is_constant()) {
    uint64_t h = col.is_null(0) ? kNullHash : value_hash<T>(vals[0]);
    for (size_t i = 0; i < n; ++i) put<kCombine>(out, i, h);
    return;
  }
  if (valid == nullptr) {
    for (size_t i = 0; i < n; ++i) put<kCombine>(out, i, value_hash<T>(vals[i]));
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    // Values under a null are undefined (never initialised); select rather than read-and-use.
    uint64_t h = bit_is_set(valid, i) ? value_hash<T>(vals[i]) : kNullHash;
    put<kCombine>(out, i, h);
  }
}

template <bool kCombine>
void hash_strings(const Vector& col, size_t n, uint64_t* out) {
  if (col.is_constant()) {
    uint64_t h = kNullHash;
    if (!col.is_null(0)) {
      std::string_view s = col.string_at(0);
      h = hash_bytes(s.data(), s.size());
    }
    for (size_t i = 0; i < n; ++i) put<kCombine>(out, i, h);
    return;
  }
  const int32_t* off = col.offsets();
  const char* chars = col.chars();
  const uint8_t* valid = col.validity();
  for (size_t i = 0; i < n; ++i) {
    uint64_t h;
    if (valid != nullptr && !bit_is_set(valid, i)) {
      h = kNullHash;
    } else {
      h = hash_bytes(chars + off[i], static_cast<size_t>(off[i + 1] - off[i]));
    }
    put<kCombine>(out, i, h);
  }
}

template <bool kCombine>
void hash_dispatch(const Vector& col, size_t n, uint64_t* out) {
  switch (col.type().id()) {
    case TypeId::kBoolean: hash_fixed<uint8_t, kCombine>(col, n, out); return;
    case TypeId::kByte: hash_fixed<int8_t, kCombine>(col, n, out); return;
    case TypeId::kShort: hash_fixed<int16_t, kCombine>(col, n, out); return;
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate: hash_fixed<int32_t, kCombine>(col, n, out); return;
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp: hash_fixed<int64_t, kCombine>(col, n, out); return;
    case TypeId::kFloat: hash_fixed<float, kCombine>(col, n, out); return;
    case TypeId::kDouble: hash_fixed<double, kCombine>(col, n, out); return;
    case TypeId::kDecimal: hash_fixed<int128_t, kCombine>(col, n, out); return;
    case TypeId::kString:
    case TypeId::kBinary: hash_strings<kCombine>(col, n, out); return;
    case TypeId::kNull:
      for (size_t i = 0; i < n; ++i) put<kCombine>(out, i, kNullHash);
      return;
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct: {
      // Nested values hash as their canonical key bytes, so the hash agrees with the equality
      // the group and join tables apply (they compare those bytes) and with every partitioning.
      const VectorPtr encoded = encode_keys(col, n);
      hash_strings<kCombine>(*encoded, n, out);
      return;
    }
  }
  EMBER_CHECK(false, "hash_column: unknown type " + col.type().simple_string());
}

}  // namespace

uint64_t hash_bytes(const char* data, size_t len) {
  uint64_t h = kMulB ^ (static_cast<uint64_t>(len) * kMulA);
  const char* p = data;
  size_t rest = len;
  while (rest >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = std::rotl(h ^ (w * kMulA), 29) * kMulB;
    p += 8;
    rest -= 8;
  }
  if (rest > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, rest);
    h = std::rotl(h ^ (w * kMulA), 29) * kMulB;
  }
  return hash_mix64(h);
}

void hash_column(const Vector& col, size_t n, uint64_t* out, bool combine) {
  if (combine) hash_dispatch<true>(col, n, out);
  else hash_dispatch<false>(col, n, out);
}

void hash_columns(const std::vector<VectorPtr>& cols, size_t n, uint64_t* out) {
  if (cols.empty()) {
    // No key columns (a global aggregate keyed by nothing): every row is the one group.
    for (size_t i = 0; i < n; ++i) out[i] = kNullHash;
    return;
  }
  for (size_t c = 0; c < cols.size(); ++c) hash_column(*cols[c], n, out, c > 0);
}

}  // namespace ember
