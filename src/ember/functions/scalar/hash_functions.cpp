// Hash functions: hash (Spark's Murmur3_x86_32, seed 42), xxhash64 (Spark's XXH64, seed 42), md5,
// sha1/sha, sha2, crc32. hash/xxhash64 give the values Spark gives: each column's value is hashed
// with the previous column's hash as the seed (nulls leave it unchanged), every type hashed the way
// Spark's HashExpression hashes it (ints, dates and booleans as an int; longs and timestamps as a
// long; floats/doubles by their bits with -0.0 as 0; decimals of precision <= 18 by their unscaled
// long, wider ones by the big-endian two's complement bytes of the unscaled value; strings and
// binaries by their bytes; arrays element by element). MD5 / SHA-1 / SHA-2 are implemented here
// (FIPS 180-4, RFC 1321); crc32 is zlib's.
#include <array>
#include <bit>
#include <cmath>

#include <zlib.h>

#include "ember/functions/aggregate/spark_xxhash64.h"
#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"

namespace ember {

namespace {

using namespace fn;

// ---- Murmur3_x86_32, as Spark's org.apache.spark.unsafe.hash.Murmur3_x86_32 ---------------------

struct Murmur3 {
  static constexpr uint32_t kC1 = 0xcc9e2d51u;
  static constexpr uint32_t kC2 = 0x1b873593u;

  static uint32_t mix_k1(uint32_t k1) {
    k1 *= kC1;
    k1 = std::rotl(k1, 15);
    return k1 * kC2;
  }
  static uint32_t mix_h1(uint32_t h1, uint32_t k1) {
    h1 ^= k1;
    h1 = std::rotl(h1, 13);
    return h1 * 5 + 0xe6546b64u;
  }
  static uint32_t fmix(uint32_t h1, uint32_t length) {
    h1 ^= length;
    h1 ^= h1 >> 16;
    h1 *= 0x85ebca6bu;
    h1 ^= h1 >> 13;
    h1 *= 0xc2b2ae35u;
    h1 ^= h1 >> 16;
    return h1;
  }
  static uint32_t hash_int(uint32_t v, uint32_t seed) { return fmix(mix_h1(seed, mix_k1(v)), 4); }
  static uint32_t hash_long(uint64_t v, uint32_t seed) {
    uint32_t h1 = mix_h1(seed, mix_k1(static_cast<uint32_t>(v)));
    h1 = mix_h1(h1, mix_k1(static_cast<uint32_t>(v >> 32)));
    return fmix(h1, 8);
  }
  // Spark's hashUnsafeBytes: 4-byte little-endian words, then each trailing byte on its own as a
  // sign-extended int (not the reference Murmur3 tail), then the length.
  static uint32_t hash_bytes(std::string_view s, uint32_t seed) {
    const size_t n = s.size();
    const size_t aligned = n - n % 4;
    uint32_t h1 = seed;
    for (size_t i = 0; i < aligned; i += 4) {
      uint32_t w;
      std::memcpy(&w, s.data() + i, 4);
      h1 = mix_h1(h1, mix_k1(w));
    }
    for (size_t i = aligned; i < n; ++i) {
      int32_t b = static_cast<int8_t>(s[i]);
      h1 = mix_h1(h1, mix_k1(static_cast<uint32_t>(b)));
    }
    return fmix(h1, static_cast<uint32_t>(n));
  }
};

// ---- xxHash64, as Spark's org.apache.spark.sql.catalyst.expressions.XXH64 -----------------------

// The algorithm lives once, in functions/aggregate/spark_xxhash64 (approx_count_distinct uses it
// too); this adapter gives it the policy shape hash_column() expects.
struct XxHash64 {
  static uint64_t hash_int(uint32_t v, uint64_t seed) {
    return agg::xxhash64_int(static_cast<int32_t>(v), seed);
  }
  static uint64_t hash_long(uint64_t v, uint64_t seed) {
    return agg::xxhash64_long(static_cast<int64_t>(v), seed);
  }
  static uint64_t hash_bytes(std::string_view s, uint64_t seed) {
    return agg::xxhash64_bytes(s.data(), s.size(), seed);
  }
};

// java.math.BigInteger.toByteArray of a decimal's unscaled value: minimal big-endian two's complement.
std::string big_integer_bytes(int128_t v) {
  unsigned char be[16];
  auto u = static_cast<unsigned __int128>(v);
  for (int i = 15; i >= 0; --i) {
    be[i] = static_cast<unsigned char>(u & 0xFF);
    u >>= 8;
  }
  int start = 0;
  while (start < 15) {
    bool redundant = (be[start] == 0x00 && (be[start + 1] & 0x80) == 0) ||
                     (be[start] == 0xFF && (be[start + 1] & 0x80) != 0);
    if (!redundant) break;
    ++start;
  }
  return std::string(reinterpret_cast<const char*>(be + start), static_cast<size_t>(16 - start));
}

// Java's floatToIntBits / doubleToLongBits as Spark hashes them: -0.0 as 0.0, every NaN as the
// canonical NaN.
inline uint32_t float_bits(float f) {
  return f == 0.0f ? 0u : std::isnan(f) ? 0x7fc00000u : std::bit_cast<uint32_t>(f);
}
inline uint64_t double_bits(double d) {
  return d == 0.0 ? 0ull : std::isnan(d) ? 0x7ff8000000000000ull : std::bit_cast<uint64_t>(d);
}

template <class H, class Word>
Word hash_decimal(int128_t v, int precision, Word seed) {
  if (precision <= 18) return H::hash_long(static_cast<uint64_t>(static_cast<int64_t>(v)), seed);
  return H::hash_bytes(big_integer_bytes(v), seed);
}

// Row i of v (not null) hashed with `seed` (slow path: array elements).
template <class H, class Word>
Word hash_one(const Vector& v, size_t i, const DataType& t, Word seed) {
  switch (t.id()) {
    case TypeId::kBoolean: return H::hash_int(value_at<uint8_t>(v, i) ? 1u : 0u, seed);
    case TypeId::kByte: return H::hash_int(static_cast<uint32_t>(int32_t{value_at<int8_t>(v, i)}), seed);
    case TypeId::kShort: return H::hash_int(static_cast<uint32_t>(int32_t{value_at<int16_t>(v, i)}), seed);
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate: return H::hash_int(static_cast<uint32_t>(value_at<int32_t>(v, i)), seed);
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp: return H::hash_long(static_cast<uint64_t>(value_at<int64_t>(v, i)), seed);
    case TypeId::kFloat: return H::hash_int(float_bits(value_at<float>(v, i)), seed);
    case TypeId::kDouble: return H::hash_long(double_bits(value_at<double>(v, i)), seed);
    case TypeId::kDecimal: return hash_decimal<H>(value_at<int128_t>(v, i), t.precision(), seed);
    case TypeId::kString:
    case TypeId::kBinary: return H::hash_bytes(v.string_at(i), seed);
    case TypeId::kArray: {
      // Element by element, each seeded with the previous element's hash; null elements skipped.
      const Vector& child = *v.child();
      const DataType& et = t.element_type();
      size_t begin = v.array_offset(i), count = v.array_size(i);
      for (size_t k = begin; k < begin + count; ++k) {
        if (!child.is_null(k)) seed = hash_one<H>(child, k, et, seed);
      }
      return seed;
    }
    case TypeId::kStruct: {
      // Field by field in order, each seeded with the previous field's hash; null fields skipped.
      for (size_t f = 0; f < v.num_fields(); ++f) {
        const Vector& field = *v.field(f);
        const size_t k = v.is_constant() ? 0 : i;
        if (!field.is_null(k)) seed = hash_one<H>(field, k, t.fields()[f].type, seed);
      }
      return seed;
    }
    case TypeId::kNull: return seed;
    default: break;
  }
  throw_internal(__FILE__, __LINE__, "hash of " + t.simple_string());
}

// Folds one column into the running hashes h[0..n) (row i seeds with h[i]; null rows leave it).
// H is Murmur3 (uint32_t hashes) or XxHash64 (uint64_t hashes). One type dispatch per column.
template <class H, class Word>
void hash_column(const Vector& v, const DataType& t, size_t n, Word* h) {
  if (t.id() == TypeId::kNull || is_const_null(v)) return;
  const uint8_t* valid = v.is_constant() ? nullptr : v.validity();
  auto each = [&](auto&& f) {
    if (!valid) {
      for (size_t i = 0; i < n; ++i) h[i] = f(i, h[i]);
    } else {
      for (size_t i = 0; i < n; ++i) {
        if (bit_is_set(valid, i)) h[i] = f(i, h[i]);
      }
    }
  };
  switch (t.id()) {
    case TypeId::kByte:
      each([&](size_t i, Word s) {
        return H::hash_int(static_cast<uint32_t>(int32_t{value_at<int8_t>(v, i)}), s);
      });
      return;
    case TypeId::kShort:
      each([&](size_t i, Word s) {
        return H::hash_int(static_cast<uint32_t>(int32_t{value_at<int16_t>(v, i)}), s);
      });
      return;
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate:
      each([&](size_t i, Word s) { return H::hash_int(static_cast<uint32_t>(value_at<int32_t>(v, i)), s); });
      return;
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp:
      each([&](size_t i, Word s) { return H::hash_long(static_cast<uint64_t>(value_at<int64_t>(v, i)), s); });
      return;
    case TypeId::kDouble:
      each([&](size_t i, Word s) { return H::hash_long(double_bits(value_at<double>(v, i)), s); });
      return;
    case TypeId::kString:
    case TypeId::kBinary: each([&](size_t i, Word s) { return H::hash_bytes(v.string_at(i), s); }); return;
    default: each([&](size_t i, Word s) { return hash_one<H>(v, i, t, s); }); return;
  }
}

// Spark's HashExpression rejects maps (DATATYPE_MISMATCH.HASH_MAP_TYPE), at any depth.
bool hashable(const DataType& t) {
  if (t.id() == TypeId::kMap) return false;
  if (t.id() == TypeId::kArray) return hashable(t.element_type());
  if (t.id() == TypeId::kStruct) {
    for (const Field& f : t.fields()) {
      if (!hashable(f.type)) return false;
    }
  }
  return true;
}

template <bool kXx>
BoundFunction bind_hash(const std::vector<DataType>& args, const BindContext&) {
  const char* name = kXx ? "xxhash64" : "hash";
  for (size_t i = 0; i < args.size(); ++i) {
    if (!hashable(args[i])) {
      throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.HASH_MAP_TYPE",
                  std::string("Cannot resolve \"") + name +
                      "\" due to data type mismatch: Input to the function `" + name +
                      "` cannot contain elements of the \"MAP\" type (argument " + std::to_string(i + 1) +
                      " is \"" + args[i].sql_string() +
                      "\"). In Spark, same maps may have different hashcode, thus hash expressions are "
                      "prohibited on \"MAP\" elements.");
    }
  }
  std::vector<DataType> types = args;
  DataType rt = kXx ? DataType::int64() : DataType::int32();
  auto kernel = make_kernel([types, rt](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    auto out = Vector::make(rt, n);
    if constexpr (kXx) {
      auto* h = reinterpret_cast<uint64_t*>(out->values<int64_t>());
      for (size_t i = 0; i < n; ++i) h[i] = 42;
      for (size_t k = 0; k < v.size(); ++k) hash_column<XxHash64>(*v[k], types[k], n, h);
    } else {
      auto* h = reinterpret_cast<uint32_t*>(out->values<int32_t>());
      for (size_t i = 0; i < n; ++i) h[i] = 42;
      for (size_t k = 0; k < v.size(); ++k) hash_column<Murmur3>(*v[k], types[k], n, h);
    }
    return out;
  });
  return bound(rt, types, kernel, /*accepts_constants=*/true, /*nullable=*/false);
}

// ---- MD5 (RFC 1321) ------------------------------------------------------------------------------

struct Md5 {
  static std::array<uint8_t, 16> digest(std::string_view msg) {
    static constexpr uint32_t kK[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
    static constexpr int kS[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                   5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                   4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                   6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    uint32_t a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
    std::string buf(msg);
    uint64_t bit_len = static_cast<uint64_t>(msg.size()) * 8;
    buf += static_cast<char>(0x80);
    while (buf.size() % 64 != 56) buf += '\0';
    for (int i = 0; i < 8; ++i) buf += static_cast<char>((bit_len >> (8 * i)) & 0xFF);
    for (size_t off = 0; off < buf.size(); off += 64) {
      uint32_t m[16];
      for (int i = 0; i < 16; ++i) {
        const auto* p = reinterpret_cast<const unsigned char*>(buf.data() + off + 4 * i);
        m[i] = uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
      }
      uint32_t a = a0, b = b0, c = c0, d = d0;
      for (int i = 0; i < 64; ++i) {
        uint32_t f;
        int g;
        if (i < 16) f = (b & c) | (~b & d), g = i;
        else if (i < 32) f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
        else if (i < 48) f = b ^ c ^ d, g = (3 * i + 5) % 16;
        else f = c ^ (b | ~d), g = (7 * i) % 16;
        f = f + a + kK[i] + m[g];
        a = d;
        d = c;
        c = b;
        b = b + std::rotl(f, kS[i]);
      }
      a0 += a, b0 += b, c0 += c, d0 += d;
    }
    std::array<uint8_t, 16> out;
    uint32_t words[4] = {a0, b0, c0, d0};
    for (int w = 0; w < 4; ++w) {
      for (int k = 0; k < 4; ++k)
        out[static_cast<size_t>(4 * w + k)] = static_cast<uint8_t>(words[w] >> (8 * k));
    }
    return out;
  }
};

// ---- SHA-1 / SHA-2 (FIPS 180-4) --------------------------------------------------------------------

// Big-endian padding shared by SHA-1 and SHA-224/256 (64-byte blocks, 64-bit length) and
// SHA-384/512 (128-byte blocks, 128-bit length).
std::string sha_pad(std::string_view msg, size_t block) {
  std::string buf(msg);
  uint64_t bit_len = static_cast<uint64_t>(msg.size()) * 8;
  buf += static_cast<char>(0x80);
  size_t len_bytes = block == 64 ? 8 : 16;
  while (buf.size() % block != block - len_bytes) buf += '\0';
  for (size_t i = 0; i + 8 < len_bytes; ++i) buf += '\0';
  for (int i = 7; i >= 0; --i) buf += static_cast<char>((bit_len >> (8 * i)) & 0xFF);
  return buf;
}

inline uint32_t be32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | uint32_t{u[3]};
}
inline uint64_t be64(const char* p) { return (uint64_t{be32(p)} << 32) | be32(p + 4); }

std::vector<uint8_t> sha1(std::string_view msg) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::string buf = sha_pad(msg, 64);
  for (size_t off = 0; off < buf.size(); off += 64) {
    uint32_t w[80];
    for (int i = 0; i < 16; ++i) w[i] = be32(buf.data() + off + 4 * i);
    for (int i = 16; i < 80; ++i) w[i] = std::rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      uint32_t f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      uint32_t t = std::rotl(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = std::rotl(b, 30);
      b = a;
      a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  std::vector<uint8_t> out;
  for (uint32_t x : h) {
    for (int k = 3; k >= 0; --k) out.push_back(static_cast<uint8_t>(x >> (8 * k)));
  }
  return out;
}

std::vector<uint8_t> sha256(std::string_view msg, bool is224) {
  static constexpr uint32_t kK[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  uint32_t h[8];
  if (is224) {
    const uint32_t init[8] = {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939,
                              0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4};
    std::memcpy(h, init, sizeof h);
  } else {
    const uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::memcpy(h, init, sizeof h);
  }
  std::string buf = sha_pad(msg, 64);
  for (size_t off = 0; off < buf.size(); off += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) w[i] = be32(buf.data() + off + 4 * i);
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = std::rotr(w[i - 15], 7) ^ std::rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = std::rotr(w[i - 2], 17) ^ std::rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t S1 = std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25);
      uint32_t ch = (e & f) ^ (~e & g);
      uint32_t t1 = hh + S1 + ch + kK[i] + w[i];
      uint32_t S0 = std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22);
      uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      uint32_t t2 = S0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  std::vector<uint8_t> out;
  for (int i = 0; i < (is224 ? 7 : 8); ++i) {
    for (int k = 3; k >= 0; --k) out.push_back(static_cast<uint8_t>(h[i] >> (8 * k)));
  }
  return out;
}

std::vector<uint8_t> sha512(std::string_view msg, bool is384) {
  static constexpr uint64_t kK[80] = {
      0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull,
      0x3956c25bf348b538ull, 0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull,
      0xd807aa98a3030242ull, 0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
      0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull, 0xc19bf174cf692694ull,
      0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
      0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
      0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull,
      0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull, 0x06ca6351e003826full, 0x142929670a0e6e70ull,
      0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
      0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
      0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull,
      0xd192e819d6ef5218ull, 0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
      0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull,
      0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull,
      0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
      0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull,
      0xca273eceea26619cull, 0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull,
      0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
      0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull, 0x431d67c49c100d4cull,
      0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull};
  uint64_t h[8];
  if (is384) {
    const uint64_t init[8] = {0xcbbb9d5dc1059ed8ull, 0x629a292a367cd507ull, 0x9159015a3070dd17ull,
                              0x152fecd8f70e5939ull, 0x67332667ffc00b31ull, 0x8eb44a8768581511ull,
                              0xdb0c2e0d64f98fa7ull, 0x47b5481dbefa4fa4ull};
    std::memcpy(h, init, sizeof h);
  } else {
    const uint64_t init[8] = {0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull,
                              0xa54ff53a5f1d36f1ull, 0x510e527fade682d1ull, 0x9b05688c2b3e6c1full,
                              0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull};
    std::memcpy(h, init, sizeof h);
  }
  std::string buf = sha_pad(msg, 128);
  for (size_t off = 0; off < buf.size(); off += 128) {
    uint64_t w[80];
    for (int i = 0; i < 16; ++i) w[i] = be64(buf.data() + off + 8 * i);
    for (int i = 16; i < 80; ++i) {
      uint64_t s0 = std::rotr(w[i - 15], 1) ^ std::rotr(w[i - 15], 8) ^ (w[i - 15] >> 7);
      uint64_t s1 = std::rotr(w[i - 2], 19) ^ std::rotr(w[i - 2], 61) ^ (w[i - 2] >> 6);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 80; ++i) {
      uint64_t S1 = std::rotr(e, 14) ^ std::rotr(e, 18) ^ std::rotr(e, 41);
      uint64_t ch = (e & f) ^ (~e & g);
      uint64_t t1 = hh + S1 + ch + kK[i] + w[i];
      uint64_t S0 = std::rotr(a, 28) ^ std::rotr(a, 34) ^ std::rotr(a, 39);
      uint64_t maj = (a & b) ^ (a & c) ^ (b & c);
      uint64_t t2 = S0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  std::vector<uint8_t> out;
  for (int i = 0; i < (is384 ? 6 : 8); ++i) {
    for (int k = 7; k >= 0; --k) out.push_back(static_cast<uint8_t>(h[i] >> (8 * k)));
  }
  return out;
}

template <bool kUpper = false, class Bytes>
void append_hex(std::string& out, const Bytes& bytes) {
  static constexpr const char* kHex = kUpper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (uint8_t b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
}

// md5/sha1/sha2/crc32 take BINARY; a string is its UTF-8 bytes (Spark's implicit string -> binary
// cast), so both are read as they are.
DataType binary_param(const char* fn, int i, const DataType& t) {
  if (t.id() == TypeId::kBinary || t.id() == TypeId::kString) return t;
  if (t.id() == TypeId::kNull) return DataType::binary();
  throw_input_type(fn, i, "\"BINARY\"", t);
}

enum class Digest { kMd5, kSha1 };

template <Digest kDigest>
BoundFunction bind_digest(const std::vector<DataType>& args, const BindContext&) {
  DataType t = binary_param(kDigest == Digest::kMd5 ? "md5" : "sha1", 1, args[0]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    return string_map(v, n, DataType::string(), n * (kDigest == Digest::kMd5 ? 32 : 40),
                      [&](size_t i, std::string& out) {
                        if constexpr (kDigest == Digest::kMd5) append_hex(out, Md5::digest(s.string_at(i)));
                        else append_hex(out, sha1(s.string_at(i)));
                        return true;
                      });
  });
  return bound(DataType::string(), {t}, kernel, true);
}

// sha2(expr, bits): 224, 256 (or 0), 384, 512; any other length is NULL.
BoundFunction bind_sha2(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = binary_param("sha2", 1, args[0]);
  if (!can_implicit_cast(args[1], DataType::int32(), ctx.ansi) || args[1].id() == TypeId::kBoolean) {
    throw_input_type("sha2", 2, "\"INT\"", args[1]);
  }
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& bits = *v[1];
    return string_map(v, n, DataType::string(), n * 64, [&](size_t i, std::string& out) {
      std::string_view x = s.string_at(i);
      switch (value_at<int32_t>(bits, i)) {
        case 224: append_hex(out, sha256(x, true)); return true;
        case 0:
        case 256: append_hex(out, sha256(x, false)); return true;
        case 384: append_hex(out, sha512(x, true)); return true;
        case 512: append_hex(out, sha512(x, false)); return true;
        default: return false;
      }
    });
  });
  return bound(DataType::string(), {t, DataType::int32()}, kernel, true);
}

BoundFunction bind_crc32(const std::vector<DataType>& args, const BindContext&) {
  DataType t = binary_param("crc32", 1, args[0]);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    auto out = Vector::make(DataType::int64(), n);
    if (!and_validity(*out, {&s}, n)) return Vector::make_null(DataType::int64(), n);
    int64_t* o = out->values<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      std::string_view x = s.string_at(i);
      o[i] = static_cast<int64_t>(
          ::crc32(0L, reinterpret_cast<const Bytef*>(x.data()), static_cast<uInt>(x.size())));
    }
    return out;
  });
  return bound(DataType::int64(), {t}, kernel, true);
}

// hex(x): Spark's Hex. An integral value prints as Long.toHexString in upper case (a negative one
// as its 64-bit two's complement); a string or binary prints its bytes, two upper-case digits each.
BoundFunction bind_hex(const std::vector<DataType>& args, const BindContext&) {
  const DataType& t = args[0];
  if (t.is_integral()) {
    auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
      const Vector& x = *v[0];
      return string_map(v, n, DataType::string(), n * 16, [&](size_t i, std::string& out) {
        auto u = static_cast<uint64_t>(x.values<int64_t>()[x.is_constant() ? 0 : i]);
        static constexpr char kDigits[] = "0123456789ABCDEF";
        char buf[16];
        int k = 16;
        do {
          buf[--k] = kDigits[u & 0xF];
          u >>= 4;
        } while (u != 0);
        out.append(buf + k, static_cast<size_t>(16 - k));
        return true;
      });
    });
    return bound(DataType::string(), {DataType::int64()}, kernel, true);
  }
  DataType in = binary_param("hex", 1, t);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    return string_map(v, n, DataType::string(), 2 * total_chars(s), [&](size_t i, std::string& out) {
      append_hex<true>(out, s.string_at(i));
      return true;
    });
  });
  return bound(DataType::string(), {in}, kernel, true);
}

// unhex(str): Spark's Unhex. The bytes the hex digits spell (an odd count gets a leading 0); NULL
// when a character is not a hex digit.
BoundFunction bind_unhex(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = string_param("unhex", 1, args[0], ctx.ansi);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    return string_map(v, n, DataType::binary(), total_chars(s) / 2 + n, [&](size_t i, std::string& out) {
      std::string_view x = s.string_at(i);
      auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      size_t pos = 0;
      if (x.size() % 2 == 1) {
        int d = digit(x[0]);
        if (d < 0) return false;
        out += static_cast<char>(d);
        pos = 1;
      }
      for (; pos < x.size(); pos += 2) {
        int hi = digit(x[pos]), lo = digit(x[pos + 1]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
      }
      return true;
    });
  });
  return bound(DataType::binary(), {t}, kernel, true);
}

}  // namespace

void register_hash_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"hash", 1, -1, &bind_hash<false>});
  r.add(FunctionDef{"xxhash64", 1, -1, &bind_hash<true>});
  r.add(FunctionDef{"md5", 1, 1, &bind_digest<Digest::kMd5>});
  r.add(FunctionDef{"sha1", 1, 1, &bind_digest<Digest::kSha1>});
  r.add(FunctionDef{"sha2", 2, 2, &bind_sha2});
  r.add(FunctionDef{"crc32", 1, 1, &bind_crc32});
  r.add(FunctionDef{"hex", 1, 1, &bind_hex});
  r.add(FunctionDef{"unhex", 1, 1, &bind_unhex});
  r.add_alias("sha", "sha1");
}

}  // namespace ember
